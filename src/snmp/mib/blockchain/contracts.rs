//! bcmContracts: deployed contracts (Contract), their signatories
//! (Signatory) and recent invocations (ContractExecution), as the object
//! map declares them (`model::objects::contracts`). A signatory's index
//! is its position, and an execution's the octets of its transaction id
//! (`convert::tx_index_octets`): those rows are listed here.

use super::index::{self, Key};
use super::{objects, row};
use crate::model::objects::contracts::{CONTRACT, EXECUTION, SIGNATORY};
use crate::snmp::mib::convert::{position_index, tx_index_octets};
use crate::snmp::mib::{Ctx, Row, TableDef};

pub static CONTRACT_TABLE: TableDef = TableDef {
    name: CONTRACT.entry,
    entry: CONTRACT.oid,
    index: &objects::index::<_, { CONTRACT.keys.len() }>(&CONTRACT),
    columns: &objects::columns::<_, { CONTRACT.columns.len() }>(&CONTRACT),
    rows: |ctx| objects::rows(&CONTRACT, &ctx.snapshot.contracts.contracts),
    get: |ctx, row, col| {
        objects::cell(
            &CONTRACT,
            ctx.snapshot.contracts.contracts.get(row.pos)?,
            col,
        )
    },
    set: None,
    update: None,
};

pub static SIGNATORY_TABLE: TableDef = TableDef {
    name: SIGNATORY.entry,
    entry: SIGNATORY.oid,
    index: SIGNATORY_TABLE_INDEX,
    columns: &objects::columns::<_, { SIGNATORY.columns.len() }>(&SIGNATORY),
    rows: signatory_rows,
    get: |ctx, row, col| {
        let c = ctx.snapshot.contracts.contracts.get(row.pos)?;
        objects::cell(&SIGNATORY, c.signatories.get(row.sub)?, col)
    },
    set: None,
    update: None,
};

static SIGNATORY_TABLE_INDEX: &[&index::IndexPart] =
    &objects::index::<_, { SIGNATORY.keys.len() }>(&SIGNATORY);

/// `pos` is the contract's position, `sub` the signatory's in its list.
fn signatory_rows(ctx: &Ctx) -> Vec<Row> {
    let contracts = &ctx.snapshot.contracts.contracts;
    contracts
        .iter()
        .enumerate()
        .flat_map(|(pos, c)| {
            (0..c.signatories.len()).filter_map(move |sub| {
                let keys = [
                    Key::text(&c.chain),
                    Key::text(&c.id),
                    Key::Number(position_index(sub)?),
                ];
                row(index::encode(SIGNATORY_TABLE_INDEX, &keys), pos, sub)
            })
        })
        .collect()
}

static EXECUTION_INDEX: &[&index::IndexPart] =
    &objects::index::<_, { EXECUTION.keys.len() }>(&EXECUTION);

pub static EXECUTION_TABLE: TableDef = TableDef {
    name: EXECUTION.entry,
    entry: EXECUTION.oid,
    index: EXECUTION_INDEX,
    columns: &objects::columns::<_, { EXECUTION.columns.len() }>(&EXECUTION),
    rows: execution_rows,
    get: |ctx, row, col| {
        objects::cell(
            &EXECUTION,
            ctx.snapshot.contracts.executions.get(row.pos)?,
            col,
        )
    },
    set: None,
    update: None,
};

fn execution_rows(ctx: &Ctx) -> Vec<Row> {
    let executions = &ctx.snapshot.contracts.executions;
    executions
        .iter()
        .enumerate()
        .filter_map(|(pos, e)| {
            let tx = tx_index_octets(&e.tx);
            let keys = [Key::text(&e.chain), Key::Octets(&tx)];
            row(index::encode(EXECUTION_INDEX, &keys), pos, 0)
        })
        .collect()
}
