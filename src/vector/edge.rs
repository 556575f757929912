//! The embedded backend: a qdrant-edge shard under `DATA_DIR/vectors/docs`. Its calls
//! block (disk, index building), so they run on the blocking pool.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use futures_util::future::BoxFuture;
use qdrant_edge::external::ordered_float::OrderedFloat;
use qdrant_edge::{
    Condition, CountRequest, CreateIndex, Distance, EdgeConfig, EdgeShard, EdgeSparseVectorParams,
    EdgeVectorParams, FieldCondition, FieldIndexOperations, Filter, Fusion, HnswIndexConfig,
    JsonPath, KeywordIndexParams, Match, Modifier, NamedQuery, PayloadFieldSchema,
    PayloadSchemaParams, PointId, PointInsertOperations, PointOperations, PointStruct, Prefetch,
    QueryEnum, QueryRequest, ScoredPoint, ScoringQuery, ScrollRequest, SearchParams,
    UpdateOperation, ValueVariants, VectorInternal, Vectors, WithPayloadInterface, WithVector,
};
use uuid::Uuid;

use super::{
    COLLECTION, ChunkPayload, ChunkPoint, DENSE, Hit, IndexParams, Lexical, PointRef, SPARSE,
    SearchMode, VectorError, VectorQuery, VectorResult, VectorStore, prepare_points,
};
use crate::ids::TenantId;

pub struct EdgeStore {
    /// Always `Some` until dropped. qdrant-edge flushes in its own `Drop` and panics when
    /// that fails (say, the data dir was removed first): [`EdgeStore`]'s `Drop` lets it
    /// flush only where it can, and turns a failure into a log line.
    shard: Option<Arc<EdgeShard>>,
    path: PathBuf,
    params: IndexParams,
    lexical: Arc<Lexical>,
}

impl Drop for EdgeStore {
    fn drop(&mut self) {
        let Some(shard) = self.shard.take() else {
            return;
        };
        if !self.path.exists() {
            // Nothing left to flush into; its own Drop would panic.
            std::mem::forget(shard);
            return;
        }
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(shard)));
        if dropped.is_err() {
            tracing::error!(path = %self.path.display(), "the vector store could not be flushed");
        }
    }
}

fn err(e: impl std::fmt::Display) -> VectorError {
    VectorError::Other(anyhow::anyhow!("vector store: {e}"))
}

fn payload_path(key: &str) -> JsonPath {
    // The keys are this module's constants; a bad one is a bug caught by every test.
    key.parse()
        .unwrap_or_else(|_| panic!("{key} is not a payload path"))
}

fn keyword_match(key: &str, value: String) -> Condition {
    Condition::Field(FieldCondition::new_match(
        payload_path(key),
        Match::new_value(ValueVariants::String(value)),
    ))
}

fn tenant_filter(tenant: TenantId) -> Filter {
    Filter::new_must(keyword_match("tenant_id", tenant.to_string()))
}

fn point_uuid(id: &PointId) -> Option<Uuid> {
    match id {
        PointId::Uuid(uuid) => Uuid::from_slice(uuid.as_bytes()).ok(),
        PointId::NumId(_) => None,
    }
}

fn payload_of(payload: Option<qdrant_edge::Payload>) -> Option<ChunkPayload> {
    let map = payload?.0;
    serde_json::from_value(serde_json::Value::Object(map.into_iter().collect())).ok()
}

impl EdgeStore {
    pub async fn open(
        path: PathBuf,
        params: IndexParams,
        lexical: Arc<Lexical>,
    ) -> VectorResult<Self> {
        let at = path.clone();
        let shard = tokio::task::spawn_blocking(move || open_blocking(&at, params))
            .await
            .map_err(err)??;
        Ok(Self {
            shard: Some(Arc::new(shard)),
            path,
            params,
            lexical,
        })
    }

    async fn blocking<T, F>(&self, f: F) -> VectorResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&EdgeShard) -> VectorResult<T> + Send + 'static,
    {
        let shard = self
            .shard
            .clone()
            .ok_or_else(|| err("the vector store is closed"))?;
        tokio::task::spawn_blocking(move || f(&shard))
            .await
            .map_err(err)?
    }
}

fn config(params: IndexParams) -> EdgeConfig {
    let hnsw = HnswIndexConfig {
        m: params.hnsw_m,
        ef_construct: params.hnsw_ef_construct,
        // Tenants are searched one at a time: build per-tenant links, not a global graph.
        payload_m: Some(params.hnsw_m),
        ..HnswIndexConfig::default()
    };
    EdgeConfig {
        on_disk_payload: false,
        vectors: HashMap::from([(
            DENSE.to_owned(),
            EdgeVectorParams {
                size: params.dimensions,
                distance: Distance::Cosine,
                quantization_config: None,
                multivector_config: None,
                datatype: None,
                on_disk: None,
                hnsw_config: None,
            },
        )]),
        sparse_vectors: HashMap::from([(
            SPARSE.to_owned(),
            EdgeSparseVectorParams {
                modifier: Some(Modifier::Idf),
                ..EdgeSparseVectorParams::default()
            },
        )]),
        hnsw_config: hnsw,
        quantization_config: None,
        optimizers: Default::default(),
        wal_options: None,
    }
}

fn open_blocking(path: &std::path::Path, params: IndexParams) -> VectorResult<EdgeShard> {
    let existing = path.join("edge_config.json").exists();
    if existing {
        let shard = EdgeShard::load(path, None).map_err(err)?;
        let found = shard
            .config()
            .vectors
            .get(DENSE)
            .map(|v| v.size)
            .unwrap_or_default();
        if found != params.dimensions {
            return Err(VectorError::DimensionMismatch {
                found,
                expected: params.dimensions,
            });
        }
        return Ok(shard);
    }
    std::fs::create_dir_all(path).with_context(|| format!("cannot create {}", path.display()))?;
    let shard = EdgeShard::new(path, config(params)).map_err(err)?;
    for (field, is_tenant) in [("tenant_id", true), ("doc_id", false)] {
        shard
            .update(UpdateOperation::FieldIndexOperation(
                FieldIndexOperations::CreateIndex(CreateIndex {
                    field_name: payload_path(field),
                    field_schema: Some(PayloadFieldSchema::FieldParams(
                        PayloadSchemaParams::Keyword(KeywordIndexParams {
                            is_tenant: Some(is_tenant),
                            ..KeywordIndexParams::default()
                        }),
                    )),
                }),
            ))
            .map_err(err)?;
    }
    tracing::info!(path = %path.display(), collection = COLLECTION, "created the vector collection");
    Ok(shard)
}

impl VectorStore for EdgeStore {
    fn upsert(&self, tenant: TenantId, points: Vec<ChunkPoint>) -> BoxFuture<'_, VectorResult<()>> {
        let span = tracing::info_span!("vector.upsert", tenant = %tenant, backend = "edge");
        Box::pin(tracing::Instrument::instrument(
            async move {
                let points = prepare_points(tenant, self.params.dimensions, points)?;
                let mut converted = Vec::with_capacity(points.len());
                for point in points {
                    let sparse = self.lexical.document(&point.lexical_text);
                    let payload = serde_json::to_value(&point.payload).map_err(err)?;
                    let vectors = Vectors::new_named([
                        (DENSE, qdrant_edge::Vector::from(point.dense)),
                        (SPARSE, qdrant_edge::Vector::from(sparse)),
                    ]);
                    converted
                        .push(PointStruct::new(PointId::Uuid(point.id), vectors, payload).into());
                }
                self.blocking(move |shard| {
                    shard
                        .update(UpdateOperation::PointOperation(
                            PointOperations::UpsertPoints(PointInsertOperations::PointsList(
                                converted,
                            )),
                        ))
                        .map_err(err)
                })
                .await
            },
            span,
        ))
    }

    fn delete(&self, tenant: TenantId, ids: Vec<Uuid>) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            if ids.is_empty() {
                return Ok(());
            }
            let mut filter = tenant_filter(tenant);
            // The condition as Qdrant's API spells it: the engine's id set type is private.
            let has_id: Condition = serde_json::from_value(serde_json::json!({
                "has_id": ids.iter().map(Uuid::to_string).collect::<Vec<_>>()
            }))
            .map_err(err)?;
            filter.must.get_or_insert_with(Vec::new).push(has_id);
            self.blocking(move |shard| {
                shard
                    .update(UpdateOperation::PointOperation(
                        PointOperations::DeletePointsByFilter(filter),
                    ))
                    .map_err(err)
            })
            .await
        })
    }

    fn delete_doc(&self, tenant: TenantId, doc: Uuid) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            let mut filter = tenant_filter(tenant);
            filter
                .must
                .get_or_insert_with(Vec::new)
                .push(keyword_match("doc_id", doc.to_string()));
            self.blocking(move |shard| {
                shard
                    .update(UpdateOperation::PointOperation(
                        PointOperations::DeletePointsByFilter(filter),
                    ))
                    .map_err(err)
            })
            .await
        })
    }

    fn search(
        &self,
        tenant: TenantId,
        query: VectorQuery,
    ) -> BoxFuture<'_, VectorResult<Vec<Hit>>> {
        let span = tracing::info_span!("vector.search", tenant = %tenant, backend = "edge");
        Box::pin(tracing::Instrument::instrument(
            async move {
                let filter = tenant_filter(tenant);
                let params = SearchParams {
                    hnsw_ef: Some(self.params.hnsw_ef),
                    ..SearchParams::default()
                };
                let dense = ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
                    query: VectorInternal::from(query.dense),
                    using: Some(DENSE.to_owned()),
                }));
                let lexical = ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
                    query: VectorInternal::from(self.lexical.query(&query.text)),
                    using: Some(SPARSE.to_owned()),
                }));
                let prefetch = |q: ScoringQuery| Prefetch {
                    prefetches: vec![],
                    query: Some(q),
                    limit: self.params.prefetch.max(query.limit),
                    params: Some(params),
                    filter: Some(filter.clone()),
                    score_threshold: None,
                };
                let (prefetches, scoring) = match query.mode {
                    SearchMode::Dense => (vec![], dense),
                    SearchMode::Lexical => (vec![], lexical),
                    SearchMode::Hybrid => (
                        vec![prefetch(dense), prefetch(lexical)],
                        ScoringQuery::Fusion(Fusion::Rrf {
                            k: 60,
                            weights: Some(vec![
                                OrderedFloat(self.params.weights.0),
                                OrderedFloat(self.params.weights.1),
                            ]),
                        }),
                    ),
                };
                let request = QueryRequest {
                    prefetches,
                    query: Some(scoring),
                    filter: Some(filter.clone()),
                    score_threshold: None,
                    limit: query.limit,
                    offset: 0,
                    params: Some(params),
                    with_vector: WithVector::Bool(false),
                    with_payload: WithPayloadInterface::Bool(true),
                };
                let points: Vec<ScoredPoint> = self
                    .blocking(move |shard| shard.query(request).map_err(err))
                    .await?;
                Ok(points
                    .into_iter()
                    .filter_map(|p| {
                        let payload = payload_of(p.payload)?;
                        // The filter already did this; a second look costs nothing.
                        (payload.tenant_id == tenant.0).then_some(Hit {
                            id: point_uuid(&p.id)?,
                            score: p.score,
                            payload,
                        })
                    })
                    .collect())
            },
            span,
        ))
    }

    fn points(&self, tenant: TenantId) -> BoxFuture<'_, VectorResult<Vec<PointRef>>> {
        Box::pin(async move {
            let filter = tenant_filter(tenant);
            self.blocking(move |shard| {
                let mut out = Vec::new();
                let mut offset = None;
                loop {
                    let (records, next) = shard
                        .scroll(ScrollRequest {
                            offset,
                            limit: Some(1_000),
                            filter: Some(filter.clone()),
                            with_payload: Some(WithPayloadInterface::Bool(true)),
                            with_vector: WithVector::Bool(false),
                            order_by: None,
                        })
                        .map_err(err)?;
                    for record in records {
                        if let (Some(id), Some(payload)) =
                            (point_uuid(&record.id), payload_of(record.payload))
                        {
                            out.push(PointRef {
                                id,
                                doc_id: payload.doc_id,
                            });
                        }
                    }
                    match next {
                        Some(next) => offset = Some(next),
                        None => return Ok(out),
                    }
                }
            })
            .await
        })
    }

    fn count(&self, tenant: TenantId) -> BoxFuture<'_, VectorResult<usize>> {
        Box::pin(async move {
            let filter = tenant_filter(tenant);
            self.blocking(move |shard| {
                shard
                    .count(CountRequest {
                        filter: Some(filter),
                        exact: true,
                    })
                    .map_err(err)
            })
            .await
        })
    }

    fn optimize(&self) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            self.blocking(|shard| {
                shard.optimize().map_err(err)?;
                shard.flush();
                Ok(())
            })
            .await
        })
    }

    fn ping(&self) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            self.blocking(|shard| {
                let _ = shard.info();
                Ok(())
            })
            .await
        })
    }

    fn backend(&self) -> &'static str {
        "edge"
    }
}
