//! bcmConsensus: each chain's consensus state (Consensus), its tunable
//! parameters (ConsensusParameter, configuration when settable), its
//! validators and the votes pending on them (PendingVote), and the data
//! consistency analysis (ConsistencyReport, NodeHead).

use super::chains::{CHAIN_INDEX, CHAIN_NAME};
use super::edit;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::nodes::{NODE_NAME, node_index};
use super::{cell, ro, row, rw};
use crate::model::consensus::{
    Consensus, ConsensusParameter, ConsistencyReport, NodeHead, PendingVote, Validator,
};
use crate::model::platform::parameter_range;
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::verdict_number;
use crate::snmp::mib::{Ctx, Row, SetAction, SetError, TableDef};
use crate::snmp::value::Value;
use serde_json::json;

pub static CONSENSUS_TABLE: TableDef = TableDef {
    name: "bcmConsensusEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 1, 1],
    columns: &[
        ro(1, "bcmConsensusAlgorithm", OctetString),
        ro(2, "bcmConsensusHeight", Unsigned32),
        ro(3, "bcmConsensusRound", Unsigned32),
        ro(4, "bcmConsensusLeader", OctetString),
        ro(5, "bcmConsensusViewChanges", Counter64),
        ro(6, "bcmConsensusLastBlockTime", OctetString),
    ],
    rows: consensus_rows,
    get: consensus_get,
    set: None,
};

/// bcmConsensusHeight and bcmConsensusLeader, the objects of
/// bcmConsensusStalled.
pub const HEIGHT: u32 = 2;
pub const LEADER: u32 = 4;

/// The instance suffix of a per-chain row.
pub fn chain_index(chain: &str) -> Option<Vec<u32>> {
    index::encode(CHAIN_INDEX, &[Key::text(chain)])
}

fn consensus_rows(ctx: &Ctx) -> Vec<Row> {
    let chains = &ctx.snapshot.consensus.chains;
    chains
        .iter()
        .enumerate()
        .filter_map(|(pos, c)| row(chain_index(&c.chain), pos, 0))
        .collect()
}

fn consensus_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    consensus_cell(ctx.snapshot.consensus.chains.get(row.pos)?, col)
}

fn consensus_cell(c: &Consensus, col: u32) -> Option<Value> {
    Some(match col {
        1 => cell::text(&c.algorithm),
        HEIGHT => cell::saturated(c.height),
        3 => cell::saturated(c.round),
        LEADER => cell::text(&c.leader),
        5 => cell::counter64(c.view_changes),
        6 => cell::date(c.last_block_at),
        _ => return None,
    })
}

pub static CONS_PARAM_NAME: IndexPart = IndexPart {
    name: "bcmConsParamName",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 2, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 32 },
};

pub static CONS_PARAM_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &CONS_PARAM_NAME];

/// bcmConsParamValue's column.
pub const PARAM_VALUE: u32 = 2;

pub static CONS_PARAM_TABLE: TableDef = TableDef {
    name: "bcmConsParamEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 2, 1],
    columns: &[
        rw(PARAM_VALUE, "bcmConsParamValue", Unsigned32),
        ro(3, "bcmConsParamUnit", OctetString),
        ro(4, "bcmConsParamSettable", Integer32),
    ],
    rows: param_rows,
    get: param_get,
    set: Some(param_set),
};

/// `pos` is the chain's position in consensus.chains, `sub` the
/// parameter's in its list.
fn param_rows(ctx: &Ctx) -> Vec<Row> {
    let chains = &ctx.snapshot.consensus.chains;
    chains
        .iter()
        .enumerate()
        .flat_map(|(pos, c)| {
            c.parameters.iter().enumerate().filter_map(move |(sub, p)| {
                let keys = [Key::text(&c.chain), Key::text(&p.name)];
                row(index::encode(CONS_PARAM_INDEX, &keys), pos, sub)
            })
        })
        .collect()
}

fn param_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let c = ctx.snapshot.consensus.chains.get(row.pos)?;
    param_cell(ctx, &c.chain, c.parameters.get(row.sub)?, col)
}

/// The value is the running configuration's when it sets the parameter,
/// else the platform's reading when that is a number.
fn param_cell(ctx: &Ctx, chain: &str, p: &ConsensusParameter, col: u32) -> Option<Value> {
    Some(match col {
        PARAM_VALUE => {
            let configured = ctx
                .config
                .chains
                .get(chain)
                .and_then(|c| c.consensus.get(&p.name).copied());
            cell::saturated(configured.or_else(|| p.value.trim().parse().ok())?)
        }
        3 => cell::text(&p.unit),
        4 => cell::truth(p.settable),
        _ => return None,
    })
}

/// SET bcmConsParamValue -> chains/<chain>/consensus/<name>.
fn param_set(ctx: &Ctx, index: &[u32], col: u32, v: &Value) -> Result<SetAction, SetError> {
    if col != PARAM_VALUE {
        return Err(SetError::NotWritable);
    }
    let value = edit::unsigned(v)?;
    let [chain, name]: [String; 2] = index::decode_texts(CONS_PARAM_INDEX, index)
        .and_then(|v| v.try_into().ok())
        .ok_or(SetError::NoCreation)?;
    let (lo, hi) = parameter_range(&name);
    if !(lo..=hi).contains(&u64::from(value)) {
        return Err(SetError::WrongValue);
    }
    let param = ctx
        .snapshot
        .consensus
        .chains
        .iter()
        .filter(|c| c.chain == chain)
        .flat_map(|c| &c.parameters)
        .find(|p| p.name == name)
        .ok_or(SetError::NoCreation)?;
    if !param.settable {
        return Err(SetError::NotWritable);
    }
    if !ctx.config.chains.contains_key(&chain) {
        return Err(SetError::InconsistentValue);
    }
    Ok(edit::set(
        &["chains", &chain, "consensus", &name],
        json!(value),
    ))
}

pub static VALIDATOR_ID: IndexPart = IndexPart {
    name: "bcmValidatorId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static VALIDATOR_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &VALIDATOR_ID];

pub static VALIDATOR_TABLE: TableDef = TableDef {
    name: "bcmValidatorEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 3, 1],
    columns: &[
        ro(2, "bcmValidatorAddress", OctetString),
        ro(3, "bcmValidatorVotingPower", OctetString),
        ro(4, "bcmValidatorActive", Integer32),
        ro(5, "bcmValidatorProposedBlocks", Counter64),
        ro(6, "bcmValidatorMissedRounds", Counter64),
    ],
    rows: validator_rows,
    get: validator_get,
    set: None,
};

fn validator_rows(ctx: &Ctx) -> Vec<Row> {
    let chains = &ctx.snapshot.consensus.chains;
    chains
        .iter()
        .enumerate()
        .flat_map(|(pos, c)| {
            c.validators.iter().enumerate().filter_map(move |(sub, v)| {
                let keys = [Key::text(&c.chain), Key::text(&v.id)];
                row(index::encode(VALIDATOR_INDEX, &keys), pos, sub)
            })
        })
        .collect()
}

fn validator_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let c = ctx.snapshot.consensus.chains.get(row.pos)?;
    validator_cell(c.validators.get(row.sub)?, col)
}

fn validator_cell(v: &Validator, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&v.address),
        3 => cell::decimal(v.voting_power),
        4 => cell::truth(v.active),
        5 => cell::counter64(v.proposed_blocks),
        6 => cell::counter64(v.missed_rounds),
        _ => return None,
    })
}

pub static CONSISTENCY_TABLE: TableDef = TableDef {
    name: "bcmConsistencyEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 4, 1],
    columns: &[
        ro(1, "bcmConsistencyCheckedAt", OctetString),
        ro(2, "bcmConsistencyCommonHeight", Unsigned32),
        ro(3, "bcmConsistencyDivergentHeight", Unsigned32),
        ro(4, "bcmConsistencyMaxLag", Gauge32),
        ro(5, "bcmConsistencyBranchCount", Gauge32),
        ro(6, "bcmConsistencyVerdict", Integer32),
        ro(7, "bcmConsistencySplitLength", Gauge32),
    ],
    rows: consistency_rows,
    get: consistency_get,
    set: None,
};

/// The objects of bcmForkDetected.
pub const COMMON_HEIGHT: u32 = 2;
pub const DIVERGENT_HEIGHT: u32 = 3;
pub const BRANCH_COUNT: u32 = 5;

fn consistency_rows(ctx: &Ctx) -> Vec<Row> {
    let reports = &ctx.snapshot.consensus.consistency;
    reports
        .iter()
        .enumerate()
        .filter_map(|(pos, r)| row(chain_index(&r.chain), pos, 0))
        .collect()
}

fn consistency_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    consistency_cell(ctx.snapshot.consensus.consistency.get(row.pos)?, col)
}

/// A cell of a chain's consistency row (also the varbinds of bcmForkDetected).
pub fn consistency_cell(r: &ConsistencyReport, col: u32) -> Option<Value> {
    Some(match col {
        1 => cell::date(r.checked_at),
        COMMON_HEIGHT => cell::saturated(r.common_height),
        DIVERGENT_HEIGHT => cell::saturated(r.first_divergent_height?),
        4 => cell::saturated(r.max_lag),
        BRANCH_COUNT => cell::unsigned(r.branch_count),
        6 => cell::int(verdict_number(r.verdict)),
        7 => cell::saturated(r.split_length),
        _ => return None,
    })
}

pub static NODE_HEAD_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &NODE_NAME];

pub static NODE_HEAD_TABLE: TableDef = TableDef {
    name: "bcmNodeHeadEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 5, 1],
    columns: &[
        ro(1, "bcmNodeHeadHeight", Unsigned32),
        ro(2, "bcmNodeHeadHash", OctetString),
        ro(3, "bcmNodeHeadHashAtCommon", OctetString),
        ro(4, "bcmNodeHeadLag", Gauge32),
        ro(5, "bcmNodeHeadBranch", Unsigned32),
    ],
    rows: head_rows,
    get: head_get,
    set: None,
};

/// `pos` is the report's position, `sub` the node's in the report.
fn head_rows(ctx: &Ctx) -> Vec<Row> {
    let reports = &ctx.snapshot.consensus.consistency;
    reports
        .iter()
        .enumerate()
        .flat_map(|(pos, r)| {
            r.nodes
                .iter()
                .enumerate()
                .filter_map(move |(sub, h)| row(node_index(&r.chain, &h.node), pos, sub))
        })
        .collect()
}

fn head_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let r = ctx.snapshot.consensus.consistency.get(row.pos)?;
    head_cell(r.nodes.get(row.sub)?, col)
}

fn head_cell(h: &NodeHead, col: u32) -> Option<Value> {
    Some(match col {
        1 => cell::saturated(h.height),
        2 => cell::text(&h.head_hash),
        3 => cell::text(&h.hash_at_common),
        4 => cell::saturated(h.lag),
        5 => cell::unsigned(h.branch),
        _ => return None,
    })
}

pub static PENDING_VOTE_ADDRESS: IndexPart = IndexPart {
    name: "bcmPendingVoteAddress",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 6, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static PENDING_VOTE_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &PENDING_VOTE_ADDRESS];

pub static PENDING_VOTE_TABLE: TableDef = TableDef {
    name: "bcmPendingVoteEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 7, 6, 1],
    columns: &[ro(2, "bcmPendingVoteAuthorize", Integer32)],
    rows: vote_rows,
    get: vote_get,
    set: None,
};

/// `pos` is the chain's position, `sub` the vote's.
fn vote_rows(ctx: &Ctx) -> Vec<Row> {
    let chains = &ctx.snapshot.consensus.chains;
    chains
        .iter()
        .enumerate()
        .flat_map(|(pos, c)| {
            c.pending_votes
                .iter()
                .enumerate()
                .filter_map(move |(sub, v)| {
                    let keys = [Key::text(&c.chain), Key::text(&v.address)];
                    row(index::encode(PENDING_VOTE_INDEX, &keys), pos, sub)
                })
        })
        .collect()
}

fn vote_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let c = ctx.snapshot.consensus.chains.get(row.pos)?;
    vote_cell(c.pending_votes.get(row.sub)?, col)
}

fn vote_cell(v: &PendingVote, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::truth(v.authorize),
        _ => return None,
    })
}
