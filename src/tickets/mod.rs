//! Tickets and their event history.

mod feed;
mod model;
pub mod people;
mod routes;
mod service;
mod sla;

pub use model::{
    CreateTicket, Lifecycle, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, NewTicket, Priority, QueueName,
    Status, TicketBody, TicketEventView, TicketFilter, TicketId, TicketPatch, TicketSubject,
    TicketView, Workload,
};
pub use routes::configure;
pub use service::{
    MAX_PAGE, add_comment, agent_workload, change_status, create_ticket, get_ticket, list_events,
    list_tickets, update_ticket,
};
pub use sla::{
    Breach, Escalation, OpenDeadlines, assign_if_unassigned, escalate_overdue, open_with_deadlines,
};
