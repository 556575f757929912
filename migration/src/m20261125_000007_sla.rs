//! Resolution SLAs and outbound events: a ticket's resolution deadline beside its
//! first-response one, and a payload on jobs so a job can carry the event it delivers
//! (a webhook written in the same transaction as the escalation it reports).

use crate::schema::{add_column, drop_column, timestamp_null};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Tickets {
    Table,
    ResolutionDueAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Payload,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            Tickets::Table,
            timestamp_null(Tickets::ResolutionDueAt),
        )
        .await?;
        add_column(
            manager,
            Jobs::Table,
            ColumnDef::new(Jobs::Payload).json_binary().null().take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, Jobs::Table, Jobs::Payload).await?;
        drop_column(manager, Tickets::Table, Tickets::ResolutionDueAt).await
    }
}
