//! The chat's HTTP face: the WebSocket, the REST fallback for clients without one, session
//! history, and the knowledge gaps admins read.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{MessageView, ServerFrame, SessionId, SessionView, TicketRef};
use super::service;
use super::socket::chat_socket;
use crate::app::AppState;
use crate::auth::{AuthUser, Authorized, can};
use crate::database::TenantTx;
use crate::desk;
use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/chat/ws", web::get().to(chat_socket))
        .route("/chat", web::post().to(post_chat))
        .route("/chat/sessions/{id}", web::get().to(get_session))
        .route(
            "/chat/sessions/{id}/handoff",
            web::post().to(create_handoff),
        )
        .route("/knowledge/gaps", web::get().to(list_gaps));
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatTurn {
    /// Continue this session; absent opens a new one.
    #[serde(default)]
    session_id: Option<Uuid>,
    message: String,
}

/// The REST fallback's answer: the frames a WebSocket client would have received, minus
/// the streamed tokens.
#[derive(Serialize)]
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

async fn post_chat(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: Authorized<can::CreateChat>,
    body: web::Json<ChatTurn>,
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

#[derive(Serialize)]
struct SessionBody {
    #[serde(flatten)]
    session: SessionView,
    messages: Vec<MessageView>,
}

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GapQuery {
    #[serde(default = "default_gap_limit")]
    limit: usize,
}

fn default_gap_limit() -> usize {
    20
}

/// How many recent abstentions the grouping reads.
const GAP_SCAN: u64 = 2000;

async fn list_gaps(
    state: web::Data<AppState>,
    caller: Authorized<can::ListDocuments>,
    query: web::Query<GapQuery>,
) -> Result<HttpResponse, AppError> {
    if !(1..=200).contains(&query.limit) {
        return Err(AppError::validation(
            "limit",
            "out_of_range",
            "limit is 1 to 200",
        ));
    }
    let similarity = state.settings.chat.gap_similarity;
    let groups = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::knowledge_gaps(tx, similarity, GAP_SCAN, query.limit).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "gaps": groups })))
}
