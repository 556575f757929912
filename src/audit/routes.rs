//! `GET /api/v1/audit`: the tenant's audit log for admins, newest first, filtered by actor,
//! action and time, in cursor pages.

use actix_web::{HttpResponse, get, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Action, Filter, RecordView};
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::database::TenantTx;
use crate::error::AppError;
use crate::validation::{Fields, Invalid, RangeRule, Rule, checked, page_limit};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(list);
}

const MAX_PAGE: u64 = 200;

/// The rules of this module's query parameters, for the OpenAPI document.
pub const QUERY_RULES: &[(&str, &str, Rule)] = &[(
    "list_audit",
    "limit",
    Rule::Range(RangeRule::page_limit(MAX_PAGE)),
)];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Only records by this actor id (a user id or an operator subject).
    actor: Option<String>,
    /// An audit action (docs/privacy.md).
    #[param(inline, value_type = Option<Action>)]
    action: Option<String>,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    /// Records per page: 1 to 200, 50 by default.
    limit: Option<u64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = AuditPage)]
struct Page {
    items: Vec<RecordView>,
    /// The cursor of the next page; `null` on the last.
    next_cursor: Option<String>,
}

fn encode_cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("audit:{seq}"))
}

fn decode_cursor(raw: &str) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(raw).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("audit:")?
        .parse()
        .ok()
}

#[utoipa::path(
    summary = "List the audit trail",
    tag = "audit",
    operation_id = "list_audit",
    params(ListQuery),
    responses((status = 200, description = "A page of the audit trail, newest first", body = Page)),
)]
#[get("/audit")]
async fn list(
    state: web::Data<AppState>,
    caller: Authorized<can::ListAudit>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let mut fields = Fields::new();
    let action = query
        .action
        .as_deref()
        .and_then(|raw| fields.check("action", Action::parse(raw)));
    let before = query.cursor.as_deref().and_then(|raw| {
        let parsed = decode_cursor(raw);
        if parsed.is_none() {
            fields.add(
                "cursor",
                Invalid::new("invalid_cursor", "not a cursor from this API"),
            );
        }
        parsed
    });
    let limit = fields.check("limit", page_limit(query.limit, 50, MAX_PAGE));
    fields.finish()?;
    let limit = checked(limit)?;
    let filter = Filter {
        actor: query.actor,
        action,
        since: query.since,
        until: query.until,
        before,
        limit,
    };
    let (items, next) = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        super::list(tx, filter).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: next.map(encode_cursor),
    }))
}
