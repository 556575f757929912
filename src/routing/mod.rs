//! Ticket triage: a trained classifier that says which category a ticket belongs to and
//! how sure it is, the tenant's policy that turns that into a queue and an agent, and the
//! durable workflow that watches each ticket's SLAs.

mod assignment;
mod dataset;
mod effects;
mod engine;
mod features;
mod jobs;
mod linear;
mod policy;
mod router;
mod scores;
mod sla;
#[cfg(feature = "temporal")]
mod temporal;
mod train;
mod triage;
mod webhook;

pub use dataset::{Labelled, read_csv, split};
pub use engine::{TicketStart, Workflow, WorkflowEngine, start_or_defer};
pub use policy::{Classification, DEFAULT_TRIAGE_THRESHOLD, RoutingPolicy};
pub use router::{Prediction, Router};
pub use scores::Scores;
pub use sla::SlaPolicy;
pub use train::{VALIDATION_SHARE, train_router};
pub use triage::Triage;
pub use webhook::{SIGNATURE_HEADER, sign as sign_webhook};
