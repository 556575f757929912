//! `helpdesk eval chat`: asks every question of a JSONL set through the help chat's
//! answerer (retrieval, answer, citations, abstention) and ends with one JSON line:
//! `answered_with_relevant_citation` (answerable questions answered with a citation of a
//! relevant page), `abstain_accuracy` (unanswerable questions abstained on),
//! `key_fact_rate` (answerable questions whose answer contains every key fact) and
//! `p50_first_token_ms` (question to first streamed text, answered questions).

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use crate::cli::eval::retrieval::{
    Kind, check_relevant_pages, eval_tenant, load_kb, percentile, read_set, scratch_unless_tenant,
};
use crate::cli::setup::open_rag;
use crate::config::{AnswerMode, Settings};
use crate::knowledge::Audience;
use crate::rag::Outcome;

pub struct Args {
    pub set: PathBuf,
    pub kb: PathBuf,
    pub tenant: Option<String>,
    pub mode: Option<AnswerMode>,
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

pub async fn run(mut settings: Settings, args: Args) -> anyhow::Result<()> {
    let questions = read_set(&args.set)?;
    anyhow::ensure!(
        !questions.is_empty(),
        "{} has no questions",
        args.set.display()
    );
    check_relevant_pages(&questions, &args.kb)?;
    let scratch = tempfile::tempdir()?;
    scratch_unless_tenant(&mut settings, args.tenant.as_deref(), scratch.path());
    let mode = args.mode.unwrap_or(settings.rag.answer_mode);
    let (db, knowledge, rag) = open_rag(&settings).await?;
    let tenant = eval_tenant(&db, args.tenant.as_deref()).await?;
    load_kb(&knowledge, tenant, &args.kb).await?;
    eprintln!("eval: asking {} questions ({mode:?}) …", questions.len());

    let (mut answerable, mut unanswerable) = (0usize, 0usize);
    let (mut cited_right, mut abstained_right) = (0usize, 0usize);
    let (mut with_facts, mut facts_found) = (0usize, 0usize);
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
        let facts: Vec<&str> = q.key_facts.iter().map(String::as_str).collect();
        match (&q.kind, &answer.outcome) {
            (Kind::Unanswerable, Outcome::Abstained { .. }) => {
                unanswerable += 1;
                abstained_right += 1;
            }
            (Kind::Unanswerable, Outcome::Answered(cited)) => {
                unanswerable += 1;
                println!(
                    "answered-unanswerable {}: {} → {}",
                    q.id, q.question, cited.text
                );
            }
            (Kind::Answerable, outcome) => {
                answerable += 1;
                if !facts.is_empty() {
                    with_facts += 1;
                }
                match outcome {
                    Outcome::Abstained { reason } => {
                        println!("abstained-answerable {} ({reason:?}): {}", q.id, q.question);
                    }
                    Outcome::Answered(cited) => {
                        let relevant: HashSet<&str> =
                            q.relevant.iter().map(String::as_str).collect();
                        if cited
                            .citations
                            .iter()
                            .any(|c| relevant.contains(c.source.as_str()))
                        {
                            cited_right += 1;
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
                            facts_found += 1;
                        } else if !facts.is_empty() {
                            println!("missing-facts {} {missing:?}: {}", q.id, cited.text);
                        }
                    }
                }
            }
        }
        eprintln!(
            "  [{}/{}] {} {} answerability={:.3} support={:.3} in {seconds:.1} s",
            i + 1,
            questions.len(),
            q.id,
            answer.outcome.label(),
            answer.answerability,
            answer.support,
        );
    }
    first_tokens.sort_by(f64::total_cmp);
    let share = |n: usize, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    println!(
        "answered with a relevant citation {}/{}, abstained on {}/{} unanswerable; first token p95 {:.1} ms",
        cited_right,
        answerable,
        abstained_right,
        unanswerable,
        percentile(&first_tokens, 95.0)
    );
    if with_facts == 0 {
        eprintln!("eval: no question lists key_facts; key_fact_rate is 0");
    }
    println!(
        "{{\"answered_with_relevant_citation\":{},\"abstain_accuracy\":{},\"key_fact_rate\":{},\"p50_first_token_ms\":{}}}",
        round(share(cited_right, answerable)),
        round(share(abstained_right, unanswerable)),
        round(share(facts_found, with_facts)),
        round(percentile(&first_tokens, 50.0)),
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
