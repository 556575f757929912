//! Webhook destinations and delivery: internal addresses are refused when saved and again
//! when sent, errors name no URL, and one tenant's slow receiver never holds up another
//! tenant's escalations.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use sea_orm::{ConnectionTrait as _, Database};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, eventually, seed_and_sign_in, sign_in, spawn_app_with};
use crate::sla::{escalations, open_ticket, set_settings_of, ticket};

async fn patch_settings(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.patch_json(token, "/api/v1/tenant/settings", &[], &body)
        .await
}

async fn stored_webhook(app: &TestApp) -> Value {
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    let row = admin
        .query_one_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT settings FROM tenants WHERE slug = 'acme'",
        ))
        .await
        .expect("query")
        .expect("row");
    let settings: Value = match row.try_get::<Value>("", "settings") {
        Ok(v) => v,
        // SQLite keeps JSON as text.
        Err(_) => serde_json::from_str(&row.try_get::<String>("", "settings").expect("text"))
            .expect("json"),
    };
    settings["webhooks"].clone()
}

async fn internal_destinations_are_refused_when_saved(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}, Arc::new(|_| {})).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    for url in [
        "http://127.0.0.1:6333/collections",
        "http://localhost:8080/metrics",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.7/hook",
        "http://[::1]:6334/",
        "http://[fd00:ec2::254]/",
        "http://2130706433/",
    ] {
        let response = patch_settings(&app, &admin, json!({"webhooks": {"url": url}})).await;
        let body = crate::helpers::assert_problem(response, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "webhooks.url", "{url}: {body}");
        assert_eq!(
            body["errors"][0]["code"], "destination_refused",
            "{url}: {body}"
        );
    }
    // A public destination is kept, and a later change of URL alone keeps the secret.
    let saved = patch_settings(
        &app,
        &admin,
        json!({"webhooks": {"url": "https://hooks.example/sla", "secret": "s3cret"}}),
    )
    .await;
    assert_eq!(saved.status().as_u16(), 200);
    let moved = patch_settings(
        &app,
        &admin,
        json!({"webhooks": {"url": "https://hooks.example/v2"}}),
    )
    .await;
    assert_eq!(moved.status().as_u16(), 200);
    assert_eq!(
        stored_webhook(&app).await,
        json!({"url": "https://hooks.example/v2", "secret": "s3cret"})
    );
}

/// A receiver that takes connections and answers none until released: how many came.
struct SlowReceiver {
    url: String,
    arrived: Arc<AtomicUsize>,
    release: Arc<tokio::sync::Notify>,
}

async fn slow_receiver() -> SlowReceiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let arrived = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Notify::new());
    let (count, gate) = (arrived.clone(), release.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let gate = gate.clone();
            tokio::spawn(async move {
                use tokio::io::AsyncWriteExt as _;
                gate.notified().await;
                let _ = socket
                    .write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                    .await;
            });
        }
    });
    SlowReceiver {
        url: format!("http://127.0.0.1:{port}/hooks"),
        arrived,
        release,
    }
}

async fn a_delivery_to_an_internal_address_is_refused_when_sent(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.workflow.poll_ms = 100, Arc::new(|_| {})).await;
    let customer = seed_and_sign_in(&app, "acme", "customer").await;
    let receiver = slow_receiver().await;
    // Written past the API's check, as a name that resolved elsewhere when saved would be.
    set_settings_of(
        &app,
        "acme",
        json!({
            "sla_minutes": {"normal": {"first_response": 1.0 / 60.0, "resolution": 600}},
            "webhooks": {"url": receiver.url, "secret": "s3cret"}
        }),
    )
    .await;
    let opened = open_ticket(&app, &customer).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin");
    eventually(
        "the delivery to be refused",
        Duration::from_secs(20),
        async || {
            let row = admin
            .query_one_raw(sea_orm::Statement::from_string(
                admin.get_database_backend(),
                "SELECT last_error FROM jobs WHERE kind LIKE 'webhook%' AND last_error IS NOT NULL",
            ))
            .await
            .expect("query");
            row.and_then(|r| r.try_get::<String>("", "last_error").ok())
                .is_some_and(|e| {
                    assert!(!e.contains("127.0.0.1") && !e.contains("s3cret"), "{e}");
                    e.contains("refused")
                })
                .then_some(())
        },
    )
    .await;
    assert_eq!(
        escalations(&app, &id).await,
        1,
        "the escalation itself stands"
    );
    assert_eq!(
        receiver.arrived.load(Ordering::SeqCst),
        0,
        "nothing reached it"
    );
    let metrics = app.get_metrics().await;
    assert!(
        metrics.lines().any(
            |l| l.starts_with("webhook_deliveries_total{outcome=\"failed\"}") && !l.ends_with(" 0")
        ),
        "a refused delivery counts as failed: {metrics}"
    );
}

async fn a_slow_receiver_never_delays_another_tenant(backend: Backend) {
    let app = spawn_app_with(
        backend,
        |s| {
            s.workflow.poll_ms = 100;
            s.workflow.webhook_timeout_secs = 60;
            s.workflow.webhook_allow = vec!["127.0.0.1".into()];
        },
        Arc::new(|_| {}),
    )
    .await;
    let acme = seed_and_sign_in(&app, "acme", "customer").await;
    let globex = sign_in(&app, "globex", "customer").await;
    let receiver = slow_receiver().await;
    set_settings_of(
        &app,
        "acme",
        json!({
            "sla_minutes": {"normal": {"first_response": 1.0 / 60.0, "resolution": 600}},
            "webhooks": {"url": receiver.url}
        }),
    )
    .await;
    open_ticket(&app, &acme).await;
    eventually(
        "acme's webhook to be sent",
        Duration::from_secs(20),
        async || (receiver.arrived.load(Ordering::SeqCst) > 0).then_some(()),
    )
    .await;

    // Acme's delivery now hangs; globex's timer falls due and must escalate regardless.
    set_settings_of(
        &app,
        "globex",
        json!({"sla_minutes": {"normal": {"first_response": 1.0 / 60.0, "resolution": 600}}}),
    )
    .await;
    let opened = open_ticket(&app, &globex).await;
    let id = opened["id"].as_str().expect("id").to_owned();
    // Bounded well below acme's 60-second delivery timeout.
    eventually(
        "globex's escalation, while acme's receiver hangs",
        Duration::from_secs(20),
        async || (ticket(&app, &globex, &id).await["priority"] == "high").then_some(()),
    )
    .await;
    assert_eq!(
        receiver.arrived.load(Ordering::SeqCst),
        1,
        "acme's delivery is still open"
    );
    receiver.release.notify_waiters();
}

crate::on_both_backends!(
    internal_destinations_are_refused_when_saved,
    a_delivery_to_an_internal_address_is_refused_when_sent,
    a_slow_receiver_never_delays_another_tenant,
);
