//! Per-tenant usage: a generation raises the tenant's token counts by exactly what the
//! model reported, a chat exchange counts its embedding input, its outcome and its handoff, nothing
//! reaches another tenant, and only admins read it (SQLite and PostgreSQL).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::chat::{seeded_with_kb, visitor_token};
use crate::helpers::{Backend, TestApp, assert_problem, sign_in, spawn_app_with};

async fn usage(app: &TestApp, token: &str) -> Value {
    let response = app.get_as(token, "/api/v1/usage").await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

fn total(body: &Value, key: &str) -> u64 {
    body["totals"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key}: {body}"))
}

async fn counts_per_tenant_and_prices_them(backend: Backend) {
    let app = spawn_app_with(
        backend,
        |s| {
            s.usage.prices.prompt_per_1k_tokens = 1.0;
            s.usage.prices.completion_per_1k_tokens = 2.0;
        },
        Arc::new(|_| {}),
    )
    .await;
    let (acme_id, _) = seeded_with_kb(&app).await;
    let admin = sign_in(&app, "acme", "admin").await;
    let other_admin = sign_in(&app, "globex", "admin").await;
    let before = usage(&app, &admin).await;
    let other_before = usage(&app, &other_admin).await;

    let generated: Value = app
        .post_json(
            Some(&admin),
            "/api/v1/llm/generate",
            &json!({"prompt": "Say hello.", "max_tokens": 8}),
        )
        .await
        .json()
        .await
        .expect("json");
    let prompt = generated["usage"]["prompt_tokens"]
        .as_u64()
        .expect("prompt");
    let completion = generated["usage"]["completion_tokens"]
        .as_u64()
        .expect("completion");
    assert!(prompt > 0 && completion > 0, "{generated}");

    // A visitor's question: one query embedding and one answer.
    let visitor = visitor_token(&app, "acme").await;
    let mut chat = app.chat_socket(&visitor).await;
    chat.send(json!({"type": "message", "text": crate::chat::ANSWERABLE}))
        .await;
    chat.until("answer").await;
    chat.send(json!({"type": "handoff"})).await;
    chat.until("ticket_created").await;

    let after = usage(&app, &admin).await;
    assert_eq!(
        total(&after, "prompt_tokens") - total(&before, "prompt_tokens"),
        prompt,
        "{after}"
    );
    assert_eq!(
        total(&after, "completion_tokens") - total(&before, "completion_tokens"),
        completion,
        "{after}"
    );
    assert_eq!(total(&after, "answered") - total(&before, "answered"), 1);
    assert_eq!(total(&after, "handoffs") - total(&before, "handoffs"), 1);
    assert!(total(&after, "embedding_inputs") > total(&before, "embedding_inputs"));
    assert!(total(&after, "model_ms") > total(&before, "model_ms"));
    let cost = after["totals"]["cost"].as_f64().expect("cost");
    let expected = total(&after, "prompt_tokens") as f64 / 1000.0
        + 2.0 * total(&after, "completion_tokens") as f64 / 1000.0;
    assert!((cost - expected).abs() < 1e-9, "{after}");
    assert_eq!(after["days"].as_array().map(Vec::len), Some(1), "{after}");
    assert!(after["storage"]["documents"].as_u64() > Some(0), "{after}");

    // Nothing of it is the other tenant's.
    let other_after = usage(&app, &other_admin).await;
    assert_eq!(
        other_after["totals"], other_before["totals"],
        "{other_after}"
    );

    // Operators see every tenant's totals; a tenant's admin may not.
    let operator = app.operator_token().await;
    let platform = app.get_as(&operator, "/api/v1/usage/tenants").await;
    assert_eq!(platform.status().as_u16(), 200);
    let platform: Value = platform.json().await.expect("json");
    let tenants = platform["tenants"].as_array().expect("tenants");
    let acme = tenants
        .iter()
        .find(|t| t["tenant_id"] == acme_id.0.to_string().as_str())
        .expect("acme's row");
    assert_eq!(acme["prompt_tokens"], after["totals"]["prompt_tokens"]);
    assert_eq!(
        acme["completion_tokens"],
        after["totals"]["completion_tokens"]
    );
    assert_eq!(
        platform["totals"]["prompt_tokens"].as_u64(),
        Some(
            tenants
                .iter()
                .filter_map(|t| t["prompt_tokens"].as_u64())
                .sum::<u64>()
        )
    );
    let refused = app.get_as(&admin, "/api/v1/usage/tenants").await;
    assert_problem(refused, 403, "operator_only").await;

    // Admins only; bad dates are 422 naming the field.
    for role in ["agent", "customer"] {
        let token = sign_in(&app, "acme", role).await;
        let refused = app.get_as(&token, "/api/v1/usage").await;
        assert_problem(refused, 403, "action_forbidden").await;
    }
    let bad = app.get_as(&admin, "/api/v1/usage?from=yesterday").await;
    let body = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "from", "{body}");
    let reversed = app
        .get_as(&admin, "/api/v1/usage?from=2026-02-01&to=2026-01-01")
        .await;
    assert_problem(reversed, 422, "validation_failed").await;
}

crate::on_both_backends!(counts_per_tenant_and_prices_them);
