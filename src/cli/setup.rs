//! What every command opens, the way `serve` does: the database migrated first, and the
//! parts of the service a command works with.

use anyhow::Context as _;

use crate::config::Settings;
use crate::database::{self, Connect};

/// The database as `serve` opens it: migrated first (unless `database.migrate_on_start` is
/// off), so a command on a brand-new data dir works like the server does.
pub async fn open_database(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    if settings.database.migrate_on_start {
        database::migrate_and_connect(settings).await
    } else {
        database::connect(settings, Connect::Eager).await
    }
}

/// The service's parts an admin command needs to touch the knowledge base.
pub async fn open_knowledge(
    settings: &Settings,
) -> anyhow::Result<(sea_orm::DatabaseConnection, crate::knowledge::Knowledge)> {
    let db = open_database(settings).await?;
    let registry = prometheus::Registry::new();
    let mut llm_settings = settings.clone();
    llm_settings.llm.preload = false;
    let llm = std::sync::Arc::new(crate::llm::Llm::new(&llm_settings, &registry)?);
    let knowledge = crate::knowledge::Knowledge::new(settings, db.clone(), llm, &registry).await?;
    Ok((db, knowledge))
}

/// The knowledge base and the answerer over it, as `serve` builds them.
pub async fn open_rag(
    settings: &Settings,
) -> anyhow::Result<(
    sea_orm::DatabaseConnection,
    crate::knowledge::Knowledge,
    crate::rag::Rag,
)> {
    let db = open_database(settings).await?;
    let registry = prometheus::Registry::new();
    let llm = std::sync::Arc::new(crate::llm::Llm::new(settings, &registry)?);
    let knowledge =
        crate::knowledge::Knowledge::new(settings, db.clone(), llm.clone(), &registry).await?;
    let rag = crate::rag::Rag::new(llm, settings.rag.clone(), &registry)?;
    Ok((db, knowledge, rag))
}

pub async fn tenant_id(
    db: &sea_orm::DatabaseConnection,
    slug: &str,
) -> anyhow::Result<crate::tenancy::TenantId> {
    let parsed = crate::tenancy::TenantSlug::parse(slug)
        .map_err(|e| anyhow::anyhow!("--tenant {slug:?}: {e}"))?;
    let tenant = crate::tenancy::find_tenant_by_slug(db, &parsed)
        .await
        .map_err(|e| anyhow::Error::new(e).context(format!("cannot look up tenant {slug}")))?
        .with_context(|| format!("no tenant {slug:?} (create it first, or run `helpdesk seed`)"))?;
    Ok(tenant.id)
}

/// A throw-away tenant without users, for an evaluation or a benchmark.
pub async fn scratch_tenant(
    db: &sea_orm::DatabaseConnection,
    slug: &str,
    name: &str,
) -> anyhow::Result<crate::tenancy::TenantId> {
    let input = crate::tenancy::CreateTenant::parse(&crate::tenancy::NewTenant {
        slug: slug.to_owned(),
        name: name.to_owned(),
        plan: None,
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(crate::desk::create_tenant(db, input)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .id)
}

/// Commands whose issue has not landed yet say so instead of pretending.
pub fn not_yet(command: &str, arrives_with: &str) -> anyhow::Result<()> {
    anyhow::bail!("`helpdesk {command}` is not available yet: it arrives with {arrives_with}")
}
