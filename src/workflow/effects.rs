//! The steps of a ticket's workflow that touch the world — assign, escalate, announce —
//! shared by both engines (embedded jobs call them directly; Temporal runs them as
//! activities). Every step is idempotent, so an engine may retry it freely.

use std::sync::Arc;

use prometheus::{IntCounterVec, Opts, Registry};
use sea_orm::DatabaseConnection;
use tracing::Instrument as _;
use uuid::Uuid;

use super::jobs::{self, JobKind};
use super::webhook::{self, WebhookTarget};
use crate::database::TenantTx;
use crate::egress::EgressPolicy;
use crate::error::AppError;
use crate::routing::{RoutingPolicy, pick_assignee};
use crate::tenancy::{self, QueueNames, TenantId, TenantSettings, UserId};
use crate::tickets::{self, Breach, Escalation, QueueName, TicketId};

pub const DEFAULT_ESCALATION_QUEUE: &str = "escalations";

pub struct Effects {
    db: DatabaseConnection,
    breaches: IntCounterVec,
    deliveries: IntCounterVec,
    http: reqwest::Client,
    egress: Arc<EgressPolicy>,
}

/// The idempotency key of a ticket's check of one SLA: the same whichever engine or worker
/// runs it, however often.
pub fn breach_key(ticket: TicketId, breach: Breach) -> Uuid {
    Uuid::new_v5(&ticket.0, breach.as_str().as_bytes())
}

impl Effects {
    pub fn new(
        db: DatabaseConnection,
        webhook_timeout: std::time::Duration,
        egress: Arc<EgressPolicy>,
        registry: &Registry,
    ) -> anyhow::Result<Self> {
        let breaches = IntCounterVec::new(
            Opts::new("sla_breaches_total", "Tickets escalated for a missed SLA"),
            &["sla"],
        )?;
        registry.register(Box::new(breaches.clone()))?;
        let deliveries = IntCounterVec::new(
            Opts::new(
                "webhook_deliveries_total",
                "Webhook delivery attempts by outcome (a failed attempt is retried by its job)",
            ),
            &["outcome"],
        )?;
        registry.register(Box::new(deliveries.clone()))?;
        // Connections go only to addresses the egress policy checked (no proxy, no
        // redirect to somewhere else).
        let http = reqwest::Client::builder()
            .timeout(webhook_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .dns_resolver(egress.resolver())
            .build()?;
        Ok(Self {
            db,
            breaches,
            deliveries,
            http,
            egress,
        })
    }

    /// The webhook destinations this deployment allows.
    pub fn egress(&self) -> &Arc<EgressPolicy> {
        &self.egress
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Gives an unassigned ticket to its queue's least-loaded agent; who has it now.
    #[cfg_attr(
        not(feature = "temporal"),
        expect(dead_code, reason = "only the Temporal engine's activities assign")
    )]
    #[tracing::instrument(name = "workflow.assign", skip(self), fields(tenant = %tenant, ticket = %ticket))]
    pub async fn assign(
        &self,
        tenant: TenantId,
        ticket: TicketId,
    ) -> Result<Option<UserId>, AppError> {
        // One transaction: the ticket read, the pick and the assignment see one state.
        let tx = TenantTx::begin(&self.db, tenant).await?;
        let current = match tickets::get_ticket(&tx, ticket).await {
            Ok(t) => t,
            Err(AppError::NotFound(..)) => return Ok(None),
            Err(e) => return Err(e),
        };
        if current.assignee_id.is_some() {
            return Ok(current.assignee_id);
        }
        let settings = TenantSettings::of(&tenancy::get_tenant(&tx).await?.settings);
        let policy = RoutingPolicy::from_tenant_settings(&settings);
        let Some(agent) = pick_assignee(&tx, &policy, &current.queue).await? else {
            return Ok(None);
        };
        tickets::assign_if_unassigned(&tx, ticket, agent).await?;
        let assignee = tickets::get_ticket(&tx, ticket).await?.assignee_id;
        tx.commit().await?;
        Ok(assignee)
    }

    /// Escalates a ticket that missed `breach`, once, and queues the tenant's webhook.
    #[tracing::instrument(
        name = "workflow.escalate",
        skip(self),
        fields(tenant = %tenant, ticket = %ticket, sla = breach.as_str())
    )]
    pub async fn escalate(
        &self,
        tenant: TenantId,
        ticket: TicketId,
        breach: Breach,
    ) -> Result<Escalation, AppError> {
        let tx = TenantTx::begin(&self.db, tenant).await?;
        let settings = TenantSettings::of(&tenancy::get_tenant(&tx).await?.settings);
        let queue = QueueNames::chosen(&settings.queues.escalation)
            .and_then(|q| QueueName::parse(q).ok())
            .map_or_else(|| QueueName::parse(DEFAULT_ESCALATION_QUEUE), Ok)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("queue: {e}")))?;
        let key = breach_key(ticket, breach);
        let outcome = tickets::escalate_overdue(&tx, ticket, breach, key, &queue).await?;
        tx.commit().await?;
        if let Escalation::Escalated { number, from, to } = &outcome {
            self.breaches.with_label_values(&[breach.as_str()]).inc();
            tracing::warn!(
                number,
                from = from.as_str(),
                to = to.as_str(),
                queue = queue.as_str(),
                "sla breached: ticket escalated"
            );
        }
        // Also after a retried step: the announcement may be what the crash lost.
        if outcome != Escalation::NotNeeded && WebhookTarget::of_tenant(&settings).is_some() {
            jobs::schedule(
                &self.db,
                tenant,
                ticket,
                JobKind::Webhook(breach),
                chrono::Utc::now(),
                Some(serde_json::json!({"key": key, "sla": breach.as_str()})),
            )
            .await?;
        }
        Ok(outcome)
    }

    /// Posts the `ticket.escalated` event of a breach to the tenant's webhook.
    #[tracing::instrument(name = "workflow.announce", skip(self), fields(tenant = %tenant, ticket = %ticket))]
    pub async fn announce(
        &self,
        tenant: TenantId,
        ticket: TicketId,
        breach: Breach,
    ) -> Result<(), AppError> {
        let tx = TenantTx::begin(&self.db, tenant).await?;
        let settings = TenantSettings::of(&tenancy::get_tenant(&tx).await?.settings);
        let Some(target) = WebhookTarget::of_tenant(&settings) else {
            tx.commit().await?;
            return Ok(());
        };
        let key = breach_key(ticket, breach);
        let view = tickets::get_ticket(&tx, ticket).await?;
        let escalated = tickets::list_events(&tx, ticket, false, true)
            .await?
            .into_iter()
            .find(|e| {
                e.kind == "escalated"
                    && e.data.get("job").and_then(|j| j.as_str()) == Some(&key.to_string())
            });
        // The delivery below goes over the network: no transaction stays open for it.
        tx.commit().await?;
        let Some(escalated) = escalated else {
            return Ok(());
        };
        let event = serde_json::json!({
            "type": "ticket.escalated",
            "id": key,
            "occurred_at": escalated.created_at,
            "tenant_id": tenant,
            "sla": breach.as_str(),
            "from_priority": escalated.data.get("from_priority"),
            "to_priority": escalated.data.get("to_priority"),
            "ticket": {
                "id": view.id, "number": view.number, "subject": view.subject,
                "status": view.status, "priority": view.priority, "queue": view.queue,
                "assignee_id": view.assignee_id,
            },
        });
        let result = webhook::deliver(&self.http, &self.egress, &target, &event)
            .instrument(tracing::info_span!(
                "webhook.deliver",
                tenant = %tenant,
                ticket = %ticket,
                event = "ticket.escalated",
            ))
            .await;
        let outcome = if result.is_ok() {
            "delivered"
        } else {
            "failed"
        };
        self.deliveries.with_label_values(&[outcome]).inc();
        result
    }
}
