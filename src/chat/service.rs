//! Chat sessions, their messages and knowledge gaps in the database. Every function takes
//! the tenant first; text is redacted before it is stored.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, Condition, ConnectionTrait as _, DatabaseTransaction,
    DbBackend, EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Set,
    Statement,
};
use serde::Serialize;
use tracing::instrument;
use uuid::Uuid;

use super::model::{MessageView, SessionId, SessionStatus, SessionView, Speaker};
use crate::auth::{AuthUser, CallerRole};
use crate::database::TenantTx;
use crate::entity::{chat_message, chat_session, knowledge_gap};
use crate::error::{AppError, Code};
use crate::llm::embedder::cosine;
use crate::rag::Source;
use crate::redaction::{Kind, Pseudonyms, redact};
use crate::tickets::TicketId;

/// The PostgreSQL notification channel agent replies travel on between replicas.
pub const NOTIFY_CHANNEL: &str = "helpdesk_chat";

fn session_view(m: chat_session::Model) -> Result<SessionView, AppError> {
    Ok(SessionView {
        id: SessionId(m.id),
        status: SessionStatus::parse(&m.status).map_err(|_| {
            AppError::Internal(anyhow::anyhow!("stored session status {:?}", m.status))
        })?,
        ticket_id: m.ticket_id,
        created_at: m.created_at,
    })
}

fn message_view(m: chat_message::Model) -> Result<MessageView, AppError> {
    Ok(MessageView {
        id: m.id,
        role: Speaker::parse(&m.role)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("stored message role {:?}", m.role)))?,
        text: m.content,
        citations: serde_json::from_value(m.citations).unwrap_or_default(),
        outcome: m.outcome,
        created_at: m.created_at,
    })
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn open_session(tx: &TenantTx, caller: &AuthUser) -> Result<SessionView, AppError> {
    let visitor = caller.role == CallerRole::Visitor;
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let model = chat_session::ActiveModel {
        id: Set(SessionId::new().0),
        tenant_id: Set(tenant.0),
        user_id: Set((!visitor).then_some(caller.user.0)),
        visitor_id: Set(visitor.then_some(caller.user.0)),
        status: Set(SessionStatus::Active.as_str().to_owned()),
        ticket_id: Set(None),
        summary: Set(None),
        created_at: Set(Utc::now()),
        bot_outcome: Set(None),
    }
    .insert(txn)
    .await?;
    session_view(model)
}

/// A session `caller` may see: its own (visitors and customers), or any of the tenant's
/// (staff). Everything else — another tenant's, another visitor's, a made-up id — is
/// NotFound.
#[instrument(skip_all, fields(tenant = %tx.tenant(), session = %id))]
pub async fn find_session(
    tx: &TenantTx,
    caller: &AuthUser,
    id: SessionId,
) -> Result<SessionView, AppError> {
    load_session(tx, caller, id, false).await
}

/// [`find_session`], holding the session's row until `tx` ends, so that two flows on one
/// session (two handoffs) run one after the other. SQLite needs no row lock: its
/// transactions here take the database's write lock when they begin.
#[instrument(skip_all, fields(tenant = %tx.tenant(), session = %id))]
pub async fn lock_session(
    tx: &TenantTx,
    caller: &AuthUser,
    id: SessionId,
) -> Result<SessionView, AppError> {
    load_session(tx, caller, id, true).await
}

async fn load_session(
    tx: &TenantTx,
    caller: &AuthUser,
    id: SessionId,
    lock: bool,
) -> Result<SessionView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let mut query =
        chat_session::Entity::find_by_id(id.0).filter(chat_session::Column::TenantId.eq(tenant.0));
    query = match caller.role {
        CallerRole::Visitor => query.filter(chat_session::Column::VisitorId.eq(caller.user.0)),
        CallerRole::Customer => query.filter(chat_session::Column::UserId.eq(caller.user.0)),
        CallerRole::Agent | CallerRole::Admin => query,
    };
    if lock {
        query = query.lock_exclusive();
    }
    let found = query.one(txn).await?;
    session_view(
        found.ok_or_else(|| {
            AppError::NotFound(Code::SessionNotFound, "no such chat session".into())
        })?,
    )
}

/// The session linked to a ticket by a handoff, if any.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn session_of_ticket(
    tx: &TenantTx,
    ticket: TicketId,
) -> Result<Option<SessionId>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = chat_session::Entity::find()
        .filter(chat_session::Column::TenantId.eq(tenant.0))
        .filter(chat_session::Column::TicketId.eq(ticket.0))
        .one(txn)
        .await?;
    Ok(found.map(|s| SessionId(s.id)))
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn history(tx: &TenantTx, session: SessionId) -> Result<Vec<MessageView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let rows = chat_message::Entity::find()
        .filter(chat_message::Column::TenantId.eq(tenant.0))
        .filter(chat_message::Column::SessionId.eq(session.0))
        .order_by_asc(chat_message::Column::CreatedAt)
        .order_by_asc(chat_message::Column::Id)
        .all(txn)
        .await?;
    rows.into_iter().map(message_view).collect()
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn get_message(
    tx: &TenantTx,
    id: Uuid,
) -> Result<Option<(SessionId, MessageView)>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = chat_message::Entity::find_by_id(id)
        .filter(chat_message::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?;
    found
        .map(|m| Ok((SessionId(m.session_id), message_view(m)?)))
        .transpose()
}

/// Stores one turn. What people typed (visitors, agents) is redacted first; the bot's
/// answers are built from the tenant's published articles and the already-redacted
/// question, and are kept as they are (an article's contact address is not personal
/// data). With `notify`, PostgreSQL tells every replica about the row when it commits (the
/// payload names it; listeners load it).
#[instrument(skip_all, fields(tenant = %tx.tenant(), session = %session))]
pub async fn append(
    tx: &TenantTx,
    session: SessionId,
    role: Speaker,
    text: &str,
    citations: &[Source],
    notify: bool,
) -> Result<MessageView, AppError> {
    insert(tx, session, role, text, citations, None, notify).await
}

/// Stores the bot's reply with its outcome (`answered`, `suggested`, `abstained`), which
/// the reports count chats by and the widget offers a thumb on.
#[instrument(skip_all, fields(tenant = %tx.tenant(), session = %session))]
pub async fn append_reply(
    tx: &TenantTx,
    session: SessionId,
    text: &str,
    citations: &[Source],
    outcome: &str,
) -> Result<MessageView, AppError> {
    let stored = insert(
        tx,
        session,
        Speaker::Assistant,
        text,
        citations,
        Some(outcome),
        false,
    )
    .await?;
    // The session keeps its best outcome: an answer outranks suggestions, which outrank
    // an abstention.
    let outranked: &[&str] = match outcome {
        "answered" => &["suggested", "abstained"],
        "suggested" => &["abstained"],
        _ => &[],
    };
    let txn: &DatabaseTransaction = tx;
    chat_session::Entity::update_many()
        .col_expr(
            chat_session::Column::BotOutcome,
            Some(outcome.to_owned()).into(),
        )
        .filter(chat_session::Column::TenantId.eq(tx.tenant().0))
        .filter(chat_session::Column::Id.eq(session.0))
        .filter(
            Condition::any()
                .add(chat_session::Column::BotOutcome.is_null())
                .add(chat_session::Column::BotOutcome.is_in(outranked.iter().copied())),
        )
        .exec(txn)
        .await?;
    Ok(stored)
}

async fn insert(
    tx: &TenantTx,
    session: SessionId,
    role: Speaker,
    text: &str,
    citations: &[Source],
    outcome: Option<&str>,
    notify: bool,
) -> Result<MessageView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let content = match role {
        Speaker::Visitor | Speaker::Agent => {
            // Numbers go on from the conversation's earlier turns: within one conversation
            // `[EMAIL_1]` is always the same address.
            let earlier: Vec<String> = chat_message::Entity::find()
                .select_only()
                .column(chat_message::Column::Content)
                .filter(chat_message::Column::TenantId.eq(tenant.0))
                .filter(chat_message::Column::SessionId.eq(session.0))
                .filter(chat_message::Column::Content.contains("["))
                .into_tuple()
                .all(txn)
                .await?;
            let mut scope = Pseudonyms::after(earlier.iter().map(String::as_str));
            match role {
                // Agents introduce themselves and greet the visitor by name; every other
                // type goes. Names never reach a model either way: the gateway redacts
                // every prompt.
                Speaker::Agent => scope.redact_keeping(text, &[Kind::Person]).text,
                _ => scope.redact(text).text,
            }
        }
        Speaker::Assistant | Speaker::System => text.to_owned(),
    };
    let model = chat_message::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        session_id: Set(session.0),
        role: Set(role.as_str().to_owned()),
        content: Set(content),
        citations: Set(serde_json::to_value(citations).map_err(|e| AppError::Internal(e.into()))?),
        outcome: Set(outcome.map(str::to_owned)),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    if notify && txn.get_database_backend() == DbBackend::Postgres {
        let payload = serde_json::json!({"tenant": tenant.0, "message": model.id}).to_string();
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [NOTIFY_CHANNEL.into(), payload.into()],
        ))
        .await?;
    }
    message_view(model)
}

/// Links the session to its handoff ticket; `false` when another handoff got there first.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn mark_handed_off(
    tx: &TenantTx,
    session: SessionId,
    ticket: TicketId,
) -> Result<bool, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let updated = chat_session::Entity::update_many()
        .col_expr(
            chat_session::Column::Status,
            SessionStatus::HandedOff.as_str().into(),
        )
        .col_expr(chat_session::Column::TicketId, Some(ticket.0).into())
        .filter(chat_session::Column::TenantId.eq(tenant.0))
        .filter(chat_session::Column::Id.eq(session.0))
        .filter(chat_session::Column::TicketId.is_null())
        .exec(txn)
        .await?;
    Ok(updated.rows_affected == 1)
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn record_gap(
    tx: &TenantTx,
    session: Option<SessionId>,
    question: &str,
    vector: &[f32],
) -> Result<(), AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    knowledge_gap::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        session_id: Set(session.map(|s| s.0)),
        question: Set(redact(question).text),
        embedding: Set(vector.iter().flat_map(|x| x.to_le_bytes()).collect()),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Questions the bot could not answer that look alike.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GapGroup {
    /// The group's first question, as a label.
    pub question: String,
    pub count: usize,
    /// Up to five distinct questions of the group, newest first.
    pub examples: Vec<String>,
    pub last_asked_at: chrono::DateTime<Utc>,
}

/// The most recent `scan` abstentions grouped greedily (each joins the first group whose
/// founding question's cosine reaches `similarity`), most frequent first.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn knowledge_gaps(
    tx: &TenantTx,
    similarity: f32,
    scan: u64,
    limit: usize,
    within: Option<(chrono::DateTime<Utc>, chrono::DateTime<Utc>)>,
) -> Result<Vec<GapGroup>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let mut query =
        knowledge_gap::Entity::find().filter(knowledge_gap::Column::TenantId.eq(tenant.0));
    if let Some((start, end)) = within {
        query = query
            .filter(knowledge_gap::Column::CreatedAt.gte(start))
            .filter(knowledge_gap::Column::CreatedAt.lt(end));
    }
    let rows = query
        .order_by_desc(knowledge_gap::Column::CreatedAt)
        .limit(scan)
        .all(txn)
        .await?;
    let mut groups: Vec<(Vec<f32>, GapGroup)> = Vec::new();
    for row in rows {
        let vector: Vec<f32> = row
            .embedding
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        let home = groups.iter_mut().find(|(centre, _)| {
            centre.len() == vector.len() && cosine(centre, &vector) >= similarity
        });
        match home {
            Some((_, group)) => {
                group.count += 1;
                if group.examples.len() < 5 && !group.examples.contains(&row.question) {
                    group.examples.push(row.question);
                }
            }
            None => groups.push((
                vector,
                GapGroup {
                    question: row.question.clone(),
                    count: 1,
                    examples: vec![row.question],
                    last_asked_at: row.created_at,
                },
            )),
        }
    }
    let mut out: Vec<GapGroup> = groups.into_iter().map(|(_, g)| g).collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last_asked_at.cmp(&a.last_asked_at))
    });
    out.truncate(limit);
    Ok(out)
}
