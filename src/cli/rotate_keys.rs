//! `helpdesk rotate-keys`.

use anyhow::Context as _;

use super::setup::open_database;
use crate::config::Settings;

/// `helpdesk rotate-keys`: a new signing key takes over; the old one keeps verifying until
/// its tokens have expired. Running servers pick the new key up when they first see it.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let max_age = settings.auth.max_token_age();
    let keys = crate::auth::KeyRing::rotate(&db, max_age).await?;
    db.close().await.context("closing the database")?;
    println!("signing key rotated; new key id {}", keys.active_kid());
    Ok(())
}
