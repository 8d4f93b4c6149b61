//! The Ethereum-family adapter (geth, Besu, Quorum, Nethermind, anvil,
//! EthereumJS) over JSON-RPC. Every node is probed concurrently, each with
//! its own timeout and backoff ([`node`]); the chain-wide view (blocks,
//! consensus, members, contracts) comes from the reachable node with the
//! highest head.

mod blocks;
mod consensus;
pub mod contracts;
#[doc(hidden)]
pub mod fuzzing;
mod log_level;
mod node;
mod peers;
mod quantity;
mod votes;

use crate::collect::adapter::{AdapterChange, AdapterError, Capabilities, ChainAdapter};
use crate::collect::observation::{ChainEvent, ChainObservation, NodeObservation};
use crate::config::{ChainConfig, Config};
use crate::model::chain::{ConsensusType, ManagedChain, Platform};
use crate::model::consensus::{Consensus, Validator};
use crate::model::contract::{Contract, ContractExecution};
use crate::model::ledger::{Block, LedgerMember};
use crate::model::link::{LinkDirection, LinkState, PeerLink};
use crate::model::log::{LogKind, LogLevel};
use crate::model::node::{AdminState, Node, NodeRole, NodeSoftware, OperState};
use crate::model::now_millis;
use crate::model::performance::NodePerformance;
use async_trait::async_trait;
use consensus::Engine;
use contracts::ContractMonitor;
use node::NodeProbe;
use peers::KnownNode;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

pub struct EthereumAdapter {
    chain: String,
    name: String,
    window: usize,
    rpc_timeout: Duration,
    probes: Vec<NodeProbe>,
    /// Every validator or signer ever seen, by address.
    members: BTreeMap<String, LedgerMember>,
    contracts: ContractMonitor,
    contract_state: (Vec<Contract>, Vec<ContractExecution>),
    /// When each (node, peer id) link was first seen up.
    link_since: HashMap<(String, String), u64>,
    /// Nodes last seen syncing, for start/finish events.
    syncing: HashMap<String, bool>,
    /// The last known chain identity, kept while every node is down.
    last_chain: Option<ManagedChain>,
}

impl EthereumAdapter {
    pub fn new(id: &str, chain: &ChainConfig, config: &Config) -> EthereumAdapter {
        let timeout = Duration::from_millis(chain.rpc_timeout_ms.max(1));
        EthereumAdapter {
            chain: id.to_string(),
            name: chain.name.clone(),
            window: config.agent.recent_blocks.max(1),
            rpc_timeout: timeout,
            probes: chain
                .nodes
                .iter()
                .map(|(name, n)| NodeProbe::new(name, n, timeout))
                .collect(),
            members: BTreeMap::new(),
            contracts: ContractMonitor::new(id, &chain.contracts),
            contract_state: (Vec::new(), Vec::new()),
            link_since: HashMap::new(),
            syncing: HashMap::new(),
            last_chain: None,
        }
    }

    pub fn capabilities_static() -> Capabilities {
        crate::collect::capabilities(Platform::Ethereum)
    }

    /// The reachable node with the highest head (the first on a tie).
    fn best(&self) -> Option<usize> {
        self.probes
            .iter()
            .enumerate()
            .filter(|(_, p)| p.reachable())
            .max_by_key(|(_, p)| {
                (
                    p.cache.head().map_or(0, |b| b.height),
                    std::cmp::Reverse(p.name.clone()),
                )
            })
            .map(|(i, _)| i)
    }

    fn known_nodes(&self) -> Vec<KnownNode> {
        self.probes
            .iter()
            .filter_map(|p| {
                let info = p.identity.as_ref()?.node_info.as_ref()?;
                Some(KnownNode {
                    name: p.name.clone(),
                    id: info.id.clone(),
                    listen_address: info.listen_address.clone(),
                })
            })
            .collect()
    }

    fn observe_node(&mut self, i: usize, known: &[KnownNode], now: u64) -> NodeObservation {
        let links = links(
            &self.chain,
            &mut self.link_since,
            &self.probes[i],
            known,
            now,
        );
        let p = &self.probes[i];
        let identity = p.identity.clone().unwrap_or_default();
        let head = p.cache.head();
        let height = head.map_or(0, |b| b.height);
        let probe = p.last.as_ref().ok();
        let node = Node {
            chain: self.chain.clone(),
            id: p.name.clone(),
            identity: identity
                .node_info
                .as_ref()
                .map(|n| n.id.clone())
                .unwrap_or_default(),
            // The RPC does not say whether this node seals; the operator does.
            role: p.config.role.unwrap_or(NodeRole::Peer),
            endpoint: p.config.endpoint.clone().unwrap_or_default(),
            software: NodeSoftware {
                client: identity.client.clone(),
                version: identity.version.clone(),
                protocol: identity
                    .node_info
                    .as_ref()
                    .map(|n| n.protocols.join(","))
                    .unwrap_or_default(),
            },
            hardware: Default::default(),
            admin_state: p.config.admin_state,
            oper_state: OperState::Unknown,
            oper_changed: 0,
            log_spec: p.log_spec.clone(),
            unsupported: unsupported(p),
        };
        let blocks: Vec<_> = p.cache.blocks().collect();
        let (interval, tps) = rates(&blocks);
        let performance = NodePerformance {
            chain: self.chain.clone(),
            node: p.name.clone(),
            sampled_at: now,
            peer_count: probe.and_then(|r| r.peer_count),
            height,
            tx_pool_size: probe.and_then(|r| r.tx_pool),
            health: probe.and_then(|r| r.health.clone()),
            block_interval_ms: interval,
            tps,
            ..NodePerformance::default()
        };
        NodeObservation {
            node,
            reachable: p.reachable(),
            height,
            head_hash: head.map(|b| b.hash.clone()).unwrap_or_default(),
            recent_hashes: p.cache.hashes(),
            links,
            performance,
        }
    }
}

fn links(
    chain: &str,
    link_since: &mut HashMap<(String, String), u64>,
    p: &NodeProbe,
    known: &[KnownNode],
    now: u64,
) -> Vec<PeerLink> {
    let Ok(Some(list)) = p.last.as_ref().map(|r| r.peers.as_ref()) else {
        return Vec::new();
    };
    let ours = p
        .identity
        .as_ref()
        .and_then(|i| i.node_info.as_ref())
        .map_or("", |n| n.listen_address.as_str());
    let others: Vec<KnownNode> = known.iter().filter(|k| k.name != p.name).cloned().collect();
    list.iter()
        .map(|peer| {
            let since = *link_since
                .entry((p.name.clone(), peer.id.clone()))
                .or_insert(now);
            PeerLink {
                chain: chain.to_string(),
                local_node: p.name.clone(),
                // An unmanaged peer is named by its node id.
                remote_node: peers::match_peer(peer, &others)
                    .map_or_else(|| peer.id.clone(), |k| k.name.clone()),
                remote_address: peer.remote_address.clone(),
                direction: if peers::is_inbound(peer, ours, &others) {
                    LinkDirection::Inbound
                } else {
                    LinkDirection::Outbound
                },
                state: LinkState::Up,
                // admin_peers reports neither round-trip time nor traffic.
                // admin_peers gives neither.
                latency_ms: None,
                bytes_in: None,
                bytes_out: None,
                since,
            }
        })
        .collect()
}

/// Model attributes this node's client does not serve, as far as known.
fn unsupported(p: &NodeProbe) -> Vec<String> {
    let mut out = vec!["hardware"];
    if p.identity.as_ref().is_some_and(|i| i.node_info.is_none()) {
        out.extend(["identity", "protocol"]);
    }
    match p.peer_support() {
        (Some(false), Some(false)) => out.extend(["peers", "links"]),
        (Some(false), _) => out.push("links"),
        _ => {}
    }
    if p.txpool_supported() == Some(false) {
        out.push("txpool");
    }
    match p.engine {
        Some(Engine::Unknown | Engine::InstantSeal) => out.extend(["validators", "pending-votes"]),
        Some(Engine::CliqueExtraData) => out.push("pending-votes"),
        _ => {}
    }
    if p.log_spec_unsupported || p.client().eq_ignore_ascii_case("anvil") {
        out.push("log-spec");
    }
    out.into_iter().map(str::to_string).collect()
}

/// Mean block interval and transactions per second over the cached blocks.
fn rates(blocks: &[&blocks::BlockHeader]) -> (Option<f64>, Option<f64>) {
    let (Some(first), Some(last)) = (blocks.first(), blocks.last()) else {
        return (None, None);
    };
    let span = last.time.saturating_sub(first.time);
    if blocks.len() < 2 || span == 0 {
        return (None, None);
    }
    let interval = span as f64 / (blocks.len() - 1) as f64;
    let txs: u64 = blocks.iter().skip(1).map(|b| b.tx_count as u64).sum();
    (Some(interval), Some(txs as f64 * 1000.0 / span as f64))
}

fn to_block(chain: &str, b: &blocks::BlockHeader) -> Block {
    Block {
        chain: chain.to_string(),
        height: b.height,
        hash: b.hash.clone(),
        parent_hash: b.parent_hash.clone(),
        time: b.time,
        // Clique and anvil leave the coinbase empty; the sealer is only in
        // the seal signature, which is not recovered here.
        proposer: b.miner.clone(),
        tx_count: b.tx_count,
        size_bytes: b.size_bytes,
    }
}

impl EthereumAdapter {
    fn sync_events(&mut self, events: &mut Vec<ChainEvent>) {
        for p in &self.probes {
            let Ok(r) = &p.last else { continue };
            let now_syncing = r.syncing.is_some();
            let was = self.syncing.insert(p.name.clone(), now_syncing);
            if was.is_some_and(|w| w != now_syncing) {
                let message = match r.syncing {
                    Some((cur, high)) => {
                        format!("node {} is syncing: block {cur} of {high}", p.name)
                    }
                    None => format!("node {} finished syncing", p.name),
                };
                events.push(ChainEvent::new(
                    LogKind::Consensus,
                    LogLevel::Info,
                    format!("/chains/{}/nodes/{}", self.chain, p.name),
                    message,
                ));
            }
        }
    }
}

#[async_trait]
impl ChainAdapter for EthereumAdapter {
    fn platform(&self) -> Platform {
        Platform::Ethereum
    }

    fn capabilities(&self) -> Capabilities {
        Self::capabilities_static()
    }

    async fn collect(&mut self) -> Result<ChainObservation, AdapterError> {
        let window = self.window;
        let budget = self.rpc_timeout;
        futures::future::join_all(self.probes.iter_mut().map(|p| p.probe(window, budget))).await;
        let now = now_millis();
        let known = self.known_nodes();
        let nodes: Vec<NodeObservation> = (0..self.probes.len())
            .map(|i| self.observe_node(i, &known, now))
            .collect();
        let mut events = Vec::new();
        self.sync_events(&mut events);

        let best_index = self.best();
        let best = best_index.map(|i| &self.probes[i]);
        let blocks: Vec<Block> = best
            .map(|p| p.cache.blocks().map(|b| to_block(&self.chain, b)).collect())
            .unwrap_or_default();
        let head = blocks.last().cloned();
        let height = head.as_ref().map_or(0, |b| b.height);
        let engine = best.and_then(|p| p.engine).unwrap_or(Engine::Unknown);
        let probe = best.and_then(|p| p.last.as_ref().ok()).cloned();
        let identity = best.and_then(|p| p.identity.clone());

        let validators = probe.as_ref().and_then(|r| r.validators.clone());
        let consensus = (engine != Engine::Unknown).then(|| {
            let list = validators.clone().unwrap_or_default();
            let proposed = |a: &str| blocks.iter().filter(|b| b.proposer == a).count() as u64;
            Consensus {
                chain: self.chain.clone(),
                algorithm: engine.algorithm().to_string(),
                parameters: Vec::new(),
                height,
                round: None,
                leader: match engine {
                    Engine::Clique | Engine::CliqueExtraData => {
                        consensus::in_turn(&list, height + 1)
                            .cloned()
                            .unwrap_or_default()
                    }
                    _ => String::new(),
                },
                validators: list
                    .iter()
                    .map(|a| Validator {
                        id: a.clone(),
                        address: a.clone(),
                        voting_power: 1,
                        active: true,
                        proposed_blocks: proposed(a),
                        missed_rounds: 0,
                    })
                    .collect(),
                view_changes: 0,
                last_block_at: head.as_ref().map_or(0, |b| b.time),
                pending_votes: probe
                    .as_ref()
                    .and_then(|r| r.votes.clone())
                    .unwrap_or_default(),
            }
        });
        if let Some(list) = &validators
            && engine.has_signers()
        {
            let role = match engine {
                Engine::Clique | Engine::CliqueExtraData => "signer",
                _ => "validator",
            };
            crate::collect::members::update_members(
                &mut self.members,
                &self.chain,
                list,
                role,
                height,
                now,
            );
        }

        if let Some(rpc) = best_index.and_then(|i| self.probes[i].rpc()) {
            let budget = self.rpc_timeout / 2;
            match tokio::time::timeout(budget, self.contracts.collect(rpc, height)).await {
                Ok(Ok(state)) => self.contract_state = state,
                Ok(Err(e)) => events.push(ChainEvent::new(
                    LogKind::Contract,
                    LogLevel::Warning,
                    format!("/chains/{}", self.chain),
                    format!("contract monitoring: {e}"),
                )),
                Err(_) => events.push(ChainEvent::new(
                    LogKind::Contract,
                    LogLevel::Warning,
                    format!("/chains/{}", self.chain),
                    format!(
                        "contract monitoring: no answer within {} ms",
                        budget.as_millis()
                    ),
                )),
            }
        }

        if let Some(id) = &identity {
            self.last_chain = Some(ManagedChain {
                id: self.chain.clone(),
                name: self.name.clone(),
                platform: Platform::Ethereum,
                chain_id: id.chain_id.clone(),
                consensus_type: engine.consensus_type(),
                genesis_hash: id.genesis_hash.clone(),
                node_count: self.probes.len() as u32,
            });
        }
        let chain = self.last_chain.clone().unwrap_or_else(|| ManagedChain {
            id: self.chain.clone(),
            name: self.name.clone(),
            platform: Platform::Ethereum,
            chain_id: String::new(),
            consensus_type: ConsensusType::Unknown,
            genesis_hash: String::new(),
            node_count: self.probes.len() as u32,
        });
        for p in &self.probes {
            if let Err(reason) = &p.last
                && p.config.admin_state != AdminState::Down
            {
                tracing::debug!(chain = %self.chain, node = %p.name, "unreachable: {reason}");
            }
        }
        Ok(ChainObservation {
            chain,
            nodes,
            blocks: blocks.into_iter().map(Arc::new).collect(),
            target_block_interval_ms: None,
            max_block_transactions: None,
            members: self.members.values().cloned().collect(),
            consensus,
            contracts: self.contract_state.0.clone(),
            executions: self
                .contract_state
                .1
                .iter()
                .cloned()
                .map(Arc::new)
                .collect(),
            channels: Vec::new(),
            transfers: Vec::new(),
            events,
        })
    }

    async fn block_hash(
        &mut self,
        node: &str,
        height: u64,
    ) -> Result<Option<String>, AdapterError> {
        let p =
            self.probes
                .iter()
                .find(|p| p.name == node)
                .ok_or_else(|| AdapterError::Protocol {
                    endpoint: node.to_string(),
                    reason: "no such node".into(),
                })?;
        if let Some(b) = p.cache.get(height) {
            return Ok(Some(b.hash.clone()));
        }
        let rpc = p.rpc().ok_or_else(|| AdapterError::Unreachable {
            endpoint: node.to_string(),
            reason: "endpoint could not be set up".into(),
        })?;
        blocks::fetch_height(rpc, height)
            .await
            .map(|b| b.map(|b| b.hash))
            .map_err(|e| log_level::rpc_error(rpc, e))
    }

    async fn apply(&mut self, change: &AdapterChange) -> Result<(), AdapterError> {
        match change {
            AdapterChange::ValidatorVote { address, authorize } => {
                votes::apply(&self.probes, address, *authorize).await
            }
            AdapterChange::LogSpec { node, spec } => {
                let p = self
                    .probes
                    .iter_mut()
                    .find(|p| &p.name == node)
                    .ok_or_else(|| AdapterError::Rejected(format!("no node {node}")))?;
                let rpc = p.rpc().ok_or_else(|| AdapterError::Unreachable {
                    endpoint: node.clone(),
                    reason: "endpoint could not be set up".into(),
                })?;
                let client = node::client_name(rpc, p.client()).await?;
                match log_level::apply(rpc, &client, spec).await {
                    Ok(s) => {
                        p.log_spec = s;
                        Ok(())
                    }
                    Err(e) => {
                        if matches!(e, AdapterError::NotSupported(_)) {
                            p.log_spec_unsupported = true;
                        }
                        Err(e)
                    }
                }
            }
            AdapterChange::Contracts(c) => {
                self.contracts.configure(c);
                Ok(())
            }
            AdapterChange::ConsensusParameter { name, .. } => Err(AdapterError::NotSupported(
                format!("consensus parameter {name} (Ethereum clients fix them at genesis)"),
            )),
            AdapterChange::Channel { .. } | AdapterChange::ChannelRemoved { .. } => {
                Err(AdapterError::NotSupported("cross-chain channels".into()))
            }
            AdapterChange::Faults(_) => Err(AdapterError::NotSupported("fault injection".into())),
        }
    }
}
