//! `/api/v1/reports/…`, for admins: thin handlers over the report queries.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{Breakdown, BreakdownBy, Grouping, ReportRange, ReportSummary, Timeseries};
use super::service;
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::database::TenantTx;
use crate::error::AppError;
use crate::validation::{Fields, checked};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(get_summary)
        .service(get_timeseries)
        .service(get_breakdown);
}

/// The days every report covers. Each handler also extracts its own extra parameters from
/// the same query string, so this is declared once.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RangeQuery {
    /// The first day (UTC), `YYYY-MM-DD`.
    #[param(required = true, value_type = String, format = Date)]
    from: Option<String>,
    /// The last day (UTC), included; a range covers at most 731 days.
    #[param(required = true, value_type = String, format = Date)]
    to: Option<String>,
}

#[utoipa::path(
    summary = "The help desk's figures over a date range",
    tag = "reports",
    params(RangeQuery),
    responses((status = 200, description = "Totals over the range", body = ReportSummary)),
)]
#[get("/reports/summary")]
async fn get_summary(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadReports>,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, AppError> {
    let range = ReportRange::parse(query.from.as_deref(), query.to.as_deref())?;
    let similarity = state.settings.chat.gap_similarity;
    let report = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::summary(tx, &range, similarity).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// How `timeseries` buckets the range.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct GroupQuery {
    /// `day` (default) or `week` (weeks start on Monday).
    #[param(value_type = Option<Grouping>)]
    group: Option<String>,
}

#[utoipa::path(
    summary = "The help desk's figures by day or week",
    tag = "reports",
    params(RangeQuery, GroupQuery),
    responses((status = 200, description = "One bucket per day or week of the range, empty ones included", body = Timeseries)),
)]
#[get("/reports/timeseries")]
async fn get_timeseries(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadReports>,
    range: web::Query<RangeQuery>,
    query: web::Query<GroupQuery>,
) -> Result<HttpResponse, AppError> {
    let range = ReportRange::parse(range.from.as_deref(), range.to.as_deref())?;
    let mut fields = Fields::new();
    let group = fields.check(
        "group",
        Grouping::parse(query.group.as_deref().unwrap_or("day")),
    );
    fields.finish()?;
    let group = checked(group)?;
    let series = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::timeseries(tx, &range, group).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(series))
}

/// What `breakdown` groups by.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ByQuery {
    /// `queue` (default) or `agent` (the assignee).
    #[param(inline, value_type = Option<BreakdownBy>)]
    by: Option<String>,
}

#[utoipa::path(
    summary = "The help desk's figures per queue or per agent",
    tag = "reports",
    params(RangeQuery, ByQuery),
    responses((status = 200, description = "One row per queue or assignee, busiest first", body = Breakdown)),
)]
#[get("/reports/breakdown")]
async fn get_breakdown(
    state: web::Data<AppState>,
    caller: Authorized<can::ReadReports>,
    range: web::Query<RangeQuery>,
    query: web::Query<ByQuery>,
) -> Result<HttpResponse, AppError> {
    let range = ReportRange::parse(range.from.as_deref(), range.to.as_deref())?;
    let by = BreakdownBy::parse(query.by.as_deref().unwrap_or("queue"))
        .map_err(|invalid| invalid.at("by"))?;
    let by_agent = by == BreakdownBy::Agent;
    let table = TenantTx::run_as(&state.db, caller.tenant, caller.actor(), async |tx| {
        service::breakdown(tx, &range, by_agent).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(table))
}
