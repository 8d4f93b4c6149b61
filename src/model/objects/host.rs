//! bcmHostDiskTable, bcmHostIfTable / chain-agent-nodes `host`: the agent
//! host's file systems and network interfaces. Each MIB row joins two
//! YANG lists keyed alike: the inventory's entry (`host/disk`,
//! `host/interface`: DiskInfo, InterfaceInfo) and the latest sample's
//! entry of the same mount point or name (`host/performance/disk`,
//! `host/performance/interface`: DiskUsage, InterfaceCounters). So each
//! MIB entry is declared in two parts, one per YANG list and model row,
//! which together hold its columns; the sample's part is absent for a
//! disk or interface the sample does not cover.
//!
//! The MIB indexes both tables by position in the inventory (1-based),
//! which the reader supplies; YANG keys the entries by mount point and
//! name, which are columns of the inventory's part.
//!
//! bcmHost and bcmHostPerf are the inventory's and the sample's own
//! figures, as scalars (`host`, `host/performance`).

use super::Datum::*;
use super::Scale::{Hundred, Kibi, Mebi};
use super::Syntax::*;
use super::Yang::{Leaf, Mandatory};
use super::performance::percent;
use super::{Column, IndexPart, IndexSyntax, Key, Object, Scalars, Table, ro};
use crate::model::host::{
    DiskInfo, DiskUsage, HostInventory, HostPerformance, InterfaceCounters, InterfaceInfo,
};

/// bcmHost: the inventory of the agent's host.
pub static HOST: Scalars<HostInventory> = Scalars {
    group: "bcmHost",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 3],
    yang: "/chain-agent-nodes:host",
    objects: &[
        Column {
            object: ro(1, "bcmHostName", AdminString, Leaf("hostname")),
            get: |h| Some(Text(&h.hostname)),
        },
        Column {
            object: ro(2, "bcmHostOsName", AdminString, Leaf("os-name")),
            get: |h| Some(Text(&h.os_name)),
        },
        Column {
            object: ro(3, "bcmHostOsVersion", AdminString, Leaf("os-version")),
            get: |h| Some(Text(&h.os_version)),
        },
        Column {
            object: ro(4, "bcmHostKernel", AdminString, Leaf("kernel")),
            get: |h| Some(Text(&h.kernel)),
        },
        Column {
            object: ro(5, "bcmHostArch", AdminString, Leaf("arch")),
            get: |h| Some(Text(&h.arch)),
        },
        Column {
            object: ro(6, "bcmHostCpuModel", AdminString, Leaf("cpu-model")),
            get: |h| Some(Text(&h.cpu_model)),
        },
        Column {
            object: ro(7, "bcmHostCpuCores", Unsigned32, Leaf("cpu-cores")).unit("logical CPUs"),
            get: |h| Some(U32(h.cpu_cores)),
        },
        Column {
            object: ro(
                8,
                "bcmHostMemoryKBytes",
                Unsigned32,
                Leaf("memory-total-bytes"),
            )
            .unit("bytes")
            .mib_scale(Kibi, "KiB"),
            get: |h| Some(U64(h.memory_total_bytes)),
        },
        Column {
            // Whole seconds: YANG's number, the MIB's DateAndTime.
            object: ro(9, "bcmHostBootTime", DateAndTime, Leaf("boot-time-unix"))
                .unit("seconds since 1970-01-01T00:00:00Z"),
            get: |h| Some(U64(h.boot_time_unix)),
        },
    ],
};

/// A load average: YANG's decimal, the MIB's hundredths.
const fn load(column: u32, name: &'static str, leaf: &'static str) -> Object {
    Object {
        mib_unit: Some("hundredths"),
        scale: Hundred,
        ..ro(column, name, Unsigned32, Leaf(leaf))
    }
}

/// bcmHostPerf: the latest sample of the agent's host.
pub static HOST_PERF: Scalars<HostPerformance> = Scalars {
    group: "bcmHostPerf",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 3],
    yang: "/chain-agent-nodes:host/performance",
    objects: &[
        Column {
            object: ro(1, "bcmHostCpuPercent", Unsigned32, Leaf("cpu-percent"))
                .unit("percent")
                .mib_scale(Hundred, "hundredths of a percent"),
            get: |h| Some(percent(h.cpu_percent)),
        },
        Column {
            object: load(2, "bcmHostLoad1", "load1"),
            get: |h| Some(Float(h.load1, 2)),
        },
        Column {
            object: load(3, "bcmHostLoad5", "load5"),
            get: |h| Some(Float(h.load5, 2)),
        },
        Column {
            object: load(4, "bcmHostLoad15", "load15"),
            get: |h| Some(Float(h.load15, 2)),
        },
        Column {
            object: ro(
                5,
                "bcmHostMemoryUsedKBytes",
                Gauge32,
                Leaf("memory-used-bytes"),
            )
            .unit("bytes")
            .mib_scale(Kibi, "KiB"),
            get: |h| Some(U64(h.memory_used_bytes)),
        },
        Column {
            object: ro(
                6,
                "bcmHostMemoryPercent",
                Unsigned32,
                Leaf("memory-percent"),
            )
            .unit("percent")
            .mib_scale(Hundred, "hundredths of a percent"),
            get: |h| Some(percent(h.memory_percent)),
        },
        Column {
            object: ro(7, "bcmHostSwapUsedKBytes", Gauge32, Leaf("swap-used-bytes"))
                .unit("bytes")
                .mib_scale(Kibi, "KiB"),
            get: |h| Some(U64(h.swap_used_bytes)),
        },
        Column {
            object: ro(8, "bcmHostUptime", Unsigned32, Leaf("uptime-seconds")).unit("seconds"),
            get: |h| Some(U64(h.uptime_seconds)),
        },
    ],
};

pub static HOST_DISK_INDEX: IndexPart = IndexPart {
    name: "bcmHostDiskIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 4, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

const DISK_ENTRY: &str = "bcmHostDiskEntry";
const DISK_POSITION: &str = "a position in the agent's list; YANG keys the entry by mount-point";
const DISK_OID: &[u32] = &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 4, 1];

/// bcmHostDiskEntry's columns from the inventory.
pub static HOST_DISK: Table<DiskInfo> = Table {
    entry: DISK_ENTRY,
    oid: DISK_OID,
    yang: "/chain-agent-nodes:host/disk",
    keys: &[Key::position(&HOST_DISK_INDEX, DISK_POSITION)],
    columns: &[
        Column {
            object: ro(2, "bcmHostDiskMount", AdminString, Mandatory("mount-point")),
            get: |d| Some(Text(&d.mount_point)),
        },
        Column {
            object: ro(3, "bcmHostDiskDevice", AdminString, Leaf("device")),
            get: |d| Some(Text(&d.device)),
        },
        Column {
            object: ro(4, "bcmHostDiskFsType", AdminString, Leaf("fs-type")),
            get: |d| Some(Text(&d.fs_type)),
        },
        Column {
            object: ro(5, "bcmHostDiskTotalMBytes", Unsigned32, Leaf("total-bytes"))
                .unit("bytes")
                .mib_scale(Mebi, "MiB"),
            get: |d| Some(U64(d.total_bytes)),
        },
    ],
};

/// bcmHostDiskEntry's columns from the latest sample.
pub static HOST_DISK_USAGE: Table<DiskUsage> = Table {
    entry: DISK_ENTRY,
    oid: DISK_OID,
    yang: "/chain-agent-nodes:host/performance/disk",
    keys: &[Key::position(&HOST_DISK_INDEX, DISK_POSITION)],
    columns: &[
        Column {
            object: ro(6, "bcmHostDiskUsedMBytes", Gauge32, Leaf("used-bytes"))
                .unit("bytes")
                .mib_scale(Mebi, "MiB"),
            get: |u| Some(U64(u.used_bytes)),
        },
        Column {
            object: ro(7, "bcmHostDiskPercent", Unsigned32, Leaf("percent"))
                .unit("percent")
                .mib_scale(Hundred, "hundredths of a percent"),
            get: |u| Some(percent(u.percent)),
        },
    ],
};

pub static HOST_IF_INDEX: IndexPart = IndexPart {
    name: "bcmHostIfIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 5, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

const IF_ENTRY: &str = "bcmHostIfEntry";
const IF_POSITION: &str = "a position in the agent's list; YANG keys the entry by name";
const IF_OID: &[u32] = &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 5, 1];

/// bcmHostIfEntry's columns from the inventory.
pub static HOST_IF: Table<InterfaceInfo> = Table {
    entry: IF_ENTRY,
    oid: IF_OID,
    yang: "/chain-agent-nodes:host/interface",
    keys: &[Key::position(&HOST_IF_INDEX, IF_POSITION)],
    columns: &[
        Column {
            object: ro(2, "bcmHostIfName", AdminString, Mandatory("name")),
            get: |i| Some(Text(&i.name)),
        },
        Column {
            object: ro(3, "bcmHostIfPhysAddress", PhysAddress, Leaf("mac")),
            get: |i| Some(Mac(&i.mac)),
        },
        Column {
            object: ro(4, "bcmHostIfMtu", Unsigned32, Leaf("mtu"))
                .unit("bytes")
                .mib_names("octets"),
            get: |i| Some(U32(i.mtu)),
        },
        Column {
            object: ro(5, "bcmHostIfSpeed", Unsigned32, Leaf("speed-mbps"))
                .unit("megabits per second")
                .mib_names("Mbit/s"),
            get: |i| Some(U64(i.speed_mbps?.into())),
        },
    ],
};

/// A counter of bytes, which the MIB calls octets.
const fn octets(column: u32, name: &'static str, leaf: &'static str) -> super::Object {
    ro(column, name, Counter64, Leaf(leaf))
        .unit("bytes")
        .mib_names("octets")
}

/// A counter of packets: the MIB states the unit, YANG does not.
const fn packets(column: u32, name: &'static str, leaf: &'static str) -> super::Object {
    ro(column, name, Counter64, Leaf(leaf)).unit("packets")
}

/// bcmHostIfEntry's columns from the latest sample.
pub static HOST_IF_COUNTERS: Table<InterfaceCounters> = Table {
    entry: IF_ENTRY,
    oid: IF_OID,
    yang: "/chain-agent-nodes:host/performance/interface",
    keys: &[Key::position(&HOST_IF_INDEX, IF_POSITION)],
    columns: &[
        Column {
            object: ro(6, "bcmHostIfOperStatus", UpDown, Leaf("oper-up")),
            get: |c| Some(Bool(c.oper_up)),
        },
        Column {
            object: octets(7, "bcmHostIfInOctets", "rx-bytes"),
            get: |c| Some(U64(c.rx_bytes)),
        },
        Column {
            object: octets(8, "bcmHostIfOutOctets", "tx-bytes"),
            get: |c| Some(U64(c.tx_bytes)),
        },
        Column {
            object: packets(9, "bcmHostIfInPackets", "rx-packets"),
            get: |c| Some(U64(c.rx_packets)),
        },
        Column {
            object: packets(10, "bcmHostIfOutPackets", "tx-packets"),
            get: |c| Some(U64(c.tx_packets)),
        },
        Column {
            object: packets(11, "bcmHostIfInErrors", "rx-errors"),
            get: |c| Some(U64(c.rx_errors)),
        },
        Column {
            object: packets(12, "bcmHostIfOutErrors", "tx-errors"),
            get: |c| Some(U64(c.tx_errors)),
        },
        Column {
            object: packets(13, "bcmHostIfInDrops", "rx-drops"),
            get: |c| Some(U64(c.rx_drops)),
        },
        Column {
            object: packets(14, "bcmHostIfOutDrops", "tx-drops"),
            get: |c| Some(U64(c.tx_drops)),
        },
    ],
};
