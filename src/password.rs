//! argon2id password hashes (PHC strings), computed off the async executor: a hash costs
//! tens of milliseconds of CPU by design. A kernel primitive: tenancy stores the hashes,
//! auth checks them.

use anyhow::Context as _;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use secrecy::{ExposeSecret as _, SecretString};

pub async fn hash_password(password: SecretString) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.expose_secret().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
    })
    .await
    .context("password hashing task failed")?
}

/// `true` when `password` matches `phc`; a malformed stored hash never matches.
pub async fn verify_password(password: SecretString, phc: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .context("password verification task failed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let first = hash_password(SecretString::from("correct horse battery"))
            .await
            .expect("hash");
        let second = hash_password(SecretString::from("correct horse battery"))
            .await
            .expect("hash");
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "salts must differ");
        assert!(
            verify_password(SecretString::from("correct horse battery"), first.clone())
                .await
                .expect("verify")
        );
        assert!(
            !verify_password(SecretString::from("wrong"), first)
                .await
                .expect("verify")
        );
        assert!(
            !verify_password(SecretString::from("x"), "garbage".into())
                .await
                .expect("verify")
        );
    }
}
