//! Sign-in, token refresh and logout, and OIDC discovery for the built-in issuer.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{AuthUser, Authorized, CallerRole, PlatformOperator, can};
use super::lifecycle;
use super::login::sign_in;
use super::tokens::{
    TokenPair, TokenRole, issue_access_token, issue_refresh_token, issue_token,
    revoke_refresh_token, rotate_refresh_token,
};
use crate::app::AppState;
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::json_body::Json;
use crate::tenancy::{
    self, CreateTenant, CreateUser, NewTenant, NewUser, Role, TenantId, TenantSlug, UserId,
    UserView,
};
use crate::validation::TextRule;

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(create_token)
        .service(rotate_tokens)
        .service(logout)
        .service(redeem_password_reset)
        .service(get_me)
        .service(change_password)
        .service(issue_password_reset)
        .service(disable_user)
        .service(enable_user)
        .service(create_visitor_token)
        .service(create_tenant);
}

/// Mounted at the root: discovery documents live at fixed well-known paths.
pub fn configure_well_known(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_openid_configuration).service(get_jwks);
}

#[derive(Deserialize, ToSchema)]
struct TokenRequest {
    /// The tenant's slug.
    tenant: String,
    email: String,
    #[schema(value_type = String, format = Password)]
    password: SecretString,
}

#[derive(Deserialize, ToSchema)]
struct RefreshRequest {
    refresh_token: String,
}

async fn token_pair(
    state: &AppState,
    tenant: TenantId,
    user: UserId,
    role: Role,
    refresh_token: String,
) -> Result<TokenPair, AppError> {
    let keys = state.auth.keys(&state.db).await?;
    Ok(TokenPair {
        access_token: issue_access_token(&keys, &state.auth.settings, tenant, user, role)?,
        token_type: "Bearer",
        expires_in: state.auth.settings.access_ttl_secs,
        refresh_token,
    })
}

#[utoipa::path(
    summary = "Sign in",
    tag = "auth",
    security(()),
    responses((status = 200, description = "Signed in: an access token and a refresh token", body = TokenPair)),
)]
#[post("/auth/token")]
async fn create_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let client = state.clients.client_key(&req);
    state.auth.login_per_client.check(&client)?;
    // Keyed on account and client: a stranger spends only the stranger's budget.
    let attempt = format!(
        "{}\n{}\n{client}",
        body.tenant.trim().to_lowercase(),
        body.email.trim().to_lowercase()
    );
    state.auth.login_per_account.check(&attempt)?;
    state.auth.login_failures.check(&attempt)?;
    let signed_in = match sign_in(
        &state.db,
        state.auth.dummy_hash(),
        &body.tenant,
        &body.email,
        body.password,
    )
    .await
    {
        Ok(signed_in) => {
            state.auth.login_failures.succeeded(&attempt);
            signed_in
        }
        Err(e) => {
            if matches!(e, AppError::Unauthorized(..)) {
                state.auth.login_failures.failed(&attempt);
            }
            return Err(e);
        }
    };
    let settings = &state.auth.settings;
    let refresh = TenantTx::run(&state.db, signed_in.tenant, async |tx| {
        issue_refresh_token(tx, settings, signed_in.user).await
    })
    .await?;
    let pair = token_pair(
        &state,
        signed_in.tenant,
        signed_in.user,
        signed_in.role,
        refresh,
    )
    .await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[utoipa::path(
    summary = "Refresh: trade a refresh token for a new pair",
    tag = "auth",
    security(()),
    operation_id = "refresh_token",
    responses((status = 200, description = "A new pair; the refresh token sent is spent", body = TokenPair)),
)]
#[post("/auth/refresh")]
async fn rotate_tokens(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let (tenant, user, next) =
        rotate_refresh_token(&state.db, &state.auth.settings, &body.refresh_token).await?;
    // The role may have changed since sign-in: read it again.
    let role = TenantTx::run(&state.db, tenant, async |tx| {
        tenancy::get_user(tx, user).await
    })
    .await
    .map_err(|_| AppError::Unauthorized(Code::InvalidToken, "account no longer exists".into()))?
    .role;
    let pair = token_pair(&state, tenant, user, role, next).await?;
    Ok(HttpResponse::Ok().json(pair))
}

#[utoipa::path(
    summary = "Sign out: revoke a refresh token",
    tag = "auth",
    security(()),
    responses((status = 204, description = "The refresh token is revoked")),
)]
#[post("/auth/logout")]
async fn logout(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    revoke_refresh_token(&state.db, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    summary = "Read the signed-in user",
    tag = "auth",
    responses((status = 200, description = "The signed-in user", body = UserView)),
)]
#[get("/me")]
async fn get_me(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, AppError> {
    let user = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        tenancy::get_user(tx, caller.user).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(user))
}

#[utoipa::path(
    summary = "OIDC discovery for the built-in issuer",
    tag = "auth",
    security(()),
    responses((status = 200, description = "OIDC discovery for the built-in issuer", body = Object)),
)]
#[get("/.well-known/openid-configuration")]
async fn get_openid_configuration(state: web::Data<AppState>) -> HttpResponse {
    let issuer = state.auth.settings.issuer.trim_end_matches('/');
    HttpResponse::Ok().json(serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "token_endpoint": format!("{issuer}/api/v1/auth/token"),
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "token_endpoint_auth_methods_supported": ["none"],
        "claims_supported": ["iss", "aud", "sub", "tenant_id", "role", "exp", "iat", "jti"],
    }))
}

#[utoipa::path(
    summary = "The built-in issuer's public keys",
    tag = "auth",
    security(()),
    responses((status = 200, description = "The issuer's public keys (JWKS)", body = Object)),
)]
#[get("/.well-known/jwks.json")]
async fn get_jwks(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let keys = state.auth.keys(&state.db).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=300"))
        .json(keys.jwks()))
}

/// A token for an anonymous visitor of one tenant's public chat.
#[utoipa::path(
    tag = "auth",
    security(()),
    params(("slug" = String, Path, description = "The tenant's slug")),
    responses((status = 200, description = "A token for an anonymous visitor of the tenant's chat", body = VisitorToken)),
)]
#[post("/tenants/{slug}/visitor-token")]
async fn create_visitor_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    state
        .auth
        .visitor_tokens
        .check(&state.clients.client_key(&req))?;
    let slug = TenantSlug::parse(&slug)
        .map_err(|_| AppError::NotFound(Code::TenantNotFound, "no such tenant".into()))?;
    let tenant = tenancy::find_tenant_by_slug(&state.db, &slug)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::TenantNotFound, "no such tenant".into()))?;
    let keys = state.auth.keys(&state.db).await?;
    let visitor = Uuid::new_v4();
    let ttl = state.auth.settings.visitor_ttl_secs;
    let token = issue_token(
        &keys,
        &state.auth.settings,
        &visitor.to_string(),
        Some(tenant.id),
        TokenRole::Visitor,
        ttl,
    )?;
    Ok(HttpResponse::Ok().json(VisitorToken {
        access_token: token,
        token_type: "Bearer",
        expires_in: ttl,
        visitor_id: visitor,
    }))
}

#[derive(Serialize, ToSchema)]
struct VisitorToken {
    access_token: String,
    token_type: &'static str,
    expires_in: i64,
    visitor_id: Uuid,
}

#[derive(Deserialize, ToSchema)]
struct CreateTenantBody {
    #[serde(flatten)]
    tenant: NewTenant,
    admin: NewUser,
}

#[derive(Serialize, ToSchema)]
struct CreatedTenant {
    tenant: tenancy::TenantView,
    admin: UserView,
}

/// Operators create a tenant together with its first admin.
#[utoipa::path(
    tag = "tenancy",
    responses((status = 201, description = "The tenant and its first admin (platform operators only)", body = CreatedTenant)),
)]
#[post("/tenants")]
async fn create_tenant(
    state: web::Data<AppState>,
    operator: PlatformOperator,
    body: Json<CreateTenantBody>,
) -> Result<HttpResponse, AppError> {
    let tenant_input = CreateTenant::parse(&body.tenant);
    let admin_input = CreateUser::parse(&body.admin);
    let (tenant_input, admin_input) = match (tenant_input, admin_input) {
        (Ok(t), Ok(a)) => (t, a),
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    if admin_input.role != Role::Admin {
        return Err(AppError::validation(
            "admin.role",
            "must_be_admin",
            "the first user is an admin",
        ));
    }
    let (tenant, admin) = crate::desk::create_tenant_with_admin(
        &state.db,
        crate::ids::Actor::Operator(operator.subject),
        tenant_input,
        admin_input,
    )
    .await?;
    Ok(HttpResponse::Created().json(CreatedTenant { tenant, admin }))
}

/// The string rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("ChangePassword", "new_password", tenancy::PASSWORD_RULE),
    ("RedeemReset", "new_password", tenancy::PASSWORD_RULE),
];

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ChangePassword {
    #[schema(value_type = String, format = Password)]
    current_password: SecretString,
    #[schema(value_type = String, format = Password)]
    new_password: SecretString,
}

/// A signed-in user's own new password; every other sign-in of theirs ends.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Changed; every other sign-in of the user ends")),
)]
#[post("/me/password")]
async fn change_password(
    state: web::Data<AppState>,
    caller: AuthUser,
    body: Json<ChangePassword>,
) -> Result<HttpResponse, AppError> {
    if caller.role == CallerRole::Visitor {
        return Err(AppError::Forbidden(
            Code::ActionForbidden,
            "chat visitors have no password".into(),
        ));
    }
    let body = body.into_inner();
    lifecycle::change_password(
        &state.db,
        caller.tenant,
        caller.user,
        body.current_password,
        body.new_password,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An admin's one-time reset token for a user, returned to the admin to hand over.
#[utoipa::path(
    tag = "auth",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 201, description = "A one-time reset token to hand to the user", body = PasswordReset)),
)]
#[post("/users/{id}/password-reset")]
async fn issue_password_reset(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateUsers>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let (token, expires_at) = lifecycle::issue_password_reset(
        &state.db,
        &state.auth.settings,
        caller.actor(),
        caller.tenant,
        UserId(id.into_inner()),
    )
    .await?;
    tracing::info!(tenant = %caller.tenant, "password reset issued");
    Ok(HttpResponse::Created().json(PasswordReset {
        reset_token: token,
        expires_at,
    }))
}

#[derive(Serialize, ToSchema)]
struct PasswordReset {
    reset_token: String,
    expires_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RedeemReset {
    token: String,
    #[schema(value_type = String, format = Password)]
    new_password: SecretString,
}

#[utoipa::path(
    summary = "Set a new password with a reset token",
    tag = "auth",
    security(()),
    responses((status = 204, description = "The password is set; the token is spent")),
)]
#[post("/auth/password-reset")]
async fn redeem_password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<RedeemReset>,
) -> Result<HttpResponse, AppError> {
    state
        .auth
        .login_per_client
        .check(&state.clients.client_key(&req))?;
    let body = body.into_inner();
    lifecycle::redeem_password_reset(&state.db, &body.token, body.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    summary = "Disable a user's access",
    tag = "tenancy",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user, now unable to sign in", body = UserView)),
)]
#[post("/users/{id}/disable")]
async fn disable_user(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateUsers>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    set_disabled(state, caller, UserId(id.into_inner()), true).await
}

#[utoipa::path(
    summary = "Restore a user's access",
    tag = "tenancy",
    params(("id" = Uuid, Path, description = "The user's id")),
    responses((status = 200, description = "The user, able to sign in again", body = UserView)),
)]
#[post("/users/{id}/enable")]
async fn enable_user(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateUsers>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    set_disabled(state, caller, UserId(id.into_inner()), false).await
}

async fn set_disabled(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateUsers>,
    user: UserId,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    if disabled && user == caller.user {
        return Err(AppError::Conflict(
            Code::CannotChangeOwnAccount,
            "an admin cannot disable themselves".into(),
        ));
    }
    let view =
        lifecycle::set_disabled(&state.db, caller.actor(), caller.tenant, user, disabled).await?;
    tracing::info!(tenant = %caller.tenant, disabled, "user access changed");
    Ok(HttpResponse::Ok().json(view))
}
