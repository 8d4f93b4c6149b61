//! Litecoin Core for end-to-end tests: one `litecoind -regtest` process
//! on loopback, as every test that runs one starts it.

#![allow(dead_code)]

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
