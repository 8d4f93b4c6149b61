//! Run-time parameters of the simulated chain, taken from the chain's
//! configuration (consensus parameters and channels) and changeable live.

use crate::config::{ChainConfig, ChannelConfig};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub block_interval_ms: u64,
    pub round_timeout_ms: u64,
    pub max_block_transactions: u64,
    pub channels: BTreeMap<String, ChannelConfig>,
}

impl Params {
    pub fn from_config(c: &ChainConfig) -> Params {
        let get = |k: &str, d: u64| c.consensus.get(k).copied().unwrap_or(d);
        Params {
            block_interval_ms: get("block-interval-ms", 1000),
            round_timeout_ms: get("round-timeout-ms", 3000),
            max_block_transactions: get("max-block-transactions", 40),
            channels: c.channels.clone(),
        }
    }

    pub fn set(&mut self, name: &str, value: u64) -> bool {
        match name {
            "block-interval-ms" => self.block_interval_ms = value,
            "round-timeout-ms" => self.round_timeout_ms = value,
            "max-block-transactions" => self.max_block_transactions = value,
            _ => return false,
        }
        true
    }

    /// Ticks (block intervals) a view change costs.
    pub fn view_change_ticks(&self) -> u64 {
        self.round_timeout_ms
            .div_ceil(self.block_interval_ms.max(1))
            .max(1)
    }
}
