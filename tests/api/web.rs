//! What the web app needs from the service, over HTTP: the embedded bundle with its cache
//! headers and SPA fallback, the public theme, admins' tenant settings, a cited document's
//! text for visitors, and the live ticket feed.

use std::time::Duration;

use serde_json::{Value, json};

use crate::chat::{seeded_with_kb, visitor_token};
use crate::helpers::{Backend, assert_problem, seed_and_sign_in, sign_in, spawn_app};

async fn the_bundle_is_served_with_cache_headers_and_a_spa_fallback(backend: Backend) {
    let app = spawn_app(backend).await;
    let index = app.get("/").await;
    assert_eq!(index.status().as_u16(), 200);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    let etag = index.headers()["etag"].to_str().expect("etag").to_owned();
    let html = index.text().await.expect("html");
    assert!(html.contains(r#"<div id="root">"#), "{html}");
    let script = html
        .split('"')
        .find(|s| s.starts_with("/assets/") && s.ends_with(".js"))
        .expect("a hashed script in index.html")
        .to_owned();

    let asset = app.get(&script).await;
    assert_eq!(asset.status().as_u16(), 200);
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .expect("type")
            .contains("javascript")
    );
    let cache = asset.headers()["cache-control"]
        .to_str()
        .expect("cache")
        .to_owned();
    assert!(
        cache.contains("max-age=31536000") && cache.contains("immutable"),
        "{cache}"
    );

    // Deep links of the SPA get its page; a conditional request gets 304.
    for page in ["/console/tickets/123", "/chat/acme", "/admin"] {
        let response = app.get(page).await;
        assert_eq!(response.status().as_u16(), 200, "{page}");
        assert_eq!(response.text().await.expect("html"), html, "{page}");
    }
    let revalidated = app
        .client
        .get(app.url("/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("sent");
    assert_eq!(revalidated.status().as_u16(), 304);
    // A revalidation must not replace the page's policy in the browser's cache with one
    // that blocks its scripts.
    assert!(
        revalidated
            .headers()
            .get("content-security-policy")
            .is_none()
    );

    let widget = app.get("/widget.js").await;
    assert_eq!(widget.status().as_u16(), 200);
    assert!(widget.text().await.expect("js").contains("data-tenant"));

    // Service paths and missing files are not the SPA.
    assert_problem(
        app.get("/api/v1/no-such-thing").await,
        404,
        "route_not_found",
    )
    .await;
    assert_problem(app.get("/assets/missing.js").await, 404, "route_not_found").await;
    let post = app
        .client
        .post(app.url("/console"))
        .send()
        .await
        .expect("sent");
    assert_problem(post, 404, "route_not_found").await;
}

async fn themes_are_public_and_settings_are_for_admins(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let acme: Value = app
        .get("/api/v1/tenants/acme/theme")
        .await
        .json()
        .await
        .expect("json");
    let globex: Value = app
        .get("/api/v1/tenants/globex/theme")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(acme["name"], "Acme Support");
    assert_ne!(
        acme["primary_color"], globex["primary_color"],
        "the demo tenants look different"
    );
    assert_problem(
        app.get("/api/v1/tenants/nobody/theme").await,
        404,
        "tenant_not_found",
    )
    .await;

    let patch = |token: &str, body: Value| {
        app.client
            .patch(app.url("/api/v1/tenant/settings"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let agent = sign_in(&app, "acme", "agent").await;
    assert_problem(
        patch(&agent, json!({"theme": {"primary_color": "#000000"}}))
            .await
            .expect("sent"),
        403,
        "action_forbidden",
    )
    .await;
    let bad = patch(
        &admin,
        json!({"theme": {"primary_color": "blue"}, "business_hours": {"days": []}}),
    )
    .await
    .expect("sent");
    let problem = assert_problem(bad, 422, "validation_failed").await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["theme.primary_color", "business_hours"]);

    let saved = patch(
        &admin,
        json!({
            "theme": {"primary_color": "#AA3300", "display_name": "Acme Help"},
            "sla_minutes": {"urgent": {"first_response": 15}},
            "business_hours": {"days": ["mon", "fri"], "start": "08:00", "end": "16:00", "utc_offset": "+01:00"},
            "webhooks": {"url": "https://hooks.example/sla", "secret": "s3cret"}
        }),
    )
    .await
    .expect("sent");
    assert_eq!(saved.status().as_u16(), 200);
    let tenant: Value = saved.json().await.expect("json");
    assert_eq!(
        tenant["settings"]["sla_minutes"]["urgent"]["first_response"],
        15.0
    );
    assert_eq!(
        tenant["settings"]["sla_minutes"]["urgent"]["resolution"], 240,
        "kept"
    );
    assert_eq!(
        tenant["settings"]["webhooks"]["secret"], "********",
        "masked"
    );
    let theme: Value = app
        .get("/api/v1/tenants/acme/theme")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(theme["primary_color"], "#aa3300");
    assert_eq!(theme["name"], "Acme Help");
    // Another tenant's settings are untouched.
    let globex_after: Value = app
        .get("/api/v1/tenants/globex/theme")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(globex_after, globex);
}

async fn visitors_read_cited_documents_of_their_tenant_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let (acme, _) = seeded_with_kb(&app).await;
    let doc = app.state.knowledge.list_docs(acme).await.expect("docs")[0].clone();
    let visitor = visitor_token(&app, "acme").await;
    let response = app
        .client
        .get(app.url(&format!("/api/v1/documents/{}", doc.id)))
        .bearer_auth(&visitor)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["title"], doc.title.as_str());
    assert!(body["text"].as_str().expect("text").len() > 100, "{body}");
    let outsider = visitor_token(&app, "globex").await;
    let response = app
        .client
        .get(app.url(&format!("/api/v1/documents/{}", doc.id)))
        .bearer_auth(&outsider)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 404, "document_not_found").await;
}

async fn the_ticket_feed_announces_changes(backend: Backend) {
    let app = spawn_app(backend).await;
    let agent = seed_and_sign_in(&app, "acme", "agent").await;
    let customer = sign_in(&app, "acme", "customer").await;
    let refused = app
        .client
        .get(app.url(&format!("/api/v1/tickets/feed?access_token={customer}")))
        .send()
        .await
        .expect("sent");
    assert_problem(refused, 403, "action_forbidden").await;
    let feed = app
        .client
        .get(app.url(&format!("/api/v1/tickets/feed?access_token={agent}")))
        .send()
        .await
        .expect("sent");
    assert_eq!(feed.status().as_u16(), 200);
    assert_eq!(feed.headers()["content-type"], "text/event-stream");
    let mut feed = feed;
    let mut seen = String::new();
    read_until(&mut feed, &mut seen, "event: ready").await;
    let created = app
        .client
        .post(app.url("/api/v1/tickets"))
        .bearer_auth(&customer)
        .json(&json!({"subject": "Monitor flickers", "body": "The external monitor flickers."}))
        .send()
        .await
        .expect("sent");
    assert_eq!(created.status().as_u16(), 201);
    read_until(&mut feed, &mut seen, "event: changed").await;
}

/// Reads the event stream until `want` appears (15 s at most).
pub async fn read_until(feed: &mut reqwest::Response, seen: &mut String, want: &str) {
    let found = tokio::time::timeout(Duration::from_secs(15), async {
        while !seen.contains(want) {
            let chunk = feed.chunk().await.expect("stream").expect("stream open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    assert!(found.is_ok(), "no {want:?} in the feed: {seen}");
}

crate::on_both_backends!(
    the_bundle_is_served_with_cache_headers_and_a_spa_fallback,
    themes_are_public_and_settings_are_for_admins,
    visitors_read_cited_documents_of_their_tenant_only,
    the_ticket_feed_announces_changes,
);
