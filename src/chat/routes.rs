//! The chat's HTTP face: the WebSocket, the REST fallback for clients without one, session
//! history, and the knowledge gaps admins read.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::model::{MessageView, ServerFrame, SessionId, SessionView, TicketRef};
use super::service;
use super::socket::chat_socket;
use crate::app::AppState;
use crate::auth::{AuthUser, Authorized, can};
use crate::database::TenantTx;
use crate::desk;
use crate::error::AppError;
use crate::feedback::{RatingView, Score, parse_rating};
use crate::json_body::Json;
use crate::validation::{RangeRule, Rule, page_limit};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(chat_socket)
        .service(post_chat)
        .service(get_session)
        .service(create_handoff)
        .service(rate_session)
        .service(rate_answer)
        .service(list_gaps);
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RatingBody {
    #[schema(value_type = Score)]
    score: String,
    /// Optional; personal data in it is redacted when stored.
    #[serde(default)]
    comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ThumbBody {
    #[schema(value_type = Score)]
    score: String,
}

#[utoipa::path(
    summary = "Rate the chat (the visitor): good or bad, with an optional comment",
    description = "Once per chat. A bad rating reopens the chat's solved ticket when the tenant's `csat.reopen_on_bad` is on.",
    tag = "chat",
    params(("id" = Uuid, Path, description = "The chat session's id")),
    request_body = RatingBody,
    responses((status = 201, description = "The rating", body = RatingView)),
)]
#[post("/chat/sessions/{id}/rating")]
async fn rate_session(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateChat>,
    id: web::Path<Uuid>,
    body: Json<RatingBody>,
) -> Result<HttpResponse, AppError> {
    let (score, comment) = parse_rating(&body.score, body.comment.as_deref())?;
    let rating = desk::rate_chat(
        state.desk(),
        &caller,
        SessionId(*id),
        score,
        comment.as_deref(),
    )
    .await?;
    Ok(HttpResponse::Created().json(rating))
}

#[utoipa::path(
    summary = "Thumbs up or down on one of the bot's answers",
    description = "Once per answer. Thumbs down adds the question to the knowledge gaps.",
    tag = "chat",
    params(("id" = Uuid, Path, description = "The answer's message id")),
    request_body = ThumbBody,
    responses((status = 201, description = "The rating", body = RatingView)),
)]
#[post("/chat/messages/{id}/rating")]
async fn rate_answer(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateChat>,
    id: web::Path<Uuid>,
    body: Json<ThumbBody>,
) -> Result<HttpResponse, AppError> {
    let (score, _) = parse_rating(&body.score, None)?;
    let rating = desk::rate_answer(state.desk(), &caller, *id, score).await?;
    Ok(HttpResponse::Created().json(rating))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ChatTurn {
    /// Continue this session; absent opens a new one.
    #[serde(default)]
    session_id: Option<Uuid>,
    message: String,
}

/// The REST fallback's answer: the frames a WebSocket client would have received, minus
/// the streamed tokens.
#[derive(Serialize, ToSchema)]
struct ChatReply {
    session_id: SessionId,
    frames: Vec<ServerFrame>,
}

async fn session_for(
    state: &AppState,
    caller: &AuthUser,
    id: Option<Uuid>,
) -> Result<SessionView, AppError> {
    match id {
        Some(id) => {
            TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
                service::find_session(tx, caller, SessionId(id)).await
            })
            .await
        }
        None => desk::open_session(state.desk(), caller).await,
    }
}

#[utoipa::path(
    summary = "Ask the bot (the chat's REST fallback)",
    tag = "chat",
    operation_id = "post_chat_message",
    responses((status = 200, description = "The bot's reply as the frames the WebSocket would send (without `token` frames)", body = ChatReply)),
)]
#[post("/chat")]
async fn post_chat(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Authorized<can::CreateChat>,
    body: Json<ChatTurn>,
) -> Result<HttpResponse, AppError> {
    state
        .chat_limits
        .message(caller.user.0, &state.clients.client_key(&req))?;
    let turn = body.into_inner();
    super::parse_message(state.settings.chat.max_message_chars, &turn.message)?;
    let chat = session_for(&state, &caller, turn.session_id).await?;
    let mut frames = Vec::new();
    let mut emit = |frame: ServerFrame| {
        if !matches!(frame, ServerFrame::Token { .. }) {
            frames.push(frame);
        }
    };
    desk::ask(state.desk(), &caller, &chat, &turn.message, &mut emit).await?;
    Ok(HttpResponse::Ok().json(ChatReply {
        session_id: chat.id,
        frames,
    }))
}

#[derive(Serialize, ToSchema)]
#[schema(as = ChatSession)]
struct SessionBody {
    #[serde(flatten)]
    session: SessionView,
    messages: Vec<MessageView>,
}

#[utoipa::path(
    summary = "Read a chat session with its messages",
    tag = "chat",
    operation_id = "get_chat_session",
    params(("id" = Uuid, Path, description = "The chat session's id")),
    responses((status = 200, description = "The session with its messages", body = SessionBody)),
)]
#[get("/chat/sessions/{id}")]
async fn get_session(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadChat>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let (chat, messages) = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        let chat = service::find_session(tx, &caller, SessionId(*id)).await?;
        let messages = service::history(tx, chat.id).await?;
        Ok((chat, messages))
    })
    .await?;
    Ok(HttpResponse::Ok().json(SessionBody {
        session: chat,
        messages,
    }))
}

#[utoipa::path(
    summary = "Hand a chat over to a person (opens a ticket)",
    tag = "chat",
    params(("id" = Uuid, Path, description = "The chat session's id")),
    responses((status = 201, description = "The ticket the conversation was handed to, as a `ticket_created` frame", body = ServerFrame)),
)]
#[post("/chat/sessions/{id}/handoff")]
async fn create_handoff(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Authorized<can::CreateChat>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    state
        .chat_limits
        .message(caller.user.0, &state.clients.client_key(&req))?;
    let ticket = desk::handoff(state.desk(), &caller, SessionId(*id)).await?;
    Ok(HttpResponse::Created().json(ServerFrame::TicketCreated {
        ticket: TicketRef::from(&ticket),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct GapQuery {
    /// Groups to return: 1 to 200, 20 by default.
    limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
struct GapList {
    gaps: Vec<service::GapGroup>,
}

const MAX_GAPS: u64 = 200;

/// The rules of this module's query parameters, for the OpenAPI document.
pub const QUERY_RULES: &[(&str, &str, Rule)] = &[(
    "list_knowledge_gaps",
    "limit",
    Rule::Range(RangeRule::page_limit(MAX_GAPS)),
)];

/// How many recent abstentions the grouping reads.
pub const GAP_SCAN: u64 = 2000;

#[utoipa::path(
    summary = "List the questions the bot could not answer",
    tag = "knowledge",
    operation_id = "list_knowledge_gaps",
    params(GapQuery),
    responses((status = 200, description = "Questions the bot could not answer, grouped, most frequent first", body = GapList)),
)]
#[get("/knowledge/gaps")]
async fn list_gaps(
    state: web::Data<AppState>,
    caller: Authorized<can::ListDocuments>,
    query: web::Query<GapQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = page_limit(query.limit, 20, MAX_GAPS).map_err(|invalid| invalid.at("limit"))?;
    let similarity = state.settings.chat.gap_similarity;
    let groups = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::knowledge_gaps(tx, similarity, GAP_SCAN, limit as usize, None).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(GapList { gaps: groups }))
}
