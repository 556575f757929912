//! Conversation summaries for the agent who takes a ticket over: what the requester wants,
//! what the bot (or staff) already said and from which sources, and why a person is needed.
//! Extractive by default; written by the model when `rag.answer_mode` is generative or
//! auto, falling back to the extractive one if the model fails. The model only ever reads
//! the redacted transcript (the gateway redacts every prompt).

use std::time::Instant;

use serde::Serialize;
use tracing::instrument;

use super::Desk;
use crate::chat::{self, MessageView, Speaker, wants_human};
use crate::config::AnswerMode;
use crate::database::TenantTx;
use crate::error::AppError;
use crate::ids::TenantId;
use crate::tickets::{self, TicketEventView, TicketId, TicketView};

/// Longest generated summary, in tokens.
const SUMMARY_TOKENS: usize = 96;
/// Characters quoted from any one message.
const QUOTE_CHARS: usize = 160;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub text: String,
    /// `extractive` or `generated`.
    #[schema(value_type = String, examples("extractive", "generated"))]
    pub mode: &'static str,
    /// `chat` (the handed-off conversation) or `ticket` (its replies).
    #[schema(value_type = String, examples("chat", "ticket"))]
    pub source: &'static str,
    /// How long writing it took.
    pub elapsed_ms: f64,
    /// The summary as stored in the ticket's history (internal: staff only).
    pub event: TicketEventView,
}

fn clip(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= QUOTE_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(QUOTE_CHARS).collect();
    format!("{}…", cut.trim_end())
}

/// The titles a message cites, deduplicated, in order.
fn titles(message: &MessageView) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for source in &message.citations {
        if !seen.contains(&source.title.as_str()) {
            seen.push(&source.title);
        }
    }
    seen.join("; ")
}

/// Three lines from a chat: the ask, what the bot said, why it needs a person.
pub fn extract_chat(history: &[MessageView]) -> String {
    let questions: Vec<&MessageView> = history
        .iter()
        .filter(|m| m.role == Speaker::Visitor && !wants_human(&m.text))
        .collect();
    let mut lines = Vec::new();
    match questions.as_slice() {
        [] => lines.push("Wants: to talk to a person (asked nothing else).".to_owned()),
        [only] => lines.push(format!("Wants: {}", clip(&only.text))),
        [first, .., last] => lines.push(format!(
            "Wants: {} (then also: {})",
            clip(&first.text),
            clip(&last.text)
        )),
    }
    let bot: Vec<&MessageView> = history
        .iter()
        .filter(|m| m.role == Speaker::Assistant)
        .collect();
    let answered: Vec<&&MessageView> = bot
        .iter()
        .filter(|m| m.outcome.as_deref() == Some("answered"))
        .collect();
    let suggested: Vec<&&MessageView> = bot
        .iter()
        .filter(|m| m.outcome.as_deref() == Some("suggested"))
        .collect();
    if let Some(answer) = answered.last() {
        lines.push(format!(
            "Bot answered: \"{}\" (sources: {})",
            clip(&answer.text),
            titles(answer)
        ));
    } else if let Some(pages) = suggested.last() {
        lines.push(format!(
            "Bot had no confident answer; it suggested: {}",
            titles(pages)
        ));
    } else if bot.is_empty() {
        lines.push("Bot: did not answer (the visitor asked for a person first).".to_owned());
    } else {
        lines.push("Bot: found nothing in the knowledge base.".to_owned());
    }
    let asked_for_person = history
        .iter()
        .any(|m| m.role == Speaker::Visitor && wants_human(&m.text));
    let why = if asked_for_person {
        "the visitor asked for a person"
    } else if !answered.is_empty() {
        "the visitor wanted more than the bot's answer"
    } else if !suggested.is_empty() {
        "the bot was not sure the suggested pages answer it"
    } else {
        "the knowledge base does not cover it"
    };
    lines.push(format!("Handed off because: {why}."));
    lines.join("\n")
}

/// Lines from a ticket's own history: the ask, the latest from each side, where it stands.
pub fn extract_ticket(ticket: &TicketView, history: &[TicketEventView]) -> String {
    let first_line = ticket
        .body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut lines = vec![format!(
        "Wants: {} — {}",
        clip(&ticket.subject),
        clip(first_line)
    )];
    let replies: Vec<&TicketEventView> = history.iter().filter(|e| e.kind == "comment").collect();
    let from_requester = replies
        .iter()
        .rev()
        .find(|e| e.author_id == Some(ticket.requester_id));
    let from_staff = replies
        .iter()
        .rev()
        .find(|e| e.author_id.is_some() && e.author_id != Some(ticket.requester_id));
    if let Some(event) = from_requester {
        lines.push(format!(
            "Latest from the requester: {}",
            clip(event.body.as_deref().unwrap_or_default())
        ));
    }
    match from_staff {
        Some(event) => lines.push(format!(
            "Latest reply: {}",
            clip(event.body.as_deref().unwrap_or_default())
        )),
        None => lines.push("No reply yet.".to_owned()),
    }
    let notes = history.iter().filter(|e| e.kind == "note").count();
    lines.push(format!(
        "Status: {}, priority {}, {} replies, {} notes.",
        ticket.status.as_str(),
        ticket.priority.as_str(),
        replies.len(),
        notes
    ));
    lines.join("\n")
}

/// What a summary is written from.
enum Conversation<'a> {
    /// The chat the ticket came from.
    Chat(&'a [MessageView]),
    /// The ticket and its history, when it came from no chat.
    Ticket(&'a TicketView, &'a [TicketEventView]),
}

impl Conversation<'_> {
    fn source(&self) -> &'static str {
        match self {
            Self::Chat(_) => "chat",
            Self::Ticket(..) => "ticket",
        }
    }

    fn extract(&self) -> String {
        match self {
            Self::Chat(history) => extract_chat(history),
            Self::Ticket(ticket, history) => extract_ticket(ticket, history),
        }
    }

    /// The whole conversation as the model reads it.
    fn transcript(&self) -> String {
        match self {
            Self::Chat(history) => history
                .iter()
                .map(|m| {
                    let sources = titles(m);
                    if sources.is_empty() {
                        format!("{}: {}", m.role.as_str(), m.text)
                    } else {
                        format!("{}: {} [sources: {sources}]", m.role.as_str(), m.text)
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Self::Ticket(ticket, history) => {
                let mut lines = vec![
                    format!("subject: {}", ticket.subject),
                    format!("request: {}", ticket.body),
                ];
                lines.extend(history.iter().filter(|e| e.kind == "comment").map(|e| {
                    let who = if e.author_id == Some(ticket.requester_id) {
                        "customer"
                    } else {
                        "agent"
                    };
                    format!("{who}: {}", e.body.as_deref().unwrap_or_default())
                }));
                lines.join("\n")
            }
        }
    }
}

/// Whether a generated text loops instead of summarising: small local models tend to repeat
/// one phrase until they run out of tokens. Looping means some run of five words comes
/// back three times, or under half the words are distinct.
fn degenerate(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 12 {
        return false;
    }
    let distinct: std::collections::HashSet<&String> = words.iter().collect();
    if distinct.len() * 2 < words.len() {
        return true;
    }
    let mut runs: std::collections::HashMap<&[String], usize> = std::collections::HashMap::new();
    words.windows(5).any(|run| {
        let seen = runs.entry(run).or_default();
        *seen += 1;
        *seen >= 3
    })
}

/// The summary text in the configured mode, and the mode that wrote it. The transcript is
/// built only when the model is to read it.
async fn write(
    desk: Desk<'_>,
    tenant: TenantId,
    conversation: &Conversation<'_>,
) -> (String, &'static str) {
    if desk.rag.mode() == AnswerMode::Extractive {
        return (conversation.extract(), "extractive");
    }
    match desk
        .rag
        .summarize(tenant, &conversation.transcript(), SUMMARY_TOKENS)
        .await
    {
        Ok(text) if !text.is_empty() && !degenerate(&text) => (text, "generated"),
        Ok(_) => {
            tracing::info!(
                "the model's summary was empty or repetitive; the extractive one stands in"
            );
            (conversation.extract(), "extractive")
        }
        Err(e) => {
            tracing::warn!(error = %e, "summary model failed; the extractive summary stands in");
            (conversation.extract(), "extractive")
        }
    }
}

/// A fresh summary of `ticket`, from its chat when it came from one, else from its
/// replies; stored in its history as an internal `summary` event.
#[instrument(skip_all, fields(tenant = %tenant, ticket = %ticket))]
pub async fn summarize_ticket(
    desk: Desk<'_>,
    tenant: TenantId,
    ticket: TicketId,
) -> Result<Summary, AppError> {
    let started = Instant::now();
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let found = tickets::get_ticket(&tx, ticket).await?;
    let summary = match chat::session_of_ticket(&tx, ticket).await? {
        Some(session) => {
            let history = chat::history(&tx, session).await?;
            tx.commit().await?;
            store(desk, tenant, ticket, &Conversation::Chat(&history), started).await?
        }
        None => {
            let history = tickets::list_events(&tx, ticket, true, true).await?;
            tx.commit().await?;
            let conversation = Conversation::Ticket(&found, &history);
            store(desk, tenant, ticket, &conversation, started).await?
        }
    };
    Ok(summary)
}

/// The summary a handoff leaves on its new ticket, from the chat the handoff already read.
#[instrument(skip_all, fields(tenant = %tenant, ticket = %ticket))]
pub async fn summarize_handoff(
    desk: Desk<'_>,
    tenant: TenantId,
    ticket: TicketId,
    history: &[MessageView],
) -> Result<Summary, AppError> {
    store(
        desk,
        tenant,
        ticket,
        &Conversation::Chat(history),
        Instant::now(),
    )
    .await
}

/// Writes the summary (no transaction open while a model writes) and stores it.
async fn store(
    desk: Desk<'_>,
    tenant: TenantId,
    ticket: TicketId,
    conversation: &Conversation<'_>,
    started: Instant,
) -> Result<Summary, AppError> {
    let (text, mode) = write(desk, tenant, conversation).await;
    let source = conversation.source();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let tx = TenantTx::begin(desk.db(), tenant).await?;
    let event = tickets::add_summary(
        &tx,
        ticket,
        &text,
        serde_json::json!({"mode": mode, "source": source, "elapsed_ms": elapsed_ms}),
    )
    .await?;
    tx.commit().await?;
    Ok(Summary {
        text,
        mode,
        source,
        elapsed_ms,
        event,
    })
}

#[cfg(test)]
mod tests {
    use super::degenerate;

    #[test]
    fn looping_text_is_degenerate() {
        assert!(degenerate(
            "You're the one who took it over. You're not the one who took it over. You're the one who took it over. You're the one who took it over."
        ));
        assert!(!degenerate(
            "The customer cannot sign in to the VPN since yesterday and their laptop was stolen. The bot found nothing in the knowledge base, so a person should reset the VPN token and start the stolen-device procedure."
        ));
        assert!(!degenerate("Short summary."));
    }
}
