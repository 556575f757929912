//! Authentication: passwords, the built-in token issuer and its keys, the `AuthUser`
//! extractor.

mod authz;
mod external;
mod extract;
mod keys;
mod lifecycle;
mod login;
mod routes;
mod state;
mod throttle;
mod tokens;

pub use crate::password::{hash_password, verify_password};
pub use authz::{Action, Authz, Resource};
pub use extract::{
    AuthUser, Authorized, CallerRole, Permission, PlatformOperator, Session, bearer,
    bearer_or_query, can,
};
pub use keys::KeyRing;
pub use login::INVALID_CREDENTIALS;
pub use routes::{TEXT_RULES, configure, configure_well_known};
pub use state::AuthState;
pub use throttle::Throttle;
pub use tokens::{
    Claims, TokenPair, TokenRole, issue_access_token, issue_rating_token, issue_token,
    verify_access_token, verify_rating_token,
};
