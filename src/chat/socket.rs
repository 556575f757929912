//! `GET /api/v1/chat/ws`: the help chat over a WebSocket (protocol in
//! docs/chat-protocol.md).
//!
//! One task per connection reads client frames, forwards agent replies from the hub, pings
//! every `chat.heartbeat_secs`, closes a peer that answers no ping for three beats, and
//! closes after `chat.idle_timeout_secs` without a conversation frame either way. An
//! answer runs in its own task and streams frames back through a channel, so the socket
//! keeps answering pings (and refusing a second question) while the model works. Bad input
//! — invalid JSON, an unknown type, a frame over `chat.max_frame_bytes`, too many messages
//! — gets an `error` frame and the connection stays open.

use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::{HttpRequest, HttpResponse, get, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason};
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};

use super::limits::SocketSlot;
use super::model::{ClientFrame, ServerFrame, SessionView, TicketRef};
use super::service;
use crate::app::AppState;
use crate::auth::{Action, AuthUser, Resource, Session, bearer_or_query};
use crate::database::TenantTx;
use crate::desk;
use crate::error::{AppError, Code};

/// Frames larger than this are a protocol error (close 1009); up to it, oversized frames
/// get a polite `error` frame.
const PROTOCOL_MAX_FRAME: usize = 256 * 1024;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SocketQuery {
    /// The access token: browsers cannot set headers on a WebSocket.
    access_token: Option<String>,
}

/// The frames are described in docs/chat-protocol.md and docs/chat-protocol.schema.json.
#[utoipa::path(
    tag = "chat",
    params(SocketQuery),
    responses((status = 101, description = "Switching to the chat WebSocket (docs/chat-protocol.md)")),
)]
#[get("/chat/ws")]
pub async fn chat_socket(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    query: web::Query<SocketQuery>,
) -> Result<HttpResponse, AppError> {
    let token = bearer_or_query(&req, query.into_inner().access_token)?;
    let session = Session::from_token(state.clone(), token).await?;
    let caller = session.caller;
    state
        .authz
        .require(&caller, Resource::Chat, Action::Create)?;
    // Refused before the upgrade, as a 429 the client can read.
    let slot = state.chat_limits.open_socket(caller.user.0)?;
    let client = state.clients.client_key(&req);
    let (response, socket, stream) = actix_ws::handle(&req, body).map_err(|e| {
        AppError::BadRequest(
            Code::NotAWebSocket,
            format!("not a WebSocket handshake: {e}"),
        )
    })?;
    let stream = stream
        .max_frame_size(PROTOCOL_MAX_FRAME)
        .aggregate_continuations()
        .max_continuation_size(PROTOCOL_MAX_FRAME);
    let connection = Connection::new(state.into_inner(), session, socket, client, slot);
    actix_web::rt::spawn(connection.run(stream));
    Ok(response)
}

struct Connection {
    state: Arc<AppState>,
    caller: AuthUser,
    /// The token this socket opened with: checked again every `auth.recheck_secs`.
    auth: Session,
    socket: actix_ws::Session,
    chat: Option<SessionView>,
    /// The client's budget key (its address behind trusted proxies).
    client: String,
    /// This socket's place among the visitor's open sockets.
    _slot: SocketSlot,
    answering: Option<tokio::task::JoinHandle<()>>,
    frames_tx: mpsc::UnboundedSender<ServerFrame>,
    frames_rx: mpsc::UnboundedReceiver<ServerFrame>,
}

enum Next {
    Continue,
    Stop,
}

impl Connection {
    fn new(
        state: Arc<AppState>,
        auth: Session,
        socket: actix_ws::Session,
        client: String,
        slot: SocketSlot,
    ) -> Self {
        let (frames_tx, frames_rx) = mpsc::unbounded_channel();
        Self {
            caller: auth.caller,
            auth,
            client,
            _slot: slot,
            state,
            socket,
            chat: None,
            answering: None,
            frames_tx,
            frames_rx,
        }
    }

    async fn run(mut self, mut stream: actix_ws::AggregatedMessageStream) {
        let settings = self.state.settings.chat.clone();
        let mut hub = self.state.chat.subscribe();
        let mut heartbeat =
            tokio::time::interval(Duration::from_secs(settings.heartbeat_secs.max(1)));
        heartbeat.tick().await;
        let beat = Duration::from_secs(settings.heartbeat_secs.max(1));
        let mut recheck = tokio::time::interval(Duration::from_secs(
            self.state.settings.auth.recheck_secs.max(1),
        ));
        recheck.tick().await;
        let idle = Duration::from_secs(settings.idle_timeout_secs.max(1));
        // Two clocks: any frame (pongs included) proves the peer is there; only the
        // conversation — the visitor's frames, an agent's replies — keeps it from idling.
        let mut last_heard = Instant::now();
        let mut last_active = Instant::now();
        let close = loop {
            let next = tokio::select! {
                incoming = stream.recv() => match incoming {
                    None => break None,
                    Some(Ok(message)) => {
                        last_heard = Instant::now();
                        if matches!(message, AggregatedMessage::Text(_) | AggregatedMessage::Binary(_)) {
                            last_active = last_heard;
                        }
                        self.on_message(message).await
                    }
                    Some(Err(e)) => {
                        tracing::debug!(error = %e, "chat socket protocol error");
                        break Some(CloseReason {
                            code: CloseCode::Size,
                            description: Some(format!("protocol error: {e}")),
                        });
                    }
                },
                Some(frame) = self.frames_rx.recv() => self.send(&frame).await,
                event = hub.recv() => match event {
                    Ok(event) => self.on_hub(event, &mut last_active).await,
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "chat socket fell behind the hub");
                        Next::Continue
                    }
                    Err(broadcast::error::RecvError::Closed) => Next::Continue,
                },
                _ = recheck.tick() => {
                    // An expired token, a disabled or deleted account: the socket ends.
                    if !self.auth.still_valid(&self.state.db).await {
                        break Some(CloseReason {
                            code: CloseCode::Policy,
                            description: Some("session ended".into()),
                        });
                    }
                    Next::Continue
                }
                _ = heartbeat.tick() => {
                    if last_active.elapsed() > idle {
                        break Some(CloseReason {
                            code: CloseCode::Normal,
                            description: Some("idle timeout".into()),
                        });
                    }
                    if last_heard.elapsed() > beat * 3 {
                        break Some(CloseReason {
                            code: CloseCode::Away,
                            description: Some("no answer to pings".into()),
                        });
                    }
                    match self.socket.ping(b"").await {
                        Ok(()) => Next::Continue,
                        Err(_) => Next::Stop,
                    }
                }
            };
            if let Next::Stop = next {
                break None;
            }
        };
        if let Some(task) = self.answering.take() {
            task.abort();
        }
        let _ = self.socket.close(close).await;
    }

    async fn send(&mut self, frame: &ServerFrame) -> Next {
        let Ok(json) = serde_json::to_string(frame) else {
            return Next::Continue;
        };
        match self.socket.text(json).await {
            Ok(()) => Next::Continue,
            Err(_) => Next::Stop,
        }
    }

    async fn error(&mut self, code: Code, detail: impl Into<String>) -> Next {
        self.send(&ServerFrame::error(code, detail)).await
    }

    async fn on_message(&mut self, message: AggregatedMessage) -> Next {
        match message {
            AggregatedMessage::Text(text) => self.on_text(&text).await,
            AggregatedMessage::Binary(_) => {
                self.error(Code::UnsupportedFrame, "send JSON in text frames")
                    .await
            }
            AggregatedMessage::Ping(bytes) => match self.socket.pong(&bytes).await {
                Ok(()) => Next::Continue,
                Err(_) => Next::Stop,
            },
            AggregatedMessage::Pong(_) => Next::Continue,
            AggregatedMessage::Close(_) => Next::Stop,
        }
    }

    async fn on_text(&mut self, text: &str) -> Next {
        let max = self.state.settings.chat.max_frame_bytes;
        if text.len() > max {
            return self
                .error(
                    Code::FrameTooLarge,
                    format!("frames are at most {max} bytes"),
                )
                .await;
        }
        let frame = match serde_json::from_str::<ClientFrame>(text) {
            Ok(frame) => frame,
            Err(e) => {
                let code = if serde_json::from_str::<serde_json::Value>(text).is_ok() {
                    Code::InvalidFrame
                } else {
                    Code::InvalidJson
                };
                return self.error(code, e.to_string()).await;
            }
        };
        if !matches!(frame, ClientFrame::Typing)
            && self
                .state
                .chat_limits
                .message(self.caller.user.0, &self.client)
                .is_err()
        {
            return self
                .error(Code::RateLimited, "too many messages; wait a moment")
                .await;
        }
        let result = match frame {
            ClientFrame::Typing => Ok(Next::Continue),
            ClientFrame::Message { text } => self.on_question(text).await,
            ClientFrame::Handoff => self.on_handoff().await,
            ClientFrame::Resume { session_id } => self.on_resume(session_id).await,
        };
        match result {
            Ok(next) => next,
            Err(e) => {
                let (code, detail) = e.client_view();
                self.error(code, detail).await
            }
        }
    }

    fn busy(&self) -> bool {
        self.answering.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// The connection's session, opened on first use.
    async fn session(&mut self) -> Result<SessionView, AppError> {
        if let Some(chat) = &self.chat {
            // Re-read: a handoff on another connection may have changed it.
            let (caller, id) = (self.caller, chat.id);
            let fresh = TenantTx::run(&self.state.db, caller.tenant, async |tx| {
                service::find_session(tx, &caller, id).await
            })
            .await?;
            self.chat = Some(fresh.clone());
            return Ok(fresh);
        }
        let opened = desk::open_session(self.state.desk(), &self.caller).await?;
        self.chat = Some(opened.clone());
        self.send(&ServerFrame::Session {
            session_id: opened.id,
            status: opened.status,
            ticket_id: opened.ticket_id,
            messages: Vec::new(),
        })
        .await;
        Ok(opened)
    }

    async fn on_question(&mut self, text: String) -> Result<Next, AppError> {
        if self.busy() {
            return Ok(self
                .error(Code::Busy, "wait for the answer to the previous message")
                .await);
        }
        super::parse_message(self.state.settings.chat.max_message_chars, &text)?;
        let chat = self.session().await?;
        let state = self.state.clone();
        let caller = self.caller;
        let frames = self.frames_tx.clone();
        self.answering = Some(tokio::spawn(async move {
            let mut emit = |frame: ServerFrame| {
                let _ = frames.send(frame);
            };
            if let Err(e) = desk::ask(state.desk(), &caller, &chat, &text, &mut emit).await {
                let (code, detail) = e.client_view();
                let _ = frames.send(ServerFrame::error(code, detail));
            }
        }));
        Ok(Next::Continue)
    }

    async fn on_handoff(&mut self) -> Result<Next, AppError> {
        if self.busy() {
            return Ok(self
                .error(Code::Busy, "wait for the answer to the previous message")
                .await);
        }
        let chat = self.session().await?;
        let ticket = desk::handoff(self.state.desk(), &self.caller, chat.id).await?;
        self.chat = Some(SessionView {
            status: super::model::SessionStatus::HandedOff,
            ticket_id: Some(ticket.id.0),
            ..chat
        });
        Ok(self
            .send(&ServerFrame::TicketCreated {
                ticket: TicketRef::from(&ticket),
            })
            .await)
    }

    async fn on_resume(&mut self, id: uuid::Uuid) -> Result<Next, AppError> {
        if self.busy() {
            return Ok(self
                .error(Code::Busy, "wait for the answer to the previous message")
                .await);
        }
        let caller = self.caller;
        let (chat, messages) = TenantTx::run(&self.state.db, caller.tenant, async |tx| {
            let chat = service::find_session(tx, &caller, super::SessionId(id)).await?;
            let messages = service::history(tx, chat.id).await?;
            Ok((chat, messages))
        })
        .await?;
        self.chat = Some(chat.clone());
        Ok(self
            .send(&ServerFrame::Session {
                session_id: chat.id,
                status: chat.status,
                ticket_id: chat.ticket_id,
                messages,
            })
            .await)
    }

    async fn on_hub(&mut self, event: super::hub::HubEvent, last_active: &mut Instant) -> Next {
        let mine = self
            .chat
            .as_ref()
            .is_some_and(|c| c.id == event.session && event.tenant == self.caller.tenant);
        if !mine {
            return Next::Continue;
        }
        *last_active = Instant::now();
        self.send(&ServerFrame::AgentMessage {
            message_id: event.message.id,
            text: event.message.text,
            created_at: event.message.created_at,
        })
        .await
    }
}
