//! A chain whose head stops moving: `block-production-stalled` and
//! `consensus-stalled` (issue 14 §2), split so that one cause raises one
//! alarm on a chain (docs/information-model.md §7.4):
//!
//! - `consensus-stalled` (on `/chains/{chain}/consensus`) only where the
//!   platform reports a consensus that is stuck: no block for
//!   `consensus-stall-seconds` while it reports failed rounds (a round
//!   above 0 at the next height: the simulator's view changes,
//!   CometBFT's rounds). The votes do not come together.
//! - `block-production-stalled` (on `/chains/{chain}/ledger`) for the
//!   plain "no new block", on every platform: no block for
//!   `block-stall-factor` times the chain's block interval, while the
//!   consensus reports no failed round. The interval is the configured
//!   `block-interval-seconds` when set, else the platform's target
//!   interval; where neither is known (anvil's automine, Fabric's
//!   ordering on demand, a platform that gives none) nothing is raised:
//!   no block may simply mean no transaction.
//!
//! Both are raised at once (their threshold is already a time) and
//! clear after `hold-off-seconds` with blocks coming again.

use super::alarms::Condition;
use super::hysteresis::Gate;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::performance::Thresholds;

/// What the stall rules read of one chain.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub chain: &'a str,
    /// The chain's height, as the agent last saw it grow.
    pub height: u64,
    /// Milliseconds since the agent last saw the height grow.
    pub ms_since_block: u64,
    /// The consensus round the platform reports at the next height,
    /// `None` when it reports none.
    pub round: Option<u64>,
    /// The platform's target block interval, if it gives one.
    pub target_interval_ms: Option<u64>,
}

/// Whether the consensus is stuck: no block for `consensus-stall-seconds`
/// while the platform reports failed rounds.
pub fn consensus_stuck(h: &Head, t: &Thresholds) -> bool {
    h.ms_since_block / 1000 > t.consensus_stall_seconds && failing_rounds(h)
}

fn failing_rounds(h: &Head) -> bool {
    h.round.is_some_and(|r| r > 0)
}

/// The block interval block-production-stalled measures against, in ms:
/// the configured one, else the platform's target.
pub fn expected_interval_ms(h: &Head, t: &Thresholds) -> Option<u64> {
    match t.block_interval_seconds {
        0 => h.target_interval_ms.filter(|ms| *ms > 0),
        s => Some(s.saturating_mul(1000)),
    }
}

/// The stall condition of a chain, if any: at most one of the two types.
pub fn stall_condition(h: &Head, t: &Thresholds) -> Option<Condition> {
    let hold_off = Gate::HoldOff {
        raise_ms: 0,
        clear_ms: t.hold_off_seconds.saturating_mul(1000),
    };
    let seconds = h.ms_since_block / 1000;
    let (resource, alarm_type, problem) = if consensus_stuck(h, t) {
        (
            format!("/chains/{}/consensus", h.chain),
            AlarmType::ConsensusStalled,
            format!(
                "no block after height {} for {seconds} s (round {}), threshold {} s",
                h.height,
                h.round.unwrap_or(0),
                t.consensus_stall_seconds
            ),
        )
    } else {
        if failing_rounds(h) || t.block_stall_factor == 0 {
            return None;
        }
        let interval = expected_interval_ms(h, t)?;
        let limit = interval.saturating_mul(t.block_stall_factor);
        if h.ms_since_block <= limit {
            return None;
        }
        (
            format!("/chains/{}/ledger", h.chain),
            AlarmType::BlockProductionStalled,
            format!(
                "no block after height {} for {seconds} s, threshold {} s ({} x the {} s block interval)",
                h.height,
                seconds_text(limit),
                t.block_stall_factor,
                seconds_text(interval)
            ),
        )
    };
    Some(Condition {
        text: format!("{} on {resource}: {problem}", alarm_type.as_str()),
        resource,
        chain: h.chain.to_string(),
        alarm_type,
        severity: Severity::Critical,
        specific_problem: problem,
        gate: hold_off,
    })
}

/// Milliseconds as seconds, with the fraction only when there is one.
fn seconds_text(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{:.1}", ms as f64 / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;

    fn head(ms: u64, round: Option<u64>, target: Option<u64>) -> Head<'static> {
        Head {
            chain: "c",
            height: 7,
            ms_since_block: ms,
            round,
            target_interval_ms: target,
        }
    }

    fn kind(h: &Head, t: &Thresholds) -> Option<(String, AlarmType)> {
        stall_condition(h, t).map(|c| (c.resource, c.alarm_type))
    }

    #[test]
    fn one_cause_one_alarm() {
        let t = Thresholds::default();
        // Bitcoin: 600 s target, factor 10.
        let btc = Some(600_000);
        assert_eq!(kind(&head(6_000_000, None, btc), &t), None);
        let c = stall_condition(&head(6_001_000, None, btc), &t).expect("stalled");
        assert_eq!(c.resource, "/chains/c/ledger");
        assert_eq!(c.alarm_type, AlarmType::BlockProductionStalled);
        assert_eq!(
            c.specific_problem,
            "no block after height 7 for 6001 s, threshold 6000 s (10 x the 600 s block interval)"
        );
        // No interval known, nothing configured: nothing raised.
        assert_eq!(kind(&head(u64::MAX / 2, None, None), &t), None);
        // A configured interval wins over the platform's.
        let cfg = Thresholds {
            block_interval_seconds: 1,
            block_stall_factor: 3,
            ..Thresholds::default()
        };
        assert_eq!(
            kind(&head(3_500, None, btc), &cfg),
            Some(("/chains/c/ledger".into(), AlarmType::BlockProductionStalled))
        );
        // Factor 0 is off.
        let off = Thresholds {
            block_stall_factor: 0,
            ..cfg.clone()
        };
        assert_eq!(kind(&head(3_500, None, btc), &off), None);
        // Failed rounds: the consensus' alarm, never both; before
        // consensus-stall-seconds, neither.
        let sim = Some(200);
        assert_eq!(kind(&head(10_000, Some(3), sim), &t), None);
        let c = stall_condition(&head(16_000, Some(3), sim), &t).expect("stuck");
        assert_eq!(
            (c.resource.as_str(), c.alarm_type),
            ("/chains/c/consensus", AlarmType::ConsensusStalled)
        );
        assert_eq!(
            c.specific_problem,
            "no block after height 7 for 16 s (round 3), threshold 15 s"
        );
        // Round 0 at the next height: the producers are idle, not failing.
        assert_eq!(
            kind(&head(16_000, Some(0), sim), &t),
            Some(("/chains/c/ledger".into(), AlarmType::BlockProductionStalled))
        );
        assert!(consensus_stuck(&head(16_000, Some(1), sim), &t));
        assert!(!consensus_stuck(&head(16_000, Some(0), sim), &t));
    }

    /// Blocks at irregular gaps around the 3 s limit (1 s interval,
    /// factor 3, 4 s hold-off), sampled each 500 ms: gaps just under the
    /// limit raise nothing, a long stall with one lone block inside it
    /// stays one alarm, steady blocks after it clear it once.
    #[test]
    fn irregular_blocks_around_the_limit_raise_once_and_clear_once() {
        let t = Thresholds {
            block_interval_seconds: 1,
            block_stall_factor: 3,
            hold_off_seconds: 4,
            ..Thresholds::default()
        };
        // Times (ms) at which a block arrives.
        let blocks = [
            0, 2_500, 5_500, 8_000, 11_000, 15_500, 19_500, 20_000, 21_000, 22_000, 23_000, 24_000,
            25_000, 26_000, 27_000, 28_000, 29_000,
        ];
        let mut tr = Transitions::default();
        for step in 0..60u64 {
            let now = step * 500;
            let last = blocks
                .iter()
                .copied()
                .filter(|b| *b <= now)
                .max()
                .unwrap_or(0);
            let conds: Vec<_> = stall_condition(&head(now - last, Some(0), None), &t)
                .into_iter()
                .collect();
            tr.step("c", conds, now);
        }
        assert_eq!(tr.counts(), (1, 1));
        assert!(!tr.active);
    }
}
