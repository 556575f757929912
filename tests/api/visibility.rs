//! Public and internal documents: the help chat never cites an internal one to a visitor
//! and a visitor cannot open one by id; staff search and agent assist use both.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::chat::visitor_token;
use crate::helpers::{Backend, assert_problem, seed_and_sign_in, sign_in, spawn_app_with};

const PLAYBOOK: &str = "# On-call escalation bridge\n\n\
    The on-call escalation bridge answers on extension 5519. The bridge override code is \
    ZEBRA-SEVEN, and only the duty manager may use it to break into a running call.\n";

async fn internal_documents_serve_staff_only(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}, Arc::new(|_| {})).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let laptop = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/kb/laptop.md"
    ))
    .expect("fixture");
    assert_eq!(
        app.upload_document(&admin, "laptop.md", laptop.into_bytes(), None)
            .await
            .status()
            .as_u16(),
        201
    );
    let created: Value = app
        .upload_document(
            &admin,
            "bridge.md",
            PLAYBOOK.as_bytes().to_vec(),
            Some("internal"),
        )
        .await
        .json()
        .await
        .expect("json");
    let internal = created["documents"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let bad = app
        .upload_document(
            &admin,
            "bridge.md",
            PLAYBOOK.as_bytes().to_vec(),
            Some("secret"),
        )
        .await;
    let body = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "visibility");

    let listed: Value = app
        .get_as(&admin, "/api/v1/documents")
        .await
        .json()
        .await
        .expect("json");
    let visibility: Vec<(&str, &str)> = listed["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|d| {
            (
                d["source"].as_str().unwrap_or(""),
                d["visibility"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        visibility,
        vec![("bridge.md", "internal"), ("laptop.md", "public")]
    );

    // Staff find it.
    let found: Value = app
        .get_as(&agent, "/api/v1/search?q=bridge+override+code&k=3")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(found["pages"][0]["doc_id"], internal.as_str(), "{found}");
    assert_eq!(
        app.get_as(&agent, &format!("/api/v1/documents/{internal}"))
            .await
            .status()
            .as_u16(),
        200
    );

    // A visitor's chat never cites it, nor quotes it; opening it by id is a 404.
    let visitor = visitor_token(&app, "acme").await;
    let reply: Value = app
        .client
        .post(app.url("/api/v1/chat"))
        .bearer_auth(&visitor)
        .json(&json!({"message": "what is the bridge override code for the on-call escalation bridge?"}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let text = reply.to_string();
    assert!(
        !text.contains(&internal) && !text.contains("ZEBRA"),
        "{reply}"
    );
    let opened = app
        .get_as(&visitor, &format!("/api/v1/documents/{internal}"))
        .await;
    assert_problem(opened, 404, "document_not_found").await;
    // Nor do customers see it in search.
    let customer = sign_in(&app, "acme", "customer").await;
    let theirs = app
        .get_as(&customer, "/api/v1/search?q=bridge+override+code&k=3")
        .await;
    if theirs.status().as_u16() == 200 {
        let theirs: Value = theirs.json().await.expect("json");
        assert!(!theirs.to_string().contains(&internal), "{theirs}");
    }

    // The same file uploaded again as public changes only its visibility.
    let again: Value = app
        .upload_document(
            &admin,
            "bridge.md",
            PLAYBOOK.as_bytes().to_vec(),
            Some("public"),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(again["documents"][0]["status"], "unchanged");
    assert_eq!(
        app.get_as(&visitor, &format!("/api/v1/documents/{internal}"))
            .await
            .status()
            .as_u16(),
        200
    );
}

crate::on_both_backends!(internal_documents_serve_staff_only);
