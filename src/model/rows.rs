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
//!
//! [`changes`] says which rows one list holds that another does not, by
//! pointer, so that a reader that derives something per row (the SNMP
//! view's sorted row index) can redo only the rows a publication changed.

use std::sync::Arc;

/// A shared list of shared rows.
pub type Rows<T> = imbl::Vector<Arc<T>>;

/// Rows from owned values (tests, fixtures, small adapters).
pub fn rows<T>(items: impl IntoIterator<Item = T>) -> Rows<T> {
    items.into_iter().map(Arc::new).collect()
}

/// The rows one list lost and gained against another, by pointer.
#[derive(Debug)]
pub struct Changes<T> {
    /// Rows of the old list that the new one does not hold.
    pub removed: Vec<Arc<T>>,
    /// Rows of the new list that the old one did not hold.
    pub added: Vec<Arc<T>>,
}

/// How far past a difference [`changes`] looks for the two lists to hold
/// the same row again.
const LOOKAHEAD: usize = 32;

/// The rows `new` dropped from and added to `old`, comparing rows by
/// pointer (`Arc::ptr_eq`: a row that is the same allocation is the same
/// row, since rows are never changed in place). Both lists are walked
/// once, in order, reading only their pointers, never a row: where they
/// differ, the nearest point within [`LOOKAHEAD`] rows of each where they
/// agree again is taken (the window of a chain drops its oldest block and
/// appends its newest; with several chains the lists differ at each
/// chain's ends). None when more than `limit` rows changed: the caller
/// then derives everything anew, which costs no more.
pub fn changes<T>(old: &Rows<T>, new: &Rows<T>, limit: usize) -> Option<Changes<T>> {
    let mut out = Changes {
        removed: Vec::new(),
        added: Vec::new(),
    };
    if old.ptr_eq(new) {
        return Some(out);
    }
    let (mut fo, mut fnew) = (old.focus(), new.focus());
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if Arc::ptr_eq(fo.get(i)?, fnew.get(j)?) {
            i += 1;
            j += 1;
            continue;
        }
        let ow: Vec<*const T> = (i..old.len().min(i + LOOKAHEAD))
            .filter_map(|k| fo.get(k).map(Arc::as_ptr))
            .collect();
        let nw: Vec<*const T> = (j..new.len().min(j + LOOKAHEAD))
            .filter_map(|l| fnew.get(l).map(Arc::as_ptr))
            .collect();
        // The nearest agreement: least k + l with old[i+k] == new[j+l];
        // none within reach counts the rest of both as changed.
        let (k, l) = (1..ow.len() + nw.len())
            .flat_map(|s| (0..=s).map(move |k| (k, s - k)))
            .find(|&(k, l)| k < ow.len() && l < nw.len() && ow[k] == nw[l])
            .unwrap_or((old.len() - i, new.len() - j));
        out.removed
            .extend((i..i + k).filter_map(|x| fo.get(x).cloned()));
        out.added
            .extend((j..j + l).filter_map(|x| fnew.get(x).cloned()));
        (i, j) = (i + k, j + l);
        if out.removed.len() + out.added.len() > limit {
            return None;
        }
    }
    out.removed
        .extend((i..old.len()).filter_map(|x| fo.get(x).cloned()));
    out.added
        .extend((j..new.len()).filter_map(|x| fnew.get(x).cloned()));
    (out.removed.len() + out.added.len() <= limit).then_some(out)
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

    fn heights(rows: &[Arc<Block>]) -> Vec<u64> {
        rows.iter().map(|b| b.height).collect()
    }

    #[test]
    fn changes_are_the_rows_dropped_and_appended_by_pointer() {
        let old = rows((0..1000).map(block));
        let mut new = old.clone();
        new.pop_front();
        new.pop_front();
        new.push_back(Arc::new(block(1000)));
        let c = changes(&old, &new, 100).unwrap();
        assert_eq!(heights(&c.removed), [0, 1]);
        assert_eq!(heights(&c.added), [1000]);
        assert!(Arc::ptr_eq(&c.removed[0], &old[0]));

        let same = changes(&old, &old.clone(), 0).unwrap();
        assert!(same.removed.is_empty() && same.added.is_empty());
        assert!(
            changes(&old, &new, 2).is_none(),
            "three changes over the limit"
        );
    }

    #[test]
    fn changes_find_each_chains_ends_and_a_replaced_row() {
        // Two chains' windows one after the other: each drops its first
        // row and appends one; one row in the middle is a new allocation
        // of an equal block (a different row by pointer).
        let a = rows((0..100).map(block));
        let b = rows((500..600).map(block));
        let mut old = a.clone();
        old.append(b.clone());
        let mut new = a.clone();
        new.pop_front();
        new.push_back(Arc::new(block(100)));
        new.set(50, Arc::new(block(51)));
        let mut b2 = b.clone();
        b2.pop_front();
        b2.push_back(Arc::new(block(600)));
        new.append(b2);
        let c = changes(&old, &new, 100).unwrap();
        assert_eq!(heights(&c.removed), [0, 51, 500]);
        assert_eq!(heights(&c.added), [51, 100, 600]);

        let empty = changes(&old, &Rows::new(), 1000).unwrap();
        assert_eq!(empty.removed.len(), 200);
        let all_new = changes(&old, &rows((0..200).map(block)), 1000).unwrap();
        assert_eq!((all_new.removed.len(), all_new.added.len()), (200, 200));
    }
}
