//! PostgreSQL only: the application role and row-level security on every tenant table.
//!
//! The service connects as `helpdesk_app` (NOSUPERUSER, NOBYPASSRLS, not the owner of any
//! table), so the policies below bind it even if a query forgets its tenant filter. A
//! transaction names its tenant with `set_config('app.tenant_id', …, true)` (`SET LOCAL`);
//! without it, `app_current_tenant()` is NULL and every policy matches no row.
//! SQLite has no such mechanism: there the repository layer is the only boundary.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::APP_ROLE;
use crate::schema::{Scope, protect, unprotect};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose rows belong to one tenant through `tenant_id`.
pub const TENANT_TABLES: &[&str] = &[
    "users",
    "ticket_counters",
    "tickets",
    "ticket_events",
    "knowledge_docs",
    "chunks",
    "chat_sessions",
    "chat_messages",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        // Roles are cluster-wide and test databases migrate concurrently: tolerate a race.
        db.execute_unprepared(&format!(
            r#"DO $$ BEGIN
                 IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                   CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                 END IF;
               EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
               END $$"#
        ))
        .await?;
        // In case it pre-existed with more power than it should have. Only when needed:
        // concurrent ALTERs of one role fail with "tuple concurrently updated".
        db.execute_unprepared(&format!(
            r#"DO $$ BEGIN
                 IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}'
                            AND (rolsuper OR rolbypassrls OR rolcreatedb OR rolcreaterole)) THEN
                   ALTER ROLE {APP_ROLE} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                 END IF;
               END $$"#
        ))
        .await?;
        db.execute_unprepared(&format!(
            r#"DO $$ BEGIN
                 EXECUTE format('GRANT CONNECT ON DATABASE %I TO {APP_ROLE}', current_database());
               END $$"#
        ))
        .await?;
        db.execute_unprepared(&format!("GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
            .await?;
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION app_current_tenant() RETURNS uuid
               LANGUAGE sql STABLE AS
               $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$",
        )
        .await?;
        db.execute_unprepared(
            "CREATE OR REPLACE FUNCTION app_platform_scope() RETURNS boolean
               LANGUAGE sql STABLE AS
               $$ SELECT coalesce(current_setting('app.platform', true), '') = 'on' $$",
        )
        .await?;

        // The tenant registry: a tenant sees its own row; platform-scoped transactions
        // (tenant creation, slug lookup at login) see all.
        protect(manager, "tenants", Scope::Registry).await?;
        for table in TENANT_TABLES {
            protect(manager, table, Scope::Tenant).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for table in TENANT_TABLES.iter().chain(&["tenants"]) {
            unprotect(manager, table).await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "DROP FUNCTION IF EXISTS app_current_tenant();
             DROP FUNCTION IF EXISTS app_platform_scope();",
        )
        .await?;
        // The role itself stays: it is cluster-wide and other databases may use it.
        Ok(())
    }
}
