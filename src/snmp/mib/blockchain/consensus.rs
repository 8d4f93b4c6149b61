//! bcmConsensus: each chain's consensus state (Consensus), its tunable
//! parameters (ConsensusParameter, configuration when settable), its
//! validators and the votes pending on them (PendingVote), and the data
//! consistency analysis (ConsistencyReport, NodeHead).

use super::chains::{CHAIN_INDEX, CHAIN_NAME};
use super::edit;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, objects, ro, row, rw};
use crate::model::consensus::{ConsensusParameter, ConsistencyReport};
use crate::model::objects::Datum;
use crate::model::objects::consensus::{
    CONSENSUS, CONSISTENCY, NODE_HEAD, PENDING_VOTE, VALIDATOR,
};
use crate::model::platform::parameter_range;
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::{Ctx, Row, SetAction, SetError, TableDef};
use crate::snmp::value::Value;
use serde_json::json;

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
};

pub use crate::model::objects::consensus::{HEIGHT, LEADER};

/// The instance suffix of a per-chain row.
pub fn chain_index(chain: &str) -> Option<Vec<u32>> {
    index::encode(CHAIN_INDEX, &[Key::text(chain)])
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
    index: CONS_PARAM_INDEX,
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
};

pub static CONSISTENCY_TABLE: TableDef = TableDef {
    name: CONSISTENCY.entry,
    entry: CONSISTENCY.oid,
    index: &objects::index::<_, { CONSISTENCY.keys.len() }>(&CONSISTENCY),
    columns: &objects::columns::<_, { CONSISTENCY.columns.len() }>(&CONSISTENCY),
    rows: |ctx| objects::rows(&CONSISTENCY, &ctx.snapshot.consensus.consistency),
    get: |ctx, row, col| consistency_cell(ctx.snapshot.consensus.consistency.get(row.pos)?, col),
    set: None,
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
};
