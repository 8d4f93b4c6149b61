//! bcmLogs / chain-agent-logs: the log families (LogType) with their
//! level and retention, and the most recent records (LogRecord).
//!
//! The level and retention are configuration: the map declares their
//! columns, the values the snapshot reports and the leaves a SET edits;
//! the SNMP reading of the values in force stays with SNMP's table, which
//! also lists a row for every family, figures or not.

use super::Datum::*;
use super::Syntax::*;
use super::Yang::Leaf;
use super::enums::{log_kind, log_kind_from, log_level, log_level_from};
use super::{Column, IndexPart, IndexSyntax, Input, Key, Step, Table, config, ro, rw};
use crate::model::log::{LogRecord, LogType};

pub static LOG_TYPE_KIND: IndexPart = IndexPart {
    name: "bcmLogTypeKind",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 1, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub const LEVEL: u32 = 2;
pub const RETENTION: u32 = 3;

/// `logs/<kind>/<leaf>`: a family's setting; every family takes one.
const fn log_leaf(leaf: &'static str) -> [Step; 3] {
    [
        Step::Name("logs"),
        Step::EnumKey(0, |n| Some(log_kind(log_kind_from(n)?))),
        Step::Name(leaf),
    ]
}
const LEVEL_AT: &[Step] = &log_leaf("level");
const RETENTION_AT: &[Step] = &log_leaf("retention-records");

pub static LOG_TYPE: Table<LogType> = Table {
    entry: "bcmLogTypeEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 1, 1],
    yang: "/chain-agent-logs:logs/type",
    keys: &[Key {
        part: &LOG_TYPE_KIND,
        leaf: Some("kind"),
        why: None,
        get: Some(|t| Some(log_kind(t.kind))),
    }],
    columns: &[
        Column {
            object: rw(
                LEVEL,
                "bcmLogTypeLevel",
                Integer32,
                Leaf("level"),
                config(
                    LEVEL_AT,
                    0,
                    Input::Enum(|n| Some(log_level(log_level_from(n)?))),
                ),
            ),
            get: |t| Some(log_level(t.level)),
        },
        Column {
            object: rw(
                RETENTION,
                "bcmLogTypeRetention",
                Unsigned32,
                Leaf("retention-records"),
                config(RETENTION_AT, 0, Input::Unsigned),
            )
            .unit("records"),
            get: |t| Some(U64(t.retention_records)),
        },
        Column {
            object: ro(4, "bcmLogTypeRecordCount", Gauge32, Leaf("record-count")).unit("records"),
            get: |t| Some(U64(t.record_count)),
        },
        Column {
            object: ro(5, "bcmLogTypeOldest", DateAndTime, Leaf("oldest")),
            get: |t| Some(Time(t.oldest?)),
        },
        Column {
            object: ro(6, "bcmLogTypeNewest", DateAndTime, Leaf("newest")),
            get: |t| Some(Time(t.newest?)),
        },
    ],
};

pub static LOG_RECORD_ID: IndexPart = IndexPart {
    name: "bcmLogRecordId",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 2, 1, 1],
    syntax: IndexSyntax::Number { min: 1 },
};

pub static LOG_RECORD: Table<LogRecord> = Table {
    entry: "bcmLogRecordEntry",
    oid: &[1, 3, 6, 1, 4, 1, 32473, 1, 5, 2, 1],
    yang: "/chain-agent-logs:logs/recent/record",
    keys: &[Key {
        part: &LOG_RECORD_ID,
        leaf: Some("id"),
        why: None,
        get: Some(|r| Some(U64(r.id))),
    }],
    columns: &[
        Column {
            object: ro(2, "bcmLogRecordKind", Integer32, Leaf("kind")),
            get: |r| Some(log_kind(r.kind)),
        },
        Column {
            object: ro(3, "bcmLogRecordTime", DateAndTime, Leaf("time")),
            get: |r| Some(Time(r.time)),
        },
        Column {
            object: ro(4, "bcmLogRecordLevel", Integer32, Leaf("level")),
            get: |r| Some(log_level(r.level)),
        },
        Column {
            object: ro(5, "bcmLogRecordSource", AdminString, Leaf("source")),
            get: |r| Some(Text(&r.source)),
        },
        Column {
            object: ro(6, "bcmLogRecordMessage", AdminString, Leaf("message")),
            get: |r| Some(Text(&r.message)),
        },
    ],
};
