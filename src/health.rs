//! Liveness, readiness, metrics exposition and the catch-all 404.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, get, web};
use secrecy::ExposeSecret as _;
use serde::Serialize;

use crate::app::AppState;
use crate::database;
use crate::error::{AppError, Code};

const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Serialize, utoipa::ToSchema)]
struct Liveness {
    status: &'static str,
}

/// Liveness: the process serves HTTP. Dependencies are `/ready`'s business.
#[utoipa::path(
    tag = "health",
    security(()),
    responses((status = 200, description = "The process serves HTTP", body = Liveness)),
)]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Liveness { status: "ok" })
}

#[derive(Serialize, utoipa::ToSchema)]
struct ComponentStatus {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    latency_ms: Option<f64>,
    /// A remote model server's circuit breaker: closed, open or half_open.
    #[serde(skip_serializing_if = "Option::is_none")]
    circuit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct Readiness {
    /// `ok`, or `unavailable` when a component is down.
    status: &'static str,
    #[schema(value_type = BTreeMap<String, ComponentStatus>)]
    components: BTreeMap<&'static str, ComponentStatus>,
}

async fn check<F>(probe: F) -> ComponentStatus
where
    F: Future<Output = anyhow::Result<()>>,
{
    let started = Instant::now();
    let result = probe.await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(()) => ComponentStatus {
            status: "ok",
            latency_ms: Some(latency_ms),
            circuit: None,
            error: None,
        },
        Err(err) => {
            tracing::warn!(error = format!("{err:#}"), "readiness check failed");
            ComponentStatus {
                status: "down",
                latency_ms: Some(latency_ms),
                circuit: None,
                error: Some(format!("{err:#}")),
            }
        }
    }
}

/// Readiness: every dependency answers; 503 with a per-component body when one is down. A
/// degraded component (a model server behind an open circuit breaker) shows here but keeps
/// the instance ready: tickets and sign-in still work, and every replica shares that server.
#[utoipa::path(
    tag = "health",
    security(()),
    responses(
        (status = 200, description = "Every dependency answers", body = Readiness),
        (status = 503, description = "A dependency is down", body = Readiness),
    ),
)]
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let mut components = BTreeMap::new();
    components.insert(
        "database",
        check(database::ping(
            &state.db,
            state.settings.database_url().expose_secret(),
            CHECK_TIMEOUT,
        ))
        .await,
    );
    let llm = state.llm.health();
    components.insert(
        "llm",
        ComponentStatus {
            status: llm.status,
            latency_ms: None,
            circuit: llm.circuit,
            error: llm.error,
        },
    );
    let all_up = components.values().all(|c| c.status != "down");
    let body = Readiness {
        status: if all_up { "ok" } else { "unavailable" },
        components,
    };
    if all_up {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// `/metrics` on the main port: route names, tenants' traffic and model figures are
/// operators' business, so it answers only the configured token, and not at all where a
/// separate listener serves it (or nothing is configured).
#[utoipa::path(
    tag = "health",
    security(("metrics_token" = [])),
    responses(
        (status = 200, description = "Prometheus text exposition", content_type = "text/plain; version=0.0.4", body = String),
        (status = 404, description = "Not served on this port (a separate listener, or no token configured)"),
    ),
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let server = &state.settings.server;
    match &server.metrics_token {
        Some(token) if server.metrics_listen.is_none() => {
            check_metrics_token(&req, token)?;
            exposition(&state).await
        }
        _ => Err(AppError::NotFound(
            Code::RouteNotFound,
            "metrics are not served on this port (see server.metrics_token and \
             server.metrics_listen)"
                .into(),
        )),
    }
}

/// `/metrics` on the separate metrics listener: the token too, when one is set.
pub async fn metrics_listener(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if let Some(token) = &state.settings.server.metrics_token {
        check_metrics_token(&req, token)?;
    }
    exposition(&state).await
}

fn check_metrics_token(req: &HttpRequest, token: &secrecy::SecretString) -> Result<(), AppError> {
    use sha2::Digest as _;
    let sent = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Equal digests, compared whole: no early exit that times the token out byte by byte.
    let digest = |s: &str| sha2::Sha256::digest(s.as_bytes());
    if digest(sent) == digest(token.expose_secret()) {
        Ok(())
    } else {
        Err(AppError::Unauthorized(
            Code::InvalidMetricsToken,
            "send the metrics token as a bearer token".into(),
        ))
    }
}

async fn exposition(state: &AppState) -> Result<HttpResponse, AppError> {
    // Refreshes `knowledge_ready` (probed at most every ten seconds), so an alert on it
    // does not depend on anyone calling a readiness route.
    state.knowledge.ready_cached().await;
    let text = state.metrics.render()?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}

pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound(
        Code::RouteNotFound,
        format!("no route for {} {}", req.method(), req.path()),
    ))
}
