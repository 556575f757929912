//! `helpdesk audit verify [--tenant SLUG]`: walks each tenant's audit chain and names the
//! first record that was altered, removed or moved. Exit 1 when any chain is broken.

use crate::audit;
use crate::config::Settings;
use crate::database::TenantTx;
use crate::tenancy::{self, TenantId};

pub async fn verify(settings: Settings, slug: Option<String>) -> anyhow::Result<()> {
    let db = super::setup::open_database(&settings).await?;
    let tenants: Vec<(String, TenantId)> = match slug {
        Some(slug) => vec![(slug.clone(), super::setup::tenant_id(&db, &slug).await?)],
        None => tenancy::list_tenants(&db)
            .await?
            .into_iter()
            .map(|t| (t.slug, t.id))
            .collect(),
    };
    let mut broken = 0;
    for (slug, tenant) in tenants {
        let tx = TenantTx::begin(&db, tenant).await?;
        let verified = audit::verify(&tx).await?;
        tx.commit().await?;
        match verified.first_break {
            None => println!("{slug}: {} records, chain intact", verified.records),
            Some(at) => {
                broken += 1;
                println!(
                    "{slug}: {} records, chain broken at record {}: {}",
                    verified.records, at.seq, at.problem
                );
            }
        }
    }
    anyhow::ensure!(
        broken == 0,
        "the audit chain of {broken} tenant(s) is broken"
    );
    Ok(())
}
