//! What every language-model backend must do through `/api/v1/llm`, run against the local
//! backend always and against a real Ollama server when `HELPDESK_TEST_OLLAMA_URL` is set.

use serde_json::{Value, json};

use crate::helpers::TestApp;

/// Parses a server-sent event stream into `(event, data)` pairs.
pub fn parse_events(text: &str) -> Vec<(String, Value)> {
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let mut event = String::new();
            let mut data = Value::Null;
            for line in block.lines() {
                if let Some(name) = line.strip_prefix("event: ") {
                    event = name.to_owned();
                } else if let Some(raw) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(raw).expect("event data is JSON");
                }
            }
            (event, data)
        })
        .collect()
}

fn cosine(a: &[Value], b: &[Value]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.as_f64().unwrap_or(f64::NAN) * y.as_f64().unwrap_or(f64::NAN))
        .sum()
}

pub async fn run(app: &TestApp, token: &str, backend: &str) {
    let status = app
        .client
        .get(app.url("/api/v1/llm/status"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    assert_eq!(status.status().as_u16(), 200);
    let status: Value = status.json().await.expect("json");
    assert_eq!(status["status"], "ok", "{status}");
    assert_eq!(status["backend"], backend);
    assert!(
        status["models"]["chat"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        status["models"]["embedding"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    // One generation as JSON.
    let response = app
        .client
        .post(app.url("/api/v1/llm/generate"))
        .bearer_auth(token)
        .json(&json!({"prompt": "Hello", "max_tokens": 24}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let answer: Value = response.json().await.expect("json");
    assert!(
        answer["text"]
            .as_str()
            .is_some_and(|t| !t.trim().is_empty()),
        "{answer}"
    );
    assert!(
        ["stop", "length"].contains(&answer["finish_reason"].as_str().unwrap_or_default()),
        "{answer}"
    );
    assert!(
        answer["usage"]["prompt_tokens"].as_u64() > Some(0),
        "{answer}"
    );

    // The same, streamed: tokens, then one `done`.
    let response = app
        .client
        .post(app.url("/api/v1/llm/generate"))
        .bearer_auth(token)
        .json(&json!({"prompt": "Hello", "max_tokens": 24, "stream": true}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"))
    );
    let events = parse_events(&response.text().await.expect("body"));
    let (last, done) = events.last().expect("events");
    assert_eq!(last, "done", "{events:?}");
    assert!(done["usage"]["completion_tokens"].as_u64() > Some(0));
    let text: String = events
        .iter()
        .filter(|(event, _)| event == "token")
        .filter_map(|(_, data)| data["text"].as_str())
        .collect();
    assert!(!text.trim().is_empty(), "{events:?}");

    // Embeddings: one unit vector per text, of the advertised width, ranking meaning.
    let response = app
        .client
        .post(app.url("/api/v1/llm/embeddings"))
        .bearer_auth(token)
        .json(
            &json!({"input": ["how do I reset my password", "I forgot my password",
                                "travel reimbursement"]}),
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    let vectors = body["embeddings"].as_array().expect("embeddings");
    assert_eq!(vectors.len(), 3);
    let dimensions = body["dimensions"].as_u64().expect("dimensions") as usize;
    if backend == "local" {
        assert_eq!(dimensions, 384);
    }
    let vectors: Vec<&Vec<Value>> = vectors
        .iter()
        .map(|v| v.as_array().expect("vector"))
        .collect();
    for vector in &vectors {
        assert_eq!(vector.len(), dimensions);
        let norm = cosine(vector, vector).sqrt();
        assert!((norm - 1.0).abs() < 1e-3, "norm {norm}");
    }
    let related = cosine(vectors[0], vectors[1]);
    let unrelated = cosine(vectors[0], vectors[2]);
    assert!(related > unrelated, "{related} vs {unrelated}");

    let status: Value = app
        .client
        .get(app.url("/api/v1/llm/status"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(
        status["loaded"],
        json!({"chat": true, "embedding": true}),
        "{status}"
    );
}
