//! Anonymous floods: chat messages per visitor and per client address (REST and
//! WebSocket share the budget), sockets per visitor, sessions and handoff tickets per
//! visitor an hour. Each refusal is a 429 problem with `Retry-After`, or an `error` frame.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::chat::visitor_token;
use crate::helpers::{Backend, TestApp, assert_problem, spawn_app_with};

/// A chat turn over REST from `client` (an X-Forwarded-For address behind the trusted
/// test proxy).
async fn post_chat(app: &TestApp, token: &str, client: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/chat"))
        .bearer_auth(token)
        .header("x-forwarded-for", client)
        .json(&body)
        .send()
        .await
        .expect("sent")
}

async fn limited_app(
    backend: Backend,
    customize: impl FnOnce(&mut helpdesk::config::Settings),
) -> TestApp {
    let app = spawn_app_with(
        backend,
        |s| {
            s.server.trusted_proxies = vec!["127.0.0.1".into()];
            customize(s);
        },
        Arc::new(|_| {}),
    )
    .await;
    helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    app
}

async fn chat_messages_are_budgeted_per_visitor_and_per_address(backend: Backend) {
    let app = limited_app(backend, |s| {
        s.chat.messages_per_minute = 2;
        s.chat.messages_per_minute_per_address = 3;
    })
    .await;
    let visitor = visitor_token(&app, "acme").await;
    for _ in 0..2 {
        let response = post_chat(
            &app,
            &visitor,
            "198.51.100.1",
            json!({"message": "hello there"}),
        )
        .await;
        assert_eq!(response.status().as_u16(), 200);
    }
    let over = post_chat(
        &app,
        &visitor,
        "198.51.100.2",
        json!({"message": "hello there"}),
    )
    .await;
    assert!(over.headers().contains_key("retry-after"));
    assert_problem(over, 429, "rate_limited").await;
    // The socket draws on the same visitor budget.
    let mut socket = app.chat_socket(&visitor).await;
    socket
        .send(json!({"type": "message", "text": "hello there"}))
        .await;
    let frame = socket.next().await;
    assert_eq!(frame["code"], "rate_limited", "{frame}");

    // A fresh token from the same address is held by the address's budget (3).
    let second = visitor_token(&app, "acme").await;
    let ok = post_chat(
        &app,
        &second,
        "198.51.100.1",
        json!({"message": "hello there"}),
    )
    .await;
    assert_eq!(ok.status().as_u16(), 200);
    let by_address = post_chat(
        &app,
        &second,
        "198.51.100.1",
        json!({"message": "hello there"}),
    )
    .await;
    assert_problem(by_address, 429, "rate_limited").await;
}

async fn sockets_sessions_and_handoffs_are_capped_per_visitor(backend: Backend) {
    let app = limited_app(backend, |s| {
        s.chat.max_sockets_per_visitor = 2;
        s.chat.sessions_per_hour = 2;
        s.chat.handoffs_per_hour = 1;
    })
    .await;
    let visitor = visitor_token(&app, "acme").await;
    let first = app.chat_socket(&visitor).await;
    let _second = app.chat_socket(&visitor).await;
    let url = format!(
        "{}/api/v1/chat/ws?access_token={visitor}",
        app.address.replacen("http", "ws", 1)
    );
    match tokio_tungstenite::connect_async(url.clone()).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429);
        }
        other => panic!("a third socket was not refused: {:?}", other.map(|_| ())),
    }
    // A closed socket gives its place back.
    drop(first);
    crate::helpers::eventually(
        "the closed socket's place to come back",
        std::time::Duration::from_secs(5),
        async || tokio_tungstenite::connect_async(url.clone()).await.ok(),
    )
    .await;

    // Sessions: two an hour; the handoff of the first opens a ticket, a second is refused.
    let opened: Value = post_chat(&app, &visitor, "198.51.100.9", json!({"message": "hello"}))
        .await
        .json()
        .await
        .expect("json");
    let session = opened["session_id"].as_str().expect("session").to_owned();
    let handoff = |id: String| {
        let app = &app;
        let visitor = visitor.clone();
        async move {
            app.client
                .post(app.url(&format!("/api/v1/chat/sessions/{id}/handoff")))
                .bearer_auth(visitor)
                .send()
                .await
                .expect("sent")
        }
    };
    assert_eq!(handoff(session.clone()).await.status().as_u16(), 201);
    // Asking again for the same session answers with its ticket, and costs nothing.
    assert_eq!(handoff(session).await.status().as_u16(), 201);
    let another: Value = post_chat(&app, &visitor, "198.51.100.9", json!({"message": "hi"}))
        .await
        .json()
        .await
        .expect("json");
    let other_session = another["session_id"].as_str().expect("session").to_owned();
    assert_problem(handoff(other_session).await, 429, "rate_limited").await;
    let third = post_chat(&app, &visitor, "198.51.100.9", json!({"message": "hey"})).await;
    assert_problem(third, 429, "rate_limited").await;
}

crate::on_both_backends!(
    chat_messages_are_budgeted_per_visitor_and_per_address,
    sockets_sessions_and_handoffs_are_capped_per_visitor,
);
