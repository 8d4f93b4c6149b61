//! Data consistency analysis: do the nodes of a chain hold the same ledger?
//! Nodes are grouped into branches by their hash at the lower of two heads;
//! the first divergent height is found by binary search, which is valid
//! because once two chains differ at a height they differ above it (each
//! block commits to its parent). The search runs over whatever hashes are
//! known; when they do not pin the height down, [`probes`] names the hashes
//! that would, and the caller fetches them and analyses again.

use crate::model::UnixMillis;
use crate::model::chain::ConsensusType;
use crate::model::consensus::{ConsistencyReport, NodeHead, Verdict};
use std::collections::BTreeSet;

/// What the analysis needs from one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeLedger {
    pub node: String,
    pub height: u64,
    pub head_hash: String,
    /// (height, hash), ascending: the node's most recent blocks, plus any
    /// older samples fetched for the search.
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

/// Insert a fetched (height, hash) sample, keeping `recent` ascending.
pub fn add_sample(recent: &mut Vec<(u64, String)>, height: u64, hash: String) {
    match recent.binary_search_by_key(&height, |(h, _)| *h) {
        Ok(i) => recent[i].1 = hash,
        Err(i) => recent.insert(i, (height, hash)),
    }
}

/// How divergences are judged on one chain.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForkPolicy {
    /// Blocks a node may trail the head before the chain is `Lagging`.
    pub lag_threshold: u64,
    /// Deepest split that is still a normal reorganisation.
    pub reorg_depth: u64,
    /// Whether the consensus lets short reorganisations happen at all.
    pub reorgs_normal: bool,
}

impl ForkPolicy {
    pub fn new(lag_threshold: u64, reorg_depth: u64, consensus: ConsensusType) -> ForkPolicy {
        ForkPolicy {
            lag_threshold,
            reorg_depth,
            reorgs_normal: reorgs_are_normal(consensus),
        }
    }
}

/// Chains without immediate finality reorganise as part of normal
/// operation: proof of work and authority, proof of stake before its
/// checkpoints finalise, development nodes, and anything not known to be
/// final. BFT and Raft chains commit a block once: any divergence there
/// is a fork.
pub fn reorgs_are_normal(c: ConsensusType) -> bool {
    match c {
        ConsensusType::Bft | ConsensusType::Cft => false,
        ConsensusType::ProofOfWork
        | ConsensusType::ProofOfAuthority
        | ConsensusType::ProofOfStake
        | ConsensusType::Instant
        | ConsensusType::Unknown => true,
    }
}

pub fn analyse(
    chain: &str,
    nodes: &[NodeLedger],
    policy: &ForkPolicy,
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
        .filter_map(|r| divergence(reps[0], r).map(|d| d.height))
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
        if policy.reorgs_normal && split_length <= policy.reorg_depth {
            Verdict::Reorganising
        } else {
            Verdict::Forked
        }
    } else if max_lag > policy.lag_threshold {
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

/// The hashes (node, height) whose absence keeps the analysis from
/// comparing two nodes at their common head, or from pinning down where
/// they diverge. Empty when the known hashes settle everything.
pub fn probes(nodes: &[NodeLedger]) -> Vec<(String, u64)> {
    let mut out = BTreeSet::new();
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            let top = a.height.min(b.height);
            let missing: Vec<&NodeLedger> = [a, b]
                .into_iter()
                .filter(|n| n.hash_at(top).is_none())
                .collect();
            if !missing.is_empty() {
                out.extend(missing.iter().map(|n| (n.node.clone(), top)));
                continue;
            }
            if let Some(mid) = divergence(a, b).and_then(|d| d.probe) {
                out.extend(
                    [a, b]
                        .into_iter()
                        .filter(|n| n.hash_at(mid).is_none())
                        .map(|n| (n.node.clone(), mid)),
                );
            }
        }
    }
    out.into_iter().collect()
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

/// Where two nodes diverge, as far as their known hashes tell.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Divergence {
    /// The lowest height known to differ: the first divergent height when
    /// `probe` is `None`, an upper bound of it otherwise.
    height: u64,
    /// The next height to compare to halve the interval still unknown.
    probe: Option<u64>,
}

/// Binary search over the heights at or below both heads where both
/// hashes are known: the lowest differing height D, the highest agreeing
/// height L below it; the divergence is in (L, D].
fn divergence(a: &NodeLedger, b: &NodeLedger) -> Option<Divergence> {
    let top = a.height.min(b.height);
    let both: Vec<(u64, bool)> = a
        .recent
        .iter()
        .filter(|(h, _)| *h <= top)
        .filter_map(|(h, x)| b.hash_at(*h).map(|y| (*h, x != y)))
        .collect();
    let d = both
        .iter()
        .filter(|(_, differs)| *differs)
        .map(|(h, _)| *h)
        .min()?;
    let lo = both
        .iter()
        .filter(|(h, differs)| !differs && *h < d)
        .map(|(h, _)| h + 1)
        .max()
        .unwrap_or(0);
    Some(Divergence {
        height: d,
        probe: (lo < d).then(|| lo + (d - lo) / 2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Any divergence is a fork, as on a BFT chain.
    const STRICT: ForkPolicy = ForkPolicy {
        lag_threshold: 5,
        reorg_depth: 3,
        reorgs_normal: false,
    };

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
            &STRICT,
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
            &STRICT,
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
            let r = analyse("c", &nodes, &STRICT, 0);
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
        let r = analyse("c", &nodes, &STRICT, 0);
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
        let r = analyse("c", &nodes, &STRICT, 0);
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
            analyse("c", &[ledger("a", 1, 5, None)], &STRICT, 0).verdict,
            Verdict::Unknown
        );
    }

    fn pow(reorg_depth: u64) -> ForkPolicy {
        ForkPolicy::new(5, reorg_depth, ConsensusType::ProofOfWork)
    }

    #[test]
    fn a_short_split_on_proof_of_work_is_a_reorganisation() {
        // x left the others at height 49: split length 2 (49..=50).
        let nodes = [
            ledger("a", 1, 50, None),
            ledger("b", 1, 50, None),
            ledger("x", 1, 49, Some(49)),
        ];
        let r = analyse("c", &nodes, &pow(2), 0);
        assert_eq!(r.verdict, Verdict::Reorganising);
        assert_eq!(r.first_divergent_height, Some(49));
        assert_eq!(r.split_length, 2);
        assert_eq!(r.branch_count, 2);
    }

    #[test]
    fn a_split_deeper_than_the_reorg_depth_is_a_fork() {
        let nodes = [ledger("a", 1, 50, None), ledger("x", 1, 50, Some(48))];
        let r = analyse("c", &nodes, &pow(2), 0);
        assert_eq!(r.split_length, 3);
        assert_eq!(r.verdict, Verdict::Forked);
        assert_eq!(
            analyse("c", &nodes, &pow(3), 0).verdict,
            Verdict::Reorganising
        );
    }

    #[test]
    fn on_bft_and_cft_chains_any_divergence_is_a_fork() {
        let nodes = [ledger("a", 1, 50, None), ledger("x", 1, 50, Some(50))];
        for c in [ConsensusType::Bft, ConsensusType::Cft] {
            let r = analyse("c", &nodes, &ForkPolicy::new(5, 10, c), 0);
            assert_eq!((r.verdict, r.split_length), (Verdict::Forked, 1), "{c:?}");
        }
        for c in [
            ConsensusType::ProofOfAuthority,
            ConsensusType::Instant,
            ConsensusType::Unknown,
        ] {
            let r = analyse("c", &nodes, &ForkPolicy::new(5, 10, c), 0);
            assert_eq!(r.verdict, Verdict::Reorganising, "{c:?}");
        }
    }

    /// What a caller does with probes: fetch each hash from the node's
    /// full chain and analyse again, until nothing is missing.
    fn refine(nodes: &mut [NodeLedger], full: &[NodeLedger]) -> usize {
        let mut calls = 0;
        loop {
            let wanted = probes(nodes);
            if wanted.is_empty() {
                return calls;
            }
            for (node, h) in wanted {
                let src = full.iter().find(|f| f.node == node).unwrap();
                let n = nodes.iter_mut().find(|n| n.node == node).unwrap();
                if let Some(hash) = src.hash_at(h) {
                    add_sample(&mut n.recent, h, hash.to_string());
                }
                calls += 1;
            }
            assert!(calls < 100, "the search must converge");
        }
    }

    #[test]
    fn a_divergence_below_the_windows_is_found_by_probing() {
        for fork in [1, 2, 12, 37, 41] {
            let full = [ledger("a", 0, 1000, None), ledger("x", 0, 990, Some(fork))];
            let mut nodes = [
                ledger("a", 980, 1000, None),
                ledger("x", 970, 990, Some(fork)),
            ];
            let before = analyse("c", &nodes, &STRICT, 0);
            assert_eq!(before.verdict, Verdict::Forked);
            assert_eq!(before.first_divergent_height, Some(980), "only a bound");
            let calls = refine(&mut nodes, &full);
            assert!(calls <= 2 * 11, "binary search, {calls} calls");
            let r = analyse("c", &nodes, &STRICT, 0);
            assert_eq!(r.first_divergent_height, Some(fork), "fork at {fork}");
            assert_eq!(r.split_length, 1000 - fork + 1);
        }
    }

    #[test]
    fn a_node_far_behind_is_compared_at_its_own_head() {
        let full = [ledger("a", 0, 500, None), ledger("slow", 0, 100, Some(60))];
        let mut nodes = [
            ledger("a", 480, 500, None),
            ledger("slow", 80, 100, Some(60)),
        ];
        assert_eq!(probes(&nodes), vec![("a".to_string(), 100)]);
        assert_eq!(
            analyse("c", &nodes, &STRICT, 0).branch_count,
            1,
            "no evidence yet"
        );
        refine(&mut nodes, &full);
        let r = analyse("c", &nodes, &STRICT, 0);
        assert_eq!(r.verdict, Verdict::Forked);
        assert_eq!(r.first_divergent_height, Some(60));
        let agreeing = [ledger("a", 480, 500, None), ledger("b", 80, 100, None)];
        let mut agreeing = agreeing.to_vec();
        refine(
            &mut agreeing,
            &[ledger("a", 0, 500, None), ledger("b", 0, 100, None)],
        );
        assert_eq!(
            analyse("c", &agreeing, &STRICT, 0).verdict,
            Verdict::Lagging
        );
    }
}
