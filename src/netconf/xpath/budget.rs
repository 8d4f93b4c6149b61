//! The work one evaluation may do. Every node an axis visits, every
//! predicate and function call, and every 64 characters a string function
//! handles cost one step. Past the step limit or the deadline the
//! evaluation fails with [`XPathError::TooCostly`]; when the session that
//! asked goes away, or the agent shuts down, it fails with
//! [`XPathError::Cancelled`]. Both are checked every [`CHECK_EVERY`] steps,
//! so a stopped evaluation ends within microseconds.

use super::XPathError;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Steps between two looks at the clock and the cancellation flags.
pub const CHECK_EVERY: u64 = 256;

/// Set once when the agent begins to shut down: every evaluation then
/// stops at its next check, whatever session it serves.
static SHUTDOWN: AtomicBool = AtomicBool::new(false);

/// Stop every XPath evaluation, now and from now on (agent shutdown).
pub fn shut_down() {
    SHUTDOWN.store(true, Ordering::Relaxed);
}

/// Which bound an evaluation ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Steps(u64),
    Time(Duration),
}

#[derive(Debug)]
pub struct Budget {
    max_steps: u64,
    used: u64,
    next_check: u64,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// At most `max_steps` steps and, when given, `timeout` of wall time
    /// from now; `cancel` turns true when the requester is gone.
    pub fn new(
        max_steps: u64,
        timeout: Option<Duration>,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Budget {
        Budget {
            max_steps,
            used: 0,
            next_check: CHECK_EVERY,
            timeout,
            deadline: timeout.map(|t| Instant::now() + t),
            cancel,
        }
    }

    /// Steps spent so far.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// Spend `n` steps.
    #[inline]
    pub fn spend(&mut self, n: u64) -> Result<(), XPathError> {
        self.used = self.used.saturating_add(n);
        if self.used > self.max_steps {
            return Err(XPathError::TooCostly(Limit::Steps(self.max_steps)));
        }
        if self.used >= self.next_check {
            self.next_check = self.used + CHECK_EVERY;
            self.check()?;
        }
        Ok(())
    }

    /// Look at the deadline and the cancellation flags now.
    pub fn check(&self) -> Result<(), XPathError> {
        if SHUTDOWN.load(Ordering::Relaxed)
            || self
                .cancel
                .as_ref()
                .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(XPathError::Cancelled);
        }
        if let (Some(deadline), Some(timeout)) = (self.deadline, self.timeout)
            && Instant::now() >= deadline
        {
            return Err(XPathError::TooCostly(Limit::Time(timeout)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_run_out() {
        let mut b = Budget::new(1000, None, None);
        assert!(b.spend(1000).is_ok());
        assert_eq!(b.spend(1), Err(XPathError::TooCostly(Limit::Steps(1000))));
    }

    #[test]
    fn a_cancelled_budget_stops_at_the_next_check() {
        let flag = Arc::new(AtomicBool::new(false));
        let mut b = Budget::new(u64::MAX, None, Some(flag.clone()));
        for _ in 0..CHECK_EVERY * 2 {
            b.spend(1).unwrap();
        }
        flag.store(true, Ordering::Relaxed);
        let stopped = (0..=CHECK_EVERY).find_map(|_| b.spend(1).err());
        assert_eq!(stopped, Some(XPathError::Cancelled));
    }

    #[test]
    fn a_passed_deadline_is_too_costly() {
        let mut b = Budget::new(u64::MAX, Some(Duration::ZERO), None);
        let stopped = (0..=CHECK_EVERY).find_map(|_| b.spend(1).err());
        assert_eq!(
            stopped,
            Some(XPathError::TooCostly(Limit::Time(Duration::ZERO)))
        );
    }
}
