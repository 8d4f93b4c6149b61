//! Data consistency analysis: do the nodes of a chain hold the same ledger?
//! Nodes are grouped into branches by their hash at the highest height they
//! all have; the first divergent height is found by binary search, which is
//! valid because once two chains differ at a height they differ above it.

use crate::model::UnixMillis;
use crate::model::consensus::{ConsistencyReport, NodeHead, Verdict};
use std::collections::BTreeMap;

/// What the analysis needs from one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeLedger {
    pub node: String,
    pub height: u64,
    pub head_hash: String,
    /// (height, hash), ascending, covering the node's most recent blocks.
    pub recent: Vec<(u64, String)>,
}

impl NodeLedger {
    fn hash_at(&self, height: u64) -> Option<&str> {
        self.recent
            .binary_search_by_key(&height, |(h, _)| *h)
            .ok()
            .map(|i| self.recent[i].1.as_str())
    }
}

pub fn analyse(
    chain: &str,
    nodes: &[NodeLedger],
    lag_threshold: u64,
    now: UnixMillis,
) -> ConsistencyReport {
    let max_height = nodes.iter().map(|n| n.height).max().unwrap_or(0);
    let common_height = nodes.iter().map(|n| n.height).min().unwrap_or(0);
    // Group by hash at the common height.
    let mut branches: BTreeMap<String, u32> = BTreeMap::new();
    let mut heads = Vec::new();
    let mut reps: Vec<&NodeLedger> = Vec::new();
    for n in nodes {
        let at = n
            .hash_at(common_height)
            .map(str::to_string)
            .unwrap_or_default();
        // Without its hash at the common height a node cannot be shown to
        // differ: it joins the first branch rather than invent a fork.
        let branch = if at.is_empty() {
            0
        } else {
            let next = branches.len() as u32;
            *branches.entry(at.clone()).or_insert_with(|| {
                reps.push(n);
                next
            })
        };
        heads.push(NodeHead {
            node: n.node.clone(),
            height: n.height,
            head_hash: n.head_hash.clone(),
            hash_at_common: at,
            lag: max_height - n.height,
            branch,
        });
    }
    let branch_count = branches.len().max(1) as u32;
    let first_divergent_height = (branch_count > 1)
        .then(|| {
            reps.windows(2)
                .filter_map(|w| first_divergence(w[0], w[1], common_height))
                .min()
        })
        .flatten();
    let max_lag = heads.iter().map(|h| h.lag).max().unwrap_or(0);
    let verdict = if nodes.len() < 2 {
        Verdict::Unknown
    } else if branch_count > 1 {
        Verdict::Forked
    } else if max_lag > lag_threshold {
        Verdict::Lagging
    } else {
        Verdict::Consistent
    };
    ConsistencyReport {
        chain: chain.to_string(),
        checked_at: now,
        nodes: heads,
        common_height,
        first_divergent_height,
        max_lag,
        branch_count,
        verdict,
    }
}

/// Lowest height at or below `top` where the two nodes' hashes differ,
/// searched within the part of history both windows cover.
fn first_divergence(a: &NodeLedger, b: &NodeLedger, top: u64) -> Option<u64> {
    let lo_bound = a.recent.first()?.0.max(b.recent.first()?.0);
    if lo_bound > top {
        return None;
    }
    let differs = |h: u64| a.hash_at(h) != b.hash_at(h);
    if !differs(top) {
        return None;
    }
    if differs(lo_bound) {
        return Some(lo_bound);
    }
    let (mut lo, mut hi) = (lo_bound, top); // lo agrees, hi differs
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if differs(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger(node: &str, from: u64, to: u64, fork_at: Option<u64>) -> NodeLedger {
        let recent: Vec<_> = (from..=to)
            .map(|h| {
                let tag = match fork_at {
                    Some(f) if h >= f => format!("{node}-{h}"),
                    _ => format!("main-{h}"),
                };
                (h, tag)
            })
            .collect();
        NodeLedger {
            node: node.into(),
            height: to,
            head_hash: recent.last().unwrap().1.clone(),
            recent,
        }
    }

    #[test]
    fn agreeing_nodes_are_consistent() {
        let r = analyse(
            "c",
            &[ledger("a", 1, 50, None), ledger("b", 1, 50, None)],
            5,
            0,
        );
        assert_eq!(r.verdict, Verdict::Consistent);
        assert_eq!(r.branch_count, 1);
        assert_eq!(r.first_divergent_height, None);
    }

    #[test]
    fn lagging_node_is_reported_with_its_lag() {
        let r = analyse(
            "c",
            &[ledger("a", 1, 50, None), ledger("b", 1, 40, None)],
            5,
            0,
        );
        assert_eq!(r.verdict, Verdict::Lagging);
        assert_eq!(r.common_height, 40);
        assert_eq!(r.nodes[1].lag, 10);
        assert_eq!(r.max_lag, 10);
    }

    #[test]
    fn fork_is_located_by_binary_search() {
        for fork in [2, 17, 33, 48] {
            let nodes = [
                ledger("a", 1, 50, None),
                ledger("b", 1, 50, None),
                ledger("x", 1, 49, Some(fork)),
            ];
            let r = analyse("c", &nodes, 5, 0);
            assert_eq!(r.verdict, Verdict::Forked);
            assert_eq!(r.branch_count, 2);
            assert_eq!(r.first_divergent_height, Some(fork), "fork at {fork}");
            assert_eq!(r.nodes[2].branch, 1);
            assert_eq!(r.nodes[0].branch, r.nodes[1].branch);
        }
    }

    #[test]
    fn single_node_is_unknown() {
        assert_eq!(
            analyse("c", &[ledger("a", 1, 5, None)], 5, 0).verdict,
            Verdict::Unknown
        );
    }
}
