//! Running the real `chain-agent` binary for end-to-end tests, and talking to
//! it over its control socket exactly as `chain-agent ctl` does.

#![allow(dead_code)]

pub mod netconf;
pub mod snmp;
pub mod traps;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_chain-agent");

pub struct AgentProcess {
    pub child: Child,
    pub dir: PathBuf,
    pub config: PathBuf,
}

impl AgentProcess {
    /// Start the agent with `extra` TOML appended to a fast test configuration.
    pub fn start(dir: &Path, extra: &str) -> AgentProcess {
        AgentProcess::start_with(dir, extra, &[])
    }

    /// [`AgentProcess::start`] with more arguments to `chain-agent run`.
    pub fn start_with(dir: &Path, extra: &str, args: &[&str]) -> AgentProcess {
        let config = dir.join("agent.toml");
        if !config.exists() {
            // Tests run in parallel: SNMP on an ephemeral port unless the
            // test configures it.
            let snmp = if extra.contains("[snmp]") {
                ""
            } else {
                "[snmp]\nlisten = [\"127.0.0.1:0\"]\n"
            };
            // Likewise NETCONF, with an admin and a read-only user.
            let netconf = if extra.contains("[netconf") {
                String::new()
            } else {
                netconf::DEFAULT_SECTION.to_string()
            };
            let text = format!(
                "[agent]\ndata-dir = \"{}\"\ncollect-interval-ms = 200\nhost-interval-ms = 500\n\n{snmp}{netconf}{extra}\n",
                dir.join("data").display()
            );
            std::fs::write(&config, text).expect("write config");
        }
        let log = std::fs::File::create(dir.join("agent.log")).expect("log file");
        let child = Command::new(BIN)
            .args(["run", "--config"])
            .arg(&config)
            .args(args)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start chain-agent");
        let mut p = AgentProcess {
            child,
            dir: dir.to_path_buf(),
            config,
        };
        p.wait_ready();
        p
    }

    pub fn socket(&self) -> PathBuf {
        self.dir.join("data").join("control.sock")
    }

    /// The control socket is bound before the store is opened, and
    /// answers once the agent has started: wait for an answer.
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if UnixStream::connect(self.socket()).is_ok()
                && call(&self.socket(), json!({"op": "get-config"})).is_ok()
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "agent exited ({status}) before opening its control socket; log:\n{}",
                    std::fs::read_to_string(self.dir.join("agent.log")).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "agent did not open its control socket; log:\n{}",
            std::fs::read_to_string(self.dir.join("agent.log")).unwrap_or_default()
        );
    }

    /// One control request; Err carries the agent's error text.
    pub fn call(&self, request: Value) -> Result<Value, String> {
        call(&self.socket(), request)
    }

    pub fn kill9(&mut self) {
        let _ = self.child.kill(); // SIGKILL
        let _ = self.child.wait();
    }

    pub fn stop(&mut self) {
        // SAFETY: signalling our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill9();
    }

    /// Run `chain-agent ctl ARGS` against this agent, as an operator would.
    pub fn ctl(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(BIN)
            .arg("ctl")
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .output()
            .expect("run ctl");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    pub fn active_alarms(&self) -> Vec<Value> {
        let snap = self.call(json!({"op": "snapshot"})).expect("snapshot");
        snap["faults"]["active"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Wait until `pred` holds for the active alarms, or fail with `what`.
    pub fn wait_alarms(
        &self,
        what: &str,
        secs: u64,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let alarms = self.active_alarms();
            if pred(&alarms) {
                return alarms;
            }
            if Instant::now() > deadline {
                let brief: Vec<String> = alarms
                    .iter()
                    .map(|a| format!("{} {}", a["alarm-type"], a["resource"]))
                    .collect();
                panic!("timed out waiting for {what}; active alarms: {brief:?}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for AgentProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

pub fn call(socket: &Path, request: Value) -> Result<Value, String> {
    let mut s = UnixStream::connect(socket).map_err(|e| format!("connect: {e}"))?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    let mut line = request.to_string();
    line.push('\n');
    s.write_all(line.as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut reply = String::new();
    BufReader::new(&s)
        .read_line(&mut reply)
        .map_err(|e| format!("read: {e}"))?;
    let v: Value = serde_json::from_str(&reply).map_err(|e| format!("reply {reply:?}: {e}"))?;
    if v["ok"] == json!(true) {
        Ok(v["result"].clone())
    } else {
        Err(v["error"].as_str().unwrap_or("?").to_string())
    }
}

pub fn has(alarms: &[Value], alarm_type: &str, resource: &str) -> bool {
    alarms
        .iter()
        .any(|a| a["alarm-type"] == alarm_type && a["resource"] == resource)
}

/// `chain-agent snapshot --json [ARGS]` run in `dir`, parsed.
pub fn snapshot_json(dir: &Path, args: &[&std::ffi::OsStr]) -> Value {
    let out = Command::new(BIN)
        .args(["snapshot", "--json"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run snapshot");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("snapshot JSON")
}

/// `chain-agent check-config PATH`: whether it passed, and what it printed.
pub fn check_config(path: &Path) -> (bool, String) {
    let out = Command::new(BIN)
        .arg("check-config")
        .arg(path)
        .output()
        .expect("run check-config");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}
