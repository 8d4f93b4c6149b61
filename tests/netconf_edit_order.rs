//! Ordered-by-user entries in edit-config (RFC 7950 7.8.6: `yang:insert`,
//! `yang:key`, `yang:value`) end to end: ncclient and netconf-console2
//! against the running binary move NACM rules and rule-lists; the order
//! shows in get-config, decides access and survives a restart. The
//! ordered-by-user leaf-lists (SNMP community sources and the like) only
//! change with a restart, which makes a real move observable as that
//! refusal while a placement that keeps the order is accepted. Also a client hello carrying a session-id, sent raw
//! with paramiko (RFC 6241 8.1).

mod common;

use common::AgentProcess;
use common::netconf::{agent_log, console, out_text, script};

/// Shared by the scripts: namespaces, edits of `/nacm` with insert
/// attributes, and the orders get-config shows.
const PRELUDE: &str = r#"
import time, paramiko
ACM = "urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
YANG = "urn:ietf:params:xml:ns:yang:1"
MON = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"
A = {"a": ACM}
def nacm(body):
    return (f'<config><nacm xmlns="{ACM}" xmlns:a="{ACM}" xmlns:yang="{YANG}" xmlns:nc="{NC}">'
            f'{body}</nacm></config>')
def in_list(name, body, group=""):
    g = f"<group>{group}</group>" if group else ""
    return nacm(f"<rule-list><name>{name}</name>{g}{body}</rule-list>")
def thr_rule(name, action, attrs=""):
    """A read rule on /thresholds."""
    return (f'<rule {attrs}><name>{name}</name><path xmlns:n="{NODES}">/n:thresholds</path>'
            f'<access-operations>read</access-operations><action>{action}</action></rule>')
def exec_rule(name, attrs=""):
    """A rule that decides nothing the tests look at."""
    return (f'<rule {attrs}><name>{name}</name><rpc-name>discard-changes</rpc-name>'
            f'<access-operations>exec</access-operations><action>permit</action></rule>')
def before(name):
    return f'''yang:insert="before" yang:key="[a:name='{name}']"'''
def after(name):
    return f'''yang:insert="after" yang:key="[a:name='{name}']"'''
def cfg(m):
    return m.get_config(source="running").data_ele
def rules(m, lst):
    return xp(cfg(m), f"//a:rule-list[a:name='{lst}']/a:rule/a:name/text()", A)
def lists(m):
    return xp(cfg(m), "//a:nacm/a:rule-list/a:name/text()", A)
def sees_thresholds(r):
    d = r.get_config(source="running", with_defaults="report-all").data_ele
    return bool(xp(d, "n:thresholds/n:cpu-percent"))
def community(body):
    return (f'<config><snmp xmlns="{SYS}" xmlns:yang="{YANG}"><communities><community>'
            f'<name>public</name>{body}</community></communities></snmp></config>')
def sources(m):
    return xp(cfg(m), "//s:communities/s:community[s:name='public']/s:sources/text()")
"#;

fn run(agent: &AgentProcess, user: &str, body: &str) -> String {
    script(agent, user, &format!("{PRELUDE}{body}"))
}

/// What every order looks like once the first test's edits are done; also
/// checked after a restart.
const FINAL_ORDER: &str = r#"
def check_final(m, r):
    assert lists(m) == ["limits", "admin", "readers", "opened"], lists(m)
    assert rules(m, "limits") == ["deny-thr", "r-last", "permit-thr", "r-first", "r-after"], rules(m, "limits")
    assert not sees_thresholds(r), "limits (deny first) comes before opened"
"#;

#[test]
fn entries_go_where_insert_says_decide_access_in_that_order_and_keep_it_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), "");
    run(
        &agent,
        "admin",
        r#"
with connect() as m, connect("reader", "reader-pw") as r:
    assert sees_thresholds(r), "readers read thresholds by default"
    m.edit_config(target="running", config=in_list("limits", thr_rule("permit-thr", "permit"), "readers"))
    m.edit_config(target="running", config=in_list("limits", thr_rule("deny-thr", "deny")))
    assert rules(m, "limits") == ["permit-thr", "deny-thr"], "appended without insert"
    assert sees_thresholds(r), "the permit comes first"

    # Move the deny before the permit: the outcome changes.
    m.edit_config(target="running", config=in_list("limits",
        f'<rule {before("permit-thr")}><name>deny-thr</name></rule>'))
    assert rules(m, "limits") == ["deny-thr", "permit-thr"], rules(m, "limits")
    assert not sees_thresholds(r), "the deny now comes first"

    # New rules first, last, after another.
    m.edit_config(target="running", config=in_list("limits", exec_rule("r-first", 'yang:insert="first"')))
    m.edit_config(target="running", config=in_list("limits", exec_rule("r-last", 'yang:insert="last"')))
    m.edit_config(target="running", config=in_list("limits", exec_rule("r-after", after("deny-thr"))))
    assert rules(m, "limits") == ["r-first", "deny-thr", "r-after", "permit-thr", "r-last"], rules(m, "limits")

    # replace with insert moves the entry it replaces.
    m.edit_config(target="running", config=in_list("limits",
        thr_rule("permit-thr", "permit", 'nc:operation="replace" yang:insert="first"')))
    assert rules(m, "limits") == ["permit-thr", "r-first", "deny-thr", "r-after", "r-last"], rules(m, "limits")
    assert sees_thresholds(r), "the permit is first again"

    # Several moves in one request happen in request order; a merge
    # without insert leaves an entry where it is.
    m.edit_config(target="running", config=in_list("limits",
        '<rule yang:insert="first"><name>r-last</name></rule>'
        '<rule yang:insert="first"><name>deny-thr</name></rule>'
        '<rule><name>r-after</name><comment>stays</comment></rule>'))
    assert rules(m, "limits") == ["deny-thr", "r-last", "permit-thr", "r-first", "r-after"], rules(m, "limits")
    assert not sees_thresholds(r)

    # Rule-lists: one that permits, put first, wins over "limits".
    m.edit_config(target="running", config=nacm(
        f'<rule-list yang:insert="first"><name>opened</name><group>readers</group>'
        f'{thr_rule("open-thr", "permit")}</rule-list>'))
    assert lists(m) == ["opened", "admin", "readers", "limits"], lists(m)
    assert sees_thresholds(r), "opened comes first"
    m.edit_config(target="running", config=nacm(
        f'<rule-list {after("limits")}><name>opened</name></rule-list>'))
    assert lists(m) == ["admin", "readers", "limits", "opened"], lists(m)
    assert not sees_thresholds(r), "opened now comes after limits"

    # The candidate orders the same way, and commit carries the order.
    m.discard_changes()
    m.edit_config(target="candidate", config=nacm(
        f'<rule-list {before("readers")}><name>opened</name></rule-list>'))
    c = m.get_config(source="candidate").data_ele
    assert xp(c, "//a:nacm/a:rule-list/a:name/text()", A) == ["admin", "opened", "readers", "limits"]
    assert lists(m) == ["admin", "readers", "limits", "opened"], "running untouched before commit"
    m.discard_changes()
"#,
    );

    // netconf-console2 moves a rule-list with the attributes in its file.
    let edit = agent.dir.join("move.xml");
    std::fs::write(
        &edit,
        r#"<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
      xmlns:a="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
      xmlns:yang="urn:ietf:params:xml:ns:yang:1">
  <rule-list yang:insert="before" yang:key="[a:name='admin']"><name>limits</name></rule-list>
</nacm>"#,
    )
    .unwrap();
    let o = console(
        &agent,
        "admin",
        "admin-pw",
        &["--db", "running", "--edit-config", edit.to_str().unwrap()],
    );
    let t = out_text(&o);
    assert!(o.status.success() && !t.contains("rpc-error"), "{t}");
    let o = console(&agent, "admin", "admin-pw", &["--get-config"]);
    let t = out_text(&o);
    let nacm = &t[t.find("<nacm").unwrap_or_else(|| panic!("no nacm in {t}"))..];
    let at = |s: &str| nacm.find(s).unwrap_or_else(|| panic!("{s} not in {t}"));
    assert!(
        at("<name>limits</name>") < at("<name>admin</name>")
            && at("<name>admin</name>") < at("<name>opened</name>"),
        "{t}"
    );

    let check = format!(
        "{FINAL_ORDER}\nwith connect() as m, connect(\"reader\", \"reader-pw\") as r:\n    check_final(m, r)\n"
    );
    run(&agent, "admin", &check);
    agent.stop();
    let agent = AgentProcess::start(dir.path(), "");
    run(&agent, "admin", &check);
}

#[test]
fn misplaced_inserts_are_refused_with_the_rfc_7950_errors() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    run(
        &agent,
        "admin",
        r#"
with connect() as m:
    before_all = (lists(m), rules(m, "readers"))
    # groups/group is not ordered-by user.
    e = expect_error(lambda: m.edit_config(target="running", config=nacm(
        '<groups><group yang:insert="first"><name>g</name></group></groups>')), "bad-attribute", "group")
    assert e.info and "insert" in e.info, e.info
    # Nor is a leaf.
    expect_error(lambda: m.edit_config(target="running", config=nacm(
        '<enable-nacm yang:insert="first">true</enable-nacm>')), "bad-attribute")
    # An unknown placement.
    expect_error(lambda: m.edit_config(target="running", config=in_list("readers",
        exec_rule("x", 'yang:insert="middle"'))), "bad-attribute")
    # before/after without key (lists) or value (leaf-lists).
    e = expect_error(lambda: m.edit_config(target="running", config=in_list("readers",
        exec_rule("x", 'yang:insert="before"'))), "missing-attribute")
    assert "key" in e.info, e.info
    e = expect_error(lambda: m.edit_config(target="running", config=community(
        '<sources yang:insert="after">10.0.0.0/8</sources>')), "missing-attribute")
    assert "value" in e.info, e.info
    # A key that is not a key predicate, or whose prefix is not ietf-netconf-acm's.
    expect_error(lambda: m.edit_config(target="running", config=in_list("readers",
        exec_rule("x", 'yang:insert="after" yang:key="name=deny-lock"'))), "bad-attribute")
    expect_error(lambda: m.edit_config(target="running", config=in_list("readers",
        exec_rule("x", f'''xmlns:n="{NODES}" yang:insert="after" yang:key="[n:name='deny-lock']"'''))),
        "bad-attribute")
    # An anchor that does not exist: bad-attribute, missing-instance (RFC 7950 15.7).
    e = expect_error(lambda: m.edit_config(target="running", config=in_list("readers",
        exec_rule("x", after("no-such-rule")))), "bad-attribute", "rule")
    assert e.app_tag == "missing-instance", e.app_tag
    assert "name='x'" in e.path and "readers" in e.path, e.path
    e = expect_error(lambda: m.edit_config(target="running", config=nacm(
        f'<rule-list {before("no-such-list")}><name>readers</name></rule-list>')), "bad-attribute", "rule-list")
    assert e.app_tag == "missing-instance", e.app_tag
    e = expect_error(lambda: m.edit_config(target="running", config=community(
        '<sources yang:insert="before" yang:value="1.0.0.0/8">10.0.0.0/8</sources>')),
        "bad-attribute", "community")
    assert e.app_tag == "missing-instance", e.app_tag
    # Nothing of it was applied.
    assert (lists(m), rules(m, "readers")) == before_all
    assert sources(m) == ["127.0.0.0/8", "::1/128"], sources(m)
"#,
    );
    // netconf-console2 shows the same error.
    let edit = agent.dir.join("bad.xml");
    std::fs::write(
        &edit,
        r#"<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
      xmlns:a="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
      xmlns:yang="urn:ietf:params:xml:ns:yang:1">
  <rule-list yang:insert="after" yang:key="[a:name='nowhere']"><name>admin</name></rule-list>
</nacm>"#,
    )
    .unwrap();
    let o = console(
        &agent,
        "admin",
        "admin-pw",
        &["--db", "running", "--edit-config", edit.to_str().unwrap()],
    );
    let t = out_text(&o);
    assert!(
        t.contains("bad-attribute") && t.contains("missing-instance"),
        "{t}\n{}",
        agent_log(&agent)
    );
}

#[test]
fn leaf_list_values_are_placed_by_their_value() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    run(
        &agent,
        "admin",
        r#"
with connect() as m:
    assert sources(m) == ["127.0.0.0/8", "::1/128"], sources(m)
    # Placements that keep the order change nothing: accepted.
    m.edit_config(target="running", config=community('<sources yang:insert="first">127.0.0.0/8</sources>'))
    m.edit_config(target="running", config=community(
        '<sources yang:insert="after" yang:value="127.0.0.0/8">::1/128</sources>'))
    m.edit_config(target="running", config=community(
        '<sources yang:insert="before" yang:value="::1/128">127.0.0.0/8</sources>'))
    m.edit_config(target="running", config=community('<sources yang:insert="last">::1/128</sources>'))
    # Moves reach the typed configuration, where SNMP settings wait for a
    # restart: the refusal shows the order changed.
    for edit in ['<sources yang:insert="first">::1/128</sources>',
                 '<sources yang:insert="after" yang:value="::1/128">127.0.0.0/8</sources>',
                 '<sources yang:insert="before" yang:value="127.0.0.0/8">10.0.0.0/8</sources>']:
        e = expect_error(lambda: m.edit_config(target="running", config=community(edit)),
                         "operation-not-supported")
        assert "restart" in e.message, e.message
    assert sources(m) == ["127.0.0.0/8", "::1/128"], sources(m)
"#,
    );
}

#[test]
fn a_client_hello_with_a_session_id_ends_the_session_as_a_bad_hello() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    run(
        &agent,
        "admin",
        r#"
EOM = b"]]>]]>"
def bad_hellos(m):
    f = f'<netconf-state xmlns="{MON}"><statistics/></netconf-state>'
    d = m.get(filter=("subtree", f)).data_ele
    return int((xp(d, "//m:in-bad-hellos/text()", {"m": MON}) or ["0"])[0])

def raw_hello(session_id):
    """A paramiko netconf subsystem that sends a base:1.0 hello, with a
    session-id when given; True if the server then closes the channel."""
    t = paramiko.Transport(("127.0.0.1", int(os.environ["NC_PORT"])))
    t.start_client(timeout=10)
    t.auth_password(os.environ["NC_USER"], os.environ["NC_PASSWORD"])
    ch = t.open_session()
    ch.invoke_subsystem("netconf")
    ch.settimeout(5)
    got = b""
    while EOM not in got:
        chunk = ch.recv(65536)
        assert chunk, "server closed before its hello"
        got += chunk
    sid = f"<session-id>{session_id}</session-id>" if session_id else ""
    ch.sendall(f'<hello xmlns="{NC}"><capabilities><capability>urn:ietf:params:netconf:base:1.0'
               f'</capability></capabilities>{sid}</hello>'.encode() + EOM)
    # An rpc after the hello: a live session answers it. The server may
    # already have closed the channel after a bad hello; that is the answer.
    try:
        ch.sendall(f'<rpc xmlns="{NC}" message-id="1"><get-config><source><running/></source></get-config></rpc>'.encode() + EOM)
    except OSError:
        t.close()
        return True
    reply = b""
    try:
        while EOM not in reply:
            chunk = ch.recv(65536)
            if not chunk:
                t.close()
                return True
            reply += chunk
    except Exception:
        t.close()
        return False
    t.close()
    return False

with connect() as m:
    before = bad_hellos(m)
    assert not raw_hello(None), "a plain hello opens a session"
    assert bad_hellos(m) == before
    assert raw_hello(4711), "the server kept a session whose hello had a session-id"
    deadline = time.time() + 10
    while bad_hellos(m) != before + 1:
        assert time.time() < deadline, f"in-bad-hellos is {bad_hellos(m)}, {before + 1} expected"
        time.sleep(0.1)
"#,
    );
}
