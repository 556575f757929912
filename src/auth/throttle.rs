//! Per-key request budgets (GCRA, through `governor`): sign-in attempts per account and per
//! client address, visitor tokens per client address. A refusal is a 429 with
//! `Retry-After`, decided before any account is looked up, so it reveals nothing.

use std::num::NonZeroU32;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::AppError;

/// Above this many tracked keys, forget the ones whose budget is full again.
const TRACKED_KEYS_BEFORE_CLEANUP: usize = 10_000;

pub struct Throttle {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl Throttle {
    /// `per_minute` requests a minute per key, all of which may come at once.
    pub fn per_minute(per_minute: u32) -> Self {
        let burst = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(burst)),
            clock: DefaultClock::default(),
        }
    }

    pub fn check(&self, key: &str) -> Result<(), AppError> {
        if self.limiter.len() > TRACKED_KEYS_BEFORE_CLEANUP {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                AppError::RateLimited {
                    retry_after_secs: wait.as_secs().max(1),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_budget_then_429() {
        let throttle = Throttle::per_minute(3);
        for _ in 0..3 {
            throttle.check("a").expect("within budget");
        }
        let Err(AppError::RateLimited { retry_after_secs }) = throttle.check("a") else {
            panic!("expected a rate limit");
        };
        assert!((1..=60).contains(&retry_after_secs));
        throttle.check("b").expect("other keys are independent");
    }
}
