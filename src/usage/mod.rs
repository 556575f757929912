//! Per-tenant usage and cost: model tokens and seconds, embedding inputs, chat answers by
//! outcome and handoffs, counted per tenant and UTC day.
//!
//! Counting happens where the work happens (the model gateway, the answerer, the handoff)
//! into an in-memory [`Meter`]; [`Meter::flush`] adds what was counted to the tenant's
//! `usage_daily` row, and runs on a timer, before every read and at shutdown. Replicas
//! each add their own counts, so the rows are the sum over all of them.

pub mod routes;

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait as _, OnConflict};
use sea_orm::{
    ColumnTrait as _, DatabaseConnection, EntityTrait as _, QueryFilter as _, QueryOrder as _, Set,
};
use serde::Serialize;

use crate::config::Prices;
use crate::database::{TenantTx, begin_platform};
use crate::entity::usage_daily;
use crate::error::AppError;
use crate::ids::TenantId;

/// What one tenant used on one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub model_ms: u64,
    pub embedding_inputs: u64,
    pub answered: u64,
    pub suggested: u64,
    pub abstained: u64,
    pub handoffs: u64,
}

impl Counts {
    fn add(&mut self, other: &Self) {
        self.prompt_tokens += other.prompt_tokens;
        self.completion_tokens += other.completion_tokens;
        self.model_ms += other.model_ms;
        self.embedding_inputs += other.embedding_inputs;
        self.answered += other.answered;
        self.suggested += other.suggested;
        self.abstained += other.abstained;
        self.handoffs += other.handoffs;
    }

    fn of(row: &usage_daily::Model) -> Self {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Self {
            prompt_tokens: n(row.prompt_tokens),
            completion_tokens: n(row.completion_tokens),
            model_ms: n(row.model_ms),
            embedding_inputs: n(row.embedding_inputs),
            answered: n(row.answered),
            suggested: n(row.suggested),
            abstained: n(row.abstained),
            handoffs: n(row.handoffs),
        }
    }

    /// The cost of this usage at `prices` (per 1,000 tokens, per model second, per 1,000
    /// embedding inputs).
    pub fn cost(&self, prices: &Prices) -> f64 {
        let per_k = |n: u64, price: f64| n as f64 / 1000.0 * price;
        per_k(self.prompt_tokens, prices.prompt_per_1k_tokens)
            + per_k(self.completion_tokens, prices.completion_per_1k_tokens)
            + per_k(self.embedding_inputs, prices.embedding_per_1k_inputs)
            + self.model_ms as f64 / 1000.0 * prices.per_model_second
    }
}

/// Usage with its cost at the configured prices, as the API answers it.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct Priced {
    #[serde(flatten)]
    pub counts: Counts,
    pub cost: f64,
}

impl Priced {
    fn at(counts: Counts, prices: &Prices) -> Self {
        Self {
            counts,
            cost: counts.cost(prices),
        }
    }
}

/// Each row priced, and the priced sum of them all.
pub fn priced<K>(rows: Vec<(K, Counts)>, prices: &Prices) -> (Vec<(K, Priced)>, Priced) {
    let mut total = Counts::default();
    let rows = rows
        .into_iter()
        .map(|(key, counts)| {
            total.add(&counts);
            (key, Priced::at(counts, prices))
        })
        .collect();
    (rows, Priced::at(total, prices))
}

/// How a day is stored: `YYYY-MM-DD`, which orders as the dates do.
pub const DAY: &str = "%Y-%m-%d";

fn day_text(day: NaiveDate) -> String {
    day.format(DAY).to_string()
}

/// Rows of the days from `from` to `to`, both included.
fn within(from: NaiveDate, to: NaiveDate) -> sea_orm::Select<usage_daily::Entity> {
    use usage_daily::Column as C;
    usage_daily::Entity::find()
        .filter(C::Day.gte(day_text(from)))
        .filter(C::Day.lte(day_text(to)))
}

/// Counts not yet written, per tenant and day.
#[derive(Default)]
pub struct Meter {
    pending: Mutex<HashMap<(TenantId, NaiveDate), Counts>>,
}

impl Meter {
    /// Counts `delta` for `tenant` today (UTC).
    pub fn add(&self, tenant: TenantId, delta: Counts) {
        let today = Utc::now().date_naive();
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry((tenant, today))
            .or_default()
            .add(&delta);
    }

    /// Adds everything counted so far to the tenants' rows. What cannot be written stays
    /// counted for the next flush.
    pub async fn flush(&self, db: &DatabaseConnection) -> Result<(), AppError> {
        let taken = std::mem::take(
            &mut *self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        let mut failed = None;
        let mut left = HashMap::new();
        for ((tenant, day), counts) in taken {
            if failed.is_none() {
                match write(db, tenant, day, &counts).await {
                    Ok(()) => continue,
                    Err(err) => failed = Some(err),
                }
            }
            left.insert((tenant, day), counts);
        }
        if !left.is_empty() {
            let mut pending = self
                .pending
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for (key, counts) in left {
                pending.entry(key).or_default().add(&counts);
            }
        }
        failed.map_or(Ok(()), Err)
    }
}

/// Adds `counts` to the tenant's row for `day`, creating it first if needed.
async fn write(
    db: &DatabaseConnection,
    tenant: TenantId,
    day: NaiveDate,
    counts: &Counts,
) -> Result<(), AppError> {
    use usage_daily::Column as C;
    let day = day_text(day);
    let tx = TenantTx::begin(db, tenant).await?;
    // A zero row (the columns' defaults), unless one exists; then one update adds to it, so
    // two replicas flushing at once both count.
    usage_daily::Entity::insert(usage_daily::ActiveModel {
        tenant_id: Set(tenant.0),
        day: Set(day.clone()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([C::TenantId, C::Day])
            .do_nothing()
            .to_owned(),
    )
    .try_insert()
    .exec(&*tx)
    .await?;
    let plus = |column: C, n: u64| {
        (
            column,
            Expr::col(column).add(i64::try_from(n).unwrap_or(i64::MAX)),
        )
    };
    let mut update = usage_daily::Entity::update_many();
    for (column, expr) in [
        plus(C::PromptTokens, counts.prompt_tokens),
        plus(C::CompletionTokens, counts.completion_tokens),
        plus(C::ModelMs, counts.model_ms),
        plus(C::EmbeddingInputs, counts.embedding_inputs),
        plus(C::Answered, counts.answered),
        plus(C::Suggested, counts.suggested),
        plus(C::Abstained, counts.abstained),
        plus(C::Handoffs, counts.handoffs),
    ] {
        update = update.col_expr(column, expr);
    }
    update
        .filter(C::TenantId.eq(tenant.0))
        .filter(C::Day.eq(day))
        .exec(&*tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Every tenant's usage from `from` to `to` (both included), summed per tenant: the
/// operators' view, read in a platform-scoped transaction.
pub async fn per_tenant(
    db: &DatabaseConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(TenantId, Counts)>, AppError> {
    let txn = begin_platform(db).await?;
    let rows = within(from, to)
        .order_by_asc(usage_daily::Column::TenantId)
        .all(&txn)
        .await?;
    txn.commit().await?;
    let mut sums: Vec<(TenantId, Counts)> = Vec::new();
    for row in &rows {
        let tenant = TenantId(row.tenant_id);
        match sums.last_mut() {
            Some((last, counts)) if *last == tenant => counts.add(&Counts::of(row)),
            _ => sums.push((tenant, Counts::of(row))),
        }
    }
    Ok(sums)
}

/// The tenant's days from `from` to `to` (both included) that have usage, oldest first.
pub async fn days(
    tx: &TenantTx,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Counts)>, AppError> {
    use usage_daily::Column as C;
    let rows = within(from, to)
        .filter(C::TenantId.eq(tx.tenant().0))
        .order_by_asc(C::Day)
        .all(&**tx)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let day = NaiveDate::parse_from_str(&row.day, DAY).ok()?;
            Some((day, Counts::of(row)))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_prices_tokens_seconds_and_inputs() {
        let counts = Counts {
            prompt_tokens: 2_000,
            completion_tokens: 500,
            model_ms: 3_000,
            embedding_inputs: 10_000,
            ..Counts::default()
        };
        let prices = Prices {
            prompt_per_1k_tokens: 0.5,
            completion_per_1k_tokens: 2.0,
            per_model_second: 0.01,
            embedding_per_1k_inputs: 0.1,
        };
        assert!((counts.cost(&prices) - (1.0 + 1.0 + 0.03 + 1.0)).abs() < 1e-9);
        assert_eq!(counts.cost(&Prices::default()), 0.0);
    }
}
