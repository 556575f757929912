//! The Ollama backend. No Ollama server runs here, so (a) the shared contract runs against a
//! real one only when `HELPDESK_TEST_OLLAMA_URL` is set, and (b) retry, back-off, timeouts
//! and the circuit breaker are tested against an in-test HTTP server that speaks Ollama's
//! documented API (`/api/chat` streamed as NDJSON, `/api/embed`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, seed_and_sign_in, spawn_app_with};
use crate::llm_contract;

/// How the fake answers one call.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    Healthy,
    Status(u16),
    /// Answers only after this long.
    Slow(Duration),
}

#[derive(Default)]
struct Fake {
    /// Behaviours for the next calls, in order; `fallback` after them.
    script: Mutex<VecDeque<Behaviour>>,
    fallback: Mutex<Option<Behaviour>>,
    calls: Mutex<Vec<(String, Instant, Value)>>,
}

impl Fake {
    fn next(&self) -> Behaviour {
        let scripted = self.script.lock().expect("lock").pop_front();
        scripted
            .or(*self.fallback.lock().expect("lock"))
            .unwrap_or(Behaviour::Healthy)
    }

    fn calls(&self) -> usize {
        self.calls.lock().expect("lock").len()
    }

    fn set_fallback(&self, behaviour: Behaviour) {
        *self.fallback.lock().expect("lock") = Some(behaviour);
    }
}

async fn behave(fake: &Fake, path: &str, body: &Value) -> Option<HttpResponse> {
    fake.calls
        .lock()
        .expect("lock")
        .push((path.to_owned(), Instant::now(), body.clone()));
    match fake.next() {
        Behaviour::Healthy => None,
        Behaviour::Status(code) => Some(
            HttpResponse::build(actix_web::http::StatusCode::from_u16(code).expect("status"))
                .json(json!({"error": format!("scripted {code}")})),
        ),
        Behaviour::Slow(delay) => {
            tokio::time::sleep(delay).await;
            None
        }
    }
}

async fn chat(fake: web::Data<Fake>, body: web::Json<Value>) -> HttpResponse {
    if let Some(response) = behave(&fake, "/api/chat", &body).await {
        return response;
    }
    assert_eq!(body["stream"], true, "generations are streamed");
    let model = body["model"].as_str().unwrap_or_default();
    let mut lines = String::new();
    for piece in ["Hel", "lo ", "there"] {
        lines.push_str(
            &json!({"model": model, "created_at": "2026-11-25T00:00:00Z",
                    "message": {"role": "assistant", "content": piece}, "done": false})
            .to_string(),
        );
        lines.push('\n');
    }
    lines.push_str(
        &json!({"model": model, "created_at": "2026-11-25T00:00:00Z",
                "message": {"role": "assistant", "content": ""}, "done": true,
                "done_reason": "stop", "total_duration": 10, "load_duration": 1,
                "prompt_eval_count": 7, "prompt_eval_duration": 2, "eval_count": 3,
                "eval_duration": 5})
        .to_string(),
    );
    lines.push('\n');
    HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .body(lines)
}

async fn embed(fake: web::Data<Fake>, body: web::Json<Value>) -> HttpResponse {
    if let Some(response) = behave(&fake, "/api/embed", &body).await {
        return response;
    }
    let inputs = body["input"].as_array().cloned().unwrap_or_default();
    // A deterministic unit vector per text: its length picks the hot dimension.
    let embeddings: Vec<Vec<f32>> = inputs
        .iter()
        .map(|text| {
            let mut v = vec![0.0_f32; 8];
            v[text.as_str().map_or(0, str::len) % 8] = 1.0;
            v
        })
        .collect();
    HttpResponse::Ok().json(json!({"model": body["model"], "embeddings": embeddings}))
}

async fn start_fake() -> (Arc<Fake>, String) {
    let fake = web::Data::new(Fake::default());
    let shared = fake.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(shared.clone())
            .route("/api/chat", web::post().to(chat))
            .route("/api/embed", web::post().to(embed))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .expect("listen")
    .run();
    tokio::spawn(server);
    (fake.into_inner(), format!("http://127.0.0.1:{port}"))
}

async fn ollama_app(
    url: &str,
    tune: impl FnOnce(&mut helpdesk::config::OllamaSettings),
) -> (TestApp, String) {
    let url = url.to_owned();
    let app = spawn_app_with(
        Backend::Sqlite,
        move |s| {
            s.llm.backend = helpdesk::config::LlmBackend::Ollama;
            s.llm.ollama.url = url;
            s.llm.ollama.chat_model = "fake-chat".into();
            s.llm.ollama.embedding_model = "fake-embed".into();
            s.llm.ollama.embedding_dimensions = 8;
            s.llm.ollama.backoff_initial_ms = 50;
            s.llm.ollama.backoff_max_ms = 400;
            tune(&mut s.llm.ollama);
        },
        Arc::new(|_| {}),
    )
    .await;
    let token = seed_and_sign_in(&app, "acme", "agent").await;
    (app, token)
}

async fn generate(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/llm/generate"))
        .bearer_auth(token)
        .json(&json!({"prompt": "Hello", "max_tokens": 16, "stop": ["\n\n"]}))
        .send()
        .await
        .expect("sent")
}

#[tokio::test]
async fn generations_and_embeddings_go_through_ollamas_api() {
    let (fake, url) = start_fake().await;
    let (app, token) = ollama_app(&url, |_| {}).await;
    let response = generate(&app, &token).await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["text"], "Hello there");
    assert_eq!(
        body["usage"],
        json!({"prompt_tokens": 7, "completion_tokens": 3})
    );
    {
        let calls = fake.calls.lock().expect("lock");
        let (_, _, request) = &calls[0];
        assert_eq!(request["model"], "fake-chat");
        assert_eq!(request["messages"][0]["role"], "user");
        assert_eq!(request["messages"][0]["content"], "Hello");
        assert_eq!(request["options"]["num_predict"], 16);
        assert_eq!(request["options"]["stop"], json!(["\n\n"]));
    }
    let response = app
        .client
        .post(app.url("/api/v1/llm/embeddings"))
        .bearer_auth(&token)
        .json(&json!({"input": ["a", "abc"]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["dimensions"], 8);
    assert_eq!(body["embeddings"][1][3], 1.0);
    assert_eq!(body["model"], "fake-embed");
}

#[tokio::test]
async fn server_errors_are_retried_with_growing_jittered_delays() {
    let (fake, url) = start_fake().await;
    let (app, token) = ollama_app(&url, |o| o.retries = 3).await;
    fake.script.lock().expect("lock").extend([
        Behaviour::Status(503),
        Behaviour::Status(500),
        Behaviour::Status(502),
    ]);
    let response = generate(&app, &token).await;
    assert_eq!(
        response.status().as_u16(),
        200,
        "the fourth attempt succeeds"
    );
    let times: Vec<Instant> = fake
        .calls
        .lock()
        .expect("lock")
        .iter()
        .map(|(_, t, _)| *t)
        .collect();
    assert_eq!(times.len(), 4);
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Exponential from 50 ms (50, 100, 200) plus jitter: each wait is at least its base.
    for (gap, base) in gaps.iter().zip([50, 100, 200]) {
        assert!(*gap >= Duration::from_millis(base), "{gaps:?}");
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let (fake, url) = start_fake().await;
    let (app, token) = ollama_app(&url, |o| o.retries = 3).await;
    fake.script
        .lock()
        .expect("lock")
        .push_back(Behaviour::Status(404));
    let problem = assert_problem(generate(&app, &token).await, 503, "model_unavailable").await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("404")),
        "{problem}"
    );
    assert_eq!(fake.calls(), 1, "a 404 is final");
}

#[tokio::test]
async fn a_slow_server_times_out_and_is_retried() {
    let (fake, url) = start_fake().await;
    let (app, token) = ollama_app(&url, |o| {
        o.retries = 1;
        o.request_timeout_secs = 1;
    })
    .await;
    fake.set_fallback(Behaviour::Slow(Duration::from_secs(3)));
    let started = Instant::now();
    assert_problem(generate(&app, &token).await, 503, "model_unavailable").await;
    assert_eq!(fake.calls(), 2, "one attempt and one retry");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_503_after_the_retries() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let (app, token) = ollama_app(&format!("http://127.0.0.1:{port}"), |o| o.retries = 2).await;
    let response = app
        .client
        .post(app.url("/api/v1/llm/embeddings"))
        .bearer_auth(&token)
        .json(&json!({"input": "hello"}))
        .send()
        .await
        .expect("sent");
    assert!(response.headers().contains_key("retry-after"));
    assert_problem(response, 503, "model_unavailable").await;
}

#[tokio::test]
async fn the_circuit_breaker_opens_shows_in_ready_and_closes_after_a_good_probe() {
    let (fake, url) = start_fake().await;
    let (app, token) = ollama_app(&url, |o| {
        o.retries = 0;
        o.breaker_failures = 2;
        o.breaker_open_secs = 1;
    })
    .await;
    let ready: Value = app.get_ready().await.json().await.expect("json");
    assert_eq!(ready["components"]["llm"]["circuit"], "closed", "{ready}");

    fake.set_fallback(Behaviour::Status(500));
    for _ in 0..2 {
        assert_problem(generate(&app, &token).await, 503, "model_unavailable").await;
    }
    assert_eq!(fake.calls(), 2);
    let ready = app.get_ready().await;
    assert_eq!(
        ready.status().as_u16(),
        200,
        "an open breaker degrades, it does not unready"
    );
    let ready: Value = ready.json().await.expect("json");
    assert_eq!(ready["components"]["llm"]["circuit"], "open", "{ready}");
    assert_eq!(ready["components"]["llm"]["status"], "degraded");

    // Open: refused at once, without a call.
    let refused = generate(&app, &token).await;
    assert!(refused.headers().contains_key("retry-after"));
    let problem = assert_problem(refused, 503, "model_unavailable").await;
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("circuit")),
        "{problem}"
    );
    assert_eq!(fake.calls(), 2, "an open breaker does not call the server");

    // After the open period one probe goes through; it succeeds, and the circuit closes.
    fake.set_fallback(Behaviour::Healthy);
    crate::helpers::eventually(
        "the circuit to let a probe through",
        Duration::from_secs(5),
        async || (generate(&app, &token).await.status().as_u16() == 200).then_some(()),
    )
    .await;
    let ready: Value = app.get_ready().await.json().await.expect("json");
    assert_eq!(ready["components"]["llm"]["circuit"], "closed", "{ready}");
}

/// The shared contract against a real Ollama server. Runs only when
/// `HELPDESK_TEST_OLLAMA_URL` is set (models: `HELPDESK_TEST_OLLAMA_CHAT_MODEL`, default
/// `smollm2:135m`, and `HELPDESK_TEST_OLLAMA_EMBED_MODEL`, default `all-minilm`).
#[tokio::test]
async fn a_real_ollama_server_meets_the_contract() {
    let Ok(url) = std::env::var("HELPDESK_TEST_OLLAMA_URL") else {
        eprintln!("HELPDESK_TEST_OLLAMA_URL is not set: the real-Ollama contract did not run");
        return;
    };
    let chat = std::env::var("HELPDESK_TEST_OLLAMA_CHAT_MODEL").unwrap_or("smollm2:135m".into());
    let embed = std::env::var("HELPDESK_TEST_OLLAMA_EMBED_MODEL").unwrap_or("all-minilm".into());
    let (app, token) = ollama_app(&url, |o| {
        o.chat_model = chat;
        o.embedding_model = embed;
        o.embedding_dimensions = 384;
    })
    .await;
    llm_contract::run(&app, &token, "ollama").await;
}
