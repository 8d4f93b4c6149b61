//! The work of an XPath filter is bounded and stops with its session:
//! the repro of the hardening issue (a read-only user's cubic filter) is
//! refused with operation-failed / xpath-too-costly, a cheap filter still
//! works, kill-session and a dropped transport stop a running filter, and
//! SIGTERM ends the agent within seconds while costly filters run.

mod common;

use common::AgentProcess;
use common::netconf::{agent_log, netconf_port, python, script};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const REPRO: &str = "//*[count(//*[count(//*)>0])>0]";

/// The built-in `demo` user (read-only) stays; an admin is added for
/// kill-session. `extra` goes into `[netconf]`.
fn start(dir: &std::path::Path, extra: &str) -> AgentProcess {
    AgentProcess::start(
        dir,
        &format!(
            "[netconf]\nlisten = \"127.0.0.1:0\"\n{extra}\n\
             [netconf.users.demo]\npassword = \"demo\"\n\n\
             [netconf.users.admin]\npassword = \"admin-pw\"\nadmin = true\n"
        ),
    )
}

/// CPU time (user + system) the agent has used, in clock ticks.
fn cpu_ticks(agent: &AgentProcess) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", agent.child.id()))
        .expect("agent's /proc stat");
    // Fields after the command name (which is in parentheses).
    let rest = stat.rsplit_once(')').expect("stat format").1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

fn ticks_per_second() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

/// CPU the agent burns over `d`, in seconds. An idle test agent uses
/// about 0.04 s a second; a running filter a whole core, or what the
/// machine's load leaves of one.
fn cpu_over(agent: &AgentProcess, d: Duration) -> f64 {
    let before = cpu_ticks(agent);
    std::thread::sleep(d);
    (cpu_ticks(agent) - before) as f64 / ticks_per_second() as f64
}

/// A Python client in the background: `body` runs after `from nc import *`
/// with NC_PORT set; it prints lines the test reads.
fn background(agent: &AgentProcess, body: &str) -> (Child, BufReader<std::process::ChildStdout>) {
    let port = netconf_port(agent);
    let lib = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/netconf");
    let prelude =
        "import sys, os, time\nsys.path.insert(0, os.environ['NC_LIB'])\nfrom nc import *\n";
    let mut child = Command::new(python())
        .arg("-u")
        .arg("-c")
        .arg(format!("{prelude}{body}"))
        .env("NC_LIB", lib)
        .env("NC_PORT", port.to_string())
        .env("NC_USER", "demo")
        .env("NC_PASSWORD", "demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start python");
    let out = BufReader::new(child.stdout.take().expect("stdout"));
    (child, out)
}

/// Read lines until one starts with `prefix`; its remainder.
fn line_starting(out: &mut BufReader<std::process::ChildStdout>, prefix: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        let n = out.read_line(&mut line).expect("read client output");
        assert!(n > 0, "the client ended before printing {prefix}");
        if let Some(rest) = line.trim_end().strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
}

#[test]
fn the_repro_is_refused_quickly_and_cheap_filters_still_work() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start(dir.path(), "");
    let out = script(
        &agent,
        "demo",
        &format!(
            r#"
import time
m = connect()
for expr in ["{REPRO}", "//*[count(//*)>0]"]:
    t = time.time()
    e = expect_error(lambda: m.get(filter=("xpath", expr)), "operation-failed")
    took = time.time() - t
    assert e.app_tag == "xpath-too-costly", e.app_tag
    assert "xpath-max-steps" in e.message, e.message
    assert took < 10, took
    print("refused", expr, round(took, 2))
# A legitimate filter on the same data passes.
r = m.get(filter=("xpath", "//chain-agent-nodes:chain[id='sim']/id | /chain-agent-system:agent"))
assert xp(data_of(r), "//n:chain/n:id/text()") == ["sim"], r.data_xml
# deref() is not offered; a bad expression is the client's error.
expect_error(lambda: m.get(filter=("xpath", "deref(/chain-agent-system:system/name)")), "operation-not-supported")
expect_error(lambda: m.get(filter=("xpath", "//*[")), "invalid-value")
# A subscription whose filter is not an expression is refused up front.
expect_error(lambda: m.create_subscription(filter=("xpath", "//*[")), "invalid-value")
print("ok")
"#
        ),
    );
    assert!(out.contains("ok"), "{out}");
    assert_eq!(out.matches("refused").count(), 2, "{out}");
}

/// Unbounded steps and time: only the session's end stops the filter.
const UNBOUNDED: &str = "xpath-max-steps = 1000000000000\nxpath-timeout-ms = 0\n";

#[test]
fn kill_session_and_a_dropped_transport_stop_a_running_filter() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start(dir.path(), UNBOUNDED);
    // What the agent burns on its own (collection, views), and below with
    // a filter running: after the filter is stopped the agent must be back
    // near the first, however busy the machine (a starved agent burns
    // less either way, so only the comparison means something).
    let idle = cpu_over(&agent, Duration::from_secs(2));

    // kill-session from another session.
    let (mut victim, mut out) = background(
        &agent,
        &format!(
            r#"
m = connect()
m.async_mode = True
m.get(filter=("xpath", "{REPRO}"))
print("session", m.session_id)
time.sleep(120)
"#
        ),
    );
    let id = line_starting(&mut out, "session");
    let running = cpu_over(&agent, Duration::from_secs(2));
    assert!(
        running > idle + 0.1,
        "the filter should be running: {running:.2} s of CPU in 2 s, {idle:.2} s idle"
    );
    let t = Instant::now();
    let killed = script(
        &agent,
        "admin",
        &format!(
            r#"
m = connect()
m.kill_session("{id}")
r = m.get(filter=("xpath", "//chain-agent-nodes:chain/id"))
assert xp(data_of(r), "//n:chain/n:id/text()") == ["sim"], r.data_xml
print("killed")
"#
        ),
    );
    assert!(killed.contains("killed"), "{killed}");
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    let burnt = cpu_over(&agent, Duration::from_secs(2));
    assert!(
        burnt < idle + (running - idle) / 3.0,
        "the agent still works {burnt:.2} s of CPU in 2 s after kill-session ({idle:.2} s idle, {running:.2} s with the filter); log:\n{}",
        agent_log(&agent)
    );
    let _ = victim.kill();
    let _ = victim.wait();

    // The client sends the filter and disconnects.
    let (mut gone, mut out) = background(
        &agent,
        &format!(
            r#"
m = connect()
m.async_mode = True
m.get(filter=("xpath", "{REPRO}"))
print("sent")
time.sleep(1)
os._exit(0)
"#
        ),
    );
    line_starting(&mut out, "sent");
    let _ = gone.wait();
    std::thread::sleep(Duration::from_millis(500));
    let burnt = cpu_over(&agent, Duration::from_secs(2));
    assert!(
        burnt < idle + (running - idle) / 3.0,
        "the agent still works {burnt:.2} s of CPU in 2 s after the client left ({idle:.2} s idle, {running:.2} s with a filter); log:\n{}",
        agent_log(&agent)
    );
}

#[test]
fn sigterm_ends_the_agent_within_seconds_while_costly_filters_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = start(dir.path(), UNBOUNDED);
    let (mut client, mut out) = background(
        &agent,
        &format!(
            r#"
sessions = []
for i in range(2):
    m = connect()
    m.async_mode = True
    m.get(filter=("xpath", "{REPRO}"))
    sessions.append(m)
print("sent")
time.sleep(120)
"#
        ),
    );
    line_starting(&mut out, "sent");
    assert!(
        cpu_over(&agent, Duration::from_secs(2)) > 0.3,
        "the filters should be running"
    );
    // SAFETY: signalling our own child process.
    unsafe { libc::kill(agent.child.id() as i32, libc::SIGTERM) };
    let t = Instant::now();
    let mut exited = false;
    while t.elapsed() < Duration::from_secs(8) {
        if let Ok(Some(_)) = agent.child.try_wait() {
            exited = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = t.elapsed();
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap_or_default();
    if !exited {
        agent.kill9();
    }
    let _ = client.kill();
    let _ = client.wait();
    assert!(exited, "still running {took:?} after SIGTERM; log:\n{log}");
    assert!(took < Duration::from_secs(5), "exit took {took:?}");
}
