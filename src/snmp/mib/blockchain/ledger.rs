//! bcmLedger: each chain's ledger head (Ledger), its recent blocks (Block)
//! and its members (LedgerMember), as the object map declares them
//! (`model::objects::ledger`).

use super::objects::{cell, columns, index, instance, rows};
use crate::model::ledger::LedgerMember;
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
};

pub static BLOCK_TABLE: TableDef = TableDef {
    name: BLOCK.entry,
    entry: BLOCK.oid,
    index: &index::<_, { BLOCK.keys.len() }>(&BLOCK),
    columns: &columns::<_, { BLOCK.columns.len() }>(&BLOCK),
    rows: |ctx| rows(&BLOCK, &ctx.snapshot.ledger.blocks),
    get: |ctx, row, col| cell(&BLOCK, ctx.snapshot.ledger.blocks.get(row.pos)?, col),
    set: None,
};

pub static MEMBER_TABLE: TableDef = TableDef {
    name: MEMBER.entry,
    entry: MEMBER.oid,
    index: &index::<_, { MEMBER.keys.len() }>(&MEMBER),
    columns: &columns::<_, { MEMBER.columns.len() }>(&MEMBER),
    rows: member_rows,
    get: member_get,
    set: None,
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
