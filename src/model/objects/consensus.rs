//! bcmConsensus / chain-agent-consensus: each chain's consensus state
//! (Consensus).

use super::Datum::*;
use super::Syntax::*;
use super::Yang::Leaf;
use super::chain::CHAIN_NAME;
use super::{Column, Key, Table, ro};
use crate::model::consensus::Consensus;

/// bcmConsensusHeight and bcmConsensusLeader, also the objects of
/// bcmConsensusStalled.
pub const HEIGHT: u32 = 2;
pub const LEADER: u32 = 4;

pub static CONSENSUS: Table<Consensus> = Table {
    entry: "bcmConsensusEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 1, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus",
    keys: &[Key {
        part: &CHAIN_NAME,
        leaf: None,
        get: |k| Some(Text(&k.chain)),
    }],
    columns: &[
        Column {
            object: ro(1, "bcmConsensusAlgorithm", AdminString, Leaf("algorithm")),
            get: |k| Some(Text(&k.algorithm)),
        },
        Column {
            object: ro(HEIGHT, "bcmConsensusHeight", Unsigned32, Leaf("height")).unit("blocks"),
            get: |k| Some(U64(k.height)),
        },
        Column {
            object: ro(3, "bcmConsensusRound", Unsigned32, Leaf("round")),
            get: |k| Some(U64(k.round)),
        },
        Column {
            object: ro(LEADER, "bcmConsensusLeader", AdminString, Leaf("leader")),
            get: |k| Some(Text(&k.leader)),
        },
        Column {
            object: ro(
                5,
                "bcmConsensusViewChanges",
                Counter64,
                Leaf("view-changes"),
            ),
            get: |k| Some(U64(k.view_changes)),
        },
        Column {
            object: ro(
                6,
                "bcmConsensusLastBlockTime",
                DateAndTime,
                Leaf("last-block-at"),
            ),
            get: |k| Some(Time(k.last_block_at)),
        },
        Column {
            object: ro(
                7,
                "bcmConsensusActiveValidators",
                Gauge32,
                Leaf("active-validators"),
            )
            .unit("validators"),
            get: |k| {
                let active = k.validators.iter().filter(|v| v.active).count();
                (!k.validators.is_empty()).then(|| U32(u32::try_from(active).unwrap_or(u32::MAX)))
            },
        },
    ],
};
