//! The use cases that span domains, each in one place: open a ticket (classify, route,
//! create, start its workflow), answer or hand off a chat turn, relay an agent's reply to
//! the visitor, draft a reply for an agent, and create a tenant with its first admin.
//!
//! A flow opens the [`TenantTx`](crate::database::TenantTx) its domains' services share,
//! so it — not the layout of the code — decides what is atomic. Handlers, sockets and
//! commands call a flow with the components it needs ([`Desk`]), never the whole
//! application state.

mod assist;
mod conversation;
mod feedback;
mod intake;
mod onboarding;
pub mod people;
pub mod routes;
mod summary;
mod workspace;

use sea_orm::DatabaseConnection;

use crate::auth::AuthState;
use crate::chat::{ChatHub, ChatLimits};
use crate::config::ChatSettings;
use crate::knowledge::Knowledge;
use crate::rag::Rag;
use crate::routing::Triage;
use crate::workflow::Workflow;

pub use assist::{SuggestedReply, suggest_reply};
pub use conversation::{ask, handoff, open_session, reply_on_ticket};
pub use feedback::{
    RatingLink, RatingTarget, rate_answer, rate_chat, rate_ticket, rating_link, rating_target,
};
pub use intake::{Intake, open_ticket};
pub use onboarding::{create_tenant, create_tenant_with_admin, first_run, first_run_open};
pub(crate) use summary::summarize_handoff;
pub use summary::{Summary, summarize_ticket};
pub use workspace::{AppliedMacro, apply_macro, canned_replies};

/// The components the flows work with, borrowed from the application for one call.
#[derive(Clone, Copy)]
pub struct Desk<'a> {
    pub intake: Intake<'a>,
    pub knowledge: &'a Knowledge,
    pub rag: &'a Rag,
    pub chat: &'a ChatHub,
    pub chat_limits: &'a ChatLimits,
    pub chat_settings: &'a ChatSettings,
    /// Signs and checks the links that rate a ticket.
    pub auth: &'a AuthState,
}

impl<'a> Desk<'a> {
    pub fn db(&self) -> &'a DatabaseConnection {
        self.intake.db
    }

    pub fn triage(&self) -> &'a Triage {
        self.intake.triage
    }

    pub fn workflow(&self) -> &'a Workflow {
        self.intake.workflow
    }
}
