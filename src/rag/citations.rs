//! Citation markers in an answer: `[n]` (also `[n, m]`, `[Source n]`) where n numbers one of
//! the passages the model was shown. Markers are checked against those passages: ones that
//! point at no passage are removed, ones that do are normalised to `[n]`, and the answer's
//! citations are exactly the passages it cites — never one the model was not given.

use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::Serialize;
use uuid::Uuid;

/// A numbered passage shown to the model (or quoted), and what a citation of it shows.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Source {
    /// The marker number, from 1.
    pub n: usize,
    pub doc_id: Uuid,
    pub title: String,
    /// The document's path in its knowledge base.
    pub source: String,
    pub chunk_id: Uuid,
    pub snippet: String,
}

/// An answer whose markers all point at `citations`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited {
    pub text: String,
    /// The cited sources, in order of first mention, each once.
    pub citations: Vec<Source>,
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[ \t]*\[(?:sources?|doc(?:ument)?|passage)?\s*:?\s*(\d{1,4}(?:\s*[,;&]\s*(?:and\s+)?\d{1,4})*)\s*\]")
        .unwrap_or_else(|e| panic!("citation marker pattern: {e}"))
});

static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+").unwrap_or_else(|e| panic!("number pattern: {e}")));

/// Maps the markers of `text` onto `sources` (numbered 1..=len in order).
pub fn resolve(text: &str, sources: &[Source]) -> Cited {
    let mut cited: Vec<usize> = Vec::new();
    let rewritten = MARKER.replace_all(text, |caps: &Captures<'_>| {
        let leading_space = caps[0].starts_with([' ', '\t']);
        let mut kept: Vec<usize> = Vec::new();
        for number in NUMBER.find_iter(&caps[1]) {
            let Ok(n) = number.as_str().parse::<usize>() else {
                continue;
            };
            if (1..=sources.len()).contains(&n) && !kept.contains(&n) {
                kept.push(n);
            }
        }
        for &n in &kept {
            if !cited.contains(&n) {
                cited.push(n);
            }
        }
        let markers: String = kept.iter().map(|n| format!("[{n}]")).collect();
        if markers.is_empty() || !leading_space {
            markers
        } else {
            format!(" {markers}")
        }
    });
    Cited {
        text: tidy(&rewritten),
        citations: cited
            .into_iter()
            .filter_map(|n| sources.get(n - 1).cloned())
            .collect(),
    }
}

/// Spaces left before punctuation by removed markers go; so do doubled spaces.
fn tidy(text: &str) -> String {
    static BEFORE_PUNCT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[ \t]+([.,;:!?])").unwrap_or_else(|e| panic!("tidy pattern: {e}"))
    });
    static DOUBLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[ \t]{2,}").unwrap_or_else(|e| panic!("tidy pattern: {e}")));
    let text = BEFORE_PUNCT.replace_all(text, "$1");
    DOUBLE.replace_all(&text, " ").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sources(count: usize) -> Vec<Source> {
        (1..=count)
            .map(|n| Source {
                n,
                doc_id: Uuid::from_u128(n as u128),
                title: format!("Page {n}"),
                source: format!("page-{n}.md"),
                chunk_id: Uuid::from_u128(1000 + n as u128),
                snippet: format!("snippet {n}"),
            })
            .collect()
    }

    fn numbers(cited: &Cited) -> Vec<usize> {
        cited.citations.iter().map(|s| s.n).collect()
    }

    #[test]
    fn valid_markers_map_to_their_sources_in_order_of_mention() {
        let out = resolve("Use Okta [2]. Reset it there [1].", &sources(3));
        assert_eq!(out.text, "Use Okta [2]. Reset it there [1].");
        assert_eq!(numbers(&out), vec![2, 1]);
        assert_eq!(out.citations[0].doc_id, Uuid::from_u128(2));
    }

    #[test]
    fn out_of_range_markers_are_dropped() {
        let out = resolve("Call IT [4]. Or not [0].", &sources(3));
        assert_eq!(out.text, "Call IT. Or not.");
        assert!(out.citations.is_empty());
    }

    #[test]
    fn repeated_markers_cite_once() {
        let out = resolve("A [1]. B [1][1]. C [1, 1].", &sources(2));
        assert_eq!(numbers(&out), vec![1]);
        assert_eq!(out.text, "A [1]. B [1][1]. C [1].");
    }

    #[test]
    fn variant_spellings_are_normalised() {
        let out = resolve("See [Source 2] and [1, 3] and [source: 3].", &sources(3));
        assert_eq!(out.text, "See [2] and [1][3] and [3].");
        assert_eq!(numbers(&out), vec![2, 1, 3]);
    }

    #[test]
    fn mixed_lists_keep_the_valid_numbers() {
        let out = resolve("Both [2, 9].", &sources(2));
        assert_eq!(out.text, "Both [2].");
        assert_eq!(numbers(&out), vec![2]);
    }

    #[test]
    fn malformed_brackets_are_left_as_text_and_cite_nothing() {
        for text in [
            "see [a]",
            "see [1",
            "see 1]",
            "see [-1]",
            "see []",
            "[1.5] pages",
        ] {
            let out = resolve(text, &sources(1));
            assert!(
                out.citations.is_empty() || text == "[1.5] pages",
                "{text}: {out:?}"
            );
        }
        assert_eq!(resolve("see [a]", &sources(1)).text, "see [a]");
    }

    #[test]
    fn no_sources_means_no_citations() {
        let out = resolve("An answer [1].", &[]);
        assert_eq!(out.text, "An answer.");
        assert!(out.citations.is_empty());
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z .,!?]{0,12}",
            (0usize..12).prop_map(|n| format!("[{n}]")),
            (0usize..12, 0usize..12).prop_map(|(a, b)| format!("[{a}, {b}]")),
            (0usize..12).prop_map(|n| format!("[Source {n}]")),
            Just("[".to_owned()),
            Just("]".to_owned()),
            "\\[[a-z0-9 ,]{0,6}\\]",
        ]
    }

    proptest! {
        #[test]
        fn citations_are_always_given_sources_and_unique(
            parts in proptest::collection::vec(piece(), 0..16),
            count in 0usize..6,
        ) {
            let given = sources(count);
            let out = resolve(&parts.concat(), &given);
            let mut seen = Vec::new();
            for citation in &out.citations {
                prop_assert!(given.contains(citation));
                prop_assert!(!seen.contains(&citation.n));
                seen.push(citation.n);
            }
            // Every marker left in the text points at a cited source.
            for caps in MARKER.captures_iter(&out.text) {
                for number in NUMBER.find_iter(&caps[1]) {
                    let n: usize = number.as_str().parse().unwrap_or(0);
                    prop_assert!(seen.contains(&n), "marker {n} left in {:?}", out.text);
                }
            }
            // Resolving again changes nothing.
            let again = resolve(&out.text, &given);
            prop_assert_eq!(&again.text, &out.text);
            prop_assert_eq!(numbers(&again), numbers(&out));
        }
    }
}
