//! The audit log: security events recorded as they happen, read by admins in filtered
//! cursor pages, a hash chain `helpdesk audit verify` checks (and a direct edit breaks),
//! and on PostgreSQL an application role that may add records but never change them.

use std::process::Command;

use sea_orm::{ConnectionTrait as _, Database, DbBackend, Statement};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, seed_and_sign_in, sign_in, spawn_app};

/// Every action of the tenant's log, newest first, read through the API by `admin`.
async fn actions(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let page = app
        .get_json(admin, &format!("/api/v1/audit?limit=200{query}"))
        .await;
    page["items"].as_array().cloned().unwrap_or_default()
}

fn named<'a>(items: &'a [Value], action: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["action"] == action).collect()
}

/// Signs in, fails a sign-in, changes a role, disables an account, moves a ticket and
/// changes a setting: each leaves one record naming who did it.
async fn security_events(app: &TestApp) -> (String, Value) {
    let admin = seed_and_sign_in(app, "acme", "admin").await;
    let agent = sign_in(app, "acme", "agent").await;
    let wrong = app
        .post_json(
            None,
            "/api/v1/auth/token",
            &json!({"tenant": "acme", "email": "agent@acme.example", "password": "not it"}),
        )
        .await;
    assert_eq!(wrong.status().as_u16(), 401);
    let me = app.get_json(&admin, "/api/v1/me").await;
    let users = app.get_json(&admin, "/api/v1/users").await;
    let customer = users["items"]
        .as_array()
        .or(users.as_array())
        .and_then(|list| list.iter().find(|u| u["role"] == "customer"))
        .cloned()
        .expect("a customer");
    let id = customer["id"].as_str().expect("id");
    let promoted = app
        .patch_json(
            &admin,
            &format!("/api/v1/users/{id}"),
            &[],
            &json!({"role": "agent"}),
        )
        .await;
    assert_eq!(promoted.status().as_u16(), 200);
    let disabled = app
        .post_json(
            Some(&admin),
            &format!("/api/v1/users/{id}/disable"),
            &json!({}),
        )
        .await;
    assert!(disabled.status().is_success(), "{}", disabled.status());
    let ticket = app.open_ticket(&agent, "Printer jam", "Tray 2 jams").await;
    let agent_id = app.get_json(&agent, "/api/v1/me").await["id"].clone();
    let moved = app
        .patch_json(
            &agent,
            &format!("/api/v1/tickets/{}", ticket["id"].as_str().expect("id")),
            &[("if-match", &format!("\"{}\"", ticket["version"]))],
            &json!({"status": "pending", "assignee_id": agent_id}),
        )
        .await;
    assert_eq!(moved.status().as_u16(), 200, "{:?}", moved.text().await);
    let settings = app
        .patch_json(
            &admin,
            "/api/v1/tenant/settings",
            &[],
            &json!({"privacy": {"store_redacted": true}}),
        )
        .await;
    assert_eq!(
        settings.status().as_u16(),
        200,
        "{:?}",
        settings.text().await
    );
    let page = b"# Parking\n\nVisitors park on level 2.\n".to_vec();
    let uploaded = app
        .upload_document(&admin, "parking.md", page.clone(), None)
        .await;
    assert_eq!(uploaded.status().as_u16(), 201);
    let doc: Value = uploaded.json().await.expect("upload");
    let hidden = app
        .upload_document(&admin, "parking.md", page, Some("internal"))
        .await;
    assert_eq!(hidden.status().as_u16(), 201);
    let id = doc["documents"][0]["id"].as_str().expect("doc id");
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/documents/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);
    (admin, me)
}

#[tokio::test]
async fn security_events_are_recorded_and_admins_page_through_them() {
    let app = spawn_app(Backend::Postgres).await;
    let (admin, me) = security_events(&app).await;
    let items = actions(&app, &admin, "").await;
    for action in [
        "tenant.created",
        "user.created",
        "auth.sign_in",
        "auth.sign_in_failed",
        "user.role_changed",
        "user.disabled",
        "ticket.status_changed",
        "ticket.assignee_changed",
        "settings.changed",
        "document.uploaded",
        "document.visibility_changed",
        "document.deleted",
    ] {
        assert!(
            !named(&items, action).is_empty(),
            "no {action} in {items:#?}"
        );
    }
    let role = named(&items, "user.role_changed")[0];
    assert_eq!(role["actor"]["id"], me["id"], "{role}");
    assert_eq!(role["detail"], json!({"from": "customer", "to": "agent"}));
    assert_eq!(
        named(&items, "settings.changed")[0]["detail"],
        json!({"changed": ["privacy"]})
    );
    // Newest first, positions without gaps.
    let seqs: Vec<i64> = items.iter().filter_map(|i| i["seq"].as_i64()).collect();
    assert!(seqs.windows(2).all(|w| w[0] == w[1] + 1), "{seqs:?}");

    // Filters: by action, by actor.
    let failed = actions(&app, &admin, "&action=auth.sign_in_failed").await;
    assert!(!failed.is_empty() && failed.iter().all(|i| i["action"] == "auth.sign_in_failed"));
    let by_admin = actions(
        &app,
        &admin,
        &format!("&actor={}", me["id"].as_str().expect("id")),
    )
    .await;
    assert!(by_admin.iter().all(|i| i["actor"]["id"] == me["id"]));
    assert!(!by_admin.is_empty());

    // Cursor pages cover the log once, in order.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/audit?limit=3&cursor={c}"),
            None => "/api/v1/audit?limit=3".into(),
        };
        let page = app.get_json(&admin, &path).await;
        seen.extend(
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["seq"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), items.len());

    // A bad filter is a 422; staff who are not admins may not read the log.
    for query in ["action=nope", "limit=0", "limit=201"] {
        let bad = app.get_as(&admin, &format!("/api/v1/audit?{query}")).await;
        assert_eq!(bad.status().as_u16(), 422, "{query}");
    }
    let agent = sign_in(&app, "acme", "agent").await;
    assert_eq!(
        app.get_as(&agent, "/api/v1/audit").await.status().as_u16(),
        403
    );
    // Another tenant's admin sees none of it.
    let other = sign_in(&app, "globex", "admin").await;
    let theirs = actions(&app, &other, "").await;
    assert!(
        theirs.iter().all(|i| i["action"] != "user.role_changed"),
        "{theirs:#?}"
    );
}

fn verify(app: &TestApp, tenant: &str) -> (bool, String) {
    let data = tempfile::tempdir().expect("dir");
    let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["audit", "verify", "--tenant", tenant])
        .env("HELPDESK__DATABASE__URL", &app.database.url)
        .env("HELPDESK__DATABASE__ADMIN_URL", &app.database.admin_url)
        .env("HELPDESK__LOG__LEVEL", "error")
        .output()
        .expect("helpdesk runs");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn audit_verify_names_the_first_altered_removed_or_moved_record() {
    let app = spawn_app(Backend::Postgres).await;
    security_events(&app).await;
    let (ok, out) = verify(&app, "acme");
    assert!(ok, "{out}");
    assert!(out.contains("chain intact"), "{out}");

    // The schema owner can still edit rows by hand; the chain shows it.
    let owner = Database::connect(app.database.admin_url.as_str())
        .await
        .expect("owner connects");
    let exec = async |sql: &str| {
        owner
            .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .expect(sql);
    };
    let tenant = "(SELECT id FROM tenants WHERE slug = 'acme')";
    exec(&format!(
        "UPDATE audit_log SET detail = '{{\"from\":\"customer\",\"to\":\"admin\"}}' \
         WHERE tenant_id = {tenant} AND action = 'user.role_changed'"
    ))
    .await;
    let altered: i64 = owner
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT seq FROM audit_log WHERE tenant_id = {tenant} AND action = 'user.role_changed'"
            ),
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get_by_index(0)
        .expect("seq");
    let (ok, out) = verify(&app, "acme");
    assert!(!ok, "an edited record passed: {out}");
    assert!(
        out.contains(&format!("broken at record {altered}: altered")),
        "{out}"
    );

    // Put it back, then remove an earlier record.
    exec(&format!(
        "UPDATE audit_log SET detail = '{{\"from\":\"customer\",\"to\":\"agent\"}}' \
         WHERE tenant_id = {tenant} AND action = 'user.role_changed'"
    ))
    .await;
    assert!(
        verify(&app, "acme").0,
        "restoring the value restores the chain"
    );
    exec(&format!(
        "DELETE FROM audit_log WHERE tenant_id = {tenant} AND seq = 2"
    ))
    .await;
    let (ok, out) = verify(&app, "acme");
    assert!(!ok);
    assert!(out.contains("broken at record 2: missing"), "{out}");

    // Two records swapped (positions renumbered to hide the gap) break it too.
    exec(&format!(
        "UPDATE audit_log SET seq = seq - 1 WHERE tenant_id = {tenant} AND seq > 2"
    ))
    .await;
    let (ok, out) = verify(&app, "acme");
    assert!(!ok);
    assert!(out.contains("broken at record 2"), "{out}");
    // The other tenant's chain is untouched and still verifies.
    assert!(verify(&app, "globex").0);
}

#[tokio::test]
async fn the_application_role_may_add_and_read_audit_records_but_never_change_them() {
    let app = spawn_app(Backend::Postgres).await;
    security_events(&app).await;
    let db = app.db();
    for sql in [
        "UPDATE audit_log SET action = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let err = db
            .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
            .await
            .expect_err(sql);
        assert!(
            err.to_string().contains("permission denied"),
            "{sql}: {err}"
        );
    }
    let grants: Vec<String> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT privilege_type FROM information_schema.role_table_grants \
             WHERE table_name = 'audit_log' AND grantee = current_user ORDER BY 1",
        ))
        .await
        .expect("grants")
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).expect("text"))
        .collect();
    assert_eq!(grants, ["INSERT", "SELECT"]);
}

#[tokio::test]
async fn the_audit_log_works_on_sqlite_too() {
    let app = spawn_app(Backend::Sqlite).await;
    let (admin, _) = security_events(&app).await;
    let items = actions(&app, &admin, "").await;
    assert!(!named(&items, "user.role_changed").is_empty());
    let (ok, out) = verify(&app, "acme");
    assert!(ok, "{out}");
}
