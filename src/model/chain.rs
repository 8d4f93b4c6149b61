//! ManagedChain: one blockchain system under management.

use serde::{Deserialize, Serialize};

/// The platform family behind a chain; it decides which adapter collects it
/// and which configuration can be applied to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    Simulated,
    Ethereum,
    Bitcoin,
    Fabric,
    Cometbft,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Simulated => "simulated",
            Platform::Ethereum => "ethereum",
            Platform::Bitcoin => "bitcoin",
            Platform::Fabric => "fabric",
            Platform::Cometbft => "cometbft",
        }
    }
}

/// Consensus families, coarse enough to hold across platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConsensusType {
    /// Byzantine fault tolerant with rounds and a rotating leader (PBFT, IBFT, QBFT, Tendermint).
    Bft,
    /// Crash fault tolerant with an elected leader (Raft).
    Cft,
    /// Proof of authority with a signer set (clique).
    ProofOfAuthority,
    ProofOfWork,
    ProofOfStake,
    /// A single development node that seals on demand (anvil).
    Instant,
    Unknown,
}

/// A blockchain system: the root every other object hangs from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ManagedChain {
    /// Configuration key of the chain in this agent (stable index for SNMP and YANG).
    pub id: String,
    pub name: String,
    pub platform: Platform,
    /// The platform's own chain or network identifier (EIP-155 chain id, Bitcoin network name, Fabric channel).
    pub chain_id: String,
    pub consensus_type: ConsensusType,
    /// Hash of block 0 as hex, empty when the platform does not expose it.
    pub genesis_hash: String,
    pub node_count: u32,
}
