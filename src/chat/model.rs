//! The chat's ids, views and the WebSocket protocol's frames (docs/chat-protocol.md).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Code;
use crate::ids::uuid_newtype;
use crate::rag::{AbstainReason, Source};
use crate::tickets::TicketView;

uuid_newtype!(
    /// One conversation of one visitor (or customer) with the bot and, after a handoff,
    /// with the agents working its ticket.
    SessionId
);

crate::validation::string_enum!(SessionStatus, "session_status", {
    Active => "active",
    HandedOff => "handed_off",
    Closed => "closed",
});

crate::validation::string_enum!(Speaker, "speaker", {
    Visitor => "visitor",
    Assistant => "assistant",
    Agent => "agent",
    System => "system",
});

/// One stored chat turn; `text` is redacted.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MessageView {
    pub id: Uuid,
    pub role: Speaker,
    pub text: String,
    pub citations: Vec<Source>,
    /// A bot message's outcome (`answered`, `suggested`, `abstained`): only answers are
    /// rated with a thumb.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct SessionView {
    pub id: SessionId,
    pub status: SessionStatus,
    pub ticket_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// What a chat client sends.
#[derive(Debug, Clone, PartialEq, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientFrame {
    Message { text: String },
    Handoff,
    Typing,
    Resume { session_id: Uuid },
}

/// The part of a ticket a visitor is shown.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TicketRef {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub status: String,
    pub queue: String,
}

impl From<&TicketView> for TicketRef {
    fn from(t: &TicketView) -> Self {
        Self {
            id: t.id.0,
            number: t.number,
            subject: t.subject.clone(),
            status: t.status.as_str().to_owned(),
            queue: t.queue.clone(),
        }
    }
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    /// The conversation this connection is in, with its history (on start and resume).
    Session {
        session_id: SessionId,
        status: SessionStatus,
        ticket_id: Option<Uuid>,
        messages: Vec<MessageView>,
    },
    /// A streamed piece of the answer being written; `answer` carries the final text.
    Token {
        text: String,
    },
    Answer {
        message_id: Uuid,
        text: String,
        citations: Vec<Source>,
    },
    /// No confident answer, but pages that may help: titled links, no quote.
    Suggestions {
        message_id: Uuid,
        text: String,
        pages: Vec<Source>,
        reason: AbstainReason,
        offer_handoff: bool,
    },
    Abstained {
        message_id: Uuid,
        text: String,
        reason: AbstainReason,
        offer_handoff: bool,
    },
    TicketCreated {
        ticket: TicketRef,
    },
    /// After a handoff: the visitor's message was added to the ticket for its agents.
    Forwarded {
        message_id: Uuid,
        ticket_id: Uuid,
    },
    AgentMessage {
        message_id: Uuid,
        text: String,
        created_at: DateTime<Utc>,
    },
    Error {
        code: String,
        detail: String,
    },
}

impl ServerFrame {
    /// An error frame: its code is one of the API's ([`Code`]), as in a problem body.
    pub fn error(code: Code, detail: impl Into<String>) -> Self {
        Self::Error {
            code: code.as_str().to_owned(),
            detail: detail.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_frames_parse_by_type() {
        let parsed: ClientFrame =
            serde_json::from_str(r#"{"type":"message","text":"hi"}"#).expect("message");
        assert_eq!(parsed, ClientFrame::Message { text: "hi".into() });
        let id = Uuid::from_u128(7);
        let parsed: ClientFrame =
            serde_json::from_str(&format!(r#"{{"type":"resume","session_id":"{id}"}}"#))
                .expect("resume");
        assert_eq!(parsed, ClientFrame::Resume { session_id: id });
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"shout"}"#).is_err());
        assert!(serde_json::from_str::<ClientFrame>(r#"{"type":"message"}"#).is_err());
    }

    #[test]
    fn server_frames_are_tagged() {
        let json =
            serde_json::to_value(ServerFrame::error(Code::InvalidJson, "nope")).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"type": "error", "code": "invalid_json", "detail": "nope"})
        );
    }
}
