//! bcmPerformance / chain-agent-nodes: the global alarm thresholds
//! (Thresholds, configuration), each node's measurements
//! (NodePerformance) with the thresholds in force for it.
//!
//! The global thresholds are the configuration's own: their scalars read
//! the running configuration's `thresholds` and a SET edits it.
//!
//! The per-node thresholds are configuration: their columns show the
//! thresholds the sample carries and name the override a SET edits;
//! SNMP reads them from the running configuration (so that a SET shows
//! at once).

use super::Datum::*;
use super::Scale::{Hundred, Kibi, Mebi};
use super::Syntax::*;
use super::Yang::{Leaf, ReadWrite};
use super::chain::CHAIN_NAME;
use super::node::NODE_NAME;
use super::{Clear, Column, Input, Key, Scalars, Step, Table, config, ro, rw};
use crate::model::performance::{NodePerformance, Thresholds};

/// Columns of the per-node threshold overrides.
pub const PERF_THRESH_CPU: u32 = 14;
pub const PERF_THRESH_MEMORY: u32 = 15;
pub const PERF_THRESH_SYNC_LAG: u32 = 16;
pub const PERF_THRESH_TX_POOL_MAX: u32 = 42;
pub const PERF_THRESH_HOLD_OFF: u32 = 43;
pub const PERF_THRESH_PEER_COUNT_MIN: u32 = 27;
pub const PERF_THRESH_PEER_HOLD_OFF: u32 = 28;
pub const PERF_THRESH_DISK_FREE: u32 = 31;
pub const PERF_THRESH_CERT_EXPIRY: u32 = 39;
pub const PERF_THRESH_NODE_DEGRADED_HOLD_OFF: u32 = 37;

const PERCENT: &str = "percent";
const PERCENT_HUNDREDTHS: &str = "hundredths of a percent";

/// A percentage: held to 0..100, YANG's `percent` in hundredths.
pub(super) fn percent<'a>(v: f64) -> super::Datum<'a> {
    Float(v.clamp(0.0, 100.0), 2)
}

/// `thresholds/<leaf>`: a global threshold.
const fn global(leaf: &'static str) -> [Step; 2] {
    [Step::Name("thresholds"), Step::Name(leaf)]
}
const CPU_AT: &[Step] = &global("cpu-percent");
const MEMORY_AT: &[Step] = &global("memory-percent");
const SYNC_LAG_AT: &[Step] = &global("sync-lag-blocks");
const STALL_AT: &[Step] = &global("consensus-stall-seconds");
const LATENCY_AT: &[Step] = &global("link-latency-ms");
const XCHAIN_AT: &[Step] = &global("xchain-timeout-percent");
const CPU_HYST_AT: &[Step] = &global("cpu-hysteresis-percent");
const MEMORY_HYST_AT: &[Step] = &global("memory-hysteresis-percent");
const SYNC_LAG_HYST_AT: &[Step] = &global("sync-lag-hysteresis-blocks");
const LATENCY_HYST_AT: &[Step] = &global("link-latency-hysteresis-ms");
const HOLD_OFF_AT: &[Step] = &global("hold-off-seconds");
const TX_POOL_AT: &[Step] = &global("tx-pool-max");
const PEER_MIN_AT: &[Step] = &global("peer-count-min");
const PEER_HOLD_OFF_AT: &[Step] = &global("peer-count-hold-off-seconds");
const STALL_FACTOR_AT: &[Step] = &global("block-stall-factor");
const BLOCK_INTERVAL_AT: &[Step] = &global("block-interval-seconds");
const CONTRACT_FAILURE_AT: &[Step] = &global("contract-failure-percent");
const CONTRACT_WINDOW_AT: &[Step] = &global("contract-failure-window-seconds");
const CONTRACT_MIN_CALLS_AT: &[Step] = &global("contract-failure-min-calls");
const DISK_FREE_AT: &[Step] = &global("disk-free-percent");
const CERT_EXPIRY_AT: &[Step] = &global("cert-expiry-days");
const CERT_EXPIRY_HYST_AT: &[Step] = &global("cert-expiry-hysteresis-days");
const NODE_DEGRADED_AT: &[Step] = &global("node-degraded-hold-off-seconds");
const PACKET_AGE_AT: &[Step] = &global("relayer-packet-age-seconds");
const BACKLOG_AT: &[Step] = &global("relayer-backlog-max");
const CLIENT_EXPIRY_AT: &[Step] = &global("relayer-client-expiry-hours");

/// bcmThresholds: the global thresholds of the running configuration.
pub static THRESHOLDS: Scalars<Thresholds> = Scalars {
    group: "bcmThresholds",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 1],
    yang: "/chain-agent-nodes:thresholds",
    objects: &[
        Column {
            object: rw(
                1,
                "bcmThreshCpuPercent",
                Unsigned32,
                Leaf("cpu-percent"),
                config(CPU_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.cpu_percent)),
        },
        Column {
            object: rw(
                2,
                "bcmThreshMemoryPercent",
                Unsigned32,
                Leaf("memory-percent"),
                config(MEMORY_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.memory_percent)),
        },
        Column {
            object: rw(
                3,
                "bcmThreshSyncLagBlocks",
                Unsigned32,
                Leaf("sync-lag-blocks"),
                config(SYNC_LAG_AT, 0, Input::Unsigned),
            )
            .unit("blocks"),
            get: |t| Some(U64(t.sync_lag_blocks)),
        },
        Column {
            object: rw(
                4,
                "bcmThreshConsensusStall",
                Unsigned32,
                Leaf("consensus-stall-seconds"),
                config(STALL_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.consensus_stall_seconds)),
        },
        Column {
            object: rw(
                5,
                "bcmThreshLinkLatency",
                Unsigned32,
                Leaf("link-latency-ms"),
                // Whole milliseconds, which the configuration holds as a
                // floating-point number.
                config(LATENCY_AT, 0, Input::UnsignedAsFloat),
            )
            .unit("milliseconds"),
            get: |t| Some(Float(t.link_latency_ms, 3)),
        },
        Column {
            object: rw(
                6,
                "bcmThreshXchainTimeoutPercent",
                Unsigned32,
                Leaf("xchain-timeout-percent"),
                config(XCHAIN_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.xchain_timeout_percent)),
        },
        Column {
            object: rw(
                7,
                "bcmThreshCpuHysteresis",
                Unsigned32,
                Leaf("cpu-hysteresis-percent"),
                config(CPU_HYST_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.cpu_hysteresis_percent)),
        },
        Column {
            object: rw(
                8,
                "bcmThreshMemoryHysteresis",
                Unsigned32,
                Leaf("memory-hysteresis-percent"),
                config(MEMORY_HYST_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.memory_hysteresis_percent)),
        },
        Column {
            object: rw(
                9,
                "bcmThreshSyncLagHysteresis",
                Unsigned32,
                Leaf("sync-lag-hysteresis-blocks"),
                config(SYNC_LAG_HYST_AT, 0, Input::Unsigned),
            )
            .unit("blocks"),
            get: |t| Some(U64(t.sync_lag_hysteresis_blocks)),
        },
        Column {
            object: rw(
                10,
                "bcmThreshLinkLatencyHysteresis",
                Unsigned32,
                Leaf("link-latency-hysteresis-ms"),
                config(LATENCY_HYST_AT, 0, Input::UnsignedAsFloat),
            )
            .unit("milliseconds"),
            get: |t| Some(Float(t.link_latency_hysteresis_ms, 3)),
        },
        Column {
            object: rw(
                11,
                "bcmThreshHoldOff",
                Unsigned32,
                Leaf("hold-off-seconds"),
                config(HOLD_OFF_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.hold_off_seconds)),
        },
        Column {
            object: rw(
                12,
                "bcmThreshTxPoolMax",
                Unsigned32,
                Leaf("tx-pool-max"),
                config(TX_POOL_AT, 0, Input::Unsigned),
            )
            .unit("transactions"),
            get: |t| Some(U64(t.tx_pool_max)),
        },
        Column {
            object: rw(
                13,
                "bcmThreshPeerCountMin",
                Unsigned32,
                Leaf("peer-count-min"),
                config(PEER_MIN_AT, 0, Input::Unsigned),
            )
            .unit("peers"),
            get: |t| Some(U64(t.peer_count_min)),
        },
        Column {
            object: rw(
                14,
                "bcmThreshPeerCountHoldOff",
                Unsigned32,
                Leaf("peer-count-hold-off-seconds"),
                config(PEER_HOLD_OFF_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.peer_count_hold_off_seconds)),
        },
        Column {
            object: rw(
                15,
                "bcmThreshBlockStallFactor",
                Unsigned32,
                Leaf("block-stall-factor"),
                config(STALL_FACTOR_AT, 0, Input::Unsigned),
            ),
            get: |t| Some(U64(t.block_stall_factor)),
        },
        Column {
            object: rw(
                16,
                "bcmThreshBlockIntervalSeconds",
                Unsigned32,
                Leaf("block-interval-seconds"),
                config(BLOCK_INTERVAL_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.block_interval_seconds)),
        },
        Column {
            object: rw(
                17,
                "bcmThreshContractFailurePercent",
                Unsigned32,
                Leaf("contract-failure-percent"),
                config(CONTRACT_FAILURE_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.contract_failure_percent)),
        },
        Column {
            object: rw(
                18,
                "bcmThreshContractFailureWindow",
                Unsigned32,
                Leaf("contract-failure-window-seconds"),
                config(CONTRACT_WINDOW_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.contract_failure_window_seconds)),
        },
        Column {
            object: rw(
                19,
                "bcmThreshContractFailureMinCalls",
                Unsigned32,
                Leaf("contract-failure-min-calls"),
                config(CONTRACT_MIN_CALLS_AT, 0, Input::Unsigned),
            )
            .unit("calls"),
            get: |t| Some(U64(t.contract_failure_min_calls)),
        },
        Column {
            object: rw(
                20,
                "bcmThreshDiskFreePercent",
                Unsigned32,
                Leaf("disk-free-percent"),
                config(DISK_FREE_AT, 0, Input::PercentHundredths),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |t| Some(percent(t.disk_free_percent)),
        },
        Column {
            object: rw(
                21,
                "bcmThreshNodeDegradedHoldOff",
                Unsigned32,
                Leaf("node-degraded-hold-off-seconds"),
                config(NODE_DEGRADED_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.node_degraded_hold_off_seconds)),
        },
        Column {
            object: rw(
                22,
                "bcmThreshRelayerPacketAge",
                Unsigned32,
                Leaf("relayer-packet-age-seconds"),
                config(PACKET_AGE_AT, 0, Input::Unsigned),
            )
            .unit("seconds"),
            get: |t| Some(U64(t.relayer_packet_age_seconds)),
        },
        Column {
            object: rw(
                23,
                "bcmThreshRelayerBacklogMax",
                Unsigned32,
                Leaf("relayer-backlog-max"),
                config(BACKLOG_AT, 0, Input::Unsigned),
            )
            .unit("packets"),
            get: |t| Some(U64(t.relayer_backlog_max)),
        },
        Column {
            object: rw(
                24,
                "bcmThreshRelayerClientExpiry",
                Unsigned32,
                Leaf("relayer-client-expiry-hours"),
                config(CLIENT_EXPIRY_AT, 0, Input::Unsigned),
            )
            .unit("hours"),
            get: |t| Some(U64(t.relayer_client_expiry_hours)),
        },
        Column {
            object: rw(
                25,
                "bcmThreshCertExpiryDays",
                Unsigned32,
                Leaf("cert-expiry-days"),
                config(CERT_EXPIRY_AT, 0, Input::Unsigned),
            )
            .unit("days"),
            get: |t| Some(U64(t.cert_expiry_days)),
        },
        Column {
            object: rw(
                26,
                "bcmThreshCertExpiryHysteresis",
                Unsigned32,
                Leaf("cert-expiry-hysteresis-days"),
                config(CERT_EXPIRY_HYST_AT, 0, Input::Unsigned),
            )
            .unit("days"),
            get: |t| Some(U64(t.cert_expiry_hysteresis_days)),
        },
    ],
};

/// `chains/<chain>/nodes/<node>/thresholds/<leaf>`: a node's override of
/// a global threshold, which a SET edits for a node of a configured
/// chain (the first 2 steps); 0 removes it, the global applying again.
const fn threshold_leaf(leaf: &'static str) -> [Step; 6] {
    [
        Step::Name("chains"),
        Step::Key(0),
        Step::Name("nodes"),
        Step::Key(1),
        Step::Name("thresholds"),
        Step::Name(leaf),
    ]
}
const THRESH_CPU_AT: &[Step] = &threshold_leaf("cpu-percent");
const THRESH_MEMORY_AT: &[Step] = &threshold_leaf("memory-percent");
const THRESH_SYNC_LAG_AT: &[Step] = &threshold_leaf("sync-lag-blocks");
const THRESH_TX_POOL_AT: &[Step] = &threshold_leaf("tx-pool-max");
const THRESH_HOLD_OFF_AT: &[Step] = &threshold_leaf("hold-off-seconds");
const THRESH_PEER_MIN_AT: &[Step] = &threshold_leaf("peer-count-min");
const THRESH_PEER_HOLD_OFF_AT: &[Step] = &threshold_leaf("peer-count-hold-off-seconds");
const THRESH_DISK_FREE_AT: &[Step] = &threshold_leaf("disk-free-percent");
const THRESH_CERT_EXPIRY_AT: &[Step] = &threshold_leaf("cert-expiry-days");
const THRESH_NODE_DEGRADED_AT: &[Step] = &threshold_leaf("node-degraded-hold-off-seconds");

pub static NODE_PERF: Table<NodePerformance> = Table {
    entry: "bcmNodePerfEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 3, 2, 1],
    yang: "/chain-agent-nodes:chains/chain/nodes/node/performance",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|p| Some(Text(&p.chain))),
        },
        Key {
            part: &NODE_NAME,
            leaf: None,
            why: None,
            get: Some(|p| Some(Text(&p.node))),
        },
    ],
    columns: &[
        Column {
            object: ro(1, "bcmPerfSampledAt", DateAndTime, Leaf("sampled-at")),
            get: |p| Some(Time(p.sampled_at)),
        },
        Column {
            object: ro(2, "bcmPerfCpuPercent", Unsigned32, Leaf("cpu-percent"))
                .unit(PERCENT)
                .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |p| Some(percent(p.cpu_percent?)),
        },
        Column {
            object: ro(
                3,
                "bcmPerfMemoryPercent",
                Unsigned32,
                Leaf("memory-percent"),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |p| Some(percent(p.memory_percent?)),
        },
        Column {
            object: ro(
                4,
                "bcmPerfMemoryUsedKBytes",
                Gauge32,
                Leaf("memory-used-bytes"),
            )
            .unit("bytes")
            .mib_scale(Kibi, "KiB"),
            get: |p| Some(U64(p.memory_used_bytes?)),
        },
        Column {
            object: ro(5, "bcmPerfDiskUsedMBytes", Gauge32, Leaf("disk-used-bytes"))
                .unit("bytes")
                .mib_scale(Mebi, "MiB"),
            get: |p| Some(U64(p.disk_used_bytes?)),
        },
        Column {
            object: ro(6, "bcmPerfNetInRate", Gauge32, Leaf("net-in-bytes-per-sec"))
                .unit("bytes per second"),
            get: |p| Some(Float(p.net_in_bytes_per_sec?, 2)),
        },
        Column {
            object: ro(
                7,
                "bcmPerfNetOutRate",
                Gauge32,
                Leaf("net-out-bytes-per-sec"),
            )
            .unit("bytes per second"),
            get: |p| Some(Float(p.net_out_bytes_per_sec?, 2)),
        },
        Column {
            object: ro(8, "bcmPerfPeerCount", Gauge32, Leaf("peer-count")).unit("peers"),
            get: |p| Some(U64(p.peer_count?)),
        },
        Column {
            object: ro(9, "bcmPerfHeight", Unsigned32, Leaf("height")).unit("blocks"),
            get: |p| Some(U64(p.height)),
        },
        Column {
            object: ro(10, "bcmPerfSyncLag", Gauge32, Leaf("sync-lag")).unit("blocks"),
            get: |p| Some(U64(p.sync_lag)),
        },
        Column {
            object: ro(11, "bcmPerfTxPoolSize", Gauge32, Leaf("tx-pool-size")).unit("transactions"),
            get: |p| Some(U64(p.tx_pool_size?)),
        },
        Column {
            object: ro(
                12,
                "bcmPerfBlockInterval",
                Gauge32,
                Leaf("block-interval-ms"),
            )
            .unit("milliseconds"),
            get: |p| Some(Float(p.block_interval_ms?, 3)),
        },
        Column {
            object: ro(13, "bcmPerfTps", Unsigned32, Leaf("tps"))
                .unit("transactions per second")
                .mib_scale(Hundred, "hundredths of a transaction per second"),
            get: |p| Some(Float(p.tps?, 3)),
        },
        Column {
            object: rw(
                PERF_THRESH_CPU,
                "bcmPerfThreshCpuPercent",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/cpu-percent",
                    write: "../thresholds/cpu-percent",
                },
                config(THRESH_CPU_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |p| Some(percent(p.thresholds.cpu_percent)),
        },
        Column {
            object: rw(
                PERF_THRESH_MEMORY,
                "bcmPerfThreshMemoryPercent",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/memory-percent",
                    write: "../thresholds/memory-percent",
                },
                config(THRESH_MEMORY_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |p| Some(percent(p.thresholds.memory_percent)),
        },
        Column {
            object: rw(
                PERF_THRESH_SYNC_LAG,
                "bcmPerfThreshSyncLagBlocks",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/sync-lag-blocks",
                    write: "../thresholds/sync-lag-blocks",
                },
                config(THRESH_SYNC_LAG_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("blocks"),
            get: |p| Some(U64(p.thresholds.sync_lag_blocks)),
        },
        Column {
            object: ro(17, "bcmPerfProcessId", Unsigned32, Leaf("process-id")),
            get: |p| Some(U32(p.process_id?)),
        },
        Column {
            object: ro(
                18,
                "bcmPerfProcessStartedAt",
                DateAndTime,
                Leaf("process-started-at"),
            ),
            get: |p| Some(Time(p.process_started_at?)),
        },
        Column {
            object: ro(
                19,
                "bcmPerfProcessRestarts",
                Counter64,
                Leaf("process-restarts"),
            )
            .unit("restarts"),
            get: |p| Some(U64(p.process_restarts?)),
        },
        Column {
            object: ro(
                20,
                "bcmPerfCpuCorePercent",
                Unsigned32,
                Leaf("cpu-core-percent"),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            // Not held to 100: several busy threads use more than a core.
            get: |p| Some(Float(p.cpu_core_percent?.max(0.0), 2)),
        },
        Column {
            object: ro(21, "bcmPerfThreads", Gauge32, Leaf("threads")).unit("threads"),
            get: |p| Some(U64(p.threads?)),
        },
        Column {
            object: ro(22, "bcmPerfOpenFds", Gauge32, Leaf("open-fds")).unit("file descriptors"),
            get: |p| Some(U64(p.open_fds?)),
        },
        Column {
            object: ro(23, "bcmPerfReadBytes", Counter64, Leaf("read-bytes")).unit("bytes"),
            get: |p| Some(U64(p.read_bytes?)),
        },
        Column {
            object: ro(24, "bcmPerfWriteBytes", Counter64, Leaf("write-bytes")).unit("bytes"),
            get: |p| Some(U64(p.write_bytes?)),
        },
        Column {
            object: ro(
                25,
                "bcmPerfDataFsFreeMBytes",
                Gauge32,
                Leaf("data-fs-free-bytes"),
            )
            .unit("bytes")
            .mib_scale(Mebi, "MiB"),
            get: |p| Some(U64(p.data_fs_free_bytes?)),
        },
        Column {
            object: ro(
                26,
                "bcmPerfDataFsSizeMBytes",
                Gauge32,
                Leaf("data-fs-size-bytes"),
            )
            .unit("bytes")
            .mib_scale(Mebi, "MiB"),
            get: |p| Some(U64(p.data_fs_size_bytes?)),
        },
        Column {
            object: rw(
                PERF_THRESH_PEER_COUNT_MIN,
                "bcmPerfThreshPeerCountMin",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/peer-count-min",
                    write: "../thresholds/peer-count-min",
                },
                config(THRESH_PEER_MIN_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("peers"),
            get: |p| Some(U64(p.thresholds.peer_count_min)),
        },
        Column {
            object: rw(
                PERF_THRESH_PEER_HOLD_OFF,
                "bcmPerfThreshPeerCountHoldOff",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/peer-count-hold-off-seconds",
                    write: "../thresholds/peer-count-hold-off-seconds",
                },
                config(THRESH_PEER_HOLD_OFF_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |p| Some(U64(p.thresholds.peer_count_hold_off_seconds)),
        },
        Column {
            object: rw(
                PERF_THRESH_DISK_FREE,
                "bcmPerfThreshDiskFreePercent",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/disk-free-percent",
                    write: "../thresholds/disk-free-percent",
                },
                config(THRESH_DISK_FREE_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit(PERCENT)
            .mib_scale(Hundred, PERCENT_HUNDREDTHS),
            get: |p| Some(percent(p.thresholds.disk_free_percent)),
        },
        Column {
            object: ro(35, "bcmPerfHealthy", TruthValue, Leaf("healthy")),
            get: |p| Some(Bool(p.health.as_ref()?.healthy)),
        },
        Column {
            object: ro(
                36,
                "bcmPerfHealthProblem",
                AdminString,
                Leaf("health-problem"),
            ),
            get: |p| Some(Text(&p.health.as_ref()?.problem)),
        },
        Column {
            object: rw(
                PERF_THRESH_NODE_DEGRADED_HOLD_OFF,
                "bcmPerfThreshNodeDegradedHoldOff",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/node-degraded-hold-off-seconds",
                    write: "../thresholds/node-degraded-hold-off-seconds",
                },
                config(THRESH_NODE_DEGRADED_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |p| Some(U64(p.thresholds.node_degraded_hold_off_seconds)),
        },
        Column {
            object: rw(
                PERF_THRESH_CERT_EXPIRY,
                "bcmPerfThreshCertExpiryDays",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/cert-expiry-days",
                    write: "../thresholds/cert-expiry-days",
                },
                config(THRESH_CERT_EXPIRY_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("days"),
            get: |p| Some(U64(p.thresholds.cert_expiry_days)),
        },
        Column {
            object: ro(
                40,
                "bcmPerfCertDaysLeft",
                Integer32,
                Leaf("certificate-days-left"),
            )
            .unit("days"),
            get: |p| Some(I32(p.certificate_days_left?)),
        },
        Column {
            object: ro(
                41,
                "bcmPerfCertNotAfter",
                DateAndTime,
                Leaf("certificate-not-after"),
            ),
            get: |p| Some(Time(p.certificate_not_after?)),
        },
        Column {
            object: rw(
                PERF_THRESH_TX_POOL_MAX,
                "bcmPerfThreshTxPoolMax",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/tx-pool-max",
                    write: "../thresholds/tx-pool-max",
                },
                config(THRESH_TX_POOL_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("transactions"),
            get: |p| Some(U64(p.thresholds.tx_pool_max)),
        },
        Column {
            object: rw(
                PERF_THRESH_HOLD_OFF,
                "bcmPerfThreshHoldOff",
                Unsigned32,
                ReadWrite {
                    read: "thresholds/hold-off-seconds",
                    write: "../thresholds/hold-off-seconds",
                },
                config(THRESH_HOLD_OFF_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |p| Some(U64(p.thresholds.hold_off_seconds)),
        },
    ],
};
