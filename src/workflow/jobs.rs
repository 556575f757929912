//! Durable jobs in the application database: the embedded engine's SLA timers and every
//! engine's webhook deliveries. A worker task in each `serve` process polls for due jobs,
//! claims each with a compare-and-set lease (an `UPDATE … WHERE` that only one worker can
//! win, on SQLite and PostgreSQL alike), runs it, and marks it done — or, on failure,
//! retries it later with exponential back-off. A job that fell due while no process ran
//! fires at the next start. Job effects are idempotent, so a job run twice after a crash
//! changes a ticket once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _,
    QuerySelect as _, Set,
};
use tracing::Instrument as _;
use uuid::Uuid;

use super::effects::Effects;
use crate::config::WorkflowSettings;
use crate::database::{begin_platform, begin_tenant};
use crate::entity::job;
use crate::error::AppError;
use crate::slots::Slots;
use crate::tenancy::TenantId;
use crate::tickets::{Breach, TicketId};

/// What a job does; one job of a kind per ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Check an SLA when it falls due; escalate on a breach.
    Sla(Breach),
    /// Announce an escalation to the tenant's webhook.
    Webhook(Breach),
}

impl JobKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sla(Breach::FirstResponse) => "sla_first_response",
            Self::Sla(Breach::Resolution) => "sla_resolution",
            Self::Webhook(Breach::FirstResponse) => "webhook_first_response",
            Self::Webhook(Breach::Resolution) => "webhook_resolution",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [
            Self::Sla(Breach::FirstResponse),
            Self::Sla(Breach::Resolution),
            Self::Webhook(Breach::FirstResponse),
            Self::Webhook(Breach::Resolution),
        ]
        .into_iter()
        .find(|k| k.as_str() == raw)
    }
}

/// Writes a job (scheduling one that exists is a no-op).
pub async fn schedule(
    db: &DatabaseConnection,
    tenant: TenantId,
    ticket: TicketId,
    kind: JobKind,
    due: DateTime<Utc>,
    payload: Option<serde_json::Value>,
) -> Result<(), AppError> {
    let txn = begin_tenant(db, tenant.0).await?;
    let row = job::ActiveModel {
        id: Set(Uuid::new_v4()),
        tenant_id: Set(tenant.0),
        kind: Set(kind.as_str().to_owned()),
        ticket_id: Set(ticket.0),
        due_at: Set(due),
        attempts: Set(0),
        locked_until: Set(None),
        last_error: Set(None),
        done_at: Set(None),
        payload: Set(payload),
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

pub struct Jobs {
    effects: Arc<Effects>,
    settings: WorkflowSettings,
    /// Jobs this worker runs now: a tenant whose webhook receiver is slow fills its own
    /// places, never another's.
    running: Slots<Uuid>,
}

impl Jobs {
    pub fn new(effects: Arc<Effects>, settings: WorkflowSettings) -> Self {
        Self {
            running: Slots::new(settings.concurrency_per_tenant, settings.concurrency),
            effects,
            settings,
        }
    }

    fn db(&self) -> &DatabaseConnection {
        self.effects.db()
    }

    /// Polls for due jobs until the process ends. Jobs run on tasks of their own, so a
    /// slow one never holds up the next poll.
    pub fn spawn(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let poll = Duration::from_millis(Ord::max(self.settings.poll_ms, 10));
            loop {
                if let Err(e) = self.start_due().await {
                    tracing::warn!(error = %e, "workflow poll failed");
                }
                tokio::time::sleep(poll).await;
            }
        })
    }

    /// Claims and runs every job due now and waits for them; how many this worker ran.
    pub async fn run_due(self: &Arc<Self>) -> Result<usize, AppError> {
        let started = self.start_due().await?;
        let ran = started.len();
        for job in started {
            // A job's failure is recorded on its row; a panic is the task's own.
            let _ = job.await;
        }
        Ok(ran)
    }

    /// Claims the jobs due now, as far as the caps allow, and starts each on its own task.
    async fn start_due(self: &Arc<Self>) -> Result<Vec<tokio::task::JoinHandle<()>>, AppError> {
        let now = Utc::now();
        let txn = begin_platform(self.db()).await?;
        let due: Vec<(Uuid, Uuid)> = job::Entity::find()
            .select_only()
            .column(job::Column::Id)
            .column(job::Column::TenantId)
            .filter(job::Column::DoneAt.is_null())
            .filter(job::Column::DueAt.lte(now))
            .filter(
                job::Column::LockedUntil
                    .is_null()
                    .or(job::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(job::Column::DueAt)
            .limit(64)
            .into_tuple()
            .all(&txn)
            .await?;
        txn.commit().await?;
        let mut started = Vec::new();
        for (id, tenant) in due {
            // A tenant at its cap keeps its job unclaimed for a later poll.
            let Some(slot) = self.running.take(&tenant) else {
                continue;
            };
            let Some(claimed) = self.claim(id).await? else {
                continue;
            };
            let jobs = self.clone();
            started.push(tokio::spawn(async move {
                let _slot = slot;
                // One span per step: the run of the job, then its bookkeeping.
                let span = tracing::info_span!(
                    "workflow.run_job",
                    job = %claimed.id,
                    kind = %claimed.kind,
                    tenant = %claimed.tenant_id,
                    ticket = %claimed.ticket_id,
                    attempt = claimed.attempts,
                );
                let outcome = jobs.execute(&claimed).instrument(span.clone()).await;
                let finished = jobs
                    .finish(&claimed, outcome)
                    .instrument(tracing::info_span!(parent: &span, "workflow.finish_job"))
                    .await;
                if let Err(e) = finished {
                    // The lease runs out and another poll retries the job.
                    tracing::warn!(job = %claimed.id, error = %e, "cannot record a job's outcome");
                }
            }));
        }
        Ok(started)
    }

    /// Takes a lease on a job; `None` when another worker holds or finished it.
    #[tracing::instrument(name = "workflow.claim_job", skip(self))]
    async fn claim(&self, id: Uuid) -> Result<Option<job::Model>, AppError> {
        let now = Utc::now();
        let lease = chrono::Duration::seconds(Ord::max(self.settings.lease_secs, 1) as i64);
        let txn = begin_platform(self.db()).await?;
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
        let ticket = TicketId(job.ticket_id);
        match JobKind::parse(&job.kind) {
            Some(JobKind::Sla(breach)) => {
                self.effects.escalate(tenant, ticket, breach).await?;
                Ok(())
            }
            Some(JobKind::Webhook(breach)) => self.effects.announce(tenant, ticket, breach).await,
            None => Err(AppError::Internal(anyhow::anyhow!(
                "unknown job kind {}",
                job.kind
            ))),
        }
    }

    async fn finish(
        &self,
        job: &job::Model,
        outcome: Result<(), AppError>,
    ) -> Result<(), AppError> {
        let now = Utc::now();
        let txn = begin_platform(self.db()).await?;
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
