//! `max-sessions`, `max-sessions-per-user` and `reserved-admin-sessions`:
//! a slot is taken when a `netconf` subsystem starts and given back when
//! the session layer drops the stream, however the session ended. Users
//! outside the NACM group `admin` are refused once only the reserved slots
//! are left, so a read-only user cannot lock the administrators out. The
//! limits can change while sessions run: lower ones end nobody's session,
//! they refuse new ones until enough have ended.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// The three limits, as `[netconf]` sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub max: u32,
    /// 0: no per-user limit.
    pub per_user: u32,
    pub reserved_admin: u32,
}

/// Why a session was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionRefusal {
    #[error("max-sessions ({0}) reached")]
    Max(u32),
    #[error("only the {reserved} sessions reserved for admins are left (max-sessions {max})")]
    Reserved { reserved: u32, max: u32 },
    #[error("max-sessions-per-user ({0}) reached")]
    PerUser(u32),
}

#[derive(Debug, Default)]
struct Open {
    total: u32,
    by_user: HashMap<String, u32>,
}

#[derive(Debug)]
pub struct SessionLimit {
    limits: Mutex<SessionLimits>,
    open: Arc<Mutex<Open>>,
}

/// Held by a running session's stream; dropping it frees the slot.
#[derive(Debug)]
pub(super) struct SessionSlot {
    open: Arc<Mutex<Open>>,
    user: String,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SessionLimit {
    pub fn new(limits: SessionLimits) -> SessionLimit {
        SessionLimit {
            limits: Mutex::new(limits),
            open: Arc::default(),
        }
    }

    /// A slot for a session of `user`, who is in the NACM group `admin`
    /// if `admin`; or why not.
    pub(super) fn try_acquire(
        &self,
        user: &str,
        admin: bool,
    ) -> Result<SessionSlot, SessionRefusal> {
        let l = self.limits();
        let mut open = lock(&self.open);
        if open.total >= l.max {
            return Err(SessionRefusal::Max(l.max));
        }
        if !admin && open.total >= l.max.saturating_sub(l.reserved_admin) {
            return Err(SessionRefusal::Reserved {
                reserved: l.reserved_admin,
                max: l.max,
            });
        }
        let mine = open.by_user.get(user).copied().unwrap_or(0);
        if l.per_user > 0 && mine >= l.per_user {
            return Err(SessionRefusal::PerUser(l.per_user));
        }
        open.total += 1;
        open.by_user.insert(user.to_string(), mine + 1);
        Ok(SessionSlot {
            open: self.open.clone(),
            user: user.to_string(),
        })
    }

    pub fn active(&self) -> u32 {
        lock(&self.open).total
    }

    pub fn limits(&self) -> SessionLimits {
        *lock(&self.limits)
    }

    pub fn max(&self) -> u32 {
        self.limits().max
    }

    /// The limits for every later session.
    pub fn set_limits(&self, limits: SessionLimits) {
        *lock(&self.limits) = limits;
    }
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        let mut open = lock(&self.open);
        open.total = open.total.saturating_sub(1);
        if let Some(n) = open.by_user.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.by_user.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(max: u32, per_user: u32, reserved_admin: u32) -> SessionLimit {
        SessionLimit::new(SessionLimits {
            max,
            per_user,
            reserved_admin,
        })
    }

    #[test]
    fn slots_run_out_at_max_and_come_back_on_drop() {
        let limit = limit(2, 0, 0);
        let a = limit.try_acquire("u", false).unwrap();
        let b = limit.try_acquire("u", false).unwrap();
        assert_eq!(
            limit.try_acquire("u", true).err(),
            Some(SessionRefusal::Max(2))
        );
        assert_eq!(limit.active(), 2);
        drop(a);
        let c = limit.try_acquire("u", false).unwrap();
        assert!(limit.try_acquire("u", false).is_err());
        drop((b, c));
        assert_eq!(limit.active(), 0);
    }

    #[test]
    fn a_lower_limit_keeps_open_slots_and_refuses_until_below_it() {
        let limit = limit(3, 0, 0);
        let a = limit.try_acquire("u", false).unwrap();
        let b = limit.try_acquire("u", false).unwrap();
        limit.set_limits(SessionLimits {
            max: 1,
            ..limit.limits()
        });
        assert!(limit.try_acquire("u", false).is_err());
        drop(a);
        assert!(
            limit.try_acquire("u", false).is_err(),
            "still one open: the limit"
        );
        drop(b);
        let c = limit.try_acquire("u", false).unwrap();
        limit.set_limits(SessionLimits {
            max: 2,
            ..limit.limits()
        });
        let d = limit.try_acquire("u", false).unwrap();
        assert_eq!(limit.active(), 2);
        drop((c, d));
    }

    #[test]
    fn one_user_cannot_take_every_slot_and_admins_keep_theirs() {
        let limit = limit(8, 4, 2);
        let demo: Vec<_> = (0..4)
            .map(|_| limit.try_acquire("demo", false).unwrap())
            .collect();
        assert_eq!(
            limit.try_acquire("demo", false).err(),
            Some(SessionRefusal::PerUser(4))
        );
        let other: Vec<_> = (0..2)
            .map(|_| limit.try_acquire("ops", false).unwrap())
            .collect();
        assert_eq!(
            limit.try_acquire("ops", false).err(),
            Some(SessionRefusal::Reserved {
                reserved: 2,
                max: 8
            })
        );
        let admin1 = limit.try_acquire("admin", true).unwrap();
        let _admin2 = limit.try_acquire("admin", true).unwrap();
        assert_eq!(
            limit.try_acquire("admin", true).err(),
            Some(SessionRefusal::Max(8))
        );
        drop(admin1);
        drop(demo);
        let _again = limit
            .try_acquire("demo", false)
            .expect("demo's slots came back");
        assert_eq!(limit.active(), 4);
        drop(other);
    }
}
