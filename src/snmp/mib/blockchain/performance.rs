//! bcmPerformance: the alarm thresholds (configuration), each node's
//! measurements (NodePerformance) with the thresholds in force for it, and
//! the agent host's figures (HostPerformance).

use super::edit;
use super::index::IndexPart;
use super::{cell, objects, scalar, scalar_rw};
use crate::model::host::HostPerformance;
use crate::model::objects::performance::NODE_PERF;
use crate::model::performance::NodePerformance;
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{hundredths, kib, percent_hundredths, round_u32};
use crate::snmp::mib::{Ctx, Row, ScalarDef, SetAction, SetError, TableDef};
use crate::snmp::value::Value;
use serde_json::json;

fn threshold_set_percent(key: &'static str, v: &Value) -> Result<SetAction, SetError> {
    let n = edit::percent_hundredths(v)?;
    Ok(edit::set(&["thresholds", key], edit::hundredths_json(n)))
}

fn threshold_set_count(key: &'static str, v: &Value) -> Result<SetAction, SetError> {
    let n = edit::unsigned(v)?;
    Ok(edit::set(&["thresholds", key], json!(n)))
}

pub static THRESH_CPU_PERCENT: ScalarDef = scalar_rw(
    "bcmThreshCpuPercent",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1, 1],
    Unsigned32,
    |ctx| {
        Some(cell::unsigned(percent_hundredths(
            ctx.config.thresholds.cpu_percent,
        )))
    },
    |_, v| threshold_set_percent("cpu-percent", v),
);

pub static THRESH_MEMORY_PERCENT: ScalarDef = scalar_rw(
    "bcmThreshMemoryPercent",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1, 2],
    Unsigned32,
    |ctx| {
        Some(cell::unsigned(percent_hundredths(
            ctx.config.thresholds.memory_percent,
        )))
    },
    |_, v| threshold_set_percent("memory-percent", v),
);

pub static THRESH_SYNC_LAG_BLOCKS: ScalarDef = scalar_rw(
    "bcmThreshSyncLagBlocks",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1, 3],
    Unsigned32,
    |ctx| Some(cell::saturated(ctx.config.thresholds.sync_lag_blocks)),
    |_, v| threshold_set_count("sync-lag-blocks", v),
);

pub static THRESH_CONSENSUS_STALL: ScalarDef = scalar_rw(
    "bcmThreshConsensusStall",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1, 4],
    Unsigned32,
    |ctx| {
        Some(cell::saturated(
            ctx.config.thresholds.consensus_stall_seconds,
        ))
    },
    |_, v| threshold_set_count("consensus-stall-seconds", v),
);

pub static THRESH_LINK_LATENCY: ScalarDef = scalar_rw(
    "bcmThreshLinkLatency",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1, 5],
    Unsigned32,
    |ctx| {
        Some(cell::unsigned(round_u32(
            ctx.config.thresholds.link_latency_ms,
        )))
    },
    // The configuration holds a float; whole milliseconds are written as one.
    |_, v| {
        let n = edit::unsigned(v)?;
        Ok(edit::set(
            &["thresholds", "link-latency-ms"],
            json!(f64::from(n)),
        ))
    },
);

pub static THRESH_XCHAIN_TIMEOUT_PERCENT: ScalarDef = scalar_rw(
    "bcmThreshXchainTimeoutPercent",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1, 6],
    Unsigned32,
    |ctx| {
        Some(cell::unsigned(percent_hundredths(
            ctx.config.thresholds.xchain_timeout_percent,
        )))
    },
    |_, v| threshold_set_percent("xchain-timeout-percent", v),
);

pub static NODE_PERF_INDEX: &[&IndexPart] =
    &objects::index::<_, { NODE_PERF.keys.len() }>(&NODE_PERF);

pub use crate::model::objects::performance::{
    PERF_THRESH_CPU, PERF_THRESH_MEMORY, PERF_THRESH_SYNC_LAG,
};

pub static NODE_PERF_TABLE: TableDef = TableDef {
    name: NODE_PERF.entry,
    entry: NODE_PERF.oid,
    index: NODE_PERF_INDEX,
    columns: &objects::columns::<_, { NODE_PERF.columns.len() }>(&NODE_PERF),
    rows: |ctx| objects::rows(&NODE_PERF, &ctx.snapshot.performance.nodes),
    get: perf_get,
    set: Some(|ctx, index, col, v| objects::set(&NODE_PERF, &NODE_PERF_TABLE, ctx, index, col, v)),
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
        _ => return objects::cell(&NODE_PERF, p, col),
    })
}

fn host_perf<'a>(ctx: &Ctx<'a>) -> Option<&'a HostPerformance> {
    ctx.snapshot.performance.host.as_ref()
}

pub static HOST_CPU_PERCENT: ScalarDef = scalar(
    "bcmHostCpuPercent",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 1],
    Unsigned32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(percent_hundredths(h.cpu_percent))),
);

pub static HOST_LOAD1: ScalarDef = scalar(
    "bcmHostLoad1",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 2],
    Unsigned32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(hundredths(h.load1))),
);

pub static HOST_LOAD5: ScalarDef = scalar(
    "bcmHostLoad5",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 3],
    Unsigned32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(hundredths(h.load5))),
);

pub static HOST_LOAD15: ScalarDef = scalar(
    "bcmHostLoad15",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 4],
    Unsigned32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(hundredths(h.load15))),
);

pub static HOST_MEMORY_USED_KBYTES: ScalarDef = scalar(
    "bcmHostMemoryUsedKBytes",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 5],
    Gauge32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(kib(h.memory_used_bytes))),
);

pub static HOST_MEMORY_PERCENT: ScalarDef = scalar(
    "bcmHostMemoryPercent",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 6],
    Unsigned32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(percent_hundredths(h.memory_percent))),
);

pub static HOST_SWAP_USED_KBYTES: ScalarDef = scalar(
    "bcmHostSwapUsedKBytes",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 7],
    Gauge32,
    |ctx| host_perf(ctx).map(|h| cell::unsigned(kib(h.swap_used_bytes))),
);

pub static HOST_UPTIME: ScalarDef = scalar(
    "bcmHostUptime",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3, 8],
    Unsigned32,
    |ctx| host_perf(ctx).map(|h| cell::saturated(h.uptime_seconds)),
);
