//! `helpdesk reindex`.

use anyhow::Context as _;

use super::setup::open_knowledge;
use crate::config::Settings;

/// `helpdesk reindex`: rebuilds the vector collection for the current embedding model from
/// the chunk rows, every tenant's.
pub async fn run(settings: Settings) -> anyhow::Result<()> {
    crate::vector::drop_collection(&settings).await?;
    let (db, knowledge) = open_knowledge(&settings).await?;
    let tenants = crate::tenancy::list_tenants(&db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("cannot list tenants"))?;
    for tenant in tenants {
        let n = knowledge
            .reindex(tenant.id)
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("reindexing {}", tenant.slug)))?;
        println!("reindex: {} — {n} chunks embedded", tenant.slug);
    }
    db.close().await.context("closing the database")?;
    Ok(())
}
