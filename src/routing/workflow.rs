//! The embedded workflow engine: durable jobs in the application database. A ticket's SLA
//! check is a job due when its first response is; a worker task in every `serve` process
//! polls for due jobs, claims each with a compare-and-set lease (an `UPDATE … WHERE` that
//! only one worker can win, on SQLite and PostgreSQL alike), runs it, and marks it done —
//! or, on failure, retries it later with exponential back-off. A job that fell due while
//! no process ran fires at the next start. Its effect (the escalation) is idempotent per
//! job, so a job run twice after a crash escalates once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus::{IntCounter, Registry};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, Set,
};
use tracing::Instrument as _;
use uuid::Uuid;

use crate::config::WorkflowSettings;
use crate::database::{begin_platform, begin_tenant};
use crate::entity::job;
use crate::error::AppError;
use crate::tenancy::{self, TenantId};
use crate::tickets::{self, Escalation, QueueName, TicketId};

pub const SLA_FIRST_RESPONSE: &str = "sla_first_response";

pub struct Workflow {
    db: DatabaseConnection,
    settings: WorkflowSettings,
    breaches: IntCounter,
}

impl Workflow {
    pub fn new(
        db: DatabaseConnection,
        settings: WorkflowSettings,
        registry: &Registry,
    ) -> anyhow::Result<Self> {
        let breaches = IntCounter::new("sla_breaches_total", "Tickets escalated for a missed SLA")?;
        registry.register(Box::new(breaches.clone()))?;
        Ok(Self {
            db,
            settings,
            breaches,
        })
    }

    /// Schedules the first-response check of a ticket (again is a no-op).
    pub async fn schedule_sla(
        &self,
        tenant: TenantId,
        ticket: TicketId,
        due: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let row = job::ActiveModel {
            id: Set(Uuid::new_v4()),
            tenant_id: Set(tenant.0),
            kind: Set(SLA_FIRST_RESPONSE.to_owned()),
            ticket_id: Set(ticket.0),
            due_at: Set(due),
            attempts: Set(0),
            locked_until: Set(None),
            last_error: Set(None),
            done_at: Set(None),
            created_at: Set(Utc::now()),
        };
        job::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([job::Column::TicketId, job::Column::Kind])
                    .do_nothing()
                    .to_owned(),
            )
            .try_insert()
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Gives every waiting ticket with a deadline its timer: a ticket whose job was never
    /// written (the process died between the two) gets one now. Scheduling is idempotent.
    pub async fn reconcile(&self) -> Result<usize, AppError> {
        let mut scheduled = 0;
        for tenant in tenancy::list_tenants(&self.db).await? {
            for (ticket, due) in tickets::awaiting_first_response(&self.db, tenant.id).await? {
                self.schedule_sla(tenant.id, ticket, due).await?;
                scheduled += 1;
            }
        }
        Ok(scheduled)
    }

    /// Reconciles timers, then polls for due jobs until the process ends.
    pub fn spawn(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            if let Err(e) = self.reconcile().await {
                tracing::warn!(error = %e, "cannot reconcile SLA timers");
            }
            let poll = Duration::from_millis(Ord::max(self.settings.poll_ms, 10));
            loop {
                if let Err(e) = self.run_due().await {
                    tracing::warn!(error = %e, "workflow poll failed");
                }
                tokio::time::sleep(poll).await;
            }
        })
    }

    /// Claims and runs every job due now; returns how many this worker ran.
    pub async fn run_due(&self) -> Result<usize, AppError> {
        let now = Utc::now();
        let txn = begin_platform(&self.db).await?;
        let due: Vec<Uuid> = job::Entity::find()
            .select_only()
            .column(job::Column::Id)
            .filter(job::Column::DoneAt.is_null())
            .filter(job::Column::DueAt.lte(now))
            .filter(
                job::Column::LockedUntil
                    .is_null()
                    .or(job::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(job::Column::DueAt)
            .limit(32)
            .into_tuple()
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut ran = 0;
        for id in due {
            let Some(claimed) = self.claim(id).await? else {
                continue;
            };
            ran += 1;
            // One span per step: the run of the job, then its bookkeeping.
            let span = tracing::info_span!(
                "workflow.run_job",
                job = %claimed.id,
                kind = %claimed.kind,
                tenant = %claimed.tenant_id,
                ticket = %claimed.ticket_id,
                attempt = claimed.attempts,
            );
            let outcome = self.execute(&claimed).instrument(span.clone()).await;
            self.finish(&claimed, outcome)
                .instrument(tracing::info_span!(parent: &span, "workflow.finish_job"))
                .await?;
        }
        Ok(ran)
    }

    /// Takes a lease on a job; `None` when another worker holds or finished it.
    #[tracing::instrument(name = "workflow.claim_job", skip(self))]
    async fn claim(&self, id: Uuid) -> Result<Option<job::Model>, AppError> {
        let now = Utc::now();
        let lease = chrono::Duration::seconds(Ord::max(self.settings.lease_secs, 1) as i64);
        let txn = begin_platform(&self.db).await?;
        let updated = job::Entity::update_many()
            .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).add(1),
            )
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::DoneAt.is_null())
            .filter(
                job::Column::LockedUntil
                    .is_null()
                    .or(job::Column::LockedUntil.lt(now)),
            )
            .exec(&txn)
            .await?;
        let claimed = if updated.rows_affected == 1 {
            job::Entity::find_by_id(id).one(&txn).await?
        } else {
            None
        };
        txn.commit().await?;
        Ok(claimed)
    }

    async fn execute(&self, job: &job::Model) -> Result<(), AppError> {
        let tenant = TenantId(job.tenant_id);
        match job.kind.as_str() {
            SLA_FIRST_RESPONSE => {
                let settings = tenancy::get_tenant(&self.db, tenant).await?.settings;
                let queue = settings
                    .pointer("/queues/escalation")
                    .and_then(|v| v.as_str())
                    .and_then(|q| QueueName::parse(q).ok())
                    .map_or_else(|| QueueName::parse("escalations"), Ok)
                    .map_err(|e| AppError::Internal(anyhow::anyhow!("queue: {e}")))?;
                let outcome = tickets::escalate_if_unanswered(
                    &self.db,
                    tenant,
                    TicketId(job.ticket_id),
                    job.id,
                    &queue,
                )
                .await?;
                if let Escalation::Escalated { from, to } = outcome {
                    self.breaches.inc();
                    tracing::warn!(
                        tenant = %tenant,
                        ticket = %job.ticket_id,
                        from = from.as_str(),
                        to = to.as_str(),
                        queue = queue.as_str(),
                        "sla breached: ticket escalated"
                    );
                }
                Ok(())
            }
            other => Err(AppError::Internal(anyhow::anyhow!(
                "unknown job kind {other}"
            ))),
        }
    }

    async fn finish(
        &self,
        job: &job::Model,
        outcome: Result<(), AppError>,
    ) -> Result<(), AppError> {
        let now = Utc::now();
        let txn = begin_platform(&self.db).await?;
        let mut update = job::Entity::update_many().filter(job::Column::Id.eq(job.id));
        match outcome {
            Ok(()) => {
                update = update.col_expr(job::Column::DoneAt, Expr::value(now));
            }
            Err(e) => {
                tracing::warn!(job = %job.id, attempts = job.attempts, error = %e, "job failed");
                let backoff = chrono::Duration::seconds(2i64.pow(job.attempts.clamp(0, 8) as u32));
                update = update
                    .col_expr(job::Column::LockedUntil, Expr::value(now + backoff))
                    .col_expr(job::Column::LastError, Expr::value(e.to_string()));
                if job.attempts >= self.settings.max_attempts as i32 {
                    update = update.col_expr(job::Column::DoneAt, Expr::value(now));
                }
            }
        }
        update.exec(&txn).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// When the first response to a ticket of `priority` is due under the tenant's
/// `sla_minutes` (fractions of a minute allowed); `None` without a policy for it.
pub fn first_response_due(
    settings: &serde_json::Value,
    priority: &str,
    from: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let minutes = settings
        .pointer(&format!("/sla_minutes/{priority}/first_response"))?
        .as_f64()
        .filter(|m| m.is_finite() && *m > 0.0)?;
    Some(from + chrono::Duration::milliseconds((minutes * 60_000.0) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_response_due_reads_the_tenant_policy() {
        let settings = serde_json::json!({"sla_minutes": {"normal": {"first_response": 0.5}}});
        let now = Utc::now();
        assert_eq!(
            first_response_due(&settings, "normal", now),
            Some(now + chrono::Duration::seconds(30))
        );
        assert_eq!(first_response_due(&settings, "urgent", now), None);
        let bad = serde_json::json!({"sla_minutes": {"normal": {"first_response": -1}}});
        assert_eq!(first_response_due(&bad, "normal", now), None);
    }
}
