//! bcmLedger: each chain's ledger head (Ledger), its recent blocks (Block)
//! and its members (LedgerMember).

use super::chains::{CHAIN_INDEX, CHAIN_NAME};
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, ro, row};
use crate::model::ledger::{Block, Ledger, LedgerMember};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{member_status_number, saturate_u32, unsigned_index};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub static LEDGER_TABLE: TableDef = TableDef {
    name: "bcmLedgerEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 1, 1],
    columns: &[
        ro(1, "bcmLedgerHeight", Unsigned32),
        ro(2, "bcmLedgerHeadHash", OctetString),
        ro(3, "bcmLedgerHeadTime", OctetString),
        ro(4, "bcmLedgerTransactions", Counter64),
        ro(5, "bcmLedgerTargetInterval", Unsigned32),
        ro(6, "bcmLedgerMaxBlockTx", Unsigned32),
        ro(7, "bcmLedgerActiveMembers", Gauge32),
    ],
    rows: ledger_rows,
    get: ledger_get,
    set: None,
};

fn ledger_rows(ctx: &Ctx) -> Vec<Row> {
    let ledgers = &ctx.snapshot.ledger.ledgers;
    ledgers
        .iter()
        .enumerate()
        .filter_map(|(pos, l)| row(index::encode(CHAIN_INDEX, &[Key::text(&l.chain)]), pos, 0))
        .collect()
}

fn ledger_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    ledger_cell(ctx.snapshot.ledger.ledgers.get(row.pos)?, col)
}

fn ledger_cell(l: &Ledger, col: u32) -> Option<Value> {
    Some(match col {
        1 => cell::saturated(l.height),
        2 => cell::text(&l.head_hash),
        3 => cell::date(l.head_time),
        4 => cell::counter64(l.transactions_seen),
        5 => cell::saturated(l.target_block_interval_ms?),
        6 => cell::saturated(l.max_block_transactions?),
        7 => cell::unsigned(l.active_members),
        _ => return None,
    })
}

pub static BLOCK_HEIGHT: IndexPart = IndexPart {
    name: "bcmBlockHeight",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 0 },
};

pub static BLOCK_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &BLOCK_HEIGHT];

pub static BLOCK_TABLE: TableDef = TableDef {
    name: "bcmBlockEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1],
    columns: &[
        ro(2, "bcmBlockHash", OctetString),
        ro(3, "bcmBlockParentHash", OctetString),
        ro(4, "bcmBlockTime", OctetString),
        ro(5, "bcmBlockProposer", OctetString),
        ro(6, "bcmBlockTxCount", Unsigned32),
        ro(7, "bcmBlockSize", Unsigned32),
    ],
    rows: block_rows,
    get: block_get,
    set: None,
};

/// Blocks above 2^32-1 cannot be indexed and are left out.
fn block_rows(ctx: &Ctx) -> Vec<Row> {
    let blocks = &ctx.snapshot.ledger.blocks;
    blocks
        .iter()
        .enumerate()
        .filter_map(|(pos, b)| {
            let keys = [Key::text(&b.chain), Key::Number(unsigned_index(b.height)?)];
            row(index::encode(BLOCK_INDEX, &keys), pos, 0)
        })
        .collect()
}

fn block_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    block_cell(ctx.snapshot.ledger.blocks.get(row.pos)?, col)
}

fn block_cell(b: &Block, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&b.hash),
        3 => cell::text(&b.parent_hash),
        4 => cell::date(b.time),
        5 => cell::text(&b.proposer),
        6 => cell::unsigned(b.tx_count),
        7 => cell::unsigned(saturate_u32(b.size_bytes)),
        _ => return None,
    })
}

pub static MEMBER_ID: IndexPart = IndexPart {
    name: "bcmMemberId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static MEMBER_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &MEMBER_ID];

pub static MEMBER_TABLE: TableDef = TableDef {
    name: "bcmMemberEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 3, 1],
    columns: &[
        ro(2, "bcmMemberName", OctetString),
        ro(3, "bcmMemberAddress", OctetString),
        ro(4, "bcmMemberRole", OctetString),
        ro(5, "bcmMemberJoinedHeight", Unsigned32),
        ro(6, "bcmMemberJoinedTime", OctetString),
        ro(7, "bcmMemberStatus", Integer32),
        ro(8, "bcmMemberLeftHeight", Unsigned32),
        ro(9, "bcmMemberLeftTime", OctetString),
    ],
    rows: member_rows,
    get: member_get,
    set: None,
};

/// The instance suffix of a member.
pub fn member_index(m: &LedgerMember) -> Option<Vec<u32>> {
    index::encode(MEMBER_INDEX, &[Key::text(&m.chain), Key::text(&m.id)])
}

fn member_rows(ctx: &Ctx) -> Vec<Row> {
    let members = &ctx.snapshot.ledger.members;
    members
        .iter()
        .enumerate()
        .filter_map(|(pos, m)| row(member_index(m), pos, 0))
        .collect()
}

fn member_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    member_cell(ctx.snapshot.ledger.members.get(row.pos)?, col)
}

/// A cell of a member's row (also the varbinds of bcmMemberJoined/Left).
pub fn member_cell(m: &LedgerMember, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&m.name),
        3 => cell::text(&m.address),
        4 => cell::text(&m.role),
        5 => cell::saturated(m.joined_height),
        6 => cell::date(m.joined_at),
        7 => cell::int(member_status_number(m.is_active())),
        8 => cell::saturated(m.left_height?),
        9 => cell::date(m.left_at?),
        _ => return None,
    })
}
