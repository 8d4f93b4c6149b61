//! Reconnection with exponential backoff: after a failure a node is not
//! asked again until its delay has passed, so one dead node costs one
//! timeout per backoff period rather than one per collection.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    delay: Duration,
    retry_at: Option<Instant>,
    failures: u32,
}

impl Backoff {
    pub fn new(initial: Duration, max: Duration) -> Backoff {
        Backoff {
            initial,
            max,
            delay: initial,
            retry_at: None,
            failures: 0,
        }
    }

    /// Whether the node may be asked now.
    pub fn ready(&self, now: Instant) -> bool {
        self.retry_at.is_none_or(|t| now >= t)
    }

    pub fn succeeded(&mut self) {
        self.delay = self.initial;
        self.retry_at = None;
        self.failures = 0;
    }

    pub fn failed(&mut self, now: Instant) {
        self.failures += 1;
        self.retry_at = Some(now + self.delay);
        self.delay = (self.delay * 2).min(self.max);
    }

    /// Consecutive failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_to_the_cap_and_resets_on_success() {
        let t0 = Instant::now();
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(5));
        assert!(b.ready(t0));
        b.failed(t0);
        assert!(!b.ready(t0));
        assert!(b.ready(t0 + Duration::from_secs(1)));
        b.failed(t0);
        assert!(!b.ready(t0 + Duration::from_millis(1999)));
        b.failed(t0);
        b.failed(t0);
        assert!(b.ready(t0 + Duration::from_secs(5)), "capped at max");
        assert_eq!(b.failures(), 4);
        b.succeeded();
        assert!(b.ready(t0));
        b.failed(t0);
        assert!(
            b.ready(t0 + Duration::from_secs(1)),
            "back to the initial delay"
        );
    }
}
