use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, ConnectionTrait as _, DatabaseTransaction,
    EntityTrait as _, QueryFilter as _, QueryOrder as _, QuerySelect as _, Select, Set, UpdateMany,
};
use tracing::instrument;

use super::model::{
    CreateTicket, INTERNAL_KINDS, Lifecycle, MentionView, Status, TicketBody, TicketEventView,
    TicketFilter, TicketId, TicketPatch, TicketView, Visibility, Workload,
};
use crate::audit::{self, Action, Event};
use crate::database::TenantTx;
use crate::entity::{ticket, ticket_counter, ticket_event, ticket_mention, user};
use crate::error::{AppError, Code};
use crate::redaction::Pseudonyms;
use crate::tenancy::{self, TenantId, UserId};
use crate::validation::Fields;

pub const MAX_PAGE: u64 = 200;

/// The next ticket number of `tenant`, taken inside the ticket's transaction: the counter
/// row stays locked until it commits, so numbers are gap-free and never repeat.
async fn next_number(txn: &DatabaseTransaction, tenant: TenantId) -> Result<i64, AppError> {
    let mut insert = Query::insert();
    insert
        .into_table(ticket_counter::Entity)
        .columns([
            ticket_counter::Column::TenantId,
            ticket_counter::Column::LastNumber,
        ])
        .values([tenant.0.into(), 1i64.into()])
        .map_err(|e| AppError::Internal(e.into()))?
        .on_conflict(
            OnConflict::column(ticket_counter::Column::TenantId)
                .value(
                    ticket_counter::Column::LastNumber,
                    Expr::col((ticket_counter::Entity, ticket_counter::Column::LastNumber)).add(1),
                )
                .to_owned(),
        )
        .returning_col(ticket_counter::Column::LastNumber);
    let row = txn
        .query_one(&insert)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("ticket counter returned no row")))?;
    Ok(row.try_get("", "last_number")?)
}

/// User `id` of `tenant`: every user lookup here is scoped to the tenant.
fn tenant_user(tenant: TenantId, id: UserId) -> Select<user::Entity> {
    user::Entity::find_by_id(id.0).filter(user::Column::TenantId.eq(tenant.0))
}

async fn user_exists(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    id: UserId,
) -> Result<bool, AppError> {
    Ok(tenant_user(tenant, id).one(txn).await?.is_some())
}

/// Whether `user` is an agent or admin of `tenant`: who may be assigned a ticket.
pub(super) async fn is_staff(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    user: UserId,
) -> Result<bool, AppError> {
    Ok(tenant_user(tenant, user)
        .filter(user::Column::Role.is_in(["agent", "admin"]))
        .one(txn)
        .await?
        .is_some())
}

/// An update of ticket `id` of `tenant` that stamps `updated_at` and bumps the version
/// (which every compare-and-set on a ticket reads); the caller adds what changes.
pub(super) fn ticket_change(tenant: TenantId, id: TicketId) -> UpdateMany<ticket::Entity> {
    ticket::Entity::update_many()
        .col_expr(ticket::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(
            ticket::Column::Version,
            Expr::col(ticket::Column::Version).add(1),
        )
        .filter(ticket::Column::Id.eq(id.0))
        .filter(ticket::Column::TenantId.eq(tenant.0))
}

pub(super) async fn record_event(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    ticket: TicketId,
    author: Option<UserId>,
    kind: &str,
    data: serde_json::Value,
) -> Result<TicketEventView, AppError> {
    let model = ticket_event::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        ticket_id: Set(ticket.0),
        author_id: Set(author.map(|a| a.0)),
        kind: Set(kind.to_owned()),
        body: Set(None),
        data: Set(data),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    Ok(model.into())
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn create_ticket(tx: &TenantTx, input: CreateTicket) -> Result<TicketView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    if !user_exists(txn, tenant, input.requester).await? {
        // Another tenant's user is as unknown here as a made-up id.
        let mut fields = Fields::new();
        fields.add(
            "requester_id",
            crate::validation::Invalid::new("unknown_user", "no such user in this tenant"),
        );
        fields.finish()?;
    }
    let number = next_number(txn, tenant).await?;
    let now = Utc::now();
    let id = TicketId::new();
    let (subject, body) = if tenancy::stores_redacted(tx).await? {
        let mut scope = Pseudonyms::default();
        (
            scope.redact(input.subject.as_str()).text,
            scope.redact(input.body.as_str()).text,
        )
    } else {
        (
            input.subject.as_str().to_owned(),
            input.body.as_str().to_owned(),
        )
    };
    let model = ticket::ActiveModel {
        id: Set(id.0),
        tenant_id: Set(tenant.0),
        number: Set(number),
        requester_id: Set(input.requester.0),
        assignee_id: Set(input.assignee.map(|a| a.0)),
        queue: Set(input.queue.as_str().to_owned()),
        category: Set(input.category.as_ref().map(|(c, _)| c.clone())),
        category_confidence: Set(input.category.as_ref().map(|(_, p)| *p)),
        status: Set(input.lifecycle.status.as_str().to_owned()),
        priority: Set(input.priority.as_str().to_owned()),
        subject: Set(subject),
        body: Set(body),
        sla_due_at: Set(input.sla_due_at),
        resolution_due_at: Set(input.resolution_due_at),
        closed_at: Set(input.lifecycle.closed_at),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        first_response_at: Set(None),
    }
    .insert(txn)
    .await?;
    record_event(
        txn,
        tenant,
        id,
        Some(input.requester),
        "created",
        serde_json::json!({"number": number}),
    )
    .await?;
    model.try_into()
}

/// Each of `agents`' open workload (tickets assigned to them and not resolved or closed)
/// and when they were last given a ticket; agents with none are absent.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn agent_workload(
    tx: &TenantTx,
    agents: &[UserId],
) -> Result<std::collections::HashMap<UserId, Workload>, AppError> {
    use sea_orm::sea_query::Expr;
    let ids: Vec<uuid::Uuid> = agents.iter().map(|a| a.0).collect();
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let open: Vec<(uuid::Uuid, i64)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::AssigneeId)
        .column_as(Expr::col(ticket::Column::Id).count(), "open")
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .filter(ticket::Column::AssigneeId.is_in(ids.clone()))
        .filter(ticket::Column::Status.is_in([Status::Open.as_str(), Status::Pending.as_str()]))
        .group_by(ticket::Column::AssigneeId)
        .into_tuple()
        .all(txn)
        .await?;
    let latest: Vec<(uuid::Uuid, Option<chrono::DateTime<Utc>>)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::AssigneeId)
        .column_as(Expr::col(ticket::Column::CreatedAt).max(), "latest")
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .filter(ticket::Column::AssigneeId.is_in(ids))
        .group_by(ticket::Column::AssigneeId)
        .into_tuple()
        .all(txn)
        .await?;
    let mut out: std::collections::HashMap<UserId, Workload> = std::collections::HashMap::new();
    for (agent, count) in open {
        out.entry(UserId(agent)).or_default().open = u64::try_from(count).unwrap_or(0);
    }
    for (agent, at) in latest {
        out.entry(UserId(agent)).or_default().last_assigned = at;
    }
    Ok(out)
}

/// A ticket of `tenant`; another tenant's id is NotFound, exactly like a made-up one.
#[instrument(skip_all, fields(tenant = %tx.tenant(), ticket = %id))]
pub async fn get_ticket(tx: &TenantTx, id: TicketId) -> Result<TicketView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let found = ticket::Entity::find_by_id(id.0)
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?;
    found
        .ok_or_else(|| AppError::NotFound(Code::TicketNotFound, "no such ticket".into()))?
        .try_into()
}

/// Newest first, at most `limit` (capped at [`MAX_PAGE`]).
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn list_tickets(
    tx: &TenantTx,
    filter: &TicketFilter,
    limit: u64,
) -> Result<Vec<TicketView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let mut query = ticket::Entity::find().filter(ticket::Column::TenantId.eq(tenant.0));
    if let Some(status) = filter.status {
        query = query.filter(ticket::Column::Status.eq(status.as_str()));
    }
    if let Some(queue) = &filter.queue {
        query = query.filter(ticket::Column::Queue.eq(queue.as_str()));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(ticket::Column::AssigneeId.eq(assignee.0));
    }
    if let Some(requester) = filter.requester {
        query = query.filter(ticket::Column::RequesterId.eq(requester.0));
    }
    if let Some(before) = filter.before_number {
        query = query.filter(ticket::Column::Number.lt(before));
    }
    let rows = query
        .order_by_desc(ticket::Column::Number)
        .limit(limit.clamp(1, MAX_PAGE))
        .all(txn)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Moves a ticket to `status` if it is still at `expected_version` (else Conflict).
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn change_status(
    tx: &TenantTx,
    id: TicketId,
    expected_version: i32,
    status: Status,
    author: Option<UserId>,
) -> Result<TicketView, AppError> {
    let patch = TicketPatch {
        status: Some(status),
        ..TicketPatch::default()
    };
    update_ticket(tx, id, expected_version, &patch, author).await
}

/// Applies `patch` if the ticket is still at `expected_version` (else Conflict), and
/// records one event per changed field. Closing stamps `closed_at`; reopening clears it.
/// An assignee must be an agent or admin of the same tenant.
#[instrument(skip_all, fields(tenant = %tx.tenant(), ticket = %id))]
pub async fn update_ticket(
    tx: &TenantTx,
    id: TicketId,
    expected_version: i32,
    patch: &TicketPatch,
    author: Option<UserId>,
) -> Result<TicketView, AppError> {
    let (ticket, changes) = apply_patch(tx, id, expected_version, patch).await?;
    for (kind, data) in changes {
        record_event(tx, tx.tenant(), id, author, kind, data).await?;
    }
    Ok(ticket)
}

/// [`update_ticket`] without its history events: the changes come back for the caller to
/// record (a macro records them as one event).
pub async fn apply_patch(
    tx: &TenantTx,
    id: TicketId,
    expected_version: i32,
    patch: &TicketPatch,
) -> Result<(TicketView, Vec<(&'static str, serde_json::Value)>), AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let current = ticket::Entity::find_by_id(id.0)
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::TicketNotFound, "no such ticket".into()))?;
    if let Some(Some(assignee)) = patch.assignee
        && !is_staff(txn, tenant, assignee).await?
    {
        return Err(AppError::validation(
            "assignee_id",
            "not_staff",
            "the assignee must be an agent or admin of this tenant",
        ));
    }
    let now = Utc::now();
    let mut update = ticket_change(tenant, id);
    let mut events = Vec::new();
    if let Some(status) = patch.status {
        let closed_at = match status {
            Status::Closed | Status::Resolved => Some(current.closed_at.unwrap_or(now)),
            Status::Open | Status::Pending => None,
        };
        let lifecycle = Lifecycle::check(status, closed_at).map_err(|e| e.at("status"))?;
        update = update
            .col_expr(
                ticket::Column::Status,
                Expr::value(lifecycle.status.as_str()),
            )
            .col_expr(ticket::Column::ClosedAt, Expr::value(lifecycle.closed_at));
        events.push((
            "status_changed",
            serde_json::json!({"from": current.status, "to": status.as_str()}),
        ));
    }
    if let Some(priority) = patch.priority {
        update = update.col_expr(ticket::Column::Priority, Expr::value(priority.as_str()));
        events.push((
            "priority_changed",
            serde_json::json!({"from": current.priority, "to": priority.as_str()}),
        ));
    }
    if let Some(queue) = &patch.queue {
        update = update.col_expr(ticket::Column::Queue, Expr::value(queue.as_str()));
        events.push((
            "queue_changed",
            serde_json::json!({"from": current.queue, "to": queue.as_str()}),
        ));
    }
    if let Some(assignee) = patch.assignee {
        update = update.col_expr(
            ticket::Column::AssigneeId,
            Expr::value(assignee.map(|a| a.0)),
        );
        events.push((
            "assigned",
            serde_json::json!({"from": current.assignee_id, "to": assignee.map(|a| a.0)}),
        ));
    }
    // Compare-and-set on the version: a concurrent writer makes this update match no row.
    let updated = update
        .filter(ticket::Column::Version.eq(expected_version))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Conflict(
            Code::VersionMismatch,
            format!("the ticket changed since version {expected_version}; reload it"),
        ));
    }
    for (kind, data) in &events {
        let audited = match *kind {
            "status_changed" => Some(Action::TicketStatusChanged),
            "assigned" => Some(Action::TicketAssigneeChanged),
            _ => None,
        };
        if let Some(action) = audited {
            audit::record(
                tx,
                Event::new(action).on("ticket", id.0).detail(data.clone()),
            )
            .await?;
        }
    }
    let fresh = ticket::Entity::find_by_id(id.0)
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound(Code::TicketNotFound, "no such ticket".into()))?;
    Ok((fresh.try_into()?, events))
}

/// Adds a public reply or an internal note to a ticket of `tenant`. A note's `@name`s
/// (an agent's email before the `@`, or the whole address) are recorded as mentions.
#[instrument(skip_all, fields(tenant = %tx.tenant(), ticket = %id))]
pub async fn add_comment(
    tx: &TenantTx,
    id: TicketId,
    author: UserId,
    body: &TicketBody,
    visibility: Visibility,
) -> Result<TicketEventView, AppError> {
    let kind = match visibility {
        Visibility::Public => "comment",
        Visibility::Internal => "note",
    };
    let event = write_text_event(
        tx,
        id,
        Some(author),
        kind,
        body.as_str(),
        serde_json::json!({}),
    )
    .await?;
    if visibility == Visibility::Internal {
        let txn: &DatabaseTransaction = tx;
        for user in mentioned_staff(txn, tx.tenant(), body.as_str()).await? {
            ticket_mention::ActiveModel {
                tenant_id: Set(tx.tenant().0),
                event_id: Set(event.id),
                ticket_id: Set(id.0),
                user_id: Set(user),
                created_at: Set(event.created_at),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(event)
}

/// A conversation summary in the ticket's history: staff read it, the requester never does.
#[instrument(skip_all, fields(tenant = %tx.tenant(), ticket = %id))]
pub async fn add_summary(
    tx: &TenantTx,
    id: TicketId,
    text: &str,
    data: serde_json::Value,
) -> Result<TicketEventView, AppError> {
    write_text_event(tx, id, None, "summary", text, data).await
}

/// Records that a macro ran, with what it changed: one event for the whole action.
pub async fn record_macro(
    tx: &TenantTx,
    id: TicketId,
    author: UserId,
    data: serde_json::Value,
) -> Result<TicketEventView, AppError> {
    record_event(tx, tx.tenant(), id, Some(author), "macro_applied", data).await
}

/// Notes in the history that the requester rated the ticket.
pub async fn record_rating(tx: &TenantTx, id: TicketId, score: &str) -> Result<(), AppError> {
    record_event(
        tx,
        tx.tenant(),
        id,
        None,
        "rated",
        serde_json::json!({"score": score}),
    )
    .await?;
    Ok(())
}

/// The newest conversation summary of a ticket, if it has one.
pub async fn latest_summary(
    tx: &TenantTx,
    id: TicketId,
) -> Result<Option<TicketEventView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let found = ticket_event::Entity::find()
        .filter(ticket_event::Column::TenantId.eq(tx.tenant().0))
        .filter(ticket_event::Column::TicketId.eq(id.0))
        .filter(ticket_event::Column::Kind.eq("summary"))
        .order_by_desc(ticket_event::Column::CreatedAt)
        .one(txn)
        .await?;
    Ok(found.map(Into::into))
}

/// Staff of `tenant` a note names with `@local-part` or `@whole.address@example.com`.
async fn mentioned_staff(
    txn: &DatabaseTransaction,
    tenant: TenantId,
    text: &str,
) -> Result<Vec<uuid::Uuid>, AppError> {
    let handles = mention_handles(text);
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    let staff: Vec<(uuid::Uuid, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Email)
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Role.is_in(["agent", "admin"]))
        .into_tuple()
        .all(txn)
        .await?;
    Ok(staff
        .into_iter()
        .filter(|(_, email)| {
            let email = email.to_lowercase();
            let local = email.split('@').next().unwrap_or_default();
            handles.iter().any(|h| *h == email || *h == local)
        })
        .map(|(id, _)| id)
        .collect())
}

/// The lower-cased words that follow an `@` at the start of a word.
fn mention_handles(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        if c == '@' && !previous.is_alphanumeric() {
            let handle: String = text[at + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@'))
                .collect();
            let handle = handle.trim_end_matches(['.', '-', '@']).to_lowercase();
            if !handle.is_empty() && !out.contains(&handle) {
                out.push(handle);
            }
        }
        previous = c;
    }
    out
}

/// Writes a history entry that carries text (a reply, note or summary), redacted when the
/// tenant stores text redacted.
async fn write_text_event(
    tx: &TenantTx,
    id: TicketId,
    author: Option<UserId>,
    kind: &str,
    text: &str,
    data: serde_json::Value,
) -> Result<TicketEventView, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let Some(found) = ticket::Entity::find_by_id(id.0)
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?
    else {
        return Err(AppError::NotFound(
            Code::TicketNotFound,
            "no such ticket".into(),
        ));
    };
    let body = if tenancy::stores_redacted(tx).await? {
        // Numbers go on from the ticket's text and earlier comments, so that within one
        // ticket `[EMAIL_1]` is always the same address.
        let earlier: Vec<Option<String>> = ticket_event::Entity::find()
            .select_only()
            .column(ticket_event::Column::Body)
            .filter(ticket_event::Column::TenantId.eq(tenant.0))
            .filter(ticket_event::Column::TicketId.eq(id.0))
            .into_tuple()
            .all(txn)
            .await?;
        let texts = [found.subject.as_str(), found.body.as_str()]
            .into_iter()
            .chain(earlier.iter().flatten().map(String::as_str));
        Pseudonyms::after(texts).redact(text).text
    } else {
        text.to_owned()
    };
    let model = ticket_event::ActiveModel {
        id: Set(uuid::Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        ticket_id: Set(id.0),
        author_id: Set(author.map(|a| a.0)),
        kind: Set(kind.into()),
        body: Set(Some(body)),
        data: Set(data),
        created_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    if kind == "comment"
        && let Some(author) = author
        && author.0 != found.requester_id
        && found.first_response_at.is_none()
    {
        // Kept on the ticket, so reports read the wait without scanning the history.
        ticket::Entity::update_many()
            .col_expr(
                ticket::Column::FirstResponseAt,
                Expr::value(Some(model.created_at)),
            )
            .filter(ticket::Column::TenantId.eq(tenant.0))
            .filter(ticket::Column::Id.eq(id.0))
            .filter(ticket::Column::FirstResponseAt.is_null())
            .exec(txn)
            .await?;
    }
    Ok(model.into())
}

/// Notes that name `user`, newest first.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn mentions_of(
    tx: &TenantTx,
    user: UserId,
    limit: u64,
) -> Result<Vec<MentionView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let mentions = ticket_mention::Entity::find()
        .filter(ticket_mention::Column::TenantId.eq(tenant.0))
        .filter(ticket_mention::Column::UserId.eq(user.0))
        .order_by_desc(ticket_mention::Column::CreatedAt)
        .limit(limit.clamp(1, MAX_PAGE))
        .all(txn)
        .await?;
    let events: Vec<uuid::Uuid> = mentions.iter().map(|m| m.event_id).collect();
    let tickets: Vec<uuid::Uuid> = mentions.iter().map(|m| m.ticket_id).collect();
    let notes = ticket_event::Entity::find()
        .filter(ticket_event::Column::TenantId.eq(tenant.0))
        .filter(ticket_event::Column::Id.is_in(events))
        .all(txn)
        .await?;
    let found = ticket::Entity::find()
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .filter(ticket::Column::Id.is_in(tickets))
        .all(txn)
        .await?;
    Ok(mentions
        .into_iter()
        .filter_map(|m| {
            let note = notes.iter().find(|n| n.id == m.event_id)?;
            let on = found.iter().find(|t| t.id == m.ticket_id)?;
            Some(MentionView {
                event_id: m.event_id,
                ticket_id: TicketId(m.ticket_id),
                ticket_number: on.number,
                ticket_subject: on.subject.clone(),
                author_id: note.author_id.map(UserId),
                body: note.body.clone().unwrap_or_default(),
                created_at: m.created_at,
            })
        })
        .collect())
}

/// A ticket's history, oldest first; `comments_only` keeps just the texts (replies, and for
/// staff notes and summaries). Without `internal`, notes and summaries are left out.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn list_events(
    tx: &TenantTx,
    id: TicketId,
    comments_only: bool,
    internal: bool,
) -> Result<Vec<TicketEventView>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let mut query = ticket_event::Entity::find()
        .filter(ticket_event::Column::TenantId.eq(tenant.0))
        .filter(ticket_event::Column::TicketId.eq(id.0));
    if comments_only {
        let mut kinds = vec!["comment"];
        if internal {
            kinds.extend_from_slice(INTERNAL_KINDS);
        }
        query = query.filter(ticket_event::Column::Kind.is_in(kinds));
    } else if !internal {
        query = query.filter(ticket_event::Column::Kind.is_not_in(INTERNAL_KINDS.iter().copied()));
    }
    let rows = query
        .order_by_asc(ticket_event::Column::CreatedAt)
        .all(txn)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[cfg(test)]
mod tests {
    use super::mention_handles;

    #[test]
    fn mentions_are_words_after_an_at_sign() {
        assert_eq!(
            mention_handles("@Sam can you check? cc @lee.ops, not me@home or sam@acme.example"),
            vec!["sam", "lee.ops"]
        );
        assert_eq!(
            mention_handles("ask @sam@acme.example."),
            vec!["sam@acme.example"]
        );
        assert!(mention_handles("no mentions @ all").is_empty());
    }
}
