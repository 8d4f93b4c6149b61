//! `message-buffer-budget-bytes`: one budget for the bytes of incoming
//! messages held across all sessions. A session holds budget for what its
//! decoder buffers beyond a small free allowance, from the message's first
//! bytes until it has been answered; a message that cannot get room within
//! [`WAIT`] is discarded and refused with `resource-denied`. So many large
//! messages at once cost at most the budget (times the parse overhead),
//! instead of their sum.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;

/// What each session may buffer without budget: ordinary requests never
/// wait.
pub const FREE_PER_SESSION: usize = 64 * 1024;

/// How long a message waits for budget that other sessions hold.
pub const WAIT: Duration = Duration::from_secs(2);

#[derive(Debug)]
struct Use {
    used: u64,
    limit: u64,
}

#[derive(Debug)]
pub struct MessageBudget {
    state: Mutex<Use>,
    freed: Notify,
}

/// One session's share of the budget; dropping it gives the share back.
#[derive(Debug)]
pub struct Hold {
    budget: Arc<MessageBudget>,
    held: u64,
}

impl MessageBudget {
    pub fn new(limit: u64) -> Arc<MessageBudget> {
        Arc::new(MessageBudget {
            state: Mutex::new(Use { used: 0, limit }),
            freed: Notify::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, Use> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new limit; what is held stays held.
    pub fn set_limit(&self, limit: u64) {
        self.state().limit = limit;
        self.freed.notify_waiters();
    }

    pub fn limit(&self) -> u64 {
        self.state().limit
    }

    /// Bytes held across sessions.
    pub fn used(&self) -> u64 {
        self.state().used
    }

    pub fn hold(self: &Arc<Self>) -> Hold {
        Hold {
            budget: self.clone(),
            held: 0,
        }
    }

    fn try_take(&self, n: u64) -> bool {
        let mut s = self.state();
        if s.used.saturating_add(n) <= s.limit {
            s.used += n;
            true
        } else {
            false
        }
    }

    fn give(&self, n: u64) {
        if n == 0 {
            return;
        }
        let mut s = self.state();
        s.used = s.used.saturating_sub(n);
        drop(s);
        self.freed.notify_waiters();
    }
}

impl Hold {
    /// Makes the share at least `bytes`, waiting up to `wait` for other
    /// sessions to give budget back; false if it could not.
    pub async fn grow_to(&mut self, bytes: usize, wait: Duration) -> bool {
        let bytes = bytes as u64;
        if bytes <= self.held {
            return true;
        }
        if bytes > self.budget.limit() {
            // Waiting would not help.
            return false;
        }
        let need = bytes - self.held;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let freed = self.budget.freed.notified();
            let mut freed = std::pin::pin!(freed);
            freed.as_mut().enable();
            if self.budget.try_take(need) {
                self.held = bytes;
                return true;
            }
            if tokio::time::timeout_at(deadline, freed).await.is_err() {
                return false;
            }
        }
    }

    /// Gives back all but `bytes` of the share.
    pub fn shrink_to(&mut self, bytes: usize) {
        let bytes = bytes as u64;
        if bytes < self.held {
            self.budget.give(self.held - bytes);
            self.held = bytes;
        }
    }

    pub fn held(&self) -> u64 {
        self.held
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.budget.give(self.held);
    }
}

/// Gives the memory of a large message back to the system: glibc keeps
/// freed heap memory in its arenas, so without this a burst of large
/// messages would leave the process that much larger for good.
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shares_add_up_to_the_limit_and_come_back() {
        let budget = MessageBudget::new(1000);
        let mut a = budget.hold();
        let mut b = budget.hold();
        assert!(a.grow_to(600, Duration::ZERO).await);
        assert!(!b.grow_to(600, Duration::ZERO).await);
        assert!(b.grow_to(400, Duration::ZERO).await);
        assert_eq!(budget.used(), 1000);
        a.shrink_to(100);
        assert_eq!(budget.used(), 500);
        assert!(b.grow_to(900, Duration::ZERO).await);
        drop(a);
        drop(b);
        assert_eq!(budget.used(), 0);
    }

    #[tokio::test]
    async fn a_waiting_share_gets_what_another_gives_back() {
        let budget = MessageBudget::new(1000);
        let mut a = budget.hold();
        assert!(a.grow_to(1000, Duration::ZERO).await);
        let mut b = budget.hold();
        let waiter = tokio::spawn(async move {
            let ok = b.grow_to(500, Duration::from_secs(30)).await;
            (ok, b.held())
        });
        tokio::task::yield_now().await;
        a.shrink_to(0);
        assert_eq!(waiter.await.unwrap(), (true, 500));
    }

    #[tokio::test]
    async fn a_lower_limit_refuses_new_shares() {
        let budget = MessageBudget::new(1000);
        budget.set_limit(10);
        assert!(!budget.hold().grow_to(11, Duration::ZERO).await);
    }
}
