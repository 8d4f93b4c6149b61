//! Litecoin Core for end-to-end tests: one `litecoind -regtest` process
//! on loopback, as every test that runs one starts it.

#![allow(dead_code)]

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// `litecoind -regtest` with its data in `dir`, P2P and RPC on loopback
/// ports, no wallet, no discovery; `extra` adds arguments (RPC
/// credentials, a PID file). Output goes nowhere: the tests read RPC.
pub fn spawn(dir: &Path, p2p: u16, rpc: u16, extra: &[String]) -> Child {
    Command::new("litecoind")
        .arg("-regtest")
        .arg(format!("-datadir={}", dir.display()))
        .arg(format!("-port={p2p}"))
        .arg(format!("-rpcport={rpc}"))
        .args([
            "-bind=127.0.0.1",
            "-rpcbind=127.0.0.1",
            "-rpcallowip=127.0.0.1",
            "-listen=1",
            "-dnsseed=0",
            "-discover=0",
            "-disablewallet",
            "-server=1",
            "-printtoconsole=0",
        ])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start litecoind (installed by `bash tools/setup`)")
}

/// `litecoin-cli -regtest` against the node whose data is in `dir` and
/// RPC on `rpc`, with `credentials` (`-rpcuser=`/`-rpcpassword=`, or none
/// for the cookie): its output parsed as JSON when it is JSON, else the
/// text; the node's error text when the call fails.
pub fn cli(dir: &Path, rpc: u16, credentials: &[String], args: &[&str]) -> Result<Value, String> {
    let out = Command::new("litecoin-cli")
        .arg("-regtest")
        .arg(format!("-datadir={}", dir.display()))
        .arg(format!("-rpcport={rpc}"))
        .args(credentials)
        .args(args)
        .output()
        .map_err(|e| format!("run litecoin-cli: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok(serde_json::from_str(&text).unwrap_or(Value::String(text)))
}
