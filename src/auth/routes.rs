//! Sign-in, token refresh and logout, and OIDC discovery for the built-in issuer.

use actix_web::{HttpResponse, web};
use secrecy::SecretString;
use serde::Deserialize;

use super::extract::AuthUser;
use super::login::sign_in;
use super::tokens::{
    TokenPair, issue_access_token, issue_refresh_token, revoke_refresh_token, rotate_refresh_token,
};
use crate::app::AppState;
use crate::error::AppError;
use crate::tenancy::{self, Role, TenantId, UserId};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/token", web::post().to(create_token))
        .route("/auth/refresh", web::post().to(refresh_token))
        .route("/auth/logout", web::post().to(logout))
        .route("/me", web::get().to(get_me));
}

/// Mounted at the root: discovery documents live at fixed well-known paths.
pub fn configure_well_known(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/.well-known/openid-configuration",
        web::get().to(get_openid_configuration),
    )
    .route("/.well-known/jwks.json", web::get().to(get_jwks));
}

#[derive(Deserialize)]
struct TokenRequest {
    tenant: String,
    email: String,
    password: SecretString,
}

#[derive(Deserialize)]
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

async fn create_token(
    state: web::Data<AppState>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let signed_in = sign_in(
        &state.db,
        &state.auth.settings,
        state.auth.dummy_hash(),
        &body.tenant,
        &body.email,
        body.password,
    )
    .await?;
    let refresh = issue_refresh_token(
        &state.db,
        &state.auth.settings,
        signed_in.tenant,
        signed_in.user,
    )
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

async fn refresh_token(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    let (tenant, user, next) =
        rotate_refresh_token(&state.db, &state.auth.settings, &body.refresh_token).await?;
    // The role may have changed since sign-in: read it again.
    let role = tenancy::get_user(&state.db, tenant, user)
        .await
        .map_err(|_| AppError::Unauthorized("account no longer exists".into()))?
        .role;
    let pair = token_pair(&state, tenant, user, role, next).await?;
    Ok(HttpResponse::Ok().json(pair))
}

async fn logout(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, AppError> {
    revoke_refresh_token(&state.db, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn get_me(state: web::Data<AppState>, caller: AuthUser) -> Result<HttpResponse, AppError> {
    let user = tenancy::get_user(&state.db, caller.tenant, caller.user).await?;
    Ok(HttpResponse::Ok().json(user))
}

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

async fn get_jwks(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let keys = state.auth.keys(&state.db).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("cache-control", "public, max-age=300"))
        .json(keys.jwks()))
}
