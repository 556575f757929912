//! Per-key request budgets (GCRA, through `governor`): sign-in attempts per account, per
//! account and client, and per client; visitor tokens and chat messages per client and per
//! visitor. A refusal is a 429 with `Retry-After`, decided before any account is looked
//! up, so it reveals nothing. And the progressive delay after failed sign-ins.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

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
        Self::with(Quota::per_minute(burst))
    }

    /// `per_hour` requests an hour per key, all of which may come at once.
    pub fn per_hour(per_hour: u32) -> Self {
        let burst = NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        Self::with(Quota::per_hour(burst))
    }

    fn with(quota: Quota) -> Self {
        Self {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
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

/// Failed sign-ins per account and client: after `free` failures in a row each further
/// attempt from that client waits twice as long as the last (1 s, 2 s, 4 s … up to
/// `max_delay`). Keyed on the pair, a stranger's guesses slow the stranger down and never
/// lock the account's owner out; guessing from many addresses is capped by the
/// per-account budget instead.
pub struct LoginFailures {
    free: u32,
    max_delay: Duration,
    entries: Mutex<HashMap<String, Failures>>,
}

struct Failures {
    count: u32,
    not_before: Instant,
}

impl LoginFailures {
    pub fn new(free: u32, max_delay: Duration) -> Self {
        Self {
            free: free.max(1),
            max_delay: max_delay.max(Duration::from_secs(1)),
            entries: Mutex::default(),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// 429 while the pair must still wait.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        let now = Instant::now();
        match self.entries().get(key) {
            Some(f) if f.not_before > now => Err(AppError::RateLimited {
                // Rounded up: a client that waits what it is told is let in.
                retry_after_secs: u64::try_from((f.not_before - now).as_millis().div_ceil(1000))
                    .unwrap_or(u64::MAX)
                    .max(1),
            }),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, key: &str) {
        let now = Instant::now();
        let mut entries = self.entries();
        if entries.len() > TRACKED_KEYS_BEFORE_CLEANUP {
            let horizon = self.max_delay;
            entries.retain(|_, f| f.not_before + horizon > now);
        }
        let entry = entries.entry(key.to_owned()).or_insert(Failures {
            count: 0,
            not_before: now,
        });
        entry.count = entry.count.saturating_add(1);
        if entry.count >= self.free {
            let doublings = (entry.count - self.free).min(30);
            let delay = Duration::from_secs(1u64 << doublings).min(self.max_delay);
            entry.not_before = now + delay;
        }
    }

    pub fn succeeded(&self, key: &str) {
        self.entries().remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_beyond_the_free_ones_wait_longer_each_time() {
        let failures = LoginFailures::new(3, Duration::from_secs(900));
        for _ in 0..2 {
            failures.failed("acme\nann\n198.51.100.7");
            failures
                .check("acme\nann\n198.51.100.7")
                .expect("still free");
        }
        failures.failed("acme\nann\n198.51.100.7");
        let Err(AppError::RateLimited {
            retry_after_secs: first,
        }) = failures.check("acme\nann\n198.51.100.7")
        else {
            panic!("expected a delay");
        };
        failures.failed("acme\nann\n198.51.100.7");
        let Err(AppError::RateLimited {
            retry_after_secs: second,
        }) = failures.check("acme\nann\n198.51.100.7")
        else {
            panic!("expected a delay");
        };
        assert!(second > first, "{first} then {second}");
        // The owner, elsewhere, is not slowed; a success forgets the failures.
        failures
            .check("acme\nann\n203.0.113.1")
            .expect("another client");
        failures.succeeded("acme\nann\n198.51.100.7");
        failures
            .check("acme\nann\n198.51.100.7")
            .expect("forgotten");
    }

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
