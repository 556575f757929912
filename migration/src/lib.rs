//! Schema migrations, written with the schema manager only (no entity imports), so that old
//! migrations keep compiling while the entities move on.

// `MigrationTrait` is an async_trait whose signatures elide `SchemaManager`'s lifetime;
// naming it in the impls does not match the trait.
#![allow(elided_lifetimes_in_paths)]

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

mod m20261125_000001_core_schema;
mod m20261125_000002_row_level_security;
mod m20261125_000003_auth;
mod m20261125_000004_page_summary;
mod m20261125_000005_chat;
mod m20261125_000006_jobs;
mod m20261125_000007_sla;
mod m20261129_000008_accounts_and_visibility;
mod m20261129_000009_audit_log;
mod m20261129_000010_sentence_vectors;
mod m20261129_000011_usage_daily;
mod m20261129_000012_workspace;
mod m20261203_000013_reader_version;
pub mod schema;

pub use m20261125_000002_row_level_security::TENANT_TABLES;

/// The PostgreSQL role the service connects as: no superuser, no BYPASSRLS, owns nothing.
pub const APP_ROLE: &str = "helpdesk_app";

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_core_schema::Migration),
            Box::new(m20261125_000002_row_level_security::Migration),
            Box::new(m20261125_000003_auth::Migration),
            Box::new(m20261125_000004_page_summary::Migration),
            Box::new(m20261125_000005_chat::Migration),
            Box::new(m20261125_000006_jobs::Migration),
            Box::new(m20261125_000007_sla::Migration),
            Box::new(m20261129_000008_accounts_and_visibility::Migration),
            Box::new(m20261129_000009_audit_log::Migration),
            Box::new(m20261129_000010_sentence_vectors::Migration),
            Box::new(m20261129_000011_usage_daily::Migration),
            Box::new(m20261129_000012_workspace::Migration),
            Box::new(m20261203_000013_reader_version::Migration),
        ]
    }
}
