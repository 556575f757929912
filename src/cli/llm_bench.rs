//! `helpdesk bench llm`: load time, prompt and generation throughput, time to first token,
//! embedding throughput and peak memory of the local models, measured here and printed.

use std::time::Instant;

use crate::config::ModelSettings;
use crate::llm::embedder::{EmbedEngine, MiniLm};
use crate::llm::generator::{GenerateParams, SmolLm, Turn, chat_prompt, q8_path};
use crate::llm::weights::{self, SMOLLM2};

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

/// The figures `scripts/bench_reference.sh` compares with llama.cpp and
/// sentence-transformers; printed as the last line, with the prompts it used so the
/// references run the very same ones.
#[derive(serde::Serialize)]
struct Figures {
    threads: usize,
    /// What computes each network: "candle", "llama.cpp" or (the embedder) "onnxruntime".
    llm_engine: &'static str,
    embed_engine: &'static str,
    llm_path: String,
    llm_load_s: f64,
    prefill: Vec<Prefill>,
    generation_tokens_per_s: f64,
    generated_tokens: usize,
    generation_prompt: String,
    first_token_prompt: String,
    first_token_prompt_tokens: usize,
    first_token_p50_ms: f64,
    first_token_p95_ms: f64,
    embedder_load_s: f64,
    sentence: String,
    chunk: String,
    chunk_tokens: usize,
    embed_sentences_per_s: f64,
    embed_chunks_per_s: f64,
    query: String,
    query_p50_ms: f64,
    peak_rss_mib: Option<f64>,
}

#[derive(serde::Serialize)]
struct Prefill {
    prompt: String,
    tokens: usize,
    tokens_per_s: f64,
}

pub fn run(settings: &ModelSettings) -> anyhow::Result<()> {
    let (llm_dir, _) = weights::ensure(settings, &SMOLLM2)?;
    let emb_dir = weights::ensure_embedder(settings)?;
    let threads = crate::llm::engine_threads();
    println!("threads: {threads}");

    let llm_path = llm_dir.join(SMOLLM2.files[0].file_name);
    let started = Instant::now();
    let mut llm = SmolLm::load(&llm_path)?;
    let llm_load_s = started.elapsed().as_secs_f64();
    println!("llm load: {llm_load_s:.2} s");

    // One untimed pass first: a process's first pass also pays for page faults and buffer
    // allocations (scripts/bench_reference.sh warms its references up the same way).
    llm.generate(
        &chat_prompt(&[Turn {
            role: "user",
            content: &filler(420),
        }]),
        &GenerateParams {
            max_tokens: 1,
            ..GenerateParams::default()
        },
        &|| false,
        |_| {},
    )?;
    let mut prefill = Vec::new();
    // About 500 and 1,500 prompt tokens.
    for words in [420, 1270] {
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
        let tokens_per_s = tokens as f64 / secs;
        println!("prompt processing: {tokens} tokens in {secs:.2} s = {tokens_per_s:.0} tokens/s");
        prefill.push(Prefill {
            prompt,
            tokens,
            tokens_per_s,
        });
    }

    let generation_prompt = chat_prompt(&[Turn {
        role: "user",
        content: "Write a long story about a printer.",
    }]);
    let params = GenerateParams {
        max_tokens: 128,
        ..GenerateParams::default()
    };
    let mut first: Option<f64> = None;
    let started = Instant::now();
    let generation = llm.generate(&generation_prompt, &params, &|| false, |_| {
        first.get_or_insert_with(|| started.elapsed().as_secs_f64());
    })?;
    let total = started.elapsed().as_secs_f64();
    let decode_secs = total - first.unwrap_or(0.0);
    let generation_tokens_per_s =
        (generation.completion_tokens.saturating_sub(1)) as f64 / decode_secs.max(1e-9);
    println!(
        "generation: {} tokens in {total:.2} s = {generation_tokens_per_s:.1} tokens/s after the first",
        generation.completion_tokens,
    );

    let first_token_prompt = chat_prompt(&[Turn {
        role: "user",
        content: "How do I reset my password quickly please?",
    }]);
    let first_token_prompt_tokens = llm.count_tokens(&first_token_prompt)?;
    let mut ttft = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut at = None;
        llm.generate(
            &first_token_prompt,
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
    let (first_token_p50_ms, first_token_p95_ms) =
        (percentile(&ttft, 50.0), percentile(&ttft, 95.0));
    println!(
        "time to first token ({first_token_prompt_tokens}-token prompt, 20 runs): p50 {first_token_p50_ms:.0} ms, p95 {first_token_p95_ms:.0} ms",
    );
    drop(llm);

    let started = Instant::now();
    let mut embedder = MiniLm::load(&emb_dir)?;
    let embedder_load_s = started.elapsed().as_secs_f64();
    println!("embedder load: {embedder_load_s:.2} s");
    let sentence = "My laptop will not connect to the office wifi since the update";
    let chunk = filler(180);
    let chunk_tokens = embedder.count_tokens(&chunk)?;
    let mut rates = Vec::new();
    for (label, text, batch, rounds) in [
        ("~14-token sentences", sentence, 32usize, 4usize),
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
        rates.push(n / secs);
    }
    let query = "reset password";
    let mut single = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        embedder.embed(&[query])?;
        single.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    single.sort_by(f64::total_cmp);
    let query_p50_ms = percentile(&single, 50.0);
    println!("embedding one short query: p50 {query_p50_ms:.1} ms");
    let peak_rss_mib = peak_rss_mib();
    if let Some(rss) = peak_rss_mib {
        println!("peak RSS: {rss:.0} MiB");
    }
    let figures = Figures {
        threads,
        llm_engine: if cfg!(feature = "llama-cpp") {
            "llama.cpp"
        } else {
            "candle"
        },
        embed_engine: EmbedEngine::FASTEST.name(),
        // The weights the generator runs: the cached Q8_0 copy.
        llm_path: q8_path(&llm_path).display().to_string(),
        llm_load_s,
        prefill,
        generation_tokens_per_s,
        generated_tokens: generation.completion_tokens,
        generation_prompt,
        first_token_prompt,
        first_token_prompt_tokens,
        first_token_p50_ms,
        first_token_p95_ms,
        embedder_load_s,
        sentence: sentence.to_owned(),
        chunk,
        chunk_tokens,
        embed_sentences_per_s: rates[0],
        embed_chunks_per_s: rates[1],
        query: query.to_owned(),
        query_p50_ms,
        peak_rss_mib,
    };
    println!("{}", serde_json::to_string(&figures)?);
    Ok(())
}
