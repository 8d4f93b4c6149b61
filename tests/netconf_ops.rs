//! NETCONF operations end to end: ncclient against the running binary.

mod common;

use common::AgentProcess;
use common::netconf::script;

fn agent() -> (tempfile::TempDir, AgentProcess) {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    (dir, agent)
}

#[test]
fn hello_get_config_and_get() {
    let (_d, agent) = agent();
    script(
        &agent,
        "admin",
        r#"
with connect() as m:
    caps = list(m.server_capabilities)
    for c in ["urn:ietf:params:netconf:base:1.1", ":candidate:1.0", ":confirmed-commit:1.1",
              ":startup:1.0", ":validate:1.1", ":xpath:1.0", ":with-defaults:1.0", ":notification:1.0",
              ":rollback-on-error:1.0", ":writable-running:1.0"]:
        assert any(c in x for x in caps), (c, caps)
    assert any("module=chain-agent-nodes" in x for x in caps), caps
    assert m.session_id and int(m.session_id) > 0
    cfg = m.get_config(source="running").data_ele
    assert xp(cfg, "n:chains/n:chain[n:id='sim']/n:platform/text()") == ["simulated"], cfg
    # state is not in get-config
    assert not xp(cfg, "//n:oper-state")
    full = m.get().data_ele
    assert xp(full, "n:chains/n:chain[n:id='sim']/n:nodes/n:node/n:oper-state"), "no state in get"
"#,
    );
}

#[test]
fn edit_config_running_errors_and_persistence() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), "");
    script(
        &agent,
        "admin",
        r#"
def thr(v, op=None):
    attr = f' xmlns:nc="{NC}" nc:operation="{op}"' if op else ''
    return f'<config><thresholds xmlns="{NODES}"><cpu-percent{attr}>{v}</cpu-percent></thresholds></config>'
with connect() as m:
    m.edit_config(target="running", config=thr("42.5"))
    cfg = m.get_config(source="running").data_ele
    assert xp(cfg, "//n:thresholds/n:cpu-percent/text()") == ["42.5"], cfg
    # range checked by libyang, error-path names the leaf
    expect_error(lambda: m.edit_config(target="running", config=thr("420")), "invalid-value", "cpu-percent")
    expect_error(lambda: m.edit_config(target="running", config=thr("1", "create")), "data-exists", "cpu-percent")
    expect_error(lambda: m.edit_config(target="running",
        config=f'<config><chains xmlns="{NODES}"><chain><id>sim</id><nodes><node xmlns:nc="{NC}" nc:operation="delete"><id>nope</id></node></nodes></chain></chains></config>'),
        "data-missing", "node")
    expect_error(lambda: m.edit_config(target="running",
        config=f'<config><thresholds xmlns="{NODES}"><no-such-leaf>1</no-such-leaf></thresholds></config>'),
        "unknown-element", "thresholds")
    bad = etree.fromstring(f'<edit-config xmlns="{NC}"><target><running/></target>'
        f'<default-operation>frob</default-operation>{thr("1")}</edit-config>')
    expect_error(lambda: m.dispatch(bad), "invalid-value")
    # test-only changes nothing
    m.edit_config(target="running", config=thr("55"), test_option="test-only")
    assert xp(m.get_config(source="running").data_ele, "//n:thresholds/n:cpu-percent/text()") == ["42.5"]
    # remove restores the default; report-all shows it
    m.edit_config(target="running", config=thr("", "remove"))
    d = m.get_config(source="running", with_defaults="report-all").data_ele
    assert xp(d, "//n:thresholds/n:cpu-percent/text()") == ["90.0"], etree.tostring(d)
    m.edit_config(target="running", config=thr("33"))
"#,
    );
    agent.stop();
    let agent = AgentProcess::start(dir.path(), "");
    script(
        &agent,
        "admin",
        r#"
with connect() as m:
    assert xp(m.get_config(source="running").data_ele, "//n:thresholds/n:cpu-percent/text()") == ["33.0"]
"#,
    );
}

#[test]
fn candidate_commit_discard_and_confirmed_commit_rollback() {
    let (_d, agent) = agent();
    script(
        &agent,
        "admin",
        r#"
import time
def name(v):
    return f'<config><system xmlns="{SYS}"><contact>{v}</contact></system></config>'
def contact(m, src):
    return xp(m.get_config(source=src).data_ele, "//s:system/s:contact/text()")
with connect() as m:
    m.edit_config(target="candidate", config=name("cand-1"))
    assert contact(m, "candidate") == ["cand-1"]
    assert contact(m, "running") != ["cand-1"]
    m.discard_changes()
    assert contact(m, "candidate") == contact(m, "running")
    m.edit_config(target="candidate", config=name("cand-2"))
    m.commit()
    assert contact(m, "running") == ["cand-2"]
    # confirmed commit, not confirmed: rolled back after the timeout
    m.edit_config(target="candidate", config=name("cand-3"))
    m.commit(confirmed=True, timeout="2")
    assert contact(m, "running") == ["cand-3"]
    time.sleep(4)
    assert contact(m, "running") == ["cand-2"], contact(m, "running")
    # confirmed then confirmed: stays
    m.edit_config(target="candidate", config=name("cand-4"))
    m.commit(confirmed=True, timeout="30")
    m.commit()
    time.sleep(1)
    assert contact(m, "running") == ["cand-4"]
    # cancel-commit rolls back at once
    m.edit_config(target="candidate", config=name("cand-5"))
    m.commit(confirmed=True, timeout="30", persist="tok")
    with connect() as other:
        expect_error(lambda: other.cancel_commit(persist_id="wrong"), "invalid-value")
        other.cancel_commit(persist_id="tok")
    assert contact(m, "running") == ["cand-4"]
    expect_error(lambda: m.cancel_commit(), "operation-failed")
    # validate
    m.validate(source="candidate")
    bad = etree.fromstring(f'<config xmlns="{NC}"><thresholds xmlns="{NODES}"><cpu-percent>101</cpu-percent></thresholds></config>')
    expect_error(lambda: m.validate(source=bad), "invalid-value", "cpu-percent")
"#,
    );
}

#[test]
fn startup_copy_and_delete() {
    let (_d, agent) = agent();
    script(
        &agent,
        "admin",
        r#"
with connect() as m:
    m.edit_config(target="running", config=f'<config><system xmlns="{SYS}"><location>rack-7</location></system></config>')
    m.copy_config(source="running", target="startup")
    assert xp(m.get_config(source="startup").data_ele, "//s:system/s:location/text()") == ["rack-7"]
    m.delete_config(target="startup")
    assert not xp(m.get_config(source="startup").data_ele, "//n:chains/n:chain")
    expect_error(lambda: m.delete_config(target="running"), "operation-not-supported")
    m.copy_config(source="running", target="candidate")
"#,
    );
}

#[test]
fn locks_block_other_sessions_and_kill_session_releases_them() {
    let (_d, agent) = agent();
    script(
        &agent,
        "admin",
        r#"
cfg = f'<config><system xmlns="{SYS}"><contact>x</contact></system></config>'
a = connect()
b = connect()
a.lock("running")
e = expect_error(lambda: b.lock("running"), "lock-denied")
assert a.session_id in str(e.info), e.info
expect_error(lambda: b.edit_config(target="running", config=cfg), "lock-denied")
a.edit_config(target="running", config=cfg)
expect_error(lambda: b.unlock("running"), "lock-denied")
b.kill_session(a.session_id)
b.lock("running")
b.unlock("running")
expect_error(lambda: b.unlock("running"), "operation-failed")
expect_error(lambda: b.kill_session(b.session_id), "invalid-value")
b.close_session()
"#,
    );
}

#[test]
fn filters_and_with_defaults() {
    let (_d, agent) = agent();
    script(
        &agent,
        "admin",
        r#"
with connect() as m:
    sub = f'<chains xmlns="{NODES}"><chain><id>sim</id><platform/></chain></chains>'
    d = m.get_config(source="running", filter=("subtree", sub)).data_ele
    assert xp(d, "//n:chain/n:platform/text()") == ["simulated"]
    assert not xp(d, "//n:thresholds") and not xp(d, "//n:nodes")
    d = m.get(filter=("xpath", "/chain-agent-nodes:chains/chain-agent-nodes:chain/chain-agent-nodes:chain-id")).data_ele
    assert xp(d, "//n:chain/n:chain-id"), etree.tostring(d)
    d = m.get(filter=("subtree", '<nothing xmlns="urn:none"/>')).data_ele
    assert len(d) == 0
    trim = m.get_config(source="running").data_ele
    assert not xp(trim, "//n:thresholds/n:cpu-percent")
    tagged = m.get_config(source="running", with_defaults="report-all-tagged").data_ele
    leaf = xp(tagged, "//n:thresholds/n:cpu-percent")[0]
    assert leaf.get("{urn:ietf:params:xml:ns:netconf:default:1.0}default") == "true", etree.tostring(leaf)
    bad = etree.fromstring(f'<get-config xmlns="{NC}"><source><running/></source>'
        '<with-defaults xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-with-defaults">sometimes</with-defaults></get-config>')
    expect_error(lambda: m.dispatch(bad), "invalid-value")
"#,
    );
}

#[test]
fn readers_read_without_secrets_and_cannot_write() {
    let (_d, agent) = agent();
    script(
        &agent,
        "reader",
        r#"
with connect() as m:
    cfg = m.get_config(source="running").data_ele
    assert xp(cfg, "n:chains/n:chain"), "reader sees the configuration"
    text = etree.tostring(cfg).decode()
    assert "admin-pw" not in text and "reader-pw" not in text and "public" not in text, text
    assert not xp(cfg, "//s:password")
    expect_error(lambda: m.edit_config(target="running",
        config=f'<config><system xmlns="{SYS}"><contact>x</contact></system></config>'), "access-denied")
    expect_error(lambda: m.lock("running"), "access-denied")
with connect("admin", "admin-pw") as m:
    assert xp(m.get_config(source="running").data_ele, "//s:netconf/s:users/s:user/s:password-hash")
"#,
    );
}

#[test]
fn netconf_console2_reads_and_edits() {
    let (_d, agent) = agent();
    let o = common::netconf::console(&agent, "admin", "admin-pw", &["--hello"]);
    let t = common::netconf::out_text(&o);
    assert!(
        o.status.success() && t.contains("urn:ietf:params:netconf:capability:candidate:1.0"),
        "{t}"
    );
    let edit = agent.dir.join("edit.xml");
    std::fs::write(
        &edit,
        // netconf-console2 wraps the file in <config> itself.
        r#"<system xmlns="urn:chain-agent:yang:chain-agent-system"><location>by-console</location></system>"#,
    )
    .unwrap();
    let o = common::netconf::console(
        &agent,
        "admin",
        "admin-pw",
        &["--db", "running", "--edit-config", edit.to_str().unwrap()],
    );
    let t = common::netconf::out_text(&o);
    assert!(o.status.success() && !t.contains("rpc-error"), "{t}");
    let o = common::netconf::console(&agent, "admin", "admin-pw", &["--get-config"]);
    let t = common::netconf::out_text(&o);
    assert!(t.contains("<location>by-console</location>"), "{t}");
    let o = common::netconf::console(
        &agent,
        "admin",
        "admin-pw",
        &["--get-config", "--xpath", "/chain-agent-nodes:chains"],
    );
    let t = common::netconf::out_text(&o);
    assert!(
        o.status.success() && t.contains("<platform>simulated</platform>"),
        "{t}"
    );
    let o = common::netconf::console(
        &agent,
        "reader",
        "reader-pw",
        &["--lock", "--db", "running"],
    );
    let t = common::netconf::out_text(&o);
    assert!(t.contains("access-denied"), "{t}");
}
