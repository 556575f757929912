//! Opening a ticket, the same from the API, a chat handoff and the `import-tickets`
//! command: classify it and pick its queue and agent, create it, then start its workflow.

use sea_orm::DatabaseConnection;
use tracing::instrument;

use crate::database::TenantTx;
use crate::error::AppError;
use crate::ids::TenantId;
use crate::routing::Triage;
use crate::tickets::{self, CreateTicket, TicketView};
use crate::workflow::{Workflow, start_or_defer};

/// What opening a ticket needs.
#[derive(Clone, Copy)]
pub struct Intake<'a> {
    pub db: &'a DatabaseConnection,
    pub triage: &'a Triage,
    pub workflow: &'a Workflow,
}

/// Opens a ticket in a transaction of its own and starts its workflow once it is
/// committed. `keep_queue`: the caller chose the queue, the policy does not.
#[instrument(skip_all, fields(tenant = %tenant))]
pub async fn open_ticket(
    intake: Intake<'_>,
    tenant: TenantId,
    input: CreateTicket,
    keep_queue: bool,
) -> Result<TicketView, AppError> {
    let tx = TenantTx::begin(intake.db, tenant).await?;
    let ticket = create_routed(intake, &tx, input, keep_queue).await?;
    tx.commit().await?;
    started(intake, &ticket).await;
    Ok(ticket)
}

/// Classifies, routes and creates the ticket inside `tx`; the caller commits, then calls
/// [`started`].
pub(super) async fn create_routed(
    intake: Intake<'_>,
    tx: &TenantTx,
    mut input: CreateTicket,
    keep_queue: bool,
) -> Result<TicketView, AppError> {
    let assign = intake.workflow.assigns_on_creation();
    intake
        .triage
        .route_new_ticket(tx, &mut input, keep_queue, assign)
        .await?;
    tickets::create_ticket(tx, input).await
}

/// Starts a committed ticket's workflow (a failure is logged and retried at the next
/// reconciliation: the ticket exists either way).
pub(super) async fn started(intake: Intake<'_>, ticket: &TicketView) {
    start_or_defer(intake.workflow, ticket.tenant_id, ticket).await;
}
