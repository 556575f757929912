//! `/api/v1/llm`: raw model access for staff — generate (JSON or server-sent events),
//! embeddings, and the backend's status.

use actix_web::{HttpResponse, get, post, web};
use futures_util::stream;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Call, ChatRequest, Chunk, FinishReason, Message, Purpose, Role, Usage};
use crate::app::AppState;
use crate::auth::{Authorized, can};
use crate::error::AppError;
use crate::event_stream;
use crate::json_body::Json;
use crate::validation::{Fields, Invalid, ItemsRule, RangeRule, TextRule};

pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(generate).service(embeddings).service(status);
}

const DEFAULT_MAX_TOKENS: usize = 256;
/// The same answer for the same request, unless the caller picks another seed.
const DEFAULT_SEED: u64 = 299_792_458;
const MAX_STOP_SEQUENCES: usize = 4;
const MAX_STOP_CHARS: usize = 32;
/// As long as `llm.max_prompt_chars` (and for embeddings `llm.max_embed_chars`) allows.
const TEXT_RULE: TextRule = TextRule::non_blank();
const STOP_RULE: TextRule = TextRule::between(1, MAX_STOP_CHARS);

/// The largest is `llm.max_tokens`.
const MAX_TOKENS: RangeRule = RangeRule::at_least(1.0);
const TEMPERATURE: RangeRule = RangeRule::between(0.0, 2.0);
const TOP_P: RangeRule = RangeRule::above(0.0, 1.0);
const SEED: RangeRule = RangeRule::at_least(0.0);
const STOP_ITEMS: ItemsRule = ItemsRule::between(0, MAX_STOP_SEQUENCES);
/// The most is `llm.max_embed_inputs`.
const INPUT_ITEMS: ItemsRule = ItemsRule::at_least(1);

/// The rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("GenerateBody", "prompt", TEXT_RULE),
    ("GenerateBody", "stop", STOP_RULE),
    ("EmbedInput", "", TEXT_RULE),
];
pub const RANGE_RULES: &[(&str, &str, RangeRule)] = &[
    ("GenerateBody", "max_tokens", MAX_TOKENS),
    ("GenerateBody", "temperature", TEMPERATURE),
    ("GenerateBody", "top_p", TOP_P),
    ("GenerateBody", "seed", SEED),
];
pub const ITEMS_RULES: &[(&str, &str, ItemsRule)] = &[
    ("GenerateBody", "stop", STOP_ITEMS),
    ("EmbedInput", "", INPUT_ITEMS),
];

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct GenerateBody {
    prompt: String,
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    max_tokens: Option<i64>,
    #[serde(default)]
    temperature: Option<f64>,
    #[serde(default)]
    top_p: Option<f64>,
    #[serde(default)]
    stop: Vec<String>,
    /// The same seed and request give the same text.
    // Signed, so that the document's `int64` holds every seed accepted.
    #[serde(default)]
    seed: Option<i64>,
    #[serde(default)]
    stream: bool,
}

fn finish_name(finish: &FinishReason) -> &'static str {
    match finish {
        FinishReason::Stop | FinishReason::StopSequence => "stop",
        FinishReason::Length => "length",
        FinishReason::Cancelled => "cancelled",
    }
}

impl GenerateBody {
    fn parse(self, limits: &crate::config::LlmSettings) -> Result<ChatRequest, AppError> {
        let mut fields = Fields::new();
        let chars =
            self.prompt.chars().count() + self.system.as_ref().map_or(0, |s| s.chars().count());
        if self.prompt.trim().is_empty() {
            fields.add("prompt", Invalid::new("required", "must not be empty"));
        } else if chars > limits.max_prompt_chars {
            fields.add(
                "prompt",
                Invalid::new(
                    "too_long",
                    format!(
                        "prompt and system together are {chars} characters; at most {} are allowed",
                        limits.max_prompt_chars
                    ),
                ),
            );
        }
        let max_tokens = self.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS as i64);
        if !MAX_TOKENS.contains(max_tokens as f64) || max_tokens > limits.max_tokens as i64 {
            fields.add(
                "max_tokens",
                Invalid::new(
                    "out_of_range",
                    format!("must be between 1 and {}", limits.max_tokens),
                ),
            );
        }
        let temperature = self.temperature.unwrap_or(0.0);
        if !TEMPERATURE.contains(temperature) {
            fields.add(
                "temperature",
                Invalid::new("out_of_range", "must be between 0 and 2"),
            );
        }
        if let Some(p) = self.top_p
            && !TOP_P.contains(p)
        {
            fields.add(
                "top_p",
                Invalid::new("out_of_range", "must be above 0 and at most 1"),
            );
        }
        if let Some(seed) = self.seed
            && !SEED.contains(seed as f64)
        {
            fields.add("seed", Invalid::new("out_of_range", "must be 0 or more"));
        }
        if !STOP_ITEMS.contains(self.stop.len())
            || self
                .stop
                .iter()
                .any(|s| s.is_empty() || s.chars().count() > MAX_STOP_CHARS)
        {
            fields.add(
                "stop",
                Invalid::new(
                    "invalid",
                    format!(
                        "at most {MAX_STOP_SEQUENCES} stop sequences of 1 to {MAX_STOP_CHARS} characters"
                    ),
                ),
            );
        }
        fields.finish()?;
        let mut messages = Vec::with_capacity(2);
        if let Some(system) = self.system.filter(|s| !s.trim().is_empty()) {
            messages.push(Message {
                role: Role::System,
                content: system,
            });
        }
        messages.push(Message {
            role: Role::User,
            content: self.prompt,
        });
        Ok(ChatRequest {
            messages,
            max_tokens: usize::try_from(max_tokens).unwrap_or(DEFAULT_MAX_TOKENS),
            temperature,
            top_p: self.top_p,
            stop: self.stop,
            // Negative seeds were refused above, so this is the seed itself.
            seed: self.seed.map_or(DEFAULT_SEED, i64::unsigned_abs),
        })
    }
}

#[derive(Serialize, ToSchema)]
struct GenerateAnswer {
    model: String,
    text: String,
    /// `stop`, `length` or `cancelled`.
    finish_reason: &'static str,
    usage: Usage,
}

#[derive(Serialize)]
struct TextEvent<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct DoneEvent {
    finish_reason: &'static str,
    usage: Usage,
}

/// The names of a streamed generation's events.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Written by `sse`; this is the document's account of them.
enum GenerateEventName {
    Token,
    Done,
    Error,
}

/// One server-sent event of a streamed generation, as an SSE parser reads it: `token`
/// events carry `{"text": …}`; the last is `done` with `{"finish_reason", "usage"}` (as in
/// `GenerateAnswer`) or `error` with a problem body.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
struct GenerateEvent {
    event: GenerateEventName,
    /// JSON.
    #[schema(content_media_type = "application/json")]
    data: String,
}

#[utoipa::path(
    summary = "Generate text with the chat model",
    tag = "llm",
    operation_id = "generate_text",
    responses((status = 200, description = "The generation: JSON, or with `stream: true` server-sent events (`token`, then `done` or `error`)",
        content((GenerateAnswer = "application/json"), (GenerateEvent = "text/event-stream")))),
)]
#[post("/llm/generate")]
async fn generate(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateLlm>,
    body: Json<GenerateBody>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let streamed = body.stream;
    let request = body.parse(&state.settings.llm)?;
    let model = state.llm.status().models.chat;
    let call = Call::for_tenant(caller.tenant, Purpose::Generation);
    if !streamed {
        let completion = state.llm.complete(call, request).await?;
        return Ok(HttpResponse::Ok().json(GenerateAnswer {
            model,
            text: completion.text,
            finish_reason: finish_name(&completion.finish),
            usage: completion.usage,
        }));
    }
    // Admission errors (busy, unavailable) still get a status code; later ones arrive as
    // an `error` event. Dropping the response (client gone) cancels the generation.
    let events = state.llm.generate(call, request).await?;
    let body = stream::unfold(Some(events), |events| async move {
        let mut events = events?;
        let bytes = match events.recv().await {
            Some(Ok(Chunk::Text(text))) => event_stream::event("token", &TextEvent { text: &text }),
            Some(Ok(Chunk::Done { usage, finish })) => {
                let done = event_stream::event(
                    "done",
                    &DoneEvent {
                        finish_reason: finish_name(&finish),
                        usage,
                    },
                );
                return Some((Ok::<_, actix_web::Error>(done), None));
            }
            Some(Err(err)) => {
                let error = AppError::from(err);
                return Some((Ok(event_stream::event("error", &error.problem())), None));
            }
            None => return None,
        };
        Some((Ok(bytes), Some(events)))
    });
    Ok(event_stream::response(body))
}

#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
enum EmbedInput {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct EmbeddingsBody {
    input: EmbedInput,
}

#[derive(Serialize, ToSchema)]
struct EmbeddingsAnswer {
    model: String,
    dimensions: usize,
    embeddings: Vec<Vec<f32>>,
}

fn parse_inputs(
    input: EmbedInput,
    limits: &crate::config::LlmSettings,
) -> Result<Vec<String>, AppError> {
    let texts = match input {
        EmbedInput::One(text) => vec![text],
        EmbedInput::Many(texts) => texts,
    };
    let mut fields = Fields::new();
    if !INPUT_ITEMS.contains(texts.len()) || texts.len() > limits.max_embed_inputs {
        fields.add(
            "input",
            Invalid::new(
                "out_of_range",
                format!("give 1 to {} texts", limits.max_embed_inputs),
            ),
        );
    }
    for (i, text) in texts.iter().enumerate() {
        if text.trim().is_empty() {
            fields.add(
                &format!("input[{i}]"),
                Invalid::new("required", "must not be empty"),
            );
        } else if text.chars().count() > limits.max_embed_chars {
            fields.add(
                &format!("input[{i}]"),
                Invalid::new(
                    "too_long",
                    format!("at most {} characters", limits.max_embed_chars),
                ),
            );
        }
    }
    fields.finish()?;
    Ok(texts)
}

#[utoipa::path(
    summary = "Embed texts",
    tag = "llm",
    operation_id = "create_embeddings",
    responses((status = 200, description = "One vector per input, in order", body = EmbeddingsAnswer)),
)]
#[post("/llm/embeddings")]
async fn embeddings(
    state: web::Data<AppState>,
    caller: Authorized<can::CreateLlm>,
    body: Json<EmbeddingsBody>,
) -> Result<HttpResponse, AppError> {
    let texts = parse_inputs(body.into_inner().input, &state.settings.llm)?;
    let call = Call::for_tenant(caller.tenant, Purpose::Embedding);
    let embeddings = state.llm.embed(call, texts).await?;
    Ok(HttpResponse::Ok().json(EmbeddingsAnswer {
        model: state.llm.status().models.embedding,
        dimensions: state.llm.dimensions(),
        embeddings,
    }))
}

#[utoipa::path(
    summary = "Read the model backend's status",
    tag = "llm",
    operation_id = "get_llm_status",
    responses((status = 200, description = "The model backend and what it has loaded", body = super::Status)),
)]
#[get("/llm/status")]
async fn status(
    state: web::Data<AppState>,
    _caller: Authorized<can::ReadLlm>,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(state.llm.status()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::assert_rule_accepts;

    fn generate(prompt: &str, stop: &[&str]) -> GenerateBody {
        GenerateBody {
            prompt: prompt.to_owned(),
            system: None,
            max_tokens: None,
            temperature: None,
            top_p: None,
            stop: stop.iter().map(|s| (*s).to_owned()).collect(),
            seed: None,
            stream: false,
        }
    }

    #[test]
    fn the_documented_rules_hold() {
        let limits = crate::config::LlmSettings::default();
        assert_rule_accepts(TEXT_RULE, |s| generate(s, &[]).parse(&limits).is_ok());
        assert_rule_accepts(STOP_RULE, |s| generate("hi", &[s]).parse(&limits).is_ok());
        assert_rule_accepts(TEXT_RULE, |s| {
            parse_inputs(EmbedInput::One(s.to_owned()), &limits).is_ok()
        });
    }
}
