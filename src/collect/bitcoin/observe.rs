//! Rendering one collection of every node as the chain's observation:
//! inventory, links, performance, blocks, members and events.

use super::client::{NodeClient, NodeError, NodeReport};
use super::peers::{self, OwnSockets};
use crate::collect::observation::{ChainEvent, ChainObservation, NodeObservation};
use crate::model::UnixMillis;
use crate::model::chain::{ConsensusType, ManagedChain, Platform};
use crate::model::consensus::{Consensus, ConsensusParameter};
use crate::model::ledger::{Block, LedgerMember};
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::{AdminState, Node, NodeHardware, NodeRole, NodeSoftware, OperState};
use crate::model::performance::NodePerformance;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Model attributes no Bitcoin Core RPC provides. CPU and memory of the
/// node's process are not exposed (getmemoryinfo covers the locked pool
/// only), nor is the host's hardware; proof of work has no validators,
/// proposer or rounds.
pub const UNSUPPORTED: [&str; 6] = [
    "hardware",
    "cpu-percent",
    "memory-percent",
    "validators",
    "block-proposer",
    "pending-votes",
];

/// What the adapter keeps from one observation to the next.
#[derive(Debug, Default)]
pub struct ChainMemory {
    pub genesis: Option<String>,
    /// Member id → (height, time) it was first seen at; dropped when it
    /// leaves so that a return is a new entry.
    pub members_seen: BTreeMap<String, (u64, UnixMillis)>,
}

pub struct Inputs<'a> {
    pub chain: &'a str,
    pub clients: &'a [NodeClient],
    pub polls: &'a [Result<NodeReport, NodeError>],
    pub roles: &'a BTreeMap<String, NodeRole>,
    pub now: UnixMillis,
}

pub fn observe(i: &Inputs, memory: &mut ChainMemory) -> ChainObservation {
    let reports: Vec<(&NodeClient, &NodeReport)> = i
        .clients
        .iter()
        .zip(i.polls)
        .filter_map(|(c, p)| p.as_ref().ok().map(|r| (c, r)))
        .collect();
    let remembered: Vec<Vec<String>> = i
        .clients
        .iter()
        .zip(i.polls)
        .map(|(c, p)| {
            let mut own: Vec<String> = c.listen.iter().cloned().collect();
            if let Ok(r) = p {
                own.extend(r.network.localaddresses.iter().map(|a| a.socket()));
            }
            own
        })
        .collect();
    let owners = peers::socket_owners(
        &i.clients
            .iter()
            .zip(i.polls)
            .zip(&remembered)
            .map(|((c, p), own)| OwnSockets {
                node: &c.id,
                peers: p.as_ref().map_or(&[][..], |r| &r.peers[..]),
                advertised: own,
            })
            .collect::<Vec<_>>(),
    );
    let mut events = Vec::new();
    let nodes: Vec<NodeObservation> = i
        .clients
        .iter()
        .zip(i.polls)
        .map(|(c, p)| node_observation(i, c, p.as_ref().ok(), &owners, &mut events))
        .collect();
    // The canonical blocks are those of the node with the most blocks; the
    // engine replaces its kept tail when that node changes branch.
    let reference = reports
        .iter()
        .max_by_key(|(c, r)| (r.chain.blocks, std::cmp::Reverse(c.id.clone())));
    let blocks: Vec<Block> = reference
        .map(|(c, _)| {
            c.window
                .blocks()
                .map(|b| Block {
                    chain: i.chain.to_string(),
                    ..b.clone()
                })
                .collect()
        })
        .unwrap_or_default();
    let head = blocks.last();
    let height = head.map_or(0, |b| b.height);
    let members = members(i, &nodes, memory, height);
    let consensus = reference.map(|(_, r)| Consensus {
        chain: i.chain.to_string(),
        algorithm: "proof-of-work".into(),
        parameters: vec![ConsensusParameter {
            name: "difficulty".into(),
            value: r.chain.difficulty.to_string(),
            unit: String::new(),
            settable: false,
        }],
        height,
        round: None,
        leader: String::new(),
        validators: Vec::new(),
        view_changes: 0,
        last_block_at: head.map_or(0, |b| b.time),
        pending_votes: Vec::new(),
    });
    let subversion = reference.map_or("", |(_, r)| r.network.subversion.as_str());
    ChainObservation {
        chain: ManagedChain {
            id: i.chain.to_string(),
            name: String::new(),
            platform: Platform::Bitcoin,
            chain_id: reference.map_or(String::new(), |(_, r)| r.chain.chain.clone()),
            consensus_type: ConsensusType::ProofOfWork,
            genesis_hash: memory.genesis.clone().unwrap_or_default(),
            node_count: i.clients.len() as u32,
        },
        nodes,
        blocks: blocks.into_iter().map(Arc::new).collect(),
        target_block_interval_ms: target_spacing_ms(subversion),
        max_block_transactions: None,
        members,
        consensus,
        contracts: Vec::new(),
        executions: Vec::new(),
        channels: Vec::new(),
        transfers: Vec::new(),
        events,
    }
}

/// The consensus rule's target spacing, known per client family: 10
/// minutes for Bitcoin, 2.5 for Litecoin. Unknown forks get none.
fn target_spacing_ms(subversion: &str) -> Option<u64> {
    if subversion.starts_with("/Satoshi:") {
        Some(600_000)
    } else if subversion.starts_with("/LitecoinCore:") {
        Some(150_000)
    } else {
        None
    }
}

/// "/LitecoinCore:0.21.2.1/" → ("LitecoinCore", "0.21.2.1").
fn software(subversion: &str, version: u64, protocol: u64) -> NodeSoftware {
    let first = subversion.trim_matches('/').split('/').next().unwrap_or("");
    let (client, v) = first.split_once(':').unwrap_or((first, ""));
    let v = v.split('(').next().unwrap_or("").trim();
    NodeSoftware {
        client: client.to_string(),
        version: if v.is_empty() {
            version.to_string()
        } else {
            v.to_string()
        },
        protocol: protocol.to_string(),
    }
}

fn node_observation(
    i: &Inputs,
    c: &NodeClient,
    report: Option<&NodeReport>,
    owners: &BTreeMap<String, String>,
    events: &mut Vec<ChainEvent>,
) -> NodeObservation {
    let source = format!("/chains/{}/nodes/{}", i.chain, c.id);
    // While a node is down it is described by its last answer.
    let described = report.or(c.last.as_ref());
    let mut unsupported: Vec<String> = UNSUPPORTED.iter().map(|s| s.to_string()).collect();
    if let Some(r) = described {
        unsupported.extend(r.unsupported.iter().cloned());
    }
    let node = Node {
        chain: i.chain.to_string(),
        id: c.id.clone(),
        identity: c.listen.clone().unwrap_or_default(),
        role: i.roles.get(&c.id).copied().unwrap_or(NodeRole::Peer),
        endpoint: c.endpoint.clone(),
        software: described.map_or_else(NodeSoftware::default, |r| {
            software(
                &r.network.subversion,
                r.network.version,
                r.network.protocolversion,
            )
        }),
        hardware: NodeHardware::default(),
        admin_state: AdminState::Up,
        oper_state: OperState::Unknown,
        oper_changed: 0,
        log_spec: described
            .and_then(|r| r.log_spec.clone())
            .unwrap_or_default(),
        unsupported,
    };
    let Some(r) = report else {
        return NodeObservation {
            node,
            reachable: false,
            height: 0,
            head_hash: String::new(),
            recent_hashes: Vec::new(),
            links: Vec::new(),
            performance: NodePerformance {
                chain: i.chain.to_string(),
                node: c.id.clone(),
                sampled_at: i.now,
                ..NodePerformance::default()
            },
        };
    };
    for t in &r.new_forks {
        events.push(ChainEvent::new(
            LogKind::Consensus,
            LogLevel::Warning,
            source.clone(),
            format!(
                "node {} abandoned a branch: valid-fork tip {} at height {} ({} blocks)",
                c.id, t.hash, t.height, t.branchlen
            ),
        ));
    }
    if let Some(ibd) = r.ibd_changed {
        events.push(ChainEvent::new(
            LogKind::Consensus,
            LogLevel::Info,
            source.clone(),
            if ibd {
                format!(
                    "node {} is in initial block download ({:.1}% verified)",
                    c.id,
                    r.chain.verificationprogress * 100.0
                )
            } else {
                format!("node {} finished initial block download", c.id)
            },
        ));
    }
    let blocks: Vec<&Block> = c.window.blocks().collect();
    let (block_interval_ms, tps) = match (blocks.first(), blocks.last()) {
        (Some(f), Some(l)) if blocks.len() > 1 => {
            let span = l.time.saturating_sub(f.time) as f64;
            let txs: u64 = blocks.iter().skip(1).map(|b| b.tx_count as u64).sum();
            (
                Some(span / (blocks.len() - 1) as f64),
                (span > 0.0).then(|| txs as f64 * 1000.0 / span),
            )
        }
        _ => (None, None),
    };
    NodeObservation {
        node,
        reachable: true,
        height: r.chain.blocks,
        head_hash: r.chain.bestblockhash.clone(),
        recent_hashes: c.window.hashes(),
        links: peers::links(i.chain, &c.id, &r.peers, owners),
        performance: NodePerformance {
            chain: i.chain.to_string(),
            node: c.id.clone(),
            sampled_at: i.now,
            cpu_percent: None,
            memory_percent: None,
            memory_used_bytes: None,
            disk_used_bytes: r.chain.size_on_disk,
            net_in_bytes_per_sec: r.rates.map(|x| x.0),
            net_out_bytes_per_sec: r.rates.map(|x| x.1),
            peer_count: Some(r.peers.len() as u64),
            height: r.chain.blocks,
            sync_lag: 0,
            tx_pool_size: r.mempool.as_ref().map(|m| m.size),
            block_interval_ms,
            tps,
            thresholds: Default::default(),
            // Process and data-dir figures: collect::local's.
            ..Default::default()
        },
    }
}

/// Proof of work has no validator or signer set: the chain's members are
/// its peer set, everyone a managed node is connected to, named by node
/// id when it is a managed node and by address otherwise. A member that
/// no node sees any more has left (the engine marks it).
fn members(
    i: &Inputs,
    nodes: &[NodeObservation],
    memory: &mut ChainMemory,
    height: u64,
) -> Vec<LedgerMember> {
    let mut current: BTreeMap<String, (String, String)> = BTreeMap::new();
    for n in nodes.iter().filter(|n| n.reachable) {
        let report = i
            .clients
            .iter()
            .zip(i.polls)
            .find(|(c, _)| c.id == n.node.id)
            .and_then(|(_, p)| p.as_ref().ok());
        for l in &n.links {
            let managed = i.clients.iter().find(|c| c.id == l.remote_node);
            let address = managed
                .and_then(|c| c.listen.clone())
                .unwrap_or_else(|| l.remote_address.clone());
            let name = report
                .and_then(|r| r.peers.iter().find(|p| p.addr == l.remote_address))
                .map(|p| p.subver.clone())
                .unwrap_or_default();
            current
                .entry(l.remote_node.clone())
                .or_insert((address, name));
        }
    }
    memory.members_seen.retain(|id, _| current.contains_key(id));
    current
        .into_iter()
        .map(|(id, (address, name))| {
            let (joined_height, joined_at) = *memory
                .members_seen
                .entry(id.clone())
                .or_insert((height, i.now));
            LedgerMember {
                chain: i.chain.to_string(),
                id,
                name,
                address,
                role: "peer".into(),
                joined_height,
                joined_at,
                left_height: None,
                left_at: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subversion_gives_client_and_version() {
        let s = software("/LitecoinCore:0.21.2.1/", 210201, 70016);
        assert_eq!(
            (s.client.as_str(), s.version.as_str(), s.protocol.as_str()),
            ("LitecoinCore", "0.21.2.1", "70016")
        );
        let s = software("/Satoshi:27.0.0(my-comment)/", 270000, 70016);
        assert_eq!(
            (s.client.as_str(), s.version.as_str()),
            ("Satoshi", "27.0.0")
        );
        assert_eq!(software("", 5, 1).version, "5");
        assert_eq!(target_spacing_ms("/Satoshi:27.0.0/"), Some(600_000));
        assert_eq!(target_spacing_ms("/Dogecoin:1.14/"), None);
    }
}
