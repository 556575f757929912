//! Ticket triage: a trained classifier that says which category a ticket belongs to and
//! how sure it is, and the tenant's policy that turns that into a queue, an agent and SLA
//! deadlines. The durable workflow that watches those deadlines is `crate::workflow`.

mod assignment;
mod dataset;
mod features;
mod linear;
mod policy;
mod router;
mod scores;
mod sla;
mod train;
mod triage;

pub use assignment::pick_assignee;
pub use dataset::{Labelled, read_csv, split};
pub use policy::{Classification, DEFAULT_TRIAGE_THRESHOLD, RoutingPolicy};
pub use router::{Prediction, Router};
pub use scores::Scores;
pub use sla::SlaPolicy;
pub use train::{VALIDATION_SHARE, train_router};
pub use triage::Triage;
