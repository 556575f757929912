use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::ticket;
use crate::error::AppError;
use crate::tenancy::{TenantId, UserId};
use crate::validation::{Fields, Invalid, TextRule, bounded_text, checked, string_enum};

crate::ids::uuid_newtype!(TicketId);

pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 20_000;

/// The string rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("CreateTicketBody", "subject", TicketSubject::RULE),
    ("CreateTicketBody", "body", TicketBody::RULE),
    ("CreateTicketBody", "queue", QueueName::RULE),
    ("PatchTicketBody", "queue", QueueName::RULE),
    ("CommentBody", "body", TicketBody::RULE),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSubject(String);

impl TicketSubject {
    pub const RULE: TextRule = TextRule::text(MAX_SUBJECT_CHARS);

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        bounded_text(raw, "subject", MAX_SUBJECT_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketBody(String);

impl TicketBody {
    pub const RULE: TextRule = TextRule::text(MAX_BODY_CHARS);

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        bounded_text(raw, "body", MAX_BODY_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueName(String);

impl QueueName {
    const MAX_CHARS: usize = 64;
    pub const RULE: TextRule = TextRule::pattern(1, Self::MAX_CHARS, "^[a-z0-9_-]+$");

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim();
        let ok = (1..=Self::MAX_CHARS).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(name.to_owned()))
        } else {
            Err(Invalid::new(
                "invalid_queue",
                "a queue name is 1-64 lowercase letters, digits, '-' or '_'",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_enum!(Status, "status", {
    Open => "open",
    Pending => "pending",
    Resolved => "resolved",
    Closed => "closed",
});

impl Priority {
    /// One level up; urgent stays urgent.
    pub fn raised(self) -> Self {
        match self {
            Self::Low => Self::Normal,
            Self::Normal => Self::High,
            Self::High | Self::Urgent => Self::Urgent,
        }
    }
}

string_enum!(Priority, "priority", {
    Low => "low",
    Normal => "normal",
    High => "high",
    Urgent => "urgent",
});

/// The lifecycle fields that must agree: a closed ticket has a `closed_at`, an open one
/// has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    pub status: Status,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What only staff choose when a ticket is opened: the queue (routing decides for
/// customers) and the `urgent` priority (it pages people and jumps every SLA).
pub fn check_customer_choices(priority: Option<&str>, queue: Option<&str>) -> Result<(), AppError> {
    let mut fields = Fields::new();
    if priority.is_some_and(|p| p.trim().eq_ignore_ascii_case("urgent")) {
        fields.add(
            "priority",
            Invalid::new("staff_only", "only staff open urgent tickets"),
        );
    }
    if queue.is_some() {
        fields.add(
            "queue",
            Invalid::new(
                "staff_only",
                "routing chooses the queue of a customer's ticket",
            ),
        );
    }
    fields.finish()
}

impl Lifecycle {
    pub fn check(status: Status, closed_at: Option<DateTime<Utc>>) -> Result<Self, Invalid> {
        match (status, closed_at) {
            (Status::Closed, None) => Err(Invalid::new(
                "required_when_closed",
                "a closed ticket needs closed_at",
            )),
            (Status::Open | Status::Pending, Some(_)) => Err(Invalid::new(
                "only_when_closed",
                "only a closed or resolved ticket has closed_at",
            )),
            _ => Ok(Self { status, closed_at }),
        }
    }
}

/// A ticket as a client (or an importer) sends it.
#[derive(Debug, Clone, Deserialize)]
pub struct NewTicket {
    pub requester_id: Uuid,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub queue: Option<String>,
    /// Imports may carry history; new tickets start open.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct CreateTicket {
    pub requester: UserId,
    pub subject: TicketSubject,
    pub body: TicketBody,
    pub priority: Priority,
    pub queue: QueueName,
    pub lifecycle: Lifecycle,
    /// The router's category and confidence, when it classified the ticket.
    pub category: Option<(String, f64)>,
    /// The agent routing chose.
    pub assignee: Option<UserId>,
    /// When a first response is due (the tenant's SLA for the priority).
    pub sla_due_at: Option<DateTime<Utc>>,
    /// When the ticket must be resolved by.
    pub resolution_due_at: Option<DateTime<Utc>>,
}

impl CreateTicket {
    pub fn parse(input: &NewTicket) -> Result<Self, AppError> {
        let mut fields = Fields::new();
        let subject = fields.check("subject", TicketSubject::parse(&input.subject));
        let body = fields.check("body", TicketBody::parse(&input.body));
        let priority = fields.check(
            "priority",
            input
                .priority
                .as_deref()
                .map_or(Ok(Priority::Normal), Priority::parse),
        );
        let queue = fields.check(
            "queue",
            QueueName::parse(input.queue.as_deref().unwrap_or("general")),
        );
        let status = fields.check(
            "status",
            input
                .status
                .as_deref()
                .map_or(Ok(Status::Open), Status::parse),
        );
        let lifecycle = match status {
            Some(status) => fields.check("closed_at", Lifecycle::check(status, input.closed_at)),
            None => None,
        };
        fields.finish()?;
        Ok(Self {
            requester: UserId(input.requester_id),
            subject: checked(subject)?,
            body: checked(body)?,
            priority: checked(priority)?,
            queue: checked(queue)?,
            lifecycle: checked(lifecycle)?,
            category: None,
            assignee: None,
            sla_due_at: None,
            resolution_due_at: None,
        })
    }
}

/// An agent's open tickets and when they were last given one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Workload {
    pub open: u64,
    pub last_assigned: Option<DateTime<Utc>>,
}

/// Narrowing filters for listing a tenant's tickets.
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    pub status: Option<Status>,
    pub queue: Option<String>,
    pub assignee: Option<UserId>,
    pub requester: Option<UserId>,
    /// Cursor: only tickets numbered below this (lists run newest first).
    pub before_number: Option<i64>,
}

/// Changes to a ticket's workflow fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketPatch {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    /// `Some(None)` unassigns.
    pub assignee: Option<Option<UserId>>,
    pub queue: Option<QueueName>,
}

string_enum!(Visibility, "visibility", {
    Public => "public",
    Internal => "internal",
});

/// History entries the requester never reads: agents' notes and conversation summaries.
pub const INTERNAL_KINDS: &[&str] = &["note", "summary"];

/// An internal note that names someone (`@name`), as their console lists it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MentionView {
    pub event_id: Uuid,
    pub ticket_id: TicketId,
    pub ticket_number: i64,
    pub ticket_subject: String,
    pub author_id: Option<UserId>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A comment or another event in a ticket's history.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TicketEventView {
    pub id: Uuid,
    pub ticket_id: TicketId,
    pub author_id: Option<UserId>,
    pub kind: String,
    /// Staff only: an internal note or a summary, never shown to the requester.
    pub internal: bool,
    pub body: Option<String>,
    pub data: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<crate::entity::ticket_event::Model> for TicketEventView {
    fn from(m: crate::entity::ticket_event::Model) -> Self {
        Self {
            id: m.id,
            ticket_id: TicketId(m.ticket_id),
            author_id: m.author_id.map(UserId),
            internal: INTERNAL_KINDS.contains(&m.kind.as_str()),
            kind: m.kind,
            body: m.body,
            data: m.data,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TicketView {
    pub id: TicketId,
    pub tenant_id: TenantId,
    pub number: i64,
    pub requester_id: UserId,
    pub assignee_id: Option<UserId>,
    pub queue: String,
    pub category: Option<String>,
    pub category_confidence: Option<f64>,
    pub status: Status,
    pub priority: Priority,
    pub subject: String,
    pub body: String,
    pub sla_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
    /// When staff first replied in public (a note does not count).
    pub first_response_at: Option<DateTime<Utc>>,
}

fn stored<T>(what: &str, result: Result<T, Invalid>) -> Result<T, AppError> {
    result.map_err(|e| AppError::Internal(anyhow::anyhow!("stored {what}: {e}")))
}

impl TryFrom<ticket::Model> for TicketView {
    type Error = AppError;

    fn try_from(m: ticket::Model) -> Result<Self, AppError> {
        Ok(Self {
            id: TicketId(m.id),
            tenant_id: TenantId(m.tenant_id),
            number: m.number,
            requester_id: UserId(m.requester_id),
            assignee_id: m.assignee_id.map(UserId),
            status: stored("status", Status::parse(&m.status))?,
            priority: stored("priority", Priority::parse(&m.priority))?,
            queue: m.queue,
            category: m.category,
            category_confidence: m.category_confidence,
            subject: m.subject,
            body: m.body,
            sla_due_at: m.sla_due_at,
            resolution_due_at: m.resolution_due_at,
            closed_at: m.closed_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
            version: m.version,
            first_response_at: m.first_response_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_rules_hold() {
        use crate::validation::assert_rule_accepts;
        assert_rule_accepts(TicketSubject::RULE, |s| TicketSubject::parse(s).is_ok());
        assert_rule_accepts(TicketBody::RULE, |s| TicketBody::parse(s).is_ok());
        assert_rule_accepts(QueueName::RULE, |s| QueueName::parse(s).is_ok());
    }

    fn new_ticket() -> NewTicket {
        NewTicket {
            requester_id: Uuid::new_v4(),
            subject: "VPN drops every hour".into(),
            body: "Since Monday.".into(),
            priority: None,
            queue: None,
            status: None,
            closed_at: None,
        }
    }

    #[test]
    fn defaults_are_open_normal_general() {
        let ticket = CreateTicket::parse(&new_ticket()).expect("valid");
        assert_eq!(ticket.priority, Priority::Normal);
        assert_eq!(ticket.queue.as_str(), "general");
        assert_eq!(ticket.lifecycle.status, Status::Open);
    }

    #[test]
    fn closed_without_closed_at_is_a_field_error() {
        let mut input = new_ticket();
        input.status = Some("closed".into());
        let Err(AppError::Validation { fields, .. }) = CreateTicket::parse(&input) else {
            panic!("expected a validation error");
        };
        assert_eq!(fields[0].field, "closed_at");
        assert_eq!(fields[0].code, "required_when_closed");

        input.closed_at = Some(Utc::now());
        assert!(CreateTicket::parse(&input).is_ok());
    }

    #[test]
    fn empty_subject_and_bad_priority_are_both_reported() {
        let mut input = new_ticket();
        input.subject = "   ".into();
        input.priority = Some("whenever".into());
        let Err(AppError::Validation { fields, .. }) = CreateTicket::parse(&input) else {
            panic!("expected a validation error");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["subject", "priority"]);
    }
}
