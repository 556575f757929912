//! The generative prompt: a fixed instruction and the numbered passages, small enough that
//! the local model reads it within the first-token budget.

use crate::llm::{ChatRequest, Message, Role};

pub const SYSTEM: &str = "You answer help desk questions using only the numbered sources. \
Cite the source of each fact as [1], [2] and so on. Keep it short. If the sources do not \
answer the question, say: I don't know.";

/// Phrases with which a model says the sources do not answer.
pub const DECLINES: &[&str] = &[
    "i don't know",
    "i do not know",
    "not covered",
    "do not answer",
    "don't have information",
    "do not have information",
    "no information",
    "cannot answer",
    "can't answer",
];

pub fn declines(answer: &str) -> bool {
    let lower = answer.to_lowercase().replace('’', "'");
    DECLINES.iter().any(|phrase| lower.contains(phrase))
}

/// Keeps whole words of `text` up to about `max_chars`.
pub fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    match cut.rfind(char::is_whitespace) {
        Some(space) => format!("{}…", cut[..space].trim_end()),
        None => format!("{cut}…"),
    }
}

/// `sources` are (number, title, passage text) with the text already budgeted.
pub fn request(
    question: &str,
    sources: &[(usize, &str, String)],
    max_tokens: usize,
) -> ChatRequest {
    let mut user = String::from("Sources:\n");
    for (n, title, text) in sources {
        user.push_str(&format!("[{n}] {title}: {text}\n"));
    }
    user.push_str(&format!("\nQuestion: {question}\nAnswer with citations:"));
    ChatRequest {
        messages: vec![
            Message {
                role: Role::System,
                content: SYSTEM.to_owned(),
            },
            Message {
                role: Role::User,
                content: user,
            },
        ],
        max_tokens,
        temperature: 0.0,
        top_p: None,
        stop: vec!["\nQuestion:".into(), "\nSources:".into()],
        seed: 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_whole_words() {
        assert_eq!(clip("reset your password now", 14), "reset your…");
        assert_eq!(clip("short", 14), "short");
    }

    #[test]
    fn declines_are_recognised() {
        assert!(declines("I don’t know."));
        assert!(declines("The sources do not answer this."));
        assert!(!declines("Open Okta and click reset [1]."));
    }

    #[test]
    fn the_prompt_numbers_its_sources() {
        let req = request(
            "q?",
            &[(1, "A", "alpha".into()), (2, "B", "beta".into())],
            50,
        );
        let user = &req.messages[1].content;
        assert!(user.contains("[1] A: alpha\n[2] B: beta\n"));
        assert!(user.ends_with("Question: q?\nAnswer with citations:"));
    }
}
