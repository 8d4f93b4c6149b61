//! bcmFaults: the alarm inventory (AlarmTypeInfo), active alarms and
//! cleared alarms (Alarm), as ITU-T X.733 fields with RFC 3877 numbers.
//! Acknowledgement is the one writable object: a SET becomes
//! `SetAction::AckAlarm`, which the alarm manager persists. Alarms on a
//! configured shelf (ietf-alarms shelving) are left out of every table,
//! count and notification: the operator shelved them so as not to see
//! them, and NETCONF's alarm list leaves them out too.

use super::edit;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, ro, row, rw, scalar};
use crate::model::alarm::{Alarm, AlarmTypeInfo, Severity};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{
    ack_state_from, ack_state_number, alarm_type_number, event_type_number, probable_cause_number,
    severity_number, unsigned_index,
};
use crate::snmp::mib::{Ctx, Row, ScalarDef, SetAction, SetError, TableDef};
use crate::snmp::value::Value;

pub static ALARM_TYPE_INDEX: IndexPart = IndexPart {
    name: "bcmAlarmTypeIndex",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 1, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static ALARM_TYPE_TABLE_INDEX: &[&IndexPart] = &[&ALARM_TYPE_INDEX];

pub static ALARM_TYPE_TABLE: TableDef = TableDef {
    name: "bcmAlarmTypeEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 1, 1],
    index: ALARM_TYPE_TABLE_INDEX,
    columns: &[
        ro(2, "bcmAlarmTypeEventType", Integer32),
        ro(3, "bcmAlarmTypeProbableCause", Integer32),
        ro(4, "bcmAlarmTypeResource", OctetString),
        ro(5, "bcmAlarmTypeRepair", OctetString),
    ],
    rows: alarm_type_rows,
    get: alarm_type_get,
    set: None,
};

fn alarm_type_rows(ctx: &Ctx) -> Vec<Row> {
    let inventory = &ctx.snapshot.faults.inventory;
    inventory
        .iter()
        .enumerate()
        .filter_map(|(pos, t)| {
            let n = alarm_type_number(t.alarm_type) as u32;
            row(
                index::encode(ALARM_TYPE_TABLE_INDEX, &[Key::Number(n)]),
                pos,
                0,
            )
        })
        .collect()
}

fn alarm_type_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    alarm_type_cell(ctx.snapshot.faults.inventory.get(row.pos)?, col)
}

fn alarm_type_cell(t: &AlarmTypeInfo, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::int(event_type_number(t.event_type)),
        3 => cell::int(probable_cause_number(t.probable_cause)),
        4 => cell::text(&t.resource),
        5 => cell::text(&t.proposed_repair),
        _ => return None,
    })
}

pub static ALARM_ID: IndexPart = IndexPart {
    name: "bcmAlarmId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static ALARM_ACTIVE_INDEX: &[&IndexPart] = &[&ALARM_ID];

/// bcmAlarmAckState's column.
pub const ACK_STATE: u32 = 13;

pub static ALARM_ACTIVE_TABLE: TableDef = TableDef {
    name: "bcmAlarmActiveEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 2, 1],
    index: ALARM_ACTIVE_INDEX,
    columns: &[
        ro(2, "bcmAlarmResource", OctetString),
        ro(3, "bcmAlarmChain", OctetString),
        ro(4, "bcmAlarmType", Integer32),
        ro(5, "bcmAlarmEventType", Integer32),
        ro(6, "bcmAlarmProbableCause", Integer32),
        ro(7, "bcmAlarmSeverity", Integer32),
        ro(8, "bcmAlarmSpecificProblem", OctetString),
        ro(9, "bcmAlarmText", OctetString),
        ro(10, "bcmAlarmRepair", OctetString),
        ro(11, "bcmAlarmRaisedTime", OctetString),
        ro(12, "bcmAlarmChangedTime", OctetString),
        rw(ACK_STATE, "bcmAlarmAckState", Integer32),
        ro(14, "bcmAlarmAckBy", OctetString),
        ro(15, "bcmAlarmAckTime", OctetString),
    ],
    rows: active_rows,
    get: active_get,
    set: Some(active_set),
};

/// The instance suffix of an alarm (active or cleared): its id, when it
/// fits an Unsigned32.
pub fn alarm_index(a: &Alarm) -> Option<Vec<u32>> {
    index::encode(ALARM_ACTIVE_INDEX, &[Key::Number(unsigned_index(a.id)?)])
}

/// Whether the MIB shows the alarm: it is not on a shelf.
pub fn unshelved(a: &Alarm) -> bool {
    a.shelf.is_none()
}

fn active_rows(ctx: &Ctx) -> Vec<Row> {
    let active = &ctx.snapshot.faults.active;
    active
        .iter()
        .enumerate()
        .filter(|(_, a)| unshelved(a))
        .filter_map(|(pos, a)| row(alarm_index(a), pos, 0))
        .collect()
}

fn active_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    active_cell(ctx.snapshot.faults.active.get(row.pos)?, col)
}

/// Columns 2 to 9 carry the same X.733 fields in both alarm tables.
fn x733_cell(a: &Alarm, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::text(&a.resource),
        3 => cell::text(&a.chain),
        4 => cell::int(alarm_type_number(a.alarm_type)),
        5 => cell::int(event_type_number(a.event_type)),
        6 => cell::int(probable_cause_number(a.probable_cause)),
        7 => cell::int(severity_number(a.perceived_severity)),
        8 => cell::text(&a.specific_problem),
        9 => cell::text(&a.text),
        _ => return None,
    })
}

/// A cell of an active alarm's row (also the varbinds of bcmAlarmRaised
/// and bcmAlarmChanged).
pub fn active_cell(a: &Alarm, col: u32) -> Option<Value> {
    Some(match col {
        2..=9 => return x733_cell(a, col),
        10 => cell::text(&a.proposed_repair),
        11 => cell::date(a.raised),
        12 => cell::date(a.changed),
        ACK_STATE => cell::int(ack_state_number(a.operator.acknowledged)),
        14 => cell::text(&a.operator.by),
        15 => cell::date(a.operator.at?),
        _ => return None,
    })
}

/// SET bcmAlarmAckState: acknowledge or un-acknowledge an active alarm.
fn active_set(ctx: &Ctx, index: &[u32], col: u32, v: &Value) -> Result<SetAction, SetError> {
    if col != ACK_STATE {
        return Err(SetError::NotWritable);
    }
    let acknowledged = ack_state_from(edit::integer(v)?).ok_or(SetError::WrongValue)?;
    let id = index::decode(ALARM_ACTIVE_INDEX, index)
        .and_then(|v| v.first().and_then(|i| i.number()))
        .ok_or(SetError::NoCreation)?;
    let id = u64::from(id);
    if !ctx
        .snapshot
        .faults
        .active
        .iter()
        .any(|a| a.id == id && unshelved(a))
    {
        return Err(SetError::NoCreation);
    }
    Ok(SetAction::AckAlarm { id, acknowledged })
}

pub static ALARM_HIST_ID: IndexPart = IndexPart {
    name: "bcmAlarmHistId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 3, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static ALARM_HISTORY_INDEX: &[&IndexPart] = &[&ALARM_HIST_ID];

pub static ALARM_HISTORY_TABLE: TableDef = TableDef {
    name: "bcmAlarmHistoryEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 3, 1],
    index: ALARM_HISTORY_INDEX,
    columns: &[
        ro(2, "bcmAlarmHistResource", OctetString),
        ro(3, "bcmAlarmHistChain", OctetString),
        ro(4, "bcmAlarmHistType", Integer32),
        ro(5, "bcmAlarmHistEventType", Integer32),
        ro(6, "bcmAlarmHistProbableCause", Integer32),
        ro(7, "bcmAlarmHistSeverity", Integer32),
        ro(8, "bcmAlarmHistSpecificProblem", OctetString),
        ro(9, "bcmAlarmHistText", OctetString),
        ro(10, "bcmAlarmHistRaised", OctetString),
        ro(11, "bcmAlarmHistCleared", OctetString),
        ro(12, "bcmAlarmHistAckState", Integer32),
    ],
    rows: history_rows,
    get: history_get,
    set: None,
};

fn history_rows(ctx: &Ctx) -> Vec<Row> {
    let history = &ctx.snapshot.faults.history;
    history
        .iter()
        .enumerate()
        .filter(|(_, a)| a.cleared.is_some() && unshelved(a))
        .filter_map(|(pos, a)| {
            let id = unsigned_index(a.id)?;
            row(
                index::encode(ALARM_HISTORY_INDEX, &[Key::Number(id)]),
                pos,
                0,
            )
        })
        .collect()
}

fn history_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    history_cell(ctx.snapshot.faults.history.get(row.pos)?, col)
}

/// A cell of a cleared alarm's row (also the varbinds of bcmAlarmCleared).
/// The severity is cleared(1), as the MIB defines the column, although
/// the model keeps the severity last raised.
pub fn history_cell(a: &Alarm, col: u32) -> Option<Value> {
    Some(match col {
        7 => cell::int(severity_number(Severity::Cleared)),
        2..=9 => return x733_cell(a, col),
        10 => cell::date(a.raised),
        11 => cell::date(a.cleared?),
        12 => cell::int(ack_state_number(a.operator.acknowledged)),
        _ => return None,
    })
}

pub static ALARM_ACTIVE_COUNT: ScalarDef = scalar(
    "bcmAlarmActiveCount",
    &[1, 3, 6, 1, 4, 1, 32473, 1, 4, 4],
    Gauge32,
    |ctx| {
        let shown = ctx.snapshot.faults.active.iter().filter(|a| unshelved(a));
        Some(cell::saturated(shown.count() as u64))
    },
);
