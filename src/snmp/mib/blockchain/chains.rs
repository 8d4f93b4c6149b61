//! bcmChains: the managed chains (ManagedChain), as the object map
//! declares them (`model::objects::chain`), and `bcmChainName`, the index
//! object every per-chain table uses.

use super::index::IndexPart;
use super::objects;
use crate::model::objects::chain::CHAIN;
use crate::snmp::mib::TableDef;

pub use crate::model::objects::chain::CHAIN_NAME;

pub static CHAIN_INDEX: &[&IndexPart] = &objects::index::<_, { CHAIN.keys.len() }>(&CHAIN);

pub static CHAIN_TABLE: TableDef = TableDef {
    name: CHAIN.entry,
    entry: CHAIN.oid,
    index: CHAIN_INDEX,
    columns: &objects::columns::<_, { CHAIN.columns.len() }>(&CHAIN),
    rows: |ctx| objects::rows(&CHAIN, &ctx.snapshot.nodes.chains),
    get: |ctx, row, col| objects::cell(&CHAIN, ctx.snapshot.nodes.chains.get(row.pos)?, col),
    set: None,
    update: None,
};
