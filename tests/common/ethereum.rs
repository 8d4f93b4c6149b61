//! Real Ethereum nodes for end-to-end tests: anvil and the EthereumJS
//! client, started on free loopback ports and killed when dropped (also on
//! panic). A missing binary fails the test with the setup command to run.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is not installed: run `bash tools/setup` (then `source .deps/env.sh`)"
    );
}

/// A TCP port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One JSON-RPC call over plain HTTP/1.1; Err is the node's error or why
/// there was no answer.
pub fn rpc(port: u16, method: &str, params: Value) -> Result<Value, String> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let req = format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| format!("read: {e}"))?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no HTTP body in {text:?}"))?;
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    let v: Value = serde_json::from_str(&body).map_err(|e| format!("{method}: {e}: {body}"))?;
    match v.get("error") {
        Some(e) if !e.is_null() => Err(format!("{method}: {e}")),
        _ => Ok(v["result"].clone()),
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

pub fn quantity(v: &Value) -> u64 {
    let s = v.as_str().unwrap_or_else(|| panic!("not a quantity: {v}"));
    u64::from_str_radix(s.trim_start_matches("0x"), 16).expect("hex quantity")
}

/// The node's block hash at `height`.
pub fn hash_at(port: u16, height: u64) -> String {
    let b = rpc(
        port,
        "eth_getBlockByNumber",
        json!([format!("{height:#x}"), false]),
    )
    .expect("eth_getBlockByNumber");
    b["hash"].as_str().expect("block hash").to_string()
}

pub fn block_number(port: u16) -> u64 {
    quantity(&rpc(port, "eth_blockNumber", json!([])).expect("eth_blockNumber"))
}

fn wait_rpc(port: u16, what: &str, child: &mut Child, log: &Path, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if rpc(port, "eth_blockNumber", json!([])).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "{what} exited ({status}); output:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "{what} did not answer RPC on port {port} within {secs} s; output:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// SIGTERM, a grace period, then SIGKILL: EthereumJS ignores SIGTERM.
fn stop(child: &mut Child, grace: Duration) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    // SAFETY: signalling our own child process by its pid.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub struct Anvil {
    child: Child,
    pub port: u16,
}

impl Anvil {
    /// `anvil --port P --silent ARGS`, ready when it answers RPC.
    pub fn start(dir: &Path, name: &str, args: &[&str]) -> Anvil {
        require("anvil");
        let port = free_port();
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("anvil log");
        let mut child = Command::new("anvil")
            .args(["--port", &port.to_string(), "--silent"])
            .args(args)
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .stdin(Stdio::null())
            .spawn()
            .expect("start anvil");
        wait_rpc(port, "anvil", &mut child, &log, 30);
        Anvil { child, port }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The PID of the anvil process.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn mine(&self, blocks: u64) {
        rpc(self.port, "anvil_mine", json!([format!("{blocks:#x}")])).expect("anvil_mine");
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        self.kill();
    }
}

pub struct EthereumJs {
    child: Child,
    pub rpc_port: u16,
    pub p2p_port: u16,
    pub log: PathBuf,
}

impl EthereumJs {
    /// `ethereumjs --dev=poa` on loopback without discovery; `args` adds
    /// the mining, key and bootnode options.
    pub fn start(dir: &Path, name: &str, args: &[String]) -> EthereumJs {
        require("ethereumjs");
        let (rpc_port, p2p_port) = (free_port(), free_port());
        let data = dir.join(name);
        let log = dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).expect("ethereumjs log");
        let child = Command::new("ethereumjs")
            .arg("--dev=poa")
            .args(["--rpc", "--rpcPort", &rpc_port.to_string()])
            .args(["--port", &p2p_port.to_string()])
            .args(["--discV4=false", "--discDns=false", "--extIP", "127.0.0.1"])
            .arg("--dataDir")
            .arg(&data)
            .args(args)
            .stdout(out.try_clone().expect("log"))
            .stderr(out)
            .stdin(Stdio::null())
            .spawn()
            .expect("start ethereumjs");
        let mut node = EthereumJs {
            child,
            rpc_port,
            p2p_port,
            log,
        };
        wait_rpc(
            rpc_port,
            "ethereumjs",
            &mut node.child,
            &node.log.clone(),
            90,
        );
        node
    }

    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A `Name: value` line of the start-up banner (the dev signer's
    /// `Address:` and `Private key:`).
    pub fn banner(&self, name: &str) -> String {
        self.output()
            .lines()
            .find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("no '{name}' in the ethereumjs output:\n{}", self.output()))
    }

    pub fn enode(&self) -> String {
        let info = rpc(self.rpc_port, "admin_nodeInfo", json!([])).expect("admin_nodeInfo");
        info["enode"].as_str().expect("enode").to_string()
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rpc_port)
    }
}

impl Drop for EthereumJs {
    fn drop(&mut self) {
        stop(&mut self.child, Duration::from_secs(2));
    }
}
