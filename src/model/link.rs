//! PeerLink: the communication link between two nodes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkDirection {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkState {
    Up,
    Down,
}

/// A link as seen from its local node; a bidirectional connection appears
/// once from each end, as platforms report it (admin_peers, getpeerinfo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PeerLink {
    pub chain: String,
    pub local_node: String,
    /// Agent node id when the remote is a managed node, else the remote identity.
    pub remote_node: String,
    pub remote_address: String,
    pub direction: LinkDirection,
    pub state: LinkState,
    /// Round-trip time to the peer; `None` when the platform does not
    /// measure it.
    pub latency_ms: Option<f64>,
    /// Bytes received from and sent to the peer on this connection;
    /// `None` when the platform does not count them.
    pub bytes_in: Option<u64>,
    pub bytes_out: Option<u64>,
    /// When the current connection (or outage) began.
    pub since: super::UnixMillis,
}
