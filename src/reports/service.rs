use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ConnectionTrait as _, DatabaseTransaction, DbBackend, QueryResult, Statement, Value,
};
use tracing::instrument;
use uuid::Uuid;

use super::model::{
    Breakdown, BreakdownRow, Bucket, ChatOutcomes, Grouping, ReportRange, ReportSummary,
    Timeseries, agent_key,
};
use crate::chat;
use crate::database::TenantTx;
use crate::error::AppError;
use crate::tenancy::{self, BusinessHours};

/// How many recent gaps the report groups, and how many groups it shows.
const GAP_SCAN: u64 = 2_000;
const TOP_GAPS: usize = 5;

/// The dialect-specific pieces of otherwise shared SQL.
#[derive(Clone, Copy)]
struct Dialect(DbBackend);

impl Dialect {
    /// Seconds from `a` to `b`.
    fn seconds(self, a: &str, b: &str) -> String {
        match self.0 {
            DbBackend::Postgres => {
                format!("CAST(EXTRACT(EPOCH FROM ({b} - {a})) AS DOUBLE PRECISION)")
            }
            _ => format!("((julianday({b}) - julianday({a})) * 86400.0)"),
        }
    }

    /// The UTC day (or Monday of the week) of timestamp `col`, as `YYYY-MM-DD`.
    fn bucket(self, col: &str, group: Grouping) -> String {
        match (self.0, group) {
            // A date cast to text groups twice as fast as `to_char`; `DateStyle` is ISO
            // for the report's transaction (`Query::new`).
            (DbBackend::Postgres, Grouping::Day) => {
                format!("CAST(CAST({col} AT TIME ZONE 'UTC' AS DATE) AS TEXT)")
            }
            (DbBackend::Postgres, Grouping::Week) => {
                format!("CAST(CAST(date_trunc('week', {col} AT TIME ZONE 'UTC') AS DATE) AS TEXT)")
            }
            // Stored timestamps are UTC text: the first ten characters are the day.
            (_, Grouping::Day) => format!("substr({col}, 1, 10)"),
            (_, Grouping::Week) => format!("date(substr({col}, 1, 10), '-6 days', 'weekday 1')"),
        }
    }
}

/// Nearest-rank p50 and p90 of `seconds` over the rows of `inner`, per key `k`: an
/// ordered-set aggregate on PostgreSQL, window functions on SQLite (which has none).
fn percentiles_sql(dialect: Dialect, inner: &str, seconds: &str) -> String {
    match dialect.0 {
        DbBackend::Postgres => format!(
            "SELECT k, percentile_disc(0.5) WITHIN GROUP (ORDER BY s) AS p50, \
                    percentile_disc(0.9) WITHIN GROUP (ORDER BY s) AS p90 \
             FROM (SELECT k, {seconds} AS s FROM ({inner}) d) r GROUP BY k"
        ),
        _ => format!(
            "WITH d AS ({inner}), \
             r AS (SELECT k, {seconds} AS s, \
                          ROW_NUMBER() OVER (PARTITION BY k ORDER BY {seconds}) AS rn, \
                          COUNT(*) OVER (PARTITION BY k) AS n FROM d) \
             SELECT k, MIN(CASE WHEN 2 * rn >= n THEN s END) AS p50, \
                       MIN(CASE WHEN 10 * rn >= 9 * n THEN s END) AS p90 \
             FROM r GROUP BY k"
        ),
    }
}

/// A row's group key as text: a name or day, or an assignee's id (a uuid on PostgreSQL, a
/// blob on SQLite, so it is read as a uuid when it is not text).
fn group_key(row: &QueryResult) -> Result<Option<String>, AppError> {
    match row.try_get::<Option<String>>("", "k") {
        Ok(k) => Ok(k),
        Err(_) => Ok(row.try_get::<Option<Uuid>>("", "k")?.map(|u| u.to_string())),
    }
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    // Nearest rank, as the SQL computes it.
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied()
}

struct Query<'a> {
    txn: &'a DatabaseTransaction,
    dialect: Dialect,
}

impl<'a> Query<'a> {
    /// The queries of one report, in `txn`. On PostgreSQL the report's sorts get more
    /// memory than a request's default, for this transaction only, so that a year of
    /// tickets sorts in memory rather than on disk.
    async fn new(txn: &'a DatabaseTransaction) -> Result<Self, AppError> {
        let dialect = Dialect(txn.get_database_backend());
        if dialect.0 == DbBackend::Postgres {
            txn.execute_unprepared("SET LOCAL work_mem = '32MB'")
                .await?;
        }
        Ok(Self { txn, dialect })
    }

    async fn all(&self, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>, AppError> {
        Ok(self
            .txn
            .query_all_raw(Statement::from_sql_and_values(self.dialect.0, sql, values))
            .await?)
    }

    async fn one(&self, sql: &str, values: Vec<Value>) -> Result<QueryResult, AppError> {
        self.txn
            .query_one_raw(Statement::from_sql_and_values(self.dialect.0, sql, values))
            .await?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("an aggregate returned no row")))
    }

    /// Per key: p50 and p90 seconds from `opened` to `done` over the rows of `inner`
    /// (columns `k`, `opened`, `done`): in SQL, or in the tenant's business hours.
    async fn times(
        &self,
        inner: &str,
        values: Vec<Value>,
        hours: Option<&BusinessHours>,
    ) -> Result<BTreeMap<Option<String>, (Option<f64>, Option<f64>)>, AppError> {
        let mut out = BTreeMap::new();
        match hours {
            None => {
                let sql =
                    percentiles_sql(self.dialect, inner, &self.dialect.seconds("opened", "done"));
                for row in self.all(&sql, values).await? {
                    out.insert(
                        group_key(&row)?,
                        (row.try_get("", "p50")?, row.try_get("", "p90")?),
                    );
                }
            }
            Some(hours) => {
                let mut spans: BTreeMap<Option<String>, Vec<f64>> = BTreeMap::new();
                for row in self.all(inner, values).await? {
                    let opened: DateTime<Utc> = row.try_get("", "opened")?;
                    let done: DateTime<Utc> = row.try_get("", "done")?;
                    let secs = hours.elapsed(opened, done).num_milliseconds() as f64 / 1000.0;
                    spans.entry(group_key(&row)?).or_default().push(secs);
                }
                for (key, mut secs) in spans {
                    secs.sort_by(f64::total_cmp);
                    out.insert(key, (percentile(&secs, 0.5), percentile(&secs, 0.9)));
                }
            }
        }
        Ok(out)
    }
}

fn range_values(tenant: Uuid, range: &ReportRange) -> Vec<Value> {
    vec![tenant.into(), range.start().into(), range.end().into()]
}

async fn business_hours(tx: &TenantTx) -> Result<Option<BusinessHours>, AppError> {
    Ok(tenancy::settings_of(tx)
        .await?
        .business_hours
        .and_then(|raw| BusinessHours::parse(&raw).ok()))
}

/// `k` for the totals: one constant group.
const ALL: &str = "CAST(NULL AS TEXT)";

/// Tickets opened in the range that staff replied to, and when they first did.
fn first_responses(key: &str) -> String {
    format!(
        "SELECT {key} AS k, t.created_at AS opened, t.first_response_at AS done FROM tickets t \
         WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 \
           AND t.first_response_at IS NOT NULL"
    )
}

fn resolutions(key: &str) -> String {
    format!(
        "SELECT {key} AS k, t.created_at AS opened, t.closed_at AS done FROM tickets t \
         WHERE t.tenant_id = $1 AND t.closed_at >= $2 AND t.closed_at < $3"
    )
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn summary(
    tx: &TenantTx,
    range: &ReportRange,
    gap_similarity: f32,
) -> Result<ReportSummary, AppError> {
    let txn: &DatabaseTransaction = tx;
    let q = Query::new(txn).await?;
    let tenant = tx.tenant().0;
    let values = || range_values(tenant, range);
    let hours = business_hours(tx).await?;

    // One pass over the tenant's tickets opened before the range ends.
    let counts = q
        .one(
            "SELECT \
               COALESCE(SUM(CASE WHEN created_at >= $2 THEN 1 ELSE 0 END), 0) AS created, \
               COALESCE(SUM(CASE WHEN closed_at >= $2 AND closed_at < $3 THEN 1 ELSE 0 END), 0) AS solved, \
               COALESCE(SUM(CASE WHEN closed_at IS NULL OR closed_at >= $3 THEN 1 ELSE 0 END), 0) AS backlog \
             FROM tickets WHERE tenant_id = $1 AND created_at < $3",
            values(),
        )
        .await?;
    let first = q
        .times(&first_responses(ALL), values(), hours.as_ref())
        .await?;
    let resolved = q.times(&resolutions(ALL), values(), hours.as_ref()).await?;
    let (first_p50, first_p90) = first.get(&None).copied().unwrap_or_default();
    let (res_p50, res_p90) = resolved.get(&None).copied().unwrap_or_default();

    let mut sla_values = values();
    sla_values.push(Utc::now().into());
    let sla = q
        .one(
            "SELECT \
               COALESCE(SUM(CASE WHEN sla_due_at IS NOT NULL AND first_response_at <= sla_due_at THEN 1 ELSE 0 END), 0) \
             + COALESCE(SUM(CASE WHEN resolution_due_at IS NOT NULL AND closed_at <= resolution_due_at THEN 1 ELSE 0 END), 0) AS met, \
               COALESCE(SUM(CASE WHEN sla_due_at IS NOT NULL AND (first_response_at > sla_due_at \
                   OR (first_response_at IS NULL AND sla_due_at < $4)) THEN 1 ELSE 0 END), 0) \
             + COALESCE(SUM(CASE WHEN resolution_due_at IS NOT NULL AND (closed_at > resolution_due_at \
                   OR (closed_at IS NULL AND resolution_due_at < $4)) THEN 1 ELSE 0 END), 0) AS missed \
             FROM tickets \
             WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 \
               AND (sla_due_at IS NOT NULL OR resolution_due_at IS NOT NULL)",
            sla_values,
        )
        .await?;
    let (met, missed): (i64, i64) = (sla.try_get("", "met")?, sla.try_get("", "missed")?);

    let chats = chat_outcomes(&q, values()).await?;
    let ratings = q
        .one(
            "SELECT \
               COALESCE(SUM(CASE WHEN subject_kind <> 'answer' AND score = 'good' THEN 1 ELSE 0 END), 0) AS good, \
               COALESCE(SUM(CASE WHEN subject_kind <> 'answer' AND score = 'bad' THEN 1 ELSE 0 END), 0) AS bad, \
               COALESCE(SUM(CASE WHEN subject_kind = 'answer' AND score = 'good' THEN 1 ELSE 0 END), 0) AS up, \
               COALESCE(SUM(CASE WHEN subject_kind = 'answer' AND score = 'bad' THEN 1 ELSE 0 END), 0) AS down \
             FROM ratings WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3",
            values(),
        )
        .await?;
    let (good, bad): (i64, i64) = (ratings.try_get("", "good")?, ratings.try_get("", "bad")?);
    let gaps = chat::knowledge_gaps(
        tx,
        gap_similarity,
        GAP_SCAN,
        TOP_GAPS,
        Some((range.start(), range.end())),
    )
    .await?;
    Ok(ReportSummary {
        from: range.from,
        to: range.to,
        tickets_created: counts.try_get("", "created")?,
        tickets_solved: counts.try_get("", "solved")?,
        backlog: counts.try_get("", "backlog")?,
        first_response_p50_seconds: first_p50,
        first_response_p90_seconds: first_p90,
        resolution_p50_seconds: res_p50,
        resolution_p90_seconds: res_p90,
        business_hours: hours.is_some(),
        sla_attainment: ratio(met, met + missed),
        sla_met: met,
        sla_missed: missed,
        deflection_rate: ratio(chats.deflected, chats.total),
        chats,
        csat: ratio(good, good + bad),
        csat_responses: good + bad,
        answer_thumbs_up: ratings.try_get("", "up")?,
        answer_thumbs_down: ratings.try_get("", "down")?,
        knowledge_gaps: gaps,
    })
}

/// Chats opened in the range by outcome, per `key` of the session's `created_at`.
fn chats_sql(key: &str) -> String {
    format!(
        "SELECT {key} AS k, \
           COALESCE(SUM(CASE WHEN cs.bot_outcome IS NOT NULL OR cs.ticket_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS total, \
           COALESCE(SUM(CASE WHEN cs.ticket_id IS NULL AND cs.bot_outcome = 'answered' THEN 1 ELSE 0 END), 0) AS deflected, \
           COALESCE(SUM(CASE WHEN cs.ticket_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS handed_off, \
           COALESCE(SUM(CASE WHEN cs.ticket_id IS NULL AND cs.bot_outcome = 'suggested' THEN 1 ELSE 0 END), 0) AS suggested, \
           COALESCE(SUM(CASE WHEN cs.ticket_id IS NULL AND cs.bot_outcome = 'abstained' THEN 1 ELSE 0 END), 0) AS abstained \
         FROM chat_sessions cs \
         WHERE cs.tenant_id = $1 AND cs.created_at >= $2 AND cs.created_at < $3 \
         GROUP BY {key}"
    )
}

fn outcomes(row: &QueryResult) -> Result<ChatOutcomes, AppError> {
    Ok(ChatOutcomes {
        total: row.try_get("", "total")?,
        deflected: row.try_get("", "deflected")?,
        handed_off: row.try_get("", "handed_off")?,
        suggested: row.try_get("", "suggested")?,
        abstained: row.try_get("", "abstained")?,
    })
}

async fn chat_outcomes(q: &Query<'_>, values: Vec<Value>) -> Result<ChatOutcomes, AppError> {
    let rows = q.all(&chats_sql(ALL), values).await?;
    rows.first()
        .map_or_else(|| Ok(ChatOutcomes::default()), outcomes)
}

/// Every bucket start from the range's first to its last, so empty days show as zeros.
fn bucket_starts(range: &ReportRange, group: Grouping) -> Vec<NaiveDate> {
    use chrono::Datelike as _;
    let first = match group {
        Grouping::Day => range.from,
        Grouping::Week => {
            range.from - Duration::days(i64::from(range.from.weekday().num_days_from_monday()))
        }
    };
    let step = match group {
        Grouping::Day => Duration::days(1),
        Grouping::Week => Duration::days(7),
    };
    let mut out = Vec::new();
    let mut at = first;
    while at <= range.to {
        out.push(at);
        at += step;
    }
    out
}

fn bucket_at(buckets: &mut BTreeMap<String, Bucket>, key: Option<String>) -> Option<&mut Bucket> {
    buckets.get_mut(&key?)
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn timeseries(
    tx: &TenantTx,
    range: &ReportRange,
    group: Grouping,
) -> Result<Timeseries, AppError> {
    let txn: &DatabaseTransaction = tx;
    let q = Query::new(txn).await?;
    let dialect = q.dialect;
    let tenant = tx.tenant().0;
    let values = || range_values(tenant, range);
    let hours = business_hours(tx).await?;
    let mut buckets: BTreeMap<String, Bucket> = bucket_starts(range, group)
        .into_iter()
        .map(|d| {
            let start = d.format("%Y-%m-%d").to_string();
            (
                start.clone(),
                Bucket {
                    start,
                    ..Bucket::default()
                },
            )
        })
        .collect();

    let created = dialect.bucket("t.created_at", group);
    for row in q
        .all(
            &format!(
                "SELECT {created} AS k, COUNT(*) AS n FROM tickets t \
                 WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 GROUP BY {created}"
            ),
            values(),
        )
        .await?
    {
        if let Some(b) = bucket_at(&mut buckets, group_key(&row)?) {
            b.tickets_created = row.try_get("", "n")?;
        }
    }
    let closed = dialect.bucket("t.closed_at", group);
    for row in q
        .all(
            &format!(
                "SELECT {closed} AS k, COUNT(*) AS n FROM tickets t \
                 WHERE t.tenant_id = $1 AND t.closed_at >= $2 AND t.closed_at < $3 GROUP BY {closed}"
            ),
            values(),
        )
        .await?
    {
        if let Some(b) = bucket_at(&mut buckets, group_key(&row)?) {
            b.tickets_solved = row.try_get("", "n")?;
        }
    }
    for (key, (p50, _)) in q
        .times(&first_responses(&created), values(), hours.as_ref())
        .await?
    {
        if let Some(b) = bucket_at(&mut buckets, key) {
            b.first_response_p50_seconds = p50;
        }
    }
    for (key, (p50, _)) in q
        .times(&resolutions(&closed), values(), hours.as_ref())
        .await?
    {
        if let Some(b) = bucket_at(&mut buckets, key) {
            b.resolution_p50_seconds = p50;
        }
    }
    for row in q
        .all(
            &chats_sql(&dialect.bucket("cs.created_at", group)),
            values(),
        )
        .await?
    {
        if let Some(b) = bucket_at(&mut buckets, group_key(&row)?) {
            let o = outcomes(&row)?;
            b.chats = o.total;
            b.deflected = o.deflected;
            b.handed_off = o.handed_off;
        }
    }
    let rated = dialect.bucket("created_at", group);
    for row in q
        .all(
            &format!(
                "SELECT {rated} AS k, \
                   COALESCE(SUM(CASE WHEN score = 'good' THEN 1 ELSE 0 END), 0) AS good, \
                   COALESCE(SUM(CASE WHEN score = 'bad' THEN 1 ELSE 0 END), 0) AS bad \
                 FROM ratings WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3 \
                   AND subject_kind <> 'answer' GROUP BY {rated}"
            ),
            values(),
        )
        .await?
    {
        if let Some(b) = bucket_at(&mut buckets, group_key(&row)?) {
            b.csat_good = row.try_get("", "good")?;
            b.csat_bad = row.try_get("", "bad")?;
        }
    }
    // The backlog at each bucket's end: open before the range, plus opened, minus solved.
    let before = q
        .one(
            "SELECT COUNT(*) AS n FROM tickets WHERE tenant_id = $1 AND created_at < $2 \
               AND (closed_at IS NULL OR closed_at >= $2)",
            values(),
        )
        .await?;
    let mut backlog: i64 = before.try_get("", "n")?;
    let mut out: Vec<Bucket> = buckets.into_values().collect();
    for bucket in &mut out {
        backlog += bucket.tickets_created - bucket.tickets_solved;
        bucket.backlog = backlog.max(0);
    }
    Ok(Timeseries {
        from: range.from,
        to: range.to,
        group,
        business_hours: hours.is_some(),
        buckets: out,
    })
}

#[instrument(skip_all, fields(tenant = %tx.tenant()))]
pub async fn breakdown(
    tx: &TenantTx,
    range: &ReportRange,
    by_agent: bool,
) -> Result<Breakdown, AppError> {
    let txn: &DatabaseTransaction = tx;
    let q = Query::new(txn).await?;
    let tenant = tx.tenant().0;
    let values = || range_values(tenant, range);
    let hours = business_hours(tx).await?;
    let key = if by_agent { "t.assignee_id" } else { "t.queue" };
    let mut rows: BTreeMap<Option<String>, BreakdownRow> = BTreeMap::new();
    for row in q
        .all(
            &format!(
                "SELECT {key} AS k, COUNT(*) AS created, \
                   COALESCE(SUM(CASE WHEN t.closed_at IS NULL THEN 1 ELSE 0 END), 0) AS open \
                 FROM tickets t WHERE t.tenant_id = $1 AND t.created_at >= $2 AND t.created_at < $3 \
                 GROUP BY {key}"
            ),
            values(),
        )
        .await?
    {
        let k: Option<String> = group_key(&row)?;
        let entry = rows.entry(k.clone()).or_insert_with(|| BreakdownRow {
            key: k,
            ..BreakdownRow::default()
        });
        entry.tickets_created = row.try_get("", "created")?;
        entry.open = row.try_get("", "open")?;
    }
    for row in q
        .all(
            &format!(
                "SELECT {key} AS k, COUNT(*) AS solved FROM tickets t \
                 WHERE t.tenant_id = $1 AND t.closed_at >= $2 AND t.closed_at < $3 GROUP BY {key}"
            ),
            values(),
        )
        .await?
    {
        let k: Option<String> = group_key(&row)?;
        rows.entry(k.clone())
            .or_insert_with(|| BreakdownRow {
                key: k,
                ..BreakdownRow::default()
            })
            .tickets_solved = row.try_get("", "solved")?;
    }
    for (k, (p50, _)) in q
        .times(&first_responses(key), values(), hours.as_ref())
        .await?
    {
        if let Some(row) = rows.get_mut(&k) {
            row.first_response_p50_seconds = p50;
        }
    }
    for (k, (p50, _)) in q.times(&resolutions(key), values(), hours.as_ref()).await? {
        if let Some(row) = rows.get_mut(&k) {
            row.resolution_p50_seconds = p50;
        }
    }
    for row in q
        .all(
            &format!(
                "SELECT {key} AS k, \
                   COALESCE(SUM(CASE WHEN r.score = 'good' THEN 1 ELSE 0 END), 0) AS good, \
                   COALESCE(SUM(CASE WHEN r.score = 'bad' THEN 1 ELSE 0 END), 0) AS bad \
                 FROM ratings r JOIN tickets t ON t.tenant_id = r.tenant_id AND t.id = r.subject_id \
                 WHERE r.tenant_id = $1 AND r.subject_kind = 'ticket' \
                   AND r.created_at >= $2 AND r.created_at < $3 GROUP BY {key}"
            ),
            values(),
        )
        .await?
    {
        if let Some(entry) = rows.get_mut(&group_key(&row)?) {
            entry.csat_good = row.try_get("", "good")?;
            entry.csat_bad = row.try_get("", "bad")?;
        }
    }
    let mut out: Vec<BreakdownRow> = rows.into_values().collect();
    if by_agent {
        let users = tenancy::list_users(tx).await?;
        for row in &mut out {
            row.name = users
                .iter()
                .find(|u| agent_key(Some(u.id.0)) == row.key)
                .map(|u| u.display_name.clone());
        }
    }
    out.sort_by_key(|row| std::cmp::Reverse(row.tickets_created));
    Ok(Breakdown {
        from: range.from,
        to: range.to,
        by: if by_agent { "agent" } else { "queue" },
        rows: out,
    })
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank_percentiles() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&values, 0.5), Some(5.0));
        assert_eq!(percentile(&values, 0.9), Some(9.0));
        assert_eq!(percentile(&[42.0], 0.9), Some(42.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
