//! NETCONF access control (RFC 8341) end to end: ncclient and
//! netconf-console2 against the running binary, as the test configuration's
//! `admin` (admin = true: group admin) and `reader` (group readers).

mod common;

use common::AgentProcess;
use common::netconf::{agent_log, console, out_text, script, script_output};

fn agent() -> (tempfile::TempDir, AgentProcess) {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    (dir, agent)
}

/// Shared by the scripts: namespaces and small helpers.
const PRELUDE: &str = r#"
ACM = "urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
NOTIF = "urn:ietf:params:xml:ns:yang:ietf-netconf-notifications"
def nacm(body, op=None):
    attr = f' xmlns:nc="{NC}" nc:operation="{op}"' if op else ''
    return f'<config><nacm xmlns="{ACM}"{attr}>{body}</nacm></config>'
def rule_list(name, group, rules, op=None):
    attr = f' xmlns:nc="{NC}" nc:operation="{op}"' if op else ''
    return nacm(f'<rule-list{attr}><name>{name}</name><group>{group}</group>{rules}</rule-list>')
def rule(name, ops, action, target="", module="*"):
    return (f'<rule><name>{name}</name><module-name>{module}</module-name>{target}'
            f'<access-operations>{ops}</access-operations><action>{action}</action></rule>')
def counter(m, name):
    return int(xp(m.get(filter=("subtree", f'<nacm xmlns="{ACM}"/>')).data_ele,
                  f"//a:nacm/a:{name}/text()", {"a": ACM})[0])
def thresholds(m, op="get_config"):
    """The thresholds container in a reply with every default shown."""
    if op == "get":
        ele = m.get(with_defaults="report-all").data_ele
    else:
        ele = m.get_config(source="running", with_defaults="report-all").data_ele
    return xp(ele, "n:thresholds/n:cpu-percent")
def contact(text):
    return f'<config><system xmlns="{SYS}"><contact>{text}</contact></system></config>'
def wait_for(m, pred, what, tries=40):
    for _ in range(tries):
        n = m.take_notification(timeout=0.5)
        if n is not None and pred(n.notification_xml):
            return n.notification_xml
    raise AssertionError("no notification: " + what)
"#;

fn run(agent: &AgentProcess, user: &str, body: &str) -> String {
    script(agent, user, &format!("{PRELUDE}{body}"))
}

#[test]
fn by_default_readers_read_without_secrets_and_admins_do_everything() {
    let (_d, agent) = agent();
    run(
        &agent,
        "reader",
        r#"
with connect("admin", "admin-pw") as admin, connect() as m:
    before = counter(admin, "denied-operations")
    full = m.get().data_ele
    assert xp(full, "n:chains/n:chain/n:nodes/n:node/n:oper-state"), "reader reads state"
    cfg = m.get_config(source="running").data_ele
    assert xp(cfg, "n:chains/n:chain"), "reader reads configuration"
    text = etree.tostring(cfg).decode()
    # default-deny-all: passwords, communities, /nacm itself
    assert "admin-pw" not in text and "<password>" not in text, text
    assert not xp(cfg, "//s:communities"), text
    assert ACM not in text, text
    # (the monitoring data names the module, so look for its data node)
    assert not xp(full, "//a:nacm", {"a": ACM}), "reader's get shows /nacm"
    expect_error(lambda: m.edit_config(target="running", config=contact("x")), "access-denied")
    expect_error(lambda: m.lock("running"), "access-denied")
    expect_error(lambda: m.dispatch(etree.fromstring(
        f'<kill-session xmlns="{NC}"><session-id>{admin.session_id}</session-id></kill-session>')),
        "access-denied")
    expect_error(lambda: m.delete_config(target="startup"), "access-denied")
    assert counter(admin, "denied-operations") >= before + 4
    # The admin reads the secrets and the rules, and writes.
    acfg = admin.get_config(source="running").data_ele
    # Passwords are stored hashed: the admin reads hashes, never plain text.
    assert xp(acfg, "//s:netconf/s:users/s:user/s:password-hash"), "admin reads password hashes"
    assert not xp(acfg, "//s:password"), "no plain-text password is kept"
    assert xp(acfg, "//a:nacm/a:rule-list[a:name='readers']/a:rule[a:name='deny-lock']", {"a": ACM})
    admin.edit_config(target="running", config=contact("by-admin"))
    admin.lock("running")
    admin.unlock("running")
"#,
    );
}

#[test]
fn rules_edited_by_an_admin_take_effect_at_once() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
with connect() as admin, connect("reader", "reader-pw") as r:
    assert thresholds(r) and thresholds(r, "get"), "readers see thresholds by default"
    # Hide a subtree from readers.
    hide = rule("hide-thresholds", "read", "deny", f'<path xmlns:n="{NODES}">/n:thresholds</path>')
    admin.edit_config(target="running", config=rule_list("limits", "readers", hide))
    assert not thresholds(r, "get"), "thresholds hidden from get"
    assert not thresholds(r), "hidden from get-config"
    assert xp(r.get_config(source="running").data_ele, "n:chains"), "the rest is still there"
    assert thresholds(admin), "admins still see them"
    assert thresholds(admin, "get"), "admins still see them in get"
    admin.edit_config(target="running", config=rule_list("limits", "readers", "", "delete"))
    assert thresholds(r), "visible again"
    assert thresholds(r, "get"), "visible again in get"

    # Let readers edit one leaf: the exec rule goes, an update rule comes.
    admin.edit_config(target="running", config=nacm(
        f'<rule-list><name>readers</name><rule xmlns:nc="{NC}" nc:operation="delete">'
        '<name>deny-edit-config</name></rule></rule-list>'))
    cpu = rule("cpu", "update", "permit", f'<path xmlns:n="{NODES}">/n:thresholds/n:cpu-percent</path>')
    admin.edit_config(target="running", config=rule_list("limits", "readers", cpu))
    before = counter(admin, "denied-data-writes")
    r.edit_config(target="running",
        config=f'<config><thresholds xmlns="{NODES}"><cpu-percent>66.5</cpu-percent></thresholds></config>')
    assert xp(admin.get_config(source="running").data_ele, "n:thresholds/n:cpu-percent/text()") == ["66.5"]
    e = expect_error(lambda: r.edit_config(target="running",
        config=f'<config><thresholds xmlns="{NODES}"><cpu-percent>67</cpu-percent>'
               '<memory-percent>70</memory-percent></thresholds></config>'),
        "access-denied", "memory-percent")
    assert "thresholds" in e.path, e.path
    # Nothing of the refused edit was applied.
    assert xp(admin.get_config(source="running").data_ele, "n:thresholds/n:cpu-percent/text()") == ["66.5"]
    expect_error(lambda: r.edit_config(target="running", config=contact("reader")), "access-denied", "contact")
    assert counter(admin, "denied-data-writes") >= before + 2

    # Deny get-config to readers; get still works.
    no_gc = rule("no-get-config", "exec", "deny", "<rpc-name>get-config</rpc-name>", "ietf-netconf")
    admin.edit_config(target="running", config=rule_list("limits", "readers", no_gc))
    expect_error(lambda: r.get_config(source="running"), "access-denied")
    r.get()
    admin.get_config(source="running")
"#,
    );
}

#[test]
fn notification_rules_hide_config_changes_from_readers_only() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
is_change = lambda x: "netconf-config-change" in x
with connect() as admin, connect("reader", "reader-pw") as r, connect() as watcher:
    r.create_subscription()
    watcher.create_subscription()
    # Readers get config changes by default, without the edits of secrets.
    admin.edit_config(target="running", config=contact("one"))
    wait_for(r, lambda x: is_change(x) and "<username>admin</username>" in x, "reader sees a change")
    wait_for(watcher, lambda x: is_change(x) and "contact" in x, "admin sees a change")
    before = counter(admin, "denied-notifications")
    deny = rule("no-changes", "read", "deny", "<notification-name>netconf-config-change</notification-name>")
    admin.edit_config(target="running", config=rule_list("quiet", "readers", deny))
    admin.edit_config(target="running", config=contact("two"))
    x = wait_for(watcher, lambda x: is_change(x) and "contact" in x, "admin still sees changes")
    for _ in range(6):
        n = r.take_notification(timeout=0.5)
        assert n is None or not is_change(n.notification_xml), n.notification_xml
    assert counter(admin, "denied-notifications") >= before + 2
"#,
    );
}

#[test]
fn nacm_off_lets_everyone_do_everything_and_persists_across_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut agent = AgentProcess::start(dir.path(), "");
    // netconf-console2 as the admin switches NACM off.
    let edit = agent.dir.join("nacm-off.xml");
    std::fs::write(
        &edit,
        r#"<nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm>false</enable-nacm></nacm>"#,
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
    let everything = r#"
with connect() as m:
    cfg = m.get_config(source="running").data_ele
    assert xp(cfg, "//s:netconf/s:users/s:user/s:password-hash"), "hashes readable with NACM off"
    m.edit_config(target="running", config=contact("reader-was-here"))
    m.lock("running")
    m.unlock("running")
"#;
    run(&agent, "reader", everything);
    // netconf-console2 as the reader reads secrets too.
    let o = console(&agent, "reader", "reader-pw", &["--get-config"]);
    let t = out_text(&o);
    assert!(
        t.contains("<password-hash>$6$") && !t.contains("admin-pw"),
        "{t}"
    );
    agent.stop();
    let agent = AgentProcess::start(dir.path(), "");
    run(&agent, "reader", everything);
    run(
        &agent,
        "admin",
        r#"
with connect() as m:
    cfg = m.get_config(source="running").data_ele
    assert xp(cfg, "//a:nacm/a:enable-nacm/text()", {"a": ACM}) == ["false"], etree.tostring(cfg)
    m.edit_config(target="running", config=nacm("<enable-nacm>true</enable-nacm>"))
with connect("reader", "reader-pw") as r:
    expect_error(lambda: r.edit_config(target="running", config=contact("again")), "access-denied")
"#,
    );
}

#[test]
fn bad_nacm_configuration_is_refused_with_its_path() {
    let (_d, agent) = agent();
    let o = script_output(
        &agent,
        "admin",
        &format!(
            "{PRELUDE}{}",
            r#"
with connect() as m:
    bad = rule("r", "read", "maybe")
    e = expect_error(lambda: m.edit_config(target="running", config=rule_list("l", "readers", bad)),
        "invalid-value", "action")
    e = expect_error(lambda: m.edit_config(target="running",
        config=nacm("<read-default>sometimes</read-default>")), "invalid-value", "read-default")
    e = expect_error(lambda: m.edit_config(target="running", config=rule_list("l", "*bad", "")),
        "invalid-value", "group")
    # Nothing was applied.
    cfg = m.get_config(source="running").data_ele
    assert not xp(cfg, "//a:rule-list[a:name='l']", {"a": ACM}), etree.tostring(cfg)
"#
        ),
    );
    assert!(
        o.status.success(),
        "{}\n{}",
        out_text(&o),
        agent_log(&agent)
    );
}

/// An XPath filter runs on what the reader may see: a predicate on a leaf
/// hidden from readers selects nothing, where it would otherwise tell the
/// leaf's value by whether its parent comes back.
#[test]
fn xpath_predicates_cannot_probe_hidden_values() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
with connect() as admin, connect("reader", "reader-pw") as r:
    hide = rule("hide-cpu", "read", "deny", f'<path xmlns:n="{NODES}">/n:thresholds/n:cpu-percent</path>')
    admin.edit_config(target="running", config=rule_list("probe", "readers", hide))
    def probe(m, op, expr):
        f = ("xpath", ({"n": NODES}, expr))
        if op == "get":
            ele = m.get(filter=f, with_defaults="report-all").data_ele
        else:
            ele = m.get_config(source="running", filter=f, with_defaults="report-all").data_ele
        return xp(ele, "n:thresholds")
    for op in ("get", "get_config"):
        # The default is 90: true for the admin, nothing for the reader.
        assert probe(admin, op, "/n:thresholds[n:cpu-percent = 90]"), op
        assert not probe(r, op, "/n:thresholds[n:cpu-percent = 90]"), op
        # The rest of the container is still there for the reader.
        t = probe(r, op, "/n:thresholds")
        assert t and xp(t[0], "n:memory-percent") and not xp(t[0], "n:cpu-percent"), op
    # The candidate is pruned before filtering too.
    ele = r.get_config(source="candidate", with_defaults="report-all",
        filter=("xpath", ({"n": NODES}, "/n:thresholds[n:cpu-percent = 90]"))).data_ele
    assert not xp(ele, "n:thresholds")
"#,
    );
}
