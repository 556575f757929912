use sea_orm::entity::prelude::*;

/// A token signing key of the built-in issuer. Platform-wide: not tenant data.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kid: String,
    pub algorithm: String,
    /// PKCS#8 DER.
    pub private_key: Vec<u8>,
    /// The raw public key (32 bytes for Ed25519).
    pub public_key: Vec<u8>,
    pub created_at: DateTimeUtc,
    /// Set when a newer key took over signing; kept for verification until tokens expire.
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
