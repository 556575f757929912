//! The built-in issuer: sign-in, token verification, refresh rotation, lockout, discovery.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use helpdesk::auth::{INVALID_CREDENTIALS, TokenRole, issue_access_token, issue_token};
use helpdesk::cli::seed;
use helpdesk::tenancy::{Role, TenantId, UserId};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_problem, spawn_app};

crate::on_both_backends!(
    sign_in_then_call_the_api,
    bad_tokens_are_rejected_with_401,
    refresh_tokens_rotate_and_reuse_revokes_the_family,
    unknown_accounts_and_wrong_passwords_look_the_same,
    repeated_failures_slow_that_client_never_the_account,
    rotated_signing_keys_keep_verifying,
    operators_create_tenants_with_their_first_admin,
    visitors_get_a_token_for_one_tenant,
    sign_in_attempts_are_throttled_alike,
);

async fn seeded(backend: Backend) -> (TestApp, seed::Manifest) {
    let app = spawn_app(backend).await;
    let (manifest, _) = seed::seed(app.db()).await.expect("seed");
    (app, manifest)
}

async fn post_json(app: &TestApp, path: &str, body: Value) -> reqwest::Response {
    app.post_json(None, path, &body).await
}

async fn sign_in(app: &TestApp, tenant: &str, role: &str) -> Value {
    app.sign_in_pair(tenant, role).await
}

async fn get_me(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent")
}

async fn sign_in_then_call_the_api(backend: Backend) {
    let (app, manifest) = seeded(backend).await;
    let pair = sign_in(&app, "acme", "agent").await;
    assert_eq!(pair["token_type"], "Bearer");
    let token = pair["access_token"].as_str().expect("access token");

    let me: Value = get_me(&app, token).await.json().await.expect("me");
    assert_eq!(me["email"], "agent@acme.example");
    assert_eq!(me["role"], "agent");
    assert_eq!(me["tenant_id"], json!(manifest.tenants[0].id));

    // The token names its key, and the JWKS publishes it.
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().expect("header"))
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(header["alg"], "EdDSA");
    let jwks: Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .expect("jwks");
    assert!(
        jwks["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| k["kid"] == header["kid"])
    );
    let discovery: Value = app
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .expect("oidc");
    assert_eq!(discovery["issuer"], app.state.auth.settings.issuer.as_str());
    assert!(
        discovery["jwks_uri"]
            .as_str()
            .expect("uri")
            .ends_with("/.well-known/jwks.json")
    );
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("json"))
}

async fn bad_tokens_are_rejected_with_401(backend: Backend) {
    let (app, manifest) = seeded(backend).await;
    let pair = sign_in(&app, "acme", "customer").await;
    let good = pair["access_token"].as_str().expect("token").to_owned();
    let parts: Vec<&str> = good.split('.').collect();
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");

    let keys = app.state.auth.keys(app.db()).await.expect("keys");
    let settings = app.state.auth.settings.clone();
    let tenant = manifest.tenants[0].id;
    let user = UserId(manifest.tenants[0].users[2].id);
    let sign = |edit: &dyn Fn(&mut helpdesk::config::AuthSettings)| {
        let mut custom = settings.clone();
        edit(&mut custom);
        issue_access_token(&keys, &custom, tenant, user, Role::Customer).expect("signed")
    };
    let expired = sign(&|s| s.access_ttl_secs = -3600);
    let wrong_issuer = sign(&|s| s.issuer = "https://evil.example".into());
    let wrong_audience = sign(&|s| s.audience = "someone-else".into());

    let mut none_header = header.clone();
    none_header["alg"] = json!("none");
    let alg_none = format!("{}.{}.", b64(&none_header), parts[1]);

    let other_key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let der = {
        use ed25519_dalek::pkcs8::EncodePrivateKey as _;
        other_key.to_pkcs8_der().expect("der")
    };
    let mut jwt_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    jwt_header.kid = header["kid"].as_str().map(str::to_owned);
    let wrong_key = jsonwebtoken::encode(
        &jwt_header,
        &claims,
        &jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
    )
    .expect("signed with another key");

    claims["role"] = json!("admin");
    let tampered = format!("{}.{}.{}", parts[0], b64(&claims), parts[2]);

    let missing = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("sent");
    let body = assert_problem(missing, 401, "missing_token").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("missing bearer token")
    );

    for (name, token) in [
        ("alg none", alg_none.as_str()),
        ("wrong key", wrong_key.as_str()),
        ("expired", expired.as_str()),
        ("wrong issuer", wrong_issuer.as_str()),
        ("wrong audience", wrong_audience.as_str()),
        ("tampered payload", tampered.as_str()),
        ("garbage", "not.a.jwt"),
    ] {
        let response = get_me(&app, token).await;
        assert_eq!(response.status().as_u16(), 401, "{name}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{name}");
        assert_problem(response, 401, "invalid_token").await;
    }
    // The genuine token still works, so the rejections above are about the tokens.
    assert_eq!(get_me(&app, &good).await.status().as_u16(), 200);
}

async fn refresh_tokens_rotate_and_reuse_revokes_the_family(backend: Backend) {
    let (app, _) = seeded(backend).await;
    let first = sign_in(&app, "globex", "admin").await;
    let r1 = first["refresh_token"].as_str().expect("refresh").to_owned();

    let second: Value = post_json(&app, "/api/v1/auth/refresh", json!({"refresh_token": r1}))
        .await
        .json()
        .await
        .expect("rotated");
    let r2 = second["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();
    assert_ne!(r1, r2);
    assert_eq!(
        get_me(&app, second["access_token"].as_str().expect("at"))
            .await
            .status()
            .as_u16(),
        200
    );

    // Reusing the rotated token: refused, and the family (r2 too) is revoked.
    let reuse = post_json(&app, "/api/v1/auth/refresh", json!({"refresh_token": r1})).await;
    assert_problem(reuse, 401, "invalid_token").await;
    let after = post_json(&app, "/api/v1/auth/refresh", json!({"refresh_token": r2})).await;
    assert_problem(after, 401, "invalid_token").await;

    // Logout revokes a fresh family.
    let third = sign_in(&app, "globex", "admin").await;
    let r3 = third["refresh_token"].as_str().expect("refresh").to_owned();
    let logout = post_json(&app, "/api/v1/auth/logout", json!({"refresh_token": r3})).await;
    assert_eq!(logout.status().as_u16(), 204);
    let after_logout = post_json(&app, "/api/v1/auth/refresh", json!({"refresh_token": r3})).await;
    assert_problem(after_logout, 401, "invalid_token").await;

    // A token naming another tenant finds nothing there.
    let forged = format!("{}.{}", TenantId::new(), r3.split_once('.').expect("dot").1);
    let response = post_json(
        &app,
        "/api/v1/auth/refresh",
        json!({"refresh_token": forged}),
    )
    .await;
    assert_problem(response, 401, "invalid_token").await;
}

async fn unknown_accounts_and_wrong_passwords_look_the_same(backend: Backend) {
    let (app, _) = seeded(backend).await;
    let mut bodies = Vec::new();
    for (tenant, email, password) in [
        ("acme", "agent@acme.example", "wrong password!!"),
        ("acme", "nobody@acme.example", "wrong password!!"),
        ("no-such-tenant", "agent@acme.example", "acme-agent-demo"),
        ("globex", "agent@acme.example", "acme-agent-demo"),
    ] {
        let response = post_json(
            &app,
            "/api/v1/auth/token",
            json!({"tenant": tenant, "email": email, "password": password}),
        )
        .await;
        let mut body = assert_problem(response, 401, "invalid_credentials").await;
        assert!(
            body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(INVALID_CREDENTIALS)
        );
        let fields = body.as_object_mut().expect("object");
        fields.remove("request_id");
        fields.remove("trace_id");
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
}

async fn repeated_failures_slow_that_client_never_the_account(backend: Backend) {
    // The test client stands behind a trusted proxy and names itself in X-Forwarded-For.
    let app = crate::helpers::spawn_app_with(
        backend,
        |s| s.server.trusted_proxies = vec!["127.0.0.1".into()],
        std::sync::Arc::new(|_| {}),
    )
    .await;
    seed::seed(app.db()).await.expect("seed");
    let attempt = |client: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/v1/auth/token"))
                .header("x-forwarded-for", client)
                .json(&json!({"tenant": "acme", "email": "customer@acme.example", "password": password}))
                .send()
                .await
                .expect("sent")
        }
    };
    let max = app.state.auth.settings.max_failed_logins;
    for _ in 0..max {
        let response = attempt("198.51.100.7", "not the password").await;
        assert_eq!(response.status().as_u16(), 401);
    }
    // That client now waits, whatever it sends, and the wait grows with each failure.
    let response = attempt("198.51.100.7", "acme-customer-demo").await;
    let retry = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("Retry-After");
    assert_problem(response, 429, "rate_limited").await;
    assert!(retry >= 1, "{retry}");
    // The owner, from their own address, signs in at once: nobody can lock them out.
    let owner = attempt("203.0.113.20", "acme-customer-demo").await;
    assert_eq!(owner.status().as_u16(), 200);
    // Rotating within one IPv6 /64 is the same client.
    for _ in 0..max {
        attempt("2001:db8:7:7::1", "wrong").await;
    }
    let rotated = attempt("2001:db8:7:7::ffff", "wrong").await;
    assert_eq!(rotated.status().as_u16(), 429);
    // Other accounts are unaffected.
    sign_in(&app, "acme", "agent").await;
}

async fn rotated_signing_keys_keep_verifying(backend: Backend) {
    let (app, manifest) = seeded(backend).await;
    let old = sign_in(&app, "acme", "admin").await["access_token"]
        .as_str()
        .expect("at")
        .to_owned();
    app.state.auth.rotate_keys(app.db()).await.expect("rotate");
    let new = sign_in(&app, "acme", "admin").await["access_token"]
        .as_str()
        .expect("at")
        .to_owned();
    let kid = |token: &str| -> Value {
        serde_json::from_slice::<Value>(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').next().expect("h"))
                .expect("b64"),
        )
        .expect("json")["kid"]
            .clone()
    };
    assert_ne!(kid(&old), kid(&new));
    let jwks: Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .expect("jwks");
    assert_eq!(jwks["keys"].as_array().expect("keys").len(), 2);
    assert_eq!(
        get_me(&app, &old).await.status().as_u16(),
        200,
        "old key still verifies"
    );
    assert_eq!(get_me(&app, &new).await.status().as_u16(), 200);

    // Rotated elsewhere (another replica, `helpdesk rotate-keys`): a token under the newest
    // key is accepted once this server reloads its ring on the unknown kid.
    let max_age = app.state.auth.settings.max_token_age();
    let elsewhere = helpdesk::auth::KeyRing::rotate(app.db(), max_age)
        .await
        .expect("rotate");
    let acme = &manifest.tenants[0];
    let admin = UserId(
        acme.users
            .iter()
            .find(|u| u.role == "admin")
            .expect("admin")
            .id,
    );
    let token = issue_access_token(
        &elsewhere,
        &app.state.auth.settings,
        acme.id,
        admin,
        Role::Admin,
    )
    .expect("signed elsewhere");
    assert_ne!(kid(&token), kid(&new));
    assert_eq!(
        get_me(&app, &token).await.status().as_u16(),
        200,
        "new key picked up"
    );
}

async fn operators_create_tenants_with_their_first_admin(backend: Backend) {
    let (app, _) = seeded(backend).await;
    let keys = app.state.auth.keys(app.db()).await.expect("keys");
    let settings = &app.state.auth.settings;
    let operator =
        issue_token(&keys, settings, "ops", None, TokenRole::Operator, 300).expect("token");
    let body = json!({"slug": "initech", "name": "Initech", "plan": "team",
        "admin": {"email": "boss@initech.example", "role": "admin", "display_name": "Bill",
                  "password": "a long enough password"}});

    let agent = sign_in(&app, "acme", "admin").await["access_token"]
        .as_str()
        .expect("at")
        .to_owned();
    let response = app
        .client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&agent)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 403, "operator_only").await;

    let response = app
        .client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&operator)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 201);
    let created: Value = response.json().await.expect("json");
    assert_eq!(created["tenant"]["slug"], "initech");
    assert_eq!(created["admin"]["role"], "admin");

    // The new admin signs in; an operator token is no tenant user.
    let response = post_json(&app, "/api/v1/auth/token",
        json!({"tenant": "initech", "email": "boss@initech.example", "password": "a long enough password"})).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_problem(get_me(&app, &operator).await, 403, "tenant_token_required").await;

    let response = app
        .client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&operator)
        .json(&body)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 409, "tenant_slug_taken").await;
    let mut bad = body.clone();
    bad["slug"] = json!("Not A Slug");
    bad["admin"]["email"] = json!("nope");
    let response = app
        .client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&operator)
        .json(&bad)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 422, "validation_failed").await;
}

async fn visitors_get_a_token_for_one_tenant(backend: Backend) {
    let (app, manifest) = seeded(backend).await;
    let response = post_json(&app, "/api/v1/tenants/acme/visitor-token", json!({})).await;
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("json");
    let token = body["access_token"].as_str().expect("token");
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).expect("payload"))
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(claims["role"], "visitor");
    assert_eq!(claims["tenant_id"], json!(manifest.tenants[0].id));
    // A visitor chats; it does not read tickets.
    let response = app
        .client
        .get(app.url("/api/v1/tickets"))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 403, "action_forbidden").await;

    let response = post_json(
        &app,
        "/api/v1/tenants/no-such-tenant/visitor-token",
        json!({}),
    )
    .await;
    assert_problem(response, 404, "tenant_not_found").await;

    let budget = app.state.auth.settings.visitor_tokens_per_minute;
    let mut statuses = Vec::new();
    for _ in 0..budget {
        statuses.push(
            post_json(&app, "/api/v1/tenants/acme/visitor-token", json!({}))
                .await
                .status()
                .as_u16(),
        );
    }
    let limited = post_json(&app, "/api/v1/tenants/acme/visitor-token", json!({})).await;
    assert!(limited.headers().contains_key("retry-after"));
    assert_problem(limited, 429, "rate_limited").await;
    assert!(
        statuses.contains(&429),
        "the budget of {budget} a minute was already spent: {statuses:?}"
    );
}

async fn sign_in_attempts_are_throttled_alike(backend: Backend) {
    let (app, _) = seeded(backend).await;
    // Known and unknown accounts alike: the free failures, then a wait.
    let budget = app.state.auth.settings.max_failed_logins;
    for email in ["agent@acme.example", "ghost@acme.example"] {
        for _ in 0..budget {
            let response = post_json(
                &app,
                "/api/v1/auth/token",
                json!({"tenant": "acme", "email": email, "password": "wrong password!!"}),
            )
            .await;
            assert_eq!(response.status().as_u16(), 401);
        }
        let response = post_json(
            &app,
            "/api/v1/auth/token",
            json!({"tenant": "acme", "email": email, "password": "wrong password!!"}),
        )
        .await;
        assert!(response.headers().contains_key("retry-after"));
        assert_problem(response, 429, "rate_limited").await;
    }
}
