//! `helpdesk eval chat` end to end on the fixture knowledge base: the last line is the
//! documented JSON summary with the three outcomes' keys, `--signals` writes one row per
//! question, and the outcomes follow the thresholds (everything covered is suggested when
//! the answer threshold is out of reach).

use std::path::Path;
use std::process::Command;

const KEYS: [&str; 8] = [
    "answered_with_relevant_citation",
    "abstain_accuracy",
    "key_fact_rate",
    "p50_first_token_ms",
    "suggested_with_relevant",
    "answered_or_suggested_relevant",
    "unanswerable_answered",
    "unanswerable_abstained",
];

fn questions(dir: &Path) -> std::path::PathBuf {
    let set = dir.join("set.jsonl");
    std::fs::write(
        &set,
        [
            r#"{"id":"a1","question":"What should I do if my laptop is lost or stolen?","relevant":["laptop.md"],"kind":"answerable","key_facts":["within one hour"]}"#,
            r#"{"id":"a2","question":"the vpn tunnel keeps dropping","relevant":["vpn-guide.pdf"],"kind":"answerable"}"#,
            r#"{"id":"u1","question":"What is the cafeteria menu on Mars?","relevant":[],"kind":"unanswerable"}"#,
        ]
        .join("\n"),
    )
    .expect("set");
    set
}

/// Runs `eval chat` in a throw-away data dir; returns the summary and the signal rows.
fn eval_chat(env: &[(&str, &str)]) -> (serde_json::Value, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().expect("dir");
    let set = questions(dir.path());
    let signals = dir.path().join("signals.jsonl");
    let kb = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb");
    let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(["eval", "chat", "--set"])
        .arg(&set)
        .arg("--kb")
        .arg(&kb)
        .arg("--signals")
        .arg(&signals)
        .envs(env.iter().copied())
        .env("HELPDESK__DATA_DIR", dir.path().join("data"))
        .env("HELPDESK__LOG__LEVEL", "warn")
        .output()
        .expect("helpdesk runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let last = stdout.lines().last().expect("a summary line");
    let summary: serde_json::Value = serde_json::from_str(last).unwrap_or_else(|e| {
        panic!(
            "JSON summary: {e}\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let positions: Vec<usize> = KEYS
        .iter()
        .map(|k| last.find(&format!("\"{k}\":")).expect(k))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{last}");
    let rows = std::fs::read_to_string(&signals)
        .expect("signals")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON row"))
        .collect();
    (summary, rows)
}

#[test]
fn chat_eval_reports_the_three_outcomes() {
    let (summary, rows) = eval_chat(&[]);
    assert_eq!(summary["answered_with_relevant_citation"], 1.0, "{summary}");
    assert_eq!(summary["answered_or_suggested_relevant"], 1.0, "{summary}");
    assert_eq!(summary["unanswerable_answered"], 0.0, "{summary}");
    assert_eq!(summary["abstain_accuracy"], 1.0, "{summary}");
    assert_eq!(summary["unanswerable_abstained"], 1.0, "{summary}");
    assert_eq!(rows.len(), 3);
    let outcomes: Vec<&str> = rows
        .iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(outcomes, ["answered", "answered", "abstained"]);
    for row in &rows {
        for signal in [
            "score",
            "dense",
            "coverage",
            "sentence",
            "log_words",
            "answer_sentence",
            "answer_question",
            "unaddressed",
        ] {
            assert!(row["signals"][signal].is_number(), "{row}");
        }
    }
    assert_eq!(rows[0]["quote_sources"][0], "laptop.md", "{}", rows[0]);
    assert_eq!(rows[0]["sources"][0], "laptop.md", "{}", rows[0]);
    // The sentences read together with each question, for fitting the probes: the real
    // model's unit vectors, closest sentence first; the probe scores the questions the
    // pages answer above the one they do not.
    let probe =
        |row: &serde_json::Value| row["signals"]["answer_sentence"].as_f64().expect("probe");
    for row in &rows {
        let readings = row["readings"].as_array().expect("readings");
        assert!(!readings.is_empty() && readings.len() <= 3, "{row}");
        let cosines: Vec<f64> = readings
            .iter()
            .map(|r| r["cosine"].as_f64().expect("cosine"))
            .collect();
        assert!(cosines.windows(2).all(|w| w[0] >= w[1]), "{cosines:?}");
        let joint: Vec<f64> = readings[0]["joint"]
            .as_array()
            .expect("joint")
            .iter()
            .map(|x| x.as_f64().expect("number"))
            .collect();
        assert_eq!(joint.len(), 384);
        assert!((joint.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-3);
    }
    assert!(probe(&rows[0]) > probe(&rows[2]) && probe(&rows[1]) > probe(&rows[2]));
    // So does the question-level probe, reading the question's own vector, and the answer
    // gate's confidence, which reads both probes.
    for signal in [
        |row: &serde_json::Value| row["signals"]["answer_question"].as_f64().expect("probe"),
        |row: &serde_json::Value| row["quote_confidence"].as_f64().expect("confidence"),
    ] {
        assert!(
            signal(&rows[0]) > signal(&rows[2]) && signal(&rows[1]) > signal(&rows[2]),
            "{rows:?}"
        );
    }
    assert!(
        rows[0]["readings"][0]["text"]
            .as_str()
            .expect("text")
            .contains("one hour"),
        "{}",
        rows[0]
    );
}

#[test]
fn an_answer_threshold_out_of_reach_suggests_instead() {
    let (summary, rows) = eval_chat(&[("HELPDESK__RAG__ANSWER_THRESHOLD", "1")]);
    assert_eq!(summary["answered_with_relevant_citation"], 0.0, "{summary}");
    assert_eq!(summary["suggested_with_relevant"], 1.0, "{summary}");
    assert_eq!(summary["answered_or_suggested_relevant"], 1.0, "{summary}");
    let outcomes: Vec<&str> = rows
        .iter()
        .map(|r| r["outcome"].as_str().expect("outcome"))
        .collect();
    assert_eq!(outcomes, ["suggested", "suggested", "abstained"]);
}

#[test]
fn thresholds_out_of_order_are_refused_with_one_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(["eval", "chat", "--set", "x.jsonl", "--kb", "."])
        .env("HELPDESK__RAG__MIN_ANSWERABILITY", "0.9")
        .env("HELPDESK__RAG__ANSWER_THRESHOLD", "0.5")
        .output()
        .expect("helpdesk runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("rag.min_answerability") && stderr.contains("rag.answer_threshold"),
        "{stderr}"
    );
}
