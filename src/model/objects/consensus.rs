//! bcmConsensus / chain-agent-consensus: each chain's consensus state
//! (Consensus), its tunable parameters (ConsensusParameter), its
//! validators (Validator) and the votes pending on them (PendingVote), and
//! each node's head in the consistency analysis (NodeHead).
//!
//! A parameter's value is configuration where the platform lets the agent
//! set it: the map declares the value the platform reports and the leaf a
//! SET edits; the value in force (the configured one when set) is each
//! front end's reading of the configuration.

use super::Datum::*;
use super::Syntax::*;
use super::Yang::Leaf;
use super::chain::CHAIN_NAME;
use super::enums::verdict;
use super::node::NODE_NAME;
use super::{Column, IndexPart, IndexSyntax, Input, Key, Step, Table, config, ro, rw};
use crate::model::consensus::{
    Consensus, ConsensusParameter, ConsistencyReport, NodeHead, PendingVote, Validator,
};
use crate::model::platform::parameter_range;

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
        why: None,
        get: Some(|k| Some(Text(&k.chain))),
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
            get: |k| Some(U64(k.round?)),
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

pub static CONS_PARAM_NAME: IndexPart = IndexPart {
    name: "bcmConsParamName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 2, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

/// bcmConsParamValue's and bcmConsParamSettable's columns.
pub const PARAM_VALUE: u32 = 2;
pub const PARAM_SETTABLE: u32 = 4;

/// `chains/<chain>/consensus/<name>`: a parameter's configured value, which
/// a SET edits for a configured chain (the first 2 steps), within the
/// range the platform allows for it, when the platform can set it.
const PARAM_VALUE_AT: &[Step] = &[
    Step::Name("chains"),
    Step::Key(0),
    Step::Name("consensus"),
    Step::Key(1),
];

/// A chain's consensus parameters; rows of its Consensus.
pub static CONS_PARAM: Table<ConsensusParameter> = Table {
    entry: "bcmConsParamEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 2, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/parameter",
    keys: &[
        Key::parent(&CHAIN_NAME),
        Key {
            part: &CONS_PARAM_NAME,
            leaf: Some("name"),
            why: None,
            get: Some(|p| Some(Text(&p.name))),
        },
    ],
    columns: &[
        Column {
            object: rw(
                PARAM_VALUE,
                "bcmConsParamValue",
                Unsigned32,
                Leaf("value"),
                config(PARAM_VALUE_AT, 2, Input::UnsignedByKey(1, parameter_range))
                    .only_if(PARAM_SETTABLE),
            ),
            // The platform's value, when it is a number.
            get: |p| Some(U64(p.value.trim().parse().ok()?)),
        },
        Column {
            object: ro(3, "bcmConsParamUnit", AdminString, Leaf("unit")),
            get: |p| Some(Text(&p.unit)),
        },
        Column {
            object: ro(
                PARAM_SETTABLE,
                "bcmConsParamSettable",
                TruthValue,
                Leaf("settable"),
            ),
            get: |p| Some(Bool(p.settable)),
        },
    ],
};

pub static VALIDATOR_ID: IndexPart = IndexPart {
    name: "bcmValidatorId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

/// A chain's validators; rows of its Consensus.
pub static VALIDATOR: Table<Validator> = Table {
    entry: "bcmValidatorEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 3, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/validator",
    keys: &[
        Key::parent(&CHAIN_NAME),
        Key {
            part: &VALIDATOR_ID,
            leaf: Some("id"),
            why: None,
            get: Some(|v| Some(Text(&v.id))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmValidatorAddress", AdminString, Leaf("address")),
            get: |v| Some(Text(&v.address)),
        },
        Column {
            object: ro(3, "bcmValidatorVotingPower", Decimal, Leaf("voting-power")).unit("votes"),
            get: |v| Some(U64(v.voting_power)),
        },
        Column {
            object: ro(4, "bcmValidatorActive", TruthValue, Leaf("active")),
            get: |v| Some(Bool(v.active)),
        },
        Column {
            object: ro(
                5,
                "bcmValidatorProposedBlocks",
                Counter64,
                Leaf("proposed-blocks"),
            )
            .unit("blocks"),
            get: |v| Some(U64(v.proposed_blocks)),
        },
        Column {
            object: ro(
                6,
                "bcmValidatorMissedRounds",
                Counter64,
                Leaf("missed-rounds"),
            )
            .unit("rounds"),
            get: |v| Some(U64(v.missed_rounds)),
        },
    ],
};

/// The objects of bcmForkDetected.
pub const COMMON_HEIGHT: u32 = 2;
pub const DIVERGENT_HEIGHT: u32 = 3;
pub const BRANCH_COUNT: u32 = 5;

/// A chain's data consistency analysis.
pub static CONSISTENCY: Table<ConsistencyReport> = Table {
    entry: "bcmConsistencyEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 4, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/consistency",
    keys: &[Key {
        part: &CHAIN_NAME,
        leaf: None,
        why: None,
        get: Some(|r| Some(Text(&r.chain))),
    }],
    columns: &[
        Column {
            object: ro(
                1,
                "bcmConsistencyCheckedAt",
                DateAndTime,
                Leaf("checked-at"),
            ),
            get: |r| Some(Time(r.checked_at)),
        },
        Column {
            object: ro(
                COMMON_HEIGHT,
                "bcmConsistencyCommonHeight",
                Unsigned32,
                Leaf("common-height"),
            )
            .unit("blocks"),
            get: |r| Some(U64(r.common_height)),
        },
        Column {
            object: ro(
                DIVERGENT_HEIGHT,
                "bcmConsistencyDivergentHeight",
                Unsigned32,
                Leaf("first-divergent-height"),
            )
            .unit("blocks"),
            get: |r| Some(U64(r.first_divergent_height?)),
        },
        Column {
            object: ro(4, "bcmConsistencyMaxLag", Gauge32, Leaf("max-lag")).unit("blocks"),
            get: |r| Some(U64(r.max_lag)),
        },
        Column {
            object: ro(
                BRANCH_COUNT,
                "bcmConsistencyBranchCount",
                Gauge32,
                Leaf("branch-count"),
            )
            .unit("branches"),
            get: |r| Some(U32(r.branch_count)),
        },
        Column {
            object: ro(6, "bcmConsistencyVerdict", Integer32, Leaf("verdict")),
            get: |r| Some(verdict(r.verdict)),
        },
        Column {
            object: ro(
                7,
                "bcmConsistencySplitLength",
                Gauge32,
                Leaf("split-length"),
            )
            .unit("blocks"),
            get: |r| Some(U64(r.split_length)),
        },
    ],
};

/// A node's head in its chain's consistency analysis; rows of the
/// chain's ConsistencyReport.
pub static NODE_HEAD: Table<NodeHead> = Table {
    entry: "bcmNodeHeadEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 5, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/consistency/node",
    keys: &[
        Key::parent(&CHAIN_NAME),
        Key {
            part: &NODE_NAME,
            leaf: Some("node"),
            why: None,
            get: Some(|h| Some(Text(&h.node))),
        },
    ],
    columns: &[
        Column {
            object: ro(1, "bcmNodeHeadHeight", Unsigned32, Leaf("height")).unit("blocks"),
            get: |h| Some(U64(h.height)),
        },
        Column {
            object: ro(2, "bcmNodeHeadHash", AdminString, Leaf("head-hash")),
            get: |h| Some(Text(&h.head_hash)),
        },
        Column {
            object: ro(
                3,
                "bcmNodeHeadHashAtCommon",
                AdminString,
                Leaf("hash-at-common"),
            ),
            get: |h| Some(Text(&h.hash_at_common)),
        },
        Column {
            object: ro(4, "bcmNodeHeadLag", Gauge32, Leaf("lag")).unit("blocks"),
            get: |h| Some(U64(h.lag)),
        },
        Column {
            object: ro(5, "bcmNodeHeadBranch", Unsigned32, Leaf("branch")),
            get: |h| Some(U32(h.branch)),
        },
    ],
};

pub static PENDING_VOTE_ADDRESS: IndexPart = IndexPart {
    name: "bcmPendingVoteAddress",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 6, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

/// The votes pending on a chain's validator set; rows of its Consensus.
pub static PENDING_VOTE: Table<PendingVote> = Table {
    entry: "bcmPendingVoteEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 6, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-consensus:consensus/pending-vote",
    keys: &[
        Key::parent(&CHAIN_NAME),
        Key {
            part: &PENDING_VOTE_ADDRESS,
            leaf: Some("address"),
            why: None,
            get: Some(|v| Some(Text(&v.address))),
        },
    ],
    columns: &[Column {
        object: ro(2, "bcmPendingVoteAuthorize", TruthValue, Leaf("authorize")),
        get: |v| Some(Bool(v.authorize)),
    }],
};
