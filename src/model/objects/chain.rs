//! bcmChains / chain-agent-nodes: the managed chains (ManagedChain), and
//! bcmChainName, the index object every per-chain table's INDEX begins
//! with.

use super::Datum::*;
use super::Scale::Hundred;
use super::Syntax::*;
use super::Yang::Leaf;
use super::enums::{consensus_type, platform};
use super::{Clear, Column, IndexPart, IndexSyntax, Input, Key, Step, Table, config, ro, rw};
use crate::model::chain::ManagedChain;
use crate::model::text::cut_utf8;

pub static CHAIN_NAME: IndexPart = IndexPart {
    name: "bcmChainName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 1, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

/// Columns of the chain's threshold overrides. The object map cannot
/// read them from a ManagedChain (they are configuration): SNMP serves
/// them from the running configuration.
pub const CHAIN_THRESH_CPU: u32 = 8;
pub const CHAIN_THRESH_MEMORY: u32 = 9;
pub const CHAIN_THRESH_SYNC_LAG: u32 = 10;
pub const CHAIN_THRESH_TX_POOL_MAX: u32 = 11;
pub const CHAIN_THRESH_HOLD_OFF: u32 = 12;
pub const CHAIN_THRESH_PEER_COUNT_MIN: u32 = 15;
pub const CHAIN_THRESH_PEER_HOLD_OFF: u32 = 16;
pub const CHAIN_THRESH_BLOCK_STALL_FACTOR: u32 = 17;
pub const CHAIN_THRESH_BLOCK_INTERVAL: u32 = 18;
pub const CHAIN_THRESH_CONTRACT_FAILURE: u32 = 19;
pub const CHAIN_THRESH_CONTRACT_WINDOW: u32 = 20;
pub const CHAIN_THRESH_CONTRACT_MIN_CALLS: u32 = 21;
pub const CHAIN_THRESH_DISK_FREE: u32 = 22;
pub const CHAIN_THRESH_CERT_EXPIRY: u32 = 27;
pub const CHAIN_THRESH_NODE_DEGRADED_HOLD_OFF: u32 = 23;
pub const CHAIN_THRESH_RELAYER_PACKET_AGE: u32 = 24;
pub const CHAIN_THRESH_RELAYER_BACKLOG_MAX: u32 = 25;
pub const CHAIN_THRESH_RELAYER_CLIENT_EXPIRY: u32 = 26;

/// `chains/<chain>/thresholds/<leaf>`: a chain's override of a global
/// threshold, which a SET edits for a configured chain (the first 2
/// steps); 0 removes it, the global value applying again.
const fn threshold_leaf(leaf: &'static str) -> [Step; 4] {
    [
        Step::Name("chains"),
        Step::Key(0),
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
const THRESH_STALL_FACTOR_AT: &[Step] = &threshold_leaf("block-stall-factor");
const THRESH_BLOCK_INTERVAL_AT: &[Step] = &threshold_leaf("block-interval-seconds");
const THRESH_CONTRACT_FAILURE_AT: &[Step] = &threshold_leaf("contract-failure-percent");
const THRESH_CONTRACT_WINDOW_AT: &[Step] = &threshold_leaf("contract-failure-window-seconds");
const THRESH_CONTRACT_MIN_CALLS_AT: &[Step] = &threshold_leaf("contract-failure-min-calls");
const THRESH_DISK_FREE_AT: &[Step] = &threshold_leaf("disk-free-percent");
const THRESH_CERT_EXPIRY_AT: &[Step] = &threshold_leaf("cert-expiry-days");
const THRESH_NODE_DEGRADED_AT: &[Step] = &threshold_leaf("node-degraded-hold-off-seconds");
const THRESH_PACKET_AGE_AT: &[Step] = &threshold_leaf("relayer-packet-age-seconds");
const THRESH_BACKLOG_AT: &[Step] = &threshold_leaf("relayer-backlog-max");
const THRESH_CLIENT_EXPIRY_AT: &[Step] = &threshold_leaf("relayer-client-expiry-hours");

/// The most octets of the chain's display name (a configuration leaf of
/// the MIB's length), so the reported name is cut alike for both.
const TEXT_MAX: usize = 255;

pub static CHAIN: Table<ManagedChain> = Table {
    entry: "bcmChainEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 1, 1, 1],
    yang: "/chain-agent-nodes:chains/chain",
    keys: &[Key {
        part: &CHAIN_NAME,
        leaf: Some("id"),
        why: None,
        get: Some(|c| Some(Text(&c.id))),
    }],
    columns: &[
        Column {
            object: ro(2, "bcmChainDisplayName", AdminString, Leaf("name")),
            get: |c| Some(Text(cut_utf8(&c.name, TEXT_MAX))),
        },
        Column {
            object: ro(3, "bcmChainPlatform", Integer32, Leaf("platform")),
            get: |c| Some(platform(c.platform)),
        },
        Column {
            object: ro(4, "bcmChainNetworkId", AdminString, Leaf("chain-id")),
            get: |c| Some(Text(&c.chain_id)),
        },
        Column {
            object: ro(
                5,
                "bcmChainConsensusType",
                Integer32,
                Leaf("consensus-type"),
            ),
            get: |c| Some(consensus_type(c.consensus_type)),
        },
        Column {
            object: ro(6, "bcmChainGenesisHash", AdminString, Leaf("genesis-hash")),
            get: |c| Some(Text(&c.genesis_hash)),
        },
        Column {
            object: ro(7, "bcmChainNodeCount", Gauge32, Leaf("node-count")).unit("nodes"),
            get: |c| Some(U32(c.node_count)),
        },
        Column {
            object: rw(
                CHAIN_THRESH_CPU,
                "bcmChainThreshCpuPercent",
                Unsigned32,
                Leaf("thresholds/cpu-percent"),
                config(THRESH_CPU_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit("percent")
            .mib_scale(Hundred, "hundredths of a percent"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_MEMORY,
                "bcmChainThreshMemoryPercent",
                Unsigned32,
                Leaf("thresholds/memory-percent"),
                config(THRESH_MEMORY_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit("percent")
            .mib_scale(Hundred, "hundredths of a percent"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_SYNC_LAG,
                "bcmChainThreshSyncLagBlocks",
                Unsigned32,
                Leaf("thresholds/sync-lag-blocks"),
                config(THRESH_SYNC_LAG_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("blocks"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_TX_POOL_MAX,
                "bcmChainThreshTxPoolMax",
                Unsigned32,
                Leaf("thresholds/tx-pool-max"),
                config(THRESH_TX_POOL_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("transactions"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_HOLD_OFF,
                "bcmChainThreshHoldOff",
                Unsigned32,
                Leaf("thresholds/hold-off-seconds"),
                config(THRESH_HOLD_OFF_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_PEER_COUNT_MIN,
                "bcmChainThreshPeerCountMin",
                Unsigned32,
                Leaf("thresholds/peer-count-min"),
                config(THRESH_PEER_MIN_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("peers"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_PEER_HOLD_OFF,
                "bcmChainThreshPeerCountHoldOff",
                Unsigned32,
                Leaf("thresholds/peer-count-hold-off-seconds"),
                config(THRESH_PEER_HOLD_OFF_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_BLOCK_STALL_FACTOR,
                "bcmChainThreshBlockStallFactor",
                Unsigned32,
                Leaf("thresholds/block-stall-factor"),
                config(THRESH_STALL_FACTOR_AT, 2, Input::Unsigned).clear(Clear::Zero),
            ),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_BLOCK_INTERVAL,
                "bcmChainThreshBlockIntervalSeconds",
                Unsigned32,
                Leaf("thresholds/block-interval-seconds"),
                config(THRESH_BLOCK_INTERVAL_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_CONTRACT_FAILURE,
                "bcmChainThreshContractFailurePercent",
                Unsigned32,
                Leaf("thresholds/contract-failure-percent"),
                config(THRESH_CONTRACT_FAILURE_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit("percent")
            .mib_scale(Hundred, "hundredths of a percent"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_CONTRACT_WINDOW,
                "bcmChainThreshContractFailureWindow",
                Unsigned32,
                Leaf("thresholds/contract-failure-window-seconds"),
                config(THRESH_CONTRACT_WINDOW_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_CONTRACT_MIN_CALLS,
                "bcmChainThreshContractFailureMinCalls",
                Unsigned32,
                Leaf("thresholds/contract-failure-min-calls"),
                config(THRESH_CONTRACT_MIN_CALLS_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("calls"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_DISK_FREE,
                "bcmChainThreshDiskFreePercent",
                Unsigned32,
                Leaf("thresholds/disk-free-percent"),
                config(THRESH_DISK_FREE_AT, 2, Input::PercentHundredths).clear(Clear::Zero),
            )
            .unit("percent")
            .mib_scale(Hundred, "hundredths of a percent"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_NODE_DEGRADED_HOLD_OFF,
                "bcmChainThreshNodeDegradedHoldOff",
                Unsigned32,
                Leaf("thresholds/node-degraded-hold-off-seconds"),
                config(THRESH_NODE_DEGRADED_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_RELAYER_PACKET_AGE,
                "bcmChainThreshRelayerPacketAge",
                Unsigned32,
                Leaf("thresholds/relayer-packet-age-seconds"),
                config(THRESH_PACKET_AGE_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("seconds"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_RELAYER_BACKLOG_MAX,
                "bcmChainThreshRelayerBacklogMax",
                Unsigned32,
                Leaf("thresholds/relayer-backlog-max"),
                config(THRESH_BACKLOG_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("packets"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_RELAYER_CLIENT_EXPIRY,
                "bcmChainThreshRelayerClientExpiry",
                Unsigned32,
                Leaf("thresholds/relayer-client-expiry-hours"),
                config(THRESH_CLIENT_EXPIRY_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("hours"),
            get: |_| None,
        },
        Column {
            object: rw(
                CHAIN_THRESH_CERT_EXPIRY,
                "bcmChainThreshCertExpiryDays",
                Unsigned32,
                Leaf("thresholds/cert-expiry-days"),
                config(THRESH_CERT_EXPIRY_AT, 2, Input::Unsigned).clear(Clear::Zero),
            )
            .unit("days"),
            get: |_| None,
        },
    ],
};
