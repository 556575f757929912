//! `helpdesk eval …`: quality figures measured the same way on any question set.

pub mod chat;
pub mod retrieval;
pub mod router;
