//! The local control socket: a Unix socket in the data directory, mode 0600,
//! speaking one JSON request per line. `chain-agent ctl` uses it for
//! configuration edits, fault injection, alarm acknowledgement and log
//! management; only the agent's own user can reach it.

use super::datastore::Edit;
use super::log_admin;
use super::runtime::{Agent, AgentError, lock_engine};
use super::store::LogFilter;
use crate::config::Config;
use crate::model::log::{LogKind, LogLevel};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

/// Longest request line accepted, so a stray client cannot exhaust memory.
const MAX_LINE: usize = 4 << 20;

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

/// The control socket, bound before the store is opened so that a start
/// that cannot serve it fails before touching anything. Dropping it
/// removes the socket file.
pub struct ControlListener {
    listener: std::os::unix::net::UnixListener,
    path: std::path::PathBuf,
}

impl Drop for ControlListener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Bind the control socket at `path`, mode 0600. The caller holds the
/// data-directory lock, so a socket file already there is stale.
pub fn bind(path: &std::path::Path) -> Result<ControlListener, AgentError> {
    let _ = std::fs::remove_file(path);
    let err = |e| AgentError::Control(path.to_path_buf(), e);
    let listener = std::os::unix::net::UnixListener::bind(path).map_err(err)?;
    // From here on the file is ours to remove, whatever fails next.
    let bound = ControlListener {
        listener,
        path: path.to_path_buf(),
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(err)?;
    bound.listener.set_nonblocking(true).map_err(err)?;
    Ok(bound)
}

/// Serve requests on a bound control socket until the task is aborted.
pub fn serve(
    agent: Arc<Agent>,
    bound: ControlListener,
) -> Result<tokio::task::JoinHandle<()>, AgentError> {
    let listener = UnixListener::from_std(
        bound
            .listener
            .try_clone()
            .map_err(|e| AgentError::Control(bound.path.clone(), e))?,
    )
    .map_err(|e| AgentError::Control(bound.path.clone(), e))?;
    Ok(tokio::spawn(async move {
        // Held by the task: aborting it removes the socket file.
        let _bound = bound;
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(connection(agent.clone(), stream));
        }
    }))
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

async fn connection(agent: Arc<Agent>, stream: UnixStream) {
    let who = match stream.peer_cred() {
        Ok(c) => format!("ctl:uid={}", c.uid()),
        Err(_) => "ctl".to_string(),
    };
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut line = String::new();
    loop {
        line.clear();
        // Read at most one byte past the limit, so an endless line costs
        // MAX_LINE of memory, not whatever the client sends.
        match (&mut lines)
            .take(MAX_LINE as u64 + 1)
            .read_line(&mut line)
            .await
        {
            Ok(0) | Err(_) => return,
            Ok(n) if n > MAX_LINE => return,
            Ok(_) => {}
        }
        let reply = match parse_request(&line) {
            Ok(req) => {
                let agent = agent.clone();
                let who = who.clone();
                // Store work blocks; keep it off the async workers.
                tokio::task::spawn_blocking(move || handle(&agent, req, &who))
                    .await
                    .unwrap_or_else(|e| Err(format!("internal error: {e}")))
            }
            Err(e) => {
                agent.logs.record(
                    LogKind::Security,
                    LogLevel::Warning,
                    &who,
                    format!("malformed control request: {e}"),
                );
                Err(format!("malformed request: {e}"))
            }
        };
        let body = match reply {
            Ok(result) => json!({"ok": true, "result": result}),
            Err(error) => json!({"ok": false, "error": error}),
        };
        let mut out = body.to_string();
        out.push('\n');
        if write.write_all(out.as_bytes()).await.is_err() {
            return;
        }
    }
}

fn handle(agent: &Agent, req: Request, who: &str) -> Result<Value, String> {
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
            let mut engine = lock_engine(&agent.engine);
            let a = engine
                .alarms_mut()
                .acknowledge(alarm, acknowledged, who, &text)
                .map_err(|e| e.to_string())?;
            engine.publish(&agent.datastore.running());
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

/// Client side, for `chain-agent ctl`: send one request, return the result.
pub async fn call(socket: &std::path::Path, req: &Request) -> Result<Value, String> {
    let stream = UnixStream::connect(socket).await.map_err(|e| format!("cannot reach the agent at {}: {e} (is `chain-agent run` running with this data directory?)", socket.display()))?;
    let (read, mut write) = stream.into_split();
    let mut line = serde_json::to_string(req).map_err(|e| e.to_string())?;
    line.push('\n');
    write
        .write_all(line.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut reply = String::new();
    BufReader::new(read)
        .read_line(&mut reply)
        .await
        .map_err(|e| e.to_string())?;
    let v: Value =
        serde_json::from_str(&reply).map_err(|e| format!("bad reply from the agent: {e}"))?;
    if v["ok"] == Value::Bool(true) {
        Ok(v["result"].clone())
    } else {
        Err(v["error"].as_str().unwrap_or("unknown error").to_string())
    }
}
