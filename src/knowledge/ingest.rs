//! Ingestion: one file in, its chunks embedded and indexed, its rows written — or nothing,
//! when the file is unchanged (same SHA-256, read by the current [`READER_VERSION`]).
//!
//! The database is the source of truth and the vector index follows it. A changed file's
//! new chunks get new ids: their vectors are written first, then one transaction swaps the
//! document's chunk rows, then the old vectors are deleted. Search keeps only hits whose
//! chunk row exists, so at every moment a document has exactly one set of chunks — never
//! none, never two. A run killed between the steps leaves only vectors without rows, which
//! [`Knowledge::reconcile`] deletes at the start of the next run.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, Set,
};
use sha2::Digest as _;
use uuid::Uuid;

use super::chunker::{self, ChunkSettings};
use super::loader::{self, SourceKind};
use super::summary;
use super::{IngestProgress, IngestStage, Knowledge};
use crate::database::begin_tenant;
use crate::entity::{chunk, knowledge_doc};
use crate::error::{AppError, Code};
use crate::llm::{Call, Purpose};
use crate::tenancy::TenantId;
use crate::vector::{ChunkPayload, ChunkPoint};

/// Chunks embedded per call.
const EMBED_BATCH: usize = 32;

/// How the loader and chunker read a file, stored with each document. Bump it whenever they
/// would cut the same bytes into other passages, so the next load or upload reads pages
/// stored by an older version again instead of skipping them as unchanged.
/// 1: table rows as sentences naming their columns (session 30).
pub const READER_VERSION: i32 = 1;

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Added {
        doc_id: Uuid,
        chunks: usize,
    },
    Updated {
        doc_id: Uuid,
        chunks: usize,
    },
    /// Same bytes; `visibility_was` is the old visibility when only that changed.
    Unchanged {
        doc_id: Uuid,
        visibility_was: Option<String>,
    },
}

/// A document's text, as a citation's reader sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct SourceView {
    pub id: Uuid,
    pub title: String,
    pub source: String,
    pub text: String,
}

crate::validation::string_enum!(Visibility, "visibility", {
    Public => "public",
    Internal => "internal",
});

/// Who a search or a document is for: visitors and customers see public documents only;
/// staff (agent assist, staff search) see internal ones too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Staff,
}

impl Audience {
    pub fn sees(self, visibility: &str) -> bool {
        self == Self::Staff || visibility == Visibility::Public.as_str()
    }
}

/// A document as listed to admins.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct DocView {
    pub id: Uuid,
    pub title: String,
    pub source: String,
    pub kind: String,
    pub bytes: i64,
    pub checksum: String,
    pub chunks: u64,
    #[schema(value_type = Visibility)]
    pub visibility: String,
    pub updated_at: chrono::DateTime<Utc>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Knowledge {
    fn chunk_settings(&self) -> ChunkSettings {
        ChunkSettings {
            target_tokens: self.settings.chunk_tokens,
            max_tokens: crate::llm::embedder::MAX_TOKENS,
            overlap_tokens: self.settings.chunk_overlap_tokens,
        }
    }

    /// Ingests one file's bytes under `source` (its path relative to the knowledge folder,
    /// or the upload's file name), visible as `visibility` says.
    pub async fn ingest(
        &self,
        tenant: TenantId,
        source: &str,
        bytes: Vec<u8>,
        visibility: Visibility,
    ) -> Result<FileOutcome, AppError> {
        self.ingest_reporting(tenant, source, bytes, visibility, &|_| {})
            .await
    }

    /// [`Self::ingest`], telling `progress` after each embedding batch: a document of
    /// thousands of passages takes minutes on two cores.
    #[tracing::instrument(name = "knowledge.ingest", skip_all, fields(tenant = %tenant, source = %source, bytes = bytes.len()))]
    pub async fn ingest_reporting(
        &self,
        tenant: TenantId,
        source: &str,
        bytes: Vec<u8>,
        visibility: Visibility,
        progress: &(dyn Fn(IngestProgress) + Sync),
    ) -> Result<FileOutcome, AppError> {
        let started = Instant::now();
        let kind = SourceKind::of(std::path::Path::new(source)).ok_or_else(|| {
            AppError::UnsupportedMediaType(
                Code::UnsupportedDocumentType,
                format!("{source}: only Markdown (.md), HTML (.html) and PDF (.pdf) are read"),
            )
        })?;
        if bytes.len() as u64 > self.settings.max_document_bytes {
            return Err(AppError::PayloadTooLarge(
                Code::DocumentTooLarge,
                format!(
                    "{source} is {} bytes; the limit is {}",
                    bytes.len(),
                    self.settings.max_document_bytes
                ),
            ));
        }
        let checksum = sha256_hex(&bytes);
        let existing = self.find_doc(tenant, source).await?;
        if let Some(doc) = &existing
            && doc.checksum == checksum
            && doc.reader_version == READER_VERSION
        {
            let was = (doc.visibility != visibility.as_str()).then(|| doc.visibility.clone());
            if was.is_some() {
                self.set_visibility(tenant, doc.id, visibility).await?;
            }
            return Ok(FileOutcome::Unchanged {
                doc_id: doc.id,
                visibility_was: was,
            });
        }

        let fallback = loader::title_from_path(std::path::Path::new(source));
        let size = bytes.len();
        let doc = self
            .sandbox
            .parse(kind, bytes, &fallback)
            .await?
            .map_err(|e| AppError::Unparseable {
                detail: format!("{source}: {}", e.message),
                limit: e.limit.map(super::sandbox::Limit::as_str),
            })?;
        let doc = loader::cleaned(doc, &fallback);
        let counter = self.counter.clone();
        let settings = self.chunk_settings();
        let (doc, chunks) = tokio::task::spawn_blocking(move || {
            let chunks = chunker::chunk(&doc, settings, &|text| counter.count(text));
            (doc, chunks)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        if chunks.is_empty() {
            return Err(AppError::validation(
                "file",
                "empty",
                format!("{source}: no text"),
            ));
        }
        if chunks.len() > self.settings.max_document_chunks {
            return Err(AppError::PayloadTooLarge(
                Code::DocumentTooLarge,
                format!(
                    "{source} makes {} passages; the limit is {} (knowledge.max_document_chunks)",
                    chunks.len(),
                    self.settings.max_document_chunks
                ),
            ));
        }

        let doc_id = existing.as_ref().map_or_else(Uuid::new_v4, |d| d.id);
        let mut points = Vec::with_capacity(chunks.len());
        let call = Call::for_tenant(tenant, Purpose::DocumentEmbedding);
        let report = |done| {
            progress(IngestProgress {
                stage: IngestStage::Passages,
                done,
                total: chunks.len(),
            });
        };
        report(0);
        for batch in chunks.chunks(EMBED_BATCH) {
            let texts: Vec<String> = batch.iter().map(|c| c.embed_text.clone()).collect();
            let embed_started = Instant::now();
            let vectors = self.llm.embed(call, texts).await?;
            self.note_embed(embed_started.elapsed(), batch.len());
            for (c, dense) in batch.iter().zip(vectors) {
                points.push(ChunkPoint {
                    id: Uuid::new_v4(),
                    dense,
                    lexical_text: c.embed_text.clone(),
                    payload: ChunkPayload {
                        tenant_id: tenant.0,
                        doc_id,
                        chunk_index: c.index as i64,
                        source: source.to_owned(),
                        title: doc.title.clone(),
                        text: c.text.clone(),
                        headings: c.headings.clone(),
                        page: c.page,
                    },
                });
            }
            report(points.len());
        }
        let texts: Vec<&str> = chunks.iter().map(|c| c.text.as_str()).collect();
        let sentence_vectors = self.embed_sentences(call, &texts, progress).await?;
        let summary = self
            .embed_summary(
                call,
                &doc.title,
                chunks.iter().map(|c| c.headings.as_slice()),
            )
            .await?;
        let count = points.len();
        self.store
            .upsert(tenant, points.clone())
            .await
            .map_err(vector_error)?;
        self.metrics.upserted.inc_by(count as u64);

        // One transaction swaps the rows; the old vectors go afterwards.
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let old: Vec<Uuid> = chunk::Entity::find()
            .select_only()
            .column(chunk::Column::Id)
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .filter(chunk::Column::DocId.eq(doc_id))
            .into_tuple()
            .all(&txn)
            .await?;
        let now = Utc::now();
        match existing {
            Some(found) => {
                let mut model: knowledge_doc::ActiveModel = found.into();
                model.title = Set(doc.title.clone());
                model.checksum = Set(checksum);
                model.bytes = Set(size as i64);
                model.source_kind = Set(kind.as_str().into());
                model.updated_at = Set(now);
                model.summary_embedding = Set(Some(summary));
                model.visibility = Set(visibility.as_str().into());
                model.reader_version = Set(READER_VERSION);
                model.update(&txn).await?;
            }
            None => {
                knowledge_doc::ActiveModel {
                    id: Set(doc_id),
                    tenant_id: Set(tenant.0),
                    title: Set(doc.title.clone()),
                    source_path: Set(source.to_owned()),
                    source_kind: Set(kind.as_str().into()),
                    checksum: Set(checksum),
                    bytes: Set(size as i64),
                    added_at: Set(now),
                    updated_at: Set(now),
                    summary_embedding: Set(Some(summary)),
                    visibility: Set(visibility.as_str().into()),
                    reader_version: Set(READER_VERSION),
                }
                .insert(&txn)
                .await?;
            }
        }
        chunk::Entity::delete_many()
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .filter(chunk::Column::DocId.eq(doc_id))
            .exec(&txn)
            .await?;
        let (model_name, dimensions) = (
            self.llm.status().models.embedding,
            self.llm.dimensions() as i32,
        );
        let rows: Vec<chunk::ActiveModel> = chunks
            .iter()
            .zip(&points)
            .zip(sentence_vectors)
            .map(|((c, p), sentences)| chunk::ActiveModel {
                id: Set(p.id),
                tenant_id: Set(tenant.0),
                doc_id: Set(doc_id),
                chunk_index: Set(c.index as i32),
                text: Set(c.text.clone()),
                token_count: Set(c.tokens as i32),
                heading_path: Set(c.headings.join(" › ")),
                char_start: Set(c.char_start as i32),
                char_end: Set(c.char_end as i32),
                embedding_model: Set(model_name.clone()),
                dim: Set(dimensions),
                sentence_embeddings: Set(Some(sentences)),
            })
            .collect();
        for batch in rows.chunks(200) {
            chunk::Entity::insert_many(batch.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        if let Err(err) = self.store.delete(tenant, old.clone()).await {
            // Left for reconciliation; search already ignores them.
            tracing::warn!(error = %err, doc = %doc_id, "old vectors not deleted yet");
        }
        self.metrics
            .ingest_seconds
            .observe(started.elapsed().as_secs_f64());
        Ok(if old.is_empty() {
            FileOutcome::Added {
                doc_id,
                chunks: count,
            }
        } else {
            FileOutcome::Updated {
                doc_id,
                chunks: count,
            }
        })
    }

    async fn find_doc(
        &self,
        tenant: TenantId,
        source: &str,
    ) -> Result<Option<knowledge_doc::Model>, AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let found = knowledge_doc::Entity::find()
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .filter(knowledge_doc::Column::SourcePath.eq(source))
            .one(&txn)
            .await?;
        txn.commit().await?;
        Ok(found)
    }

    #[tracing::instrument(name = "knowledge.list_docs", skip_all, fields(tenant = %tenant))]
    pub async fn list_docs(&self, tenant: TenantId) -> Result<Vec<DocView>, AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let docs = knowledge_doc::Entity::find()
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .all(&txn)
            .await?;
        let counts: Vec<(Uuid, i64)> = chunk::Entity::find()
            .select_only()
            .column(chunk::Column::DocId)
            .column_as(chunk::Column::Id.count(), "n")
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .group_by(chunk::Column::DocId)
            .into_tuple()
            .all(&txn)
            .await?;
        txn.commit().await?;
        let counts: std::collections::HashMap<Uuid, i64> = counts.into_iter().collect();
        let mut views: Vec<DocView> = docs
            .into_iter()
            .map(|d| DocView {
                chunks: counts.get(&d.id).copied().unwrap_or_default() as u64,
                id: d.id,
                title: d.title,
                source: d.source_path,
                kind: d.source_kind,
                bytes: d.bytes,
                checksum: d.checksum,
                visibility: d.visibility,
                updated_at: d.updated_at,
            })
            .collect();
        views.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(views)
    }

    async fn set_visibility(
        &self,
        tenant: TenantId,
        doc_id: Uuid,
        visibility: Visibility,
    ) -> Result<(), AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        knowledge_doc::Entity::update_many()
            .col_expr(
                knowledge_doc::Column::Visibility,
                sea_orm::sea_query::Expr::value(visibility.as_str()),
            )
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .filter(knowledge_doc::Column::Id.eq(doc_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A document's text as its passages hold it (overlaps between neighbouring passages
    /// written once), for the source a citation links to. A document `audience` may not
    /// see is not found, exactly like one that does not exist.
    #[tracing::instrument(name = "knowledge.source_text", skip_all, fields(tenant = %tenant, doc = %doc_id))]
    pub async fn source_text(
        &self,
        tenant: TenantId,
        doc_id: Uuid,
        audience: Audience,
    ) -> Result<SourceView, AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let doc = knowledge_doc::Entity::find_by_id(doc_id)
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .one(&txn)
            .await?
            .filter(|d| audience.sees(&d.visibility))
            .ok_or_else(|| AppError::NotFound(Code::DocumentNotFound, "no such document".into()))?;
        let chunks = chunk::Entity::find()
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .filter(chunk::Column::DocId.eq(doc_id))
            .order_by_asc(chunk::Column::ChunkIndex)
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut text = String::new();
        let mut covered = 0i32;
        for c in &chunks {
            // Passages record the span of the document they cover; skip what the previous
            // one already gave.
            let skip = usize::try_from(covered - c.char_start).unwrap_or(0);
            if !text.is_empty() {
                text.push_str(if skip > 0 { "" } else { "\n\n" });
            }
            text.extend(c.text.chars().skip(skip));
            covered = covered.max(c.char_end);
        }
        Ok(SourceView {
            id: doc.id,
            title: doc.title,
            source: doc.source_path,
            text,
        })
    }

    /// Deletes a document: its rows in one transaction, then its vectors.
    #[tracing::instrument(name = "knowledge.delete_doc", skip_all, fields(tenant = %tenant, doc = %doc_id))]
    pub async fn delete_doc(&self, tenant: TenantId, doc_id: Uuid) -> Result<(), AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let found = knowledge_doc::Entity::find()
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .filter(knowledge_doc::Column::Id.eq(doc_id))
            .one(&txn)
            .await?;
        if found.is_none() {
            return Err(AppError::NotFound(
                Code::DocumentNotFound,
                "no such document".into(),
            ));
        }
        chunk::Entity::delete_many()
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .filter(chunk::Column::DocId.eq(doc_id))
            .exec(&txn)
            .await?;
        knowledge_doc::Entity::delete_many()
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .filter(knowledge_doc::Column::Id.eq(doc_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        self.store
            .delete_doc(tenant, doc_id)
            .await
            .map_err(vector_error)?;
        Ok(())
    }

    /// Deletes the documents whose source is not in `keep`; returns how many.
    pub async fn prune(&self, tenant: TenantId, keep: &HashSet<String>) -> Result<usize, AppError> {
        let gone: Vec<Uuid> = self
            .list_docs(tenant)
            .await?
            .into_iter()
            .filter(|d| !keep.contains(&d.source))
            .map(|d| d.id)
            .collect();
        for id in &gone {
            self.delete_doc(tenant, *id).await?;
        }
        Ok(gone.len())
    }

    /// Deletes vectors that have no chunk row (left by an interrupted ingestion); returns
    /// how many.
    pub async fn reconcile(&self, tenant: TenantId) -> Result<usize, AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let rows: HashSet<Uuid> = chunk::Entity::find()
            .select_only()
            .column(chunk::Column::Id)
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        txn.commit().await?;
        let orphans: Vec<Uuid> = self
            .store
            .points(tenant)
            .await
            .map_err(vector_error)?
            .into_iter()
            .filter(|p| !rows.contains(&p.id))
            .map(|p| p.id)
            .collect();
        let n = orphans.len();
        self.store
            .delete(tenant, orphans)
            .await
            .map_err(vector_error)?;
        Ok(n)
    }

    /// Chunk rows and vectors of `tenant`.
    pub async fn counts(&self, tenant: TenantId) -> Result<(u64, u64, usize), AppError> {
        let docs = self.list_docs(tenant).await?;
        let chunks = docs.iter().map(|d| d.chunks).sum();
        let vectors = self.store.count(tenant).await.map_err(vector_error)?;
        Ok((docs.len() as u64, chunks, vectors))
    }

    /// The page's summary vector, encoded for its row.
    async fn embed_summary<'a>(
        &self,
        call: Call,
        title: &str,
        heading_paths: impl IntoIterator<Item = &'a [String]>,
    ) -> Result<Vec<u8>, AppError> {
        let text = summary::summary_text(title, heading_paths);
        let vector = self
            .llm
            .embed(call, vec![text])
            .await?
            .pop()
            .unwrap_or_default();
        Ok(summary::encode(&vector))
    }

    fn note_embed(&self, took: Duration, texts: usize) {
        let mut stats = self
            .embed_stats
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        stats.0 += took;
        stats.1 += texts;
        stats.2 += 1;
    }
}

impl Knowledge {
    /// Embeds every chunk row of `tenant` again (and its sentences) and writes its vector
    /// under the same id, then every page's summary (after the collection was rebuilt for
    /// another embedding model).
    /// Returns how many chunks.
    #[tracing::instrument(name = "knowledge.reindex", skip_all, fields(tenant = %tenant))]
    pub async fn reindex(&self, tenant: TenantId) -> Result<usize, AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let docs = knowledge_doc::Entity::find()
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .all(&txn)
            .await?;
        let rows = chunk::Entity::find()
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .all(&txn)
            .await?;
        txn.commit().await?;
        let docs: std::collections::HashMap<Uuid, knowledge_doc::Model> =
            docs.into_iter().map(|d| (d.id, d)).collect();
        let mut written = 0;
        for batch in rows.chunks(EMBED_BATCH) {
            let mut texts = Vec::with_capacity(batch.len());
            for row in batch {
                let title = docs.get(&row.doc_id).map_or("", |d| d.title.as_str());
                let context = std::iter::once(title)
                    .chain(
                        row.heading_path
                            .split(" › ")
                            .filter(|h| !h.is_empty() && *h != title),
                    )
                    .collect::<Vec<_>>()
                    .join(" › ");
                texts.push(format!("{context}\n{}", row.text));
            }
            let vectors = self
                .llm
                .embed(
                    Call::for_tenant(tenant, Purpose::DocumentEmbedding),
                    texts.clone(),
                )
                .await?;
            let points = batch
                .iter()
                .zip(vectors)
                .zip(texts)
                .filter_map(|((row, dense), text)| {
                    let doc = docs.get(&row.doc_id)?;
                    Some(ChunkPoint {
                        id: row.id,
                        dense,
                        lexical_text: text,
                        payload: ChunkPayload {
                            tenant_id: tenant.0,
                            doc_id: row.doc_id,
                            chunk_index: i64::from(row.chunk_index),
                            source: doc.source_path.clone(),
                            title: doc.title.clone(),
                            text: row.text.clone(),
                            headings: headings_of(row),
                            page: None,
                        },
                    })
                })
                .collect::<Vec<_>>();
            written += points.len();
            self.store
                .upsert(tenant, points)
                .await
                .map_err(vector_error)?;
            let call = Call::for_tenant(tenant, Purpose::DocumentEmbedding);
            let chunk_texts: Vec<&str> = batch.iter().map(|row| row.text.as_str()).collect();
            let sentence_vectors = self.embed_sentences(call, &chunk_texts, &|_| {}).await?;
            let txn = begin_tenant(&self.db, tenant.0).await?;
            for (row, blob) in batch.iter().zip(sentence_vectors) {
                chunk::Entity::update_many()
                    .col_expr(
                        chunk::Column::SentenceEmbeddings,
                        sea_orm::sea_query::Expr::value(blob),
                    )
                    .filter(chunk::Column::TenantId.eq(tenant.0))
                    .filter(chunk::Column::Id.eq(row.id))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
        }
        self.store.optimize().await.map_err(vector_error)?;
        self.reindex_summaries(tenant, &docs, &rows).await?;
        Ok(written)
    }

    /// Recomputes every page's summary vector from its chunk rows' headings.
    async fn reindex_summaries(
        &self,
        tenant: TenantId,
        docs: &std::collections::HashMap<Uuid, knowledge_doc::Model>,
        rows: &[chunk::Model],
    ) -> Result<(), AppError> {
        let mut paths: std::collections::HashMap<Uuid, Vec<(i32, Vec<String>)>> =
            std::collections::HashMap::new();
        for row in rows {
            paths
                .entry(row.doc_id)
                .or_default()
                .push((row.chunk_index, headings_of(row)));
        }
        let pages: Vec<(Uuid, String)> = docs
            .values()
            .map(|doc| {
                let mut ordered = paths.remove(&doc.id).unwrap_or_default();
                ordered.sort_by_key(|(index, _)| *index);
                let text =
                    summary::summary_text(&doc.title, ordered.iter().map(|(_, h)| h.as_slice()));
                (doc.id, text)
            })
            .collect();
        for batch in pages.chunks(EMBED_BATCH) {
            let texts = batch.iter().map(|(_, text)| text.clone()).collect();
            let call = Call::for_tenant(tenant, Purpose::DocumentEmbedding);
            let vectors = self.llm.embed(call, texts).await?;
            let txn = begin_tenant(&self.db, tenant.0).await?;
            for ((doc_id, _), vector) in batch.iter().zip(vectors) {
                knowledge_doc::Entity::update_many()
                    .col_expr(
                        knowledge_doc::Column::SummaryEmbedding,
                        sea_orm::sea_query::Expr::value(summary::encode(&vector)),
                    )
                    .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
                    .filter(knowledge_doc::Column::Id.eq(*doc_id))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
        }
        Ok(())
    }
}

/// A chunk row's heading path as stored (" › "-joined), split back into headings.
fn headings_of(row: &chunk::Model) -> Vec<String> {
    split_heading_path(&row.heading_path)
}

pub(super) fn split_heading_path(path: &str) -> Vec<String> {
    path.split(" › ")
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn vector_error(err: crate::vector::VectorError) -> AppError {
    match err {
        crate::vector::VectorError::DimensionMismatch { .. } => {
            AppError::Unavailable(Code::VectorIndexMismatch, err.to_string(), None)
        }
        crate::vector::VectorError::Other(e) => AppError::Internal(e),
    }
}
