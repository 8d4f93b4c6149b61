//! bcmLedger: each chain's ledger head (Ledger), its recent blocks (Block)
//! and its members (LedgerMember), as the object map declares them
//! (`model::objects::ledger`).

use super::objects::{cell, columns, index, instance, rows, shared_changes, shared_rows};
use crate::model::ledger::{Block, LedgerMember};
use crate::model::objects::ledger::{BLOCK, LEDGER, MEMBER};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub static LEDGER_TABLE: TableDef = TableDef {
    name: LEDGER.entry,
    entry: LEDGER.oid,
    index: &index::<_, { LEDGER.keys.len() }>(&LEDGER),
    columns: &columns::<_, { LEDGER.columns.len() }>(&LEDGER),
    rows: |ctx| rows(&LEDGER, &ctx.snapshot.ledger.ledgers),
    get: |ctx, row, col| cell(&LEDGER, ctx.snapshot.ledger.ledgers.get(row.pos)?, col),
    set: None,
    update: None,
};

/// The block window is the longest table (100,000 rows and more): its
/// rows hold their blocks, and each publication re-indexes only the
/// blocks that entered or left the window.
pub static BLOCK_TABLE: TableDef = TableDef {
    name: BLOCK.entry,
    entry: BLOCK.oid,
    index: &index::<_, { BLOCK.keys.len() }>(&BLOCK),
    columns: &columns::<_, { BLOCK.columns.len() }>(&BLOCK),
    rows: |ctx| shared_rows(&BLOCK, &ctx.snapshot.ledger.blocks),
    get: |_, row, col| cell(&BLOCK, row.item::<Block>()?, col),
    set: None,
    update: Some(|prev, ctx| {
        shared_changes(&BLOCK, &prev.ledger.blocks, &ctx.snapshot.ledger.blocks)
    }),
};

pub static MEMBER_TABLE: TableDef = TableDef {
    name: MEMBER.entry,
    entry: MEMBER.oid,
    index: &index::<_, { MEMBER.keys.len() }>(&MEMBER),
    columns: &columns::<_, { MEMBER.columns.len() }>(&MEMBER),
    rows: member_rows,
    get: member_get,
    set: None,
    update: None,
};

/// The instance suffix of a member.
pub fn member_index(m: &LedgerMember) -> Option<Vec<u32>> {
    instance(&MEMBER, &[], m)
}

fn member_rows(ctx: &Ctx) -> Vec<Row> {
    rows(&MEMBER, &ctx.snapshot.ledger.members)
}

fn member_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    member_cell(ctx.snapshot.ledger.members.get(row.pos)?, col)
}

/// A cell of a member's row (also the varbinds of bcmMemberJoined/Left).
pub fn member_cell(m: &LedgerMember, col: u32) -> Option<Value> {
    cell(&MEMBER, m, col)
}
