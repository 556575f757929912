//! Data rights: everything the desk holds about one person (a customer, or a chat visitor)
//! handed over as one bundle, or anonymised everywhere. Both run in one transaction with
//! their audit record; counts, statuses and timestamps survive an erasure for reports.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use uuid::Uuid;

use crate::audit::{self, Action, Event};
use crate::chat::people::{self as chat_people, ErasedChat, GapRecord, SessionRecord};
use crate::database::TenantTx;
use crate::error::{AppError, Code};
use crate::feedback::{self, RatingRecord};
use crate::ids::Actor;
use crate::tenancy::{self, TenantId, UserId, UserView};
use crate::tickets::people::{self as ticket_people, CommentRecord, ErasedTickets, TicketRecord};

/// The records' shapes are in docs/privacy.md.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonExport {
    pub person_id: Uuid,
    pub exported_at: DateTime<Utc>,
    /// The account, when the person has one (visitors who never handed off have none).
    pub account: Option<UserView>,
    #[schema(value_type = Vec<Object>)]
    pub tickets: Vec<TicketRecord>,
    #[schema(value_type = Vec<Object>)]
    pub comments_on_other_tickets: Vec<CommentRecord>,
    #[schema(value_type = Vec<Object>)]
    pub chat_sessions: Vec<SessionRecord>,
    #[schema(value_type = Vec<Object>)]
    pub knowledge_gaps: Vec<GapRecord>,
    /// Their ratings of their chats and tickets, with their comments.
    #[schema(value_type = Vec<Object>)]
    pub ratings: Vec<RatingRecord>,
}

/// What an erasure removed or anonymised, counted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Erasure {
    pub person_id: Uuid,
    pub account: bool,
    #[schema(value_type = Object)]
    pub tickets: ErasedTickets,
    #[schema(value_type = Object)]
    pub chat: ErasedChat,
    /// Rating comments blanked (the scores stay).
    pub rating_comments: u64,
}

fn unknown() -> AppError {
    AppError::NotFound(
        Code::PersonNotFound,
        "this tenant holds nothing about that id".into(),
    )
}

async fn account_of(tx: &TenantTx, person: Uuid) -> Result<Option<UserView>, AppError> {
    match tenancy::get_user(tx, UserId(person)).await {
        Ok(user) => Ok(Some(user)),
        Err(AppError::NotFound(..)) => Ok(None),
        Err(err) => Err(err),
    }
}

pub async fn export_person(
    db: &DatabaseConnection,
    tenant: TenantId,
    actor: Actor,
    person: Uuid,
) -> Result<PersonExport, AppError> {
    TenantTx::run_as(db, tenant, actor, async |tx| {
        let account = account_of(tx, person).await?;
        let (tickets, comments_on_other_tickets) = ticket_people::export_person(tx, person).await?;
        let (chat_sessions, knowledge_gaps) = chat_people::export_person(tx, person).await?;
        let subjects = tickets
            .iter()
            .map(|t| t.id)
            .chain(chat_sessions.iter().map(|s| s.id))
            .collect();
        let ratings = feedback::of_subjects(tx, subjects).await?;
        if account.is_none()
            && tickets.is_empty()
            && comments_on_other_tickets.is_empty()
            && chat_sessions.is_empty()
        {
            return Err(unknown());
        }
        audit::record(
            tx,
            Event::new(Action::PersonExported)
                .on("person", person)
                .detail(serde_json::json!({
                    "tickets": tickets.len(),
                    "chat_sessions": chat_sessions.len(),
                })),
        )
        .await?;
        Ok(PersonExport {
            person_id: person,
            exported_at: Utc::now(),
            account,
            tickets,
            comments_on_other_tickets,
            chat_sessions,
            knowledge_gaps,
            ratings,
        })
    })
    .await
}

pub async fn erase_person(
    db: &DatabaseConnection,
    tenant: TenantId,
    actor: Actor,
    person: Uuid,
) -> Result<Erasure, AppError> {
    TenantTx::run_as(db, tenant, actor, async |tx| {
        // First, so that a staff id is refused before anything changes.
        let account = tenancy::erase_account(tx, UserId(person)).await?.is_some();
        let mut subjects = ticket_people::ticket_ids(tx, person).await?;
        subjects.extend(chat_people::session_ids(tx, person).await?);
        let rating_comments = feedback::erase_comments(tx, subjects).await?;
        let tickets = ticket_people::erase_person(tx, person).await?;
        let chat = chat_people::erase_person(tx, person).await?;
        if !account && tickets.tickets == 0 && tickets.comments == 0 && chat.sessions == 0 {
            return Err(unknown());
        }
        let erasure = Erasure {
            person_id: person,
            account,
            tickets,
            chat,
            rating_comments,
        };
        audit::record(
            tx,
            Event::new(Action::PersonErased)
                .on("person", person)
                .detail(serde_json::json!({
                    "account": erasure.account,
                    "tickets": erasure.tickets,
                    "chat": erasure.chat,
                })),
        )
        .await?;
        Ok(erasure)
    })
    .await
}
