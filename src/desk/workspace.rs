//! The agent's tools on a ticket: canned replies filled in for it, and macros that post a
//! reply and change fields in one action.

use serde::Serialize;
use tracing::instrument;
use uuid::Uuid;

use super::Desk;
use super::conversation::relay_reply;
use crate::auth::AuthUser;
use crate::database::TenantTx;
use crate::error::AppError;
use crate::replies::{self, CannedReplyView, MacroView, Placeholders};
use crate::tenancy;
use crate::tickets::{
    self, TicketBody, TicketEventView, TicketId, TicketPatch, TicketView, Visibility,
};

/// What placeholders read on `ticket` when `caller` writes.
async fn placeholders(
    tx: &TenantTx,
    caller: &AuthUser,
    ticket: &TicketView,
) -> Result<Placeholders, AppError> {
    let requester = tenancy::get_user(tx, ticket.requester_id).await?;
    let agent = tenancy::get_user(tx, caller.user).await?;
    Ok(Placeholders {
        requester_name: requester.display_name,
        requester_email: requester.email,
        ticket_number: ticket.number,
        ticket_subject: ticket.subject.clone(),
        agent_name: agent.display_name,
    })
}

/// The caller's canned replies (shared and their own); with a ticket, each also filled in
/// for it.
#[instrument(skip_all, fields(tenant = %caller.tenant))]
pub async fn canned_replies(
    desk: Desk<'_>,
    caller: &AuthUser,
    ticket: Option<TicketId>,
) -> Result<Vec<CannedReplyView>, AppError> {
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    let mut found = replies::list_canned_replies(&tx, caller).await?;
    if let Some(ticket) = ticket {
        let ticket = tickets::get_ticket(&tx, ticket).await?;
        let values = placeholders(&tx, caller, &ticket).await?;
        for reply in &mut found {
            reply.rendered = Some(replies::render(&reply.body, &values));
        }
    }
    tx.commit().await?;
    Ok(found)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AppliedMacro {
    pub ticket: TicketView,
    /// The reply or note the macro posted, if it has one.
    pub reply: Option<TicketEventView>,
    /// The one history event that records the macro and what it changed.
    pub event: TicketEventView,
}

/// Applies macro `id` to `ticket`: its reply (placeholders filled in) and its field changes
/// in one transaction, recorded as one `macro_applied` event. `expected_version` guards
/// against a concurrent change, as a PATCH does; without it the current version is used.
#[instrument(skip_all, fields(tenant = %caller.tenant, ticket = %ticket))]
pub async fn apply_macro(
    desk: Desk<'_>,
    caller: &AuthUser,
    ticket: TicketId,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<AppliedMacro, AppError> {
    let tx = TenantTx::begin(desk.db(), caller.tenant).await?;
    let chosen: MacroView = replies::find_macro(&tx, caller, id).await?;
    let current = tickets::get_ticket(&tx, ticket).await?;
    let version = expected_version.unwrap_or(current.version);
    let mut reply = None;
    if let Some(template) = &chosen.reply {
        let values = placeholders(&tx, caller, &current).await?;
        let text = replies::render(&template.body, &values);
        let body = TicketBody::parse(&text)
            .map_err(|e| AppError::validation("reply.body", e.code, e.message))?;
        let visibility = if template.internal {
            Visibility::Internal
        } else {
            Visibility::Public
        };
        let event = tickets::add_comment(&tx, ticket, caller.user, &body, visibility).await?;
        reply = Some((event, visibility, text));
    }
    let patch = TicketPatch {
        status: chosen.status,
        priority: chosen.priority,
        assignee: chosen.assignee_id.map(Some),
        queue: chosen
            .queue
            .as_deref()
            .map(tickets::QueueName::parse)
            .transpose()
            .map_err(|e| e.at("queue"))?,
    };
    let (updated, changes) = if patch == TicketPatch::default() {
        (current, Vec::new())
    } else {
        tickets::apply_patch(&tx, ticket, version, &patch).await?
    };
    let event = tickets::record_macro(
        &tx,
        ticket,
        caller.user,
        serde_json::json!({
            "macro_id": chosen.id,
            "title": chosen.title,
            "reply_id": reply.as_ref().map(|(e, _, _)| e.id),
            "changes": changes
                .iter()
                .map(|(kind, data)| serde_json::json!({"kind": kind, "from": data["from"], "to": data["to"]}))
                .collect::<Vec<_>>(),
        }),
    )
    .await?;
    tx.commit().await?;
    let reply = match reply {
        Some((event, Visibility::Public, text)) => {
            relay_reply(desk, caller, ticket, &text).await;
            Some(event)
        }
        Some((event, _, _)) => Some(event),
        None => None,
    };
    Ok(AppliedMacro {
        ticket: updated,
        reply,
        event,
    })
}
