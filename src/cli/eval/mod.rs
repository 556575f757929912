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

/// The records of a JSONL question or case file, each with its line number (from 1), blank
/// lines skipped. A UTF-8 byte-order mark, which some Windows editors write at the start of
/// a file, is dropped: it is not part of the first line, which would otherwise fail to
/// parse. A line that is not a `what` fails naming the file and the line, as
/// `eval router` names a CSV's.
fn read_jsonl<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
) -> anyhow::Result<Vec<(usize, T)>> {
    let mut text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let record = serde_json::from_str(line)
                .with_context(|| format!("{}: line {}: not a {what}", path.display(), i + 1))?;
            Ok((i + 1, record))
        })
        .collect()
}
