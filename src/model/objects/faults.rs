//! bcmFaults / ietf-alarms: the alarm inventory (AlarmTypeInfo), active
//! and cleared alarms (Alarm), as X.733 fields with RFC 3877 numbers.
//!
//! A MIB row is one alarm, by the agent's sequence number; ietf-alarms
//! keys an alarm by resource, type and qualifier and keeps every raise of
//! it in one entry. So the YANG leaf named here is the one carrying the
//! same information, and NETCONF builds the alarm list itself (it groups
//! raises); SNMP's columns, cells and the acknowledgement's SET are the
//! map's. Which alarms are shown (not shelved; cleared ones in the
//! history) is each front end's listing.

use super::Datum::*;
use super::Syntax::*;
use super::Yang::{Leaf, Nothing, ReadWrite};
use super::enums::{
    ACKNOWLEDGED, ack_state, ack_state_from, alarm_type, event_type, probable_cause, severity,
};
use super::{Column, IndexPart, IndexSyntax, Input, Key, Object, Table, Target, Write, ro, rw};
use crate::model::alarm::{Alarm, AlarmTypeInfo, Severity};

pub static ALARM_TYPE_INDEX: IndexPart = IndexPart {
    name: "bcmAlarmTypeIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 1, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

/// The inventory; the MIB indexes it by the alarm kind's number, which
/// YANG's entry has as its alarm-type-id.
pub static ALARM_TYPE: Table<AlarmTypeInfo> = Table {
    entry: "bcmAlarmTypeEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 1, 1],
    yang: "/ietf-alarms:alarms/alarm-inventory/alarm-type",
    keys: &[Key {
        part: &ALARM_TYPE_INDEX,
        leaf: None,
        why: Some(
            "a number of the agent's alarm kind; YANG keys the entry by alarm-type-id and qualifier",
        ),
        get: Some(|t| Some(alarm_type(t.alarm_type))),
    }],
    columns: &[
        Column {
            object: ro(
                2,
                "bcmAlarmTypeEventType",
                Integer32,
                Leaf("ietf-alarms-x733:event-type"),
            ),
            get: |t| Some(event_type(t.event_type)),
        },
        Column {
            object: ro(
                3,
                "bcmAlarmTypeProbableCause",
                Integer32,
                Leaf("ietf-alarms-x733:probable-cause"),
            ),
            get: |t| Some(probable_cause(t.probable_cause)),
        },
        Column {
            object: ro(4, "bcmAlarmTypeResource", AdminString, Leaf("resource")),
            get: |t| Some(Text(&t.resource)),
        },
        Column {
            object: ro(5, "bcmAlarmTypeRepair", AdminString, Leaf("description")),
            get: |t| Some(Text(&t.proposed_repair)),
        },
    ],
};

pub static ALARM_ID: IndexPart = IndexPart {
    name: "bcmAlarmId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

/// bcmAlarmAckState's column.
pub const ACK_STATE: u32 = 13;

const CHAIN_STEP: &str = "the first step of the resource path";
const SPECIFIC_PROBLEM: &str = "part of alarm-text";

/// Columns 2 to 9 carry the same X.733 fields in both alarm tables.
const fn x733(names: [&'static str; 8]) -> [Object; 8] {
    [
        ro(2, names[0], AdminString, Leaf("resource")),
        ro(3, names[1], AdminString, Nothing(CHAIN_STEP)),
        ro(4, names[2], Integer32, Leaf("alarm-type-id")),
        ro(5, names[3], Integer32, Leaf("ietf-alarms-x733:event-type")),
        ro(
            6,
            names[4],
            Integer32,
            Leaf("ietf-alarms-x733:probable-cause"),
        ),
        ro(7, names[5], Integer32, Leaf("perceived-severity")),
        ro(8, names[6], AdminString, Nothing(SPECIFIC_PROBLEM)),
        ro(9, names[7], AdminString, Leaf("alarm-text")),
    ]
}

const ACTIVE_X733: [Object; 8] = x733([
    "bcmAlarmResource",
    "bcmAlarmChain",
    "bcmAlarmType",
    "bcmAlarmEventType",
    "bcmAlarmProbableCause",
    "bcmAlarmSeverity",
    "bcmAlarmSpecificProblem",
    "bcmAlarmText",
]);

/// Active alarms (not shelved), by id.
pub static ALARM_ACTIVE: Table<Alarm> = Table {
    entry: "bcmAlarmActiveEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 2, 1],
    yang: "/ietf-alarms:alarms/alarm-list/alarm",
    keys: &[Key {
        part: &ALARM_ID,
        leaf: None,
        why: Some(
            "the agent's sequence number; ietf-alarms keys an alarm by resource, type and qualifier",
        ),
        get: Some(|a| Some(U64(a.id))),
    }],
    columns: &[
        Column {
            object: ACTIVE_X733[0],
            get: |a| Some(Text(&a.resource)),
        },
        Column {
            object: ACTIVE_X733[1],
            get: |a| Some(Text(&a.chain)),
        },
        Column {
            object: ACTIVE_X733[2],
            get: |a| Some(alarm_type(a.alarm_type)),
        },
        Column {
            object: ACTIVE_X733[3],
            get: |a| Some(event_type(a.event_type)),
        },
        Column {
            object: ACTIVE_X733[4],
            get: |a| Some(probable_cause(a.probable_cause)),
        },
        Column {
            object: ACTIVE_X733[5],
            get: |a| Some(severity(a.perceived_severity)),
        },
        Column {
            object: ACTIVE_X733[6],
            get: |a| Some(Text(&a.specific_problem)),
        },
        Column {
            object: ACTIVE_X733[7],
            get: |a| Some(Text(&a.text)),
        },
        Column {
            object: ro(
                10,
                "bcmAlarmRepair",
                AdminString,
                Leaf("ietf-alarms-x733:proposed-repair-actions"),
            ),
            get: |a| Some(Text(&a.proposed_repair)),
        },
        Column {
            object: ro(11, "bcmAlarmRaisedTime", DateAndTime, Leaf("last-raised")),
            get: |a| Some(Time(a.raised)),
        },
        Column {
            object: ro(12, "bcmAlarmChangedTime", DateAndTime, Leaf("last-changed")),
            get: |a| Some(Time(a.changed)),
        },
        Column {
            object: rw(
                ACK_STATE,
                "bcmAlarmAckState",
                Integer32,
                ReadWrite {
                    read: "operator-state-change/state",
                    write: "set-operator-state",
                },
                Write {
                    target: Target::AckAlarm {
                        acknowledged: ACKNOWLEDGED,
                    },
                    input: Input::Enum(|n| Some(ack_state(ack_state_from(n)?))),
                    only_if: None,
                },
            ),
            get: |a| Some(ack_state(a.operator.acknowledged)),
        },
        Column {
            object: ro(
                14,
                "bcmAlarmAckBy",
                AdminString,
                Leaf("operator-state-change/operator"),
            ),
            get: |a| Some(Text(&a.operator.by)),
        },
        Column {
            object: ro(
                15,
                "bcmAlarmAckTime",
                DateAndTime,
                Leaf("operator-state-change/time"),
            ),
            get: |a| Some(Time(a.operator.at?)),
        },
    ],
};

pub static ALARM_HIST_ID: IndexPart = IndexPart {
    name: "bcmAlarmHistId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 3, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

const HISTORY_X733: [Object; 8] = x733([
    "bcmAlarmHistResource",
    "bcmAlarmHistChain",
    "bcmAlarmHistType",
    "bcmAlarmHistEventType",
    "bcmAlarmHistProbableCause",
    "bcmAlarmHistSeverity",
    "bcmAlarmHistSpecificProblem",
    "bcmAlarmHistText",
]);

/// Cleared alarms (not shelved), by id. The severity is cleared(1), as
/// the MIB defines the column, although the model keeps the severity
/// last raised; its YANG leaf is the clearing status change's.
pub static ALARM_HISTORY: Table<Alarm> = Table {
    entry: "bcmAlarmHistoryEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 3, 1],
    yang: "/ietf-alarms:alarms/alarm-list/alarm",
    keys: &[Key {
        part: &ALARM_HIST_ID,
        leaf: None,
        why: Some("as bcmAlarmId"),
        get: Some(|a| Some(U64(a.id))),
    }],
    columns: &[
        Column {
            object: HISTORY_X733[0],
            get: |a| Some(Text(&a.resource)),
        },
        Column {
            object: HISTORY_X733[1],
            get: |a| Some(Text(&a.chain)),
        },
        Column {
            object: HISTORY_X733[2],
            get: |a| Some(alarm_type(a.alarm_type)),
        },
        Column {
            object: HISTORY_X733[3],
            get: |a| Some(event_type(a.event_type)),
        },
        Column {
            object: HISTORY_X733[4],
            get: |a| Some(probable_cause(a.probable_cause)),
        },
        Column {
            object: ro(
                7,
                "bcmAlarmHistSeverity",
                Integer32,
                Leaf("status-change/perceived-severity"),
            ),
            get: |_| Some(severity(Severity::Cleared)),
        },
        Column {
            object: HISTORY_X733[6],
            get: |a| Some(Text(&a.specific_problem)),
        },
        Column {
            object: ro(
                9,
                "bcmAlarmHistText",
                AdminString,
                Leaf("status-change/alarm-text"),
            ),
            get: |a| Some(Text(&a.text)),
        },
        Column {
            object: ro(
                10,
                "bcmAlarmHistRaised",
                DateAndTime,
                Leaf("status-change/time"),
            ),
            get: |a| Some(Time(a.raised)),
        },
        Column {
            object: ro(
                11,
                "bcmAlarmHistCleared",
                DateAndTime,
                Leaf("status-change/time"),
            ),
            get: |a| Some(Time(a.cleared?)),
        },
        Column {
            object: ro(
                12,
                "bcmAlarmHistAckState",
                Integer32,
                Leaf("operator-state-change/state"),
            ),
            get: |a| Some(ack_state(a.operator.acknowledged)),
        },
    ],
};
