//! The embedded workflow engine: a ticket's first-response SLA is a durable job. It fires
//! after a restart when it fell due while the service was down, escalates exactly once,
//! and two workers racing for it escalate once.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::{ConnectionTrait as _, Database};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, TestApp, seed_and_sign_in, spawn_app_with, spawn_receiver, spawn_replica,
};

/// Acme answers normal tickets within `seconds`.
async fn set_sla(app: &TestApp, seconds: f64) {
    set_settings(
        app,
        json!({
            "sla_minutes": {"normal": {"first_response": seconds / 60.0, "resolution": 600}},
            "queues": {"escalation": "escalations"}
        }),
    )
    .await;
}

pub async fn set_settings(app: &TestApp, settings: Value) {
    set_settings_of(app, "acme", settings).await;
}

/// Writes a tenant's settings straight into the database, past the API's checks.
pub async fn set_settings_of(app: &TestApp, slug: &str, settings: Value) {
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    admin
        .execute_unprepared(&format!(
            "UPDATE tenants SET settings = '{settings}' WHERE slug = '{slug}'"
        ))
        .await
        .expect("settings");
}

pub async fn open_ticket(app: &TestApp, token: &str) -> Value {
    app.open_ticket(
        token,
        "Broken laptop screen",
        "laptop screen cracked and the docking station monitor cable does not work",
    )
    .await
}

pub async fn ticket(app: &TestApp, token: &str, id: &str) -> Value {
    app.client
        .get(app.url(&format!("/api/v1/tickets/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json")
}

/// Waits until a ticket's first-response deadline has passed.
pub async fn wait_due(ticket: &Value) {
    let due = ticket["sla_due_at"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .unwrap_or_else(|| panic!("no first-response deadline: {ticket}"));
    crate::helpers::wait_past(due.with_timezone(&chrono::Utc)).await;
}

pub async fn escalations(app: &TestApp, id: &str) -> u64 {
    use helpdesk::entity::ticket_event;
    use sea_orm::{ColumnTrait as _, EntityTrait as _, PaginatorTrait as _, QueryFilter as _};
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(uuid::Uuid::parse_str(id).expect("uuid")))
        .filter(ticket_event::Column::Kind.eq("escalated"))
        .count(&admin)
        .await
        .expect("count")
}

async fn a_timer_due_while_down_fires_once_after_restart(backend: Backend) {
    let first = spawn_app_with(backend, |s| s.workflow.poll_ms = 100, Arc::new(|_| {})).await;
    let customer = seed_and_sign_in(&first, "acme", "customer").await;
    set_sla(&first, 2.0).await;
    let opened = open_ticket(&first, &customer).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    assert!(opened["sla_due_at"].is_string(), "{opened}");
    assert_eq!(opened["priority"], "normal");

    // Down before the SLA falls due, and still down when it does. The job row is lost as
    // if the process had died between writing the ticket and its timer.
    first.stop().await;
    let admin = Database::connect(&first.database.admin_url)
        .await
        .expect("admin");
    admin
        .execute_unprepared("DELETE FROM jobs")
        .await
        .expect("drop the timer");
    wait_due(&opened).await;
    assert_eq!(escalations(&first, &id).await, 0, "nothing ran while down");

    let second = spawn_replica(&first).await;
    let token = crate::helpers::sign_in(&second, "acme", "customer").await;
    let escalated = crate::helpers::eventually(
        "the restarted worker to escalate the ticket",
        Duration::from_secs(30),
        async || {
            let current = ticket(&second, &token, &id).await;
            (current["priority"] == "high").then_some(current)
        },
    )
    .await;
    assert_eq!(escalated["queue"], "escalations");
    // Running the due jobs again does nothing more.
    assert_eq!(second.state.workflow.run_due().await.expect("poll"), 0);
    assert_eq!(escalations(&second, &id).await, 1);
    let metrics = second.get_metrics().await;
    assert!(
        metrics.contains(r#"sla_breaches_total{sla="first_response"} 1"#),
        "{metrics}"
    );
}

async fn racing_workers_escalate_once(backend: Backend) {
    // The app's own worker polls at start and then sleeps; the test drives two others.
    let app = spawn_app_with(
        backend,
        |s| s.workflow.poll_ms = 3_600_000,
        Arc::new(|_| {}),
    )
    .await;
    let customer = seed_and_sign_in(&app, "acme", "customer").await;
    set_sla(&app, 0.05).await;
    let opened = open_ticket(&app, &customer).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    wait_due(&opened).await;

    let other = helpdesk::workflow::Workflow::new(
        app.db().clone(),
        app.state.settings.workflow.clone(),
        &prometheus::Registry::new(),
    )
    .await
    .expect("worker");
    let (a, b) = tokio::join!(app.state.workflow.run_due(), other.run_due());
    let ran = a.expect("first worker") + b.expect("second worker");
    assert_eq!(ran, 1, "exactly one worker claims the job");
    assert_eq!(escalations(&app, &id).await, 1);

    // An answered ticket is not escalated: a staff reply before the deadline.
    set_sla(&app, 0.05).await;
    let answered = open_ticket(&app, &customer).await;
    let answered_id = answered["id"].as_str().expect("id").to_owned();
    let agent = crate::helpers::sign_in(&app, "acme", "agent").await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{answered_id}/comments")))
        .bearer_auth(&agent)
        .json(&json!({"body": "On it."}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    wait_due(&answered).await;
    assert_eq!(app.state.workflow.run_due().await.expect("poll"), 1);
    assert_eq!(escalations(&app, &answered_id).await, 0);
}

/// What a receiver got: each request's signature header and body.
type Deliveries = Arc<std::sync::Mutex<Vec<(Option<String>, Vec<u8>)>>>;

/// A webhook receiver on a real socket: it refuses the first delivery (503), accepts the
/// rest, and keeps every request's signature and body.
fn webhook_receiver() -> (String, Deliveries) {
    use actix_web::HttpResponse;
    let seen: Deliveries = Arc::default();
    let kept = seen.clone();
    let url = spawn_receiver(move |request, body| {
        let kept = kept.clone();
        async move {
            let signature = request
                .headers()
                .get(helpdesk::workflow::SIGNATURE_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let mut seen = kept.lock().expect("lock");
            seen.push((signature, body.to_vec()));
            if seen.len() == 1 {
                HttpResponse::ServiceUnavailable().finish()
            } else {
                HttpResponse::NoContent().finish()
            }
        }
    });
    (format!("{url}/hooks/sla"), seen)
}

async fn a_missed_resolution_escalates_and_calls_the_signed_webhook(backend: Backend) {
    let app = spawn_app_with(
        backend,
        |s| {
            s.workflow.poll_ms = 100;
            // The receiver is on loopback, which webhooks may not reach unless allowed.
            s.workflow.webhook_allow = vec!["127.0.0.1".into()];
        },
        Arc::new(|_| {}),
    )
    .await;
    let customer = seed_and_sign_in(&app, "acme", "customer").await;
    let (url, seen) = webhook_receiver();
    set_settings(
        &app,
        json!({
            "sla_minutes": {"normal": {"first_response": 600, "resolution": 1.0 / 60.0}},
            "webhooks": {"url": url, "secret": "s3cret"}
        }),
    )
    .await;
    let opened = open_ticket(&app, &customer).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    assert!(opened["resolution_due_at"].is_string(), "{opened}");
    // A first response in time does not stop the resolution clock.
    let agent = crate::helpers::sign_in(&app, "acme", "agent").await;
    let response = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{id}/comments")))
        .bearer_auth(&agent)
        .json(&json!({"body": "Looking into it."}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);

    // The first delivery is refused; the job retries after its back-off (2 s).
    let (signature, body) = crate::helpers::eventually(
        "the webhook to be retried and accepted",
        Duration::from_secs(15),
        async || seen.lock().expect("lock").get(1).cloned(),
    )
    .await;
    assert_eq!(
        signature.as_deref(),
        Some(helpdesk::workflow::sign_webhook("s3cret", &body).as_str())
    );
    let event: Value = serde_json::from_slice(&body).expect("json event");
    assert_eq!(event["type"], "ticket.escalated");
    assert_eq!(event["sla"], "resolution");
    assert_eq!(event["ticket"]["id"], id.as_str());
    assert_eq!(event["ticket"]["priority"], "high");
    assert_eq!(event["from_priority"], "normal");
    assert_eq!(escalations(&app, &id).await, 1);
    let escalated = ticket(&app, &agent, &id).await;
    assert_eq!(escalated["queue"], "escalations", "{escalated}");
    let metrics = app.get_metrics().await;
    assert!(
        metrics.contains(r#"sla_breaches_total{sla="resolution"} 1"#),
        "{metrics}"
    );
    // Nothing is left to deliver: an accepted event is not sent again.
    assert_eq!(app.state.workflow.run_due().await.expect("poll"), 0);
    assert_eq!(
        seen.lock().expect("lock").len(),
        2,
        "delivered once accepted"
    );
}

crate::on_both_backends!(
    a_timer_due_while_down_fires_once_after_restart,
    racing_workers_escalate_once,
    a_missed_resolution_escalates_and_calls_the_signed_webhook,
);
