//! Agent assist: a draft reply to a ticket, written from the knowledge base with citations.

use actix_web::{HttpResponse, web};
use serde::Serialize;
use uuid::Uuid;

use super::{AbstainReason, Outcome, Source};
use crate::app::AppState;
use crate::auth::{Action, AuthUser, Resource};
use crate::error::AppError;
use crate::tickets::{self, TicketId};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/tickets/{id}/suggested-reply",
        web::post().to(create_suggested_reply),
    );
}

#[derive(Serialize)]
struct SuggestedReply {
    ticket_id: Uuid,
    /// `None` when the knowledge base does not cover the ticket.
    draft: Option<String>,
    citations: Vec<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    abstained: Option<AbstainReason>,
    answerability: f32,
}

/// The ticket's words that retrieval reads: its subject and the start of its body.
const QUESTION_CHARS: usize = 600;

async fn create_suggested_reply(
    state: web::Data<AppState>,
    caller: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    state
        .authz
        .require(&caller, Resource::Tickets, Action::Update)?;
    let ticket = tickets::get_ticket(&state.db, caller.tenant, TicketId(*id)).await?;
    let question: String = format!("{}\n{}", ticket.subject, ticket.body)
        .chars()
        .take(QUESTION_CHARS)
        .collect();
    let answer = state
        .rag
        .answer(
            &state.knowledge,
            caller.tenant,
            &question,
            // Agent assist: internal documents serve staff too.
            crate::knowledge::Audience::Staff,
            &mut |_| {},
        )
        .await?;
    let reply = match answer.outcome {
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
    };
    Ok(HttpResponse::Ok().json(reply))
}
