//! `helpdesk load-docs`: a folder or a manifest of documents into a tenant's knowledge base,
//! with progress, once or watching.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use super::setup::{open_knowledge, tenant_id};
use crate::config::Settings;
use crate::knowledge::Visibility;

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

/// `helpdesk load-docs`.
pub async fn run(settings: Settings, request: LoadDocs) -> anyhow::Result<()> {
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
        // A long file takes minutes: its batches show too.
        LoadEvent::Embedding { path, progress } => bar.set_message(format!(
            "{path}: {} of {} {} embedded",
            progress.done,
            progress.total,
            progress.stage.as_str()
        )),
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
         mean embed latency {:.1} ms per batch; {} sentences embedded in {:.1} s",
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
        report.mean_embed_ms,
        report.sentences_embedded,
        report.sentence_embed_seconds
    );
    Ok(report)
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
