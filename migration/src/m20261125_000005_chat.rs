//! The help chat: anonymous visitors own their sessions (`chat_sessions.visitor_id`), and
//! every question the bot abstained on is kept, with its embedding, as a knowledge gap.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum ChatSessions {
    Table,
    VisitorId,
}

#[derive(DeriveIden, Clone, Copy)]
enum KnowledgeGaps {
    Table,
    Id,
    TenantId,
    SessionId,
    Question,
    Embedding,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tenants {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ChatSessions::Table)
                    .add_column(ColumnDef::new(ChatSessions::VisitorId).uuid().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KnowledgeGaps::Table)
                    .col(ColumnDef::new(KnowledgeGaps::Id).uuid().not_null())
                    .col(ColumnDef::new(KnowledgeGaps::TenantId).uuid().not_null())
                    // No foreign key: a gap outlives the chat it came from.
                    .col(ColumnDef::new(KnowledgeGaps::SessionId).uuid().null())
                    .col(ColumnDef::new(KnowledgeGaps::Question).text().not_null())
                    .col(ColumnDef::new(KnowledgeGaps::Embedding).binary().not_null())
                    .col(
                        ColumnDef::new(KnowledgeGaps::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .name("pk_knowledge_gaps")
                            .col(KnowledgeGaps::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_knowledge_gaps_tenant_id")
                            .from(KnowledgeGaps::Table, KnowledgeGaps::TenantId)
                            .to(Tenants::Table, Tenants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_knowledge_gaps_tenant_id_created_at")
                    .table(KnowledgeGaps::Table)
                    .col(KnowledgeGaps::TenantId)
                    .col(KnowledgeGaps::CreatedAt)
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(&crate::tenant_policy_sql("knowledge_gaps", false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(KnowledgeGaps::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ChatSessions::Table)
                    .drop_column(ChatSessions::VisitorId)
                    .to_owned(),
            )
            .await
    }
}
