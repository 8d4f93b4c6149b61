//! bcmChains: the managed chains (ManagedChain), and `bcmChainName`, the
//! index object every per-chain table uses.

use super::cell;
use super::index::{self, IndexPart, Key};
use super::{ro, row};
use crate::model::chain::ManagedChain;
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{consensus_type_number, platform_number};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::chain::CHAIN_NAME;

pub static CHAIN_INDEX: &[&IndexPart] = &[&CHAIN_NAME];

pub static CHAIN_TABLE: TableDef = TableDef {
    name: "bcmChainEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 1, 1, 1],
    index: CHAIN_INDEX,
    columns: &[
        ro(2, "bcmChainDisplayName", OctetString),
        ro(3, "bcmChainPlatform", Integer32),
        ro(4, "bcmChainNetworkId", OctetString),
        ro(5, "bcmChainConsensusType", Integer32),
        ro(6, "bcmChainGenesisHash", OctetString),
        ro(7, "bcmChainNodeCount", Gauge32),
    ],
    rows: chain_rows,
    get: chain_get,
    set: None,
};

fn chain_rows(ctx: &Ctx) -> Vec<Row> {
    let chains = &ctx.snapshot.nodes.chains;
    chains
        .iter()
        .enumerate()
        .filter_map(|(pos, c)| row(index::encode(CHAIN_INDEX, &[Key::text(&c.id)]), pos, 0))
        .collect()
}

fn chain_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    chain_cell(ctx.snapshot.nodes.chains.get(row.pos)?, col)
}

fn chain_cell(c: &ManagedChain, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&c.name),
        3 => cell::int(platform_number(c.platform)),
        4 => cell::text(&c.chain_id),
        5 => cell::int(consensus_type_number(c.consensus_type)),
        6 => cell::text(&c.genesis_hash),
        7 => cell::unsigned(c.node_count),
        _ => return None,
    })
}
