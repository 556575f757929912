//! `/api/v1/documents` (admins upload and delete, staff list), `/api/v1/search` and
//! `/api/v1/knowledge/ready`. The tenant always comes from the token.

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::TryStreamExt as _;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::{Audience, FileOutcome, IngestProgress, Visibility};
use crate::app::AppState;
use crate::audit::{self, Action, Event};
use crate::auth::{AuthUser, Authorized, can};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::event_stream;
use crate::validation::{ItemsRule, RangeRule, Rule, TextRule, bounded_text};
use crate::vector::SearchMode;

const FILES: ItemsRule = ItemsRule::at_least(1);

/// The list rules of this module's request bodies, for the OpenAPI document.
pub const ITEMS_RULES: &[(&str, &str, ItemsRule)] = &[("UploadForm", "file", FILES)];

const MAX_QUESTION_CHARS: usize = 1_000;
const QUESTION: TextRule = TextRule::text(MAX_QUESTION_CHARS);
const MAX_K: usize = 20;
const K: RangeRule = RangeRule::between(1.0, MAX_K as f64);

/// The rules of this module's query parameters, for the OpenAPI document.
pub const QUERY_RULES: &[(&str, &str, Rule)] = &[
    ("search_knowledge", "q", Rule::Text(QUESTION)),
    ("search_knowledge", "k", Rule::Range(K)),
];

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(upload)
        .service(list)
        .service(source)
        .service(delete)
        .service(search)
        .service(ready);
}

/// The upload form: one or more files, and the visibility they get.
#[derive(ToSchema)]
#[allow(dead_code)] // Read field by field from the multipart stream; this is its shape.
struct UploadForm {
    /// A document (Markdown, HTML or PDF); the field may repeat. Its file name is the
    /// document's source: the last path segment, at most 255 characters, no control
    /// characters.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
    /// `public` (the default) or `internal` (staff only).
    #[schema(value_type = Option<Visibility>)]
    visibility: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct UploadedFile {
    id: Uuid,
    source: String,
    /// `added`, `updated` or `unchanged`.
    status: &'static str,
    /// Chunks written; `null` when unchanged.
    chunks: Option<usize>,
}

#[derive(Serialize, ToSchema)]
struct Uploaded {
    documents: Vec<UploadedFile>,
}

/// How far the upload's current file has got.
#[derive(Serialize)]
struct UploadProgress<'a> {
    /// The file's source name.
    source: &'a str,
    /// Its place in the upload, from 1.
    file: usize,
    #[serde(flatten)]
    progress: IngestProgress,
}

/// The names of a streamed upload's events.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Written by `upload`; this is the document's account of them.
enum UploadEventName {
    Progress,
    Stored,
    Done,
    Error,
}

/// One server-sent event of a streamed upload, as an SSE parser reads it.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct UploadEvent {
    event: UploadEventName,
    /// JSON: a progress step, an `UploadedFile`, an `Uploaded` or a problem body.
    #[schema(content_media_type = "application/json")]
    data: String,
}

#[derive(Serialize, ToSchema)]
struct DocumentList {
    items: Vec<super::DocView>,
}

#[derive(Serialize, ToSchema)]
struct KnowledgeReady {
    /// `ok` or `unavailable`.
    status: &'static str,
    /// `edge` or `qdrant`, when ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    vector_store: Option<&'static str>,
}

/// Staff see internal documents; customers and visitors public ones only.
fn audience_of(caller: &AuthUser) -> Audience {
    if caller.role.is_staff() {
        Audience::Staff
    } else {
        Audience::Public
    }
}

/// Records a document change once it is done (ingestion spans the vector store and the
/// database, so it is not one transaction the record could join).
async fn audited(state: &AppState, caller: &AuthUser, event: Event) -> Result<(), AppError> {
    TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        audit::record(tx, event).await
    })
    .await
}

#[utoipa::path(
    summary = "Upload documents to the knowledge base",
    description = "Each file is stored as it arrives, in order. With `Accept: text/event-stream` the answer is a stream of server-sent events instead: `progress` after each embedding batch of a file (`{source, file, stage, done, total}`: the file's name, its place in the upload from 1, `passages` or `sentences`, and how many of that stage's `total` are embedded so far), `stored` when a file is stored (`UploadedFile`), then `done` (`Uploaded`) or `error` (a problem body; the files stored before it stay stored). A document of a thousand passages takes most of a minute on two cores.",
    tag = "knowledge",
    operation_id = "upload_documents",
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Each file: added, updated or unchanged", body = Uploaded),
        (status = 200, description = "With `Accept: text/event-stream`: `progress` and `stored` events, then `done` or `error`", content_type = "text/event-stream", body = UploadEvent),
    ),
)]
#[post("/documents")]
async fn upload(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateDocuments>,
    req: HttpRequest,
    form: Multipart,
) -> Result<HttpResponse, AppError> {
    if !event_stream::wanted(&req) {
        let documents = receive(&state, &caller, form, &|_| {}).await?;
        return Ok(HttpResponse::Created().json(Uploaded { documents }));
    }
    let caller = *caller;
    Ok(event_stream::run(move |events| async move {
        let step = |step: &UploadStep<'_>| match step {
            UploadStep::Progress(progress) => events.send("progress", progress),
            UploadStep::Stored(file) => events.send("stored", file),
        };
        match receive(&state, &caller, form, &step).await {
            Ok(documents) => events.send("done", &Uploaded { documents }),
            Err(error) => events.fail(&error),
        }
    }))
}

/// What an upload tells a caller who asked for events, as it happens.
enum UploadStep<'a> {
    Progress(&'a UploadProgress<'a>),
    Stored(&'a UploadedFile),
}

/// Reads the form and ingests each file as it arrives, telling `step` how far it got.
async fn receive(
    state: &AppState,
    caller: &AuthUser,
    mut form: Multipart,
    step: &(dyn Fn(&UploadStep<'_>) + Sync),
) -> Result<Vec<UploadedFile>, AppError> {
    let limit = state.settings.knowledge.max_document_bytes;
    let mut results = Vec::new();
    // A `visibility` field applies to the files after it; public unless it says so.
    let mut visibility = Visibility::Public;
    while let Some(mut field) = form.try_next().await.map_err(|e| {
        AppError::BadRequest(
            Code::MalformedBody,
            format!("malformed multipart body: {e}"),
        )
    })? {
        if field.name() == Some("visibility") {
            let mut raw = Vec::new();
            while let Some(chunk) = field.try_next().await.map_err(|e| {
                AppError::BadRequest(Code::UploadInterrupted, format!("upload interrupted: {e}"))
            })? {
                if raw.len() + chunk.len() > 16 {
                    break;
                }
                raw.extend_from_slice(&chunk);
            }
            let text = String::from_utf8_lossy(&raw);
            visibility =
                Visibility::parse(text.trim()).map_err(|invalid| invalid.at("visibility"))?;
            continue;
        }
        let Some(name) = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(super::loader::upload_name)
            .transpose()
            .map_err(|invalid| invalid.at("file"))?
            .flatten()
        else {
            continue;
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(|e| {
            AppError::BadRequest(Code::UploadInterrupted, format!("upload interrupted: {e}"))
        })? {
            if (bytes.len() + chunk.len()) as u64 > limit {
                return Err(AppError::PayloadTooLarge(
                    Code::DocumentTooLarge,
                    format!("{name} exceeds the document limit of {limit} bytes"),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        let file = results.len() + 1;
        let outcome = state
            .knowledge
            .ingest_reporting(caller.tenant, &name, bytes, visibility, &|progress| {
                step(&UploadStep::Progress(&UploadProgress {
                    source: &name,
                    file,
                    progress,
                }));
            })
            .await?;
        let uploaded = stored(state, caller, name, outcome, visibility).await?;
        step(&UploadStep::Stored(&uploaded));
        results.push(uploaded);
    }
    if !FILES.contains(results.len()) {
        return Err(AppError::validation(
            "file",
            "required",
            "send the document as a multipart file field",
        ));
    }
    Ok(results)
}

/// Audits what ingesting one file did, and says it.
async fn stored(
    state: &AppState,
    caller: &AuthUser,
    name: String,
    outcome: FileOutcome,
    visibility: Visibility,
) -> Result<UploadedFile, AppError> {
    let (doc_id, status, chunks, event) = match outcome {
        FileOutcome::Added { doc_id, chunks } => (
            doc_id,
            "added",
            Some(chunks),
            Some(Event::new(Action::DocumentUploaded)),
        ),
        FileOutcome::Updated { doc_id, chunks } => (
            doc_id,
            "updated",
            Some(chunks),
            Some(Event::new(Action::DocumentUploaded)),
        ),
        FileOutcome::Unchanged {
            doc_id,
            visibility_was,
        } => (
            doc_id,
            "unchanged",
            None,
            visibility_was.map(|from| {
                Event::new(Action::DocumentVisibilityChanged)
                    .detail(serde_json::json!({"from": from, "to": visibility.as_str()}))
            }),
        ),
    };
    if let Some(event) = event {
        let event = match event.action {
            Action::DocumentUploaded => event.detail(serde_json::json!({
                "status": status, "visibility": visibility.as_str(), "chunks": chunks,
            })),
            _ => event,
        };
        audited(state, caller, event.on("document", doc_id)).await?;
    }
    Ok(UploadedFile {
        id: doc_id,
        source: name,
        status,
        chunks,
    })
}

#[utoipa::path(
    summary = "List the knowledge base's documents",
    tag = "knowledge",
    operation_id = "list_documents",
    responses((status = 200, description = "The tenant's documents", body = DocumentList)),
)]
#[get("/documents")]
async fn list(
    state: web::Data<AppState>,
    caller: Authorized<can::ListDocuments>,
) -> Result<HttpResponse, AppError> {
    let docs = state.knowledge.list_docs(caller.tenant).await?;
    Ok(HttpResponse::Ok().json(DocumentList { items: docs }))
}

/// A cited document's text: readable by whoever may chat with the tenant's bot.
#[utoipa::path(
    tag = "knowledge",
    operation_id = "get_document",
    params(("id" = Uuid, Path, description = "The document's id")),
    responses((status = 200, description = "The document's text (internal documents: staff only)", body = super::ingest::SourceView)),
)]
#[get("/documents/{id}")]
async fn source(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadSources>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let doc = state
        .knowledge
        .source_text(caller.tenant, path.into_inner(), audience_of(&caller))
        .await?;
    Ok(HttpResponse::Ok().json(doc))
}

#[utoipa::path(
    summary = "Delete a document",
    tag = "knowledge",
    operation_id = "delete_document",
    params(("id" = Uuid, Path, description = "The document's id")),
    responses((status = 204, description = "Deleted, with its chunks and vectors")),
)]
#[delete("/documents/{id}")]
async fn delete(
    state: web::Data<AppState>,
    caller: Authorized<can::DeleteDocuments>,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let doc_id = path.into_inner();
    state.knowledge.delete_doc(caller.tenant, doc_id).await?;
    audited(
        &state,
        &caller,
        Event::new(Action::DocumentDeleted).on("document", doc_id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// The question, 1 to 1000 characters.
    q: String,
    /// Pages to return: 1 to 20, 5 by default.
    k: Option<usize>,
    /// `hybrid` by default.
    #[param(inline)]
    mode: Option<SearchMode>,
}

#[utoipa::path(
    summary = "Search the knowledge base",
    tag = "knowledge",
    operation_id = "search_knowledge",
    params(SearchQuery),
    responses((status = 200, description = "The best pages, with how likely they answer the question", body = super::SearchResults)),
)]
#[get("/search")]
async fn search(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadDocuments>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let q = bounded_text(&query.q, "question", MAX_QUESTION_CHARS).map_err(|e| e.at("q"))?;
    let k = query.k.unwrap_or(5);
    if !K.contains(k as f64) {
        return Err(AppError::validation(
            "k",
            "out_of_range",
            format!("must be between 1 and {MAX_K}"),
        ));
    }
    let results = state
        .knowledge
        .search(
            caller.tenant,
            &q,
            k,
            query.mode.unwrap_or(SearchMode::Hybrid),
            audience_of(&caller),
        )
        .await?;
    Ok(HttpResponse::Ok().json(results))
}

#[utoipa::path(
    summary = "Whether the knowledge store answers",
    tag = "knowledge",
    operation_id = "get_knowledge_ready",
    security(()),
    responses(
        (status = 200, description = "The vector store answers", body = KnowledgeReady),
        (status = 503, description = "The vector store does not answer", body = KnowledgeReady),
    ),
)]
#[get("/knowledge/ready")]
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.knowledge.ready_cached().await {
        HttpResponse::Ok().json(KnowledgeReady {
            status: "ok",
            vector_store: Some(state.knowledge.backend()),
        })
    } else {
        HttpResponse::ServiceUnavailable().json(KnowledgeReady {
            status: "unavailable",
            vector_store: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_rule_holds() {
        crate::validation::assert_rule_accepts(QUESTION, |s| {
            bounded_text(s, "question", MAX_QUESTION_CHARS).is_ok()
        });
    }
}
