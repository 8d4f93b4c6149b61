//! A node's most recent blocks, kept between collections so that each
//! collection fetches only what changed: new blocks on top, or the new
//! branch after a reorganisation, found by walking parents from the new
//! best hash down to a block the window already holds.

use crate::model::ledger::Block;
use std::collections::VecDeque;

#[derive(Debug, Clone)]
pub struct BlockWindow {
    blocks: VecDeque<Block>,
    capacity: usize,
}

impl BlockWindow {
    pub fn new(capacity: usize) -> BlockWindow {
        BlockWindow {
            blocks: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn is_current(&self, height: u64, hash: &str) -> bool {
        self.blocks
            .back()
            .is_some_and(|b| b.height == height && b.hash == hash)
    }

    /// Whether the window holds `hash`; the walk down a new branch stops there.
    pub fn holds(&self, hash: &str) -> bool {
        self.blocks.iter().any(|b| b.hash == hash)
    }

    /// Make `tail` (ascending, contiguous, its first block's parent either
    /// in the window or older than it) the top of the window: kept blocks
    /// at its heights or above belong to an abandoned branch.
    pub fn splice(&mut self, tail: Vec<Block>) {
        if let Some(first) = tail.first() {
            let from = first.height;
            let keep = match tail.first().map(|b| b.parent_hash.as_str()) {
                Some(parent) if self.holds(parent) => self
                    .blocks
                    .iter()
                    .position(|b| b.hash == parent)
                    .map_or(0, |i| i + 1),
                // Not linked: the gap is too wide, start over.
                _ => 0,
            };
            self.blocks.truncate(keep);
            debug_assert!(self.blocks.back().is_none_or(|b| b.height < from));
        }
        self.blocks.extend(tail);
        while self.blocks.len() > self.capacity {
            self.blocks.pop_front();
        }
    }

    /// The chain got shorter (invalidateblock, a reorganisation to a
    /// branch with more work but fewer blocks): drop what is above `height`.
    pub fn truncate_above(&mut self, height: u64) {
        while self.blocks.back().is_some_and(|b| b.height > height) {
            self.blocks.pop_back();
        }
    }

    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter()
    }

    /// (height, hash), ascending.
    pub fn hashes(&self) -> Vec<(u64, String)> {
        self.blocks
            .iter()
            .map(|b| (b.height, b.hash.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(height: u64, tag: &str, parent: &str) -> Block {
        Block {
            chain: "c".into(),
            height,
            hash: format!("{tag}{height}"),
            parent_hash: parent.into(),
            time: 0,
            proposer: String::new(),
            tx_count: 1,
            size_bytes: 1,
        }
    }

    fn chain(tag: &str, from: u64, to: u64, parent: &str) -> Vec<Block> {
        let mut out = Vec::new();
        let mut p = parent.to_string();
        for h in from..=to {
            let b = block(h, tag, &p);
            p = b.hash.clone();
            out.push(b);
        }
        out
    }

    #[test]
    fn extends_replaces_an_abandoned_branch_and_keeps_its_capacity() {
        let mut w = BlockWindow::new(5);
        w.splice(chain("m", 1, 4, ""));
        assert!(w.is_current(4, "m4"));
        w.splice(chain("m", 5, 6, "m4"));
        assert_eq!(w.hashes().first(), Some(&(2, "m2".to_string())));
        assert_eq!(w.hashes().len(), 5);
        // A reorganisation from height 5 on another branch.
        w.splice(chain("x", 5, 7, "m4"));
        assert_eq!(
            w.hashes(),
            vec![
                (3, "m3".into()),
                (4, "m4".into()),
                (5, "x5".into()),
                (6, "x6".into()),
                (7, "x7".into())
            ]
        );
        w.truncate_above(6);
        assert!(w.is_current(6, "x6"));
        // Unlinked: start over.
        w.splice(chain("z", 40, 41, "z39"));
        assert_eq!(w.hashes().len(), 2);
        assert!(w.holds("z40") && !w.holds("x6"));
    }
}
