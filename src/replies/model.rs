use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::{canned_reply, ticket_macro};
use crate::error::AppError;
use crate::tenancy::UserId;
use crate::tickets::{Priority, QueueName, Status, Visibility};
use crate::validation::{Fields, Invalid, TextRule, bounded_text};

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_TEXT_CHARS: usize = 10_000;
const TITLE_RULE: TextRule = TextRule::text(MAX_TITLE_CHARS);
/// Placeholders are checked beyond it: `{{name}}` must name one of [`PLACEHOLDERS`].
const TEXT_RULE: TextRule = TextRule::text(MAX_TEXT_CHARS);

/// The string rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("NewCannedReply", "title", TITLE_RULE),
    ("NewCannedReply", "body", TEXT_RULE),
    ("CannedReplyPatch", "title", TITLE_RULE),
    ("CannedReplyPatch", "body", TEXT_RULE),
    ("NewMacro", "title", TITLE_RULE),
    ("NewMacro", "queue", QueueName::RULE),
    ("MacroReply", "body", TEXT_RULE),
];

/// The placeholders a reply may use; anything else in `{{…}}` is refused when it is saved.
pub const PLACEHOLDERS: &[&str] = &[
    "requester.name",
    "requester.email",
    "ticket.id",
    "ticket.subject",
    "agent.name",
];

/// What placeholders are filled with for one ticket and one agent.
#[derive(Debug, Clone, Default)]
pub struct Placeholders {
    pub requester_name: String,
    pub requester_email: String,
    /// The ticket's number, as requesters see it (`#42`).
    pub ticket_number: i64,
    pub ticket_subject: String,
    pub agent_name: String,
}

/// `text` with every known placeholder filled in; spaces inside the braces are allowed.
pub fn render(text: &str, values: &Placeholders) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let value = match after[..end].trim() {
            "requester.name" => Some(values.requester_name.clone()),
            "requester.email" => Some(values.requester_email.clone()),
            "ticket.id" => Some(format!("#{}", values.ticket_number)),
            "ticket.subject" => Some(values.ticket_subject.clone()),
            "agent.name" => Some(values.agent_name.clone()),
            _ => None,
        };
        match value {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A reply's text, bounded, with only known placeholders.
fn reply_text(raw: &str, field: &'static str) -> Result<String, Invalid> {
    let text = bounded_text(raw, field, MAX_TEXT_CHARS)?;
    let mut rest = text.as_str();
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let name = after[..end].trim();
        if !PLACEHOLDERS.contains(&name) {
            return Err(Invalid::new(
                "unknown_placeholder",
                format!(
                    "unknown placeholder {{{{{name}}}}}; use one of: {}",
                    PLACEHOLDERS.join(", ")
                ),
            ));
        }
        rest = &after[end + 2..];
    }
    Ok(text)
}

/// Who may see and change a reply or macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// Every agent of the tenant uses it; admins change it.
    Shared,
    /// One agent's own.
    Agent(UserId),
}

impl Owner {
    pub fn of(column: Option<Uuid>) -> Self {
        column.map_or(Self::Shared, |u| Self::Agent(UserId(u)))
    }

    pub fn column(self) -> Option<Uuid> {
        match self {
            Self::Shared => None,
            Self::Agent(u) => Some(u.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CannedReplyView {
    pub id: Uuid,
    pub title: String,
    /// The text as saved, placeholders and all.
    pub body: String,
    /// `body` filled in for the ticket asked about (`?ticket_id=`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rendered: Option<String>,
    /// Shared by the tenant; otherwise personal to `owner_id`.
    pub shared: bool,
    pub owner_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<canned_reply::Model> for CannedReplyView {
    fn from(m: canned_reply::Model) -> Self {
        Self {
            id: m.id,
            title: m.title,
            body: m.body,
            rendered: None,
            shared: m.owner_id.is_none(),
            owner_id: m.owner_id.map(UserId),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewCannedReply {
    pub title: String,
    pub body: String,
    /// Shared with every agent of the tenant (admins only); personal by default.
    #[serde(default)]
    pub shared: bool,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CannedReplyPatch {
    pub title: Option<String>,
    pub body: Option<String>,
}

/// A checked canned reply.
pub struct CannedReplyInput {
    pub title: Option<String>,
    pub body: Option<String>,
}

impl CannedReplyInput {
    pub fn parse(title: Option<&str>, body: Option<&str>) -> Result<Self, AppError> {
        let mut fields = Fields::new();
        let title = title.map(|t| fields.check("title", bounded_text(t, "title", MAX_TITLE_CHARS)));
        let body = body.map(|b| fields.check("body", reply_text(b, "body")));
        fields.finish()?;
        Ok(Self {
            title: title.flatten(),
            body: body.flatten(),
        })
    }
}

/// The reply a macro posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MacroReply {
    /// May use the placeholders canned replies use.
    pub body: String,
    /// An internal note instead of a public reply.
    #[serde(default)]
    pub internal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MacroView {
    pub id: Uuid,
    pub title: String,
    pub reply: Option<MacroReply>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub queue: Option<String>,
    pub assignee_id: Option<UserId>,
    pub shared: bool,
    pub owner_id: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<ticket_macro::Model> for MacroView {
    type Error = AppError;

    fn try_from(m: ticket_macro::Model) -> Result<Self, AppError> {
        let stored = |what: &str, value: &str| {
            AppError::Internal(anyhow::anyhow!("stored macro {what} {value:?}"))
        };
        let reply = match m.reply_body {
            Some(body) => Some(MacroReply {
                body,
                internal: m.reply_visibility.as_deref() == Some(Visibility::Internal.as_str()),
            }),
            None => None,
        };
        Ok(Self {
            id: m.id,
            title: m.title,
            reply,
            status: m
                .set_status
                .as_deref()
                .map(|s| Status::parse(s).map_err(|_| stored("status", s)))
                .transpose()?,
            priority: m
                .set_priority
                .as_deref()
                .map(|p| Priority::parse(p).map_err(|_| stored("priority", p)))
                .transpose()?,
            queue: m.set_queue,
            assignee_id: m.set_assignee.map(UserId),
            shared: m.owner_id.is_none(),
            owner_id: m.owner_id.map(UserId),
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// A macro as created or replaced: every field it sets (absent ones leave the ticket's
/// value alone).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewMacro {
    pub title: String,
    #[serde(default)]
    pub reply: Option<MacroReply>,
    #[serde(default)]
    #[schema(value_type = Option<Status>)]
    pub status: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Priority>)]
    pub priority: Option<String>,
    #[serde(default)]
    pub queue: Option<String>,
    #[serde(default)]
    pub assignee_id: Option<Uuid>,
    /// Shared with every agent of the tenant (admins only); personal by default.
    #[serde(default)]
    pub shared: bool,
}

/// A checked macro.
pub struct MacroInput {
    pub title: String,
    pub reply: Option<(String, Visibility)>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub queue: Option<QueueName>,
    pub assignee: Option<UserId>,
}

impl MacroInput {
    pub fn parse(raw: &NewMacro) -> Result<Self, AppError> {
        let mut fields = Fields::new();
        let title = fields.check("title", bounded_text(&raw.title, "title", MAX_TITLE_CHARS));
        let reply = raw.reply.as_ref().map(|r| {
            let body = fields.check("reply.body", reply_text(&r.body, "body"));
            let visibility = if r.internal {
                Visibility::Internal
            } else {
                Visibility::Public
            };
            body.map(|b| (b, visibility))
        });
        let status = raw
            .status
            .as_deref()
            .map(|s| fields.check("status", Status::parse(s)));
        let priority = raw
            .priority
            .as_deref()
            .map(|p| fields.check("priority", Priority::parse(p)));
        let queue = raw
            .queue
            .as_deref()
            .map(|q| fields.check("queue", QueueName::parse(q)));
        let does_something = raw.reply.is_some()
            || raw.status.is_some()
            || raw.priority.is_some()
            || raw.queue.is_some()
            || raw.assignee_id.is_some();
        if !does_something {
            fields.add(
                "reply",
                Invalid::new(
                    "empty_macro",
                    "a macro posts a reply or changes a field (status, priority, queue, assignee)",
                ),
            );
        }
        fields.finish()?;
        Ok(Self {
            title: title.unwrap_or_default(),
            reply: reply.flatten(),
            status: status.flatten(),
            priority: priority.flatten(),
            queue: queue.flatten(),
            assignee: raw.assignee_id.map(UserId),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_rules_hold() {
        use crate::validation::assert_rule_accepts;
        assert_rule_accepts(TITLE_RULE, |s| {
            bounded_text(s, "title", MAX_TITLE_CHARS).is_ok()
        });
        assert_rule_accepts(TEXT_RULE, |s| reply_text(s, "body").is_ok());
    }

    fn values() -> Placeholders {
        Placeholders {
            requester_name: "Ada".into(),
            requester_email: "ada@example.com".into(),
            ticket_number: 42,
            ticket_subject: "VPN".into(),
            agent_name: "Sam".into(),
        }
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(
            render(
                "Hi {{requester.name}}, re {{ ticket.id }} — {{agent.name}} {{x}} {{",
                &values()
            ),
            "Hi Ada, re #42 — Sam {{x}} {{"
        );
    }

    #[test]
    fn unknown_placeholders_are_refused_when_saved() {
        assert!(reply_text("Hi {{requester.name}}", "body").is_ok());
        let err = reply_text("Hi {{customer.name}}", "body").expect_err("unknown");
        assert_eq!(err.code, "unknown_placeholder");
    }
}
