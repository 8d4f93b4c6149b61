//! Node: a participant of a chain, with its hardware and software inventory.

use serde::{Deserialize, Serialize};

/// What part a node plays in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeRole {
    Validator,
    Observer,
    Peer,
    Orderer,
    Miner,
}

/// Operator intent for a node. It governs management, not the node's process:
/// an agent cannot start a remote node, but it can stop watching one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdminState {
    /// Monitored, alarms raised.
    #[default]
    Up,
    /// Not monitored: its measurements are discarded, it raises no alarms
    /// and is shown with oper state `unknown`.
    Down,
    /// Polled, but its alarms are suppressed while work is under way.
    Maintenance,
}

/// What the agent observes of the node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OperState {
    Up,
    Down,
    /// Reachable but not keeping up (syncing, lagging, on a fork).
    Degraded,
    Unknown,
}

/// Client software of a node.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NodeSoftware {
    pub client: String,
    pub version: String,
    /// Protocol or network version the client speaks.
    pub protocol: String,
}

/// Hardware and operating system the node runs on, as far as it is
/// visible: "" and `None` mean unknown.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NodeHardware {
    pub host: String,
    pub os: String,
    pub arch: String,
    pub cpu_cores: Option<u32>,
    pub memory_bytes: Option<u64>,
    /// Size of the disk holding the node's data.
    pub disk_bytes: Option<u64>,
}

/// A node of a managed chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Node {
    pub chain: String,
    /// Agent-local name (configuration key), stable across restarts.
    pub id: String,
    /// The platform's identity: enode id, peer id, validator address, MSP id.
    pub identity: String,
    pub role: NodeRole,
    pub endpoint: String,
    pub software: NodeSoftware,
    pub hardware: NodeHardware,
    pub admin_state: AdminState,
    pub oper_state: OperState,
    /// When oper state last changed.
    pub oper_changed: super::UnixMillis,
    /// The node's log configuration in its platform's own words: a Besu
    /// level, geth's verbosity, Bitcoin's enabled categories, a Fabric
    /// logspec. Empty when the platform does not expose one.
    #[serde(default)]
    pub log_spec: String,
    /// Model attributes this node's platform does not provide (for example
    /// `peers`, `validators`, `pending-votes`, `txpool`, `log-spec`). They are
    /// left empty, never guessed, and named here so that an empty value is
    /// not mistaken for a measurement.
    #[serde(default)]
    pub unsupported: Vec<String>,
}
