//! Retrieval: hybrid (dense + BM25 over chunks, plus each page's title-and-headings vector)
//! over a tenant's knowledge, ranked per page, with an answerability score the chat uses to
//! abstain.
//!
//! Answerability is not the top cosine alone: an off-topic question often lands close to
//! some page (all handbook pages share vocabulary). It combines the best page's hybrid score
//! with how many of the question's key terms (stemmed, stop words dropped) that page
//! actually contains — a question about "ski trip reimbursement" finds the travel pages,
//! but not "ski".

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use std::time::Instant;

use sea_orm::{ColumnTrait as _, EntityTrait as _, QueryFilter as _, QuerySelect as _};
use serde::Serialize;
use uuid::Uuid;

use super::Knowledge;
use super::answer_sentence::{Reading, answer_question, answer_sentence};
use super::ingest::{Audience, Visibility, vector_error};
use super::summary;
use crate::database::begin_tenant;
use crate::entity::{chunk, knowledge_doc};
use crate::error::AppError;
use crate::llm::embedder::cosine;
use crate::llm::{Call, Purpose};
use crate::tenancy::TenantId;
use crate::vector::{Hit, SearchMode, VectorQuery};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    /// The chunk id of each passage.
    #[serde(skip)]
    pub passage_ids: Vec<Uuid>,
    /// For the first [`SCORED_PASSAGES`] passages: each sentence's cosine with the query,
    /// in the order of [`sentences`](super::sentences); empty for a passage without
    /// sentence vectors.
    #[serde(skip)]
    pub sentence_scores: Vec<Vec<f32>>,
    /// The best chunk's cosine with the query (for a page only the lexical side found, the
    /// weakest dense page's).
    #[serde(skip)]
    pub dense: f32,
}

/// Pages the signals look at (the top page, the runner-up for the margin, three for
/// `sentence_any`).
const SIGNAL_PAGES: usize = 3;

/// Passages per page whose sentences are scored: the chat quotes from the first two, and
/// answerability reads the top page's first three.
pub const SCORED_PASSAGES: usize = 3;

/// What answerability is read from: the top page of the hybrid ranking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Signals {
    /// Its hybrid score.
    pub score: f32,
    /// Its best chunk's cosine with the question.
    pub dense: f32,
    /// The share of the question's key terms in its top passages and title.
    pub coverage: f32,
    /// The best cosine of one of its sentences (of at least 25 characters) with the
    /// question, or with one of the question's own sentences when it has several; 0
    /// without sentence vectors.
    pub sentence: f32,
    /// The second-best such cosine on that page.
    pub sentence_second: f32,
    /// The best such cosine over the first three pages.
    pub sentence_any: f32,
    /// Its hybrid score minus the second page's.
    pub margin: f32,
    /// The natural log of the question's word count, counted up to 40 words. A fragment's
    /// cosines with a page run as high for what the page does not say as for what it does;
    /// with the length as an input, both logistics gave more confident answers and fewer
    /// harmful ones, each question set held out in turn (docs/chat.md). Since the
    /// question-level probe reads the third layer's vector, which carries much of what the
    /// length stood for, the gates that read that probe weigh the length down.
    pub log_words: f32,
    /// The log-odds that one of the three sentences of the first pages closest to the
    /// question answers it, as a probe reads MiniLM's vector of the question and the
    /// sentence embedded together; -10 when there is no sentence to read.
    pub answer_sentence: f32,
    /// The log-odds that the question is answerable, as a second probe reads the question's
    /// own vector and those sentences' best cosine; -10 when there is no sentence to read.
    /// The search's flag and the chat's answer gate read it (docs/knowledge.md,
    /// docs/chat.md).
    pub answer_question: f32,
}

/// A question longer than this reads as this long: the weights were fitted on questions
/// of 2 to 35 words, and a pasted message of hundreds must not gain confidence by its
/// length alone.
const MAX_WORDS: usize = 40;

fn log_words(query: &str) -> f32 {
    (query.split_whitespace().count().clamp(1, MAX_WORDS) as f32).ln()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub query: String,
    pub pages: Vec<PageHit>,
    /// 0–1: how likely the pages answer the question.
    pub answerability: f32,
    pub signals: Signals,
    /// Whether `answerability` reaches `knowledge.answerable_threshold`.
    pub answerable: bool,
    pub embed_ms: f64,
    pub search_ms: f64,
    /// The query's embedding (the chat groups unanswered questions with it).
    #[serde(skip)]
    pub query_vector: Vec<f32>,
    /// The sentences read together with the query (for `eval chat --signals`).
    #[serde(skip)]
    pub readings: Vec<Reading>,
    /// The query's vector as the probes read it (the probes' cut of MiniLM; empty when
    /// there was no sentence to read), for `eval chat --signals`.
    #[serde(skip)]
    pub probe_vector: Vec<f32>,
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

static STOP: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

/// Lower-cased, stemmed content words; redaction placeholders are not words.
pub fn key_terms(text: &str) -> Vec<String> {
    key_words(text)
        .into_iter()
        .map(|w| STEMMER.stem(&w).into_owned())
        .collect()
}

/// The lower-cased content words that [`key_terms`] stems, as written.
pub(super) fn key_words(text: &str) -> Vec<String> {
    crate::redaction::without_placeholders(text)
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !STOP.contains(w.as_str()))
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

/// The search's answerability: how likely its pages answer the question, which its
/// `answerable` flag thresholds (`knowledge.answerable_threshold`). A logistic in the
/// answer-sentence probe's score, the top page's key-term coverage and the question's
/// length; the probe reads the best sentence's cosine itself, and the hybrid score, which
/// the chat reads, made the flag right less often with a question set held out
/// (docs/knowledge.md).
fn answerability(s: &Signals) -> f32 {
    logistic(&SEARCH_ANSWERABILITY, s)
}

fn answer_confidence(s: &Signals) -> f32 {
    logistic(&CHAT_CONFIDENCE, s)
}

fn quote_confidence(s: &Signals) -> f32 {
    logistic(&CHAT_ANSWER, s)
}

impl SearchResults {
    /// The chat's confidence that the pages answer the question, below which it abstains
    /// (`rag.min_answerability`): a logistic in the hybrid score, the answer-sentence
    /// probe's score, the key-term coverage and the question's length, fitted with the
    /// gates, harm first (docs/chat.md). 0 without pages, as the search's answerability.
    pub fn answer_confidence(&self) -> f32 {
        self.unless_empty(answer_confidence)
    }

    /// The chat's confidence that its quote is a right answer — the question answerable
    /// *and* the quote citing a page that answers it — from which it answers rather than
    /// suggests (`rag.answer_threshold`). A logistic of its own, fitted on that label:
    /// the same inputs as [`Self::answer_confidence`] and the question-level probe, which
    /// the abstention gate does without because it cost answerable questions their
    /// suggestions (docs/chat.md, session 44). 0 without pages.
    pub fn quote_confidence(&self) -> f32 {
        self.unless_empty(quote_confidence)
    }

    fn unless_empty(&self, confidence: fn(&Signals) -> f32) -> f32 {
        if self.pages.is_empty() {
            0.0
        } else {
            confidence(&self.signals)
        }
    }
}

fn logistic(w: &[f32; 8], s: &Signals) -> f32 {
    sigmoid(
        w[0] + w[1] * s.score
            + w[2] * s.dense
            + w[3] * s.coverage
            + w[4] * s.sentence
            + w[5] * s.log_words
            + w[6] * s.answer_sentence
            + w[7] * s.answer_question,
    )
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

// Intercept, then the weights of score, dense, coverage, sentence, log_words,
// answer_sentence and answer_question, as `scripts/fit_answers.py` fits them over the nine
// question sets: the search's flag, the chat's abstention gate, and the chat's answer gate
// (labelled by whether the quote cites a relevant page, not by answerability alone).
const SEARCH_ANSWERABILITY: [f32; 8] = [1.831, 0.0, 0.0, 2.088, 0.0, -0.837, 5.817, 18.657];
const CHAT_CONFIDENCE: [f32; 8] = [-1.164, 1.564, 0.0, 1.349, 0.0, 0.05, 15.006, 0.0];
const CHAT_ANSWER: [f32; 8] = [-2.169, 2.256, 0.0, 2.461, 0.0, -0.485, 9.004, 11.508];

impl Knowledge {
    /// A question's vector, as search embeds it (a knowledge gap keeps it for grouping).
    pub async fn embed_query(&self, tenant: TenantId, text: &str) -> Result<Vec<f32>, AppError> {
        let mut vectors = self.embed_questions(tenant, vec![text.to_owned()]).await?;
        Ok(vectors.pop().unwrap_or_default())
    }

    pub(super) async fn embed_questions(
        &self,
        tenant: TenantId,
        texts: Vec<String>,
    ) -> Result<Vec<Vec<f32>>, AppError> {
        let call = Call::for_tenant(tenant, Purpose::QueryEmbedding);
        Ok(self.llm.embed(call, texts).await?)
    }

    #[tracing::instrument(name = "knowledge.search", skip_all, fields(tenant = %tenant, k, mode = ?mode))]
    pub async fn search(
        &self,
        tenant: TenantId,
        query: &str,
        k: usize,
        mode: SearchMode,
        audience: Audience,
    ) -> Result<SearchResults, AppError> {
        let started = Instant::now();
        let views = self.embed_views(tenant, query).await?;
        let dense = views.first().cloned().unwrap_or_default();
        let embed_ms = started.elapsed().as_secs_f64() * 1000.0;

        let searched = Instant::now();
        let candidates = self.settings.candidates.max(k);
        let query_for = |mode: SearchMode| VectorQuery {
            dense: dense.clone(),
            text: query.to_owned(),
            limit: candidates,
            mode,
        };
        // Both sides run whatever the mode: answerability is read off the hybrid ranking,
        // so it does not change with the mode asked for.
        let (dense_hits, lexical_hits) = tokio::join!(
            self.store.search(tenant, query_for(SearchMode::Dense)),
            self.store.search(tenant, query_for(SearchMode::Lexical)),
        );
        // One read of the rows for both lists: a chunk both sides find is checked once.
        let lists = [
            dense_hits.map_err(vector_error)?,
            lexical_hits.map_err(vector_error)?,
        ];
        let [dense_hits, lexical_hits] = self.current(tenant, lists, audience).await?;
        let (dense_pages, lexical_pages) = (
            group(dense_hits, candidates),
            group(lexical_hits, candidates),
        );
        let ids: Vec<Uuid> = dense_pages
            .iter()
            .chain(&lexical_pages)
            .map(|p| p.doc_id)
            .collect();
        let summaries = self.summary_similarity(tenant, &ids, &dense).await?;
        let weights = (self.settings.lexical_weight, self.settings.summary_weight);
        let mut hybrid = fuse(&dense_pages, &lexical_pages, &summaries, weights);
        // The signals read the first pages whatever `k` is: a search for one page answers
        // as the first page of a search for ten.
        hybrid.truncate(k.max(SIGNAL_PAGES));
        self.score_sentences(tenant, &mut hybrid, &views).await?;
        let (probe_vector, readings) = self
            .read_sentences(tenant, query, &hybrid[..hybrid.len().min(SIGNAL_PAGES)])
            .await?;
        let search_ms = searched.elapsed().as_secs_f64() * 1000.0;
        self.metrics
            .search_seconds
            .observe(started.elapsed().as_secs_f64());

        let signals = hybrid.first().map_or_else(Signals::default, |top| {
            let mut texts: Vec<&str> = top.passages.iter().take(3).map(String::as_str).collect();
            texts.push(&top.title);
            let ranked = sentence_cosines(top);
            Signals {
                score: top.score,
                dense: top.dense,
                coverage: coverage(&key_terms(query), &texts),
                sentence: ranked.first().copied().unwrap_or(0.0),
                sentence_second: ranked.get(1).copied().unwrap_or(0.0),
                sentence_any: hybrid
                    .iter()
                    .take(SIGNAL_PAGES)
                    .flat_map(sentence_cosines)
                    .fold(0.0, f32::max),
                margin: top.score - hybrid.get(1).map_or(0.0, |p| p.score),
                log_words: log_words(query),
                answer_sentence: answer_sentence(&readings),
                answer_question: answer_question(&probe_vector, &readings),
            }
        });
        let score = if hybrid.is_empty() {
            0.0
        } else {
            answerability(&signals)
        };
        let mut pages = match mode {
            SearchMode::Dense => dense_pages,
            SearchMode::Lexical => lexical_pages,
            SearchMode::Hybrid => hybrid,
        };
        pages.truncate(k);
        if mode != SearchMode::Hybrid {
            self.score_sentences(tenant, &mut pages, &views).await?;
        }
        Ok(SearchResults {
            query: query.to_owned(),
            pages,
            answerability: score,
            signals,
            answerable: score >= self.settings.answerable_threshold,
            embed_ms,
            search_ms,
            query_vector: dense,
            readings,
            probe_vector,
        })
    }

    /// The question's vector first, then one per sentence of a question of several
    /// ([`question_views`]), in one embedding call.
    async fn embed_views(&self, tenant: TenantId, query: &str) -> Result<Vec<Vec<f32>>, AppError> {
        let mut texts = vec![query.to_owned()];
        texts.extend(question_views(query));
        self.embed_questions(tenant, texts).await
    }

    /// Fills each page's [`PageHit::sentence_scores`] from its passages' stored sentence
    /// vectors, each sentence scoring its best cosine with any of the question's `views`.
    /// A passage whose stored vectors do not match its sentences (written by an older
    /// splitter or another model) is left unscored.
    async fn score_sentences(
        &self,
        tenant: TenantId,
        pages: &mut [PageHit],
        views: &[Vec<f32>],
    ) -> Result<(), AppError> {
        let ids: Vec<Uuid> = pages
            .iter()
            .flat_map(|p| p.passage_ids.iter().take(SCORED_PASSAGES).copied())
            .collect();
        let mut scores = self.sentence_similarity(tenant, &ids, views).await?;
        for page in pages {
            page.sentence_scores = page
                .passage_ids
                .iter()
                .zip(&page.passages)
                .take(SCORED_PASSAGES)
                .map(|(id, text)| {
                    scores
                        .remove(id)
                        .filter(|s| s.len() == super::sentences(text).len())
                        .unwrap_or_default()
                })
                .collect();
        }
        Ok(())
    }

    /// Cosine of the query with each page's summary vector (pages without one are left out).
    async fn summary_similarity(
        &self,
        tenant: TenantId,
        docs: &[Uuid],
        query: &[f32],
    ) -> Result<HashMap<Uuid, f32>, AppError> {
        let columns = (
            knowledge_doc::Column::Id,
            knowledge_doc::Column::TenantId,
            knowledge_doc::Column::SummaryEmbedding,
        );
        let rows =
            summary::stored::<knowledge_doc::Entity>(&self.db, tenant, columns, docs).await?;
        Ok(rows
            .into_iter()
            // A summary made by another embedding model is ignored until reindexed.
            .filter(|(_, vector)| vector.len() == query.len())
            .map(|(id, vector)| (id, cosine(&vector, query)))
            .collect())
    }

    /// The raw chunk candidates of the dense and the lexical ranking, with their scores and
    /// texts, and each candidate page's summary similarity: what `eval retrieval --explain`
    /// writes for fitting the fusion weights offline.
    pub async fn explain(
        &self,
        tenant: TenantId,
        query: &str,
        limit: usize,
    ) -> Result<serde_json::Value, AppError> {
        let dense = self.embed_query(tenant, query).await?;
        let mut lists = Vec::with_capacity(2);
        let mut docs = Vec::new();
        for mode in [SearchMode::Dense, SearchMode::Lexical] {
            let hits = self
                .search_chunks(
                    tenant,
                    VectorQuery {
                        dense: dense.clone(),
                        text: query.to_owned(),
                        limit,
                        mode,
                    },
                    Audience::Public,
                )
                .await?;
            docs.extend(hits.iter().map(|h| h.payload.doc_id));
            let rows: Vec<serde_json::Value> = hits
                .into_iter()
                .map(|h| {
                    serde_json::json!({
                        "doc_id": h.payload.doc_id,
                        "source": h.payload.source,
                        "title": h.payload.title,
                        "chunk_index": h.payload.chunk_index,
                        "headings": h.payload.headings,
                        "score": h.score,
                        "text": h.payload.text,
                    })
                })
                .collect();
            lists.push(rows);
        }
        let summaries = self.summary_similarity(tenant, &docs, &dense).await?;
        let lexical = lists.pop().unwrap_or_default();
        let dense = lists.pop().unwrap_or_default();
        Ok(serde_json::json!({
            "query": query, "dense": dense, "lexical": lexical, "summary_cos": summaries,
        }))
    }

    async fn search_chunks(
        &self,
        tenant: TenantId,
        query: VectorQuery,
        audience: Audience,
    ) -> Result<Vec<Hit>, AppError> {
        let hits = self
            .store
            .search(tenant, query)
            .await
            .map_err(vector_error)?;
        let [hits] = self.current(tenant, [hits], audience).await?;
        Ok(hits)
    }

    /// Keeps, in each of the `lists`, the hits whose chunk row exists (vectors of a replaced
    /// or half-ingested document are never shown) and whose document `audience` may see,
    /// with the text, headings and title of their database rows, read once for all lists.
    /// The vector store's payloads are redacted when written (docs/privacy.md); a quote
    /// shows the tenant's article as written, since a published contact address or the name
    /// of whom to ask is often the answer, and the rows' texts are what the stored sentence
    /// vectors were split from.
    async fn current<const N: usize>(
        &self,
        tenant: TenantId,
        lists: [Vec<Hit>; N],
        audience: Audience,
    ) -> Result<[Vec<Hit>; N], AppError> {
        if lists.iter().all(Vec::is_empty) {
            return Ok(lists);
        }
        let ids: HashSet<Uuid> = lists.iter().flatten().map(|h| h.id).collect();
        let docs: HashSet<Uuid> = lists.iter().flatten().map(|h| h.payload.doc_id).collect();
        let txn = begin_tenant(&self.db, tenant.0).await?;
        let docs: HashMap<Uuid, (String, String)> = knowledge_doc::Entity::find()
            .select_only()
            .column(knowledge_doc::Column::Id)
            .column(knowledge_doc::Column::Title)
            .column(knowledge_doc::Column::Visibility)
            .filter(knowledge_doc::Column::TenantId.eq(tenant.0))
            .filter(knowledge_doc::Column::Id.is_in(docs))
            .into_tuple::<(Uuid, String, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|(id, title, visibility)| (id, (title, visibility)))
            .collect();
        let rows: HashMap<Uuid, (String, String)> = chunk::Entity::find()
            .select_only()
            .column(chunk::Column::Id)
            .column(chunk::Column::Text)
            .column(chunk::Column::HeadingPath)
            .filter(chunk::Column::TenantId.eq(tenant.0))
            .filter(chunk::Column::Id.is_in(ids))
            .into_tuple::<(Uuid, String, String)>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|(id, text, headings)| (id, (text, headings)))
            .collect();
        txn.commit().await?;
        Ok(lists.map(|hits| {
            hits.into_iter()
                .filter_map(|mut hit| {
                    let (title, visibility) = docs.get(&hit.payload.doc_id)?;
                    if audience != Audience::Staff && visibility != Visibility::Public.as_str() {
                        return None;
                    }
                    let (text, headings) = rows.get(&hit.id)?;
                    hit.payload.title.clone_from(title);
                    hit.payload.text.clone_from(text);
                    hit.payload.headings = super::ingest::split_heading_path(headings);
                    Some(hit)
                })
                .collect()
        }))
    }
}

/// The hybrid page ranking. A page scores its best chunk's cosine, plus `lexical` times its
/// best chunk's BM25 score relative to the top page's, plus `summary` times the cosine with
/// its title-and-headings vector. Scores, not ranks, are added: a clear dense winner stays a
/// clear winner, and a page both sides like rises over one only one side likes. A page the
/// dense side did not bring scores the weakest dense page's cosine (its own is lower still).
/// Weights set on `tests/fixtures/kb_train.jsonl` (see docs/knowledge.md).
fn fuse(
    dense: &[PageHit],
    lexical: &[PageHit],
    summaries: &HashMap<Uuid, f32>,
    (lexical_weight, summary_weight): (f32, f32),
) -> Vec<PageHit> {
    let floor = dense.last().map_or(0.0, |p| p.score);
    let top_lexical = lexical.first().map_or(0.0, |p| p.score);
    let mut pages: HashMap<Uuid, (f32, f32, PageHit)> = HashMap::new();
    for page in dense {
        pages.insert(page.doc_id, (page.score, 0.0, page.clone()));
    }
    for page in lexical {
        let relative = if top_lexical > 0.0 {
            page.score / top_lexical
        } else {
            0.0
        };
        pages
            .entry(page.doc_id)
            .and_modify(|(_, lex, kept)| {
                *lex = relative;
                for (passage, id) in page.passages.iter().zip(&page.passage_ids) {
                    if !kept.passages.contains(passage) {
                        kept.passages.push(passage.clone());
                        kept.passage_ids.push(*id);
                    }
                }
            })
            .or_insert_with(|| (floor, relative, page.clone()));
    }
    let mut ranked: Vec<PageHit> = pages
        .into_values()
        .map(|(cos, lex, mut page)| {
            let summary = summaries.get(&page.doc_id).copied().unwrap_or(0.0);
            page.dense = cos;
            page.score = cos + lexical_weight * lex + summary_weight * summary;
            page
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.source.cmp(&b.source))
    });
    ranked
}

/// One entry per page, in the order of its best chunk.
fn group(hits: Vec<Hit>, k: usize) -> Vec<PageHit> {
    let mut order: Vec<Uuid> = Vec::new();
    let mut pages: HashMap<Uuid, PageHit> = HashMap::new();
    for hit in hits {
        let p = hit.payload;
        match pages.get_mut(&p.doc_id) {
            Some(page) => {
                page.passages.push(p.text);
                page.passage_ids.push(hit.id);
            }
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
                        passage_ids: vec![hit.id],
                        sentence_scores: Vec::new(),
                        dense: hit.score,
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

/// The most sentences of one question read on their own: a ticket's body can hold dozens,
/// each one more text to embed per search.
const MAX_VIEWS: usize = 6;

/// A question of several sentences ("Someone told me X. Is that right, or is it Y?", a
/// situation and then the question) dilutes its one vector with the sentences that ask
/// nothing, so a page's sentence also scores against each of the question's sentences
/// alone: the best sentence's cosine then separated answerable from unanswerable questions
/// better on the three question sets written that way (docs/knowledge.md). A sentence too
/// short to quote ("Is that true?") is too short to read alone. Empty for a question of
/// one such sentence, whose only view is the whole question.
pub(super) fn question_views(query: &str) -> Vec<String> {
    let parts: Vec<String> = super::sentences(query)
        .into_iter()
        .filter(|s| s.chars().count() >= super::sentences::MIN_SENTENCE_CHARS)
        .take(MAX_VIEWS)
        .collect();
    if parts.len() > 1 { parts } else { Vec::new() }
}

/// A sentence of a page's scored passages long enough to quote.
pub(super) struct Quotable {
    /// Which scored passage of the page it is in.
    pub passage: usize,
    /// Its index among that passage's [`sentences`](super::sentences).
    pub index: usize,
    pub text: String,
    /// Its cosine with the query.
    pub cosine: f32,
}

/// The page's sentences long enough to quote, over its scored passages, in page order.
pub(super) fn quotable_sentences(page: &PageHit) -> impl Iterator<Item = Quotable> {
    page.passages
        .iter()
        .zip(&page.sentence_scores)
        .enumerate()
        .flat_map(|(passage, (text, scores))| {
            super::sentences(text)
                .into_iter()
                .zip(scores.iter().copied())
                .enumerate()
                .filter(|(_, (s, _))| s.chars().count() >= super::sentences::MIN_SENTENCE_CHARS)
                .map(|(index, (text, cosine))| Quotable {
                    passage,
                    index,
                    text,
                    cosine,
                })
                .collect::<Vec<_>>()
        })
}

/// The cosines of [`quotable_sentences`], best first.
fn sentence_cosines(page: &PageHit) -> Vec<f32> {
    let mut cosines: Vec<f32> = quotable_sentences(page).map(|s| s.cosine).collect();
    cosines.sort_by(|a, b| b.total_cmp(a));
    cosines
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

    #[test]
    fn a_question_of_several_sentences_is_also_read_one_sentence_at_a_time() {
        assert!(question_views("How many days of annual leave do I get per year?").is_empty());
        assert!(question_views("Hi. How many days of annual leave do I get per year?").is_empty());
        assert_eq!(
            question_views(
                "Someone told me we get ten days of annual leave a year. Is that true? \
                 And does unused leave carry over into January?"
            ),
            vec![
                "Someone told me we get ten days of annual leave a year.".to_owned(),
                "And does unused leave carry over into January?".to_owned(),
            ]
        );
        let long = "This sentence is long enough to be read alone. ".repeat(20);
        assert_eq!(question_views(&long).len(), MAX_VIEWS);
    }

    /// Each decision reads its own inputs: the search's flag both probes, coverage and
    /// length, the chat's abstention gate the answer-sentence probe, coverage, length and
    /// the hybrid score, its answer gate those and the question-level probe. None reads the
    /// best sentence's cosine on its own any more: the probe reads it with the joint vector.
    #[test]
    fn the_search_and_the_chat_read_their_own_logistics() {
        let page = Signals {
            score: 0.6,
            coverage: 0.5,
            sentence: 0.55,
            answer_sentence: -0.5,
            ..Signals::default()
        };
        let higher = Signals { score: 0.9, ..page };
        assert_eq!(answerability(&page), answerability(&higher));
        assert!(answer_confidence(&higher) > answer_confidence(&page));
        let closer = Signals {
            sentence: 0.7,
            ..page
        };
        assert_eq!(answerability(&closer), answerability(&page));
        assert_eq!(answer_confidence(&closer), answer_confidence(&page));
        let answered = Signals {
            answer_sentence: 1.0,
            ..page
        };
        assert!(answerability(&answered) > answerability(&page));
        assert!(answer_confidence(&answered) > answer_confidence(&page));
        let answerable = Signals {
            answer_question: 1.0,
            ..page
        };
        assert!(answerability(&answerable) > answerability(&page));
        assert_eq!(answer_confidence(&answerable), answer_confidence(&page));
        // The answer gate reads both probes and the hybrid score.
        assert!(quote_confidence(&answerable) > quote_confidence(&page));
        assert!(quote_confidence(&answered) > quote_confidence(&page));
        assert!(quote_confidence(&higher) > quote_confidence(&page));
        assert_eq!(quote_confidence(&closer), quote_confidence(&page));
        let nothing = Signals {
            answer_sentence: super::super::answer_sentence::NO_SENTENCE,
            ..page
        };
        assert!(answer_confidence(&nothing) < 0.01);
        assert!(quote_confidence(&nothing) < 0.01);
    }

    /// The abstention gate gives a fragment less confidence than a whole question on the
    /// same page's signals (the other two also read the question-level probe, which reads
    /// the question itself, and weigh the length the other way); in all three a pasted
    /// message counts as a question of [`MAX_WORDS`] words.
    #[test]
    fn a_question_is_read_with_its_length_up_to_a_cap() {
        let fragment = "sketch license cost";
        let question = "How do I get a full licence for Sketch once the trial runs out?";
        let page = |query: &str| Signals {
            score: 0.6,
            coverage: 0.5,
            sentence: 0.55,
            log_words: log_words(query),
            ..Signals::default()
        };
        assert!(answer_confidence(&page(question)) > answer_confidence(&page(fragment)));
        let pasted = "word ".repeat(500);
        let longest = "word ".repeat(MAX_WORDS);
        assert_eq!(log_words(&pasted), log_words(&longest));
        for gate in [answer_confidence, quote_confidence, answerability] {
            assert_eq!(gate(&page(&pasted)), gate(&page(&longest)));
            assert_ne!(gate(&page(&pasted)), gate(&page(fragment)));
        }
        assert_eq!(log_words(""), 0.0);
    }
}
