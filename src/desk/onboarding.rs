//! A new tenant with its first admin: both or neither, so no failure leaves a tenant nobody
//! can administer.

use sea_orm::DatabaseConnection;
use tracing::instrument;

use crate::database::TenantTx;
use crate::error::AppError;
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
