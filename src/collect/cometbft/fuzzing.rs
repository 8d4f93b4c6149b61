//! Entry point for the `adapter_responses` fuzz target: every parser of a
//! CometBFT RPC result, fed one arbitrary value.

use serde_json::Value;

/// Run each CometBFT result parser over `v`; none may panic.
#[doc(hidden)]
pub fn responses(v: &Value) {
    let _ = super::status::parse(v);
    let _ = super::peers::parse(v);
    let _ = super::validators::parse_page(v);
    let _ = super::blocks::parse_blockchain(v);
    let _ = super::blocks::parse_block_hash(v);
    let _ = super::round_state::parse(v);
    if let Some(s) = v.as_str() {
        let _ = super::rpc::rfc3339_millis(s);
    }
}
