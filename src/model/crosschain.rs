//! CrossChainChannel and CrossChainTransfer: the cross-chain management area.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChannelState {
    Open,
    /// Open, but transfers are timing out beyond the threshold.
    Degraded,
    Closed,
}

/// A channel between this chain and another, with its settable parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CrossChainChannel {
    pub chain: String,
    pub id: String,
    pub local_chain: String,
    pub remote_chain: String,
    pub relay_endpoint: String,
    /// Configuration: a transfer not acknowledged within this time times out.
    pub timeout_ms: u64,
    /// Configuration: relay fee per transfer, in the chain's smallest unit.
    pub fee: u64,
    /// Configuration: transfers that may be in flight at once.
    pub capacity: u32,
    pub state: ChannelState,
    pub pending: u32,
    pub completed: u64,
    pub timed_out: u64,
    pub failed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferDirection {
    Outgoing,
    Incoming,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferState {
    Pending,
    Completed,
    TimedOut,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CrossChainTransfer {
    pub chain: String,
    pub channel: String,
    pub id: String,
    pub direction: TransferDirection,
    pub state: TransferState,
    pub amount: u64,
    pub started: UnixMillis,
    pub finished: Option<UnixMillis>,
    pub latency_ms: Option<u64>,
    pub failure_reason: String,
}
