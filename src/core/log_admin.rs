//! The operator's log operations (query, delete, backup), shared by every
//! interface that offers them: the control socket (`chain-agent ctl logs`)
//! and NETCONF's chain-agent-logs actions. Deleting and backing up change
//! the agent's state, so each is recorded in the operation log with who
//! asked.

use super::backup::BackupError;
use super::runtime::Agent;
use super::store::{LogFilter, StoreError};
use crate::model::log::{LogKind, LogLevel, LogRecord};
use std::path::PathBuf;

/// Most records one query returns, whatever the caller asks.
pub const MAX_QUERY: u64 = 100_000;

/// Records matching `filter`, newest first, at most `limit` (capped at
/// [`MAX_QUERY`]). Records still queued for the store are included.
pub fn query(agent: &Agent, filter: &LogFilter, limit: u64) -> Result<Vec<LogRecord>, StoreError> {
    agent.logs.flush();
    agent.store.query_logs(filter, limit.min(MAX_QUERY))
}

/// Delete the records matching `filter`; returns how many went.
pub fn delete(agent: &Agent, filter: &LogFilter, who: &str) -> Result<u64, StoreError> {
    agent.logs.flush();
    let n = agent.store.delete_logs(filter)?;
    agent.logs.record(
        LogKind::Operation,
        LogLevel::Info,
        who,
        format!("deleted {n} log records matching {}", describe(filter)),
    );
    Ok(n)
}

/// Write a consistent copy of the store (logs, alarms, configuration,
/// without secrets) as the new file `name` in the configured backup
/// directory ([`super::backup`]); returns its path.
pub fn backup(agent: &Agent, name: &str, who: &str) -> Result<PathBuf, BackupError> {
    agent.logs.flush();
    let running = agent.datastore.running();
    let path = super::backup::write(&agent.store, &running, &running.backup_dir(), name)?;
    agent.logs.record(
        LogKind::Operation,
        LogLevel::Info,
        who,
        format!("store backed up to {}", path.display()),
    );
    Ok(path)
}

/// The selection as the operation log shows it.
pub fn describe(f: &LogFilter) -> String {
    let mut parts = Vec::new();
    if let Some(k) = f.kind {
        parts.push(format!("kind={}", k.as_str()));
    }
    if let Some(l) = f.min_level {
        parts.push(format!("level>={}", l.as_str()));
    }
    if let Some(t) = f.since {
        parts.push(format!("since={t}"));
    }
    if let Some(t) = f.until {
        parts.push(format!("until={t}"));
    }
    if let Some(c) = &f.contains {
        parts.push(format!("contains={c:?}"));
    }
    if parts.is_empty() {
        "everything".into()
    } else {
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_is_described_by_its_criteria() {
        assert_eq!(describe(&LogFilter::default()), "everything");
        let f = LogFilter {
            kind: Some(LogKind::Contract),
            min_level: Some(LogLevel::Warning),
            since: Some(5),
            until: None,
            contains: Some("revert".into()),
        };
        assert_eq!(
            describe(&f),
            "kind=contract level>=warning since=5 contains=\"revert\""
        );
    }
}
