//! The actions of chain-agent-logs (`/logs/query`, `/logs/delete`,
//! `/logs/backup`), run by the same core functions as `chain-agent ctl
//! logs`; delete and backup are recorded in the operation log with the
//! NETCONF session as origin.

use super::action::{Invocation, Output};
use super::config_ops::origin;
use super::{Errors, SessionState};
use crate::core::backup::BackupError;
use crate::core::log_admin;
use crate::core::store::LogFilter;
use crate::model::log::{LogKind, LogLevel};
use crate::netconf::events::notify::{date_and_time, parse_date_and_time};
use crate::netconf::rpc_error::{RpcError, Tag};
use crate::netconf::shared::Server;

pub const QUERY: &str = "/chain-agent-logs:logs/query";
pub const DELETE: &str = "/chain-agent-logs:logs/delete";
pub const BACKUP: &str = "/chain-agent-logs:logs/backup";

pub fn run(server: &Server, state: &SessionState, inv: &Invocation) -> Result<Output, Errors> {
    let agent = &server.agent;
    let failed = |e: crate::core::store::StoreError| {
        RpcError::application(Tag::OperationFailed, e.to_string()).with_path(&inv.target)
    };
    match inv.action.as_str() {
        QUERY => {
            let filter = selection(inv)?;
            let limit = match inv.leaf("limit") {
                Some(l) => l.parse::<u64>().map_err(|_| bad_input(inv, "limit", l))?,
                None => 100,
            };
            let mut records = log_admin::query(agent, &filter, limit).map_err(failed)?;
            // The store answers newest first; the action is oldest first.
            records.reverse();
            let mut out = Output::default();
            for r in records {
                let entry = format!("record[id='{}']", r.id);
                out.push(format!("{entry}/kind"), r.kind.as_str());
                out.push(format!("{entry}/time"), date_and_time(r.time));
                out.push(format!("{entry}/level"), r.level.as_str());
                out.push(format!("{entry}/source"), r.source);
                out.push(format!("{entry}/message"), r.message);
            }
            Ok(out)
        }
        DELETE => {
            let filter = selection(inv)?;
            let n = log_admin::delete(agent, &filter, &origin(state)).map_err(failed)?;
            Ok(Output::default().leaf("deleted", n.to_string()))
        }
        BACKUP => {
            let name = inv.leaf("name").unwrap_or_default();
            log_admin::backup(agent, name, &origin(state)).map_err(|e| {
                let tag = match e {
                    BackupError::BadName => Tag::InvalidValue,
                    BackupError::Exists(_) => Tag::DataExists,
                    _ => Tag::OperationFailed,
                };
                RpcError::application(tag, e.to_string()).with_path(input_path(inv, "name"))
            })?;
            Ok(Output::default())
        }
        other => Err(RpcError::application(
            Tag::OperationNotSupported,
            format!("{other} is not a log action"),
        )
        .into()),
    }
}

/// The `selection` grouping as a store filter. libyang has checked the
/// types; what it cannot know is that since must come before until.
fn selection(inv: &Invocation) -> Result<LogFilter, RpcError> {
    let time = |name: &str| -> Result<Option<u64>, RpcError> {
        inv.leaf(name)
            .map(|t| parse_date_and_time(t).ok_or_else(|| bad_input(inv, name, t)))
            .transpose()
    };
    let filter = LogFilter {
        kind: inv
            .leaf("kind")
            .map(|k| LogKind::parse(k).ok_or_else(|| bad_input(inv, "kind", k)))
            .transpose()?,
        min_level: inv
            .leaf("level")
            .map(|l| level(l).ok_or_else(|| bad_input(inv, "level", l)))
            .transpose()?,
        since: time("since")?,
        until: time("until")?,
        contains: inv.leaf("contains").map(str::to_string),
    };
    if let (Some(s), Some(u)) = (filter.since, filter.until)
        && s >= u
    {
        return Err(RpcError::application(
            Tag::InvalidValue,
            "until must be later than since: the range selects nothing",
        )
        .with_path(input_path(inv, "until")));
    }
    Ok(filter)
}

fn level(s: &str) -> Option<LogLevel> {
    [
        LogLevel::Error,
        LogLevel::Warning,
        LogLevel::Info,
        LogLevel::Debug,
    ]
    .into_iter()
    .find(|l| l.as_str() == s)
}

fn action_name(inv: &Invocation) -> &str {
    inv.action.rsplit('/').next().unwrap_or_default()
}

fn input_path(inv: &Invocation, leaf: &str) -> String {
    format!("{}/{}/{leaf}", inv.target, action_name(inv))
}

fn bad_input(inv: &Invocation, leaf: &str, value: &str) -> RpcError {
    RpcError::application(
        Tag::InvalidValue,
        format!("'{value}' is not a valid {leaf}"),
    )
    .with_path(input_path(inv, leaf))
}
