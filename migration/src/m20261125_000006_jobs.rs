//! Durable jobs of the embedded workflow engine: timers (a ticket's SLA check) that
//! survive restarts, claimed by one worker at a time with a lease, retried with back-off.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

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

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
}

fn at(col: Jobs) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(ColumnDef::new(Jobs::Id).uuid().not_null())
                    .col(ColumnDef::new(Jobs::TenantId).uuid().not_null())
                    .col(ColumnDef::new(Jobs::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Jobs::TicketId).uuid().not_null())
                    .col(at(Jobs::DueAt).not_null())
                    .col(
                        ColumnDef::new(Jobs::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(at(Jobs::LockedUntil).null())
                    .col(ColumnDef::new(Jobs::LastError).text().null())
                    .col(at(Jobs::DoneAt).null())
                    .col(at(Jobs::CreatedAt).not_null())
                    .primary_key(Index::create().name("pk_jobs").col(Jobs::Id))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_jobs_tenant_id")
                            .from(Jobs::Table, Jobs::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One job of a kind per ticket: scheduling twice is harmless.
        manager
            .create_index(
                Index::create()
                    .name("uq_jobs_ticket_id_kind")
                    .table(Jobs::Table)
                    .col(Jobs::TicketId)
                    .col(Jobs::Kind)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_jobs_done_at_due_at")
                    .table(Jobs::Table)
                    .col(Jobs::DoneAt)
                    .col(Jobs::DueAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Workers claim due jobs of every tenant in platform scope; everything else sees
            // its own tenant's.
            manager
                .get_connection()
                .execute_unprepared(&crate::tenant_policy_sql("jobs", true))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).if_exists().to_owned())
            .await
    }
}
