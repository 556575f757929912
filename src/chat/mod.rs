//! The help chat: sessions and their redacted transcripts, the WebSocket protocol and its
//! REST fallback, handoff to a ticket, live agent replies, and knowledge gaps.

mod conversation;
mod hub;
mod limits;
mod model;
mod routes;
mod service;
mod socket;

pub use conversation::{relay_agent_reply, wants_human};
pub use hub::{ChatHub, HubEvent};
pub use limits::ChatLimits;
pub use model::{
    ClientFrame, MessageView, ServerFrame, SessionId, SessionStatus, SessionView, Speaker,
    TicketRef,
};
pub use routes::configure;
pub use service::{GapGroup, NOTIFY_CHANNEL};
