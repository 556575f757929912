//! Access tokens (short-lived JWTs signed by the key ring) and refresh tokens (opaque,
//! stored hashed, rotated on use; reuse of a rotated token revokes its whole family).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use jsonwebtoken::{Header, Validation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, Set,
};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use uuid::Uuid;

use super::keys::KeyRing;
use crate::config::AuthSettings;
use crate::database::TenantTx;
use crate::entity::refresh_token;
use crate::error::{AppError, Code};
use crate::tenancy::{Role, TenantId, UserId};

/// Who a token speaks for: a tenant's user, an anonymous visitor of one tenant, or a
/// platform operator (no tenant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenRole {
    Admin,
    Agent,
    Customer,
    Visitor,
    Operator,
}

impl From<Role> for TokenRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => Self::Admin,
            Role::Agent => Self::Agent,
            Role::Customer => Self::Customer,
        }
    }
}

/// The claims of an access token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    /// Absent only on operator tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<Uuid>,
    pub role: TokenRole,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
}

fn unauthorized(why: &str) -> AppError {
    AppError::Unauthorized(Code::InvalidToken, why.into())
}

/// An access token for a user of `tenant`, valid for `auth.access_ttl_secs`.
pub fn issue_access_token(
    keys: &KeyRing,
    settings: &AuthSettings,
    tenant: TenantId,
    user: UserId,
    role: Role,
) -> Result<String, AppError> {
    issue_token(
        keys,
        settings,
        &user.to_string(),
        Some(tenant),
        role.into(),
        settings.access_ttl_secs,
    )
}

/// Any token of the built-in issuer.
pub fn issue_token(
    keys: &KeyRing,
    settings: &AuthSettings,
    subject: &str,
    tenant: Option<TenantId>,
    role: TokenRole,
    ttl_secs: i64,
) -> Result<String, AppError> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        iss: settings.issuer.clone(),
        aud: settings.audience.clone(),
        sub: subject.to_owned(),
        tenant_id: tenant.map(|t| t.0),
        role,
        iat: now,
        exp: now + ttl_secs,
        jti: Uuid::new_v4().to_string(),
    };
    sign(keys, &claims)
}

/// `claims` signed with the key ring's active key, named in the header.
fn sign(keys: &KeyRing, claims: &Claims) -> Result<String, AppError> {
    let mut header = Header::new(keys.algorithm());
    header.kid = Some(keys.active_kid().to_owned());
    jsonwebtoken::encode(&header, claims, keys.encoding_key())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot sign token: {e}")))
}

/// What a satisfaction link's token is addressed to. An access token's audience is
/// different, so neither token is accepted as the other.
fn rating_audience(settings: &AuthSettings) -> String {
    format!("{}#rating", settings.audience)
}

/// A signed, expiring link token that lets the requester rate ticket `ticket` of `tenant`
/// once, without signing in.
pub fn issue_rating_token(
    keys: &KeyRing,
    settings: &AuthSettings,
    tenant: TenantId,
    ticket: Uuid,
    ttl_secs: i64,
) -> Result<String, AppError> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        iss: settings.issuer.clone(),
        aud: rating_audience(settings),
        sub: ticket.to_string(),
        tenant_id: Some(tenant.0),
        role: TokenRole::Customer,
        iat: now,
        exp: now + ttl_secs,
        jti: Uuid::new_v4().to_string(),
    };
    sign(keys, &claims)
}

/// The tenant and ticket a rating link speaks for.
pub fn verify_rating_token(
    keys: &KeyRing,
    settings: &AuthSettings,
    token: &str,
) -> Result<(TenantId, Uuid), AppError> {
    let invalid = || {
        AppError::Unauthorized(
            Code::InvalidRatingLink,
            "invalid or expired rating link".into(),
        )
    };
    let claims =
        verify_for(keys, settings, token, &rating_audience(settings)).map_err(|_| invalid())?;
    let ticket = Uuid::parse_str(&claims.sub).map_err(|_| invalid())?;
    let tenant = claims.tenant_id.map(TenantId).ok_or_else(invalid)?;
    Ok((tenant, ticket))
}

/// Verifies a token of the built-in issuer: known `kid`, EdDSA only (so `alg: none` and
/// algorithm confusion fail), signature, expiry, issuer and audience.
pub fn verify_access_token(
    keys: &KeyRing,
    settings: &AuthSettings,
    token: &str,
) -> Result<Claims, AppError> {
    verify_for(keys, settings, token, &settings.audience)
}

fn verify_for(
    keys: &KeyRing,
    settings: &AuthSettings,
    token: &str,
    audience: &str,
) -> Result<Claims, AppError> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| unauthorized("malformed token"))?;
    if header.alg != keys.algorithm() {
        return Err(unauthorized("unsupported token algorithm"));
    }
    let kid = header
        .kid
        .ok_or_else(|| unauthorized("token has no key id"))?;
    let key = keys
        .decoding_key(&kid)
        .ok_or_else(|| unauthorized("token signed by an unknown key"))?;
    let mut validation = Validation::new(keys.algorithm());
    validation.set_issuer(&[&settings.issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    validation.leeway = 30;
    jsonwebtoken::decode::<Claims>(token, key, &validation)
        .map(|data| data.claims)
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind;
            unauthorized(match e.kind() {
                ErrorKind::ExpiredSignature => "token expired",
                ErrorKind::InvalidIssuer => "token from an untrusted issuer",
                ErrorKind::InvalidAudience => "token meant for another audience",
                ErrorKind::InvalidSignature => "bad token signature",
                _ => "invalid token",
            })
        })
}

pub(super) fn hash_token(secret: &str) -> String {
    let digest = sha2::Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `<tenant id>.<random>` (refresh and password-reset tokens): the tenant prefix lets the
/// token find its row under row-level security, where no tenant is known before the token
/// is read.
pub(super) fn new_secret(tenant: TenantId) -> Result<String, AppError> {
    let mut random = [0u8; 32];
    getrandom::fill(&mut random)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(format!("{}.{}", tenant.0, URL_SAFE_NO_PAD.encode(random)))
}

pub(super) fn tenant_of(secret: &str) -> Result<TenantId, AppError> {
    secret
        .split_once('.')
        .and_then(|(tenant, _)| Uuid::parse_str(tenant).ok())
        .map(TenantId)
        .ok_or_else(|| unauthorized("malformed refresh token"))
}

/// Starts a new refresh-token family for a fresh sign-in.
#[tracing::instrument(name = "auth.issue_refresh_token", skip_all, fields(tenant = %tx.tenant()))]
pub async fn issue_refresh_token(
    tx: &TenantTx,
    settings: &AuthSettings,
    user: UserId,
) -> Result<String, AppError> {
    store_refresh(tx, settings, tx.tenant(), user, Uuid::new_v4(), Utc::now()).await
}

async fn store_refresh(
    txn: &sea_orm::DatabaseTransaction,
    settings: &AuthSettings,
    tenant: TenantId,
    user: UserId,
    family: Uuid,
    family_started: chrono::DateTime<Utc>,
) -> Result<String, AppError> {
    let secret = new_secret(tenant)?;
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        user_id: Set(user.0),
        family_id: Set(family),
        token_hash: Set(hash_token(&secret)),
        expires_at: Set(now + Duration::seconds(settings.refresh_ttl_secs)),
        rotated_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
        family_started_at: Set(Some(family_started)),
    }
    .insert(txn)
    .await?;
    Ok(secret)
}

/// Exchanges a refresh token for the next one of its family. Presenting a token that was
/// already rotated revokes the family: whoever holds either copy must sign in again.
#[tracing::instrument(name = "auth.rotate_refresh_token", skip_all)]
pub async fn rotate_refresh_token(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    secret: &str,
) -> Result<(TenantId, UserId, String), AppError> {
    let tenant = tenant_of(secret)?;
    let tx = TenantTx::begin(db, tenant).await?;
    let txn: &sea_orm::DatabaseTransaction = &tx;
    let row = find_refresh(txn, tenant, secret)
        .await?
        .ok_or_else(|| unauthorized("unknown refresh token"))?;
    let now = Utc::now();
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(unauthorized("refresh token expired or revoked"));
    }
    let started = row.family_started_at.unwrap_or(row.created_at);
    if started + Duration::seconds(settings.refresh_absolute_ttl_secs) <= now {
        return Err(unauthorized("signed in too long ago; sign in again"));
    }
    if row.rotated_at.is_some() {
        revoke_family_in(txn, tenant, row.family_id).await?;
        tx.commit().await?;
        tracing::warn!(tenant = %tenant, "refresh token reused; family revoked");
        return Err(unauthorized("refresh token already used; sign in again"));
    }
    // Compare-and-set, so two concurrent refreshes cannot both succeed.
    let marked = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RotatedAt, Expr::value(Some(now)))
        .filter(refresh_token::Column::Id.eq(row.id))
        .filter(refresh_token::Column::RotatedAt.is_null())
        .exec(txn)
        .await?;
    if marked.rows_affected == 0 {
        return Err(unauthorized("refresh token already used; sign in again"));
    }
    let user = UserId(row.user_id);
    let next = store_refresh(txn, settings, tenant, user, row.family_id, started).await?;
    // A disabled account had its tokens revoked; reading it in the same transaction
    // catches a rotation racing that.
    if !crate::tenancy::user_is_active(&tx, user).await? {
        revoke_user_refresh_tokens(&tx, user).await?;
        tx.commit().await?;
        return Err(unauthorized("refresh token expired or revoked"));
    }
    tx.commit().await?;
    Ok((tenant, user, next))
}

async fn find_refresh(
    txn: &sea_orm::DatabaseTransaction,
    tenant: TenantId,
    secret: &str,
) -> Result<Option<refresh_token::Model>, AppError> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::TokenHash.eq(hash_token(secret)))
        .one(txn)
        .await?)
}

async fn revoke_family_in(
    txn: &sea_orm::DatabaseTransaction,
    tenant: TenantId,
    family: Uuid,
) -> Result<(), AppError> {
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::RevokedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Revokes every refresh token of a user (a disabled account, a new password): each
/// sign-in elsewhere ends when its access token expires.
pub async fn revoke_user_refresh_tokens(tx: &TenantTx, user: UserId) -> Result<(), AppError> {
    let txn: &sea_orm::DatabaseTransaction = tx;
    let tenant = tx.tenant();
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::RevokedAt,
            Expr::value(Some(Utc::now())),
        )
        .filter(refresh_token::Column::TenantId.eq(tenant.0))
        .filter(refresh_token::Column::UserId.eq(user.0))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Logs out: revokes the family of `secret`. Unknown tokens are ignored (idempotent).
pub async fn revoke_refresh_token(db: &DatabaseConnection, secret: &str) -> Result<(), AppError> {
    let tenant = tenant_of(secret)?;
    let tx = TenantTx::begin(db, tenant).await?;
    if let Some(row) = find_refresh(&tx, tenant, secret).await? {
        revoke_family_in(&tx, tenant, row.family_id).await?;
    }
    tx.commit().await?;
    Ok(())
}
