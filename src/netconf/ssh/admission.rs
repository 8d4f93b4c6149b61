//! The gate in front of the SSH handshake: how many connections may be
//! open, how many of them not yet logged in (in total and per source, with
//! OpenSSH MaxStartups-style random early drop), and which sources are
//! penalised for failed logins. A refused connection is closed as soon as
//! it is accepted, before any key exchange, so a flood costs one accept
//! and one close per connection and never exhausts file descriptors.
//!
//! The limits are `[netconf]` settings and apply to the next connection
//! when a commit changes them.

use super::penalty::{Penalties, PenaltyRule, Source};
use super::statistics::TransportStatistics;
use crate::config::NetconfConfig;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;
use tokio::time::Instant;

/// MaxStartups' "rate": the chance of a drop at `unauthenticated-drop-start`.
const EARLY_DROP_PERCENT: u32 = 30;

/// A flood of refused connections is logged at most this often, with the
/// number of refusals in between.
const LOG_EVERY: Duration = Duration::from_secs(1);

/// The connection and login limits of `[netconf]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    pub max_connections: u32,
    pub max_unauthenticated: u32,
    pub drop_start: u32,
    pub per_source: u32,
    pub login_grace: Duration,
    pub max_auth_tries: u32,
    pub penalty: PenaltyRule,
}

impl LoginLimits {
    pub fn from_config(n: &NetconfConfig) -> LoginLimits {
        LoginLimits {
            max_connections: n.max_connections,
            max_unauthenticated: n.max_unauthenticated,
            drop_start: n.unauthenticated_drop_start,
            per_source: n.max_unauthenticated_per_source,
            login_grace: Duration::from_secs(n.login_grace_seconds),
            max_auth_tries: n.max_auth_tries,
            penalty: PenaltyRule {
                per_failure: Duration::from_secs(n.auth_failure_penalty_seconds),
                threshold: Duration::from_secs(n.penalty_threshold_seconds),
                max: Duration::from_secs(n.penalty_max_seconds),
            },
        }
    }
}

/// Why a new connection was closed unheard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("max-connections ({0}) reached")]
    Connections(u32),
    #[error("max-unauthenticated ({0}) reached")]
    Unauthenticated(u32),
    #[error("random early drop with {0} connections not logged in")]
    EarlyDrop(u32),
    #[error("max-unauthenticated-per-source ({0}) reached")]
    PerSource(u32),
    #[error("source penalised for failed logins for {0}s more")]
    Penalised(u64),
}

#[derive(Default)]
struct Counts {
    connections: u32,
    unauthenticated: u32,
    per_source: HashMap<Source, u32>,
    penalties: Penalties,
}

/// Logs a line now and then, with the count of events it did not log.
#[derive(Default)]
struct Throttle {
    last: Option<Instant>,
    quiet: u64,
}

impl Throttle {
    /// How many events went unlogged before this one, if this one is to
    /// be logged.
    fn due(&mut self, now: Instant) -> Option<u64> {
        match self.last {
            Some(t) if now.duration_since(t) < LOG_EVERY => {
                self.quiet += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.quiet))
            }
        }
    }
}

pub struct Admission {
    limits: RwLock<LoginLimits>,
    counts: Mutex<Counts>,
    log: Mutex<Throttle>,
    pub statistics: Arc<TransportStatistics>,
}

/// One admitted connection's place in the counts; dropping it gives the
/// place back.
pub(super) struct Ticket {
    admission: Arc<Admission>,
    source: Source,
    logged_in: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Admission {
    pub fn new(limits: LoginLimits, statistics: Arc<TransportStatistics>) -> Admission {
        Admission {
            limits: RwLock::new(limits),
            counts: Mutex::default(),
            log: Mutex::default(),
            statistics,
        }
    }

    pub fn limits(&self) -> LoginLimits {
        *self.limits.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The limits for every later connection and login.
    pub fn set_limits(&self, limits: LoginLimits) {
        *self.limits.write().unwrap_or_else(|p| p.into_inner()) = limits;
    }

    /// Connections open, and those of them not logged in yet.
    pub fn open(&self) -> (u32, u32) {
        let c = lock(&self.counts);
        (c.connections, c.unauthenticated)
    }

    /// A place for a new connection from `ip`, or why there is none.
    pub(super) fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Ticket, Refusal> {
        let l = self.limits();
        let source = Source::of(ip);
        let now = Instant::now();
        let mut c = lock(&self.counts);
        let refusal = if let Some(left) = c.penalties.refused_for(source, &l.penalty, now) {
            Some(Refusal::Penalised(left.as_secs().max(1)))
        } else if c.connections >= l.max_connections {
            Some(Refusal::Connections(l.max_connections))
        } else if c.unauthenticated >= l.max_unauthenticated {
            Some(Refusal::Unauthenticated(l.max_unauthenticated))
        } else if c.per_source.get(&source).copied().unwrap_or(0) >= l.per_source {
            Some(Refusal::PerSource(l.per_source))
        } else if early_drop(c.unauthenticated, &l) {
            Some(Refusal::EarlyDrop(c.unauthenticated))
        } else {
            None
        };
        if let Some(r) = refusal {
            drop(c);
            let counter = match r {
                Refusal::Penalised(_) => &self.statistics.penalised_connections_refused,
                _ => &self.statistics.connections_dropped,
            };
            TransportStatistics::bump(counter);
            self.log_refusal(ip, &r, now);
            return Err(r);
        }
        c.connections += 1;
        c.unauthenticated += 1;
        *c.per_source.entry(source).or_insert(0) += 1;
        Ok(Ticket {
            admission: self.clone(),
            source,
            logged_in: false,
        })
    }

    fn log_refusal(&self, ip: IpAddr, why: &Refusal, now: Instant) {
        if let Some(quiet) = lock(&self.log).due(now) {
            let more = if quiet > 0 {
                format!(" ({quiet} more refused since the last line)")
            } else {
                String::new()
            };
            tracing::warn!(
                log_kind = "security",
                "NETCONF SSH: closed a connection from {ip} before the handshake: {why}{more}"
            );
        }
    }

    /// A refused password from `ip`: adds to its penalty.
    pub(super) fn login_failed(&self, ip: IpAddr) {
        let l = self.limits();
        let source = Source::of(ip);
        let now = Instant::now();
        let (crossed, left) = {
            let mut c = lock(&self.counts);
            let crossed = c.penalties.add_failure(source, &l.penalty, now);
            (crossed, c.penalties.refused_for(source, &l.penalty, now))
        };
        if crossed {
            TransportStatistics::bump(&self.statistics.sources_penalised);
            tracing::warn!(
                log_kind = "security",
                "NETCONF SSH: source {source} penalised for failed logins: refused for {}s",
                left.map_or(0, |d| d.as_secs().max(1))
            );
        }
    }

    /// How much longer `ip` is refused for failed logins, if it is.
    pub(super) fn penalised(&self, ip: IpAddr) -> Option<Duration> {
        let l = self.limits();
        lock(&self.counts)
            .penalties
            .refused_for(Source::of(ip), &l.penalty, Instant::now())
    }

    pub(super) fn bump(&self, counter: impl Fn(&TransportStatistics) -> &AtomicU64) {
        TransportStatistics::bump(counter(&self.statistics));
    }
}

/// MaxStartups "start:rate:full": from `start` connections not logged in,
/// drop a new one with a chance growing linearly from `rate` % to 100 %
/// at `full`.
fn early_drop(unauthenticated: u32, l: &LoginLimits) -> bool {
    if unauthenticated < l.drop_start {
        return false;
    }
    let span = l.max_unauthenticated.saturating_sub(l.drop_start).max(1);
    let over = unauthenticated - l.drop_start;
    let chance = EARLY_DROP_PERCENT + (100 - EARLY_DROP_PERCENT) * over.min(span) / span;
    let roll = getrandom::u32().unwrap_or(0) % 100;
    roll < chance
}

impl Ticket {
    /// The connection logged in: it no longer counts as unauthenticated.
    pub fn logged_in(&mut self) {
        if std::mem::replace(&mut self.logged_in, true) {
            return;
        }
        let mut c = lock(&self.admission.counts);
        c.unauthenticated = c.unauthenticated.saturating_sub(1);
        leave_source(&mut c, self.source);
    }
}

fn leave_source(c: &mut Counts, source: Source) {
    if let Some(n) = c.per_source.get_mut(&source) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            c.per_source.remove(&source);
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut c = lock(&self.admission.counts);
        c.connections = c.connections.saturating_sub(1);
        if !self.logged_in {
            c.unauthenticated = c.unauthenticated.saturating_sub(1);
            leave_source(&mut c, self.source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> LoginLimits {
        LoginLimits::from_config(&NetconfConfig {
            max_connections: 6,
            max_unauthenticated: 4,
            unauthenticated_drop_start: 4,
            max_unauthenticated_per_source: 2,
            ..NetconfConfig::default()
        })
    }

    fn admission() -> Arc<Admission> {
        Arc::new(Admission::new(limits(), Arc::default()))
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn per_source_and_total_unauthenticated_caps_and_logins_free_places() {
        let a = admission();
        let mut x1 = a.admit(ip("192.0.2.1")).unwrap();
        let _x2 = a.admit(ip("192.0.2.1")).unwrap();
        assert_eq!(a.admit(ip("192.0.2.1")).err(), Some(Refusal::PerSource(2)));
        let _y1 = a.admit(ip("192.0.2.2")).unwrap();
        let y2 = a.admit(ip("192.0.2.2")).unwrap();
        assert_eq!(
            a.admit(ip("192.0.2.3")).err(),
            Some(Refusal::Unauthenticated(4))
        );
        x1.logged_in();
        assert_eq!(a.open(), (4, 3));
        let _x3 = a.admit(ip("192.0.2.1")).expect("x1 logged in: a place");
        drop(y2);
        let _z = a.admit(ip("192.0.2.3")).unwrap();
        assert_eq!(a.open(), (5, 4));
        assert_eq!(
            a.statistics
                .connections_dropped
                .load(std::sync::atomic::Ordering::Relaxed),
            2
        );
    }

    #[test]
    fn max_connections_counts_logged_in_connections_too() {
        let a = admission();
        let mut held = Vec::new();
        for i in 0..6 {
            let mut t = a.admit(ip(&format!("192.0.2.{i}"))).unwrap();
            t.logged_in();
            held.push(t);
        }
        assert_eq!(
            a.admit(ip("192.0.2.9")).err(),
            Some(Refusal::Connections(6))
        );
        held.pop();
        assert!(a.admit(ip("192.0.2.9")).is_ok());
    }

    #[test]
    fn early_drop_chance_grows_from_start_to_full() {
        let l = LoginLimits {
            drop_start: 10,
            max_unauthenticated: 20,
            ..limits()
        };
        assert!((0..200).all(|_| !early_drop(9, &l)));
        assert!((0..200).all(|_| early_drop(20, &l)));
        let dropped = (0..1000).filter(|_| early_drop(10, &l)).count();
        assert!((150..450).contains(&dropped), "{dropped} of 1000 at 30 %");
    }

    #[test]
    fn a_penalised_source_is_refused_before_anything_else() {
        let a = admission();
        for _ in 0..4 {
            a.login_failed(ip("192.0.2.1"));
        }
        assert!(a.penalised(ip("192.0.2.1")).is_some());
        assert!(matches!(
            a.admit(ip("192.0.2.1")).err(),
            Some(Refusal::Penalised(_))
        ));
        assert!(a.admit(ip("192.0.2.2")).is_ok());
        let st = &a.statistics;
        assert_eq!(
            st.sources_penalised
                .load(std::sync::atomic::Ordering::Relaxed),
            1
        );
        assert_eq!(
            st.penalised_connections_refused
                .load(std::sync::atomic::Ordering::Relaxed),
            1
        );
    }
}
