//! Extractive answers: the sentences of the retrieved passages that best cover the
//! question, quoted with their source markers. A tiny local model paraphrases worse than a
//! good quote, and a quote costs no generation time.

use std::collections::HashSet;

use crate::knowledge::key_terms;

/// One numbered source's passages, best first.
pub struct Passages<'a> {
    pub n: usize,
    pub texts: &'a [String],
}

#[derive(Debug, Clone, PartialEq)]
struct Sentence {
    source: usize,
    passage: usize,
    index: usize,
    text: String,
    terms: HashSet<String>,
}

/// Splits after `.`, `!` or `?` followed by white space, and at line breaks; list items
/// and headings are sentences of their own.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            push_sentence(&mut out, &mut current);
            continue;
        }
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|n| n.is_whitespace());
        if ends {
            push_sentence(&mut out, &mut current);
        }
    }
    push_sentence(&mut out, &mut current);
    out
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let sentence = current.trim();
    if !sentence.is_empty() {
        out.push(sentence.to_owned());
    }
    current.clear();
}

/// Sentences this short are headings or fragments: quoted only next to a fuller one.
const MIN_SENTENCE_CHARS: usize = 25;

fn new_terms(sentence: &Sentence, wanted: &HashSet<String>, covered: &HashSet<String>) -> usize {
    sentence
        .terms
        .iter()
        .filter(|t| wanted.contains(*t) && !covered.contains(*t))
        .count()
}

/// The quote answering `question` from `sources` (best-ranked first), at most `max_chars`
/// long (one sentence may exceed it rather than be cut), with a `[n]` marker after each
/// source's part. The quote comes from the top-ranked page — retrieval judged it best —
/// unless no sentence of it shares a key term with the question; a second page adds one
/// sentence only when it covers key terms the quote lacks. Empty when no sentence shares
/// a key term with the question.
pub fn extract(question: &str, sources: &[Passages<'_>], max_chars: usize) -> String {
    let wanted: HashSet<String> = key_terms(question).into_iter().collect();
    if wanted.is_empty() {
        return String::new();
    }
    let mut all = Vec::new();
    for source in sources {
        // The best two passages of a page: further ones are rarely about the question.
        for (p, passage) in source.texts.iter().take(2).enumerate() {
            for (i, text) in sentences(passage).into_iter().enumerate() {
                let terms = key_terms(&text).into_iter().collect();
                all.push(Sentence {
                    source: source.n,
                    passage: p,
                    index: i,
                    text,
                    terms,
                });
            }
        }
    }
    let none = HashSet::new();
    let best_where = |keep: &dyn Fn(&Sentence) -> bool| -> Option<&Sentence> {
        all.iter()
            .filter(|s| keep(s) && s.text.chars().count() >= MIN_SENTENCE_CHARS)
            .map(|s| (new_terms(s, &wanted, &none), s))
            .filter(|(gain, _)| *gain > 0)
            // Most key terms; on a tie the earlier sentence, which introduces the topic.
            .max_by(|(a, x), (b, y)| {
                a.cmp(b).then_with(|| {
                    (y.source, y.passage, y.index).cmp(&(x.source, x.passage, x.index))
                })
            })
            .map(|(_, s)| s)
    };
    let top = sources.first().map_or(0, |s| s.n);
    let Some(best) = best_where(&|s| s.source == top).or_else(|| best_where(&|_| true)) else {
        return String::new();
    };

    // The best sentence, then what follows it in its passage (instructions continue there).
    let mut chosen: Vec<&Sentence> = vec![best];
    let mut length = best.text.chars().count();
    for next in all
        .iter()
        .filter(|s| s.source == best.source && s.passage == best.passage && s.index > best.index)
    {
        let extra = next.text.chars().count() + 1;
        if length + extra > max_chars {
            break;
        }
        chosen.push(next);
        length += extra;
    }
    let covered: HashSet<String> = chosen
        .iter()
        .flat_map(|s| s.terms.iter().cloned())
        .collect();
    let fits = |s: &&Sentence| {
        s.source != best.source
            && s.text.chars().count() >= MIN_SENTENCE_CHARS
            && length + s.text.chars().count() < max_chars
    };
    let most = |covered: &HashSet<String>| {
        all.iter()
            .filter(fits)
            .map(|s| (new_terms(s, &wanted, covered), s))
            .filter(|(gain, _)| *gain > 0)
            .max_by(|(a, x), (b, y)| {
                a.cmp(b).then_with(|| {
                    (y.source, y.passage, y.index).cmp(&(x.source, x.passage, x.index))
                })
            })
            .map(|(_, s)| s)
    };
    // Another page's sentence: one adding key terms the quote lacks, else the one sharing
    // most key terms — the reader sees the runner-up page too.
    let extra = most(&covered).or_else(|| most(&none));

    let quote: Vec<&str> = chosen.iter().map(|s| s.text.as_str()).collect();
    let mut text = format!("{} [{}]", quote.join(" "), best.source);
    if let Some(e) = extra {
        text.push_str(&format!(" {} [{}]", e.text, e.source));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sources 1 and 2.
    fn two<'a>(first: &'a [String], second: &'a [String]) -> [Passages<'a>; 2] {
        [
            Passages { n: 1, texts: first },
            Passages {
                n: 2,
                texts: second,
            },
        ]
    }

    #[test]
    fn sentences_split_at_stops_and_lines() {
        assert_eq!(
            sentences("Go to Okta. Click reset! Done?\n- Call IT\nv1.2 works"),
            vec![
                "Go to Okta.",
                "Click reset!",
                "Done?",
                "- Call IT",
                "v1.2 works"
            ]
        );
    }

    #[test]
    fn quotes_the_best_sentence_and_what_follows_with_its_marker() {
        let first = vec![
            "Our office is in Washington. To reset your SSO password, open the Okta \
             dashboard and choose Forgot password. Okta then emails you a link."
                .to_owned(),
        ];
        let second = vec!["Passwords must have 16 characters.".to_owned()];
        let answer = extract(
            "How do I reset my SSO password?",
            &two(&first, &second),
            300,
        );
        assert!(
            answer.starts_with("To reset your SSO password, open the Okta dashboard"),
            "{answer}"
        );
        assert!(
            answer.contains("Okta then emails you a link. [1]"),
            "{answer}"
        );
        assert!(!answer.contains("Washington"), "{answer}");
    }

    #[test]
    fn the_top_page_is_quoted_first_and_the_runner_up_after() {
        let first = vec!["Okta passwords expire every 90 days, so reset them in time.".to_owned()];
        let second =
            vec!["To reset your Okta password open the dashboard and choose reset.".to_owned()];
        let answer = extract(
            "how do i reset my okta password",
            &two(&first, &second),
            400,
        );
        assert_eq!(
            answer,
            "Okta passwords expire every 90 days, so reset them in time. [1] To reset your \
             Okta password open the dashboard and choose reset. [2]"
        );
        let short = extract("how do i reset my okta password", &two(&first, &second), 80);
        assert!(!short.contains("[2]"), "no room for a second page: {short}");
    }

    #[test]
    fn another_source_adds_new_terms() {
        let first = vec!["Laptops are shipped to your home address by IT.".to_owned()];
        let second =
            vec!["Monitors for remote staff are ordered through the equipment form.".to_owned()];
        let answer = extract(
            "how do i get a laptop and a monitor",
            &two(&first, &second),
            400,
        );
        assert!(answer.contains("[1]") && answer.contains("[2]"), "{answer}");
    }

    #[test]
    fn nothing_relevant_gives_nothing() {
        let first = vec!["The cafeteria is on the second floor of the building.".to_owned()];
        assert_eq!(
            extract(
                "reset vpn token",
                &[Passages {
                    n: 1,
                    texts: &first
                }],
                300
            ),
            ""
        );
    }
}
