//! Ticket triage: a trained classifier that says which category a ticket belongs to, and
//! how sure it is.

mod dataset;
mod features;
mod linear;
mod policy;
mod router;
mod scores;
mod train;
mod triage;
mod workflow;

pub use dataset::{Labelled, read_csv, split};
pub use policy::{Classification, DEFAULT_TRIAGE_THRESHOLD, RoutingPolicy};
pub use router::{Prediction, Router};
pub use scores::Scores;
pub use train::{VALIDATION_SHARE, train_router};
pub use triage::Triage;
pub use workflow::{SLA_FIRST_RESPONSE, Workflow, first_response_due};
