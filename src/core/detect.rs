//! Fault detection: pure functions from the current state of a chain (or the
//! host) to the set of fault conditions that hold now. The alarm manager
//! turns the difference between successive sets into raise and clear.

use super::alarms::Condition;
use super::hysteresis::{Gate, above};
use crate::model::alarm::{AlarmType, Severity};
use crate::model::consensus::{ConsistencyReport, Verdict};
use crate::model::host::HostPerformance;
use crate::model::link::{LinkState, PeerLink};
use crate::model::node::{AdminState, Node, NodeRole, OperState};
use crate::model::performance::{NodePerformance, Thresholds};

/// Recent outcome of a cross-chain channel.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelOutcome {
    pub channel: String,
    /// Finished transfers considered (the most recent ones).
    pub finished: u32,
    pub timed_out: u32,
}

impl ChannelOutcome {
    pub fn timeout_percent(&self) -> f64 {
        if self.finished == 0 {
            0.0
        } else {
            100.0 * self.timed_out as f64 / self.finished as f64
        }
    }

    /// Whether more transfers time out than `threshold` percent allows.
    pub fn over(&self, threshold: f64) -> bool {
        self.finished > 0 && self.timeout_percent() > threshold
    }
}

/// Everything detection needs to know about one chain.
pub struct ChainFacts<'a> {
    pub chain: &'a str,
    pub nodes: &'a [Node],
    pub links: &'a [PeerLink],
    pub performance: &'a [NodePerformance],
    pub height: u64,
    pub seconds_since_block: u64,
    pub consistency: &'a ConsistencyReport,
    pub channels: &'a [ChannelOutcome],
    pub thresholds: &'a Thresholds,
    /// The consensus round the platform reports at the next height.
    pub round: Option<u64>,
    /// The platform's target block interval (the ledger's).
    pub target_block_interval_ms: Option<u64>,
}

impl ChainFacts<'_> {
    /// What the stall rules read (super::detect_stall).
    pub fn head(&self) -> super::detect_stall::Head<'_> {
        super::detect_stall::Head {
            chain: self.chain,
            height: self.height,
            ms_since_block: self.seconds_since_block.saturating_mul(1000),
            round: self.round,
            target_interval_ms: self.target_block_interval_ms,
        }
    }
}

pub fn node_resource(chain: &str, node: &str) -> String {
    format!("/chains/{chain}/nodes/{node}")
}

pub fn chain_conditions(f: &ChainFacts) -> Vec<Condition> {
    let mut out = Vec::new();
    let watched = |id: &str| {
        f.nodes
            .iter()
            .any(|n| n.id == id && n.admin_state == AdminState::Up)
    };
    let down = |id: &str| {
        f.nodes
            .iter()
            .any(|n| n.id == id && n.oper_state == OperState::Down)
    };
    let gated =
        |resource: String, alarm_type, severity, specific_problem: String, gate| Condition {
            text: format!(
                "{} on {resource}: {specific_problem}",
                alarm_type_label(alarm_type)
            ),
            resource,
            chain: f.chain.to_string(),
            alarm_type,
            severity,
            specific_problem,
            gate,
        };
    let cond = |resource, alarm_type, severity, specific_problem| {
        gated(
            resource,
            alarm_type,
            severity,
            specific_problem,
            Gate::Immediate,
        )
    };
    let hold_off = Gate::HoldOff {
        raise_ms: 0,
        clear_ms: f.thresholds.hold_off_seconds.saturating_mul(1000),
    };
    for n in f
        .nodes
        .iter()
        .filter(|n| n.admin_state == AdminState::Up && n.oper_state == OperState::Down)
    {
        let severity = if n.role == NodeRole::Validator {
            Severity::Critical
        } else {
            Severity::Major
        };
        out.push(cond(
            node_resource(f.chain, &n.id),
            AlarmType::NodeUnreachable,
            severity,
            format!(
                "{} {} does not answer at {}",
                role_label(n.role),
                n.id,
                n.endpoint
            ),
        ));
    }
    for l in f
        .links
        .iter()
        .filter(|l| watched(&l.local_node) && !down(&l.local_node))
    {
        // A link to a node that is down, or that the operator took out of
        // service, is a consequence, not a fault of its own.
        let retired = f
            .nodes
            .iter()
            .any(|n| n.id == l.remote_node && n.admin_state == AdminState::Down);
        if down(&l.remote_node) || retired {
            continue;
        }
        let res = format!(
            "{}/links/{}",
            node_resource(f.chain, &l.local_node),
            l.remote_node
        );
        if l.state == LinkState::Down {
            out.push(cond(
                res,
                AlarmType::LinkDown,
                Severity::Major,
                format!("link {} -> {} is down", l.local_node, l.remote_node),
            ));
        } else if let Some((latency, gate)) = l.latency_ms.and_then(|ms| {
            above(
                ms,
                f.thresholds.link_latency_ms,
                f.thresholds.link_latency_hysteresis_ms,
            )
            .map(|g| (ms, g))
        }) {
            // An unmeasured latency (None) raises nothing.
            out.push(gated(
                res,
                AlarmType::LinkDegraded,
                Severity::Minor,
                format!(
                    "latency {:.0} ms above {:.0} ms",
                    latency, f.thresholds.link_latency_ms
                ),
                gate,
            ));
        }
    }
    for p in f
        .performance
        .iter()
        .filter(|p| watched(&p.node) && !down(&p.node))
    {
        let res = node_resource(f.chain, &p.node);
        let t = &p.thresholds;
        if let Some(gate) = above(
            p.sync_lag as f64,
            t.sync_lag_blocks as f64,
            t.sync_lag_hysteresis_blocks as f64,
        ) {
            out.push(gated(
                res.clone(),
                AlarmType::SyncLag,
                Severity::Major,
                format!(
                    "{} blocks behind, threshold {}",
                    p.sync_lag, t.sync_lag_blocks
                ),
                gate,
            ));
        }
        if let Some((cpu, gate)) = p
            .cpu_percent
            .and_then(|c| above(c, t.cpu_percent, t.cpu_hysteresis_percent).map(|g| (c, g)))
        {
            out.push(gated(
                res.clone(),
                AlarmType::CpuHigh,
                Severity::Major,
                format!("CPU {cpu:.1}% above {:.1}%", t.cpu_percent),
                gate,
            ));
        }
        out.extend(super::detect_peers::peer_count_low(f.chain, p));
        out.extend(super::detect_certs::expiring(f.chain, p));
        if let Some(pool) = p.tx_pool_size.filter(|n| *n > t.tx_pool_max) {
            out.push(gated(
                res.clone(),
                AlarmType::TxPoolSaturated,
                Severity::Minor,
                format!("{pool} transactions in the pool above {}", t.tx_pool_max),
                Gate::HoldOff {
                    raise_ms: t.hold_off_seconds.saturating_mul(1000),
                    clear_ms: t.hold_off_seconds.saturating_mul(1000),
                },
            ));
        }
        if let Some((mem, gate)) = p
            .memory_percent
            .and_then(|m| above(m, t.memory_percent, t.memory_hysteresis_percent).map(|g| (m, g)))
        {
            out.push(gated(
                res,
                AlarmType::MemoryHigh,
                Severity::Major,
                format!("memory {mem:.1}% above {:.1}%", t.memory_percent),
                gate,
            ));
        }
    }
    out.extend(super::detect_stall::stall_condition(
        &f.head(),
        f.thresholds,
    ));
    if f.consistency.verdict == Verdict::Forked {
        out.push(cond(
            format!("/chains/{}/ledger", f.chain),
            AlarmType::ForkDetected,
            Severity::Critical,
            fork_problem(f.consistency),
        ));
    }
    for c in f.channels {
        if c.over(f.thresholds.xchain_timeout_percent) {
            out.push(gated(
                format!("/chains/{}/channels/{}", f.chain, c.channel),
                AlarmType::CrossChainTimeout,
                Severity::Major,
                format!(
                    "{} of the last {} transfers timed out ({:.0}% above {:.0}%)",
                    c.timed_out,
                    c.finished,
                    c.timeout_percent(),
                    f.thresholds.xchain_timeout_percent
                ),
                hold_off,
            ));
        }
    }
    out.extend(super::detect_health::node_degraded(f));
    out
}

/// "[a,b] vs [x]": the nodes on each branch of a report.
pub fn branches_text(r: &ConsistencyReport) -> String {
    (0..r.branch_count)
        .map(|b| {
            let members: Vec<&str> = r
                .nodes
                .iter()
                .filter(|n| n.branch == b)
                .map(|n| n.node.as_str())
                .collect();
            format!("[{}]", members.join(","))
        })
        .collect::<Vec<_>>()
        .join(" vs ")
}

/// The location of a fork: which nodes are on which branch, from which
/// height, over how many blocks. The alarm's resource is the ledger, one
/// alarm per chain; its text changes (and the alarm is updated) as the
/// branches grow, and it clears when the nodes agree again.
fn fork_problem(r: &ConsistencyReport) -> String {
    let branches = branches_text(r);
    match r.first_divergent_height {
        Some(h) => format!(
            "branches {branches} diverge at height {h} (split length {})",
            r.split_length
        ),
        None => format!("branches {branches} differ at height {}", r.common_height),
    }
}

pub fn host_conditions(p: &HostPerformance, t: &Thresholds) -> Vec<Condition> {
    let mut out = Vec::new();
    let mk = |alarm_type, problem: String, gate| Condition {
        gate,
        resource: "/host".into(),
        chain: String::new(),
        alarm_type,
        severity: Severity::Major,
        text: format!(
            "{} on the agent host: {problem}",
            alarm_type_label(alarm_type)
        ),
        specific_problem: problem,
    };
    if let Some(gate) = above(p.cpu_percent, t.cpu_percent, t.cpu_hysteresis_percent) {
        out.push(mk(
            AlarmType::CpuHigh,
            format!("CPU {:.1}% above {:.1}%", p.cpu_percent, t.cpu_percent),
            gate,
        ));
    }
    if let Some(gate) = above(
        p.memory_percent,
        t.memory_percent,
        t.memory_hysteresis_percent,
    ) {
        out.push(mk(
            AlarmType::MemoryHigh,
            format!(
                "memory {:.1}% above {:.1}%",
                p.memory_percent, t.memory_percent
            ),
            gate,
        ));
    }
    out
}

fn role_label(r: NodeRole) -> &'static str {
    match r {
        NodeRole::Validator => "validator",
        NodeRole::Observer => "observer",
        NodeRole::Peer => "peer",
        NodeRole::Orderer => "orderer",
        NodeRole::Miner => "miner",
    }
}

fn alarm_type_label(t: AlarmType) -> &'static str {
    t.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::consensus::NodeHead;
    use crate::model::link::LinkDirection;
    use crate::model::node::{NodeHardware, NodeSoftware};

    fn node(id: &str, oper: OperState, admin: AdminState) -> Node {
        Node {
            chain: "c".into(),
            id: id.into(),
            identity: id.into(),
            role: NodeRole::Validator,
            endpoint: "e".into(),
            software: NodeSoftware::default(),
            hardware: NodeHardware::default(),
            admin_state: admin,
            oper_state: oper,
            oper_changed: 0,
            log_spec: String::new(),
            unsupported: Vec::new(),
        }
    }

    fn link(a: &str, b: &str, state: LinkState, latency: f64) -> PeerLink {
        PeerLink {
            chain: "c".into(),
            local_node: a.into(),
            remote_node: b.into(),
            remote_address: String::new(),
            direction: LinkDirection::Outbound,
            state,
            latency_ms: Some(latency),
            bytes_in: None,
            bytes_out: None,
            since: 0,
        }
    }

    fn report(verdict: Verdict) -> ConsistencyReport {
        let head = |n: &str, b| NodeHead {
            node: n.into(),
            height: 9,
            head_hash: String::new(),
            hash_at_common: String::new(),
            lag: 0,
            branch: b,
        };
        ConsistencyReport {
            chain: "c".into(),
            checked_at: 0,
            nodes: vec![head("a", 0), head("b", 1)],
            common_height: 9,
            first_divergent_height: Some(7),
            max_lag: 0,
            branch_count: if verdict == Verdict::Forked { 2 } else { 1 },
            verdict,
            split_length: 0,
        }
    }

    fn types(f: &ChainFacts) -> Vec<(String, AlarmType)> {
        chain_conditions(f)
            .into_iter()
            .map(|c| (c.resource, c.alarm_type))
            .collect()
    }

    #[test]
    fn each_fault_maps_to_its_alarm_and_consequences_are_suppressed() {
        let t = Thresholds::default();
        let nodes = [
            node("a", OperState::Up, AdminState::Up),
            node("b", OperState::Down, AdminState::Up),
            node("m", OperState::Up, AdminState::Maintenance),
        ];
        let links = [
            link("a", "b", LinkState::Down, 1.0),
            link("a", "m", LinkState::Up, 900.0),
        ];
        let perf = [
            NodePerformance {
                chain: "c".into(),
                node: "a".into(),
                cpu_percent: Some(95.0),
                memory_percent: Some(10.0),
                sync_lag: 9,
                thresholds: t.clone(),
                ..Default::default()
            },
            NodePerformance {
                chain: "c".into(),
                node: "m".into(),
                cpu_percent: Some(99.0),
                thresholds: t.clone(),
                ..Default::default()
            },
        ];
        let rep = report(Verdict::Forked);
        let ch = [ChannelOutcome {
            channel: "x".into(),
            finished: 10,
            timed_out: 6,
        }];
        let f = ChainFacts {
            chain: "c",
            nodes: &nodes,
            links: &links,
            performance: &perf,
            height: 9,
            seconds_since_block: 99,
            consistency: &rep,
            channels: &ch,
            thresholds: &t,
            round: Some(2),
            target_block_interval_ms: None,
        };
        let got = types(&f);
        let want = [
            ("/chains/c/nodes/b", AlarmType::NodeUnreachable),
            ("/chains/c/nodes/a/links/m", AlarmType::LinkDegraded),
            ("/chains/c/nodes/a", AlarmType::SyncLag),
            ("/chains/c/nodes/a", AlarmType::CpuHigh),
            ("/chains/c/consensus", AlarmType::ConsensusStalled),
            ("/chains/c/ledger", AlarmType::ForkDetected),
            ("/chains/c/channels/x", AlarmType::CrossChainTimeout),
        ];
        let want: Vec<_> = want.iter().map(|(r, t)| (r.to_string(), *t)).collect();
        assert_eq!(
            got, want,
            "the link to down node b and node m in maintenance raise nothing"
        );
        assert!(chain_conditions(&f).iter().any(|c| {
            c.specific_problem
                .contains("[a] vs [b] diverge at height 7")
        }));
    }

    /// tx-pool-saturated: a pool over the threshold is a condition with a
    /// hold-off both ways, naming the size and the threshold; a pool the
    /// platform does not report raises nothing.
    #[test]
    fn a_saturated_pool_is_held_off_and_an_unknown_one_raises_nothing() {
        let t = Thresholds::default();
        let nodes = [node("a", OperState::Up, AdminState::Up)];
        let rep = report(Verdict::Consistent);
        let perf = |pool| {
            [NodePerformance {
                chain: "c".into(),
                node: "a".into(),
                tx_pool_size: pool,
                thresholds: t.clone(),
                ..Default::default()
            }]
        };
        let full = perf(Some(t.tx_pool_max + 1));
        let mut f = facts_with(&rep, &nodes, &t);
        f.performance = &full;
        let c = chain_conditions(&f);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alarm_type, AlarmType::TxPoolSaturated);
        assert_eq!(c[0].resource, "/chains/c/nodes/a");
        assert_eq!(
            c[0].specific_problem,
            "5001 transactions in the pool above 5000"
        );
        assert_eq!(
            c[0].gate,
            Gate::HoldOff {
                raise_ms: 10_000,
                clear_ms: 10_000
            }
        );
        for pool in [Some(t.tx_pool_max), None] {
            let p = perf(pool);
            let mut f = facts_with(&rep, &nodes, &t);
            f.performance = &p;
            assert!(chain_conditions(&f).is_empty(), "{pool:?}");
        }
    }

    #[test]
    fn healthy_chain_has_no_conditions() {
        let t = Thresholds::default();
        let nodes = [node("a", OperState::Up, AdminState::Up)];
        let links = [link("a", "b", LinkState::Up, 10.0)];
        let rep = report(Verdict::Consistent);
        let ch = [ChannelOutcome {
            channel: "x".into(),
            finished: 10,
            timed_out: 1,
        }];
        let f = ChainFacts {
            chain: "c",
            nodes: &nodes,
            links: &links,
            performance: &[],
            height: 9,
            seconds_since_block: 1,
            consistency: &rep,
            channels: &ch,
            thresholds: &t,
            round: None,
            target_block_interval_ms: None,
        };
        assert!(chain_conditions(&f).is_empty());
    }

    fn facts_with<'a>(
        rep: &'a ConsistencyReport,
        nodes: &'a [Node],
        t: &'a Thresholds,
    ) -> ChainFacts<'a> {
        ChainFacts {
            chain: "c",
            nodes,
            links: &[],
            performance: &[],
            height: 9,
            seconds_since_block: 1,
            consistency: rep,
            channels: &[],
            thresholds: t,
            round: None,
            target_block_interval_ms: None,
        }
    }

    #[test]
    fn a_reorganisation_raises_nothing_and_a_fork_names_its_location() {
        let t = Thresholds::default();
        let nodes = [node("a", OperState::Up, AdminState::Up)];
        let mut rep = report(Verdict::Reorganising);
        rep.branch_count = 2;
        rep.split_length = 2;
        assert!(chain_conditions(&facts_with(&rep, &nodes, &t)).is_empty());
        rep.verdict = Verdict::Forked;
        rep.split_length = 8;
        let c = chain_conditions(&facts_with(&rep, &nodes, &t));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].resource, "/chains/c/ledger");
        assert_eq!(
            c[0].specific_problem,
            "branches [a] vs [b] diverge at height 7 (split length 8)"
        );
        assert!(c[0].text.contains("diverge at height 7"));
        // Agreement again: the condition is gone, so the alarm clears.
        rep.verdict = Verdict::Consistent;
        rep.branch_count = 1;
        assert!(chain_conditions(&facts_with(&rep, &nodes, &t)).is_empty());
    }
}
