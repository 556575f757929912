//! The help chat: sessions and their redacted transcripts, the WebSocket protocol and its
//! REST fallback, handoff to a ticket, live agent replies, and knowledge gaps.

mod hub;
mod limits;
mod message;
mod model;
pub mod people;
mod routes;
mod service;
mod socket;

pub use hub::{ChatHub, HubEvent};
pub use limits::ChatLimits;
pub use message::{TEXT_RULES, parse_message, wants_human};
pub use model::{
    ClientFrame, MessageView, ServerFrame, SessionId, SessionStatus, SessionView, Speaker,
    TicketRef,
};
pub use routes::{QUERY_RULES, configure};
pub use service::{
    GapGroup, NOTIFY_CHANNEL, append, append_reply, find_session, get_message, history,
    knowledge_gaps, lock_session, mark_handed_off, open_session, record_gap, session_of_ticket,
};
