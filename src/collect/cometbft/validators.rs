//! `/validators?height=H&page=P&per_page=N`: the validator set at a
//! height, in pages; `total` says how many there are in all.

use super::rpc::{num, text};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct ValidatorEntry {
    pub address: String,
    pub voting_power: u64,
    pub proposer_priority: i64,
}

/// The page's validators and the set's total size.
pub fn parse_page(r: &Value) -> (Vec<ValidatorEntry>, u64) {
    let list = r
        .get("validators")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| ValidatorEntry {
                    address: text(v, "address"),
                    voting_power: num(v, "voting_power"),
                    proposer_priority: v
                        .get("proposer_priority")
                        .and_then(|p| p.as_str().and_then(|s| s.parse().ok()).or(p.as_i64()))
                        .unwrap_or(0),
                })
                .filter(|v| !v.address.is_empty())
                .collect()
        })
        .unwrap_or_default();
    (list, num(r, "total"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn page_and_total() {
        let r = json!({"block_height": "55", "validators": [
            {"address": "000001E443FD237E4B616E2FA69DF4EE3D49A94F",
             "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "9tK9IT+FPdf2qm+5c2qaxi10sWP+3erWTKgftn2PaQM="},
             "voting_power": "239727", "proposer_priority": "-11896414"}],
            "count": "1", "total": "25"});
        let (v, total) = parse_page(&r);
        assert_eq!(total, 25);
        assert_eq!(v[0].address, "000001E443FD237E4B616E2FA69DF4EE3D49A94F");
        assert_eq!(
            (v[0].voting_power, v[0].proposer_priority),
            (239_727, -11_896_414)
        );
    }
}
