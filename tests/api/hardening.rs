//! The HTTP surface as an attacker meets it: security headers and framing, per-tenant
//! CORS, `/metrics` behind a token or on its own listener, bounded metric labels.

use std::sync::Arc;

use serde_json::json;

use crate::helpers::{
    Backend, METRICS_TOKEN, TestApp, header, seed_and_sign_in, spawn_app, spawn_app_with,
};

async fn allow_origins(app: &TestApp, admin: &str, origins: serde_json::Value) {
    let response = app
        .patch_json(
            admin,
            "/api/v1/tenant/settings",
            &[],
            &json!({ "allowed_origins": origins }),
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

async fn pages_carry_a_policy_and_only_the_chat_may_be_framed(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    allow_origins(&app, &admin, json!(["https://www.acme.example"])).await;

    for page in ["/console", "/admin", "/"] {
        let response = app.get(page).await;
        assert_eq!(response.status().as_u16(), 200, "{page}");
        let csp = header(&response, "content-security-policy");
        assert!(csp.contains("script-src 'self'"), "{page}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{page}: {csp}");
        assert_eq!(header(&response, "x-frame-options"), "DENY", "{page}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert!(!header(&response, "referrer-policy").is_empty());
    }
    let chat = app.get("/chat/acme").await;
    let csp = header(&chat, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self' https://www.acme.example"),
        "{csp}"
    );
    assert!(header(&chat, "x-frame-options").is_empty());
    // Another tenant's chat page is not framed by acme's site.
    let other = app.get("/chat/globex").await;
    let csp = header(&other, "content-security-policy");
    assert!(
        csp.contains("frame-ancestors 'self'") && !csp.contains("acme.example"),
        "{csp}"
    );

    let api = app.get("/api/v1/tenants/acme/theme").await;
    assert_eq!(
        header(&api, "content-security-policy"),
        "default-src 'none'; frame-ancestors 'none'"
    );
}

async fn cross_origin_calls_follow_the_tenant_s_allow_list(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    allow_origins(&app, &admin, json!(["https://www.acme.example"])).await;
    let preflight = |origin: &'static str, path: &'static str| {
        let app = &app;
        async move {
            app.client
                .request(reqwest::Method::OPTIONS, app.url(path))
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .send()
                .await
                .expect("sent")
        }
    };
    let allowed = preflight(
        "https://www.acme.example",
        "/api/v1/tenants/acme/visitor-token",
    )
    .await;
    assert_eq!(allowed.status().as_u16(), 204);
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        "https://www.acme.example"
    );
    let stranger = preflight("https://evil.example", "/api/v1/tenants/acme/visitor-token").await;
    assert_eq!(stranger.status().as_u16(), 403);
    assert!(header(&stranger, "access-control-allow-origin").is_empty());
    // Acme's origin is not globex's.
    let elsewhere = preflight(
        "https://www.acme.example",
        "/api/v1/tenants/globex/visitor-token",
    )
    .await;
    assert_eq!(elsewhere.status().as_u16(), 403);

    let token = app
        .client
        .post(app.url("/api/v1/tenants/acme/visitor-token"))
        .header("origin", "https://www.acme.example")
        .send()
        .await
        .expect("sent");
    assert_eq!(token.status().as_u16(), 200);
    assert_eq!(
        header(&token, "access-control-allow-origin"),
        "https://www.acme.example"
    );
}

crate::on_both_backends!(
    pages_carry_a_policy_and_only_the_chat_may_be_framed,
    cross_origin_calls_follow_the_tenant_s_allow_list,
);

#[tokio::test]
async fn metrics_need_their_token_on_the_main_port() {
    let app = spawn_app(Backend::Sqlite).await;
    let anonymous = app.get("/metrics").await;
    assert_eq!(anonymous.status().as_u16(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("guess")
        .send()
        .await
        .expect("sent");
    assert_eq!(wrong.status().as_u16(), 401);
    // An invented method is one label value, not a new one per request.
    for method in ["BREW", "PROPFIND"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        app.client
            .request(m, app.url("/health"))
            .send()
            .await
            .expect("sent");
    }
    let metrics = app.get_metrics().await;
    assert!(metrics.contains("method=\"OTHER\""), "{metrics}");
    assert!(!metrics.contains("BREW") && !metrics.contains("PROPFIND"));
}

#[tokio::test]
async fn metrics_can_move_to_a_listener_of_their_own() {
    let app = spawn_app_with(
        Backend::Sqlite,
        |s| {
            s.server.metrics_listen = Some("127.0.0.1:0".into());
            s.server.metrics_token = None;
        },
        Arc::new(|_| {}),
    )
    .await;
    let main = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("sent");
    assert_eq!(main.status().as_u16(), 404);
    let port = app.metrics_port.expect("a metrics listener");
    let own = app
        .client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .expect("sent");
    assert_eq!(own.status().as_u16(), 200);
    assert!(
        own.text()
            .await
            .expect("text")
            .contains("http_requests_total")
    );
    // Probes reach it too, for a main port that demands client certificates.
    for probe in ["/health", "/ready"] {
        let answered = app
            .client
            .get(format!("http://127.0.0.1:{port}{probe}"))
            .send()
            .await
            .expect("sent");
        assert_eq!(answered.status().as_u16(), 200, "{probe}");
    }
}
