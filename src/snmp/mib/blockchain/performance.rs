//! bcmPerformance: the alarm thresholds (configuration), each node's
//! measurements (NodePerformance) with the thresholds in force for it, and
//! the agent host's figures (HostPerformance).

use super::index::IndexPart;
use super::{cell, objects};
use crate::model::host::HostPerformance;
use crate::model::objects::host::HOST_PERF;
use crate::model::objects::performance::{NODE_PERF, THRESHOLDS};
use crate::model::performance::{NodePerformance, Thresholds};
use crate::snmp::mib::convert::percent_hundredths;
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

/// bcmThresholds: the running configuration's global thresholds, which a
/// SET edits.
fn thresholds<'a>(ctx: &Ctx<'a>) -> Option<&'a Thresholds> {
    Some(&ctx.config.thresholds)
}

map_scalar!(THRESH_CPU_PERCENT, THRESHOLDS, 1, thresholds);
map_scalar!(THRESH_MEMORY_PERCENT, THRESHOLDS, 2, thresholds);
map_scalar!(THRESH_SYNC_LAG_BLOCKS, THRESHOLDS, 3, thresholds);
map_scalar!(THRESH_CONSENSUS_STALL, THRESHOLDS, 4, thresholds);
map_scalar!(THRESH_LINK_LATENCY, THRESHOLDS, 5, thresholds);
map_scalar!(THRESH_XCHAIN_TIMEOUT_PERCENT, THRESHOLDS, 6, thresholds);
map_scalar!(THRESH_CPU_HYSTERESIS, THRESHOLDS, 7, thresholds);
map_scalar!(THRESH_MEMORY_HYSTERESIS, THRESHOLDS, 8, thresholds);
map_scalar!(THRESH_SYNC_LAG_HYSTERESIS, THRESHOLDS, 9, thresholds);
map_scalar!(THRESH_LINK_LATENCY_HYSTERESIS, THRESHOLDS, 10, thresholds);
map_scalar!(THRESH_HOLD_OFF, THRESHOLDS, 11, thresholds);
map_scalar!(THRESH_TX_POOL_MAX, THRESHOLDS, 12, thresholds);
map_scalar!(THRESH_PEER_COUNT_MIN, THRESHOLDS, 13, thresholds);
map_scalar!(THRESH_PEER_COUNT_HOLD_OFF, THRESHOLDS, 14, thresholds);
map_scalar!(THRESH_BLOCK_STALL_FACTOR, THRESHOLDS, 15, thresholds);
map_scalar!(THRESH_BLOCK_INTERVAL, THRESHOLDS, 16, thresholds);
map_scalar!(THRESH_NODE_DEGRADED_HOLD_OFF, THRESHOLDS, 21, thresholds);
map_scalar!(THRESH_RELAYER_PACKET_AGE, THRESHOLDS, 22, thresholds);
map_scalar!(THRESH_RELAYER_BACKLOG_MAX, THRESHOLDS, 23, thresholds);
map_scalar!(THRESH_RELAYER_CLIENT_EXPIRY, THRESHOLDS, 24, thresholds);
map_scalar!(THRESH_CERT_EXPIRY_DAYS, THRESHOLDS, 25, thresholds);
map_scalar!(THRESH_CERT_EXPIRY_HYSTERESIS, THRESHOLDS, 26, thresholds);
map_scalar!(THRESH_CONTRACT_FAILURE_PERCENT, THRESHOLDS, 17, thresholds);
map_scalar!(THRESH_CONTRACT_FAILURE_WINDOW, THRESHOLDS, 18, thresholds);
map_scalar!(
    THRESH_CONTRACT_FAILURE_MIN_CALLS,
    THRESHOLDS,
    19,
    thresholds
);
map_scalar!(THRESH_DISK_FREE_PERCENT, THRESHOLDS, 20, thresholds);

pub static NODE_PERF_INDEX: &[&IndexPart] =
    &objects::index::<_, { NODE_PERF.keys.len() }>(&NODE_PERF);

pub use crate::model::objects::performance::{
    PERF_THRESH_CERT_EXPIRY, PERF_THRESH_CPU, PERF_THRESH_DISK_FREE, PERF_THRESH_HOLD_OFF,
    PERF_THRESH_MEMORY, PERF_THRESH_NODE_DEGRADED_HOLD_OFF, PERF_THRESH_PEER_COUNT_MIN,
    PERF_THRESH_PEER_HOLD_OFF, PERF_THRESH_SYNC_LAG, PERF_THRESH_TX_POOL_MAX,
};

pub static NODE_PERF_TABLE: TableDef = TableDef {
    name: NODE_PERF.entry,
    entry: NODE_PERF.oid,
    index: NODE_PERF_INDEX,
    columns: &objects::columns::<_, { NODE_PERF.columns.len() }>(&NODE_PERF),
    rows: |ctx| objects::rows(&NODE_PERF, &ctx.snapshot.performance.nodes),
    get: perf_get,
    set: Some(|ctx, index, col, v| objects::set(&NODE_PERF, &NODE_PERF_TABLE, ctx, index, col, v)),
    update: None,
};

fn perf_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    perf_cell(ctx, ctx.snapshot.performance.nodes.get(row.pos)?, col)
}

/// A cell of a node's performance row. The thresholds are those of the
/// running configuration (node override, else global), not the copy the
/// sample carries, so a SET shows at once.
fn perf_cell(ctx: &Ctx, p: &NodePerformance, col: u32) -> Option<Value> {
    let t = || ctx.config.thresholds_for(&p.chain, &p.node);
    Some(match col {
        PERF_THRESH_CPU => cell::unsigned(percent_hundredths(t().cpu_percent)),
        PERF_THRESH_MEMORY => cell::unsigned(percent_hundredths(t().memory_percent)),
        PERF_THRESH_SYNC_LAG => cell::saturated(t().sync_lag_blocks),
        PERF_THRESH_TX_POOL_MAX => cell::saturated(t().tx_pool_max),
        PERF_THRESH_HOLD_OFF => cell::saturated(t().hold_off_seconds),
        PERF_THRESH_PEER_COUNT_MIN => cell::saturated(t().peer_count_min),
        PERF_THRESH_PEER_HOLD_OFF => cell::saturated(t().peer_count_hold_off_seconds),
        PERF_THRESH_CERT_EXPIRY => cell::saturated(t().cert_expiry_days),
        PERF_THRESH_NODE_DEGRADED_HOLD_OFF => cell::saturated(t().node_degraded_hold_off_seconds),
        PERF_THRESH_DISK_FREE => cell::unsigned(percent_hundredths(t().disk_free_percent)),
        _ => return objects::cell(&NODE_PERF, p, col),
    })
}

/// bcmHostPerf: the latest host sample; absent before the first.
fn host_perf<'a>(ctx: &Ctx<'a>) -> Option<&'a HostPerformance> {
    ctx.snapshot.performance.host.as_ref()
}

map_scalar!(HOST_CPU_PERCENT, HOST_PERF, 1, host_perf);
map_scalar!(HOST_LOAD1, HOST_PERF, 2, host_perf);
map_scalar!(HOST_LOAD5, HOST_PERF, 3, host_perf);
map_scalar!(HOST_LOAD15, HOST_PERF, 4, host_perf);
map_scalar!(HOST_MEMORY_USED_KBYTES, HOST_PERF, 5, host_perf);
map_scalar!(HOST_MEMORY_PERCENT, HOST_PERF, 6, host_perf);
map_scalar!(HOST_SWAP_USED_KBYTES, HOST_PERF, 7, host_perf);
map_scalar!(HOST_UPTIME, HOST_PERF, 8, host_perf);
