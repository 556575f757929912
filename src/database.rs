//! The one SeaORM pool: SQLite by default, PostgreSQL when configured, same code either way.

use std::time::Duration;

use anyhow::Context as _;
use migration::{Migrator, MigratorTrait as _};
use sea_orm::{
    ConnectOptions, ConnectionTrait as _, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait as _,
};
use secrecy::{ExposeSecret as _, SecretString};

use crate::config::{DatabaseKind, Settings, mask_password};
use crate::error::AppError;
use crate::ids::{Actor, TenantId};

/// How the pool is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// Fail now when the database cannot be reached (CLI commands, `serve` with migrations).
    Eager,
    /// Open connections on first use, so the service can start and report itself unready.
    Lazy,
}

/// Opens the service's pool (the application role on PostgreSQL).
pub async fn connect(settings: &Settings, mode: Connect) -> anyhow::Result<DatabaseConnection> {
    open(settings, &settings.database_url(), mode).await
}

/// Opens a pool as the schema owner, for migrations.
pub async fn connect_admin(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    open(settings, &settings.admin_database_url(), Connect::Eager).await
}

async fn open(
    settings: &Settings,
    url: &SecretString,
    mode: Connect,
) -> anyhow::Result<DatabaseConnection> {
    let raw = url.expose_secret();
    let kind = DatabaseKind::of(raw)?;
    if kind == DatabaseKind::Sqlite && settings.uses_embedded_database() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("cannot create data dir {}", settings.data_dir.display()))?;
    }
    let timeout = Duration::from_secs(settings.database.connect_timeout_secs);
    let mut options = ConnectOptions::new(raw.to_owned());
    options
        .max_connections(settings.database.max_connections)
        .connect_timeout(timeout)
        .acquire_timeout(timeout)
        .connect_lazy(mode == Connect::Lazy)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            // WAL lets readers proceed during a write; the busy timeout queues writers
            // instead of failing them with SQLITE_BUSY.
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    Database::connect(options)
        .await
        .with_context(|| format!("cannot connect to database {}", mask_password(raw)))
}

/// One round trip, bounded in time, for readiness checks. For a SQLite file the file must
/// also still be where it was opened: open handles keep answering after it is deleted or its
/// volume unmounted, while every write would then be lost.
pub async fn ping(db: &DatabaseConnection, url: &str, timeout: Duration) -> anyhow::Result<()> {
    if let Some(path) = sqlite_file(url) {
        anyhow::ensure!(path.exists(), "database file {} is missing", path.display());
    }
    match tokio::time::timeout(timeout, db.ping()).await {
        Ok(result) => result.context("database did not answer"),
        Err(_) => anyhow::bail!("database did not answer within {timeout:?}"),
    }
}

/// The file behind a `sqlite://PATH?…` URL; `None` for in-memory databases and other kinds.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// Brings the schema up to date as its owner, gives the application role its grants, then
/// opens the service's own pool (the application role on PostgreSQL).
pub async fn migrate_and_connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let admin = connect_admin(settings).await?;
    migrate_up(&admin, None).await?;
    provision_app_role(&admin, settings).await?;
    admin.close().await.context("closing the migration pool")?;
    connect(settings, Connect::Eager).await
}

/// After migrations on PostgreSQL: when the service logs in as the application role with a
/// password, give the role that password (migrations create it without one), so that
/// `database.url` is the one place the credential is configured.
pub async fn provision_app_role(
    admin: &DatabaseConnection,
    settings: &Settings,
) -> anyhow::Result<()> {
    if admin.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let Some(url) = &settings.database.url else {
        return Ok(());
    };
    let parsed = url::Url::parse(url.expose_secret()).context("database.url is not a URL")?;
    let user = parsed.username();
    if user != migration::APP_ROLE {
        tracing::warn!(
            user,
            "the service connects as {user}, not {}: row-level security does not bind a \
             superuser or a table owner",
            migration::APP_ROLE
        );
        return Ok(());
    }
    if let Some(password) = parsed.password() {
        let password = percent_encoding::percent_decode_str(password)
            .decode_utf8()
            .context("the password in database.url is not UTF-8")?;
        // ALTER ROLE takes no bind parameters: quote the literal.
        let literal = password.replace('\'', "''");
        let sql = format!("ALTER ROLE {} PASSWORD '{literal}'", migration::APP_ROLE);
        // The role is cluster-wide: another database's migration may be altering it at the
        // same moment, which PostgreSQL reports as "tuple concurrently updated".
        let mut attempt = 0;
        loop {
            match admin.execute_unprepared(&sql).await {
                Ok(_) => break,
                Err(err) if attempt < 5 && err.to_string().contains("concurrently updated") => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
                }
                Err(err) => {
                    return Err(err).context("cannot set the application role's password");
                }
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    pub name: String,
    pub applied: bool,
}

pub async fn migrate_up(db: &DatabaseConnection, steps: Option<u32>) -> anyhow::Result<()> {
    Migrator::up(db, steps).await.context("migration up failed")
}

pub async fn migrate_down(db: &DatabaseConnection, steps: Option<u32>) -> anyhow::Result<()> {
    Migrator::down(db, steps)
        .await
        .context("migration down failed")
}

pub async fn migration_status(db: &DatabaseConnection) -> anyhow::Result<Vec<MigrationState>> {
    Migrator::install(db)
        .await
        .context("cannot create migration table")?;
    let migrations = Migrator::get_migration_with_status(db)
        .await
        .context("cannot read migration status")?;
    Ok(migrations
        .into_iter()
        .map(|m| MigrationState {
            name: m.name().to_owned(),
            applied: m.status() == migration::MigrationStatus::Applied,
        })
        .collect())
}

/// On SQLite a transaction takes the write lock when it begins (`BEGIN IMMEDIATE`). A
/// deferred one that reads first and writes later cannot upgrade its lock once another
/// writer has committed, and fails with "database is locked" instead of waiting; taking the
/// lock up front lets the busy timeout queue concurrent writers.
async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    if db.get_database_backend() == DbBackend::Sqlite {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    } else {
        db.begin().await
    }
}

/// Opens a transaction that may touch only `tenant`'s rows. On PostgreSQL it also sets
/// `app.tenant_id` for the transaction (`SET LOCAL` semantics), so row-level security
/// enforces the same boundary the repository layer filters by. Every statement on tenant
/// data runs inside one of these.
pub async fn begin_tenant(
    db: &DatabaseConnection,
    tenant: uuid::Uuid,
) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    let txn = begin(db).await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config('app.tenant_id', $1, true)",
            [tenant.to_string().into()],
        ))
        .await?;
    }
    Ok(txn)
}

/// A transaction bound to one tenant: what a service takes instead of a connection and a
/// raw tenant id. Whoever opens it (a flow, a handler) decides what is atomic; services
/// read the tenant they filter by from it, so their filter and the transaction's tenant
/// cannot disagree, and on PostgreSQL row-level security holds the same line. It also
/// carries who acts, so a service that changes something security-relevant writes its
/// audit record in the same transaction. Dropping it uncommitted rolls back.
pub struct TenantTx {
    txn: DatabaseTransaction,
    tenant: TenantId,
    actor: Actor,
}

impl TenantTx {
    /// Opens a transaction on `tenant`'s rows (on SQLite it takes the write lock at once,
    /// so concurrent flows queue instead of failing).
    pub async fn begin(db: &DatabaseConnection, tenant: TenantId) -> Result<Self, sea_orm::DbErr> {
        Ok(Self {
            txn: begin_tenant(db, tenant.0).await?,
            tenant,
            actor: Actor::System,
        })
    }

    /// The same transaction, done on behalf of `actor` (the service itself otherwise).
    pub fn acting_as(mut self, actor: Actor) -> Self {
        self.actor = actor;
        self
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Opens a transaction for a tenant about to be created: it may also read the tenant
    /// registry (to find a taken slug), so that the tenant and its first users are
    /// inserted atomically.
    pub async fn begin_new_tenant(db: &DatabaseConnection) -> Result<Self, sea_orm::DbErr> {
        let tx = Self::begin(db, TenantId::new()).await?;
        if tx.get_database_backend() == DbBackend::Postgres {
            tx.execute_unprepared("SELECT set_config('app.platform', 'on', true)")
                .await?;
        }
        Ok(tx)
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The raw tenant id, for the `tenant_id` column filters.
    pub fn id(&self) -> uuid::Uuid {
        self.tenant.0
    }

    pub async fn commit(self) -> Result<(), sea_orm::DbErr> {
        self.txn.commit().await
    }

    /// Runs `work` in a transaction of `tenant`'s, committed when it succeeds and rolled
    /// back when it fails: for a handler whose request is one service call.
    pub async fn run<T>(
        db: &DatabaseConnection,
        tenant: TenantId,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        Self::run_as(db, tenant, Actor::System, work).await
    }

    /// [`TenantTx::run`] on behalf of `actor`.
    pub async fn run_as<T>(
        db: &DatabaseConnection,
        tenant: TenantId,
        actor: Actor,
        work: impl AsyncFnOnce(&TenantTx) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let tx = Self::begin(db, tenant).await?.acting_as(actor);
        let value = work(&tx).await?;
        tx.commit().await?;
        Ok(value)
    }
}

impl std::ops::Deref for TenantTx {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.txn
    }
}

/// Opens a transaction over the tenant registry itself (creating tenants, resolving a slug
/// at login). It sees every row of `tenants` and, under RLS, no tenant's data.
pub async fn begin_platform(
    db: &DatabaseConnection,
) -> Result<DatabaseTransaction, sea_orm::DbErr> {
    let txn = db.begin().await?;
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared("SELECT set_config('app.platform', 'on', true)")
            .await?;
    }
    Ok(txn)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(
            sqlite_file("sqlite://data/helpdesk.db?mode=rwc"),
            Some("data/helpdesk.db".into())
        );
        assert_eq!(sqlite_file("sqlite:///abs/x.db"), Some("/abs/x.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }
}
