//! `max-sessions`: a slot is taken when a `netconf` subsystem starts and
//! given back when the session layer drops the stream, however the
//! session ended. The limit can change while sessions run: a lower one
//! ends nobody's session, it refuses new ones until enough have ended.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug)]
pub struct SessionLimit {
    max: AtomicU32,
    active: Arc<AtomicU32>,
}

/// Held by a running session's stream; dropping it frees the slot.
#[derive(Debug)]
pub(super) struct SessionSlot {
    active: Arc<AtomicU32>,
}

impl SessionLimit {
    pub fn new(max: u32) -> SessionLimit {
        SessionLimit {
            max: AtomicU32::new(max),
            active: Arc::new(AtomicU32::new(0)),
        }
    }

    /// A slot, or `None` when `max` sessions are already open.
    pub(super) fn try_acquire(&self) -> Option<SessionSlot> {
        let max = self.max();
        self.active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()
            .map(|_| SessionSlot {
                active: self.active.clone(),
            })
    }

    pub fn active(&self) -> u32 {
        self.active.load(Ordering::Acquire)
    }

    pub fn max(&self) -> u32 {
        self.max.load(Ordering::Acquire)
    }

    /// The limit for every later session.
    pub fn set_max(&self, max: u32) {
        self.max.store(max, Ordering::Release);
    }
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        self.active.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_out_at_max_and_come_back_on_drop() {
        let limit = SessionLimit::new(2);
        let a = limit.try_acquire().unwrap();
        let b = limit.try_acquire().unwrap();
        assert!(limit.try_acquire().is_none());
        assert_eq!(limit.active(), 2);
        drop(a);
        let c = limit.try_acquire().unwrap();
        assert!(limit.try_acquire().is_none());
        drop((b, c));
        assert_eq!(limit.active(), 0);
    }

    #[test]
    fn a_lower_limit_keeps_open_slots_and_refuses_until_below_it() {
        let limit = SessionLimit::new(3);
        let a = limit.try_acquire().unwrap();
        let b = limit.try_acquire().unwrap();
        limit.set_max(1);
        assert!(limit.try_acquire().is_none());
        drop(a);
        assert!(limit.try_acquire().is_none(), "still one open: the limit");
        drop(b);
        let c = limit.try_acquire().unwrap();
        limit.set_max(2);
        let d = limit.try_acquire().unwrap();
        assert_eq!(limit.active(), 2);
        drop((c, d));
    }
}
