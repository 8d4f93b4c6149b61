//! Data consistency analysis: do the nodes of a chain hold the same ledger?
//! Nodes are grouped into branches by their hash at the highest height they
//! all have; the first divergent height is found by binary search, which is
//! valid because once two chains differ at a height they differ above it.

use crate::model::UnixMillis;
use crate::model::consensus::{ConsistencyReport, NodeHead, Verdict};

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
    let head = majority_height(&nodes.iter().map(|n| n.height).collect::<Vec<_>>());
    let common_height = nodes.iter().map(|n| n.height).min().unwrap_or(0);
    // The reference is a node at the majority head; every other node is
    // compared with each branch's representative at the lower of their two
    // heights, so a node that lags below a fork cannot hide it.
    let mut order: Vec<&NodeLedger> = nodes.iter().collect();
    order.sort_by_key(|n| (n.height != head, n.node.clone()));
    let mut reps: Vec<&NodeLedger> = Vec::new();
    let mut branch_of = std::collections::BTreeMap::new();
    for n in order {
        let branch = match reps.iter().position(|r| agree(n, r)) {
            Some(b) => b,
            None => {
                reps.push(n);
                reps.len() - 1
            }
        };
        branch_of.insert(n.node.clone(), branch as u32);
    }
    let heads: Vec<NodeHead> = nodes
        .iter()
        .map(|n| NodeHead {
            node: n.node.clone(),
            height: n.height,
            head_hash: n.head_hash.clone(),
            hash_at_common: n.hash_at(common_height).unwrap_or_default().to_string(),
            lag: head.saturating_sub(n.height),
            branch: branch_of.get(&n.node).copied().unwrap_or(0),
        })
        .collect();
    let branch_count = reps.len().max(1) as u32;
    let first_divergent_height = reps
        .iter()
        .skip(1)
        .filter_map(|r| first_divergence(reps[0], r, reps[0].height.min(r.height)))
        .min();
    let max_lag = heads.iter().map(|h| h.lag).max().unwrap_or(0);
    let split_length = first_divergent_height.map_or(0, |f| {
        reps.iter()
            .map(|r| r.height)
            .max()
            .unwrap_or(f)
            .saturating_sub(f)
            + 1
    });
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
        split_length,
        max_lag,
        branch_count,
        verdict,
    }
}

/// Whether two nodes hold the same block at the lower of their heights.
/// Without both hashes there is no evidence of a fork, so they agree.
fn agree(a: &NodeLedger, b: &NodeLedger) -> bool {
    let h = a.height.min(b.height);
    match (a.hash_at(h), b.hash_at(h)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// The chain head as the majority sees it: the greatest height that at least
/// half of the nodes have reached. Lag is measured from there, so a node
/// racing ahead on its own branch does not make the others look behind.
pub fn majority_height(heights: &[u64]) -> u64 {
    let mut h = heights.to_vec();
    h.sort_unstable_by(|a, b| b.cmp(a));
    h.get(h.len().saturating_sub(1) / 2).copied().unwrap_or(0)
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
    fn a_node_lagging_below_the_fork_does_not_hide_it() {
        let nodes = [
            ledger("a", 1, 50, None),
            ledger("b", 1, 50, None),
            ledger("x", 1, 49, Some(30)),
            ledger("slow", 1, 20, None),
        ];
        let r = analyse("c", &nodes, 5, 0);
        assert_eq!(r.verdict, Verdict::Forked);
        assert_eq!(r.first_divergent_height, Some(30));
        assert_eq!(
            r.nodes[3].branch, 0,
            "the slow node agrees with the main branch as far as it goes"
        );
        assert_eq!(r.nodes[3].lag, 30);
    }

    #[test]
    fn a_node_racing_ahead_on_its_branch_does_not_make_others_lag() {
        let nodes = [
            ledger("a", 1, 40, None),
            ledger("b", 1, 40, None),
            ledger("c", 1, 40, None),
            ledger("x", 1, 49, Some(38)),
        ];
        let r = analyse("c", &nodes, 5, 0);
        assert_eq!(r.nodes[0].lag, 0);
        assert_eq!(r.nodes[3].branch, 1);
        assert_eq!(r.first_divergent_height, Some(38));
    }

    #[test]
    fn majority_height_ignores_a_lone_node_ahead_or_behind() {
        assert_eq!(majority_height(&[34, 34, 34, 34, 40]), 34);
        assert_eq!(majority_height(&[34, 34, 34, 20]), 34);
        assert_eq!(majority_height(&[34, 34, 20, 20]), 34);
        assert_eq!(majority_height(&[7]), 7);
        assert_eq!(majority_height(&[]), 0);
    }

    #[test]
    fn single_node_is_unknown() {
        assert_eq!(
            analyse("c", &[ledger("a", 1, 5, None)], 5, 0).verdict,
            Verdict::Unknown
        );
    }
}
