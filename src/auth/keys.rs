//! The built-in issuer's signing keys: Ed25519, created on first start, stored in the
//! database (shared by every replica), rotatable. Retired keys stay published in the JWKS
//! until every token they signed has expired.

use std::collections::HashMap;

use anyhow::Context as _;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use ed25519_dalek::pkcs8::EncodePrivateKey as _;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use sea_orm::{
    ActiveModelTrait as _, ColumnTrait as _, DatabaseConnection, EntityTrait as _,
    QueryFilter as _, QueryOrder as _, Set, TransactionTrait as _,
};

use crate::entity::signing_key;

const ALGORITHM: &str = "EdDSA";

pub struct KeyRing {
    active_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    jwks: serde_json::Value,
}

impl KeyRing {
    /// Loads the keys, creating the first one when there is none.
    pub async fn load_or_create(
        db: &DatabaseConnection,
        max_token_age: Duration,
    ) -> anyhow::Result<Self> {
        if Self::usable_keys(db, max_token_age).await?.is_empty() {
            Self::create_key(db).await?;
        }
        Self::load(db, max_token_age).await
    }

    /// Creates a new signing key and retires the current one (still accepted until the
    /// tokens it signed have expired).
    pub async fn rotate(db: &DatabaseConnection, max_token_age: Duration) -> anyhow::Result<Self> {
        Self::create_key(db).await?;
        Self::load(db, max_token_age).await
    }

    async fn usable_keys(
        db: &DatabaseConnection,
        max_token_age: Duration,
    ) -> anyhow::Result<Vec<signing_key::Model>> {
        let cutoff = Utc::now() - max_token_age;
        let keys = signing_key::Entity::find()
            .order_by_desc(signing_key::Column::CreatedAt)
            .all(db)
            .await
            .context("cannot read signing keys")?;
        Ok(keys
            .into_iter()
            .filter(|k| k.retired_at.is_none_or(|retired| retired > cutoff))
            .collect())
    }

    async fn create_key(db: &DatabaseConnection) -> anyhow::Result<()> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let private = key
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("cannot encode key: {e}"))?;
        let public = key.verifying_key().to_bytes();
        let kid = URL_SAFE_NO_PAD.encode(&sha2_digest(&public)[..12]);
        let txn = db.begin().await?;
        let now = Utc::now();
        signing_key::Entity::update_many()
            .col_expr(
                signing_key::Column::RetiredAt,
                sea_orm::sea_query::Expr::value(Some(now)),
            )
            .filter(signing_key::Column::RetiredAt.is_null())
            .exec(&txn)
            .await?;
        signing_key::ActiveModel {
            kid: Set(kid),
            algorithm: Set(ALGORITHM.into()),
            private_key: Set(private.as_bytes().to_vec()),
            public_key: Set(public.to_vec()),
            created_at: Set(now),
            retired_at: Set(None),
        }
        .insert(&txn)
        .await?;
        txn.commit().await.context("cannot store signing key")?;
        tracing::info!("created a new token signing key");
        Ok(())
    }

    async fn load(db: &DatabaseConnection, max_token_age: Duration) -> anyhow::Result<Self> {
        let keys = Self::usable_keys(db, max_token_age).await?;
        let active = keys
            .iter()
            .find(|k| k.retired_at.is_none())
            .context("no active signing key")?;
        let mut decoding = HashMap::new();
        let mut published = Vec::new();
        for key in &keys {
            let x = URL_SAFE_NO_PAD.encode(&key.public_key);
            decoding.insert(key.kid.clone(), DecodingKey::from_ed_der(&key.public_key));
            published.push(serde_json::json!({
                "kty": "OKP", "crv": "Ed25519", "x": x, "kid": key.kid,
                "alg": ALGORITHM, "use": "sig",
            }));
        }
        Ok(Self {
            active_kid: active.kid.clone(),
            encoding: EncodingKey::from_ed_der(&active.private_key),
            decoding,
            jwks: serde_json::json!({ "keys": published }),
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        Algorithm::EdDSA
    }

    pub fn active_kid(&self) -> &str {
        &self.active_kid
    }

    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    pub fn decoding_key(&self, kid: &str) -> Option<&DecodingKey> {
        self.decoding.get(kid)
    }

    /// The JSON Web Key Set served at `/.well-known/jwks.json`.
    pub fn jwks(&self) -> &serde_json::Value {
        &self.jwks
    }
}

fn sha2_digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}
