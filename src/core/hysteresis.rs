//! Hysteresis: keeps a noisy measurement from making an alarm flap. The
//! detectors say, for each condition, how it may raise and clear (its
//! [`Gate`]); this pure filter, which the alarm manager runs before it
//! reconciles, decides which conditions count now, given which alarms
//! are active and the time.
//!
//! Two mechanisms, chosen per alarm type (docs/information-model.md 7.7):
//! - a **clear level**: the alarm is raised when the value crosses the
//!   threshold and cleared only when it is back beyond the clear level;
//!   between the two the detectors send a [`Gate::Sustain`] condition,
//!   which keeps an active alarm and raises nothing;
//! - a **hold-off time**: the condition must hold without a break for the
//!   raise hold-off before the alarm is raised, and be absent without a
//!   break for the clear hold-off before it is cleared.

use super::alarms::Condition;
use crate::model::UnixMillis;
use crate::model::alarm::AlarmType;
use std::collections::BTreeMap;

/// How a condition raises and clears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gate {
    /// Raised at once, cleared as soon as it no longer holds.
    #[default]
    Immediate,
    /// The value is between the clear level and the threshold: an active
    /// alarm stays (unchanged), none is raised.
    Sustain,
    /// Raised after holding for `raise_ms`, cleared after being absent
    /// for `clear_ms`.
    HoldOff { raise_ms: u64, clear_ms: u64 },
}

type Key = (String, AlarmType);

/// A hold-off condition the filter remembers.
#[derive(Debug, Clone)]
struct Held {
    /// Since when it has held without a break (None: it is absent).
    since: Option<UnixMillis>,
    /// Since when it has been absent without a break, once it was active.
    absent_since: Option<UnixMillis>,
    /// The last condition seen, re-sent while a clear is held off.
    last: Condition,
}

/// The hold-off state of one alarm manager. Clear levels need none: the
/// detectors express them with [`Gate::Sustain`].
#[derive(Debug, Default)]
pub struct Hysteresis {
    held: BTreeMap<Key, Held>,
}

impl Hysteresis {
    /// The conditions of `scope` (a chain id, or "" for the host) that
    /// count at `now`: what the manager raises, keeps or updates. An
    /// alarm of the scope that is active and not among them is cleared.
    pub fn admit(
        &mut self,
        scope: &str,
        conditions: Vec<Condition>,
        is_active: impl Fn(&Key) -> bool,
        now: UnixMillis,
    ) -> Vec<Condition> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for c in conditions {
            let key = (c.resource.clone(), c.alarm_type);
            match c.gate {
                Gate::Immediate => out.push(c),
                Gate::Sustain => {
                    if is_active(&key) {
                        out.push(c);
                    }
                }
                Gate::HoldOff { raise_ms, .. } => {
                    seen.push(key.clone());
                    let h = self.held.entry(key.clone()).or_insert_with(|| Held {
                        since: None,
                        absent_since: None,
                        last: c.clone(),
                    });
                    let since = *h.since.get_or_insert(now);
                    h.absent_since = None;
                    h.last = c.clone();
                    if is_active(&key) || now.saturating_sub(since) >= raise_ms {
                        out.push(c);
                    }
                }
            }
        }
        // Hold-off conditions of this scope that are absent now: an active
        // alarm stays until the clear hold-off has run; a pending one
        // starts again from nothing.
        self.held.retain(|key, h| {
            if h.last.chain != scope || seen.contains(key) {
                return true;
            }
            h.since = None;
            if !is_active(key) {
                return false;
            }
            let clear_ms = match h.last.gate {
                Gate::HoldOff { clear_ms, .. } => clear_ms,
                _ => 0,
            };
            let absent = *h.absent_since.get_or_insert(now);
            if now.saturating_sub(absent) < clear_ms {
                out.push(h.last.clone());
                true
            } else {
                false
            }
        });
        out
    }
}

/// The gate of a "value above a threshold" measurement whose alarm
/// clears once the value is `band` below the threshold: `None` when
/// it neither raises nor keeps an alarm.
pub fn above(value: f64, threshold: f64, band: f64) -> Option<Gate> {
    if value > threshold {
        Some(Gate::Immediate)
    } else if value > threshold - band {
        Some(Gate::Sustain)
    } else {
        None
    }
}

/// For the detectors' unit tests: one alarm followed through a series of
/// collections by a filter with an alarm list of its own, counting its
/// raises and clears (each detector feeds a noisy series around its
/// threshold and expects exactly one of each).
#[cfg(test)]
#[derive(Default)]
pub struct Transitions {
    filter: Hysteresis,
    pub active: bool,
    raises: u32,
    clears: u32,
}

#[cfg(test)]
impl Transitions {
    /// One collection of `scope` at `now` with these conditions.
    pub fn step(
        &mut self,
        scope: &str,
        conditions: impl IntoIterator<Item = Condition>,
        now: UnixMillis,
    ) {
        let active = self.active;
        let on = !self
            .filter
            .admit(scope, conditions.into_iter().collect(), |_| active, now)
            .is_empty();
        match (active, on) {
            (false, true) => self.raises += 1,
            (true, false) => self.clears += 1,
            _ => {}
        }
        self.active = on;
    }

    /// (raises, clears) so far.
    pub fn counts(&self) -> (u32, u32) {
        (self.raises, self.clears)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::alarm::Severity;

    fn cond(gate: Gate) -> Condition {
        Condition {
            resource: "/chains/c/consensus".into(),
            chain: "c".into(),
            alarm_type: AlarmType::ConsensusStalled,
            severity: Severity::Critical,
            specific_problem: "p".into(),
            text: "t".into(),
            gate,
        }
    }

    /// Runs `series` (present or not, one sample a second) through the
    /// filter with an alarm list of its own; returns (raises, clears).
    fn run(series: &[bool], gate: Gate) -> (u32, u32) {
        let mut tr = Transitions::default();
        for (i, present) in series.iter().enumerate() {
            let now = 1_000 * i as u64;
            let conds = if *present { vec![cond(gate)] } else { vec![] };
            tr.step("c", conds, now);
        }
        tr.counts()
    }

    #[test]
    fn a_hold_off_rides_out_short_flickers_both_ways() {
        // Flickers of at most 2 s, a 6 s fault with a 1 s gap, flickers
        // again, then quiet.
        let s = [
            false, true, false, true, true, false, true, true, true, true, false, true, true, true,
            false, false, true, false, false, false, false, false, false,
        ];
        let gate = Gate::HoldOff {
            raise_ms: 3_000,
            clear_ms: 3_000,
        };
        assert_eq!(run(&s, gate), (1, 1));
        // Without hold-off the same series flaps.
        assert_eq!(run(&s, Gate::Immediate), (5, 5));
    }

    #[test]
    fn a_hold_off_in_another_scope_is_left_alone() {
        let mut h = Hysteresis::default();
        let gate = Gate::HoldOff {
            raise_ms: 0,
            clear_ms: 10_000,
        };
        assert_eq!(h.admit("c", vec![cond(gate)], |_| false, 0).len(), 1);
        assert!(h.admit("", vec![], |_| true, 1_000).is_empty());
        assert_eq!(h.admit("c", vec![], |_| true, 2_000).len(), 1);
        assert!(h.admit("c", vec![], |_| true, 12_000).is_empty());
    }

    #[test]
    fn a_sustain_condition_keeps_but_never_raises() {
        let mut h = Hysteresis::default();
        assert!(
            h.admit("c", vec![cond(Gate::Sustain)], |_| false, 0)
                .is_empty()
        );
        assert_eq!(
            h.admit("c", vec![cond(Gate::Sustain)], |_| true, 0).len(),
            1
        );
        assert_eq!(above(91.0, 90.0, 10.0), Some(Gate::Immediate));
        assert_eq!(above(90.0, 90.0, 10.0), Some(Gate::Sustain));
        assert_eq!(above(80.5, 90.0, 10.0), Some(Gate::Sustain));
        assert_eq!(above(80.0, 90.0, 10.0), None);
    }
}
