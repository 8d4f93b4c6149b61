//! bcmLedger / chain-agent-ledger: each chain's ledger head (Ledger), its
//! recent blocks (Block) and its members (LedgerMember).

use super::Datum::*;
use super::Syntax::*;
use super::Yang::{Leaf, Nothing};
use super::chain::CHAIN_NAME;
use super::{Column, IndexPart, IndexSyntax, Key, Table, ro};
use crate::model::ledger::{Block, Ledger, LedgerMember};

/// The YANG node of a chain's ledger.
const LEDGER_NODE: &str = "/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger";

pub static LEDGER: Table<Ledger> = Table {
    entry: "bcmLedgerEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 1, 1],
    yang: LEDGER_NODE,
    keys: &[Key {
        part: &CHAIN_NAME,
        leaf: None,
        why: None,
        get: Some(|l| Some(Text(&l.chain))),
    }],
    columns: &[
        Column {
            object: ro(1, "bcmLedgerHeight", Unsigned32, Leaf("height")).unit("blocks"),
            get: |l| Some(U64(l.height)),
        },
        Column {
            object: ro(2, "bcmLedgerHeadHash", AdminString, Leaf("head-hash")),
            get: |l| Some(Text(&l.head_hash)),
        },
        Column {
            object: ro(3, "bcmLedgerHeadTime", DateAndTime, Leaf("head-time")),
            get: |l| Some(Time(l.head_time)),
        },
        Column {
            object: ro(
                4,
                "bcmLedgerTransactions",
                Counter64,
                Leaf("transactions-seen"),
            )
            .unit("transactions"),
            get: |l| Some(U64(l.transactions_seen)),
        },
        Column {
            object: ro(
                5,
                "bcmLedgerTargetInterval",
                Unsigned32,
                Leaf("target-block-interval-ms"),
            )
            .unit("milliseconds"),
            get: |l| Some(U64(l.target_block_interval_ms?)),
        },
        Column {
            object: ro(
                6,
                "bcmLedgerMaxBlockTx",
                Unsigned32,
                Leaf("max-block-transactions"),
            )
            .unit("transactions"),
            get: |l| Some(U64(l.max_block_transactions?)),
        },
        Column {
            object: ro(7, "bcmLedgerActiveMembers", Gauge32, Leaf("active-members"))
                .unit("members"),
            get: |l| Some(U32(l.active_members)),
        },
    ],
};

pub static BLOCK_HEIGHT: IndexPart = IndexPart {
    name: "bcmBlockHeight",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 0 },
};

/// Blocks above 2^32-1 cannot be indexed in the MIB and are left out there.
pub static BLOCK: Table<Block> = Table {
    entry: "bcmBlockEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger/block",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|b| Some(Text(&b.chain))),
        },
        Key {
            part: &BLOCK_HEIGHT,
            leaf: Some("height"),
            why: None,
            get: Some(|b| Some(U64(b.height))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmBlockHash", AdminString, Leaf("hash")),
            get: |b| Some(Text(&b.hash)),
        },
        Column {
            object: ro(3, "bcmBlockParentHash", AdminString, Leaf("parent-hash")),
            get: |b| Some(Text(&b.parent_hash)),
        },
        Column {
            object: ro(4, "bcmBlockTime", DateAndTime, Leaf("time")),
            get: |b| Some(Time(b.time)),
        },
        Column {
            object: ro(5, "bcmBlockProposer", AdminString, Leaf("proposer")),
            get: |b| Some(Text(&b.proposer)),
        },
        Column {
            object: ro(6, "bcmBlockTxCount", Unsigned32, Leaf("tx-count")).unit("transactions"),
            get: |b| Some(U32(b.tx_count)),
        },
        Column {
            object: ro(7, "bcmBlockSize", Unsigned32, Leaf("size-bytes")).unit("bytes"),
            get: |b| Some(U64(b.size_bytes)),
        },
    ],
};

pub static MEMBER_ID: IndexPart = IndexPart {
    name: "bcmMemberId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static MEMBER: Table<LedgerMember> = Table {
    entry: "bcmMemberEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 3, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-ledger:ledger/member",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|m| Some(Text(&m.chain))),
        },
        Key {
            part: &MEMBER_ID,
            leaf: Some("id"),
            why: None,
            get: Some(|m| Some(Text(&m.id))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmMemberName", AdminString, Leaf("name")),
            get: |m| Some(Text(&m.name)),
        },
        Column {
            object: ro(3, "bcmMemberAddress", AdminString, Leaf("address")),
            get: |m| Some(Text(&m.address)),
        },
        Column {
            object: ro(4, "bcmMemberRole", AdminString, Leaf("role")),
            get: |m| Some(Text(&m.role)),
        },
        Column {
            object: ro(
                5,
                "bcmMemberJoinedHeight",
                Unsigned32,
                Leaf("joined-height"),
            )
            .unit("blocks"),
            get: |m| Some(U64(m.joined_height)),
        },
        Column {
            object: ro(6, "bcmMemberJoinedTime", DateAndTime, Leaf("joined-at")),
            get: |m| Some(Time(m.joined_at)),
        },
        Column {
            object: ro(
                7,
                "bcmMemberStatus",
                Integer32,
                Nothing("derived: a member that left has left-height, an active one has none"),
            ),
            get: |m| {
                Some(if m.is_active() {
                    Enum(1, "active")
                } else {
                    Enum(2, "left")
                })
            },
        },
        Column {
            object: ro(8, "bcmMemberLeftHeight", Unsigned32, Leaf("left-height")).unit("blocks"),
            get: |m| Some(U64(m.left_height?)),
        },
        Column {
            object: ro(9, "bcmMemberLeftTime", DateAndTime, Leaf("left-at")),
            get: |m| Some(Time(m.left_at?)),
        },
    ],
};
