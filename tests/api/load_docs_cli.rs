//! `helpdesk load-docs` as a user runs it: the real binary on a fresh data dir.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

fn helpdesk(data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_helpdesk"));
    command
        .arg("--data-dir")
        .arg(data)
        .env("HELPDESK__LOG__LEVEL", "error")
        // The demo knowledge base is not what these tests are about.
        .env("HELPDESK__KNOWLEDGE__DEMO_DIR", data.join("no-demo"));
    command
}

fn run(command: &mut Command) -> (bool, String) {
    let output = command.output().expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The visibility of every document in the data dir's embedded database.
fn visibilities(data: &Path) -> Vec<String> {
    use sea_orm::{EntityTrait as _, QuerySelect as _};
    let url = format!("sqlite://{}?mode=ro", data.join("helpdesk.db").display());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let db = sea_orm::Database::connect(&url).await.expect("db");
        helpdesk::entity::knowledge_doc::Entity::find()
            .select_only()
            .column(helpdesk::entity::knowledge_doc::Column::Visibility)
            .into_tuple()
            .all(&db)
            .await
            .expect("rows")
    })
}

fn prepared() -> (tempfile::TempDir, tempfile::TempDir) {
    let data = tempfile::tempdir().expect("dir");
    let (ok, out) = run(helpdesk(data.path()).arg("migrate"));
    assert!(ok, "{out}");
    let (ok, out) = run(helpdesk(data.path()).arg("seed"));
    assert!(ok, "{out}");
    let kb = tempfile::tempdir().expect("dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb");
    for entry in std::fs::read_dir(fixtures).expect("fixtures") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, kb.path().join(path.file_name().expect("name"))).expect("copy");
    }
    (data, kb)
}

#[test]
fn load_docs_reports_skips_and_totals_and_fails_cleanly() {
    let (data, kb) = prepared();
    // A PDF that crashes its parser is reported, and the load goes on past it.
    std::fs::write(
        kb.path().join("a-loop.pdf"),
        crate::hostile::self_drawing_form(),
    )
    .expect("hostile file");
    let (ok, out) = run(helpdesk(data.path())
        .args(["load-docs", "--tenant", "acme", "--dir"])
        .arg(kb.path()));
    assert!(ok, "{out}");
    assert!(out.contains("skipped notes.docx"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("skipped a-loop.pdf") && l.contains("stack")),
        "{out}"
    );
    assert!(
        out.contains("load-docs: 5 files: 3 added, 0 updated, 0 unchanged, 2 failed"),
        "{out}"
    );
    let (ok, out) = run(helpdesk(data.path())
        .args(["load-docs", "--tenant", "acme", "--dir"])
        .arg(kb.path()));
    assert!(ok, "{out}");
    assert!(out.contains("0 added, 0 updated, 3 unchanged"), "{out}");

    // Loaded again as internal: the same files, now for staff only.
    let (ok, out) = run(helpdesk(data.path())
        .args([
            "load-docs",
            "--tenant",
            "acme",
            "--visibility",
            "internal",
            "--dir",
        ])
        .arg(kb.path()));
    assert!(ok, "{out}");
    assert_eq!(visibilities(data.path()), vec!["internal".to_owned(); 3]);
    let (ok, out) = run(helpdesk(data.path())
        .args([
            "load-docs",
            "--tenant",
            "acme",
            "--visibility",
            "secret",
            "--dir",
        ])
        .arg(kb.path()));
    assert!(!ok && out.contains("visibility must be one of"), "{out}");

    let (ok, out) = run(helpdesk(data.path())
        .args(["load-docs", "--tenant", "nobody", "--dir"])
        .arg(kb.path()));
    assert!(!ok);
    let errors: Vec<&str> = out.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{out}");
    assert!(errors[0].contains("nobody"), "{out}");
}

#[test]
fn watch_loads_files_as_they_appear() {
    let (data, kb) = prepared();
    let mut child = helpdesk(data.path())
        .args(["load-docs", "--tenant", "acme", "--watch", "--dir"])
        .arg(kb.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawns");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let wait_for = |needle: &str| -> String {
        loop {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(e) => panic!("no line with {needle:?}: {e}"),
            }
        }
    };
    wait_for("watching");
    std::fs::write(
        kb.path().join("wifi.md"),
        "# Wi-Fi\n\nThe guest network is called Visitors; its password is at reception.\n",
    )
    .expect("write");
    let line = wait_for("load-docs:");
    assert!(line.contains("1 added"), "{line}");
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let mut status = None;
    for _ in 0..300 {
        status = child.try_wait().expect("waits");
        if status.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("--watch did not stop on Ctrl-C");
    };
    assert!(status.success(), "Ctrl-C ends --watch cleanly: {status:?}");
}

/// The README's order on a brand-new data dir: `seed` before anything else migrates first,
/// as `serve` does, and the counts come out consistent.
#[test]
fn seed_on_a_brand_new_data_dir_migrates_first() {
    let data = tempfile::tempdir().expect("dir");
    let (ok, out) = run(helpdesk(data.path()).arg("seed"));
    assert!(ok, "{out}");
    assert!(out.contains("seed: 2 tenant(s)"), "{out}");
    let (ok, out) = run(helpdesk(data.path()).arg("db-health"));
    assert!(ok, "{out}");
}
