//! What a visitor's message is: trimmed, bounded text, and whether it asks for a person.

use std::sync::LazyLock;

use regex::Regex;

use crate::error::AppError;
use crate::validation::{Fields, Invalid, TextRule, has_control_characters};

/// As long as `chat.max_message_chars` allows.
pub const MESSAGE_RULE: TextRule = TextRule::visible();

/// The string rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("ChatTurn", "message", MESSAGE_RULE),
    ("RatingBody", "comment", crate::feedback::COMMENT_RULE),
];

/// A visitor asking for a person rather than an answer.
static WANTS_HUMAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(talk|speak|chat|connect|transfer|put)\b.{0,20}\b(human|person|agent|someone|somebody|representative|operator|staff)\b|\b(human|real person|live agent)\s*(please|pls)?\s*[.!?]*$",
    )
    .unwrap_or_else(|e| panic!("handoff pattern: {e}"))
});

pub fn wants_human(text: &str) -> bool {
    WANTS_HUMAN.is_match(text.trim())
}

/// A visitor's message, trimmed and at most `max_chars` long.
pub fn parse_message(max_chars: usize, text: &str) -> Result<String, AppError> {
    let trimmed = text.trim();
    let mut fields = Fields::new();
    if trimmed.is_empty() {
        fields.add("text", Invalid::new("empty", "a message needs some text"));
    } else if trimmed.chars().count() > max_chars {
        fields.add(
            "text",
            Invalid::new(
                "too_long",
                format!("a message is at most {max_chars} characters"),
            ),
        );
    } else if has_control_characters(trimmed) {
        fields.add(
            "text",
            Invalid::new(
                "control_characters",
                "a message cannot hold control characters",
            ),
        );
    }
    fields.finish()?;
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_rule_holds() {
        crate::validation::assert_rule_accepts(MESSAGE_RULE, |s| {
            parse_message(usize::MAX, s).is_ok()
        });
    }

    #[test]
    fn requests_for_a_person_are_recognised() {
        for text in [
            "can I talk to a human?",
            "I want to speak with someone",
            "connect me to an agent please",
            "human please",
            "Real person!",
        ] {
            assert!(wants_human(text), "{text}");
        }
        for text in [
            "how do I reset my password",
            "what is the human resources phone number",
            "who is the agent for travel bookings",
        ] {
            assert!(!wants_human(text), "{text}");
        }
    }

    #[test]
    fn messages_are_trimmed_and_bounded() {
        assert_eq!(parse_message(5, "  hi  ").ok().as_deref(), Some("hi"));
        assert!(parse_message(5, "   ").is_err());
        assert!(parse_message(5, "toolong").is_err());
        assert!(parse_message(50, "line one\n\tline two").is_ok());
        for text in [
            "nul\u{0} byte",
            "\u{1b}[2Jcleared",
            "bell\u{7}",
            "c1\u{85}x",
        ] {
            let Err(AppError::Validation { fields, .. }) = parse_message(50, text) else {
                panic!("{text:?} was accepted");
            };
            assert_eq!(fields[0].code, "control_characters", "{text:?}");
        }
    }
}
