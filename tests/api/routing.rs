//! New tickets are classified and routed: category and confidence stored, the queue from
//! the tenant's policy, the triage queue when the router is unsure, a client's queue kept.

use sea_orm::{ConnectionTrait as _, Database};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, seed_and_sign_in, sign_in, spawn_app};

async fn open(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app
        .client
        .post(app.url("/api/v1/tickets"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    response.json().await.expect("json")
}

const HARDWARE: &str = "laptop screen cracked and the docking station monitor cable does not work";

async fn new_tickets_are_classified_and_routed(backend: Backend) {
    let app = spawn_app(backend).await;
    let customer = seed_and_sign_in(&app, "acme", "customer").await;

    let ticket = open(
        &app,
        &customer,
        json!({"subject": "Broken laptop screen", "body": HARDWARE}),
    )
    .await;
    assert_eq!(ticket["category"], "Hardware", "{ticket}");
    let confidence = ticket["category_confidence"].as_f64().expect("confidence");
    assert!((0.5..=1.0).contains(&confidence), "{ticket}");
    assert_eq!(ticket["queue"], "hardware");

    let access = open(
        &app,
        &customer,
        json!({"subject": "password reset", "body": "my account password expired, please reset my password and unlock my account"}),
    )
    .await;
    assert_eq!(access["category"], "Access", "{access}");
    assert_eq!(access["queue"], "access");

    // A queue staff name is kept; the category is still recorded. Customers choose
    // neither the queue nor the urgent priority.
    let agent = sign_in(&app, "acme", "agent").await;
    let chosen = open(
        &app,
        &agent,
        json!({"subject": "Broken laptop screen", "body": HARDWARE, "queue": "vip"}),
    )
    .await;
    assert_eq!(chosen["queue"], "vip");
    assert_eq!(chosen["category"], "Hardware");
    for (field, body) in [
        (
            "queue",
            json!({"subject": "Broken laptop", "body": HARDWARE, "queue": "vip"}),
        ),
        (
            "priority",
            json!({"subject": "Broken laptop", "body": HARDWARE, "priority": "urgent"}),
        ),
    ] {
        let response = app
            .client
            .post(app.url("/api/v1/tickets"))
            .bearer_auth(&customer)
            .json(&body)
            .send()
            .await
            .expect("sent");
        let problem = crate::helpers::assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        assert_eq!(problem["errors"][0]["code"], "staff_only", "{problem}");
    }

    // The tenant raises its threshold and renames a queue: unsure tickets go to triage.
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    admin
        .execute_unprepared(
            "UPDATE tenants SET settings = '{\"queues\": {\"triage\": \"needs-triage\"}, \
             \"routing\": {\"triage_threshold\": 0.9999}}' WHERE slug = 'acme'",
        )
        .await
        .expect("settings");
    let unsure = open(
        &app,
        &customer,
        json!({"subject": "Broken laptop screen", "body": HARDWARE}),
    )
    .await;
    assert_eq!(unsure["queue"], "needs-triage", "{unsure}");
    assert_eq!(unsure["category"], "Hardware");

    // Another tenant keeps the defaults.
    let other = sign_in(&app, "globex", "customer").await;
    let theirs = open(
        &app,
        &other,
        json!({"subject": "Broken laptop screen", "body": HARDWARE}),
    )
    .await;
    assert_eq!(theirs["queue"], "hardware");

    let metrics = app.get_metrics().await;
    assert!(
        metrics.contains("tickets_routed_total{category=\"Hardware\"} 4"),
        "{metrics}"
    );
    assert!(metrics.contains("tickets_routed_total{category=\"Access\"} 1"));
    assert!(metrics.contains("routing_seconds_count 5"));
}

crate::on_both_backends!(
    new_tickets_are_classified_and_routed,
    tickets_go_to_the_least_loaded_agent_in_turn,
);

async fn tickets_go_to_the_least_loaded_agent_in_turn(backend: Backend) {
    let app = spawn_app(backend).await;
    let customer = seed_and_sign_in(&app, "acme", "customer").await;
    let admin = sign_in(&app, "acme", "admin").await;
    let response = app
        .client
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "agent2@acme.example", "role": "agent",
                      "display_name": "Second Agent", "password": "second-agent-password"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    let second: Value = response.json().await.expect("json");
    let second = second["id"].as_str().expect("id").to_owned();

    let mut assignees = Vec::new();
    for _ in 0..4 {
        let ticket = open(
            &app,
            &customer,
            json!({"subject": "Broken laptop screen", "body": HARDWARE}),
        )
        .await;
        assignees.push(ticket["assignee_id"].as_str().expect("assigned").to_owned());
    }
    assert_ne!(assignees[0], assignees[1], "{assignees:?}");
    assert_eq!(assignees[0], assignees[2], "ties go round: {assignees:?}");
    assert_eq!(assignees[1], assignees[3], "{assignees:?}");
    assert!(assignees.contains(&second));

    // A queue served by named agents only goes to them.
    let db = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    db.execute_unprepared(&format!(
        "UPDATE tenants SET settings = '{{\"routing\": {{\"queue_agents\": {{\"hardware\": [\"{second}\"]}}}}}}' \
         WHERE slug = 'acme'"
    ))
    .await
    .expect("settings");
    for _ in 0..2 {
        let ticket = open(
            &app,
            &customer,
            json!({"subject": "Broken laptop screen", "body": HARDWARE}),
        )
        .await;
        assert_eq!(ticket["assignee_id"], second.as_str(), "{ticket}");
    }
}
