//! bcmNodes: the nodes of each chain (Node) and their links (PeerLink),
//! as the object map declares them (`model::objects::node`). The admin
//! state and the log specification are configuration: they are SET into
//! the running configuration where the map says, and read from it.

use super::cell;
use super::index::{self, IndexPart, Key};
use super::objects;
use crate::model::node::Node;
use crate::model::objects::enums::admin_state_number;
use crate::model::objects::node::{LINK, NODE};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::node::{ADMIN_STATE, LOG_SPEC, NODE_NAME, OPER_STATE, ROW_STATUS};

pub static NODE_INDEX: &[&IndexPart] = &objects::index::<_, { NODE.keys.len() }>(&NODE);

pub static NODE_TABLE: TableDef = TableDef {
    name: NODE.entry,
    entry: NODE.oid,
    index: NODE_INDEX,
    columns: &objects::columns::<_, { NODE.columns.len() }>(&NODE),
    rows: |ctx| objects::rows(&NODE, &ctx.snapshot.nodes.nodes),
    get: node_get,
    set: Some(|ctx, index, col, v| objects::set(&NODE, &NODE_TABLE, ctx, index, col, v)),
    update: None,
};

/// The instance suffix of a node (also of its performance and head rows).
pub fn node_index(chain: &str, node: &str) -> Option<Vec<u32>> {
    index::encode(NODE_INDEX, &[Key::text(chain), Key::text(node)])
}

fn node_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    node_cell(ctx, ctx.snapshot.nodes.nodes.get(row.pos)?, col)
}

/// A cell of a node's row; the admin state comes from the running
/// configuration so that a GET right after a SET shows the new value,
/// and the log specification too when it is configured.
pub fn node_cell(ctx: &Ctx, n: &Node, col: u32) -> Option<Value> {
    match col {
        ADMIN_STATE => Some(cell::int(admin_state_number(
            ctx.config.admin_state(&n.chain, &n.id),
        ))),
        LOG_SPEC => Some(cell::text(log_spec(ctx, n)?)),
        _ => objects::cell(&NODE, n, col),
    }
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

pub static LINK_TABLE: TableDef = TableDef {
    name: LINK.entry,
    entry: LINK.oid,
    index: &objects::index::<_, { LINK.keys.len() }>(&LINK),
    columns: &objects::columns::<_, { LINK.columns.len() }>(&LINK),
    rows: |ctx| objects::rows(&LINK, &ctx.snapshot.nodes.links),
    get: |ctx, row, col| objects::cell(&LINK, ctx.snapshot.nodes.links.get(row.pos)?, col),
    set: None,
    update: None,
};
