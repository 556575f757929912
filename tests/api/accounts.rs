//! An account's life: a user changes their own password; an admin issues a one-time,
//! expiring reset token; an admin disables a user, whose sign-in, refresh, chat socket and
//! ticket feed all end; refresh tokens have an absolute lifetime.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use sea_orm::{ConnectionTrait as _, Database};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{Backend, TestApp, assert_problem, spawn_app_with};

async fn app(backend: Backend) -> TestApp {
    let app = spawn_app_with(backend, |s| s.auth.recheck_secs = 1, Arc::new(|_| {})).await;
    helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    app
}

async fn post(app: &TestApp, path: &str, token: Option<&str>, body: Value) -> reqwest::Response {
    app.post_json(token, path, &body).await
}

/// Signs in with a password; the whole token pair, or the failed response's status.
async fn sign_in_with(app: &TestApp, role: &str, password: &str) -> Result<Value, u16> {
    let response = post(
        app,
        "/api/v1/auth/token",
        None,
        json!({"tenant": "acme", "email": format!("{role}@acme.example"), "password": password}),
    )
    .await;
    match response.status().as_u16() {
        200 => Ok(response.json().await.expect("json")),
        other => Err(other),
    }
}

/// Signs in with the demo password: the token pair and its access token.
async fn signed_in(app: &TestApp, role: &str) -> (Value, String) {
    let pair = sign_in_with(app, role, &demo(role))
        .await
        .expect("signed in");
    let token = pair["access_token"].as_str().expect("token").to_owned();
    (pair, token)
}

fn demo(role: &str) -> String {
    helpdesk::cli::seed::demo_password("acme", role)
}

async fn refresh(app: &TestApp, pair: &Value) -> u16 {
    post(
        app,
        "/api/v1/auth/refresh",
        None,
        json!({"refresh_token": pair["refresh_token"]}),
    )
    .await
    .status()
    .as_u16()
}

async fn user_id(app: &TestApp, token: &str) -> String {
    let me = app.get_json(token, "/api/v1/me").await;
    me["id"].as_str().expect("id").to_owned()
}

async fn users_change_their_own_password(backend: Backend) {
    let app = app(backend).await;
    let pair = sign_in_with(&app, "agent", &demo("agent"))
        .await
        .expect("signed in");
    let token = pair["access_token"].as_str().expect("token");
    let change = |current: String, new: &'static str| {
        let app = &app;
        async move {
            let body = json!({"current_password": current, "new_password": new});
            post(app, "/api/v1/me/password", Some(token), body).await
        }
    };
    let wrong = change("not it at all".into(), "a brand new passphrase").await;
    let body = assert_problem(wrong, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "wrong_password");
    let short = change(demo("agent"), "short").await;
    let body = assert_problem(short, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "new_password");
    let changed = change(demo("agent"), "a brand new passphrase").await;
    assert_eq!(changed.status().as_u16(), 204);
    assert_eq!(refresh(&app, &pair).await, 401, "other sign-ins end");
    assert_eq!(
        sign_in_with(&app, "agent", &demo("agent")).await.err(),
        Some(401)
    );
    sign_in_with(&app, "agent", "a brand new passphrase")
        .await
        .expect("the new password works");
}

async fn admins_issue_one_time_reset_tokens(backend: Backend) {
    let app = app(backend).await;
    let (_, admin) = signed_in(&app, "admin").await;
    let (agent, agent_token) = signed_in(&app, "agent").await;
    let agent_id = user_id(&app, &agent_token).await;
    let path = format!("/api/v1/users/{agent_id}/password-reset");

    // Only admins issue them.
    assert_problem(
        post(&app, &path, Some(&agent_token), json!({})).await,
        403,
        "action_forbidden",
    )
    .await;
    let issued = post(&app, &path, Some(&admin), json!({})).await;
    assert_eq!(issued.status().as_u16(), 201);
    let issued: Value = issued.json().await.expect("json");
    let reset = issued["reset_token"].as_str().expect("token").to_owned();
    assert!(issued["expires_at"].is_string());

    let redeem = |token: String, password: &'static str| {
        let app = &app;
        async move {
            post(
                app,
                "/api/v1/auth/password-reset",
                None,
                json!({"token": token, "new_password": password}),
            )
            .await
        }
    };
    assert_problem(
        redeem(reset.clone(), "short").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        redeem(reset.clone(), "reset by the admin 1")
            .await
            .status()
            .as_u16(),
        204
    );
    // Once only.
    assert_problem(
        redeem(reset, "reset by the admin 2").await,
        401,
        "invalid_reset_token",
    )
    .await;
    assert_eq!(refresh(&app, &agent).await, 401, "the agent's sign-ins end");
    sign_in_with(&app, "agent", "reset by the admin 1")
        .await
        .expect("the reset password works");

    // An expired token is refused like an unknown one; so is a made-up one.
    let issued: Value = post(&app, &path, Some(&admin), json!({}))
        .await
        .json()
        .await
        .expect("json");
    let stale = issued["reset_token"].as_str().expect("token").to_owned();
    let db = Database::connect(&app.database.admin_url)
        .await
        .expect("admin db");
    db.execute_unprepared("UPDATE password_resets SET expires_at = created_at")
        .await
        .expect("expire");
    assert_problem(
        redeem(stale, "too late for this one").await,
        401,
        "invalid_reset_token",
    )
    .await;
    assert_problem(
        redeem("not-a-token".into(), "whatever it may be").await,
        401,
        "invalid_reset_token",
    )
    .await;
}

async fn disabled_users_are_shut_out_everywhere(backend: Backend) {
    let app = app(backend).await;
    let (_, admin) = signed_in(&app, "admin").await;
    let (agent, agent_token) = signed_in(&app, "agent").await;
    let (customer, customer_token) = signed_in(&app, "customer").await;

    let mut feed = app
        .client
        .get(app.url(&format!("/api/v1/tickets/feed?access_token={agent_token}")))
        .send()
        .await
        .expect("sent");
    let mut seen = String::new();
    crate::web::read_until(&mut feed, &mut seen, "event: ready").await;
    let mut socket = app.chat_socket(&customer_token).await;

    // An admin cannot lock themselves out.
    let own = user_id(&app, &admin).await;
    let path = |id: &str, what: &str| format!("/api/v1/users/{id}/{what}");
    assert_problem(
        post(&app, &path(&own, "disable"), Some(&admin), json!({})).await,
        409,
        "cannot_change_own_account",
    )
    .await;

    for token in [&agent_token, &customer_token] {
        let id = user_id(&app, token).await;
        let disabled = post(&app, &path(&id, "disable"), Some(&admin), json!({})).await;
        assert_eq!(disabled.status().as_u16(), 200);
        let view: Value = disabled.json().await.expect("json");
        assert_eq!(view["disabled"], true);
    }
    // The feed says so and ends; the socket closes, within seconds.
    crate::web::read_until(&mut feed, &mut seen, "event: ended").await;
    let closed = tokio::time::timeout(Duration::from_secs(15), async {
        while let Some(Ok(message)) = socket.socket.next().await {
            if let Message::Close(frame) = message {
                return frame.map(|f| f.reason.to_string());
            }
        }
        None
    })
    .await
    .expect("closed within 15 s");
    assert_eq!(closed.as_deref(), Some("session ended"));

    // Sign-in answers like a wrong password; refresh is refused.
    let refused = post(
        &app,
        "/api/v1/auth/token",
        None,
        json!({"tenant": "acme", "email": "agent@acme.example", "password": demo("agent")}),
    )
    .await;
    let body = assert_problem(refused, 401, "invalid_credentials").await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(helpdesk::auth::INVALID_CREDENTIALS)
    );
    assert_eq!(refresh(&app, &agent).await, 401);
    assert_eq!(refresh(&app, &customer).await, 401);

    // Enabled again, the agent signs in.
    let id = user_id(&app, &agent_token).await;
    let enabled = post(&app, &path(&id, "enable"), Some(&admin), json!({})).await;
    assert_eq!(enabled.status().as_u16(), 200);
    sign_in_with(&app, "agent", &demo("agent"))
        .await
        .expect("enabled again");
}

async fn refresh_tokens_have_an_absolute_lifetime(backend: Backend) {
    let app = app(backend).await;
    let pair = sign_in_with(&app, "agent", &demo("agent"))
        .await
        .expect("agent");
    // Rotation keeps the family's start: a session a year old cannot be refreshed on.
    let db = Database::connect(&app.database.admin_url)
        .await
        .expect("admin db");
    let backdate = match backend {
        Backend::Postgres => {
            "UPDATE refresh_tokens SET family_started_at = family_started_at - INTERVAL '365 days'"
        }
        Backend::Sqlite => {
            "UPDATE refresh_tokens SET family_started_at = '2020-01-01T00:00:00+00:00'"
        }
    };
    db.execute_unprepared(backdate).await.expect("backdate");
    assert_eq!(refresh(&app, &pair).await, 401);
    // A fresh sign-in starts a fresh family.
    let fresh = sign_in_with(&app, "agent", &demo("agent"))
        .await
        .expect("agent");
    assert_eq!(refresh(&app, &fresh).await, 200);
}

crate::on_both_backends!(
    users_change_their_own_password,
    admins_issue_one_time_reset_tokens,
    disabled_users_are_shut_out_everywhere,
    refresh_tokens_have_an_absolute_lifetime,
    users_named_on_tickets_cannot_be_deleted,
);

/// A customer who opened tickets stays (the tickets keep their requester): deleting them is
/// a 409, on SQLite too, where the restriction fails through SQLite's trigger machinery.
async fn users_named_on_tickets_cannot_be_deleted(backend: Backend) {
    let app = app(backend).await;
    let admin = crate::helpers::sign_in(&app, "acme", "admin").await;
    let users: Value = app
        .client
        .get(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    let customer = users
        .as_array()
        .and_then(|all| all.iter().find(|u| u["role"] == "customer"))
        .and_then(|u| u["id"].as_str())
        .expect("a seeded customer")
        .to_owned();
    let response = app
        .client
        .delete(app.url(&format!("/api/v1/users/{customer}")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent");
    assert_problem(response, 409, "user_in_use").await;
}
