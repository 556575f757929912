//! Every chunk's sentence vectors, embedded once at ingestion: the chat picks the sentence
//! it quotes by its similarity to the question, and refuses to cite a page whose best
//! sentence is not close enough. Nullable: rows written before it get them from
//! `helpdesk reindex` or the next change of their file, and are quoted by key terms alone
//! meanwhile.

use sea_orm_migration::prelude::*;

use crate::schema::{add_column, drop_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Chunks {
    Table,
    SentenceEmbeddings,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            Chunks::Table,
            ColumnDef::new(Chunks::SentenceEmbeddings)
                .binary()
                .null()
                .take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, Chunks::Table, Chunks::SentenceEmbeddings).await
    }
}
