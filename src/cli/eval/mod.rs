//! `helpdesk eval …`: quality figures measured the same way on any question set; and
//! `helpdesk bench search`, which measures the same searches for speed. Both sit with the
//! commands, above every domain they drive.

use std::path::Path;

use anyhow::Context as _;

pub mod chat;
pub mod pii;
pub mod retrieval;
pub mod router;
pub mod search_bench;

/// A question or case file's text, one JSON object a line. A UTF-8 byte-order mark, which
/// some Windows editors write at the start of a file, is dropped: it is not part of the
/// first line, which would otherwise fail to parse.
fn read_jsonl(path: &Path) -> anyhow::Result<String> {
    let mut text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}
