//! `GET /api/v1/usage?from=&to=`: the tenant's daily usage and its cost, for admins;
//! `GET /api/v1/usage/tenants?from=&to=`: every tenant's totals, for platform operators.

use actix_web::{HttpResponse, get, web};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Priced, priced};
use crate::app::AppState;
use crate::auth::{Authorized, PlatformOperator, can};
use crate::config::Prices;
use crate::database::TenantTx;
use crate::error::AppError;
use crate::validation::{Fields, Invalid};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(read).service(per_tenant);
}

/// The longest span one request reads.
const MAX_DAYS: i64 = 366;
/// Without `from`, the last 30 days.
const DEFAULT_DAYS: i64 = 30;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct UsageQuery {
    /// The first day (YYYY-MM-DD, UTC); by default 29 days before `to`.
    #[param(format = Date)]
    from: Option<String>,
    /// The last day (YYYY-MM-DD, UTC); by default today. At most 366 days after `from`.
    #[param(format = Date)]
    to: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct Day {
    day: NaiveDate,
    #[serde(flatten)]
    usage: Priced,
}

#[derive(Serialize, ToSchema)]
struct Storage {
    documents: u64,
    chunks: u64,
    vectors: usize,
}

#[derive(Serialize, ToSchema)]
struct Usage {
    from: NaiveDate,
    to: NaiveDate,
    days: Vec<Day>,
    totals: Priced,
    storage: Storage,
    prices: Prices,
}

#[derive(Serialize, ToSchema)]
struct TenantUsage {
    tenant_id: uuid::Uuid,
    #[serde(flatten)]
    usage: Priced,
}

#[derive(Serialize, ToSchema)]
struct PlatformUsage {
    from: NaiveDate,
    to: NaiveDate,
    tenants: Vec<TenantUsage>,
    totals: Priced,
    prices: Prices,
}

/// `from` and `to` from the query: both valid dates, `from` not after `to`, at most
/// [`MAX_DAYS`] apart; by default the last [`DEFAULT_DAYS`] days.
fn range(query: &UsageQuery) -> Result<(NaiveDate, NaiveDate), AppError> {
    let mut fields = Fields::new();
    let to = date(&mut fields, "to", query.to.as_deref());
    let from = date(&mut fields, "from", query.from.as_deref());
    fields.finish()?;
    let to = to.unwrap_or_else(|| Utc::now().date_naive());
    let from = from.unwrap_or(to - chrono::Duration::days(DEFAULT_DAYS - 1));
    if !(0..MAX_DAYS).contains(&(to - from).num_days()) {
        let mut fields = Fields::new();
        fields.add(
            "from",
            Invalid::new(
                "invalid_range",
                "from must not be after to, and the range at most 366 days",
            ),
        );
        fields.finish()?;
    }
    Ok((from, to))
}

/// `GET /api/v1/usage/tenants`: every tenant's totals over the range, for operators.
#[utoipa::path(
    tag = "usage",
    operation_id = "list_tenant_usage",
    params(UsageQuery),
    responses((status = 200, description = "Every tenant's totals over the range (platform operators)", body = PlatformUsage)),
)]
#[get("/usage/tenants")]
async fn per_tenant(
    state: web::Data<AppState>,
    _operator: PlatformOperator,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse, AppError> {
    let (from, to) = range(&query)?;
    state.llm.usage().flush(&state.db).await?;
    let prices = state.settings.usage.prices;
    let (tenants, totals) = priced(super::per_tenant(&state.db, from, to).await?, &prices);
    Ok(HttpResponse::Ok().json(PlatformUsage {
        from,
        to,
        tenants: tenants
            .into_iter()
            .map(|(tenant, usage)| TenantUsage {
                tenant_id: tenant.0,
                usage,
            })
            .collect(),
        totals,
        prices,
    }))
}

fn date(fields: &mut Fields, name: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let raw = raw?;
    let parsed = NaiveDate::parse_from_str(raw, super::DAY).ok();
    if parsed.is_none() {
        fields.add(name, Invalid::new("invalid_date", "a date as YYYY-MM-DD"));
    }
    parsed
}

#[utoipa::path(
    summary = "Read the tenant's usage and cost",
    tag = "usage",
    operation_id = "get_usage",
    params(UsageQuery),
    responses((status = 200, description = "The tenant's usage per day, its totals and cost", body = Usage)),
)]
#[get("/usage")]
async fn read(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadUsage>,
    query: web::Query<UsageQuery>,
) -> Result<HttpResponse, AppError> {
    let (from, to) = range(&query)?;
    // What this replica counted but has not written yet belongs in the answer.
    state.llm.usage().flush(&state.db).await?;
    let rows = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        super::days(tx, from, to).await
    })
    .await?;
    let (documents, chunks, vectors) = state.knowledge.counts(caller.tenant).await?;
    let prices = state.settings.usage.prices;
    let (days, totals) = priced(rows, &prices);
    Ok(HttpResponse::Ok().json(Usage {
        from,
        to,
        days: days
            .into_iter()
            .map(|(day, usage)| Day { day, usage })
            .collect(),
        totals,
        storage: Storage {
            documents,
            chunks,
            vectors,
        },
        prices,
    }))
}
