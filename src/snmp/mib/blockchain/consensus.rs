//! bcmConsensus: each chain's consensus state (Consensus), its tunable
//! parameters (ConsensusParameter, configuration when settable), its
//! validators and the votes pending on them (PendingVote), and the data
//! consistency analysis (ConsistencyReport, NodeHead).

use super::chains::CHAIN_INDEX;
use super::index::{self, Key};
use super::{cell, objects};
use crate::model::consensus::{ConsensusParameter, ConsistencyReport};
use crate::model::objects::Datum;
use crate::model::objects::consensus::{
    CONS_PARAM, CONSENSUS, CONSISTENCY, NODE_HEAD, PARAM_VALUE, PENDING_VOTE, VALIDATOR,
};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub static CONSENSUS_TABLE: TableDef = TableDef {
    name: CONSENSUS.entry,
    entry: CONSENSUS.oid,
    index: &objects::index::<_, { CONSENSUS.keys.len() }>(&CONSENSUS),
    columns: &objects::columns::<_, { CONSENSUS.columns.len() }>(&CONSENSUS),
    rows: |ctx| objects::rows(&CONSENSUS, &ctx.snapshot.consensus.chains),
    get: |ctx, row, col| {
        objects::cell(&CONSENSUS, ctx.snapshot.consensus.chains.get(row.pos)?, col)
    },
    set: None,
    update: None,
};

pub use crate::model::objects::consensus::{HEIGHT, LEADER};

/// The instance suffix of a per-chain row.
pub fn chain_index(chain: &str) -> Option<Vec<u32>> {
    index::encode(CHAIN_INDEX, &[Key::text(chain)])
}

pub static CONS_PARAM_TABLE: TableDef = TableDef {
    name: CONS_PARAM.entry,
    entry: CONS_PARAM.oid,
    index: &objects::index::<_, { CONS_PARAM.keys.len() }>(&CONS_PARAM),
    columns: &objects::columns::<_, { CONS_PARAM.columns.len() }>(&CONS_PARAM),
    rows: |ctx| {
        objects::nested_rows(
            &CONS_PARAM,
            &ctx.snapshot.consensus.chains,
            |c| [Datum::Text(&c.chain)],
            |c| &c.parameters,
        )
    },
    get: param_get,
    set: Some(|ctx, index, col, v| {
        objects::set(&CONS_PARAM, &CONS_PARAM_TABLE, ctx, index, col, v)
    }),
    update: None,
};

/// `pos` is the chain's position in consensus.chains, `sub` the
/// parameter's in its list.
fn param_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let c = ctx.snapshot.consensus.chains.get(row.pos)?;
    param_cell(ctx, &c.chain, c.parameters.get(row.sub)?, col)
}

/// The value is the running configuration's when it sets the parameter,
/// else the platform's reading when that is a number.
fn param_cell(ctx: &Ctx, chain: &str, p: &ConsensusParameter, col: u32) -> Option<Value> {
    let configured = || {
        ctx.config
            .chains
            .get(chain)
            .and_then(|c| c.consensus.get(&p.name).copied())
    };
    match col {
        PARAM_VALUE => match configured() {
            Some(v) => Some(cell::saturated(v)),
            None => objects::cell(&CONS_PARAM, p, col),
        },
        _ => objects::cell(&CONS_PARAM, p, col),
    }
}

pub static VALIDATOR_TABLE: TableDef = TableDef {
    name: VALIDATOR.entry,
    entry: VALIDATOR.oid,
    index: &objects::index::<_, { VALIDATOR.keys.len() }>(&VALIDATOR),
    columns: &objects::columns::<_, { VALIDATOR.columns.len() }>(&VALIDATOR),
    rows: |ctx| {
        objects::nested_rows(
            &VALIDATOR,
            &ctx.snapshot.consensus.chains,
            |c| [Datum::Text(&c.chain)],
            |c| &c.validators,
        )
    },
    get: |ctx, row, col| {
        let c = ctx.snapshot.consensus.chains.get(row.pos)?;
        objects::cell(&VALIDATOR, c.validators.get(row.sub)?, col)
    },
    set: None,
    update: None,
};

pub static CONSISTENCY_TABLE: TableDef = TableDef {
    name: CONSISTENCY.entry,
    entry: CONSISTENCY.oid,
    index: &objects::index::<_, { CONSISTENCY.keys.len() }>(&CONSISTENCY),
    columns: &objects::columns::<_, { CONSISTENCY.columns.len() }>(&CONSISTENCY),
    rows: |ctx| objects::rows(&CONSISTENCY, &ctx.snapshot.consensus.consistency),
    get: |ctx, row, col| consistency_cell(ctx.snapshot.consensus.consistency.get(row.pos)?, col),
    set: None,
    update: None,
};

pub use crate::model::objects::consensus::{BRANCH_COUNT, COMMON_HEIGHT, DIVERGENT_HEIGHT};

/// A cell of a chain's consistency row (also the varbinds of bcmForkDetected).
pub fn consistency_cell(r: &ConsistencyReport, col: u32) -> Option<Value> {
    objects::cell(&CONSISTENCY, r, col)
}

pub static NODE_HEAD_TABLE: TableDef = TableDef {
    name: NODE_HEAD.entry,
    entry: NODE_HEAD.oid,
    index: &objects::index::<_, { NODE_HEAD.keys.len() }>(&NODE_HEAD),
    columns: &objects::columns::<_, { NODE_HEAD.columns.len() }>(&NODE_HEAD),
    rows: |ctx| {
        objects::nested_rows(
            &NODE_HEAD,
            &ctx.snapshot.consensus.consistency,
            |r| [Datum::Text(&r.chain)],
            |r| &r.nodes,
        )
    },
    get: |ctx, row, col| {
        let r = ctx.snapshot.consensus.consistency.get(row.pos)?;
        objects::cell(&NODE_HEAD, r.nodes.get(row.sub)?, col)
    },
    set: None,
    update: None,
};

pub static PENDING_VOTE_TABLE: TableDef = TableDef {
    name: PENDING_VOTE.entry,
    entry: PENDING_VOTE.oid,
    index: &objects::index::<_, { PENDING_VOTE.keys.len() }>(&PENDING_VOTE),
    columns: &objects::columns::<_, { PENDING_VOTE.columns.len() }>(&PENDING_VOTE),
    rows: |ctx| {
        objects::nested_rows(
            &PENDING_VOTE,
            &ctx.snapshot.consensus.chains,
            |c| [Datum::Text(&c.chain)],
            |c| &c.pending_votes,
        )
    },
    get: |ctx, row, col| {
        let c = ctx.snapshot.consensus.chains.get(row.pos)?;
        objects::cell(&PENDING_VOTE, c.pending_votes.get(row.sub)?, col)
    },
    set: None,
    update: None,
};
