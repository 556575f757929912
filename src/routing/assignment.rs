//! Who gets a ticket: the least-loaded agent serving its queue.

use super::policy::{RoutingPolicy, pick_agent};
use crate::database::TenantTx;
use crate::error::AppError;
use crate::tenancy::{self, Role, UserId};
use crate::tickets;

/// The agent of `queue` with the fewest open tickets (round-robin on ties), if the queue
/// has any agent.
pub async fn pick_assignee(
    tx: &TenantTx,
    policy: &RoutingPolicy,
    queue: &str,
) -> Result<Option<UserId>, AppError> {
    let agents: Vec<uuid::Uuid> = tenancy::list_users(tx)
        .await?
        .into_iter()
        .filter(|u| u.role == Role::Agent)
        .map(|u| u.id.0)
        .collect();
    let candidates: Vec<uuid::Uuid> = match policy.queue_agents.get(queue) {
        Some(listed) => listed
            .iter()
            .copied()
            .filter(|a| agents.contains(a))
            .collect(),
        None => agents,
    };
    if candidates.is_empty() {
        return Ok(None);
    }
    let ids: Vec<UserId> = candidates.iter().copied().map(UserId).collect();
    let workload = tickets::agent_workload(tx, &ids)
        .await?
        .into_iter()
        .map(|(agent, load)| (agent.0, load))
        .collect();
    Ok(pick_agent(&candidates, &workload).map(UserId))
}
