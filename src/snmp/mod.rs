//! The SNMP agent: codec, USM, VACM, the MIB view over the published
//! snapshot, the command responder and the notification originator.

pub mod codec;
pub mod mib;
pub mod oid;
pub mod pdu;
pub mod usm;
pub mod value;
pub mod counters;
pub mod engine_id;
pub mod standard;
pub mod view;
pub mod vacm;
