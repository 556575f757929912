//! The `temporal` workflow engine: each ticket's workflow runs on a Temporal server —
//! assign (an activity), a durable timer to each SLA deadline, escalate (an activity).
//! Temporal keeps the timers and retries the activities; the activities are the same
//! idempotent steps the embedded engine runs ([`Effects`]), so a retried activity — or a
//! switch of engines — escalates a ticket once. The worker runs inside every `serve`.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use temporalio_client::errors::WorkflowStartError;
use temporalio_client::{
    Client, ClientOptions, Connection, ConnectionOptions, WorkflowIdReusePolicy,
    WorkflowStartOptions,
};
use temporalio_common::RetryPolicy;
use temporalio_macros::{activities, workflow, workflow_methods};
use temporalio_sdk::activities::{ActivityContext, ActivityError};
use temporalio_sdk::{
    ActivityOptions, Runtime, Worker, WorkerOptions, WorkflowContext, WorkflowResult,
};
use uuid::Uuid;

use super::effects::Effects;
use super::engine::{TicketStart, WorkflowEngine};
use crate::config::TemporalSettings;
use crate::error::AppError;
use crate::tenancy::TenantId;
use crate::tickets::{Breach, Escalation, TicketId};

/// The input of a ticket's workflow: deadlines as Unix milliseconds (workflow code may
/// not read the clock; it compares them with the workflow's own time).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TicketSlaInput {
    pub tenant: Uuid,
    pub ticket: Uuid,
    pub first_response_due_ms: Option<i64>,
    pub resolution_due_ms: Option<i64>,
    /// Whether the ticket still needs an assignee.
    pub assign: bool,
    pub max_attempts: u32,
}

/// The input of one activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TicketStep {
    pub tenant: Uuid,
    pub ticket: Uuid,
    /// `first_response` or `resolution` for an escalation.
    pub sla: Option<String>,
}

#[workflow]
#[derive(Default)]
pub struct TicketSlaWorkflow;

#[workflow_methods]
impl TicketSlaWorkflow {
    #[run(name = "ticket_sla")]
    pub async fn run(
        ctx: &mut WorkflowContext<Self>,
        input: TicketSlaInput,
    ) -> WorkflowResult<String> {
        let options = || {
            ActivityOptions::with_start_to_close_timeout(Duration::from_secs(30))
                .retry_policy(
                    RetryPolicy::builder()
                        .initial_interval(Duration::from_secs(1))
                        .maximum_interval(Duration::from_secs(60))
                        .maximum_attempts(input.max_attempts)
                        .build(),
                )
                .build()
        };
        let step = |sla: Option<&str>| TicketStep {
            tenant: input.tenant,
            ticket: input.ticket,
            sla: sla.map(str::to_owned),
        };
        if input.assign {
            ctx.execute_activity(TicketActivities::assign, step(None), options())
                .await?;
        }
        let mut escalated = 0;
        for (sla, due) in [
            ("first_response", input.first_response_due_ms),
            ("resolution", input.resolution_due_ms),
        ] {
            let Some(due) = due else { continue };
            let now = ctx
                .workflow_time()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_millis() as i64);
            if due > now {
                ctx.timer(Duration::from_millis((due - now) as u64)).await;
            }
            let did = ctx
                .execute_activity(TicketActivities::escalate, step(Some(sla)), options())
                .await?;
            escalated += usize::from(did);
        }
        Ok(format!("escalated {escalated} time(s)"))
    }
}

pub struct TicketActivities {
    effects: Arc<Effects>,
}

fn breach(sla: Option<&str>) -> Result<Breach, ActivityError> {
    match sla {
        Some("first_response") => Ok(Breach::FirstResponse),
        Some("resolution") => Ok(Breach::Resolution),
        other => Err(anyhow::anyhow!("unknown SLA {other:?}").into()),
    }
}

#[activities]
impl TicketActivities {
    /// Gives the ticket to its queue's least-loaded agent; who has it.
    #[activity(name = "assign_ticket")]
    pub async fn assign(
        self: Arc<Self>,
        _ctx: ActivityContext,
        step: TicketStep,
    ) -> Result<Option<Uuid>, ActivityError> {
        let agent = self
            .effects
            .assign(TenantId(step.tenant), TicketId(step.ticket))
            .await?;
        Ok(agent.map(|a| a.0))
    }

    /// Escalates the ticket if it broke the SLA; whether this run escalated it.
    #[activity(name = "escalate_ticket")]
    pub async fn escalate(
        self: Arc<Self>,
        _ctx: ActivityContext,
        step: TicketStep,
    ) -> Result<bool, ActivityError> {
        let breach = breach(step.sla.as_deref())?;
        let outcome = self
            .effects
            .escalate(TenantId(step.tenant), TicketId(step.ticket), breach)
            .await?;
        Ok(matches!(outcome, Escalation::Escalated { .. }))
    }
}

pub struct TemporalEngine {
    client: Client,
    settings: TemporalSettings,
    max_attempts: u32,
    effects: Arc<Effects>,
}

impl TemporalEngine {
    pub async fn connect(
        settings: &TemporalSettings,
        max_attempts: u32,
        effects: Arc<Effects>,
    ) -> anyhow::Result<Self> {
        let url = url::Url::parse(&settings.url)?;
        let connection = Connection::connect(
            ConnectionOptions::new(url)
                .identity(format!("helpdesk@{}", std::process::id()))
                .build(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach Temporal at {}: {e}", settings.url))?;
        let client = Client::new(
            connection,
            ClientOptions::new(settings.namespace.clone()).build(),
        )?;
        Ok(Self {
            client,
            settings: settings.clone(),
            max_attempts: Ord::max(max_attempts, 1),
            effects,
        })
    }

    pub fn workflow_id(ticket: TicketId) -> String {
        format!("helpdesk-ticket-{}", ticket.0)
    }

    async fn run_worker(&self) -> anyhow::Result<()> {
        let runtime = Runtime::from_current_tokio(Default::default())?;
        let options = WorkerOptions::new(self.settings.task_queue.clone())
            .register_workflow::<TicketSlaWorkflow>()?
            .register_activities(TicketActivities {
                effects: self.effects.clone(),
            })
            .build();
        let mut worker = Worker::new(&runtime, self.client.clone(), options)?;
        worker.run().await?;
        Ok(())
    }
}

fn unix_ms(at: Option<chrono::DateTime<chrono::Utc>>) -> Option<i64> {
    at.map(|t| t.timestamp_millis())
}

#[async_trait]
impl WorkflowEngine for TemporalEngine {
    fn name(&self) -> &'static str {
        "temporal"
    }

    fn assigns_on_creation(&self) -> bool {
        false
    }

    async fn start(&self, start: TicketStart) -> Result<(), AppError> {
        let input = TicketSlaInput {
            tenant: start.tenant.0,
            ticket: start.ticket.0,
            first_response_due_ms: unix_ms(start.deadlines.first_response),
            resolution_due_ms: unix_ms(start.deadlines.resolution),
            assign: !start.deadlines.assigned,
            max_attempts: self.max_attempts,
        };
        let options = WorkflowStartOptions::new(
            self.settings.task_queue.clone(),
            Self::workflow_id(start.ticket),
        )
        // One workflow per ticket, ever: reconciliation restarting a finished one would
        // assign and check again for nothing.
        .id_reuse_policy(WorkflowIdReusePolicy::RejectDuplicate)
        .build();
        match self
            .client
            .start_workflow(TicketSlaWorkflow::run, input, options)
            .await
        {
            Ok(_) | Err(WorkflowStartError::AlreadyStarted { .. }) => Ok(()),
            Err(e) => Err(AppError::Internal(anyhow::anyhow!(
                "cannot start the ticket's Temporal workflow: {e}"
            ))),
        }
    }

    fn spawn_workers(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        // The SDK's worker future is not `Send`: it runs on a thread of its own, on a
        // single-threaded runtime, until the returned task is aborted (which drops `stop`).
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let engine = self.clone();
        let started = std::thread::Builder::new()
            .name("temporal-worker".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot start the Temporal worker's runtime");
                        return;
                    }
                };
                runtime.block_on(async move {
                    tokio::select! {
                        _ = stopped => {}
                        () = engine.work_forever() => {}
                    }
                });
            });
        if let Err(e) = started {
            tracing::error!(error = %e, "cannot start the Temporal worker thread");
        }
        tokio::spawn(async move {
            let _stop = stop;
            std::future::pending::<()>().await;
        })
    }
}

impl TemporalEngine {
    /// Runs the worker, restarting it with back-off when it stops or fails.
    async fn work_forever(&self) {
        let mut backoff = Duration::from_millis(500);
        loop {
            match self.run_worker().await {
                Ok(()) => tracing::warn!("Temporal worker stopped; restarting it"),
                Err(e) => tracing::error!(error = %e, "Temporal worker failed; restarting it"),
            }
            tokio::time::sleep(backoff).await;
            backoff = Ord::min(backoff * 2, Duration::from_secs(30));
        }
    }
}
