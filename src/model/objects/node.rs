//! bcmNodes / chain-agent-nodes: the nodes of each chain (Node) and their
//! links (PeerLink). bcmNodeName is the index object the per-node tables'
//! INDEX continues with after the chain.
//!
//! The admin state and the log specification are configuration: the map
//! declares their columns, the node's own reading and the configuration
//! leaf a SET edits; the SNMP reading of the value in force stays with
//! SNMP's node table.

use super::Datum::*;
use super::Scale::{Kibi, Mebi, Thousand};
use super::Syntax::*;
use super::Yang::{Leaf, Nothing};
use super::chain::CHAIN_NAME;
use super::enums::{
    ROW_ACTIVE, admin_state, admin_state_from, link_direction, link_state, node_role, oper_state,
    row_status,
};
use super::{
    Clear, Column, IndexPart, IndexSyntax, Input, Key, Step, Table, Target, Write, config, rc, ro,
    rw,
};
use crate::model::link::PeerLink;
use crate::model::node::Node;
use crate::model::text::cut_utf8;

pub static NODE_NAME: IndexPart = IndexPart {
    name: "bcmNodeName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

/// The most octets of a text the MIB carries; a node's endpoint and log
/// specification are configuration leaves of that length, so the
/// reported value is cut alike for both.
const TEXT_MAX: usize = 255;

/// bcmNodeAdminState's column.
pub const ADMIN_STATE: u32 = 14;
/// bcmNodeOperState's column.
pub const OPER_STATE: u32 = 15;
/// bcmNodeLogSpec's column.
pub const LOG_SPEC: u32 = 17;
/// bcmNodeRowStatus's column.
pub const ROW_STATUS: u32 = 19;

/// `chains/<chain>/nodes/<node>/<leaf>`: a node's setting, which a SET
/// edits for a node of a configured chain (the first 2 steps).
const fn node_leaf(leaf: &'static str) -> [Step; 5] {
    [
        Step::Name("chains"),
        Step::Key(0),
        Step::Name("nodes"),
        Step::Key(1),
        Step::Name(leaf),
    ]
}
const ADMIN_STATE_AT: &[Step] = &node_leaf("admin-state");
const LOG_SPEC_AT: &[Step] = &node_leaf("log-spec");
const ENDPOINT_AT: &[Step] = &node_leaf("endpoint");
/// `chains/<chain>/nodes/<node>`: the node's configuration entry, which
/// bcmNodeRowStatus creates and destroys in a configured chain.
const NODE_AT: &[Step] = &[
    Step::Name("chains"),
    Step::Key(0),
    Step::Name("nodes"),
    Step::Key(1),
];

pub static NODE: Table<Node> = Table {
    entry: "bcmNodeEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 1, 1],
    yang: "/chain-agent-nodes:chains/chain/nodes/node",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|n| Some(Text(&n.chain))),
        },
        Key {
            part: &NODE_NAME,
            leaf: Some("id"),
            why: None,
            get: Some(|n| Some(Text(&n.id))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmNodeIdentity", AdminString, Leaf("identity")),
            get: |n| Some(Text(&n.identity)),
        },
        Column {
            object: ro(3, "bcmNodeRole", Integer32, Leaf("role")),
            get: |n| Some(node_role(n.role)),
        },
        Column {
            object: rc(
                4,
                "bcmNodeEndpoint",
                AdminString,
                Leaf("endpoint"),
                config(ENDPOINT_AT, 2, Input::Text),
            ),
            get: |n| Some(Text(cut_utf8(&n.endpoint, TEXT_MAX))),
        },
        Column {
            object: ro(5, "bcmNodeClient", AdminString, Leaf("software/client")),
            get: |n| Some(Text(&n.software.client)),
        },
        Column {
            object: ro(6, "bcmNodeVersion", AdminString, Leaf("software/version")),
            get: |n| Some(Text(&n.software.version)),
        },
        Column {
            object: ro(7, "bcmNodeProtocol", AdminString, Leaf("software/protocol")),
            get: |n| Some(Text(&n.software.protocol)),
        },
        Column {
            object: ro(8, "bcmNodeHost", AdminString, Leaf("hardware/host")),
            get: |n| Some(Text(&n.hardware.host)),
        },
        Column {
            object: ro(9, "bcmNodeOs", AdminString, Leaf("hardware/os")),
            get: |n| Some(Text(&n.hardware.os)),
        },
        Column {
            object: ro(10, "bcmNodeArch", AdminString, Leaf("hardware/arch")),
            get: |n| Some(Text(&n.hardware.arch)),
        },
        Column {
            object: ro(
                11,
                "bcmNodeCpuCores",
                Unsigned32,
                Leaf("hardware/cpu-cores"),
            )
            .unit("cores"),
            get: |n| Some(U32(n.hardware.cpu_cores?)),
        },
        Column {
            object: ro(
                12,
                "bcmNodeMemoryKBytes",
                Unsigned32,
                Leaf("hardware/memory-bytes"),
            )
            .unit("bytes")
            .mib_scale(Kibi, "KiB"),
            get: |n| Some(U64(n.hardware.memory_bytes?)),
        },
        Column {
            object: ro(
                13,
                "bcmNodeDiskMBytes",
                Unsigned32,
                Leaf("hardware/disk-bytes"),
            )
            .unit("bytes")
            .mib_scale(Mebi, "MiB"),
            get: |n| Some(U64(n.hardware.disk_bytes?)),
        },
        Column {
            object: rw(
                ADMIN_STATE,
                "bcmNodeAdminState",
                Integer32,
                Leaf("admin-state"),
                config(
                    ADMIN_STATE_AT,
                    2,
                    Input::Enum(|n| Some(admin_state(admin_state_from(n)?))),
                ),
            ),
            get: |n| Some(admin_state(n.admin_state)),
        },
        Column {
            object: ro(
                OPER_STATE,
                "bcmNodeOperState",
                Integer32,
                Leaf("oper-state"),
            ),
            get: |n| Some(oper_state(n.oper_state)),
        },
        Column {
            object: ro(16, "bcmNodeOperChanged", DateAndTime, Leaf("oper-changed")),
            get: |n| Some(Time(n.oper_changed)),
        },
        Column {
            object: rw(
                LOG_SPEC,
                "bcmNodeLogSpec",
                AdminString,
                Leaf("log-spec"),
                config(LOG_SPEC_AT, 2, Input::Text).clear(Clear::Empty),
            ),
            get: |n| Some(Text(cut_utf8(&n.log_spec, TEXT_MAX))),
        },
        Column {
            object: ro(18, "bcmNodeUnsupported", AdminString, Leaf("unsupported")),
            get: |n| Some(List(&n.unsupported)),
        },
        Column {
            object: rc(
                ROW_STATUS,
                "bcmNodeRowStatus",
                RowStatus,
                Nothing(
                    "a YANG list entry is created and deleted by edit-config, not by a status leaf",
                ),
                Write {
                    target: Target::Row {
                        entry: NODE_AT,
                        within: 2,
                    },
                    input: Input::Enum(row_status),
                    only_if: None,
                },
            ),
            // Every row the agent shows is in service.
            get: |_| Some(Enum(ROW_ACTIVE, "active")),
        },
    ],
};

pub static LINK_REMOTE_NODE: IndexPart = IndexPart {
    name: "bcmLinkRemoteNode",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 2, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub static LINK: Table<PeerLink> = Table {
    entry: "bcmLinkEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 2, 1],
    yang: "/chain-agent-nodes:chains/chain/nodes/node/links/link",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|l| Some(Text(&l.chain))),
        },
        Key {
            part: &NODE_NAME,
            leaf: None,
            why: None,
            get: Some(|l| Some(Text(&l.local_node))),
        },
        Key {
            part: &LINK_REMOTE_NODE,
            leaf: Some("remote-node"),
            why: None,
            get: Some(|l| Some(Text(&l.remote_node))),
        },
    ],
    columns: &[
        Column {
            object: ro(
                2,
                "bcmLinkRemoteAddress",
                AdminString,
                Leaf("remote-address"),
            ),
            get: |l| Some(Text(&l.remote_address)),
        },
        Column {
            object: ro(3, "bcmLinkDirection", Integer32, Leaf("direction")),
            get: |l| Some(link_direction(l.direction)),
        },
        Column {
            object: ro(4, "bcmLinkState", Integer32, Leaf("state")),
            get: |l| Some(link_state(l.state)),
        },
        Column {
            object: ro(5, "bcmLinkLatency", Gauge32, Leaf("latency-ms"))
                .unit("milliseconds")
                .mib_scale(Thousand, "microseconds"),
            get: |l| Some(Float(l.latency_ms?, 3)),
        },
        Column {
            object: ro(6, "bcmLinkBytesIn", Counter64, Leaf("bytes-in")).unit("bytes"),
            get: |l| Some(U64(l.bytes_in?)),
        },
        Column {
            object: ro(7, "bcmLinkBytesOut", Counter64, Leaf("bytes-out")).unit("bytes"),
            get: |l| Some(U64(l.bytes_out?)),
        },
        Column {
            object: ro(8, "bcmLinkSince", DateAndTime, Leaf("since")),
            get: |l| Some(Time(l.since)),
        },
    ],
};
