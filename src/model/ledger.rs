//! Ledger, Block and LedgerMember: the ledger management area.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

/// The chain's ledger as the agreed head of its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Ledger {
    pub chain: String,
    pub height: u64,
    pub head_hash: String,
    pub head_time: UnixMillis,
    /// Transactions seen by the agent since it started watching.
    pub transactions_seen: u64,
    /// Platform target block interval, when it has one.
    pub target_block_interval_ms: Option<u64>,
    /// Platform cap on transactions per block, when it has one.
    pub max_block_transactions: Option<u64>,
    pub active_members: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Block {
    pub chain: String,
    pub height: u64,
    pub hash: String,
    pub parent_hash: String,
    pub time: UnixMillis,
    pub proposer: String,
    pub tx_count: u32,
    pub size_bytes: u64,
}

/// A participant of the ledger: an organisation, account or validator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LedgerMember {
    pub chain: String,
    pub id: String,
    pub name: String,
    /// Address, MSP id or key that identifies the member on the platform.
    pub address: String,
    pub role: String,
    pub joined_height: u64,
    pub joined_at: UnixMillis,
    pub left_height: Option<u64>,
    pub left_at: Option<UnixMillis>,
}

impl LedgerMember {
    pub fn is_active(&self) -> bool {
        self.left_height.is_none()
    }
}
