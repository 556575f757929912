//! The audit log: who did what to which record, per tenant, append-only and hash-chained.
//!
//! Services write a record in the transaction that makes the change ([`record`]), so a
//! change without its record cannot commit. Each record holds the SHA-256 of its own fields
//! and of the previous record's hash; [`verify`] walks a tenant's chain and names the first
//! record that was altered, removed or moved. Every record is also written as a JSON log
//! line (target `helpdesk::audit`), a second copy outside the database. Records never hold
//! personal data: ids, actions and before/after values of settings, roles and statuses.

pub mod routes;

use chrono::{DateTime, SubsecRound as _, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, DbBackend, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, QuerySelect as _, Statement,
};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

use crate::database::TenantTx;
use crate::entity::audit_record;
use crate::error::AppError;
use crate::ids::{Actor, TenantId};

/// The hash the first record of a chain points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

// What happened. The names are stable: filters and exports use them.
crate::validation::string_enum!(Action, "action", {
    SignIn => "auth.sign_in",
    SignInFailed => "auth.sign_in_failed",
    UserCreated => "user.created",
    RoleChanged => "user.role_changed",
    UserDisabled => "user.disabled",
    UserEnabled => "user.enabled",
    PasswordChanged => "user.password_changed",
    PasswordResetIssued => "user.password_reset_issued",
    PasswordReset => "user.password_reset",
    DocumentUploaded => "document.uploaded",
    DocumentDeleted => "document.deleted",
    DocumentVisibilityChanged => "document.visibility_changed",
    TicketStatusChanged => "ticket.status_changed",
    TicketAssigneeChanged => "ticket.assignee_changed",
    SettingsChanged => "settings.changed",
    PersonExported => "person.exported",
    PersonErased => "person.erased",
    TenantCreated => "tenant.created",
});

/// One event to record: the action, the record it touched, and what changed (ids and
/// values, never personal data).
#[derive(Debug, Clone)]
pub struct Event {
    pub action: Action,
    pub target: Option<(&'static str, String)>,
    pub detail: serde_json::Value,
}

impl Event {
    pub fn new(action: Action) -> Self {
        Self {
            action,
            target: None,
            detail: serde_json::json!({}),
        }
    }

    pub fn on(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.target = Some((kind, id.to_string()));
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Records `event` as done by the transaction's actor, in the transaction.
pub async fn record(tx: &TenantTx, event: Event) -> Result<(), AppError> {
    append(&**tx, tx.tenant(), tx.actor(), event).await
}

/// Appends one record to `tenant`'s chain through `conn`, which must be a transaction
/// scoped to `tenant` (the next position is read, then written).
pub async fn append(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    actor: &Actor,
    event: Event,
) -> Result<(), AppError> {
    if conn.get_database_backend() == DbBackend::Postgres {
        // Writers of one tenant's chain queue here; the unique (tenant, seq) index would
        // catch a fork anyway, but as an error.
        conn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            [format!("audit:{tenant}").into()],
        ))
        .await?;
    }
    let last: Option<(i64, String)> = audit_record::Entity::find()
        .select_only()
        .column(audit_record::Column::Seq)
        .column(audit_record::Column::Hash)
        .filter(audit_record::Column::TenantId.eq(tenant.0))
        .order_by_desc(audit_record::Column::Seq)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let mut record = audit_record::Model {
        id: Uuid::new_v4(),
        tenant_id: tenant.0,
        seq,
        // Both databases keep microseconds; the hash must see what they store.
        at: Utc::now().trunc_subsecs(6),
        actor_kind: actor.kind().to_owned(),
        actor_id: actor.id(),
        action: event.action.as_str().to_owned(),
        target_kind: event.target.as_ref().map(|(kind, _)| (*kind).to_owned()),
        target_id: event.target.map(|(_, id)| id),
        detail: event.detail.to_string(),
        prev_hash,
        hash: String::new(),
    };
    record.hash = hash_of(&record);
    tracing::info!(
        target: "helpdesk::audit",
        tenant = %tenant,
        seq = record.seq,
        action = record.action,
        actor_kind = record.actor_kind,
        actor_id = record.actor_id,
        target_kind = record.target_kind,
        target_id = record.target_id,
        detail = record.detail,
        hash = record.hash,
        "audit"
    );
    audit_record::Entity::insert(audit_record::ActiveModel {
        id: Set(record.id),
        tenant_id: Set(record.tenant_id),
        seq: Set(record.seq),
        at: Set(record.at),
        actor_kind: Set(record.actor_kind),
        actor_id: Set(record.actor_id),
        action: Set(record.action),
        target_kind: Set(record.target_kind),
        target_id: Set(record.target_id),
        detail: Set(record.detail),
        prev_hash: Set(record.prev_hash),
        hash: Set(record.hash),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

fn timestamp(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// SHA-256 over every field but `id` and `hash`, each length-prefixed so no two records
/// serialise alike.
fn hash_of(record: &audit_record::Model) -> String {
    let mut hasher = Sha256::new();
    let mut field = |value: &str| {
        hasher.update((value.len() as u64).to_le_bytes());
        hasher.update(value.as_bytes());
    };
    field(&record.prev_hash);
    field(&record.tenant_id.to_string());
    field(&record.seq.to_string());
    field(&timestamp(&record.at));
    field(&record.actor_kind);
    field(record.actor_id.as_deref().unwrap_or(""));
    field(&record.action);
    field(record.target_kind.as_deref().unwrap_or(""));
    field(record.target_id.as_deref().unwrap_or(""));
    field(&record.detail);
    format!("{:x}", hasher.finalize())
}

/// What [`verify`] found wrong first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The position in the chain where it breaks.
    pub seq: i64,
    pub problem: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Verified {
    pub records: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_break: Option<Break>,
}

/// Walks `tx`'s tenant's chain from the start. A record whose fields no longer match its
/// hash was altered; a gap in the positions, or a record that does not point back to its
/// predecessor, means records were removed or moved.
pub async fn verify(tx: &TenantTx) -> Result<Verified, AppError> {
    let records = audit_record::Entity::find()
        .filter(audit_record::Column::TenantId.eq(tx.id()))
        .order_by_asc(audit_record::Column::Seq)
        .all(&**tx)
        .await?;
    let mut previous = GENESIS.to_owned();
    let mut first_break = None;
    for (expected, record) in (1..).zip(&records) {
        let problem = if record.seq != expected {
            Some(if record.seq > expected {
                "missing: records were removed before this one"
            } else {
                "duplicated position"
            })
        } else if hash_of(record) != record.hash {
            Some("altered: the record no longer matches its hash")
        } else if record.prev_hash != previous {
            Some("out of chain: it does not follow the record before it (removed or reordered)")
        } else {
            None
        };
        if let Some(problem) = problem {
            first_break = Some(Break {
                seq: expected,
                problem,
            });
            break;
        }
        previous = record.hash.clone();
    }
    Ok(Verified {
        records: records.len(),
        first_break,
    })
}

/// Which records to read, newest first.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<Action>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Only records before this position (the cursor of the previous page).
    pub before: Option<i64>,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecordView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: ActorView,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetView>,
    pub detail: serde_json::Value,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ActorView {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TargetView {
    pub kind: String,
    pub id: String,
}

impl From<audit_record::Model> for RecordView {
    fn from(r: audit_record::Model) -> Self {
        Self {
            seq: r.seq,
            at: r.at,
            actor: ActorView {
                kind: r.actor_kind,
                id: r.actor_id,
            },
            action: r.action,
            target: r
                .target_kind
                .zip(r.target_id)
                .map(|(kind, id)| TargetView { kind, id }),
            detail: serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null),
            hash: r.hash,
        }
    }
}

/// One page of records, newest first, and the cursor of the next (older) page.
pub async fn list(
    tx: &TenantTx,
    filter: Filter,
) -> Result<(Vec<RecordView>, Option<i64>), AppError> {
    let mut query = audit_record::Entity::find()
        .filter(audit_record::Column::TenantId.eq(tx.id()))
        .order_by_desc(audit_record::Column::Seq)
        .limit(filter.limit + 1);
    if let Some(actor) = filter.actor {
        query = query.filter(audit_record::Column::ActorId.eq(actor));
    }
    if let Some(action) = filter.action {
        query = query.filter(audit_record::Column::Action.eq(action.as_str()));
    }
    if let Some(since) = filter.since {
        query = query.filter(audit_record::Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_record::Column::At.lt(until));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_record::Column::Seq.lt(before));
    }
    let mut rows = query.all(&**tx).await?;
    let more = rows.len() as u64 > filter.limit;
    rows.truncate(filter.limit as usize);
    let next = if more {
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok((rows.into_iter().map(RecordView::from).collect(), next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(detail: &str) -> audit_record::Model {
        audit_record::Model {
            id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            seq: 1,
            at: DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap_or_default(),
            actor_kind: "user".into(),
            actor_id: Some("u".into()),
            action: Action::RoleChanged.as_str().into(),
            target_kind: Some("user".into()),
            target_id: Some("v".into()),
            detail: detail.into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_hash_covers_every_field_and_tells_them_apart() {
        let a = hash_of(&record(r#"{"to":"admin"}"#));
        assert_eq!(a, hash_of(&record(r#"{"to":"admin"}"#)));
        assert_ne!(a, hash_of(&record(r#"{"to":"agent"}"#)));
        let mut moved = record(r#"{"to":"admin"}"#);
        moved.actor_id = Some("uv".into());
        moved.target_id = Some(String::new());
        assert_ne!(
            a,
            hash_of(&moved),
            "a byte moved between fields changes the hash"
        );
        let mut later = record(r#"{"to":"admin"}"#);
        later.seq = 2;
        assert_ne!(a, hash_of(&later));
    }

    #[test]
    fn action_names_round_trip() {
        for &action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()).ok(), Some(action));
        }
        assert!(Action::parse("user.deleted_everything").is_err());
    }
}
