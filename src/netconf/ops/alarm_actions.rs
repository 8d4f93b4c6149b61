//! ietf-alarms (RFC 8632) actions on the alarm list: set-operator-state on
//! one alarm, purge-alarms, and purge-shelved-alarms on the shelved-alarm
//! list. They change the alarm manager's state, the
//! one SNMP's bcmAlarmAckState and `chain-agent ctl ack` change, which
//! persists alarms and announces operator actions.

use super::action::{Invocation, Output};
use super::config_ops::origin;
use super::{Errors, SessionState};
use crate::core::alarms::AlarmError;
use crate::model::alarm::{AlarmType, OperatorAction, Severity};
use crate::model::now_millis;
use crate::model::snapshot::Snapshot;
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;
use crate::netconf::yang::state_alarms::{
    Entry, alarm_type_id, group, group_shelved, severity_name,
};
use serde_json::{Map, Value};

pub const SET_OPERATOR_STATE: &str = "/ietf-alarms:alarms/alarm-list/alarm/set-operator-state";
pub const PURGE_ALARMS: &str = "/ietf-alarms:alarms/alarm-list/purge-alarms";
pub const PURGE_SHELVED_ALARMS: &str = "/ietf-alarms:alarms/shelved-alarms/purge-shelved-alarms";

pub fn run(server: &Server, state: &SessionState, inv: &Invocation) -> Result<Output, Errors> {
    match inv.action.as_str() {
        SET_OPERATOR_STATE => set_operator_state(server, state, inv),
        PURGE_ALARMS => purge_alarms(server, state, inv, group),
        PURGE_SHELVED_ALARMS => purge_alarms(server, state, inv, group_shelved),
        other => Err(RpcError::application(
            Tag::OperationNotSupported,
            format!("{other} is not an alarm action"),
        )
        .into()),
    }
}

fn set_operator_state(
    server: &Server,
    state: &SessionState,
    inv: &Invocation,
) -> Result<Output, Errors> {
    let wanted = inv.leaf("state").unwrap_or_default();
    let action = OperatorAction::parse(wanted).ok_or_else(|| {
        RpcError::application(
            Tag::InvalidValue,
            format!("'{wanted}' is not a writable operator state"),
        )
        .with_path(format!("{}/set-operator-state/state", inv.target))
    })?;
    let text = inv.leaf("text").unwrap_or_default();
    let id = {
        let snapshot = server.agent.snapshot.load_full();
        let entries = group(&snapshot);
        let entry = entry_of(&entries, inv).ok_or_else(|| missing(inv))?;
        entry.latest().id
    };
    server
        .agent
        .set_alarm_operator_state(id, action, &state.session.user, text, &origin(state))
        .map_err(|e| match e {
            AlarmError::NoSuchAlarm(_) => missing(inv),
            AlarmError::Store(e) => {
                RpcError::application(Tag::OperationFailed, e.to_string()).with_path(&inv.target)
            }
        })?;
    Ok(Output::default())
}

/// The alarm-list entry the keys name.
fn entry_of<'a, 'b>(entries: &'b [Entry<'a>], inv: &Invocation) -> Option<&'b Entry<'a>> {
    let resource = inv.key("resource")?;
    let type_id = inv.key("alarm-type-id")?;
    if !inv.key("alarm-type-qualifier")?.is_empty() {
        return None;
    }
    let alarm_type = AlarmType::ALL
        .into_iter()
        .find(|t| alarm_type_id(*t) == type_id)?;
    entries
        .iter()
        .find(|e| e.latest().resource == resource && e.latest().alarm_type == alarm_type)
}

fn missing(inv: &Invocation) -> RpcError {
    RpcError::application(
        Tag::DataMissing,
        format!("there is no alarm {}", inv.target),
    )
    .with_path(&inv.target)
}

/// RFC 8632 purge-alarms and purge-shelved-alarms, on the entries `list`
/// gives. An entry still raised by its resource is kept whatever the
/// filter says: the agent's detectors report it again at their next pass,
/// so purging it would only renumber it.
fn purge_alarms(
    server: &Server,
    state: &SessionState,
    inv: &Invocation,
    list: for<'s> fn(&'s Snapshot) -> Vec<Entry<'s>>,
) -> Result<Output, Errors> {
    let filter = Filter::of(inv)?;
    let now = now_millis();
    let ids: Vec<u64> = {
        let snapshot = server.agent.snapshot.load_full();
        list(&snapshot)
            .iter()
            .filter(|e| e.is_cleared() && filter.matches(e, now))
            .flat_map(|e| e.raises.iter().map(|a| a.id))
            .collect()
    };
    let purged = server
        .agent
        .purge_alarms(&ids, &origin(state))
        .map_err(|e| {
            RpcError::application(Tag::OperationFailed, e.to_string()).with_path(&inv.target)
        })?;
    let mut entries: Vec<(&str, AlarmType)> = purged
        .iter()
        .map(|a| (a.resource.as_str(), a.alarm_type))
        .collect();
    entries.sort();
    entries.dedup();
    Ok(Output::default().leaf("purged-alarms", entries.len().to_string()))
}

/// ietf-alarms' filter-input.
#[derive(Debug, Default, PartialEq)]
struct Filter {
    /// None: any.
    cleared: Option<bool>,
    older_than_ms: Option<u64>,
    severity: Option<(Ordering, Severity)>,
    operator_state: Option<String>,
    operator: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ordering {
    Below,
    Is,
    Above,
}

impl Filter {
    fn of(inv: &Invocation) -> Result<Filter, RpcError> {
        let cleared = match inv.leaf("alarm-clearance-status") {
            Some("cleared") => Some(true),
            Some("not-cleared") => Some(false),
            _ => None,
        };
        let older_than_ms = match inv.input.get("older-than") {
            Some(Value::Object(age)) => Some(age_ms(age).ok_or_else(|| {
                RpcError::application(Tag::MissingElement, "older-than needs an age")
                    .with_path(format!("{}/older-than", inv.action_path()))
            })?),
            _ => None,
        };
        let severity = match inv.input.get("severity") {
            Some(Value::Object(s)) => Some(
                [
                    ("below", Ordering::Below),
                    ("is", Ordering::Is),
                    ("above", Ordering::Above),
                ]
                .into_iter()
                .find_map(|(name, o)| {
                    let level = s.get(name)?.as_str()?;
                    Some((o, severity_of(level)?))
                })
                .ok_or_else(|| {
                    RpcError::application(Tag::MissingElement, "severity needs below, is or above")
                        .with_path(format!("{}/severity", inv.action_path()))
                })?,
            ),
            _ => None,
        };
        let operator = inv.input.get("operator-state-filter");
        let text = |k: &str| {
            operator
                .and_then(|o| o.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        Ok(Filter {
            cleared,
            older_than_ms,
            severity,
            operator_state: text("state"),
            operator: text("user"),
        })
    }

    fn matches(&self, e: &Entry<'_>, now: u64) -> bool {
        let latest = e.latest();
        if self.cleared.is_some_and(|c| c != e.is_cleared()) {
            return false;
        }
        if let Some(age) = self.older_than_ms
            && latest.changed.saturating_add(age) > now
        {
            return false;
        }
        if let Some((ordering, level)) = self.severity {
            let (have, want) = (rank(e.severity()), rank(level));
            let ok = match ordering {
                Ordering::Below => have < want,
                Ordering::Is => have == want,
                Ordering::Above => have > want,
            };
            if !ok {
                return false;
            }
        }
        let op = &latest.operator;
        if self
            .operator_state
            .as_deref()
            .is_some_and(|s| s != op.state().as_str())
        {
            return false;
        }
        if self.operator.as_deref().is_some_and(|u| u != op.by) {
            return false;
        }
        true
    }
}

fn age_ms(age: &Map<String, Value>) -> Option<u64> {
    [
        ("seconds", 1_000u64),
        ("minutes", 60_000),
        ("hours", 3_600_000),
        ("days", 86_400_000),
        ("weeks", 604_800_000),
    ]
    .into_iter()
    .find_map(|(unit, ms)| {
        let n: u64 = age.get(unit)?.as_str()?.parse().ok()?;
        Some(n * ms)
    })
}

fn severity_of(name: &str) -> Option<Severity> {
    [
        Severity::Indeterminate,
        Severity::Warning,
        Severity::Minor,
        Severity::Major,
        Severity::Critical,
    ]
    .into_iter()
    .find(|s| severity_name(*s) == name)
}

/// ietf-alarms' severity order: indeterminate lowest, critical highest.
fn rank(s: Severity) -> u8 {
    match s {
        Severity::Cleared => 0,
        Severity::Indeterminate => 2,
        Severity::Warning => 3,
        Severity::Minor => 4,
        Severity::Major => 5,
        Severity::Critical => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_in_their_unit() {
        let mut m = Map::new();
        m.insert("minutes".into(), Value::String("2".into()));
        assert_eq!(age_ms(&m), Some(120_000));
        assert_eq!(age_ms(&Map::new()), None);
    }

    #[test]
    fn severities_order_as_ietf_alarms_does() {
        assert!(rank(Severity::Critical) > rank(Severity::Major));
        assert!(rank(Severity::Warning) > rank(Severity::Indeterminate));
        assert_eq!(severity_of("minor"), Some(Severity::Minor));
        assert_eq!(severity_of("cleared"), None);
    }
}
