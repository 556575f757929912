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
/// Extra weight of the top-ranked source: retrieval already judged it best.
const FIRST_SOURCE_BONUS: f32 = 0.15;

/// The quote answering `question` from `sources`, at most `max_chars` long (one sentence
/// may exceed it rather than be cut), with a `[n]` marker after each source's part.
/// Empty when no sentence shares a key term with the question.
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
    let score = |s: &Sentence, covered: &HashSet<String>| -> f32 {
        let new = s
            .terms
            .iter()
            .filter(|t| wanted.contains(*t) && !covered.contains(*t))
            .count();
        let bonus = if s.source == sources.first().map_or(0, |f| f.n) {
            FIRST_SOURCE_BONUS
        } else {
            0.0
        };
        new as f32 / wanted.len() as f32 + bonus
    };
    let covered = HashSet::new();
    let Some(best) = all
        .iter()
        .filter(|s| s.text.chars().count() >= MIN_SENTENCE_CHARS)
        .filter(|s| s.terms.iter().any(|t| wanted.contains(t)))
        .max_by(|a, b| {
            score(a, &covered)
                .total_cmp(&score(b, &covered))
                // Earlier sentences win ties: they introduce a topic.
                .then_with(|| (b.source, b.passage, b.index).cmp(&(a.source, a.passage, a.index)))
        })
    else {
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
    let mut covered: HashSet<String> = chosen
        .iter()
        .flat_map(|s| s.terms.iter().cloned())
        .collect();

    // Another source's sentence only when it covers key terms the quote does not.
    let mut extra: Option<&Sentence> = None;
    for s in all.iter().filter(|s| s.source != best.source) {
        if s.text.chars().count() < MIN_SENTENCE_CHARS {
            continue;
        }
        let gain = score(s, &covered)
            - if s.source == sources[0].n {
                FIRST_SOURCE_BONUS
            } else {
                0.0
            };
        if gain > 0.0 && extra.is_none_or(|e| gain > score(e, &covered)) {
            extra = Some(s);
        }
    }
    let mut parts = vec![format!(
        "{} [{}]",
        chosen
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        best.source
    )];
    if let Some(e) = extra
        && length + e.text.chars().count() < max_chars
    {
        covered.extend(e.terms.iter().cloned());
        parts.push(format!("{} [{}]", e.text, e.source));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
            &[
                Passages {
                    n: 1,
                    texts: &first,
                },
                Passages {
                    n: 2,
                    texts: &second,
                },
            ],
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
    fn another_source_adds_only_new_terms() {
        let first = vec!["Laptops are shipped to your home address by IT.".to_owned()];
        let second =
            vec!["Monitors for remote staff are ordered through the equipment form.".to_owned()];
        let answer = extract(
            "how do i get a laptop and a monitor",
            &[
                Passages {
                    n: 1,
                    texts: &first,
                },
                Passages {
                    n: 2,
                    texts: &second,
                },
            ],
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
