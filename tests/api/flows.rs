//! The cross-domain flows' atomicity: a chat handoff and a new tenant with its admin are
//! each one transaction, on both backends.

use sea_orm::{ConnectionTrait as _, Database};
use serde_json::{Value, json};

use crate::chat::visitor_token;
use crate::helpers::{Backend, TestApp, assert_problem, sign_in, spawn_app};

crate::on_both_backends!(
    concurrent_handoffs_of_one_session_open_one_ticket,
    a_tenant_whose_admin_fails_is_not_created,
);

async fn ticket_count(app: &TestApp, agent: &str) -> usize {
    let page = app.get_json(agent, "/api/v1/tickets?limit=200").await;
    page["items"].as_array().expect("items").len()
}

async fn concurrent_handoffs_of_one_session_open_one_ticket(backend: Backend) {
    let app = spawn_app(backend).await;
    helpdesk::cli::seed::seed(app.db()).await.expect("seed");
    let agent = sign_in(&app, "acme", "agent").await;
    let before = ticket_count(&app, &agent).await;

    // A session with one question the (empty) knowledge base cannot answer.
    let visitor = visitor_token(&app, "acme").await;
    let opened: Value = app
        .post_json(
            Some(&visitor),
            "/api/v1/chat",
            &json!({"message": "Where do I collect my new badge?"}),
        )
        .await
        .json()
        .await
        .expect("json");
    let session = opened["session_id"].as_str().expect("session").to_owned();

    let path = format!("/api/v1/chat/sessions/{session}/handoff");
    let attempts = (0..4).map(|_| app.client.post(app.url(&path)).bearer_auth(&visitor).send());
    let mut tickets = Vec::new();
    for response in futures_util::future::join_all(attempts).await {
        let response = response.expect("sent");
        assert_eq!(response.status().as_u16(), 201);
        let frame: Value = response.json().await.expect("json");
        tickets.push(frame["ticket"]["id"].as_str().expect("ticket").to_owned());
    }
    tickets.dedup();
    assert_eq!(tickets.len(), 1, "every handoff names the same ticket");
    assert_eq!(ticket_count(&app, &agent).await, before + 1);

    let transcript = app
        .get_json(&visitor, &format!("/api/v1/chat/sessions/{session}"))
        .await;
    assert_eq!(transcript["ticket_id"], tickets[0].as_str());
    let notices = transcript["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["role"] == "system")
        .count();
    assert_eq!(notices, 1, "{transcript}");
}

/// A database trigger refuses the admin's row: the failure comes after the tenant's insert,
/// inside the flow's transaction.
async fn refuse_admins_named_refused(app: &TestApp, backend: Backend) {
    let admin = Database::connect(&app.database.admin_url)
        .await
        .expect("admin connection");
    let statements: &[&str] = match backend {
        Backend::Sqlite => &["CREATE TRIGGER refuse_admin BEFORE INSERT ON users \
             WHEN NEW.email LIKE 'refused@%' \
             BEGIN SELECT RAISE(ABORT, 'users_email_refused_by_test'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION refuse_admin() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'users_email_refused_by_test'; END $$",
            "CREATE TRIGGER refuse_admin BEFORE INSERT ON users FOR EACH ROW \
             WHEN (NEW.email LIKE 'refused@%') EXECUTE FUNCTION refuse_admin()",
        ],
    };
    for sql in statements {
        admin.execute_unprepared(sql).await.expect("trigger");
    }
    admin.close().await.expect("close");
}

async fn a_tenant_whose_admin_fails_is_not_created(backend: Backend) {
    let app = spawn_app(backend).await;
    refuse_admins_named_refused(&app, backend).await;
    let operator = app.operator_token().await;
    let create = |email: &str| {
        app.client
            .post(app.url("/api/v1/tenants"))
            .bearer_auth(&operator)
            .json(
                &json!({"slug": "initech", "name": "Initech", "plan": "team",
                "admin": {"email": email, "role": "admin", "display_name": "Bill",
                          "password": "a long enough password"}}),
            )
            .send()
    };

    let failed = create("refused@initech.example").await.expect("sent");
    let problem = assert_problem(failed, 500, "internal").await;
    assert!(
        !problem.to_string().contains("refused_by_test"),
        "database text reached the client: {problem}"
    );
    // No tenant was left behind: its slug is unknown and still free.
    assert_problem(
        app.get("/api/v1/tenants/initech/theme").await,
        404,
        "tenant_not_found",
    )
    .await;
    let created = create("bill@initech.example").await.expect("sent");
    assert_eq!(created.status().as_u16(), 201);
    let body: Value = created.json().await.expect("json");
    assert_eq!(body["tenant"]["slug"], "initech");
    assert_eq!(body["admin"]["email"], "bill@initech.example");
}
