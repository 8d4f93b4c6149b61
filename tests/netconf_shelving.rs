//! ietf-alarms alarm shelving end to end: shelves configured over
//! NETCONF (ncclient, netconf-console2) against the running binary move
//! alarms between the alarm list and the shelved-alarm list, hold back
//! their notifications and MIB rows (net-snmp), and persist; and a cleared
//! alarm keeps its severity for purge-alarms' severity filter.

mod common;

use common::netconf::{console, out_text, script};
use common::snmp::{mib_dirs, ok, snmp_port, wait_populated};
use common::{AgentProcess, BIN, has};

const CHAIN: &str = r#"
[chains.sim]
platform = "simulated"
[chains.sim.consensus]
block-interval-ms = 200
"#;

const NODE3: &str = "/chains/sim/nodes/node-3";
const NODE4: &str = "/chains/sim/nodes/node-4";

/// Python helpers; `@CTL@` runs `chain-agent ctl` against the agent.
const HELPERS: &str = r#"
import subprocess, time
AL = "urn:ietf:params:xml:ns:yang:ietf-alarms"
CA = "urn:chain-agent:yang:chain-agent-alarms"
NS = {"a": AL}
def ctl(*args):
    r = subprocess.run(@CTL@ + list(args), capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
def shelf(name, resources=(), types=(), op=None):
    attr = f' xmlns:nc="{NC}" nc:operation="{op}"' if op else ""
    res = "".join(f"<resource>{r}</resource>" for r in resources)
    ts = "".join(f'<alarm-type><alarm-type-id>ca:{t}</alarm-type-id>'
                 f"<alarm-type-qualifier-match>{q}</alarm-type-qualifier-match></alarm-type>"
                 for t, q in types)
    return (f'<config><alarms xmlns="{AL}" xmlns:ca="{CA}"><control><alarm-shelving><shelf{attr}><name>{name}</name>'
            f"{res}{ts}<description>test shelf {name}</description></shelf></alarm-shelving></control></alarms></config>")
def alarms_of(m):
    return m.get(filter=("subtree", f'<alarms xmlns="{AL}"/>')).data_ele
def listed(data, resource, type_id="node-unreachable"):
    return xp(data, f"//a:alarm-list/a:alarm[a:resource='{resource}'][substring-after(a:alarm-type-id, ':')='{type_id}']", NS)
def shelved(data, resource, type_id="node-unreachable"):
    return xp(data, f"//a:shelved-alarms/a:shelved-alarm[a:resource='{resource}'][substring-after(a:alarm-type-id, ':')='{type_id}']", NS)
def count(data, path):
    v = xp(data, path + "/text()", NS)
    assert len(v) == 1, (path, v)
    return int(v[0])
def check_counters(data):
    n = count(data, "//a:alarm-list/a:number-of-alarms")
    assert n == len(xp(data, "//a:alarm-list/a:alarm", NS)), n
    s = count(data, "//a:shelved-alarms/a:number-of-shelved-alarms")
    assert s == len(xp(data, "//a:shelved-alarms/a:shelved-alarm", NS)), s
    total = sum(int(t) for t in xp(data, "//a:summary/a:alarm-summary/a:total/text()", NS))
    assert total == n, ("the summary counts the alarm list only", total, n)
    return n, s
def wait_get(m, pred, what, secs=20):
    for _ in range(secs * 5):
        d = alarms_of(m)
        if pred(d):
            return d
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what + ": " + etree.tostring(alarms_of(m)).decode())
"#;

fn helpers(agent: &AgentProcess) -> String {
    let ctl = format!(
        "[{:?}, \"ctl\", \"--config\", {:?}]",
        BIN,
        agent.config.display().to_string()
    );
    HELPERS.replace("@CTL@", &ctl)
}

fn run(agent: &AgentProcess, body: &str) -> String {
    let text = format!("{}{}", helpers(agent), body)
        .replace("@NODE3@", NODE3)
        .replace("@NODE4@", NODE4);
    script(agent, "admin", &text)
}

#[test]
fn a_shelf_hides_an_alarm_and_its_notifications_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), CHAIN);
    run(
        &agent,
        r#"
with connect() as m, connect() as watcher:
    watcher.create_subscription()
    m.edit_config(target="running", config=shelf("maint", ["@NODE3@"]))
    ctl("fault", "inject", "down3", "stop-node", "--node", "node-3")
    ctl("fault", "inject", "down4", "stop-node", "--node", "node-4")
    d = wait_get(m, lambda d: shelved(d, "@NODE3@") and listed(d, "@NODE4@"), "node-3 shelved, node-4 listed")
    assert not listed(d, "@NODE3@"), "a shelved alarm is not in the alarm list"
    e = shelved(d, "@NODE3@")[0]
    assert xp(e, "a:shelf-name/text()", NS) == ["maint"]
    assert xp(e, "a:is-cleared/text()", NS) == ["false"]
    newest = xp(e, "a:operator-state-change[1]", NS)[0]
    assert xp(newest, "a:state/text()", NS) == ["shelved"], etree.tostring(e)
    assert "maint" in xp(newest, "a:text/text()", NS)[0]
    n, s = check_counters(d)
    assert s >= 1
    assert xp(d, "//a:summary/a:shelves-active", NS), "shelves-active with shelved alarms"
    assert xp(d, "//a:shelved-alarms/a:shelved-alarms-last-changed/text()", NS)
    # The unshelved alarm notifies, the shelved one never does.
    seen = []
    deadline = time.time() + 20
    while time.time() < deadline and not any("@NODE4@<" in x for x in seen):
        x = watcher.take_notification(timeout=1)
        if x is not None:
            seen.append(x.notification_xml)
    for _ in range(3):
        x = watcher.take_notification(timeout=1)
        if x is not None:
            seen.append(x.notification_xml)
    alarms = [x for x in seen if "alarm-notification" in x]
    assert any("@NODE4@<" in x for x in alarms), seen
    assert not any("@NODE3@<" in x for x in alarms), [x for x in alarms if "@NODE3@<" in x]
    # Removing the shelf brings the alarm back at once: no wait.
    m.edit_config(target="running", config=shelf("maint", op="delete"))
    d = alarms_of(m)
    assert listed(d, "@NODE3@") and not shelved(d, "@NODE3@"), etree.tostring(d)
    e = listed(d, "@NODE3@")[0]
    assert xp(e, "a:operator-state-change[1]/a:state/text()", NS) == ["un-shelved"]
    n2, s2 = check_counters(d)
    assert s2 == 0 and n2 == n + s, (n, s, n2, s2)
    assert not xp(d, "//a:summary/a:shelves-active", NS)
    # And back on the shelf, at once, for the restart.
    m.edit_config(target="running", config=shelf("maint", ["@NODE3@"]))
    d = alarms_of(m)
    assert shelved(d, "@NODE3@") and not listed(d, "@NODE3@")
"#,
    );
    // SNMP leaves the shelved alarm out of the active alarm table.
    let port = snmp_port(&agent);
    wait_populated(port);
    let dirs = mib_dirs();
    let target = format!("127.0.0.1:{port}");
    let walk = ok(
        "snmpwalk",
        &[
            "-v",
            "2c",
            "-c",
            "public",
            "-M",
            &dirs,
            "-m",
            "BLOCKCHAIN-MGMT-MIB",
            "-Oqv",
            &target,
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmResource",
        ],
    );
    let rows: Vec<&str> = walk.lines().map(|l| l.trim().trim_matches('"')).collect();
    assert!(rows.contains(&NODE4), "{walk}");
    assert!(!rows.contains(&NODE3), "{walk}");

    agent.stop();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    assert!(
        has(&agent.active_alarms(), "node-unreachable", NODE3),
        "node-3 is still down"
    );
    run(
        &agent,
        r#"
with connect() as m:
    c = m.get_config(source="running", filter=("subtree", f'<alarms xmlns="{AL}"/>')).data_ele
    assert xp(c, "//a:shelf[a:name='maint']/a:resource/text()", NS) == ["@NODE3@"], etree.tostring(c)
    d = alarms_of(m)
    assert shelved(d, "@NODE3@") and not listed(d, "@NODE3@"), etree.tostring(d)
    assert listed(d, "@NODE4@")
"#,
    );
}

#[test]
fn a_shelf_matches_alarm_types_by_qualifier_and_refuses_bad_expressions() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    run(
        &agent,
        r#"
with connect() as m:
    # Another type on the resource; node-unreachable with a qualifier
    # match the empty qualifier fails: neither shelves node-3's alarm.
    m.edit_config(target="running", config=shelf("cpu", ["@NODE3@"], [("cpu-high", "")]))
    m.edit_config(target="running", config=shelf("qualified", [], [("node-unreachable", ".+")]))
    ctl("fault", "inject", "down3", "stop-node", "--node", "node-3")
    d = wait_get(m, lambda d: listed(d, "@NODE3@"), "node-3's alarm in the list")
    assert not shelved(d, "@NODE3@")
    # A qualifier match the empty qualifier meets shelves it, on that shelf.
    m.edit_config(target="running", config=shelf("any-qualifier", [], [("node-unreachable", "x*")]))
    d = alarms_of(m)
    e = shelved(d, "@NODE3@")
    assert e and not listed(d, "@NODE3@"), etree.tostring(d)
    assert xp(e[0], "a:shelf-name/text()", NS) == ["any-qualifier"]
    check_counters(d)
    # Bad regular expressions are refused with their path; nothing changes.
    e = expect_error(lambda: m.edit_config(target="running",
        config=shelf("bad", [], [("link-down", "[")])), "invalid-value", "alarm-type-qualifier-match")
    assert "regular expression" in e.message, e.message
    expect_error(lambda: m.edit_config(target="running", config=shelf("bad", ["(unclosed"])),
                 "invalid-value", "/alarms/control/alarm-shelving/shelf/bad/resource")
    c = m.get_config(source="running", filter=("subtree", f'<alarms xmlns="{AL}"/>')).data_ele
    assert not xp(c, "//a:shelf[a:name='bad']", NS)
"#,
    );
    // netconf-console2 sees the same shelved alarm.
    let o = console(
        &agent,
        "admin",
        "admin-pw",
        &["--get", "--xpath", "/ietf-alarms:alarms/shelved-alarms"],
    );
    let text = out_text(&o);
    assert!(o.status.success(), "{text}");
    assert!(
        text.contains("<shelf-name>any-qualifier</shelf-name>"),
        "{text}"
    );
    assert!(text.contains(NODE3), "{text}");
}

#[test]
fn purge_alarms_severity_filter_matches_a_cleared_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    let (ok_, out) = agent.ctl(&["fault", "inject", "down3", "stop-node", "--node", "node-3"]);
    assert!(ok_, "{out}");
    agent.wait_alarms("node-3's alarm", 20, |a| has(a, "node-unreachable", NODE3));
    let out = run(
        &agent,
        r#"
with connect() as m:
    d = alarms_of(m)
    print("SEVERITY", xp(listed(d, "@NODE3@")[0], "a:perceived-severity/text()", NS)[0])
"#,
    );
    let severity = out
        .lines()
        .find_map(|l| l.strip_prefix("SEVERITY "))
        .expect("severity printed")
        .trim()
        .to_string();
    assert!(
        ["major", "critical"].contains(&severity.as_str()),
        "{severity}"
    );
    let (ok_, out) = agent.ctl(&["fault", "clear", "down3"]);
    assert!(ok_, "{out}");
    agent.wait_alarms("node-3's alarm to clear", 30, |a| {
        !has(a, "node-unreachable", NODE3)
    });
    run(
        &agent,
        &r#"
YANG1 = "urn:ietf:params:xml:ns:yang:1"
def purge(level):
    r = m.dispatch(etree.fromstring(f'<action xmlns="{YANG1}"><alarms xmlns="{AL}"><alarm-list><purge-alarms>'
        f'<alarm-clearance-status>cleared</alarm-clearance-status><severity><is>{level}</is></severity>'
        '</purge-alarms></alarm-list></alarms></action>'))
    return int(xp(r.xml, "/nc:rpc-reply/a:purged-alarms/text()", NS)[0])
with connect() as m:
    d = alarms_of(m)
    e = listed(d, "@NODE3@")[0]
    assert xp(e, "a:is-cleared/text()", NS) == ["true"]
    # Cleared, it keeps the severity it was raised with.
    assert xp(e, "a:perceived-severity/text()", NS) == ["@SEV@"], etree.tostring(e)
    assert purge("warning") == 0
    assert listed(alarms_of(m), "@NODE3@")
    assert purge("@SEV@") >= 1
    assert not listed(alarms_of(m), "@NODE3@")
"#
        .replace("@SEV@", &severity),
    );
}
