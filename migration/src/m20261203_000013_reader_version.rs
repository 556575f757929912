//! Which version of the loader and chunker read each document. A document's passages depend
//! on its bytes and on how they were read; when the reading changes (tables written as
//! sentences, say), the same bytes must be read again, so the next load or upload of a page
//! read by an older version replaces its passages instead of skipping it as unchanged.
//! Rows written before it read as version 0.

use sea_orm_migration::prelude::*;

use crate::schema::{add_column, drop_column, integer};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum KnowledgeDocs {
    Table,
    ReaderVersion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            manager,
            KnowledgeDocs::Table,
            integer(KnowledgeDocs::ReaderVersion).default(0).take(),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_column(manager, KnowledgeDocs::Table, KnowledgeDocs::ReaderVersion).await
    }
}
