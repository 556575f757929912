//! One turn of the help chat, the same over the WebSocket and the REST fallback: store the
//! visitor's message, answer it from the knowledge base (or abstain and remember the gap),
//! hand off to a person on request, and relay agents' replies to the visitor.

use tracing::instrument;

use super::Desk;
use super::intake::{create_routed, started};
use crate::auth::{AuthUser, CallerRole};
use crate::chat::{
    self, HubEvent, MessageView, ServerFrame, SessionId, SessionStatus, SessionView, Speaker,
    TicketRef, wants_human,
};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::knowledge::Audience;
use crate::rag::{ABSTAIN_TEXT, Outcome, SUGGEST_TEXT, Source};
use crate::tenancy;
use crate::tickets::{
    self, CreateTicket, NewTicket, TicketBody, TicketEventView, TicketId, TicketView, Visibility,
};
use crate::usage::Counts;

/// A new session for `caller`, within the visitor's hourly budget of sessions.
pub async fn open_session(desk: Desk<'_>, caller: &AuthUser) -> Result<SessionView, AppError> {
    desk.chat_limits.new_session(caller.user.0)?;
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    let session = chat::open_session(&tx, caller).await?;
    tx.commit().await?;
    Ok(session)
}

/// Answers `text` in `session`, passing every frame (streamed tokens first) to `emit`. No
/// transaction stays open while the model writes.
#[instrument(skip_all, fields(tenant = %caller.tenant, session = %session.id))]
pub async fn ask(
    desk: Desk<'_>,
    caller: &AuthUser,
    session: &SessionView,
    text: &str,
    emit: &mut (dyn FnMut(ServerFrame) + Send),
) -> Result<(), AppError> {
    let tenant = caller.tenant;
    let text = chat::parse_message(desk.chat_settings.max_message_chars, text)?;
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let stored = chat::append(&tx, session.id, Speaker::Visitor, &text, &[], false).await?;
    if session.status == SessionStatus::HandedOff {
        // The person working the ticket answers now: the message goes to the ticket.
        if let Some(ticket) = session.ticket_id {
            let ticket = tickets::get_ticket(&tx, TicketId(ticket)).await?;
            let body = TicketBody::parse(&stored.text)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("comment body: {e}")))?;
            tickets::add_comment(
                &tx,
                ticket.id,
                ticket.requester_id,
                &body,
                Visibility::Public,
            )
            .await?;
            tx.commit().await?;
            emit(ServerFrame::Forwarded {
                message_id: stored.id,
                ticket_id: ticket.id.0,
            });
        } else {
            tx.commit().await?;
        }
        return Ok(());
    }
    tx.commit().await?;
    if wants_human(&text) {
        let ticket = handoff(desk, caller, session.id).await?;
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
    let answer = desk
        .rag
        // The help chat cites public documents only, whoever asks.
        .answer(
            desk.knowledge,
            tenant,
            &text,
            Audience::Public,
            &mut on_token,
        )
        .await?;
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let gap = (answer.question.as_str(), answer.query_vector.as_slice());
    let frame = match answer.outcome {
        Outcome::Answered(cited) => {
            let stored =
                chat::append_reply(&tx, session.id, &cited.text, &cited.citations, "answered")
                    .await?;
            ServerFrame::Answer {
                message_id: stored.id,
                text: stored.text,
                citations: cited.citations,
            }
        }
        Outcome::Suggested { pages, reason } => {
            let stored =
                unanswered(&tx, session.id, (SUGGEST_TEXT, "suggested"), &pages, gap).await?;
            ServerFrame::Suggestions {
                message_id: stored.id,
                text: stored.text,
                pages,
                reason,
                offer_handoff: true,
            }
        }
        Outcome::Abstained { reason } => {
            let stored = unanswered(&tx, session.id, (ABSTAIN_TEXT, "abstained"), &[], gap).await?;
            ServerFrame::Abstained {
                message_id: stored.id,
                text: stored.text,
                reason,
                offer_handoff: true,
            }
        }
    };
    tx.commit().await?;
    emit(frame);
    Ok(())
}

/// Stores the bot's reply that is not an answer, and the question as a knowledge gap.
async fn unanswered(
    tx: &TenantTx,
    session: SessionId,
    (text, outcome): (&str, &str),
    pages: &[Source],
    (question, vector): (&str, &[f32]),
) -> Result<MessageView, AppError> {
    let stored = chat::append_reply(tx, session, text, pages, outcome).await?;
    chat::record_gap(tx, Some(session), question, vector).await?;
    Ok(stored)
}

/// Opens a ticket for the session, once: a second handoff, even a concurrent one, answers
/// with the same ticket. The visitor's last question is the subject and the redacted
/// transcript the body. Everything — the ticket, its routing, the session's link to it and
/// the system message — is one transaction, so a failure leaves no half-done handoff.
#[instrument(skip_all, fields(tenant = %caller.tenant, session = %session))]
pub async fn handoff(
    desk: Desk<'_>,
    caller: &AuthUser,
    session: SessionId,
) -> Result<TicketView, AppError> {
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    // Holding the session's row makes a concurrent handoff wait here, then find the ticket.
    let current = chat::lock_session(&tx, caller, session).await?;
    if let Some(existing) = current.ticket_id {
        let ticket = tickets::get_ticket(&tx, TicketId(existing)).await?;
        tx.commit().await?;
        return Ok(ticket);
    }
    desk.chat_limits.new_handoff(caller.user.0)?;
    let history = chat::history(&tx, session).await?;
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
        CallerRole::Visitor => tenancy::ensure_visitor_user(&tx, caller.user).await?,
        _ => caller.user,
    };
    let input = CreateTicket::parse(&NewTicket {
        requester_id: requester.0,
        subject,
        body,
        priority: None,
        queue: None,
        status: None,
        closed_at: None,
    })?;
    let ticket = create_routed(desk.intake, &tx, input, false).await?;
    if !chat::mark_handed_off(&tx, session, ticket.id).await? {
        // The row lock rules this out; were it to happen, nothing of this handoff stays.
        return Err(AppError::Internal(anyhow::anyhow!(
            "session {session} was handed off while locked"
        )));
    }
    chat::append(
        &tx,
        session,
        Speaker::System,
        &format!(
            "A person from our team will reply here. Your ticket number is #{}.",
            ticket.number
        ),
        &[],
        false,
    )
    .await?;
    tx.commit().await?;
    desk.rag.usage().add(
        caller.tenant,
        Counts {
            handoffs: 1,
            ..Counts::default()
        },
    );
    started(desk.intake, &ticket).await;
    // The ticket stands without its summary: a failure here is logged, and an agent can
    // ask for one again.
    if let Err(e) = super::summarize_handoff(desk, caller.tenant, ticket.id, &history).await {
        tracing::warn!(error = %e, "handoff summary not written");
    }
    Ok(ticket)
}

/// A reply or an internal note on a ticket. A reply from staff on a handed-off chat also
/// reaches the visitor, live; a note never leaves the ticket. The comment stands on its
/// own: a relay that fails is logged and the visitor reads the reply when the chat resumes.
#[instrument(skip_all, fields(tenant = %caller.tenant, ticket = %ticket))]
pub async fn reply_on_ticket(
    desk: Desk<'_>,
    caller: &AuthUser,
    ticket: TicketId,
    body: &TicketBody,
    visibility: Visibility,
) -> Result<TicketEventView, AppError> {
    if visibility == Visibility::Internal && !caller.role.is_staff() {
        return Err(AppError::Forbidden(
            Code::ActionForbidden,
            "only staff write internal notes".into(),
        ));
    }
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    let comment = tickets::add_comment(&tx, ticket, caller.user, body, visibility).await?;
    tx.commit().await?;
    if visibility == Visibility::Public {
        relay_reply(desk, caller, ticket, body.as_str()).await;
    }
    Ok(comment)
}

/// Passes a staff member's public reply on to the ticket's chat, if it came from one.
pub(super) async fn relay_reply(desk: Desk<'_>, caller: &AuthUser, ticket: TicketId, text: &str) {
    if caller.role.is_staff()
        && let Err(e) = relay_agent_reply(desk, caller, ticket, text).await
    {
        tracing::warn!(error = %e, "agent reply not relayed to its chat");
    }
}

async fn relay_agent_reply(
    desk: Desk<'_>,
    caller: &AuthUser,
    ticket: TicketId,
    text: &str,
) -> Result<(), AppError> {
    let tenant = caller.tenant;
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let Some(session) = chat::session_of_ticket(&tx, ticket).await? else {
        tx.commit().await?;
        return Ok(());
    };
    let message = chat::append(
        &tx,
        session,
        Speaker::Agent,
        text,
        &[],
        desk.chat.notifies(),
    )
    .await?;
    tx.commit().await?;
    desk.chat.stored(HubEvent {
        tenant,
        session,
        message,
    });
    Ok(())
}
