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

/// A channel or client parameter as the relayer's configuration states it
/// (trusting period, clock drift, packet filter), in the relayer's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ChannelParameter {
    pub name: String,
    pub value: String,
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
    /// Sequence number of the oldest packet still pending; 0 when none is.
    #[serde(default)]
    pub oldest_pending_sequence: u64,
    /// How long the oldest pending packet has waited; 0 when none is.
    #[serde(default)]
    pub oldest_pending_age_ms: u64,
    /// When the light client behind the channel expires unless updated.
    #[serde(default)]
    pub client_expiry: Option<UnixMillis>,
    /// The light client (on this chain) whose expiry `client_expiry` is,
    /// such as `07-tendermint-0`; empty when unknown.
    #[serde(default)]
    pub client_id: String,
    /// Parameters read from the relayer's configuration.
    #[serde(default)]
    pub parameters: Vec<ChannelParameter>,
}

#[cfg(test)]
impl CrossChainChannel {
    /// For unit tests: the open channel `transfer/channel-0` of chain `hub`
    /// between `ibc-0` and `ibc-1`, with nothing pending, counted or
    /// configured.
    pub fn test_open() -> CrossChainChannel {
        CrossChainChannel {
            chain: "hub".into(),
            id: "transfer/channel-0".into(),
            local_chain: "ibc-0".into(),
            remote_chain: "ibc-1".into(),
            relay_endpoint: String::new(),
            timeout_ms: 0,
            fee: 0,
            capacity: 0,
            state: ChannelState::Open,
            pending: 0,
            completed: 0,
            timed_out: 0,
            failed: 0,
            oldest_pending_sequence: 0,
            oldest_pending_age_ms: 0,
            client_expiry: None,
            client_id: String::new(),
            parameters: vec![],
        }
    }
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
