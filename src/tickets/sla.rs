//! The ticket side of the SLA workflow: which tickets still run against a deadline, the
//! escalation of one that missed it, and a late assignment. Each effect is idempotent so a
//! workflow step retried after a crash (or run by two workers) changes a ticket once.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _};
use sea_orm::{ColumnTrait as _, DatabaseTransaction, EntityTrait as _, QueryFilter as _};
use tracing::instrument;

use super::model::{Priority, QueueName, Status, TicketId};
use super::service::{is_staff, record_event, ticket_change};
use crate::database::TenantTx;
use crate::entity::{ticket, ticket_event};
use crate::error::{AppError, Code};
use crate::tenancy::UserId;

/// A ticket still waiting on someone, with its deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDeadlines {
    pub ticket: TicketId,
    pub assigned: bool,
    pub first_response: Option<DateTime<Utc>>,
    pub resolution: Option<DateTime<Utc>>,
}

/// Open or pending tickets of `tenant` with at least one deadline.
#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn open_with_deadlines(tx: &TenantTx) -> Result<Vec<OpenDeadlines>, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let rows = ticket::Entity::find()
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .filter(
            ticket::Column::SlaDueAt
                .is_not_null()
                .or(ticket::Column::ResolutionDueAt.is_not_null()),
        )
        .filter(ticket::Column::Status.is_in([Status::Open.as_str(), Status::Pending.as_str()]))
        .all(txn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|t| OpenDeadlines {
            ticket: TicketId(t.id),
            assigned: t.assignee_id.is_some(),
            first_response: t.sla_due_at,
            resolution: t.resolution_due_at,
        })
        .collect())
}

/// Which promise a ticket broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breach {
    /// Nobody but the requester has written on it yet.
    FirstResponse,
    /// Still open or pending.
    Resolution,
}

impl Breach {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstResponse => "first_response",
            Self::Resolution => "resolution",
        }
    }
}

/// What an SLA check did to a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escalation {
    Escalated {
        number: i64,
        from: Priority,
        to: Priority,
    },
    /// This check escalated it before (a retried step): nothing changed now.
    AlreadyEscalated,
    /// Answered, resolved or closed in time.
    NotNeeded,
}

/// Escalates a ticket that broke `breach`: priority one level up, moved to `queue`, and an
/// `escalated` event naming `key` — in one transaction, once per key, and only if the
/// ticket did not change underneath (compare-and-set on its version).
#[instrument(skip_all, fields(tenant = %tx.tenant(), ticket = %id, breach = breach.as_str()))]
pub async fn escalate_overdue(
    tx: &TenantTx,
    id: TicketId,
    breach: Breach,
    key: uuid::Uuid,
    queue: &QueueName,
) -> Result<Escalation, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    let Some(found) = ticket::Entity::find_by_id(id.0)
        .filter(ticket::Column::TenantId.eq(tenant.0))
        .one(txn)
        .await?
    else {
        return Ok(Escalation::NotNeeded);
    };
    let events = ticket_event::Entity::find()
        .filter(ticket_event::Column::TenantId.eq(tenant.0))
        .filter(ticket_event::Column::TicketId.eq(id.0))
        .all(txn)
        .await?;
    let already = events.iter().any(|e| {
        e.kind == "escalated"
            && e.data.get("job").and_then(|j| j.as_str()) == Some(&key.to_string())
    });
    if already {
        return Ok(Escalation::AlreadyEscalated);
    }
    let waiting = matches!(
        Status::parse(&found.status),
        Ok(Status::Open | Status::Pending)
    );
    let answered = events
        .iter()
        .any(|e| e.kind == "comment" && e.author_id.is_some_and(|a| a != found.requester_id));
    let kept = match breach {
        Breach::FirstResponse => answered || !waiting,
        Breach::Resolution => !waiting,
    };
    if kept {
        return Ok(Escalation::NotNeeded);
    }
    let from = Priority::parse(&found.priority)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("stored priority: {e}")))?;
    let to = from.raised();
    let updated = ticket_change(tenant, id)
        .col_expr(ticket::Column::Priority, Expr::value(to.as_str()))
        .col_expr(ticket::Column::Queue, Expr::value(queue.as_str()))
        .filter(ticket::Column::Version.eq(found.version))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        // Someone changed the ticket meanwhile: the caller retries and judges it afresh.
        return Err(AppError::Conflict(
            Code::VersionMismatch,
            "the ticket changed during its SLA check".into(),
        ));
    }
    record_event(
        txn,
        tenant,
        id,
        None,
        "escalated",
        serde_json::json!({
            "job": key.to_string(), "reason": format!("{}_sla", breach.as_str()),
            "from_priority": from.as_str(), "to_priority": to.as_str(), "queue": queue.as_str(),
        }),
    )
    .await?;
    Ok(Escalation::Escalated {
        number: found.number,
        from,
        to,
    })
}

/// Assigns a ticket to `agent` unless someone already has it; whether it did.
#[instrument(skip_all, fields(tenant = %tx.tenant(), ticket = %id))]
pub async fn assign_if_unassigned(
    tx: &TenantTx,
    id: TicketId,
    agent: UserId,
) -> Result<bool, AppError> {
    let txn: &DatabaseTransaction = tx;
    let tenant = tx.tenant();
    if !is_staff(txn, tenant, agent).await? {
        return Err(AppError::NotFound(
            Code::UserNotFound,
            "no such agent in this tenant".into(),
        ));
    }
    let updated = ticket_change(tenant, id)
        .col_expr(ticket::Column::AssigneeId, Expr::value(agent.0))
        .filter(ticket::Column::AssigneeId.is_null())
        .exec(txn)
        .await?;
    let assigned = updated.rows_affected == 1;
    if assigned {
        record_event(
            txn,
            tenant,
            id,
            None,
            "assigned",
            serde_json::json!({"from": null, "to": agent.0, "by": "workflow"}),
        )
        .await?;
    }
    Ok(assigned)
}
