//! Rows: the long lists of the model (blocks, contract executions,
//! cross-chain transfers), each row held once and shared.
//!
//! A row is an `Arc`, so the collector that produced it, the engine's
//! window and every published snapshot point at one copy. The list is a
//! persistent vector (`imbl::Vector`, a relaxed radix balanced tree of
//! small chunks): cloning it is O(1), and appending to or dropping from a
//! clone copies only the chunks it touches. Publishing a snapshot of
//! 1,000,000 blocks therefore copies no rows and next to no pointers, and
//! successive snapshots share every chunk that did not change.
//!
//! It serialises as a plain sequence of rows, exactly as a `Vec` did.

use std::sync::Arc;

/// A shared list of shared rows.
pub type Rows<T> = imbl::Vector<Arc<T>>;

/// Rows from owned values (tests, fixtures, small adapters).
pub fn rows<T>(items: impl IntoIterator<Item = T>) -> Rows<T> {
    items.into_iter().map(Arc::new).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ledger::Block;

    fn block(height: u64) -> Block {
        Block {
            chain: "sim".into(),
            height,
            hash: format!("0x{height:064x}"),
            parent_hash: format!("0x{:064x}", height.saturating_sub(1)),
            time: 1_700_000_000_000 + height,
            proposer: "node-1".into(),
            tx_count: 3,
            size_bytes: 1140,
        }
    }

    #[test]
    fn rows_serialise_exactly_as_a_vec_and_read_back() {
        let plain: Vec<Block> = (0..200).map(block).collect();
        let shared = rows(plain.clone());
        let json = serde_json::to_string(&shared).unwrap();
        assert_eq!(json, serde_json::to_string(&plain).unwrap());
        let back: Rows<Block> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, shared);
    }

    #[test]
    fn a_clone_shares_its_rows_and_keeps_them_when_the_original_moves_on() {
        let mut window = rows((0..1000).map(block));
        let published = window.clone();
        window.pop_front();
        window.push_back(Arc::new(block(1000)));
        assert_eq!(published.len(), 1000);
        assert_eq!(published[0].height, 0);
        assert!(Arc::ptr_eq(&published[1], &window[0]));
        assert_eq!(window.back().map(|b| b.height), Some(1000));
    }
}
