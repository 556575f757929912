//! SeaORM entities: persistence only. Domain modules map them to views and never hand them
//! to a handler or a request body.

pub mod audit_record;
pub mod canned_reply;
pub mod chat_message;
pub mod chat_session;
pub mod chunk;
pub mod job;
pub mod knowledge_doc;
pub mod knowledge_gap;
pub mod password_reset;
pub mod rating;
pub mod refresh_token;
pub mod signing_key;
pub mod tenant;
pub mod ticket;
pub mod ticket_counter;
pub mod ticket_event;
pub mod ticket_macro;
pub mod ticket_mention;
pub mod usage_daily;
pub mod user;
