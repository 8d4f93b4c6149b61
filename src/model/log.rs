//! LogType and LogRecord: the log management area.

use super::UnixMillis;
use serde::{Deserialize, Serialize};

/// The log families of the requirements draft; each has its own level and retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogKind {
    System,
    Consensus,
    Contract,
    CrossChain,
    Security,
    Operation,
}

impl LogKind {
    pub const ALL: [LogKind; 6] = [
        LogKind::System,
        LogKind::Consensus,
        LogKind::Contract,
        LogKind::CrossChain,
        LogKind::Security,
        LogKind::Operation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::System => "system",
            LogKind::Consensus => "consensus",
            LogKind::Contract => "contract",
            LogKind::CrossChain => "cross-chain",
            LogKind::Security => "security",
            LogKind::Operation => "operation",
        }
    }

    pub fn parse(s: &str) -> Option<LogKind> {
        LogKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Record severity; also the per-type level below which records are not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogLevel {
    Error = 1,
    Warning = 2,
    Info = 3,
    Debug = 4,
}

impl LogLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warning => "warning",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
        }
    }
}

/// A log family with its configuration and current contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LogType {
    pub kind: LogKind,
    /// Configuration: least severe level kept.
    pub level: LogLevel,
    /// Configuration: records kept before the oldest are deleted.
    pub retention_records: u64,
    pub record_count: u64,
    pub oldest: Option<UnixMillis>,
    pub newest: Option<UnixMillis>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LogRecord {
    /// Store sequence number, increasing across all types.
    pub id: u64,
    pub kind: LogKind,
    pub time: UnixMillis,
    pub level: LogLevel,
    /// Where it came from: a model path (`/chains/sim/nodes/node-1`) or an agent module.
    pub source: String,
    pub message: String,
}
