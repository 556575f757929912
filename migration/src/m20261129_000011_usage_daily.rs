//! Per-tenant usage, one row per tenant and UTC day: model tokens and seconds, embedding
//! inputs, chat answers by outcome and handoffs. The rows are the roll-up itself — nothing
//! finer is kept — so they outlive any raw event.

use crate::schema::{Scope, big_integer, primary_key, protect, string, tenant_owner_fk, uuid};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum UsageDaily {
    Table,
    TenantId,
    Day,
    PromptTokens,
    CompletionTokens,
    ModelMs,
    EmbeddingInputs,
    Answered,
    Suggested,
    Abstained,
    Handoffs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table(UsageDaily::Table)
            .col(uuid(UsageDaily::TenantId))
            // `YYYY-MM-DD` (UTC): the same text on SQLite and PostgreSQL, ordered as dates.
            .col(string(UsageDaily::Day, 10));
        for counter in [
            UsageDaily::PromptTokens,
            UsageDaily::CompletionTokens,
            UsageDaily::ModelMs,
            UsageDaily::EmbeddingInputs,
            UsageDaily::Answered,
            UsageDaily::Suggested,
            UsageDaily::Abstained,
            UsageDaily::Handoffs,
        ] {
            table.col(big_integer(counter).default(0));
        }
        manager
            .create_table(
                table
                    .primary_key(&mut primary_key("usage_daily", &["tenant_id", "day"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_usage_daily_tenant_id",
                        UsageDaily::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        // Operators read every tenant's usage in a platform-scoped transaction.
        protect(manager, "usage_daily", Scope::TenantOrPlatform).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(UsageDaily::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
