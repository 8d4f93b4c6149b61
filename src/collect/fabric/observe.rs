//! Turning the readings of a Fabric chain's nodes into one observation.
//! What carries over between collections (when a height was first seen,
//! which checks were already failing, counters already reported) lives in
//! [`History`], so events are raised on change, not on every pass.

use super::metrics::ChaincodeCounters;
use super::reading::NodeReading;
use crate::collect::observation::{ChainEvent, ChainObservation, NodeObservation};
use crate::model::UnixMillis;
use crate::model::chain::{ConsensusType, ManagedChain, Platform};
use crate::model::consensus::{Consensus, ConsensusParameter, Validator};
use crate::model::contract::{Contract, ContractState};
use crate::model::ledger::Block;
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::{AdminState, Node, NodeRole, NodeSoftware, OperState};
use crate::model::performance::{NodeHealth, NodePerformance};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Attributes the operations service cannot give, for `Node.unsupported`.
pub const UNSUPPORTED: [&str; 4] = ["block-hashes", "identity", "links", "txpool"];

/// Chaincodes of the platform itself, not of the operator.
const SYSTEM_CHAINCODES: [&str; 5] = ["_lifecycle", "cscc", "qscc", "lscc", "escc"];

/// One node as configured.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    pub role: NodeRole,
    pub endpoint: String,
}

#[derive(Debug, Default)]
pub struct History {
    first_seen: BTreeMap<u64, UnixMillis>,
    transactions: Option<u64>,
    failing: BTreeSet<(String, String)>,
    /// (execute timeouts, launch failures) per chaincode, summed over peers.
    chaincode_faults: BTreeMap<String, (u64, u64)>,
    channel_status: BTreeMap<(String, String), String>,
}

pub fn observe(
    chain: &str,
    nodes: &[(NodeSpec, Result<NodeReading, String>)],
    history: &mut History,
    now: UnixMillis,
) -> ChainObservation {
    let mut events = Vec::new();
    let node_obs = nodes
        .iter()
        .map(|(spec, r)| node(chain, spec, r.as_ref().ok(), now))
        .collect::<Vec<_>>();
    for (spec, r) in nodes {
        if let Ok(r) = r {
            health_events(chain, spec, r, history, &mut events);
            participation_events(chain, spec, r, history, &mut events);
        }
    }
    let readings: Vec<(&NodeSpec, &NodeReading)> = nodes
        .iter()
        .filter_map(|(s, r)| r.as_ref().ok().map(|r| (s, r)))
        .collect();
    let top = readings
        .iter()
        .map(|(_, r)| r.metrics.height())
        .max()
        .unwrap_or(0);
    if top > 0 {
        history.first_seen.entry(top).or_insert(now);
        history.first_seen.retain(|h, _| *h + 64 >= top);
    }
    let last_block_at = history.first_seen.get(&top).copied().unwrap_or(now);
    let transactions = readings
        .iter()
        .filter_map(|(_, r)| r.metrics.transactions)
        .max();
    let new_tx = match (history.transactions, transactions) {
        (Some(before), Some(t)) => t.saturating_sub(before),
        _ => 0,
    };
    if transactions.is_some() {
        history.transactions = transactions;
    }
    let blocks = if top > 0 {
        vec![Block {
            chain: chain.to_string(),
            height: top,
            hash: String::new(),
            parent_hash: String::new(),
            time: last_block_at,
            proposer: String::new(),
            tx_count: new_tx.min(u32::MAX as u64) as u32,
            size_bytes: 0,
        }]
    } else {
        Vec::new()
    };
    let consensus = raft_consensus(chain, &readings, nodes, top, last_block_at);
    let contracts = contracts(chain, &readings, history, &mut events);
    let channels: BTreeSet<&str> = readings
        .iter()
        .flat_map(|(_, r)| r.metrics.heights.keys().map(String::as_str))
        .filter(|c| !c.is_empty())
        .collect();
    ChainObservation {
        chain: ManagedChain {
            id: chain.to_string(),
            name: chain.to_string(),
            platform: Platform::Fabric,
            chain_id: channels.into_iter().collect::<Vec<_>>().join(","),
            consensus_type: if consensus.is_some() {
                ConsensusType::Cft
            } else {
                ConsensusType::Unknown
            },
            genesis_hash: String::new(),
            node_count: nodes.len() as u32,
        },
        nodes: node_obs,
        blocks: blocks.into_iter().map(Arc::new).collect(),
        target_block_interval_ms: None,
        max_block_transactions: None,
        members: Vec::new(),
        consensus,
        contracts,
        executions: Vec::new(),
        channels: Vec::new(),
        transfers: Vec::new(),
        events,
    }
}

fn node(chain: &str, spec: &NodeSpec, r: Option<&NodeReading>, now: UnixMillis) -> NodeObservation {
    let degraded =
        r.is_some_and(|r| !r.health.ok || r.channels.iter().any(|c| c.status == "failed"));
    let height = r.map_or(0, |r| r.metrics.height());
    let client = match spec.role {
        NodeRole::Orderer => "fabric-orderer",
        _ => "fabric-peer",
    };
    NodeObservation {
        node: Node {
            chain: chain.to_string(),
            id: spec.name.clone(),
            identity: String::new(),
            role: spec.role,
            endpoint: spec.endpoint.clone(),
            software: NodeSoftware {
                client: client.to_string(),
                version: r.and_then(|r| r.version.clone()).unwrap_or_default(),
                protocol: String::new(),
            },
            hardware: Default::default(),
            admin_state: AdminState::Up,
            oper_state: match (r, degraded) {
                (None, _) => OperState::Down,
                (Some(_), true) => OperState::Degraded,
                (Some(_), false) => OperState::Up,
            },
            oper_changed: now,
            log_spec: r.and_then(|r| r.log_spec.clone()).unwrap_or_default(),
            unsupported: UNSUPPORTED.iter().map(|s| s.to_string()).collect(),
        },
        reachable: r.is_some(),
        height,
        head_hash: String::new(),
        recent_hashes: Vec::new(),
        links: Vec::new(),
        performance: NodePerformance {
            chain: chain.to_string(),
            node: spec.name.clone(),
            sampled_at: now,
            peer_count: r.and_then(|r| r.metrics.peer_count()),
            height,
            health: r.map(|r| health(&r.health)),
            ..Default::default()
        },
    }
}

/// The node's health by its operations service's `/healthz` (Fabric
/// docs, "The Operations Service", Health Checks): the failed checks in
/// the problem, each with the reason Fabric gives.
fn health(h: &super::health::Health) -> NodeHealth {
    if h.ok {
        return NodeHealth::healthy();
    }
    let checks: Vec<String> = h
        .failed_checks
        .iter()
        .map(|c| format!("{}: {}", c.component, c.reason))
        .collect();
    NodeHealth::unhealthy(if checks.is_empty() {
        "/healthz: not OK, no failed check named".into()
    } else {
        format!("/healthz failed checks: {}", checks.join("; "))
    })
}

fn health_events(
    chain: &str,
    spec: &NodeSpec,
    r: &NodeReading,
    history: &mut History,
    events: &mut Vec<ChainEvent>,
) {
    let source = format!("/chains/{chain}/nodes/{}", spec.name);
    let now_failing: BTreeSet<(String, String)> = r
        .health
        .failed_checks
        .iter()
        .map(|c| (spec.name.clone(), c.component.clone()))
        .collect();
    for c in &r.health.failed_checks {
        if !history
            .failing
            .contains(&(spec.name.clone(), c.component.clone()))
        {
            events.push(ChainEvent::new(
                LogKind::System,
                LogLevel::Error,
                source.clone(),
                format!("health check {} failed: {}", c.component, c.reason),
            ));
        }
    }
    let recovered: Vec<(String, String)> = history
        .failing
        .iter()
        .filter(|(n, _)| n == &spec.name)
        .filter(|k| !now_failing.contains(*k))
        .cloned()
        .collect();
    for k in recovered {
        events.push(ChainEvent::new(
            LogKind::System,
            LogLevel::Info,
            source.clone(),
            format!("health check {} passes again", k.1),
        ));
        history.failing.remove(&k);
    }
    history.failing.extend(now_failing);
}

fn participation_events(
    chain: &str,
    spec: &NodeSpec,
    r: &NodeReading,
    history: &mut History,
    events: &mut Vec<ChainEvent>,
) {
    for c in &r.channels {
        let key = (spec.name.clone(), c.name.clone());
        if history.channel_status.get(&key) == Some(&c.status) {
            continue;
        }
        if history.channel_status.contains_key(&key) || c.status != "active" {
            events.push(ChainEvent::new(
                LogKind::Consensus,
                if c.status == "failed" {
                    LogLevel::Error
                } else {
                    LogLevel::Info
                },
                format!("/chains/{chain}/nodes/{}", spec.name),
                format!(
                    "channel {} is {} ({}) at height {}",
                    c.name, c.status, c.consensus_relation, c.height
                ),
            ));
        }
        history.channel_status.insert(key, c.status.clone());
    }
}

/// Raft as the orderers report it: the leader is the orderer whose
/// `consensus_etcdraft_is_leader` is 1; every configured orderer is a
/// consenter (Raft gives each one vote).
fn raft_consensus(
    chain: &str,
    readings: &[(&NodeSpec, &NodeReading)],
    nodes: &[(NodeSpec, Result<NodeReading, String>)],
    top: u64,
    last_block_at: UnixMillis,
) -> Option<Consensus> {
    let raft: Vec<(&NodeSpec, &NodeReading)> = readings
        .iter()
        .filter(|(_, r)| !r.metrics.raft.is_empty())
        .copied()
        .collect();
    if raft.is_empty() {
        return None;
    }
    let leader = raft
        .iter()
        .find(|(_, r)| r.metrics.raft.values().any(|c| c.is_leader))
        .map(|(s, _)| s.name.clone())
        .unwrap_or_default();
    let all = || raft.iter().flat_map(|(_, r)| r.metrics.raft.values());
    let mut parameters = vec![param(
        "cluster-size",
        all().map(|c| c.cluster_size).max().unwrap_or(0).to_string(),
        "nodes",
    )];
    if let Some(active) = all().filter_map(|c| c.active_nodes).max() {
        parameters.push(param("active-nodes", active.to_string(), "nodes"));
    }
    for (s, r) in readings {
        for c in &r.channels {
            parameters.push(param(
                &format!("participation/{}/{}", s.name, c.name),
                format!(
                    "{}, {}, height {}",
                    c.consensus_relation, c.status, c.height
                ),
                "",
            ));
        }
    }
    let validators = nodes
        .iter()
        .filter(|(s, _)| s.role == NodeRole::Orderer)
        .map(|(s, r)| Validator {
            id: s.name.clone(),
            address: s.endpoint.clone(),
            voting_power: 1,
            active: r.is_ok(),
            proposed_blocks: 0,
            missed_rounds: 0,
        })
        .collect();
    Some(Consensus {
        chain: chain.to_string(),
        algorithm: "etcdraft".into(),
        parameters,
        height: all().map(|c| c.committed_block).max().unwrap_or(0).max(top),
        round: None,
        leader,
        validators,
        view_changes: all().map(|c| c.leader_changes).max().unwrap_or(0),
        last_block_at,
        pending_votes: Vec::new(),
    })
}

fn param(name: &str, value: String, unit: &str) -> ConsensusParameter {
    ConsensusParameter {
        name: name.to_string(),
        value,
        unit: unit.to_string(),
        settable: false,
    }
}

/// Per chaincode over all peers: committed transactions are the same on
/// every peer of the channel (the largest count is taken); endorsements,
/// timeouts and launches happen on the peer asked, so they add up.
fn contracts(
    chain: &str,
    readings: &[(&NodeSpec, &NodeReading)],
    history: &mut History,
    events: &mut Vec<ChainEvent>,
) -> Vec<Contract> {
    let mut merged: BTreeMap<String, ChaincodeCounters> = BTreeMap::new();
    for (_, r) in readings {
        for (name, c) in &r.metrics.chaincodes {
            if SYSTEM_CHAINCODES.contains(&name.as_str()) {
                continue;
            }
            let m = merged.entry(name.clone()).or_default();
            if m.version.is_empty() {
                m.version = c.version.clone();
            }
            m.committed = m.committed.max(c.committed);
            m.invalid = m.invalid.max(c.invalid);
            m.endorsement_failures += c.endorsement_failures;
            m.execute_timeouts += c.execute_timeouts;
            m.launch_failures += c.launch_failures;
        }
    }
    for (name, c) in &merged {
        let before = history
            .chaincode_faults
            .get(name)
            .copied()
            .unwrap_or((0, 0));
        let (t, l) = (
            c.execute_timeouts.saturating_sub(before.0),
            c.launch_failures.saturating_sub(before.1),
        );
        if t > 0 || l > 0 {
            events.push(ChainEvent::new(
                LogKind::Contract,
                LogLevel::Warning,
                format!("/chains/{chain}/contracts/{name}"),
                format!("chaincode {name}: {t} execute timeouts, {l} launch failures"),
            ));
        }
        history
            .chaincode_faults
            .insert(name.clone(), (c.execute_timeouts, c.launch_failures));
    }
    merged
        .into_iter()
        .map(|(name, c)| Contract {
            chain: chain.to_string(),
            id: name.clone(),
            name,
            version: c.version,
            code_hash: String::new(),
            deployer: String::new(),
            deployed_at: 0,
            deploy_height: 0,
            state: ContractState::Active,
            signatories: Vec::new(),
            calls: c.committed + c.endorsement_failures,
            failed_calls: c.invalid + c.endorsement_failures,
        })
        .collect()
}
