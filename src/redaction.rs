//! Personal data out of text before it is stored with a chat or reaches a language model:
//! e-mail addresses, IBANs (mod-97-checked), payment card numbers (Luhn-checked, any
//! separator), US social security numbers (bare nine digits only when announced as one),
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
    /// The capture group that is the personal data (0: the whole match). A keyword that
    /// announces the value ("SSN 123456789") is matched but kept.
    group: usize,
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

/// An IBAN: 15–34 letters and digits (spaces ignored) whose mod-97 check, with the first
/// four moved to the end and letters as 10–35, is 1.
fn iban_valid(text: &str) -> bool {
    let compact: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder = 0u32;
    for c in tail.iter().chain(head) {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder == 1
}

fn ipv4(text: &str) -> bool {
    text.split('.').all(|part| part.parse::<u8>().is_ok())
}

// Order matters: IBANs before cards (an IBAN's digit groups can pass Luhn), cards before
// phones (a spaced card number also looks like a phone), SSNs before phones.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let in_group = |label, pattern: &str, accept, group| Rule {
        label,
        kind: match label {
            "CARD" => "CREDIT_CARD",
            "IP" => "IP_ADDRESS",
            other => other,
        },
        pattern: Regex::new(pattern).unwrap_or_else(|e| panic!("redaction pattern {label}: {e}")),
        accept,
        group,
    };
    let rule = |label, pattern: &str, accept| in_group(label, pattern, accept, 0);
    vec![
        rule(
            "EMAIL",
            r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
            always,
        ),
        rule(
            "IBAN",
            // Country, check digits, then the account in groups of four, spaced or not.
            r"(?i)\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b",
            iban_valid,
        ),
        // Any one separator between digits (space, dash, dot, slash), or two spaces.
        rule("CARD", r"\b\d(?:(?:[ ./-]| {2})?\d){12,18}\b", luhn_valid),
        rule("SSN", r"\b\d{3}[- ]\d{2}[- ]\d{4}\b", always),
        // Nine bare digits are an SSN only when the text says so.
        in_group(
            "SSN",
            r"(?i)\b(?:ssn|social security(?: number| no\.?)?|ss#)\W{0,5}(\d{9})\b",
            always,
            1,
        ),
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
                let whole = caps.get(0).map_or("", |m| m.as_str());
                let Some(value) = caps.get(rule.group) else {
                    return whole.to_owned();
                };
                if !(rule.accept)(value.as_str()) {
                    return whole.to_owned();
                }
                replaced += 1;
                let offset = caps.get(0).map_or(0, |m| m.start());
                let (before, after) = (value.start() - offset, value.end() - offset);
                format!("{}[{}]{}", &whole[..before], rule.label, &whole[after..])
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
        for caps in rule.pattern.captures_iter(text) {
            let Some(found) = caps.get(rule.group) else {
                continue;
            };
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
    fn ibans_other_card_separators_and_announced_ssns_are_replaced() {
        assert_eq!(r("IBAN DE89 3704 0044 0532 0130 00 ok"), "IBAN [IBAN] ok");
        assert_eq!(r("iban:GB82WEST12345698765432"), "iban:[IBAN]");
        assert_eq!(r("card 4111.1111.1111.1111"), "card [CARD]");
        assert_eq!(r("card 4111  1111  1111  1111"), "card [CARD]");
        assert_eq!(r("card 4111/1111/1111/1111"), "card [CARD]");
        assert_eq!(r("SSN: 123456789 on file"), "SSN: [SSN] on file");
        assert_eq!(r("ssn 123 45 6789"), "ssn [SSN]");
        // A wrong check digit is not an IBAN; nine digits without the word are not an SSN.
        assert_eq!(
            r("DE88 3704 0044 0532 0130 00"),
            "DE88 3704 0044 0532 0130 00"
        );
        assert_eq!(r("order 123456789 shipped"), "order 123456789 shipped");
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
