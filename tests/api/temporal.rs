//! The Temporal workflow engine against a real Temporal server (`temporal server
//! start-dev`, which `scripts/test.sh` starts and names in `HELPDESK_TEST_TEMPORAL_URL`):
//! the workflow assigns a new ticket, and escalates it once when its SLA falls due — also
//! when the service was down at that moment.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, seed_and_sign_in, spawn_app_with, spawn_replica_with};
use crate::sla::{escalations, open_ticket, set_settings, ticket};
use helpdesk::config::{Settings, WorkflowEngineKind};

fn temporal_url() -> String {
    std::env::var("HELPDESK_TEST_TEMPORAL_URL").expect(
        "HELPDESK_TEST_TEMPORAL_URL must name a Temporal server for the `temporal` feature's \
         tests (scripts/test.sh starts `temporal server start-dev` and sets it)",
    )
}

/// Settings for the Temporal engine on a task queue of this test's own: apps of other
/// tests (other databases) must not run this one's activities.
fn on_temporal(task_queue: &str) -> impl Fn(&mut Settings) + '_ {
    move |s: &mut Settings| {
        s.workflow.engine = WorkflowEngineKind::Temporal;
        s.workflow.temporal.url = temporal_url();
        s.workflow.temporal.task_queue = task_queue.to_owned();
        s.workflow.poll_ms = 100;
    }
}

async fn until(app: &TestApp, token: &str, id: &str, done: impl Fn(&Value) -> bool) -> Value {
    crate::helpers::eventually(
        "the ticket to reach the expected state",
        Duration::from_secs(30),
        async || {
            let current = ticket(app, token, id).await;
            done(&current).then_some(current)
        },
    )
    .await
}

async fn the_workflow_assigns_then_escalates_once(backend: Backend) {
    let queue = format!("helpdesk-test-{}", uuid::Uuid::new_v4());
    let app = spawn_app_with(backend, on_temporal(&queue), Arc::new(|_| {})).await;
    assert_eq!(app.state.workflow.engine_name(), "temporal");
    let customer = seed_and_sign_in(&app, "acme", "customer").await;
    set_settings(
        &app,
        json!({"sla_minutes": {"normal": {"first_response": 2.0 / 60.0, "resolution": 600}}}),
    )
    .await;
    let opened = open_ticket(&app, &customer).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    assert!(
        opened["assignee_id"].is_null(),
        "assignment is the workflow's first activity: {opened}"
    );
    let agent = crate::helpers::sign_in(&app, "acme", "agent").await;
    let assigned = until(&app, &agent, &id, |t| t["assignee_id"].is_string()).await;
    assert_eq!(assigned["priority"], "normal", "not yet due: {assigned}");
    let escalated = until(&app, &agent, &id, |t| t["priority"] == "high").await;
    assert_eq!(escalated["queue"], "escalations");
    // The escalation event is written with the priority it raised.
    assert_eq!(escalations(&app, &id).await, 1);
    let metrics = app.get_metrics().await;
    assert!(
        metrics.contains(r#"sla_breaches_total{sla="first_response"} 1"#),
        "{metrics}"
    );
}

async fn a_timer_due_while_down_fires_once_after_restart(backend: Backend) {
    let queue = format!("helpdesk-test-{}", uuid::Uuid::new_v4());
    let first = spawn_app_with(backend, on_temporal(&queue), Arc::new(|_| {})).await;
    let customer = seed_and_sign_in(&first, "acme", "customer").await;
    set_settings(
        &first,
        json!({"sla_minutes": {"normal": {"first_response": 2.0 / 60.0}}}),
    )
    .await;
    let opened = open_ticket(&first, &customer).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    first.stop().await;
    // The timer is Temporal's; with no worker polling, its escalation waits for one.
    crate::sla::wait_due(&opened).await;
    assert_eq!(escalations(&first, &id).await, 0, "nothing ran while down");

    let second = spawn_replica_with(&first, on_temporal(&queue)).await;
    let agent = crate::helpers::sign_in(&second, "acme", "agent").await;
    let escalated = until(&second, &agent, &id, |t| t["priority"] == "high").await;
    assert!(escalated["assignee_id"].is_string(), "{escalated}");
    assert_eq!(escalations(&second, &id).await, 1);
}

crate::on_both_backends!(
    the_workflow_assigns_then_escalates_once,
    a_timer_due_while_down_fires_once_after_restart,
);
