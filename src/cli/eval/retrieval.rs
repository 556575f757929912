//! `helpdesk eval retrieval`: loads a folder into a fresh tenant (or a given one), asks
//! every question of a JSONL set, prints each miss, and ends with one JSON line of
//! figures. Pages count as retrieved when any of their chunks is in the top k; hit@k,
//! recall@5 and MRR@10 are over the answerable questions, abstention accuracy over all.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use serde::Deserialize;

use crate::cli::load_docs::load_folder;
use crate::cli::setup::open_knowledge;
use crate::config::Settings;
use crate::knowledge::Audience;
use crate::tenancy;
use crate::vector::SearchMode;

#[derive(Debug, Deserialize)]
pub struct Question {
    pub id: String,
    pub question: String,
    #[serde(default)]
    pub relevant: Vec<String>,
    #[serde(default)]
    pub answer: Option<String>,
    /// Short phrases a good answer contains (`eval chat`).
    #[serde(default)]
    pub key_facts: Vec<String>,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Answerable,
    Unanswerable,
}

pub struct Args {
    pub set: PathBuf,
    pub kb: PathBuf,
    pub k: usize,
    pub tenant: Option<String>,
    pub mode: SearchMode,
    /// Where to write each question's raw dense and lexical candidates (JSONL).
    pub explain: Option<PathBuf>,
}

/// Without a tenant, everything happens in a throw-away data dir (embedded database and
/// vector store), so an evaluation never touches real data.
pub fn scratch_unless_tenant(settings: &mut Settings, tenant: Option<&str>, scratch: &Path) {
    if tenant.is_none() {
        settings.data_dir = scratch.to_path_buf();
        settings.database.url = None;
        settings.database.admin_url = None;
        settings.vector.backend = crate::config::VectorBackend::Edge;
    }
}

/// The named tenant, or a fresh `eval` tenant.
pub async fn eval_tenant(
    db: &sea_orm::DatabaseConnection,
    tenant: Option<&str>,
) -> anyhow::Result<tenancy::TenantId> {
    Ok(match tenant {
        Some(slug) => {
            let parsed =
                tenancy::TenantSlug::parse(slug).map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
            let found = tenancy::find_tenant_by_slug(db, &parsed)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .with_context(|| format!("no tenant {slug:?}"))?;
            found.id
        }
        None => crate::cli::setup::scratch_tenant(db, "eval", "Evaluation").await?,
    })
}

/// Every page a question names as relevant exists under `kb`.
pub fn check_relevant_pages(questions: &[Question], kb: &Path) -> anyhow::Result<()> {
    for q in questions {
        for path in &q.relevant {
            anyhow::ensure!(
                kb.join(path).is_file(),
                "question {}: relevant page {path} is not in {}",
                q.id,
                kb.display()
            );
        }
    }
    Ok(())
}

pub fn read_set(path: &Path) -> anyhow::Result<Vec<Question>> {
    Ok(super::read_jsonl(path, "question")?
        .into_iter()
        .map(|(_, q)| q)
        .collect())
}

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Loads a question set's knowledge folder as the help chat sees it (public), with
/// progress.
pub async fn load_kb(
    knowledge: &crate::knowledge::Knowledge,
    tenant: crate::tenancy::TenantId,
    kb: &std::path::Path,
) -> anyhow::Result<crate::knowledge::LoadReport> {
    eprintln!("eval: loading {} …", kb.display());
    load_folder(
        knowledge,
        tenant,
        kb,
        false,
        crate::knowledge::Visibility::Public,
    )
    .await
}

pub async fn run(mut settings: Settings, args: Args) -> anyhow::Result<()> {
    let questions = read_set(&args.set)?;
    anyhow::ensure!(
        !questions.is_empty(),
        "{} has no questions",
        args.set.display()
    );
    anyhow::ensure!(args.k >= 1, "--k must be at least 1");
    check_relevant_pages(&questions, &args.kb)?;
    let scratch = tempfile::tempdir()?;
    scratch_unless_tenant(&mut settings, args.tenant.as_deref(), scratch.path());
    let (db, knowledge) = open_knowledge(&settings).await?;
    let tenant = eval_tenant(&db, args.tenant.as_deref()).await?;
    load_kb(&knowledge, tenant, &args.kb).await?;

    if let Some(path) = &args.explain {
        let mut lines = String::new();
        for q in &questions {
            let mut row = knowledge
                .explain(tenant, &q.question, 60)
                .await
                .map_err(|e| anyhow::anyhow!("question {}: {e}", q.id))?;
            row["id"] = q.id.clone().into();
            row["kind"] = serde_json::to_value(q.kind)?;
            row["relevant"] = serde_json::to_value(&q.relevant)?;
            lines.push_str(&row.to_string());
            lines.push('\n');
        }
        std::fs::write(path, lines).with_context(|| format!("cannot write {}", path.display()))?;
    }

    let depth = args.k.max(10);
    let mut hits = [0usize; 3];
    let mut recall = 0.0;
    let mut mrr = 0.0;
    let mut answerable = 0usize;
    let mut abstained_right = 0usize;
    let mut latencies = Vec::with_capacity(questions.len());
    for q in &questions {
        let started = Instant::now();
        let results = knowledge
            .search(tenant, &q.question, depth, args.mode, Audience::Public)
            .await
            .map_err(|e| anyhow::anyhow!("question {}: {e}", q.id))?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        let ranked: Vec<&str> = results.pages.iter().map(|p| p.source.as_str()).collect();
        let abstains = !results.answerable;
        match q.kind {
            Kind::Unanswerable => {
                if abstains {
                    abstained_right += 1;
                } else {
                    println!(
                        "answered-unanswerable {} ({:.2}): {} → {}",
                        q.id,
                        results.answerability,
                        q.question,
                        ranked.first().unwrap_or(&"-")
                    );
                }
            }
            Kind::Answerable => {
                answerable += 1;
                if !abstains {
                    abstained_right += 1;
                } else {
                    println!(
                        "abstained-answerable {} ({:.2}): {}",
                        q.id, results.answerability, q.question
                    );
                }
                let relevant: HashSet<&str> = q.relevant.iter().map(String::as_str).collect();
                let first = ranked.iter().position(|s| relevant.contains(s));
                for (slot, k) in [1, 3, args.k].iter().enumerate() {
                    if first.is_some_and(|r| r < *k) {
                        hits[slot] += 1;
                    }
                }
                if let Some(r) = first.filter(|r| *r < 10) {
                    mrr += 1.0 / (r + 1) as f64;
                }
                let found = ranked
                    .iter()
                    .take(5)
                    .filter(|s| relevant.contains(**s))
                    .count();
                recall += found as f64 / relevant.len().max(1) as f64;
                if first.is_none_or(|r| r >= args.k) {
                    println!(
                        "miss {}: {} → {:?} (expected {:?})",
                        q.id,
                        q.question,
                        &ranked[..ranked.len().min(3)],
                        q.relevant
                    );
                }
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    let share = |n: f64, of: usize| if of == 0 { 0.0 } else { n / of as f64 };
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    println!(
        "{{\"questions\":{},\"hit@1\":{},\"hit@3\":{},\"hit@5\":{},\"recall@5\":{},\"mrr@10\":{},\"abstain_accuracy\":{},\"p50_ms\":{},\"p95_ms\":{}}}",
        questions.len(),
        round(share(hits[0] as f64, answerable)),
        round(share(hits[1] as f64, answerable)),
        round(share(hits[2] as f64, answerable)),
        round(share(recall, answerable)),
        round(share(mrr, answerable)),
        round(share(abstained_right as f64, questions.len())),
        round(percentile(&latencies, 50.0)),
        round(percentile(&latencies, 95.0)),
    );
    db.close().await.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn a_set_saved_with_a_byte_order_mark_and_crlf_lines_reads_whole() {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        let line = |id: &str, kind: &str| {
            format!(r#"{{"id":"{id}","question":"q {id}","relevant":[],"kind":"{kind}"}}"#)
        };
        write!(
            file,
            "\u{feff}{}\r\n\r\n{}\r\n",
            line("a", "answerable"),
            line("b", "unanswerable")
        )
        .expect("write");
        let set = read_set(file.path()).expect("the set parses");
        let ids: Vec<&str> = set.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(set[1].kind, Kind::Unanswerable);
    }

    #[test]
    fn a_line_that_is_not_a_question_names_its_line() {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        writeln!(file, "{{\"id\":\"a\"}}").expect("write");
        let err = read_set(file.path()).expect_err("no question or kind");
        assert!(
            format!("{err:#}").contains(": line 1: not a question"),
            "{err:#}"
        );
    }
}
