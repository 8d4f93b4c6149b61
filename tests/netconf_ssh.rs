//! The NETCONF SSH transport against real SSH clients: russh's client,
//! paramiko (what ncclient uses), OpenSSH's `ssh` and `ssh-keygen`. The
//! session layer is replaced by an echo, so what a client sends on the
//! `netconf` subsystem must come back unchanged.

use chain_agent::config::NetconfConfig;
use chain_agent::netconf::ssh::{
    self, ByteStream, SessionInfo, SessionStarter, SshServer, UserDirectory,
};
use russh::client::{self, Handle};
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, client::Msg};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

const SETUP: &str = "run `bash tools/setup` (tools/test does)";
const WAIT: Duration = Duration::from_secs(10);

/// The session layer's stand-in: echoes every byte, and remembers who
/// each session was started for.
#[derive(Default)]
struct Echo {
    sessions: Mutex<Vec<SessionInfo>>,
}

impl SessionStarter for Echo {
    fn start(&self, info: SessionInfo, stream: Box<dyn ByteStream>) {
        self.sessions.lock().unwrap().push(info);
        tokio::spawn(async move {
            let (mut rx, mut tx) = tokio::io::split(stream);
            let _ = tokio::io::copy(&mut rx, &mut tx).await;
            let _ = tx.shutdown().await;
        });
    }
}

impl Echo {
    fn sessions(&self) -> Vec<SessionInfo> {
        self.sessions.lock().unwrap().clone()
    }
}

struct Running {
    server: SshServer,
    echo: Arc<Echo>,
    users: Arc<UserDirectory>,
}

/// `[netconf]` as an operator writes it, on an ephemeral loopback port.
fn netconf_config(toml_text: &str) -> NetconfConfig {
    let mut c: NetconfConfig = toml::from_str(toml_text).expect("test config parses");
    c.listen = "127.0.0.1:0".into();
    c
}

async fn start(data_dir: &Path, toml_text: &str) -> Running {
    let config = netconf_config(toml_text);
    let users = Arc::new(UserDirectory::from_config(&config).expect("users load"));
    let echo = Arc::new(Echo::default());
    let server = ssh::start(&config, data_dir, users.clone(), echo.clone())
        .await
        .expect("server starts");
    Running {
        server,
        echo,
        users,
    }
}

fn new_key() -> PrivateKey {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).unwrap();
    PrivateKey::from(Ed25519Keypair::from_seed(&seed))
}

fn public_line(key: &PrivateKey) -> String {
    key.public_key().to_openssh().unwrap()
}

/// Accepts any host key and remembers it.
#[derive(Clone, Default)]
struct Client {
    server_key: Arc<Mutex<Option<String>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        if let PublicKeyOrCertificate::PublicKey { key, .. } = key {
            *self.server_key.lock().unwrap() = Some(key.fingerprint(HashAlg::Sha256).to_string());
        }
        Ok(true)
    }
}

async fn connect(server: &SshServer) -> (Handle<Client>, Client) {
    let client = Client::default();
    let handle = client::connect(
        Arc::new(client::Config::default()),
        server.local_addr(),
        client.clone(),
    )
    .await
    .expect("SSH handshake");
    (handle, client)
}

async fn login_password(server: &SshServer, user: &str, password: &str) -> Option<Handle<Client>> {
    let (mut handle, _) = connect(server).await;
    let ok = handle
        .authenticate_password(user, password)
        .await
        .expect("password request answered")
        .success();
    ok.then_some(handle)
}

async fn login_key(server: &SshServer, user: &str, key: PrivateKey) -> Option<Handle<Client>> {
    let (mut handle, _) = connect(server).await;
    let hash = handle.best_supported_rsa_hash().await.unwrap().flatten();
    let ok = handle
        .authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(key), hash))
        .await
        .expect("public-key request answered")
        .success();
    ok.then_some(handle)
}

/// The reply to a channel request: true for success, false for failure.
async fn reply(channel: &mut russh::Channel<Msg>) -> bool {
    let answer = tokio::time::timeout(WAIT, async {
        loop {
            match channel.wait().await {
                Some(ChannelMsg::Success) => return true,
                Some(ChannelMsg::Failure) | None => return false,
                Some(_) => {}
            }
        }
    });
    answer.await.expect("the server answers channel requests")
}

async fn netconf_channel(handle: &Handle<Client>) -> Option<russh::Channel<Msg>> {
    let mut channel = handle
        .channel_open_session()
        .await
        .expect("session channel");
    channel.request_subsystem(true, "netconf").await.unwrap();
    reply(&mut channel).await.then_some(channel)
}

/// Sends `message` and reads until as many bytes came back.
async fn echo_through(channel: &mut russh::Channel<Msg>, message: &[u8]) -> Vec<u8> {
    channel.data(message).await.unwrap();
    let mut got = Vec::new();
    tokio::time::timeout(WAIT, async {
        while got.len() < message.len() {
            match channel.wait().await {
                Some(ChannelMsg::Data { data }) => got.extend_from_slice(&data),
                Some(_) => {}
                None => break,
            }
        }
    })
    .await
    .expect("echo arrives");
    got
}

async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn password_login_reaches_the_netconf_echo() {
    let dir = tempfile::tempdir().unwrap();
    let hash = chain_agent::config::password_hash::hash("correct horse").unwrap();
    let run = start(
        dir.path(),
        &format!(
            "[users.alice]\npassword-hash = \"{hash}\"\nadmin = true\n\
             [users.demo]\npassword = \"demo\"\n"
        ),
    )
    .await;

    let alice = login_password(&run.server, "alice", "correct horse")
        .await
        .expect("alice logs in");
    let mut channel = netconf_channel(&alice)
        .await
        .expect("netconf subsystem accepted");
    let hello = b"<hello xmlns=\"urn:ietf:params:xml:ns:netconf:base:1.0\"/>]]>]]>";
    assert_eq!(echo_through(&mut channel, hello).await, hello);

    let demo = login_password(&run.server, "demo", "demo")
        .await
        .expect("plain demo password works");
    let mut channel2 = netconf_channel(&demo).await.unwrap();
    assert_eq!(echo_through(&mut channel2, b"x").await, b"x");

    let sessions = run.echo.sessions();
    assert_eq!(sessions.len(), 2);
    assert_eq!(
        (sessions[0].user.as_str(), sessions[0].admin),
        ("alice", true)
    );
    assert_eq!(
        (sessions[1].user.as_str(), sessions[1].admin),
        ("demo", false)
    );
    let peer = sessions[0].peer.expect("peer address known");
    assert!(peer.ip().is_loopback(), "{peer}");
    assert_eq!(run.server.active_sessions(), 2);
    assert_eq!(run.server.auth_failures(), 0);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_are_refused_slowly_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let run = start(dir.path(), "[users.bob]\npassword = \"right\"\n").await;
    for (user, password) in [("bob", "wrong"), ("mallory", "right"), ("bob", "")] {
        let t = Instant::now();
        assert!(
            login_password(&run.server, user, password).await.is_none(),
            "{user}/{password}"
        );
        assert!(
            t.elapsed() >= Duration::from_millis(250),
            "refused in {:?}",
            t.elapsed()
        );
    }
    assert_eq!(run.server.auth_failures(), 3);
    assert!(login_password(&run.server, "bob", "right").await.is_some());
    assert_eq!(run.server.auth_failures(), 3);
    assert!(run.echo.sessions().is_empty());
}

#[tokio::test]
async fn authorized_keys_log_in_and_other_keys_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let carol = new_key();
    let run = start(
        dir.path(),
        &format!(
            "[users.carol]\nauthorized-keys = [\"{}\"]\n",
            public_line(&carol)
        ),
    )
    .await;

    assert!(
        login_key(&run.server, "carol", new_key()).await.is_none(),
        "a stranger's key"
    );
    assert!(
        login_key(&run.server, "dave", carol.clone())
            .await
            .is_none(),
        "unknown user"
    );
    assert!(
        login_password(&run.server, "carol", "").await.is_none(),
        "no password set"
    );
    assert_eq!(run.server.auth_failures(), 3);

    let handle = login_key(&run.server, "carol", carol)
        .await
        .expect("carol's key works");
    let mut channel = netconf_channel(&handle).await.unwrap();
    assert_eq!(echo_through(&mut channel, b"<rpc/>").await, b"<rpc/>");
    assert_eq!(run.echo.sessions()[0].user, "carol");
}

/// Key pairs made by OpenSSH: (private key, public key line).
fn ssh_keygen(dir: &Path, kind: &str, bits: &str) -> (PrivateKey, String) {
    let path = dir.join(format!("id_{kind}"));
    let status = std::process::Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            kind,
            "-b",
            bits,
            "-N",
            "",
            "-C",
            "test@example",
            "-f",
        ])
        .arg(&path)
        .status()
        .unwrap_or_else(|e| panic!("cannot run ssh-keygen ({e}): {SETUP}"));
    assert!(status.success(), "ssh-keygen -t {kind} failed");
    let private = PrivateKey::read_openssh_file(&path).unwrap();
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    (private, public.trim().to_string())
}

#[tokio::test]
async fn rsa_ecdsa_and_ed25519_keys_from_ssh_keygen_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let keys = [
        ssh_keygen(dir.path(), "ed25519", "256"),
        ssh_keygen(dir.path(), "ecdsa", "384"),
        ssh_keygen(dir.path(), "rsa", "2048"),
    ];
    let lines: Vec<String> = keys.iter().map(|(_, l)| format!("\"{l}\"")).collect();
    let run = start(
        dir.path(),
        &format!("[users.ops]\nauthorized-keys = [{}]\n", lines.join(", ")),
    )
    .await;
    for (private, line) in keys {
        assert!(
            login_key(&run.server, "ops", private).await.is_some(),
            "refused: {line}"
        );
    }
    assert_eq!(run.server.auth_failures(), 0);
}

#[tokio::test]
async fn only_the_netconf_subsystem_is_served() {
    let dir = tempfile::tempdir().unwrap();
    let run = start(dir.path(), "[users.erin]\npassword = \"pw\"\n").await;
    let handle = login_password(&run.server, "erin", "pw").await.unwrap();

    let mut channel = handle.channel_open_session().await.unwrap();
    channel.request_shell(true).await.unwrap();
    assert!(!reply(&mut channel).await, "shell refused");
    channel.exec(true, "id").await.unwrap();
    assert!(!reply(&mut channel).await, "exec refused");
    channel
        .request_pty(true, "xterm", 80, 24, 0, 0, &[])
        .await
        .unwrap();
    assert!(!reply(&mut channel).await, "pty refused");
    channel.request_subsystem(true, "sftp").await.unwrap();
    assert!(!reply(&mut channel).await, "sftp refused");

    // After all that the same channel can still become a NETCONF session,
    // once: a second subsystem on it is refused.
    channel.request_subsystem(true, "netconf").await.unwrap();
    assert!(reply(&mut channel).await, "netconf accepted");
    channel.request_subsystem(true, "netconf").await.unwrap();
    assert!(!reply(&mut channel).await, "second subsystem refused");
    assert_eq!(
        echo_through(&mut channel, b"still here").await,
        b"still here"
    );
    assert_eq!(run.echo.sessions().len(), 1);
}

#[tokio::test]
async fn max_sessions_refuses_extra_sessions_until_one_ends() {
    let dir = tempfile::tempdir().unwrap();
    let run = start(
        dir.path(),
        "max-sessions = 2\nreserved-admin-sessions = 0\n[users.fay]\npassword = \"pw\"\n",
    )
    .await;
    let a = login_password(&run.server, "fay", "pw").await.unwrap();
    let b = login_password(&run.server, "fay", "pw").await.unwrap();
    let first = netconf_channel(&a).await.expect("first session");
    let _second = netconf_channel(&b)
        .await
        .expect("second session, other connection");
    assert!(netconf_channel(&a).await.is_none(), "a third is refused");
    assert_eq!(run.server.active_sessions(), 2);

    // The client ends the first session: the echo sees EOF and drops the
    // stream, which frees its slot.
    first.eof().await.unwrap();
    first.close().await.unwrap();
    eventually("the slot to be freed", || run.server.active_sessions() == 1).await;
    let mut third = netconf_channel(&a).await.expect("a slot is free again");
    assert_eq!(echo_through(&mut third, b"3").await, b"3");
}

#[tokio::test]
async fn replaced_users_apply_to_the_next_login() {
    let dir = tempfile::tempdir().unwrap();
    let run = start(dir.path(), "[users.gus]\npassword = \"old\"\n").await;
    let kept = login_password(&run.server, "gus", "old").await.unwrap();

    let new = netconf_config(
        "[users.gus]\npassword = \"new\"\nadmin = true\n[users.hal]\npassword = \"h\"\n",
    );
    run.users.replace(&new).unwrap();
    assert!(login_password(&run.server, "gus", "old").await.is_none());
    let gus = login_password(&run.server, "gus", "new").await.unwrap();
    assert!(login_password(&run.server, "hal", "h").await.is_some());

    netconf_channel(&gus).await.unwrap();
    assert!(run.echo.sessions()[0].admin, "the new admin flag is used");
    // A connection that logged in before the change keeps working.
    let mut old_channel = netconf_channel(&kept)
        .await
        .expect("old login still serves");
    assert_eq!(echo_through(&mut old_channel, b"k").await, b"k");
}

#[tokio::test]
async fn the_host_key_is_made_once_kept_private_and_shown_to_clients() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ssh_host_ed25519_key");
    let users = "[users.ida]\npassword = \"pw\"\n";

    let first = start(dir.path(), users).await;
    let fingerprint = first.server.host_key_fingerprint().to_string();
    let (_handle, client) = connect(&first.server).await;
    assert_eq!(
        client.server_key.lock().unwrap().as_deref(),
        Some(fingerprint.as_str())
    );
    first.server.shutdown().await;

    let mode = std::fs::metadata(&path)
        .expect("key file in the data dir")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    let second = start(dir.path(), users).await;
    assert_eq!(
        second.server.host_key_fingerprint(),
        fingerprint,
        "same key after a restart"
    );

    // OpenSSH reads the file and computes the same fingerprint.
    let out = std::process::Command::new("ssh-keygen")
        .arg("-l")
        .arg("-f")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ssh-keygen ({e}): {SETUP}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with(&format!("256 {fingerprint} ")), "{text}");
    assert!(text.trim_end().ends_with("(ED25519)"), "{text}");
}

#[tokio::test]
async fn host_key_setting_is_taken_from_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let run = start(
        dir.path(),
        "host-key = \"keys/netconf_key\"\n[users.jo]\npassword = \"pw\"\n",
    )
    .await;
    assert!(dir.path().join("keys/netconf_key").exists());
    assert!(!dir.path().join("ssh_host_ed25519_key").exists());
    run.server.shutdown().await;
}

#[tokio::test]
async fn a_busy_port_fails_naming_netconf_listen() {
    let dir = tempfile::tempdir().unwrap();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let mut config = netconf_config("[users.kim]\npassword = \"pw\"\n");
    config.listen = addr.to_string();
    let users = Arc::new(UserDirectory::from_config(&config).unwrap());
    let err = match ssh::start(&config, dir.path(), users, Arc::new(Echo::default())).await {
        Ok(_) => panic!("bound a port that is in use"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.starts_with(&format!("netconf.listen: cannot bind TCP {addr}: ")),
        "{err}"
    );
}

#[tokio::test]
async fn shutdown_closes_connections_and_the_port() {
    let dir = tempfile::tempdir().unwrap();
    let run = start(dir.path(), "[users.lee]\npassword = \"pw\"\n").await;
    let addr = run.server.local_addr();
    let handle = login_password(&run.server, "lee", "pw").await.unwrap();
    let mut channel = netconf_channel(&handle).await.unwrap();
    tokio::time::timeout(WAIT, run.server.shutdown())
        .await
        .expect("shutdown finishes");
    let closed = tokio::time::timeout(WAIT, async {
        loop {
            match channel.wait().await {
                None | Some(ChannelMsg::Close) => return,
                Some(_) => {}
            }
        }
    });
    closed.await.expect("the session channel is closed");
    eventually("the connection to close", || handle.is_closed()).await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "still listening"
    );
}

fn venv_python() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing, so paramiko is not installed: {SETUP}",
        python.display()
    );
    python
}

#[tokio::test]
async fn paramiko_opens_the_netconf_subsystem_with_a_password() {
    let python = venv_python();
    let dir = tempfile::tempdir().unwrap();
    let run = start(dir.path(), "[users.nc]\npassword = \"nc-pass\"\n").await;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/netconf_ssh_paramiko.py");
    let port = run.server.local_addr().port().to_string();
    let out = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(&python)
            .arg(&script)
            .args(["127.0.0.1", &port, "nc", "nc-pass", "not-it"])
            .output(),
    )
    .await
    .expect("paramiko finishes")
    .expect("python runs");
    assert!(
        out.status.success(),
        "paramiko failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["wrong_password_refused"], true, "{result}");
    assert_eq!(
        result["fingerprint"],
        run.server.host_key_fingerprint(),
        "{result}"
    );
    assert_eq!(result["key_type"], "ssh-ed25519");
    assert_eq!(
        result["echo"],
        "<hello xmlns='urn:ietf:params:xml:ns:netconf:base:1.0'/>]]>]]>"
    );
    assert_eq!(result["shell_refused"], true, "{result}");
    assert_eq!(run.server.auth_failures(), 1);
    assert_eq!(run.echo.sessions()[0].user, "nc");
}

#[tokio::test]
async fn openssh_checks_the_host_key_and_runs_the_subsystem() {
    let dir = tempfile::tempdir().unwrap();
    let (_, public) = ssh_keygen(dir.path(), "ed25519", "256");
    let run = start(
        dir.path(),
        &format!("[users.olga]\nauthorized-keys = [\"{public}\"]\n"),
    )
    .await;
    let port = run.server.local_addr().port();
    let host_key = PrivateKey::read_openssh_file(dir.path().join("ssh_host_ed25519_key")).unwrap();
    let known_hosts = dir.path().join("known_hosts");
    std::fs::write(
        &known_hosts,
        format!("[127.0.0.1]:{port} {}\n", public_line(&host_key)),
    )
    .unwrap();
    let mut child = tokio::process::Command::new("ssh")
        .args([
            "-F",
            "/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=yes",
        ])
        .arg("-o")
        .arg(format!("UserKnownHostsFile={}", known_hosts.display()))
        .args(["-o", "IdentitiesOnly=yes", "-i"])
        .arg(dir.path().join("id_ed25519"))
        .args(["-p", &port.to_string(), "-s", "olga@127.0.0.1", "netconf"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run ssh ({e}): {SETUP}"));
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"<hello/>]]>]]>\n").await.unwrap();
    drop(stdin);
    let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("ssh finishes")
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "<hello/>]]>]]>\n",
        "ssh stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(run.echo.sessions()[0].user, "olga");
}

const BIN: &str = env!("CARGO_BIN_EXE_chain-agent");

fn run_with_stdin(program: &str, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}): {SETUP}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn hash_password_prints_what_openssl_computes_and_check_config_accepts() {
    let out = run_with_stdin(BIN, &["hash-password"], "Tr0ub4dor&3\n");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hash = String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string();
    let fields: Vec<&str> = hash.split('$').collect();
    let ["", "6", "rounds=5000", salt, digest] = fields[..] else {
        panic!("not a $6$ hash: {hash}");
    };
    // openssl writes the default rounds implicitly; the digest must match.
    let openssl = run_with_stdin(
        "openssl",
        &["passwd", "-6", "-salt", salt, "-stdin"],
        "Tr0ub4dor&3\n",
    );
    assert!(
        openssl.status.success(),
        "{}",
        String::from_utf8_lossy(&openssl.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&openssl.stdout).trim_end(),
        format!("$6${salt}${digest}")
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("agent.toml");
    std::fs::write(
        &file,
        format!("[netconf.users.noc]\npassword-hash = \"{hash}\"\n"),
    )
    .unwrap();
    let check = std::process::Command::new(BIN)
        .arg("check-config")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    std::fs::write(
        &file,
        "[netconf.users.noc]\npassword-hash = \"$1$md5$nope\"\n",
    )
    .unwrap();
    let check = std::process::Command::new(BIN)
        .arg("check-config")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!check.status.success());
    assert!(
        stderr.contains("netconf.users.noc.password-hash"),
        "{stderr}"
    );

    let empty = run_with_stdin(BIN, &["hash-password"], "");
    assert!(!empty.status.success());
    assert!(String::from_utf8_lossy(&empty.stderr).contains("empty password"));
}

#[tokio::test]
async fn a_hash_made_by_openssl_logs_in() {
    let out = tokio::process::Command::new("openssl")
        .args(["passwd", "-6", "n3tconf!"])
        .output()
        .await
        .unwrap_or_else(|e| panic!("cannot run openssl ({e}): {SETUP}"));
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let run = start(
        dir.path(),
        &format!("[users.pat]\npassword-hash = '{hash}'\n"),
    )
    .await;
    assert!(
        login_password(&run.server, "pat", "n3tconf!")
            .await
            .is_some()
    );
    assert!(
        login_password(&run.server, "pat", "n3tconf")
            .await
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_clients_at_once_each_get_their_own_session() {
    let dir = tempfile::tempdir().unwrap();
    // 20 logins at once from one address, 20 sessions of one user: above
    // the default per-source and per-user limits, which other tests check.
    let run = Arc::new(
        start(
            dir.path(),
            "max-unauthenticated-per-source = 20\nmax-sessions-per-user = 0\n\
             [users.many]\npassword = \"pw\"\n",
        )
        .await,
    );
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..20 {
        let run = run.clone();
        clients.spawn(async move {
            let handle = login_password(&run.server, "many", "pw")
                .await
                .expect("login");
            let mut channel = netconf_channel(&handle).await.expect("session");
            let message = format!("<rpc message-id=\"{i}\"/>").repeat(100);
            let got = echo_through(&mut channel, message.as_bytes()).await;
            assert_eq!(got, message.as_bytes(), "client {i}");
            // Kept open until the counts below are checked.
            (handle, channel)
        });
    }
    let mut handles = Vec::new();
    while let Some(done) = clients.join_next().await {
        handles.push(done.expect("client task"));
    }
    assert_eq!(run.echo.sessions().len(), 20);
    assert_eq!(run.server.active_sessions(), 20);
}
