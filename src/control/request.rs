//! The control protocol's requests: one JSON object per line, tagged by
//! `op`. Parsing is pure, so the `ctl_request` fuzz target reaches exactly
//! what the socket does.

use crate::config::Config;
use crate::core::datastore::Edit;
use crate::core::store::LogFilter;
use crate::model::log::{LogKind, LogLevel};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "op")]
pub enum Request {
    GetConfig {
        #[serde(default)]
        startup: bool,
    },
    Edit {
        edits: Vec<Edit>,
    },
    Commit {
        config: Box<Config>,
    },
    SaveStartup,
    Snapshot,
    Ack {
        alarm: u64,
        #[serde(default = "yes")]
        acknowledged: bool,
        #[serde(default)]
        text: String,
    },
    LogsQuery {
        #[serde(default)]
        filter: Filter,
        #[serde(default = "hundred")]
        limit: u64,
    },
    LogsDelete {
        #[serde(default)]
        filter: Filter,
    },
    /// A file name in the configured backup directory, not a path.
    LogsBackup {
        name: String,
    },
}

fn yes() -> bool {
    true
}

fn hundred() -> u64 {
    100
}

/// Log selection as the wire carries it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Filter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<LogKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LogLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
}

impl From<Filter> for LogFilter {
    fn from(f: Filter) -> LogFilter {
        LogFilter {
            kind: f.kind,
            since: f.since,
            until: f.until,
            min_level: f.level,
            contains: f.contains,
        }
    }
}

/// Why a control request line was refused. It never quotes the line: a
/// request may carry a community or password, and the reason is logged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{category} error at line {line}, column {column}")]
pub struct MalformedRequest {
    category: &'static str,
    line: usize,
    column: usize,
}

/// Parse one request line. Pure, so the `ctl_request` fuzz target reaches
/// exactly what the socket does.
pub fn parse_request(line: &str) -> Result<Request, MalformedRequest> {
    serde_json::from_str::<Request>(line).map_err(|e| MalformedRequest {
        category: match e.classify() {
            serde_json::error::Category::Io => "input",
            serde_json::error::Category::Syntax => "JSON syntax",
            serde_json::error::Category::Data => "request content",
            serde_json::error::Category::Eof => "truncated JSON",
        },
        line: e.line(),
        column: e.column(),
    })
}
