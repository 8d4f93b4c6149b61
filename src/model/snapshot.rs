//! Snapshot: the whole information model at one instant, one field per
//! management area. The core publishes it immutably; SNMP, NETCONF and the
//! `snapshot` command only read it.

use super::alarm::{Alarm, AlarmTypeInfo};
use super::chain::ManagedChain;
use super::consensus::{Consensus, ConsistencyReport};
use super::contract::{Contract, ContractExecution};
use super::crosschain::{CrossChainChannel, CrossChainTransfer};
use super::host::{HostInventory, HostPerformance};
use super::ledger::{Block, Ledger, LedgerMember};
use super::link::PeerLink;
use super::log::{LogRecord, LogType};
use super::node::Node;
use super::performance::{NodePerformance, Thresholds};
use super::rows::Rows;
use serde::{Deserialize, Serialize};

/// Configuration management of nodes: inventory and links.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NodesArea {
    pub chains: Vec<ManagedChain>,
    pub nodes: Vec<crate::model::node::Node>,
    pub links: Vec<PeerLink>,
    /// The machine the agent runs on.
    pub host: Option<HostInventory>,
    /// What became of the configuration pushed to the nodes (intended
    /// versus applied), by chain and item.
    #[serde(default)]
    pub config_apply: Vec<super::apply::ApplyStatus>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PerformanceArea {
    pub thresholds: Thresholds,
    pub nodes: Vec<NodePerformance>,
    pub host: Option<HostPerformance>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FaultsArea {
    /// Every alarm type the agent can raise.
    pub inventory: Vec<AlarmTypeInfo>,
    pub active: Vec<Alarm>,
    /// Most recent alarms in any state, newest first (bounded).
    pub history: Vec<Alarm>,
    /// When the configured shelves last moved alarms on or off a shelf
    /// (each alarm's `shelf` says where it is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shelving_changed: Option<super::UnixMillis>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LogsArea {
    pub types: Vec<LogType>,
    /// Most recent records of every type, oldest first (bounded).
    pub recent: Vec<LogRecord>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LedgerArea {
    pub ledgers: Vec<Ledger>,
    /// Most recent blocks of each chain, by chain then height; shared
    /// with the engine and the previous snapshot (see [`Rows`]).
    pub blocks: Rows<Block>,
    pub members: Vec<LedgerMember>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConsensusArea {
    pub chains: Vec<Consensus>,
    pub consistency: Vec<ConsistencyReport>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ContractsArea {
    pub contracts: Vec<Contract>,
    /// Most recent executions, oldest first (bounded; shared rows).
    pub executions: Rows<ContractExecution>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CrossChainArea {
    pub channels: Vec<CrossChainChannel>,
    /// Most recent transfers, oldest first (bounded; shared rows).
    pub transfers: Rows<CrossChainTransfer>,
}

/// The eight management areas; the JSON form has exactly these top-level keys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Snapshot {
    pub nodes: NodesArea,
    pub performance: PerformanceArea,
    pub faults: FaultsArea,
    pub logs: LogsArea,
    pub ledger: LedgerArea,
    pub consensus: ConsensusArea,
    pub contracts: ContractsArea,
    pub cross_chain: CrossChainArea,
}

impl Snapshot {
    pub fn node(&self, chain: &str, id: &str) -> Option<&Node> {
        self.nodes
            .nodes
            .iter()
            .find(|n| n.chain == chain && n.id == id)
    }
}
