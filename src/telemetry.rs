//! Logging, request ids and HTTP metrics.

use std::io::IsTerminal as _;
use std::sync::Arc;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use tracing::Instrument as _;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::{LogFormat, LogSettings};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_REQUEST_ID_LEN: usize = 128;

tokio::task_local! {
    // Lets error bodies quote the request id without threading the request through.
    static REQUEST_ID: String;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Installs the global subscriber once; later calls are no-ops (tests build many apps).
pub fn init_tracing(settings: &LogSettings) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.level));
    let json = match settings.format {
        LogFormat::Json => true,
        LogFormat::Pretty => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let registry = tracing_subscriber::registry().with(filter);
    let result = if json {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(RedactingStderr),
            )
            .try_init()
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_writer(RedactingStderr))
            .try_init()
    };
    // Already installed: keep the first one.
    drop(result);
}

/// Log lines leave the process redacted, whatever a message or a field quotes (an error
/// that echoes a customer's text, a webhook's cause).
struct RedactingStderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for RedactingStderr {
    type Writer = RedactedLine;

    fn make_writer(&'a self) -> RedactedLine {
        RedactedLine(Vec::with_capacity(256))
    }
}

/// One formatted event, written to stderr redacted when the formatter is done with it.
struct RedactedLine(Vec<u8>);

impl std::io::Write for RedactedLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for RedactedLine {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let line = String::from_utf8_lossy(&self.0);
        let out = redact_line(&line);
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), out.as_bytes());
    }
}

/// A log line without personal data. A JSON line stays valid JSON: only its strings are
/// redacted (numbers are the service's own measurements), and a line with nothing to
/// redact is written as it came.
fn redact_line(line: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(line.trim_end()) {
        Ok(mut value) if value.is_object() => {
            let mut scope = crate::redaction::Pseudonyms::default();
            if redact_strings(&mut value, &mut scope) {
                format!("{value}\n")
            } else {
                line.to_owned()
            }
        }
        _ => crate::redaction::redact(line).text,
    }
}

/// Redacts every string in `value`; whether any changed.
fn redact_strings(value: &mut serde_json::Value, scope: &mut crate::redaction::Pseudonyms) -> bool {
    match value {
        serde_json::Value::String(text) => {
            let redacted = scope.redact(text);
            let changed = redacted.replaced > 0;
            if changed {
                *text = redacted.text;
            }
            changed
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| redact_strings(v, scope) | changed),
        serde_json::Value::Object(fields) => fields
            .values_mut()
            .fold(false, |changed, v| redact_strings(v, scope) | changed),
        _ => false,
    }
}

/// The process's metrics, registered in one registry that `/metrics` renders.
pub struct Metrics {
    registry: Registry,
    http_requests_total: IntCounterVec,
    http_request_duration_seconds: HistogramVec,
}

impl Metrics {
    pub fn new() -> anyhow::Result<Self> {
        let registry = Registry::new();
        let labels = ["route", "method", "status"];
        let http_requests_total = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests served"),
            &labels,
        )?;
        let http_request_duration_seconds = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time from request to response headers",
            )
            .buckets(vec![
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
            &labels,
        )?;
        registry.register(Box::new(http_requests_total.clone()))?;
        registry.register(Box::new(http_request_duration_seconds.clone()))?;
        Ok(Self {
            registry,
            http_requests_total,
            http_request_duration_seconds,
        })
    }

    /// Where domain modules register their own collectors.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The Prometheus text exposition of every registered metric.
    pub fn render(&self) -> anyhow::Result<String> {
        let mut out = String::new();
        prometheus::TextEncoder::new().encode_utf8(&self.registry.gather(), &mut out)?;
        Ok(out)
    }

    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [route, method, status.as_str()];
        self.http_requests_total.with_label_values(&labels).inc();
        self.http_request_duration_seconds
            .with_label_values(&labels)
            .observe(seconds);
    }
}

fn request_id_from(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= MAX_REQUEST_ID_LEN
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Middleware: request id (echoed or minted), a root span, metrics by route template, and one
/// log line per request.
/// The method as a metric label: an extension method a client invents is `OTHER`, so
/// that nobody can mint label values.
fn bounded_method(method: &actix_web::http::Method) -> &'static str {
    use actix_web::http::Method as M;
    match *method {
        M::GET => "GET",
        M::HEAD => "HEAD",
        M::POST => "POST",
        M::PUT => "PUT",
        M::PATCH => "PATCH",
        M::DELETE => "DELETE",
        M::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

pub async fn observe_request(
    metrics: Arc<Metrics>,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = request_id_from(&req);
    let method = bounded_method(req.method()).to_owned();
    let span = tracing::info_span!(
        "http_request",
        request_id = %request_id,
        method = %method,
        route = tracing::field::Empty,
        tenant = tracing::field::Empty,
        role = tracing::field::Empty,
    );
    // Resolved before routing only for the error path: cloning the request here would
    // break routing, which needs it unshared.
    let route_before = req.match_pattern();
    let started = Instant::now();
    let outcome = REQUEST_ID
        .scope(
            request_id.clone(),
            async move {
                match next.call(req).await {
                    Ok(response) => Ok(response.map_into_boxed_body()),
                    // Rendered here so the problem body can quote the request id.
                    Err(err) => Err((err.error_response(), err.to_string())),
                }
            }
            .instrument(span.clone()),
        )
        .await;
    let elapsed = started.elapsed();
    let header = HeaderValue::from_str(&request_id).ok();
    // Route templates, not raw paths, keep label cardinality bounded.
    let (route, status, result) = match outcome {
        Ok(mut response) => {
            if let Some(value) = header {
                response.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            let route = response.request().match_pattern();
            (route, response.status().as_u16(), Ok(response))
        }
        Err((mut response, message)) => {
            if let Some(value) = header {
                response.headers_mut().insert(REQUEST_ID_HEADER, value);
            }
            let status = response.status().as_u16();
            let err = InternalError::from_response(message, response);
            (route_before, status, Err(err.into()))
        }
    };
    let route = route.unwrap_or_else(|| "unmatched".to_owned());
    span.record("route", route.as_str());
    metrics.observe(&route, &method, status, elapsed.as_secs_f64());
    span.in_scope(|| {
        let millis = elapsed.as_secs_f64() * 1000.0;
        if status >= 500 {
            tracing::warn!(status, latency_ms = millis, "request failed");
        } else if route == "/health" || route == "/metrics" {
            tracing::debug!(status, latency_ms = millis, "request served");
        } else {
            tracing::info!(status, latency_ms = millis, "request served");
        }
    });
    result
}

#[cfg(test)]
mod tests {
    use super::redact_line;

    #[test]
    fn json_log_lines_stay_json_and_lose_only_personal_data() {
        let line = r#"{"message":"mail jane.roe@example.com","tokens_per_second":45.604338474779395,"bytes":123456789}"#;
        let out = redact_line(&format!("{line}\n"));
        let value: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
        assert_eq!(value["message"], "mail [EMAIL_1]");
        assert!(value["tokens_per_second"].is_f64(), "{out}");
        assert_eq!(value["bytes"], 123456789);
        let clean = "{\"message\":\"listening\",\"port\":8080}\n";
        assert_eq!(redact_line(clean), clean);
        assert_eq!(redact_line("plain a@b.io line\n"), "plain [EMAIL_1] line\n");
    }
}
