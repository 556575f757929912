//! The modules form a stack (shared/STYLE.md, docs/architecture.md): each imports only
//! from layers below it. This test reads every `crate::…` path in `src/` and fails on an
//! import that climbs. Handlers and sockets are the HTTP layer wherever their files sit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer, lowest first. Modules of one layer may use each
/// other only in the kernel, the HTTP layer and the commands.
const LAYERS: &[(&str, u8)] = &[
    // kernel
    ("config", 0),
    ("error", 0),
    ("database", 0),
    ("telemetry", 0),
    ("validation", 0),
    ("redaction", 0),
    ("egress", 0),
    ("client_addr", 0),
    ("password", 0),
    ("ids", 0),
    ("json_body", 0),
    ("event_stream", 0),
    ("slots", 0),
    ("entity", 0),
    ("tls", 0),
    // infrastructure
    ("vector", 1),
    ("audit", 1),
    ("usage", 1),
    ("llm", 2),
    // domains
    ("tenancy", 3),
    ("auth", 4),
    ("tickets", 5),
    ("routing", 6),
    ("replies", 6),
    ("feedback", 6),
    ("workflow", 7),
    ("knowledge", 7),
    ("rag", 8),
    ("chat", 9),
    // the use cases that span domains
    ("desk", 10),
    ("reports", 10),
    // HTTP wiring
    ("api", 11),
    ("app", 11),
    ("health", 11),
    ("http_policy", 11),
    ("web", 11),
    ("openapi", 11),
    // commands
    ("cli", 12),
];

const HTTP: u8 = 11;

/// Layers whose modules may use each other.
const SHARED_LAYERS: &[u8] = &[0, HTTP, 12];

/// Files inside a domain folder that belong to the HTTP layer: handlers, sockets, the event
/// stream, and the extractors that read a request. They sit beside the domain that owns
/// their URL prefix and views.
const HTTP_FILES: &[&str] = &["routes.rs", "socket.rs", "feed.rs", "extract.rs"];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::name` a file uses, comments left out.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let tail = &rest[at + "crate::".len()..];
            let name: String = tail
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let preceded_by_ident = rest[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
            if !name.is_empty() && !preceded_by_ident {
                found.insert(name);
            }
            rest = tail;
        }
    }
    found
}

/// Who imports what against the order: (file under src/, module it imports).
fn climbs(src: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let relative = file
            .strip_prefix(src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        let module = relative
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs");
        if matches!(module, "lib" | "main") {
            continue;
        }
        let own = layer(module)
            .unwrap_or_else(|| panic!("src/{relative}: module {module} has no layer in LAYERS"));
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let nested = relative.contains('/');
        let from = if nested && HTTP_FILES.contains(&name) {
            HTTP
        } else {
            own
        };
        let text = std::fs::read_to_string(&file).expect("source");
        for target in crate_paths(&text) {
            if target == module {
                continue;
            }
            let Some(to) = layer(&target) else {
                panic!("src/{relative} imports crate::{target}, which has no layer in LAYERS");
            };
            let climbs = to > from || (to == from && !SHARED_LAYERS.contains(&from));
            if climbs {
                found.push((relative.clone(), target));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn domains_import_only_downward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = climbs(&src);
    assert!(
        found.is_empty(),
        "imports that climb the layer order (file → module): {found:?}"
    );
}

#[test]
fn the_reader_finds_paths_and_skips_comments() {
    let text = "use crate::tenancy::TenantId;\n// crate::chat in a comment\nlet x = crate::app::AppState;\n$crate::validation::Invalid";
    let found: Vec<String> = crate_paths(text).into_iter().collect();
    assert_eq!(found, vec!["app", "tenancy"]);
}
