//! The `ollama` backend: chat through `/api/chat` (streamed NDJSON) and embeddings through
//! `/api/embed`, with ollama-rs's request and response types on the wire.
//!
//! The HTTP calls are ours (reqwest, the service's one TLS stack) rather than ollama-rs's
//! client because that client reports every non-2xx answer as `OllamaError::Other(body)`
//! without its status, and retrying needs to tell a 503 (try again) from a 404 (the
//! model is not pulled; trying again cannot help).
//!
//! Connect errors, timeouts and 5xx answers are retried with exponential back-off and
//! jitter; when they persist, a circuit breaker opens and calls fail fast until a probe
//! succeeds. A generation is retried only until its stream starts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use backon::{ExponentialBuilder, Retryable as _};
use futures_util::future::BoxFuture;
use ollama_rs::generation::chat::request::ChatMessageRequest;
use ollama_rs::generation::chat::{ChatMessage, ChatMessageResponse, MessageRole};
use ollama_rs::generation::embeddings::GenerateEmbeddingsResponse;
use ollama_rs::generation::embeddings::request::{EmbeddingsInput, GenerateEmbeddingsRequest};
use ollama_rs::models::ModelOptions;
use serde::Serialize;
use tokio::sync::mpsc;

use super::breaker::CircuitBreaker;
use super::metrics::LlmMetrics;
use super::{
    BackendHealth, ChatModel, ChatRequest, ChatStream, Chunk, Embedder, FinishReason, Health,
    LlmError, Role, Usage,
};
use crate::config::OllamaSettings;

pub struct OllamaClient {
    http: reqwest::Client,
    base: url::Url,
    settings: OllamaSettings,
    breaker: CircuitBreaker,
    metrics: Arc<LlmMetrics>,
    dimensions: AtomicUsize,
}

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// The server may recover: connect error, timeout, 5xx.
    Transient(String),
    /// Asking again cannot help: 4xx, a malformed answer.
    Permanent(String),
}

impl Failure {
    fn is_transient(&self) -> bool {
        matches!(self, Self::Transient(_))
    }
}

impl OllamaClient {
    pub fn new(settings: &OllamaSettings, metrics: Arc<LlmMetrics>) -> anyhow::Result<Self> {
        let base = url::Url::parse(&settings.url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(settings.connect_timeout_ms))
            .read_timeout(Duration::from_secs(settings.read_timeout_secs))
            .build()?;
        Ok(Self {
            http,
            base,
            breaker: CircuitBreaker::new(
                settings.breaker_failures,
                Duration::from_secs(settings.breaker_open_secs),
            ),
            settings: settings.clone(),
            metrics,
            dimensions: AtomicUsize::new(settings.embedding_dimensions),
        })
    }

    fn endpoint(&self, path: &str) -> Result<url::Url, LlmError> {
        self.base
            .join(path)
            .map_err(|e| LlmError::Internal(anyhow::anyhow!("bad Ollama URL: {e}")))
    }

    async fn attempt(&self, url: &url::Url, body: &[u8]) -> Result<reqwest::Response, Failure> {
        let send = self
            .http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_vec())
            .send();
        let timeout = Duration::from_secs(self.settings.request_timeout_secs);
        let response = match tokio::time::timeout(timeout, send).await {
            Err(_) => return Err(Failure::Transient("no answer before the timeout".into())),
            Ok(Err(err)) => return Err(Failure::Transient(format!("{err}"))),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let detail = response.text().await.unwrap_or_default();
        let detail = format!("Ollama answered {status}: {}", detail.trim());
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            Err(Failure::Transient(detail))
        } else {
            Err(Failure::Permanent(detail))
        }
    }

    /// Posts `body` to `path`, retrying transient failures, through the breaker.
    async fn post(&self, path: &str, body: &impl Serialize) -> Result<reqwest::Response, LlmError> {
        if let Err(wait) = self.breaker.permit() {
            return Err(LlmError::Unavailable {
                message: "Ollama is failing; the circuit breaker is open".into(),
                retry_after: Some(wait),
            });
        }
        let url = self.endpoint(path)?;
        let body = serde_json::to_vec(body).map_err(|e| LlmError::Internal(e.into()))?;
        let backoff = ExponentialBuilder::default()
            .with_min_delay(Duration::from_millis(self.settings.backoff_initial_ms))
            .with_max_delay(Duration::from_millis(self.settings.backoff_max_ms))
            .with_max_times(self.settings.retries as usize)
            .with_jitter();
        let result = (|| self.attempt(&url, &body))
            .retry(backoff)
            .when(Failure::is_transient)
            .notify(|failure, delay| {
                tracing::warn!(?failure, ?delay, path, "Ollama call failed; retrying");
            })
            .await;
        match result {
            Ok(response) => {
                self.breaker.on_success();
                Ok(response)
            }
            Err(Failure::Transient(message)) => {
                self.breaker.on_failure();
                Err(LlmError::Unavailable {
                    message,
                    retry_after: Some(Duration::from_secs(self.settings.breaker_open_secs)),
                })
            }
            Err(Failure::Permanent(message)) => Err(LlmError::Unavailable {
                message,
                retry_after: None,
            }),
        }
    }
}

fn role(role: Role) -> MessageRole {
    match role {
        Role::System => MessageRole::System,
        Role::User => MessageRole::User,
        Role::Assistant => MessageRole::Assistant,
    }
}

fn options(request: &ChatRequest) -> ModelOptions {
    let mut options = ModelOptions::default()
        .temperature(request.temperature as f32)
        .num_predict(i32::try_from(request.max_tokens).unwrap_or(i32::MAX))
        .seed(request.seed as i32);
    if let Some(p) = request.top_p {
        options = options.top_p(p as f32);
    }
    if !request.stop.is_empty() {
        options = options.stop(request.stop.clone());
    }
    options
}

/// Reads NDJSON lines from a streamed chat answer and forwards their text.
async fn pump(
    mut response: reqwest::Response,
    events: mpsc::Sender<Result<Chunk, LlmError>>,
    max_tokens: usize,
) {
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(err) => {
                let _ = events
                    .send(Err(LlmError::Unavailable {
                        message: format!("the Ollama stream broke: {err}"),
                        retry_after: None,
                    }))
                    .await;
                return;
            }
        };
        pending.extend_from_slice(&chunk);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let message: ChatMessageResponse = match serde_json::from_slice(&line) {
                Ok(message) => message,
                Err(err) => {
                    let _ = events
                        .send(Err(LlmError::Internal(anyhow::anyhow!(
                            "malformed line from Ollama: {err}"
                        ))))
                        .await;
                    return;
                }
            };
            if !message.message.content.is_empty()
                && events
                    .send(Ok(Chunk::Text(message.message.content)))
                    .await
                    .is_err()
            {
                // The caller is gone; dropping the response closes the connection, which
                // makes Ollama stop generating.
                return;
            }
            if message.done {
                let (prompt_tokens, completion_tokens) = message
                    .final_data
                    .map(|d| (d.prompt_eval_count as usize, d.eval_count as usize))
                    .unwrap_or_default();
                let finish = if completion_tokens >= max_tokens {
                    FinishReason::Length
                } else {
                    FinishReason::Stop
                };
                let _ = events
                    .send(Ok(Chunk::Done {
                        usage: Usage {
                            prompt_tokens,
                            completion_tokens,
                        },
                        finish,
                    }))
                    .await;
                return;
            }
        }
    }
    let _ = events
        .send(Err(LlmError::Unavailable {
            message: "the Ollama stream ended before the generation did".into(),
            retry_after: None,
        }))
        .await;
}

impl ChatModel for OllamaClient {
    fn generate(&self, request: ChatRequest) -> BoxFuture<'_, Result<ChatStream, LlmError>> {
        Box::pin(async move {
            let messages = request
                .messages
                .iter()
                .map(|m| ChatMessage::new(role(m.role), m.content.clone()))
                .collect();
            let body = ChatMessageRequest::new(self.settings.chat_model.clone(), messages)
                .options(options(&request));
            // ollama-rs keeps the request's `stream` flag to its own client; set it here.
            let mut body = serde_json::to_value(&body).map_err(|e| LlmError::Internal(e.into()))?;
            body["stream"] = serde_json::Value::Bool(true);
            let response = self.post("api/chat", &body).await?;
            let (events, stream) = mpsc::channel(64);
            tokio::spawn(pump(response, events, request.max_tokens));
            Ok(stream)
        })
    }

    fn model_name(&self) -> String {
        self.settings.chat_model.clone()
    }

    fn loaded(&self) -> bool {
        // The server loads models itself; "loaded" here means it is reachable.
        self.breaker.state_name() == "closed"
    }
}

impl Embedder for OllamaClient {
    fn embed(&self, texts: Vec<String>) -> BoxFuture<'_, Result<Vec<Vec<f32>>, LlmError>> {
        Box::pin(async move {
            if texts.is_empty() {
                return Ok(Vec::new());
            }
            let count = texts.len();
            let body = GenerateEmbeddingsRequest::new(
                self.settings.embedding_model.clone(),
                EmbeddingsInput::Multiple(texts),
            )
            .truncate(true);
            let started = Instant::now();
            let response = self.post("api/embed", &body).await?;
            let answer: GenerateEmbeddingsResponse =
                response.json().await.map_err(|e| LlmError::Unavailable {
                    message: format!("malformed embeddings from Ollama: {e}"),
                    retry_after: None,
                })?;
            self.metrics
                .embed_batch_seconds
                .observe(started.elapsed().as_secs_f64());
            if answer.embeddings.len() != count {
                return Err(LlmError::Internal(anyhow::anyhow!(
                    "Ollama returned {} embeddings for {count} texts",
                    answer.embeddings.len()
                )));
            }
            if let Some(first) = answer.embeddings.first() {
                self.dimensions.store(first.len(), Ordering::Relaxed);
            }
            Ok(answer.embeddings)
        })
    }

    fn dimensions(&self) -> usize {
        self.dimensions.load(Ordering::Relaxed)
    }

    fn model_name(&self) -> String {
        self.settings.embedding_model.clone()
    }

    fn loaded(&self) -> bool {
        self.breaker.state_name() == "closed"
    }
}

impl Health for OllamaClient {
    fn health(&self) -> BackendHealth {
        let circuit = self.breaker.state_name();
        BackendHealth {
            // An open breaker degrades answers, not the rest of the service (tickets,
            // sign-in): readiness reports it without taking the instance out of rotation.
            status: if circuit == "closed" {
                "ok"
            } else {
                "degraded"
            },
            circuit: Some(circuit),
            error: None,
        }
    }
}
