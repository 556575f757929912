//! Personal data out of text before it is stored with a chat or reaches a language model:
//! e-mail addresses, payment card numbers (Luhn-checked), US social security numbers,
//! phone numbers and IP addresses become typed placeholders such as `[EMAIL]`.
//!
//! Patterns, not a model: they are predictable, fast, and what a reviewer can audit. Names
//! and street addresses are not caught; the docs say so.

use std::sync::LazyLock;

use regex::{Captures, Regex};

struct Rule {
    label: &'static str,
    /// The type's name in measurements (`helpdesk eval pii`).
    kind: &'static str,
    pattern: Regex,
    /// A second look at a match the pattern alone cannot settle (checksums, digit counts).
    accept: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

fn digits(text: &str) -> Vec<u32> {
    text.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// Card numbers have 13–19 digits and a valid Luhn checksum; other long numbers (order
/// ids, timestamps) stay.
fn luhn_valid(text: &str) -> bool {
    let digits = digits(text);
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if !i.is_multiple_of(2) {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A phone number has 7–15 digits (E.164); shorter runs are versions, counts or prices.
fn phone_like(text: &str) -> bool {
    (7..=15).contains(&digits(text).len())
}

fn ipv4(text: &str) -> bool {
    text.split('.').all(|part| part.parse::<u8>().is_ok())
}

// Order matters: cards before phones (a spaced card number also looks like a phone), SSNs
// before phones.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let rule = |label, pattern: &str, accept| Rule {
        label,
        kind: match label {
            "CARD" => "CREDIT_CARD",
            "IP" => "IP_ADDRESS",
            other => other,
        },
        pattern: Regex::new(pattern).unwrap_or_else(|e| panic!("redaction pattern {label}: {e}")),
        accept,
    };
    vec![
        rule(
            "EMAIL",
            r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
            always,
        ),
        rule("CARD", r"\b\d(?:[ -]?\d){12,18}\b", luhn_valid),
        rule("SSN", r"\b\d{3}-\d{2}-\d{4}\b", always),
        rule("IP", r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b", ipv4),
        rule(
            "PHONE",
            r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?)?\b\d{2,4}(?:[ .-]\d{2,4}){1,4}\b|\+\d{7,15}\b",
            phone_like,
        ),
    ]
});

/// `text` with personal data replaced, and how many replacements were made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub replaced: usize,
}

pub fn redact(text: &str) -> Redacted {
    let mut current = text.to_owned();
    let mut replaced = 0;
    for rule in RULES.iter() {
        let next = rule
            .pattern
            .replace_all(&current, |caps: &Captures<'_>| {
                let found = &caps[0];
                if (rule.accept)(found) {
                    replaced += 1;
                    format!("[{}]", rule.label)
                } else {
                    found.to_owned()
                }
            })
            .into_owned();
        current = next;
    }
    Redacted {
        text: current,
        replaced,
    }
}

/// A span of personal data: its type and where it is, in Unicode code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
}

/// The spans [`redact`] would replace, in the order of the text. Rules apply in the same
/// order as there, and a span an earlier rule took is not taken again.
pub fn detect(text: &str) -> Vec<Detected> {
    let mut taken: Vec<(usize, usize, &'static str)> = Vec::new();
    for rule in RULES.iter() {
        for found in rule.pattern.find_iter(text) {
            let (start, end) = (found.start(), found.end());
            let overlaps = taken.iter().any(|&(s, e, _)| start < e && s < end);
            if !overlaps && (rule.accept)(found.as_str()) {
                taken.push((start, end, rule.kind));
            }
        }
    }
    taken.sort_unstable();
    let chars = |byte: usize| text[..byte].chars().count();
    taken
        .into_iter()
        .map(|(start, end, kind)| Detected {
            kind,
            start: chars(start),
            end: chars(end),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> String {
        redact(text).text
    }

    #[test]
    fn emails_cards_ssns_phones_and_ips_are_replaced() {
        assert_eq!(
            r("mail me at Jane.Doe+help@example.co.uk please"),
            "mail me at [EMAIL] please"
        );
        assert_eq!(r("card 4111 1111 1111 1111 expired"), "card [CARD] expired");
        assert_eq!(r("card 4111-1111-1111-1111"), "card [CARD]");
        assert_eq!(r("my ssn is 123-45-6789"), "my ssn is [SSN]");
        assert_eq!(r("call +1 (202) 555-0143 now"), "call [PHONE] now");
        assert_eq!(r("call 202-555-0143"), "call [PHONE]");
        assert_eq!(r("call +442071838750"), "call [PHONE]");
        assert_eq!(r("from 10.0.12.7 today"), "from [IP] today");
    }

    #[test]
    fn ordinary_numbers_stay() {
        for text in [
            "order 1234567890123 arrived",
            "version 1.2.3 of the app",
            "I need 2 monitors and 3 cables",
            "room 4-120 at 10:30",
            "the year 2024",
            "999.1.1.1 is not an address",
        ] {
            assert_eq!(r(text), text, "{text}");
        }
    }

    #[test]
    fn detections_are_typed_spans_in_code_points() {
        let text = "é: a@b.io, 123-45-6789";
        let found = detect(text);
        let kinds: Vec<_> = found.iter().map(|d| d.kind).collect();
        assert_eq!(kinds, ["EMAIL", "SSN"]);
        let chars: Vec<char> = text.chars().collect();
        let email: String = chars[found[0].start..found[0].end].iter().collect();
        assert_eq!(email, "a@b.io");
    }

    #[test]
    fn counts_replacements() {
        let out = redact("a@b.io and c@d.io, 123-45-6789");
        assert_eq!(out.replaced, 3);
        assert_eq!(out.text, "[EMAIL] and [EMAIL], [SSN]");
    }
}
