//! `/api/v1/llm` on the local backend with the real weights, over a real socket.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, seed_and_sign_in, spawn_app_with};
use crate::llm_contract;

async fn local_app(customize: impl FnOnce(&mut helpdesk::config::Settings)) -> (TestApp, String) {
    let app = spawn_app_with(Backend::Sqlite, customize, Arc::new(|_| {})).await;
    let token = seed_and_sign_in(&app, "acme", "agent").await;
    (app, token)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.post_json(Some(token), path, &body).await
}

#[tokio::test]
async fn the_local_backend_meets_the_contract() {
    let (app, token) = local_app(|_| {}).await;
    llm_contract::run(&app, &token, "local").await;

    let metrics = app.get_metrics().await;
    for name in [
        "llm_generate_seconds_count 2",
        "llm_time_to_first_token_seconds_count 2",
        "llm_tokens_total{direction=\"prompt\"}",
        "llm_tokens_total{direction=\"completion\"}",
        "llm_embed_batch_seconds_count",
    ] {
        assert!(metrics.contains(name), "{name} missing from /metrics");
    }
}

#[tokio::test]
async fn the_embedding_of_hello_world_matches_the_reference_over_http() {
    let (app, token) = local_app(|_| {}).await;
    let reference: Value =
        serde_json::from_str(include_str!("../fixtures/minilm_reference.json")).expect("fixture");
    let index = reference["texts"]
        .as_array()
        .and_then(|texts| texts.iter().position(|t| t == "hello world"))
        .expect("hello world in the fixture");
    let (text, expected) = (
        reference["texts"][index].clone(),
        reference["embeddings"][index].clone(),
    );
    let body: Value = post(
        &app,
        &token,
        "/api/v1/llm/embeddings",
        json!({"input": text}),
    )
    .await
    .json()
    .await
    .expect("json");
    let got = body["embeddings"][0].as_array().expect("vector");
    let expected = expected.as_array().expect("vector");
    assert_eq!(got.len(), expected.len());
    let worst = got
        .iter()
        .zip(expected)
        .map(|(a, b)| (a.as_f64().unwrap_or(f64::NAN) - b.as_f64().unwrap_or(f64::NAN)).abs())
        .fold(0.0, f64::max);
    assert!(worst <= 1e-3, "max abs diff {worst}");
}

#[tokio::test]
async fn ten_parallel_generations_all_complete() {
    let (app, token) = local_app(|_| {}).await;
    let calls = (0..10).map(|i| {
        post(
            &app,
            &token,
            "/api/v1/llm/generate",
            json!({"prompt": format!("Say the number {i}."), "max_tokens": 8}),
        )
    });
    let responses = join_all(calls).await;
    for response in responses {
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, 200, "{body}");
        assert!(
            body["usage"]["completion_tokens"].as_u64() > Some(0),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_saturated_queue_answers_503_with_retry_after_and_recovers() {
    let (app, token) = local_app(|s| {
        s.llm.generate_queue = 1;
        s.llm.queue_wait_ms = 200;
    })
    .await;
    // A long generation holds the only slot, streaming.
    let long = post(
        &app,
        &token,
        "/api/v1/llm/generate",
        json!({"prompt": "Write a long story about a lighthouse.", "max_tokens": 1000,
               "stream": true}),
    )
    .await;
    assert_eq!(long.status().as_u16(), 200);
    let refused = tokio::time::timeout(
        Duration::from_secs(10),
        post(
            &app,
            &token,
            "/api/v1/llm/generate",
            json!({"prompt": "Hi", "max_tokens": 4}),
        ),
    )
    .await
    .expect("a full queue answers, it does not hang");
    let retry_after = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_problem(refused, 503, "model_queue_full").await;
    let metrics = app.get_metrics().await;
    assert!(
        metrics.contains("llm_queue_rejections_total{kind=\"generate\"} 1"),
        "{metrics}"
    );

    // Hanging up on the stream cancels the generation and frees the slot. The bound is
    // generous: on a loaded 2-core machine each token of the long generation, and so the
    // moment the server notices the closed connection, can take a while; what is checked is
    // that the slot comes back, and below, that it came back by cancellation.
    drop(long);
    crate::helpers::eventually(
        "the cancelled generation to release its slot",
        Duration::from_secs(60),
        async || {
            let response = post(
                &app,
                &token,
                "/api/v1/llm/generate",
                json!({"prompt": "Hi", "max_tokens": 4}),
            )
            .await;
            (response.status().as_u16() == 200).then_some(())
        },
    )
    .await;
    // Only the short generation ran to its end: the long one was cut off, not finished.
    let metrics = app.get_metrics().await;
    assert!(
        metrics.contains("llm_generate_seconds_count 1\n"),
        "{metrics}"
    );
}

#[tokio::test]
async fn concurrent_embedding_requests_share_forward_passes() {
    let (app, token) = local_app(|s| s.llm.embed_batch_window_ms = 300).await;
    let texts: Vec<String> = (0..8)
        .map(|i| format!("question number {i} about the VPN"))
        .collect();
    let alone: Value = post(
        &app,
        &token,
        "/api/v1/llm/embeddings",
        json!({"input": texts[3]}),
    )
    .await
    .json()
    .await
    .expect("json");
    let before = batches(&app).await;
    let answers = join_all(texts.iter().map(|t| {
        post(
            &app,
            &token,
            "/api/v1/llm/embeddings",
            json!({"input": [t]}),
        )
    }))
    .await;
    let mut vectors = Vec::new();
    for answer in answers {
        assert_eq!(answer.status().as_u16(), 200);
        let body: Value = answer.json().await.expect("json");
        vectors.push(body["embeddings"][0].clone());
    }
    let used = batches(&app).await - before;
    assert!(
        used < 8.0,
        "8 concurrent requests took {used} forward passes"
    );
    // Each caller gets its own text's vector back, whatever it was batched with.
    let a = alone["embeddings"][0].as_array().expect("vector");
    let b = vectors[3].as_array().expect("vector");
    let worst = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x.as_f64().unwrap_or(f64::NAN) - y.as_f64().unwrap_or(f64::NAN)).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-4, "batched vector differs by {worst}");
}

async fn batches(app: &TestApp) -> f64 {
    app.get_metrics()
        .await
        .lines()
        .find_map(|l| l.strip_prefix("llm_embed_batch_seconds_count "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn bad_input_is_a_422_problem_and_access_is_checked() {
    let (app, token) = local_app(|s| s.llm.max_prompt_chars = 100).await;
    for (body, field) in [
        (json!({"prompt": "   "}), "prompt"),
        (json!({"prompt": "x".repeat(101)}), "prompt"),
        (json!({"prompt": "hi", "max_tokens": 0}), "max_tokens"),
        (json!({"prompt": "hi", "max_tokens": 100000}), "max_tokens"),
        (json!({"prompt": "hi", "temperature": 3.5}), "temperature"),
        (json!({"prompt": "hi", "top_p": 0}), "top_p"),
        (json!({"prompt": "hi", "seed": -1}), "seed"),
        (
            json!({"prompt": "hi", "stop": ["a", "b", "c", "d", "e"]}),
            "stop",
        ),
    ] {
        let problem = assert_problem(
            post(&app, &token, "/api/v1/llm/generate", body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    // The smallest top_p there is, with a high temperature: the top token, not a 500.
    let tiny = post(
        &app,
        &token,
        "/api/v1/llm/generate",
        json!({"prompt": "hi", "max_tokens": 2, "temperature": 2, "top_p": 5e-324}),
    )
    .await;
    assert_eq!(tiny.status().as_u16(), 200);
    // Past int64, the document's format: a shape error, not a wrapped seed.
    assert_problem(
        post(
            &app,
            &token,
            "/api/v1/llm/generate",
            json!({"prompt": "hi", "seed": 9_223_372_036_854_775_808_u64}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    for body in [
        json!({"input": []}),
        json!({"input": [""]}),
        json!({"input": ["x".repeat(9000)]}),
    ] {
        assert_problem(
            post(&app, &token, "/api/v1/llm/embeddings", body).await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_problem(
        post(
            &app,
            &token,
            "/api/v1/llm/generate",
            json!({"prompt": "hi", "bogus": 1}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;

    let anonymous = app
        .client
        .get(app.url("/api/v1/llm/status"))
        .send()
        .await
        .expect("sent");
    assert_problem(anonymous, 401, "missing_token").await;
    let customer = crate::helpers::sign_in(&app, "acme", "customer").await;
    assert_problem(
        post(
            &app,
            &customer,
            "/api/v1/llm/generate",
            json!({"prompt": "hi"}),
        )
        .await,
        403,
        "action_forbidden",
    )
    .await;
}
