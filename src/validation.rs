//! Collects every field error of an input before anything is written, so a client learns
//! all that is wrong with a request at once.

use crate::error::{AppError, FieldError};

/// Why one value was refused: a stable code and a readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The refusal as a request's only field error, where one value is checked alone.
    pub fn at(self, field: &str) -> AppError {
        AppError::validation(field, self.code, self.message)
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}

#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value, or records why it was refused under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.add(field, invalid);
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, invalid: Invalid) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: invalid.code.to_owned(),
            message: invalid.message,
        });
    }

    /// `Ok` when nothing was refused; otherwise one validation error listing every field.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let detail = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Err(AppError::Validation {
            detail,
            fields: self.0,
        })
    }
}

/// For the values `Fields::check` returned after `finish` succeeded: all are present.
pub fn checked<T>(value: Option<T>) -> Result<T, AppError> {
    value.ok_or_else(|| AppError::Internal(anyhow::anyhow!("validated field missing")))
}

/// A list's `limit`: `default` when absent, else 1 to `max`. Out of range is refused rather
/// than capped, so a client's mistaken `limit=0` or `limit=5000` is told, not reinterpreted.
pub fn page_limit(raw: Option<u64>, default: u64, max: u64) -> Result<u64, Invalid> {
    match raw {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Invalid::new("out_of_range", format!("limit is 1 to {max}"))),
    }
}

/// Whether `text` holds a control character other than tab, line feed and carriage return:
/// nothing a person types, a NUL that PostgreSQL cannot store in a text or JSON column, or an
/// escape sequence bound for a console or a log.
pub fn has_control_characters(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
}

/// Trims `raw` and checks its length in characters.
pub fn bounded_text(raw: &str, what: &str, max_chars: usize) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Invalid::new(
            "required",
            format!("{what} must not be empty"),
        ));
    }
    let chars = trimmed.chars().count();
    if chars > max_chars {
        return Err(Invalid::new(
            "too_long",
            format!("{what} is {chars} characters; at most {max_chars} are allowed"),
        ));
    }
    if has_control_characters(trimmed) {
        return Err(Invalid::new(
            "control_characters",
            format!("{what} contains control characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// What a request's string field may hold, as the OpenAPI document states it (JSON Schema's
/// `minLength`, `maxLength`, `pattern` and `format`), so that a client can check a value
/// before sending it. Each rule sits beside the parser it describes and is built from the
/// same numbers; a test per parser holds that every string the rule allows is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub min_chars: usize,
    pub max_chars: Option<usize>,
    pub pattern: Option<&'static str>,
    pub format: Option<&'static str>,
}

/// No control characters but tab, line feed and carriage return; blank is allowed.
pub const PLAIN_TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// Some character that is not white space, and anything else.
pub const NON_BLANK_PATTERN: &str = r"^[\s\S]*\S[\s\S]*$";

/// Some character that is neither white space nor a control character, and no control
/// characters but tab, line feed and carriage return: what [`bounded_text`] keeps. Written
/// in the syntax JSON Schema's ECMA-262 patterns, Rust's `regex` and Python's `re` share.
pub const VISIBLE_TEXT_PATTERN: &str = concat!(
    r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*",
    r"[^\s\u0000-\u001F\u007F-\u009F]",
    r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$",
);

impl TextRule {
    /// Any string of `min_chars` to `max_chars` characters.
    pub const fn between(min_chars: usize, max_chars: usize) -> Self {
        Self {
            min_chars,
            max_chars: Some(max_chars),
            pattern: None,
            format: None,
        }
    }

    /// What [`bounded_text`] accepts with `max_chars`.
    pub const fn text(max_chars: usize) -> Self {
        Self {
            min_chars: 1,
            max_chars: Some(max_chars),
            pattern: Some(VISIBLE_TEXT_PATTERN),
            format: None,
        }
    }

    /// What [`bounded_text`] accepts with `max_chars` where a blank value means none.
    pub const fn optional_text(max_chars: usize) -> Self {
        Self {
            min_chars: 0,
            max_chars: Some(max_chars),
            pattern: Some(PLAIN_TEXT_PATTERN),
            format: None,
        }
    }

    /// Any text, blank included, without control characters but tab, line feed and
    /// carriage return, as long as a setting allows.
    pub const fn plain() -> Self {
        Self {
            min_chars: 0,
            max_chars: None,
            pattern: Some(PLAIN_TEXT_PATTERN),
            format: None,
        }
    }

    /// Some text that is not all white space, without control characters but tab, line
    /// feed and carriage return, as long as a setting allows.
    pub const fn visible() -> Self {
        Self {
            min_chars: 1,
            max_chars: None,
            pattern: Some(VISIBLE_TEXT_PATTERN),
            format: None,
        }
    }

    /// Some text that is not all white space, as long as a setting allows.
    pub const fn non_blank() -> Self {
        Self {
            min_chars: 1,
            max_chars: None,
            pattern: Some(NON_BLANK_PATTERN),
            format: None,
        }
    }

    pub const fn pattern(min_chars: usize, max_chars: usize, pattern: &'static str) -> Self {
        Self {
            min_chars,
            max_chars: Some(max_chars),
            pattern: Some(pattern),
            format: None,
        }
    }

    pub const fn format(max_chars: usize, format: &'static str) -> Self {
        Self {
            min_chars: 1,
            max_chars: Some(max_chars),
            pattern: None,
            format: Some(format),
        }
    }
}

/// Any of the rules, for tables that mix them: a query parameter's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    Text(TextRule),
    Range(RangeRule),
    Items(ItemsRule),
}

/// A number's bounds, as the OpenAPI document states them (`minimum`, `exclusiveMinimum`,
/// `maximum`) and as the parser checks them: the same value does both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeRule {
    pub minimum: Option<f64>,
    /// Above this, not at it.
    pub exclusive_minimum: Option<f64>,
    pub maximum: Option<f64>,
}

impl RangeRule {
    pub const fn between(minimum: f64, maximum: f64) -> Self {
        Self {
            minimum: Some(minimum),
            exclusive_minimum: None,
            maximum: Some(maximum),
        }
    }

    /// What [`page_limit`] accepts with `max`.
    pub const fn page_limit(max: u64) -> Self {
        Self::between(1.0, max as f64)
    }

    pub const fn above(exclusive_minimum: f64, maximum: f64) -> Self {
        Self {
            minimum: None,
            exclusive_minimum: Some(exclusive_minimum),
            maximum: Some(maximum),
        }
    }

    /// Where the largest value is a setting.
    pub const fn at_least(minimum: f64) -> Self {
        Self {
            minimum: Some(minimum),
            exclusive_minimum: None,
            maximum: None,
        }
    }

    pub fn contains(&self, value: f64) -> bool {
        self.minimum.is_none_or(|m| value >= m)
            && self.exclusive_minimum.is_none_or(|m| value > m)
            && self.maximum.is_none_or(|m| value <= m)
    }
}

/// How many items a list may hold (`minItems`, `maxItems`), stated and checked alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemsRule {
    pub min_items: usize,
    pub max_items: Option<usize>,
}

impl ItemsRule {
    pub const fn between(min_items: usize, max_items: usize) -> Self {
        Self {
            min_items,
            max_items: Some(max_items),
        }
    }

    /// Where the largest count is a setting.
    pub const fn at_least(min_items: usize) -> Self {
        Self {
            min_items,
            max_items: None,
        }
    }

    pub fn contains(&self, count: usize) -> bool {
        count >= self.min_items && self.max_items.is_none_or(|m| count <= m)
    }
}

/// A closed set of lower-case names as an enum: `ALL`, `as_str`, and `parse` that reports
/// the allowed values as a field error.
macro_rules! string_enum {
    ($name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        // By hand: the derive does not see serde's renames through this macro's literals.
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {}

        impl $name {
            /// Every value, in the order declared.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::validation::Invalid> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw).ok_or_else(|| {
                    $crate::validation::Invalid::new(
                        concat!("invalid_", $what),
                        concat!($what, " must be one of: ", $($text, " "),+),
                    )
                })
            }
        }
    };
}

pub(crate) use string_enum;

/// Checks a [`TextRule`] against the parser it describes: every string the rule allows must
/// be accepted. Strings are drawn from the rule's pattern (and from any characters where it
/// has none) at lengths within its bounds, plus the longest and shortest values it allows.
#[cfg(test)]
pub(crate) fn assert_rule_accepts(rule: TextRule, accepts: impl Fn(&str) -> bool) {
    use std::cell::Cell;

    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    const CASES: u32 = 512;
    let pattern = rule
        .pattern
        .map(|p| regex::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}")));
    let allowed = |s: &str| {
        let chars = s.chars().count();
        chars >= rule.min_chars
            && rule.max_chars.is_none_or(|max| chars <= max)
            && pattern.as_ref().is_none_or(|p| p.is_match(s))
    };
    // proptest generates from a pattern without its anchors, which only say "whole string";
    // without a pattern, from any characters at the lengths the rule allows.
    let source = match rule.pattern {
        Some(p) => {
            let body = p.strip_prefix('^').and_then(|p| p.strip_suffix('$'));
            format!("(?s:{})", body.unwrap_or(p))
        }
        None => {
            let upper = rule
                .max_chars
                .unwrap_or(usize::MAX)
                .min(rule.min_chars + 64);
            format!("(?s:.{{{},{upper}}})", rule.min_chars)
        }
    };
    let strategy =
        proptest::string::string_regex(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
    // A fixed seed: the same strings on every run.
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: CASES,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let tried = Cell::new(0);
    let result = runner.run(&strategy, |s| {
        if allowed(&s) {
            tried.set(tried.get() + 1);
            prop_assert!(accepts(&s), "the rule allows {s:?}, the parser refuses it");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        tried.get() >= CASES / 4,
        "only {} of {CASES} generated strings are allowed by the rule",
        tried.get()
    );
    for len in [Some(rule.min_chars.max(1)), rule.max_chars] {
        let Some(len) = len else { continue };
        // The shortest and longest values, where one repeated character can be one.
        for c in ['a', '0', 'é'] {
            let s: String = std::iter::repeat_n(c, len).collect();
            if allowed(&s) {
                assert!(
                    accepts(&s),
                    "the rule allows {len} x {c:?}, the parser refuses it"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_item_counts_include_their_bounds_but_an_exclusive_minimum() {
        let range = RangeRule::between(0.0, 2.0);
        assert!(range.contains(0.0) && range.contains(2.0));
        assert!(!range.contains(-0.1) && !range.contains(2.1) && !range.contains(f64::NAN));
        let above = RangeRule::above(0.0, 1.0);
        assert!(!above.contains(0.0) && above.contains(1e-9) && above.contains(1.0));
        assert!(RangeRule::at_least(1.0).contains(1e12));
        let items = ItemsRule::between(1, 4);
        assert!(!items.contains(0) && items.contains(1) && items.contains(4) && !items.contains(5));
        assert!(ItemsRule::at_least(1).contains(usize::MAX));
    }

    #[test]
    fn the_text_rule_states_what_bounded_text_accepts() {
        assert_rule_accepts(TextRule::text(40), |s| bounded_text(s, "text", 40).is_ok());
        let visible = regex::Regex::new(VISIBLE_TEXT_PATTERN).expect("valid pattern");
        for refused in ["", " ", "\t\n", "\u{a0}", "a\u{0}b", "a\u{7f}"] {
            assert!(bounded_text(refused, "text", 40).is_err(), "{refused:?}");
            assert!(!visible.is_match(refused), "{refused:?}");
        }
        for kept in ["a", " a\tb\r\n", "élan", "\u{200b}"] {
            assert!(visible.is_match(kept), "{kept:?}");
        }
    }
}
