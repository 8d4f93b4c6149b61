//! Fault management: turns the detectors' conditions into X.733 alarms with
//! a lifecycle (raised, changed, cleared), persists every transition before
//! announcing it, and keeps operator acknowledgement and the configured
//! shelving (an alarm on a shelf keeps its lifecycle; its events say so,
//! and the northbound interfaces do not announce them).

use super::events::Event;
use super::hysteresis::{Gate, Hysteresis};
use super::logs::LogSink;
use super::shelves::Shelves;
use super::store::{Store, StoreError};
use crate::config::AlarmsConfig;
use crate::model::alarm::{Alarm, AlarmType, OperatorAction, OperatorState, Severity};
use crate::model::log::{LogKind, LogLevel};
use crate::model::{UnixMillis, now_millis};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// A fault the detectors see now. The alarm manager decides whether that is
/// a new alarm, a change, or nothing new.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub resource: String,
    pub chain: String,
    pub alarm_type: AlarmType,
    pub severity: Severity,
    pub specific_problem: String,
    pub text: String,
    /// How it raises and clears (hysteresis).
    pub gate: Gate,
}

/// Alarm history kept in memory for the snapshot.
const HISTORY: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum AlarmError {
    #[error("no alarm with id {0}")]
    NoSuchAlarm(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct AlarmManager {
    store: Arc<Store>,
    logs: LogSink,
    active: BTreeMap<(String, AlarmType), Alarm>,
    history: VecDeque<Alarm>,
    next_id: u64,
    history_kept: u64,
    shelves: Shelves,
    /// When shelving last moved alarms between the alarm list and the
    /// shelved-alarm list (a configuration change).
    shelving_changed: Option<UnixMillis>,
    /// Hold-off state of the conditions that have one.
    hysteresis: Hysteresis,
}

impl AlarmManager {
    /// Load active alarms and recent history, so that a restart neither
    /// loses nor re-raises them.
    pub fn load(
        store: Arc<Store>,
        logs: LogSink,
        history_kept: u64,
    ) -> Result<AlarmManager, StoreError> {
        let (active, recent) = store.load_alarms(HISTORY as u64)?;
        let next_id = store.max_alarm_id()? + 1;
        Ok(AlarmManager {
            active: active
                .into_iter()
                .map(|a| ((a.resource.clone(), a.alarm_type), a))
                .collect(),
            history: recent.into(),
            next_id,
            logs,
            store,
            history_kept,
            shelves: Shelves::default(),
            shelving_changed: None,
            hysteresis: Hysteresis::default(),
        })
    }

    pub fn active(&self) -> Vec<Alarm> {
        self.active.values().cloned().collect()
    }

    /// Most recent alarms in any state, newest first.
    pub fn history(&self) -> Vec<Alarm> {
        self.history.iter().cloned().collect()
    }

    /// Make the active alarms of `scope` (a chain id, or "" for the host)
    /// match `conditions`: raise new ones, update changed ones, clear the
    /// rest, each as its hysteresis gate allows.
    pub fn reconcile(&mut self, scope: &str, conditions: Vec<Condition>) {
        self.reconcile_at(scope, conditions, now_millis());
    }

    /// [`Self::reconcile`] at `now`.
    pub fn reconcile_at(&mut self, scope: &str, conditions: Vec<Condition>, now: UnixMillis) {
        let active = &self.active;
        let conditions = self
            .hysteresis
            .admit(scope, conditions, |k| active.contains_key(k), now);
        let mut seen = Vec::new();
        for c in conditions {
            let key = (c.resource.clone(), c.alarm_type);
            seen.push(key.clone());
            match self.active.get(&key) {
                None => self.raise(c, now),
                // Between the clear level and the threshold the alarm
                // stays as it was raised.
                Some(_) if c.gate == Gate::Sustain => {}
                Some(a)
                    if a.perceived_severity != c.severity
                        || a.specific_problem != c.specific_problem =>
                {
                    let mut a = a.clone();
                    a.perceived_severity = c.severity;
                    a.specific_problem = c.specific_problem;
                    a.text = c.text;
                    a.changed = now;
                    self.transition(a, |alarm| Event::AlarmChanged { alarm });
                }
                Some(_) => {}
            }
        }
        let gone: Vec<_> = self
            .active
            .iter()
            .filter(|(k, a)| a.chain == scope && !seen.contains(k))
            .map(|(k, _)| k.clone())
            .collect();
        for key in gone {
            if let Some(mut a) = self.active.get(&key).cloned() {
                // The severity stays the last raised (RFC 8632).
                a.cleared = Some(now);
                a.changed = now;
                self.transition(a, |alarm| Event::AlarmCleared { alarm });
            }
        }
    }

    /// Clear every active alarm on `resource` or below it: the resource
    /// left the configuration, so no condition will ever clear them. The
    /// clear says so in its text.
    pub fn clear_removed(&mut self, resource: &str) {
        let now = now_millis();
        let below = format!("{resource}/");
        let gone: Vec<_> = self
            .active
            .iter()
            .filter(|(_, a)| a.resource == resource || a.resource.starts_with(&below))
            .map(|(k, _)| k.clone())
            .collect();
        for key in gone {
            if let Some(mut a) = self.active.get(&key).cloned() {
                a.cleared = Some(now);
                a.changed = now;
                a.text = format!("{}: resource removed from the configuration", a.resource);
                self.transition(a, |alarm| Event::AlarmCleared { alarm });
            }
        }
    }

    fn raise(&mut self, c: Condition, now: u64) {
        let shelf = self
            .shelves
            .shelf_of(&c.resource, c.alarm_type)
            .map(str::to_string);
        let mut alarm = Alarm {
            id: self.next_id,
            resource: c.resource,
            chain: c.chain,
            alarm_type: c.alarm_type,
            event_type: c.alarm_type.event_type(),
            probable_cause: c.alarm_type.probable_cause(),
            perceived_severity: c.severity,
            specific_problem: c.specific_problem,
            text: c.text,
            proposed_repair: c.alarm_type.proposed_repair().to_string(),
            raised: now,
            changed: now,
            cleared: None,
            operator: OperatorState::default(),
            shelf: None,
        };
        if let Some(name) = shelf {
            alarm
                .operator
                .record(OperatorAction::Shelved, SERVER, now, &shelf_text(&name));
            alarm.shelf = Some(name);
        }
        self.next_id += 1;
        self.transition(alarm, |alarm| Event::AlarmRaised { alarm });
    }

    /// Persist first, then update memory and announce: what a manager was
    /// told about is always in the store.
    fn transition(&mut self, alarm: Alarm, event: impl FnOnce(Alarm) -> Event) {
        if let Err(e) = self.store.save_alarm(&alarm) {
            tracing::error!("alarm {} not persisted: {e}", alarm.id);
        }
        let key = (alarm.resource.clone(), alarm.alarm_type);
        if alarm.is_active() {
            self.active.insert(key, alarm.clone());
        } else {
            self.active.remove(&key);
            if alarm.id.is_multiple_of(100) {
                let _ = self.store.prune_alarms(self.history_kept);
            }
        }
        self.history.retain(|a| a.id != alarm.id);
        self.history.push_front(alarm.clone());
        self.history.truncate(HISTORY);
        let level = match alarm.perceived_severity {
            _ if !alarm.is_active() => LogLevel::Info,
            Severity::Cleared => LogLevel::Info,
            Severity::Critical | Severity::Major => LogLevel::Error,
            _ => LogLevel::Warning,
        };
        let state = if alarm.is_active() {
            format!("{:?}", alarm.perceived_severity).to_lowercase()
        } else {
            "cleared".into()
        };
        self.logs.record(
            LogKind::System,
            level,
            &alarm.resource,
            format!(
                "alarm {} {} {}{}: {}",
                alarm.id,
                alarm.alarm_type.as_str(),
                state,
                alarm
                    .shelf
                    .as_deref()
                    .map(|s| format!(" (shelf {s})"))
                    .unwrap_or_default(),
                alarm.specific_problem
            ),
        );
        self.logs.publish(event(alarm));
    }

    /// When shelving last moved alarms, if it has since the start.
    pub fn shelving_changed(&self) -> Option<UnixMillis> {
        self.shelving_changed
    }

    /// Apply the configured shelves: every alarm (active, and the recent
    /// ones a manager sees) whose shelf is no longer the one it is on
    /// moves, all raises of one ietf-alarms identity together, persisted.
    /// Its latest raise records the server's operator state `shelved` or
    /// `un-shelved` with the shelf's name, as RFC 8632 asks. Nothing is
    /// announced: shelving is configuration, whose change is. Returns
    /// whether any alarm moved, so the caller publishes only then.
    pub fn set_shelves(&mut self, config: &AlarmsConfig) -> bool {
        if self.shelves.config() != config {
            self.shelves = Shelves::new(config);
        }
        let now = now_millis();
        // The latest raise of each identity whose shelf changes.
        let mut moved: BTreeMap<(String, AlarmType), Move> = BTreeMap::new();
        for a in self.active.values().chain(self.history.iter()) {
            let wanted = self
                .shelves
                .shelf_of(&a.resource, a.alarm_type)
                .map(str::to_string);
            if wanted != a.shelf {
                let e = moved.entry((a.resource.clone(), a.alarm_type)).or_insert((
                    a.id,
                    a.shelf.clone(),
                    wanted,
                ));
                if a.id > e.0 {
                    e.0 = a.id;
                    e.1 = a.shelf.clone();
                }
            }
        }
        if moved.is_empty() {
            return false;
        }
        let mut changed: BTreeMap<u64, Alarm> = BTreeMap::new();
        for a in self.active.values().chain(self.history.iter()) {
            let key = (a.resource.clone(), a.alarm_type);
            let Some((latest, from, to)) = moved.get(&key) else {
                continue;
            };
            // An active alarm is in both lists: one change.
            if changed.contains_key(&a.id) {
                continue;
            }
            let mut a = a.clone();
            a.shelf = to.clone();
            if a.id == *latest {
                let (state, shelf) = match (to, from) {
                    (Some(to), _) => (OperatorAction::Shelved, to),
                    (None, Some(from)) => (OperatorAction::Unshelved, from),
                    (None, None) => continue,
                };
                a.operator.record(state, SERVER, now, &shelf_text(shelf));
            }
            changed.insert(a.id, a);
        }
        for a in changed.values() {
            if let Err(e) = self.store.save_alarm(a) {
                tracing::error!("alarm {} not persisted: {e}", a.id);
            }
            if a.is_active() {
                self.active
                    .insert((a.resource.clone(), a.alarm_type), a.clone());
            }
            if let Some(h) = self.history.iter_mut().find(|h| h.id == a.id) {
                *h = a.clone();
            }
        }
        for ((resource, alarm_type), (id, from, to)) in &moved {
            let what = match (to, from) {
                (Some(to), _) => format!("shelved on {to}"),
                (None, Some(from)) => format!("taken off shelf {from}"),
                (None, None) => continue,
            };
            self.logs.record(
                LogKind::System,
                LogLevel::Info,
                resource,
                format!("alarm {id} {} {what}", alarm_type.as_str()),
            );
        }
        self.shelving_changed = Some(now);
        true
    }

    /// Clear active alarms of chains that are no longer configured (restored
    /// from the store after a restart with a changed file); nothing else
    /// would ever clear them.
    pub fn clear_unconfigured(&mut self, chains: &[&str]) {
        let orphans: std::collections::BTreeSet<String> = self
            .active
            .values()
            .map(|a| a.chain.clone())
            .filter(|c| !c.is_empty() && !chains.contains(&c.as_str()))
            .collect();
        for scope in orphans {
            self.reconcile(&scope, vec![]);
        }
    }

    /// Operator acknowledgement (or un-acknowledgement) of an alarm: the
    /// SNMP ack column and `ctl ack`, the same state as ietf-alarms'
    /// set-operator-state.
    pub fn acknowledge(
        &mut self,
        id: u64,
        acknowledged: bool,
        by: &str,
        text: &str,
    ) -> Result<Alarm, AlarmError> {
        let state = if acknowledged {
            OperatorAction::Ack
        } else {
            OperatorAction::None
        };
        self.set_operator_state(id, state, by, text, by)
    }

    /// Record an operator state change on an alarm, active or cleared
    /// (closing a cleared alarm is the usual end of its handling), persist
    /// it and announce it. `by` is the operator the history names,
    /// `origin` who the operation log names (the session or manager).
    pub fn set_operator_state(
        &mut self,
        id: u64,
        state: OperatorAction,
        by: &str,
        text: &str,
        origin: &str,
    ) -> Result<Alarm, AlarmError> {
        let mut a = self
            .active
            .values()
            .chain(self.history.iter())
            .find(|a| a.id == id)
            .cloned()
            .ok_or(AlarmError::NoSuchAlarm(id))?;
        a.operator.record(state, by, now_millis(), text);
        self.store.save_alarm(&a)?;
        if a.is_active() {
            self.active
                .insert((a.resource.clone(), a.alarm_type), a.clone());
        }
        self.history.retain(|h| h.id != id);
        self.history.push_front(a.clone());
        self.history.truncate(HISTORY);
        self.logs.record(
            LogKind::Operation,
            LogLevel::Info,
            origin,
            format!(
                "alarm {id} operator state {}{}",
                state.as_str(),
                if text.is_empty() {
                    String::new()
                } else {
                    format!(": {text}")
                }
            ),
        );
        self.logs
            .publish(Event::AlarmOperatorAction { alarm: a.clone() });
        Ok(a)
    }

    /// Delete cleared alarms, by id, from memory and the store. Ids of
    /// active alarms, and of alarms older than the in-memory window (which
    /// no manager sees), are skipped. Returns the alarms deleted.
    pub fn purge(&mut self, ids: &[u64], by: &str) -> Result<Vec<Alarm>, AlarmError> {
        let purged: Vec<Alarm> = self
            .history
            .iter()
            .filter(|a| !a.is_active() && ids.contains(&a.id))
            .cloned()
            .collect();
        let purged_ids: Vec<u64> = purged.iter().map(|a| a.id).collect();
        self.store.delete_cleared_alarms(&purged_ids)?;
        self.history.retain(|a| !purged_ids.contains(&a.id));
        if !purged.is_empty() {
            self.logs.record(
                LogKind::Operation,
                LogLevel::Info,
                by,
                format!("purged {} cleared alarms {purged_ids:?}", purged.len()),
            );
        }
        Ok(purged)
    }
}

/// An identity shelving moves: its latest raise's id, the shelf it was
/// on, the shelf it goes on.
type Move = (u64, Option<String>, Option<String>);

/// Who the operator-state-change history names for shelving: the server.
const SERVER: &str = "server";

fn shelf_text(shelf: &str) -> String {
    format!("shelf {shelf}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn cond(resource: &str, severity: Severity) -> Condition {
        Condition {
            resource: resource.into(),
            chain: "c".into(),
            alarm_type: AlarmType::NodeUnreachable,
            severity,
            specific_problem: "p".into(),
            text: "t".into(),
            gate: Gate::Immediate,
        }
    }

    fn manager(
        store: Arc<Store>,
    ) -> (
        AlarmManager,
        tokio::sync::broadcast::Receiver<super::super::events::Notification>,
    ) {
        let (tx, rx) = super::super::events::channel();
        let sink = LogSink::start(store.clone(), &Config::default(), tx).unwrap();
        (AlarmManager::load(store, sink, 100).unwrap(), rx)
    }

    /// The events a series of host CPU readings makes, one a second,
    /// through detection and the manager.
    fn cpu_series_events(series: &[f64], t: &crate::model::performance::Thresholds) -> Vec<String> {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let (mut m, mut rx) = manager(store);
        for (i, cpu) in series.iter().enumerate() {
            let p = crate::model::host::HostPerformance {
                sampled_at_unix_ms: 0,
                cpu_percent: *cpu,
                load1: 0.0,
                load5: 0.0,
                load15: 0.0,
                memory_used_bytes: 0,
                memory_total_bytes: 0,
                memory_percent: 10.0,
                swap_used_bytes: 0,
                uptime_seconds: 0,
                disks: vec![],
                interfaces: vec![],
            };
            let c = super::super::detect::host_conditions(&p, t);
            m.reconcile_at("", c, 1_000 * i as u64);
        }
        std::iter::from_fn(|| rx.try_recv().ok())
            .map(|n| n.event.name().to_string())
            .filter(|n| n == "alarm-raised" || n == "alarm-cleared")
            .collect()
    }

    /// A clear level: CPU wavering around the 90 % threshold raises one
    /// cpu-high, kept (unchanged) while above 80 %, cleared once at or
    /// below 80 %; going back up to 85 % raises nothing.
    #[test]
    fn a_clear_level_makes_a_noisy_series_raise_and_clear_once() {
        let noisy = [
            85.0, 89.9, 90.5, 88.0, 92.0, 89.0, 91.0, 84.0, 90.1, 81.0, 79.5, 85.0, 89.0, 82.0,
        ];
        let t = crate::model::performance::Thresholds::default();
        assert_eq!(
            cpu_series_events(&noisy, &t),
            ["alarm-raised", "alarm-cleared"]
        );
        // Without hysteresis the same series flaps.
        let none = crate::model::performance::Thresholds {
            cpu_hysteresis_percent: 0.0,
            ..t
        };
        let flaps = cpu_series_events(&noisy, &none);
        assert_eq!(flaps.iter().filter(|e| *e == "alarm-raised").count(), 4);
    }

    #[test]
    fn raise_change_clear_lifecycle_with_events() {
        let store = Arc::new(Store::open_in_memory().unwrap());
        let (mut m, mut rx) = manager(store);
        m.reconcile("c", vec![cond("/n1", Severity::Major)]);
        m.reconcile("c", vec![cond("/n1", Severity::Major)]);
        m.reconcile("c", vec![cond("/n1", Severity::Critical)]);
        m.reconcile("other", vec![]);
        assert_eq!(m.active().len(), 1, "another scope must not clear it");
        m.reconcile("c", vec![]);
        let names: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|n| n.event.name())
            .collect();
        assert_eq!(names, ["alarm-raised", "alarm-changed", "alarm-cleared"]);
        assert!(m.active().is_empty());
        let h = m.history();
        // Cleared, with the severity last raised (RFC 8632).
        assert_eq!(h[0].perceived_severity, Severity::Critical);
        assert!(h[0].cleared.is_some());
    }

    #[test]
    fn active_alarms_and_ids_survive_restart() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("a.db")).unwrap());
        let (mut m, _rx) = manager(store.clone());
        m.reconcile(
            "c",
            vec![cond("/n1", Severity::Major), cond("/n2", Severity::Major)],
        );
        let id = m.active()[0].id;
        m.acknowledge(id, true, "op", "looking").unwrap();
        drop(m);
        let store = Arc::new(Store::open(&dir.path().join("a.db")).unwrap());
        let (mut m, _rx) = manager(store);
        let active = m.active();
        assert_eq!(active.len(), 2);
        assert!(
            active
                .iter()
                .any(|a| a.id == id && a.operator.acknowledged && a.operator.by == "op")
        );
        m.reconcile("c", vec![cond("/n3", Severity::Minor)]);
        assert!(m.active().iter().all(|a| a.id > 2), "ids are never reused");
        assert!(matches!(
            m.acknowledge(999, true, "x", ""),
            Err(AlarmError::NoSuchAlarm(999))
        ));
    }

    #[test]
    fn closing_a_cleared_alarm_then_purging_it_never_reuses_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("a.db")).unwrap());
        let (mut m, mut rx) = manager(store.clone());
        m.reconcile("c", vec![cond("/n1", Severity::Major)]);
        let id = m.active()[0].id;
        m.acknowledge(id, true, "snmp:v2c", "").unwrap();
        m.reconcile("c", vec![]);
        let a = m
            .set_operator_state(id, OperatorAction::Closed, "alice", "done", "netconf:alice")
            .unwrap();
        assert_eq!(a.operator.state(), OperatorAction::Closed);
        let history: Vec<_> = a.operator.history().iter().map(|c| c.state).collect();
        assert_eq!(history, [OperatorAction::Ack, OperatorAction::Closed]);
        let names: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|n| n.event.name())
            .collect();
        assert_eq!(
            names,
            [
                "alarm-raised",
                "alarm-operator-action",
                "alarm-cleared",
                "alarm-operator-action"
            ]
        );
        m.reconcile("c", vec![cond("/n2", Severity::Minor)]);
        let active = m.active()[0].id;
        let purged = m.purge(&[id, active], "netconf:alice").unwrap();
        assert_eq!(purged.iter().map(|a| a.id).collect::<Vec<_>>(), [id]);
        assert!(m.history().iter().all(|a| a.id != id));
        assert_eq!(m.active().len(), 1, "an active alarm is never purged");
        // Once /n2 clears and is purged too, the highest id is gone from
        // the store: it must still not come back.
        m.reconcile("c", vec![]);
        m.purge(&[active], "netconf:alice").unwrap();
        drop(m);
        let (mut m, _rx) = manager(store);
        assert!(m.history().is_empty(), "purged in the store");
        m.reconcile("c", vec![cond("/n3", Severity::Minor)]);
        assert!(m.active().iter().all(|a| a.id > active));
    }
}

#[cfg(test)]
mod shelving_tests {
    use super::*;
    use crate::config::{Config, Shelf, ShelfAlarmType};

    fn shelves(resource: &str) -> AlarmsConfig {
        let mut a = AlarmsConfig::default();
        a.control.alarm_shelving.shelf = vec![Shelf {
            name: "quiet".into(),
            resource: vec![resource.into()],
            alarm_type: vec![ShelfAlarmType {
                alarm_type_id: "chain-agent-alarms:node-unreachable".into(),
                alarm_type_qualifier_match: "".into(),
            }],
            description: None,
        }];
        a
    }

    fn cond(resource: &str) -> Condition {
        Condition {
            resource: resource.into(),
            chain: "c".into(),
            alarm_type: AlarmType::NodeUnreachable,
            severity: Severity::Major,
            specific_problem: "p".into(),
            text: "t".into(),
            gate: Gate::Immediate,
        }
    }

    #[test]
    fn shelving_moves_alarms_both_ways_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Store::open(&dir.path().join("a.db")).unwrap());
        let (tx, mut rx) = super::super::events::channel();
        let sink = LogSink::start(store.clone(), &Config::default(), tx).unwrap();
        let mut m = AlarmManager::load(store.clone(), sink.clone(), 100).unwrap();
        assert!(!m.set_shelves(&shelves("/n1")), "no alarm to move yet");
        m.reconcile("c", vec![cond("/n1"), cond("/n2")]);
        let on = |m: &AlarmManager, r: &str| {
            m.active()
                .into_iter()
                .find(|a| a.resource == r)
                .and_then(|a| a.shelf)
        };
        assert_eq!(
            on(&m, "/n1").as_deref(),
            Some("quiet"),
            "raised onto the shelf"
        );
        assert_eq!(on(&m, "/n2"), None);
        let n1 = m
            .active()
            .into_iter()
            .find(|a| a.resource == "/n1")
            .unwrap();
        assert_eq!(n1.operator.state(), OperatorAction::Shelved);
        assert!(
            !n1.operator.acknowledged,
            "shelving is not an acknowledgement"
        );
        // The raise is still announced, marked as shelved, for the
        // interfaces to hold back.
        let raised: Vec<Option<String>> = std::iter::from_fn(|| rx.try_recv().ok())
            .filter_map(|n| match n.event {
                Event::AlarmRaised { alarm } => Some(alarm.shelf),
                _ => None,
            })
            .collect();
        assert_eq!(raised.len(), 2);
        assert!(raised.contains(&Some("quiet".into())) && raised.contains(&None));
        // Moved to the other resource: both move at once.
        assert!(m.set_shelves(&shelves("/n2")));
        assert_eq!(on(&m, "/n1"), None);
        assert_eq!(on(&m, "/n2").as_deref(), Some("quiet"));
        let n1 = m
            .active()
            .into_iter()
            .find(|a| a.resource == "/n1")
            .unwrap();
        assert_eq!(n1.operator.state(), OperatorAction::Unshelved);
        assert_eq!(n1.operator.history().last().unwrap().text, "shelf quiet");
        assert!(m.shelving_changed().is_some());
        assert!(!m.set_shelves(&shelves("/n2")), "nothing moves twice");
        // A shelved alarm keeps its lifecycle.
        m.reconcile("c", vec![cond("/n1")]);
        let cleared = m
            .history()
            .into_iter()
            .find(|a| a.resource == "/n2")
            .unwrap();
        assert!(cleared.cleared.is_some());
        assert_eq!(cleared.shelf.as_deref(), Some("quiet"));
        assert_eq!(cleared.perceived_severity, Severity::Major);
        drop(m);
        let m = AlarmManager::load(store, sink, 100).unwrap();
        let again = m
            .history()
            .into_iter()
            .find(|a| a.resource == "/n2")
            .unwrap();
        assert_eq!(again.shelf.as_deref(), Some("quiet"), "persisted");
    }
}
