//! Tickets and their event history.

mod feed;
mod model;
pub mod people;
mod routes;
mod service;
mod sla;

pub use model::{
    CreateTicket, INTERNAL_KINDS, Lifecycle, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, MentionView,
    NewTicket, Priority, QueueName, Status, TEXT_RULES, TicketBody, TicketEventView, TicketFilter,
    TicketId, TicketPatch, TicketSubject, TicketView, Visibility, Workload,
};
pub use routes::{QUERY_RULES, configure, if_match_version};
pub use service::{
    MAX_PAGE, add_comment, add_summary, agent_workload, apply_patch, change_status, create_ticket,
    get_ticket, latest_summary, list_events, list_tickets, mentions_of, record_macro,
    record_rating, update_ticket,
};
pub use sla::{
    Breach, Escalation, OpenDeadlines, assign_if_unassigned, escalate_overdue, open_with_deadlines,
};
