//! Entry point for the `adapter_responses` fuzz target: every parser of a
//! JSON-RPC result this adapter reads, fed one arbitrary value. The parsers
//! stay private to the adapter; this is the one door a fuzzer needs.

use serde_json::Value;

/// Run each Ethereum result parser over `v` and over its string form.
/// None may panic, whatever a node answers.
#[doc(hidden)]
pub fn responses(v: &Value) {
    let _ = super::blocks::parse_block(v);
    let _ = super::peers::parse_peers(v);
    let _ = super::peers::parse_node_info(v);
    let _ = super::node::parse_syncing(v);
    let _ = super::consensus::parse_votes(v);
    let _ = super::consensus::parse_address_list(v);
    let _ = super::quantity::quantity(v);
    if let Some(s) = v.as_str() {
        let _ = super::node::client_version(s);
        let _ = super::consensus::clique_signers(s);
        let _ = super::peers::enode_id(s);
        let _ = super::peers::enode_address(s);
        let _ = super::quantity::data(s);
        let _ = super::log_level::verbosity(s);
        let _ = super::log_level::besu_params(s);
        if let Some(bytes) = super::contracts::decode_hex(s) {
            let _ = super::contracts::decode_address_array(&bytes);
            let _ = super::contracts::method_of(&bytes);
        }
    }
}
