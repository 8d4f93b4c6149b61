//! One datastore for SNMP and NETCONF: a change through either shows in the
//! other at once, a NETCONF lock stops SNMP SETs, and every change is
//! announced as netconf-config-change, replayable from the history.

mod common;

use common::AgentProcess;
use common::netconf::{agent_log, out_text, script, script_output};
use common::snmp::{base, snmp_port, text, tool};

const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";

const SNMP_RW: &str = r#"[snmp]
listen = ["127.0.0.1:0"]

[snmp.communities.private]
access = "read-write"
sources = ["127.0.0.0/8"]
"#;

fn start() -> (tempfile::TempDir, AgentProcess, String) {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), SNMP_RW);
    let target = format!("127.0.0.1:{}", snmp_port(&agent));
    (dir, agent, target)
}

fn snmpset(t: &str, value: &str) -> std::process::Output {
    tool(
        "snmpset",
        &[
            base("2c", &["-c", "private", t]).as_slice(),
            &[SYS_CONTACT, "s", value],
        ]
        .concat(),
    )
}

fn snmpget(t: &str) -> String {
    let o = tool(
        "snmpget",
        &[base("2c", &["-c", "private", t]).as_slice(), &[SYS_CONTACT]].concat(),
    );
    text(&o)
}

#[test]
fn snmp_set_and_netconf_edit_see_each_other() {
    let (_d, agent, t) = start();
    let o = snmpset(&t, "set-by-snmp");
    assert!(o.status.success(), "{}", text(&o));
    script(
        &agent,
        "admin",
        r#"
with connect() as m:
    assert xp(m.get_config(source="running").data_ele, "//s:system/s:contact/text()") == ["set-by-snmp"]
    m.edit_config(target="running", config=f'<config><system xmlns="{SYS}"><contact>set-by-netconf</contact></system></config>')
"#,
    );
    let got = snmpget(&t);
    assert!(got.contains("set-by-netconf"), "{got}");
}

#[test]
fn a_netconf_lock_refuses_snmp_sets_until_released() {
    let (_d, agent, t) = start();
    // The session holds the lock while snmpset runs from inside the script.
    let body = format!(
        r#"
import subprocess
def snmpset(v):
    return subprocess.run(["snmpset", "-v2c", "-c", "private", "-r", "0", "-t", "3", "{t}", "{SYS_CONTACT}", "s", v],
                          capture_output=True, text=True)
with connect() as m:
    m.lock("running")
    r = snmpset("while-locked")
    assert r.returncode != 0 and "resourceUnavailable" in (r.stdout + r.stderr), (r.stdout, r.stderr)
    m.unlock("running")
    r = snmpset("after-unlock")
    assert r.returncode == 0, (r.stdout, r.stderr)
"#
    );
    let o = script_output(&agent, "admin", &body);
    assert!(
        o.status.success(),
        "{}\n{}",
        out_text(&o),
        agent_log(&agent)
    );
    assert!(snmpget(&t).contains("after-unlock"));
}

#[test]
fn config_changes_are_notified_live_and_replayed() {
    let (_d, agent, t) = start();
    // A change before anyone subscribes: only replay can show it.
    let o = snmpset(&t, "before-subscribing");
    assert!(o.status.success(), "{}", text(&o));
    let body = format!(
        r#"
import subprocess, datetime
NOTIF = "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"
def wait_for(m, pred, what):
    for _ in range(40):
        n = m.take_notification(timeout=0.5)
        if n is not None and pred(n.notification_xml):
            return n.notification_xml
    raise AssertionError("no notification: " + what)
with connect() as m:
    m.create_subscription()
    r = subprocess.run(["snmpset", "-v2c", "-c", "private", "{t}", "{SYS_CONTACT}", "s", "live"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    x = wait_for(m, lambda x: "netconf-config-change" in x and "snmp:v2c" in x, "live config change from SNMP")
    assert "<session-id>0</session-id>" in x and "/system/contact" in x.replace("ca-sys:", "").replace("chain-agent-system:", ""), x
    m.edit_config(target="running", config=f'<config><system xmlns="{{SYS}}"><location>row-9</location></system></config>')
    x = wait_for(m, lambda x: "netconf-config-change" in x and "<username>admin</username>" in x, "config change from NETCONF")
    assert f"<session-id>{{m.session_id}}</session-id>" in x, x
with connect() as m:
    start = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)).isoformat()
    m.create_subscription(start_time=start)
    wait_for(m, lambda x: "netconf-config-change" in x and "snmp:v2c" in x, "replayed SNMP change")
    wait_for(m, lambda x: "replayComplete" in x, "replayComplete")
    from ncclient.operations.rpc import RPCError
    expect_error(lambda: m.create_subscription(), "in-use")
# Filters: an XPath filter on config changes gets them, a subtree filter on
# alarms does not.
with connect() as picky, connect() as alarms_only:
    picky.create_subscription(filter=("xpath", "/ietf-netconf-notifications:netconf-config-change"))
    alarms_only.create_subscription(filter=("subtree", '<alarm-notification xmlns="urn:ietf:params:xml:ns:yang:ietf-alarms"/>'))
    r = subprocess.run(["snmpset", "-v2c", "-c", "private", "{t}", "{SYS_CONTACT}", "s", "filtered"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    wait_for(picky, lambda x: "netconf-config-change" in x and "snmp:v2c" in x, "config change through an XPath filter")
    for _ in range(6):
        n = alarms_only.take_notification(timeout=0.5)
        assert n is None or "netconf-config-change" not in n.notification_xml, n.notification_xml
with connect() as m:
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).isoformat()
    expect_error(lambda: m.create_subscription(start_time=later), "bad-element")
"#
    );
    let o = script_output(&agent, "admin", &body);
    assert!(
        o.status.success(),
        "{}\n{}",
        out_text(&o),
        agent_log(&agent)
    );
}
