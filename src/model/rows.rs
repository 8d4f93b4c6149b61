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
