//! `helpdesk train-router` and `helpdesk eval router` as a user runs them: the real binary,
//! real tickets (the shared CC0 set), the committed model.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use helpdesk::routing::{VALIDATION_SHARE, read_csv, split};

fn dataset() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/it_tickets_train.csv.gz")
}

fn committed_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/models/router.bin")
}

fn helpdesk(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(args)
        .env("HELPDESK__LOG__LEVEL", "error")
        .output()
        .expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write_csv(path: &Path, rows: &[helpdesk::routing::Labelled]) {
    let mut writer = csv::Writer::from_path(path).expect("csv");
    writer.write_record(["text", "category"]).expect("header");
    for row in rows {
        writer
            .write_record([row.text.as_str(), row.category.as_str()])
            .expect("row");
    }
    writer.flush().expect("flush");
}

fn final_json(stdout: &str) -> serde_json::Value {
    let last = stdout.lines().last().expect("output");
    serde_json::from_str(last).expect("the last line is JSON")
}

#[test]
fn train_on_a_sample_then_evaluate_on_other_tickets() {
    let rows = read_csv(&dataset()).expect("dataset");
    let dir = tempfile::tempdir().expect("dir");
    let (train, held) = (dir.path().join("train.csv"), dir.path().join("held.csv"));
    write_csv(&train, &rows[..6000]);
    write_csv(&held, &rows[6000..7000]);
    let model = dir.path().join("router.bin");
    let (ok, out, err) = helpdesk(&[
        "train-router",
        "--data",
        train.to_str().expect("path"),
        "--out",
        model.to_str().expect("path"),
    ]);
    assert!(ok, "{out}{err}");
    for expected in [
        "macro-F1",
        "Administrative rights",
        "confusion",
        "predictions/s",
    ] {
        assert!(out.contains(expected), "{expected} missing: {out}");
    }
    assert!(err.contains("epoch"), "progress is shown: {err}");
    let (ok, out, err) = helpdesk(&[
        "eval",
        "router",
        "--csv",
        held.to_str().expect("path"),
        "--model",
        model.to_str().expect("path"),
    ]);
    assert!(ok, "{out}{err}");
    let figures = final_json(&out);
    assert_eq!(figures["rows"], 1000);
    // 6,000 training tickets already separate the categories well above chance (~0.28).
    assert!(
        figures["accuracy"].as_f64().expect("accuracy") > 0.7,
        "{figures}"
    );
    assert!(figures["macro_f1"].as_f64().expect("f1") > 0.6, "{figures}");
    assert!(figures["per_sec"].as_f64().expect("speed") > 0.0);
}

#[test]
fn the_committed_model_scores_on_its_validation_split() {
    let rows = read_csv(&dataset()).expect("dataset");
    let (_, validation) = split(rows, VALIDATION_SHARE);
    let dir = tempfile::tempdir().expect("dir");
    let held = dir.path().join("validation.csv");
    write_csv(&held, &validation);
    let (ok, out, err) = helpdesk(&[
        "eval",
        "router",
        "--csv",
        held.to_str().expect("path"),
        "--model",
        committed_model().to_str().expect("path"),
    ]);
    assert!(ok, "{out}{err}");
    let figures = final_json(&out);
    assert_eq!(figures["rows"], 4301);
    assert!(
        figures["macro_f1"].as_f64().expect("f1") >= 0.85,
        "{figures}"
    );
}

#[test]
fn bad_input_fails_with_a_one_line_cause_naming_the_line() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("bad.csv");
    let model = committed_model();
    let model = model.to_str().expect("path");
    let cases = [
        (
            "text,category\nreset vpn,Access\n\"never closed,Hardware\n",
            "line 3",
        ),
        (
            "text,category\nreset vpn,Access\nnew laptop,Gardening\n",
            "line 3: unknown category \"Gardening\"",
        ),
        ("body,label\nx,y\n", "no `text` column"),
    ];
    for (content, cause) in cases {
        std::fs::File::create(&csv)
            .and_then(|mut f| f.write_all(content.as_bytes()))
            .expect("write");
        let (ok, out, err) = helpdesk(&[
            "eval",
            "router",
            "--csv",
            csv.to_str().expect("path"),
            "--model",
            model,
        ]);
        assert!(!ok, "{content}: {out}");
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(lines[0].contains(cause), "{cause}: {err}");
    }
    let (ok, _, err) = helpdesk(&[
        "eval",
        "router",
        "--csv",
        csv.to_str().expect("path"),
        "--model",
        "/no/such/router.bin",
    ]);
    assert!(!ok);
    assert!(err.contains("cannot read /no/such/router.bin"), "{err}");
}

#[test]
fn demo_route_opens_sample_tickets_and_reports_queues_and_timers() {
    let data = tempfile::tempdir().expect("dir");
    let dir = data.path().to_str().expect("path");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["--data-dir", dir])
            .args(args)
            .env("HELPDESK__LOG__LEVEL", "error")
            .env("HELPDESK__KNOWLEDGE__DEMO_DIR", data.path().join("no-demo"))
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{args:?}: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    };
    run(&["migrate"]);
    run(&["seed"]);
    let out = run(&["demo", "route"]);
    assert!(out.contains("demo route: 20 tickets into acme"), "{out}");
    let routed: usize = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("queue "))
        .filter_map(|l| l.split_whitespace().last()?.parse::<usize>().ok())
        .sum();
    assert_eq!(routed, 20, "{out}");
    assert!(out.contains("SLA timers set: 20"), "{out}");
}
