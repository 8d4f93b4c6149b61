//! Nodes and links of the simulated network, and who can still talk to whom.

use crate::config::{FaultConfig, FaultKind};
use crate::model::node::NodeRole;

#[derive(Debug, Clone)]
pub struct SimNode {
    pub id: String,
    pub identity: String,
    pub role: NodeRole,
    /// Height of the canonical chain this node has imported.
    pub height: u64,
    /// Own blocks sealed while forked: (height, hash), ascending.
    pub branch: Vec<(u64, String)>,
    pub cpu_base: f64,
    pub memory_base: f64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub proposed: u64,
    pub missed: u64,
    pub state_since: u64,
}

impl SimNode {
    pub fn tip(&self) -> u64 {
        self.branch.last().map_or(self.height, |b| b.0)
    }
}

/// The faults in force, resolved against node names for quick questions.
#[derive(Debug, Clone, Default)]
pub struct FaultSet(pub Vec<FaultConfig>);

impl FaultSet {
    fn has(&self, kind: FaultKind, node: &str) -> bool {
        self.0
            .iter()
            .any(|f| f.kind == kind && f.node.as_deref() == Some(node))
    }
    pub fn stopped(&self, node: &str) -> bool {
        self.has(FaultKind::StopNode, node)
    }
    pub fn forked(&self, node: &str) -> bool {
        self.has(FaultKind::ForkNode, node)
    }
    pub fn lagging(&self, node: &str) -> bool {
        self.has(FaultKind::LagNode, node)
    }
    pub fn stalled(&self) -> bool {
        self.0.iter().any(|f| f.kind == FaultKind::StallConsensus)
    }
    /// The days left of the certificate a `cert-expiry` fault gives the
    /// node's endpoint.
    pub fn cert_days(&self, node: &str) -> Option<i32> {
        self.value(FaultKind::CertExpiry, node).map(|v| v as i32)
    }
    /// Whether a `refuse-config` fault makes the platform refuse pushes.
    pub fn refuses_config(&self) -> bool {
        self.0.iter().any(|f| f.kind == FaultKind::RefuseConfig)
    }
    pub fn relay_down(&self, channel: &str) -> bool {
        self.0
            .iter()
            .any(|f| f.kind == FaultKind::RelayDown && f.channel.as_deref() == Some(channel))
    }
    fn value(&self, kind: FaultKind, node: &str) -> Option<f64> {
        self.0
            .iter()
            .find(|f| f.kind == kind && f.node.as_deref() == Some(node))
            .and_then(|f| f.value)
    }
    pub fn cpu(&self, node: &str) -> Option<f64> {
        self.value(FaultKind::CpuLoad, node)
    }
    pub fn memory(&self, node: &str) -> Option<f64> {
        self.value(FaultKind::MemoryLoad, node)
    }
    /// The peer count a `peer-loss` holds the node at.
    pub fn peers(&self, node: &str) -> Option<u64> {
        self.value(FaultKind::PeerLoss, node).map(|v| v as u64)
    }
    /// Whether a `halt-blocks` keeps the producers from proposing.
    pub fn halted(&self) -> bool {
        self.0.iter().any(|f| f.kind == FaultKind::HaltBlocks)
    }
    /// Whether a `degrade-node` fault fails the node's health report.
    pub fn degraded(&self, node: &str) -> bool {
        self.has(FaultKind::DegradeNode, node)
    }
    fn on_channel(&self, kind: FaultKind, channel: &str) -> Option<f64> {
        self.0
            .iter()
            .find(|f| f.kind == kind && f.channel.as_deref() == Some(channel))
            .and_then(|f| f.value)
    }
    /// Seconds a `relay-stall` has the channel's oldest packet waiting.
    pub fn relay_stall(&self, channel: &str) -> Option<u64> {
        self.on_channel(FaultKind::RelayStall, channel)
            .map(|v| v as u64)
    }
    /// Hours a `client-expiry` leaves the channel's light client.
    pub fn client_expiry(&self, channel: &str) -> Option<f64> {
        self.on_channel(FaultKind::ClientExpiry, channel)
    }
    /// The pool size a `tx-flood` holds the node's pool at.
    pub fn tx_pool(&self, node: &str) -> Option<u64> {
        self.value(FaultKind::TxFlood, node).map(|v| v as u64)
    }
    /// The percent of contract calls a `contract-fail` makes fail.
    pub fn contract_failures(&self) -> Option<f64> {
        self.0
            .iter()
            .find(|f| f.kind == FaultKind::ContractFail)
            .and_then(|f| f.value)
    }
    /// The percent of the node's data filesystem a `disk-fill` holds used.
    pub fn disk_used(&self, node: &str) -> Option<f64> {
        self.value(FaultKind::DiskFill, node)
    }
    fn on_link(&self, kind: FaultKind, a: &str, b: &str) -> Option<&FaultConfig> {
        self.0.iter().find(|f| {
            f.kind == kind
                && matches!((f.node.as_deref(), f.peer.as_deref()), (Some(x), Some(y)) if (x == a && y == b) || (x == b && y == a))
        })
    }
    pub fn link_cut(&self, a: &str, b: &str) -> bool {
        self.on_link(FaultKind::CutLink, a, b).is_some()
    }
    pub fn extra_latency(&self, a: &str, b: &str) -> f64 {
        self.on_link(FaultKind::SlowLink, a, b)
            .and_then(|f| f.value)
            .unwrap_or(0.0)
    }
}

/// Nodes that can reach each other over working links, starting from the
/// largest group: the part of the network that carries consensus.
pub fn main_component(nodes: &[SimNode], faults: &FaultSet) -> Vec<bool> {
    let alive: Vec<bool> = nodes
        .iter()
        .map(|n| !faults.stopped(&n.id) && !faults.forked(&n.id))
        .collect();
    let mut best: Vec<bool> = vec![false; nodes.len()];
    let mut seen = vec![false; nodes.len()];
    for start in 0..nodes.len() {
        if seen[start] || !alive[start] {
            continue;
        }
        let mut comp = vec![false; nodes.len()];
        let mut stack = vec![start];
        while let Some(i) = stack.pop() {
            if seen[i] {
                continue;
            }
            seen[i] = true;
            comp[i] = true;
            for j in 0..nodes.len() {
                if !seen[j] && alive[j] && !faults.link_cut(&nodes[i].id, &nodes[j].id) {
                    stack.push(j);
                }
            }
        }
        let weight = |c: &[bool]| {
            c.iter()
                .zip(nodes)
                .filter(|(m, n)| **m && n.role == NodeRole::Validator)
                .count()
                * 100
                + c.iter().filter(|m| **m).count()
        };
        if weight(&comp) > weight(&best) {
            best = comp;
        }
    }
    best
}
