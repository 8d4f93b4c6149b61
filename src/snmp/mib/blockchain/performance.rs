//! bcmPerformance: the alarm thresholds (configuration), each node's
//! measurements (NodePerformance) with the thresholds in force for it, and
//! the agent host's figures (HostPerformance).

use super::index::IndexPart;
use super::{cell, objects, scalar};
use crate::model::host::HostPerformance;
use crate::model::objects::performance::{NODE_PERF, THRESHOLDS};
use crate::model::performance::NodePerformance;
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{hundredths, kib, percent_hundredths};
use crate::snmp::mib::{Column, Ctx, Row, ScalarDef, TableDef};
use crate::snmp::value::Value;

/// A scalar of bcmThresholds, as the object map declares it: the running
/// configuration's global threshold, which a SET edits.
macro_rules! threshold {
    ($name:ident, $column:literal) => {
        pub static $name: ScalarDef = {
            const COLUMN: Column = objects::scalar_column(&THRESHOLDS, $column);
            ScalarDef {
                name: COLUMN.name,
                oid: &objects::scalar_oid::<_, { THRESHOLDS.oid.len() + 1 }>(&THRESHOLDS, $column),
                syntax: COLUMN.syntax,
                access: COLUMN.access,
                get: |ctx| objects::scalar_cell(&THRESHOLDS, &ctx.config.thresholds, $column),
                set: Some(|ctx, v| objects::scalar_set(&THRESHOLDS, ctx, $column, v)),
            }
        };
    };
}

threshold!(THRESH_CPU_PERCENT, 1);
threshold!(THRESH_MEMORY_PERCENT, 2);
threshold!(THRESH_SYNC_LAG_BLOCKS, 3);
threshold!(THRESH_CONSENSUS_STALL, 4);
threshold!(THRESH_LINK_LATENCY, 5);
threshold!(THRESH_XCHAIN_TIMEOUT_PERCENT, 6);

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
