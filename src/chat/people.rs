//! What the help chat holds about one person, for data-rights requests: their sessions
//! (as a signed-in user or as a visitor) with every turn, and the questions of theirs the
//! bot could not answer (knowledge gaps).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait as _, Condition, DatabaseTransaction, EntityTrait as _, QueryFilter as _,
    QueryOrder as _,
};
use serde::Serialize;
use uuid::Uuid;

use crate::database::TenantTx;
use crate::entity::{chat_message, chat_session, knowledge_gap};
use crate::error::AppError;

const ERASED: &str = "[erased]";

#[derive(Debug, Serialize)]
pub struct SessionRecord {
    pub id: Uuid,
    pub status: String,
    pub ticket_id: Option<Uuid>,
    pub summary: Option<String>,
    pub created_at: DateTime<Utc>,
    pub messages: Vec<TurnRecord>,
}

#[derive(Debug, Serialize)]
pub struct TurnRecord {
    pub role: String,
    pub content: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
pub struct GapRecord {
    pub session_id: Option<Uuid>,
    pub question: String,
    pub created_at: DateTime<Utc>,
}

/// The ids of the person's chat sessions.
pub async fn session_ids(tx: &TenantTx, person: Uuid) -> Result<Vec<Uuid>, AppError> {
    Ok(sessions_of(tx, person)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect())
}

async fn sessions_of(tx: &TenantTx, person: Uuid) -> Result<Vec<chat_session::Model>, AppError> {
    let txn: &DatabaseTransaction = tx;
    Ok(chat_session::Entity::find()
        .filter(chat_session::Column::TenantId.eq(tx.id()))
        .filter(
            Condition::any()
                .add(chat_session::Column::UserId.eq(person))
                .add(chat_session::Column::VisitorId.eq(person)),
        )
        .order_by_asc(chat_session::Column::CreatedAt)
        .all(txn)
        .await?)
}

pub async fn export_person(
    tx: &TenantTx,
    person: Uuid,
) -> Result<(Vec<SessionRecord>, Vec<GapRecord>), AppError> {
    let txn: &DatabaseTransaction = tx;
    let sessions = sessions_of(tx, person).await?;
    let ids: Vec<Uuid> = sessions.iter().map(|s| s.id).collect();
    let messages = chat_message::Entity::find()
        .filter(chat_message::Column::TenantId.eq(tx.id()))
        .filter(chat_message::Column::SessionId.is_in(ids.clone()))
        .order_by_asc(chat_message::Column::CreatedAt)
        .all(txn)
        .await?;
    let gaps = knowledge_gap::Entity::find()
        .filter(knowledge_gap::Column::TenantId.eq(tx.id()))
        .filter(knowledge_gap::Column::SessionId.is_in(ids))
        .order_by_asc(knowledge_gap::Column::CreatedAt)
        .all(txn)
        .await?;
    let mut records: Vec<SessionRecord> = sessions
        .into_iter()
        .map(|s| SessionRecord {
            id: s.id,
            status: s.status,
            ticket_id: s.ticket_id,
            summary: s.summary,
            created_at: s.created_at,
            messages: Vec::new(),
        })
        .collect();
    for m in messages {
        if let Some(session) = records.iter_mut().find(|s| s.id == m.session_id) {
            session.messages.push(TurnRecord {
                role: m.role,
                content: m.content,
                created_at: m.created_at,
            });
        }
    }
    let gaps = gaps
        .into_iter()
        .map(|g| GapRecord {
            session_id: g.session_id,
            question: g.question,
            created_at: g.created_at,
        })
        .collect();
    Ok((records, gaps))
}

/// How many rows an erasure rewrote.
#[derive(Debug, Default, Serialize)]
pub struct ErasedChat {
    pub sessions: u64,
    pub messages: u64,
    pub knowledge_gaps: u64,
}

/// Replaces every turn of the person's sessions (the bot's answers quote them too), their
/// summaries, and their unanswered questions with their vectors. Sessions, turns and gaps
/// stay as rows with their timestamps, so counts and reports still add up.
pub async fn erase_person(tx: &TenantTx, person: Uuid) -> Result<ErasedChat, AppError> {
    let txn: &DatabaseTransaction = tx;
    let ids: Vec<Uuid> = sessions_of(tx, person)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    let sessions = chat_session::Entity::update_many()
        .col_expr(
            chat_session::Column::Summary,
            Expr::value(Option::<String>::None),
        )
        .filter(chat_session::Column::TenantId.eq(tx.id()))
        .filter(chat_session::Column::Id.is_in(ids.clone()))
        .exec(txn)
        .await?
        .rows_affected;
    let messages = chat_message::Entity::update_many()
        .col_expr(chat_message::Column::Content, Expr::value(ERASED))
        .filter(chat_message::Column::TenantId.eq(tx.id()))
        .filter(chat_message::Column::SessionId.is_in(ids.clone()))
        .exec(txn)
        .await?
        .rows_affected;
    let knowledge_gaps = knowledge_gap::Entity::update_many()
        .col_expr(knowledge_gap::Column::Question, Expr::value(ERASED))
        .col_expr(
            knowledge_gap::Column::Embedding,
            Expr::value(Vec::<u8>::new()),
        )
        .filter(knowledge_gap::Column::TenantId.eq(tx.id()))
        .filter(knowledge_gap::Column::SessionId.is_in(ids))
        .exec(txn)
        .await?
        .rows_affected;
    Ok(ErasedChat {
        sessions,
        messages,
        knowledge_gaps,
    })
}
