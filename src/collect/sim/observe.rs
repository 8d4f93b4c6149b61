//! Rendering the simulated chain as an observation, as an adapter would
//! after querying each node's RPC.

use super::chain::SimChain;
use crate::collect::observation::{ChainObservation, NodeObservation};
use crate::model::chain::{ConsensusType, ManagedChain, Platform};
use crate::model::consensus::{Consensus, ConsensusParameter, Validator};
use crate::model::link::{LinkDirection, LinkState, PeerLink};
use crate::model::node::{AdminState, Node, NodeHardware, NodeSoftware, OperState};
use crate::model::performance::{NodeHealth, NodePerformance};

/// Blocks of history each node reports for consistency analysis.
const HASH_WINDOW: u64 = 64;
/// Canonical blocks reported per collection after the first, which
/// reports every kept block; the engine accumulates them.
const BLOCKS: usize = 256;
/// A simulated node's disk, which holds its data filesystem.
const DATA_FS_BYTES: u64 = 500 << 30;

pub fn observe(c: &mut SimChain) -> ChainObservation {
    let interval = c.params.block_interval_ms;
    let nodes = (0..c.nodes.len()).map(|i| node(c, i)).collect();
    let count = if c.reported.is_none() {
        c.blocks.len()
    } else {
        BLOCKS
    };
    c.reported = c.blocks.back().map(|b| b.height);
    let skip = c.blocks.len().saturating_sub(count);
    let blocks = c.blocks.iter().skip(skip).map(|b| b.block.clone());
    ChainObservation {
        chain: ManagedChain {
            id: c.chain.clone(),
            name: String::new(),
            platform: Platform::Simulated,
            chain_id: format!("sim-{}", c.seed),
            consensus_type: ConsensusType::Bft,
            genesis_hash: c.genesis_hash.clone(),
            node_count: c.nodes.len() as u32,
        },
        nodes,
        blocks: blocks.collect(),
        target_block_interval_ms: Some(interval),
        max_block_transactions: Some(c.params.max_block_transactions),
        members: c.business.members.clone(),
        consensus: Some(consensus(c)),
        contracts: c.business.contracts.clone(),
        executions: c.business.executions.iter().cloned().collect(),
        channels: c.business.channels.values().cloned().collect(),
        transfers: c.business.transfers.iter().cloned().collect(),
        events: std::mem::take(&mut c.events),
    }
}

/// What the simulated nodes do not model: they have no log configuration
/// of their own and take no validator votes.
const SIM_UNSUPPORTED: [&str; 2] = ["log-spec", "pending-votes"];

fn consensus(c: &SimChain) -> Consensus {
    let p = &c.params;
    let param = |name: &str, value: u64, unit: &str| ConsensusParameter {
        name: name.into(),
        value: value.to_string(),
        unit: unit.into(),
        settable: true,
    };
    let leader = c.leader();
    Consensus {
        chain: c.chain.clone(),
        algorithm: "sim-bft (PBFT-style, round-robin leader)".into(),
        parameters: vec![
            param("block-interval-ms", p.block_interval_ms, "ms"),
            param("round-timeout-ms", p.round_timeout_ms, "ms"),
            param(
                "max-block-transactions",
                p.max_block_transactions,
                "transactions",
            ),
        ],
        height: c.tip().height,
        round: Some(c.round),
        leader: c.nodes[leader].id.clone(),
        validators: c
            .validators()
            .into_iter()
            .map(|i| {
                let n = &c.nodes[i];
                Validator {
                    id: n.id.clone(),
                    address: n.identity.clone(),
                    voting_power: 1,
                    active: !c.faults.stopped(&n.id) && !c.faults.forked(&n.id),
                    proposed_blocks: n.proposed,
                    missed_rounds: n.missed,
                }
            })
            .collect(),
        view_changes: c.view_changes,
        last_block_at: c.tip().time,
        pending_votes: Vec::new(),
    }
}

/// Deterministic base latency of a pair, 4 to 40 ms.
fn base_latency(a: usize, b: usize) -> f64 {
    let (lo, hi) = (a.min(b), a.max(b));
    4.0 + ((lo * 7 + hi * 13) % 37) as f64
}

fn node(c: &mut SimChain, i: usize) -> NodeObservation {
    let n = c.nodes[i].clone();
    let up = !c.faults.stopped(&n.id);
    let links: Vec<PeerLink> = if up {
        (0..c.nodes.len())
            .filter(|&j| j != i)
            .map(|j| {
                let peer = &c.nodes[j];
                // A forked node stays connected; it only disagrees about blocks.
                let cut = c.faults.link_cut(&n.id, &peer.id) || c.faults.stopped(&peer.id);
                PeerLink {
                    chain: c.chain.clone(),
                    local_node: n.id.clone(),
                    remote_node: peer.id.clone(),
                    remote_address: format!("10.0.0.{}:30303", j + 1),
                    direction: if i < j {
                        LinkDirection::Outbound
                    } else {
                        LinkDirection::Inbound
                    },
                    state: if cut { LinkState::Down } else { LinkState::Up },
                    latency_ms: Some(
                        base_latency(i, j)
                            + c.faults.extra_latency(&n.id, &peer.id)
                            + c.rng.range_f(0.0, 3.0),
                    ),
                    bytes_in: Some(n.bytes_in / (c.nodes.len() as u64 - 1)),
                    bytes_out: Some(n.bytes_out / (c.nodes.len() as u64 - 1)),
                    since: n.state_since,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let recent = c.blocks.iter().rev().take(10).collect::<Vec<_>>();
    let span = recent
        .first()
        .zip(recent.last())
        .map(|(a, b)| a.time.saturating_sub(b.time))
        .unwrap_or(0);
    let txs: u64 = recent
        .iter()
        .take(recent.len().saturating_sub(1))
        .map(|b| b.tx_count as u64)
        .sum();
    let cpu = c
        .faults
        .cpu(&n.id)
        .unwrap_or_else(|| (n.cpu_base + c.rng.range_f(-3.0, 3.0)).clamp(0.0, 100.0));
    let mem = c
        .faults
        .memory(&n.id)
        .unwrap_or_else(|| (n.memory_base + n.tip() as f64 * 0.001).min(70.0));
    let memory_total = 8u64 << 30;
    let performance = NodePerformance {
        chain: c.chain.clone(),
        node: n.id.clone(),
        sampled_at: c.clock,
        cpu_percent: Some(cpu),
        memory_percent: Some(mem),
        memory_used_bytes: Some((memory_total as f64 * mem / 100.0) as u64),
        disk_used_bytes: Some(n.tip() * 2_400 + 50_000_000),
        // A data filesystem of the node's disk holding its chain data, or
        // held at the share a disk-fill gives.
        data_fs_size_bytes: Some(DATA_FS_BYTES),
        data_fs_free_bytes: Some(match c.faults.disk_used(&n.id) {
            Some(used) => (DATA_FS_BYTES as f64 * (100.0 - used) / 100.0) as u64,
            None => DATA_FS_BYTES.saturating_sub(n.tip() * 2_400 + 50_000_000),
        }),
        net_in_bytes_per_sec: Some(if up {
            c.rng.range_f(2_000.0, 9_000.0)
        } else {
            0.0
        }),
        net_out_bytes_per_sec: Some(if up {
            c.rng.range_f(2_000.0, 9_000.0)
        } else {
            0.0
        }),
        peer_count: Some(
            c.faults
                .peers(&n.id)
                .unwrap_or(links.iter().filter(|l| l.state == LinkState::Up).count() as u64),
        ),
        height: n.tip(),
        sync_lag: 0,
        // Drawn even under a tx-flood, so a fault leaves the rest of the
        // seeded sequence as it was.
        tx_pool_size: Some({
            let drawn = c.rng.below(c.params.max_block_transactions + 1);
            c.faults.tx_pool(&n.id).unwrap_or(drawn)
        }),
        block_interval_ms: (recent.len() > 1).then(|| span as f64 / (recent.len() - 1) as f64),
        tps: (span > 0).then(|| txs as f64 * 1000.0 / span as f64),
        thresholds: Default::default(),
        // A simulated endpoint is not TLS: a certificate only under a
        // cert-expiry fault.
        certificate_days_left: c.faults.cert_days(&n.id),
        certificate_not_after: c.faults.cert_days(&n.id).map(|d| {
            c.clock
                .saturating_add_signed(i64::from(d).saturating_mul(86_400_000))
        }),
        certificate_endpoint: c
            .faults
            .cert_days(&n.id)
            .map(|_| format!("sim://{}/{}", c.chain, n.id)),
        health: Some(if c.faults.degraded(&n.id) {
            NodeHealth::unhealthy("simulated health check failed (degrade-node fault)".into())
        } else {
            NodeHealth::healthy()
        }),
        // No process: a simulated node's figures are all above.
        ..Default::default()
    };
    let top = n.tip();
    NodeObservation {
        node: Node {
            chain: c.chain.clone(),
            id: n.id.clone(),
            identity: n.identity.clone(),
            role: n.role,
            endpoint: format!("sim://{}/{}", c.chain, n.id),
            software: NodeSoftware {
                client: "chain-agent-sim".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                protocol: "sim-bft/1".into(),
            },
            hardware: NodeHardware {
                host: format!("sim-host-{}", i + 1),
                os: "Linux (simulated)".into(),
                arch: "x86_64".into(),
                cpu_cores: Some(4),
                memory_bytes: Some(memory_total),
                disk_bytes: Some(DATA_FS_BYTES),
            },
            admin_state: AdminState::Up,
            oper_state: if up { OperState::Up } else { OperState::Down },
            oper_changed: 0,
            log_spec: String::new(),
            unsupported: SIM_UNSUPPORTED.iter().map(|s| s.to_string()).collect(),
        },
        reachable: up,
        height: top,
        head_hash: c.hash_at(i, top).unwrap_or_default(),
        recent_hashes: c.recent_hashes(i, HASH_WINDOW),
        links,
        performance,
    }
}
