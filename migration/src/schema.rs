//! What every migration builds with, so each table is declared the same way: columns,
//! keys named by the conventions (`pk_<table>`, `fk_<table>_<column>`, `uq_…`, `ix_…`,
//! `ck_…`), the composite `(tenant_id, id)` foreign keys between tenant rows, and the
//! row-level security that binds the application role on PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::APP_ROLE;

pub fn uuid(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().not_null().take()
}

pub fn uuid_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).uuid().null().take()
}

pub fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().take()
}

pub fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().null().take()
}

pub fn string(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).not_null().take()
}

pub fn string_null(col: impl IntoIden, len: u32) -> ColumnDef {
    ColumnDef::new(col).string_len(len).null().take()
}

pub fn integer(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).integer().not_null().take()
}

pub fn big_integer(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().take()
}

pub fn binary(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).binary().not_null().take()
}

pub fn json(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).json_binary().not_null().take()
}

pub fn timestamp(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .take()
}

pub fn timestamp_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

/// The primary key `pk_<table>` over `cols`.
pub fn primary_key(table: &str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(format!("pk_{table}"));
    for col in cols {
        index.col(Alias::new(*col));
    }
    index.primary().take()
}

/// `column IN (allowed…)`, for check constraints on enum-like text columns.
pub fn one_of(column: &str, allowed: &[&str]) -> SimpleExpr {
    let list = allowed
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    Expr::cust(format!("{column} IN ({list})"))
}

/// A foreign key from `(tenant_id, from_col)` to `(tenant_id, id)` of `to`: the database
/// itself refuses a reference into another tenant.
pub fn tenant_fk(
    name: &str,
    from: impl IntoIden + 'static,
    from_col: impl IntoIden,
    to: impl IntoIden + 'static,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(from)
        .from_col(Alias::new("tenant_id"))
        .from_col(from_col)
        .to_tbl(to)
        .to_col(Alias::new("tenant_id"))
        .to_col(Alias::new("id"))
        .on_delete(on_delete)
        .take()
}

/// `tenant_id` → `tenants.id`: the row goes when its tenant does.
pub fn tenant_owner_fk(name: &str, from: impl IntoIden + 'static) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(from)
        .from_col(Alias::new("tenant_id"))
        .to_tbl(Alias::new("tenants"))
        .to_col(Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

/// An index `name` on `table` over `cols`, in order.
pub fn index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    cols: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(col);
    }
    index
}

/// A unique index `name` on `table` over `cols`, in order.
pub fn unique_index<C: IntoIden>(
    name: &str,
    table: impl IntoIden,
    cols: impl IntoIterator<Item = C>,
) -> IndexCreateStatement {
    index(name, table, cols).unique().take()
}

/// Whose rows a row-level security policy lets a transaction see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Its own tenant's (`tenant_id = app.tenant_id`).
    Tenant,
    /// Its own tenant's, or every tenant's in a platform-scoped transaction (the workers
    /// that serve every tenant).
    TenantOrPlatform,
    /// The tenant registry itself: a tenant's own row (`id`), or all in platform scope.
    Registry,
}

impl Scope {
    fn condition(self) -> &'static str {
        match self {
            Self::Tenant => "tenant_id = app_current_tenant()",
            Self::TenantOrPlatform => "tenant_id = app_current_tenant() OR app_platform_scope()",
            Self::Registry => "id = app_current_tenant() OR app_platform_scope()",
        }
    }
}

/// PostgreSQL only: the application role may read and write `table`, and only the rows
/// `scope` allows, even if a query forgets its tenant filter. SQLite has no such
/// mechanism; there the services' filters are the boundary.
pub async fn protect(manager: &SchemaManager<'_>, table: &str, scope: Scope) -> Result<(), DbErr> {
    guard(manager, table, scope, "SELECT, INSERT, UPDATE, DELETE").await
}

/// [`protect`] for a table the application only appends to and reads: without UPDATE and
/// DELETE grants, not even a compromised service can rewrite its rows.
pub async fn protect_append_only(
    manager: &SchemaManager<'_>,
    table: &str,
    scope: Scope,
) -> Result<(), DbErr> {
    guard(manager, table, scope, "SELECT, INSERT").await
}

async fn guard(
    manager: &SchemaManager<'_>,
    table: &str,
    scope: Scope,
    grants: &str,
) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let condition = scope.condition();
    manager
        .get_connection()
        .execute_unprepared(&format!(
            "GRANT {grants} ON {table} TO {APP_ROLE};
             ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
             ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
             CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition});"
        ))
        .await?;
    Ok(())
}

/// Undoes [`protect`].
pub async fn unprotect(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    manager
        .get_connection()
        .execute_unprepared(&format!(
            "DROP POLICY IF EXISTS tenant_isolation ON {table};
             ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
             ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
             REVOKE ALL ON {table} FROM {APP_ROLE};"
        ))
        .await?;
    Ok(())
}

/// Adds one column to `table` (SQLite adds one per `ALTER TABLE`).
pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    mut column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await
}

/// Drops one column of `table`.
pub async fn drop_column(
    manager: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}
