//! Completing a collection for the consistency analysis: when the nodes'
//! recent windows do not reach the height where two nodes diverge (or the
//! common head of a node far behind), the missing hashes are fetched with
//! `ChainAdapter::block_hash`, one binary-search step per round, before
//! the observation is ingested.

use super::consistency::{add_sample, probes};
use crate::collect::{ChainAdapter, ChainObservation};
use crate::config::Config;
use std::collections::BTreeSet;

/// Hash requests one collection may spend on the search: enough for two
/// nodes a million blocks apart (2 × 20) with a margin, and a bound on how
/// long a chain with many nodes can hold its collector.
pub const MAX_CALLS: usize = 64;

/// Add the hashes the analysis needs to `obs`, as samples in the nodes'
/// `recent_hashes`. Only nodes the analysis compares (reachable, admin
/// up) are asked; a hash a node cannot give is not asked again.
pub async fn refine(
    adapter: &mut dyn ChainAdapter,
    obs: &mut ChainObservation,
    chain: &str,
    config: &Config,
) -> usize {
    let mut asked = BTreeSet::new();
    while asked.len() < MAX_CALLS {
        let ledgers = super::engine::compared_ledgers(&obs.nodes, chain, config);
        let wanted: Vec<(String, u64)> = probes(&ledgers)
            .into_iter()
            .filter(|w| !asked.contains(w))
            .take(MAX_CALLS - asked.len())
            .collect();
        if wanted.is_empty() {
            break;
        }
        for (node, height) in wanted {
            let got = adapter.block_hash(&node, height).await;
            asked.insert((node.clone(), height));
            if let (Ok(Some(hash)), Some(n)) =
                (got, obs.nodes.iter_mut().find(|n| n.node.id == node))
            {
                add_sample(&mut n.recent_hashes, height, hash);
            }
        }
    }
    asked.len()
}
