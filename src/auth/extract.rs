//! `AuthUser`: the verified caller. Tenant identity comes only from here — never from a
//! header, a path or a body.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;

use super::tokens::verify_access_token;
use crate::app::AppState;
use crate::error::AppError;
use crate::tenancy::{Role, TenantId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuthUser {
    pub tenant: TenantId,
    pub user: UserId,
    pub role: Role,
}

fn bearer(req: &HttpRequest) -> Result<String, AppError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| AppError::Unauthorized("missing bearer token".into()))?
        .to_str()
        .map_err(|_| AppError::Unauthorized("malformed authorization header".into()))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| AppError::Unauthorized("malformed authorization header".into()))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AppError::Unauthorized("expected a bearer token".into()));
    }
    Ok(token.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let token = token?;
            let state =
                state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
            let keys = state.auth.keys(&state.db).await?;
            let claims = verify_access_token(&keys, &state.auth.settings, &token)?;
            let user = uuid::Uuid::parse_str(&claims.sub)
                .map_err(|_| AppError::Unauthorized("invalid token subject".into()))?;
            Ok(AuthUser {
                tenant: TenantId(claims.tenant_id),
                user: UserId(user),
                role: claims.role,
            })
        })
    }
}
