//! bcmContracts / chain-agent-contracts: deployed contracts (Contract),
//! their signatories (Signatory) and recent invocations
//! (ContractExecution).

use super::Datum::*;
use super::Syntax::*;
use super::Yang::{Leaf, Nothing};
use super::chain::CHAIN_NAME;
use super::enums::{contract_state, execution_status};
use super::{Column, IndexPart, IndexSyntax, Key, Table, ro};
use crate::model::contract::{Contract, ContractExecution, Signatory};

pub static CONTRACT_ID: IndexPart = IndexPart {
    name: "bcmContractId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 1, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

pub static CONTRACT: Table<Contract> = Table {
    entry: "bcmContractEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 1, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts/contract",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|c| Some(Text(&c.chain))),
        },
        Key {
            part: &CONTRACT_ID,
            leaf: Some("id"),
            why: None,
            get: Some(|c| Some(Text(&c.id))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmContractName", AdminString, Leaf("name")),
            get: |c| Some(Text(&c.name)),
        },
        Column {
            object: ro(3, "bcmContractVersion", AdminString, Leaf("version")),
            get: |c| Some(Text(&c.version)),
        },
        Column {
            object: ro(4, "bcmContractCodeHash", AdminString, Leaf("code-hash")),
            get: |c| Some(Text(&c.code_hash)),
        },
        Column {
            object: ro(5, "bcmContractDeployer", AdminString, Leaf("deployer")),
            get: |c| Some(Text(&c.deployer)),
        },
        Column {
            object: ro(
                6,
                "bcmContractDeployedTime",
                DateAndTime,
                Leaf("deployed-at"),
            ),
            get: |c| Some(Time(c.deployed_at)),
        },
        Column {
            object: ro(
                7,
                "bcmContractDeployHeight",
                Unsigned32,
                Leaf("deploy-height"),
            )
            .unit("blocks"),
            get: |c| Some(U64(c.deploy_height)),
        },
        Column {
            object: ro(8, "bcmContractState", Integer32, Leaf("state")),
            get: |c| Some(contract_state(c.state)),
        },
        Column {
            object: ro(9, "bcmContractCalls", Counter64, Leaf("calls")).unit("calls"),
            get: |c| Some(U64(c.calls)),
        },
        Column {
            object: ro(
                10,
                "bcmContractFailedCalls",
                Counter64,
                Leaf("failed-calls"),
            )
            .unit("calls"),
            get: |c| Some(U64(c.failed_calls)),
        },
        Column {
            object: ro(
                11,
                "bcmContractSignatoryCount",
                Gauge32,
                Nothing("derived: the number of signatory entries, count(signatory) in XPath"),
            )
            .unit("signatories"),
            get: |c| Some(U64(c.signatories.len() as u64)),
        },
    ],
};

pub static SIGNATORY_INDEX: IndexPart = IndexPart {
    name: "bcmSignatoryIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

/// A contract's signatories; rows of its Contract. The MIB indexes them
/// by position (1-based), which the reader supplies; YANG keys them by id.
pub static SIGNATORY: Table<Signatory> = Table {
    entry: "bcmSignatoryEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 2, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts/contract/signatory",
    keys: &[
        Key::parent(&CHAIN_NAME),
        Key::parent(&CONTRACT_ID),
        Key::position(
            &SIGNATORY_INDEX,
            "a position in the agent's list; YANG keys the entry by id",
        ),
    ],
    columns: &[
        Column {
            object: ro(2, "bcmSignatoryId", AdminString, Leaf("id")),
            get: |s| Some(Text(&s.id)),
        },
        Column {
            object: ro(3, "bcmSignatoryAddress", AdminString, Leaf("address")),
            get: |s| Some(Text(&s.address)),
        },
        Column {
            object: ro(4, "bcmSignatoryTime", DateAndTime, Leaf("signed-at")),
            get: |s| Some(Time(s.signed_at)),
        },
    ],
};

pub static EXECUTION_TX: IndexPart = IndexPart {
    name: "bcmExecutionTx",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 3, 1, 1],
    syntax: IndexSyntax::Octets { min: 1, max: 64 },
};

/// The MIB's bcmExecutionTx holds a 0x-hex transaction id as its octets,
/// an encoding SNMP applies to the key this map gives as text.
pub static EXECUTION: Table<ContractExecution> = Table {
    entry: "bcmExecutionEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 8, 3, 1],
    yang: "/chain-agent-nodes:chains/chain/chain-agent-contracts:contracts/execution",
    keys: &[
        Key {
            part: &CHAIN_NAME,
            leaf: None,
            why: None,
            get: Some(|e| Some(Text(&e.chain))),
        },
        Key {
            part: &EXECUTION_TX,
            leaf: Some("tx"),
            why: None,
            get: Some(|e| Some(Text(&e.tx))),
        },
    ],
    columns: &[
        Column {
            object: ro(2, "bcmExecutionContract", AdminString, Leaf("contract")),
            get: |e| Some(Text(&e.contract)),
        },
        Column {
            object: ro(3, "bcmExecutionHeight", Unsigned32, Leaf("height")).unit("blocks"),
            get: |e| Some(U64(e.height)),
        },
        Column {
            object: ro(4, "bcmExecutionCaller", AdminString, Leaf("caller")),
            get: |e| Some(Text(&e.caller)),
        },
        Column {
            object: ro(5, "bcmExecutionMethod", AdminString, Leaf("method")),
            get: |e| Some(Text(&e.method)),
        },
        Column {
            object: ro(6, "bcmExecutionStatus", Integer32, Leaf("status")),
            get: |e| Some(execution_status(e.status)),
        },
        Column {
            object: ro(7, "bcmExecutionCost", Unsigned32, Leaf("cost"))
                .unit("gas or the platform's cost unit"),
            get: |e| Some(U64(e.cost)),
        },
        Column {
            object: ro(8, "bcmExecutionTime", DateAndTime, Leaf("time")),
            get: |e| Some(Time(e.time)),
        },
        Column {
            object: ro(9, "bcmExecutionError", AdminString, Leaf("error")),
            get: |e| Some(Text(&e.error)),
        },
    ],
};
