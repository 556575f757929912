//! What the auth layer keeps for the life of the process.

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use tokio::sync::RwLock;

use super::external::ExternalIssuers;
use super::keys::KeyRing;
use super::throttle::{LoginFailures, Throttle};
use crate::config::AuthSettings;
use crate::error::AppError;
use crate::password::hash_password;

pub struct AuthState {
    pub settings: AuthSettings,
    /// Loaded on first use, so the service can start (and report itself unready) while the
    /// database is down.
    keys: RwLock<Option<Arc<KeyRing>>>,
    /// A real argon2 hash that matches nothing: unknown accounts are checked against it so
    /// they cost what known ones do.
    dummy_hash: String,
    /// Sign-in attempts per account and client.
    pub login_per_account: Throttle,
    pub login_per_client: Throttle,
    pub login_failures: LoginFailures,
    pub visitor_tokens: Throttle,
    pub external: ExternalIssuers,
    last_reload: tokio::sync::Mutex<Option<std::time::Instant>>,
}

const RELOAD_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

impl AuthState {
    pub async fn new(settings: AuthSettings) -> anyhow::Result<Self> {
        let mut random = [0u8; 24];
        getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let dummy = SecretString::from(format!("{random:?}"));
        Ok(Self {
            login_per_account: Throttle::per_minute(settings.login_attempts_per_minute),
            login_per_client: Throttle::per_minute(
                settings.login_attempts_per_minute.saturating_mul(4),
            ),
            login_failures: LoginFailures::new(
                u32::try_from(settings.max_failed_logins).unwrap_or(1),
                std::time::Duration::from_secs(u64::try_from(settings.lockout_secs).unwrap_or(1)),
            ),
            visitor_tokens: Throttle::per_minute(settings.visitor_tokens_per_minute),
            external: ExternalIssuers::new(
                settings.trusted_issuers.clone(),
                std::time::Duration::from_secs(settings.jwks_cache_secs),
                std::time::Duration::from_secs(settings.jwks_min_refetch_secs),
            )?,
            settings,
            keys: RwLock::new(None),
            last_reload: tokio::sync::Mutex::new(None),
            dummy_hash: hash_password(dummy).await?,
        })
    }

    pub async fn keys(&self, db: &DatabaseConnection) -> Result<Arc<KeyRing>, AppError> {
        if let Some(keys) = self.keys.read().await.as_ref() {
            return Ok(keys.clone());
        }
        let mut slot = self.keys.write().await;
        if let Some(keys) = slot.as_ref() {
            return Ok(keys.clone());
        }
        let loaded = Arc::new(KeyRing::load_or_create(db, self.settings.max_token_age()).await?);
        *slot = Some(loaded.clone());
        Ok(loaded)
    }

    /// The key ring, reloaded from the database when it does not know `kid`: another replica
    /// (or `helpdesk rotate-keys`) may have rotated. Reloads at most every few seconds, so
    /// forged key ids cost nothing.
    pub async fn keys_knowing(
        &self,
        db: &DatabaseConnection,
        kid: &str,
    ) -> Result<Arc<KeyRing>, AppError> {
        let current = self.keys(db).await?;
        if current.decoding_key(kid).is_some() {
            return Ok(current);
        }
        let mut last = self.last_reload.lock().await;
        if last.is_some_and(|at| at.elapsed() < RELOAD_INTERVAL) {
            return Ok(current);
        }
        *last = Some(std::time::Instant::now());
        let reloaded = Arc::new(KeyRing::load_or_create(db, self.settings.max_token_age()).await?);
        *self.keys.write().await = Some(reloaded.clone());
        Ok(reloaded)
    }

    /// Signs new tokens with a fresh key; the old one keeps verifying until its tokens expire.
    pub async fn rotate_keys(&self, db: &DatabaseConnection) -> Result<(), AppError> {
        let rotated = Arc::new(KeyRing::rotate(db, self.settings.max_token_age()).await?);
        *self.keys.write().await = Some(rotated);
        Ok(())
    }

    pub fn dummy_hash(&self) -> &str {
        &self.dummy_hash
    }
}
