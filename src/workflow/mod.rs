//! The durable workflow of a ticket: SLA timers and escalations, webhook deliveries, and
//! the engine that runs them — durable jobs in the application database (`embedded`) or a
//! Temporal server (`temporal`, cargo feature). It sits above routing, whose policy picks
//! the agent a workflow step assigns.

mod effects;
mod engine;
mod jobs;
#[cfg(feature = "temporal")]
mod temporal;
mod webhook;

pub use engine::{TicketStart, Workflow, WorkflowEngine, start_or_defer};
pub use webhook::{SIGNATURE_HEADER, sign as sign_webhook};
