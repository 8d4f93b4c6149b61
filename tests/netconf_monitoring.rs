//! ietf-netconf-monitoring, get-schema and ietf-yang-library end to end:
//! ncclient, netconf-console2 and paramiko against the running binary, and
//! yanglint (libyang2-tools) checking a whole `<get>` reply.

mod common;

use chain_agent::netconf::monitoring::netconf_state::MONITORING_NS;
use chain_agent::netconf::transport::xml::Element;
use common::AgentProcess;
use common::netconf::{console, out_text, script};
use std::path::{Path, PathBuf};
use std::process::Command;

fn agent() -> (tempfile::TempDir, AgentProcess) {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    (dir, agent)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Python shared by the scripts: namespaces, reading counters, and a raw
/// NETCONF client on paramiko for what ncclient will not send.
const PRELUDE: &str = r#"
import time, paramiko
MON = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"
YL = "urn:ietf:params:xml:ns:yang:ietf-yang-library"
NSM = {"m": MON, "y": YL}
EOM = b"]]>]]>"

def state(m, inner):
    """The get reply for a subtree filter on netconf-state."""
    f = f'<netconf-state xmlns="{MON}">{inner}</netconf-state>'
    return m.get(filter=("subtree", f)).data_ele

# Counters default to 0, so the server's basic mode (trim) leaves zeros out.
def stat(m, name):
    d = state(m, "<statistics/>")
    assert xp(d, "m:netconf-state/m:statistics/m:netconf-start-time", NSM), "no statistics"
    return int((xp(d, f"m:netconf-state/m:statistics/m:{name}/text()", NSM) or ["0"])[0])

def session_counter(m, sid, name):
    sel = f"/m:netconf-state/m:sessions/m:session[m:session-id='{sid}']/m:{name}"
    d = m.get(filter=("xpath", (NSM, sel))).data_ele
    assert xp(d, f"//m:session[m:session-id='{sid}']", NSM), f"no session {sid}"
    return int((xp(d, f"//m:{name}/text()", NSM) or ["0"])[0])

def wait_for(fn, what, timeout=10):
    deadline = time.time() + timeout
    while True:
        v = fn()
        if v:
            return v
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)

def raw_session(hello):
    """Open the netconf subsystem with paramiko, read the server's hello,
    send `hello` (bytes, end-of-message framed); return (transport, channel)."""
    t = paramiko.Transport(("127.0.0.1", int(os.environ["NC_PORT"])))
    t.start_client(timeout=10)
    t.auth_password(os.environ["NC_USER"], os.environ["NC_PASSWORD"])
    ch = t.open_session()
    ch.invoke_subsystem("netconf")
    ch.settimeout(10)
    got = b""
    while EOM not in got:
        chunk = ch.recv(65536)
        assert chunk, "server closed before its hello"
        got += chunk
    ch.sendall(hello + EOM)
    return t, ch

def closed_by_server(ch):
    try:
        return ch.recv(65536) == b""
    except Exception:
        return False
"#;

fn run(agent: &AgentProcess, user: &str, body: &str) -> String {
    script(agent, user, &format!("{PRELUDE}\n{body}"))
}

#[test]
fn sessions_and_counters_follow_what_clients_do() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
with connect() as m:
    r = connect("reader", "reader-pw")
    me, other = m.session_id, r.session_id
    d = state(m, "<sessions/>")
    # the subtree filter keeps only netconf-state/sessions
    assert [e.tag for e in d] == [f"{{{MON}}}netconf-state"], [e.tag for e in d]
    assert [e.tag for e in d[0]] == [f"{{{MON}}}sessions"], [e.tag for e in d[0]]
    users = {s: xp(d, f"//m:session[m:session-id='{s}']/m:username/text()", NSM) for s in (me, other)}
    assert users == {me: ["admin"], other: ["reader"]}, users
    for s in (me, other):
        assert xp(d, f"//m:session[m:session-id='{s}']/m:transport/text()", NSM) == ["netconf-ssh"]
        assert xp(d, f"//m:session[m:session-id='{s}']/m:source-host/text()", NSM) == ["127.0.0.1"]
        assert xp(d, f"//m:session[m:session-id='{s}']/m:login-time/text()", NSM)

    # in-rpcs of the reader's session grows by what it sends
    before = session_counter(m, other, "in-rpcs")
    for _ in range(3):
        r.get_config(source="running")
    assert session_counter(m, other, "in-rpcs") == before + 3

    # an error reply: out-rpc-errors grows, server-wide and for the session
    errors = stat(m, "out-rpc-errors")
    session_errors = session_counter(m, other, "out-rpc-errors")
    expect_error(lambda: r.lock(target="running"), "access-denied")
    assert stat(m, "out-rpc-errors") == errors + 1
    assert session_counter(m, other, "out-rpc-errors") == session_errors + 1

    # a malformed rpc: in-bad-rpcs grows too
    bad = stat(m, "in-bad-rpcs")
    session_bad = session_counter(m, other, "in-bad-rpcs")
    expect_error(lambda: r.dispatch(etree.fromstring(f'<get-config xmlns="{NC}"/>')), "missing-element")
    assert stat(m, "in-bad-rpcs") == bad + 1
    assert session_counter(m, other, "in-bad-rpcs") == session_bad + 1

    # the session list follows sessions coming and going
    r.close_session()
    wait_for(lambda: not xp(state(m, "<sessions/>"), f"//m:session[m:session-id='{other}']", NSM),
             "the closed session to leave the list")
    assert xp(state(m, "<sessions/>"), f"//m:session[m:session-id='{me}']", NSM)
"#,
    );
}

#[test]
fn bad_hellos_and_dropped_sessions_are_counted() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
with connect() as m:
    hellos, dropped, started = stat(m, "in-bad-hellos"), stat(m, "dropped-sessions"), stat(m, "in-sessions")

    # a hello without a base capability: the server drops the session
    t, ch = raw_session(b'<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>'
                        b'<capability>urn:example:not-netconf</capability></capabilities></hello>')
    assert closed_by_server(ch), "server kept a session with a bad hello"
    t.close()
    wait_for(lambda: stat(m, "in-bad-hellos") == hellos + 1, "in-bad-hellos to count the bad hello")
    # a hello that is not XML
    t, ch = raw_session(b"<hello")
    assert closed_by_server(ch)
    t.close()
    wait_for(lambda: stat(m, "in-bad-hellos") == hellos + 2, "in-bad-hellos to count the broken hello")
    assert stat(m, "dropped-sessions") == dropped

    # a good hello, then the transport closes without close-session: dropped
    t, ch = raw_session(b'<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities>'
                        b'<capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>')
    t.close()
    wait_for(lambda: stat(m, "dropped-sessions") == dropped + 1, "dropped-sessions to count the cut session")

    # close-session and kill-session end sessions properly: not dropped
    with connect() as a:
        pass
    b = connect()
    m.kill_session(b.session_id)
    time.sleep(1)
    assert stat(m, "dropped-sessions") == dropped + 1, stat(m, "dropped-sessions")
    assert stat(m, "in-bad-hellos") == hellos + 2
    assert stat(m, "in-sessions") == started + 5, (stat(m, "in-sessions"), started)
"#,
    );
}

#[test]
fn a_lock_shows_its_holder_until_unlocked() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
def locks(m):
    d = state(m, "<datastores/>")
    names = xp(d, "//m:datastore/m:name/text()", NSM)
    assert sorted(names) == ["candidate", "running", "startup"], names
    return {n: xp(d, f"//m:datastore[m:name='{n}']/m:locks/m:global-lock/m:locked-by-session/text()", NSM)
            for n in names}, d
with connect() as m, connect("reader", "reader-pw") as r:
    held, _ = locks(r)
    assert held == {"candidate": [], "running": [], "startup": []}, held
    m.lock(target="candidate")
    held, d = locks(r)
    assert held == {"candidate": [m.session_id], "running": [], "startup": []}, held
    when = xp(d, "//m:datastore[m:name='candidate']/m:locks/m:global-lock/m:locked-time/text()", NSM)
    assert len(when) == 1 and when[0].endswith("Z"), when
    m.lock(target="running")
    held, _ = locks(r)
    assert held["running"] == [m.session_id], held
    m.unlock(target="candidate")
    m.unlock(target="running")
    held, _ = locks(r)
    assert held == {"candidate": [], "running": [], "startup": []}, held
    # a lock goes with its session
    with connect() as other:
        other.lock(target="startup")
        assert locks(r)[0]["startup"] == [other.session_id]
    wait_for(lambda: locks(r)[0]["startup"] == [], "the ended session's lock to go")
"#,
    );
}

#[test]
fn get_schema_returns_the_module_texts() {
    let (_d, agent) = agent();
    let yang = repo().join("yang");
    run(
        &agent,
        "reader",
        &format!(
            r#"
import glob
ours = sorted(glob.glob("{dir}/*.yang"))
assert len(ours) >= 9, ours
with connect() as m:
    for path in ours:
        name = os.path.basename(path)[:-5]
        text = open(path).read()
        assert m.get_schema(name).data == text, name
        assert m.get_schema(name, version="2026-11-21", format="yang").data == text, name
    # every schema the list names can be fetched, and is what it says
    d = state(m, "<schemas/>")
    listed = list(zip(xp(d, "//m:schema/m:identifier/text()", NSM),
                      [v.text or "" for v in xp(d, "//m:schema/m:version", NSM)]))
    assert len(listed) >= 20, listed
    for ident, version in listed:
        text = m.get_schema(ident, version=version).data
        assert f"module {{ident}} " in text or f"submodule {{ident}} " in text, (ident, text[:200])
    expect_error(lambda: m.get_schema("no-such-module"), "invalid-value")
    expect_error(lambda: m.get_schema("chain-agent-nodes", version="1999-01-01"), "invalid-value")
    expect_error(lambda: m.get_schema("chain-agent-nodes", format="yin"), "invalid-value")
    expect_error(lambda: m.dispatch(etree.fromstring(f'<get-schema xmlns="{{MON}}"/>')), "missing-element")
"#,
            dir = yang.display()
        ),
    );
    // netconf-console2 prints the reply's <data>, the text inside it.
    let o = console(
        &agent,
        "reader",
        "reader-pw",
        &["--get-schema", "chain-agent-ledger"],
    );
    let printed = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{}", out_text(&o));
    let data = Element::parse(&printed).expect("netconf-console2 printed XML");
    assert!(data.is(MONITORING_NS, "data"), "{}:{}", data.ns, data.name);
    let module = std::fs::read_to_string(yang.join("chain-agent-ledger.yang")).unwrap();
    assert_eq!(data.text, module);
}

#[test]
fn schemas_library_and_hello_agree() {
    let (_d, agent) = agent();
    run(
        &agent,
        "admin",
        r#"
from urllib.parse import urlparse, parse_qs
with connect() as m:
    caps = list(m.server_capabilities)
    d = state(m, "<capabilities/>")
    assert xp(d, "//m:capability/text()", NSM) == caps, (xp(d, "//m:capability/text()", NSM), caps)
    ylcap = [c for c in caps if c.startswith("urn:ietf:params:netconf:capability:yang-library:1.0?")]
    assert len(ylcap) == 1, caps
    params = parse_qs(urlparse(ylcap[0]).query)
    assert params["revision"] == ["2019-01-04"], params
    set_id = params["module-set-id"][0]

    lib = m.get(filter=("subtree", f'<modules-state xmlns="{YL}"/>')).data_ele
    assert xp(lib, "//y:modules-state/y:module-set-id/text()", NSM) == [set_id]
    modules = {(xp(e, "y:name/text()", NSM)[0], (xp(e, "y:revision/text()", NSM) or [""])[0]): e
               for e in xp(lib, "//y:modules-state/y:module", NSM)}
    names = {n for n, _ in modules}
    for n in ["chain-agent-types", "chain-agent-nodes", "chain-agent-alarms", "chain-agent-logs",
              "chain-agent-ledger", "chain-agent-consensus", "chain-agent-contracts",
              "chain-agent-crosschain", "chain-agent-system", "ietf-netconf", "ietf-netconf-monitoring",
              "ietf-netconf-with-defaults", "ietf-netconf-notifications", "ietf-netconf-acm",
              "ietf-alarms", "ietf-alarms-x733", "ietf-yang-library", "ietf-yang-types", "ietf-inet-types",
              "ietf-datastores"]:
        assert n in names, (n, sorted(names))
    # every module the hello announces is implemented, same revision, same features
    announced = [c for c in caps if "?module=" in c]
    assert len(announced) >= 17, announced
    for c in announced:
        q = parse_qs(urlparse(c).query)
        key = (q["module"][0], q.get("revision", [""])[0])
        assert key in modules, (key, sorted(modules))
        e = modules[key]
        assert xp(e, "y:conformance-type/text()", NSM) == ["implement"], key
        assert xp(e, "y:namespace/text()", NSM) == [c.split("?")[0]], key
        want = sorted(q["features"][0].split(",")) if "features" in q else []
        assert sorted(xp(e, "y:feature/text()", NSM)) == want, (key, want)
    implemented = {k for k, e in modules.items() if xp(e, "y:conformance-type/text()", NSM) == ["implement"]}
    assert len(implemented) >= len(announced)

    # RFC 8525's view: the same modules, the same id
    nmda = m.get(filter=("subtree", f'<yang-library xmlns="{YL}"/>')).data_ele
    assert xp(nmda, "//y:yang-library/y:content-id/text()", NSM) == [set_id]
    in_set = {(xp(e, "y:name/text()", NSM)[0], (xp(e, "y:revision/text()", NSM) or [""])[0])
              for e in xp(nmda, "//y:module-set/y:module | //y:module-set/y:import-only-module", NSM)}
    assert in_set == set(modules), (in_set ^ set(modules))
    stores = sorted(n.split(":")[-1] for n in xp(nmda, "//y:datastore/y:name/text()", NSM))
    assert stores == ["candidate", "operational", "running", "startup"], stores

    # the schemas list of netconf-state holds the same modules
    d = state(m, "<schemas/>")
    schemas = set(zip(xp(d, "//m:schema/m:identifier/text()", NSM),
                      [v.text or "" for v in xp(d, "//m:schema/m:version", NSM)]))
    assert schemas == set(modules), schemas ^ set(modules)
    assert set(xp(d, "//m:schema/m:format/text()", NSM)) == {"yang"}
    assert set(xp(d, "//m:schema/m:location/text()", NSM)) == {"NETCONF"}
"#,
    );
}

/// A whole `<get>` reply, with monitoring state in it, written to `out`.
fn full_get(agent: &AgentProcess, out: &Path) {
    run(
        agent,
        "admin",
        &format!(
            r#"
with connect() as m, connect("reader", "reader-pw") as r:
    m.lock(target="candidate")
    r.get_config(source="running")
    d = m.get().data_ele
    assert xp(d, "//m:netconf-state/m:sessions/m:session", NSM), "no sessions"
    assert xp(d, "//m:datastore[m:name='candidate']/m:locks", NSM), "no lock"
    assert xp(d, "//y:yang-library", NSM) and xp(d, "//y:modules-state", NSM)
    # yanglint -t get reads the top-level nodes, without <data>
    with open("{out}", "wb") as f:
        for child in d:
            f.write(etree.tostring(child))
"#,
            out = out.display()
        ),
    );
}

/// yanglint with our modules and the standard ones the server implements
/// (ietf-yang-library is yanglint's own, loaded by `-y`), on `file`.
fn yanglint(kind: &[&str], file: &Path) -> std::process::Output {
    let deps = repo().join(".deps/yang");
    let mut args: Vec<String> = kind.iter().map(|s| s.to_string()).collect();
    args.extend(["-y", "-p"].map(String::from));
    args.push(deps.display().to_string());
    args.push("-p".into());
    args.push(repo().join("yang").display().to_string());
    for m in [
        "ietf-netconf",
        "ietf-netconf-with-defaults",
        "ietf-netconf-monitoring",
        "ietf-netconf-notifications",
        "ietf-netconf-acm",
        "ietf-alarms",
        "ietf-alarms-x733",
    ] {
        args.push(deps.join(format!("{m}.yang")).display().to_string());
    }
    let mut own: Vec<PathBuf> = std::fs::read_dir(repo().join("yang"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yang"))
        .collect();
    own.sort();
    args.extend(own.iter().map(|p| p.display().to_string()));
    args.push(file.display().to_string());
    Command::new("yanglint")
        .args(&args)
        .output()
        .expect("yanglint runs (apt libyang2-tools)")
}

/// `-t get` is how yanglint reads a `<get>` reply, but it only parses
/// (strictly: every node known, every value of its type); `-t data -e`
/// also validates what is there as a datastore (mandatory nodes, keys,
/// leafrefs such as yang-library's datastore -> schema -> module-set).
/// Two broken copies show both checks bite.
#[test]
fn yanglint_accepts_a_full_get_reply() {
    let (d, agent) = agent();
    let reply = d.path().join("get.xml");
    full_get(&agent, &reply);
    for kind in [&["-t", "get"][..], &["-t", "data", "-e"][..]] {
        let o = yanglint(kind, &reply);
        assert!(
            o.status.success() && o.stderr.is_empty(),
            "yanglint {kind:?} refused the reply:\n{}",
            out_text(&o)
        );
    }
    let text = std::fs::read_to_string(&reply).unwrap();
    let bogus = d.path().join("bogus-transport.xml");
    let replaced = text.replace(
        "<transport>netconf-ssh</transport>",
        "<transport>bogus</transport>",
    );
    assert_ne!(replaced, text);
    std::fs::write(&bogus, replaced).unwrap();
    let o = yanglint(&["-t", "get"], &bogus);
    assert!(!o.status.success(), "a bogus identity passed");
    assert!(out_text(&o).contains("bogus"), "{}", out_text(&o));

    let id_start = text.find("<content-id>").expect("content-id served");
    let id_end = text[id_start..].find("</content-id>").unwrap() + id_start + "</content-id>".len();
    let no_id = d.path().join("no-content-id.xml");
    std::fs::write(&no_id, format!("{}{}", &text[..id_start], &text[id_end..])).unwrap();
    let o = yanglint(&["-t", "data", "-e"], &no_id);
    assert!(!o.status.success(), "a missing mandatory content-id passed");
    assert!(out_text(&o).contains("content-id"), "{}", out_text(&o));
}
