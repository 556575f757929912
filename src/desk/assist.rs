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

#[derive(Debug, Serialize)]
pub struct SuggestedReply {
    pub ticket_id: Uuid,
    /// `None` when the knowledge base does not cover the ticket.
    pub draft: Option<String>,
    pub citations: Vec<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abstained: Option<AbstainReason>,
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
    Ok(match answer.outcome {
        Outcome::Answered(cited) => SuggestedReply {
            ticket_id: ticket.id.0,
            draft: Some(format!("Hello,\n\n{}\n\nBest regards", cited.text)),
            citations: cited.citations,
            abstained: None,
            answerability: answer.answerability,
        },
        Outcome::Abstained { reason } => SuggestedReply {
            ticket_id: ticket.id.0,
            draft: None,
            citations: Vec::new(),
            abstained: Some(reason),
            answerability: answer.answerability,
        },
    })
}
