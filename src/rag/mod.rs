//! Retrieval-augmented answers: retrieve the tenant's passages, number them, answer from
//! them (quoting or generating), and map the answer's `[n]` markers back to their sources.
//! Three outcomes: a confident answer with citations; suggestions (the best pages as links,
//! no quote) when support is middling; an abstention when the knowledge base does not
//! cover the question. The last two offer a person.

mod citations;
mod extractive;
mod prompt;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};
use serde::Serialize;
use tracing::Instrument as _;

pub use citations::{Cited, Source, resolve};
pub use extractive::{Passages, extract};

use crate::config::{AnswerMode, RagSettings};
use crate::error::AppError;
use crate::knowledge::{Audience, Knowledge, SearchResults, Signals, key_terms};
use crate::llm::{Call, ChatRequest, Chunk, Llm, Purpose};
use crate::redaction::redact;
use crate::tenancy::TenantId;
use crate::usage::{Counts, Meter};
use crate::vector::SearchMode;

/// What the bot says when it abstains.
pub const ABSTAIN_TEXT: &str = "I couldn't find this in our knowledge base, so I'd rather not \
guess. Would you like me to pass your question to a person on our team?";

/// What the bot says when it suggests pages.
pub const SUGGEST_TEXT: &str = "I'm not sure our knowledge base answers this exactly, but \
these articles may help. Would you like me to pass your question to a person on our team?";

/// Why there is no confident answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AbstainReason {
    /// The chat's confidence fell below `rag.min_answerability` (an abstention).
    NotCovered,
    /// Not below `rag.min_answerability`, but the confidence that the quote is a right
    /// answer is below `rag.answer_threshold`.
    Uncertain,
    /// The answer cited no passage it was given (or the model declined).
    NoValidCitation,
    /// No sentence reaches the support floor, or the quote and its pages' titles leave too
    /// many of the question's key terms unmentioned: the pages are near the topic, not on
    /// the question.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Answered(Cited),
    /// Pages that may help, best first, quoted from nowhere.
    Suggested {
        pages: Vec<Source>,
        reason: AbstainReason,
    },
    Abstained {
        reason: AbstainReason,
    },
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Self::Answered(_) => "answered",
            Self::Suggested { .. } => "suggested",
            Self::Abstained { .. } => "abstained",
        }
    }
}

/// One answered (or abstained) question, with what the chat and the evaluation need.
#[derive(Debug, Clone)]
pub struct Answer {
    pub outcome: Outcome,
    /// The question as it reached the models: redacted.
    pub question: String,
    /// The question's embedding (for grouping knowledge gaps).
    pub query_vector: Vec<f32>,
    /// The chat's confidence that the pages answer
    /// ([`SearchResults::answer_confidence`]), below which it abstains.
    pub answerability: f32,
    /// The chat's confidence that its quote is a right answer
    /// ([`SearchResults::quote_confidence`]), from which it answers.
    pub quote_confidence: f32,
    /// The search's signals it read.
    pub signals: Signals,
    /// Share of the question's key terms the best quote (with its pages' titles and
    /// headings) mentions; 0 when retrieval already abstained.
    pub support: f32,
    /// The quote considered (also when the outcome is not an answer), if any sentence
    /// reached the support floor.
    pub quote: Option<Cited>,
    /// The retrieved pages as numbered sources.
    pub sources: Vec<Source>,
    /// From the question to the first streamed text.
    pub first_token: Option<Duration>,
    pub mode: AnswerMode,
}

struct RagMetrics {
    answers: IntCounterVec,
    seconds: HistogramVec,
}

impl RagMetrics {
    fn new(registry: &Registry) -> anyhow::Result<Self> {
        let answers = IntCounterVec::new(
            Opts::new("rag_answers_total", "Help chat answers by outcome"),
            &["outcome"],
        )?;
        let seconds = HistogramVec::new(
            HistogramOpts::new(
                "rag_answer_seconds",
                "Time from a question to its whole answer (or abstention)",
            )
            .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 40.0]),
            &["outcome"],
        )?;
        registry.register(Box::new(answers.clone()))?;
        registry.register(Box::new(seconds.clone()))?;
        Ok(Self { answers, seconds })
    }
}

pub struct Rag {
    llm: Arc<Llm>,
    settings: RagSettings,
    metrics: RagMetrics,
}

/// Streamed pieces of an answer in progress.
pub type TokenSink<'a> = &'a mut (dyn FnMut(&str) + Send);

impl Rag {
    pub fn new(llm: Arc<Llm>, settings: RagSettings, registry: &Registry) -> anyhow::Result<Self> {
        Ok(Self {
            llm,
            settings,
            metrics: RagMetrics::new(registry)?,
        })
    }

    /// Where usage is counted per tenant (the model gateway's meter).
    pub fn usage(&self) -> &Meter {
        self.llm.usage()
    }

    pub fn mode(&self) -> AnswerMode {
        self.settings.answer_mode
    }

    /// A model-written summary of `transcript` for the agent who takes it over, in at most
    /// `max_tokens`. The gateway redacts the transcript before the model reads it.
    pub async fn summarize(
        &self,
        tenant: TenantId,
        transcript: &str,
        max_tokens: usize,
    ) -> Result<String, AppError> {
        let prompt = format!(
            "Summarise this support conversation for the agent who takes it over, in three \
             short lines: what the customer wants, what they were told and from which \
             sources, and why it needs a person.\n\n{}",
            prompt::clip(transcript, 2_400)
        );
        let call = Call::for_tenant(tenant, Purpose::Summary);
        let completion = self
            .llm
            .complete(call, ChatRequest::user(prompt, max_tokens))
            .await?;
        Ok(completion.text.trim().to_owned())
    }

    /// Answers `question` from `tenant`'s knowledge base in the configured mode.
    pub async fn answer(
        &self,
        knowledge: &Knowledge,
        tenant: TenantId,
        question: &str,
        audience: Audience,
        on_token: TokenSink<'_>,
    ) -> Result<Answer, AppError> {
        self.answer_in(
            knowledge,
            tenant,
            question,
            self.settings.answer_mode,
            audience,
            on_token,
        )
        .await
    }

    pub async fn answer_in(
        &self,
        knowledge: &Knowledge,
        tenant: TenantId,
        question: &str,
        mode: AnswerMode,
        audience: Audience,
        on_token: TokenSink<'_>,
    ) -> Result<Answer, AppError> {
        let span = tracing::info_span!(
            "rag.generate_answer",
            tenant = %tenant,
            mode = ?mode,
            outcome = tracing::field::Empty,
            sources = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .run(
                knowledge,
                (tenant, audience),
                question,
                mode,
                on_token,
                started,
            )
            .instrument(span.clone())
            .await;
        let label = match &result {
            Ok(answer) => answer.outcome.label(),
            Err(_) => "failed",
        };
        span.record("outcome", label);
        if let Ok(Answer {
            outcome: Outcome::Answered(cited),
            ..
        }) = &result
        {
            span.record("sources", cited.citations.len());
        }
        self.metrics.answers.with_label_values(&[label]).inc();
        if let Ok(answer) = &result {
            let mut counts = Counts::default();
            match answer.outcome {
                Outcome::Answered(_) => counts.answered = 1,
                Outcome::Suggested { .. } => counts.suggested = 1,
                Outcome::Abstained { .. } => counts.abstained = 1,
            }
            self.llm.usage().add(tenant, counts);
        }
        self.metrics
            .seconds
            .with_label_values(&[label])
            .observe(started.elapsed().as_secs_f64());
        result
    }

    /// `asker`: the tenant, and whose documents the answer may cite.
    async fn run(
        &self,
        knowledge: &Knowledge,
        asker: (TenantId, Audience),
        question: &str,
        mode: AnswerMode,
        on_token: TokenSink<'_>,
        started: Instant,
    ) -> Result<Answer, AppError> {
        let (tenant, audience) = asker;
        // Staff ask for drafts of their replies; everyone else asks the help chat.
        let purpose = match audience {
            Audience::Staff => Purpose::SuggestedReply,
            Audience::Public => Purpose::ChatAnswer,
        };
        let call = Call::for_tenant(tenant, purpose);
        // The gateway redacts whatever reaches a model; the question is redacted here too
        // because it is also searched for, shown and stored as asked.
        let question = redact(question).text;
        let found = knowledge
            .search(
                tenant,
                &question,
                self.settings.sources,
                SearchMode::Hybrid,
                audience,
            )
            .instrument(tracing::info_span!("rag.retrieve", tenant = %tenant))
            .await?;
        // The chat's own confidence and thresholds, not the search's flag: abstaining,
        // suggesting and answering are decisions of their own, fitted harm first
        // (docs/chat.md).
        let confidence = found.answer_confidence();
        let quote_confidence = found.quote_confidence();
        let mut answer = Answer {
            outcome: Outcome::Abstained {
                reason: AbstainReason::NotCovered,
            },
            question: question.clone(),
            query_vector: found.query_vector.clone(),
            answerability: confidence,
            quote_confidence,
            signals: found.signals,
            support: 0.0,
            quote: None,
            sources: Vec::new(),
            first_token: None,
            mode,
        };
        if confidence < self.settings.min_answerability || found.pages.is_empty() {
            return Ok(answer);
        }
        let sources = numbered_sources(&found);
        answer.sources = sources.clone();
        let suggest = |reason| Outcome::Suggested {
            pages: sources
                .iter()
                .take(self.settings.suggestions)
                .cloned()
                .collect(),
            reason,
        };
        // The quote is cheap and decides, in every mode, whether the pages really speak to
        // the question; the extractive answer is the quote itself.
        let quote = self.quote(&question, &found, &sources);
        let quoted = resolve(&quote, &sources);
        answer.support = support(&question, &quoted, &found);
        if !quoted.citations.is_empty() {
            answer.quote = Some(quoted.clone());
        }
        if quoted.citations.is_empty() || answer.support < self.settings.min_support {
            answer.outcome = suggest(AbstainReason::Unsupported);
            return Ok(answer);
        }
        if quote_confidence < self.settings.answer_threshold {
            answer.outcome = suggest(AbstainReason::Uncertain);
            return Ok(answer);
        }
        let mut first_token = None;
        let mut sink = |piece: &str| {
            if first_token.is_none() && !piece.trim().is_empty() {
                first_token = Some(started.elapsed());
            }
            on_token(piece);
        };
        let cited = match mode {
            AnswerMode::Extractive => stream_quote(quoted, &mut sink),
            AnswerMode::Generative => {
                self.generative(call, &question, &found, &sources, &mut sink)
                    .await?
            }
            AnswerMode::Auto => {
                let generated = self
                    .generative(call, &question, &found, &sources, &mut sink)
                    .await?;
                if generated.citations.is_empty() {
                    stream_quote(quoted, &mut sink)
                } else {
                    generated
                }
            }
        };
        answer.first_token = first_token;
        answer.outcome = if cited.citations.is_empty() {
            suggest(AbstainReason::NoValidCitation)
        } else {
            Outcome::Answered(cited)
        };
        Ok(answer)
    }

    fn quote(&self, question: &str, found: &SearchResults, sources: &[Source]) -> String {
        let passages: Vec<Passages<'_>> = found
            .pages
            .iter()
            .zip(sources)
            .map(|(page, source)| Passages {
                n: source.n,
                texts: &page.passages,
                scores: &page.sentence_scores,
            })
            .collect();
        extract(
            question,
            &passages,
            self.settings.extract_chars,
            self.settings.sentence_floor,
        )
    }

    async fn generative(
        &self,
        call: Call,
        question: &str,
        found: &SearchResults,
        sources: &[Source],
        sink: &mut (dyn FnMut(&str) + Send),
    ) -> Result<Cited, AppError> {
        // The context is the quote-worthy sentences of each page, within the budget: the
        // model reads ~110 tokens/s here, so every passage word is first-token latency.
        let per_source = (self.settings.context_tokens * 4 / sources.len().max(1)).max(80);
        let context: Vec<(usize, &str, String)> = found
            .pages
            .iter()
            .zip(sources)
            .map(|(page, source)| {
                let best = extract(
                    question,
                    &[Passages {
                        n: source.n,
                        texts: &page.passages,
                        scores: &page.sentence_scores,
                    }],
                    per_source,
                    self.settings.sentence_floor,
                );
                let text = if best.is_empty() {
                    page.passages.first().cloned().unwrap_or_default()
                } else {
                    // The quote's own marker would be noise inside a numbered source.
                    best.replace(&format!(" [{}]", source.n), "")
                };
                (
                    source.n,
                    page.title.as_str(),
                    prompt::clip(&text, per_source),
                )
            })
            .collect();
        let request = prompt::request(question, &context, self.settings.max_answer_tokens);
        let mut stream = self.llm.generate(call, request).await?;
        let mut text = String::new();
        while let Some(item) = stream.recv().await {
            match item? {
                Chunk::Text(piece) => {
                    sink(&piece);
                    text.push_str(&piece);
                }
                Chunk::Done { .. } => break,
            }
        }
        if prompt::declines(&text) {
            return Ok(Cited {
                text,
                citations: Vec::new(),
            });
        }
        Ok(resolve(&text, sources))
    }
}

/// Streams an extractive answer a word at a time, like generated text, so clients handle
/// one shape.
fn stream_quote(quoted: Cited, sink: &mut (dyn FnMut(&str) + Send)) -> Cited {
    for word in quoted.text.split_inclusive(' ') {
        sink(word);
    }
    quoted
}

/// The share of the question's key terms found in the quote and in the titles and
/// headings of the pages it cites.
fn support(question: &str, quoted: &Cited, found: &SearchResults) -> f32 {
    let wanted: HashSet<String> = key_terms(question).into_iter().collect();
    if wanted.is_empty() {
        return 0.0;
    }
    let mut present: HashSet<String> = key_terms(&quoted.text).into_iter().collect();
    for citation in &quoted.citations {
        if let Some(page) = found.pages.get(citation.n - 1) {
            present.extend(key_terms(&page.title));
            for heading in &page.headings {
                present.extend(key_terms(heading));
            }
        }
    }
    wanted.iter().filter(|t| present.contains(*t)).count() as f32 / wanted.len() as f32
}

/// The retrieved pages as numbered sources; each cites its best passage.
fn numbered_sources(found: &SearchResults) -> Vec<Source> {
    found
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| Source {
            n: i + 1,
            doc_id: page.doc_id,
            title: page.title.clone(),
            source: page.source.clone(),
            chunk_id: page.chunk_id,
            snippet: page.snippet.clone(),
        })
        .collect()
}
