//! SmolLM2's network on llama.cpp (the `llama-cpp` feature), through the maintained
//! `llama-cpp-2` bindings: llama.cpp's tiled quantised kernels make prefill about twice
//! candle's on a CPU (docs/llm.md). Only the forward pass moves here; the tokenizer,
//! sampling, stop sequences, streaming and cancellation stay in `generator`, so both engines
//! behave alike.
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
use llama_cpp_2::context::params::LlamaContextParams;
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

pub struct LlamaCppEngine {
    context: LlamaContext<'static>,
    batch: LlamaBatch<'static>,
    device: Device,
}

impl LlamaCppEngine {
    pub fn load(gguf: &Path) -> anyhow::Result<Self> {
        let model = shared_model(gguf)?;
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .try_into()
            .unwrap_or(1);
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
