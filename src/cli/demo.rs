//! `helpdesk demo route`.

use std::path::Path;

use anyhow::Context as _;

use super::setup::{open_database, tenant_id};
use crate::config::Settings;
use crate::database::TenantTx;

/// `helpdesk demo route`: opens the tickets of `data` (CSV `text,category`) in `tenant` as
/// its demo customer, through the same classification, routing, assignment and SLA timers
/// as the API, and prints where they went.
pub async fn run(settings: Settings, data: &Path, tenant: &str) -> anyhow::Result<()> {
    use std::collections::BTreeMap;

    use crate::routing::{Triage, read_csv};
    use crate::tickets::{CreateTicket, NewTicket};
    use crate::workflow::Workflow;

    let rows = read_csv(data)?;
    let db = open_database(&settings).await?;
    let registry = prometheus::Registry::new();
    let triage = Triage::new(&settings.routing, &registry)?;
    let workflow = Workflow::new(db.clone(), settings.workflow.clone(), &registry).await?;
    let tenant_id = tenant_id(&db, tenant).await?;
    let email = crate::tenancy::Email::parse(&format!("customer@{tenant}.example"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let customer = TenantTx::run(&db, tenant_id, async |tx| {
        crate::tenancy::find_user_by_email(tx, &email).await
    })
    .await
    .map_err(anyhow::Error::new)?
    .with_context(|| format!("no demo customer {} (run `helpdesk seed`)", email.as_str()))?;
    let mut queues: BTreeMap<String, usize> = BTreeMap::new();
    let (mut right, mut timers, mut resolution_timers) = (0usize, Vec::new(), 0usize);
    for row in &rows {
        let subject: String = row.text.chars().take(80).collect();
        let input = CreateTicket::parse(&NewTicket {
            requester_id: customer.id.0,
            subject: if subject.trim().is_empty() {
                "(no subject)".into()
            } else {
                subject
            },
            body: if row.text.trim().is_empty() {
                "(empty)".into()
            } else {
                row.text.clone()
            },
            priority: None,
            queue: None,
            status: None,
            closed_at: None,
        })
        .map_err(|e| anyhow::anyhow!("line {}: {e}", row.line))?;
        let intake = crate::desk::Intake {
            db: &db,
            triage: &triage,
            workflow: &workflow,
        };
        let ticket = crate::desk::open_ticket(intake, tenant_id, input, false)
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("line {}", row.line)))?;
        let category = ticket.category.clone().unwrap_or_default();
        let confidence = ticket.category_confidence.unwrap_or_default();
        timers.extend(ticket.sla_due_at);
        resolution_timers += usize::from(ticket.resolution_due_at.is_some());
        right += usize::from(category == row.category);
        *queues.entry(ticket.queue.clone()).or_default() += 1;
        println!(
            "  #{:<5} {:<22} {:>5.2}  → {:<14} (labelled {})",
            ticket.number, category, confidence, ticket.queue, row.category
        );
    }
    println!(
        "demo route: {} tickets into {tenant}, {right} classified as labelled",
        rows.len()
    );
    for (queue, count) in &queues {
        println!("  queue {queue:<16} {count}");
    }
    timers.sort();
    match (timers.first(), timers.last()) {
        (Some(first), Some(last)) => println!(
            "SLA timers set: {} first-response (due {} … {}), {resolution_timers} resolution ({} engine)",
            timers.len(),
            first.format("%Y-%m-%d %H:%M"),
            last.format("%Y-%m-%d %H:%M"),
            workflow.engine_name(),
        ),
        _ => println!(
            "SLA timers set: 0 first-response (the tenant has no first-response SLA), \
             {resolution_timers} resolution"
        ),
    }
    db.close().await.ok();
    Ok(())
}
