//! Block headers: `/blockchain?minHeight=&maxHeight=` returns up to 20
//! block metas, newest first; `/block?height=` one block with its id.

use super::rpc::{num, rfc3339_millis, text};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct BlockMeta {
    pub height: u64,
    pub hash: String,
    pub parent_hash: String,
    pub time: u64,
    pub proposer: String,
    pub tx_count: u64,
    pub size_bytes: u64,
}

/// The metas of a `/blockchain` answer, ascending by height.
pub fn parse_blockchain(r: &Value) -> Vec<BlockMeta> {
    let mut out: Vec<BlockMeta> = r
        .get("block_metas")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(meta).collect())
        .unwrap_or_default();
    out.sort_by_key(|m| m.height);
    out.dedup_by_key(|m| m.height);
    out
}

fn meta(m: &Value) -> Option<BlockMeta> {
    let header = m.get("header")?;
    let hash = text(m.get("block_id")?, "hash");
    let height = num(header, "height");
    if hash.is_empty() || height == 0 {
        return None;
    }
    Some(BlockMeta {
        height,
        hash,
        parent_hash: header
            .get("last_block_id")
            .map(|l| text(l, "hash"))
            .unwrap_or_default(),
        time: rfc3339_millis(&text(header, "time")).unwrap_or(0),
        proposer: text(header, "proposer_address"),
        tx_count: num(m, "num_txs"),
        size_bytes: num(m, "block_size"),
    })
}

/// The hash in a `/block` answer.
pub fn parse_block_hash(r: &Value) -> Option<String> {
    let h = text(r.get("block_id")?, "hash");
    (!h.is_empty()).then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metas_ascending() {
        let meta = |h: u64, hash: &str, parent: &str| {
            json!({
            "block_id": {"hash": hash, "parts": {"total": 1, "hash": "AA"}},
            "block_size": "1500",
            "header": {"version": {"block": "11"}, "chain_id": "test", "height": h.to_string(),
                "time": "2024-05-02T10:00:01Z", "last_block_id": {"hash": parent},
                "proposer_address": "5D6A"},
            "num_txs": "2"})
        };
        let r = json!({"last_height": "11", "block_metas": [meta(11, "B11", "B10"), meta(10, "B10", "B9")]});
        let m = parse_blockchain(&r);
        assert_eq!(m.iter().map(|m| m.height).collect::<Vec<_>>(), vec![10, 11]);
        assert_eq!(
            (m[1].hash.as_str(), m[1].parent_hash.as_str()),
            ("B11", "B10")
        );
        assert_eq!((m[0].tx_count, m[0].size_bytes), (2, 1500));
        assert_eq!(m[0].time, 1_714_644_001_000);
        assert_eq!(m[0].proposer, "5D6A");
        assert_eq!(
            parse_block_hash(&json!({"block_id": {"hash": "B5"}, "block": {}})),
            Some("B5".into())
        );
        assert_eq!(parse_block_hash(&json!({})), None);
    }
}
