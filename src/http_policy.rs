//! Headers every response carries, and who may frame or call what from another origin:
//! - `X-Content-Type-Options: nosniff` and `Referrer-Policy` everywhere;
//! - a Content-Security-Policy on the web app's pages (scripts and styles from this origin
//!   only), and `default-src 'none'` on everything else;
//! - the visitor chat (`/chat/{tenant}`) may be framed by this origin and the tenant's
//!   `allowed_origins`, every other page by nobody (clickjacking of the console and admin);
//! - CORS on the tenant-scoped public endpoints (`/api/v1/tenants/{tenant}/…`: theme,
//!   visitor token) for the tenant's `allowed_origins`, so that a widget of the tenant's
//!   own making can start a chat from its site;
//! - HEAD on every path that takes GET, but the two streams;
//! - no control characters in a query string's names and values (422 `validation_failed`
//!   naming the parameter): a NUL in a filter fails the query on PostgreSQL, where SQLite
//!   quietly matches nothing, so it is refused alike before any handler reads it.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError as _, web};

use crate::app::AppState;
use crate::error::{AppError, Code};
use crate::tenancy::{self, TenantSlug};
use crate::validation::has_control_characters;

/// The web app's pages: everything from this origin, nothing inline, no plugins.
const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'";

/// JSON and everything else: nothing to run, nothing to frame.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The slug of the tenant a path belongs to, for the two kinds of path that have one.
fn tenant_of(path: &str) -> Option<(&str, Scope)> {
    if let Some(rest) = path.strip_prefix("/chat/") {
        let slug = rest.split('/').next()?;
        return Some((slug, Scope::ChatPage));
    }
    let rest = path.strip_prefix("/api/v1/tenants/")?;
    let (slug, tail) = rest.split_once('/')?;
    (!tail.is_empty()).then_some((slug, Scope::PublicApi))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    ChatPage,
    PublicApi,
}

/// The origins a tenant allows; none when the tenant does not exist.
async fn allowed_origins(state: &AppState, slug: &str) -> Vec<String> {
    let Ok(slug) = TenantSlug::parse(slug) else {
        return Vec::new();
    };
    match tenancy::find_tenant_by_slug(&state.db, &slug).await {
        Ok(Some(tenant)) => {
            tenancy::allowed_origins(&tenancy::TenantSettings::of(&tenant.settings))
        }
        Ok(None) => Vec::new(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read a tenant's allowed origins");
            Vec::new()
        }
    }
}

/// The first query parameter whose name or value holds a control character.
fn parameter_with_control_characters(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, value)| has_control_characters(name) || has_control_characters(value))
        .map(|(name, _)| name.chars().filter(|c| !c.is_control()).collect())
}

pub async fn apply(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if let Some(name) = parameter_with_control_characters(req.query_string()) {
        let mut response = AppError::validation(
            &name,
            "control_characters",
            format!("{name} contains control characters"),
        )
        .error_response();
        add_common(response.headers_mut(), false, None);
        return Ok(req.into_response(response));
    }
    let path = req.path().to_owned();
    // HEAD is GET without the body (RFC 9110), but actix-web routes a `#[get]` handler for
    // GET only. So a HEAD to a path that serves it is routed as GET; the protocol layer
    // noted the request as HEAD when it read it, and sends the headers without the body.
    if req.method() == Method::HEAD
        && crate::openapi::methods_at(&path).is_some_and(|allow| allow.contains(&"HEAD"))
    {
        req.head_mut().method = Method::GET;
    }
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let scope = tenant_of(&path);
    let allowed = match (scope, req.app_data::<web::Data<AppState>>()) {
        (Some((slug, _)), Some(state)) => allowed_origins(state, slug).await,
        _ => Vec::new(),
    };
    let cors_origin = match (scope, &origin) {
        (Some((_, Scope::PublicApi)), Some(origin)) if allowed.contains(origin) => {
            HeaderValue::from_str(origin).ok()
        }
        _ => None,
    };

    // A CORS preflight is answered here: no route takes OPTIONS.
    if req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        let mut response = match &cors_origin {
            Some(origin) => {
                let mut ok = HttpResponse::NoContent();
                ok.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone()))
                    .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"))
                    .insert_header((
                        header::ACCESS_CONTROL_ALLOW_HEADERS,
                        "authorization, content-type",
                    ))
                    .insert_header((header::ACCESS_CONTROL_MAX_AGE, "600"));
                ok.finish()
            }
            None => AppError::Forbidden(
                Code::OriginForbidden,
                "this origin may not call this tenant's API".into(),
            )
            .error_response(),
        };
        add_common(response.headers_mut(), false, None);
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("Origin"));
        return Ok(req.into_response(response));
    }

    let mut response = next.call(req).await?.map_into_boxed_body();
    // A 304 updates the headers a cache stored with the 200: it has no content type to
    // judge by, and leaving the policy out keeps the page's own.
    let revalidated = response.status() == actix_web::http::StatusCode::NOT_MODIFIED;
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let framers = match scope {
        Some((_, Scope::ChatPage)) => Some(allowed.as_slice()),
        _ => None,
    };
    let headers = response.headers_mut();
    if revalidated {
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    } else {
        add_common(headers, is_page, framers);
    }
    if let Some(origin) = cors_origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    Ok(response)
}

/// `framers`: who may frame this page besides this origin (the chat page); `None` for
/// pages nobody may frame.
fn add_common(
    headers: &mut actix_web::http::header::HeaderMap,
    is_page: bool,
    framers: Option<&[String]>,
) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    let policy = if is_page {
        let ancestors = match framers {
            Some(origins) => {
                let mut list = String::from("'self'");
                for origin in origins {
                    list.push(' ');
                    list.push_str(origin);
                }
                list
            }
            None => "'none'".to_owned(),
        };
        format!("{PAGE_POLICY}; frame-ancestors {ancestors}")
    } else {
        API_POLICY.to_owned()
    };
    if framers.is_none() {
        // For browsers that predate frame-ancestors.
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_with_control_characters_names_its_parameter() {
        let named = parameter_with_control_characters;
        assert_eq!(named("queue=a%00b"), Some("queue".to_owned()));
        assert_eq!(named("q=fine&actor=%1B%5B2J"), Some("actor".to_owned()));
        assert_eq!(named("a%00b=1"), Some("ab".to_owned()));
        assert_eq!(named("q=two+words%0Aand%09a+tab&k=3"), None);
        assert_eq!(named(""), None);
    }

    #[test]
    fn only_chat_pages_and_tenant_endpoints_have_a_tenant() {
        assert!(matches!(
            tenant_of("/chat/acme"),
            Some(("acme", Scope::ChatPage))
        ));
        assert!(matches!(
            tenant_of("/api/v1/tenants/acme/visitor-token"),
            Some(("acme", Scope::PublicApi))
        ));
        assert!(tenant_of("/api/v1/tenants").is_none());
        assert!(tenant_of("/api/v1/tenants/acme").is_none());
        assert!(tenant_of("/console").is_none());
    }
}
