//! The client side of the control socket, for `chain-agent ctl`.

use super::request::Request;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

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
