//! Consensus and ConsistencyReport: the consensus management area.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

/// One tunable of the consensus algorithm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConsensusParameter {
    pub name: String,
    pub value: String,
    pub unit: String,
    /// Whether the platform lets the agent change it.
    pub settable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Validator {
    pub id: String,
    pub address: String,
    pub voting_power: u64,
    pub active: bool,
    pub proposed_blocks: u64,
    pub missed_rounds: u64,
}

/// A validator or signer vote waiting to take effect: a proposal to add
/// (`authorize`) or remove an address, as clique, IBFT/QBFT or Istanbul
/// report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PendingVote {
    pub address: String,
    pub authorize: bool,
}

/// Consensus state of a chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Consensus {
    pub chain: String,
    pub algorithm: String,
    pub parameters: Vec<ConsensusParameter>,
    pub height: u64,
    /// Round (Tendermint) or view (PBFT) within the current height;
    /// `None` when the platform does not report one.
    pub round: Option<u64>,
    pub leader: String,
    pub validators: Vec<Validator>,
    pub view_changes: u64,
    pub last_block_at: UnixMillis,
    /// Votes proposed on the platform and not yet in force.
    #[serde(default)]
    pub pending_votes: Vec<PendingVote>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// All compared nodes agree on every common height.
    Consistent,
    /// They agree, but some trail the head by more than the threshold.
    Lagging,
    /// Hashes differ at a common height, but no deeper than the chain's
    /// configured reorganisation depth: a normal short reorganisation of a
    /// chain without finality, which pages nobody.
    Reorganising,
    /// Hashes differ at a common height, deeper than a reorganisation.
    Forked,
    /// Fewer than two nodes could be compared.
    Unknown,
}

/// One node's part in a consistency comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NodeHead {
    pub node: String,
    pub height: u64,
    pub head_hash: String,
    /// This node's hash at the report's common height.
    pub hash_at_common: String,
    pub lag: u64,
    /// Index into the report's branches.
    pub branch: u32,
}

/// Result of comparing the ledgers of a chain's nodes (data consistency analysis).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConsistencyReport {
    pub chain: String,
    pub checked_at: UnixMillis,
    pub nodes: Vec<NodeHead>,
    /// Highest height every compared node has.
    pub common_height: u64,
    pub first_divergent_height: Option<u64>,
    /// Blocks from the first divergent height to the highest head among
    /// the branches: how much history disagrees. 0 without divergence.
    #[serde(default)]
    pub split_length: u64,
    pub max_lag: u64,
    pub branch_count: u32,
    pub verdict: Verdict,
}
