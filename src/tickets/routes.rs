//! `/api/v1/tickets`: thin handlers. Customers see only their own tickets; another
//! tenant's ticket, or another customer's, is 404 so that ids do not leak.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::{
    CreateTicket, MentionView, NewTicket, Priority, QueueName, Status, TicketBody, TicketEventView,
    TicketFilter, TicketId, TicketPatch, TicketView, Visibility,
};
use super::service;
use crate::app::AppState;
use crate::auth::{AuthUser, Authorized, can};
use crate::database::TenantTx;
use crate::desk;
use crate::error::{AppError, Code};
use crate::json_body::Json;
use crate::tenancy::UserId;
use crate::validation::{Fields, RangeRule, Rule, checked, page_limit};

/// The rules of this module's query parameters, for the OpenAPI document.
pub const QUERY_RULES: &[(&str, &str, Rule)] = &[
    ("list_tickets", "limit", Rule::Range(PAGE_LIMIT)),
    ("list_mentions", "limit", Rule::Range(PAGE_LIMIT)),
];

const PAGE_LIMIT: RangeRule = RangeRule::page_limit(service::MAX_PAGE);

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(super::feed::ticket_feed)
        .service(create_ticket)
        .service(list_tickets)
        .service(get_ticket)
        .service(update_ticket)
        .service(create_comment)
        .service(list_comments)
        .service(create_suggested_reply)
        .service(list_mentions)
        .service(create_summary)
        .service(get_rating_link);
}

fn etag(ticket: &TicketView) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{}\"", ticket.version))
}

/// Customers reach only the tickets they requested; to them every other ticket is absent.
fn visible_to(caller: &AuthUser, ticket: &TicketView) -> Result<(), AppError> {
    if !caller.role.is_staff() && ticket.requester_id != caller.user {
        return Err(AppError::NotFound(
            Code::TicketNotFound,
            "no such ticket".into(),
        ));
    }
    Ok(())
}

async fn load_visible(
    state: &AppState,
    caller: &AuthUser,
    id: Uuid,
) -> Result<TicketView, AppError> {
    let ticket = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::get_ticket(tx, TicketId(id)).await
    })
    .await?;
    visible_to(caller, &ticket)?;
    Ok(ticket)
}

#[derive(Deserialize, ToSchema)]
struct CreateTicketBody {
    subject: String,
    body: String,
    /// Customers may not choose it.
    #[serde(default)]
    #[schema(value_type = Option<Priority>)]
    priority: Option<String>,
    /// Customers may not choose it.
    #[serde(default)]
    queue: Option<String>,
    /// Staff may open a ticket on a customer's behalf.
    #[serde(default)]
    requester_id: Option<Uuid>,
}

#[utoipa::path(
    summary = "Open a ticket",
    tag = "tickets",
    responses((status = 201, description = "The ticket, classified and routed", body = TicketView,
        headers(("etag" = String, description = "The ticket's version, for If-Match"), ("location" = String)))),
)]
#[post("/tickets")]
async fn create_ticket(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateTickets>,
    body: Json<CreateTicketBody>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    if !caller.role.is_staff() {
        super::model::check_customer_choices(body.priority.as_deref(), body.queue.as_deref())?;
    }
    let requester = match body.requester_id {
        Some(requester) if caller.role.is_staff() => requester,
        _ => caller.user.0,
    };
    let keep_queue = body.queue.is_some();
    let input = CreateTicket::parse(&NewTicket {
        requester_id: requester,
        subject: body.subject,
        body: body.body,
        priority: body.priority,
        queue: body.queue,
        status: None,
        closed_at: None,
    })?;
    let ticket = desk::open_ticket(state.desk().intake, caller.tenant, input, keep_queue).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(&ticket))
        .insert_header((header::LOCATION, format!("/api/v1/tickets/{}", ticket.id)))
        .json(ticket))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    #[param(value_type = Option<Status>)]
    status: Option<String>,
    queue: Option<String>,
    assignee: Option<Uuid>,
    /// Tickets per page: 1 to 200, 50 by default.
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct TicketPage {
    items: Vec<TicketView>,
    /// The cursor of the next page; `null` on the last.
    next_cursor: Option<String>,
}

fn encode_cursor(number: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("n:{number}"))
}

fn decode_cursor(raw: &str) -> Result<i64, AppError> {
    URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("n:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| {
            AppError::validation("cursor", "invalid_cursor", "not a cursor from this API")
        })
}

#[utoipa::path(
    summary = "List tickets",
    tag = "tickets",
    params(ListQuery),
    responses((status = 200, description = "A page of tickets, newest first (customers: their own)", body = TicketPage)),
)]
#[get("/tickets")]
async fn list_tickets(
    state: web::Data<AppState>,
    caller: Authorized<can::ListTickets>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let mut fields = Fields::new();
    let status = query
        .status
        .as_deref()
        .map(|s| fields.check("status", Status::parse(s)));
    let limit = fields.check("limit", page_limit(query.limit, 50, service::MAX_PAGE));
    fields.finish()?;
    let limit = checked(limit)?;
    let filter = TicketFilter {
        status: status.flatten(),
        queue: query.queue.clone(),
        assignee: query.assignee.map(UserId),
        requester: (!caller.role.is_staff()).then_some(caller.user),
        before_number: query.cursor.as_deref().map(decode_cursor).transpose()?,
    };
    // One extra row tells whether there is a next page.
    let mut items = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::list_tickets(tx, &filter, limit + 1).await
    })
    .await?;
    let next_cursor = if items.len() as u64 > limit {
        items.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        items.last().map(|t| encode_cursor(t.number))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(TicketPage { items, next_cursor }))
}

#[utoipa::path(
    summary = "Read a ticket",
    tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 200, description = "The ticket", body = TicketView,
        headers(("etag" = String, description = "The ticket's version, for If-Match")))),
)]
#[get("/tickets/{id}")]
async fn get_ticket(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadTickets>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let ticket = load_visible(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().insert_header(etag(&ticket)).json(ticket))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PatchTicketBody {
    #[serde(default)]
    #[schema(value_type = Option<Status>)]
    status: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Priority>)]
    priority: Option<String>,
    /// `null` unassigns; absent leaves the assignee as it is.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<Uuid>)]
    assignee_id: Option<Option<Uuid>>,
    #[serde(default)]
    queue: Option<String>,
}

mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

fn expected_version(req: &HttpRequest) -> Result<i32, AppError> {
    if_match_version(req)?.ok_or_else(|| {
        AppError::PreconditionRequired(
            Code::IfMatchRequired,
            "send If-Match with the ticket's ETag".into(),
        )
    })
}

/// The ticket version an `If-Match` header names (the ETags this API sends), if there is
/// one.
pub fn if_match_version(req: &HttpRequest) -> Result<Option<i32>, AppError> {
    let Some(raw) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let raw = raw
        .to_str()
        .map_err(|_| AppError::BadRequest(Code::InvalidIfMatch, "malformed If-Match".into()))?;
    raw.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Some)
        .map_err(|_| {
            AppError::BadRequest(
                Code::InvalidIfMatch,
                "If-Match must be an ETag from this API".into(),
            )
        })
}

#[utoipa::path(
    summary = "Change a ticket's status, priority, queue or assignee",
    tag = "tickets",
    params(
        ("id" = Uuid, Path, description = "The ticket's id"),
        ("If-Match" = String, Header, description = "The ETag of the version this change is based on"),
    ),
    responses((status = 200, description = "The ticket as changed", body = TicketView,
        headers(("etag" = String, description = "The ticket's new version")))),
)]
#[patch("/tickets/{id}")]
async fn update_ticket(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTickets>,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: Json<PatchTicketBody>,
) -> Result<HttpResponse, AppError> {
    let version = expected_version(&req)?;
    let body = body.into_inner();
    let mut fields = Fields::new();
    let status = body
        .status
        .as_deref()
        .map(|s| fields.check("status", Status::parse(s)));
    let priority = body
        .priority
        .as_deref()
        .map(|p| fields.check("priority", Priority::parse(p)));
    let queue = body
        .queue
        .as_deref()
        .map(|q| fields.check("queue", QueueName::parse(q)));
    fields.finish()?;
    let patch = TicketPatch {
        status: status.flatten(),
        priority: priority.flatten(),
        assignee: body.assignee_id.map(|a| a.map(UserId)),
        queue: queue.flatten(),
    };
    if patch == TicketPatch::default() {
        return Err(AppError::validation(
            "body",
            "empty_patch",
            "nothing to change",
        ));
    }
    let id = TicketId(id.into_inner());
    let ticket = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::update_ticket(tx, id, version, &patch, Some(caller.user)).await
    })
    .await?;
    Ok(HttpResponse::Ok().insert_header(etag(&ticket)).json(ticket))
}

#[derive(Deserialize, ToSchema)]
struct CommentBody {
    body: String,
    /// `true`: an internal note, which only staff ever read (`@name` mentions an agent).
    /// `false` or absent: a public reply, which reaches the requester (live on a handed-off
    /// chat). Only staff may write notes.
    #[serde(default)]
    internal: bool,
}

#[utoipa::path(
    summary = "Reply on a ticket, or leave an internal note",
    tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 201, description = "The reply or note", body = TicketEventView)),
)]
#[post("/tickets/{id}/comments")]
async fn create_comment(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateComments>,
    id: web::Path<Uuid>,
    body: Json<CommentBody>,
) -> Result<HttpResponse, AppError> {
    let ticket = load_visible(&state, &caller, id.into_inner()).await?;
    let mut fields = Fields::new();
    let text = fields.check("body", TicketBody::parse(&body.body));
    fields.finish()?;
    let visibility = if body.internal {
        Visibility::Internal
    } else {
        Visibility::Public
    };
    let comment = desk::reply_on_ticket(
        state.desk(),
        &caller,
        ticket.id,
        &checked(text)?,
        visibility,
    )
    .await?;
    Ok(HttpResponse::Created().json(comment))
}

#[utoipa::path(
    summary = "Read a ticket's history",
    tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 200, description = "The ticket's replies, oldest first; for staff also its internal notes and summaries", body = Vec<TicketEventView>)),
)]
#[get("/tickets/{id}/comments")]
async fn list_comments(
    state: web::Data<AppState>,
    caller: Authorized<can::ListComments>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let ticket = load_visible(&state, &caller, id.into_inner()).await?;
    let comments = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::list_events(tx, ticket.id, true, caller.role.is_staff()).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(comments))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct MentionQuery {
    /// At most this many, newest first: 1 to 200, 50 by default.
    limit: Option<u64>,
}

#[utoipa::path(
    summary = "The internal notes that mention the caller",
    tag = "tickets",
    params(MentionQuery),
    responses((status = 200, description = "Notes naming the caller with `@`, newest first", body = Vec<MentionView>)),
)]
#[get("/mentions")]
async fn list_mentions(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTickets>,
    query: web::Query<MentionQuery>,
) -> Result<HttpResponse, AppError> {
    let limit =
        page_limit(query.limit, 50, service::MAX_PAGE).map_err(|invalid| invalid.at("limit"))?;
    let mentions = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::mentions_of(tx, caller.user, limit).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(mentions))
}

/// Agent assist: a draft reply from the knowledge base, with citations.
#[utoipa::path(
    tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 200, description = "A draft reply from the knowledge base, with citations", body = desk::SuggestedReply)),
)]
#[post("/tickets/{id}/suggested-reply")]
async fn create_suggested_reply(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTickets>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let reply = desk::suggest_reply(state.desk(), caller.tenant, TicketId(*id)).await?;
    Ok(HttpResponse::Ok().json(reply))
}

#[utoipa::path(
    summary = "Summarise a ticket for the agent taking it over",
    description = "From its chat when it came from one, else from its replies; extractive, or written by the model when `rag.answer_mode` is generative or auto. Stored in the history as an internal `summary` event.",
    tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 201, description = "The summary", body = desk::Summary)),
)]
#[post("/tickets/{id}/summary")]
async fn create_summary(
    state: web::Data<AppState>,
    caller: Authorized<can::UpdateTickets>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let summary = desk::summarize_ticket(state.desk(), caller.tenant, TicketId(*id)).await?;
    Ok(HttpResponse::Created().json(summary))
}

#[utoipa::path(
    summary = "The signed link that rates a ticket",
    description = "For the requester (their own tickets) or staff to pass on, e.g. by mail. The page at the link rates the ticket once it is solved, without signing in.",
    tag = "tickets",
    params(("id" = Uuid, Path, description = "The ticket's id")),
    responses((status = 200, description = "The link", body = desk::RatingLink)),
)]
#[get("/tickets/{id}/rating-link")]
async fn get_rating_link(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadTickets>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let ticket = load_visible(&state, &caller, id.into_inner()).await?;
    let link = desk::rating_link(state.desk(), &caller, ticket.id).await?;
    Ok(HttpResponse::Ok().json(link))
}
