//! Sign-in with tenant, email and password. Unknown tenant, unknown user and wrong
//! password all get the same 401 body, after the same argon2 work, so neither status, body
//! nor timing tells whether an account exists. Repeated failures slow down the client that
//! makes them (`throttle::LoginFailures`), never the account itself.

use sea_orm::DatabaseConnection;
use secrecy::SecretString;

use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::password::verify_password;
use crate::tenancy::{self, Email, Role, TenantId, TenantSlug, UserId};

pub const INVALID_CREDENTIALS: &str = "invalid tenant, email or password";

pub struct SignedIn {
    pub tenant: TenantId,
    pub user: UserId,
    pub role: Role,
}

#[tracing::instrument(name = "auth.sign_in", skip_all)]
pub async fn sign_in(
    db: &DatabaseConnection,
    dummy_hash: &str,
    tenant_slug: &str,
    email: &str,
    password: SecretString,
) -> Result<SignedIn, AppError> {
    let rejected = || AppError::Unauthorized(Code::InvalidCredentials, INVALID_CREDENTIALS.into());
    let account = match (TenantSlug::parse(tenant_slug), Email::parse(email)) {
        (Ok(slug), Ok(email)) => match tenancy::find_tenant_by_slug(db, &slug).await? {
            Some(tenant) => TenantTx::run(db, tenant.id, async |tx| {
                tenancy::find_credentials(tx, &email).await
            })
            .await?
            .map(|c| (tenant.id, c)),
            None => None,
        },
        _ => None,
    };
    let Some((tenant, credentials)) = account else {
        // Burn the same CPU as a real check.
        let _ = verify_password(password, dummy_hash.to_owned()).await?;
        return Err(rejected());
    };
    // A disabled account answers like a wrong password, after the same work.
    if !verify_password(password, credentials.password_hash).await? || credentials.user.disabled {
        return Err(rejected());
    }
    Ok(SignedIn {
        tenant,
        user: credentials.user.id,
        role: credentials.user.role,
    })
}
