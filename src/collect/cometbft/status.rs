//! `/status`: who the node is (node_info) and where its ledger is
//! (sync_info), plus its own validator power.

use super::rpc::{num, rfc3339_millis, text};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    pub id: String,
    pub moniker: String,
    pub version: String,
    pub network: String,
    /// p2p/block/app protocol versions.
    pub protocol: String,
    pub height: u64,
    pub hash: String,
    pub time: Option<u64>,
    pub earliest_height: u64,
    /// `sync_info.catching_up`; `None` when the answer lacks it.
    pub catching_up: Option<bool>,
    pub voting_power: u64,
}

pub fn parse(r: &Value) -> Option<Status> {
    let ni = r.get("node_info")?;
    let si = r.get("sync_info")?;
    let pv = ni.get("protocol_version").cloned().unwrap_or_default();
    Some(Status {
        id: text(ni, "id"),
        moniker: text(ni, "moniker"),
        version: text(ni, "version"),
        network: text(ni, "network"),
        protocol: format!(
            "p2p {} block {} app {}",
            num(&pv, "p2p"),
            num(&pv, "block"),
            num(&pv, "app")
        ),
        height: num(si, "latest_block_height"),
        hash: text(si, "latest_block_hash"),
        time: rfc3339_millis(&text(si, "latest_block_time")),
        earliest_height: num(si, "earliest_block_height"),
        catching_up: si.get("catching_up").and_then(Value::as_bool),
        voting_power: r
            .get("validator_info")
            .map_or(0, |v| num(v, "voting_power")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_fields() {
        let r = json!({
          "node_info": {"protocol_version": {"p2p": "8", "block": "11", "app": "0"},
            "id": "5576458aef205977e18fd50b274e9b5d9014525a", "listen_addr": "tcp://0.0.0.0:26656",
            "network": "cosmoshub-4", "version": "0.38.12", "channels": "40202122233038606100",
            "moniker": "node0", "other": {"tx_index": "on", "rpc_address": "tcp://0.0.0.0:26657"}},
          "sync_info": {"latest_block_hash": "790BA84C3545FCCC49A5C629CEE6EA58A6E875C3862175BDC11EE7AF54703501",
            "latest_app_hash": "C9AEBB441B787D9F1D846DE51F3826F4FD386108B59B08239653ABF59455C3F8",
            "latest_block_height": "1262196", "latest_block_time": "2024-05-02T10:00:01.123456789Z",
            "earliest_block_height": "1", "catching_up": false},
          "validator_info": {"address": "5D6A51A8E9899C44079C6AF90618BA0369070E6E",
            "pub_key": {"type": "tendermint/PubKeyEd25519", "value": "A6DoBUypNtUAyEHWtQ9bFjfNg8Bo9CrnkUGl6k6OHN4="},
            "voting_power": "10"}});
        let s = parse(&r).unwrap();
        assert_eq!(s.id, "5576458aef205977e18fd50b274e9b5d9014525a");
        assert_eq!(
            (s.moniker.as_str(), s.network.as_str(), s.version.as_str()),
            ("node0", "cosmoshub-4", "0.38.12")
        );
        assert_eq!(s.height, 1_262_196);
        assert!(s.hash.starts_with("790BA8"));
        assert_eq!(s.time, Some(1_714_644_001_123));
        assert_eq!(s.protocol, "p2p 8 block 11 app 0");
        assert_eq!(s.catching_up, Some(false));
        assert_eq!(s.voting_power, 10);
        assert_eq!(parse(&json!({"node_info": {}})), None);
    }
}
