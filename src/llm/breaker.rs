//! A circuit breaker for a remote model server: after `failures` failed calls in a row it
//! opens and refuses calls for `open_for`, then lets one probe through (half-open); the
//! probe's outcome closes it again or re-opens it. Refusing fast spares both the server
//! that is struggling and the callers who would wait for timeouts.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen,
}

pub struct CircuitBreaker {
    failures: u32,
    open_for: Duration,
    state: Mutex<State>,
}

impl CircuitBreaker {
    pub fn new(failures: u32, open_for: Duration) -> Self {
        Self {
            failures: failures.max(1),
            open_for,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value: a panic elsewhere cannot leave it half-written.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// May a call go out now? When not, how long until the breaker lets a probe through.
    pub fn permit(&self) -> Result<(), Duration> {
        let mut state = self.lock();
        match *state {
            State::Closed { .. } => Ok(()),
            State::Open { until } => {
                let now = Instant::now();
                if now >= until {
                    *state = State::HalfOpen;
                    Ok(())
                } else {
                    Err(until - now)
                }
            }
            // One probe is already out.
            State::HalfOpen => Err(Duration::from_secs(1)),
        }
    }

    pub fn on_success(&self) {
        *self.lock() = State::Closed { failures: 0 };
    }

    pub fn on_failure(&self) {
        let mut state = self.lock();
        *state = match *state {
            State::Closed { failures } if failures + 1 < self.failures => State::Closed {
                failures: failures + 1,
            },
            _ => State::Open {
                until: Instant::now() + self.open_for,
            },
        };
    }

    pub fn state_name(&self) -> &'static str {
        match *self.lock() {
            State::Closed { .. } => "closed",
            State::Open { until } if Instant::now() >= until => "half_open",
            State::Open { .. } => "open",
            State::HalfOpen => "half_open",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_consecutive_failures_and_closes_after_a_good_probe() {
        let breaker = CircuitBreaker::new(3, Duration::from_millis(30));
        breaker.on_failure();
        breaker.on_failure();
        breaker.on_success();
        breaker.on_failure();
        breaker.on_failure();
        assert_eq!(breaker.state_name(), "closed", "a success resets the count");
        breaker.on_failure();
        assert_eq!(breaker.state_name(), "open");
        assert!(breaker.permit().is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(breaker.permit().is_ok(), "one probe after the open period");
        assert!(breaker.permit().is_err(), "only one probe at a time");
        breaker.on_failure();
        assert_eq!(breaker.state_name(), "open", "a failed probe re-opens");
        std::thread::sleep(Duration::from_millis(40));
        assert!(breaker.permit().is_ok());
        breaker.on_success();
        assert_eq!(breaker.state_name(), "closed");
    }
}
