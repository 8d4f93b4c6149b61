//! Faults as ietf-alarms (RFC 8632) with the X.733 augment (RFC 8632
//! appendix, ietf-alarms-x733): the alarm inventory, the alarm list and
//! its summary, and the shelved alarms, built from the snapshot's alarms
//! (each alarm says which configured shelf, if any, it is on).
//!
//! ietf-alarms identifies an alarm by (resource, alarm type, qualifier)
//! and keeps it across raise and clear; the agent numbers each raise as a
//! new alarm. All the agent's alarms with one identity therefore make one
//! list entry: created at the first raise, in the state of the latest.
//! The model keeps each raise's latest state and its raise, change and
//! clear times, not every transition, so the status changes are those
//! times. A cleared alarm keeps the severity last raised; a severity the
//! model does not have (a raise's before a change, or that of an alarm
//! stored when clearing still overwrote it) is X.733 `indeterminate`.

use super::json::{put, put_text};
use super::time::date_and_time;
use crate::config::AlarmsConfig;
use crate::model::alarm::{Alarm, AlarmType, AlarmTypeInfo, EventType, OperatorAction, Severity};
use crate::model::objects::enums;
use crate::model::snapshot::Snapshot;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

type Obj = Map<String, Value>;

const ALARMS_MODULE: &str = "chain-agent-alarms";

/// ietf-alarms' default `max-alarm-status-changes`: the status changes kept
/// per alarm, newest first.
const MAX_STATUS_CHANGES: usize = 32;

/// ietf-alarms' severities, least severe first (the summary's order).
const SEVERITIES: [Severity; 5] = [
    Severity::Indeterminate,
    Severity::Warning,
    Severity::Minor,
    Severity::Major,
    Severity::Critical,
];

/// The state of `/ietf-alarms:alarms` in the operational datastore; the
/// configured shelves (`control`) are the configuration's.
pub fn alarms(s: &Snapshot, config: &AlarmsConfig) -> Value {
    let (entries, shelved) = group_all(s)
        .into_iter()
        .partition::<Vec<_>, _>(|e| e.shelf().is_none());
    let moved = s.faults.shelving_changed;
    let last = |list: &[Entry<'_>]| {
        list.iter()
            .map(|e| e.latest().changed)
            .chain(moved)
            .max()
            .map(|t| json!(date_and_time(t)))
    };
    let mut o = Obj::new();
    put(&mut o, "alarm-inventory", inventory(&s.faults.inventory));
    let shelves_active = !shelved.is_empty() || !config.shelves().is_empty();
    o.insert("summary".into(), summary(&entries, shelves_active));
    let mut list = Obj::new();
    list.insert("number-of-alarms".into(), json!(entries.len()));
    if let Some(t) = last(&entries) {
        list.insert("last-changed".into(), t);
    }
    let alarms: Vec<Value> = entries.iter().map(alarm).collect();
    put(&mut list, "alarm", Value::Array(alarms));
    o.insert("alarm-list".into(), Value::Object(list));
    let mut on_shelves = Obj::new();
    on_shelves.insert("number-of-shelved-alarms".into(), json!(shelved.len()));
    if let Some(t) = last(&shelved) {
        on_shelves.insert("shelved-alarms-last-changed".into(), t);
    }
    let shelved: Vec<Value> = shelved.iter().map(alarm).collect();
    put(&mut on_shelves, "shelved-alarm", Value::Array(shelved));
    o.insert("shelved-alarms".into(), Value::Object(on_shelves));
    Value::Object(o)
}

/// The identity of an alarm type, `chain-agent-alarms:<type>`.
pub fn alarm_type_id(t: AlarmType) -> String {
    format!("{ALARMS_MODULE}:{}", t.as_str())
}

/// X.733 event type as ietf-alarms-x733 names it (the object map's name).
pub fn event_type_name(e: EventType) -> &'static str {
    enums::name(enums::event_type(e))
}

/// A severity as ietf-alarms names it (the object map's name).
pub fn severity_name(s: Severity) -> &'static str {
    enums::name(enums::severity(s))
}

fn inventory(types: &[AlarmTypeInfo]) -> Value {
    let entries: Vec<Value> = types
        .iter()
        .map(|t| {
            let resources: Vec<&str> = t.resource.split(" or ").collect();
            json!({
                "alarm-type-id": alarm_type_id(t.alarm_type),
                "alarm-type-qualifier": "",
                "resource": resources,
                "will-clear": true,
                "description": format!(
                    "{} on {}. Proposed repair: {}.",
                    t.alarm_type.as_str(),
                    t.resource,
                    t.proposed_repair
                ),
                "ietf-alarms-x733:event-type": event_type_name(t.event_type),
                "ietf-alarms-x733:probable-cause": t.probable_cause as u32,
                "ietf-alarms-x733:probable-cause-string": cause_name(t),
            })
        })
        .collect();
    json!({ "alarm-type": entries })
}

/// ietf-alarms-x733's x733-alarm-parameters of an alarm: the same leaves in
/// the alarm list and in the alarm notification, so an NMS reads the X.733
/// fields from either.
pub fn x733_parameters(a: &Alarm) -> Obj {
    let mut o = Obj::new();
    o.insert(
        "ietf-alarms-x733:event-type".into(),
        json!(event_type_name(a.event_type)),
    );
    o.insert(
        "ietf-alarms-x733:probable-cause".into(),
        json!(a.probable_cause as u32),
    );
    o.insert(
        "ietf-alarms-x733:probable-cause-string".into(),
        serde_json::to_value(a.probable_cause).unwrap_or(Value::Null),
    );
    if !a.proposed_repair.is_empty() {
        o.insert(
            "ietf-alarms-x733:proposed-repair-actions".into(),
            json!([a.proposed_repair]),
        );
    }
    o
}

fn cause_name(t: &AlarmTypeInfo) -> Value {
    serde_json::to_value(t.probable_cause).unwrap_or(Value::Null)
}

/// The agent's alarms of one (resource, type), oldest raise first: one
/// ietf-alarms alarm-list entry.
pub struct Entry<'a> {
    pub raises: Vec<&'a Alarm>,
    latest: &'a Alarm,
}

impl<'a> Entry<'a> {
    /// The latest raise, whose state the entry shows.
    pub fn latest(&self) -> &'a Alarm {
        self.latest
    }

    pub fn is_cleared(&self) -> bool {
        self.latest().cleared.is_some()
    }

    /// Closed by an operator (RFC 8632 operator state `closed`).
    pub fn is_closed(&self) -> bool {
        self.latest().operator.state() == OperatorAction::Closed
    }

    /// The shelf the alarm is on (that of its latest raise: shelving
    /// moves every raise of an identity together).
    pub fn shelf(&self) -> Option<&'a str> {
        self.latest().shelf.as_deref()
    }

    /// The last severity raised; ietf-alarms has no "cleared" severity.
    pub fn severity(&self) -> Severity {
        match self.latest().perceived_severity {
            Severity::Cleared => Severity::Indeterminate,
            s => s,
        }
    }
}

/// The alarm list: entries of [`group_all`] on no shelf.
pub fn group(s: &Snapshot) -> Vec<Entry<'_>> {
    group_all(s)
        .into_iter()
        .filter(|e| e.shelf().is_none())
        .collect()
}

/// The shelved-alarm list: entries of [`group_all`] on a shelf.
pub fn group_shelved(s: &Snapshot) -> Vec<Entry<'_>> {
    group_all(s)
        .into_iter()
        .filter(|e| e.shelf().is_some())
        .collect()
}

/// Active and recent alarms, one version per alarm id (the active one
/// when both lists have it), grouped by ietf-alarms identity.
fn group_all(s: &Snapshot) -> Vec<Entry<'_>> {
    let mut by_id: BTreeMap<u64, &Alarm> = BTreeMap::new();
    for a in s.faults.history.iter().chain(&s.faults.active) {
        by_id.insert(a.id, a);
    }
    let mut groups: BTreeMap<(&str, AlarmType), Vec<&Alarm>> = BTreeMap::new();
    for a in by_id.into_values() {
        groups
            .entry((a.resource.as_str(), a.alarm_type))
            .or_default()
            .push(a);
    }
    groups
        .into_values()
        .filter_map(|raises| {
            let latest = *raises.last()?;
            Some(Entry { raises, latest })
        })
        .collect()
}

fn alarm(e: &Entry<'_>) -> Value {
    let a = e.latest();
    let mut o = Obj::new();
    o.insert("resource".into(), json!(a.resource));
    o.insert("alarm-type-id".into(), json!(alarm_type_id(a.alarm_type)));
    o.insert("alarm-type-qualifier".into(), json!(""));
    if e.shelf().is_none() {
        // The shelved-alarm list has no time-created.
        let created = e.raises.iter().map(|r| r.raised).min().unwrap_or(a.raised);
        o.insert("time-created".into(), json!(date_and_time(created)));
    }
    o.insert("is-cleared".into(), json!(e.is_cleared()));
    o.insert("last-raised".into(), json!(date_and_time(a.raised)));
    o.insert("last-changed".into(), json!(date_and_time(a.changed)));
    o.insert(
        "perceived-severity".into(),
        json!(severity_name(e.severity())),
    );
    o.insert("alarm-text".into(), json!(a.text));
    if let Some(shelf) = e.shelf() {
        o.insert("shelf-name".into(), json!(shelf));
    }
    put(&mut o, "status-change", Value::Array(status_changes(e)));
    put(
        &mut o,
        "operator-state-change",
        Value::Array(operator_changes(e)),
    );
    o.extend(x733_parameters(a));
    Value::Object(o)
}

/// What the model knows of each raise: raised (with its severity when it
/// never changed since), last changed, cleared. Newest first, at most
/// [`MAX_STATUS_CHANGES`], one per instant.
fn status_changes(e: &Entry<'_>) -> Vec<Value> {
    let mut changes: BTreeMap<u64, (Severity, &str)> = BTreeMap::new();
    for a in &e.raises {
        let raised_severity = if a.changed == a.raised && a.cleared.is_none() {
            a.perceived_severity
        } else {
            Severity::Indeterminate
        };
        changes.insert(a.raised, (raised_severity, &a.text));
        if a.changed != a.raised {
            changes.insert(a.changed, (a.perceived_severity, &a.text));
        }
        if let Some(t) = a.cleared {
            changes.insert(t, (Severity::Cleared, &a.text));
        }
    }
    changes
        .into_iter()
        .rev()
        .take(MAX_STATUS_CHANGES)
        .map(|(time, (severity, text))| {
            json!({
                "time": date_and_time(time),
                "perceived-severity": severity_name(severity),
                "alarm-text": text,
            })
        })
        .collect()
}

/// Operator state changes of every raise, newest first (keyed by time).
fn operator_changes(e: &Entry<'_>) -> Vec<Value> {
    let mut changes: BTreeMap<u64, Value> = BTreeMap::new();
    for a in &e.raises {
        for change in a.operator.history() {
            let mut c = Obj::new();
            c.insert("time".into(), json!(date_and_time(change.time)));
            c.insert("operator".into(), json!(change.operator));
            c.insert("state".into(), json!(change.state.as_str()));
            put_text(&mut c, "text", &change.text);
            changes.insert(change.time, Value::Object(c));
        }
    }
    changes.into_values().rev().collect()
}

/// The summary of the alarm list (shelved alarms are not in it), and
/// whether shelves are in force.
fn summary(entries: &[Entry<'_>], shelves_active: bool) -> Value {
    let rows: Vec<Value> = SEVERITIES
        .iter()
        .map(|&sev| {
            let of: Vec<&Entry<'_>> = entries.iter().filter(|e| e.severity() == sev).collect();
            let count = |cleared: bool, closed: bool| {
                of.iter()
                    .filter(|e| e.is_cleared() == cleared && e.is_closed() == closed)
                    .count()
            };
            let cleared = of.iter().filter(|e| e.is_cleared()).count();
            json!({
                "severity": severity_name(sev),
                "total": of.len(),
                "not-cleared": of.len() - cleared,
                "cleared": cleared,
                "cleared-not-closed": count(true, false),
                "cleared-closed": count(true, true),
                "not-cleared-closed": count(false, true),
                "not-cleared-not-closed": count(false, false),
            })
        })
        .collect();
    let mut o = Obj::new();
    o.insert("alarm-summary".into(), Value::Array(rows));
    if shelves_active {
        o.insert("shelves-active".into(), json!([null]));
    }
    Value::Object(o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::alarm::{OperatorState, ProbableCause};

    fn raise(id: u64, raised: u64, changed: u64, cleared: Option<u64>, sev: Severity) -> Alarm {
        Alarm {
            id,
            resource: "/chains/sim/nodes/node-2".into(),
            chain: "sim".into(),
            alarm_type: AlarmType::NodeUnreachable,
            event_type: EventType::CommunicationsAlarm,
            probable_cause: ProbableCause::CommunicationsSubsystemFailure,
            perceived_severity: sev,
            specific_problem: "no answer".into(),
            text: format!("text {id}"),
            proposed_repair: "check it".into(),
            raised,
            changed,
            cleared,
            operator: OperatorState::default(),
            shelf: None,
        }
    }

    #[test]
    fn raises_of_one_identity_make_one_alarm() {
        let mut s = Snapshot::default();
        let first = raise(1, 1_000, 3_000, Some(3_000), Severity::Cleared);
        let mut second = raise(2, 5_000, 6_000, None, Severity::Major);
        second.operator = OperatorState {
            acknowledged: true,
            by: "noc".into(),
            at: Some(7_000),
            text: "on it".into(),
            changes: Vec::new(),
        };
        s.faults.history = vec![second.clone(), first];
        s.faults.active = vec![second];
        let v = alarms(&s, &AlarmsConfig::default());
        assert_eq!(v["alarm-list"]["number-of-alarms"], json!(1));
        let a = &v["alarm-list"]["alarm"][0];
        assert_eq!(
            a["alarm-type-id"],
            json!("chain-agent-alarms:node-unreachable")
        );
        assert_eq!(a["time-created"], json!("1970-01-01T00:00:01.000Z"));
        assert_eq!(a["last-raised"], json!("1970-01-01T00:00:05.000Z"));
        assert_eq!(a["is-cleared"], json!(false));
        assert_eq!(a["perceived-severity"], json!("major"));
        assert_eq!(a["alarm-text"], json!("text 2"));
        let times: Vec<&str> = a["status-change"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["time"].as_str().unwrap())
            .collect();
        assert_eq!(
            times,
            [
                "1970-01-01T00:00:06.000Z",
                "1970-01-01T00:00:05.000Z",
                "1970-01-01T00:00:03.000Z",
                "1970-01-01T00:00:01.000Z"
            ]
        );
        assert_eq!(a["status-change"][0]["perceived-severity"], json!("major"));
        assert_eq!(
            a["status-change"][2]["perceived-severity"],
            json!("cleared")
        );
        assert_eq!(
            a["operator-state-change"],
            json!([{"time": "1970-01-01T00:00:07.000Z", "operator": "noc", "state": "ack", "text": "on it"}])
        );
        let major = &v["summary"]["alarm-summary"][3];
        assert_eq!(major["severity"], json!("major"));
        assert_eq!(major["total"], json!(1));
        assert_eq!(major["not-cleared"], json!(1));
    }

    #[test]
    fn a_cleared_alarm_keeps_its_last_severity() {
        let mut s = Snapshot::default();
        s.faults.history = vec![raise(4, 1_000, 2_000, Some(2_000), Severity::Minor)];
        let v = alarms(&s, &AlarmsConfig::default());
        let a = &v["alarm-list"]["alarm"][0];
        assert_eq!(a["is-cleared"], json!(true));
        assert_eq!(a["perceived-severity"], json!("minor"));
        let minor = &v["summary"]["alarm-summary"][2];
        assert_eq!(minor["severity"], json!("minor"));
        assert_eq!(minor["cleared"], json!(1));
        assert!(v["summary"].get("shelves-active").is_none());
    }

    #[test]
    fn shelved_alarms_leave_the_list_and_the_summary() {
        let mut s = Snapshot::default();
        let mut shelved = raise(5, 1_000, 1_000, None, Severity::Major);
        shelved.shelf = Some("quiet".into());
        shelved.resource = "/host".into();
        let listed = raise(6, 2_000, 2_000, None, Severity::Major);
        s.faults.active = vec![shelved.clone(), listed.clone()];
        s.faults.history = vec![listed, shelved];
        s.faults.shelving_changed = Some(9_000);
        let v = alarms(&s, &AlarmsConfig::default());
        assert_eq!(v["alarm-list"]["number-of-alarms"], json!(1));
        assert_eq!(
            v["alarm-list"]["alarm"][0]["resource"],
            json!("/chains/sim/nodes/node-2")
        );
        assert_eq!(
            v["alarm-list"]["last-changed"],
            json!("1970-01-01T00:00:09.000Z")
        );
        let on = &v["shelved-alarms"];
        assert_eq!(on["number-of-shelved-alarms"], json!(1));
        assert_eq!(
            on["shelved-alarms-last-changed"],
            json!("1970-01-01T00:00:09.000Z")
        );
        assert_eq!(on["shelved-alarm"][0]["resource"], json!("/host"));
        assert_eq!(on["shelved-alarm"][0]["shelf-name"], json!("quiet"));
        assert!(on["shelved-alarm"][0].get("time-created").is_none());
        assert_eq!(v["summary"]["alarm-summary"][3]["total"], json!(1));
        assert_eq!(v["summary"]["shelves-active"], json!([null]));
    }

    #[test]
    fn a_cleared_alarm_stored_before_severities_were_kept_is_indeterminate() {
        let mut s = Snapshot::default();
        s.faults.history = vec![raise(4, 1_000, 2_000, Some(2_000), Severity::Cleared)];
        let v = alarms(&s, &AlarmsConfig::default());
        let a = &v["alarm-list"]["alarm"][0];
        assert_eq!(a["is-cleared"], json!(true));
        assert_eq!(a["perceived-severity"], json!("indeterminate"));
        assert_eq!(
            a["status-change"][0]["perceived-severity"],
            json!("cleared")
        );
        assert_eq!(
            a["status-change"][1]["perceived-severity"],
            json!("indeterminate")
        );
        assert_eq!(v["summary"]["alarm-summary"][0]["cleared"], json!(1));
    }
}
