//! Data rights: an admin exports everything held about one person as one bundle, and
//! erases it everywhere while counts and timestamps stay; both are audited. Run on SQLite
//! and on PostgreSQL.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, seed_and_sign_in, sign_in, spawn_app};

const SECRET_LINE: &str = "My phone is +44 20 7946 0958 and I live at 221 Baker Street";

/// A customer with a ticket and a comment, and a visitor whose chat handed off to a
/// ticket: returns (admin token, customer id, visitor id).
async fn someone_to_ask_about(app: &TestApp) -> (String, String, String) {
    let admin = seed_and_sign_in(app, "acme", "admin").await;
    let customer = sign_in(app, "acme", "customer").await;
    let me = app.get_json(&customer, "/api/v1/me").await;
    let ticket = app
        .open_ticket(&customer, "Laptop will not boot", SECRET_LINE)
        .await;
    let id = ticket["id"].as_str().expect("id");
    let comment = app
        .post_json(
            Some(&customer),
            &format!("/api/v1/tickets/{id}/comments"),
            &json!({"body": "Still broken, call me back please"}),
        )
        .await;
    assert_eq!(comment.status().as_u16(), 201);

    let visitor = app
        .post_json(None, "/api/v1/tenants/acme/visitor-token", &json!({}))
        .await
        .json::<Value>()
        .await
        .expect("visitor token");
    let visitor_token = visitor["access_token"].as_str().expect("token").to_owned();
    let visitor_id = jwt_subject(&visitor_token);
    for message in ["Where is the cafeteria on Mars?", "talk to a human"] {
        let answered = app
            .post_json(
                Some(&visitor_token),
                "/api/v1/chat",
                &json!({"message": message}),
            )
            .await;
        assert_eq!(answered.status().as_u16(), 200, "{message}");
    }
    (admin, me["id"].as_str().expect("id").to_owned(), visitor_id)
}

fn jwt_subject(token: &str) -> String {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64");
    let claims: Value = serde_json::from_slice(&bytes).expect("claims");
    claims["sub"].as_str().expect("sub").to_owned()
}

async fn export(app: &TestApp, admin: &str, id: &str) -> Value {
    app.get_json(admin, &format!("/api/v1/people/{id}/export"))
        .await
}

async fn rights_are_honoured(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, customer, visitor) = someone_to_ask_about(&app).await;

    let bundle = export(&app, &admin, &customer).await;
    assert_eq!(bundle["account"]["id"], customer.as_str());
    let tickets = bundle["tickets"].as_array().expect("tickets");
    let mine = tickets
        .iter()
        .find(|t| t["body"] == SECRET_LINE)
        .expect("the ticket as written");
    assert!(
        mine["comments"]
            .as_array()
            .expect("comments")
            .iter()
            .any(|c| c["body"] == "Still broken, call me back please"),
        "{mine}"
    );
    let visitor_bundle = export(&app, &admin, &visitor).await;
    let sessions = visitor_bundle["chat_sessions"]
        .as_array()
        .expect("sessions");
    assert!(
        sessions
            .iter()
            .flat_map(|s| s["messages"].as_array().cloned().unwrap_or_default())
            .any(|m| m["content"] == "Where is the cafeteria on Mars?"),
        "{visitor_bundle}"
    );
    assert!(
        !visitor_bundle["knowledge_gaps"]
            .as_array()
            .expect("gaps")
            .is_empty(),
        "the unanswered question is a knowledge gap: {visitor_bundle}"
    );

    let ticket_count = tickets.len();
    for person in [&customer, &visitor] {
        let erased = app
            .post_json(
                Some(&admin),
                &format!("/api/v1/people/{person}/erase"),
                &json!({}),
            )
            .await;
        assert_eq!(erased.status().as_u16(), 200);
    }
    let after = export(&app, &admin, &customer).await;
    assert_eq!(after["account"]["display_name"], "Erased person");
    assert!(after["account"]["disabled"].as_bool().unwrap_or(false));
    let after_tickets = after["tickets"].as_array().expect("tickets");
    assert_eq!(after_tickets.len(), ticket_count, "rows and counts stay");
    let text = after.to_string();
    for gone in [SECRET_LINE, "Still broken", "customer@acme.example"] {
        assert!(!text.contains(gone), "{gone} survived the erasure: {text}");
    }
    assert!(after_tickets.iter().all(|t| t["created_at"].is_string()));
    let visitor_after = export(&app, &admin, &visitor).await.to_string();
    assert!(!visitor_after.contains("cafeteria"), "{visitor_after}");
    // The erased customer can no longer sign in.
    let refused = app
        .post_json(
            None,
            "/api/v1/auth/token",
            &json!({"tenant": "acme", "email": "customer@acme.example",
                    "password": helpdesk::cli::seed::demo_password("acme", "customer")}),
        )
        .await;
    assert_eq!(refused.status().as_u16(), 401);

    // Both rights are audited.
    let log = app.get_json(&admin, "/api/v1/audit?limit=200").await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["action"].as_str())
        .collect();
    assert!(actions.contains(&"person.exported"), "{actions:?}");
    assert!(actions.contains(&"person.erased"), "{actions:?}");

    // Staff are not erased this way; unknown ids are 404; only admins may ask.
    let me = app.get_json(&admin, "/api/v1/me").await;
    let staff = app
        .post_json(
            Some(&admin),
            &format!("/api/v1/people/{}/erase", me["id"].as_str().expect("id")),
            &json!({}),
        )
        .await;
    assert_eq!(staff.status().as_u16(), 409);
    let unknown = app
        .get_as(
            &admin,
            &format!("/api/v1/people/{}/export", uuid::Uuid::new_v4()),
        )
        .await;
    assert_eq!(unknown.status().as_u16(), 404);
    let agent = sign_in(&app, "acme", "agent").await;
    let forbidden = app
        .get_as(&agent, &format!("/api/v1/people/{customer}/export"))
        .await;
    assert_eq!(forbidden.status().as_u16(), 403);
    // Another tenant's admin finds nothing about this person.
    let other = sign_in(&app, "globex", "admin").await;
    let elsewhere = app
        .get_as(&other, &format!("/api/v1/people/{visitor}/export"))
        .await;
    assert_eq!(elsewhere.status().as_u16(), 404);
}

#[tokio::test]
async fn people_are_exported_and_erased_on_sqlite() {
    rights_are_honoured(Backend::Sqlite).await;
}

#[tokio::test]
async fn people_are_exported_and_erased_on_postgres() {
    rights_are_honoured(Backend::Postgres).await;
}

/// A tenant that chooses `privacy.store_redacted` keeps new tickets and comments redacted;
/// the default keeps what the customer wrote.
#[tokio::test]
async fn tenants_can_choose_to_store_tickets_redacted() {
    let app = spawn_app(Backend::Postgres).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let customer = sign_in(&app, "acme", "customer").await;
    let kept = app.open_ticket(&customer, "Callback", SECRET_LINE).await;
    assert_eq!(kept["body"], SECRET_LINE);

    let chosen = app
        .patch_json(
            &admin,
            "/api/v1/tenant/settings",
            &[],
            &json!({"privacy": {"store_redacted": true}}),
        )
        .await;
    assert_eq!(chosen.status().as_u16(), 200);
    let ticket = app
        .open_ticket(&customer, "Call me on +44 20 7946 0958", SECRET_LINE)
        .await;
    assert_eq!(ticket["subject"], "Call me on [PHONE_1]");
    assert_eq!(
        ticket["body"],
        "My phone is [PHONE_1] and I live at [ADDRESS_1]"
    );
    let id = ticket["id"].as_str().expect("id");
    let comment = app
        .post_json(
            Some(&customer),
            &format!("/api/v1/tickets/{id}/comments"),
            &json!({"body": "or mail jane.roe@example.com or call +1 202 555 0143"}),
        )
        .await;
    assert_eq!(comment.status().as_u16(), 201);
    let comments = app
        .get_json(&admin, &format!("/api/v1/tickets/{id}/comments"))
        .await;
    let text = comments.to_string();
    // Numbers go on from the ticket's own: [PHONE_1] is taken by the ticket's number.
    assert!(
        text.contains("or mail [EMAIL_1] or call [PHONE_2]"),
        "{text}"
    );
    assert!(!text.contains("jane.roe"), "{text}");
}
