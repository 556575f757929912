//! Ticket triage: a trained classifier that says which category a ticket belongs to, and
//! how sure it is.

mod dataset;
mod features;
mod linear;
mod router;
mod scores;
mod train;

pub use dataset::{Labelled, read_csv, split};
pub use router::{Prediction, Router};
pub use scores::Scores;
pub use train::{VALIDATION_SHARE, train_router};
