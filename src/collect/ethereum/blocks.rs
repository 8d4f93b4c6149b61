//! A node's recent blocks, fetched incrementally: each collection asks for
//! the head and for heights not yet cached, then follows parent hashes down
//! and re-fetches from wherever the cached chain no longer links, so a
//! reorganisation or a fork replaces exactly the blocks that changed.

use super::quantity::{quantity, to_quantity};
use crate::collect::transport::{JsonRpc, RpcError, TransportError};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// How many blocks are asked for at once while filling the window.
const PARALLEL_FETCHES: usize = 8;
/// Blocks one pass may fetch to fill the window (the default window is
/// 100, filled in the first pass).
pub const MAX_FETCHES_PER_PASS: usize = 128;

/// The parts of an `eth_getBlockByNumber` answer the model uses.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockHeader {
    pub height: u64,
    pub hash: String,
    pub parent_hash: String,
    /// Unix milliseconds.
    pub time: u64,
    pub miner: String,
    pub tx_count: u32,
    pub size_bytes: u64,
    /// Raw extraData, where clique keeps its signer list.
    pub extra_data: String,
}

/// Parse a block object; `None` when a required field is missing or
/// malformed (a pending block has no hash).
pub fn parse_block(v: &Value) -> Option<BlockHeader> {
    Some(BlockHeader {
        height: quantity(v.get("number")?)?,
        hash: v.get("hash")?.as_str()?.to_string(),
        parent_hash: v.get("parentHash")?.as_str()?.to_string(),
        time: quantity(v.get("timestamp")?)?.saturating_mul(1000),
        miner: v
            .get("miner")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase(),
        tx_count: v
            .get("transactions")
            .and_then(Value::as_array)
            .map_or(0, |t| t.len() as u32),
        size_bytes: v.get("size").and_then(quantity).unwrap_or(0),
        extra_data: v
            .get("extraData")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    })
}

/// `eth_getBlockByNumber(tag, false)`: `Ok(None)` when the node has no such block.
pub async fn fetch(rpc: &JsonRpc, tag: &str) -> Result<Option<BlockHeader>, RpcError> {
    let v = rpc
        .call("eth_getBlockByNumber", json!([tag, false]))
        .await?;
    if v.is_null() {
        return Ok(None);
    }
    parse_block(&v).map(Some).ok_or_else(|| {
        TransportError::Protocol {
            endpoint: rpc.endpoint().to_string(),
            reason: format!("eth_getBlockByNumber({tag}): not a block"),
        }
        .into()
    })
}

pub async fn fetch_height(rpc: &JsonRpc, height: u64) -> Result<Option<BlockHeader>, RpcError> {
    fetch(rpc, &to_quantity(height)).await
}

#[derive(Debug, Default)]
pub struct BlockCache {
    blocks: BTreeMap<u64, BlockHeader>,
}

impl BlockCache {
    pub fn head(&self) -> Option<&BlockHeader> {
        self.blocks.values().next_back()
    }

    pub fn get(&self, height: u64) -> Option<&BlockHeader> {
        self.blocks.get(&height)
    }

    /// Cached blocks, ascending.
    pub fn blocks(&self) -> impl DoubleEndedIterator<Item = &BlockHeader> {
        self.blocks.values()
    }

    pub fn hashes(&self) -> Vec<(u64, String)> {
        self.blocks
            .values()
            .map(|b| (b.height, b.hash.clone()))
            .collect()
    }

    /// Bring the cache to `head` (just fetched as "latest") and the
    /// `window` blocks below it. Missing heights are fetched newest first,
    /// at most [`MAX_FETCHES_PER_PASS`] per pass, so a large window fills
    /// over several passes instead of overrunning one. A cached block is
    /// fetched again only where the block above it no longer names it as
    /// parent (a reorganisation, or a fork seen from this node).
    pub async fn refresh(
        &mut self,
        rpc: &JsonRpc,
        head: BlockHeader,
        window: usize,
    ) -> Result<(), RpcError> {
        let top = head.height;
        let low = (top + 1).saturating_sub(window.max(1) as u64);
        // A shorter chain after a reorganisation, or blocks that left the window.
        self.blocks.retain(|h, _| *h >= low && *h <= top);
        self.blocks.insert(top, head);
        let missing: Vec<u64> = (low..top)
            .rev()
            .filter(|h| !self.blocks.contains_key(h))
            .take(MAX_FETCHES_PER_PASS)
            .collect();
        for chunk in missing.chunks(PARALLEL_FETCHES) {
            let answers =
                futures::future::join_all(chunk.iter().map(|h| fetch_height(rpc, *h))).await;
            for answer in answers {
                if let Some(b) = answer? {
                    self.blocks.insert(b.height, b);
                }
            }
        }
        // Check every link in memory, top down; only broken ones cost a request.
        let mut h = top;
        while h > low {
            let parent = self.blocks.get(&h).map(|b| b.parent_hash.clone());
            let below = self.blocks.get(&(h - 1)).map(|b| b.hash.clone());
            if let (Some(parent), Some(below)) = (parent, below)
                && parent != below
            {
                match fetch_height(rpc, h - 1).await? {
                    Some(b) => {
                        self.blocks.insert(b.height, b);
                    }
                    None => {
                        self.blocks.remove(&(h - 1));
                    }
                }
            }
            h -= 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_block_and_rejects_a_pending_one() {
        let v = json!({
            "number": "0x3", "hash": "0xaa", "parentHash": "0xbb",
            "timestamp": "0x6b02538d", "miner": "0xABCD", "size": "0x267",
            "transactions": ["0x1", "0x2"], "extraData": "0x00"
        });
        let b = parse_block(&v).expect("block");
        assert_eq!(b.height, 3);
        assert_eq!(b.time, 0x6b02538d * 1000);
        assert_eq!(b.miner, "0xabcd");
        assert_eq!(b.tx_count, 2);
        assert_eq!(b.size_bytes, 0x267);
        let mut pending = v.clone();
        pending["hash"] = Value::Null;
        assert_eq!(parse_block(&pending), None);
        assert_eq!(parse_block(&json!({"number": "0x1"})), None);
    }
}
