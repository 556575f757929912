//! `AuthUser`: the verified caller. Tenant identity comes only from here — never from a
//! header, a path or a body.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Serialize;

use super::authz::{Action, Resource};
use super::external::unverified_issuer;
use super::tokens::{Claims, TokenRole, verify_access_token};
use crate::app::AppState;
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::tenancy::{TenantId, UserId};

/// A caller's role inside its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallerRole {
    Admin,
    Agent,
    Customer,
    /// An anonymous visitor of the public chat; `AuthUser::user` is the visitor's id.
    Visitor,
}

impl CallerRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Agent => "agent",
            Self::Customer => "customer",
            Self::Visitor => "visitor",
        }
    }

    pub fn is_staff(self) -> bool {
        matches!(self, Self::Admin | Self::Agent)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AuthUser {
    pub tenant: TenantId,
    pub user: UserId,
    pub role: CallerRole,
}

impl AuthUser {
    /// The caller as the audit log names them.
    pub fn actor(&self) -> crate::ids::Actor {
        match self.role {
            CallerRole::Visitor => crate::ids::Actor::Visitor(self.user.0),
            _ => crate::ids::Actor::User(self.user.0),
        }
    }
}

/// A platform operator: creates tenants, belongs to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformOperator {
    pub subject: String,
}

/// The bearer token of the `Authorization` header.
pub fn bearer(req: &HttpRequest) -> Result<String, AppError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| AppError::Unauthorized(Code::MissingToken, "missing bearer token".into()))?
        .to_str()
        .map_err(|_| {
            AppError::Unauthorized(Code::InvalidToken, "malformed authorization header".into())
        })?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| {
        AppError::Unauthorized(Code::InvalidToken, "malformed authorization header".into())
    })?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AppError::Unauthorized(
            Code::InvalidToken,
            "expected a bearer token".into(),
        ));
    }
    Ok(token.trim().to_owned())
}

/// The bearer token of a request from the `Authorization` header, or else from the
/// `access_token` query parameter: browsers cannot set headers on a WebSocket handshake or
/// an `EventSource`.
pub fn bearer_or_query(
    req: &HttpRequest,
    access_token: Option<String>,
) -> Result<String, AppError> {
    if req.headers().contains_key(header::AUTHORIZATION) {
        return bearer(req);
    }
    access_token.ok_or_else(|| {
        AppError::Unauthorized(
            Code::MissingToken,
            "missing bearer token (header or access_token)".into(),
        )
    })
}

/// The verified claims of the request's bearer token, as a future that owns what it needs.
fn request_claims(req: &HttpRequest) -> impl Future<Output = Result<Claims, AppError>> + 'static {
    let token = bearer(req);
    let state = req.app_data::<web::Data<AppState>>().cloned();
    verified_claims(token, state)
}

#[tracing::instrument(name = "auth.verify", skip_all, fields(tenant = tracing::field::Empty))]
async fn verified_claims(
    token: Result<String, AppError>,
    state: Option<web::Data<AppState>>,
) -> Result<Claims, AppError> {
    let claims = verify(token?, state).await?;
    if let Some(tenant) = claims.tenant_id {
        tracing::Span::current().record("tenant", tracing::field::display(tenant));
    }
    Ok(claims)
}

async fn verify(token: String, state: Option<web::Data<AppState>>) -> Result<Claims, AppError> {
    let state = state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
    let issuer = unverified_issuer(&token);
    if let Some(trusted) = issuer
        .as_deref()
        .filter(|iss| *iss != state.auth.settings.issuer)
        .and_then(|iss| state.auth.external.trusts(iss))
    {
        return state.auth.external.verify(&state.db, trusted, &token).await;
    }
    let kid = jsonwebtoken::decode_header(&token)
        .ok()
        .and_then(|header| header.kid)
        .unwrap_or_default();
    let keys = state.auth.keys_knowing(&state.db, &kid).await?;
    verify_access_token(&keys, &state.auth.settings, &token)
}

/// A long-lived connection's caller (a chat socket, a ticket feed) and when its token
/// expires: the connection asks [`Session::still_valid`] while it stays open.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    pub caller: AuthUser,
    expires_at: i64,
}

impl Session {
    pub async fn from_token(state: web::Data<AppState>, token: String) -> Result<Self, AppError> {
        let claims = verified_claims(Ok(token), Some(state)).await?;
        let expires_at = claims.exp;
        Ok(Self {
            caller: AuthUser::from_claims(claims)?,
            expires_at,
        })
    }

    /// The token has not expired, and its user (unless an anonymous visitor, who has no
    /// account) still exists and is not disabled. A database error counts as valid: a
    /// blip must not drop every connection.
    pub async fn still_valid(&self, db: &sea_orm::DatabaseConnection) -> bool {
        if chrono::Utc::now().timestamp() >= self.expires_at {
            return false;
        }
        if self.caller.role == CallerRole::Visitor {
            return true;
        }
        TenantTx::run(db, self.caller.tenant, async |tx| {
            crate::tenancy::user_is_active(tx, self.caller.user).await
        })
        .await
        .unwrap_or(true)
    }
}

impl AuthUser {
    /// The caller a bearer token stands for, when it does not arrive in the
    /// `Authorization` header (a browser cannot set headers on a WebSocket handshake).
    pub async fn from_token(state: web::Data<AppState>, token: String) -> Result<Self, AppError> {
        Self::from_claims(verified_claims(Ok(token), Some(state)).await?)
    }

    fn from_claims(claims: Claims) -> Result<Self, AppError> {
        let role = match claims.role {
            TokenRole::Admin => CallerRole::Admin,
            TokenRole::Agent => CallerRole::Agent,
            TokenRole::Customer => CallerRole::Customer,
            TokenRole::Visitor => CallerRole::Visitor,
            TokenRole::Operator => {
                return Err(AppError::Forbidden(
                    Code::TenantTokenRequired,
                    "operator tokens act on the platform, not inside a tenant".into(),
                ));
            }
        };
        let tenant = claims.tenant_id.ok_or_else(|| {
            AppError::Unauthorized(Code::InvalidToken, "token names no tenant".into())
        })?;
        let user = uuid::Uuid::parse_str(&claims.sub).map_err(|_| {
            AppError::Unauthorized(Code::InvalidToken, "invalid token subject".into())
        })?;
        // The request's root span says whose request it is from here on, so every log
        // line of the request carries the tenant.
        let span = tracing::Span::current();
        span.record("tenant", tracing::field::display(tenant));
        span.record("role", role.as_str());
        crate::telemetry::record_tenant(&tenant.to_string());
        Ok(AuthUser {
            tenant: TenantId(tenant),
            user: UserId(user),
            role,
        })
    }
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let claims = request_claims(req);
        Box::pin(async move { Self::from_claims(claims.await?) })
    }
}

impl FromRequest for PlatformOperator {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let claims = request_claims(req);
        Box::pin(async move {
            let claims = claims.await?;
            if claims.role != TokenRole::Operator {
                return Err(AppError::Forbidden(
                    Code::OperatorOnly,
                    "only a platform operator may do this".into(),
                ));
            }
            Ok(PlatformOperator {
                subject: claims.sub,
            })
        })
    }
}

/// A permission a route declares: what it does to which resource.
pub trait Permission {
    const RESOURCE: Resource;
    const ACTION: Action;
}

/// Declares the permissions routes ask for, one marker type each.
macro_rules! permissions {
    ($($name:ident = ($resource:ident, $action:ident);)*) => {
        $(
            #[derive(Debug)]
            pub struct $name;

            impl super::Permission for $name {
                const RESOURCE: super::Resource = super::Resource::$resource;
                const ACTION: super::Action = super::Action::$action;
            }
        )*
    };
}

/// The permissions routes declare: `Authorized<can::CreateTickets>` in a handler's
/// arguments is the whole authorisation preamble.
pub mod can {
    permissions! {
        CreateTickets = (Tickets, Create);
        ListTickets = (Tickets, List);
        ReadTickets = (Tickets, Read);
        UpdateTickets = (Tickets, Update);
        CreateComments = (TicketComments, Create);
        ListComments = (TicketComments, List);
        CreateUsers = (Users, Create);
        ListUsers = (Users, List);
        ReadUsers = (Users, Read);
        UpdateUsers = (Users, Update);
        DeleteUsers = (Users, Delete);
        CreateDocuments = (Documents, Create);
        ListDocuments = (Documents, List);
        ReadDocuments = (Documents, Read);
        DeleteDocuments = (Documents, Delete);
        CreateChat = (Chat, Create);
        ReadChat = (Chat, Read);
        ReadTenantSettings = (TenantSettings, Read);
        UpdateTenantSettings = (TenantSettings, Update);
        ReadSources = (Sources, Read);
        CreateLlm = (Llm, Create);
        ReadLlm = (Llm, Read);
        ListAudit = (Audit, List);
        ReadUsage = (Usage, Read);
        ReadPeople = (People, Read);
        DeletePeople = (People, Delete);
        ListCannedReplies = (CannedReplies, List);
        CreateCannedReplies = (CannedReplies, Create);
        UpdateCannedReplies = (CannedReplies, Update);
        DeleteCannedReplies = (CannedReplies, Delete);
        ListMacros = (Macros, List);
        CreateMacros = (Macros, Create);
        UpdateMacros = (Macros, Update);
        DeleteMacros = (Macros, Delete);
        ReadReports = (Reports, Read);
    }
}

/// The caller, once the policy allows them `P`: 401 without a valid token, 403 when the
/// role may not. Dereferences to the [`AuthUser`].
#[derive(Debug, Clone, Copy)]
pub struct Authorized<P> {
    pub caller: AuthUser,
    permission: std::marker::PhantomData<P>,
}

impl<P> std::ops::Deref for Authorized<P> {
    type Target = AuthUser;

    fn deref(&self) -> &AuthUser {
        &self.caller
    }
}

impl<P: Permission + 'static> FromRequest for Authorized<P> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = AuthUser::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let caller = caller.await?;
            let state =
                state.ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))?;
            state.authz.require(&caller, P::RESOURCE, P::ACTION)?;
            Ok(Self {
                caller,
                permission: std::marker::PhantomData,
            })
        })
    }
}
