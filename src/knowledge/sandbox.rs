//! Document parsing in a child process. PDF, HTML and Markdown parsers are large, and a
//! hostile file can make them recurse without end, inflate gigabytes or spin: in-process,
//! a stack overflow aborts the whole server and takes every tenant down with it, and
//! `catch_unwind` cannot catch it. So the server runs this same binary as
//! `helpdesk parse-document` (a hidden subcommand) for each document, under an address
//! space, CPU, stack, inflation and output limit and a wall-clock timeout. A crash, hang
//! or bomb fails that document alone, naming the limit it hit.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::{ExitCode, Stdio};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::loader::{self, InflatedTooLarge, LoadedDoc, SourceKind};
use crate::config::ParserSettings;

/// The hidden subcommand the child runs as.
pub const SUBCOMMAND: &str = "parse-document";

/// Exit codes of the child besides success.
const EXIT_UNREADABLE: u8 = 2;
const EXIT_INFLATED: u8 = 3;
/// An allocation the child could report rather than die of (reading its input).
const EXIT_MEMORY: u8 = 4;

/// What the parent keeps of the child's stderr: enough for the runtime's last words.
const STDERR_CAP: u64 = 64 * 1024;

crate::validation::string_enum!(Limit, "limit", {
    Memory => "memory",
    Cpu => "cpu",
    Stack => "stack",
    Time => "time",
    Output => "output",
    Inflated => "inflated",
});

/// Why a document could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unparseable {
    /// The limit it hit; `None` for a file the parser simply cannot read.
    pub limit: Option<Limit>,
    pub message: String,
}

impl Unparseable {
    fn unreadable(message: impl Into<String>) -> Self {
        Self {
            limit: None,
            message: message.into(),
        }
    }

    fn hit(limit: Limit, settings: &ParserSettings) -> Self {
        let message = match limit {
            Limit::Memory => format!(
                "parsing it needs more than {} bytes of memory (knowledge.parser.memory_bytes)",
                settings.memory_bytes
            ),
            Limit::Cpu => format!(
                "parsing it takes more than {} CPU seconds (knowledge.parser.cpu_secs)",
                settings.cpu_secs
            ),
            Limit::Stack => format!(
                "it nests deeper than the parser's {}-byte stack allows \
                 (knowledge.parser.stack_bytes)",
                settings.stack_bytes
            ),
            Limit::Time => format!(
                "parsing it takes longer than {} s (knowledge.parser.timeout_secs)",
                settings.timeout_secs
            ),
            Limit::Output => format!(
                "it yields more than {} bytes of text (knowledge.parser.output_bytes)",
                settings.output_bytes
            ),
            Limit::Inflated => format!(
                "its compressed streams inflate to more than {} bytes \
                 (knowledge.parser.inflated_bytes)",
                settings.inflated_bytes
            ),
        };
        Self {
            limit: Some(limit),
            message,
        }
    }
}

/// Runs parser children, a bounded number at a time.
pub struct Sandbox {
    exe: PathBuf,
    settings: ParserSettings,
    slots: tokio::sync::Semaphore,
}

impl Sandbox {
    /// Children run `settings.exe`, or this very binary.
    pub fn new(settings: &ParserSettings) -> anyhow::Result<Self> {
        let exe = match &settings.exe {
            Some(exe) => exe.clone(),
            None => std::env::current_exe()?,
        };
        Ok(Self {
            exe,
            settings: settings.clone(),
            slots: tokio::sync::Semaphore::new(settings.concurrency.max(1)),
        })
    }

    /// Parses `bytes` as a document of `kind` in a child process.
    #[tracing::instrument(name = "knowledge.parse", skip_all, fields(kind = kind.as_str(), bytes = bytes.len()))]
    pub async fn parse(
        &self,
        kind: SourceKind,
        bytes: Vec<u8>,
        fallback_title: &str,
    ) -> Result<Result<LoadedDoc, Unparseable>, anyhow::Error> {
        let _slot = self.slots.acquire().await?;
        let s = &self.settings;
        let mut child = tokio::process::Command::new(&self.exe)
            .arg(SUBCOMMAND)
            .args(["--kind", kind.as_str(), "--title", fallback_title])
            .args(["--memory-bytes", &s.memory_bytes.to_string()])
            .args(["--cpu-secs", &s.cpu_secs.to_string()])
            .args(["--stack-bytes", &s.stack_bytes.to_string()])
            .args(["--inflated-bytes", &s.inflated_bytes.to_string()])
            // The parser needs nothing of the server's environment, secrets least of all.
            .env_clear()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| anyhow::anyhow!("cannot start the parser {}: {e}", self.exe.display()))?;
        let (Some(mut stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            anyhow::bail!("the parser's pipes were not set up");
        };
        // Writer and stderr reader run apart from the stdout reader, so that no pipe that
        // fills up can stall the child while the parent waits on another.
        tokio::spawn(async move {
            // A child that dies early closes its stdin: its exit status tells why.
            let _ = stdin.write_all(&bytes).await;
        });
        let last_words = tokio::spawn(async move {
            let mut kept = Vec::new();
            let _ = (&mut stderr).take(STDERR_CAP).read_to_end(&mut kept).await;
            let _ = tokio::io::copy(&mut stderr, &mut tokio::io::sink()).await;
            String::from_utf8_lossy(&kept).into_owned()
        });

        let deadline = tokio::time::Instant::now() + Duration::from_secs(s.timeout_secs.max(1));
        let mut out = Vec::new();
        let read = tokio::time::timeout_at(
            deadline,
            stdout
                .take(s.output_bytes.saturating_add(1))
                .read_to_end(&mut out),
        )
        .await;
        let over_output = out.len() as u64 > s.output_bytes;
        if read.is_err() || over_output {
            let _ = child.kill().await;
            let limit = if over_output {
                Limit::Output
            } else {
                Limit::Time
            };
            return Ok(Err(Unparseable::hit(limit, s)));
        }
        let Ok(status) = tokio::time::timeout_at(deadline, child.wait()).await else {
            let _ = child.kill().await;
            return Ok(Err(Unparseable::hit(Limit::Time, s)));
        };
        let status = status?;
        let stderr = last_words.await.unwrap_or_default();
        if status.success() {
            let json = out
                .split(|b| *b == b'\n')
                .rfind(|line| !line.is_empty())
                .unwrap_or_default();
            return Ok(serde_json::from_slice(json)
                .map_err(|e| Unparseable::unreadable(format!("the parser's answer: {e}"))));
        }
        Ok(Err(classify(status, &stderr, s)))
    }
}

/// Why a child that did not succeed ended.
fn classify(status: std::process::ExitStatus, stderr: &str, s: &ParserSettings) -> Unparseable {
    use std::os::unix::process::ExitStatusExt as _;

    // The Rust runtime's last words name stack and heap exhaustion (it then aborts).
    if stderr.contains("has overflowed its stack") {
        return Unparseable::hit(Limit::Stack, s);
    }
    if stderr.contains("memory allocation of") || stderr.contains("Cannot allocate memory") {
        return Unparseable::hit(Limit::Memory, s);
    }
    match (status.code(), status.signal()) {
        (Some(code), _) if code == i32::from(EXIT_INFLATED) => Unparseable::hit(Limit::Inflated, s),
        (Some(code), _) if code == i32::from(EXIT_MEMORY) => Unparseable::hit(Limit::Memory, s),
        (Some(code), _) if code == i32::from(EXIT_UNREADABLE) => {
            let reason = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
            Unparseable::unreadable(reason.trim_start_matches("error: ").to_owned())
        }
        // SIGXCPU at the soft CPU limit, SIGKILL at the hard one a second later.
        (_, Some(signal)) if signal == libc::SIGXCPU || signal == libc::SIGKILL => {
            Unparseable::hit(Limit::Cpu, s)
        }
        (_, Some(signal)) => {
            Unparseable::unreadable(format!("the parser crashed on it (signal {signal})"))
        }
        (code, _) => Unparseable::unreadable(format!(
            "the parser failed on it (exit code {})",
            code.unwrap_or(-1)
        )),
    }
}

/// What the child is told by its parent.
#[derive(Debug, Clone)]
pub struct ChildArgs {
    pub kind: SourceKind,
    pub title: String,
    pub memory_bytes: u64,
    pub cpu_secs: u64,
    pub stack_bytes: usize,
    pub inflated_bytes: u64,
}

/// The child: limits itself, reads the document on stdin, writes the parsed document as
/// one JSON line on stdout (after anything a parser library may print).
pub fn child_main(args: &ChildArgs) -> ExitCode {
    if let Err(e) = limit_self(args) {
        eprintln!("error: cannot set the parser's limits: {e}");
        return ExitCode::from(EXIT_UNREADABLE);
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("error: cannot read the document: {e}");
        return ExitCode::from(out_of_memory_or(&e, EXIT_UNREADABLE));
    }
    let (kind, title, cap) = (args.kind, args.title.clone(), args.inflated_bytes);
    // The parser gets a thread of its own, whose stack size is the stack limit.
    let worker = std::thread::Builder::new()
        .name("parser".into())
        .stack_size(args.stack_bytes)
        .spawn(move || loader::load(kind, &bytes, &title, cap));
    let outcome = match worker.map(std::thread::JoinHandle::join) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(_)) => Err(anyhow::anyhow!("the parser gave up on it")),
        Err(e) => {
            eprintln!("error: cannot start the parser thread: {e}");
            return ExitCode::from(out_of_memory_or(&e, EXIT_UNREADABLE));
        }
    };
    match outcome {
        Ok(doc) => {
            let mut stdout = std::io::stdout().lock();
            let written = writeln!(stdout)
                .map_err(anyhow::Error::from)
                .and_then(|()| Ok(serde_json::to_writer(&mut stdout, &doc)?))
                .and_then(|()| Ok(writeln!(stdout)?))
                .and_then(|()| Ok(stdout.flush()?));
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the parsed document: {e}");
                    ExitCode::from(EXIT_UNREADABLE)
                }
            }
        }
        Err(e) if e.downcast_ref::<InflatedTooLarge>().is_some() => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_INFLATED)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

fn out_of_memory_or(e: &std::io::Error, code: u8) -> u8 {
    if e.kind() == std::io::ErrorKind::OutOfMemory {
        EXIT_MEMORY
    } else {
        code
    }
}

fn limit_self(args: &ChildArgs) -> std::io::Result<()> {
    use rlimit::Resource;

    Resource::AS.set(args.memory_bytes, args.memory_bytes)?;
    // SIGXCPU at the soft limit; the hard limit's SIGKILL follows if that is ignored.
    Resource::CPU.set(args.cpu_secs, args.cpu_secs.saturating_add(1))?;
    // A crash leaves no core file of a tenant's document behind.
    Resource::CORE.set(0, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;
    use std::os::unix::process::ExitStatusExt as _;

    use super::*;

    fn settings() -> ParserSettings {
        ParserSettings {
            timeout_secs: 1,
            output_bytes: 4096,
            ..ParserSettings::default()
        }
    }

    /// A stand-in parser: a shell script run in the real child's place.
    fn script(dir: &std::path::Path, body: &str) -> PathBuf {
        let path = dir.join("parser.sh");
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        path
    }

    async fn run(body: &str) -> Unparseable {
        let dir = tempfile::tempdir().expect("dir");
        let sandbox = Sandbox::new(&ParserSettings {
            exe: Some(script(dir.path(), body)),
            ..settings()
        })
        .expect("sandbox");
        sandbox
            .parse(SourceKind::Markdown, b"# Title\n\ntext".to_vec(), "t")
            .await
            .expect("the child ran")
            .expect_err("it fails")
    }

    #[tokio::test]
    async fn a_child_that_hangs_is_killed_at_the_timeout() {
        assert_eq!(run("sleep 30").await.limit, Some(Limit::Time));
    }

    #[tokio::test]
    async fn a_child_that_floods_its_output_is_cut_off() {
        assert_eq!(run("yes").await.limit, Some(Limit::Output));
    }

    #[tokio::test]
    async fn a_child_that_exceeds_its_cpu_time_is_named() {
        assert_eq!(run("kill -XCPU $$").await.limit, Some(Limit::Cpu));
    }

    #[test]
    fn the_runtime_s_last_words_name_stack_and_memory() {
        let aborted = std::process::ExitStatus::from_raw(libc::SIGABRT);
        let s = settings();
        let stack =
            "\nthread 'parser' has overflowed its stack\nfatal runtime error: stack overflow";
        assert_eq!(classify(aborted, stack, &s).limit, Some(Limit::Stack));
        let heap = "memory allocation of 1073741824 bytes failed\n";
        assert_eq!(classify(aborted, heap, &s).limit, Some(Limit::Memory));
        let unreadable = std::process::ExitStatus::from_raw(i32::from(EXIT_UNREADABLE) << 8);
        let plain = classify(unreadable, "error: the file is not UTF-8 text\n", &s);
        assert_eq!(plain, Unparseable::unreadable("the file is not UTF-8 text"));
        let inflated = std::process::ExitStatus::from_raw(i32::from(EXIT_INFLATED) << 8);
        assert_eq!(classify(inflated, "", &s).limit, Some(Limit::Inflated));
        let reported = std::process::ExitStatus::from_raw(i32::from(EXIT_MEMORY) << 8);
        assert_eq!(classify(reported, "", &s).limit, Some(Limit::Memory));
    }
}
