//! The `[netconf]` section changed at run time, end to end: an admin edits
//! users, `max-sessions` and `idle-timeout-seconds` with ncclient, the
//! control socket edits users with `chain-agent ctl`, and ncclient,
//! paramiko and OpenSSH's `ssh -s netconf` log in against the running
//! binary. What must hold: changes apply to the next login or session at
//! once, a removed user's sessions end, passwords are stored hashed and
//! never shown or logged in clear, the last administrator cannot be
//! removed over NETCONF, and `listen` stays restart-only.

mod common;

use common::AgentProcess;
use common::netconf::{agent_log, netconf_port, script};
use std::path::Path;

const OLGA_PW: &str = "Olga-Pw-4711-plain";
const OLGA_PW2: &str = "Olga-Pw-0815-second";

/// Shared by the scripts: edits of `/netconf` and login probes.
const PRELUDE: &str = r#"
import time, paramiko
from ncclient.transport.errors import AuthenticationError, SSHError
def users(body):
    return f'<config><netconf xmlns="{SYS}"><users>{body}</users></netconf></config>'
def user(name, body="", op=None):
    attr = f' xmlns:nc="{NC}" nc:operation="{op}"' if op else ''
    return users(f'<user{attr}><name>{name}</name>{body}</user>')
def netconf(body):
    return f'<config><netconf xmlns="{SYS}">{body}</netconf></config>'
def contact(text):
    return f'<config><system xmlns="{SYS}"><contact>{text}</contact></system></config>'
def with_key(name, key):
    return manager.connect(host="127.0.0.1", port=int(os.environ["NC_PORT"]),
        username=name, key_filename=key, hostkey_verify=False, allow_agent=False,
        look_for_keys=False, timeout=30)
def login_refused(name, password=None, key=None):
    try:
        m = with_key(name, key) if key else connect(name, password)
    except AuthenticationError:
        return True
    m.close_session()
    return False
def can_edit(m):
    try:
        m.edit_config(target="running", config=contact(f"by-{time.time()}"))
        return True
    except RPCError as e:
        assert e.tag == "access-denied", (e.tag, e.message)
        return False
def wait_closed(m, what, seconds=10):
    deadline = time.time() + seconds
    while m.connected and time.time() < deadline:
        time.sleep(0.05)
    assert not m.connected, what
def user_entry(m, name):
    cfg = m.get_config(source="running").data_ele
    return xp(cfg, f"//s:netconf/s:users/s:user[s:name='{name}']")
"#;

fn run(agent: &AgentProcess, user: &str, body: &str) -> String {
    script(agent, user, &format!("{PRELUDE}{body}"))
}

fn agent(dir: &Path) -> AgentProcess {
    AgentProcess::start(dir, "")
}

/// An OpenSSH Ed25519 key pair: (private key file, public key line).
fn ssh_keygen(dir: &Path) -> (String, String) {
    let path = dir.join("id_olga");
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "olga@test", "-f"])
        .arg(&path)
        .status()
        .expect("run ssh-keygen (bash tools/setup)");
    assert!(status.success());
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (path.display().to_string(), public.trim().to_string())
}

/// Every file under `dir`, as bytes, that contains `needle`.
fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if let Ok(bytes) = std::fs::read(&p)
                && bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
            {
                hits.push(p.display().to_string());
            }
        }
    }
    hits
}

/// `ssh -s netconf` as `user` with `key`: the hello and a get-config
/// reply, or whatever OpenSSH said.
fn openssh_get_config(agent: &AgentProcess, user: &str, key: &str) -> (bool, String) {
    use std::io::Write;
    let port = netconf_port(agent).to_string();
    let mut child = std::process::Command::new("ssh")
        .args(["-F", "/dev/null", "-o", "BatchMode=yes"])
        .args(["-o", "StrictHostKeyChecking=no"])
        .args(["-o", "UserKnownHostsFile=/dev/null"])
        .args(["-o", "IdentitiesOnly=yes", "-i", key, "-p", &port])
        .args(["-s", &format!("{user}@127.0.0.1"), "netconf"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run ssh (bash tools/setup)");
    let hello = r#"<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>"#;
    let rpc = r#"<rpc message-id="1" xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><get-config><source><running/></source></get-config></rpc>]]>]]>"#;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(hello.as_bytes()).unwrap();
    stdin.write_all(rpc.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (text.contains("<rpc-reply") && text.contains("<data"), text)
}

#[test]
fn an_added_user_logs_in_at_once_and_its_password_is_never_shown_or_stored_in_clear() {
    let dir = tempfile::tempdir().unwrap();
    let (key, public) = ssh_keygen(dir.path());
    let mut agent = agent(dir.path());
    assert!(
        !openssh_get_config(&agent, "olga", &key).0,
        "olga does not exist yet"
    );
    run(
        &agent,
        "admin",
        &format!(
            r#"
assert login_refused("olga", "{OLGA_PW}")
with connect() as admin:
    admin.edit_config(target="running", config=user("olga",
        "<password>{OLGA_PW}</password><authorized-keys>{public}</authorized-keys>"))
    # The admin sees a hash, never the plain text.
    entry = user_entry(admin, "olga")
    assert entry, "olga is configured"
    text = etree.tostring(admin.get_config(source="running").data_ele).decode()
    assert "{OLGA_PW}" not in text, text
    assert not xp(entry[0], "s:password"), text
    assert xp(entry[0], "s:password-hash/text()")[0].startswith("$6$"), text
with connect("olga", "{OLGA_PW}") as olga:
    # A user with neither admin nor groups is a reader.
    assert not can_edit(olga)
    cfg = olga.get_config(source="running").data_ele
    assert not xp(cfg, "//s:password") and not xp(cfg, "//s:password-hash"), "secrets hidden"
with with_key("olga", "{key}") as olga:
    assert olga.get_config(source="running").data_ele is not None
assert login_refused("olga", "not-her-password")
"#
        ),
    );
    let (ok, text) = openssh_get_config(&agent, "olga", &key);
    assert!(ok, "OpenSSH with olga's key: {text}");
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(!log.contains(OLGA_PW), "plain password in the agent log");
    assert!(
        log.contains("NETCONF users now: admin, olga, reader"),
        "{}",
        agent_log(&agent)
    );
    // The change persists: a restart with the same file restores it.
    agent.stop();
    let agent = AgentProcess::start(dir.path(), "");
    run(
        &agent,
        "admin",
        &format!(
            r#"
with connect("olga", "{OLGA_PW}") as olga:
    assert not can_edit(olga)
"#
        ),
    );
    let hits = files_containing(&dir.path().join("data"), OLGA_PW);
    assert!(hits.is_empty(), "plain password stored in {hits:?}");
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(!log.contains(OLGA_PW), "plain password in the agent log");
}

#[test]
fn groups_and_the_admin_flag_change_rights_of_open_sessions_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        &format!(
            r#"
with connect() as admin:
    admin.edit_config(target="running", config=user("olga", "<password>{OLGA_PW}</password>"))
    with connect("olga", "{OLGA_PW}") as olga:
        assert not can_edit(olga)
        admin.edit_config(target="running", config=user("olga", "<groups>admin</groups>"))
        assert can_edit(olga), "the admin group applies to the next request"
        admin.edit_config(target="running",
            config=user("olga", f'<groups xmlns:nc="{{NC}}" nc:operation="delete">admin</groups>'))
        assert not can_edit(olga), "and is gone as quickly"
        admin.edit_config(target="running", config=user("olga", "<admin>true</admin>"))
        assert can_edit(olga), "admin = true works the same"
"#
        ),
    );
}

#[test]
fn a_removed_user_is_refused_and_its_sessions_and_connections_end() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        &format!(
            r#"
with connect() as admin:
    admin.edit_config(target="running", config=user("olga", "<password>{OLGA_PW}</password>"))
    olga = connect("olga", "{OLGA_PW}")
    assert olga.get_config(source="running") is not None
    # paramiko: one SSH connection, a netconf subsystem on a first channel.
    t = paramiko.Transport(("127.0.0.1", int(os.environ["NC_PORT"])))
    t.connect(username="olga", password="{OLGA_PW}")
    ch = t.open_session()
    ch.invoke_subsystem("netconf")
    assert b"<hello" in ch.recv(65536)
    admin.edit_config(target="running", config=user("olga", op="delete"))
    wait_closed(olga, "olga's ncclient session is ended")
    ch.settimeout(10)
    rest = b""
    while True:
        chunk = ch.recv(65536)
        if not chunk:
            break
        rest += chunk
    assert ch.closed or ch.eof_received, "olga's paramiko session is ended"
    # The SSH connection logged in before the removal starts no new session.
    try:
        ch2 = t.open_session()
        ch2.invoke_subsystem("netconf")
        raise AssertionError("a removed user started a session")
    except paramiko.SSHException:
        pass
    t.close()
    assert login_refused("olga", "{OLGA_PW}")
    assert not user_entry(admin, "olga")
    # The admin's own session is untouched.
    assert can_edit(admin)
"#
        ),
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(
        log.contains("NETCONF user \"olga\" was removed: ending session"),
        "{}",
        agent_log(&agent)
    );
}

#[test]
fn a_password_change_applies_to_new_logins_and_open_sessions_keep_running() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        &format!(
            r#"
with connect() as admin:
    admin.edit_config(target="running", config=user("olga", "<password>{OLGA_PW}</password>"))
    with connect("olga", "{OLGA_PW}") as olga:
        # A new <password> replaces the stored hash in one edit.
        admin.edit_config(target="running", config=user("olga", "<password>{OLGA_PW2}</password>"))
        assert login_refused("olga", "{OLGA_PW}")
        with connect("olga", "{OLGA_PW2}") as again:
            assert again.get_config(source="running") is not None
        # Documented: a credential change does not end open sessions.
        assert olga.get_config(source="running") is not None
    # Setting a password and a different hash at once is a clash.
    expect_error(lambda: admin.edit_config(target="running", config=user("olga",
        "<password>x-y-z</password><password-hash>$6$rounds=5000$abc$"
        + "A" * 86 + "</password-hash>")), "invalid-value")
"#
        ),
    );
    let hits = files_containing(&dir.path().join("data"), OLGA_PW2);
    assert!(hits.is_empty(), "plain password stored in {hits:?}");
}

#[test]
fn the_control_socket_edits_users_too_and_stores_only_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    let (ok, out) = agent.ctl(&[
        "set",
        "/netconf/users/carl",
        r#"{"password": "Carl-Pw-2024-plain", "groups": ["admin"]}"#,
    ]);
    assert!(ok, "{out}");
    let (ok, cfg) = agent.ctl(&["get-config"]);
    assert!(ok, "{cfg}");
    assert!(!cfg.contains("Carl-Pw-2024-plain"), "{cfg}");
    assert!(cfg.contains("password-hash"), "{cfg}");
    run(
        &agent,
        "admin",
        r#"
with connect("carl", "Carl-Pw-2024-plain") as carl:
    assert can_edit(carl), "carl is in the admin group"
"#,
    );
    let (ok, out) = agent.ctl(&["delete", "/netconf/users/carl"]);
    assert!(ok, "{out}");
    run(
        &agent,
        "admin",
        r#"assert login_refused("carl", "Carl-Pw-2024-plain")"#,
    );
}

#[test]
fn max_sessions_lowered_at_run_time_refuses_the_extra_session() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        r#"
admin = connect()
admin.edit_config(target="running", config=netconf("<max-sessions>2</max-sessions><reserved-admin-sessions>0</reserved-admin-sessions>"))
second = connect("reader", "reader-pw")
try:
    connect("reader", "reader-pw")
    raise AssertionError("a third session was accepted with max-sessions 2")
except SSHError as e:
    assert not isinstance(e, AuthenticationError), e
second.close_session()
# The slot comes back once the server has dropped the closed session.
for attempt in range(50):
    try:
        third = connect("reader", "reader-pw")
        break
    except SSHError as e:
        assert not isinstance(e, AuthenticationError), e
        time.sleep(0.1)
else:
    raise AssertionError("the closed session's slot never came back")
admin.edit_config(target="running", config=netconf("<max-sessions>3</max-sessions>"))
fourth = connect("reader", "reader-pw")
for m in (fourth, third, admin):
    m.close_session()
"#,
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(log.contains("max-sessions (2) reached"), "{log}");
}

#[test]
fn a_lower_idle_timeout_closes_sessions_that_stay_silent() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        r#"
with connect() as admin:
    admin.edit_config(target="running", config=netconf("<idle-timeout-seconds>2</idle-timeout-seconds>"))
quiet = connect("reader", "reader-pw")
wait_closed(quiet, "a silent session is closed after the new idle timeout", 10)
with connect() as admin:
    admin.edit_config(target="running", config=netconf("<idle-timeout-seconds>3600</idle-timeout-seconds>"))
    # Longer than the old timeout: the new one applies to this session too.
    time.sleep(3)
    assert admin.get_config(source="running") is not None
"#,
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(log.contains("NETCONF session ended: idle for 2s"), "{log}");
}

#[test]
fn listen_host_key_and_enabled_stay_restart_only_with_their_own_error_path() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        r#"
with connect() as admin:
    for body, key in [("<listen>127.0.0.1:1</listen>", "listen"),
                      ("<host-key>other_key</host-key>", "host-key"),
                      ("<enabled>false</enabled>", "enabled")]:
        e = expect_error(lambda: admin.edit_config(target="running", config=netconf(body)),
                         "operation-not-supported", f"netconf/{key}")
        assert "restart" in e.message, e.message
    # The other keys of the same edit are not applied either.
    expect_error(lambda: admin.edit_config(target="running",
        config=netconf("<max-sessions>5</max-sessions><listen>127.0.0.1:1</listen>")),
        "operation-not-supported", "netconf/listen")
    cfg = admin.get_config(source="running", with_defaults="report-all").data_ele
    assert xp(cfg, "//s:netconf/s:max-sessions/text()") == ["64"], etree.tostring(cfg)
    assert xp(cfg, "//s:netconf/s:listen/text()") == ["127.0.0.1:0"], etree.tostring(cfg)
"#,
    );
    let (ok, out) = agent.ctl(&["set", "/netconf/listen", "127.0.0.1:1"]);
    assert!(
        !ok && out.contains("netconf.listen: only a restart"),
        "{out}"
    );
}

#[test]
fn the_last_administrator_cannot_be_removed_or_demoted_over_netconf() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path());
    run(
        &agent,
        "admin",
        r#"
ACM = "urn:ietf:params:xml:ns:yang:ietf-netconf-acm"
with connect() as admin:
    e = expect_error(lambda: admin.edit_config(target="running", config=user("admin", op="delete")),
                     "operation-failed", "netconf/")
    assert "no NETCONF user could edit /nacm" in e.message, e.message
    assert e.path.endswith(":users"), e.path
    expect_error(lambda: admin.edit_config(target="running", config=user("admin", "<admin>false</admin>")),
                 "operation-failed", "users")
    # Rules that leave nobody able to write /nacm are refused the same way.
    e = expect_error(lambda: admin.edit_config(target="running",
        config=f'<config><nacm xmlns="{ACM}"><rule-list xmlns:nc="{NC}" nc:operation="delete">'
               '<name>admin</name></rule-list></nacm></config>'),
        "operation-failed", "nacm")
    assert "the NACM rules" in e.message, e.message
    # With a second administrator, the first may go (and its session
    # with it).
    admin.edit_config(target="running", config=user("boss", "<password>boss-pw-1</password><admin>true</admin>"))
gone = connect()
gone.edit_config(target="running", config=user("admin", op="delete"))
wait_closed(gone, "the removed admin's own session ends")
with connect("boss", "boss-pw-1") as boss:
    assert can_edit(boss)
    assert not user_entry(boss, "admin")
"#,
    );
}
