//! What the SSH transport refused, counted for `/netconf-state/statistics`
//! (the `chain-agent-system` augmentation of RFC 6022's statistics).

use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct TransportStatistics {
    /// Connections closed before the SSH handshake because too many
    /// connections, or too many not yet logged in (in total or from the
    /// source), were open, including random early drops.
    pub connections_dropped: AtomicU64,
    /// Connections closed before the handshake because their source was
    /// penalised for failed logins.
    pub penalised_connections_refused: AtomicU64,
    /// Logins refused because the source was penalised, whatever the
    /// password.
    pub penalised_logins_refused: AtomicU64,
    /// Times a source address went over the penalty threshold.
    pub sources_penalised: AtomicU64,
    /// Connections closed for not logging in within the grace time.
    pub login_grace_timeouts: AtomicU64,
    /// Rejected passwords and public keys.
    pub auth_failures: AtomicU64,
    /// Connections that used up their password tries.
    pub auth_tries_exhausted: AtomicU64,
    /// Sessions refused by `max-sessions-per-user`.
    pub sessions_refused_per_user: AtomicU64,
    /// Sessions refused by `max-sessions`, or because only the slots kept
    /// for admins were left.
    pub sessions_refused_server_limit: AtomicU64,
}

impl TransportStatistics {
    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}
