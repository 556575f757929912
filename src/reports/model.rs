use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::chat::GapGroup;
use crate::error::AppError;
use crate::validation::{Fields, Invalid};

/// The longest range one report covers.
pub const MAX_RANGE_DAYS: i64 = 731;

/// Whole UTC days, `from` and `to` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl ReportRange {
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<Self, AppError> {
        let mut fields = Fields::new();
        let date = |raw: Option<&str>| -> Result<NaiveDate, Invalid> {
            let raw = raw.ok_or_else(|| Invalid::new("required", "a date, YYYY-MM-DD"))?;
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| Invalid::new("invalid_date", "a date, YYYY-MM-DD"))
        };
        let from = fields.check("from", date(from));
        let to = fields.check("to", date(to));
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                fields.add("to", Invalid::new("before_from", "`to` is before `from`"));
            } else if (to - from).num_days() >= MAX_RANGE_DAYS {
                fields.add(
                    "to",
                    Invalid::new(
                        "range_too_long",
                        format!("a report covers at most {MAX_RANGE_DAYS} days"),
                    ),
                );
            }
        }
        fields.finish()?;
        match (from, to) {
            (Some(from), Some(to)) => Ok(Self { from, to }),
            _ => Err(AppError::Internal(anyhow::anyhow!(
                "validated range missing"
            ))),
        }
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.from.and_time(chrono::NaiveTime::MIN).and_utc()
    }

    /// The first instant after the range.
    pub fn end(&self) -> DateTime<Utc> {
        (self.to + Duration::days(1))
            .and_time(chrono::NaiveTime::MIN)
            .and_utc()
    }
}

crate::validation::string_enum!(Grouping, "grouping", {
    Day => "day",
    Week => "week",
});

crate::validation::string_enum!(BreakdownBy, "by", {
    Queue => "queue",
    Agent => "agent",
});

/// Chats opened in the range, by how they ended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ChatOutcomes {
    /// Chats in which the visitor asked something.
    pub total: i64,
    /// Answered by the bot and not handed off.
    pub deflected: i64,
    pub handed_off: i64,
    /// Not handed off; the bot only suggested pages.
    pub suggested: i64,
    /// Not handed off; the bot abstained throughout.
    pub abstained: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportSummary {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// Tickets opened in the range.
    pub tickets_created: i64,
    /// Tickets resolved or closed in the range.
    pub tickets_solved: i64,
    /// Tickets open at the end of the range.
    pub backlog: i64,
    /// Of tickets opened in the range: time to the first public reply by staff.
    pub first_response_p50_seconds: Option<f64>,
    pub first_response_p90_seconds: Option<f64>,
    /// Of tickets solved in the range: time from opening to solving.
    pub resolution_p50_seconds: Option<f64>,
    pub resolution_p90_seconds: Option<f64>,
    /// Times above are counted in the tenant's business hours.
    pub business_hours: bool,
    /// Of the first-response and resolution deadlines of tickets opened in the range that
    /// were met or have passed: the share met. `null` when none has.
    pub sla_attainment: Option<f64>,
    pub sla_met: i64,
    pub sla_missed: i64,
    pub chats: ChatOutcomes,
    /// Deflected chats over chats: answered by the bot without a person.
    pub deflection_rate: Option<f64>,
    /// Good ratings over all ratings of chats and tickets given in the range.
    pub csat: Option<f64>,
    pub csat_responses: i64,
    /// Thumbs on single bot answers.
    pub answer_thumbs_up: i64,
    pub answer_thumbs_down: i64,
    /// Questions the bot could not answer (or whose answer got a thumbs down), grouped.
    pub knowledge_gaps: Vec<GapGroup>,
}

/// One day or week.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Bucket {
    /// The first day of the bucket (a Monday for weeks).
    pub start: String,
    pub tickets_created: i64,
    pub tickets_solved: i64,
    /// Tickets open at the end of the bucket.
    pub backlog: i64,
    pub first_response_p50_seconds: Option<f64>,
    pub resolution_p50_seconds: Option<f64>,
    pub chats: i64,
    pub deflected: i64,
    pub handed_off: i64,
    pub csat_good: i64,
    pub csat_bad: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Timeseries {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    pub group: Grouping,
    pub business_hours: bool,
    pub buckets: Vec<Bucket>,
}

/// One queue's or agent's figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BreakdownRow {
    /// The queue's name, or the agent's id (`null`: unassigned).
    pub key: Option<String>,
    /// The agent's display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tickets_created: i64,
    pub tickets_solved: i64,
    /// Of those opened in the range, still open now.
    pub open: i64,
    pub first_response_p50_seconds: Option<f64>,
    pub resolution_p50_seconds: Option<f64>,
    pub csat_good: i64,
    pub csat_bad: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    /// `queue` or `agent`.
    #[schema(value_type = String, examples("queue", "agent"))]
    pub by: &'static str,
    pub rows: Vec<BreakdownRow>,
}

/// The assignee a breakdown row stands for, kept as an id for name lookups.
pub(super) fn agent_key(id: Option<Uuid>) -> Option<String> {
    id.map(|u| u.to_string())
}
