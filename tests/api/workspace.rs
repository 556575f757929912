//! The agent's workspace: internal notes no requester ever reads, mentions, canned replies,
//! macros, handoff summaries, satisfaction ratings and the first-run page.

use serde_json::{Value, json};

use crate::chat::{ANSWERABLE, UNANSWERABLE, seeded_with_kb, visitor_token};
use crate::helpers::{Backend, TestApp, assert_problem, seed_and_sign_in, sign_in, spawn_app};

const NOTE: &str = "Internal: @agent this customer is on the legacy plan; refund approved.";
const REPLY: &str = "Thanks for waiting, we have fixed your account.";

async fn comment(app: &TestApp, token: &str, ticket: &str, body: &str, internal: bool) -> Value {
    let response = app
        .post_json(
            Some(token),
            &format!("/api/v1/tickets/{ticket}/comments"),
            &json!({"body": body, "internal": internal}),
        )
        .await;
    assert_eq!(response.status().as_u16(), 201, "comment posted");
    response.json().await.expect("comment")
}

fn bodies(events: &Value) -> Vec<String> {
    events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["body"].as_str().map(str::to_owned))
        .collect()
}

/// The visitor's chat is handed off; an agent writes a note and then a reply. The note
/// reaches the visitor by no path: not live, not on resume over the socket, not in the
/// REST history. A customer's own ticket and their data export hold no notes either.
async fn notes_never_reach_the_requester(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let visitor = visitor_token(&app, "acme").await;

    let mut chat = app.chat_socket(&visitor).await;
    chat.send(json!({"type": "handoff"})).await;
    let frames = chat.until("ticket_created").await;
    let session = frames[0]["session_id"]
        .as_str()
        .expect("session")
        .to_owned();
    let ticket = frames.last().expect("ticket")["ticket"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let note = comment(&app, &admin, &ticket, NOTE, true).await;
    assert_eq!(note["kind"], "note");
    assert_eq!(note["internal"], true);
    comment(&app, &agent, &ticket, REPLY, false).await;
    // The first live message is the reply: the note was never sent.
    let live = chat.until("agent_message").await;
    assert_eq!(live.last().expect("frame")["text"], REPLY);
    drop(chat);

    let mut again = app.chat_socket(&visitor).await;
    again
        .send(json!({"type": "resume", "session_id": session}))
        .await;
    let resumed = again.until("session").await;
    let transcript = resumed.last().expect("session").to_string();
    assert!(transcript.contains(REPLY), "{transcript}");
    assert!(!transcript.contains("legacy plan"), "{transcript}");
    let rest = app
        .get_json(&visitor, &format!("/api/v1/chat/sessions/{session}"))
        .await
        .to_string();
    assert!(
        rest.contains(REPLY) && !rest.contains("legacy plan"),
        "{rest}"
    );

    // Staff read both, told apart; the mentioned agent finds the note in their console.
    let history = app
        .get_json(&agent, &format!("/api/v1/tickets/{ticket}/comments"))
        .await;
    let internal: Vec<bool> = history
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["kind"] == "note" || e["kind"] == "comment")
        .map(|e| e["internal"].as_bool().expect("flag"))
        .collect();
    assert!(
        internal.contains(&true) && internal.contains(&false),
        "{history}"
    );
    let mentions = app.get_json(&agent, "/api/v1/mentions").await;
    assert_eq!(mentions[0]["ticket_id"], ticket.as_str(), "{mentions}");
    assert_eq!(mentions[0]["body"], NOTE);
    let admin_mentions = app.get_json(&admin, "/api/v1/mentions").await;
    assert_eq!(admin_mentions.as_array().map(Vec::len), Some(0));

    // A customer's own ticket: the note is absent from their view and from the export.
    let customer = sign_in(&app, "acme", "customer").await;
    let own = app
        .open_ticket(&customer, "Printer", "It jams on page two.")
        .await;
    let own_id = own["id"].as_str().expect("id");
    comment(
        &app,
        &agent,
        own_id,
        "Note: printer is out of warranty.",
        true,
    )
    .await;
    comment(&app, &agent, own_id, "We will send a technician.", false).await;
    let seen = bodies(
        &app.get_json(&customer, &format!("/api/v1/tickets/{own_id}/comments"))
            .await,
    );
    assert_eq!(seen, vec!["We will send a technician."]);
    let requester = own["requester_id"].as_str().expect("requester");
    let export = app
        .get_json(&admin, &format!("/api/v1/people/{requester}/export"))
        .await
        .to_string();
    assert!(export.contains("We will send a technician."), "{export}");
    assert!(!export.contains("out of warranty"), "{export}");

    // Customers cannot write notes.
    let refused = app
        .post_json(
            Some(&customer),
            &format!("/api/v1/tickets/{own_id}/comments"),
            &json!({"body": "secret", "internal": true}),
        )
        .await;
    assert_problem(refused, 403, "action_forbidden").await;
}

async fn canned_replies_and_macros(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = seed_and_sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let visitor = visitor_token(&app, "acme").await;

    // Personal to the agent; shared ones are the admins'.
    let mine = app
        .post_json(
            Some(&agent),
            "/api/v1/canned-replies",
            &json!({"title": "My hello", "body": "Hi {{requester.name}}, {{agent.name}} here about {{ticket.id}}."}),
        )
        .await;
    assert_eq!(mine.status().as_u16(), 201);
    let mine: Value = mine.json().await.expect("reply");
    assert_eq!(mine["shared"], false);
    let refused = app
        .post_json(
            Some(&agent),
            "/api/v1/canned-replies",
            &json!({"title": "Policy", "body": "x", "shared": true}),
        )
        .await;
    assert_problem(refused, 403, "action_forbidden").await;
    let unknown = app
        .post_json(
            Some(&admin),
            "/api/v1/canned-replies",
            &json!({"title": "Bad", "body": "Hi {{customer.name}}", "shared": true}),
        )
        .await;
    let body = assert_problem(unknown, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "unknown_placeholder");
    let shared = app
        .post_json(
            Some(&admin),
            "/api/v1/canned-replies",
            &json!({"title": "Closing", "body": "Glad we could help.", "shared": true}),
        )
        .await;
    assert_eq!(shared.status().as_u16(), 201);
    let shared: Value = shared.json().await.expect("shared");

    let customer = sign_in(&app, "acme", "customer").await;
    let ticket = app
        .open_ticket(&customer, "VPN", "It drops every hour.")
        .await;
    let ticket_id = ticket["id"].as_str().expect("id").to_owned();
    let listed = app
        .get_json(
            &agent,
            &format!("/api/v1/canned-replies?ticket_id={ticket_id}"),
        )
        .await;
    let titles: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|r| r["title"].as_str())
        .collect();
    // The demo seed's shared greeting, the admin's closing and the agent's own.
    assert_eq!(titles, vec!["Closing", "Greeting", "My hello"]);
    let rendered = listed[2]["rendered"].as_str().expect("rendered");
    assert!(
        rendered.starts_with("Hi ") && rendered.contains(&format!("#{}", ticket["number"])),
        "{rendered}"
    );
    assert!(!rendered.contains("{{"), "{rendered}");
    // The admin neither sees nor changes the agent's own reply; the agent cannot change a
    // shared one.
    let admin_list = app.get_json(&admin, "/api/v1/canned-replies").await;
    assert_eq!(admin_list.as_array().map(Vec::len), Some(2), "{admin_list}");
    let hidden = app
        .client
        .patch(app.url(&format!(
            "/api/v1/canned-replies/{}",
            mine["id"].as_str().expect("id")
        )))
        .bearer_auth(&admin)
        .json(&json!({"title": "Mine now"}))
        .send()
        .await
        .expect("sent");
    assert_problem(hidden, 404, "canned_reply_not_found").await;
    let locked = app
        .client
        .delete(app.url(&format!(
            "/api/v1/canned-replies/{}",
            shared["id"].as_str().expect("id")
        )))
        .bearer_auth(&agent)
        .send()
        .await
        .expect("sent");
    assert_problem(locked, 403, "action_forbidden").await;
    let customer_list = app
        .client
        .get(app.url("/api/v1/canned-replies"))
        .bearer_auth(&customer)
        .send()
        .await
        .expect("sent");
    assert_problem(customer_list, 403, "action_forbidden").await;

    // A shared macro: a public reply, a status, a priority and a queue in one action.
    let created = app
        .post_json(
            Some(&admin),
            "/api/v1/macros",
            &json!({"title": "Escalate to billing", "shared": true,
                    "reply": {"body": "Hi {{requester.name}}, billing will take it from here.", "internal": false},
                    "status": "pending", "priority": "high", "queue": "billing"}),
        )
        .await;
    assert_eq!(created.status().as_u16(), 201);
    let macro_id = created.json::<Value>().await.expect("macro")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let empty = app
        .post_json(Some(&agent), "/api/v1/macros", &json!({"title": "Nothing"}))
        .await;
    assert_problem(empty, 422, "validation_failed").await;

    // Applied to a handed-off chat's ticket: the visitor reads the reply live.
    let mut chat = app.chat_socket(&visitor).await;
    chat.send(json!({"type": "handoff"})).await;
    let frames = chat.until("ticket_created").await;
    let chat_ticket = frames.last().expect("ticket")["ticket"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let stale = app
        .client
        .post(app.url(&format!(
            "/api/v1/tickets/{chat_ticket}/apply-macro/{macro_id}"
        )))
        .bearer_auth(&agent)
        .header("If-Match", "\"999\"")
        .send()
        .await
        .expect("sent");
    assert_problem(stale, 409, "version_mismatch").await;
    let before = app
        .get_json(&agent, &format!("/api/v1/tickets/{chat_ticket}"))
        .await["version"]
        .as_i64()
        .expect("version");
    let applied = app
        .post_json(
            Some(&agent),
            &format!("/api/v1/tickets/{chat_ticket}/apply-macro/{macro_id}"),
            &json!({}),
        )
        .await;
    assert_eq!(applied.status().as_u16(), 200);
    let applied: Value = applied.json().await.expect("applied");
    assert_eq!(applied["ticket"]["status"], "pending");
    assert_eq!(applied["ticket"]["priority"], "high");
    assert_eq!(applied["ticket"]["queue"], "billing");
    let live = chat.until("agent_message").await;
    let text = live.last().expect("frame")["text"].as_str().expect("text");
    assert!(text.ends_with("billing will take it from here."), "{text}");
    assert!(!text.contains("{{"), "{text}");
    // One event records the macro and its three changes; no per-field events.
    let events = app
        .get_json(&agent, &format!("/api/v1/tickets/{chat_ticket}"))
        .await;
    assert_eq!(
        events["version"],
        before + 1,
        "one change of the ticket: {events}"
    );
    let macro_event = &applied["event"];
    assert_eq!(macro_event["kind"], "macro_applied");
    assert_eq!(
        macro_event["data"]["changes"].as_array().map(Vec::len),
        Some(3)
    );
}

/// A bot answer rated down becomes a knowledge gap; a chat is rated once; a solved
/// ticket is rated through its signed link, and a bad rating reopens it when the tenant
/// says so.
async fn satisfaction_ratings(backend: Backend) {
    let app = spawn_app(backend).await;
    seeded_with_kb(&app).await;
    let admin = sign_in(&app, "acme", "admin").await;
    let agent = sign_in(&app, "acme", "agent").await;
    let visitor = visitor_token(&app, "acme").await;

    let mut chat = app.chat_socket(&visitor).await;
    chat.send(json!({"type": "message", "text": ANSWERABLE}))
        .await;
    let frames = chat.until("answer").await;
    let session = frames[0]["session_id"]
        .as_str()
        .expect("session")
        .to_owned();
    let answer = frames.last().expect("answer")["message_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let thumb = |token: String, id: String, score: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                Some(&token),
                &format!("/api/v1/chat/messages/{id}/rating"),
                &json!({"score": score}),
            )
            .await
        }
    };
    assert_eq!(
        thumb(visitor.clone(), answer.clone(), "bad")
            .await
            .status()
            .as_u16(),
        201
    );
    assert_problem(
        thumb(visitor.clone(), answer.clone(), "good").await,
        409,
        "already_rated",
    )
    .await;
    assert_problem(
        thumb(visitor.clone(), answer.clone(), "meh").await,
        422,
        "validation_failed",
    )
    .await;
    let stranger = visitor_token(&app, "acme").await;
    assert_problem(
        thumb(stranger, answer.clone(), "bad").await,
        404,
        "message_not_found",
    )
    .await;
    let gaps = app.get_json(&admin, "/api/v1/knowledge/gaps").await;
    assert_eq!(gaps["gaps"][0]["question"], ANSWERABLE, "{gaps}");

    let rate_chat = |token: String, body: Value| {
        let app = &app;
        let session = session.clone();
        async move {
            app.post_json(
                Some(&token),
                &format!("/api/v1/chat/sessions/{session}/rating"),
                &body,
            )
            .await
        }
    };
    assert_problem(
        rate_chat(agent.clone(), json!({"score": "good"})).await,
        403,
        "action_forbidden",
    )
    .await;
    let rated = rate_chat(
        visitor.clone(),
        json!({"score": "good", "comment": "Quick, thanks! Call me on 202-555-0143"}),
    )
    .await;
    assert_eq!(rated.status().as_u16(), 201);
    let rated: Value = rated.json().await.expect("rating");
    assert_eq!(rated["comment"], "Quick, thanks! Call me on [PHONE_1]");
    assert_problem(
        rate_chat(visitor.clone(), json!({"score": "bad"})).await,
        409,
        "already_rated",
    )
    .await;

    // A solved ticket, rated bad through its link, reopens when the tenant asks for that.
    let settings = app
        .patch_json(
            &admin,
            "/api/v1/tenant/settings",
            &[],
            &json!({"csat": {"reopen_on_bad": true}}),
        )
        .await;
    assert_eq!(settings.status().as_u16(), 200);
    let customer = sign_in(&app, "acme", "customer").await;
    let ticket = app
        .open_ticket(&customer, "Badge", "My badge stopped working.")
        .await;
    let id = ticket["id"].as_str().expect("id").to_owned();
    let link: Value = app
        .get_json(&customer, &format!("/api/v1/tickets/{id}/rating-link"))
        .await;
    let token = link["token"].as_str().expect("token").to_owned();
    assert!(
        link["path"]
            .as_str()
            .expect("path")
            .starts_with("/rate#token=")
    );
    let early = app
        .post_json(
            None,
            "/api/v1/ratings",
            &json!({"token": token, "score": "good"}),
        )
        .await;
    assert_problem(early, 409, "ticket_not_solved").await;
    let version =
        app.get_json(&agent, &format!("/api/v1/tickets/{id}")).await["version"].to_string();
    let solved = app
        .patch_json(
            &agent,
            &format!("/api/v1/tickets/{id}"),
            &[("If-Match", &format!("\"{version}\""))],
            &json!({"status": "resolved"}),
        )
        .await;
    assert_eq!(solved.status().as_u16(), 200);
    let target: Value = app
        .post_json(None, "/api/v1/ratings/lookup", &json!({"token": token}))
        .await
        .json()
        .await
        .expect("target");
    assert_eq!(target["ticket_number"], ticket["number"]);
    assert_eq!(target["rated"], false);
    for forged in [format!("{token}x"), customer.clone()] {
        let refused = app
            .post_json(
                None,
                "/api/v1/ratings",
                &json!({"token": forged, "score": "bad"}),
            )
            .await;
        assert_problem(refused, 401, "invalid_rating_link").await;
    }
    let bad = app
        .post_json(
            None,
            "/api/v1/ratings",
            &json!({"token": token, "score": "bad", "comment": "Still broken"}),
        )
        .await;
    assert_eq!(bad.status().as_u16(), 201);
    let reopened = app.get_json(&agent, &format!("/api/v1/tickets/{id}")).await;
    assert_eq!(reopened["status"], "open", "{reopened}");
    // Open again, it cannot be rated; solved again, it keeps its one rating.
    let rate_again = async || {
        app.post_json(
            None,
            "/api/v1/ratings",
            &json!({"token": token, "score": "good"}),
        )
        .await
    };
    assert_problem(rate_again().await, 409, "ticket_not_solved").await;
    let version = reopened["version"].to_string();
    let solved = app
        .patch_json(
            &agent,
            &format!("/api/v1/tickets/{id}"),
            &[("If-Match", &format!("\"{version}\""))],
            &json!({"status": "resolved"}),
        )
        .await;
    assert_eq!(solved.status().as_u16(), 200);
    assert_problem(rate_again().await, 409, "already_rated").await;
    // The link speaks for this ticket only: the rating is not an access token.
    let as_access = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("sent");
    assert_eq!(as_access.status().as_u16(), 401);
}

/// A handoff leaves an internal summary on the ticket; agents can ask for a fresh one.
async fn handoff_summaries(backend: Backend) {
    let app = spawn_app(backend).await;
    seeded_with_kb(&app).await;
    let agent = sign_in(&app, "acme", "agent").await;
    let visitor = visitor_token(&app, "acme").await;
    let mut chat = app.chat_socket(&visitor).await;
    chat.send(json!({"type": "message", "text": UNANSWERABLE}))
        .await;
    chat.until("abstained").await;
    chat.send(json!({"type": "handoff"})).await;
    let frames = chat.until("ticket_created").await;
    let ticket = frames.last().expect("ticket")["ticket"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let history = app
        .get_json(&agent, &format!("/api/v1/tickets/{ticket}/comments"))
        .await;
    let summary = history
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "summary")
        .unwrap_or_else(|| panic!("no summary in {history}"));
    assert_eq!(summary["internal"], true);
    let text = summary["body"].as_str().expect("text");
    assert!(text.contains(UNANSWERABLE), "{text}");
    assert!(text.contains("Handed off because"), "{text}");
    assert_eq!(summary["data"]["mode"], "extractive");

    let fresh = app
        .post_json(
            Some(&agent),
            &format!("/api/v1/tickets/{ticket}/summary"),
            &json!({}),
        )
        .await;
    assert_eq!(fresh.status().as_u16(), 201);
    let fresh: Value = fresh.json().await.expect("summary");
    assert_eq!(fresh["source"], "chat");
    assert!(fresh["elapsed_ms"].as_f64().expect("ms") >= 0.0);

    let customer = sign_in(&app, "acme", "customer").await;
    let own = app
        .open_ticket(&customer, "Monitor", "Flickers after lunch.\nModel X2.")
        .await;
    let own_id = own["id"].as_str().expect("id");
    comment(&app, &agent, own_id, "Try another cable, please.", false).await;
    let summary: Value = app
        .post_json(
            Some(&agent),
            &format!("/api/v1/tickets/{own_id}/summary"),
            &json!({}),
        )
        .await
        .json()
        .await
        .expect("summary");
    assert_eq!(summary["source"], "ticket");
    let text = summary["text"].as_str().expect("text");
    assert!(
        text.contains("Flickers after lunch") && text.contains("Try another cable"),
        "{text}"
    );
    let seen = bodies(
        &app.get_json(&customer, &format!("/api/v1/tickets/{own_id}/comments"))
            .await,
    );
    assert_eq!(seen, vec!["Try another cable, please."]);
}

async fn first_run_setup(backend: Backend) {
    let app = spawn_app(backend).await;
    let state: Value = app.get("/api/v1/setup").await.json().await.expect("state");
    assert_eq!(state["open"], true);
    let body = json!({"slug": "initech", "name": "Initech",
        "admin": {"email": "bill@initech.example", "display_name": "Bill", "password": "tps-reports-2026"}});
    let weak = app
        .post_json(None, "/api/v1/setup", &json!({"slug": "initech", "name": "Initech",
            "admin": {"email": "bill@initech.example", "display_name": "Bill", "password": "short"}}))
        .await;
    assert_problem(weak, 422, "validation_failed").await;
    let created = app.post_json(None, "/api/v1/setup", &body).await;
    assert_eq!(created.status().as_u16(), 201);
    let state: Value = app.get("/api/v1/setup").await.json().await.expect("state");
    assert_eq!(state["open"], false);
    let again = app.post_json(None, "/api/v1/setup", &body).await;
    assert_problem(again, 409, "setup_closed").await;
    let signed_in = app
        .post_json(
            None,
            "/api/v1/auth/token",
            &json!({"tenant": "initech", "email": "bill@initech.example", "password": "tps-reports-2026"}),
        )
        .await;
    assert_eq!(signed_in.status().as_u16(), 200);
}

crate::on_both_backends!(
    notes_never_reach_the_requester,
    canned_replies_and_macros,
    satisfaction_ratings,
    handoff_summaries,
    first_run_setup,
);
