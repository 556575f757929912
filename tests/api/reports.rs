//! Reports: the figures follow what happened, in SQL on both backends.

use serde_json::{Value, json};

use crate::chat::{ANSWERABLE, seeded_with_kb, visitor_token};
use crate::helpers::{Backend, TestApp, assert_problem, sign_in, spawn_app};

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

async fn summary(app: &TestApp, admin: &str) -> Value {
    let day = today();
    let response = app
        .get_as(
            admin,
            &format!("/api/v1/reports/summary?from={day}&to={day}"),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("summary")
}

fn int(report: &Value, field: &str) -> i64 {
    report[field]
        .as_i64()
        .unwrap_or_else(|| panic!("{field} in {report}"))
}

async fn resolve(app: &TestApp, agent: &str, id: &str) {
    let version =
        app.get_json(agent, &format!("/api/v1/tickets/{id}")).await["version"].to_string();
    let response = app
        .patch_json(
            agent,
            &format!("/api/v1/tickets/{id}"),
            &[("If-Match", &format!("\"{version}\""))],
            &json!({"status": "resolved"}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

async fn figures_follow_the_desk(backend: Backend) {
    let app = spawn_app(backend).await;
    seeded_with_kb(&app).await;
    let admin = sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let customer = sign_in(&app, "acme", "customer").await;
    let before = summary(&app, &admin).await;

    // One chat the bot answers (deflected), rated good; one handed off.
    let visitor = visitor_token(&app, "acme").await;
    let mut chat = app.chat_socket(&visitor).await;
    chat.send(json!({"type": "message", "text": ANSWERABLE}))
        .await;
    let frames = chat.until("answer").await;
    let session = frames[0]["session_id"]
        .as_str()
        .expect("session")
        .to_owned();
    let rated = app
        .post_json(
            Some(&visitor),
            &format!("/api/v1/chat/sessions/{session}/rating"),
            &json!({"score": "good"}),
        )
        .await;
    assert_eq!(rated.status().as_u16(), 201);
    let other = visitor_token(&app, "acme").await;
    let mut second = app.chat_socket(&other).await;
    second.send(json!({"type": "handoff"})).await;
    second.until("ticket_created").await;

    // Two customer tickets: one answered and solved, one waiting.
    let solved = app.open_ticket(&customer, "Keyboard", "Keys stick.").await;
    let solved_id = solved["id"].as_str().expect("id").to_owned();
    app.open_ticket(&customer, "Mouse", "Scroll wheel broke.")
        .await;
    let reply = app
        .post_json(
            Some(&agent),
            &format!("/api/v1/tickets/{solved_id}/comments"),
            &json!({"body": "A new one is on its way."}),
        )
        .await;
    assert_eq!(reply.status().as_u16(), 201);
    resolve(&app, &agent, &solved_id).await;

    let after = summary(&app, &admin).await;
    // Two customer tickets and the handoff's.
    assert_eq!(
        int(&after, "tickets_created") - int(&before, "tickets_created"),
        3,
        "{after}"
    );
    assert_eq!(
        int(&after, "tickets_solved") - int(&before, "tickets_solved"),
        1
    );
    assert_eq!(int(&after, "backlog") - int(&before, "backlog"), 2);
    let first = after["first_response_p50_seconds"].as_f64().expect("p50");
    assert!((0.0..3600.0).contains(&first), "{after}");
    assert!(
        after["resolution_p50_seconds"].as_f64().is_some(),
        "{after}"
    );
    assert_eq!(after["chats"]["total"], 2, "{after}");
    assert_eq!(after["chats"]["deflected"], 1);
    assert_eq!(after["chats"]["handed_off"], 1);
    assert_eq!(after["deflection_rate"], 0.5);
    assert_eq!(after["csat"], 1.0);
    assert_eq!(after["csat_responses"], 1);
    assert_eq!(after["business_hours"], false);

    let day = today();
    let series = app
        .get_json(
            &admin,
            &format!("/api/v1/reports/timeseries?from={day}&to={day}&group=day"),
        )
        .await;
    let buckets = series["buckets"].as_array().expect("buckets");
    assert_eq!(buckets.len(), 1, "{series}");
    assert_eq!(buckets[0]["start"], day.as_str());
    assert_eq!(buckets[0]["tickets_created"], after["tickets_created"]);
    assert_eq!(buckets[0]["chats"], 2);
    assert_eq!(buckets[0]["deflected"], 1);
    assert_eq!(buckets[0]["csat_good"], 1);
    let weeks = app
        .get_json(
            &admin,
            &format!("/api/v1/reports/timeseries?from={day}&to={day}&group=week"),
        )
        .await;
    assert_eq!(
        weeks["buckets"].as_array().map(Vec::len),
        Some(1),
        "{weeks}"
    );
    assert_eq!(
        weeks["buckets"][0]["tickets_created"],
        after["tickets_created"]
    );

    let queues = app
        .get_json(
            &admin,
            &format!("/api/v1/reports/breakdown?from={day}&to={day}&by=queue"),
        )
        .await;
    let total: i64 = queues["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["tickets_created"].as_i64().expect("n"))
        .sum();
    assert_eq!(total, int(&after, "tickets_created"), "{queues}");
    let agents = app
        .get_json(
            &admin,
            &format!("/api/v1/reports/breakdown?from={day}&to={day}&by=agent"),
        )
        .await;
    assert_eq!(agents["by"], "agent", "{agents}");

    // Another tenant's report knows nothing of acme's desk.
    let globex = sign_in(&app, "globex", "admin").await;
    let theirs = summary(&app, &globex).await;
    assert_eq!(theirs["chats"]["total"], 0, "{theirs}");
    assert_eq!(theirs["csat_responses"], 0);

    // Bad ranges and callers.
    for (query, field) in [
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=2026-13-01&to=2026-12-01", "from"),
        ("to=2026-12-01", "from"),
        ("from=2020-01-01&to=2026-01-01", "to"),
    ] {
        let response = app
            .get_as(&admin, &format!("/api/v1/reports/summary?{query}"))
            .await;
        let body = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
    let bad_group = app
        .get_as(
            &admin,
            &format!("/api/v1/reports/timeseries?from={day}&to={day}&group=hour"),
        )
        .await;
    assert_problem(bad_group, 422, "validation_failed").await;
    let bad_by = app
        .get_as(
            &admin,
            &format!("/api/v1/reports/breakdown?from={day}&to={day}&by=team"),
        )
        .await;
    let body = assert_problem(bad_by, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "by", "{body}");
    assert_eq!(body["errors"][0]["code"], "invalid_by", "{body}");
    let forbidden = app
        .get_as(
            &agent,
            &format!("/api/v1/reports/summary?from={day}&to={day}"),
        )
        .await;
    assert_problem(forbidden, 403, "action_forbidden").await;
}

async fn business_hours_count_only_open_time(backend: Backend) {
    let app = spawn_app(backend).await;
    seeded_with_kb(&app).await;
    let admin = sign_in(&app, "acme", "admin").await;
    // Open for one minute a week, far from now: every wait measures (close to) zero.
    let settings = app
        .patch_json(
            &admin,
            "/api/v1/tenant/settings",
            &[],
            &json!({"business_hours": {"days": ["sun"], "start": "03:00", "end": "03:01"}}),
        )
        .await;
    assert_eq!(settings.status().as_u16(), 200);
    let agent = sign_in(&app, "acme", "agent").await;
    let customer = sign_in(&app, "acme", "customer").await;
    let ticket = app.open_ticket(&customer, "Chair", "It squeaks.").await;
    let id = ticket["id"].as_str().expect("id").to_owned();
    let reply = app
        .post_json(
            Some(&agent),
            &format!("/api/v1/tickets/{id}/comments"),
            &json!({"body": "Oil is on its way."}),
        )
        .await;
    assert_eq!(reply.status().as_u16(), 201);
    let report = summary(&app, &admin).await;
    assert_eq!(report["business_hours"], true, "{report}");
    let first = report["first_response_p50_seconds"].as_f64().expect("p50");
    assert!(first <= 60.0, "{report}");
}

crate::on_both_backends!(figures_follow_the_desk, business_hours_count_only_open_time);
