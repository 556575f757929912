//! Account lifecycle and document visibility: users an admin disabled, the start of each
//! refresh-token family (for its absolute lifetime), one-time password-reset tokens, and
//! whether a knowledge document is public (cited to visitors) or internal (staff only).

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

fn at<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(at(Users::DisabledAt).null())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshTokens::Table)
                    .add_column(at(RefreshTokens::FamilyStartedAt).null())
                    .to_owned(),
            )
            .await?;
        // Documents loaded before visibility existed were all shown to visitors.
        manager
            .alter_table(
                Table::alter()
                    .table(KnowledgeDocs::Table)
                    .add_column(
                        ColumnDef::new(KnowledgeDocs::Visibility)
                            .string_len(16)
                            .not_null()
                            .default("public"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(ColumnDef::new(PasswordResets::Id).uuid().not_null())
                    .col(ColumnDef::new(PasswordResets::TenantId).uuid().not_null())
                    .col(ColumnDef::new(PasswordResets::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(PasswordResets::TokenHash)
                            .char_len(64)
                            .not_null(),
                    )
                    .col(at(PasswordResets::ExpiresAt).not_null())
                    .col(at(PasswordResets::UsedAt).null())
                    .col(at(PasswordResets::CreatedAt).not_null())
                    .primary_key(
                        Index::create()
                            .name("pk_password_resets")
                            .col(PasswordResets::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_resets_user_id")
                            .from_tbl(PasswordResets::Table)
                            .from_col(PasswordResets::TenantId)
                            .from_col(PasswordResets::UserId)
                            .to_tbl(Alias::new("users"))
                            .to_col(Alias::new("tenant_id"))
                            .to_col(Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_password_resets_token_hash")
                    .table(PasswordResets::Table)
                    .col(PasswordResets::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(&crate::tenant_policy_sql("password_resets", false))
                .await?;
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
        manager
            .alter_table(
                Table::alter()
                    .table(KnowledgeDocs::Table)
                    .drop_column(KnowledgeDocs::Visibility)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(RefreshTokens::Table)
                    .drop_column(RefreshTokens::FamilyStartedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::DisabledAt)
                    .to_owned(),
            )
            .await
    }
}
