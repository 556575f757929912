//! Labelled tickets from CSV (`text,category`, optionally gzipped) and the deterministic,
//! stratified train/validation split.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub text: String,
    pub category: String,
    /// The line it came from, for error messages.
    pub line: u64,
}

/// Reads `text,category` rows (a header names the two columns, in any order; other columns
/// are ignored). A malformed row is an error naming its line.
pub fn read_csv(path: &Path) -> anyhow::Result<Vec<Labelled>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(reader);
    let headers = csv
        .headers()
        .with_context(|| format!("{}: line 1: cannot read the header", path.display()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .with_context(|| format!("{}: line 1: no `{name}` column", path.display()))
    };
    let (text_at, category_at) = (column("text")?, column("category")?);
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            anyhow::anyhow!("{}: line {line}: malformed CSV: {e}", path.display())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |at: usize, name: &str| {
            record
                .get(at)
                .map(str::trim)
                .with_context(|| format!("{}: line {line}: no {name}", path.display()))
        };
        let category = field(category_at, "category")?;
        anyhow::ensure!(
            !category.is_empty(),
            "{}: line {line}: empty category",
            path.display()
        );
        rows.push(Labelled {
            text: field(text_at, "text")?.to_owned(),
            category: category.to_owned(),
            line,
        });
    }
    anyhow::ensure!(!rows.is_empty(), "{} has no rows", path.display());
    Ok(rows)
}

/// A stable pseudo-random key per row: the same file splits the same way on every machine.
fn key(text: &str, line: u64) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"helpdesk-router-split-v1");
    hasher.update(line.to_le_bytes());
    hasher.update(text.as_bytes());
    hasher.finalize().into()
}

/// Splits `rows` into (train, validation) with `share` of every category (at least one
/// row of a category with two or more) in validation.
pub fn split(rows: Vec<Labelled>, share: f64) -> (Vec<Labelled>, Vec<Labelled>) {
    let mut by_category: BTreeMap<String, Vec<Labelled>> = BTreeMap::new();
    for row in rows {
        by_category
            .entry(row.category.clone())
            .or_default()
            .push(row);
    }
    let (mut train, mut validation) = (Vec::new(), Vec::new());
    for (_, mut group) in by_category {
        group.sort_by_cached_key(|r| key(&r.text, r.line));
        let mut take = (group.len() as f64 * share).round() as usize;
        if group.len() >= 2 {
            take = take.clamp(1, group.len() - 1);
        }
        let rest = group.split_off(take.min(group.len()));
        validation.extend(group);
        train.extend(rest);
    }
    // Interleave categories: training must not see them in blocks (it shuffles anyway).
    train.sort_by_cached_key(|r| key(&r.text, r.line));
    validation.sort_by_key(|r| r.line);
    (train, validation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize, category: &str) -> Vec<Labelled> {
        (0..n)
            .map(|i| Labelled {
                text: format!("{category} ticket {i}"),
                category: category.into(),
                line: i as u64 + 2,
            })
            .collect()
    }

    #[test]
    fn split_is_stratified_and_deterministic() {
        let mut all = rows(100, "Hardware");
        all.extend(rows(20, "Access"));
        all.extend(rows(2, "Purchase"));
        let (train, validation) = split(all.clone(), 0.1);
        let count = |v: &[Labelled], c: &str| v.iter().filter(|r| r.category == c).count();
        assert_eq!(count(&validation, "Hardware"), 10);
        assert_eq!(count(&validation, "Access"), 2);
        assert_eq!(count(&validation, "Purchase"), 1);
        assert_eq!(train.len() + validation.len(), 122);
        assert_eq!(split(all, 0.1).1, validation);
    }

    #[test]
    fn malformed_rows_name_their_line() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("t.csv");
        std::fs::write(
            &path,
            "text,category\nreset vpn,Access\n\"broken,Hardware\n",
        )
        .expect("write");
        let err = read_csv(&path).expect_err("malformed").to_string();
        assert!(err.contains("line 3"), "{err}");
        std::fs::write(&path, "text,category\nreset vpn,Access\nnew laptop,\n").expect("write");
        let err = read_csv(&path).expect_err("empty category").to_string();
        assert!(err.contains("line 3: empty category"), "{err}");
        std::fs::write(&path, "body,label\nx,y\n").expect("write");
        let err = read_csv(&path).expect_err("no columns").to_string();
        assert!(err.contains("no `text` column"), "{err}");
    }
}
