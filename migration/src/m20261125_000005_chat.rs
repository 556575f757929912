//! The help chat: anonymous visitors own their sessions (`chat_sessions.visitor_id`), and
//! every question the bot abstained on is kept, with its embedding, as a knowledge gap.

use crate::schema::{
    Scope, add_column, binary, drop_column, index, primary_key, protect, tenant_owner_fk, text,
    timestamp, uuid, uuid_null,
};
use sea_orm_migration::prelude::*;

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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            ChatSessions::Table,
            uuid_null(ChatSessions::VisitorId),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(KnowledgeGaps::Table)
                    .col(uuid(KnowledgeGaps::Id))
                    .col(uuid(KnowledgeGaps::TenantId))
                    // No foreign key: a gap outlives the chat it came from.
                    .col(uuid_null(KnowledgeGaps::SessionId))
                    .col(text(KnowledgeGaps::Question))
                    .col(binary(KnowledgeGaps::Embedding))
                    .col(timestamp(KnowledgeGaps::CreatedAt))
                    .primary_key(&mut primary_key("knowledge_gaps", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_knowledge_gaps_tenant_id",
                        KnowledgeGaps::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_knowledge_gaps_tenant_id_created_at",
                KnowledgeGaps::Table,
                [KnowledgeGaps::TenantId, KnowledgeGaps::CreatedAt],
            ))
            .await?;
        protect(manager, "knowledge_gaps", Scope::Tenant).await
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
        drop_column(manager, ChatSessions::Table, ChatSessions::VisitorId).await
    }
}
