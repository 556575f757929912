//! What one visitor (or one client address) may ask of the chat: messages a minute, over
//! REST and WebSocket alike; sockets open at once; sessions opened and tickets opened by
//! handoff an hour. Each refusal is a 429 with `Retry-After` (an `error` frame with code
//! `rate_limited` on a socket). Budgets live in this process: behind several replicas a
//! client gets each replica's budget, which still bounds it.

use uuid::Uuid;

use crate::auth::Throttle;
use crate::config::ChatSettings;
use crate::error::AppError;
use crate::slots::{Slot, Slots};

pub struct ChatLimits {
    messages_per_visitor: Throttle,
    messages_per_client: Throttle,
    sessions_per_visitor: Throttle,
    handoffs_per_visitor: Throttle,
    sockets: Slots<Uuid>,
}

/// One open socket of a visitor; the count goes down when it drops.
pub type SocketSlot = Slot<Uuid>;

impl ChatLimits {
    pub fn new(settings: &ChatSettings) -> Self {
        Self {
            messages_per_visitor: Throttle::per_minute(settings.messages_per_minute),
            messages_per_client: Throttle::per_minute(settings.messages_per_minute_per_address),
            sessions_per_visitor: Throttle::per_hour(settings.sessions_per_hour),
            handoffs_per_visitor: Throttle::per_hour(settings.handoffs_per_hour),
            // Only the per-visitor cap matters; every socket holds a place for its life.
            sockets: Slots::new(settings.max_sockets_per_visitor, usize::MAX),
        }
    }

    /// One more message (a question, a handoff request, a resume) from `visitor` at
    /// `client`.
    pub fn message(&self, visitor: Uuid, client: &str) -> Result<(), AppError> {
        self.messages_per_client.check(client)?;
        self.messages_per_visitor.check(&visitor.to_string())
    }

    pub fn new_session(&self, visitor: Uuid) -> Result<(), AppError> {
        self.sessions_per_visitor.check(&visitor.to_string())
    }

    pub fn new_handoff(&self, visitor: Uuid) -> Result<(), AppError> {
        self.handoffs_per_visitor.check(&visitor.to_string())
    }

    /// A slot for one more socket of `visitor`, held while the socket is open.
    pub fn open_socket(&self, visitor: Uuid) -> Result<SocketSlot, AppError> {
        self.sockets.take(&visitor).ok_or(AppError::RateLimited {
            retry_after_secs: 5,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockets_are_counted_per_visitor_and_given_back() {
        let limits = ChatLimits::new(&ChatSettings {
            max_sockets_per_visitor: 2,
            ..ChatSettings::default()
        });
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let first = limits.open_socket(a).expect("one");
        let _second = limits.open_socket(a).expect("two");
        assert!(limits.open_socket(a).is_err(), "a third socket");
        limits.open_socket(b).expect("another visitor");
        drop(first);
        limits.open_socket(a).expect("a slot came back");
    }
}
