//! Tickets and their event history.

mod model;
mod service;

pub use model::{
    CreateTicket, Lifecycle, NewTicket, Priority, QueueName, Status, TicketBody, TicketFilter,
    TicketId, TicketSubject, TicketView,
};
pub use service::{MAX_PAGE, change_status, create_ticket, get_ticket, list_tickets};
