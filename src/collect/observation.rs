//! What one collection pass of an adapter returns: model objects for one
//! chain, before the core adds derived state (sync lag, thresholds, alarms).

use crate::model::chain::ManagedChain;
use crate::model::consensus::Consensus;
use crate::model::contract::{Contract, ContractExecution};
use crate::model::crosschain::{CrossChainChannel, CrossChainTransfer};
use crate::model::ledger::{Block, LedgerMember};
use crate::model::link::PeerLink;
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::Node;
use crate::model::performance::NodePerformance;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub struct NodeObservation {
    /// Inventory; `oper_state` and `admin_state` are set by the core, except
    /// that an adapter sets `oper_state` to Degraded when the node reports
    /// itself unhealthy, which the core keeps.
    pub node: Node,
    pub reachable: bool,
    pub height: u64,
    pub head_hash: String,
    /// (height, hash) of this node's most recent blocks, ascending; the
    /// core's refine step (src/core/refine.rs) may add older heights it
    /// fetched to locate a divergence.
    pub recent_hashes: Vec<(u64, String)>,
    pub links: Vec<PeerLink>,
    /// Measurements; `sync_lag` and `thresholds` are set by the core.
    pub performance: NodePerformance,
}

/// A platform event worth a log record (view change, peer dropped, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct ChainEvent {
    pub kind: LogKind,
    pub level: LogLevel,
    pub source: String,
    pub message: String,
}

impl ChainEvent {
    pub fn new(kind: LogKind, level: LogLevel, source: String, message: String) -> ChainEvent {
        ChainEvent {
            kind,
            level,
            source,
            message,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChainObservation {
    pub chain: ManagedChain,
    pub nodes: Vec<NodeObservation>,
    /// Most recent canonical blocks, ascending by height; the engine keeps
    /// these very rows (an adapter may keep them too, at no extra cost).
    pub blocks: Vec<Arc<Block>>,
    pub target_block_interval_ms: Option<u64>,
    pub max_block_transactions: Option<u64>,
    /// Every member ever seen, including those that left.
    pub members: Vec<LedgerMember>,
    pub consensus: Option<Consensus>,
    pub contracts: Vec<Contract>,
    /// Most recent executions, ascending by time.
    pub executions: Vec<Arc<ContractExecution>>,
    pub channels: Vec<CrossChainChannel>,
    /// Most recent transfers, ascending by start time, with their latest state.
    pub transfers: Vec<Arc<CrossChainTransfer>>,
    pub events: Vec<ChainEvent>,
}

/// A reachable node `n` of chain `c` at `endpoint`, with nothing measured
/// and `unsupported` named: what the wrappers that add figures
/// ([`super::local`], [`super::remote`]) are tested on.
#[cfg(test)]
pub(crate) fn bare_node(endpoint: &str, unsupported: &[&str]) -> NodeObservation {
    use crate::model::node::{AdminState, Node, NodeRole, OperState};
    NodeObservation {
        node: Node {
            chain: "c".into(),
            id: "n".into(),
            identity: String::new(),
            role: NodeRole::Peer,
            endpoint: endpoint.into(),
            software: Default::default(),
            hardware: Default::default(),
            admin_state: AdminState::Up,
            oper_state: OperState::Up,
            oper_changed: 0,
            log_spec: String::new(),
            unsupported: unsupported.iter().map(|s| s.to_string()).collect(),
        },
        reachable: true,
        height: 1,
        head_hash: String::new(),
        recent_hashes: Vec::new(),
        links: Vec::new(),
        performance: Default::default(),
    }
}
