//! `helpdesk bench llm`: load time, prompt and generation throughput, time to first token,
//! embedding throughput and peak memory of the local models, measured here and printed.

use std::time::Instant;

use crate::config::ModelSettings;
use crate::llm::embedder::MiniLm;
use crate::llm::generator::{GenerateParams, SmolLm, Turn, chat_prompt};
use crate::llm::weights::{self, MINILM, SMOLLM2};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Peak resident set size of this process, in MiB (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// A prompt of about `words` words of help-desk prose.
fn filler(words: usize) -> String {
    const TEXT: &str = "To reset your single sign-on password open the account portal, choose \
        forgot password, and follow the link sent to your work email within fifteen minutes. \
        If the link has expired request a new one; contact the help desk when it keeps failing.";
    TEXT.split_whitespace()
        .cycle()
        .take(words)
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run(settings: &ModelSettings) -> anyhow::Result<()> {
    let (llm_dir, _) = weights::ensure(settings, &SMOLLM2)?;
    let (emb_dir, _) = weights::ensure(settings, &MINILM)?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!("threads: {threads}");

    let started = Instant::now();
    let mut llm = SmolLm::load(&llm_dir.join(SMOLLM2.files[0].file_name))?;
    println!("llm load: {:.2} s", started.elapsed().as_secs_f64());

    for words in [380, 1100] {
        let prompt = chat_prompt(&[Turn {
            role: "user",
            content: &filler(words),
        }]);
        let tokens = llm.count_tokens(&prompt)?;
        let params = GenerateParams {
            max_tokens: 1,
            ..GenerateParams::default()
        };
        let started = Instant::now();
        llm.generate(&prompt, &params, &|| false, |_| {})?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "prompt processing: {tokens} tokens in {secs:.2} s = {:.0} tokens/s",
            tokens as f64 / secs
        );
    }

    let prompt = chat_prompt(&[Turn {
        role: "user",
        content: "Write a long story about a printer.",
    }]);
    let params = GenerateParams {
        max_tokens: 128,
        ..GenerateParams::default()
    };
    let mut first: Option<f64> = None;
    let started = Instant::now();
    let generation = llm.generate(&prompt, &params, &|| false, |_| {
        first.get_or_insert_with(|| started.elapsed().as_secs_f64());
    })?;
    let total = started.elapsed().as_secs_f64();
    let decode_secs = total - first.unwrap_or(0.0);
    println!(
        "generation: {} tokens in {total:.2} s = {:.1} tokens/s after the first",
        generation.completion_tokens,
        (generation.completion_tokens.saturating_sub(1)) as f64 / decode_secs.max(1e-9)
    );

    let short = chat_prompt(&[Turn {
        role: "user",
        content: "How do I reset my password quickly please?",
    }]);
    let short_tokens = llm.count_tokens(&short)?;
    let mut ttft = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut at = None;
        llm.generate(
            &short,
            &GenerateParams {
                max_tokens: 1,
                ..GenerateParams::default()
            },
            &|| false,
            |_| {
                at.get_or_insert_with(|| started.elapsed().as_secs_f64());
            },
        )?;
        ttft.push(at.unwrap_or_else(|| started.elapsed().as_secs_f64()) * 1000.0);
    }
    ttft.sort_by(f64::total_cmp);
    println!(
        "time to first token ({short_tokens}-token prompt, 20 runs): p50 {:.0} ms, p95 {:.0} ms",
        percentile(&ttft, 50.0),
        percentile(&ttft, 95.0)
    );
    drop(llm);

    let started = Instant::now();
    let embedder = MiniLm::load(&emb_dir)?;
    println!("embedder load: {:.2} s", started.elapsed().as_secs_f64());
    let sentence = "My laptop will not connect to the office wifi since the update";
    let chunk = filler(180);
    for (label, text, batch, rounds) in [
        ("~14-token sentences", sentence, 1usize, 50usize),
        ("~14-token sentences", sentence, 32, 4),
        ("~250-token chunks", chunk.as_str(), 32, 1),
    ] {
        let texts = vec![text; batch];
        embedder.embed(&texts)?;
        let started = Instant::now();
        for _ in 0..rounds {
            embedder.embed(&texts)?;
        }
        let secs = started.elapsed().as_secs_f64();
        let n = (batch * rounds) as f64;
        println!(
            "embeddings, {label}, batch {batch}: {:.1} per s ({:.1} ms per batch)",
            n / secs,
            secs * 1000.0 / rounds as f64
        );
    }
    let mut single = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        embedder.embed(&["reset password"])?;
        single.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    single.sort_by(f64::total_cmp);
    println!(
        "embedding one short query: p50 {:.1} ms",
        percentile(&single, 50.0)
    );
    if let Some(rss) = peak_rss_mib() {
        println!("peak RSS: {rss:.0} MiB");
    }
    Ok(())
}
