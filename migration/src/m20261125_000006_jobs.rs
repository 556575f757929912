//! Durable jobs of the embedded workflow engine: timers (a ticket's SLA check) that
//! survive restarts, claimed by one worker at a time with a lease, retried with back-off.

use crate::schema::{
    Scope, index, primary_key, protect, string, tenant_owner_fk, text_null, timestamp,
    timestamp_null, unique_index, uuid,
};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    Id,
    TenantId,
    Kind,
    TicketId,
    DueAt,
    Attempts,
    LockedUntil,
    LastError,
    DoneAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(uuid(Jobs::Id))
                    .col(uuid(Jobs::TenantId))
                    .col(string(Jobs::Kind, 32))
                    .col(uuid(Jobs::TicketId))
                    .col(timestamp(Jobs::DueAt))
                    .col(
                        ColumnDef::new(Jobs::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(timestamp_null(Jobs::LockedUntil))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_null(Jobs::DoneAt))
                    .col(timestamp(Jobs::CreatedAt))
                    .primary_key(&mut primary_key("jobs", &["id"]))
                    .foreign_key(&mut tenant_owner_fk("fk_jobs_tenant_id", Jobs::Table))
                    .to_owned(),
            )
            .await?;
        // One job of a kind per ticket: scheduling twice is harmless.
        manager
            .create_index(unique_index(
                "uq_jobs_ticket_id_kind",
                Jobs::Table,
                [Jobs::TicketId, Jobs::Kind],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_jobs_done_at_due_at",
                Jobs::Table,
                [Jobs::DoneAt, Jobs::DueAt],
            ))
            .await?;
        // Workers claim due jobs of every tenant in platform scope; everything else sees
        // its own tenant's.
        protect(manager, "jobs", Scope::TenantOrPlatform).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).if_exists().to_owned())
            .await
    }
}
