//! Logging, request and trace ids, OpenTelemetry traces and HTTP metrics.

use std::io::IsTerminal as _;
use std::sync::{Arc, LazyLock, OnceLock};
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use opentelemetry::KeyValue;
use opentelemetry::propagation::{Extractor, TextMapPropagator as _};
use opentelemetry::trace::{Span as _, TraceContextExt as _, TraceId, TracerProvider as _};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracerProvider, SpanData, SpanProcessor};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use tracing::Instrument as _;
use tracing_opentelemetry::OpenTelemetrySpanExt as _;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::{LogFormat, LogSettings, TelemetrySettings};

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");
const MAX_REQUEST_ID_LEN: usize = 128;

/// What every span, log line and error body of one request names: its request id, its
/// trace id and, once the token is verified, its tenant.
struct RequestScope {
    id: String,
    trace_id: String,
    tenant: OnceLock<String>,
}

tokio::task_local! {
    // Lets error bodies, log lines and spans quote the request without threading it through.
    static REQUEST: Arc<RequestScope>;
}

/// The id of the request being served on this task, if any.
pub fn current_request_id() -> Option<String> {
    REQUEST.try_with(|scope| scope.id.clone()).ok()
}

/// The W3C trace id of the request being served on this task, if any: the caller's when it
/// sent a `traceparent`, else a new one.
pub fn current_trace_id() -> Option<String> {
    REQUEST.try_with(|scope| scope.trace_id.clone()).ok()
}

/// `work`, run in the current request's scope and span wherever it is polled: a streamed
/// body is polled after its handler has returned, outside both, and its log lines and
/// error events must still name the request.
pub fn within_request<F: Future>(work: F) -> impl Future<Output = F::Output> {
    let span = tracing::Span::current();
    let scope = REQUEST.try_with(Arc::clone).ok();
    async move {
        match scope {
            Some(scope) => REQUEST.scope(scope, work.instrument(span)).await,
            None => work.instrument(span).await,
        }
    }
}

/// Records the verified tenant of the request being served on this task.
pub fn record_tenant(tenant: &str) {
    let _ = REQUEST.try_with(|scope| scope.tenant.set(tenant.to_owned()));
}

/// The exporting tracer provider, kept to flush it at shutdown.
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// Installs the global subscriber once; later calls are no-ops (tests build many apps).
/// With `telemetry.otlp_endpoint` set, spans also go out over OTLP/HTTP.
pub fn init_tracing(settings: &LogSettings, telemetry: &TelemetrySettings) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.level));
    let json = match settings.format {
        LogFormat::Json => true,
        LogFormat::Pretty => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let (otel, otel_error) = match telemetry.otlp_endpoint.as_deref() {
        Some(endpoint) if PROVIDER.get().is_none() => {
            match tracer_provider(endpoint, &telemetry.service_name) {
                Ok(provider) => {
                    let tracer = provider.tracer("helpdesk");
                    let _ = PROVIDER.set(provider);
                    (
                        Some(tracing_opentelemetry::layer().with_tracer(tracer)),
                        None,
                    )
                }
                Err(e) => (None, Some(format!("{e:#}"))),
            }
        }
        _ => (None, None),
    };
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(ClientFaults)
        .with(otel);
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
    if let Some(error) = otel_error {
        tracing::error!(
            error,
            "traces are not exported: the OTLP exporter cannot be built"
        );
    } else if let Some(endpoint) = &telemetry.otlp_endpoint {
        tracing::info!(endpoint = %endpoint, "exporting traces over OTLP/HTTP");
    }
}

/// actix-http logs every connection it drops at ERROR, including those a client broke: a
/// malformed request line or header, a request too slow to arrive, a reset. It has already
/// answered them (400, 408) or the client is gone, so at ERROR they only let a scanner fill
/// the error log and page whoever alerts on it. This layer drops those events and counts
/// them in `http_connections_dropped_total{cause}` instead (an event cannot be logged again
/// from inside the subscriber: tracing drops events dispatched while one is being
/// dispatched); the dispatcher's other errors keep their level.
struct ClientFaults;

const DISPATCHER: &str = "actix_http::h1::dispatcher";

/// How actix-http's `DispatchError` displays the causes that come from the client's side,
/// and the `cause` label each is counted under.
const CLIENT_CAUSES: [(&str, &str); 4] = [
    ("request parse error", "malformed"),
    ("request did not complete", "timeout"),
    ("connection shutdown timeout", "timeout"),
    ("I/O error", "io"),
];

/// Process-wide, as the subscriber is: every app's registry shows the same counter.
static CONNECTIONS_DROPPED: LazyLock<Option<IntCounterVec>> = LazyLock::new(|| {
    IntCounterVec::new(
        Opts::new(
            "http_connections_dropped_total",
            "Connections closed on a client's fault before a request was served",
        ),
        &["cause"],
    )
    .ok()
});

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for ClientFaults {
    fn event_enabled(
        &self,
        event: &tracing::Event<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) -> bool {
        let meta = event.metadata();
        if meta.target() != DISPATCHER || *meta.level() != tracing::Level::ERROR {
            return true;
        }
        let mut message = MessageText::default();
        event.record(&mut message);
        let Some(cause) = message.0.strip_prefix("stream error: ") else {
            return true;
        };
        let Some((_, label)) = CLIENT_CAUSES.iter().find(|(c, _)| cause.starts_with(c)) else {
            return true;
        };
        if let Some(counter) = CONNECTIONS_DROPPED.as_ref() {
            counter.with_label_values(&[label]).inc();
        }
        false
    }
}

#[derive(Default)]
struct MessageText(String);

impl tracing::field::Visit for MessageText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

fn tracer_provider(endpoint: &str, service: &str) -> anyhow::Result<SdkTracerProvider> {
    use opentelemetry_otlp::{Protocol, WithExportConfig as _};
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(format!("{}/v1/traces", endpoint.trim_end_matches('/')))
        .with_timeout(Duration::from_secs(10))
        .build()?;
    Ok(SdkTracerProvider::builder()
        .with_span_processor(RequestAttributes)
        .with_batch_exporter(exporter)
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name(service.to_owned())
                .build(),
        )
        .build())
}

/// Exports the spans not yet sent; `main` calls it once the command has finished.
pub fn shutdown_tracing() {
    if let Some(provider) = PROVIDER.get()
        && let Err(e) = provider.shutdown()
    {
        tracing::warn!(error = %e, "the last traces could not be exported");
    }
}

/// Gives every span started while a request is served that request's id and tenant, so a
/// trace backend can find a request's spans by either (a span's own `tenant` field wins).
#[derive(Debug)]
struct RequestAttributes;

impl SpanProcessor for RequestAttributes {
    fn on_start(&self, span: &mut opentelemetry_sdk::trace::Span, _: &opentelemetry::Context) {
        let Ok((id, tenant)) =
            REQUEST.try_with(|scope| (scope.id.clone(), scope.tenant.get().cloned()))
        else {
            return;
        };
        span.set_attribute(KeyValue::new("request_id", id));
        let has_tenant = span
            .exported_data()
            .is_some_and(|data| data.attributes.iter().any(|kv| kv.key.as_str() == "tenant"));
        if let Some(tenant) = tenant.filter(|_| !has_tenant) {
            span.set_attribute(KeyValue::new("tenant", tenant));
        }
    }

    fn on_end(&self, _: SpanData) {}

    fn force_flush(&self) -> opentelemetry_sdk::error::OTelSdkResult {
        Ok(())
    }

    fn shutdown_with_timeout(&self, _: Duration) -> opentelemetry_sdk::error::OTelSdkResult {
        Ok(())
    }
}

/// A W3C `traceparent` (and `tracestate`) read from the request's headers.
struct HeaderExtractor<'a>(&'a actix_web::http::header::HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}

/// Makes `span` a child of the caller's span when the request carries a valid
/// `traceparent`, and returns the trace id the request's logs and errors quote: the
/// exported span's, else the caller's, else a new one.
fn join_trace(span: &tracing::Span, headers: &actix_web::http::header::HeaderMap) -> String {
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(headers));
    let callers = parent.span().span_context().trace_id();
    // Fails only when no OpenTelemetry layer is installed: then there is nothing to join.
    let _ = span.set_parent(parent);
    let exported = span.context().span().span_context().trace_id();
    [exported, callers]
        .into_iter()
        .find(|id| *id != TraceId::INVALID)
        .unwrap_or_else(|| TraceId::from_bytes(*uuid::Uuid::new_v4().as_bytes()))
        .to_string()
}

/// Log lines leave the process redacted, whatever a message or a field quotes (an error
/// that echoes a customer's text, a webhook's cause).
struct RedactingStderr;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for RedactingStderr {
    type Writer = RedactedLine;

    fn make_writer(&'a self) -> RedactedLine {
        // The event is being formatted on the task that emitted it: its request's ids.
        let ids = REQUEST
            .try_with(|scope| (scope.id.clone(), scope.trace_id.clone()))
            .ok();
        RedactedLine(Vec::with_capacity(256), ids)
    }
}

/// One formatted event, written to stderr redacted (and with its request's ids) when the
/// formatter is done with it.
struct RedactedLine(Vec<u8>, Option<(String, String)>);

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
        let out = redact_line(&line, self.1.as_ref());
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), out.as_bytes());
    }
}

/// A log line without personal data, naming the request it was written for (`ids`: its
/// request id and trace id). A JSON line stays valid JSON: only its strings are redacted
/// (numbers are the service's own measurements), and a line with nothing to redact or add
/// is written as it came.
fn redact_line(line: &str, ids: Option<&(String, String)>) -> String {
    match serde_json::from_str::<serde_json::Value>(line.trim_end()) {
        Ok(mut value) if value.is_object() => {
            let mut scope = crate::redaction::Pseudonyms::default();
            let mut changed = redact_strings(&mut value, &mut scope);
            if let (Some((request_id, trace_id)), Some(fields)) = (ids, value.as_object_mut()) {
                for (key, id) in [("request_id", request_id), ("trace_id", trace_id)] {
                    if !fields.contains_key(key) {
                        fields.insert(key.into(), id.clone().into());
                        changed = true;
                    }
                }
            }
            if changed {
                format!("{value}\n")
            } else {
                line.to_owned()
            }
        }
        _ => {
            let text = crate::redaction::redact(line).text;
            match ids {
                Some((_, trace_id)) if !text.contains("trace_id=") => {
                    format!("{} trace_id={trace_id}\n", text.trim_end())
                }
                _ => text,
            }
        }
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
        if let Some(dropped) = CONNECTIONS_DROPPED.as_ref() {
            registry.register(Box::new(dropped.clone()))?;
        }
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
    // Resolved before routing, from the route table: the span's name is fixed once its
    // trace id is read, and the error path has no response to ask.
    let route_before = req.match_pattern();
    let span = tracing::info_span!(
        "http_request",
        otel.name = %format!("{method} {}", route_before.as_deref().unwrap_or("unmatched")),
        otel.kind = "server",
        otel.status_code = tracing::field::Empty,
        request_id = %request_id,
        method = %method,
        route = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        tenant = tracing::field::Empty,
        role = tracing::field::Empty,
    );
    let scope = Arc::new(RequestScope {
        trace_id: join_trace(&span, req.headers()),
        id: request_id.clone(),
        tenant: OnceLock::new(),
    });
    let started = Instant::now();
    let outcome = REQUEST
        .scope(
            scope,
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
    span.record("http.response.status_code", status);
    if status >= 500 {
        span.record("otel.status_code", "error");
    }
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
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt as _;

    use super::{CONNECTIONS_DROPPED, ClientFaults, redact_line};

    /// Keeps each event's target and level.
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<(String, tracing::Level)>>>);

    impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Seen {
        fn on_event(
            &self,
            event: &tracing::Event<'_>,
            _: tracing_subscriber::layer::Context<'_, S>,
        ) {
            let meta = event.metadata();
            if let Ok(mut seen) = self.0.lock() {
                seen.push((meta.target().to_owned(), *meta.level()));
            }
        }
    }

    #[test]
    fn connections_a_client_broke_are_not_logged_as_errors() {
        let dropped = |cause| {
            CONNECTIONS_DROPPED
                .as_ref()
                .map_or(0, |c| c.with_label_values(&[cause]).get())
        };
        let (malformed, timeout) = (dropped("malformed"), dropped("timeout"));
        let seen = Seen::default();
        let subscriber = tracing_subscriber::registry()
            .with(ClientFaults)
            .with(seen.clone());
        tracing::subscriber::with_default(subscriber, || {
            // As actix-http's dispatcher words them.
            let parse = "request parse error: invalid Header provided";
            tracing::error!(target: "actix_http::h1::dispatcher", "stream error: {}", parse);
            let slow = "request did not complete within the specified timeout";
            tracing::error!(target: "actix_http::h1::dispatcher", "stream error: {}", slow);
            tracing::error!(target: "actix_http::h1::dispatcher", "stream error: {}", "service error");
            tracing::error!(target: "actix_http::h1::dispatcher", "write zero; closing");
            tracing::error!(target: "helpdesk", "stream error: {}", parse);
        });
        let seen = seen.0.lock().expect("not poisoned").clone();
        let at = |target: &str, level| {
            seen.iter()
                .filter(|(t, l)| t == target && *l == level)
                .count()
        };
        assert_eq!(
            at("actix_http::h1::dispatcher", tracing::Level::ERROR),
            2,
            "{seen:?}"
        );
        assert_eq!(at("helpdesk", tracing::Level::ERROR), 1, "{seen:?}");
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert_eq!(dropped("malformed") - malformed, 1);
        assert_eq!(dropped("timeout") - timeout, 1);
    }

    #[test]
    fn json_log_lines_stay_json_and_lose_only_personal_data() {
        let line = r#"{"message":"mail jane.roe@example.com","tokens_per_second":45.604338474779395,"bytes":123456789}"#;
        let out = redact_line(&format!("{line}\n"), None);
        let value: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
        assert_eq!(value["message"], "mail [EMAIL_1]");
        assert!(value["tokens_per_second"].is_f64(), "{out}");
        assert_eq!(value["bytes"], 123456789);
        let clean = "{\"message\":\"listening\",\"port\":8080}\n";
        assert_eq!(redact_line(clean, None), clean);
        assert_eq!(
            redact_line("plain a@b.io line\n", None),
            "plain [EMAIL_1] line\n"
        );
        let ids = (
            "req-1".to_owned(),
            "4bf92f3577b34da6a3ce929d0e0e4736".to_owned(),
        );
        let named: serde_json::Value =
            serde_json::from_str(&redact_line(clean, Some(&ids))).expect("json");
        assert_eq!(named["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(named["request_id"], "req-1");
        assert_eq!(
            redact_line("served\n", Some(&ids)),
            "served trace_id=4bf92f3577b34da6a3ce929d0e0e4736\n"
        );
    }
}
