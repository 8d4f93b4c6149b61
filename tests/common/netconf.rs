//! Driving the agent's NETCONF server with real clients: ncclient (Python)
//! and netconf-console2, from the venv `tools/setup` builds.

#![allow(dead_code)]

use super::AgentProcess;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The test configuration's NETCONF section: an ephemeral port, an admin
/// and a read-only user.
pub const DEFAULT_SECTION: &str = "[netconf]\nlisten = \"127.0.0.1:0\"\n\n\
[netconf.users.admin]\npassword = \"admin-pw\"\nadmin = true\n\n\
[netconf.users.reader]\npassword = \"reader-pw\"\n\n";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's Python with ncclient importable, or a failure naming the setup command.
pub fn python() -> PathBuf {
    let py = repo().join(".venv/bin/python");
    let ok = Command::new(&py)
        .args(["-c", "import ncclient, netconf_console"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    assert!(
        ok,
        "ncclient / netconf-console2 are not installed in .venv: run `bash tools/setup`"
    );
    py
}

/// The address the NETCONF server listens on, from its start-up log line.
pub fn netconf_port(agent: &AgentProcess) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let log = std::fs::read_to_string(agent.dir.join("agent.log")).unwrap_or_default();
        if let Some(addr) = log
            .lines()
            .find_map(|l| l.split("NETCONF server listening on ").nth(1))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|a| a.parse::<std::net::SocketAddr>().ok())
        {
            return addr.port();
        }
        assert!(
            Instant::now() < deadline,
            "the agent did not report its NETCONF listener; log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Run a Python script that uses tests/data/netconf/nc.py against the agent
/// as `user`; returns the output, which must be a success.
pub fn script(agent: &AgentProcess, user: &str, body: &str) -> String {
    let o = script_output(agent, user, body);
    let text = out_text(&o);
    assert!(
        o.status.success(),
        "script failed:\n{text}\nagent log:\n{}",
        agent_log(agent)
    );
    text
}

pub fn script_output(agent: &AgentProcess, user: &str, body: &str) -> Output {
    let port = netconf_port(agent);
    let password = match user {
        "admin" => "admin-pw",
        "reader" => "reader-pw",
        other => other,
    };
    let prelude = "import sys, os\nsys.path.insert(0, os.environ['NC_LIB'])\nfrom nc import *\n";
    Command::new(python())
        .arg("-c")
        .arg(format!("{prelude}{body}"))
        .env("NC_LIB", repo().join("tests/data/netconf"))
        .env("NC_PORT", port.to_string())
        .env("NC_USER", user)
        .env("NC_PASSWORD", password)
        .output()
        .expect("run python")
}

/// netconf-console2 with `args` against the agent as `user`.
pub fn console(agent: &AgentProcess, user: &str, password: &str, args: &[&str]) -> Output {
    let port = netconf_port(agent).to_string();
    let bin = repo().join(".venv/bin/netconf-console2");
    python();
    Command::new(bin)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "-u",
            user,
            "-p",
            password,
        ])
        .args(args)
        .output()
        .expect("run netconf-console2")
}

pub fn out_text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn agent_log(agent: &AgentProcess) -> String {
    let log = std::fs::read_to_string(agent.dir.join("agent.log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
