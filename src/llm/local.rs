//! The `local` backend: SmolLM2 and MiniLM on this machine's CPU. Inference runs on its
//! own OS threads — never on the async executor — fed through bounded queues: one or more
//! generation workers (each with its own copy of the model, whose KV cache is per
//! generation), and one embedding worker that gathers concurrent requests into shared
//! forward passes, at each depth asked for (the whole MiniLM, or the probes' cut of it).
//! Models load on first use, or at start with `llm.preload`.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};

use super::embedder::{self, EmbedEngine, MiniLm};
use super::generator::{self, GenerateParams, SmolLm, Turn};
use super::metrics::LlmMetrics;
use super::queue::Admission;
use super::weights::{self, SMOLLM2};
use super::{
    BackendHealth, ChatModel, ChatRequest, ChatStream, Chunk, Embedder, Health, LlmError, Usage,
};
use crate::config::{ModelSettings, Settings};

pub const CHAT_MODEL: &str = "SmolLM2-135M-Instruct (Q8_0)";
pub const EMBEDDING_MODEL: &str = "all-MiniLM-L6-v2";

pub struct Local {
    pub chat: Arc<LocalChat>,
    pub embedder: Arc<LocalEmbedder>,
    pub health: Arc<LocalHealth>,
}

/// What the workers report about loading their models.
#[derive(Default)]
pub struct LocalHealth {
    load_error: Mutex<Option<String>>,
}

impl LocalHealth {
    fn set_error(&self, error: Option<String>) {
        *self
            .load_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = error;
    }
}

impl Health for LocalHealth {
    fn health(&self) -> BackendHealth {
        let error = self
            .load_error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        BackendHealth {
            status: if error.is_some() { "down" } else { "ok" },
            circuit: None,
            error,
        }
    }
}

enum GenerateJob {
    Warm,
    Run {
        request: ChatRequest,
        events: mpsc::Sender<Result<Chunk, LlmError>>,
        _slot: OwnedSemaphorePermit,
    },
}

struct EmbedJob {
    texts: Vec<String>,
    /// How many of MiniLM's encoder layers read them.
    layers: usize,
    reply: oneshot::Sender<Result<Vec<Vec<f32>>, LlmError>>,
    _slot: OwnedSemaphorePermit,
}

enum EmbedMessage {
    /// Load the network of this many layers, if it is not yet.
    Warm(usize),
    Job(EmbedJob),
}

pub struct LocalChat {
    jobs: std_mpsc::Sender<GenerateJob>,
    admission: Arc<Admission>,
    loaded: Arc<AtomicBool>,
}

pub struct LocalEmbedder {
    jobs: std_mpsc::Sender<EmbedMessage>,
    admission: Arc<Admission>,
    loaded: Arc<AtomicBool>,
}

impl Local {
    /// Starts the worker threads (they stop when the last handle is dropped).
    pub fn start(settings: &Settings, metrics: Arc<LlmMetrics>) -> anyhow::Result<Self> {
        let llm = &settings.llm;
        let wait = Duration::from_millis(llm.queue_wait_ms);
        let health = Arc::new(LocalHealth::default());

        let generate_admission = Arc::new(Admission::new(
            llm.generate_queue,
            llm.generate_workers,
            wait,
        ));
        let chat_loaded = Arc::new(AtomicBool::new(false));
        let (generate_tx, generate_rx) = std_mpsc::channel();
        let generate_rx = Arc::new(Mutex::new(generate_rx));
        for index in 0..llm.generate_workers {
            let worker = GenerateWorker {
                jobs: generate_rx.clone(),
                models: settings.models.clone(),
                admission: generate_admission.clone(),
                loaded: chat_loaded.clone(),
                health: health.clone(),
            };
            std::thread::Builder::new()
                .name(format!("llm-generate-{index}"))
                .spawn(move || worker.run())?;
        }

        let embedder = Arc::new(LocalEmbedder::start(settings, metrics, health.clone())?);

        if llm.preload {
            for _ in 0..llm.generate_workers {
                let _ = generate_tx.send(GenerateJob::Warm);
            }
            embedder.warm(embedder::LAYERS);
            embedder.warm(embedder::PROBE_LAYERS);
        }
        Ok(Self {
            chat: Arc::new(LocalChat {
                jobs: generate_tx,
                admission: generate_admission,
                loaded: chat_loaded,
            }),
            embedder,
            health,
        })
    }
}

fn stopped() -> LlmError {
    LlmError::Unavailable {
        message: "the model workers have stopped".into(),
        retry_after: None,
    }
}

fn load_failed(what: &str, err: &anyhow::Error) -> LlmError {
    LlmError::Unavailable {
        message: format!("cannot load {what}: {err:#}"),
        retry_after: Some(Duration::from_secs(30)),
    }
}

impl ChatModel for LocalChat {
    fn generate(&self, request: ChatRequest) -> BoxFuture<'_, Result<ChatStream, LlmError>> {
        Box::pin(async move {
            let slot = self.admission.enter().await?;
            let (events, stream) = mpsc::channel(64);
            self.jobs
                .send(GenerateJob::Run {
                    request,
                    events,
                    _slot: slot,
                })
                .map_err(|_| stopped())?;
            Ok(stream)
        })
    }

    fn model_name(&self) -> String {
        CHAT_MODEL.into()
    }

    fn loaded(&self) -> bool {
        self.loaded.load(Ordering::Relaxed)
    }
}

impl LocalEmbedder {
    /// Starts the embedding worker; `health` hears whether its models load.
    pub(super) fn start(
        settings: &Settings,
        metrics: Arc<LlmMetrics>,
        health: Arc<LocalHealth>,
    ) -> anyhow::Result<Self> {
        let llm = &settings.llm;
        let loaded = Arc::new(AtomicBool::new(false));
        let (jobs, receiver) = std_mpsc::channel();
        let worker = EmbedWorker {
            jobs: receiver,
            models: settings.models.clone(),
            batch: llm.embed_batch,
            window: Duration::from_millis(llm.embed_batch_window_ms),
            loaded: loaded.clone(),
            health,
            metrics,
        };
        std::thread::Builder::new()
            .name("llm-embed".into())
            .spawn(move || worker.run())?;
        Ok(Self {
            jobs,
            admission: Arc::new(Admission::new(
                llm.embed_queue,
                1,
                Duration::from_millis(llm.queue_wait_ms),
            )),
            loaded,
        })
    }

    /// Loads the network of `layers` layers now rather than on its first request.
    pub(super) fn warm(&self, layers: usize) {
        let _ = self.jobs.send(EmbedMessage::Warm(layers));
    }

    /// Embeds `texts` with MiniLM cut after its first `layers` encoder layers
    /// ([`embedder::LAYERS`] for the whole network).
    pub(super) async fn embed_layers(
        &self,
        texts: Vec<String>,
        layers: usize,
    ) -> Result<Vec<Vec<f32>>, LlmError> {
        // Refused here, before the worker would fail to load it and mark the model unhealthy.
        embedder::check_depth(layers).map_err(LlmError::Invalid)?;
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let slot = self.admission.enter().await?;
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(EmbedMessage::Job(EmbedJob {
                texts,
                layers,
                reply,
                _slot: slot,
            }))
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

impl Embedder for LocalEmbedder {
    fn embed(&self, texts: Vec<String>) -> BoxFuture<'_, Result<Vec<Vec<f32>>, LlmError>> {
        Box::pin(self.embed_layers(texts, embedder::LAYERS))
    }

    fn dimensions(&self) -> usize {
        embedder::DIMENSIONS
    }

    fn model_name(&self) -> String {
        EMBEDDING_MODEL.into()
    }

    fn loaded(&self) -> bool {
        self.loaded.load(Ordering::Relaxed)
    }
}

struct GenerateWorker {
    jobs: Arc<Mutex<std_mpsc::Receiver<GenerateJob>>>,
    models: ModelSettings,
    admission: Arc<Admission>,
    loaded: Arc<AtomicBool>,
    health: Arc<LocalHealth>,
}

impl GenerateWorker {
    fn next(&self) -> Option<GenerateJob> {
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv()
            .ok()
    }

    fn load(&self) -> anyhow::Result<SmolLm> {
        let (dir, _) = weights::ensure(&self.models, &SMOLLM2)?;
        let started = Instant::now();
        let model = SmolLm::load(&dir.join(SMOLLM2.files[0].file_name))?;
        tracing::info!(
            seconds = started.elapsed().as_secs_f64(),
            model = CHAT_MODEL,
            "chat model loaded"
        );
        Ok(model)
    }

    fn run(self) {
        let mut model: Option<SmolLm> = None;
        while let Some(job) = self.next() {
            let (request, events) = match job {
                GenerateJob::Warm => {
                    if model.is_none() {
                        model = self.load_reporting().ok();
                    }
                    continue;
                }
                GenerateJob::Run {
                    request, events, ..
                } if events.is_closed() => {
                    drop(request);
                    continue;
                }
                GenerateJob::Run {
                    request, events, ..
                } => (request, events),
            };
            if model.is_none() {
                match self.load_reporting() {
                    Ok(loaded) => model = Some(loaded),
                    Err(err) => {
                        let _ = events.blocking_send(Err(load_failed("the chat model", &err)));
                        continue;
                    }
                }
            }
            let Some(model) = model.as_mut() else {
                continue;
            };
            let started = Instant::now();
            let result = run_generation(model, &request, &events);
            self.admission.record(started.elapsed());
            if let Err(err) = result {
                let _ = events.blocking_send(Err(err));
            }
        }
    }

    fn load_reporting(&self) -> anyhow::Result<SmolLm> {
        match self.load() {
            Ok(model) => {
                self.loaded.store(true, Ordering::Relaxed);
                self.health.set_error(None);
                Ok(model)
            }
            Err(err) => {
                tracing::error!(error = format!("{err:#}"), "cannot load the chat model");
                self.health.set_error(Some(format!("{err:#}")));
                Err(err)
            }
        }
    }
}

fn run_generation(
    model: &mut SmolLm,
    request: &ChatRequest,
    events: &mpsc::Sender<Result<Chunk, LlmError>>,
) -> Result<(), LlmError> {
    let turns: Vec<Turn<'_>> = request
        .messages
        .iter()
        .map(|m| Turn {
            role: m.role.as_str(),
            content: &m.content,
        })
        .collect();
    let prompt = generator::chat_prompt(&turns);
    let prompt_tokens = model.count_tokens(&prompt)?;
    if prompt_tokens + request.max_tokens > generator::CONTEXT_TOKENS {
        return Err(LlmError::Invalid(format!(
            "the prompt ({prompt_tokens} tokens) and max_tokens ({}) exceed the model's \
             {}-token context",
            request.max_tokens,
            generator::CONTEXT_TOKENS
        )));
    }
    let params = GenerateParams {
        max_tokens: request.max_tokens,
        temperature: request.temperature,
        top_p: request.top_p,
        stop: request.stop.clone(),
        seed: request.seed,
    };
    let generation = model.generate(&prompt, &params, &|| events.is_closed(), |piece| {
        let _ = events.blocking_send(Ok(Chunk::Text(piece.to_owned())));
    })?;
    let _ = events.blocking_send(Ok(Chunk::Done {
        usage: Usage {
            prompt_tokens: generation.prompt_tokens,
            completion_tokens: generation.completion_tokens,
        },
        finish: generation.finish,
    }));
    Ok(())
}

struct EmbedWorker {
    jobs: std_mpsc::Receiver<EmbedMessage>,
    models: ModelSettings,
    batch: usize,
    window: Duration,
    loaded: Arc<AtomicBool>,
    health: Arc<LocalHealth>,
    metrics: Arc<LlmMetrics>,
}

impl EmbedWorker {
    /// Loads MiniLM cut after `layers` layers (the whole network for [`embedder::LAYERS`]).
    fn load(&self, layers: usize) -> anyhow::Result<MiniLm> {
        let model = weights::ensure_embedder(&self.models)
            .and_then(|dir| MiniLm::load_layers(&dir, EmbedEngine::FASTEST, layers));
        match &model {
            Ok(_) => {
                if layers == embedder::LAYERS {
                    self.loaded.store(true, Ordering::Relaxed);
                }
                self.health.set_error(None);
            }
            Err(err) => {
                tracing::error!(
                    error = format!("{err:#}"),
                    layers,
                    "cannot load the embedding model"
                );
                self.health.set_error(Some(format!("{err:#}")));
            }
        }
        model
    }

    /// Takes the first waiting job, then whatever else arrives within the batch window,
    /// up to a batch's worth of texts. Warm-ups that arrive meanwhile are returned apart, to
    /// be loaded once the batch is answered rather than delay it.
    fn gather(&self, first: EmbedJob) -> (Vec<EmbedJob>, Vec<usize>) {
        let mut texts = first.texts.len();
        let mut jobs = vec![first];
        let mut warms = Vec::new();
        let deadline = Instant::now() + self.window;
        while texts < self.batch {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.jobs.recv_timeout(left) {
                Ok(EmbedMessage::Job(job)) => {
                    texts += job.texts.len();
                    jobs.push(job);
                }
                Ok(EmbedMessage::Warm(layers)) => warms.push(layers),
                Err(_) => break,
            }
        }
        (jobs, warms)
    }

    /// The network of `layers` layers, loaded now unless it is already.
    fn model<'m>(
        &self,
        models: &'m mut BTreeMap<usize, MiniLm>,
        layers: usize,
    ) -> anyhow::Result<&'m mut MiniLm> {
        Ok(match models.entry(layers) {
            Entry::Occupied(slot) => slot.into_mut(),
            Entry::Vacant(slot) => slot.insert(self.load(layers)?),
        })
    }

    fn run(self) {
        // One network per depth asked for, each loaded on its first job (or warm-up).
        let mut models: BTreeMap<usize, MiniLm> = BTreeMap::new();
        while let Ok(message) = self.jobs.recv() {
            let first = match message {
                EmbedMessage::Warm(layers) => {
                    // A failure is logged by `load`; that depth's first job reports it.
                    let _ = self.model(&mut models, layers);
                    continue;
                }
                EmbedMessage::Job(job) => job,
            };
            let (jobs, warms) = self.gather(first);
            let mut by_depth: BTreeMap<usize, Vec<EmbedJob>> = BTreeMap::new();
            for job in jobs {
                if !job.reply.is_closed() {
                    by_depth.entry(job.layers).or_default().push(job);
                }
            }
            for (layers, jobs) in by_depth {
                match self.model(&mut models, layers) {
                    Ok(model) => self.answer(model, jobs),
                    Err(err) => {
                        for job in jobs {
                            let _ = job
                                .reply
                                .send(Err(load_failed("the embedding model", &err)));
                        }
                    }
                }
            }
            for layers in warms {
                let _ = self.model(&mut models, layers);
            }
        }
    }

    /// Embeds every job's texts in shared passes and sends each job its vectors.
    fn answer(&self, model: &mut MiniLm, jobs: Vec<EmbedJob>) {
        let texts: Vec<&str> = jobs
            .iter()
            .flat_map(|job| job.texts.iter().map(String::as_str))
            .collect();
        match self.embed_all(model, &texts) {
            Ok(mut vectors) => {
                for job in jobs {
                    let rest = vectors.split_off(job.texts.len());
                    let mine = std::mem::replace(&mut vectors, rest);
                    let _ = job.reply.send(Ok(mine));
                }
            }
            Err(err) => {
                let message = format!("{err:#}");
                for job in jobs {
                    let _ = job
                        .reply
                        .send(Err(LlmError::Internal(anyhow::anyhow!(message.clone()))));
                }
            }
        }
    }

    /// Embeds in batches of similar length, so that short texts are not padded to the
    /// longest one in the request; returns the vectors in the order of `texts`.
    fn embed_all(&self, model: &mut MiniLm, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut vectors = vec![Vec::new(); texts.len()];
        for group in order.chunks(self.batch) {
            let batch: Vec<&str> = group.iter().map(|&i| texts[i]).collect();
            let started = Instant::now();
            let embedded = model.embed(&batch)?;
            self.metrics
                .embed_batch_seconds
                .observe(started.elapsed().as_secs_f64());
            for (&i, vector) in group.iter().zip(embedded) {
                vectors[i] = vector;
            }
        }
        Ok(vectors)
    }
}
