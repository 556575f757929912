//! `helpdesk operator-token`.

use anyhow::Context as _;

use super::setup::open_database;
use crate::config::Settings;

/// `helpdesk operator-token`: a platform-operator token (creates tenants). It is a root
/// credential: print it only where it is safe to.
pub async fn run(settings: Settings, subject: &str) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let max_age = settings.auth.max_token_age();
    let keys = crate::auth::KeyRing::load_or_create(&db, max_age).await?;
    let token = crate::auth::issue_token(
        &keys,
        &settings.auth,
        subject,
        None,
        crate::auth::TokenRole::Operator,
        settings.auth.access_ttl_secs,
    )
    .map_err(|e| anyhow::Error::new(e).context("cannot sign the token"))?;
    db.close().await.context("closing the database")?;
    println!("{token}");
    Ok(())
}
