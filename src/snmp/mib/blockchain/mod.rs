//! BLOCKCHAIN-MGMT-MIB (mibs/BLOCKCHAIN-MGMT-MIB): the agent's own
//! objects, one module per area of the MIB. Every definition carries its
//! absolute OID as a literal so it can live in a `static`; the tests check
//! each against `ROOT`, and tests/mib_lint.rs checks names, OIDs, syntax
//! and access against net-snmp's and libsmi's reading of the MIB file.

/// A scalar of an object-map group (`model::objects::Scalars`): its
/// name, OID, syntax and access from the map, its value read through the
/// map's getter from what `$source` gives (`|ctx| -> Option<&R>`), its
/// SET the map's when the scalar is writable.
macro_rules! map_scalar {
    ($name:ident, $group:path, $column:literal, $source:expr) => {
        pub static $name: $crate::snmp::mib::ScalarDef = {
            const COLUMN: $crate::snmp::mib::Column = objects::scalar_column(&$group, $column);
            $crate::snmp::mib::ScalarDef {
                name: COLUMN.name,
                oid: &objects::scalar_oid::<_, { $group.oid.len() + 1 }>(&$group, $column),
                syntax: COLUMN.syntax,
                access: COLUMN.access,
                get: |ctx| objects::scalar_cell(&$group, ($source)(ctx)?, $column),
                set: match COLUMN.access {
                    $crate::snmp::mib::Access::ReadWrite => {
                        Some(|ctx, v| objects::scalar_set(&$group, ctx, $column, v))
                    }
                    // A scalar has no row to create.
                    $crate::snmp::mib::Access::ReadOnly | $crate::snmp::mib::Access::ReadCreate => {
                        None
                    }
                },
            }
        };
    };
}

mod cell;
mod edit;
pub mod index;
mod objects;

pub mod agent;
pub mod apply;
pub mod chains;
pub mod consensus;
pub mod contracts;
pub mod crosschain;
pub mod faults;
pub mod host;
pub mod ledger;
pub mod logs;
pub mod nodes;
pub mod notifications;
pub mod performance;

#[cfg(test)]
pub mod fixture;
#[cfg(test)]
mod tests;

use super::{Access, Ctx, Row, ScalarDef, Syntax, TableDef};
use crate::snmp::value::Value;
use index::IndexPart;

pub use notifications::{NotificationDef, notification, notifications};

static TABLES: &[&TableDef] = &[
    &chains::CHAIN_TABLE,
    &nodes::NODE_TABLE,
    &nodes::LINK_TABLE,
    &host::HOST_DISK_TABLE,
    &host::HOST_IF_TABLE,
    &performance::NODE_PERF_TABLE,
    &faults::ALARM_TYPE_TABLE,
    &faults::ALARM_ACTIVE_TABLE,
    &faults::ALARM_HISTORY_TABLE,
    &logs::LOG_TYPE_TABLE,
    &logs::LOG_RECORD_TABLE,
    &ledger::LEDGER_TABLE,
    &ledger::BLOCK_TABLE,
    &ledger::MEMBER_TABLE,
    &consensus::CONSENSUS_TABLE,
    &consensus::CONS_PARAM_TABLE,
    &consensus::VALIDATOR_TABLE,
    &consensus::CONSISTENCY_TABLE,
    &consensus::NODE_HEAD_TABLE,
    &consensus::PENDING_VOTE_TABLE,
    &contracts::CONTRACT_TABLE,
    &contracts::SIGNATORY_TABLE,
    &contracts::EXECUTION_TABLE,
    &crosschain::CHANNEL_TABLE,
    &crosschain::TRANSFER_TABLE,
    &crosschain::CHANNEL_PARAM_TABLE,
    &apply::CONFIG_APPLY_TABLE,
];

static SCALARS: &[&ScalarDef] = &[
    &host::HOST_NAME,
    &host::HOST_OS_NAME,
    &host::HOST_OS_VERSION,
    &host::HOST_KERNEL,
    &host::HOST_ARCH,
    &host::HOST_CPU_MODEL,
    &host::HOST_CPU_CORES,
    &host::HOST_MEMORY_KBYTES,
    &host::HOST_BOOT_TIME,
    &performance::THRESH_CPU_PERCENT,
    &performance::THRESH_MEMORY_PERCENT,
    &performance::THRESH_SYNC_LAG_BLOCKS,
    &performance::THRESH_CONSENSUS_STALL,
    &performance::THRESH_LINK_LATENCY,
    &performance::THRESH_XCHAIN_TIMEOUT_PERCENT,
    &performance::THRESH_CPU_HYSTERESIS,
    &performance::THRESH_MEMORY_HYSTERESIS,
    &performance::THRESH_SYNC_LAG_HYSTERESIS,
    &performance::THRESH_LINK_LATENCY_HYSTERESIS,
    &performance::THRESH_HOLD_OFF,
    &performance::THRESH_TX_POOL_MAX,
    &performance::THRESH_PEER_COUNT_MIN,
    &performance::THRESH_PEER_COUNT_HOLD_OFF,
    &performance::THRESH_BLOCK_STALL_FACTOR,
    &performance::THRESH_BLOCK_INTERVAL,
    &performance::THRESH_CONTRACT_FAILURE_PERCENT,
    &performance::THRESH_CONTRACT_FAILURE_WINDOW,
    &performance::THRESH_CONTRACT_FAILURE_MIN_CALLS,
    &performance::THRESH_DISK_FREE_PERCENT,
    &performance::THRESH_NODE_DEGRADED_HOLD_OFF,
    &performance::THRESH_RELAYER_PACKET_AGE,
    &performance::THRESH_RELAYER_BACKLOG_MAX,
    &performance::THRESH_RELAYER_CLIENT_EXPIRY,
    &performance::THRESH_CERT_EXPIRY_DAYS,
    &performance::THRESH_CERT_EXPIRY_HYSTERESIS,
    &performance::HOST_CPU_PERCENT,
    &performance::HOST_LOAD1,
    &performance::HOST_LOAD5,
    &performance::HOST_LOAD15,
    &performance::HOST_MEMORY_USED_KBYTES,
    &performance::HOST_MEMORY_PERCENT,
    &performance::HOST_SWAP_USED_KBYTES,
    &performance::HOST_UPTIME,
    &faults::ALARM_ACTIVE_COUNT,
    &agent::NOTIFICATIONS_SENT,
    &agent::INFORMS_ACKNOWLEDGED,
    &agent::INFORMS_FAILED,
];

/// Every table of the MIB, in ascending OID order.
pub fn tables() -> &'static [&'static TableDef] {
    TABLES
}

/// Every scalar of the MIB, in ascending OID order.
pub fn scalars() -> &'static [&'static ScalarDef] {
    SCALARS
}

/// The INDEX objects of a table of [`tables`] (by its entry OID), in
/// INDEX-clause order.
pub fn index_of(table: &TableDef) -> Option<&'static [&'static IndexPart]> {
    TABLES
        .iter()
        .find(|t| t.entry == table.entry)
        .map(|t| t.index)
}

const fn scalar(
    name: &'static str,
    oid: &'static [u32],
    syntax: Syntax,
    get: fn(&Ctx) -> Option<Value>,
) -> ScalarDef {
    ScalarDef {
        name,
        oid,
        syntax,
        access: Access::ReadOnly,
        get,
        set: None,
    }
}

/// A row, when its index could be encoded.
fn row(index: Option<Vec<u32>>, pos: usize, sub: usize) -> Option<Row> {
    Some(Row {
        index: index?,
        pos,
        sub,
        shared: None,
    })
}
