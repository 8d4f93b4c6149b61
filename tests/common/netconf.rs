//! Driving the agent's NETCONF server with real clients: ncclient (Python)
//! and netconf-console2, from the venv `tools/setup` builds.

#![allow(dead_code)]

use super::AgentProcess;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
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
    script_command(agent, user, body)
        .output()
        .expect("run python")
}

/// The Python command that runs `body` after importing tests/data/netconf/nc.py,
/// connecting as `user`.
fn script_command(agent: &AgentProcess, user: &str, body: &str) -> Command {
    let port = netconf_port(agent);
    let password = match user {
        "admin" => "admin-pw",
        "reader" => "reader-pw",
        other => other,
    };
    let prelude = "import sys, os\nsys.path.insert(0, os.environ['NC_LIB'])\nfrom nc import *\n";
    let mut c = Command::new(python());
    c.arg("-c")
        .arg(format!("{prelude}{body}"))
        .env("NC_LIB", repo().join("tests/data/netconf"))
        .env("NC_PORT", port.to_string())
        .env("NC_USER", user)
        .env("NC_PASSWORD", password);
    c
}

/// An ncclient session subscribed to the NETCONF event stream for the whole
/// test, writing each notification it receives as one line of a file.
pub struct NotificationListener {
    child: Child,
    out: PathBuf,
}

const LISTEN: &str = r#"
out = sys.argv[1]
with connect() as m:
    m.create_subscription()
    open(out + ".ready", "w").close()
    while True:
        n = m.take_notification(timeout=1)
        if n is not None:
            with open(out, "a") as f:
                f.write(n.notification_xml.replace("\n", " ") + "\n")
"#;

impl NotificationListener {
    /// Subscribe as `user`; returns once the subscription is in place.
    pub fn start(agent: &AgentProcess, user: &str, dir: &Path) -> NotificationListener {
        let out = dir.join("netconf-notifications.log");
        let ready = dir.join("netconf-notifications.log.ready");
        let errors = dir.join("netconf-notifications.err");
        let stderr = std::fs::File::create(&errors).expect("listener stderr");
        let child = script_command(agent, user, LISTEN)
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("start the ncclient listener");
        let mut l = NotificationListener { child, out };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !ready.exists() {
            if let Ok(Some(status)) = l.child.try_wait() {
                let err = std::fs::read_to_string(&errors).unwrap_or_default();
                panic!("the ncclient listener exited: {status}\n{err}");
            }
            assert!(
                Instant::now() < deadline,
                "the ncclient listener did not subscribe"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        l
    }

    /// The notifications received so far, one XML document each.
    pub fn notifications(&self) -> Vec<String> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Wait up to `secs` for a notification that contains every one of
    /// `parts`; returns it, or fails with what arrived.
    pub fn wait_for(&self, parts: &[&str], secs: u64) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(n) = self
                .notifications()
                .into_iter()
                .find(|n| parts.iter().all(|p| n.contains(p)))
            {
                return n;
            }
            assert!(
                Instant::now() < deadline,
                "no NETCONF notification with {parts:?}; received:\n{}",
                self.notifications().join("\n")
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for NotificationListener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
