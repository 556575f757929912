//! Classification of new tickets (created through the API or by a chat handoff): the
//! category and the router's confidence are stored on the ticket, and the tenant's policy
//! picks its queue — the triage queue when the router is unsure.

use std::time::Instant;

use prometheus::{Histogram, HistogramOpts, IntCounterVec, Opts, Registry};

use super::assignment::pick_assignee;
use super::policy::{Classification, RoutingPolicy};
use super::router::Router;
use super::sla::SlaPolicy;
use crate::config::RoutingSettings;
use crate::database::TenantTx;
use crate::error::AppError;
use crate::tenancy::{self, TenantSettings};
use crate::tickets::{CreateTicket, QueueName};

pub struct Triage {
    router: Router,
    routed: IntCounterVec,
    seconds: Histogram,
}

impl Triage {
    /// The router of `routing.model`, else the one built into the binary.
    pub fn new(settings: &RoutingSettings, registry: &Registry) -> anyhow::Result<Self> {
        let router = match &settings.model {
            Some(path) => Router::load(path)?,
            None => Router::built_in()?,
        };
        let routed = IntCounterVec::new(
            Opts::new(
                "tickets_routed_total",
                "New tickets by the category the classifier chose",
            ),
            // The classifier's categories are a fixed set; queue names are the tenants'
            // own and would make a label anyone could grow.
            &["category"],
        )?;
        let seconds = Histogram::with_opts(
            HistogramOpts::new("routing_seconds", "Time to classify and route a new ticket")
                .buckets(vec![0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1]),
        )?;
        registry.register(Box::new(routed.clone()))?;
        registry.register(Box::new(seconds.clone()))?;
        Ok(Self {
            router,
            routed,
            seconds,
        })
    }

    /// Classifies `input` and sets its category, its SLA deadlines, its queue unless
    /// `keep_queue` (the client chose one), and its assignee when `assign` (the workflow
    /// engine may leave that to a workflow step).
    #[tracing::instrument(skip_all, fields(tenant = %tx.tenant()))]
    pub async fn route_new_ticket(
        &self,
        tx: &TenantTx,
        input: &mut CreateTicket,
        keep_queue: bool,
        assign: bool,
    ) -> Result<Classification, AppError> {
        let started = Instant::now();
        let settings = TenantSettings::of(&tenancy::get_tenant(tx).await?.settings);
        let policy = RoutingPolicy::from_tenant_settings(&settings);
        let mut verdict =
            policy.classify(&self.router, input.subject.as_str(), input.body.as_str());
        if !keep_queue {
            // A tenant may have configured a name that is not a valid queue: use the default.
            input.queue = QueueName::parse(&verdict.queue)
                .or_else(|_| QueueName::parse(&policy.default_queue))
                .or_else(|_| QueueName::parse("general"))
                .map_err(|e| AppError::Internal(anyhow::anyhow!("queue name: {e}")))?;
            verdict.queue = input.queue.as_str().to_owned();
        }
        input.category = Some((verdict.category.clone(), f64::from(verdict.confidence)));
        if assign {
            input.assignee = pick_assignee(tx, &policy, input.queue.as_str()).await?;
        }
        let deadlines = SlaPolicy::from_tenant_settings(&settings)
            .deadlines(input.priority.as_str(), chrono::Utc::now());
        input.sla_due_at = deadlines.first_response;
        input.resolution_due_at = deadlines.resolution;
        self.routed
            .with_label_values(&[verdict.category.as_str()])
            .inc();
        self.seconds.observe(started.elapsed().as_secs_f64());
        tracing::info!(
            category = %verdict.category,
            confidence = verdict.confidence,
            queue = %input.queue.as_str(),
            assignee = ?input.assignee.map(|a| a.0),
            "ticket routed"
        );
        Ok(verdict)
    }
}
