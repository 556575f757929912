//! SmolLM2-135M-Instruct with the real weights (re-quantised to Q8_0 once, cached).

use std::sync::{Mutex, OnceLock};

use helpdesk::config::ModelSettings;
use helpdesk::llm::generator::{FinishReason, GenerateParams, SmolLm, Turn, chat_prompt};
use helpdesk::llm::weights::{self, SMOLLM2};

fn model() -> &'static Mutex<SmolLm> {
    static MODEL: OnceLock<Mutex<SmolLm>> = OnceLock::new();
    MODEL.get_or_init(|| {
        let (dir, _) = weights::ensure(&ModelSettings::default(), &SMOLLM2).expect("weights");
        let gguf = dir.join(SMOLLM2.files[0].file_name);
        Mutex::new(SmolLm::load(&gguf).expect("model loads"))
    })
}

#[test]
fn hello_generates_streamed_text() {
    let prompt = chat_prompt(&[Turn {
        role: "user",
        content: "Hello",
    }]);
    let mut pieces = Vec::new();
    let params = GenerateParams {
        max_tokens: 24,
        ..GenerateParams::default()
    };
    let generation = model()
        .lock()
        .expect("lock")
        .generate(&prompt, &params, &|| false, |piece| {
            pieces.push(piece.to_owned())
        })
        .expect("generates");
    assert!(!generation.text.trim().is_empty(), "empty answer");
    assert_eq!(
        pieces.concat(),
        generation.text,
        "the stream adds up to the answer"
    );
    assert!(pieces.len() > 1, "streamed in pieces");
    assert!(generation.completion_tokens <= 24);
    assert!(!generation.text.contains("<|im_end|>"));
    println!("{:?} ({:?})", generation.text, generation.finish);
}

#[test]
fn stop_sequences_cancellation_and_limits_end_generation() {
    let prompt = chat_prompt(&[Turn {
        role: "user",
        content: "Count from one to twenty in words, separated by commas.",
    }]);
    let mut model = model().lock().expect("lock");
    let limited = model
        .generate(
            &prompt,
            &GenerateParams {
                max_tokens: 5,
                ..GenerateParams::default()
            },
            &|| false,
            |_| {},
        )
        .expect("generates");
    assert_eq!(
        (limited.completion_tokens, limited.finish),
        (5, FinishReason::Length)
    );

    // Greedy decoding repeats itself: stop at the second word of the free answer.
    let free = model
        .generate(
            &prompt,
            &GenerateParams {
                max_tokens: 16,
                ..GenerateParams::default()
            },
            &|| false,
            |_| {},
        )
        .expect("generates");
    let second_word = free
        .text
        .split_whitespace()
        .nth(1)
        .expect("two words")
        .to_owned();
    let cut = free.text.find(&second_word).expect("present");
    let mut streamed = String::new();
    let stopped = model
        .generate(
            &prompt,
            &GenerateParams {
                max_tokens: 64,
                stop: vec![second_word.clone()],
                ..GenerateParams::default()
            },
            &|| false,
            |p| streamed.push_str(p),
        )
        .expect("generates");
    assert_eq!(
        stopped.finish,
        FinishReason::StopSequence,
        "{:?}",
        stopped.text
    );
    assert_eq!(
        stopped.text,
        free.text[..cut],
        "the text ends before the stop sequence"
    );
    assert_eq!(
        streamed, stopped.text,
        "the stop sequence is never streamed"
    );

    let cancelled = model
        .generate(&prompt, &GenerateParams::default(), &|| true, |_| {})
        .expect("generates");
    assert_eq!(
        (cancelled.completion_tokens, cancelled.finish),
        (0, FinishReason::Cancelled)
    );
}
