//! bcmLogs: the six log families (LogType) with their level and retention
//! (configuration), and the most recent records (LogRecord).

use super::edit;
use super::index::{self, IndexPart, IndexSyntax, Key};
use super::{cell, ro, row, rw};
use crate::config::LogTypeConfig;
use crate::model::log::{LogKind, LogRecord, LogType};
use crate::snmp::mib::Syntax::*;
use crate::snmp::mib::convert::{
    log_kind_from, log_kind_number, log_level_from, log_level_number, unsigned_index,
};
use crate::snmp::mib::{Ctx, Row, SetAction, SetError, TableDef};
use crate::snmp::value::Value;
use serde_json::json;

/// Row.sub of a family the snapshot has no figures for.
const NO_FIGURES: usize = usize::MAX;

pub static LOG_TYPE_KIND: IndexPart = IndexPart {
    name: "bcmLogTypeKind",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 1, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static LOG_TYPE_INDEX: &[&IndexPart] = &[&LOG_TYPE_KIND];

pub const LEVEL: u32 = 2;
pub const RETENTION: u32 = 3;

pub static LOG_TYPE_TABLE: TableDef = TableDef {
    name: "bcmLogTypeEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 1, 1],
    index: LOG_TYPE_INDEX,
    columns: &[
        rw(LEVEL, "bcmLogTypeLevel", Integer32),
        rw(RETENTION, "bcmLogTypeRetention", Unsigned32),
        ro(4, "bcmLogTypeRecordCount", Gauge32),
        ro(5, "bcmLogTypeOldest", OctetString),
        ro(6, "bcmLogTypeNewest", OctetString),
    ],
    rows: log_type_rows,
    get: log_type_get,
    set: Some(log_type_set),
};

/// One row per family, always; `pos` indexes `LogKind::ALL`, `sub` the
/// family's figures in the snapshot.
fn log_type_rows(ctx: &Ctx) -> Vec<Row> {
    let types = &ctx.snapshot.logs.types;
    LogKind::ALL
        .iter()
        .enumerate()
        .filter_map(|(pos, &kind)| {
            let sub = types
                .iter()
                .position(|t| t.kind == kind)
                .unwrap_or(NO_FIGURES);
            let n = log_kind_number(kind) as u32;
            row(index::encode(LOG_TYPE_INDEX, &[Key::Number(n)]), pos, sub)
        })
        .collect()
}

fn log_type_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    let kind = *LogKind::ALL.get(row.pos)?;
    let figures = ctx.snapshot.logs.types.get(row.sub);
    log_type_cell(ctx, kind, figures, col)
}

/// Level and retention in force: the running configuration's when the
/// family is configured (so a GET after a SET shows it), else what the
/// snapshot reports, else the configuration defaults.
fn in_force(ctx: &Ctx, kind: LogKind, figures: Option<&LogType>) -> LogTypeConfig {
    match (ctx.config.logs.get(kind.as_str()), figures) {
        (Some(c), _) => *c,
        (None, Some(t)) => LogTypeConfig {
            level: t.level,
            retention_records: t.retention_records,
        },
        (None, None) => ctx.config.log_type(kind),
    }
}

fn log_type_cell(ctx: &Ctx, kind: LogKind, t: Option<&LogType>, col: u32) -> Option<Value> {
    Some(match col {
        LEVEL => cell::int(log_level_number(in_force(ctx, kind, t).level)),
        RETENTION => cell::saturated(in_force(ctx, kind, t).retention_records),
        4 => cell::saturated(t?.record_count),
        5 => cell::date(t?.oldest?),
        6 => cell::date(t?.newest?),
        _ => return None,
    })
}

/// SET of a family's level or retention -> logs/<kind>/<key>.
fn log_type_set(_ctx: &Ctx, index: &[u32], col: u32, v: &Value) -> Result<SetAction, SetError> {
    let (key, value) = match col {
        LEVEL => {
            let level = log_level_from(edit::integer(v)?).ok_or(SetError::WrongValue)?;
            ("level", json!(level.as_str()))
        }
        RETENTION => ("retention-records", json!(edit::unsigned(v)?)),
        _ => return Err(SetError::NotWritable),
    };
    let kind = index::decode(LOG_TYPE_INDEX, index)
        .and_then(|v| v.first().and_then(|i| i.number()))
        .and_then(|n| log_kind_from(i32::try_from(n).ok()?))
        .ok_or(SetError::NoCreation)?;
    Ok(edit::set(&["logs", kind.as_str(), key], value))
}

pub static LOG_RECORD_ID: IndexPart = IndexPart {
    name: "bcmLogRecordId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static LOG_RECORD_INDEX: &[&IndexPart] = &[&LOG_RECORD_ID];

pub static LOG_RECORD_TABLE: TableDef = TableDef {
    name: "bcmLogRecordEntry",
    entry: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 2, 1],
    index: LOG_RECORD_INDEX,
    columns: &[
        ro(2, "bcmLogRecordKind", Integer32),
        ro(3, "bcmLogRecordTime", OctetString),
        ro(4, "bcmLogRecordLevel", Integer32),
        ro(5, "bcmLogRecordSource", OctetString),
        ro(6, "bcmLogRecordMessage", OctetString),
    ],
    rows: record_rows,
    get: record_get,
    set: None,
};

fn record_rows(ctx: &Ctx) -> Vec<Row> {
    let recent = &ctx.snapshot.logs.recent;
    recent
        .iter()
        .enumerate()
        .filter_map(|(pos, r)| {
            let id = unsigned_index(r.id)?;
            row(index::encode(LOG_RECORD_INDEX, &[Key::Number(id)]), pos, 0)
        })
        .collect()
}

fn record_get(ctx: &Ctx, row: &Row, col: u32) -> Option<Value> {
    record_cell(ctx.snapshot.logs.recent.get(row.pos)?, col)
}

fn record_cell(r: &LogRecord, col: u32) -> Option<Value> {
    Some(match col {
        2 => cell::int(log_kind_number(r.kind)),
        3 => cell::date(r.time),
        4 => cell::int(log_level_number(r.level)),
        5 => cell::text(&r.source),
        6 => cell::text(&r.message),
        _ => return None,
    })
}
