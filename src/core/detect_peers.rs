//! peer-count-low (issue 14 §2): a node connected to fewer peers than
//! `peer-count-min` of the thresholds in force for it. A file of its own
//! so the rule, its hold-off and its test stay together; detect.rs calls
//! it for every node it watches.
//!
//! Peers come and go (a reconnect, a peer's restart), so the alarm has a
//! hold-off both ways (`peer-count-hold-off-seconds`, default 30 s): it
//! is raised once the count has stayed below the minimum that long, and
//! cleared once it has stayed at or above it as long. `peer-count-min`
//! 0, the default, leaves it off; a node whose platform gives no peer
//! count (`None`) never raises it.

use super::alarms::Condition;
use super::detect::node_resource;
use super::hysteresis::Gate;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::performance::NodePerformance;

/// The peer-count-low condition of one node's sample, if it holds now.
pub fn peer_count_low(chain: &str, p: &NodePerformance) -> Option<Condition> {
    let t = &p.thresholds;
    let peers = p.peer_count.filter(|n| *n < t.peer_count_min)?;
    let resource = node_resource(chain, &p.node);
    let specific_problem = format!("{peers} peers, below the minimum of {}", t.peer_count_min);
    let hold_off = t.peer_count_hold_off_seconds.saturating_mul(1000);
    Some(Condition {
        text: format!(
            "{} on {resource}: {specific_problem}",
            AlarmType::PeerCountLow.as_str()
        ),
        resource,
        chain: chain.to_string(),
        alarm_type: AlarmType::PeerCountLow,
        severity: Severity::Minor,
        specific_problem,
        gate: Gate::HoldOff {
            raise_ms: hold_off,
            clear_ms: hold_off,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;
    use crate::model::performance::Thresholds;

    fn sample(peers: Option<u64>, min: u64, hold_off: u64) -> NodePerformance {
        NodePerformance {
            chain: "c".into(),
            node: "a".into(),
            peer_count: peers,
            thresholds: Thresholds {
                peer_count_min: min,
                peer_count_hold_off_seconds: hold_off,
                ..Thresholds::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn names_the_count_and_the_minimum_on_the_node() {
        let c = peer_count_low("c", &sample(Some(1), 3, 30)).expect("below");
        assert_eq!(c.resource, "/chains/c/nodes/a");
        assert_eq!(c.alarm_type, AlarmType::PeerCountLow);
        assert_eq!(c.specific_problem, "1 peers, below the minimum of 3");
        assert_eq!(
            c.gate,
            Gate::HoldOff {
                raise_ms: 30_000,
                clear_ms: 30_000
            }
        );
        assert!(peer_count_low("c", &sample(Some(3), 3, 30)).is_none());
        assert!(
            peer_count_low("c", &sample(None, 3, 30)).is_none(),
            "absent"
        );
        assert!(
            peer_count_low("c", &sample(Some(0), 0, 30)).is_none(),
            "0 is off"
        );
    }

    /// A peer count that wobbles around the minimum of 4, one sample a
    /// second with a 3 s hold-off: peers dropping for a moment, a real
    /// loss, a moment's recovery inside it, then back for good.
    #[test]
    fn a_noisy_count_around_the_minimum_raises_once_and_clears_once() {
        let series = [
            5, 3, 5, 4, 3, 3, 4, 2, 1, 1, 1, 4, 1, 0, 1, 1, 4, 3, 4, 5, 4, 6, 5, 5, 5,
        ];
        let mut tr = Transitions::default();
        for (i, peers) in series.iter().enumerate() {
            let conds: Vec<_> = peer_count_low("c", &sample(Some(*peers), 4, 3))
                .into_iter()
                .collect();
            tr.step("c", conds, 1_000 * i as u64);
        }
        assert_eq!(tr.counts(), (1, 1));
        assert!(!tr.active);
    }
}
