//! bcmContracts: deployed contracts (Contract), their signatories
//! (Signatory) and recent invocations (ContractExecution).

use super::chains::CHAIN_NAME;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, ro, row};
use crate::model::contract::{Contract, ContractExecution, Signatory};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{
    contract_state_number, execution_status_number, position_index, tx_index_octets,
};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub static CONTRACT_ID: IndexPart = IndexPart {
    name: "bcmContractId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static CONTRACT_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &CONTRACT_ID];

pub static CONTRACT_TABLE: TableDef = TableDef {
    name: "bcmContractEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 1, 1],
    index: CONTRACT_INDEX,
    columns: &[
        ro(2, "bcmContractName", OctetString),
        ro(3, "bcmContractVersion", OctetString),
        ro(4, "bcmContractCodeHash", OctetString),
        ro(5, "bcmContractDeployer", OctetString),
        ro(6, "bcmContractDeployedTime", OctetString),
        ro(7, "bcmContractDeployHeight", Unsigned32),
        ro(8, "bcmContractState", Integer32),
        ro(9, "bcmContractCalls", Counter64),
        ro(10, "bcmContractFailedCalls", Counter64),
        ro(11, "bcmContractSignatoryCount", Gauge32),
    ],
    rows: contract_rows,
    get: contract_get,
    set: None,
};

fn contract_rows(ctx: &Ctx) -> Vec<Row> {
    let contracts = &ctx.snapshot.contracts.contracts;
    contracts
        .iter()
        .enumerate()
        .filter_map(|(pos, c)| {
            let keys = [Key::text(&c.chain), Key::text(&c.id)];
            row(index::encode(CONTRACT_INDEX, &keys), pos, 0)
        })
        .collect()
}

fn contract_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    contract_cell(ctx.snapshot.contracts.contracts.get(row.pos)?, col)
}

fn contract_cell(c: &Contract, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&c.name),
        3 => cell::text(&c.version),
        4 => cell::text(&c.code_hash),
        5 => cell::text(&c.deployer),
        6 => cell::date(c.deployed_at),
        7 => cell::saturated(c.deploy_height),
        8 => cell::int(contract_state_number(c.state)),
        9 => cell::counter64(c.calls),
        10 => cell::counter64(c.failed_calls),
        11 => cell::saturated(c.signatories.len() as u64),
        _ => return None,
    })
}

pub static SIGNATORY_INDEX: IndexPart = IndexPart {
    name: "bcmSignatoryIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static SIGNATORY_TABLE_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &CONTRACT_ID, &SIGNATORY_INDEX];

pub static SIGNATORY_TABLE: TableDef = TableDef {
    name: "bcmSignatoryEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 2, 1],
    index: SIGNATORY_TABLE_INDEX,
    columns: &[
        ro(2, "bcmSignatoryId", OctetString),
        ro(3, "bcmSignatoryAddress", OctetString),
        ro(4, "bcmSignatoryTime", OctetString),
    ],
    rows: signatory_rows,
    get: signatory_get,
    set: None,
};

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

fn signatory_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let c = ctx.snapshot.contracts.contracts.get(row.pos)?;
    signatory_cell(c.signatories.get(row.sub)?, col)
}

fn signatory_cell(s: &Signatory, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&s.id),
        3 => cell::text(&s.address),
        4 => cell::date(s.signed_at),
        _ => return None,
    })
}

pub static EXECUTION_TX: IndexPart = IndexPart {
    name: "bcmExecutionTx",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static EXECUTION_INDEX: &[&IndexPart] = &[&CHAIN_NAME, &EXECUTION_TX];

pub static EXECUTION_TABLE: TableDef = TableDef {
    name: "bcmExecutionEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 3, 1],
    index: EXECUTION_INDEX,
    columns: &[
        ro(2, "bcmExecutionContract", OctetString),
        ro(3, "bcmExecutionHeight", Unsigned32),
        ro(4, "bcmExecutionCaller", OctetString),
        ro(5, "bcmExecutionMethod", OctetString),
        ro(6, "bcmExecutionStatus", Integer32),
        ro(7, "bcmExecutionCost", Unsigned32),
        ro(8, "bcmExecutionTime", OctetString),
        ro(9, "bcmExecutionError", OctetString),
    ],
    rows: execution_rows,
    get: execution_get,
    set: None,
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

fn execution_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    execution_cell(ctx.snapshot.contracts.executions.get(row.pos)?, col)
}

fn execution_cell(e: &ContractExecution, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&e.contract),
        3 => cell::saturated(e.height),
        4 => cell::text(&e.caller),
        5 => cell::text(&e.method),
        6 => cell::int(execution_status_number(e.status)),
        7 => cell::saturated(e.cost),
        8 => cell::date(e.time),
        9 => cell::text(&e.error),
        _ => return None,
    })
}
