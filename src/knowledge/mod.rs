//! The knowledge base: documents loaded from Markdown, HTML and PDF, chunked in the
//! embedder's own word pieces, embedded, and indexed per tenant for hybrid search.
//! The public surface is [`Knowledge`]: ingest, load a folder, list, delete, search.

mod answer_detector;
mod answer_sentence;
pub mod chunker;
mod ingest;
pub mod loader;
mod question_detector;
pub mod routes;
pub mod sandbox;
mod search;
pub mod sentences;
mod summary;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use prometheus::{Histogram, HistogramOpts, IntCounter, IntGauge, Registry};
use sea_orm::DatabaseConnection;

pub use answer_sentence::Reading;
pub use ingest::{Audience, DocView, FileOutcome, READER_VERSION, Visibility, sha256_hex};
pub use search::{PageHit, SCORED_PASSAGES, SearchResults, Signals, key_terms};
pub use sentences::sentences;

use crate::config::{KnowledgeSettings, Settings};
use crate::llm::weights::{self, MINILM};
use crate::llm::{Call, Llm, Purpose};
use crate::tenancy::TenantId;
use crate::vector::{self, VectorStore};

/// Counts word pieces as all-MiniLM-L6-v2 reads them ([CLS] and [SEP] included), without
/// truncating, so that the chunker can keep every chunk within what the model sees.
pub struct WordPieces {
    tokenizer: tokenizers::Tokenizer,
}

impl WordPieces {
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let mut tokenizer = tokenizers::Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| anyhow::anyhow!("cannot load tokenizer.json: {e}"))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| anyhow::anyhow!("cannot configure the tokenizer: {e}"))?;
        Ok(Self { tokenizer })
    }

    pub fn count(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, true)
            .map(|e| e.get_ids().len())
            // A text the tokenizer cannot read is counted by words, generously.
            .unwrap_or_else(|_| text.split_whitespace().count() * 2 + 2)
    }
}

struct KnowledgeMetrics {
    ingest_seconds: Histogram,
    upserted: IntCounter,
    search_seconds: Histogram,
    sentence_seconds: Histogram,
    ready: IntGauge,
}

impl KnowledgeMetrics {
    fn new(registry: &Registry) -> anyhow::Result<Self> {
        let ingest_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "doc_loader_ingest_seconds",
                "Time to load, chunk, embed and index one changed document",
            )
            .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0]),
        )?;
        let upserted = IntCounter::new(
            "vector_upsert_vectors_total",
            "Vectors written to the vector store",
        )?;
        let search_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "search_seconds",
                "Knowledge search time, query embedding included",
            )
            .buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5]),
        )?;
        registry.register(Box::new(ingest_seconds.clone()))?;
        registry.register(Box::new(upserted.clone()))?;
        let sentence_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "doc_loader_sentence_embedding_seconds",
                "Time to embed the sentences of a set of chunks (one changed document's, or a \
                 reindex batch's)",
            )
            .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0]),
        )?;
        registry.register(Box::new(search_seconds.clone()))?;
        registry.register(Box::new(sentence_seconds.clone()))?;
        let ready = IntGauge::new(
            "knowledge_ready",
            "1 when the last readiness probe found the vector store and the embedder answering",
        )?;
        registry.register(Box::new(ready.clone()))?;
        Ok(Self {
            ingest_seconds,
            upserted,
            search_seconds,
            sentence_seconds,
            ready,
        })
    }
}

pub struct Knowledge {
    db: DatabaseConnection,
    store: Arc<dyn VectorStore>,
    llm: Arc<Llm>,
    counter: Arc<WordPieces>,
    sandbox: sandbox::Sandbox,
    settings: KnowledgeSettings,
    metrics: KnowledgeMetrics,
    /// Embedding time, texts and calls since start (for load reports).
    embed_stats: Mutex<(Duration, usize, usize)>,
    /// Time spent embedding sentences, and how many.
    sentence_stats: Mutex<(Duration, usize)>,
    /// The last readiness probe: when, and whether it passed.
    probe: tokio::sync::Mutex<Option<(std::time::Instant, bool)>>,
}

/// How long one readiness probe answers for everyone who asks.
const PROBE_TTL: Duration = Duration::from_secs(10);

/// One step of a folder load, for progress display.
#[derive(Debug, Clone)]
pub enum LoadEvent {
    Started {
        files: usize,
    },
    /// After each embedding batch of the file being loaded.
    Embedding {
        path: String,
        progress: IngestProgress,
    },
    File {
        path: String,
        outcome: Result<FileOutcome, String>,
    },
}

/// How far one document's ingestion has got: its passages, then their sentences, are
/// embedded in batches, and each batch reports here (the rest of an ingestion is quick).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IngestProgress {
    pub stage: IngestStage,
    /// Embedded so far, of `total`.
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestStage {
    Passages,
    Sentences,
}

impl IngestStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passages => "passages",
            Self::Sentences => "sentences",
        }
    }
}

impl serde::Serialize for IngestStage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LoadReport {
    pub files: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub pruned: usize,
    pub orphans_removed: usize,
    pub chunks_written: usize,
    pub docs: u64,
    pub chunks: u64,
    pub vectors: usize,
    pub mean_embed_ms: f64,
    /// Sentences embedded for quoting, and the time that took (part of ingestion's).
    pub sentences_embedded: usize,
    pub sentence_embed_seconds: f64,
}

impl Knowledge {
    pub async fn new(
        settings: &Settings,
        db: DatabaseConnection,
        llm: Arc<Llm>,
        registry: &Registry,
    ) -> anyhow::Result<Self> {
        let models = settings.models.clone();
        let counter = tokio::task::spawn_blocking(move || {
            let (dir, _) = weights::ensure(&models, &MINILM)?;
            WordPieces::load(&dir)
        })
        .await??;
        let store = vector::open(settings, llm.dimensions()).await.map_err(|e| match e {
            vector::VectorError::Other(e) if format!("{e:#}").contains("lock") => anyhow::anyhow!(
                "the vector store under {} is in use by another process (a running `helpdesk \
                 serve`?): stop it, or upload documents through its API",
                settings.data_dir.join("vectors").display()
            ),
            other => anyhow::Error::new(other),
        })?;
        Ok(Self {
            db,
            store,
            llm,
            counter: Arc::new(counter),
            sandbox: sandbox::Sandbox::new(&settings.knowledge.parser)?,
            settings: settings.knowledge.clone(),
            metrics: KnowledgeMetrics::new(registry)?,
            embed_stats: Mutex::new((Duration::ZERO, 0, 0)),
            sentence_stats: Mutex::new((Duration::ZERO, 0)),
            probe: tokio::sync::Mutex::new(None),
        })
    }

    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Whether the knowledge base can search, from a probe at most [`PROBE_TTL`] old: an
    /// anonymous caller cannot make the server embed text at will. Callers that arrive
    /// while a probe runs wait for its answer; the cause of a failure goes to the log only.
    pub async fn ready_cached(&self) -> bool {
        let mut last = self.probe.lock().await;
        if let Some((at, ok)) = *last
            && at.elapsed() < PROBE_TTL
        {
            return ok;
        }
        let ok = match tokio::time::timeout(Duration::from_secs(5), self.ready()).await {
            Ok(Ok(())) => true,
            Ok(Err(e)) => {
                tracing::warn!(error = format!("{e:#}"), "knowledge readiness probe failed");
                false
            }
            Err(_) => {
                tracing::warn!("knowledge readiness probe timed out");
                false
            }
        };
        *last = Some((std::time::Instant::now(), ok));
        self.metrics.ready.set(i64::from(ok));
        ok
    }

    /// The vector store and the embedder both answer.
    pub async fn ready(&self) -> anyhow::Result<()> {
        self.store.ping().await.context("vector store")?;
        self.llm
            .embed(Call::untenanted(Purpose::Probe), vec!["ready".into()])
            .await
            .map_err(|e| anyhow::anyhow!("embedder: {e}"))?;
        Ok(())
    }

    /// Loads every readable file under `dir` for `tenant`: unchanged files are skipped,
    /// changed ones replaced, unreadable ones reported and skipped; with `prune`, documents
    /// whose files are gone are deleted. Vectors left by an interrupted run are removed
    /// first.
    #[tracing::instrument(name = "knowledge.load_dir", skip_all, fields(tenant = %tenant, dir = %dir.display()))]
    pub async fn load_dir(
        &self,
        tenant: TenantId,
        dir: &Path,
        prune: bool,
        visibility: Visibility,
        progress: &(dyn Fn(LoadEvent) + Sync),
    ) -> anyhow::Result<LoadReport> {
        let files = list_files(dir)?;
        let mut report = LoadReport {
            files: files.len(),
            orphans_removed: self.reconcile(tenant).await?,
            ..LoadReport::default()
        };
        progress(LoadEvent::Started { files: files.len() });
        let before = self.embed_totals();
        let sentences_before = self.sentence_totals();
        let mut seen = HashSet::new();
        for path in &files {
            let source = relative(dir, path);
            seen.insert(source.clone());
            let outcome = match std::fs::read(path) {
                Ok(bytes) => self
                    .ingest_reporting(tenant, &source, bytes, visibility, &|step| {
                        progress(LoadEvent::Embedding {
                            path: source.clone(),
                            progress: step,
                        });
                    })
                    .await
                    .map_err(|e| e.to_string()),
                Err(e) => Err(format!("cannot read: {e}")),
            };
            match &outcome {
                Ok(FileOutcome::Added { chunks, .. }) => {
                    report.added += 1;
                    report.chunks_written += chunks;
                }
                Ok(FileOutcome::Updated { chunks, .. }) => {
                    report.updated += 1;
                    report.chunks_written += chunks;
                }
                Ok(FileOutcome::Unchanged { .. }) => report.unchanged += 1,
                Err(_) => report.failed += 1,
            }
            progress(LoadEvent::File {
                path: source,
                outcome,
            });
        }
        if prune {
            report.pruned = self.prune(tenant, &seen).await?;
        }
        self.store.optimize().await.map_err(ingest::vector_error)?;
        let (docs, chunks, vectors) = self.counts(tenant).await?;
        report.docs = docs;
        report.chunks = chunks;
        report.vectors = vectors;
        let after = self.embed_totals();
        let calls = after.2 - before.2;
        if calls > 0 {
            report.mean_embed_ms = (after.0 - before.0).as_secs_f64() * 1000.0 / calls as f64;
        }
        let sentences_after = self.sentence_totals();
        report.sentences_embedded = sentences_after.1 - sentences_before.1;
        report.sentence_embed_seconds = (sentences_after.0 - sentences_before.0).as_secs_f64();
        Ok(report)
    }

    fn sentence_totals(&self) -> (Duration, usize) {
        *self
            .sentence_stats
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn embed_totals(&self) -> (Duration, usize, usize) {
        *self
            .embed_stats
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Every file under `dir` a loader reads, sorted, hidden files skipped.
pub fn list_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    anyhow::ensure!(dir.is_dir(), "{} is not a folder", dir.display());
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)
            .with_context(|| format!("cannot list {}", folder.display()))?
        {
            let path = entry?.path();
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `path` relative to `dir`, with forward slashes (the document's `source`).
pub fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
