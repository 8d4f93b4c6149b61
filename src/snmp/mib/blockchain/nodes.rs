//! bcmNodes: the nodes of each chain (Node) and their links (PeerLink).
//! The admin state and the log specification are configuration: they are
//! SET into the running configuration.

use super::cell;
use super::chains::CHAIN_NAME;
use super::edit;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{ro, row, rw};
use crate::model::link::PeerLink;
use crate::model::node::Node;
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{
    admin_state_from, admin_state_number, kib, link_direction_number, link_state_number, mib,
    node_role_number, oper_state_number, round_u32,
};
use crate::snmp::mib::{Ctx, Row, SetAction, SetError, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::node::NODE_NAME;

pub static NODE_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &NODE_NAME];

/// bcmNodeAdminState's column.
pub const ADMIN_STATE: u32 = 14;
/// bcmNodeOperState's column.
pub const OPER_STATE: u32 = 15;
/// bcmNodeLogSpec's column.
pub const LOG_SPEC: u32 = 17;

pub static NODE_TABLE: TableDef = TableDef {
    name: "bcmNodeEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 1, 1],
    index: NODE_INDEX,
    columns: &[
        ro(2, "bcmNodeIdentity", OctetString),
        ro(3, "bcmNodeRole", Integer32),
        ro(4, "bcmNodeEndpoint", OctetString),
        ro(5, "bcmNodeClient", OctetString),
        ro(6, "bcmNodeVersion", OctetString),
        ro(7, "bcmNodeProtocol", OctetString),
        ro(8, "bcmNodeHost", OctetString),
        ro(9, "bcmNodeOs", OctetString),
        ro(10, "bcmNodeArch", OctetString),
        ro(11, "bcmNodeCpuCores", Unsigned32),
        ro(12, "bcmNodeMemoryKBytes", Unsigned32),
        ro(13, "bcmNodeDiskMBytes", Unsigned32),
        rw(ADMIN_STATE, "bcmNodeAdminState", Integer32),
        ro(OPER_STATE, "bcmNodeOperState", Integer32),
        ro(16, "bcmNodeOperChanged", OctetString),
        rw(LOG_SPEC, "bcmNodeLogSpec", OctetString),
        ro(18, "bcmNodeUnsupported", OctetString),
    ],
    rows: node_rows,
    get: node_get,
    set: Some(node_set),
};

fn node_rows(ctx: &Ctx) -> Vec<Row> {
    let nodes = &ctx.snapshot.nodes.nodes;
    nodes
        .iter()
        .enumerate()
        .filter_map(|(pos, n)| row(node_index(&n.chain, &n.id), pos, 0))
        .collect()
}

/// The instance suffix of a node (also of its performance and head rows).
pub fn node_index(chain: &str, node: &str) -> Option<Vec<u32>> {
    index::encode(NODE_INDEX, &[Key::text(chain), Key::text(node)])
}

fn node_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    node_cell(ctx, ctx.snapshot.nodes.nodes.get(row.pos)?, col)
}

/// A cell of a node's row; the admin state comes from the running
/// configuration so that a GET right after a SET shows the new value.
pub fn node_cell(ctx: &Ctx, n: &Node, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&n.identity),
        3 => cell::int(node_role_number(n.role)),
        4 => cell::text(&n.endpoint),
        5 => cell::text(&n.software.client),
        6 => cell::text(&n.software.version),
        7 => cell::text(&n.software.protocol),
        8 => cell::text(&n.hardware.host),
        9 => cell::text(&n.hardware.os),
        10 => cell::text(&n.hardware.arch),
        11 => cell::unsigned(n.hardware.cpu_cores),
        12 => cell::unsigned(kib(n.hardware.memory_bytes)),
        13 => cell::unsigned(mib(n.hardware.disk_bytes)),
        ADMIN_STATE => cell::int(admin_state_number(ctx.config.admin_state(&n.chain, &n.id))),
        OPER_STATE => cell::int(oper_state_number(n.oper_state)),
        16 => cell::date(n.oper_changed),
        LOG_SPEC => cell::text(log_spec(ctx, n)?),
        18 => cell::text(&n.unsupported.join(",")),
        _ => return None,
    })
}

/// The configured log specification, so that a GET right after a SET
/// shows it, else the one the node reports; absent when neither is known.
fn log_spec<'a>(ctx: &Ctx<'a>, n: &'a Node) -> Option<&'a str> {
    let configured = ctx
        .config
        .chains
        .get(&n.chain)
        .and_then(|c| c.nodes.get(&n.id))
        .and_then(|c| c.log_spec.as_deref());
    configured.or(Some(n.log_spec.as_str()).filter(|s| !s.is_empty()))
}

/// SET bcmNodeAdminState -> chains/<chain>/nodes/<node>/admin-state;
/// SET bcmNodeLogSpec -> chains/<chain>/nodes/<node>/log-spec, a
/// zero-length value removing it (the node keeps its own).
fn node_set(ctx: &Ctx, index: &[u32], col: u32, v: &Value) -> Result<SetAction, SetError> {
    if col == LOG_SPEC {
        let spec = edit::admin_string(v)?;
        let [chain, node] = node_key(ctx, index)?;
        let Some(chain_config) = ctx.config.chains.get(&chain) else {
            return Err(SetError::InconsistentValue);
        };
        let path = ["chains", &chain, "nodes", &node, "log-spec"];
        let configured = chain_config
            .nodes
            .get(&node)
            .is_some_and(|n| n.log_spec.is_some());
        return Ok(if spec.is_empty() && !configured {
            // Nothing configured, nothing to remove.
            SetAction::Config(Vec::new())
        } else if spec.is_empty() {
            edit::delete(&path)
        } else {
            edit::set(&path, serde_json::Value::String(spec))
        });
    }
    if col != ADMIN_STATE {
        return Err(SetError::NotWritable);
    }
    let state = admin_state_from(edit::integer(v)?).ok_or(SetError::WrongValue)?;
    let [chain, node] = node_key(ctx, index)?;
    if !ctx.config.chains.contains_key(&chain) {
        return Err(SetError::InconsistentValue);
    }
    let value = serde_json::to_value(state).map_err(|_| SetError::WrongValue)?;
    Ok(edit::set(
        &["chains", &chain, "nodes", &node, "admin-state"],
        value,
    ))
}

/// The (chain, node) of an instance suffix naming a node of the snapshot;
/// noCreation for any other suffix (nodes are created by configuration
/// of the chain, never by SET).
fn node_key(ctx: &Ctx, index: &[u32]) -> Result<[String; 2], SetError> {
    let [chain, node]: [String; 2] = index::decode_texts(NODE_INDEX, index)
        .and_then(|v| v.try_into().ok())
        .ok_or(SetError::NoCreation)?;
    if ctx.snapshot.node(&chain, &node).is_none() {
        return Err(SetError::NoCreation);
    }
    Ok([chain, node])
}

pub static LINK_REMOTE_NODE: IndexPart = IndexPart {
    name: "bcmLinkRemoteNode",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 2, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub static LINK_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &NODE_NAME, &LINK_REMOTE_NODE];

pub static LINK_TABLE: TableDef = TableDef {
    name: "bcmLinkEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 2, 2, 1],
    index: LINK_INDEX,
    columns: &[
        ro(2, "bcmLinkRemoteAddress", OctetString),
        ro(3, "bcmLinkDirection", Integer32),
        ro(4, "bcmLinkState", Integer32),
        ro(5, "bcmLinkLatency", Gauge32),
        ro(6, "bcmLinkBytesIn", Counter64),
        ro(7, "bcmLinkBytesOut", Counter64),
        ro(8, "bcmLinkSince", OctetString),
    ],
    rows: link_rows,
    get: link_get,
    set: None,
};

fn link_rows(ctx: &Ctx) -> Vec<Row> {
    let links = &ctx.snapshot.nodes.links;
    links
        .iter()
        .enumerate()
        .filter_map(|(pos, l)| {
            let keys = [
                Key::text(&l.chain),
                Key::text(&l.local_node),
                Key::text(&l.remote_node),
            ];
            row(index::encode(LINK_INDEX, &keys), pos, 0)
        })
        .collect()
}

fn link_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    link_cell(ctx.snapshot.nodes.links.get(row.pos)?, col)
}

fn link_cell(l: &PeerLink, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&l.remote_address),
        3 => cell::int(link_direction_number(l.direction)),
        4 => cell::int(link_state_number(l.state)),
        5 => cell::unsigned(round_u32(l.latency_ms * 1000.0)),
        6 => cell::counter64(l.bytes_in),
        7 => cell::counter64(l.bytes_out),
        8 => cell::date(l.since),
        _ => return None,
    })
}
