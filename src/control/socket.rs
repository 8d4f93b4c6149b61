//! The socket itself: bound in the locked data directory, mode 0600, then
//! served one connection task per client, one request per line.

use super::handler::handle;
use super::request::parse_request;
use crate::core::runtime::Agent;
use crate::model::log::{LogKind, LogLevel};
use serde_json::json;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

/// Why the control socket could not be bound or served.
#[derive(Debug, thiserror::Error)]
#[error("control socket {0}: {1}")]
pub struct ControlError(PathBuf, std::io::Error);

/// Longest request line accepted, so a stray client cannot exhaust memory.
const MAX_LINE: usize = 4 << 20;

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
pub fn bind(path: &std::path::Path) -> Result<ControlListener, ControlError> {
    let _ = std::fs::remove_file(path);
    let err = |e| ControlError(path.to_path_buf(), e);
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

/// A served control socket: stop it to close the socket and remove its file.
pub struct ControlHandle {
    task: tokio::task::JoinHandle<()>,
    path: PathBuf,
}

impl ControlHandle {
    pub fn stop(self) {
        self.task.abort();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Serve requests on a bound control socket until the handle is stopped.
pub fn serve(agent: Arc<Agent>, bound: ControlListener) -> Result<ControlHandle, ControlError> {
    let err = |e| ControlError(bound.path.clone(), e);
    let listener = UnixListener::from_std(bound.listener.try_clone().map_err(err)?).map_err(err)?;
    let path = bound.path.clone();
    let task = tokio::spawn(async move {
        // Held by the task: aborting it removes the socket file.
        let _bound = bound;
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(connection(agent.clone(), stream));
        }
    });
    Ok(ControlHandle { task, path })
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
