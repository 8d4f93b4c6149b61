//! The NETCONF server's protection of itself, against the running binary
//! with real clients (paramiko, ncclient, raw sockets), all on loopback
//! addresses (127.0.0.x stand for different sources): connections that
//! never log in are capped in total and per source and dropped before the
//! SSH handshake; a connection that does not log in is closed after the
//! grace time; a connection allows a few password tries; failures penalise
//! their source so that even the right password is refused for a while;
//! one user cannot take every session and admins keep a reserved one; and
//! large messages share a memory budget, past which they are refused with
//! resource-denied while the agent stays responsive. Every refusal shows in
//! the chain-agent-system counters of `/netconf-state/statistics`.

mod common;

use common::AgentProcess;
use common::netconf::script;

/// Shared by the scripts: raw sockets and SSH transports from a chosen
/// source address, password tries, the refusal counters, and a raw
/// NETCONF 1.1 client for messages ncclient will not send.
const PRELUDE: &str = r#"
import time, socket, paramiko
from ncclient.transport.errors import AuthenticationError, SSHError
MON = "urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring"
PORT = int(os.environ["NC_PORT"])
EOM = b"]]>]]>"

def ours(m, name):
    f = f'<netconf-state xmlns="{MON}"><statistics/></netconf-state>'
    d = m.get(filter=("subtree", f)).data_ele
    return int((xp(d, f"//s:{name}/text()") or ["0"])[0])

def raw_socket(src):
    s = socket.socket()
    s.settimeout(10)
    s.bind((src, 0))
    s.connect(("127.0.0.1", PORT))
    return s

def answer(s):
    """'banner' if the server greets, 'closed' if it closes at once."""
    try:
        data = s.recv(64)
    except ConnectionResetError:
        return "closed"
    return "banner" if data.startswith(b"SSH-2.0-") else ("closed" if data == b"" else repr(data))

def transport(src):
    """An SSH transport from src, key exchange done, not logged in; None
    if the server closed the connection before the handshake."""
    try:
        t = paramiko.Transport(raw_socket(src))
        t.start_client(timeout=10)
        return t
    except (paramiko.SSHException, EOFError, OSError):
        return None

def try_password(t, user, password):
    try:
        t.auth_password(user, password)
    except paramiko.AuthenticationException:
        return False
    return t.is_authenticated()

def login_from(src, user="admin", password="admin-pw"):
    return connect(user, password, bind_addr=src)

def wait_for(fn, what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if fn():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")

def raw_netconf(user, password, src="127.0.0.1"):
    """A NETCONF 1.1 session on a paramiko channel, hellos exchanged."""
    t = transport(src)
    assert t is not None and try_password(t, user, password)
    ch = t.open_session()
    ch.settimeout(30)
    ch.invoke_subsystem("netconf")
    buf = b""
    while EOM not in buf:
        buf += ch.recv(65536)
    hello = f'<hello xmlns="{NC}"><capabilities><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>'
    ch.sendall(hello.encode() + EOM)
    ch.pending = b""
    return ch

def send_chunk(ch, data):
    ch.sendall(b"\n#%d\n" % len(data) + data)

def end_message(ch):
    ch.sendall(b"\n##\n")

def send_message(ch, data):
    send_chunk(ch, data)
    end_message(ch)

def read_reply(ch):
    """The next chunked message from the server."""
    out = b""
    while True:
        while True:
            buf = ch.pending
            if buf.startswith(b"\n##\n"):
                ch.pending = buf[4:]
                return out.decode()
            if buf.startswith(b"\n#") and b"\n" in buf[2:]:
                nl = buf.index(b"\n", 2)
                size = int(buf[2:nl])
                if len(buf) >= nl + 1 + size:
                    out += buf[nl + 1:nl + 1 + size]
                    ch.pending = buf[nl + 1 + size:]
                    continue
            break
        data = ch.recv(65536)
        assert data, "the server closed the session"
        ch.pending += data

def get_config_rpc(mid, padding=0):
    """A get-config whose size is set by an XML comment."""
    return (f'<rpc message-id="{mid}" xmlns="{NC}"><get-config><source><running/></source></get-config>'
            + ("<!--" + "x" * padding + "-->" if padding else "") + "</rpc>").encode()
"#;

const USERS: &str = "[netconf.users.admin]\npassword = \"admin-pw\"\nadmin = true\n\n\
[netconf.users.reader]\npassword = \"reader-pw\"\n\n\
[netconf.users.reader2]\npassword = \"reader2-pw\"\n\n\
[netconf.users.ops]\npassword = \"ops-pw\"\n\n";

/// The agent with `settings` in its `[netconf]` section and the users
/// above.
fn agent(dir: &std::path::Path, settings: &str) -> AgentProcess {
    AgentProcess::start(
        dir,
        &format!("[netconf]\nlisten = \"127.0.0.1:0\"\n{settings}\n{USERS}"),
    )
}

fn run(agent: &AgentProcess, body: &str) -> String {
    script(agent, "admin", &format!("{PRELUDE}{body}"))
}

#[test]
fn connections_that_never_log_in_are_capped_and_dropped_before_the_handshake() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(
        dir.path(),
        "max-unauthenticated = 8\nunauthenticated-drop-start = 8\nmax-unauthenticated-per-source = 5\n",
    );
    let pid = agent.child.id();
    run(
        &agent,
        &format!(
            r#"
fds = lambda: len(os.listdir("/proc/{pid}/fd"))
before = fds()
flood = [raw_socket("127.0.0.1") for _ in range(200)]
answers = [answer(s) for s in flood]
assert answers.count("banner") == 5, answers
assert answers.count("closed") == 195, answers
assert fds() < before + 20, (before, fds())

# A real login from elsewhere gets in at once; from the flooding
# source it is refused at once rather than left waiting.
t0 = time.time()
m = login_from("127.0.0.2")
assert time.time() - t0 < 5, time.time() - t0
t0 = time.time()
try:
    login_from("127.0.0.1").close_session()
    raise AssertionError("a sixth connection from the flooding source got in")
except SSHError as e:
    assert not isinstance(e, AuthenticationError), e
assert time.time() - t0 < 5, time.time() - t0

# The total: 5 + 3 from two sources fill max-unauthenticated.
more = [raw_socket("127.0.0.3") for _ in range(3)]
assert [answer(s) for s in more] == ["banner"] * 3
assert answer(raw_socket("127.0.0.4")) == "closed"
assert ours(m, "connections-dropped") == 197, ours(m, "connections-dropped")

# Closed connections give their places back.
for s in flood + more:
    s.close()
wait_for(lambda: answer(raw_socket("127.0.0.1")) == "banner", "a place from 127.0.0.1")
login_from("127.0.0.1").close_session()
m.close_session()
"#
        ),
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(
        log.contains("closed a connection from 127.0.0.1 before the handshake: max-unauthenticated-per-source (5) reached"),
        "{log}"
    );
    // The flood is logged now and then, not once per connection.
    let lines = log.matches("before the handshake").count();
    assert!(lines < 20, "{lines} log lines for 197 refusals");
}

#[test]
fn a_connection_that_does_not_log_in_is_closed_after_the_grace_time() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path(), "login-grace-seconds = 2\n");
    run(
        &agent,
        r#"
# Silent after the banner: no SSH version from the client.
s = raw_socket("127.0.0.1")
assert answer(s) == "banner"
t0 = time.time()
assert s.recv(64) == b"", "closed"
assert 1 <= time.time() - t0 < 8, time.time() - t0

# Key exchange done, but no login.
t = transport("127.0.0.1")
assert t is not None
t0 = time.time()
wait_for(lambda: not t.is_active(), "the unauthenticated transport to be closed")
assert time.time() - t0 < 8

m = connect()
assert ours(m, "login-grace-timeouts") == 2, ours(m, "login-grace-timeouts")
# A session outlives the grace time: the limit is on logging in.
time.sleep(2.5)
m.get_config(source="running")
m.close_session()
"#,
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(
        log.contains("did not log in within login-grace-seconds (2s)"),
        "{log}"
    );
}

/// OpenSSH's `ssh -s netconf` as `user` from `source`, its passwords coming from an
/// askpass script that answers `passwords` in turn (the last one again
/// after that) and counts the prompts in `dir/prompts`. Returns ssh's
/// output and the number of prompts.
fn ssh_with_passwords(
    agent: &AgentProcess,
    dir: &std::path::Path,
    source: &str,
    user: &str,
    passwords: &[&str],
) -> (std::process::Output, usize) {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let prompts = dir.join("prompts");
    let _ = std::fs::remove_file(&prompts);
    let cases: String = passwords
        .iter()
        .enumerate()
        .map(|(i, p)| format!("  {}) echo '{p}';;\n", i + 1))
        .collect();
    let askpass = dir.join("askpass");
    std::fs::write(
        &askpass,
        format!(
            "#!/bin/sh\necho x >> '{}'\nn=$(wc -l < '{}')\ncase $n in\n{cases}  *) echo '{}';;\nesac\n",
            prompts.display(),
            prompts.display(),
            passwords.last().unwrap()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700)).unwrap();
    let port = common::netconf::netconf_port(agent).to_string();
    let mut child = std::process::Command::new("ssh")
        .args([
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "PreferredAuthentications=password",
            "-o",
            "NumberOfPasswordPrompts=5",
            "-o",
            "ConnectTimeout=10",
            "-b",
            source,
            "-p",
            &port,
            "-s",
        ])
        .arg(format!("{user}@127.0.0.1"))
        .arg("netconf")
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run ssh (bash tools/setup)");
    let hello = "<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><capabilities>\
        <capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>]]>]]>\
        <rpc message-id=\"1\" xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"><close-session/></rpc>]]>]]>";
    child
        .stdin
        .take()
        .unwrap()
        .write_all(hello.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("ssh finishes");
    let n = std::fs::read_to_string(&prompts)
        .unwrap_or_default()
        .lines()
        .count();
    (out, n)
}

#[test]
fn a_connection_allows_max_auth_tries_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path(), "");
    // Two typing mistakes, then the right password, on one connection.
    let (out, prompts) = ssh_with_passwords(
        &agent,
        dir.path(),
        "127.0.0.1",
        "admin",
        &["wrong-1", "wrong-2", "admin-pw"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("<session-id>") && stdout.contains("<ok/>"),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(prompts, 3);
    // Wrong every time: the connection offers no more passwords after
    // max-auth-tries, although ssh would ask up to 5 times. (From another
    // address: five failures from one would make it penalised.)
    let (out, prompts) = ssh_with_passwords(&agent, dir.path(), "127.0.0.2", "reader", &["wrong"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Permission denied"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(prompts, 3);
    run(
        &agent,
        r#"
m = connect()
assert ours(m, "auth-tries-exhausted") == 1
assert ours(m, "auth-failures") == 5, ours(m, "auth-failures")
m.close_session()
"#,
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(
        log.contains("user \"reader\" from 127.0.0.2")
            && log.contains("used up max-auth-tries (3)"),
        "{log}"
    );
}

#[test]
fn failed_logins_penalise_their_source_even_for_the_right_password() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(
        dir.path(),
        "auth-failure-penalty-seconds = 5\npenalty-threshold-seconds = 6\npenalty-max-seconds = 60\n",
    );
    run(
        &agent,
        r#"
early = transport("127.0.0.3")   # key exchange before the guessing
assert early is not None

# Guess as fast as possible for 5 s from one source. The moment the first
# connection is refused, the source has just crossed the threshold (its
# penalty is near its peak, 4 s above the threshold): the right password
# must fail then on the connection opened before the guessing.
t0 = time.time()
tries = refused = 0
right_refused = None
while time.time() - t0 < 5 and tries < 300:
    tries += 1
    t = transport("127.0.0.3")
    if t is None:
        refused += 1
        if right_refused is None:
            right_refused = not try_password(early, "admin", "admin-pw")
        continue
    assert not try_password(t, "admin", f"guess-{tries}"), "a guess logged in"
    t.close()
assert right_refused, "the right password worked during the penalty"

m = login_from("127.0.0.1")
failures = ours(m, "auth-failures")
assert 2 <= failures <= 8, f"{failures} passwords checked in {tries} tries"
assert refused >= 10, (refused, tries)
assert ours(m, "sources-penalised") >= 1, "no source penalised"
# Every refusal the server counted, the client saw (a handshake that
# failed under load may add to the client's count only).
assert 1 <= ours(m, "penalised-connections-refused") <= refused, refused
assert ours(m, "penalised-logins-refused") >= 1, "no penalised login counted"

# The penalty runs down, and the right password works again.
def logs_in():
    t = transport("127.0.0.3")
    ok = t is not None and try_password(t, "admin", "admin-pw")
    if t is not None:
        t.close()
    return ok
wait_for(logs_in, "the penalty to run down", timeout=60)
m.close_session()
"#,
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(
        log.contains("source 127.0.0.3 penalised for failed logins"),
        "{log}"
    );
    assert!(!log.contains("guess-"), "an attempted password was logged");
    // The same events are in the security log an NMS reads.
    let (ok, security) = agent.ctl(&["logs", "query", "--type", "security", "--limit", "1000"]);
    assert!(ok, "{security}");
    assert!(
        security.contains("source 127.0.0.3 penalised for failed logins")
            && security.contains("password login refused for user"),
        "{security}"
    );
    assert!(
        !security.contains("guess-"),
        "an attempted password was logged"
    );
}

#[test]
fn one_user_cannot_take_every_session_and_admins_keep_a_reserved_one() {
    let dir = tempfile::tempdir().unwrap();
    // ops is an admin through the NACM group alone, not the admin flag.
    let agent = agent(
        dir.path(),
        "max-sessions = 8\n\n[nacm.groups.admin]\nuser-name = [\"ops\"]\n",
    );
    run(
        &agent,
        r#"
def open_until_refused(user, password, limit=10):
    out = []
    for _ in range(limit):
        try:
            out.append(connect(user, password))
        except SSHError as e:
            assert not isinstance(e, AuthenticationError), e
            break
    return out

readers = open_until_refused("reader", "reader-pw")
assert len(readers) == 4, len(readers)          # max-sessions-per-user
others = open_until_refused("reader2", "reader2-pw")
assert len(others) == 3, len(others)            # 8 less 1 reserved
ops = connect("ops", "ops-pw")                  # the reserved one
try:
    connect().close_session()
    raise AssertionError("a ninth session was opened")
except SSHError as e:
    assert not isinstance(e, AuthenticationError), e
assert ours(ops, "sessions-refused-per-user") == 1
assert ours(ops, "sessions-refused-server-limit") == 2
# A reader's session ending frees a slot for readers again.
# Ending a reader's and a reader2's session frees a slot for readers
# again (one alone would leave only the reserved one).
readers.pop().close_session()
others.pop().close_session()
def reader_gets_in():
    got = open_until_refused("reader", "reader-pw", 1)
    readers.extend(got)
    return len(got) == 1
wait_for(reader_gets_in, "a reader slot")
for m in readers + others + [ops]:
    m.close_session()
"#,
    );
    let log = std::fs::read_to_string(dir.path().join("agent.log")).unwrap();
    assert!(log.contains("max-sessions-per-user (4) reached"), "{log}");
    assert!(
        log.contains("only the 1 sessions reserved for admins are left"),
        "{log}"
    );
}

#[test]
fn large_messages_share_a_budget_and_past_it_get_resource_denied() {
    let dir = tempfile::tempdir().unwrap();
    let agent = agent(dir.path(), "message-buffer-budget-bytes = 1048576\n");
    run(
        &agent,
        r#"
a = raw_netconf("admin", "admin-pw")
b = raw_netconf("admin", "admin-pw")

# a's message, 900 kB so far, holds most of the 1 MiB budget.
head = get_config_rpc("a1", 900_000)
send_chunk(a, head[:-len(b"--></rpc>")])
time.sleep(1)

# Meanwhile small requests go through at once.
m = connect()
t0 = time.time()
m.get_config(source="running")
assert time.time() - t0 < 2, time.time() - t0

# b's 500 kB message cannot get room: refused after a short wait, and
# b's session goes on.
send_message(b, get_config_rpc("b1", 500_000))
reply = read_reply(b)
assert "resource-denied" in reply and 'message-id="b1"' in reply, reply[:500]
send_message(b, get_config_rpc("b2"))
reply = read_reply(b)
assert 'message-id="b2"' in reply and "<data" in reply, reply[:500]

# a's message ends and is answered.
send_chunk(a, b"--></rpc>")
end_message(a)
reply = read_reply(a)
assert 'message-id="a1"' in reply and "rpc-error" not in reply, reply[:500]

# With a's budget back, b's large message fits; one larger than the whole
# budget never does.
send_message(b, get_config_rpc("b3", 500_000))
assert "rpc-error" not in read_reply(b)
send_message(b, get_config_rpc("b4", 1_500_000))
reply = read_reply(b)
assert "resource-denied" in reply and 'message-id="b4"' in reply, reply[:500]
send_message(a, get_config_rpc("a2"))
assert "<data" in read_reply(a)
assert ours(m, "messages-refused-budget") == 2
m.close_session()
"#,
    );
}
