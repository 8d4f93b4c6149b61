//! What the agent does for each control request, as the peer `who`.

use super::request::Request;
use crate::core::log_admin;
use crate::core::runtime::Agent;
use serde::Serialize;
use serde_json::{Value, json};

pub(super) fn handle(agent: &Agent, req: Request, who: &str) -> Result<Value, String> {
    match req {
        Request::GetConfig { startup: false } => to_json(&*agent.datastore.running()),
        Request::GetConfig { startup: true } => {
            to_json(&agent.datastore.startup().map_err(|e| e.to_string())?)
        }
        Request::Edit { edits } => {
            let rev = agent
                .datastore
                .edit(&edits, who)
                .map_err(|e| e.to_string())?;
            Ok(json!({"revision": rev}))
        }
        Request::Commit { config } => {
            let rev = agent
                .datastore
                .commit(*config, who)
                .map_err(|e| e.to_string())?;
            Ok(json!({"revision": rev}))
        }
        Request::SaveStartup => {
            let rev = agent
                .datastore
                .save_startup(who)
                .map_err(|e| e.to_string())?;
            Ok(json!({"revision": rev}))
        }
        Request::Snapshot => to_json(&*agent.snapshot.load_full()),
        Request::Ack {
            alarm,
            acknowledged,
            text,
        } => {
            let a = agent
                .acknowledge_alarm(alarm, acknowledged, who, &text)
                .map_err(|e| e.to_string())?;
            to_json(&a)
        }
        Request::LogsQuery { filter, limit } => {
            to_json(&log_admin::query(agent, &filter.into(), limit).map_err(|e| e.to_string())?)
        }
        Request::LogsDelete { filter } => {
            let n = log_admin::delete(agent, &filter.into(), who).map_err(|e| e.to_string())?;
            Ok(json!({"deleted": n}))
        }
        Request::LogsBackup { name } => {
            let path = log_admin::backup(agent, &name, who).map_err(|e| e.to_string())?;
            Ok(json!({"path": path.display().to_string()}))
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}
