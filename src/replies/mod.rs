//! Canned replies and macros: text an agent inserts instead of retyping it, with
//! placeholders filled from the ticket, and macros that apply a reply plus field changes
//! in one action. Each is shared by the tenant (admins keep those) or personal to an agent.

mod model;
mod routes;
mod service;

pub use model::{
    CannedReplyInput, CannedReplyView, MacroInput, MacroReply, MacroView, NewMacro, Owner,
    Placeholders, TEXT_RULES, render,
};
pub use routes::configure;
pub use service::{
    create_canned_reply, create_macro, find_macro, list_canned_replies, shared_titles,
};
