//! The vector index of knowledge chunks behind one trait, [`VectorStore`], whose every
//! read and write takes the tenant as a required argument: the tenant filter is built
//! inside the store, so no caller can forget it. Backends: `edge` — qdrant-edge in this
//! process, persisted under the data dir (the default); `qdrant` — a Qdrant server through
//! qdrant-client.
//!
//! One collection, `docs`: a dense vector (cosine, the embedding model's width) and a
//! sparse BM25 vector (`text`, IDF modifier) per chunk, payload `tenant_id` (keyword index
//! marked as the tenant key), `doc_id`, `chunk_index`, `source`, `title`, `text`,
//! `headings`, `page`. Hybrid search fuses a dense and a lexical prefetch with reciprocal
//! rank fusion, the tenant filter applied to both.

mod edge;
mod lexical;
mod qdrant;

use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{Settings, VectorBackend};
use crate::ids::TenantId;
pub use lexical::Lexical;

pub const COLLECTION: &str = "docs";
pub const DENSE: &str = "dense";
pub const SPARSE: &str = "text";

/// What a chunk's point carries besides its vectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChunkPayload {
    pub tenant_id: Uuid,
    pub doc_id: Uuid,
    pub chunk_index: i64,
    pub source: String,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub headings: Vec<String>,
    #[serde(default)]
    pub page: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct ChunkPoint {
    pub id: Uuid,
    pub dense: Vec<f32>,
    /// The text the lexical (BM25) vector is made from.
    pub lexical_text: String,
    pub payload: ChunkPayload,
}

/// How to rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    Dense,
    Lexical,
    Hybrid,
}

#[derive(Debug, Clone)]
pub struct VectorQuery {
    pub dense: Vec<f32>,
    pub text: String,
    pub limit: usize,
    pub mode: SearchMode,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub id: Uuid,
    /// The fused score in hybrid mode, else the dense cosine or the BM25 score.
    pub score: f32,
    pub payload: ChunkPayload,
}

/// A point's identity, for reconciling the index with the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointRef {
    pub id: Uuid,
    pub doc_id: Uuid,
}

#[derive(Debug, thiserror::Error)]
pub enum VectorError {
    /// The collection exists with another vector width than the embedding model's.
    #[error(
        "the vector collection holds {found}-dimensional vectors but the embedding model makes \
         {expected}: run `helpdesk reindex` to rebuild it with the current model"
    )]
    DimensionMismatch { found: usize, expected: usize },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type VectorResult<T> = Result<T, VectorError>;

pub trait VectorStore: Send + Sync {
    /// Inserts or replaces points; every payload must belong to `tenant`.
    fn upsert(&self, tenant: TenantId, points: Vec<ChunkPoint>) -> BoxFuture<'_, VectorResult<()>>;
    /// Deletes the given points of `tenant` (points of other tenants are untouched).
    fn delete(&self, tenant: TenantId, ids: Vec<Uuid>) -> BoxFuture<'_, VectorResult<()>>;
    /// Deletes every point of one document of `tenant`.
    fn delete_doc(&self, tenant: TenantId, doc: Uuid) -> BoxFuture<'_, VectorResult<()>>;
    fn search(&self, tenant: TenantId, query: VectorQuery)
    -> BoxFuture<'_, VectorResult<Vec<Hit>>>;
    /// Every point of `tenant`, for reconciliation after an interrupted ingestion.
    fn points(&self, tenant: TenantId) -> BoxFuture<'_, VectorResult<Vec<PointRef>>>;
    fn count(&self, tenant: TenantId) -> BoxFuture<'_, VectorResult<usize>>;
    /// Builds indexes after a bulk load (HNSW on the embedded engine); cheap when idle.
    fn optimize(&self) -> BoxFuture<'_, VectorResult<()>>;
    fn ping(&self) -> BoxFuture<'_, VectorResult<()>>;
    fn backend(&self) -> &'static str;
}

/// Refuses points that belong to another tenant or have the wrong width, before a backend
/// writes any of them, and redacts the text payloads carry (one placeholder scope per call,
/// so a document stays coherent). The lexical text is not stored, only hashed into term
/// ids, and stays whole so that the document's own words remain searchable.
fn prepare_points(
    tenant: TenantId,
    dimensions: usize,
    mut points: Vec<ChunkPoint>,
) -> VectorResult<Vec<ChunkPoint>> {
    let mut scope = crate::redaction::Pseudonyms::default();
    let mut redact = |text: &mut String| {
        let redacted = scope.redact(text);
        if redacted.replaced > 0 {
            *text = redacted.text;
        }
    };
    for point in &mut points {
        if point.payload.tenant_id != tenant.0 {
            return Err(VectorError::Other(anyhow::anyhow!(
                "vector store: a point of another tenant was given"
            )));
        }
        if point.dense.len() != dimensions {
            return Err(VectorError::DimensionMismatch {
                found: point.dense.len(),
                expected: dimensions,
            });
        }
        redact(&mut point.payload.text);
        redact(&mut point.payload.title);
        point.payload.headings.iter_mut().for_each(&mut redact);
    }
    Ok(points)
}

/// HNSW and search parameters shared by both backends.
#[derive(Debug, Clone, Copy)]
pub struct IndexParams {
    pub dimensions: usize,
    pub hnsw_m: usize,
    pub hnsw_ef_construct: usize,
    pub hnsw_ef: usize,
    /// Candidates each prefetch of a hybrid search contributes to the fusion.
    pub prefetch: usize,
    /// Reciprocal rank fusion weights: dense, lexical.
    pub weights: (f32, f32),
}

/// Deletes the whole collection (every tenant's vectors), for a rebuild with another
/// embedding model. The chunk rows in the database are untouched.
pub async fn drop_collection(settings: &Settings) -> VectorResult<()> {
    match settings.vector.backend {
        VectorBackend::Edge => {
            let path = settings.data_dir.join("vectors").join(COLLECTION);
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(|e| {
                    VectorError::Other(anyhow::anyhow!("cannot remove {}: {e}", path.display()))
                })?;
            }
            Ok(())
        }
        VectorBackend::Qdrant => {
            qdrant::drop_collection(
                &settings.vector.qdrant_url,
                settings.vector.qdrant_api_key.clone(),
            )
            .await
        }
    }
}

/// Opens the configured backend for vectors of `dimensions`.
pub async fn open(settings: &Settings, dimensions: usize) -> VectorResult<Arc<dyn VectorStore>> {
    let v = &settings.vector;
    let params = IndexParams {
        dimensions,
        hnsw_m: v.hnsw_m,
        hnsw_ef_construct: v.hnsw_ef_construct,
        hnsw_ef: v.hnsw_ef,
        prefetch: v.prefetch,
        weights: (v.dense_weight, v.lexical_weight),
    };
    let lexical = Arc::new(Lexical::new()?);
    Ok(match v.backend {
        VectorBackend::Edge => {
            // Replicas share a PostgreSQL database but each would search its own store.
            let shared_database = settings.database.url.as_ref().is_some_and(|url| {
                crate::config::DatabaseKind::of(secrecy::ExposeSecret::expose_secret(url))
                    .is_ok_and(|kind| kind == crate::config::DatabaseKind::Postgres)
            });
            if shared_database {
                tracing::warn!(
                    "vectors are in this process's embedded store: run one replica on this \
                     database, or set vector.backend = qdrant (docs/deployment.md)"
                );
            }
            let path = settings.data_dir.join("vectors").join(COLLECTION);
            Arc::new(edge::EdgeStore::open(path, params, lexical).await?)
        }
        VectorBackend::Qdrant => Arc::new(
            qdrant::QdrantStore::connect(&v.qdrant_url, v.qdrant_api_key.clone(), params, lexical)
                .await?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(tenant: TenantId, text: &str) -> ChunkPoint {
        ChunkPoint {
            id: Uuid::new_v4(),
            dense: vec![0.0; 4],
            lexical_text: text.to_owned(),
            payload: ChunkPayload {
                tenant_id: tenant.0,
                doc_id: Uuid::new_v4(),
                chunk_index: 0,
                source: "badge.md".to_owned(),
                title: "Badges".to_owned(),
                text: text.to_owned(),
                headings: vec!["Write to badge-office@example.gov".to_owned()],
                page: None,
            },
        }
    }

    /// The store never holds an article's addresses, whatever a search later shows (the
    /// search reads the article's text from the database); the lexical text stays whole.
    #[test]
    fn payloads_are_redacted_before_any_backend_sees_them() {
        let tenant = TenantId::new();
        let text = "Lost badges: write to badge-office@example.gov within a day.";
        let prepared = prepare_points(tenant, 4, vec![point(tenant, text)]).expect("prepared");
        let payload = &prepared[0].payload;
        assert_eq!(
            payload.text,
            "Lost badges: write to [EMAIL_1] within a day."
        );
        assert_eq!(payload.headings, ["Write to [EMAIL_1]"]);
        assert_eq!(prepared[0].lexical_text, text);
    }

    #[test]
    fn points_of_another_tenant_or_width_are_refused() {
        let tenant = TenantId::new();
        let other = TenantId::new();
        assert!(prepare_points(tenant, 4, vec![point(other, "x")]).is_err());
        assert!(matches!(
            prepare_points(tenant, 8, vec![point(tenant, "x")]),
            Err(VectorError::DimensionMismatch {
                found: 4,
                expected: 8
            })
        ));
    }
}
