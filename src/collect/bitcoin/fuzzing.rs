//! Entry point for the `adapter_responses` fuzz target: the Bitcoin Core
//! and Litecoin Core RPC results, decoded into the adapter's types.

use serde_json::Value;

/// Decode `v` as each RPC result type the adapter reads; none may panic.
#[doc(hidden)]
pub fn responses(v: &Value) {
    use super::rpc_types::*;
    let _ = serde_json::from_value::<BlockchainInfo>(v.clone());
    if let Ok(n) = serde_json::from_value::<NetworkInfo>(v.clone()) {
        for a in &n.localaddresses {
            let _ = a.socket();
        }
    }
    let _ = serde_json::from_value::<Vec<PeerInfo>>(v.clone());
    let _ = serde_json::from_value::<Vec<ChainTip>>(v.clone());
    let _ = serde_json::from_value::<MempoolInfo>(v.clone());
    let _ = serde_json::from_value::<NetTotals>(v.clone());
    let _ = serde_json::from_value::<BlockInfo>(v.clone());
    let _ = super::logspec::enabled(v);
    if let Some(s) = v.as_str() {
        let _ = super::logspec::parse(s);
    }
}
