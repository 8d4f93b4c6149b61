//! The session table: ids, per-session counters, kill handles, and the
//! server-wide statistics of ietf-netconf-monitoring.

use crate::model::{UnixMillis, now_millis};
use crate::netconf::ssh::TransportStatistics;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::watch;

/// Counters of one session or of the whole server (RFC 6022 `statistics`
/// and `session` entries use the same names).
#[derive(Debug, Default)]
pub struct Counters {
    pub in_rpcs: AtomicU64,
    pub in_bad_rpcs: AtomicU64,
    pub out_rpc_errors: AtomicU64,
    pub out_notifications: AtomicU64,
}

impl Counters {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Server-wide statistics (RFC 6022 section 2.1.5).
#[derive(Debug, Default)]
pub struct Statistics {
    pub start_time: UnixMillis,
    pub in_bad_hellos: AtomicU64,
    pub in_sessions: AtomicU64,
    pub dropped_sessions: AtomicU64,
    pub rpcs: Counters,
    /// Messages refused with resource-denied because the message buffer
    /// budget was used up.
    pub messages_refused_budget: AtomicU64,
    /// The SSH transport's refusals, once the transport runs.
    pub transport: OnceLock<Arc<TransportStatistics>>,
}

#[derive(Debug)]
pub struct Session {
    pub id: u32,
    pub user: String,
    pub peer: Option<SocketAddr>,
    pub login_time: UnixMillis,
    pub counters: Counters,
    /// Set to true by kill-session; the session's loop watches it.
    kill: watch::Sender<bool>,
    /// True once the session is killed or has ended: the work of its
    /// requests (XPath filters) stops at its next check.
    cancelled: Arc<AtomicBool>,
    /// The count of snapshot publications when the session's last rpc
    /// that could change anything returned: its reads are never served
    /// state older than that (`crate::netconf::datastore::render_cache`).
    reads_from: AtomicU64,
}

impl Session {
    pub fn kill(&self) {
        self.cancel();
        self.kill.send_replace(true);
    }

    /// Stop the work of this session's requests (it was killed, or its
    /// transport is gone).
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// The flag request work watches (see [`Session::cancel`]).
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancelled.clone()
    }

    /// The oldest snapshot publication the session's reads may show.
    pub fn reads_from(&self) -> u64 {
        self.reads_from.load(Ordering::Relaxed)
    }

    /// The session changed something (or may have): from now on its reads
    /// show at least publication `n`.
    pub fn read_from(&self, n: u64) {
        self.reads_from.fetch_max(n, Ordering::Relaxed);
    }
}

#[derive(Default)]
pub struct SessionTable {
    next_id: AtomicU32,
    sessions: Mutex<BTreeMap<u32, Arc<Session>>>,
    pub statistics: Statistics,
}

impl SessionTable {
    pub fn new() -> SessionTable {
        SessionTable {
            next_id: AtomicU32::new(1),
            sessions: Mutex::default(),
            statistics: Statistics {
                start_time: now_millis(),
                ..Default::default()
            },
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, BTreeMap<u32, Arc<Session>>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Register a new session; the receiver turns true when it is killed.
    pub fn open(
        &self,
        user: &str,
        peer: Option<SocketAddr>,
    ) -> (Arc<Session>, watch::Receiver<bool>) {
        // Session ids are 1..=u32::MAX and never 0 (RFC 6241 section 8.1).
        let mut id = self.next_id.fetch_add(1, Ordering::Relaxed);
        if id == 0 {
            id = self.next_id.fetch_add(1, Ordering::Relaxed);
        }
        let (kill, rx) = watch::channel(false);
        let session = Arc::new(Session {
            id,
            user: user.to_string(),
            peer,
            login_time: now_millis(),
            counters: Counters::default(),
            kill,
            cancelled: Arc::new(AtomicBool::new(false)),
            reads_from: AtomicU64::new(0),
        });
        self.table().insert(id, session.clone());
        (session, rx)
    }

    pub fn close(&self, id: u32) {
        self.table().remove(&id);
    }

    pub fn get(&self, id: u32) -> Option<Arc<Session>> {
        self.table().get(&id).cloned()
    }

    /// Every open session, by id (the `sessions` list of RFC 6022).
    pub fn list(&self) -> Vec<Arc<Session>> {
        self.table().values().cloned().collect()
    }
}
