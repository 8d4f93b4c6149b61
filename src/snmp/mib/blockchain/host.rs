//! bcmHost, bcmHostDiskTable, bcmHostIfTable: the inventory of the machine
//! the agent runs on (HostInventory), joined with the usage figures of
//! the latest host sample where the MIB shows them side by side. The two
//! tables' columns are the object map's (`model::objects::host`, one part
//! per source), and so are bcmHost's scalars; the tables' rows, by
//! inventory position, are listed here.

use super::index::{self, IndexPart, Key};
use super::{objects, row};
use crate::model::host::{DiskInfo, DiskUsage, HostInventory, InterfaceCounters, InterfaceInfo};
use crate::model::objects::host::{HOST, HOST_DISK, HOST_DISK_USAGE, HOST_IF, HOST_IF_COUNTERS};
use crate::snmp::mib::convert::position_index;
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

/// Row.sub of a disk or interface that the latest sample does not cover.
const NOT_SAMPLED: usize = usize::MAX;

fn host<'a>(ctx: &Ctx<'a>) -> Option<&'a HostInventory> {
    ctx.snapshot.nodes.host.as_ref()
}

map_scalar!(HOST_NAME, HOST, 1, host);
map_scalar!(HOST_OS_NAME, HOST, 2, host);
map_scalar!(HOST_OS_VERSION, HOST, 3, host);
map_scalar!(HOST_KERNEL, HOST, 4, host);
map_scalar!(HOST_ARCH, HOST, 5, host);
map_scalar!(HOST_CPU_MODEL, HOST, 6, host);
map_scalar!(HOST_CPU_CORES, HOST, 7, host);
map_scalar!(HOST_MEMORY_KBYTES, HOST, 8, host);
map_scalar!(HOST_BOOT_TIME, HOST, 9, host);

pub static HOST_DISK_TABLE_INDEX: &[&IndexPart] =
    &objects::index::<_, { HOST_DISK.keys.len() }>(&HOST_DISK);

pub static HOST_DISK_TABLE: TableDef = TableDef {
    name: HOST_DISK.entry,
    entry: HOST_DISK.oid,
    index: HOST_DISK_TABLE_INDEX,
    columns: &objects::joined_columns::<
        _,
        _,
        { HOST_DISK.columns.len() + HOST_DISK_USAGE.columns.len() },
    >(&HOST_DISK, &HOST_DISK_USAGE),
    rows: disk_rows,
    get: disk_get,
    set: None,
    update: None,
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

/// The inventory's columns, else the sample's when it covers the disk.
fn disk_cell(d: &DiskInfo, usage: Option<&DiskUsage>, col: u32) -> Option<Value> {
    objects::cell(&HOST_DISK, d, col).or_else(|| objects::cell(&HOST_DISK_USAGE, usage?, col))
}

pub static HOST_IF_TABLE_INDEX: &[&IndexPart] =
    &objects::index::<_, { HOST_IF.keys.len() }>(&HOST_IF);

pub static HOST_IF_TABLE: TableDef = TableDef {
    name: HOST_IF.entry,
    entry: HOST_IF.oid,
    index: HOST_IF_TABLE_INDEX,
    columns: &objects::joined_columns::<
        _,
        _,
        { HOST_IF.columns.len() + HOST_IF_COUNTERS.columns.len() },
    >(&HOST_IF, &HOST_IF_COUNTERS),
    rows: if_rows,
    get: if_get,
    set: None,
    update: None,
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

/// The inventory's columns, else the sample's when it covers the
/// interface.
fn if_cell(i: &InterfaceInfo, c: Option<&InterfaceCounters>, col: u32) -> Option<Value> {
    objects::cell(&HOST_IF, i, col).or_else(|| objects::cell(&HOST_IF_COUNTERS, c?, col))
}
