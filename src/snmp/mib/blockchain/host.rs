//! bcmHost, bcmHostDiskTable, bcmHostIfTable: the inventory of the machine
//! the agent runs on (HostInventory), joined with the usage figures of
//! the latest host sample where the MIB shows them side by side.

use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, ro, row, scalar};
use crate::model::host::{DiskInfo, DiskUsage, HostInventory, InterfaceCounters, InterfaceInfo};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{
    date_and_time_secs, kib, mac_octets, mib, percent_hundredths, position_index,
};
use crate::snmp::mib::{Ctx, Row, ScalarDef, TableDef};
use crate::snmp::value::Value;

/// Row.sub of a disk or interface that the latest sample does not cover.
const NOT_SAMPLED: usize = usize::MAX;

fn host<'a>(ctx: &Ctx<'a>) -> Option<&'a HostInventory> {
    ctx.snapshot.nodes.host.as_ref()
}

pub static HOST_NAME: ScalarDef = scalar(
    "bcmHostName",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 1],
    OctetString,
    |ctx| host(ctx).map(|h| cell::text(&h.hostname)),
);

pub static HOST_OS_NAME: ScalarDef = scalar(
    "bcmHostOsName",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 2],
    OctetString,
    |ctx| host(ctx).map(|h| cell::text(&h.os_name)),
);

pub static HOST_OS_VERSION: ScalarDef = scalar(
    "bcmHostOsVersion",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 3],
    OctetString,
    |ctx| host(ctx).map(|h| cell::text(&h.os_version)),
);

pub static HOST_KERNEL: ScalarDef = scalar(
    "bcmHostKernel",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 4],
    OctetString,
    |ctx| host(ctx).map(|h| cell::text(&h.kernel)),
);

pub static HOST_ARCH: ScalarDef = scalar(
    "bcmHostArch",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 5],
    OctetString,
    |ctx| host(ctx).map(|h| cell::text(&h.arch)),
);

pub static HOST_CPU_MODEL: ScalarDef = scalar(
    "bcmHostCpuModel",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 6],
    OctetString,
    |ctx| host(ctx).map(|h| cell::text(&h.cpu_model)),
);

pub static HOST_CPU_CORES: ScalarDef = scalar(
    "bcmHostCpuCores",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 7],
    Unsigned32,
    |ctx| host(ctx).map(|h| cell::unsigned(h.cpu_cores)),
);

pub static HOST_MEMORY_KBYTES: ScalarDef = scalar(
    "bcmHostMemoryKBytes",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 8],
    Unsigned32,
    |ctx| host(ctx).map(|h| cell::unsigned(kib(h.memory_total_bytes))),
);

pub static HOST_BOOT_TIME: ScalarDef = scalar(
    "bcmHostBootTime",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3, 9],
    OctetString,
    |ctx| host(ctx).map(|h| Value::OctetString(date_and_time_secs(h.boot_time_unix))),
);

pub static HOST_DISK_INDEX: IndexPart = IndexPart {
    name: "bcmHostDiskIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 4, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static HOST_DISK_TABLE_INDEX: &[&IndexPart] = &[&HOST_DISK_INDEX];

pub static HOST_DISK_TABLE: TableDef = TableDef {
    name: "bcmHostDiskEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 4, 1],
    index: HOST_DISK_TABLE_INDEX,
    columns: &[
        ro(2, "bcmHostDiskMount", OctetString),
        ro(3, "bcmHostDiskDevice", OctetString),
        ro(4, "bcmHostDiskFsType", OctetString),
        ro(5, "bcmHostDiskTotalMBytes", Unsigned32),
        ro(6, "bcmHostDiskUsedMBytes", Gauge32),
        ro(7, "bcmHostDiskPercent", Unsigned32),
    ],
    rows: disk_rows,
    get: disk_get,
    set: None,
};

/// Rows by inventory position; `sub` is the position of the same mount
/// point in the latest sample, so that `get` needs no search.
fn disk_rows(ctx: &Ctx) -> Vec<Row> {
    let Some(h) = host(ctx) else {
        return Vec::new();
    };
    let usage = ctx.snapshot.performance.host.as_ref().map(|p| &p.disks);
    h.disks
        .iter()
        .enumerate()
        .filter_map(|(pos, d)| {
            let sub = usage
                .and_then(|u| u.iter().position(|x| x.mount_point == d.mount_point))
                .unwrap_or(NOT_SAMPLED);
            let n = position_index(pos)?;
            row(
                index::encode(HOST_DISK_TABLE_INDEX, &[Key::Number(n)]),
                pos,
                sub,
            )
        })
        .collect()
}

fn disk_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let d = host(ctx)?.disks.get(row.pos)?;
    let usage = ctx
        .snapshot
        .performance
        .host
        .as_ref()
        .and_then(|p| p.disks.get(row.sub));
    disk_cell(d, usage, col)
}

fn disk_cell(d: &DiskInfo, usage: Option<&DiskUsage>, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&d.mount_point),
        3 => cell::text(&d.device),
        4 => cell::text(&d.fs_type),
        5 => cell::unsigned(mib(d.total_bytes)),
        6 => cell::unsigned(mib(usage?.used_bytes)),
        7 => cell::unsigned(percent_hundredths(usage?.percent)),
        _ => return None,
    })
}

pub static HOST_IF_INDEX: IndexPart = IndexPart {
    name: "bcmHostIfIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 5, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static HOST_IF_TABLE_INDEX: &[&IndexPart] = &[&HOST_IF_INDEX];

pub static HOST_IF_TABLE: TableDef = TableDef {
    name: "bcmHostIfEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 5, 1],
    index: HOST_IF_TABLE_INDEX,
    columns: &[
        ro(2, "bcmHostIfName", OctetString),
        ro(3, "bcmHostIfPhysAddress", OctetString),
        ro(4, "bcmHostIfMtu", Unsigned32),
        ro(5, "bcmHostIfSpeed", Unsigned32),
        ro(6, "bcmHostIfOperStatus", Integer32),
        ro(7, "bcmHostIfInOctets", Counter64),
        ro(8, "bcmHostIfOutOctets", Counter64),
        ro(9, "bcmHostIfInPackets", Counter64),
        ro(10, "bcmHostIfOutPackets", Counter64),
        ro(11, "bcmHostIfInErrors", Counter64),
        ro(12, "bcmHostIfOutErrors", Counter64),
        ro(13, "bcmHostIfInDrops", Counter64),
        ro(14, "bcmHostIfOutDrops", Counter64),
    ],
    rows: if_rows,
    get: if_get,
    set: None,
};

/// Rows by inventory position; `sub` is the position of the interface's
/// counters (same name) in the latest sample.
fn if_rows(ctx: &Ctx) -> Vec<Row> {
    let Some(h) = host(ctx) else {
        return Vec::new();
    };
    let counters = ctx
        .snapshot
        .performance
        .host
        .as_ref()
        .map(|p| &p.interfaces);
    h.interfaces
        .iter()
        .enumerate()
        .filter_map(|(pos, i)| {
            let sub = counters
                .and_then(|c| c.iter().position(|x| x.name == i.name))
                .unwrap_or(NOT_SAMPLED);
            let n = position_index(pos)?;
            row(
                index::encode(HOST_IF_TABLE_INDEX, &[Key::Number(n)]),
                pos,
                sub,
            )
        })
        .collect()
}

fn if_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let i = host(ctx)?.interfaces.get(row.pos)?;
    let counters = ctx
        .snapshot
        .performance
        .host
        .as_ref()
        .and_then(|p| p.interfaces.get(row.sub));
    if_cell(i, counters, col)
}

fn if_cell(i: &InterfaceInfo, c: Option<&InterfaceCounters>, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&i.name),
        3 => Value::OctetString(mac_octets(&i.mac)?),
        4 => cell::unsigned(i.mtu),
        5 => cell::unsigned(i.speed_mbps?),
        6 => cell::int(if c?.oper_up { 1 } else { 2 }),
        7 => cell::counter64(c?.rx_bytes),
        8 => cell::counter64(c?.tx_bytes),
        9 => cell::counter64(c?.rx_packets),
        10 => cell::counter64(c?.tx_packets),
        11 => cell::counter64(c?.rx_errors),
        12 => cell::counter64(c?.tx_errors),
        13 => cell::counter64(c?.rx_drops),
        14 => cell::counter64(c?.tx_drops),
        _ => return None,
    })
}
