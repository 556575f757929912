//! `helpdesk db-health`: row counts per table and consistency checks, tenant by tenant
//! (each count runs in that tenant's scope, so it works under row-level security too).

use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait as _, Query};
use sea_orm::{ConnectionTrait as _, DatabaseConnection, DbBackend, Statement};

use anyhow::Context as _;

use super::setup::open_database;
use crate::config::Settings;
use crate::database::begin_tenant;
use crate::error::AppError;
use crate::tenancy;

/// Tables reported, with the names the report prints.
const TABLES: &[(&str, &str)] = &[
    ("users", "Users"),
    ("tickets", "Tickets"),
    ("ticket_events", "TicketEvents"),
    ("knowledge_docs", "KnowledgeDocs"),
    ("chunks", "Chunks"),
    ("chat_sessions", "ChatSessions"),
    ("chat_messages", "ChatMessages"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthReport {
    /// `(label, rows)` in report order, starting with Tenants.
    pub counts: Vec<(&'static str, u64)>,
    /// Empty when every check passed.
    pub problems: Vec<String>,
}

impl HealthReport {
    pub fn count(&self, label: &str) -> Option<u64> {
        self.counts
            .iter()
            .find(|(name, _)| *name == label)
            .map(|(_, n)| *n)
    }

    pub fn summary(&self) -> String {
        self.counts
            .iter()
            .map(|(name, n)| format!("{name} = {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub async fn check(db: &DatabaseConnection) -> Result<HealthReport, AppError> {
    let tenants = tenancy::list_tenants(db).await?;
    let mut totals = vec![0u64; TABLES.len()];
    let mut problems = Vec::new();
    for tenant in &tenants {
        let txn = begin_tenant(db, tenant.id.0).await?;
        for (i, (table, _)) in TABLES.iter().enumerate() {
            let query = Query::select()
                .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
                .from(Alias::new(*table))
                .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant.id.0))
                .to_owned();
            let n: i64 = match txn.query_one(&query).await? {
                Some(row) => row.try_get("", "n")?,
                None => 0,
            };
            totals[i] += u64::try_from(n).unwrap_or_default();
            if *table == "tickets" && n == 0 {
                problems.push(format!("tenant {} has no tickets", tenant.slug));
            }
        }
        let backend = txn.get_database_backend();
        let placeholder = if backend == DbBackend::Postgres {
            "$1"
        } else {
            "?"
        };
        let orphans = txn
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT d.source_path FROM knowledge_docs d \
                     WHERE d.tenant_id = {placeholder} AND NOT EXISTS \
                     (SELECT 1 FROM chunks c WHERE c.tenant_id = d.tenant_id AND c.doc_id = d.id)"
                ),
                [tenant.id.0.into()],
            ))
            .await?;
        for row in orphans {
            let path: String = row.try_get("", "source_path")?;
            problems.push(format!(
                "tenant {}: document {path} has no chunks",
                tenant.slug
            ));
        }
        txn.commit().await?;
    }
    let mut counts = vec![("Tenants", tenants.len() as u64)];
    counts.extend(TABLES.iter().zip(totals).map(|((_, label), n)| (*label, n)));
    if tenants.is_empty() {
        problems.push("there are no tenants (run `helpdesk seed`)".into());
    }
    Ok(HealthReport { counts, problems })
}

/// `helpdesk db-health`: counts and checks; an error when any check fails.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let report = check(&db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("health check failed"))?;
    db.close().await.context("closing the database")?;
    println!("{}", report.summary());
    if report.problems.is_empty() {
        println!("ok: every tenant has tickets and every document has chunks");
        Ok(())
    } else {
        for problem in &report.problems {
            println!("problem: {problem}");
        }
        anyhow::bail!("{} consistency problem(s)", report.problems.len())
    }
}
