//! One turn of the help chat, the same over the WebSocket and the REST fallback: store the
//! visitor's message, answer it from the knowledge base (or abstain and remember the gap),
//! hand off to a person on request, and relay agents' replies.

use std::sync::LazyLock;

use regex::Regex;

use super::hub::HubEvent;
use super::model::{ServerFrame, SessionStatus, SessionView, Speaker, TicketRef};
use super::service;
use crate::app::AppState;
use crate::auth::{AuthUser, CallerRole};
use crate::error::AppError;
use crate::rag::{ABSTAIN_TEXT, Outcome};
use crate::tenancy;
use crate::tickets::{self, CreateTicket, NewTicket, TicketBody, TicketId, TicketView};
use crate::validation::{Fields, Invalid};

/// A visitor asking for a person rather than an answer.
static WANTS_HUMAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(talk|speak|chat|connect|transfer|put)\b.{0,20}\b(human|person|agent|someone|somebody|representative|operator|staff)\b|\b(human|real person|live agent)\s*(please|pls)?\s*[.!?]*$",
    )
    .unwrap_or_else(|e| panic!("handoff pattern: {e}"))
});

pub fn wants_human(text: &str) -> bool {
    WANTS_HUMAN.is_match(text.trim())
}

/// A visitor's message, trimmed and bounded.
pub fn parse_message(state: &AppState, text: &str) -> Result<String, AppError> {
    let trimmed = text.trim();
    let max = state.settings.chat.max_message_chars;
    let mut fields = Fields::new();
    if trimmed.is_empty() {
        fields.add("text", Invalid::new("empty", "a message needs some text"));
    } else if trimmed.chars().count() > max {
        fields.add(
            "text",
            Invalid::new("too_long", format!("a message is at most {max} characters")),
        );
    }
    fields.finish()?;
    Ok(trimmed.to_owned())
}

/// Answers `text` in `session`, passing every frame (streamed tokens first) to `emit`.
pub async fn ask(
    state: &AppState,
    caller: &AuthUser,
    session: &SessionView,
    text: &str,
    emit: &mut (dyn FnMut(ServerFrame) + Send),
) -> Result<(), AppError> {
    let tenant = caller.tenant;
    let text = parse_message(state, text)?;
    let stored = service::append(
        &state.db,
        tenant,
        session.id,
        Speaker::Visitor,
        &text,
        &[],
        false,
    )
    .await?;
    if session.status == SessionStatus::HandedOff {
        // The person working the ticket answers now: the message goes to the ticket.
        if let Some(ticket) = session.ticket_id {
            let ticket = tickets::get_ticket(&state.db, tenant, TicketId(ticket)).await?;
            let body = TicketBody::parse(&stored.text)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("comment body: {e}")))?;
            tickets::add_comment(&state.db, tenant, ticket.id, ticket.requester_id, &body).await?;
            emit(ServerFrame::Forwarded {
                message_id: stored.id,
                ticket_id: ticket.id.0,
            });
        }
        return Ok(());
    }
    if wants_human(&text) {
        let ticket = handoff(state, caller, session).await?;
        emit(ServerFrame::TicketCreated {
            ticket: TicketRef::from(&ticket),
        });
        return Ok(());
    }
    let mut on_token = |piece: &str| {
        emit(ServerFrame::Token {
            text: piece.to_owned(),
        })
    };
    let answer = state
        .rag
        // The help chat cites public documents only, whoever asks.
        .answer(
            &state.knowledge,
            tenant,
            &text,
            crate::knowledge::Audience::Public,
            &mut on_token,
        )
        .await?;
    match answer.outcome {
        Outcome::Answered(cited) => {
            let stored = service::append(
                &state.db,
                tenant,
                session.id,
                Speaker::Assistant,
                &cited.text,
                &cited.citations,
                false,
            )
            .await?;
            emit(ServerFrame::Answer {
                message_id: stored.id,
                text: stored.text,
                citations: cited.citations,
            });
        }
        Outcome::Abstained { reason } => {
            let stored = service::append(
                &state.db,
                tenant,
                session.id,
                Speaker::Assistant,
                ABSTAIN_TEXT,
                &[],
                false,
            )
            .await?;
            service::record_gap(
                &state.db,
                tenant,
                Some(session.id),
                &answer.question,
                &answer.query_vector,
            )
            .await?;
            emit(ServerFrame::Abstained {
                message_id: stored.id,
                text: stored.text,
                reason,
                offer_handoff: true,
            });
        }
    }
    Ok(())
}

/// A new session for `caller`, within the visitor's hourly budget of sessions.
pub async fn open_session(state: &AppState, caller: &AuthUser) -> Result<SessionView, AppError> {
    state.chat_limits.new_session(caller.user.0)?;
    service::open_session(&state.db, caller.tenant, caller).await
}

/// Opens a ticket for the session (once: a second handoff returns the same ticket), with
/// the visitor's last question as subject and the redacted transcript as body.
pub async fn handoff(
    state: &AppState,
    caller: &AuthUser,
    session: &SessionView,
) -> Result<TicketView, AppError> {
    let tenant = caller.tenant;
    if let Some(ticket) = session.ticket_id {
        return tickets::get_ticket(&state.db, tenant, TicketId(ticket)).await;
    }
    state.chat_limits.new_handoff(caller.user.0)?;
    let history = service::history(&state.db, tenant, session.id).await?;
    let question = history
        .iter()
        .rev()
        .filter(|m| m.role == Speaker::Visitor)
        .map(|m| m.text.as_str())
        .find(|t| !wants_human(t))
        .unwrap_or("Chat visitor asked for a person");
    let subject: String = question.chars().take(120).collect();
    let mut transcript = String::from("Handed off from the help chat. Transcript (redacted):\n\n");
    for message in &history {
        transcript.push_str(&format!("{}: {}\n", message.role.as_str(), message.text));
    }
    if history.is_empty() {
        transcript.push_str("(no messages)\n");
    }
    let body: String = transcript.chars().take(tickets::MAX_BODY_CHARS).collect();
    let requester = match caller.role {
        CallerRole::Visitor => tenancy::ensure_visitor_user(&state.db, tenant, caller.user).await?,
        _ => caller.user,
    };
    let mut input = CreateTicket::parse(&NewTicket {
        requester_id: requester.0,
        subject,
        body,
        priority: None,
        queue: None,
        status: None,
        closed_at: None,
    })?;
    state
        .triage
        .route_new_ticket(
            &state.db,
            tenant,
            &mut input,
            false,
            state.workflow.assigns_on_creation(),
        )
        .await?;
    let ticket = tickets::create_ticket(&state.db, tenant, input).await?;
    crate::routing::start_or_defer(&state.workflow, tenant, &ticket).await;
    if !service::mark_handed_off(&state.db, tenant, session.id, ticket.id).await? {
        // A concurrent handoff won; answer with its ticket.
        let current = service::find_session(&state.db, tenant, caller, session.id).await?;
        if let Some(existing) = current.ticket_id {
            return tickets::get_ticket(&state.db, tenant, TicketId(existing)).await;
        }
    }
    service::append(
        &state.db,
        tenant,
        session.id,
        Speaker::System,
        &format!(
            "A person from our team will reply here. Your ticket number is #{}.",
            ticket.number
        ),
        &[],
        false,
    )
    .await?;
    Ok(ticket)
}

/// Sends an agent's public reply on a handed-off ticket to its chat session, live.
pub async fn relay_agent_reply(
    state: &AppState,
    caller: &AuthUser,
    ticket: TicketId,
    text: &str,
) -> Result<(), AppError> {
    if !caller.role.is_staff() {
        return Ok(());
    }
    let tenant = caller.tenant;
    let Some(session) = service::session_of_ticket(&state.db, tenant, ticket).await? else {
        return Ok(());
    };
    let message = service::append(
        &state.db,
        tenant,
        session,
        Speaker::Agent,
        text,
        &[],
        state.chat.notifies(),
    )
    .await?;
    state.chat.stored(HubEvent {
        tenant,
        session,
        message,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_for_a_person_are_recognised() {
        for text in [
            "can I talk to a human?",
            "I want to speak with someone",
            "connect me to an agent please",
            "human please",
            "Real person!",
        ] {
            assert!(wants_human(text), "{text}");
        }
        for text in [
            "how do I reset my password",
            "what is the human resources phone number",
            "who is the agent for travel bookings",
        ] {
            assert!(!wants_human(text), "{text}");
        }
    }
}
