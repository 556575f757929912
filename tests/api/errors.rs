//! Every failure is an `application/problem+json` body with the right status.

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use helpdesk::app::RouteHook;

use crate::helpers::{Backend, TestApp, assert_problem, header, spawn_app_with};

crate::on_both_backends!(
    unknown_route_is_404,
    known_route_with_another_method_is_405,
    malformed_json_is_400,
    wrong_shape_is_422,
    a_body_that_is_not_an_object_is_422,
    a_key_given_twice_is_422,
    wrong_content_type_is_415,
    body_over_the_limit_is_413,
);

#[derive(serde::Deserialize, serde::Serialize)]
struct Probe {
    name: String,
    count: u32,
}

/// A JSON endpoint mounted for these tests only: it exercises the application's own
/// extractor configuration (limits, error handlers), which is what is under test.
fn echo_route() -> RouteHook {
    Arc::new(|cfg: &mut web::ServiceConfig| {
        cfg.route(
            "/test/echo",
            web::post().to(|body: web::Json<Probe>| async move {
                HttpResponse::Ok().json(body.into_inner())
            }),
        );
    })
}

async fn app_with_echo(backend: Backend) -> TestApp {
    spawn_app_with(
        backend,
        |settings| settings.server.body_limit_bytes = 1024,
        echo_route(),
    )
    .await
}

async fn post_raw(
    app: &TestApp,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    post_to(app, "/test/echo", content_type, body).await
}

async fn post_to(
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("sent")
}

async fn unknown_route_is_404(backend: Backend) {
    let app = app_with_echo(backend).await;
    let body = assert_problem(
        app.get("/api/v1/does-not-exist").await,
        404,
        "route_not_found",
    )
    .await;
    assert!(body["request_id"].is_string(), "{body}");
}

async fn known_route_with_another_method_is_405(backend: Backend) {
    let app = app_with_echo(backend).await;
    let ask = |method: &str, path: &str| {
        app.client
            .request(method.parse().expect("method"), app.url(path))
            .send()
    };
    let ticket = "/api/v1/tickets/5a58bbb5-9143-4220-8516-0d419cd53819";
    for (method, path, allow) in [
        ("TRACE", "/api/v1/tickets", "GET, HEAD, POST"),
        ("DELETE", "/health", "GET, HEAD"),
        ("PUT", ticket, "GET, HEAD, PATCH"),
        ("POST", "/.well-known/jwks.json", "GET, HEAD"),
        ("OPTIONS", "/api/v1/chat", "POST"),
    ] {
        let response = ask(method, path).await.expect("sent");
        assert_eq!(header(&response, "allow"), allow, "{method} {path}");
        let body = assert_problem(response, 405, "method_not_allowed").await;
        assert!(
            body["detail"].as_str().unwrap_or_default().contains(allow),
            "{body}"
        );
    }
    // Paths no template matches stay 404, whatever the method; served methods still route.
    for (method, path) in [
        ("DELETE", "/api/v1/does-not-exist"),
        ("POST", "/api/v1/users/"),
        (
            "POST",
            "/api/v1/tickets/5a58bbb5-9143-4220-8516-0d419cd53819/nope",
        ),
    ] {
        assert_problem(
            ask(method, path).await.expect("sent"),
            404,
            "route_not_found",
        )
        .await;
    }
    assert_problem(
        ask("PATCH", ticket).await.expect("sent"),
        401,
        "missing_token",
    )
    .await;

    // HEAD is served wherever GET is: the GET's status and headers, no body.
    let health = ask("HEAD", "/health").await.expect("sent");
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(header(&health, "content-type"), "application/json");
    assert!(health.bytes().await.expect("body").is_empty());
    let tickets = ask("HEAD", "/api/v1/tickets").await.expect("sent");
    assert_eq!(
        tickets.status().as_u16(),
        401,
        "routed as GET, which needs a token"
    );
    let chat = ask("HEAD", "/api/v1/chat").await.expect("sent");
    assert_eq!(chat.status().as_u16(), 405);
    assert_eq!(header(&chat, "allow"), "POST");
    // Not on a stream: its body never ends, so the connection would outlive the client.
    let feed = ask("HEAD", "/api/v1/tickets/feed").await.expect("sent");
    assert_eq!(feed.status().as_u16(), 405);
    // (PATCH reaches `/api/v1/tickets/{id}`, which this path also matches.)
    assert_eq!(header(&feed, "allow"), "GET, PATCH");
}

async fn malformed_json_is_400(backend: Backend) {
    let app = app_with_echo(backend).await;
    // The echo works with a good body, so the failures below are the body's fault.
    let ok = post_raw(&app, "application/json", r#"{"name":"a","count":1}"#).await;
    assert_eq!(ok.status().as_u16(), 200);
    let body = assert_problem(
        post_raw(&app, "application/json", r#"{"name": "a", "count": "#).await,
        400,
        "malformed_json",
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("malformed JSON"),
        "{body}"
    );
}

async fn wrong_shape_is_422(backend: Backend) {
    let app = app_with_echo(backend).await;
    let body = assert_problem(
        post_raw(&app, "application/json", r#"{"name":"a","count":"many"}"#).await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"].is_array(), "{body}");
}

/// serde's derived structs also read an array of their fields in order: the API's bodies
/// must be objects all the same.
async fn a_body_that_is_not_an_object_is_422(backend: Backend) {
    let app = app_with_echo(backend).await;
    let sign_in =
        |body: &'static str| post_to(&app, "/api/v1/auth/token", "application/json", body);
    for body in [
        r#"["acme", "admin@acme.example", "acme-admin-demo"]"#,
        "[]",
        r#""acme""#,
        "null",
    ] {
        let problem = assert_problem(sign_in(body).await, 422, "validation_failed").await;
        assert_eq!(
            problem["errors"][0]["code"], "not_an_object",
            "{body}: {problem}"
        );
    }
    // The same endpoint still reads an object, and still tells a wrong field's type.
    let wrong =
        r#"{"tenant": "acme", "email": "nobody@acme.example", "password": "wrong-password"}"#;
    assert_problem(sign_in(wrong).await, 401, "invalid_credentials").await;
    let typed = r#"{"tenant": 7, "email": "x", "password": "y"}"#;
    let problem = assert_problem(sign_in(typed).await, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "invalid_shape", "{problem}");
}

/// A key given twice means one thing to a reader that keeps the first and another to one
/// that keeps the last: the body is refused, whichever would have signed in.
async fn a_key_given_twice_is_422(backend: Backend) {
    let app = app_with_echo(backend).await;
    helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    for body in [
        r#"{"tenant": "globex", "tenant": "acme", "email": "admin@acme.example", "password": "acme-admin-demo"}"#,
        r#"{"tenant": "acme", "email": "admin@acme.example", "password": "x", "password": "acme-admin-demo"}"#,
    ] {
        let answer = post_to(&app, "/api/v1/auth/token", "application/json", body).await;
        let problem = assert_problem(answer, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["code"], "invalid_shape", "{problem}");
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(detail.starts_with("duplicate key `"), "{problem}");
    }
    // Each key once, the same credentials sign in.
    let once =
        r#"{"tenant": "acme", "email": "admin@acme.example", "password": "acme-admin-demo"}"#;
    let answer = post_to(&app, "/api/v1/auth/token", "application/json", once).await;
    assert_eq!(answer.status().as_u16(), 200);
}

async fn wrong_content_type_is_415(backend: Backend) {
    let app = app_with_echo(backend).await;
    assert_problem(
        post_raw(&app, "text/plain", r#"{"name":"a","count":1}"#).await,
        415,
        "unsupported_content_type",
    )
    .await;
}

async fn body_over_the_limit_is_413(backend: Backend) {
    let app = app_with_echo(backend).await;
    let big = format!(r#"{{"name":"{}","count":1}}"#, "x".repeat(4096));
    assert_problem(
        post_raw(&app, "application/json", big).await,
        413,
        "body_too_large",
    )
    .await;
    // The server stays usable after rejecting it.
    assert_eq!(app.get_health().await.status().as_u16(), 200);
}

/// docs/errors.md has a section per code with the code's status, and nothing else.
#[test]
fn every_error_code_is_documented_with_its_status() {
    use helpdesk::error::Code;
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/errors.md"))
        .expect("docs/errors.md");
    let mut documented = std::collections::BTreeMap::new();
    let mut lines = doc.lines().filter(|l| !l.trim().is_empty());
    while let Some(line) = lines.next() {
        if let Some(code) = line.strip_prefix("### ") {
            let status: u16 = lines
                .next()
                .and_then(|l| l.strip_prefix("Status "))
                .and_then(|l| l.get(..3))
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("### {code} must be followed by `Status NNN.`"));
            documented.insert(code.to_owned(), status);
        }
    }
    for code in Code::ALL {
        assert_eq!(
            documented.get(code.as_str()),
            Some(&code.status()),
            "docs/errors.md: {code} must be documented with status {}",
            code.status()
        );
    }
    for code in documented.keys() {
        assert!(
            Code::ALL.iter().any(|c| c.as_str() == code),
            "docs/errors.md documents {code}, which the API no longer has"
        );
    }
}
