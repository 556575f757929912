//! The workflow of a ticket — classify → assign → watch its SLAs → escalate — behind one
//! trait with two engines: `embedded` (durable jobs in the application database, the
//! default) and `temporal` (a Temporal server; cargo feature `temporal`). Classification
//! happens when the ticket is created, in both.

use std::sync::Arc;

use async_trait::async_trait;
use prometheus::Registry;
use sea_orm::DatabaseConnection;

use super::effects::Effects;
use super::jobs::{self, JobKind, Jobs};
use crate::config::{WorkflowEngineKind, WorkflowSettings};
use crate::database::TenantTx;
use crate::error::AppError;
use crate::tenancy::{self, TenantId};
use crate::tickets::{Breach, OpenDeadlines, TicketId, TicketView};

/// What an engine needs to run a ticket's workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketStart {
    pub tenant: TenantId,
    pub ticket: TicketId,
    pub deadlines: OpenDeadlines,
}

#[async_trait]
pub trait WorkflowEngine: Send + Sync {
    fn name(&self) -> &'static str;

    /// Whether tickets are assigned as they are created, in their own transaction; if not,
    /// the workflow's first step assigns them.
    fn assigns_on_creation(&self) -> bool;

    /// Starts (or, for a ticket that has it, leaves alone) the ticket's workflow.
    async fn start(&self, ticket: TicketStart) -> Result<(), AppError>;

    /// Runs the engine's workers until the task is aborted.
    fn spawn_workers(self: Arc<Self>) -> tokio::task::JoinHandle<()>;
}

/// Timers as jobs in the application database, run by the job worker `Workflow` keeps in
/// every process.
pub struct EmbeddedEngine {
    effects: Arc<Effects>,
}

#[async_trait]
impl WorkflowEngine for EmbeddedEngine {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn assigns_on_creation(&self) -> bool {
        true
    }

    async fn start(&self, start: TicketStart) -> Result<(), AppError> {
        for (breach, due) in [
            (Breach::FirstResponse, start.deadlines.first_response),
            (Breach::Resolution, start.deadlines.resolution),
        ] {
            if let Some(due) = due {
                jobs::schedule(
                    self.effects.db(),
                    start.tenant,
                    start.ticket,
                    JobKind::Sla(breach),
                    due,
                    None,
                )
                .await?;
            }
        }
        Ok(())
    }

    fn spawn_workers(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        // Its timers are jobs: the shared job worker runs them.
        tokio::spawn(async {})
    }
}

/// The application's handle on ticket workflows: the configured engine, and the job
/// worker every engine shares for webhook deliveries.
pub struct Workflow {
    engine: Arc<dyn WorkflowEngine>,
    jobs: Arc<Jobs>,
    effects: Arc<Effects>,
}

impl Workflow {
    pub async fn new(
        db: DatabaseConnection,
        settings: WorkflowSettings,
        registry: &Registry,
    ) -> anyhow::Result<Self> {
        let egress = Arc::new(crate::egress::EgressPolicy::new(&settings.webhook_allow)?);
        let effects = Arc::new(Effects::new(
            db,
            std::time::Duration::from_secs(Ord::max(settings.webhook_timeout_secs, 1)),
            egress,
            registry,
        )?);
        let engine: Arc<dyn WorkflowEngine> = match settings.engine {
            WorkflowEngineKind::Embedded => Arc::new(EmbeddedEngine {
                effects: effects.clone(),
            }),
            WorkflowEngineKind::Temporal => temporal_engine(&settings, effects.clone()).await?,
        };
        let jobs = Arc::new(Jobs::new(effects.clone(), settings));
        Ok(Self {
            engine,
            jobs,
            effects,
        })
    }

    /// Where tenants' webhooks may point.
    pub fn egress(&self) -> &crate::egress::EgressPolicy {
        self.effects.egress()
    }

    pub fn engine_name(&self) -> &'static str {
        self.engine.name()
    }

    pub fn assigns_on_creation(&self) -> bool {
        self.engine.assigns_on_creation()
    }

    /// Starts the workflow of a ticket just created.
    pub async fn ticket_opened(
        &self,
        tenant: TenantId,
        ticket: &TicketView,
    ) -> Result<(), AppError> {
        self.start(TicketStart {
            tenant,
            ticket: ticket.id,
            deadlines: OpenDeadlines {
                ticket: ticket.id,
                assigned: ticket.assignee_id.is_some(),
                first_response: ticket.sla_due_at,
                resolution: ticket.resolution_due_at,
            },
        })
        .await
    }

    async fn start(&self, start: TicketStart) -> Result<(), AppError> {
        self.engine.start(start).await
    }

    /// Gives every waiting ticket with a deadline its workflow: a ticket whose workflow was
    /// never started (the process died between the two, or the engine was unreachable)
    /// gets it now. Starting is idempotent.
    pub async fn reconcile(&self) -> Result<usize, AppError> {
        let mut started = 0;
        for tenant in tenancy::list_tenants(self.effects.db()).await? {
            let open = TenantTx::run(self.effects.db(), tenant.id, async |tx| {
                crate::tickets::open_with_deadlines(tx).await
            })
            .await?;
            for deadlines in open {
                self.start(TicketStart {
                    tenant: tenant.id,
                    ticket: deadlines.ticket,
                    deadlines,
                })
                .await?;
                started += 1;
            }
        }
        Ok(started)
    }

    /// Reconciles, then runs the engine's workers and the job worker until aborted.
    pub fn spawn(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let this = self.clone();
        tokio::spawn(async move {
            if let Err(e) = this.reconcile().await {
                tracing::warn!(error = %e, engine = this.engine.name(), "cannot reconcile ticket workflows");
            }
            let engine = this.engine.clone().spawn_workers();
            let jobs = this.jobs.clone().spawn();
            // Aborting this task drops the guards, which abort both workers.
            let _guards = (AbortOnDrop(engine), AbortOnDrop(jobs));
            std::future::pending::<()>().await;
        })
    }

    /// Runs the jobs due now on this worker (tests and tools drive it directly).
    pub async fn run_due(&self) -> Result<usize, AppError> {
        self.jobs.run_due().await
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(feature = "temporal")]
async fn temporal_engine(
    settings: &WorkflowSettings,
    effects: Arc<Effects>,
) -> anyhow::Result<Arc<dyn WorkflowEngine>> {
    Ok(Arc::new(
        super::temporal::TemporalEngine::connect(
            &settings.temporal,
            settings.max_attempts,
            effects,
        )
        .await?,
    ))
}

#[cfg(not(feature = "temporal"))]
async fn temporal_engine(
    _settings: &WorkflowSettings,
    _effects: Arc<Effects>,
) -> anyhow::Result<Arc<dyn WorkflowEngine>> {
    anyhow::bail!(
        "workflow.engine = \"temporal\" needs a binary built with the `temporal` cargo feature \
         (cargo build --features temporal)"
    )
}

/// Starts a just-created ticket's workflow. The ticket is already committed, so a failure
/// (an unreachable Temporal server) must not fail the request that created it — the client
/// would retry and open a duplicate: it is logged, and the next start's reconciliation
/// starts the workflow.
pub async fn start_or_defer(workflow: &Workflow, tenant: TenantId, ticket: &TicketView) {
    if let Err(e) = workflow.ticket_opened(tenant, ticket).await {
        tracing::error!(
            error = %e,
            engine = workflow.engine_name(),
            ticket = %ticket.id,
            "cannot start the ticket's workflow; it starts at the next reconciliation"
        );
    }
}
