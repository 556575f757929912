//! `helpdesk eval chat`: asks every question of a JSONL set through the help chat's
//! answerer (retrieval, quote, citations, the three outcomes) and ends with one JSON line:
//! `answered_with_relevant_citation` (answerable questions answered with a citation of a
//! relevant page), `abstain_accuracy` (unanswerable questions abstained on),
//! `key_fact_rate` (answerable questions whose answer contains every key fact),
//! `p50_first_token_ms` (question to first streamed text, answered questions),
//! `suggested_with_relevant` (answerable questions given suggestions that include a relevant
//! page), `answered_or_suggested_relevant` (either), `unanswerable_answered` (unanswerable
//! questions given a confident answer: the harmful rate) and `unanswerable_abstained`
//! (unanswerable questions given an abstention or suggestions).

use std::collections::HashSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context as _;

use crate::cli::eval::retrieval::{
    Kind, check_relevant_pages, eval_tenant, load_kb, percentile, read_set, scratch_unless_tenant,
};
use crate::cli::setup::open_rag;
use crate::config::{AnswerMode, Settings};
use crate::knowledge::Audience;
use crate::rag::{Outcome, Source};

pub struct Args {
    pub set: PathBuf,
    pub kb: PathBuf,
    pub tenant: Option<String>,
    pub mode: Option<AnswerMode>,
    /// Where to write each question's signals, quote and outcome (JSONL), for fitting the
    /// thresholds offline.
    pub signals: Option<PathBuf>,
}

/// What the chat's answer does not keep, written for `scripts/fit_answers.py` and
/// `scripts/fit_detector.py`: the search is run again as the chat ran it. The unaddressed
/// word ([`crate::knowledge::Knowledge::unaddressed`]), a signal the chat does not read,
/// and the sentences read together with the question, which the answer-sentence probe is
/// fitted on.
async fn search_again(
    knowledge: &crate::knowledge::Knowledge,
    tenant: crate::tenancy::TenantId,
    settings: &Settings,
    question: &str,
) -> Result<(f32, crate::knowledge::SearchResults), crate::error::AppError> {
    let found = knowledge
        .search(
            tenant,
            question,
            settings.rag.sources,
            crate::vector::SearchMode::Hybrid,
            Audience::Public,
        )
        .await?;
    let unaddressed = knowledge.unaddressed(tenant, question, &found).await?;
    Ok((unaddressed, found))
}

/// Lower-case words only, so that "16 characters" matches "16-characters," too.
fn normalise(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn contains_fact(answer: &str, fact: &str) -> bool {
    let fact = normalise(fact);
    !fact.is_empty() && format!(" {} ", normalise(answer)).contains(&format!(" {fact} "))
}

#[derive(Default)]
struct Tally {
    answerable: usize,
    unanswerable: usize,
    cited_right: usize,
    suggested_right: usize,
    unanswerable_answered: usize,
    unanswerable_abstained: usize,
    unanswerable_suggested: usize,
    with_facts: usize,
    facts_found: usize,
    /// Citations of confident answers to answerable questions, and how many of them name
    /// a relevant page: the per-citation support check's precision.
    citations: usize,
    citations_relevant: usize,
}

fn names_relevant(pages: &[Source], relevant: &HashSet<&str>) -> bool {
    pages.iter().any(|c| relevant.contains(c.source.as_str()))
}

pub async fn run(mut settings: Settings, args: Args) -> anyhow::Result<()> {
    let questions = read_set(&args.set)?;
    anyhow::ensure!(
        !questions.is_empty(),
        "{} has no questions",
        args.set.display()
    );
    check_relevant_pages(&questions, &args.kb)?;
    let mut signals = match &args.signals {
        Some(path) => Some(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => None,
    };
    let scratch = tempfile::tempdir()?;
    scratch_unless_tenant(&mut settings, args.tenant.as_deref(), scratch.path());
    let mode = args.mode.unwrap_or(settings.rag.answer_mode);
    let (db, knowledge, rag) = open_rag(&settings).await?;
    let tenant = eval_tenant(&db, args.tenant.as_deref()).await?;
    load_kb(&knowledge, tenant, &args.kb).await?;
    eprintln!("eval: asking {} questions ({mode:?}) …", questions.len());

    let mut t = Tally::default();
    let mut first_tokens = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let started = Instant::now();
        let answer = rag
            .answer_in(
                &knowledge,
                tenant,
                &q.question,
                mode,
                Audience::Public,
                &mut |_| {},
            )
            .await
            .map_err(|e| anyhow::anyhow!("question {}: {e}", q.id))?;
        let seconds = started.elapsed().as_secs_f64();
        if let Some(ttft) = answer.first_token {
            first_tokens.push(ttft.as_secs_f64() * 1000.0);
        }
        let relevant: HashSet<&str> = q.relevant.iter().map(String::as_str).collect();
        let facts: Vec<&str> = q.key_facts.iter().map(String::as_str).collect();
        match (&q.kind, &answer.outcome) {
            (Kind::Unanswerable, outcome) => {
                t.unanswerable += 1;
                match outcome {
                    Outcome::Abstained { .. } => t.unanswerable_abstained += 1,
                    Outcome::Suggested { .. } => t.unanswerable_suggested += 1,
                    Outcome::Answered(cited) => {
                        t.unanswerable_answered += 1;
                        println!(
                            "answered-unanswerable {}: {} → {}",
                            q.id, q.question, cited.text
                        );
                    }
                }
            }
            (Kind::Answerable, outcome) => {
                t.answerable += 1;
                if !facts.is_empty() {
                    t.with_facts += 1;
                }
                match outcome {
                    Outcome::Abstained { reason } => {
                        println!("abstained-answerable {} ({reason:?}): {}", q.id, q.question);
                    }
                    Outcome::Suggested { pages, reason } => {
                        if names_relevant(pages, &relevant) {
                            t.suggested_right += 1;
                        } else {
                            println!(
                                "suggested-wrong {} ({reason:?}): {} → {:?}",
                                q.id,
                                q.question,
                                pages.iter().map(|c| &c.source).collect::<Vec<_>>()
                            );
                        }
                    }
                    Outcome::Answered(cited) => {
                        t.citations += cited.citations.len();
                        t.citations_relevant += cited
                            .citations
                            .iter()
                            .filter(|c| relevant.contains(c.source.as_str()))
                            .count();
                        if names_relevant(&cited.citations, &relevant) {
                            t.cited_right += 1;
                        } else {
                            println!(
                                "wrong-citation {}: {} → {:?}",
                                q.id,
                                q.question,
                                cited
                                    .citations
                                    .iter()
                                    .map(|c| &c.source)
                                    .collect::<Vec<_>>()
                            );
                        }
                        let missing: Vec<&&str> = facts
                            .iter()
                            .filter(|f| !contains_fact(&cited.text, f))
                            .collect();
                        if !facts.is_empty() && missing.is_empty() {
                            t.facts_found += 1;
                        } else if !facts.is_empty() {
                            println!("missing-facts {} {missing:?}: {}", q.id, cited.text);
                        }
                    }
                }
            }
        }
        if let Some(out) = signals.as_mut() {
            let sources = |pages: &[Source]| -> Vec<String> {
                pages.iter().map(|c| c.source.clone()).collect()
            };
            let (unaddressed, again) =
                search_again(&knowledge, tenant, &settings, &answer.question)
                    .await
                    .map_err(|e| anyhow::anyhow!("question {}: {e}", q.id))?;
            let mut inputs = serde_json::to_value(answer.signals)?;
            inputs["unaddressed"] = unaddressed.into();
            let row = serde_json::json!({
                "id": q.id,
                "kind": q.kind,
                "relevant": q.relevant,
                "outcome": answer.outcome.label(),
                "answerability": answer.answerability,
                "quote_confidence": answer.quote_confidence,
                "signals": inputs,
                "support": answer.support,
                "quote_sources": answer.quote.as_ref().map(|c| sources(&c.citations)).unwrap_or_default(),
                "quote": answer.quote.as_ref().map(|c| c.text.as_str()),
                "sources": sources(&answer.sources),
                "readings": again.readings,
                // The question-level probe reads the question's own vector, at its depth.
                "query_vector": again.probe_vector,
            });
            writeln!(out, "{row}")?;
        }
        eprintln!(
            "  [{}/{}] {} {} answerability={:.3} quote_confidence={:.3} support={:.3} in \
             {seconds:.1} s",
            i + 1,
            questions.len(),
            q.id,
            answer.outcome.label(),
            answer.answerability,
            answer.quote_confidence,
            answer.support,
        );
    }
    if let Some(mut out) = signals {
        out.flush()?;
    }
    first_tokens.sort_by(f64::total_cmp);
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    println!(
        "answered with a relevant citation {}/{}, suggested with a relevant page {}/{}; \
         unanswerable: {} answered, {} suggested, {} abstained of {}; citations of a relevant \
         page {}/{} ({:.3}); first token p95 {:.1} ms",
        t.cited_right,
        t.answerable,
        t.suggested_right,
        t.answerable,
        t.unanswerable_answered,
        t.unanswerable_suggested,
        t.unanswerable_abstained,
        t.unanswerable,
        t.citations_relevant,
        t.citations,
        share(t.citations_relevant, t.citations),
        percentile(&first_tokens, 95.0)
    );
    if t.with_facts == 0 {
        eprintln!("eval: no question lists key_facts; key_fact_rate is 0");
    }
    println!(
        "{{\"answered_with_relevant_citation\":{},\"abstain_accuracy\":{},\"key_fact_rate\":{},\"p50_first_token_ms\":{},\"suggested_with_relevant\":{},\"answered_or_suggested_relevant\":{},\"unanswerable_answered\":{},\"unanswerable_abstained\":{}}}",
        round(share(t.cited_right, t.answerable)),
        round(share(t.unanswerable_abstained, t.unanswerable)),
        round(share(t.facts_found, t.with_facts)),
        round(percentile(&first_tokens, 50.0)),
        round(share(t.suggested_right, t.answerable)),
        round(share(t.cited_right + t.suggested_right, t.answerable)),
        round(share(t.unanswerable_answered, t.unanswerable)),
        round(share(
            t.unanswerable_abstained + t.unanswerable_suggested,
            t.unanswerable
        )),
    );
    db.close().await.ok();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_match_whole_words_ignoring_case_and_punctuation() {
        assert!(contains_fact(
            "Use at least 16-characters, please.",
            "16 characters"
        ));
        assert!(contains_fact("Open OKTA.", "okta"));
        assert!(!contains_fact("Use 160 characters", "16 characters"));
        assert!(!contains_fact("anything", ""));
    }
}
