//! The OpenAPI document: generated from the route table, committed as docs/openapi.json,
//! served with its reference page.

use std::collections::BTreeSet;
use std::path::Path;

use crate::helpers::{Backend, header, spawn_app};

const COMMITTED: &str = "docs/openapi.json";

/// A route change shows up in review: the committed document must equal the generated one.
/// `HELPDESK_UPDATE_OPENAPI=1` rewrites it.
#[test]
fn committed_document_equals_the_generated_one() {
    let generated = helpdesk::openapi::document_json();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED);
    if std::env::var_os("HELPDESK_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/openapi.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{COMMITTED} differs from the API the code serves: run \
         `HELPDESK_UPDATE_OPENAPI=1 cargo test --test api openapi::` and review the change"
    );
}

/// Every handler is registered through `service(...)`, which puts it in the document; a
/// plain `.route(...)` would serve an endpoint the document does not know.
#[test]
fn no_route_bypasses_the_document() {
    let mut offenders = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // app.rs mounts the separate metrics listener, which is not the API.
            if path.ends_with("app.rs") {
                continue;
            }
            if text.contains(".route(\"") || text.contains("web::resource(") {
                offenders.push(path.display().to_string());
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "routes outside the document: {offenders:?}"
    );
}

#[test]
fn every_operation_is_named_tagged_and_can_fail_with_a_problem() {
    let doc: serde_json::Value =
        serde_json::from_str(&helpdesk::openapi::document_json()).expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    let mut ids = BTreeSet::new();
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 40, "only {} paths", paths.len());
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().expect("operationId");
            assert!(ids.insert(id.to_owned()), "{id} is used twice");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path}"
            );
            assert_eq!(
                op["responses"]["default"]["$ref"], "#/components/responses/Problem",
                "{method} {path}"
            );
        }
    }
    // Sign-in is public; reading tickets needs a bearer token (the document's default).
    assert_eq!(doc["security"][0]["bearer"], serde_json::json!([]));
    assert_eq!(
        doc["paths"]["/api/v1/auth/token"]["post"]["security"],
        serde_json::json!([{}])
    );
    assert!(doc["paths"]["/api/v1/tickets"]["get"]["security"].is_null());
    // Enums carry their wire names.
    assert_eq!(
        doc["components"]["schemas"]["Priority"]["enum"],
        serde_json::json!(["low", "normal", "high", "urgent"])
    );
    // A report's range is required and made of dates; its grouping is a closed set.
    let range = &doc["paths"]["/api/v1/reports/breakdown"]["get"]["parameters"];
    let param = |name: &str| {
        range
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == name))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(param("from")["required"], true);
    assert_eq!(param("to")["schema"]["format"], "date");
    assert_eq!(
        param("by")["schema"]["enum"],
        serde_json::json!(["queue", "agent"])
    );
    // The error codes are a closed set a generated client can switch on.
    let codes = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("codes");
    assert!(codes.contains(&serde_json::json!("ticket_not_found")));
}

/// Request strings that state no rule, and why: a credential or token is checked as a whole
/// (a wrong one is 401 or 404, whatever its shape); a URL or an origin is read by a URL
/// parser, whose rules a pattern would only approximate; a system prompt may be blank (it
/// is then left out).
const UNSTATED_STRINGS: &[&str] = &[
    "ChangePassword.current_password",
    "GenerateBody.system",
    "LinkBody.token",
    "RedeemReset.token",
    "RefreshRequest.refresh_token",
    "SettingsPatch.allowed_origins",
    "ThemePatch.logo_url",
    "TicketRatingBody.token",
    "TokenRequest.email",
    "TokenRequest.password",
    "TokenRequest.tenant",
    "WebhookPatch.url",
];

/// Query parameters that are strings and state nothing: opaque values from this API
/// (cursors, tokens) and filters that take any value (an unknown actor or queue matches
/// nothing) but control characters, which no query value may hold (docs/api.md).
const UNSTATED_PARAMETERS: &[&str] = &[
    "chat_socket?access_token",
    "list_audit?actor",
    "list_audit?cursor",
    "list_tickets?cursor",
    "list_tickets?queue",
    "ticket_feed?access_token",
];

/// Every string a request body or query carries states what the server accepts (its
/// length, pattern, format or names, from the parsers' own constants), so that a client
/// can check before sending; the exceptions are listed above.
#[test]
fn request_strings_state_what_the_server_accepts() {
    assert_eq!(
        helpdesk::openapi::unmatched_rules(),
        Vec::<String>::new(),
        "rules that constrain nothing in the document"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&helpdesk::openapi::document_json()).expect("json");
    let mut seen = BTreeSet::new();
    let mut unstated = BTreeSet::new();
    let mut unstated_parameters = BTreeSet::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            let media = op["requestBody"]["content"].as_object();
            for body in media.into_iter().flat_map(|m| m.values()) {
                unstated_strings(&doc, &body["schema"], "", &mut seen, &mut unstated);
            }
            let operation_id = op["operationId"].as_str().unwrap_or_default();
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "query" {
                    let at = format!(
                        "{operation_id}?{}",
                        parameter["name"].as_str().unwrap_or_default()
                    );
                    unstated_strings(
                        &doc,
                        &parameter["schema"],
                        &at,
                        &mut seen,
                        &mut unstated_parameters,
                    );
                }
            }
        }
    }
    let expected: BTreeSet<String> = UNSTATED_STRINGS.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(unstated, expected);
    let expected: BTreeSet<String> = UNSTATED_PARAMETERS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(unstated_parameters, expected);
}

/// The strings under `schema` (at `at`) that state neither a length, a pattern, an enum
/// nor a format that bounds them.
fn unstated_strings(
    doc: &serde_json::Value,
    schema: &serde_json::Value,
    at: &str,
    seen: &mut BTreeSet<String>,
    out: &mut BTreeSet<String>,
) {
    if let Some(name) = schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        if seen.insert(name.to_owned()) {
            let target = &doc["components"]["schemas"][name];
            unstated_strings(doc, target, name, seen, out);
        }
        return;
    }
    for key in ["oneOf", "allOf", "anyOf"] {
        for branch in schema[key].as_array().into_iter().flatten() {
            unstated_strings(doc, branch, at, seen, out);
        }
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        unstated_strings(doc, property, &format!("{at}.{name}"), seen, out);
    }
    if schema["items"].is_object() {
        unstated_strings(doc, &schema["items"], at, seen, out);
    }
    let types = &schema["type"];
    let is_string = types == "string"
        || types
            .as_array()
            .is_some_and(|t| t.contains(&serde_json::json!("string")));
    let bounding_format = schema["format"]
        .as_str()
        .is_some_and(|f| ["uuid", "date", "date-time", "binary", "email"].contains(&f));
    let stated = ["minLength", "maxLength", "pattern", "enum"]
        .iter()
        .any(|k| !schema[*k].is_null())
        || bounding_format;
    if is_string && !stated {
        out.insert(at.to_owned());
    }
}

/// Not a database matter: SQLite only.
#[tokio::test]
async fn the_document_and_its_reference_page_are_served() {
    let app = spawn_app(Backend::Sqlite).await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.text().await.expect("body"),
        helpdesk::openapi::document_json()
    );
    let page = app.get("/api/docs").await;
    assert_eq!(page.status().as_u16(), 200);
    let csp = header(&page, "content-security-policy");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = page.text().await.expect("html");
    assert!(html.contains("/api-docs/swagger-ui-bundle.js"));
    let bundle = app.get("/api-docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status().as_u16(), 200);
    assert!(bundle.bytes().await.expect("js").len() > 100_000);
}

/// The streams' document (chat frames, ticket feed) follows the same Rust types.
#[test]
fn committed_asyncapi_document_equals_the_generated_one() {
    let generated = helpdesk::openapi::asyncapi_json();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/asyncapi.json");
    if std::env::var_os("HELPDESK_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/asyncapi.json");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/asyncapi.json differs from the frames the code sends: run \
         `HELPDESK_UPDATE_OPENAPI=1 cargo test --test api openapi::` and review the change"
    );
    let doc: serde_json::Value = serde_json::from_str(&generated).expect("json");
    let frames = doc["components"]["schemas"]["ServerFrame"].to_string();
    for kind in [
        "answer",
        "suggestions",
        "abstained",
        "ticket_created",
        "agent_message",
    ] {
        assert!(frames.contains(&format!("\"{kind}\"")), "{kind}");
    }
}
