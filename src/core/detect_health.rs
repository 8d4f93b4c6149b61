//! node-degraded: a node that answers but whose own health report says it
//! cannot do its work: Fabric's `/healthz` 503 with its failed checks,
//! CometBFT still catching up, an Ethereum sync that makes no progress.
//! The adapters turn each platform's report into the node's `health`
//! (model::performance::NodeHealth); this file only decides the alarm.
//! Health reports flip with a node's load and its sync, so the alarm has a
//! hold-off both ways (`node-degraded-hold-off-seconds`).

use super::alarms::Condition;
use super::detect::{ChainFacts, node_resource};
use super::hysteresis::Gate;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::node::AdminState;

/// One condition per watched node whose health report is bad now; a node
/// whose platform gives no report (`health` absent) raises nothing.
pub fn node_degraded(f: &ChainFacts) -> Vec<Condition> {
    f.performance
        .iter()
        .filter(|p| {
            f.nodes
                .iter()
                .any(|n| n.id == p.node && n.admin_state == AdminState::Up)
        })
        .filter_map(|p| {
            let h = p.health.as_ref().filter(|h| !h.healthy)?;
            let hold_off = p.thresholds.node_degraded_hold_off_seconds;
            let resource = node_resource(f.chain, &p.node);
            let specific_problem =
                format!("{}, for at least the hold-off of {hold_off} s", h.problem);
            Some(Condition {
                text: format!(
                    "{} on {resource}: {specific_problem}",
                    AlarmType::NodeDegraded.as_str()
                ),
                resource,
                chain: f.chain.to_string(),
                alarm_type: AlarmType::NodeDegraded,
                severity: Severity::Major,
                specific_problem,
                gate: Gate::HoldOff {
                    raise_ms: hold_off.saturating_mul(1000),
                    clear_ms: hold_off.saturating_mul(1000),
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;
    use crate::model::consensus::{ConsistencyReport, Verdict};
    use crate::model::node::{Node, NodeRole, OperState};
    use crate::model::performance::{NodeHealth, NodePerformance, Thresholds};

    fn node(admin: AdminState) -> Node {
        Node {
            chain: "c".into(),
            id: "a".into(),
            identity: String::new(),
            role: NodeRole::Peer,
            endpoint: "e".into(),
            software: Default::default(),
            hardware: Default::default(),
            admin_state: admin,
            oper_state: OperState::Up,
            oper_changed: 0,
            log_spec: String::new(),
            unsupported: Vec::new(),
        }
    }

    fn report() -> ConsistencyReport {
        ConsistencyReport {
            chain: "c".into(),
            checked_at: 0,
            nodes: vec![],
            common_height: 0,
            first_divergent_height: None,
            split_length: 0,
            max_lag: 0,
            branch_count: 1,
            verdict: Verdict::Consistent,
        }
    }

    fn conditions(health: Option<NodeHealth>, admin: AdminState, hold_off: u64) -> Vec<Condition> {
        let thresholds = Thresholds {
            node_degraded_hold_off_seconds: hold_off,
            ..Default::default()
        };
        let perf = [NodePerformance {
            chain: "c".into(),
            node: "a".into(),
            health,
            thresholds: thresholds.clone(),
            ..Default::default()
        }];
        let nodes = [node(admin)];
        let rep = report();
        node_degraded(&ChainFacts {
            chain: "c",
            nodes: &nodes,
            links: &[],
            performance: &perf,
            height: 1,
            seconds_since_block: 0,
            consistency: &rep,
            channels: &[],
            thresholds: &thresholds,
            round: None,
            target_block_interval_ms: None,
        })
    }

    fn bad() -> Option<NodeHealth> {
        Some(NodeHealth::unhealthy(
            "/healthz failed checks: couchdb: no such host".into(),
        ))
    }

    #[test]
    fn a_bad_report_names_itself_and_the_hold_off() {
        let c = conditions(bad(), AdminState::Up, 30);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].alarm_type, AlarmType::NodeDegraded);
        assert_eq!(c[0].resource, "/chains/c/nodes/a");
        assert_eq!(c[0].severity, Severity::Major);
        assert_eq!(
            c[0].specific_problem,
            "/healthz failed checks: couchdb: no such host, for at least the hold-off of 30 s"
        );
        assert_eq!(
            c[0].gate,
            Gate::HoldOff {
                raise_ms: 30_000,
                clear_ms: 30_000
            }
        );
        assert!(conditions(Some(NodeHealth::healthy()), AdminState::Up, 30).is_empty());
        assert!(conditions(None, AdminState::Up, 30).is_empty(), "no report");
        assert!(
            conditions(bad(), AdminState::Maintenance, 30).is_empty(),
            "not watched"
        );
    }

    /// A health report that flickers around its hold-off (a node catching
    /// up again and again, a check failing now and then) raises the alarm
    /// once and clears it once.
    #[test]
    fn a_flickering_report_raises_once_and_clears_once() {
        // One report a second; the hold-off is 3 s.
        let series = [
            1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0,
        ];
        let mut tr = Transitions::default();
        for (i, bad_now) in series.iter().enumerate() {
            let health = if *bad_now == 1 {
                bad()
            } else {
                Some(NodeHealth::healthy())
            };
            tr.step("c", conditions(health, AdminState::Up, 3), 1_000 * i as u64);
        }
        assert_eq!(tr.counts(), (1, 1));
        assert!(!tr.active);
    }
}
