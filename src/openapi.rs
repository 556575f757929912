//! The OpenAPI 3.1 document, derived from the route table: `api::configure` registers every
//! handler through utoipa-actix-web, so a route cannot exist without its operation here.
//! Served at `GET /api/v1/openapi.json`, with Swagger UI at `/api/docs`; the committed
//! `docs/openapi.json` is kept equal to it by a test.

use std::sync::OnceLock;

use actix_web::{App, HttpRequest, HttpResponse, get};
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ArrayItems, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, RefOr};
use utoipa::{Modify, Number, OpenApi, ToSchema as _};
use utoipa_actix_web::AppExt as _;

use crate::error::{AppError, Code, FieldError, PROBLEM_CONTENT_TYPE, Problem};
use crate::validation::Rule;

/// What every document starts from: the description, the bearer scheme every operation
/// requires unless it says otherwise, and the problem body.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "helpdesk",
        description = "A self-hostable, multi-tenant AI help desk. Every error is an RFC 9457 \
            problem body with a stable `code` (docs/errors.md); lists are paged with `limit` \
            and an opaque `cursor` (docs/api.md).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers((url = "/", description = "The server this document is served from")),
    security(("bearer" = [])),
    components(schemas(Problem<'_>, FieldError, Code)),
    modifiers(&Conventions),
    tags(
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "auth", description = "Sign-in, tokens, passwords and the built-in issuer"),
        (name = "tenancy", description = "Tenants, users and settings"),
        (name = "tickets", description = "Tickets, their replies and internal notes, summaries and agent assist"),
        (name = "knowledge", description = "Documents and knowledge-base search"),
        (name = "chat", description = "The help chat (REST; the WebSocket is in docs/chat-protocol.md)"),
        (name = "llm", description = "The model runtime"),
        (name = "audit", description = "The tenant's audit trail"),
        (name = "usage", description = "Usage and cost"),
        (name = "people", description = "Data rights: export and erasure"),
        (name = "workspace", description = "Canned replies and macros"),
        (name = "ratings", description = "Satisfaction ratings through a signed link"),
        (name = "reports", description = "Reports for admins"),
        (name = "api", description = "This document"),
    ),
)]
struct Base;

struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /api/v1/auth/token`, a visitor token, an \
                         operator token, or a token from a trusted external issuer.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`server.metrics_token`, for Prometheus."))
                    .build(),
            ),
        );
        components.responses.insert(
            "Problem".into(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("An error, as a problem body: branch on `code`.")
                    .content(
                        PROBLEM_CONTENT_TYPE,
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name(Problem::name())))
                            .build(),
                    )
                    .build(),
            ),
        );
    }
}

/// Every operation may fail with a problem body; operations list their own success cases.
fn add_problem_default(operation: &mut Operation) {
    operation
        .responses
        .responses
        .entry("default".into())
        .or_insert_with(|| RefOr::Ref(Ref::new("#/components/responses/Problem")));
}

/// The document for the route table as it is compiled.
pub fn document() -> Document {
    build().0
}

/// The rules that constrain nothing in the document (a renamed schema, field, operation or
/// parameter): empty, or a test fails.
pub fn unmatched_rules() -> Vec<String> {
    build().1
}

/// Every domain's rules for its request bodies: the schema, the field (empty for the
/// schema itself) and the rule.
fn rules() -> impl Iterator<Item = (&'static str, &'static str, Rule)> {
    let text = [
        crate::tenancy::TEXT_RULES,
        crate::tickets::TEXT_RULES,
        crate::replies::TEXT_RULES,
        crate::chat::TEXT_RULES,
        crate::llm::TEXT_RULES,
        crate::auth::TEXT_RULES,
        crate::desk::routes::TEXT_RULES,
    ];
    let range = [crate::llm::RANGE_RULES];
    let items = [
        crate::llm::ITEMS_RULES,
        crate::tenancy::ITEMS_RULES,
        crate::knowledge::routes::ITEMS_RULES,
    ];
    let text = text
        .into_iter()
        .flatten()
        .map(|&(s, f, r)| (s, f, Rule::Text(r)));
    let range = range
        .into_iter()
        .flatten()
        .map(|&(s, f, r)| (s, f, Rule::Range(r)));
    let items = items
        .into_iter()
        .flatten()
        .map(|&(s, f, r)| (s, f, Rule::Items(r)));
    text.chain(range).chain(items)
}

/// Every domain's rules for its operations' query parameters: the operation id, the
/// parameter and the rule.
fn parameter_rules() -> impl Iterator<Item = &'static (&'static str, &'static str, Rule)> {
    [
        crate::knowledge::routes::QUERY_RULES,
        crate::tickets::QUERY_RULES,
        crate::audit::routes::QUERY_RULES,
        crate::chat::QUERY_RULES,
    ]
    .into_iter()
    .flatten()
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

fn build() -> (Document, Vec<String>) {
    let (_, paths) = App::new()
        .into_utoipa_app()
        .configure(crate::api::configure)
        .split_for_parts();
    let mut doc = Base::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.merge(paths);
    for item in doc.paths.paths.values_mut() {
        operations_mut(item).for_each(add_problem_default);
    }
    let mut unmatched = Vec::new();
    // utoipa's attributes take only literals; these come from the parsers' own constants.
    if let Some(components) = doc.components.as_mut() {
        for (schema, field, rule) in rules() {
            let target = match components.schemas.get_mut(schema) {
                Some(RefOr::T(s)) if field.is_empty() => Some(s),
                Some(RefOr::T(Schema::Object(object))) => match object.properties.get_mut(field) {
                    Some(RefOr::T(s)) => Some(s),
                    _ => None,
                },
                _ => None,
            };
            if target.is_none_or(|s| constrain(s, rule) == 0) {
                unmatched.push(format!("{schema}.{field}"));
            }
        }
    }
    for &(operation_id, name, rule) in parameter_rules() {
        let target = doc
            .paths
            .paths
            .values_mut()
            .flat_map(operations_mut)
            .filter(|op| op.operation_id.as_deref() == Some(operation_id))
            .flat_map(|op| op.parameters.iter_mut().flatten())
            .find_map(|p| match p {
                RefOr::T(p) if p.name == name && matches!(p.parameter_in, ParameterIn::Query) => {
                    Some(p)
                }
                _ => None,
            })
            .and_then(|p| match p.schema.as_mut() {
                Some(RefOr::T(s)) => Some(s),
                _ => None,
            });
        if target.is_none_or(|s| constrain(s, rule) == 0) {
            unmatched.push(format!("{operation_id}?{name}"));
        }
    }
    (doc, unmatched)
}

/// Puts `rule` on what `schema` holds that it is for — a string, a number, a list — be it
/// the schema itself, an array's items or a `oneOf`'s branches. Returns how many it
/// constrained.
fn constrain(schema: &mut Schema, rule: Rule) -> usize {
    match (schema, rule) {
        (Schema::Object(object), Rule::Text(text))
            if has_type(&object.schema_type, Type::String) =>
        {
            object.min_length = (text.min_chars > 0).then_some(text.min_chars);
            object.max_length = text.max_chars;
            if let Some(pattern) = text.pattern {
                object.pattern = Some(pattern.to_owned());
            }
            if let Some(format) = text.format {
                object.format = Some(SchemaFormat::Custom(format.to_owned()));
            }
            1
        }
        (Schema::Object(object), Rule::Range(range))
            if has_type(&object.schema_type, Type::Number)
                || has_type(&object.schema_type, Type::Integer) =>
        {
            let integer = has_type(&object.schema_type, Type::Integer);
            let number = |v: f64| {
                if integer {
                    Number::Int(v as isize)
                } else {
                    Number::Float(v)
                }
            };
            object.minimum = range.minimum.map(number);
            object.exclusive_minimum = range.exclusive_minimum.map(number);
            object.maximum = range.maximum.map(number);
            1
        }
        (Schema::Array(array), Rule::Items(items)) => {
            array.min_items = (items.min_items > 0).then_some(items.min_items);
            array.max_items = items.max_items;
            1
        }
        (Schema::Array(array), rule) => match &mut array.items {
            ArrayItems::RefOrSchema(item) => match item.as_mut() {
                RefOr::T(s) => constrain(s, rule),
                RefOr::Ref(_) => 0,
            },
            ArrayItems::False => 0,
        },
        (Schema::OneOf(one_of), rule) => one_of
            .items
            .iter_mut()
            .map(|item| match item {
                RefOr::T(s) => constrain(s, rule),
                RefOr::Ref(_) => 0,
            })
            .sum(),
        _ => 0,
    }
}

fn has_type(schema_type: &SchemaType, wanted: Type) -> bool {
    match schema_type {
        SchemaType::Type(t) => *t == wanted,
        SchemaType::Array(types) => types.contains(&wanted),
        SchemaType::AnyValue => false,
    }
}

/// One path of the route table: its segments (`{name}` for a parameter), the methods the
/// document lists for it, and whether its GET is an endless stream.
struct Route {
    segments: Vec<String>,
    methods: Vec<&'static str>,
    stream: bool,
}

impl Route {
    fn matches(&self, asked: &[&str]) -> bool {
        self.segments.len() == asked.len()
            && self.segments.iter().zip(asked).all(|(t, a)| {
                // A parameter takes one non-empty segment, as actix-web's `{name}` does.
                if t.starts_with('{') && t.ends_with('}') {
                    !a.is_empty()
                } else {
                    t == a
                }
            })
    }
}

/// The methods the route table serves at `path`, sorted, when some route's template matches
/// it: what a 405's `Allow` lists. actix-web lifts a route's method guard onto its resource,
/// so a known path asked with another method falls through to the default service; this
/// lets that answer 405 instead of 404.
pub fn methods_at(path: &str) -> Option<Vec<&'static str>> {
    // Their GET never ends by itself, and a HEAD's discarded body would never fail a write
    // to notice a closed connection: HEAD is not served on them.
    const STREAMS: &[&str] = &["/api/v1/chat/ws", "/api/v1/tickets/feed"];
    static ROUTES: OnceLock<Vec<Route>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        document()
            .paths
            .paths
            .iter()
            .map(|(template, item)| Route {
                segments: template.split('/').map(str::to_owned).collect(),
                methods: [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter_map(|(name, served)| served.then_some(name))
                .collect(),
                stream: STREAMS.contains(&template.as_str()),
            })
            .collect()
    });
    let asked: Vec<&str> = path.split('/').collect();
    let matched: Vec<&Route> = routes.iter().filter(|r| r.matches(&asked)).collect();
    let mut allowed: Vec<&'static str> = matched
        .iter()
        .flat_map(|r| r.methods.iter().copied())
        .collect();
    if allowed.is_empty() {
        return None;
    }
    // HEAD is served for every GET (`http_policy`), but a stream's: a stream's path is all
    // literal, so its GET is the one any path it matches reaches.
    if allowed.contains(&"GET") && !matched.iter().any(|r| r.stream) {
        allowed.push("HEAD");
    }
    allowed.sort_unstable();
    allowed.dedup();
    Some(allowed)
}

/// The document as served and committed: pretty JSON with a trailing newline.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_else(|e| {
        // The document is built from static declarations: failing to serialise it is a bug.
        tracing::error!(error = %e, "cannot serialise the OpenAPI document");
        String::from("{}")
    });
    json.push('\n');
    json
}

/// `GET /api/v1/openapi.json`.
#[utoipa::path(
    tag = "api",
    operation_id = "get_openapi",
    security(()),
    responses((status = 200, description = "This OpenAPI document", content_type = "application/json", body = Object)),
)]
#[get("/openapi.json")]
pub async fn get_openapi() -> HttpResponse {
    static JSON: OnceLock<String> = OnceLock::new();
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("cache-control", "no-cache"))
        .body(JSON.get_or_init(document_json).as_str())
}

/// `GET /api/docs`: Swagger UI over the document, from files embedded with the web app.
#[utoipa::path(
    tag = "api",
    operation_id = "get_api_docs",
    security(()),
    responses((status = 200, description = "An interactive reference (Swagger UI)", content_type = "text/html")),
)]
#[get("/api/docs")]
pub async fn get_api_docs(req: HttpRequest) -> Result<HttpResponse, AppError> {
    crate::web::file(&req, "api-docs/index.html").ok_or_else(|| {
        AppError::NotFound(
            Code::WebAppNotBuilt,
            "the API reference is not built into this binary (assets/web/api-docs)".into(),
        )
    })
}

/// The names of the component schemas `value` refers to, and the ones those refer to.
fn referenced(doc: &serde_json::Value, value: &serde_json::Value, seen: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && !seen.iter().any(|s| s == name)
            {
                seen.push(name.to_owned());
                referenced(doc, &doc["components"]["schemas"][name], seen);
            }
            map.values().for_each(|v| referenced(doc, v, seen));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| referenced(doc, v, seen)),
        _ => {}
    }
}

/// The two streams the OpenAPI document cannot describe, as AsyncAPI 3.0: the chat
/// WebSocket's frames and the ticket feed's server-sent events. The frames' schemas come
/// from the same Rust types the server serialises (docs/chat-protocol.md explains them).
pub fn asyncapi() -> serde_json::Value {
    use serde_json::json;
    use utoipa::PartialSchema as _;

    let openapi = serde_json::to_value(document()).unwrap_or_default();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        "ClientFrame".into(),
        serde_json::to_value(crate::chat::ClientFrame::schema()).unwrap_or_default(),
    );
    schemas.insert(
        "ServerFrame".into(),
        serde_json::to_value(crate::chat::ServerFrame::schema()).unwrap_or_default(),
    );
    let mut names = Vec::new();
    for frame in schemas.values() {
        referenced(&openapi, frame, &mut names);
    }
    for name in names {
        schemas.insert(
            name.clone(),
            openapi["components"]["schemas"][&name].clone(),
        );
    }
    schemas.insert(
        "FeedChanged".into(),
        json!({"type": "object", "required": ["at"], "properties": {
            "at": {"type": "string", "format": "date-time",
                   "description": "When the tenant's newest ticket event was written."}}}),
    );
    schemas.insert(
        "FeedEnded".into(),
        json!({"type": "object", "required": ["reason"], "properties": {
            "reason": {"type": "string"}}}),
    );
    let security = json!([
        {"$ref": "#/components/securitySchemes/bearer"},
        {"$ref": "#/components/securitySchemes/accessToken"},
    ]);
    let message = |name: &str, summary: &str, schema: &str| {
        json!({"name": name, "summary": summary, "contentType": "application/json",
               "payload": {"$ref": format!("#/components/schemas/{schema}")}})
    };
    json!({
        "asyncapi": "3.0.0",
        "info": {
            "title": "helpdesk streams",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The help chat WebSocket (docs/chat-protocol.md) and the agent \
                console's ticket feed. Both authenticate with a bearer token in the \
                `Authorization` header or the `access_token` query parameter.",
            "license": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
        },
        "channels": {
            "chat": {
                "address": "/api/v1/chat/ws",
                "description": "One JSON object per UTF-8 text frame, with a `type`.",
                "messages": {
                    "clientFrame": message("client_frame", "What a chat client sends", "ClientFrame"),
                    "serverFrame": message("server_frame", "What the server sends", "ServerFrame"),
                },
            },
            "ticketFeed": {
                "address": "/api/v1/tickets/feed",
                "description": "Server-sent events telling an agent console that its \
                    tenant's tickets changed. A comment line every 15 s keeps the stream open.",
                "messages": {
                    "ready": {"name": "ready", "summary": "The stream is open", "contentType": "application/json",
                              "payload": {"type": "object"}},
                    "changed": message("changed", "Tickets changed: reload what is shown", "FeedChanged"),
                    "ended": message("ended", "The session behind the token ended", "FeedEnded"),
                },
            },
        },
        // Operations are the server's: it receives client frames and sends the rest.
        "operations": {
            "receiveClientFrame": {
                "security": security,
                "action": "receive",
                "channel": {"$ref": "#/channels/chat"},
                "messages": [{"$ref": "#/channels/chat/messages/clientFrame"}],
            },
            "sendServerFrame": {
                "security": security,
                "action": "send",
                "channel": {"$ref": "#/channels/chat"},
                "messages": [{"$ref": "#/channels/chat/messages/serverFrame"}],
            },
            "sendTicketFeed": {
                "security": security,
                "action": "send",
                "channel": {"$ref": "#/channels/ticketFeed"},
                "messages": [
                    {"$ref": "#/channels/ticketFeed/messages/ready"},
                    {"$ref": "#/channels/ticketFeed/messages/changed"},
                    {"$ref": "#/channels/ticketFeed/messages/ended"},
                ],
            },
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "accessToken": {
                    "type": "httpApiKey",
                    "name": "access_token",
                    "in": "query",
                    "description": "The same token, for clients that cannot set headers.",
                },
            },
        },
    })
}

/// The AsyncAPI document as committed (docs/asyncapi.json).
pub fn asyncapi_json() -> String {
    let mut json = serde_json::to_string_pretty(&asyncapi()).unwrap_or_default();
    json.push('\n');
    json
}
