//! `helpdesk eval …`: quality figures measured the same way on any question set; and
//! `helpdesk bench search`, which measures the same searches for speed. Both sit with the
//! commands, above every domain they drive.

pub mod chat;
pub mod pii;
pub mod retrieval;
pub mod router;
pub mod search_bench;
