//! A new tenant with its first admin: both or neither, so no failure leaves a tenant nobody
//! can administer.

use sea_orm::{
    ConnectionTrait as _, DatabaseConnection, DbBackend, EntityTrait as _, PaginatorTrait as _,
};
use tracing::instrument;

use crate::database::{TenantTx, begin_platform};
use crate::entity::tenant;
use crate::error::{AppError, Code};
use crate::ids::Actor;
use crate::tenancy::{self, CreateTenant, CreateUser, TenantView, UserView};

#[instrument(skip_all, fields(slug = %tenant.slug))]
pub async fn create_tenant_with_admin(
    db: &DatabaseConnection,
    operator: Actor,
    tenant: CreateTenant,
    admin: CreateUser,
) -> Result<(TenantView, UserView), AppError> {
    let admin = tenancy::hash_account(admin).await?;
    let tx = TenantTx::begin_new_tenant(db).await?.acting_as(operator);
    let tenant = tenancy::create_tenant(&tx, tenant).await?;
    let admin = tenancy::create_user(&tx, admin).await?;
    tx.commit().await?;
    Ok((tenant, admin))
}

/// A tenant without users (the evals' and benchmarks' scratch tenants).
pub async fn create_tenant(
    db: &DatabaseConnection,
    tenant: CreateTenant,
) -> Result<TenantView, AppError> {
    let tx = TenantTx::begin_new_tenant(db).await?;
    let tenant = tenancy::create_tenant(&tx, tenant).await?;
    tx.commit().await?;
    Ok(tenant)
}

/// Whether the first-run page is open: no tenant exists yet.
pub async fn first_run_open(db: &DatabaseConnection) -> Result<bool, AppError> {
    let txn = begin_platform(db).await?;
    let tenants = tenant::Entity::find().count(&txn).await?;
    txn.commit().await?;
    Ok(tenants == 0)
}

/// The first tenant and its admin, created from the browser on a fresh install. Once any
/// tenant exists this is closed (`setup_closed`), and tenants come from an operator. Two
/// setups at once: one wins, the other finds a tenant and is refused.
#[instrument(skip_all, fields(slug = %tenant.slug))]
pub async fn first_run(
    db: &DatabaseConnection,
    tenant: CreateTenant,
    admin: CreateUser,
) -> Result<(TenantView, UserView), AppError> {
    let admin = tenancy::hash_account(admin).await?;
    let tx = TenantTx::begin_new_tenant(db).await?;
    if tx.get_database_backend() == DbBackend::Postgres {
        // SQLite transactions here already hold the write lock; PostgreSQL needs one.
        tx.execute_unprepared("SELECT pg_advisory_xact_lock(7480401)")
            .await?;
    }
    if tenant::Entity::find().count(&*tx).await? > 0 {
        return Err(AppError::Conflict(
            Code::SetupClosed,
            "this help desk is set up already; an operator creates further tenants".into(),
        ));
    }
    let tenant = tenancy::create_tenant(&tx, tenant).await?;
    let admin = tenancy::create_user(&tx, admin).await?;
    tx.commit().await?;
    Ok((tenant, admin))
}
