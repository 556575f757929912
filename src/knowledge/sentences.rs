//! Sentences of a chunk and their vectors. Each chunk's sentences are embedded once at
//! ingestion and stored with its row, so that a search can tell which sentence of a
//! retrieved passage is closest to the question without embedding anything but the query.

use std::collections::HashMap;

use uuid::Uuid;

use super::search::{Quotable, key_words, quotable_sentences};
use super::{IngestProgress, IngestStage, Knowledge, SearchResults, summary};
use crate::entity::chunk;
use crate::error::AppError;
use crate::llm::embedder::cosine;
use crate::llm::{Call, Purpose};
use crate::tenancy::TenantId;

/// Sentences this short are headings or fragments: never quoted on their own, and not
/// counted as a page's best sentence.
pub const MIN_SENTENCE_CHARS: usize = 25;

/// Sentences embedded per call: they are short, so a batch costs about one chunk batch.
const BATCH: usize = 64;

/// The most content words [`Knowledge::unaddressed`] leaves out one at a time: each is one
/// more question variant in its embedding batch, and a chat question rarely has more.
const MAX_LEFT_OUT: usize = 12;

/// Longer questions (a ticket's body, a pasted log) are not ablated: twelve variants of a
/// 1,600-character message took 0.5 s more on two cores, and the confidence's weights
/// were fitted on questions of at most 91 characters.
const MAX_ABLATED_CHARS: usize = 300;

/// Splits after `.`, `!` or `?` followed by white space, and at line breaks; list items
/// and headings are sentences of their own.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            push_sentence(&mut out, &mut current);
            continue;
        }
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|n| n.is_whitespace());
        if ends {
            push_sentence(&mut out, &mut current);
        }
    }
    push_sentence(&mut out, &mut current);
    out
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let sentence = current.trim();
    if !sentence.is_empty() {
        out.push(sentence.to_owned());
    }
    current.clear();
}

impl Knowledge {
    /// The encoded sentence vectors of each text (one blob per text, its sentences' vectors
    /// in order). Sentences are embedded shortest first, so that a batch pads little.
    pub(super) async fn embed_sentences(
        &self,
        call: Call,
        texts: &[&str],
        progress: &(dyn Fn(IngestProgress) + Sync),
    ) -> Result<Vec<Vec<u8>>, AppError> {
        let mut all: Vec<(usize, usize, String)> = Vec::new();
        let mut counts = Vec::with_capacity(texts.len());
        for (t, text) in texts.iter().enumerate() {
            let split = sentences(text);
            counts.push(split.len());
            all.extend(split.into_iter().enumerate().map(|(s, x)| (t, s, x)));
        }
        all.sort_by_key(|(_, _, x)| x.len());
        let started = std::time::Instant::now();
        let mut vectors: Vec<Vec<Vec<f32>>> = counts.iter().map(|n| vec![Vec::new(); *n]).collect();
        let report = |done| {
            progress(IngestProgress {
                stage: IngestStage::Sentences,
                done,
                total: all.len(),
            });
        };
        report(0);
        for (i, batch) in all.chunks(BATCH).enumerate() {
            let input = batch.iter().map(|(_, _, x)| x.clone()).collect();
            let embedded = self.llm.embed(call, input).await?;
            for ((t, s, _), vector) in batch.iter().zip(embedded) {
                vectors[*t][*s] = vector;
            }
            report((i * BATCH + batch.len()).min(all.len()));
        }
        let took = started.elapsed();
        self.metrics.sentence_seconds.observe(took.as_secs_f64());
        {
            let mut stats = self
                .sentence_stats
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            stats.0 += took;
            stats.1 += all.len();
        }
        Ok(vectors
            .into_iter()
            .map(|per_text| summary::encode(&per_text.concat()))
            .collect())
    }

    /// Each chunk's sentences' best cosine with any of `views` (vectors of one width), for
    /// the chunks that have vectors of that width (rows from before sentence vectors, or
    /// from another model, have none).
    pub(super) async fn sentence_similarity(
        &self,
        tenant: TenantId,
        chunks: &[Uuid],
        views: &[Vec<f32>],
    ) -> Result<HashMap<Uuid, Vec<f32>>, AppError> {
        let Some(width) = views.first().map(Vec::len).filter(|&w| w > 0) else {
            return Ok(HashMap::new());
        };
        let columns = (
            chunk::Column::Id,
            chunk::Column::TenantId,
            chunk::Column::SentenceEmbeddings,
        );
        let rows = summary::stored::<chunk::Entity>(&self.db, tenant, columns, chunks).await?;
        Ok(rows
            .into_iter()
            .filter(|(_, flat)| !flat.is_empty() && flat.len().is_multiple_of(width))
            .map(|(id, flat)| {
                let scores = flat
                    .chunks_exact(width)
                    .map(|v| {
                        views
                            .iter()
                            .map(|q| cosine(v, q))
                            .fold(f32::NEG_INFINITY, f32::max)
                    })
                    .collect();
                (id, scores)
            })
            .collect())
    }
}

/// `text` without any occurrence of the whole word `word` (lower-cased), white space
/// collapsed.
fn without_word(text: &str, word: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut token = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() {
            token.push(c);
            continue;
        }
        if token.to_lowercase() != word {
            out.push_str(&token);
        }
        token.clear();
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Knowledge {
    /// How much of the question the top page's best sentence leaves unanswered: the largest
    /// rise of that sentence's cosine with the question when one of the question's content
    /// words is left out (negative when the sentence speaks to every word). "How many days
    /// of bereavement leave do I get for a pet" comes closer to the leave page's sentence
    /// without "pet": the page is about the leave, not the pet. A bi-encoder cannot read
    /// question and passage together; this asks it which word the passage does without.
    /// 0 when the page has no scored sentence, or the question no content word or more
    /// than [`MAX_ABLATED_CHARS`] characters. No answer reads it since a fourth question set
    /// showed it admitting more harmful answers (docs/chat.md); `eval chat --signals` writes
    /// it so that the fit can keep weighing it.
    pub async fn unaddressed(
        &self,
        tenant: TenantId,
        question: &str,
        found: &SearchResults,
    ) -> Result<f32, AppError> {
        let Some(top) = found.pages.first() else {
            return Ok(0.0);
        };
        if question.chars().count() > MAX_ABLATED_CHARS {
            return Ok(0.0);
        }
        // The best sentence long enough to quote, as the `sentence` signal reads it (the
        // first of equals).
        let best =
            quotable_sentences(top).reduce(|best, s| if s.cosine > best.cosine { s } else { best });
        let Some(Quotable { passage, index, .. }) = best else {
            return Ok(0.0);
        };
        let mut words = key_words(question);
        let mut seen = std::collections::HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        words.truncate(MAX_LEFT_OUT);
        let Some(id) = top.passage_ids.get(passage).filter(|_| !words.is_empty()) else {
            return Ok(0.0);
        };
        let columns = (
            chunk::Column::Id,
            chunk::Column::TenantId,
            chunk::Column::SentenceEmbeddings,
        );
        let stored = summary::stored::<chunk::Entity>(&self.db, tenant, columns, &[*id]).await?;
        let width = found.query_vector.len();
        let Some(vector) = stored
            .first()
            .and_then(|(_, flat)| flat.get(index * width..(index + 1) * width))
        else {
            return Ok(0.0);
        };
        // Against the whole question's cosine, not the sentence's score, which may be that of
        // one of the question's own sentences: the variants are the whole question ablated.
        let full = cosine(&found.query_vector, vector);
        let variants = words.iter().map(|w| without_word(question, w)).collect();
        let call = Call::for_tenant(tenant, Purpose::QueryEmbedding);
        let embedded = self.llm.embed(call, variants).await?;
        Ok(embedded
            .iter()
            .map(|v| cosine(v, vector) - full)
            .reduce(f32::max)
            .unwrap_or(0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_left_out_wherever_it_stands() {
        assert_eq!(
            without_word("Leave for a pet? My pet, Rex.", "pet"),
            "Leave for a ? My , Rex."
        );
        assert_eq!(without_word("carpet pet", "pet"), "carpet");
        assert_eq!(without_word("no match here", "pet"), "no match here");
    }

    #[test]
    fn sentences_split_at_stops_and_lines() {
        assert_eq!(
            sentences("Go to Okta. Click reset! Done?\n- Call IT\nv1.2 works"),
            vec![
                "Go to Okta.",
                "Click reset!",
                "Done?",
                "- Call IT",
                "v1.2 works"
            ]
        );
    }
}
