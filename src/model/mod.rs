//! The information model: the managed object classes of ITU-T's draft
//! *Information model for management of blockchain system*, one module per
//! management area. Plain data, no I/O: collectors fill it, the core
//! publishes it, SNMP and NETCONF render it.

pub mod alarm;
pub mod apply;
pub mod chain;
pub mod consensus;
pub mod contract;
pub mod crosschain;
pub mod host;
pub mod ledger;
pub mod link;
pub mod log;
pub mod node;
pub mod objects;
pub mod oid;
pub mod performance;
pub mod platform;
pub mod rows;
pub mod snapshot;
pub mod text;
pub mod time;

/// Milliseconds since the Unix epoch: one unit for every timestamp in the
/// model, so that SNMP DateAndTime and YANG date-and-time convert from one place.
pub type UnixMillis = u64;

/// Current wall-clock time in [`UnixMillis`].
pub fn now_millis() -> UnixMillis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
