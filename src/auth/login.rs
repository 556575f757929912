//! Sign-in with tenant, email and password. Unknown tenant, unknown user and wrong
//! password all get the same 401 body, after the same argon2 work, so neither status, body
//! nor timing tells whether an account exists. Repeated failures slow down the client that
//! makes them (`throttle::LoginFailures`), never the account itself.

use sea_orm::DatabaseConnection;
use secrecy::SecretString;

use crate::audit::{self, Action, Event};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::ids::Actor;
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
    let mut known_tenant = None;
    let account = match (TenantSlug::parse(tenant_slug), Email::parse(email)) {
        (Ok(slug), Ok(email)) => match tenancy::find_tenant_by_slug(db, &slug).await? {
            Some(tenant) => {
                known_tenant = Some(tenant.id);
                TenantTx::run(db, tenant.id, async |tx| {
                    tenancy::find_credentials(tx, &email).await
                })
                .await?
                .map(|c| (tenant.id, c))
            }
            None => None,
        },
        _ => None,
    };
    let Some((tenant, credentials)) = account else {
        // Burn the same CPU as a real check.
        let _ = verify_password(password, dummy_hash.to_owned()).await?;
        if let Some(tenant) = known_tenant {
            // The address tried is not recorded: it may be anyone's, or mistyped.
            let failed = Event::new(Action::SignInFailed)
                .detail(serde_json::json!({"reason": "unknown_account"}));
            TenantTx::run(db, tenant, async |tx| audit::record(tx, failed).await).await?;
        }
        return Err(rejected());
    };
    let user = credentials.user.id;
    // A disabled account answers like a wrong password, after the same work.
    let verified = verify_password(password, credentials.password_hash).await?;
    let refusal = if !verified {
        Some("wrong_password")
    } else if credentials.user.disabled {
        Some("disabled")
    } else {
        None
    };
    let event = match refusal {
        Some(reason) => Event::new(Action::SignInFailed)
            .on("user", user.0)
            .detail(serde_json::json!({"reason": reason})),
        None => Event::new(Action::SignIn).on("user", user.0),
    };
    TenantTx::run_as(db, tenant, Actor::User(user.0), async |tx| {
        audit::record(tx, event).await
    })
    .await?;
    if refusal.is_some() {
        return Err(rejected());
    }
    Ok(SignedIn {
        tenant,
        user,
        role: credentials.user.role,
    })
}
