//! bcmPerformance: the alarm thresholds (configuration), each node's
//! measurements (NodePerformance) with the thresholds in force for it, and
//! the agent host's figures (HostPerformance).

use super::edit;
use super::index::{self, IndexPart};
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
    set: Some(perf_set),
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

/// SET of a per-node threshold: a value sets the override
/// chains/<c>/nodes/<n>/thresholds/<key>, 0 removes it (nothing to do
/// when there is none, since deleting a missing key is an error).
fn perf_set(ctx: &Ctx, index: &[u32], col: u32, v: &Value) -> Result<SetAction, SetError> {
    let (key, value) = match col {
        PERF_THRESH_CPU => ("cpu-percent", edit::percent_hundredths(v)?),
        PERF_THRESH_MEMORY => ("memory-percent", edit::percent_hundredths(v)?),
        PERF_THRESH_SYNC_LAG => ("sync-lag-blocks", edit::unsigned(v)?),
        _ => return Err(SetError::NotWritable),
    };
    let [chain, node]: [String; 2] = index::decode_texts(NODE_PERF_INDEX, index)
        .and_then(|v| v.try_into().ok())
        .ok_or(SetError::NoCreation)?;
    let perf = &ctx.snapshot.performance.nodes;
    if !perf.iter().any(|p| p.chain == chain && p.node == node) {
        return Err(SetError::NoCreation);
    }
    let chain_config = ctx
        .config
        .chains
        .get(&chain)
        .ok_or(SetError::InconsistentValue)?;
    let path = ["chains", &chain, "nodes", &node, "thresholds", key];
    if value == 0 {
        let overrides = chain_config.nodes.get(&node).map(|n| &n.thresholds);
        let present = overrides.is_some_and(|o| match col {
            PERF_THRESH_CPU => o.cpu_percent.is_some(),
            PERF_THRESH_MEMORY => o.memory_percent.is_some(),
            _ => o.sync_lag_blocks.is_some(),
        });
        return Ok(if present {
            edit::delete(&path)
        } else {
            SetAction::Config(Vec::new())
        });
    }
    let json = if col == PERF_THRESH_SYNC_LAG {
        json!(value)
    } else {
        edit::hundredths_json(value)
    };
    Ok(edit::set(&path, json))
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
