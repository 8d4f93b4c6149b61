//! bcmChains: the managed chains (ManagedChain), as the object map
//! declares them (`model::objects::chain`), and `bcmChainName`, the index
//! object every per-chain table uses.

use super::index::IndexPart;
use super::{cell, objects};
use crate::model::chain::ManagedChain;
use crate::model::objects::chain::{
    CHAIN, CHAIN_THRESH_BLOCK_INTERVAL, CHAIN_THRESH_BLOCK_STALL_FACTOR, CHAIN_THRESH_CERT_EXPIRY,
    CHAIN_THRESH_CONTRACT_FAILURE, CHAIN_THRESH_CONTRACT_MIN_CALLS, CHAIN_THRESH_CONTRACT_WINDOW,
    CHAIN_THRESH_CPU, CHAIN_THRESH_DISK_FREE, CHAIN_THRESH_HOLD_OFF, CHAIN_THRESH_MEMORY,
    CHAIN_THRESH_NODE_DEGRADED_HOLD_OFF, CHAIN_THRESH_PEER_COUNT_MIN, CHAIN_THRESH_PEER_HOLD_OFF,
    CHAIN_THRESH_RELAYER_BACKLOG_MAX, CHAIN_THRESH_RELAYER_CLIENT_EXPIRY,
    CHAIN_THRESH_RELAYER_PACKET_AGE, CHAIN_THRESH_SYNC_LAG, CHAIN_THRESH_TX_POOL_MAX,
};
use crate::snmp::mib::convert::percent_hundredths;
use crate::snmp::mib::{Ctx, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::chain::CHAIN_NAME;

pub static CHAIN_INDEX: &[&IndexPart] = &objects::index::<_, { CHAIN.keys.len() }>(&CHAIN);

pub static CHAIN_TABLE: TableDef = TableDef {
    name: CHAIN.entry,
    entry: CHAIN.oid,
    index: CHAIN_INDEX,
    columns: &objects::columns::<_, { CHAIN.columns.len() }>(&CHAIN),
    rows: |ctx| objects::rows(&CHAIN, &ctx.snapshot.nodes.chains),
    get: |ctx, row, col| chain_cell(ctx, ctx.snapshot.nodes.chains.get(row.pos)?, col),
    set: Some(|ctx, index, col, v| objects::set(&CHAIN, &CHAIN_TABLE, ctx, index, col, v)),
    update: None,
};

/// A cell of a chain's row. The thresholds are those in force for the
/// chain in the running configuration (its override, else the global
/// value), so a SET shows at once.
fn chain_cell(ctx: &Ctx, c: &ManagedChain, col: u32) -> Option<Value> {
    let t = || ctx.config.chain_thresholds(&c.id);
    Some(match col {
        CHAIN_THRESH_CPU => cell::unsigned(percent_hundredths(t().cpu_percent)),
        CHAIN_THRESH_MEMORY => cell::unsigned(percent_hundredths(t().memory_percent)),
        CHAIN_THRESH_SYNC_LAG => cell::saturated(t().sync_lag_blocks),
        CHAIN_THRESH_TX_POOL_MAX => cell::saturated(t().tx_pool_max),
        CHAIN_THRESH_HOLD_OFF => cell::saturated(t().hold_off_seconds),
        CHAIN_THRESH_PEER_COUNT_MIN => cell::saturated(t().peer_count_min),
        CHAIN_THRESH_PEER_HOLD_OFF => cell::saturated(t().peer_count_hold_off_seconds),
        CHAIN_THRESH_BLOCK_STALL_FACTOR => cell::saturated(t().block_stall_factor),
        CHAIN_THRESH_BLOCK_INTERVAL => cell::saturated(t().block_interval_seconds),
        CHAIN_THRESH_CERT_EXPIRY => cell::saturated(t().cert_expiry_days),
        CHAIN_THRESH_NODE_DEGRADED_HOLD_OFF => cell::saturated(t().node_degraded_hold_off_seconds),
        CHAIN_THRESH_RELAYER_PACKET_AGE => cell::saturated(t().relayer_packet_age_seconds),
        CHAIN_THRESH_RELAYER_BACKLOG_MAX => cell::saturated(t().relayer_backlog_max),
        CHAIN_THRESH_RELAYER_CLIENT_EXPIRY => cell::saturated(t().relayer_client_expiry_hours),
        CHAIN_THRESH_CONTRACT_FAILURE => {
            cell::unsigned(percent_hundredths(t().contract_failure_percent))
        }
        CHAIN_THRESH_CONTRACT_WINDOW => cell::saturated(t().contract_failure_window_seconds),
        CHAIN_THRESH_CONTRACT_MIN_CALLS => cell::saturated(t().contract_failure_min_calls),
        CHAIN_THRESH_DISK_FREE => cell::unsigned(percent_hundredths(t().disk_free_percent)),
        _ => return objects::cell(&CHAIN, c, col),
    })
}
