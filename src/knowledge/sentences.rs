//! Sentences of a chunk and their vectors. Each chunk's sentences are embedded once at
//! ingestion and stored with its row, so that a search can tell which sentence of a
//! retrieved passage is closest to the question without embedding anything but the query.

use std::collections::HashMap;

use uuid::Uuid;

use super::Knowledge;
use super::summary;
use crate::entity::chunk;
use crate::error::AppError;
use crate::llm::Call;
use crate::llm::embedder::cosine;
use crate::tenancy::TenantId;

/// Sentences this short are headings or fragments: never quoted on their own, and not
/// counted as a page's best sentence.
pub const MIN_SENTENCE_CHARS: usize = 25;

/// Sentences embedded per call: they are short, so a batch costs about one chunk batch.
const BATCH: usize = 64;

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
        for batch in all.chunks(BATCH) {
            let input = batch.iter().map(|(_, _, x)| x.clone()).collect();
            let embedded = self.llm.embed(call, input).await?;
            for ((t, s, _), vector) in batch.iter().zip(embedded) {
                vectors[*t][*s] = vector;
            }
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

    /// Each chunk's sentences' cosine with `query`, for the chunks that have vectors of the
    /// query's width (rows from before sentence vectors, or from another model, have none).
    pub(super) async fn sentence_similarity(
        &self,
        tenant: TenantId,
        chunks: &[Uuid],
        query: &[f32],
    ) -> Result<HashMap<Uuid, Vec<f32>>, AppError> {
        if query.is_empty() {
            return Ok(HashMap::new());
        }
        let columns = (
            chunk::Column::Id,
            chunk::Column::TenantId,
            chunk::Column::SentenceEmbeddings,
        );
        let rows = summary::stored::<chunk::Entity>(&self.db, tenant, columns, chunks).await?;
        Ok(rows
            .into_iter()
            .filter(|(_, flat)| !flat.is_empty() && flat.len().is_multiple_of(query.len()))
            .map(|(id, flat)| {
                let scores = flat
                    .chunks_exact(query.len())
                    .map(|v| cosine(v, query))
                    .collect();
                (id, scores)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
