//! YANG actions over NETCONF end to end: ncclient and netconf-console2
//! against the running binary, checked against the control socket and
//! net-snmp where those show the same state.

mod common;

use common::netconf::{console, out_text, script};
use common::snmp::{mib_dirs, ok, snmp_port, wait_populated};
use common::{AgentProcess, has};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;

const CHAIN: &str = r#"
[chains.sim]
platform = "simulated"
[chains.sim.consensus]
block-interval-ms = 200
"#;

const NODE3: &str = "/chains/sim/nodes/node-3";

/// Stop node-3 and wait for its node-unreachable alarm; returns its id.
fn raise_node3(agent: &AgentProcess) -> u64 {
    let (ok, out) = agent.ctl(&["fault", "inject", "down", "stop-node", "--node", "node-3"]);
    assert!(ok, "{out}");
    let alarms = agent.wait_alarms("node-unreachable on node-3", 20, |a| {
        has(a, "node-unreachable", NODE3)
    });
    alarms
        .iter()
        .find(|a| a["alarm-type"] == "node-unreachable" && a["resource"] == NODE3)
        .and_then(|a| a["id"].as_u64())
        .expect("alarm id")
}

/// Python: the `<action>` for set-operator-state on node-3's alarm.
const ALARM_HELPERS: &str = r#"
AL = "urn:ietf:params:xml:ns:yang:ietf-alarms"
CA = "urn:chain-agent:yang:chain-agent-alarms"
YANG1 = "urn:ietf:params:xml:ns:yang:1"
def action(body):
    return etree.fromstring(f'<action xmlns="{YANG1}">{body}</action>')
def alarm_entry(resource, inner, type_id="node-unreachable"):
    return action(f'<alarms xmlns="{AL}"><alarm-list><alarm><resource>{resource}</resource>'
        f'<alarm-type-id xmlns:ca="{CA}">ca:{type_id}</alarm-type-id><alarm-type-qualifier/>'
        f'{inner}</alarm></alarm-list></alarms>')
def set_state(resource, state, text="", type_id="node-unreachable"):
    t = f"<text>{text}</text>" if text else ""
    return alarm_entry(resource, f"<set-operator-state><state>{state}</state>{t}</set-operator-state>", type_id)
def alarms_of(m):
    return m.get(filter=("subtree", f'<alarms xmlns="{AL}"/>')).data_ele
def entry(data, resource, type_id="node-unreachable"):
    got = xp(data, f"//a:alarm-list/a:alarm[a:resource='{resource}'][a:alarm-type-id='ca:{type_id}' or substring-after(a:alarm-type-id, ':')='{type_id}']", {"a": AL})
    return got[0] if got else None
"#;

#[test]
fn log_actions_query_delete_and_backup() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    // Something in the operation log: an edit through the control socket.
    let (ok_, out) = agent.ctl(&["set", "/system/contact", "\"noc@example.net\""]);
    assert!(ok_, "{out}");
    let ctl_ids: Vec<u64> = agent
        .call(json!({"op": "logs-query", "filter": {"kind": "operation"}, "limit": 50}))
        .expect("ctl logs query")
        .as_array()
        .expect("records")
        .iter()
        .filter_map(|r| r["id"].as_u64())
        .collect();
    assert!(!ctl_ids.is_empty(), "the edit is in the operation log");
    let backups = dir.path().join("data").join("backups");
    let backup = backups.join("nc-backup.db");
    // The repros of the hardening issue: a path, a traversal and a SQLite
    // URI instead of a name, and an existing (empty) file.
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::set_permissions(&backups, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::write(backups.join("taken.db"), b"").unwrap();
    let outside = dir.path().join("outside.db");
    let out = script(
        &agent,
        "admin",
        &format!(
            r#"
import json
YANG1 = "urn:ietf:params:xml:ns:yang:1"
def logs(inner):
    return etree.fromstring(f'<action xmlns="{{YANG1}}"><logs xmlns="{{LOGS}}">{{inner}}</logs></action>')
with connect() as m:
    r = m.dispatch(logs("<query><kind>operation</kind><limit>50</limit></query>"))
    ids = [int(x) for x in xp(r.xml, "/nc:rpc-reply/l:record/l:id/text()")]
    assert ids, r.xml
    assert ids == sorted(ids), "oldest first: " + str(ids)
    kinds = set(xp(r.xml, "/nc:rpc-reply/l:record/l:kind/text()"))
    assert kinds == {{"operation"}}, kinds
    print("IDS", json.dumps(ids))
    # bad input: an unknown log type, a limit out of range, an empty range
    e = expect_error(lambda: m.dispatch(logs("<query><kind>telepathy</kind></query>")), "invalid-value", "kind")
    e = expect_error(lambda: m.dispatch(logs("<query><limit>0</limit></query>")), "invalid-value", "limit")
    expect_error(lambda: m.dispatch(logs(
        "<query><since>2030-01-01T00:00:00Z</since><until>2020-01-01T00:00:00Z</until></query>")),
        "invalid-value", "until")
    expect_error(lambda: m.dispatch(logs("<backup/>")), "missing-element")
    # delete every contract record: those there before are gone (the
    # simulated chain keeps writing new ones)
    r = m.dispatch(logs("<query><kind>contract</kind><limit>100000</limit></query>"))
    before = set(xp(r.xml, "/nc:rpc-reply/l:record/l:id/text()"))
    assert before, "the simulated contracts log warnings"
    r = m.dispatch(logs("<delete><kind>contract</kind></delete>"))
    deleted = xp(r.xml, "/nc:rpc-reply/l:deleted/text()")
    assert len(deleted) == 1 and int(deleted[0]) >= len(before), (r.xml, len(before))
    r = m.dispatch(logs("<query><kind>contract</kind><limit>100000</limit></query>"))
    after = set(xp(r.xml, "/nc:rpc-reply/l:record/l:id/text()"))
    assert not (before & after), (before & after)
    for bad in ["../outside.db", "{outside}", "file:outside.db?mode=rwc", "a/b.db", ".hidden"]:
        expect_error(lambda: m.dispatch(logs(f"<backup><name>{{bad}}</name></backup>")), "invalid-value")
    expect_error(lambda: m.dispatch(logs("<backup><name>taken.db</name></backup>")), "data-exists", "name")
    r = m.dispatch(logs("<backup><name>nc-backup.db</name></backup>"))
    assert xp(r.xml, "/nc:rpc-reply/nc:ok"), r.xml
    expect_error(lambda: m.dispatch(logs("<backup><name>nc-backup.db</name></backup>")), "data-exists", "name")
"#,
            outside = outside.display()
        ),
    );
    assert!(
        !outside.exists(),
        "nothing written outside the backup directory"
    );
    assert!(!dir.path().join("data").join("outside.db").exists());
    assert_eq!(std::fs::read(backups.join("taken.db")).unwrap(), b"");
    let mode = std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup is the agent's alone");
    // The NETCONF query shows what the control socket shows.
    let ids: Vec<u64> = out
        .lines()
        .find_map(|l| l.strip_prefix("IDS "))
        .and_then(|j| serde_json::from_str(j).ok())
        .expect("ids printed");
    for id in &ctl_ids {
        assert!(ids.contains(id), "ctl record {id} missing from {ids:?}");
    }
    assert!(backup.is_file(), "the backup file exists");
    let copy = chain_agent::core::store::Store::open(&backup).unwrap();
    assert!(
        !copy.query_logs(&Default::default(), 5).unwrap().is_empty(),
        "the backup holds the logs"
    );
    // Delete and backup are in the operation log, with the NETCONF origin.
    let all = agent
        .call(json!({"op": "logs-query", "filter": {"kind": "operation"}, "limit": 50}))
        .unwrap();
    let by_netconf: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["source"]
                .as_str()
                .is_some_and(|s| s.starts_with("netconf:admin:session-"))
        })
        .collect();
    assert!(
        by_netconf
            .iter()
            .any(|r| r["message"].as_str().unwrap().starts_with("deleted ")),
        "delete logged with the NETCONF origin: {all}"
    );
    assert!(
        by_netconf.iter().any(|r| r["message"]
            .as_str()
            .unwrap()
            .contains("store backed up to")),
        "backup logged with the NETCONF origin: {all}"
    );
}

#[test]
fn set_operator_state_is_shared_with_snmp_and_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), CHAIN);
    let id = raise_node3(&agent);
    script(
        &agent,
        "admin",
        &format!(
            r#"{ALARM_HELPERS}
with connect() as m:
    r = m.dispatch(set_state("{NODE3}", "ack", "looking at it"))
    assert xp(r.xml, "/nc:rpc-reply/nc:ok"), r.xml
    e = entry(alarms_of(m), "{NODE3}")
    assert e is not None
    states = xp(e, "a:operator-state-change/a:state/text()", {{"a": AL}})
    assert states and states[0] == "ack", states
    assert xp(e, "a:operator-state-change[1]/a:operator/text()", {{"a": AL}}) == ["admin"]
    assert xp(e, "a:operator-state-change[1]/a:text/text()", {{"a": AL}}) == ["looking at it"]
    # unknown list entry, unknown action, bad state
    expect_error(lambda: m.dispatch(set_state("/chains/sim/nodes/node-99", "ack")), "data-missing", "node-99")
    expect_error(lambda: m.dispatch(alarm_entry("{NODE3}", "<frobnicate/>")), "unknown-element")
    expect_error(lambda: m.dispatch(set_state("{NODE3}", "shelved")), "invalid-value", "state")
"#
        ),
    );
    // SNMP shows the acknowledgement, by the NETCONF user.
    let port = snmp_port(&agent);
    wait_populated(port);
    let dirs = mib_dirs();
    let target = format!("127.0.0.1:{port}");
    let get = |obj: &str| {
        ok(
            "snmpget",
            &[
                "-v",
                "2c",
                "-c",
                "public",
                "-t",
                "2",
                "-r",
                "1",
                "-M",
                &dirs,
                "-m",
                "BLOCKCHAIN-MGMT-MIB",
                "-Oqv",
                &target,
                &format!("BLOCKCHAIN-MGMT-MIB::{obj}.{id}"),
            ],
        )
    };
    assert_eq!(get("bcmAlarmAckState").trim(), "acknowledged");
    assert!(get("bcmAlarmAckBy").contains("admin"));

    // closed shows acknowledged in the MIB, which has no closed state
    script(
        &agent,
        "admin",
        &format!(
            r#"{ALARM_HELPERS}
with connect() as m:
    m.dispatch(set_state("{NODE3}", "closed", "fixed the cable"))
"#
        ),
    );
    assert_eq!(get("bcmAlarmAckState").trim(), "acknowledged");

    agent.stop();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    script(
        &agent,
        "admin",
        &format!(
            r#"{ALARM_HELPERS}
with connect() as m:
    e = entry(alarms_of(m), "{NODE3}")
    assert e is not None
    states = xp(e, "a:operator-state-change/a:state/text()", {{"a": AL}})
    assert states[:2] == ["closed", "ack"], states
"#
        ),
    );
    // The same state through the control socket's view.
    let alarm = agent
        .active_alarms()
        .into_iter()
        .find(|a| a["id"].as_u64() == Some(id))
        .expect("the alarm survives the restart");
    assert_eq!(alarm["operator"]["acknowledged"], true);
    assert_eq!(alarm["operator"]["text"], "fixed the cable");
}

#[test]
fn operator_action_is_notified_and_purge_removes_cleared_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    let id = raise_node3(&agent);
    script(
        &agent,
        "admin",
        &format!(
            r#"{ALARM_HELPERS}
with connect() as m:
    m.create_subscription()
    with connect() as other:
        other.dispatch(set_state("{NODE3}", "ack"))
    n = m.take_notification(timeout=10)
    while n is not None and "operator-action" not in n.notification_xml:
        n = m.take_notification(timeout=10)
    assert n is not None, "no operator-action notification"
    assert "<state>ack</state>" in n.notification_xml, n.notification_xml
    # purge with the alarm still raised: nothing goes. The filter on the
    # operator state selects node-3's alarm alone: the host's or the
    # simulated chain's own alarms may raise and clear on a loaded machine.
    r = m.dispatch(action(f'<alarms xmlns="{{AL}}"><alarm-list><purge-alarms>'
        '<alarm-clearance-status>any</alarm-clearance-status>'
        '<operator-state-filter><state>ack</state><user>admin</user></operator-state-filter>'
        '</purge-alarms></alarm-list></alarms>'))
    assert xp(r.xml, "/nc:rpc-reply/a:purged-alarms/text()", {{"a": AL}}) == ["0"], r.xml
    assert entry(alarms_of(m), "{NODE3}") is not None
"#
        ),
    );
    let (ok_, out) = agent.ctl(&["fault", "clear", "down"]);
    assert!(ok_, "{out}");
    agent.wait_alarms("node-3's alarm to clear", 30, |a| {
        !a.iter().any(|x| x["id"].as_u64() == Some(id))
    });
    script(
        &agent,
        "admin",
        &format!(
            r#"{ALARM_HELPERS}
with connect() as m:
    # cleared, but younger than a week: kept
    r = m.dispatch(action(f'<alarms xmlns="{{AL}}"><alarm-list><purge-alarms>'
        '<alarm-clearance-status>cleared</alarm-clearance-status><older-than><weeks>1</weeks></older-than>'
        '</purge-alarms></alarm-list></alarms>'))
    assert xp(r.xml, "/nc:rpc-reply/a:purged-alarms/text()", {{"a": AL}}) == ["0"], r.xml
    e = entry(alarms_of(m), "{NODE3}")
    assert e is not None and xp(e, "a:is-cleared/text()", {{"a": AL}}) == ["true"]
"#
        ),
    );
    // netconf-console2 invokes the purge the way an operator would.
    let rpc = dir.path().join("purge.xml");
    std::fs::write(
        &rpc,
        r#"<action xmlns="urn:ietf:params:xml:ns:yang:1"><alarms xmlns="urn:ietf:params:xml:ns:yang:ietf-alarms"><alarm-list><purge-alarms><alarm-clearance-status>cleared</alarm-clearance-status><older-than><seconds>0</seconds></older-than></purge-alarms></alarm-list></alarms></action>"#,
    )
    .unwrap();
    let o = console(
        &agent,
        "admin",
        "admin-pw",
        &["--rpc", rpc.to_str().unwrap()],
    );
    let text = out_text(&o);
    assert!(o.status.success(), "{text}");
    let purged: u32 = text
        .split("<purged-alarms")
        .nth(1)
        .and_then(|r| r.split('>').nth(1))
        .and_then(|r| r.split('<').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no purged-alarms in {text}"));
    assert!(purged >= 1, "{text}");
    script(
        &agent,
        "admin",
        &format!(
            r#"{ALARM_HELPERS}
with connect() as m:
    assert entry(alarms_of(m), "{NODE3}") is None, "purged"
"#
        ),
    );
    let snap = agent.call(json!({"op": "snapshot"})).unwrap();
    assert!(
        !snap["faults"]["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"].as_u64() == Some(id)),
        "purged from the alarm manager's history too"
    );
}

#[test]
fn a_reader_may_query_logs_but_not_change_them_or_alarms() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), CHAIN);
    script(
        &agent,
        "reader",
        r#"
YANG1 = "urn:ietf:params:xml:ns:yang:1"
with connect() as m:
    AL = "urn:ietf:params:xml:ns:yang:ietf-alarms"
    act = lambda body: etree.fromstring(f'<action xmlns="{YANG1}">{body}</action>')
    for body in (f'<logs xmlns="{LOGS}"><delete/></logs>',
                 f'<logs xmlns="{LOGS}"><backup><path>/tmp/x.db</path></backup></logs>',
                 f'<alarms xmlns="{AL}"><alarm-list><purge-alarms>'
                 '<alarm-clearance-status>any</alarm-clearance-status></purge-alarms></alarm-list></alarms>'):
        e = expect_error(lambda: m.dispatch(act(body)), "access-denied")
    # The default rules deny by path, before the input is looked at: an
    # invalid request is still access-denied.
    expect_error(lambda: m.dispatch(act(f'<logs xmlns="{LOGS}"><delete><bogus/></delete></logs>')),
                 "access-denied")
    # query only reads: readers may run it
    r = m.dispatch(act(f'<logs xmlns="{LOGS}"><query><limit>5</limit></query></logs>'))
    assert r.ok, r
    assert m.get_config(source="running").data_ele is not None
"#,
    );
}
