//! bcmNodes: the nodes of each chain (Node) and their links (PeerLink),
//! as the object map declares them (`model::objects::node`). The admin
//! state and the log specification are configuration: they are SET into
//! the running configuration, and read from it.

use super::cell;
use super::edit;
use super::index::{self, IndexPart, Key};
use super::objects;
use crate::model::node::Node;
use crate::model::objects::enums::{admin_state_from, admin_state_number};
use crate::model::objects::node::{LINK, NODE};
use crate::snmp::mib::{Ctx, Row, SetAction, SetError, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::node::{ADMIN_STATE, LOG_SPEC, NODE_NAME, OPER_STATE};

pub static NODE_INDEX: &[&IndexPart] = &objects::index::<_, { NODE.keys.len() }>(&NODE);

pub static NODE_TABLE: TableDef = TableDef {
    name: NODE.entry,
    entry: NODE.oid,
    index: NODE_INDEX,
    columns: &objects::columns::<_, { NODE.columns.len() }>(&NODE),
    rows: |ctx| objects::rows(&NODE, &ctx.snapshot.nodes.nodes),
    get: node_get,
    set: Some(node_set),
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

pub static LINK_TABLE: TableDef = TableDef {
    name: LINK.entry,
    entry: LINK.oid,
    index: &objects::index::<_, { LINK.keys.len() }>(&LINK),
    columns: &objects::columns::<_, { LINK.columns.len() }>(&LINK),
    rows: |ctx| objects::rows(&LINK, &ctx.snapshot.nodes.links),
    get: |ctx, row, col| objects::cell(&LINK, ctx.snapshot.nodes.links.get(row.pos)?, col),
    set: None,
};
