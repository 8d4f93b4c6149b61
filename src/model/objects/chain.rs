//! bcmChains / chain-agent-nodes: the managed chains (ManagedChain), and
//! bcmChainName, the index object every per-chain table's INDEX begins
//! with.

use super::Datum::*;
use super::Syntax::*;
use super::Yang::Leaf;
use super::enums::{consensus_type, platform};
use super::{Column, IndexPart, IndexSyntax, Key, Table, ro};
use crate::model::chain::ManagedChain;
use crate::model::text::cut_utf8;

pub static CHAIN_NAME: IndexPart = IndexPart {
    name: "bcmChainName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 1, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

/// The most octets of the chain's display name (a configuration leaf of
/// the MIB's length), so the reported name is cut alike for both.
const TEXT_MAX: usize = 255;

pub static CHAIN: Table<ManagedChain> = Table {
    entry: "bcmChainEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 1, 1, 1],
    yang: "/chain-agent-nodes:chains/chain",
    keys: &[Key {
        part: &CHAIN_NAME,
        leaf: Some("id"),
        why: None,
        get: Some(|c| Some(Text(&c.id))),
    }],
    columns: &[
        Column {
            object: ro(2, "bcmChainDisplayName", AdminString, Leaf("name")),
            get: |c| Some(Text(cut_utf8(&c.name, TEXT_MAX))),
        },
        Column {
            object: ro(3, "bcmChainPlatform", Integer32, Leaf("platform")),
            get: |c| Some(platform(c.platform)),
        },
        Column {
            object: ro(4, "bcmChainNetworkId", AdminString, Leaf("chain-id")),
            get: |c| Some(Text(&c.chain_id)),
        },
        Column {
            object: ro(
                5,
                "bcmChainConsensusType",
                Integer32,
                Leaf("consensus-type"),
            ),
            get: |c| Some(consensus_type(c.consensus_type)),
        },
        Column {
            object: ro(6, "bcmChainGenesisHash", AdminString, Leaf("genesis-hash")),
            get: |c| Some(Text(&c.genesis_hash)),
        },
        Column {
            object: ro(7, "bcmChainNodeCount", Gauge32, Leaf("node-count")).unit("nodes"),
            get: |c| Some(U32(c.node_count)),
        },
    ],
};
