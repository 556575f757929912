use secrecy::SecretString;

use crate::helpers::{Backend, TestApp, spawn_app, spawn_app_with};

crate::on_both_backends!(
    health_is_ok,
    ready_reports_each_component,
    ready_turns_503_when_the_database_goes_away,
    request_id_is_echoed_or_minted,
    problem_bodies_quote_the_callers_trace,
    metrics_count_requests_by_route_template,
);

async fn health_is_ok(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get_health().await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"status": "ok"}));
}

async fn ready_reports_each_component(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get_ready().await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["components"]["database"]["status"], "ok");
}

#[tokio::test]
async fn ready_is_503_when_postgres_is_unreachable_at_start() {
    // Started without migrations against a server that is not there: alive, not ready.
    let app = spawn_app_with(
        Backend::Postgres,
        |settings| {
            settings.database.url = Some(SecretString::from(
                "postgres://postgres@127.0.0.1:1/none".to_owned(),
            ));
            settings.database.migrate_on_start = false;
        },
        std::sync::Arc::new(|_| {}),
    )
    .await;
    assert_eq!(app.get_health().await.status().as_u16(), 200);
    let response = app.get_ready().await;
    assert_eq!(response.status().as_u16(), 503);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["components"]["database"]["status"], "down");
    assert!(
        body["components"]["database"]["error"].is_string(),
        "{body}"
    );
}

async fn ready_turns_503_when_the_database_goes_away(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get_ready().await.status().as_u16(), 200);
    // PostgreSQL: the database is dropped under the pool. SQLite: the file is deleted.
    app.database.drop_now().await;
    let response = app.get_ready().await;
    assert_eq!(response.status().as_u16(), 503);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["components"]["database"]["status"], "down");
}

async fn request_id_is_echoed_or_minted(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "client-chosen-42")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["x-request-id"], "client-chosen-42");

    let minted = app.get_health().await;
    let id = minted.headers()["x-request-id"].to_str().expect("ascii");
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "minted id {id} is not a UUID"
    );

    // Header injection attempts are replaced, not echoed.
    let response = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .expect("sent");
    assert_ne!(response.headers()["x-request-id"], "bad id with spaces");
}

async fn metrics_count_requests_by_route_template(backend: Backend) {
    let app = spawn_app(backend).await;
    for _ in 0..3 {
        app.get_health().await;
    }
    app.get("/api/v1/no/such/page/123").await;
    // A page of the web app (served by the fallback) is not a route label either.
    app.get("/console/tickets/123").await;
    let text = app.get_metrics().await;
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/health",status="200"} 3"#),
        "{text}"
    );
    // A scrape refreshes the knowledge base's readiness (the embedded store and the local
    // embedder answer here).
    assert!(text.contains("\nknowledge_ready 1\n"), "{text}");
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#),
        "raw paths must not become labels: {text}"
    );
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="unmatched",status="200"} 1"#),
        "{text}"
    );
    assert!(!text.contains("/no/such/page"), "{text}");
    assert!(!text.contains("/console/tickets"), "{text}");
    assert!(
        text.contains("# TYPE http_request_duration_seconds histogram"),
        "{text}"
    );
    assert!(
        text.contains(
            r#"http_request_duration_seconds_count{method="GET",route="/health",status="200"} 3"#
        ),
        "{text}"
    );
}

/// Once a request is authenticated, its root span carries the tenant and the role: every
/// log line of the request says whose it is.
#[tokio::test]
async fn request_logs_name_the_tenant_and_role() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .arg("--data-dir")
        .arg(&data)
        .arg("seed")
        .env("HELPDESK__KNOWLEDGE__DEMO_DIR", dir.path().join("no-demo"))
        .output()
        .expect("seed");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let server = crate::helpers::Served::start(&data, &[]);
    let base = format!("http://127.0.0.1:{}", server.port);
    let client = reqwest::Client::new();
    let pair: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/token"))
        .json(
            &serde_json::json!({"tenant": "acme", "email": "agent@acme.example",
                                  "password": helpdesk::cli::seed::demo_password("acme", "agent")}),
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let token = pair["access_token"].as_str().expect("token");
    let me: serde_json::Value = client
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let tenant = me["tenant_id"].as_str().expect("tenant");
    let span = crate::helpers::eventually(
        "the request's log line",
        std::time::Duration::from_secs(5),
        async || {
            server.log().lines().find_map(|line| {
                let entry: serde_json::Value = serde_json::from_str(line).ok()?;
                (entry["message"] == "request served" && entry["span"]["route"] == "/api/v1/me")
                    .then(|| entry["span"].clone())
            })
        },
    )
    .await;
    assert_eq!(span["tenant"], tenant, "{span}");
    assert_eq!(span["role"], "agent", "{span}");
}

/// The problem body of an unauthenticated request, sent with this `traceparent` (if any).
async fn problem_with_traceparent(app: &TestApp, traceparent: Option<&str>) -> serde_json::Value {
    let mut request = app.client.get(app.url("/api/v1/tickets"));
    if let Some(value) = traceparent {
        request = request.header("traceparent", value);
    }
    let response = request.send().await.expect("sent");
    assert_eq!(response.status().as_u16(), 401);
    response.json().await.expect("json")
}

/// A W3C traceparent joins the caller's trace: its trace id is in the problem body, beside
/// the request id; without one (or with a malformed one) the request gets a trace of its own.
async fn problem_bodies_quote_the_callers_trace(backend: Backend) {
    let app = spawn_app(backend).await;
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let traceparent = format!("00-{trace}-00f067aa0ba902b7-01");
    let body = problem_with_traceparent(&app, Some(&traceparent)).await;
    assert_eq!(body["trace_id"], trace, "{body}");
    assert!(body["request_id"].is_string(), "{body}");
    for traceparent in [None, Some("00-not-a-trace-01")] {
        let body = problem_with_traceparent(&app, traceparent).await;
        let own = body["trace_id"].as_str().expect("a trace id");
        assert!(
            own.len() == 32 && own.bytes().all(|b| b.is_ascii_hexdigit()) && own != trace,
            "{body}"
        );
    }
}
