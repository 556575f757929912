//! An account's life after sign-up: a user changes their own password; an admin issues a
//! one-time, expiring reset token (handed to the admin, there being no mail channel yet)
//! that sets a new password once; an admin disables an account (and enables it again).
//! Each of these revokes the user's refresh tokens, so no sign-in outlives it by more than
//! an access token's lifetime, and open sockets and feeds notice within
//! `auth.recheck_secs`.

use crate::audit::{self, Action, Event};
use crate::ids::Actor;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, Set,
};
use secrecy::SecretString;
use uuid::Uuid;

use super::tokens::{hash_token, new_secret, revoke_user_refresh_tokens, tenant_of};
use crate::config::AuthSettings;
use crate::database::TenantTx;
use crate::entity::password_reset;
use crate::error::{AppError, Code};
use crate::password::{hash_password, verify_password};
use crate::tenancy::{self, TenantId, UserId, UserView};
use crate::validation::Fields;

fn new_password_checked(password: &SecretString) -> Result<(), AppError> {
    let mut fields = Fields::new();
    if let Err(invalid) = tenancy::check_password(password) {
        fields.add("new_password", invalid);
    }
    fields.finish()
}

/// The signed-in user's own change: the current password proves it is them.
#[tracing::instrument(name = "auth.change_password", skip_all, fields(tenant = %tenant))]
pub async fn change_password(
    db: &DatabaseConnection,
    tenant: TenantId,
    user: UserId,
    current: SecretString,
    new: SecretString,
) -> Result<(), AppError> {
    new_password_checked(&new)?;
    let found = TenantTx::run(db, tenant, async |tx| tenancy::get_user(tx, user).await).await?;
    let email = tenancy::Email::parse(&found.email)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored email: {e}")))?;
    let credentials = TenantTx::run(db, tenant, async |tx| {
        tenancy::find_credentials(tx, &email).await
    })
    .await?
    .ok_or_else(|| AppError::NotFound(Code::UserNotFound, "no such user".into()))?;
    if !verify_password(current, credentials.password_hash).await? {
        return Err(AppError::validation(
            "current_password",
            "wrong_password",
            "the current password does not match",
        ));
    }
    let hash = hash_password(new).await?;
    // The new password and the end of every other sign-in go together.
    let tx = TenantTx::begin(db, tenant)
        .await?
        .acting_as(Actor::User(user.0));
    tenancy::set_password_hash(&tx, user, hash).await?;
    revoke_user_refresh_tokens(&tx, user).await?;
    audit::record(&tx, Event::new(Action::PasswordChanged).on("user", user.0)).await?;
    tx.commit().await?;
    Ok(())
}

/// A reset token for `user`: one use, `auth.password_reset_ttl_secs` long. Issuing one
/// voids the user's earlier unused ones.
#[tracing::instrument(name = "auth.issue_password_reset", skip_all, fields(tenant = %tenant))]
pub async fn issue_password_reset(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    actor: Actor,
    tenant: TenantId,
    user: UserId,
) -> Result<(String, DateTime<Utc>), AppError> {
    let secret = new_secret(tenant)?;
    let now = Utc::now();
    let expires_at = now + Duration::seconds(settings.password_reset_ttl_secs.max(60));
    let tx = TenantTx::begin(db, tenant).await?.acting_as(actor);
    // The user must be the tenant's (a 404 otherwise, like any other tenant's id).
    tenancy::get_user(&tx, user).await?;
    let txn: &sea_orm::DatabaseTransaction = &tx;
    password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::TenantId.eq(tenant.0))
        .filter(password_reset::Column::UserId.eq(user.0))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    password_reset::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        user_id: Set(user.0),
        token_hash: Set(hash_token(&secret)),
        expires_at: Set(expires_at),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    audit::record(
        &tx,
        Event::new(Action::PasswordResetIssued).on("user", user.0),
    )
    .await?;
    tx.commit().await?;
    Ok((secret, expires_at))
}

/// Sets a new password with a reset token, once. Unknown, used and expired tokens are one
/// and the same 401.
#[tracing::instrument(name = "auth.redeem_password_reset", skip_all)]
pub async fn redeem_password_reset(
    db: &DatabaseConnection,
    secret: &str,
    new: SecretString,
) -> Result<(), AppError> {
    let refused = || {
        AppError::Unauthorized(
            Code::InvalidResetToken,
            "unknown, used or expired reset token".into(),
        )
    };
    new_password_checked(&new)?;
    let tenant = tenant_of(secret).map_err(|_| refused())?;
    // Hashed before the transaction: argon2 takes its time, and no lock should wait on it.
    let hash = hash_password(new).await?;
    let now = Utc::now();
    // One transaction: the token is spent, the password set and every sign-in ended, or
    // none of it.
    let tx = TenantTx::begin(db, tenant).await?;
    let txn: &sea_orm::DatabaseTransaction = &tx;
    let found = password_reset::Entity::find()
        .filter(password_reset::Column::TenantId.eq(tenant.0))
        .filter(password_reset::Column::TokenHash.eq(hash_token(secret)))
        .one(txn)
        .await?
        .ok_or_else(refused)?;
    // Compare-and-set: of two redemptions at once, one wins.
    let taken = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::Id.eq(found.id))
        .filter(password_reset::Column::UsedAt.is_null())
        .filter(password_reset::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await?;
    if taken.rows_affected != 1 {
        return Err(refused());
    }
    let user = UserId(found.user_id);
    let tx = tx.acting_as(Actor::User(user.0));
    tenancy::set_password_hash(&tx, user, hash).await?;
    revoke_user_refresh_tokens(&tx, user).await?;
    audit::record(&tx, Event::new(Action::PasswordReset).on("user", user.0)).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables or enables an account; disabling revokes its refresh tokens.
#[tracing::instrument(name = "auth.set_disabled", skip_all, fields(tenant = %tenant, disabled))]
pub async fn set_disabled(
    db: &DatabaseConnection,
    actor: Actor,
    tenant: TenantId,
    user: UserId,
    disabled: bool,
) -> Result<UserView, AppError> {
    let tx = TenantTx::begin(db, tenant).await?.acting_as(actor);
    let view = tenancy::set_user_disabled(&tx, user, disabled).await?;
    if disabled {
        revoke_user_refresh_tokens(&tx, user).await?;
    }
    tx.commit().await?;
    Ok(view)
}
