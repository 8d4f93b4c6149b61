//! Contract and ContractExecution: the contract management area.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContractState {
    Active,
    Paused,
    Destroyed,
}

/// A party that signed (approved) a contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Signatory {
    pub id: String,
    pub address: String,
    pub signed_at: UnixMillis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Contract {
    pub chain: String,
    /// Address (Ethereum) or chaincode name (Fabric).
    pub id: String,
    pub name: String,
    pub version: String,
    pub code_hash: String,
    pub deployer: String,
    pub deployed_at: UnixMillis,
    pub deploy_height: u64,
    pub state: ContractState,
    pub signatories: Vec<Signatory>,
    pub calls: u64,
    pub failed_calls: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExecutionStatus {
    Success,
    Reverted,
    Failed,
}

/// One invocation of a contract, as recorded in a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ContractExecution {
    pub chain: String,
    pub contract: String,
    pub tx: String,
    pub height: u64,
    pub caller: String,
    pub method: String,
    pub status: ExecutionStatus,
    /// Gas or the platform's equivalent.
    pub cost: u64,
    pub time: UnixMillis,
    pub error: String,
}
