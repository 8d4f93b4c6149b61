//! `contract-failure-rate`: the failed calls of a monitored contract over
//! its calls in a sliding time window. Every platform reports a contract's
//! calls and failed calls as counters since the agent started watching it,
//! so the window is kept here, as the counters seen at each collection;
//! the rate over the window is the difference between the newest counters
//! and those of the window's start. Calls made before the agent first saw
//! a contract have no time and are never counted.

use super::alarms::Condition;
use super::hysteresis::Gate;
use crate::model::UnixMillis;
use crate::model::alarm::{AlarmType, Severity};
use crate::model::contract::Contract;
use crate::model::performance::Thresholds;
use std::collections::{BTreeMap, VecDeque};

/// A contract's counters at one collection.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sample {
    at: UnixMillis,
    calls: u64,
    failed: u64,
}

/// Calls and failed calls of one contract within the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCount {
    pub calls: u64,
    pub failed: u64,
}

impl WindowCount {
    pub fn failure_percent(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            100.0 * self.failed as f64 / self.calls as f64
        }
    }
}

/// The counter history of every contract of one chain.
#[derive(Debug, Default)]
pub struct ContractWindows {
    samples: BTreeMap<String, VecDeque<Sample>>,
}

impl ContractWindows {
    /// Record the counters of `contracts` at `now` and keep, per
    /// contract, the samples of the last `window_ms` plus the one just
    /// before it (the window's start). A contract no longer reported is
    /// forgotten; counters that went down (its monitor started again)
    /// start its history again.
    pub fn observe(&mut self, contracts: &[Contract], now: UnixMillis, window_ms: u64) {
        self.samples
            .retain(|id, _| contracts.iter().any(|c| &c.id == id));
        for c in contracts {
            let q = self.samples.entry(c.id.clone()).or_default();
            if q.back()
                .is_some_and(|s| c.calls < s.calls || c.failed_calls < s.failed)
            {
                q.clear();
            }
            q.push_back(Sample {
                at: now,
                calls: c.calls,
                failed: c.failed_calls,
            });
            let start = now.saturating_sub(window_ms);
            while q.len() > 1 && q.get(1).is_some_and(|s| s.at <= start) {
                q.pop_front();
            }
        }
    }

    /// Calls and failures of `contract` in the window, None before two
    /// collections have seen it.
    pub fn count(&self, contract: &str) -> Option<WindowCount> {
        let q = self.samples.get(contract)?;
        let (first, last) = (q.front()?, q.back()?);
        (q.len() > 1).then(|| WindowCount {
            calls: last.calls - first.calls,
            failed: last.failed - first.failed,
        })
    }

    /// The `contract-failure-rate` conditions of `chain`: a contract with
    /// at least `contract-failure-min-calls` calls in the window of which
    /// more than `contract-failure-percent` failed. Raised at once (the
    /// minimum of calls is what keeps one failure from paging anyone),
    /// cleared once the rate has been at or below the threshold, or the
    /// calls too few, for `hold-off-seconds`.
    pub fn conditions(&self, chain: &str, t: &Thresholds) -> Vec<Condition> {
        let mut out = Vec::new();
        for id in self.samples.keys() {
            let Some(w) = self.count(id) else { continue };
            if w.calls < t.contract_failure_min_calls
                || w.failure_percent() <= t.contract_failure_percent
            {
                continue;
            }
            let resource = format!("/chains/{chain}/contracts/{id}");
            let specific_problem = format!(
                "{} of {} calls failed in the last {} s ({:.1}% above {:.1}%)",
                w.failed,
                w.calls,
                t.contract_failure_window_seconds,
                w.failure_percent(),
                t.contract_failure_percent
            );
            out.push(Condition {
                text: format!(
                    "{} on {resource}: {specific_problem}",
                    AlarmType::ContractFailureRate.as_str()
                ),
                resource,
                chain: chain.to_string(),
                alarm_type: AlarmType::ContractFailureRate,
                severity: Severity::Major,
                specific_problem,
                gate: Gate::HoldOff {
                    raise_ms: 0,
                    clear_ms: t.hold_off_seconds.saturating_mul(1000),
                },
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::hysteresis::Transitions;
    use crate::model::contract::ContractState;

    fn contract(calls: u64, failed_calls: u64) -> Contract {
        Contract {
            chain: "c".into(),
            id: "0xabc".into(),
            name: "token".into(),
            version: String::new(),
            code_hash: String::new(),
            deployer: String::new(),
            deployed_at: 0,
            deploy_height: 0,
            state: ContractState::Active,
            signatories: vec![],
            calls,
            failed_calls,
        }
    }

    fn thresholds() -> Thresholds {
        Thresholds {
            contract_failure_percent: 20.0,
            contract_failure_window_seconds: 60,
            contract_failure_min_calls: 10,
            hold_off_seconds: 10,
            ..Default::default()
        }
    }

    #[test]
    fn the_window_counts_only_its_own_calls() {
        let mut w = ContractWindows::default();
        // 50 calls (5 failed) happened before the agent saw the contract.
        w.observe(&[contract(50, 5)], 0, 60_000);
        assert_eq!(w.count("0xabc"), None);
        w.observe(&[contract(60, 9)], 30_000, 60_000);
        assert_eq!(
            w.count("0xabc"),
            Some(WindowCount {
                calls: 10,
                failed: 4
            })
        );
        w.observe(&[contract(70, 9)], 60_000, 60_000);
        w.observe(&[contract(80, 9)], 90_000, 60_000);
        // The window starts at 30 s: the failures before are out of it.
        assert_eq!(
            w.count("0xabc"),
            Some(WindowCount {
                calls: 20,
                failed: 0
            })
        );
        // A monitor that starts again from zero starts the window again.
        w.observe(&[contract(3, 3)], 100_000, 60_000);
        assert_eq!(w.count("0xabc"), None);
        w.observe(&[], 110_000, 60_000);
        assert!(w.samples.is_empty());
    }

    #[test]
    fn one_failure_of_one_call_raises_nothing() {
        let mut w = ContractWindows::default();
        w.observe(&[contract(0, 0)], 0, 60_000);
        w.observe(&[contract(1, 1)], 1_000, 60_000);
        assert!(w.conditions("c", &thresholds()).is_empty());
        w.observe(&[contract(10, 10)], 2_000, 60_000);
        let c = w.conditions("c", &thresholds());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].resource, "/chains/c/contracts/0xabc");
        assert_eq!(c[0].alarm_type, AlarmType::ContractFailureRate);
        assert_eq!(
            c[0].specific_problem,
            "10 of 10 calls failed in the last 60 s (100.0% above 20.0%)"
        );
    }

    /// A failure rate that wanders around the threshold, one collection a
    /// second, raises once and clears once: the hold-off rides out the
    /// dips below it.
    #[test]
    fn a_noisy_rate_raises_once_and_clears_once() {
        let t = thresholds();
        let mut w = ContractWindows::default();
        let mut tr = Transitions::default();
        let (mut calls, mut failed) = (0u64, 0u64);
        // Failed calls out of 5 a second: around 3 in a 3 s window (20 %)
        // with bursts above and dips below, then a healthy contract.
        let mut per_second = vec![
            1, 0, 1, 1, 2, 2, 0, 0, 1, 2, 2, 0, 1, 1, 2, 1, 0, 0, 1, 2, 1, 0,
        ];
        per_second.extend([0; 20]);
        let window = Thresholds {
            contract_failure_window_seconds: 3,
            ..t
        };
        let mut rates = Vec::new();
        for (i, f) in per_second.iter().enumerate() {
            let now = 1_000 * i as u64;
            calls += 5;
            failed += f;
            w.observe(&[contract(calls, failed)], now, 3_000);
            let conds = w.conditions("c", &window);
            rates.push(w.count("0xabc").map(|c| c.failure_percent()));
            tr.step("c", conds, now);
        }
        // The series does cross the threshold both ways more than once.
        let crossings = rates
            .windows(2)
            .filter(|r| {
                let over = |x: Option<f64>| x.is_some_and(|p| p > 20.0);
                over(r[0]) != over(r[1])
            })
            .count();
        assert!(crossings > 2, "{rates:?}");
        assert_eq!(tr.counts(), (1, 1), "{rates:?}");
    }
}
