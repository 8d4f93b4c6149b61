//! The state leaves of `/nacm`: how many operations, data writes and
//! notifications access control has denied since the server started.

use super::Counters;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::yang::{Content, parse_json};
use serde_json::{Value, json};
use yang5::data::DataTree;

pub fn state_json(c: &Counters) -> Value {
    // zero-based-counter32: wraps like the RFC's counters do.
    let n = |v: &std::sync::atomic::AtomicU64| (Counters::get(v) % (1 << 32)) as u32;
    json!({"ietf-netconf-acm:nacm": {
        "denied-operations": n(&c.denied_operations),
        "denied-data-writes": n(&c.denied_data_writes),
        "denied-notifications": n(&c.denied_notifications),
    }})
}

/// Add the counters to a `<get>` tree.
pub fn merge_state<'s>(server: &'s Server, tree: &mut DataTree<'s>) -> Result<(), RpcError> {
    let state = parse_json(
        &server.schema,
        &state_json(&server.nacm.counters),
        Content::State,
    )
    .map_err(|e| RpcError::application(Tag::OperationFailed, format!("NACM counters: {e}")))?;
    tree.merge(&state)
        .map_err(|e| RpcError::application(Tag::OperationFailed, format!("NACM counters: {e}")))
}
