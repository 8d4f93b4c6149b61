//! bcmFaults: the alarm inventory (AlarmTypeInfo), active alarms and
//! cleared alarms (Alarm), as the object map declares them
//! (`model::objects::faults`). Acknowledgement is the one writable
//! object: a SET becomes `SetAction::AckAlarm`, which the alarm manager
//! persists. Alarms on a configured shelf (ietf-alarms shelving) are left
//! out of every table, count and notification: the operator shelved them
//! so as not to see them, and NETCONF's alarm list leaves them out too.

use super::index::IndexPart;
use super::{cell, objects, row, scalar};
use crate::model::alarm::Alarm;
use crate::model::objects::faults::{ALARM_ACTIVE, ALARM_HISTORY, ALARM_TYPE};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::{Ctx, Row, ScalarDef, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::faults::ACK_STATE;

pub static ALARM_TYPE_TABLE: TableDef = TableDef {
    name: ALARM_TYPE.entry,
    entry: ALARM_TYPE.oid,
    index: &objects::index::<_, { ALARM_TYPE.keys.len() }>(&ALARM_TYPE),
    columns: &objects::columns::<_, { ALARM_TYPE.columns.len() }>(&ALARM_TYPE),
    rows: |ctx| objects::rows(&ALARM_TYPE, &ctx.snapshot.faults.inventory),
    get: |ctx, row, col| {
        objects::cell(
            &ALARM_TYPE,
            ctx.snapshot.faults.inventory.get(row.pos)?,
            col,
        )
    },
    set: None,
    update: None,
};

pub static ALARM_ACTIVE_INDEX: &[&IndexPart] =
    &objects::index::<_, { ALARM_ACTIVE.keys.len() }>(&ALARM_ACTIVE);

pub static ALARM_ACTIVE_TABLE: TableDef = TableDef {
    name: ALARM_ACTIVE.entry,
    entry: ALARM_ACTIVE.oid,
    index: ALARM_ACTIVE_INDEX,
    columns: &objects::columns::<_, { ALARM_ACTIVE.columns.len() }>(&ALARM_ACTIVE),
    rows: active_rows,
    get: |ctx, row, col| active_cell(ctx.snapshot.faults.active.get(row.pos)?, col),
    set: Some(|ctx, index, col, v| {
        objects::set(&ALARM_ACTIVE, &ALARM_ACTIVE_TABLE, ctx, index, col, v)
    }),
    update: None,
};

/// The instance suffix of an alarm (active or cleared): its id, when it
/// fits an Unsigned32.
pub fn alarm_index(a: &Alarm) -> Option<Vec<u32>> {
    objects::instance(&ALARM_ACTIVE, &[], a)
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

/// A cell of an active alarm's row (also the varbinds of bcmAlarmRaised
/// and bcmAlarmChanged).
pub fn active_cell(a: &Alarm, col: u32) -> Option<Value> {
    objects::cell(&ALARM_ACTIVE, a, col)
}

pub static ALARM_HISTORY_TABLE: TableDef = TableDef {
    name: ALARM_HISTORY.entry,
    entry: ALARM_HISTORY.oid,
    index: &objects::index::<_, { ALARM_HISTORY.keys.len() }>(&ALARM_HISTORY),
    columns: &objects::columns::<_, { ALARM_HISTORY.columns.len() }>(&ALARM_HISTORY),
    rows: history_rows,
    get: |ctx, row, col| history_cell(ctx.snapshot.faults.history.get(row.pos)?, col),
    set: None,
    update: None,
};

fn history_rows(ctx: &Ctx) -> Vec<Row> {
    let history = &ctx.snapshot.faults.history;
    history
        .iter()
        .enumerate()
        .filter(|(_, a)| a.cleared.is_some() && unshelved(a))
        .filter_map(|(pos, a)| row(objects::instance(&ALARM_HISTORY, &[], a), pos, 0))
        .collect()
}

/// A cell of a cleared alarm's row (also the varbinds of bcmAlarmCleared).
pub fn history_cell(a: &Alarm, col: u32) -> Option<Value> {
    objects::cell(&ALARM_HISTORY, a, col)
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
