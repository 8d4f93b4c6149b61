//! The SNMP agent: codec, USM, VACM, the MIB view over the published
//! snapshot, the command responder and the notification originator.

pub mod codec;
pub mod counters;
pub mod dispatch;
pub mod engine_id;
pub mod mib;
pub mod notify;
/// OID syntax lives in the model, so that configuration can check OIDs too.
pub use crate::model::oid;
pub mod pdu;
pub mod responder;
mod row_index;
pub mod seal;
pub mod service;
pub mod standard;
pub mod users;
pub mod usm;
pub mod vacm;
pub mod value;
pub mod view;
