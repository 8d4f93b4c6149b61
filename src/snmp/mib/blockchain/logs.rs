//! bcmLogs: the six log families (LogType) with their level and retention
//! (configuration), and the most recent records (LogRecord), as the
//! object map declares them (`model::objects::logs`).

use super::index::{self, IndexPart, Key};
use super::{cell, objects, row};
use crate::config::LogTypeConfig;
use crate::model::log::{LogKind, LogType};
use crate::model::objects::enums::{log_kind_number, log_level_number};
use crate::model::objects::logs::{LOG_RECORD, LOG_TYPE};
use crate::snmp::mib::{Ctx, Row, TableDef};
use crate::snmp::value::Value;

pub use crate::model::objects::logs::{LEVEL, RETENTION};

/// Row.sub of a family the snapshot has no figures for.
const NO_FIGURES: usize = usize::MAX;

pub static LOG_TYPE_INDEX: &[&IndexPart] = &objects::index::<_, { LOG_TYPE.keys.len() }>(&LOG_TYPE);

pub static LOG_TYPE_TABLE: TableDef = TableDef {
    name: LOG_TYPE.entry,
    entry: LOG_TYPE.oid,
    index: LOG_TYPE_INDEX,
    columns: &objects::columns::<_, { LOG_TYPE.columns.len() }>(&LOG_TYPE),
    rows: log_type_rows,
    get: log_type_get,
    set: Some(|ctx, index, col, v| objects::set(&LOG_TYPE, &LOG_TYPE_TABLE, ctx, index, col, v)),
    update: None,
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
        _ => return objects::cell(&LOG_TYPE, t?, col),
    })
}

pub static LOG_RECORD_TABLE: TableDef = TableDef {
    name: LOG_RECORD.entry,
    entry: LOG_RECORD.oid,
    index: &objects::index::<_, { LOG_RECORD.keys.len() }>(&LOG_RECORD),
    columns: &objects::columns::<_, { LOG_RECORD.columns.len() }>(&LOG_RECORD),
    rows: |ctx| objects::rows(&LOG_RECORD, &ctx.snapshot.logs.recent),
    get: |ctx, row, col| objects::cell(&LOG_RECORD, ctx.snapshot.logs.recent.get(row.pos)?, col),
    set: None,
    update: None,
};
