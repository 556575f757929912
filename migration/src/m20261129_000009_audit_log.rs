//! The audit log: one hash chain of security-relevant events per tenant. On PostgreSQL the
//! application role may add and read records, never change or remove them.

use crate::schema::{
    Scope, big_integer, index, primary_key, protect_append_only, string, string_null,
    tenant_owner_fk, text, timestamp, unique_index, uuid,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AuditLog {
    Table,
    Id,
    TenantId,
    Seq,
    At,
    ActorKind,
    ActorId,
    Action,
    TargetKind,
    TargetId,
    Detail,
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(uuid(AuditLog::Id))
                    .col(uuid(AuditLog::TenantId))
                    .col(big_integer(AuditLog::Seq))
                    .col(timestamp(AuditLog::At))
                    .col(string(AuditLog::ActorKind, 16))
                    .col(string_null(AuditLog::ActorId, 128))
                    .col(string(AuditLog::Action, 64))
                    .col(string_null(AuditLog::TargetKind, 32))
                    .col(string_null(AuditLog::TargetId, 128))
                    .col(text(AuditLog::Detail))
                    .col(string(AuditLog::PrevHash, 64))
                    .col(string(AuditLog::Hash, 64))
                    .primary_key(&mut primary_key("audit_log", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_audit_log_tenant_id",
                        AuditLog::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // One record per position in a tenant's chain: two writers cannot fork it.
        manager
            .create_index(unique_index(
                "uq_audit_log_tenant_seq",
                AuditLog::Table,
                [AuditLog::TenantId, AuditLog::Seq],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_audit_log_tenant_at",
                AuditLog::Table,
                [AuditLog::TenantId, AuditLog::At],
            ))
            .await?;
        protect_append_only(manager, "audit_log", Scope::Tenant).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).if_exists().to_owned())
            .await
    }
}
