//! The engine: merges each collection into per-chain state, derives what
//! adapters cannot know alone (sync lag, oper state, consistency, stalls),
//! runs detection, and publishes a new immutable snapshot. Only collector
//! tasks call it; readers take the published `Arc<Snapshot>` and never wait.

use super::alarms::AlarmManager;
use super::consistency::{ForkPolicy, NodeLedger, analyse, majority_height};
use super::detect::{ChainFacts, ChannelOutcome, branches_text, chain_conditions, host_conditions};
use super::detect_relayer::{packets_stuck, relayer_conditions};
use super::events::Event;
use super::logs::LogSink;
use crate::collect::AdapterError;
use crate::collect::observation::ChainObservation;
use crate::config::Config;
use crate::model::chain::ManagedChain;
use crate::model::consensus::{Consensus, ConsistencyReport, Verdict};
use crate::model::contract::{Contract, ContractExecution};
use crate::model::crosschain::{
    ChannelState, CrossChainChannel, CrossChainTransfer, TransferState,
};
use crate::model::host::HostSample;
use crate::model::ledger::{Block, Ledger, LedgerMember};
use crate::model::link::PeerLink;
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::{AdminState, Node, OperState};
use crate::model::performance::NodePerformance;
use crate::model::rows::Rows;
use crate::model::snapshot::*;
use crate::model::{UnixMillis, now_millis};
use arc_swap::ArcSwap;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use tokio::sync::watch;

/// Finished transfers per channel that the timeout ratio is computed over.
const TIMEOUT_WINDOW: usize = 10;

#[derive(Default)]
struct ChainState {
    seen: bool,
    chain: Option<ManagedChain>,
    nodes: Vec<Node>,
    links: Vec<PeerLink>,
    performance: Vec<NodePerformance>,
    /// The kept window, shared row by row with the collector and with
    /// the published snapshots (see [`Rows`]).
    blocks: Rows<Block>,
    ledger: Option<Ledger>,
    members: BTreeMap<String, LedgerMember>,
    consensus: Option<Consensus>,
    consistency: Option<ConsistencyReport>,
    contracts: Vec<Contract>,
    executions: Rows<ContractExecution>,
    execution_ids: HashSet<String>,
    channels: Vec<CrossChainChannel>,
    transfers: Rows<CrossChainTransfer>,
    transactions_seen: u64,
    last_height: u64,
    last_height_at: UnixMillis,
    stalled: bool,
    /// The counters of the chain's contracts over the failure-rate window.
    contract_windows: super::detect_contracts::ContractWindows,
    /// What became of the configuration pushed to the chain's nodes.
    apply: super::apply_status::ApplyBook,
    /// The restart count of each node's local process when last seen,
    /// kept while the node is unreachable, so a restart is announced once
    /// the new process answers.
    restarts_seen: BTreeMap<String, u64>,
    /// The detectors' conditions of the last collection, reconciled again
    /// with the apply conditions when only those change.
    conditions: Vec<super::alarms::Condition>,
}

pub struct Engine {
    chains: BTreeMap<String, ChainState>,
    host: Option<HostSample>,
    alarms: AlarmManager,
    logs: LogSink,
    published: Arc<ArcSwap<Snapshot>>,
    /// How many snapshots have been published, bumped after each one is
    /// in place: front ends that keep work derived from a snapshot (the
    /// NETCONF renderings) wait on it and tell how old their copy is.
    publications: watch::Sender<u64>,
}

impl Engine {
    pub fn new(alarms: AlarmManager, logs: LogSink) -> Engine {
        Engine {
            chains: BTreeMap::new(),
            host: None,
            alarms,
            logs,
            published: Arc::new(ArcSwap::from_pointee(Snapshot::default())),
            publications: watch::Sender::new(0),
        }
    }

    /// The handle readers load snapshots from.
    pub fn published(&self) -> Arc<ArcSwap<Snapshot>> {
        self.published.clone()
    }

    /// The count of publications; it changes after each new snapshot is
    /// in place, so a reader that loads the count before the snapshot
    /// holds a snapshot at least that new.
    pub fn publications(&self) -> watch::Receiver<u64> {
        self.publications.subscribe()
    }

    /// Only the core acts on alarms directly; front ends go through
    /// [`super::alarm_actions`], which publishes.
    pub(super) fn alarms_mut(&mut self) -> &mut AlarmManager {
        &mut self.alarms
    }

    /// Merge one collection of `chain` and re-evaluate its faults.
    /// Returns the chain's configuration items still pending (their node
    /// could not be reached), for the collector to push again.
    pub fn ingest_chain(
        &mut self,
        chain: &str,
        result: Result<ChainObservation, AdapterError>,
        config: &Config,
    ) -> Vec<super::apply_status::PendingItem> {
        let now = now_millis();
        let mut events = Vec::new();
        let state = self.chains.entry(chain.to_string()).or_default();
        match result {
            Ok(obs) => merge(state, chain, obs, config, now, &self.logs, &mut events),
            Err(e) => {
                self.logs.record(
                    LogKind::System,
                    LogLevel::Warning,
                    &format!("/chains/{chain}"),
                    format!("collection failed: {e}"),
                );
                for n in state
                    .nodes
                    .iter_mut()
                    .filter(|n| n.admin_state != AdminState::Down)
                {
                    set_oper(n, OperState::Down, now, &mut events);
                }
            }
        }
        let facts_conditions = {
            let thresholds = config.chain_thresholds(chain);
            let secs = now.saturating_sub(state.last_height_at) / 1000;
            let round = state.consensus.as_ref().and_then(|c| c.round);
            let target_block_interval_ms = state
                .ledger
                .as_ref()
                .and_then(|l| l.target_block_interval_ms);
            let stalled = super::detect_stall::consensus_stuck(
                &super::detect_stall::Head {
                    chain,
                    height: state.last_height,
                    ms_since_block: secs.saturating_mul(1000),
                    round,
                    target_interval_ms: target_block_interval_ms,
                },
                &thresholds,
            );
            if stalled && !state.stalled {
                events.push(Event::ConsensusStalled {
                    chain: chain.to_string(),
                    height: state.last_height,
                    seconds: secs,
                });
            }
            state.stalled = stalled;
            let unknown = ConsistencyReport {
                chain: chain.into(),
                checked_at: now,
                nodes: vec![],
                common_height: 0,
                first_divergent_height: None,
                split_length: 0,
                max_lag: 0,
                branch_count: 1,
                verdict: Verdict::Unknown,
            };
            let outcomes = channel_outcomes(state);
            for ch in state.channels.iter_mut() {
                let over = outcomes
                    .iter()
                    .any(|o| o.channel == ch.id && o.over(thresholds.xchain_timeout_percent));
                if (over || packets_stuck(ch, &thresholds)) && ch.state == ChannelState::Open {
                    ch.state = ChannelState::Degraded;
                }
            }
            let mut conditions = chain_conditions(&ChainFacts {
                chain,
                nodes: &state.nodes,
                links: &state.links,
                performance: &state.performance,
                height: state.last_height,
                seconds_since_block: secs,
                consistency: state.consistency.as_ref().unwrap_or(&unknown),
                channels: &outcomes,
                thresholds: &thresholds,
                round,
                target_block_interval_ms,
            });
            conditions.extend(relayer_conditions(chain, &state.channels, &thresholds, now));
            conditions
        };
        let mut facts_conditions = facts_conditions;
        facts_conditions.extend(contract_disk_conditions(state, chain, config, now));
        for e in events {
            self.logs.publish(e);
        }
        state.conditions = facts_conditions.clone();
        let mut conditions = facts_conditions;
        conditions.extend(state.apply.conditions());
        let pending = state.apply.pending();
        self.alarms.reconcile(chain, conditions);
        self.publish(config);
        pending
    }

    /// Record what the platform of `chain` answered to pushed
    /// configuration (and forget items the configuration withdrew):
    /// a refusal raises `config-apply-failed` at once, an apply or a
    /// withdrawal clears it.
    pub fn record_apply(
        &mut self,
        chain: &str,
        pushed: &[super::apply_status::Pushed],
        config: &Config,
    ) {
        let state = self.chains.entry(chain.to_string()).or_default();
        if state
            .apply
            .record(chain, pushed, config.chains.get(chain), now_millis())
        {
            let mut conditions = state.conditions.clone();
            conditions.extend(state.apply.conditions());
            self.alarms.reconcile(chain, conditions);
            self.publish(config);
        }
    }

    /// Forget a chain that left the configuration: its rows go from the
    /// snapshot and its alarms clear as "resource removed".
    pub fn remove_chain(&mut self, chain: &str, config: &Config) {
        self.chains.remove(chain);
        self.alarms.clear_removed(&format!("/chains/{chain}"));
        self.publish(config);
    }

    /// Forget a node that left its chain's configuration, and its links
    /// and measurements; its alarms clear as "resource removed".
    pub fn remove_node(&mut self, chain: &str, node: &str, config: &Config) {
        if let Some(s) = self.chains.get_mut(chain) {
            s.nodes.retain(|n| n.id != node);
            s.links
                .retain(|l| l.local_node != node && l.remote_node != node);
            s.performance.retain(|p| p.node != node);
            s.restarts_seen.remove(node);
        }
        self.alarms
            .clear_removed(&super::detect::node_resource(chain, node));
        self.publish(config);
    }

    pub fn ingest_host(&mut self, sample: HostSample, config: &Config) {
        let mut conditions = host_conditions(&sample.performance, &config.thresholds);
        conditions.extend(super::detect_disk::host_conditions(
            &sample.performance.disks,
            &config.thresholds,
        ));
        self.host = Some(sample);
        self.alarms.reconcile("", conditions);
        self.publish(config);
    }

    /// Apply the configured alarm shelves; publish when alarms moved, so
    /// that every reader sees them on their new list at once.
    pub fn apply_shelves(&mut self, config: &Config) {
        if self.alarms.set_shelves(&config.alarms) {
            self.publish(config);
        }
    }

    pub fn publish(&self, config: &Config) {
        self.published.store(Arc::new(self.build(config)));
        self.publications.send_modify(|n| *n += 1);
    }

    fn build(&self, config: &Config) -> Snapshot {
        let mut s = Snapshot::default();
        for (id, c) in &self.chains {
            if let Some(mut mc) = c.chain.clone() {
                mc.name = config
                    .chains
                    .get(id)
                    .map(|cc| cc.name.clone())
                    .filter(|n| !n.is_empty())
                    .unwrap_or(mc.name);
                s.nodes.chains.push(mc);
            }
            s.nodes.nodes.extend(c.nodes.iter().cloned());
            s.nodes.links.extend(c.links.iter().cloned());
            s.performance.nodes.extend(c.performance.iter().cloned());
            s.ledger.ledgers.extend(c.ledger.clone());
            // O(1)-ish: the snapshot shares the window's chunks and rows.
            s.ledger.blocks.append(c.blocks.clone());
            s.ledger.members.extend(c.members.values().cloned());
            s.consensus.chains.extend(c.consensus.clone());
            s.consensus.consistency.extend(c.consistency.clone());
            s.contracts.contracts.extend(c.contracts.iter().cloned());
            s.contracts.executions.append(c.executions.clone());
            s.cross_chain.channels.extend(c.channels.iter().cloned());
            s.cross_chain.transfers.append(c.transfers.clone());
            s.nodes.config_apply.extend(c.apply.statuses().cloned());
        }
        s.nodes.host = self.host.as_ref().map(|h| h.inventory.clone());
        s.performance.host = self.host.as_ref().map(|h| h.performance.clone());
        s.performance.thresholds = config.thresholds.clone();
        s.faults.inventory = crate::model::alarm::AlarmType::inventory();
        s.faults.active = self.alarms.active();
        s.faults.history = self.alarms.history();
        s.faults.shelving_changed = self.alarms.shelving_changed();
        s.logs.types = self.logs.types();
        s.logs.recent = self.logs.recent();
        s
    }
}

/// Fold newly reported blocks (ascending) into the kept window: new
/// heights are appended; a reported block that differs from the kept one
/// at its height is a reorganisation, and replaces the kept tail from there.
fn merge_blocks(kept: &mut Rows<Block>, reported: Vec<Arc<Block>>) {
    for b in reported {
        // Heights are unique and ascending, so either answer is the
        // first kept block at or above `b`'s height.
        let (Ok(at) | Err(at)) = kept.binary_search_by(|k| k.height.cmp(&b.height));
        match kept.get(at) {
            Some(k) if k.height == b.height && k.hash == b.hash => {}
            Some(_) => {
                kept.truncate(at);
                kept.push_back(b);
            }
            None => kept.push_back(b),
        }
    }
}

/// `contract-failure-rate` and `disk-space-low` of one chain: the
/// chain's contract counters enter the failure-rate window, and its
/// nodes' data filesystems are checked.
fn contract_disk_conditions(
    state: &mut ChainState,
    chain: &str,
    config: &Config,
    now: UnixMillis,
) -> Vec<super::alarms::Condition> {
    let t = config.chain_thresholds(chain);
    state.contract_windows.observe(
        &state.contracts,
        now,
        t.contract_failure_window_seconds.saturating_mul(1000),
    );
    let mut out = state.contract_windows.conditions(chain, &t);
    out.extend(super::detect_disk::node_conditions(
        chain,
        &state.nodes,
        &state.performance,
    ));
    out
}

fn set_oper(n: &mut Node, to: OperState, now: UnixMillis, events: &mut Vec<Event>) {
    if n.oper_state != to {
        events.push(Event::NodeStateChanged {
            chain: n.chain.clone(),
            node: n.id.clone(),
            from: n.oper_state,
            to,
        });
        n.oper_state = to;
        n.oper_changed = now;
    }
}

/// A `node-restarted` event for each node whose local process restart
/// count went up since it was last seen (the first sighting is not a
/// restart).
fn announce_restarts(
    seen: &mut BTreeMap<String, u64>,
    chain: &str,
    perf: &[NodePerformance],
    events: &mut Vec<Event>,
) {
    for p in perf {
        let (Some(restarts), Some(pid)) = (p.process_restarts, p.process_id) else {
            continue;
        };
        let before = seen.insert(p.node.clone(), restarts);
        if before.is_some_and(|b| restarts > b) {
            events.push(Event::NodeRestarted {
                chain: chain.to_string(),
                node: p.node.clone(),
                process_id: pid,
                started_at: p.process_started_at,
                restarts,
            });
        }
    }
}

fn merge(
    s: &mut ChainState,
    chain: &str,
    obs: ChainObservation,
    config: &Config,
    now: UnixMillis,
    logs: &LogSink,
    events: &mut Vec<Event>,
) {
    let first = !s.seen;
    s.seen = true;
    let mut mc = obs.chain;
    mc.id = chain.to_string();
    let consensus_type = mc.consensus_type;
    s.chain = Some(mc);

    let watched: Vec<_> = obs
        .nodes
        .iter()
        .filter(|n| n.reachable && config.admin_state(chain, &n.node.id) != AdminState::Down)
        .collect();
    let top = majority_height(&watched.iter().map(|n| n.height).collect::<Vec<_>>());
    let ledgers = compared_ledgers(&obs.nodes, chain, config);
    let policy = ForkPolicy::new(
        config.chain_thresholds(chain).sync_lag_blocks,
        config.chains.get(chain).map_or(0, |c| c.reorg_depth),
        consensus_type,
    );
    let report = analyse(chain, &ledgers, &policy, now);
    let before = s.consistency.as_ref().map(|r| r.verdict);
    if report.verdict == Verdict::Forked && before != Some(Verdict::Forked) {
        events.push(Event::ForkDetected {
            report: report.clone(),
        });
    }
    if report.verdict == Verdict::Reorganising && before != Some(Verdict::Reorganising) {
        logs.record(
            LogKind::Consensus,
            LogLevel::Info,
            &format!("/chains/{chain}/ledger"),
            format!(
                "nodes disagree from height {} over {} blocks, within the reorganisation depth {}: {}",
                report.first_divergent_height.unwrap_or(report.common_height),
                report.split_length,
                policy.reorg_depth,
                branches_text(&report)
            ),
        );
    }
    let branch_of = |id: &str| report.nodes.iter().find(|h| h.node == id).map(|h| h.branch);
    let main_branch = branch_of_majority(&report);

    let mut nodes = Vec::new();
    let mut perf = Vec::new();
    let mut links = Vec::new();
    for o in &obs.nodes {
        let id = &o.node.id;
        let admin = config.admin_state(chain, id);
        let thresholds = config.thresholds_for(chain, id);
        let lag = if o.reachable {
            top.saturating_sub(o.height)
        } else {
            0
        };
        let oper = match (admin, o.reachable) {
            (AdminState::Down, _) => OperState::Unknown,
            (_, false) => OperState::Down,
            // The node's own health report (Fabric's /healthz failing,
            // CometBFT catching up, an Ethereum sync without progress).
            _ if o.node.oper_state == OperState::Degraded
                || o.performance.health.as_ref().is_some_and(|h| !h.healthy) =>
            {
                OperState::Degraded
            }
            _ if lag > thresholds.sync_lag_blocks
                || branch_of(id).is_some_and(|b| Some(b) != main_branch) =>
            {
                OperState::Degraded
            }
            _ => OperState::Up,
        };
        // Only the oper state and when it changed carry over; the rest is
        // what the platform reports now.
        let (oper_state, oper_changed) = s
            .nodes
            .iter()
            .find(|n| &n.id == id)
            .map_or((oper, now), |n| (n.oper_state, n.oper_changed));
        let mut node = Node {
            admin_state: admin,
            oper_state,
            oper_changed,
            ..o.node.clone()
        };
        if first {
            node.oper_state = oper;
        } else {
            set_oper(&mut node, oper, now, events);
        }
        nodes.push(node);
        if admin != AdminState::Down && o.reachable {
            let mut p = o.performance.clone();
            p.sync_lag = lag;
            p.thresholds = thresholds;
            perf.push(p);
            links.extend(o.links.iter().cloned());
        }
    }
    s.nodes = nodes;
    announce_restarts(&mut s.restarts_seen, chain, &perf, events);
    s.performance = perf;
    s.links = links;
    s.consistency = Some(report);

    // Ledger: blocks window, transactions seen, head.
    let prev_top = s.blocks.back().map_or(0, |b| b.height);
    if !first {
        s.transactions_seen += obs
            .blocks
            .iter()
            .filter(|b| b.height > prev_top)
            .map(|b| b.tx_count as u64)
            .sum::<u64>();
    }
    merge_blocks(&mut s.blocks, obs.blocks);
    while s.blocks.len() > config.agent.recent_blocks {
        s.blocks.pop_front();
    }
    let head = s.blocks.back().cloned();
    let height = head.as_ref().map_or(0, |b| b.height);
    if first || height > s.last_height {
        s.last_height = height;
        // A stalled chain is measured from its last block, not from when
        // the agent first saw it.
        s.last_height_at = if first {
            head.as_ref().map_or(now, |b| b.time.min(now))
        } else {
            now
        };
    }

    // Members: announce who joined or left since the last collection.
    let previous = std::mem::take(&mut s.members);
    s.members = merge_members(previous, obs.members, !first, height, now, events);
    s.ledger = head.map(|h| Ledger {
        chain: chain.to_string(),
        height: h.height,
        head_hash: h.hash.clone(),
        head_time: h.time,
        transactions_seen: s.transactions_seen,
        target_block_interval_ms: obs.target_block_interval_ms,
        max_block_transactions: obs.max_block_transactions,
        active_members: s.members.values().filter(|m| m.is_active()).count() as u32,
    });
    s.consensus = obs.consensus;
    s.contracts = obs.contracts;

    for e in obs.executions {
        if s.execution_ids.insert(e.tx.clone()) {
            s.executions.push_back(e);
        }
    }
    while s.executions.len() > config.agent.recent_records {
        if let Some(e) = s.executions.pop_front() {
            s.execution_ids.remove(&e.tx);
        }
    }

    s.channels = obs.channels;
    let mut prior: BTreeMap<String, TransferState> = s
        .transfers
        .iter()
        .map(|t| (t.id.clone(), t.state))
        .collect();
    for t in obs.transfers {
        let was = prior.remove(&t.id);
        let failed = matches!(t.state, TransferState::TimedOut | TransferState::Failed);
        if failed && !first && was.is_none_or(|w| w == TransferState::Pending) {
            events.push(Event::CrossChainTransferFailed {
                transfer: t.as_ref().clone(),
            });
        }
        // An unchanged transfer is the very row already kept: leave its
        // chunk shared with the published snapshot.
        match s.transfers.iter().position(|x| x.id == t.id) {
            Some(i) if Arc::ptr_eq(&s.transfers[i], &t) => {}
            Some(i) => {
                s.transfers.set(i, t);
            }
            None => s.transfers.push_back(t),
        }
    }
    while s.transfers.len() > config.agent.recent_records {
        s.transfers.pop_front();
    }

    for e in obs.events {
        logs.record(e.kind, e.level, &e.source, e.message);
    }
}

/// Fold the members a collection reports into those known. A member
/// reported active that was unknown or had left joined; one that was
/// active and is reported left, or is no longer reported at all (the
/// platform's validator, signer or peer set dropped it), left at `height`.
/// Members that left stay, so the history of withdrawals is kept.
/// Notifications are emitted only when `announce` (not on the first
/// collection, which finds everyone already there).
fn merge_members(
    mut previous: BTreeMap<String, LedgerMember>,
    reported: Vec<LedgerMember>,
    announce: bool,
    height: u64,
    now: UnixMillis,
    events: &mut Vec<Event>,
) -> BTreeMap<String, LedgerMember> {
    let mut out = BTreeMap::new();
    for m in reported {
        let before = previous.remove(&m.id);
        let was_active = before.as_ref().is_some_and(LedgerMember::is_active);
        if announce {
            match (was_active, m.is_active()) {
                (false, true) => events.push(Event::MemberJoined { member: m.clone() }),
                (true, false) => events.push(Event::MemberLeft { member: m.clone() }),
                _ => {}
            }
        }
        out.insert(m.id.clone(), m);
    }
    for (id, mut m) in previous {
        if m.is_active() {
            m.left_height = Some(height);
            m.left_at = Some(now);
            if announce {
                events.push(Event::MemberLeft { member: m.clone() });
            }
        }
        out.insert(id, m);
    }
    out
}

/// The nodes the consistency analysis compares: reachable and admin up.
/// Nodes in maintenance may be mid-resync: they do not vote on
/// consistency. The refine step asks the same nodes for missing hashes.
pub(super) fn compared_ledgers(
    nodes: &[crate::collect::NodeObservation],
    chain: &str,
    config: &Config,
) -> Vec<NodeLedger> {
    nodes
        .iter()
        .filter(|n| n.reachable && config.admin_state(chain, &n.node.id) == AdminState::Up)
        .map(|n| NodeLedger {
            node: n.node.id.clone(),
            height: n.height,
            head_hash: n.head_hash.clone(),
            recent: n.recent_hashes.clone(),
        })
        .collect()
}

/// The branch most nodes are on (the lowest index on a tie).
fn branch_of_majority(r: &ConsistencyReport) -> Option<u32> {
    (0..r.branch_count).max_by_key(|b| {
        (
            r.nodes.iter().filter(|n| n.branch == *b).count(),
            std::cmp::Reverse(*b),
        )
    })
}

fn channel_outcomes(s: &ChainState) -> Vec<ChannelOutcome> {
    s.channels
        .iter()
        .map(|c| {
            let finished: Vec<_> = s
                .transfers
                .iter()
                .rev()
                .filter(|t| t.channel == c.id && t.state != TransferState::Pending)
                .take(TIMEOUT_WINDOW)
                .collect();
            ChannelOutcome {
                channel: c.id.clone(),
                finished: finished.len() as u32,
                timed_out: finished
                    .iter()
                    .filter(|t| t.state == TransferState::TimedOut)
                    .count() as u32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, left: Option<u64>) -> LedgerMember {
        LedgerMember {
            chain: "c".into(),
            id: id.into(),
            name: id.into(),
            address: format!("addr-{id}"),
            role: "peer".into(),
            joined_height: 1,
            joined_at: 1,
            left_height: left,
            left_at: left,
        }
    }

    fn block(height: u64, hash: &str) -> Arc<Block> {
        Arc::new(Block {
            chain: "c".into(),
            height,
            hash: hash.into(),
            parent_hash: String::new(),
            time: height,
            proposer: "p".into(),
            tx_count: 0,
            size_bytes: 0,
        })
    }

    #[test]
    fn merged_blocks_are_the_reported_rows_and_a_published_window_keeps_its_own() {
        let first: Vec<_> = (1..=4).map(|h| block(h, &format!("a{h}"))).collect();
        let mut kept = Rows::new();
        merge_blocks(&mut kept, first.clone());
        assert!(kept.iter().zip(&first).all(|(k, f)| Arc::ptr_eq(k, f)));
        let published = kept.clone();
        // Reported again: the kept rows stay; a new top is appended.
        merge_blocks(
            &mut kept,
            vec![block(3, "a3"), block(4, "a4"), block(5, "a5")],
        );
        assert!(Arc::ptr_eq(&kept[2], &first[2]));
        assert_eq!(kept.len(), 5);
        // A different block at height 3 replaces the tail from there.
        merge_blocks(&mut kept, vec![block(3, "b3")]);
        let hashes: Vec<_> = kept.iter().map(|b| b.hash.as_str()).collect();
        assert_eq!(hashes, ["a1", "a2", "b3"]);
        let before: Vec<_> = published.iter().map(|b| b.hash.as_str()).collect();
        assert_eq!(before, ["a1", "a2", "a3", "a4"]);
    }

    fn names(events: &[Event]) -> Vec<(String, String)> {
        events
            .iter()
            .map(|e| match e {
                Event::MemberJoined { member } | Event::MemberLeft { member } => {
                    (e.name().to_string(), member.id.clone())
                }
                other => (other.name().to_string(), String::new()),
            })
            .collect()
    }

    #[test]
    fn a_member_missing_from_the_set_leaves_and_a_new_one_joins() {
        let mut ev = Vec::new();
        let first = merge_members(
            BTreeMap::new(),
            vec![member("a", None), member("b", None)],
            false,
            10,
            1000,
            &mut ev,
        );
        assert!(ev.is_empty(), "the first collection announces nobody");
        let next = merge_members(
            first,
            vec![member("a", None), member("c", None)],
            true,
            12,
            2000,
            &mut ev,
        );
        assert_eq!(
            names(&ev),
            vec![
                ("member-joined".to_string(), "c".to_string()),
                ("member-left".to_string(), "b".to_string())
            ]
        );
        let b = &next["b"];
        assert_eq!((b.left_height, b.left_at), (Some(12), Some(2000)));
        assert!(next["a"].is_active() && next["c"].is_active());

        // b stays in the history without repeating its withdrawal; when it
        // is reported again it rejoins.
        ev.clear();
        let again = merge_members(
            next.clone(),
            vec![member("a", None), member("c", None)],
            true,
            13,
            3000,
            &mut ev,
        );
        assert!(ev.is_empty());
        assert_eq!(again["b"].left_height, Some(12));
        let back = merge_members(
            again,
            vec![member("a", None), member("b", None), member("c", None)],
            true,
            14,
            4000,
            &mut ev,
        );
        assert_eq!(
            names(&ev),
            vec![("member-joined".to_string(), "b".to_string())]
        );
        assert!(back["b"].is_active());
    }

    #[test]
    fn a_member_reported_as_left_is_announced_once() {
        let mut ev = Vec::new();
        let known = merge_members(
            BTreeMap::new(),
            vec![member("v", None)],
            false,
            1,
            1,
            &mut ev,
        );
        let left = merge_members(known, vec![member("v", Some(5))], true, 6, 6, &mut ev);
        assert_eq!(
            names(&ev),
            vec![("member-left".to_string(), "v".to_string())]
        );
        assert_eq!(left["v"].left_height, Some(5), "the platform's height wins");
        ev.clear();
        merge_members(left, vec![member("v", Some(5))], true, 7, 7, &mut ev);
        assert!(ev.is_empty());
    }
}
