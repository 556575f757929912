//! The access matrix: role × resource × action × same tenant / other tenant, each with the
//! status it must get. Printed as a table of expected vs got; any mismatch fails.

use reqwest::Method;
use serde_json::{Value, json};

use helpdesk::cli::seed::{self, Manifest};

use crate::helpers::{Backend, TestApp, sign_in, spawn_app};

crate::on_both_backends!(
    the_access_matrix_holds,
    ticket_updates_need_the_current_etag
);

/// One row of the matrix: what, which tenant's resource, the request, and the status
/// expected for [admin, agent, customer].
type Case = (
    &'static str,
    &'static str,
    Method,
    String,
    Option<Value>,
    [u16; 3],
);

struct Caller {
    role: &'static str,
    token: String,
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
    if_match: Option<&str>,
) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(etag) = if_match {
        request = request.header("if-match", etag);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn etag_of(app: &TestApp, token: &str, ticket: &str) -> String {
    let response = app
        .client
        .get(app.url(&format!("/api/v1/tickets/{ticket}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("sent");
    response.headers()["etag"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

fn user_id(manifest: &Manifest, tenant: usize, role: &str) -> String {
    manifest.tenants[tenant]
        .users
        .iter()
        .find(|u| u.role == role)
        .expect("seeded role")
        .id
        .to_string()
}

/// The tickets of one seeded requester (three each, in seeding order).
fn tickets_of(manifest: &Manifest, tenant: usize, role: &str) -> Vec<String> {
    let index = manifest.tenants[tenant]
        .users
        .iter()
        .position(|u| u.role == role)
        .expect("role");
    manifest.tenants[tenant].tickets[index * 3..index * 3 + 3]
        .iter()
        .map(ToString::to_string)
        .collect()
}

async fn the_access_matrix_holds(backend: Backend) {
    let app = spawn_app(backend).await;
    let (manifest, _) = seed::seed(app.db()).await.expect("seed");
    // acme = 0 (the callers' tenant), globex = 1 (the other tenant)
    let mut callers = Vec::new();
    for role in ["admin", "agent", "customer"] {
        callers.push(Caller {
            role,
            token: sign_in(&app, "acme", role).await,
        });
    }
    let own_customer_ticket = tickets_of(&manifest, 0, "customer")[0].clone();
    let agents_ticket = tickets_of(&manifest, 0, "agent")[0].clone();
    let foreign_ticket = tickets_of(&manifest, 1, "customer")[0].clone();
    let same_agent = user_id(&manifest, 0, "agent");
    let foreign_agent = user_id(&manifest, 1, "agent");

    // (resource/action, scope, method, path, body, [admin, agent, customer])
    let cases: Vec<Case> = vec![
        (
            "tickets/create",
            "same",
            Method::POST,
            "/api/v1/tickets".into(),
            Some(json!({"subject": "Matrix", "body": "probe"})),
            [201, 201, 201],
        ),
        (
            "tickets/list",
            "same",
            Method::GET,
            "/api/v1/tickets".into(),
            None,
            [200, 200, 200],
        ),
        (
            "tickets/read own",
            "same",
            Method::GET,
            format!("/api/v1/tickets/{own_customer_ticket}"),
            None,
            [200, 200, 200],
        ),
        (
            "tickets/read another's",
            "same",
            Method::GET,
            format!("/api/v1/tickets/{agents_ticket}"),
            None,
            [200, 200, 404],
        ),
        (
            "tickets/read",
            "other",
            Method::GET,
            format!("/api/v1/tickets/{foreign_ticket}"),
            None,
            [404, 404, 404],
        ),
        (
            "tickets/update",
            "other",
            Method::PATCH,
            format!("/api/v1/tickets/{foreign_ticket}"),
            Some(json!({"priority": "high"})),
            [404, 404, 403],
        ),
        (
            "comments/create own",
            "same",
            Method::POST,
            format!("/api/v1/tickets/{own_customer_ticket}/comments"),
            Some(json!({"body": "any news?"})),
            [201, 201, 201],
        ),
        (
            "comments/create",
            "other",
            Method::POST,
            format!("/api/v1/tickets/{foreign_ticket}/comments"),
            Some(json!({"body": "hello"})),
            [404, 404, 404],
        ),
        (
            "comments/list",
            "other",
            Method::GET,
            format!("/api/v1/tickets/{foreign_ticket}/comments"),
            None,
            [404, 404, 404],
        ),
        (
            "users/list",
            "same",
            Method::GET,
            "/api/v1/users".into(),
            None,
            [200, 200, 403],
        ),
        (
            "users/read",
            "same",
            Method::GET,
            format!("/api/v1/users/{same_agent}"),
            None,
            [200, 200, 403],
        ),
        (
            "users/read",
            "other",
            Method::GET,
            format!("/api/v1/users/{foreign_agent}"),
            None,
            [404, 404, 403],
        ),
        (
            "users/update",
            "other",
            Method::PATCH,
            format!("/api/v1/users/{foreign_agent}"),
            Some(json!({"display_name": "Hijacked"})),
            [404, 403, 403],
        ),
        (
            "users/delete",
            "other",
            Method::DELETE,
            format!("/api/v1/users/{foreign_agent}"),
            None,
            [404, 403, 403],
        ),
        (
            "users/create",
            "same",
            Method::POST,
            "/api/v1/users".into(),
            Some(
                json!({"email": "new.agent@acme.example", "role": "agent", "display_name": "New", "password": "a long enough password"}),
            ),
            [201, 403, 403],
        ),
    ];

    let mut table = vec![format!(
        "{:<24} {:<6} {:<9} {:>8} {:>4}",
        "resource/action", "tenant", "role", "expected", "got"
    )];
    let mut mismatches = 0;
    for (name, scope, method, path, body, expected) in &cases {
        for (caller, want) in callers.iter().zip(expected) {
            let if_match = if *method == Method::PATCH && path.starts_with("/api/v1/tickets/") {
                Some("\"1\"")
            } else {
                None
            };
            let (got, _) = call(
                &app,
                &caller.token,
                method.clone(),
                path,
                body.clone(),
                if_match,
            )
            .await;
            let mark = if got == *want { "" } else { "  <-- MISMATCH" };
            if got != *want {
                mismatches += 1;
            }
            table.push(format!(
                "{name:<24} {scope:<6} {:<9} {want:>8} {got:>4}{mark}",
                caller.role
            ));
        }
    }
    // Ticket updates in the same tenant: staff only.
    for caller in &callers {
        let etag = etag_of(&app, &callers[0].token, &agents_ticket).await;
        let (got, _) = call(
            &app,
            &caller.token,
            Method::PATCH,
            &format!("/api/v1/tickets/{agents_ticket}"),
            Some(json!({"priority": "high"})),
            Some(&etag),
        )
        .await;
        let want = if caller.role == "customer" { 403 } else { 200 };
        if got != want {
            mismatches += 1;
        }
        table.push(format!(
            "{:<24} {:<6} {:<9} {want:>8} {got:>4}",
            "tickets/update", "same", caller.role
        ));
    }
    println!("{}", table.join("\n"));
    assert_eq!(
        mismatches,
        0,
        "access matrix mismatches:\n{}",
        table.join("\n")
    );

    // Customers list only their own tickets; agents the whole tenant's.
    let (_, mine) = call(
        &app,
        &callers[2].token,
        Method::GET,
        "/api/v1/tickets",
        None,
        None,
    )
    .await;
    let items = mine["items"].as_array().expect("items");
    let customer = user_id(&manifest, 0, "customer");
    assert!(
        items.iter().all(|t| t["requester_id"] == customer.as_str()),
        "{mine}"
    );
    let (_, all) = call(
        &app,
        &callers[1].token,
        Method::GET,
        "/api/v1/tickets?limit=200",
        None,
        None,
    )
    .await;
    assert!(all["items"].as_array().expect("items").len() > items.len());
}

async fn ticket_updates_need_the_current_etag(backend: Backend) {
    let app = spawn_app(backend).await;
    let (manifest, _) = seed::seed(app.db()).await.expect("seed");
    let agent = sign_in(&app, "acme", "agent").await;
    let ticket = tickets_of(&manifest, 0, "customer")[1].clone();
    let path = format!("/api/v1/tickets/{ticket}");

    let (status, body) = call(
        &app,
        &agent,
        Method::PATCH,
        &path,
        Some(json!({"status": "pending"})),
        None,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (428, Some("if_match_required"))
    );

    let etag = etag_of(&app, &agent, &ticket).await;
    let (status, updated) = call(
        &app,
        &agent,
        Method::PATCH,
        &path,
        Some(json!({"status": "closed", "assignee_id": user_id(&manifest, 0, "agent")})),
        Some(&etag),
    )
    .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["status"], "closed");
    assert!(updated["closed_at"].is_string());

    let (status, body) = call(
        &app,
        &agent,
        Method::PATCH,
        &path,
        Some(json!({"status": "open"})),
        Some(&etag),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("version_mismatch")),
        "stale ETag"
    );

    let (status, body) = call(
        &app,
        &agent,
        Method::PATCH,
        &path,
        Some(json!({"assignee_id": user_id(&manifest, 0, "customer")})),
        Some(&etag_of(&app, &agent, &ticket).await),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed")),
        "customers cannot be assignees"
    );

    // Cursor pagination walks every ticket exactly once.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/tickets?limit=4&cursor={c}"),
            None => "/api/v1/tickets?limit=4".into(),
        };
        let (status, page) = call(&app, &agent, Method::GET, &path, None, None).await;
        assert_eq!(status, 200);
        for item in page["items"].as_array().expect("items") {
            seen.push(item["number"].as_i64().expect("number"));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, (1..=9).rev().collect::<Vec<i64>>());
    let (status, _) = call(
        &app,
        &agent,
        Method::GET,
        "/api/v1/tickets?cursor=bogus",
        None,
        None,
    )
    .await;
    assert_eq!(status, 422);
    // A limit outside 1-200 is refused, never silently capped to a page of another size.
    for path in [
        "/api/v1/tickets?limit=0",
        "/api/v1/tickets?limit=201",
        "/api/v1/mentions?limit=0",
        "/api/v1/mentions?limit=10000000000000000000",
    ] {
        let (status, body) = call(&app, &agent, Method::GET, path, None, None).await;
        assert_eq!(status, 422, "{path}: {body}");
        assert_eq!(body["errors"][0]["field"], "limit", "{path}: {body}");
        assert_eq!(body["errors"][0]["code"], "out_of_range", "{path}: {body}");
    }
    let (status, page) = call(
        &app,
        &agent,
        Method::GET,
        "/api/v1/tickets?limit=200",
        None,
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(page["items"].as_array().map(Vec::len), Some(9));
}
