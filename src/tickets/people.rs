//! What the ticket desk holds about one person, for data-rights requests: the tickets they
//! opened with every comment on them, and their comments on other tickets.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseTransaction, EntityTrait as _, QueryFilter as _,
    QueryOrder as _,
};
use serde::Serialize;
use uuid::Uuid;

use super::model::INTERNAL_KINDS;
use crate::database::TenantTx;
use crate::entity::{ticket, ticket_event};
use crate::error::AppError;

/// What an erased text reads afterwards.
pub const ERASED: &str = "[erased]";

#[derive(Debug, Serialize)]
pub struct TicketRecord {
    pub id: Uuid,
    pub number: i64,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub comments: Vec<CommentRecord>,
}

#[derive(Debug, Serialize)]
pub struct CommentRecord {
    pub ticket_id: Uuid,
    pub author_id: Option<Uuid>,
    pub kind: String,
    pub body: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ticket_event::Model> for CommentRecord {
    fn from(e: ticket_event::Model) -> Self {
        Self {
            ticket_id: e.ticket_id,
            author_id: e.author_id,
            kind: e.kind,
            body: e.body,
            created_at: e.created_at,
        }
    }
}

/// The person's tickets (with every event that carries text) and their comments elsewhere.
pub async fn export_person(
    tx: &TenantTx,
    person: Uuid,
) -> Result<(Vec<TicketRecord>, Vec<CommentRecord>), AppError> {
    let txn: &DatabaseTransaction = tx;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::TenantId.eq(tx.id()))
        .filter(ticket::Column::RequesterId.eq(person))
        .order_by_asc(ticket::Column::Number)
        .all(txn)
        .await?;
    let ids: Vec<Uuid> = tickets.iter().map(|t| t.id).collect();
    let events = ticket_event::Entity::find()
        .filter(ticket_event::Column::TenantId.eq(tx.id()))
        .filter(ticket_event::Column::Body.is_not_null())
        // The export goes to the person: staff's notes and summaries about them stay out,
        // as they do from every other view a requester has.
        .filter(ticket_event::Column::Kind.is_not_in(INTERNAL_KINDS.iter().copied()))
        .filter(
            Condition::any()
                .add(ticket_event::Column::TicketId.is_in(ids.clone()))
                .add(ticket_event::Column::AuthorId.eq(person)),
        )
        .order_by_asc(ticket_event::Column::CreatedAt)
        .all(txn)
        .await?;
    let mut records: Vec<TicketRecord> = tickets
        .into_iter()
        .map(|t| TicketRecord {
            id: t.id,
            number: t.number,
            subject: t.subject,
            body: t.body,
            status: t.status,
            created_at: t.created_at,
            comments: Vec::new(),
        })
        .collect();
    let mut elsewhere = Vec::new();
    for event in events {
        match records.iter_mut().find(|t| t.id == event.ticket_id) {
            Some(record) => record.comments.push(event.into()),
            None => elsewhere.push(event.into()),
        }
    }
    Ok((records, elsewhere))
}

/// How many rows an erasure rewrote.
#[derive(Debug, Default, Serialize)]
pub struct ErasedTickets {
    pub tickets: u64,
    pub comments: u64,
}

/// The ids of the tickets the person requested.
pub async fn ticket_ids(tx: &TenantTx, person: Uuid) -> Result<Vec<Uuid>, AppError> {
    let txn: &DatabaseTransaction = tx;
    Ok(ticket::Entity::find()
        .filter(ticket::Column::TenantId.eq(tx.id()))
        .filter(ticket::Column::RequesterId.eq(person))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect())
}

/// Replaces the text of the person's tickets, of every comment on them, and of their
/// comments elsewhere. Rows, numbers, statuses and timestamps stay for reports.
pub async fn erase_person(tx: &TenantTx, person: Uuid) -> Result<ErasedTickets, AppError> {
    let txn: &DatabaseTransaction = tx;
    let ids = ticket_ids(tx, person).await?;
    let tickets = ticket::Entity::update_many()
        .col_expr(ticket::Column::Subject, Expr::value(ERASED))
        .col_expr(ticket::Column::Body, Expr::value(ERASED))
        .filter(ticket::Column::TenantId.eq(tx.id()))
        .filter(ticket::Column::Id.is_in(ids.clone()))
        .exec(txn)
        .await?
        .rows_affected;
    let comments = ticket_event::Entity::update_many()
        .col_expr(ticket_event::Column::Body, Expr::value(ERASED))
        .filter(ticket_event::Column::TenantId.eq(tx.id()))
        .filter(ticket_event::Column::Body.is_not_null())
        .filter(
            Condition::any()
                .add(ticket_event::Column::TicketId.is_in(ids))
                .add(ticket_event::Column::AuthorId.eq(person)),
        )
        .exec(txn)
        .await?
        .rows_affected;
    Ok(ErasedTickets { tickets, comments })
}
