use sea_orm::entity::prelude::*;

/// A refresh token, stored as the SHA-256 of its value. Rotating one marks it `rotated_at`
/// and issues the next token of the same family; presenting a rotated token again revokes
/// the whole family.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub token_hash: String,
    pub expires_at: DateTimeUtc,
    pub rotated_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// When the family's first token was issued (its sign-in); `None` on rows older than
    /// the absolute lifetime, whose family started at `created_at` at the latest.
    pub family_started_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
