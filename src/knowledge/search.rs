//! Retrieval: hybrid (dense + BM25, fused by reciprocal rank) over a tenant's chunks,
//! grouped per page, with an answerability score the chat uses to abstain.
//!
//! Answerability is not the top cosine alone: an off-topic question often lands close to
//! some page (all handbook pages share vocabulary). It combines the best dense similarity
//! with how many of the question's key terms (stemmed, stop words dropped) the best page
//! actually contains — a question about "ski trip reimbursement" finds the travel pages,
//! but not "ski".

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use std::time::Instant;

use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QuerySelect as _};
use serde::Serialize;
use uuid::Uuid;

use super::Knowledge;
use super::ingest::vector_error;
use crate::database::begin_tenant;
use crate::entity::chunk;
use crate::error::AppError;
use crate::tenancy::TenantId;
use crate::vector::{Hit, SearchMode, VectorQuery};

#[derive(Debug, Clone, Serialize)]
pub struct PageHit {
    pub doc_id: Uuid,
    pub title: String,
    pub source: String,
    /// The page's best chunk's score (fused rank score in hybrid mode).
    pub score: f32,
    pub snippet: String,
    pub chunk_id: Uuid,
    pub chunk_index: i64,
    pub headings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Every retrieved chunk of this page, best first (for the chat's context).
    #[serde(skip)]
    pub passages: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub pages: Vec<PageHit>,
    /// 0–1: how likely the pages answer the question.
    pub answerability: f32,
    pub answerable: bool,
    pub embed_ms: f64,
    pub search_ms: f64,
}

const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "can", "could",
    "do", "does", "did", "for", "from", "get", "got", "had", "has", "have", "how", "i", "if", "in",
    "into", "is", "it", "its", "just", "me", "my", "need", "of", "on", "or", "our", "should", "so",
    "some", "that", "the", "their", "there", "this", "to", "up", "us", "was", "we", "what", "when",
    "where", "which", "who", "why", "will", "with", "would", "you", "your", "there", "them",
    "they", "then", "than", "want", "wanna", "im", "ive", "dont", "cant", "whats", "hey", "hi",
    "please", "thanks", "anyone", "know", "way", "tell", "help", "out", "go", "make", "use",
    "using", "should", "it's", "i'm",
];

static STEMMER: LazyLock<rust_stemmers::Stemmer> =
    LazyLock::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));

/// Lower-cased, stemmed content words.
pub fn key_terms(text: &str) -> Vec<String> {
    let stop: HashSet<&str> = STOP_WORDS.iter().copied().collect();
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !stop.contains(w.as_str()))
        .map(|w| STEMMER.stem(&w).into_owned())
        .collect()
}

/// The share of the query's key terms found in `passages`.
fn coverage(query: &[String], passages: &[&str]) -> f32 {
    if query.is_empty() {
        return 0.0;
    }
    let present: HashSet<String> = passages.iter().flat_map(|p| key_terms(p)).collect();
    let unique: HashSet<&String> = query.iter().collect();
    let found = unique.iter().filter(|t| present.contains(**t)).count();
    found as f32 / unique.len() as f32
}

/// Combines the best dense similarity and the key-term coverage of the best page.
/// Weights and threshold were set on `tests/fixtures/kb_dev_eval.jsonl` (see
/// docs/knowledge.md); the threshold is a setting.
pub fn answerability(top_cosine: f32, coverage: f32) -> f32 {
    let z = 9.0 * (top_cosine - 0.45) + 5.0 * (coverage - 0.6);
    1.0 / (1.0 + (-z).exp())
}

impl Knowledge {
    pub async fn search(
        &self,
        tenant: TenantId,
        query: &str,
        k: usize,
        mode: SearchMode,
    ) -> Result<SearchResults, AppError> {
        let started = Instant::now();
        let mut vectors = self.llm.embed(vec![query.to_owned()]).await?;
        let dense = vectors.pop().unwrap_or_default();
        let embed_ms = started.elapsed().as_secs_f64() * 1000.0;

        let searched = Instant::now();
        let candidates = (k * 4).max(20);
        let query_for = |mode: SearchMode| VectorQuery {
            dense: dense.clone(),
            text: query.to_owned(),
            limit: candidates,
            mode,
        };
        // Hybrid ranks pages, not chunks: the dense and the lexical list each rank pages by
        // their best chunk, and the two page rankings are fused by reciprocal rank. (Fusing
        // chunk lists first lets a page's two different best chunks split its votes.)
        let (dense_hits, lexical_hits) = match mode {
            SearchMode::Dense => (
                self.search_chunks(tenant, query_for(SearchMode::Dense))
                    .await?,
                Vec::new(),
            ),
            SearchMode::Lexical => (
                Vec::new(),
                self.search_chunks(tenant, query_for(SearchMode::Lexical))
                    .await?,
            ),
            SearchMode::Hybrid => {
                let (d, l) = tokio::join!(
                    self.search_chunks(tenant, query_for(SearchMode::Dense)),
                    self.search_chunks(tenant, query_for(SearchMode::Lexical)),
                );
                (d?, l?)
            }
        };
        // Answerability needs the best cosine even when ranking is lexical only.
        let top_cosine = match dense_hits.first() {
            Some(hit) => hit.score,
            None if mode == SearchMode::Lexical => self
                .search_chunks(
                    tenant,
                    VectorQuery {
                        limit: 1,
                        ..query_for(SearchMode::Dense)
                    },
                )
                .await?
                .first()
                .map_or(0.0, |h| h.score),
            None => 0.0,
        };
        let search_ms = searched.elapsed().as_secs_f64() * 1000.0;
        self.metrics
            .search_seconds
            .observe(started.elapsed().as_secs_f64());
        let pages = match mode {
            SearchMode::Dense => group(dense_hits, k),
            SearchMode::Lexical => group(lexical_hits, k),
            SearchMode::Hybrid => fuse(
                group(dense_hits, candidates),
                group(lexical_hits, candidates),
                self.fusion,
                (&key_terms(query), self.settings.title_boost),
                k,
            ),
        };
        let terms = key_terms(query);
        let cover = pages.first().map_or(0.0, |p| {
            let mut texts: Vec<&str> = p.passages.iter().take(3).map(String::as_str).collect();
            texts.push(&p.title);
            coverage(&terms, &texts)
        });
        let score = if pages.is_empty() {
            0.0
        } else {
            answerability(top_cosine, cover)
        };
        Ok(SearchResults {
            query: query.to_owned(),
            pages,
            answerability: score,
            answerable: score >= self.settings.answerable_threshold,
            embed_ms,
            search_ms,
        })
    }

    async fn search_chunks(
        &self,
        tenant: TenantId,
        query: VectorQuery,
    ) -> Result<Vec<Hit>, AppError> {
        let hits = self
            .store
            .search(tenant, query)
            .await
            .map_err(vector_error)?;
        self.current(tenant, hits).await
    }

    /// Keeps the hits whose chunk row exists: vectors of a replaced or half-ingested
    /// document are never shown.
    async fn current(&self, tenant: TenantId, hits: Vec<Hit>) -> Result<Vec<Hit>, AppError> {
        if hits.is_empty() {
            return Ok(hits);
        }
        let ids: Vec<Uuid> = hits.iter().map(|h| h.id).collect();
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let live: HashSet<Uuid> = chunk::Entity::find()
            .select_only()
            .column(chunk::Column::Id)
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .filter(chunk::Column::Id.is_in(ids))
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        txn.commit().await?;
        Ok(hits.into_iter().filter(|h| live.contains(&h.id)).collect())
    }
}

/// The dense side's best pages that always stay within the first `FRONT` places.
const KEEP_DENSE: usize = 4;
const FRONT: usize = 5;

/// Reciprocal rank fusion of two page rankings: a page scores the weighted sum of
/// `1 / (K + rank)` over the lists it is in, plus `title_boost` times the share of its
/// title's key terms the question contains — a page titled for exactly what is asked
/// ("Advanced sick leave") beats a broader one that also mentions it ("Leave types").
fn fuse(
    dense: Vec<PageHit>,
    lexical: Vec<PageHit>,
    weights: (f32, f32),
    (query, title_boost): (&[String], f32),
    k: usize,
) -> Vec<PageHit> {
    const K: f32 = 20.0;
    // The dense side alone finds nearly every relevant page in its top few; fusion may
    // rank those lower, but never out of the results.
    let dense_top: Vec<Uuid> = dense.iter().take(KEEP_DENSE).map(|p| p.doc_id).collect();
    let mut scored: HashMap<Uuid, (f32, PageHit)> = HashMap::new();
    for (list, weight) in [(dense, weights.0), (lexical, weights.1)] {
        for (rank, page) in list.into_iter().enumerate() {
            let vote = weight / (K + rank as f32 + 1.0);
            scored
                .entry(page.doc_id)
                .and_modify(|(score, kept)| {
                    *score += vote;
                    for passage in &page.passages {
                        if !kept.passages.contains(passage) {
                            kept.passages.push(passage.clone());
                        }
                    }
                })
                .or_insert((vote, page));
        }
    }
    let asked: HashSet<&String> = query.iter().collect();
    let mut pages: Vec<(f32, PageHit)> = scored
        .into_values()
        .map(|(score, page)| {
            let title: HashSet<String> = key_terms(&page.title).into_iter().collect();
            let shared = title.iter().filter(|t| asked.contains(t)).count();
            let bonus = if title.is_empty() {
                0.0
            } else {
                title_boost * shared as f32 / title.len() as f32
            };
            (score + bonus, page)
        })
        .collect();
    pages.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.source.cmp(&b.1.source))
    });
    let mut ranked: Vec<PageHit> = pages
        .into_iter()
        .map(|(score, mut page)| {
            page.score = score;
            page
        })
        .collect();
    // The first FRONT places hold the dense side's top KEEP_DENSE pages, in fused order.
    let mut reserved: Vec<Uuid> = dense_top;
    let mut front: Vec<PageHit> = Vec::with_capacity(FRONT);
    let mut deferred: Vec<PageHit> = Vec::new();
    for page in ranked.drain(..) {
        let reserved_here = reserved.contains(&page.doc_id);
        if front.len() < FRONT && (reserved_here || front.len() + reserved.len() < FRONT) {
            reserved.retain(|id| *id != page.doc_id);
            front.push(page);
        } else {
            deferred.push(page);
        }
    }
    front.extend(deferred);
    front.truncate(k);
    front
}

/// One entry per page, in the order of its best chunk.
fn group(hits: Vec<Hit>, k: usize) -> Vec<PageHit> {
    let mut order: Vec<Uuid> = Vec::new();
    let mut pages: HashMap<Uuid, PageHit> = HashMap::new();
    for hit in hits {
        let p = hit.payload;
        match pages.get_mut(&p.doc_id) {
            Some(page) => page.passages.push(p.text),
            None => {
                order.push(p.doc_id);
                pages.insert(
                    p.doc_id,
                    PageHit {
                        doc_id: p.doc_id,
                        title: p.title,
                        source: p.source,
                        score: hit.score,
                        snippet: snippet(&p.text),
                        chunk_id: hit.id,
                        chunk_index: p.chunk_index,
                        headings: p.headings,
                        page: p.page,
                        passages: vec![p.text],
                    },
                );
            }
        }
    }
    order
        .into_iter()
        .filter_map(|id| pages.remove(&id))
        .take(k)
        .collect()
}

fn snippet(text: &str) -> String {
    const MAX: usize = 300;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let cut: String = text.chars().take(MAX).collect();
    match cut.rfind(' ') {
        Some(space) => format!("{}…", &cut[..space]),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_terms_drop_stop_words_and_stem() {
        assert_eq!(
            key_terms("How do I reset my passwords?"),
            vec!["reset".to_owned(), "password".to_owned()]
        );
    }

    #[test]
    fn coverage_counts_distinct_terms_found() {
        let q = key_terms("reimburse my ski trip");
        assert!((coverage(&q, &["Travel reimbursement for a work trip"]) - 2.0 / 3.0).abs() < 1e-6);
    }
}
