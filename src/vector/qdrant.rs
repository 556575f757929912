//! The server backend: one `docs` collection on a Qdrant server, through qdrant-client
//! (gRPC). Same vectors, payload, tenant key and fusion as the embedded engine.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use qdrant_client::qdrant::{
    Condition, CountPointsBuilder, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder,
    DeletePointsBuilder, Distance, FieldType, Filter, HnswConfigDiffBuilder,
    KeywordIndexParamsBuilder, Modifier, NamedVectors, PointId, PointStruct, PrefetchQueryBuilder,
    Query, QueryPointsBuilder, ScrollPointsBuilder, SearchParamsBuilder, SparseVectorParamsBuilder,
    SparseVectorsConfigBuilder, UpsertPointsBuilder, Vector, VectorParamsBuilder,
    VectorsConfigBuilder, point_id, vectors_config,
};
use qdrant_client::{Payload, Qdrant};
use secrecy::{ExposeSecret as _, SecretString};
use uuid::Uuid;

use super::{
    COLLECTION, ChunkPayload, ChunkPoint, DENSE, Hit, IndexParams, Lexical, PointRef, SPARSE,
    SearchMode, VectorError, VectorQuery, VectorResult, VectorStore, prepare_points,
};
use crate::ids::TenantId;

pub struct QdrantStore {
    client: Qdrant,
    params: IndexParams,
    lexical: Arc<Lexical>,
}

fn err(e: impl std::fmt::Display) -> VectorError {
    VectorError::Other(anyhow::anyhow!("Qdrant: {e}"))
}

fn tenant_condition(tenant: TenantId) -> Condition {
    Condition::matches("tenant_id", tenant.to_string())
}

fn point_uuid(id: Option<PointId>) -> Option<Uuid> {
    match id?.point_id_options? {
        point_id::PointIdOptions::Uuid(text) => text.parse().ok(),
        point_id::PointIdOptions::Num(_) => None,
    }
}

fn payload_of(
    map: std::collections::HashMap<String, qdrant_client::qdrant::Value>,
) -> Option<ChunkPayload> {
    let json = serde_json::to_value(Payload::from(map)).ok()?;
    serde_json::from_value(json).ok()
}

/// Deletes the `docs` collection if it exists.
pub async fn drop_collection(url: &str, api_key: Option<SecretString>) -> VectorResult<()> {
    let mut builder = Qdrant::from_url(url);
    if let Some(key) = api_key {
        builder = builder.api_key(key.expose_secret().to_owned());
    }
    let client = builder.build().map_err(err)?;
    if client.collection_exists(COLLECTION).await.map_err(err)? {
        client.delete_collection(COLLECTION).await.map_err(err)?;
    }
    Ok(())
}

impl QdrantStore {
    pub async fn connect(
        url: &str,
        api_key: Option<SecretString>,
        params: IndexParams,
        lexical: Arc<Lexical>,
    ) -> VectorResult<Self> {
        let mut builder = Qdrant::from_url(url);
        if let Some(key) = api_key {
            builder = builder.api_key(key.expose_secret().to_owned());
        }
        let client = builder.build().map_err(err)?;
        let store = Self {
            client,
            params,
            lexical,
        };
        store.ensure_collection().await?;
        Ok(store)
    }

    async fn ensure_collection(&self) -> VectorResult<()> {
        if self
            .client
            .collection_exists(COLLECTION)
            .await
            .map_err(err)?
        {
            let info = self.client.collection_info(COLLECTION).await.map_err(err)?;
            let found = info
                .result
                .and_then(|i| i.config)
                .and_then(|c| c.params)
                .and_then(|p| p.vectors_config)
                .and_then(|v| v.config)
                .and_then(|config| match config {
                    vectors_config::Config::ParamsMap(map) => {
                        map.map.get(DENSE).map(|p| p.size as usize)
                    }
                    vectors_config::Config::Params(p) => Some(p.size as usize),
                })
                .unwrap_or_default();
            if found != self.params.dimensions {
                return Err(VectorError::DimensionMismatch {
                    found,
                    expected: self.params.dimensions,
                });
            }
            return Ok(());
        }
        let mut vectors = VectorsConfigBuilder::default();
        vectors.add_named_vector_params(
            DENSE,
            VectorParamsBuilder::new(self.params.dimensions as u64, Distance::Cosine),
        );
        let mut sparse = SparseVectorsConfigBuilder::default();
        sparse.add_named_vector_params(
            SPARSE,
            SparseVectorParamsBuilder::default().modifier(Modifier::Idf),
        );
        self.client
            .create_collection(
                CreateCollectionBuilder::new(COLLECTION)
                    .vectors_config(vectors)
                    .sparse_vectors_config(sparse)
                    .hnsw_config(
                        HnswConfigDiffBuilder::default()
                            .m(self.params.hnsw_m as u64)
                            .ef_construct(self.params.hnsw_ef_construct as u64)
                            .payload_m(self.params.hnsw_m as u64),
                    ),
            )
            .await
            .map_err(err)?;
        self.client
            .create_field_index(
                CreateFieldIndexCollectionBuilder::new(COLLECTION, "tenant_id", FieldType::Keyword)
                    .field_index_params(KeywordIndexParamsBuilder::default().is_tenant(true))
                    .wait(true),
            )
            .await
            .map_err(err)?;
        self.client
            .create_field_index(
                CreateFieldIndexCollectionBuilder::new(COLLECTION, "doc_id", FieldType::Keyword)
                    .wait(true),
            )
            .await
            .map_err(err)?;
        Ok(())
    }

    async fn delete_where(&self, filter: Filter) -> VectorResult<()> {
        self.client
            .delete_points(
                DeletePointsBuilder::new(COLLECTION)
                    .points(filter)
                    .wait(true),
            )
            .await
            .map_err(err)?;
        Ok(())
    }
}

impl VectorStore for QdrantStore {
    fn upsert(&self, tenant: TenantId, points: Vec<ChunkPoint>) -> BoxFuture<'_, VectorResult<()>> {
        let span = tracing::info_span!("vector.upsert", tenant = %tenant, backend = "qdrant");
        Box::pin(tracing::Instrument::instrument(
            async move {
                let points = prepare_points(tenant, self.params.dimensions, points)?;
                let mut converted = Vec::with_capacity(points.len());
                for point in points {
                    let sparse = self.lexical.document(&point.lexical_text);
                    let vectors = NamedVectors::default()
                        .add_vector(DENSE, Vector::new_dense(point.dense))
                        .add_vector(SPARSE, Vector::new_sparse(sparse.indices, sparse.values));
                    let payload =
                        Payload::try_from(serde_json::to_value(&point.payload).map_err(err)?)
                            .map_err(err)?;
                    converted.push(PointStruct::new(point.id.to_string(), vectors, payload));
                }
                if converted.is_empty() {
                    return Ok(());
                }
                self.client
                    .upsert_points(UpsertPointsBuilder::new(COLLECTION, converted).wait(true))
                    .await
                    .map_err(err)?;
                Ok(())
            },
            span,
        ))
    }

    fn delete(&self, tenant: TenantId, ids: Vec<Uuid>) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            if ids.is_empty() {
                return Ok(());
            }
            let ids: Vec<PointId> = ids.iter().map(|id| PointId::from(id.to_string())).collect();
            self.delete_where(Filter::must([
                tenant_condition(tenant),
                Condition::has_id(ids),
            ]))
            .await
        })
    }

    fn delete_doc(&self, tenant: TenantId, doc: Uuid) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            self.delete_where(Filter::must([
                tenant_condition(tenant),
                Condition::matches("doc_id", doc.to_string()),
            ]))
            .await
        })
    }

    fn search(
        &self,
        tenant: TenantId,
        query: VectorQuery,
    ) -> BoxFuture<'_, VectorResult<Vec<Hit>>> {
        let span = tracing::info_span!("vector.search", tenant = %tenant, backend = "qdrant");
        Box::pin(tracing::Instrument::instrument(
            async move {
                let filter = Filter::must([tenant_condition(tenant)]);
                let params = SearchParamsBuilder::default().hnsw_ef(self.params.hnsw_ef as u64);
                let sparse = self.lexical.query(&query.text);
                let dense_query = Query::new_nearest(query.dense.clone());
                let sparse_query = Query::new_nearest(
                    qdrant_client::qdrant::VectorInput::new_sparse(sparse.indices, sparse.values),
                );
                let mut request = QueryPointsBuilder::new(COLLECTION)
                    .filter(filter.clone())
                    .limit(query.limit as u64)
                    .with_payload(true)
                    .params(params.clone());
                let prefetch = self.params.prefetch.max(query.limit) as u64;
                request = match query.mode {
                    SearchMode::Dense => request.query(dense_query).using(DENSE),
                    SearchMode::Lexical => request.query(sparse_query).using(SPARSE),
                    SearchMode::Hybrid => request
                        .add_prefetch(
                            PrefetchQueryBuilder::default()
                                .query(dense_query)
                                .using(DENSE)
                                .filter(filter.clone())
                                .params(params.clone())
                                .limit(prefetch),
                        )
                        .add_prefetch(
                            PrefetchQueryBuilder::default()
                                .query(sparse_query)
                                .using(SPARSE)
                                .filter(filter.clone())
                                .limit(prefetch),
                        )
                        .query(Query::new_rrf(qdrant_client::qdrant::Rrf {
                            k: Some(60),
                            weights: vec![self.params.weights.0, self.params.weights.1],
                        })),
                };
                let response = self.client.query(request).await.map_err(err)?;
                Ok(response
                    .result
                    .into_iter()
                    .filter_map(|p| {
                        let payload = payload_of(p.payload)?;
                        (payload.tenant_id == tenant.0).then_some(Hit {
                            id: point_uuid(p.id)?,
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
            let mut out = Vec::new();
            let mut offset: Option<PointId> = None;
            loop {
                let mut request = ScrollPointsBuilder::new(COLLECTION)
                    .filter(Filter::must([tenant_condition(tenant)]))
                    .limit(1_000)
                    .with_payload(true);
                if let Some(offset) = offset.take() {
                    request = request.offset(offset);
                }
                let page = self.client.scroll(request).await.map_err(err)?;
                for point in page.result {
                    if let (Some(id), Some(payload)) =
                        (point_uuid(point.id), payload_of(point.payload))
                    {
                        out.push(PointRef {
                            id,
                            doc_id: payload.doc_id,
                        });
                    }
                }
                match page.next_page_offset {
                    Some(next) => offset = Some(next),
                    None => return Ok(out),
                }
            }
        })
    }

    fn count(&self, tenant: TenantId) -> BoxFuture<'_, VectorResult<usize>> {
        Box::pin(async move {
            let response = self
                .client
                .count(
                    CountPointsBuilder::new(COLLECTION)
                        .filter(Filter::must([tenant_condition(tenant)]))
                        .exact(true),
                )
                .await
                .map_err(err)?;
            Ok(response.result.map_or(0, |r| r.count as usize))
        })
    }

    fn optimize(&self) -> BoxFuture<'_, VectorResult<()>> {
        // The server indexes in the background.
        Box::pin(async { Ok(()) })
    }

    fn ping(&self) -> BoxFuture<'_, VectorResult<()>> {
        Box::pin(async move {
            self.client.health_check().await.map_err(err)?;
            Ok(())
        })
    }

    fn backend(&self) -> &'static str {
        "qdrant"
    }
}
