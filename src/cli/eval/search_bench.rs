//! `helpdesk bench search`: ingestion rate and search latency, measured on a throw-away
//! tenant in a temporary data dir (embedded database and vector store).

use std::path::Path;
use std::time::Instant;

use crate::cli::load_docs::load_folder;
use crate::cli::setup::{open_knowledge, scratch_tenant};
use crate::config::Settings;
use crate::knowledge::{Audience, list_files, loader};
use crate::vector::SearchMode;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Questions for the latency run: the set's when given, else every page's title and
/// first sentence, cycled to `count`.
fn queries(set: Option<&Path>, kb: &Path, count: usize) -> anyhow::Result<Vec<String>> {
    let base: Vec<String> = match set {
        Some(path) => crate::cli::eval::retrieval::read_set(path)?
            .into_iter()
            .map(|q| q.question)
            .collect(),
        None => list_files(kb)?
            .iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).ok()?;
                let kind = loader::SourceKind::of(p)?;
                // The operator's own folder, read in process for its titles only.
                let cap = crate::config::ParserSettings::default().inflated_bytes;
                let title = loader::title_from_path(p);
                let doc = loader::load(kind, text.as_bytes(), &title, cap).ok()?;
                let first = doc.sections.first()?.text.split(". ").next()?.to_owned();
                Some(format!(
                    "{} {}",
                    doc.title,
                    first.chars().take(80).collect::<String>()
                ))
            })
            .collect(),
    };
    anyhow::ensure!(!base.is_empty(), "no queries to run");
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        out.extend(base.iter().take(count - out.len()).cloned());
    }
    Ok(out)
}

pub async fn run(
    mut settings: Settings,
    kb: &Path,
    set: Option<&Path>,
    count: usize,
) -> anyhow::Result<()> {
    let scratch = tempfile::tempdir()?;
    settings.data_dir = scratch.path().to_path_buf();
    settings.database.url = None;
    settings.database.admin_url = None;
    settings.vector.backend = crate::config::VectorBackend::Edge;
    let (db, knowledge) = open_knowledge(&settings).await?;
    let tenant = scratch_tenant(&db, "bench", "Search benchmark").await?;

    let started = Instant::now();
    let report = load_folder(
        &knowledge,
        tenant,
        kb,
        false,
        crate::knowledge::Visibility::Public,
    )
    .await?;
    let seconds = started.elapsed().as_secs_f64();
    let pages = (report.added + report.updated) as f64;
    println!(
        "ingest: {} pages, {} chunks in {seconds:.1} s = {:.2} pages/s, {:.1} chunks/s",
        pages,
        report.chunks_written,
        pages / seconds,
        report.chunks_written as f64 / seconds
    );

    let questions = queries(set, kb, count)?;
    // One warm-up query: the first pays for lazy initialisation.
    knowledge
        .search(
            tenant,
            &questions[0],
            5,
            SearchMode::Hybrid,
            Audience::Public,
        )
        .await?;
    let (mut total, mut embed, mut search) = (Vec::new(), Vec::new(), Vec::new());
    for q in &questions {
        let started = Instant::now();
        let results = knowledge
            .search(tenant, q, 5, SearchMode::Hybrid, Audience::Public)
            .await?;
        total.push(started.elapsed().as_secs_f64() * 1000.0);
        embed.push(results.embed_ms);
        search.push(results.search_ms);
    }
    for v in [&mut total, &mut embed, &mut search] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "search ({} queries, hybrid, k = 5): end to end p50 {:.1} ms, p95 {:.1} ms; \
         query embedding p50 {:.1} ms, p95 {:.1} ms; vector search and fusion p50 {:.1} ms, p95 {:.1} ms",
        questions.len(),
        percentile(&total, 50.0),
        percentile(&total, 95.0),
        percentile(&embed, 50.0),
        percentile(&embed, 95.0),
        percentile(&search, 50.0),
        percentile(&search, 95.0),
    );
    db.close().await.ok();
    Ok(())
}
