//! Tickets and their event history.

mod model;
mod routes;
mod service;

pub use model::{
    CreateTicket, Lifecycle, MAX_BODY_CHARS, MAX_SUBJECT_CHARS, NewTicket, Priority, QueueName,
    Status, TicketBody, TicketEventView, TicketFilter, TicketId, TicketPatch, TicketSubject,
    TicketView, Workload,
};
pub use routes::configure;
pub use service::{
    Escalation, MAX_PAGE, add_comment, agent_workload, awaiting_first_response, change_status,
    create_ticket, escalate_if_unanswered, get_ticket, list_events, list_tickets, update_ticket,
};
