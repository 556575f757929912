//! Satisfaction: the visitor rates a chat or one answer in the widget, the requester rates
//! a solved ticket through a signed link. A bad rating can reopen the ticket (a tenant
//! setting), and a thumbs-down on an answer becomes a knowledge gap.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tracing::instrument;
use uuid::Uuid;

use super::Desk;
use crate::auth::{AuthUser, issue_rating_token, verify_rating_token};
use crate::chat::{self, SessionId, Speaker};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::feedback::{self, RatingView, Score, Subject};
use crate::tenancy::{self, TenantId};
use crate::tickets::{self, Status, TicketId, TicketPatch, TicketView};

/// How long a ticket's rating link stays valid.
const LINK_TTL_SECS: i64 = 30 * 24 * 3600;

fn requester_only(caller: &AuthUser) -> Result<(), AppError> {
    if caller.role.is_staff() {
        return Err(AppError::Forbidden(
            Code::ActionForbidden,
            "ratings are the requester's to give".into(),
        ));
    }
    Ok(())
}

/// Reopens `ticket`, solved, after a bad rating, when the tenant asks for that.
async fn maybe_reopen(tx: &TenantTx, ticket: &TicketView, score: Score) -> Result<(), AppError> {
    if score != Score::Bad
        || !matches!(ticket.status, Status::Resolved | Status::Closed)
        || !tenancy::settings_of(tx).await?.csat.reopen_on_bad
    {
        return Ok(());
    }
    let patch = TicketPatch {
        status: Some(Status::Open),
        ..TicketPatch::default()
    };
    tickets::update_ticket(tx, ticket.id, ticket.version, &patch, None).await?;
    Ok(())
}

/// The visitor's (or customer's) rating of their chat. A bad one reopens the chat's
/// ticket when it has one that is solved and the tenant says so.
#[instrument(skip_all, fields(tenant = %caller.tenant, session = %session))]
pub async fn rate_chat(
    desk: Desk<'_>,
    caller: &AuthUser,
    session: SessionId,
    score: Score,
    comment: Option<&str>,
) -> Result<RatingView, AppError> {
    requester_only(caller)?;
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    let found = chat::find_session(&tx, caller, session).await?;
    let rating = feedback::record(&tx, Subject::Chat(session.0), score, comment).await?;
    if let Some(ticket) = found.ticket_id {
        let ticket = tickets::get_ticket(&tx, TicketId(ticket)).await?;
        maybe_reopen(&tx, &ticket, score).await?;
    }
    tx.commit().await?;
    Ok(rating)
}

/// A thumbs up or down on one bot answer. Down records the question as a knowledge gap,
/// beside the ones the bot abstained on.
#[instrument(skip_all, fields(tenant = %caller.tenant, message = %message))]
pub async fn rate_answer(
    desk: Desk<'_>,
    caller: &AuthUser,
    message: Uuid,
    score: Score,
) -> Result<RatingView, AppError> {
    requester_only(caller)?;
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    let not_found = || AppError::NotFound(Code::MessageNotFound, "no such answer".into());
    let (session, answer) = chat::get_message(&tx, message)
        .await?
        .ok_or_else(not_found)?;
    // Only the session's owner reaches its messages.
    chat::find_session(&tx, caller, session)
        .await
        .map_err(|_| not_found())?;
    if answer.role != Speaker::Assistant || answer.outcome.as_deref() != Some("answered") {
        return Err(AppError::validation(
            "message_id",
            "not_an_answer",
            "only the bot's answers are rated with a thumb",
        ));
    }
    let rating = feedback::record(&tx, Subject::Answer(message), score, None).await?;
    let question = if score == Score::Bad {
        chat::history(&tx, session)
            .await?
            .into_iter()
            .take_while(|m| m.id != message)
            .filter(|m| m.role == Speaker::Visitor)
            .last()
            .map(|m| m.text)
    } else {
        None
    };
    tx.commit().await?;
    if let Some(question) = question {
        let vector = desk.knowledge.embed_query(caller.tenant, &question).await?;
        let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
        chat::record_gap(&tx, Some(session), &question, &vector).await?;
        tx.commit().await?;
    }
    Ok(rating)
}

/// A link the requester opens to rate a solved ticket, without signing in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingLink {
    /// Relative to where the web app is served: the token travels in the fragment, so it
    /// stays out of server logs.
    pub path: String,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// The signed link that rates `ticket`, for its requester or staff to pass on.
#[instrument(skip_all, fields(tenant = %caller.tenant, ticket = %ticket))]
pub async fn rating_link(
    desk: Desk<'_>,
    caller: &AuthUser,
    ticket: TicketId,
) -> Result<RatingLink, AppError> {
    let keys = desk.auth.keys(desk.db()).await?;
    let token = issue_rating_token(
        &keys,
        &desk.auth.settings,
        caller.tenant,
        ticket.0,
        LINK_TTL_SECS,
    )?;
    Ok(RatingLink {
        path: format!("/rate#token={token}"),
        token,
        expires_at: Utc::now() + chrono::Duration::seconds(LINK_TTL_SECS),
    })
}

/// What a rating link tells its page before the requester chooses.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RatingTarget {
    pub ticket_number: i64,
    pub subject: String,
    pub status: Status,
    /// The rating already given, if any: a link rates once.
    pub rated: bool,
}

async fn link_ticket(desk: Desk<'_>, token: &str) -> Result<(TenantId, TicketId), AppError> {
    let keys = desk.auth.keys(desk.db()).await?;
    let (tenant, ticket) = verify_rating_token(&keys, &desk.auth.settings, token)?;
    Ok((tenant, TicketId(ticket)))
}

#[instrument(skip_all)]
pub async fn rating_target(desk: Desk<'_>, token: &str) -> Result<RatingTarget, AppError> {
    let (tenant, ticket) = link_ticket(desk, token).await?;
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let found = tickets::get_ticket(&tx, ticket).await?;
    let rated = feedback::exists(&tx, Subject::Ticket(ticket.0)).await?;
    tx.commit().await?;
    Ok(RatingTarget {
        ticket_number: found.number,
        subject: found.subject,
        status: found.status,
        rated,
    })
}

/// The requester's rating of a solved ticket, through its signed link.
#[instrument(skip_all)]
pub async fn rate_ticket(
    desk: Desk<'_>,
    token: &str,
    score: Score,
    comment: Option<&str>,
) -> Result<RatingView, AppError> {
    let (tenant, ticket) = link_ticket(desk, token).await?;
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let found = tickets::get_ticket(&tx, ticket).await?;
    if !matches!(found.status, Status::Resolved | Status::Closed) {
        return Err(AppError::Conflict(
            Code::TicketNotSolved,
            "a ticket is rated once it is solved".into(),
        ));
    }
    let rating = feedback::record(&tx, Subject::Ticket(ticket.0), score, comment).await?;
    tickets::record_rating(&tx, ticket, score.as_str()).await?;
    maybe_reopen(&tx, &found, score).await?;
    tx.commit().await?;
    Ok(rating)
}
