//! Authentication and authorisation. For now: password hashing.

mod password;

pub use password::{hash_password, verify_password};
