//! Token signing keys (platform-wide), refresh tokens (per tenant, hashed, grouped in
//! rotation families) and the counters behind login lockout.

use crate::schema::{
    Scope, add_column, binary, drop_column, index, primary_key, protect, string, tenant_fk,
    tenant_owner_fk, timestamp, timestamp_null, unique_index, uuid,
};
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
                    .col(string(SigningKeys::Kid, 64))
                    .col(string(SigningKeys::Algorithm, 16))
                    .col(binary(SigningKeys::PrivateKey))
                    .col(binary(SigningKeys::PublicKey))
                    .col(timestamp(SigningKeys::CreatedAt))
                    .col(timestamp_null(SigningKeys::RetiredAt))
                    .primary_key(&mut primary_key("signing_keys", &["kid"]))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(uuid(RefreshTokens::Id))
                    .col(uuid(RefreshTokens::TenantId))
                    .col(uuid(RefreshTokens::UserId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(
                        ColumnDef::new(RefreshTokens::TokenHash)
                            .char_len(64)
                            .not_null(),
                    )
                    .col(timestamp(RefreshTokens::ExpiresAt))
                    .col(timestamp_null(RefreshTokens::RotatedAt))
                    .col(timestamp_null(RefreshTokens::RevokedAt))
                    .col(timestamp(RefreshTokens::CreatedAt))
                    .primary_key(&mut primary_key("refresh_tokens", &["id"]))
                    .foreign_key(&mut tenant_owner_fk(
                        "fk_refresh_tokens_tenant_id",
                        RefreshTokens::Table,
                    ))
                    .foreign_key(&mut tenant_fk(
                        "fk_refresh_tokens_user_id",
                        RefreshTokens::Table,
                        RefreshTokens::UserId,
                        Alias::new("users"),
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "uq_refresh_tokens_token_hash",
                RefreshTokens::Table,
                [RefreshTokens::TokenHash],
            ))
            .await?;
        manager
            .create_index(index(
                "ix_refresh_tokens_tenant_id_family_id",
                RefreshTokens::Table,
                [RefreshTokens::TenantId, RefreshTokens::FamilyId],
            ))
            .await?;

        // SQLite adds one column per ALTER TABLE.
        add_column(
            manager,
            Users::Table,
            ColumnDef::new(Users::FailedLogins)
                .integer()
                .not_null()
                .default(0)
                .take(),
        )
        .await?;
        add_column(manager, Users::Table, timestamp_null(Users::LockedUntil)).await?;

        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            // Keys are platform-wide: no policy, and never deleted by the service.
            db.execute_unprepared(&format!(
                "GRANT SELECT, INSERT, UPDATE ON signing_keys TO {APP_ROLE};"
            ))
            .await?;
        }
        protect(manager, "refresh_tokens", Scope::Tenant).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Users::LockedUntil, Users::FailedLogins] {
            drop_column(manager, Users::Table, column).await?;
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
