//! Tokens of an external identity provider, served by the test itself over HTTP.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::EncodePrivateKey as _;
use helpdesk::cli::seed;
use helpdesk::config::TrustedIssuer;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, spawn_app_with};

crate::on_both_backends!(external_tokens_map_to_tenant_and_role);

/// A minimal identity provider: a JWKS endpoint whose keys the test can swap.
struct Provider {
    url: String,
    jwks: Arc<Mutex<Value>>,
    fetches: Arc<AtomicUsize>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Provider {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

fn key(seed: u8) -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&[seed; 32])
}

fn jwk(seed: u8, kid: &str) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": kid,
           "x": URL_SAFE_NO_PAD.encode(key(seed).verifying_key().to_bytes())})
}

async fn start_provider() -> Provider {
    let jwks = Arc::new(Mutex::new(json!({"keys": [jwk(1, "key-1")]})));
    let fetches = Arc::new(AtomicUsize::new(0));
    let (served, counter) = (jwks.clone(), fetches.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(move || {
        let (served, counter) = (served.clone(), counter.clone());
        App::new().route(
            "/jwks.json",
            web::get().to(move || {
                let (served, counter) = (served.clone(), counter.clone());
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let body = served.lock().expect("lock").clone();
                    HttpResponse::Ok().json(body)
                }
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .expect("listen")
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    Provider {
        url: format!("http://127.0.0.1:{port}"),
        jwks,
        fetches,
        handle,
    }
}

fn sign(provider: &Provider, seed: u8, kid: &str, claims: Value) -> String {
    let der = key(seed).to_pkcs8_der().expect("der");
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    header.kid = Some(kid.into());
    let mut claims = claims;
    let now = chrono::Utc::now().timestamp();
    let defaults = json!({"iss": provider.url, "aud": "helpdesk-ext", "sub": "alice@idp",
                          "org": "acme", "hd_role": "agent", "iat": now, "exp": now + 300});
    for (k, v) in defaults.as_object().expect("object") {
        if claims.get(k).is_none() {
            claims[k] = v.clone();
        }
    }
    jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
    )
    .expect("sign")
}

async fn app_trusting(backend: Backend, provider: &Provider, min_refetch_secs: u64) -> TestApp {
    let issuer = TrustedIssuer {
        issuer: provider.url.clone(),
        audience: "helpdesk-ext".into(),
        jwks_url: format!("{}/jwks.json", provider.url),
        tenant_claim: "org".into(),
        role_claim: "hd_role".into(),
        tenants: vec!["acme".into()],
    };
    let app = spawn_app_with(
        backend,
        move |settings| {
            settings.auth.trusted_issuers = vec![issuer];
            settings.auth.jwks_min_refetch_secs = min_refetch_secs;
        },
        Arc::new(|_| {}),
    )
    .await;
    seed::seed(app.db()).await.expect("seed");
    app
}

async fn list_tickets(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/tickets"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
}

async fn external_tokens_map_to_tenant_and_role(backend: Backend) {
    let provider = start_provider().await;
    let app = app_trusting(backend, &provider, 0).await;

    // An agent of acme, by slug: sees the tenant's tickets.
    let token = sign(&provider, 1, "key-1", json!({}));
    let response = list_tickets(&app, &token).await;
    assert_eq!(response.status().as_u16(), 200);
    let page: Value = response.json().await.expect("json");
    assert_eq!(
        page["items"].as_array().expect("items").len(),
        9,
        "an agent sees all of acme's tickets"
    );

    // A customer mapping sees only their own (none for this external subject).
    let customer = sign(
        &provider,
        1,
        "key-1",
        json!({"hd_role": "customer", "sub": "bob@idp"}),
    );
    let page: Value = list_tickets(&app, &customer)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"].as_array().expect("items").len(), 0);

    // A subject that is a local user's id is still an identity of the issuer's own: it
    // does not act as that user (whose three tickets it would see).
    let local = crate::helpers::sign_in(&app, "acme", "customer").await;
    let me = app.get_json(&local, "/api/v1/me").await;
    let local_id = me["id"].as_str().expect("id");
    let page: Value = list_tickets(&app, &local).await.json().await.expect("json");
    assert_eq!(page["items"].as_array().expect("items").len(), 3);
    let impostor = sign(
        &provider,
        1,
        "key-1",
        json!({"hd_role": "customer", "sub": local_id}),
    );
    let page: Value = list_tickets(&app, &impostor)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["items"].as_array().expect("items").len(), 0, "{page}");

    // Key rotation at the provider: a token under a new kid makes us fetch the JWKS again.
    let before = provider.fetches.load(Ordering::SeqCst);
    *provider.jwks.lock().expect("lock") = json!({"keys": [jwk(2, "key-2")]});
    let rotated = sign(&provider, 2, "key-2", json!({}));
    assert_eq!(list_tickets(&app, &rotated).await.status().as_u16(), 200);
    assert_eq!(provider.fetches.load(Ordering::SeqCst), before + 1);

    for (name, bad) in [
        (
            "wrong audience",
            sign(&provider, 2, "key-2", json!({"aud": "someone-else"})),
        ),
        (
            "no role",
            sign(&provider, 2, "key-2", json!({"hd_role": "root"})),
        ),
        (
            "unknown tenant",
            sign(&provider, 2, "key-2", json!({"org": "nobody"})),
        ),
        (
            "unknown tenant id",
            sign(
                &provider,
                2,
                "key-2",
                json!({"org": uuid::Uuid::new_v4().to_string()}),
            ),
        ),
        (
            "a tenant the issuer is not listed for",
            sign(&provider, 2, "key-2", json!({"org": "globex"})),
        ),
        (
            "expired",
            sign(&provider, 2, "key-2", json!({"exp": 1_000_000})),
        ),
        ("wrong key", sign(&provider, 3, "key-2", json!({}))),
        (
            "untrusted issuer",
            sign(
                &provider,
                2,
                "key-2",
                json!({"iss": "https://evil.example"}),
            ),
        ),
    ] {
        let response = list_tickets(&app, &bad).await;
        assert_eq!(response.status().as_u16(), 401, "{name}");
        assert_problem(response, 401, "invalid_token").await;
    }

    // With a refetch interval, forged kids do not make us hammer the provider.
    let provider = start_provider().await;
    let app = app_trusting(backend, &provider, 3600).await;
    assert_eq!(
        list_tickets(&app, &sign(&provider, 1, "key-1", json!({})))
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(provider.fetches.load(Ordering::SeqCst), 1);
    for i in 0..5 {
        let forged = sign(&provider, 1, &format!("forged-{i}"), json!({}));
        assert_eq!(list_tickets(&app, &forged).await.status().as_u16(), 401);
    }
    assert_eq!(
        provider.fetches.load(Ordering::SeqCst),
        1,
        "unknown kids within the interval are not refetched"
    );
}
