//! Account lifecycle and document visibility: users an admin disabled, the start of each
//! refresh-token family (for its absolute lifetime), one-time password-reset tokens, and
//! whether a knowledge document is public (cited to visitors) or internal (staff only).

use crate::schema::{
    Scope, add_column, drop_column, primary_key, protect, tenant_fk, timestamp, timestamp_null,
    unique_index, uuid,
};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    DisabledAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    FamilyStartedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum KnowledgeDocs {
    Table,
    Visibility,
}

#[derive(DeriveIden, Clone, Copy)]
enum PasswordResets {
    Table,
    Id,
    TenantId,
    UserId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        add_column(manager, Users::Table, timestamp_null(Users::DisabledAt)).await?;
        add_column(
            manager,
            RefreshTokens::Table,
            timestamp_null(RefreshTokens::FamilyStartedAt),
        )
        .await?;
        // Documents loaded before visibility existed were all shown to visitors.
        add_column(
            manager,
            KnowledgeDocs::Table,
            ColumnDef::new(KnowledgeDocs::Visibility)
                .string_len(16)
                .not_null()
                .default("public")
                .take(),
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(uuid(PasswordResets::Id))
                    .col(uuid(PasswordResets::TenantId))
                    .col(uuid(PasswordResets::UserId))
                    .col(
                        ColumnDef::new(PasswordResets::TokenHash)
                            .char_len(64)
                            .not_null(),
                    )
                    .col(timestamp(PasswordResets::ExpiresAt))
                    .col(timestamp_null(PasswordResets::UsedAt))
                    .col(timestamp(PasswordResets::CreatedAt))
                    .primary_key(&mut primary_key("password_resets", &["id"]))
                    .foreign_key(&mut tenant_fk(
                        "fk_password_resets_user_id",
                        PasswordResets::Table,
                        PasswordResets::UserId,
                        Alias::new("users"),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "uq_password_resets_token_hash",
                PasswordResets::Table,
                [PasswordResets::TokenHash],
            ))
            .await?;
        protect(manager, "password_resets", Scope::Tenant).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(
                "ALTER TABLE knowledge_docs ADD CONSTRAINT ck_knowledge_docs_visibility \
                 CHECK (visibility IN ('public', 'internal'))",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(PasswordResets::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE knowledge_docs DROP CONSTRAINT IF EXISTS ck_knowledge_docs_visibility",
                )
                .await?;
        }
        drop_column(manager, KnowledgeDocs::Table, KnowledgeDocs::Visibility).await?;
        drop_column(
            manager,
            RefreshTokens::Table,
            RefreshTokens::FamilyStartedAt,
        )
        .await?;
        drop_column(manager, Users::Table, Users::DisabledAt).await
    }
}
