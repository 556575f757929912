//! Admission to a bounded queue of model work: a request takes a slot (running or waiting)
//! or waits for one until a deadline, then is told to come back later. The slot travels
//! with the job and frees when the job is done.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::LlmError;

pub struct Admission {
    slots: Arc<Semaphore>,
    capacity: usize,
    workers: usize,
    wait: Duration,
    /// Moving average of a job's run time, for `Retry-After`.
    average_job_ms: AtomicU64,
}

impl Admission {
    pub fn new(capacity: usize, workers: usize, wait: Duration) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(capacity)),
            capacity,
            workers: workers.max(1),
            wait,
            average_job_ms: AtomicU64::new(1_000),
        }
    }

    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, LlmError> {
        match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_closed)) => Err(LlmError::Unavailable {
                message: "the model workers have stopped".into(),
                retry_after: None,
            }),
            Err(_elapsed) => Err(LlmError::Busy {
                retry_after: self.retry_after(),
            }),
        }
    }

    /// Records how long a job ran.
    pub fn record(&self, took: Duration) {
        let sample = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
        let old = self.average_job_ms.load(Ordering::Relaxed);
        self.average_job_ms
            .store((old * 7 + sample) / 8, Ordering::Relaxed);
    }

    /// When a full queue is likely to have room again: the time to work through it.
    pub fn retry_after(&self) -> Duration {
        let job = self.average_job_ms.load(Ordering::Relaxed);
        let queue_ms = job.saturating_mul(self.capacity as u64) / self.workers as u64;
        Duration::from_secs((queue_ms / 1000).clamp(1, 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_refuses_after_the_deadline_with_a_retry_hint() {
        let admission = Admission::new(1, 1, Duration::from_millis(20));
        let held = admission.enter().await.expect("first slot");
        admission.record(Duration::from_secs(9));
        match admission.enter().await {
            Err(LlmError::Busy { retry_after }) => assert!(retry_after >= Duration::from_secs(1)),
            other => panic!("expected Busy, got {other:?}"),
        }
        drop(held);
        assert!(admission.enter().await.is_ok(), "a freed slot is taken");
    }
}
