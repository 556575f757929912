//! Token signing keys (platform-wide), refresh tokens (per tenant, hashed, grouped in
//! rotation families) and the counters behind login lockout.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::APP_ROLE;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SigningKeys {
    Table,
    Kid,
    Algorithm,
    PrivateKey,
    PublicKey,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    Id,
    TenantId,
    UserId,
    FamilyId,
    TokenHash,
    ExpiresAt,
    RotatedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    FailedLogins,
    LockedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SigningKeys::Table)
                    .col(ColumnDef::new(SigningKeys::Kid).string_len(64).not_null())
                    .col(
                        ColumnDef::new(SigningKeys::Algorithm)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SigningKeys::PrivateKey).binary().not_null())
                    .col(ColumnDef::new(SigningKeys::PublicKey).binary().not_null())
                    .col(
                        ColumnDef::new(SigningKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SigningKeys::RetiredAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .primary_key(
                        Index::create()
                            .name("pk_signing_keys")
                            .col(SigningKeys::Kid),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(ColumnDef::new(RefreshTokens::Id).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::TenantId).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::UserId).uuid().not_null())
                    .col(ColumnDef::new(RefreshTokens::FamilyId).uuid().not_null())
                    .col(
                        ColumnDef::new(RefreshTokens::TokenHash)
                            .char_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::RotatedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(RefreshTokens::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .name("pk_refresh_tokens")
                            .col(RefreshTokens::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_tenant_id")
                            .from_tbl(RefreshTokens::Table)
                            .from_col(RefreshTokens::TenantId)
                            .to_tbl(Alias::new("tenants"))
                            .to_col(Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_refresh_tokens_user_id")
                            .from_tbl(RefreshTokens::Table)
                            .from_col(RefreshTokens::TenantId)
                            .from_col(RefreshTokens::UserId)
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
                    .name("uq_refresh_tokens_token_hash")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_tokens_tenant_id_family_id")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::TenantId)
                    .col(RefreshTokens::FamilyId)
                    .to_owned(),
            )
            .await?;

        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::FailedLogins)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::LockedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;

        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(&format!(
                "GRANT SELECT, INSERT, UPDATE ON signing_keys TO {APP_ROLE};
                 GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO {APP_ROLE};
                 ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
                 ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
                 CREATE POLICY tenant_isolation ON refresh_tokens
                   USING (tenant_id = app_current_tenant())
                   WITH CHECK (tenant_id = app_current_tenant());"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::LockedUntil, Users::FailedLogins] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            RefreshTokens::Table.into_iden(),
            SigningKeys::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
