//! `helpdesk healthcheck`.

use std::time::Duration;

use anyhow::Context as _;

/// `helpdesk healthcheck`: exit 0 when `/health` answers 200 (for container HEALTHCHECKs,
/// where no curl is installed).
pub async fn run(url: &str, timeout: Duration) -> anyhow::Result<()> {
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .context("cannot build HTTP client")?;
    let response = client
        .get(url)
        .send()
        .await
        .with_context(|| format!("{url} did not answer"))?;
    anyhow::ensure!(
        response.status().is_success(),
        "{url} answered {}",
        response.status()
    );
    Ok(())
}
