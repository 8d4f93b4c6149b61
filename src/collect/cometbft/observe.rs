//! A CometBFT chain's observation from its nodes' readings and the
//! validator set. Members are the validators ever seen: one that leaves
//! the set keeps its record with the height it left at.

use super::reading::NodeReading;
use super::validators::ValidatorEntry;
use crate::collect::observation::{ChainObservation, NodeObservation};
use crate::model::UnixMillis;
use crate::model::chain::{ConsensusType, ManagedChain, Platform};
use crate::model::consensus::{Consensus, Validator};
use crate::model::ledger::{Block, LedgerMember};
use crate::model::link::{LinkDirection, LinkState, PeerLink};
use crate::model::node::{AdminState, Node, NodeRole, NodeSoftware, OperState};
use crate::model::performance::{NodeHealth, NodePerformance};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What CometBFT's RPC does not give, for `Node.unsupported`.
pub const UNSUPPORTED: [&str; 3] = ["log-spec", "link-latency", "hardware"];

#[derive(Debug, Clone)]
pub struct NodeSpec {
    pub name: String,
    pub role: Option<NodeRole>,
    pub endpoint: String,
}

pub fn observe(
    chain: &str,
    nodes: &[(NodeSpec, Result<NodeReading, String>)],
    validators: &[ValidatorEntry],
    members: &mut BTreeMap<String, LedgerMember>,
    now: UnixMillis,
) -> ChainObservation {
    // Peers are named by the agent's node name when they are configured.
    let names: BTreeMap<String, String> = nodes
        .iter()
        .filter_map(|(s, r)| {
            r.as_ref()
                .ok()
                .map(|r| (r.status.id.clone(), s.name.clone()))
        })
        .collect();
    let best = nodes
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .max_by_key(|r| r.status.height);
    let blocks: Vec<Block> = best
        .map(|r| {
            r.recent
                .iter()
                .map(|m| Block {
                    chain: chain.to_string(),
                    height: m.height,
                    hash: m.hash.clone(),
                    parent_hash: m.parent_hash.clone(),
                    time: m.time,
                    proposer: m.proposer.clone(),
                    tx_count: m.tx_count.min(u32::MAX as u64) as u32,
                    size_bytes: m.size_bytes,
                })
                .collect()
        })
        .unwrap_or_default();
    let height = best.map_or(0, |r| r.status.height);
    update_members(chain, validators, members, height, now);
    let consensus = best.map(|r| Consensus {
        chain: chain.to_string(),
        algorithm: "tendermint".into(),
        parameters: Vec::new(),
        height: r.round.as_ref().map_or(r.status.height, |s| s.height),
        round: r.round.as_ref().map(|s| s.round),
        leader: r
            .round
            .as_ref()
            .map(|s| s.proposer.clone())
            .unwrap_or_default(),
        validators: validators
            .iter()
            .map(|v| Validator {
                id: v.address.clone(),
                address: v.address.clone(),
                voting_power: v.voting_power,
                active: true,
                proposed_blocks: blocks.iter().filter(|b| b.proposer == v.address).count() as u64,
                missed_rounds: 0,
            })
            .collect(),
        view_changes: r.round.as_ref().map_or(0, |s| s.round),
        last_block_at: r.status.time.unwrap_or(now),
        pending_votes: Vec::new(),
    });
    ChainObservation {
        chain: ManagedChain {
            id: chain.to_string(),
            name: chain.to_string(),
            platform: Platform::Cometbft,
            chain_id: best.map(|r| r.status.network.clone()).unwrap_or_default(),
            consensus_type: ConsensusType::Bft,
            genesis_hash: String::new(),
            node_count: nodes.len() as u32,
        },
        nodes: nodes
            .iter()
            .map(|(s, r)| node(chain, s, r.as_ref().ok(), &names, now))
            .collect(),
        blocks: blocks.into_iter().map(Arc::new).collect(),
        target_block_interval_ms: None,
        max_block_transactions: None,
        members: members.values().cloned().collect(),
        consensus,
        contracts: Vec::new(),
        executions: Vec::new(),
        channels: Vec::new(),
        transfers: Vec::new(),
        events: Vec::new(),
    }
}

fn update_members(
    chain: &str,
    validators: &[ValidatorEntry],
    members: &mut BTreeMap<String, LedgerMember>,
    height: u64,
    now: UnixMillis,
) {
    if validators.is_empty() {
        return; // the set could not be read: nobody left
    }
    let current: Vec<String> = validators.iter().map(|v| v.address.clone()).collect();
    crate::collect::members::update_members(members, chain, &current, "validator", height, now);
}

fn node(
    chain: &str,
    spec: &NodeSpec,
    r: Option<&NodeReading>,
    names: &BTreeMap<String, String>,
    now: UnixMillis,
) -> NodeObservation {
    let height = r.map_or(0, |r| r.status.height);
    let links: Vec<PeerLink> = r
        .and_then(|r| r.peers.as_ref())
        .map(|peers| {
            peers
                .iter()
                .map(|p| PeerLink {
                    chain: chain.to_string(),
                    local_node: spec.name.clone(),
                    remote_node: names.get(&p.id).cloned().unwrap_or_else(|| p.id.clone()),
                    remote_address: p.remote_ip.clone(),
                    direction: if p.outbound {
                        LinkDirection::Outbound
                    } else {
                        LinkDirection::Inbound
                    },
                    state: LinkState::Up,
                    // /net_info has no round-trip time.
                    latency_ms: None,
                    bytes_in: Some(p.bytes_received),
                    bytes_out: Some(p.bytes_sent),
                    since: now.saturating_sub(p.duration_ms),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut unsupported: Vec<String> = UNSUPPORTED.iter().map(|s| s.to_string()).collect();
    if r.is_some_and(|r| r.peers.is_none()) {
        unsupported.push("peers".into());
    }
    if r.is_some_and(|r| r.mempool.is_none()) {
        unsupported.push("txpool".into());
    }
    let role = spec.role.unwrap_or(match r {
        Some(r) if r.status.voting_power > 0 => NodeRole::Validator,
        _ => NodeRole::Observer,
    });
    NodeObservation {
        node: Node {
            chain: chain.to_string(),
            id: spec.name.clone(),
            identity: r.map(|r| r.status.id.clone()).unwrap_or_default(),
            role,
            endpoint: spec.endpoint.clone(),
            software: NodeSoftware {
                client: r.map_or("cometbft".into(), |r| match &r.app {
                    Some(app) if !app.is_empty() => format!("cometbft ({app})"),
                    _ => "cometbft".into(),
                }),
                version: r.map(|r| r.status.version.clone()).unwrap_or_default(),
                protocol: r.map(|r| r.status.protocol.clone()).unwrap_or_default(),
            },
            hardware: Default::default(),
            admin_state: AdminState::Up,
            // A node still catching up serves stale data.
            oper_state: match r {
                None => OperState::Down,
                Some(r) if r.status.catching_up == Some(true) => OperState::Degraded,
                Some(_) => OperState::Up,
            },
            oper_changed: now,
            log_spec: String::new(),
            unsupported,
        },
        reachable: r.is_some(),
        height,
        head_hash: r.map(|r| r.status.hash.clone()).unwrap_or_default(),
        recent_hashes: r
            .map(|r| {
                r.recent
                    .iter()
                    .map(|m| (m.height, m.hash.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        links,
        performance: NodePerformance {
            chain: chain.to_string(),
            node: spec.name.clone(),
            sampled_at: now,
            peer_count: r.and_then(|r| r.peers.as_ref()).map(|p| p.len() as u64),
            height,
            tx_pool_size: r.and_then(|r| r.mempool),
            health: r.and_then(|r| health(r.status.catching_up?)),
            ..Default::default()
        },
    }
}

/// The node's health by `/status`: a node catching up with the network
/// (block sync after a start or a fall behind) answers, but from stale
/// state (CometBFT RPC docs, `sync_info.catching_up`).
fn health(catching_up: bool) -> Option<NodeHealth> {
    Some(if catching_up {
        NodeHealth::unhealthy("/status sync_info.catching_up is true".into())
    } else {
        NodeHealth::healthy()
    })
}
