//! The language-model metrics, the same for every backend.

use std::time::Duration;

use prometheus::{Histogram, HistogramOpts, IntCounterVec, Opts, Registry};

use super::Usage;

pub struct LlmMetrics {
    pub generate_seconds: Histogram,
    pub time_to_first_token: Histogram,
    pub tokens_total: IntCounterVec,
    pub embed_batch_seconds: Histogram,
    /// Requests refused because the model's queue stayed full, by kind of work.
    pub queue_rejections: IntCounterVec,
}

impl LlmMetrics {
    pub fn new(registry: &Registry) -> anyhow::Result<Self> {
        let generate_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "llm_generate_seconds",
                "Time from a generation request to its last token",
            )
            .buckets(vec![0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 80.0]),
        )?;
        let time_to_first_token = Histogram::with_opts(
            HistogramOpts::new(
                "llm_time_to_first_token_seconds",
                "Time from a generation request to its first text, queueing included",
            )
            .buckets(vec![
                0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
            ]),
        )?;
        let tokens_total = IntCounterVec::new(
            Opts::new(
                "llm_tokens_total",
                "Tokens read (prompt) and written (completion)",
            ),
            &["direction"],
        )?;
        let embed_batch_seconds = Histogram::with_opts(
            HistogramOpts::new(
                "llm_embed_batch_seconds",
                "Time to embed one batch (one forward pass or one backend call)",
            )
            .buckets(vec![
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
        )?;
        let queue_rejections = IntCounterVec::new(
            Opts::new(
                "llm_queue_rejections_total",
                "Model requests refused because the queue stayed full (model_queue_full)",
            ),
            &["kind"],
        )?;
        registry.register(Box::new(queue_rejections.clone()))?;
        registry.register(Box::new(generate_seconds.clone()))?;
        registry.register(Box::new(time_to_first_token.clone()))?;
        registry.register(Box::new(tokens_total.clone()))?;
        registry.register(Box::new(embed_batch_seconds.clone()))?;
        Ok(Self {
            generate_seconds,
            time_to_first_token,
            tokens_total,
            embed_batch_seconds,
            queue_rejections,
        })
    }

    pub fn observe_generation(&self, usage: &Usage, elapsed: Duration) {
        self.generate_seconds.observe(elapsed.as_secs_f64());
        self.tokens_total
            .with_label_values(&["prompt"])
            .inc_by(usage.prompt_tokens as u64);
        self.tokens_total
            .with_label_values(&["completion"])
            .inc_by(usage.completion_tokens as u64);
    }
}
