//! Agent assist: a draft reply to a ticket, written from the knowledge base with citations.

use serde::Serialize;
use tracing::instrument;
use uuid::Uuid;

use super::Desk;
use crate::database::TenantTx;
use crate::error::AppError;
use crate::ids::TenantId;
use crate::knowledge::Audience;
use crate::rag::{AbstainReason, Outcome, Source};
use crate::tickets::{self, TicketId};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestedReply {
    pub ticket_id: Uuid,
    /// `answered`, `suggested` or `abstained`.
    #[schema(value_type = String, examples("answered", "suggested", "abstained"))]
    pub outcome: &'static str,
    /// `null` unless the knowledge base answers the ticket with confidence.
    pub draft: Option<String>,
    pub citations: Vec<Source>,
    /// Pages that may help when there is no confident draft (the `suggested` outcome).
    pub suggestions: Vec<Source>,
    /// Why there is no draft.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abstained: Option<AbstainReason>,
    /// 0–1: the chat's confidence that the pages answer the ticket: below
    /// `rag.min_answerability` there is neither draft nor suggestion. Whether a draft is
    /// given reads a confidence of its own (`rag.answer_threshold`, docs/chat.md).
    pub answerability: f32,
}

/// The ticket's words that retrieval reads: its subject and the start of its body.
const QUESTION_CHARS: usize = 600;

/// A draft for staff: internal documents may be cited too.
#[instrument(skip_all, fields(tenant = %tenant, ticket = %ticket))]
pub async fn suggest_reply(
    desk: Desk<'_>,
    tenant: TenantId,
    ticket: TicketId,
) -> Result<SuggestedReply, AppError> {
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let ticket = tickets::get_ticket(&tx, ticket).await?;
    tx.commit().await?;
    let question: String = format!("{}\n{}", ticket.subject, ticket.body)
        .chars()
        .take(QUESTION_CHARS)
        .collect();
    let answer = desk
        .rag
        .answer(
            desk.knowledge,
            tenant,
            &question,
            Audience::Staff,
            &mut |_| {},
        )
        .await?;
    let outcome = answer.outcome.label();
    let mut reply = SuggestedReply {
        ticket_id: ticket.id.0,
        outcome,
        draft: None,
        citations: Vec::new(),
        suggestions: Vec::new(),
        abstained: None,
        answerability: answer.answerability,
    };
    match answer.outcome {
        Outcome::Answered(cited) => {
            reply.draft = Some(format!("Hello,\n\n{}\n\nBest regards", cited.text));
            reply.citations = cited.citations;
        }
        Outcome::Suggested { pages, reason } => {
            reply.suggestions = pages;
            reply.abstained = Some(reason);
        }
        Outcome::Abstained { reason } => reply.abstained = Some(reason),
    }
    Ok(reply)
}
