//! A page-level vector per knowledge document: the embedding of its title and headings,
//! which search adds to the chunk scores so that the page *about* a question outranks a
//! broader one that merely mentions it. Nullable: rows written before it get one from
//! `helpdesk reindex` or the next change of their file, and rank without it meanwhile.

use sea_orm_migration::prelude::*;

use crate::schema::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum KnowledgeDocs {
    Table,
    SummaryEmbedding,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            KnowledgeDocs::Table,
            ColumnDef::new(KnowledgeDocs::SummaryEmbedding)
                .binary()
                .null()
                .take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(
            manager,
            KnowledgeDocs::Table,
            KnowledgeDocs::SummaryEmbedding,
        )
        .await
    }
}
