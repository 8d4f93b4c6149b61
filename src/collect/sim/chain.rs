//! The simulated consortium chain: a BFT protocol with rounds, a rotating
//! leader and view changes, producing blocks whose transactions call
//! contracts and move value across a channel. One `step` is one block
//! interval; the same seed and the same faults give the same chain.

use super::business::Business;
use super::network::{FaultSet, SimNode, main_component};
use super::params::Params;
use super::rng::{Rng, digest};
use crate::collect::observation::ChainEvent;
use crate::config::{FaultConfig, SimulationConfig};
use crate::model::ledger::Block;
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::NodeRole;
use std::sync::Arc;

/// A canonical block: the model's row, which the observation hands to
/// the engine as is (one copy of each block, shared), and the round it
/// was sealed in. Reads of the row's fields go through `Deref`.
#[derive(Debug, Clone, PartialEq)]
pub struct SimBlock {
    pub block: Arc<Block>,
    pub round: u64,
}

impl std::ops::Deref for SimBlock {
    type Target = Block;

    fn deref(&self) -> &Block {
        &self.block
    }
}

/// Canonical blocks the simulator keeps at least (hash lookups, fork
/// roll-back); a longer warm-up keeps all of its blocks, so a large
/// history can be served (the SNMP GETBULK benchmark walks 100,000).
const KEPT_BLOCKS: usize = 4096;

/// Events of the warm-up kept for the first collection's log records (at
/// least; more than the log's recent list and a default warm-up make).
const WARMUP_EVENTS: usize = 4096;

pub struct SimChain {
    pub chain: String,
    pub rng: Rng,
    pub params: Params,
    pub nodes: Vec<SimNode>,
    /// The most recent canonical blocks, ascending and contiguous; older
    /// ones are dropped so a long-running demo stays small.
    pub blocks: std::collections::VecDeque<SimBlock>,
    /// How many canonical blocks are kept.
    pub keep: usize,
    /// Height up to which blocks were reported to the agent.
    pub reported: Option<u64>,
    pub genesis_hash: String,
    pub faults: FaultSet,
    /// Simulated clock, ms since the Unix epoch.
    pub clock: u64,
    pub round: u64,
    pub view_changes: u64,
    /// Ticks left before the current round times out.
    round_wait: u64,
    pub business: Business,
    pub events: Vec<ChainEvent>,
    pub seed: u64,
}

impl SimChain {
    /// A chain whose genesis lies `warmup` intervals before `now`, then
    /// played forward to `now` so that history exists from the first poll.
    pub fn new(chain: &str, sim: &SimulationConfig, params: Params, now: u64) -> SimChain {
        let mut rng = Rng::new(sim.seed);
        let total = sim.validators + sim.observers;
        let nodes: Vec<SimNode> = (1..=total)
            .map(|i| SimNode {
                id: format!("node-{i}"),
                identity: digest(&[&sim.seed.to_be_bytes(), &i.to_be_bytes()])[..42].to_string(),
                role: if i <= sim.validators {
                    NodeRole::Validator
                } else {
                    NodeRole::Observer
                },
                height: 0,
                branch: Vec::new(),
                cpu_base: rng.range_f(8.0, 25.0),
                memory_base: rng.range_f(35.0, 55.0),
                bytes_in: 0,
                bytes_out: 0,
                proposed: 0,
                missed: 0,
                state_since: now,
            })
            .collect();
        let start = now.saturating_sub(sim.warmup_blocks as u64 * params.block_interval_ms);
        let genesis = SimBlock {
            block: Arc::new(Block {
                chain: chain.to_string(),
                height: 0,
                hash: digest(&[b"genesis", chain.as_bytes(), &sim.seed.to_be_bytes()]),
                parent_hash: format!("0x{}", "0".repeat(64)),
                time: start,
                proposer: String::new(),
                tx_count: 0,
                size_bytes: 512,
            }),
            round: 0,
        };
        let business = Business::new(chain, &nodes, &params, &mut rng, start);
        let round_wait = params.view_change_ticks();
        let mut c = SimChain {
            chain: chain.to_string(),
            rng,
            params,
            nodes,
            genesis_hash: genesis.hash.clone(),
            blocks: std::collections::VecDeque::from([genesis]),
            keep: KEPT_BLOCKS.max(sim.warmup_blocks as usize + 1),
            reported: None,
            faults: FaultSet::default(),
            clock: start,
            round: 0,
            view_changes: 0,
            round_wait,
            business,
            events: Vec::new(),
            seed: sim.seed,
        };
        c.set_faults(sim.faults.values().cloned().collect());
        for _ in 0..sim.warmup_blocks {
            c.step();
            // A long warm-up is history the agent never watched: keep its
            // most recent events, not several per block of a million.
            if c.events.len() >= 2 * WARMUP_EVENTS {
                c.events.drain(..c.events.len() - WARMUP_EVENTS);
            }
        }
        c
    }

    pub fn tip(&self) -> &SimBlock {
        // Genesis is created in `new`, so the chain is never empty.
        &self.blocks[self.blocks.len() - 1]
    }

    /// The canonical block at `height`, if it is still kept.
    pub fn block(&self, height: u64) -> Option<&SimBlock> {
        let base = self.blocks.front().map_or(0, |b| b.height);
        height
            .checked_sub(base)
            .and_then(|i| self.blocks.get(i as usize))
    }

    pub fn validators(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| self.nodes[i].role == NodeRole::Validator)
            .collect()
    }

    /// Leader of (height, round): round-robin over the validator set.
    pub fn leader(&self) -> usize {
        let v = self.validators();
        let next = self.tip().height + 1;
        v[((next + self.round) % v.len() as u64) as usize]
    }

    fn event(&mut self, kind: LogKind, level: LogLevel, source: String, message: String) {
        self.events
            .push(ChainEvent::new(kind, level, source, message));
    }

    /// Replace the faults in force, logging what starts and ends, and
    /// rolling back branches of nodes whose fork fault was lifted.
    pub fn set_faults(&mut self, faults: Vec<FaultConfig>) {
        let old = std::mem::replace(&mut self.faults, FaultSet(faults));
        let src = format!("/chains/{}/simulation", self.chain);
        let added: Vec<_> = self
            .faults
            .0
            .iter()
            .filter(|f| !old.0.contains(f))
            .cloned()
            .collect();
        let removed: Vec<_> = old
            .0
            .iter()
            .filter(|f| !self.faults.0.contains(f))
            .cloned()
            .collect();
        for f in added {
            self.event(
                LogKind::System,
                LogLevel::Warning,
                src.clone(),
                format!("fault injected: {f:?}"),
            );
        }
        for f in removed {
            self.event(
                LogKind::System,
                LogLevel::Info,
                src.clone(),
                format!("fault removed: {f:?}"),
            );
        }
        for i in 0..self.nodes.len() {
            let id = self.nodes[i].id.clone();
            if !self.faults.forked(&id) && !self.nodes[i].branch.is_empty() {
                let dropped = self.nodes[i].branch.len();
                self.nodes[i].branch.clear();
                let src = format!("/chains/{}/nodes/{id}", self.chain);
                self.event(
                    LogKind::Consensus,
                    LogLevel::Warning,
                    src,
                    format!("reorganisation: abandoned {dropped} blocks of its own branch"),
                );
            }
        }
    }

    /// One block interval.
    pub fn step(&mut self) {
        self.clock += self.params.block_interval_ms;
        let main = main_component(&self.nodes, &self.faults);
        self.seal_forks();
        let validators = self.validators();
        let f = (validators.len() - 1) / 3;
        let quorum = 2 * f + 1;
        let online = validators.iter().filter(|&&i| main[i]).count();
        let leader = self.leader();
        if self.faults.halted() {
            // No proposal at all: no block, and no round fails either.
        } else if self.faults.stalled() || online < quorum || !main[leader] {
            self.round_wait = self.round_wait.saturating_sub(1);
            if self.round_wait == 0 {
                self.nodes[leader].missed += 1;
                self.round += 1;
                self.view_changes += 1;
                self.round_wait = self.params.view_change_ticks();
                let why = if self.faults.stalled() {
                    "validators withhold votes".to_string()
                } else if online < quorum {
                    format!(
                        "{online} of {} validators reachable, quorum {quorum}",
                        validators.len()
                    )
                } else {
                    format!("leader {} unreachable", self.nodes[leader].id)
                };
                let src = format!("/chains/{}/consensus", self.chain);
                let msg = format!(
                    "view change to round {} at height {}: {why}",
                    self.round,
                    self.tip().height + 1
                );
                self.event(LogKind::Consensus, LogLevel::Warning, src, msg);
            }
        } else {
            self.commit(leader);
        }
        self.sync(&main);
        let time = self.clock;
        let mut events = Vec::new();
        self.business.tick(
            &self.chain,
            &self.faults,
            &self.params,
            &mut self.rng,
            time,
            &mut events,
        );
        self.events.extend(events);
    }

    fn commit(&mut self, leader: usize) {
        let parent = self.tip().clone();
        let height = parent.height + 1;
        let cap = self.params.max_block_transactions;
        let tx_count = self.rng.below(cap + 1) as u32;
        let nonce = self.rng.next_u64();
        let proposer = self.nodes[leader].id.clone();
        let hash = digest(&[
            parent.hash.as_bytes(),
            &height.to_be_bytes(),
            proposer.as_bytes(),
            &self.round.to_be_bytes(),
            &nonce.to_be_bytes(),
        ]);
        let block = SimBlock {
            block: Arc::new(Block {
                chain: self.chain.clone(),
                height,
                hash: hash.clone(),
                parent_hash: parent.hash.clone(),
                time: self.clock,
                proposer: proposer.clone(),
                tx_count,
                size_bytes: 600 + tx_count as u64 * 180,
            }),
            round: self.round,
        };
        self.business.on_block(
            &self.chain,
            &block,
            &self.nodes,
            self.faults.contract_failures(),
            &mut self.rng,
            &mut self.events,
        );
        self.nodes[leader].proposed += 1;
        self.blocks.push_back(block);
        while self.blocks.len() > self.keep {
            self.blocks.pop_front();
        }
        let src = format!("/chains/{}/consensus", self.chain);
        let msg = format!(
            "block {height} {} committed by {proposer} in round {} with {tx_count} transactions",
            &hash[..18],
            self.round
        );
        self.event(LogKind::Consensus, LogLevel::Debug, src, msg);
        self.round = 0;
        self.round_wait = self.params.view_change_ticks();
    }

    /// Nodes in the main group import new blocks, up to ten per interval
    /// when catching up; traffic counters follow the blocks relayed.
    fn sync(&mut self, main: &[bool]) {
        let tip = self.tip().height;
        for i in 0..self.nodes.len() {
            let id = self.nodes[i].id.clone();
            if !main[i] || self.faults.lagging(&id) {
                continue;
            }
            // A node further behind than the kept history snaps to its start.
            let base = self.blocks.front().map_or(0, |b| b.height);
            let from = self.nodes[i].height.max(base);
            let to = tip.min(from + 10);
            let bytes: u64 = (from + 1..=to)
                .filter_map(|h| self.block(h))
                .map(|b| b.size_bytes)
                .sum();
            self.nodes[i].height = to;
            let peers = main.iter().filter(|m| **m).count().saturating_sub(1).max(1) as u64;
            self.nodes[i].bytes_in += bytes + 200 * peers;
            self.nodes[i].bytes_out += bytes / peers + 200 * peers;
        }
    }

    /// A forked node seals its own block every interval on top of the
    /// canonical block where it left.
    fn seal_forks(&mut self) {
        for i in 0..self.nodes.len() {
            let id = self.nodes[i].id.clone();
            if !self.faults.forked(&id) || self.faults.stopped(&id) {
                continue;
            }
            let n = &self.nodes[i];
            let (height, parent) = match n.branch.last() {
                Some((h, hash)) => (h + 1, hash.clone()),
                None => (
                    n.height + 1,
                    self.block(n.height)
                        .map(|b| b.hash.clone())
                        .unwrap_or_default(),
                ),
            };
            let hash = digest(&[
                b"fork",
                id.as_bytes(),
                parent.as_bytes(),
                &height.to_be_bytes(),
            ]);
            self.nodes[i].branch.push((height, hash));
        }
    }

    /// (height, hash) of `node`'s most recent `window` blocks, ascending.
    pub fn recent_hashes(&self, node: usize, window: u64) -> Vec<(u64, String)> {
        let n = &self.nodes[node];
        let top = n.tip();
        let from = top.saturating_sub(window - 1);
        (from..=top)
            .filter_map(|h| self.hash_at(node, h).map(|x| (h, x)))
            .collect()
    }

    pub fn hash_at(&self, node: usize, height: u64) -> Option<String> {
        let n = &self.nodes[node];
        if let Some((_, hash)) = n.branch.iter().find(|(h, _)| *h == height) {
            return Some(hash.clone());
        }
        (height <= n.height)
            .then(|| self.block(height).map(|b| b.hash.clone()))
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ChainConfig, FaultKind};

    fn chain(seed: u64, warmup: u32) -> SimChain {
        let mut cfg = ChainConfig::simulated();
        let sim = cfg.simulation.as_mut().unwrap();
        sim.seed = seed;
        sim.warmup_blocks = warmup;
        let sim = sim.clone();
        SimChain::new("sim", &sim, Params::from_config(&cfg), 1_000_000_000)
    }

    fn fault(kind: FaultKind, node: Option<&str>) -> FaultConfig {
        FaultConfig {
            kind,
            node: node.map(Into::into),
            peer: None,
            channel: None,
            value: None,
        }
    }

    #[test]
    fn same_seed_gives_the_same_chain() {
        let (a, b, c) = (chain(5, 40), chain(5, 40), chain(6, 40));
        let hashes = |x: &SimChain| x.blocks.iter().map(|b| b.hash.clone()).collect::<Vec<_>>();
        assert_eq!(hashes(&a), hashes(&b));
        assert_ne!(hashes(&a), hashes(&c));
        assert_eq!(a.blocks.len(), 41, "one block per interval when healthy");
    }

    #[test]
    fn leader_rotates_over_validators() {
        let c = chain(1, 12);
        let proposers: std::collections::BTreeSet<_> = c
            .blocks
            .iter()
            .skip(1)
            .map(|b| b.proposer.clone())
            .collect();
        assert_eq!(
            proposers.len(),
            4,
            "every validator leads in turn: {proposers:?}"
        );
        assert!(
            c.blocks.iter().all(|b| b.proposer != "node-5"),
            "the observer never proposes"
        );
    }

    #[test]
    fn stopped_leader_causes_view_change_but_chain_goes_on() {
        let mut c = chain(1, 0);
        c.set_faults(vec![fault(FaultKind::StopNode, Some("node-2"))]);
        for _ in 0..40 {
            c.step();
        }
        assert!(c.view_changes > 0);
        assert!(c.tip().height > 20, "3 of 4 validators keep quorum");
        assert!(c.blocks.iter().all(|b| b.proposer != "node-2"));
    }

    #[test]
    fn two_stopped_validators_stall_the_chain() {
        let mut c = chain(1, 5);
        c.set_faults(vec![
            fault(FaultKind::StopNode, Some("node-1")),
            fault(FaultKind::StopNode, Some("node-2")),
        ]);
        let h = c.tip().height;
        for _ in 0..20 {
            c.step();
        }
        assert_eq!(c.tip().height, h);
        c.set_faults(vec![]);
        for _ in 0..5 {
            c.step();
        }
        assert!(c.tip().height > h);
    }

    #[test]
    fn forked_node_diverges_then_rejoins() {
        let mut c = chain(1, 10);
        c.set_faults(vec![fault(FaultKind::ForkNode, Some("node-3"))]);
        for _ in 0..10 {
            c.step();
        }
        let tip = c.nodes[2].tip();
        assert!(tip >= 19);
        assert_ne!(
            c.hash_at(2, 15),
            c.hash_at(0, 15),
            "same height, different hash"
        );
        assert_eq!(
            c.hash_at(2, 10),
            c.hash_at(0, 10),
            "shared history below the fork"
        );
        c.set_faults(vec![]);
        for _ in 0..5 {
            c.step();
        }
        assert_eq!(c.hash_at(2, 15), c.hash_at(0, 15));
        assert!(
            c.events
                .iter()
                .any(|e| e.message.contains("reorganisation"))
        );
    }

    #[test]
    fn lagging_node_stays_behind() {
        let mut c = chain(1, 5);
        c.set_faults(vec![fault(FaultKind::LagNode, Some("node-5"))]);
        for _ in 0..12 {
            c.step();
        }
        assert!(c.nodes[0].height >= c.nodes[4].height + 12);
    }

    #[test]
    fn a_long_warm_up_keeps_only_its_latest_events() {
        let c = chain(1, 20_000);
        assert!(c.events.len() < 2 * WARMUP_EVENTS);
        assert!(c.events.len() >= WARMUP_EVENTS);
        let last = format!("block {} ", c.tip().height);
        assert!(c.events.iter().any(|e| e.message.starts_with(&last)));
    }

    #[test]
    fn history_is_bounded() {
        let mut c = chain(1, 0);
        for _ in 0..4200 {
            c.step();
        }
        assert_eq!(c.tip().height, 4200);
        assert_eq!(c.blocks.len(), KEPT_BLOCKS);
        assert!(c.block(1).is_none());
        assert_eq!(c.hash_at(0, 4200), Some(c.tip().hash.clone()));
        assert!(c.genesis_hash.starts_with("0x"));
    }
}
