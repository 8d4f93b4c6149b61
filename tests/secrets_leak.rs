//! Items 2 to 4 of the hardening issue, against the release binary with a
//! configuration holding a read-write community, an SNMPv3 user and a
//! NETCONF admin, all with distinctive secrets:
//!
//! - the data directory and every file in it are the agent's alone, even
//!   started under umask 000, and an exposed directory or store stops the
//!   agent at start;
//! - no secret is in the log output, in a record readable over SNMP or
//!   NETCONF, in an error shown to a client, or in a backup, after every
//!   path that logs or reports has run (start, wrong communities and USM
//!   passwords, refused SETs, bad NETCONF logins, refused edits,
//!   validation errors, backups); the store holds no password;
//! - a backup is a new file, named not pathed, in the backup directory.

mod common;

use common::AgentProcess;
use common::netconf::{netconf_port, out_text, python};
use common::snmp::{mib_dirs, snmp_port, tool, wait_populated};
use serde_json::{Value, json};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_chain-agent");

const RW_COMMUNITY: &str = "rwsecret77xq";
const TRAP_COMMUNITY: &str = "trapsecret41kk";
const AUTH_PASSWORD: &str = "authpass91zz";
const PRIV_PASSWORD: &str = "privpass73yy";
const ADMIN_PASSWORD: &str = "ncadminpw58jj";
const READER_PASSWORD: &str = "readerpw";
const SYS_CONTACT: &str = "1.3.6.1.2.1.1.4.0";

fn hash_of(password: &str) -> String {
    let mut child = Command::new(BIN)
        .arg("hash-password")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run hash-password");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("write password");
    let out = child.wait_with_output().expect("hash-password output");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn config_text(data: &Path, admin_hash: &str) -> String {
    format!(
        r#"[agent]
data-dir = "{data}"
collect-interval-ms = 200
host-interval-ms = 500

[snmp]
listen = ["127.0.0.1:0"]

[snmp.communities.public]
access = "read-only"

[snmp.communities.{RW_COMMUNITY}]
access = "read-write"

[snmp.views]
all = [{{ subtree = "1" }}]

[snmp.groups.v3group]
security-level = "auth-priv"
read-view = "all"
write-view = "all"

[snmp.users.v3user]
group = "v3group"
auth = "sha-256"
auth-password = "{AUTH_PASSWORD}"
priv = "aes"
priv-password = "{PRIV_PASSWORD}"

[snmp.targets.nowhere]
address = "127.0.0.1:9"
community = "{TRAP_COMMUNITY}"

[netconf]
listen = "127.0.0.1:0"

[netconf.users.admin]
password-hash = "{admin_hash}"
admin = true

[netconf.users.reader]
password = "{READER_PASSWORD}"

[chains.sim]
platform = "simulated"
"#,
        data = data.display()
    )
}

/// Start the agent as an operator with a careless umask would.
fn start_umask_000(dir: &Path, config: &Path) -> AgentProcess {
    let log = std::fs::File::create(dir.join("agent.log")).expect("log file");
    let child = Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" run --config \"$1\""])
        .arg(BIN)
        .arg(config)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start chain-agent");
    let mut agent = AgentProcess {
        child,
        dir: dir.to_path_buf(),
        config: config.to_path_buf(),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(agent.socket()).is_err() {
        if let Ok(Some(status)) = agent.child.try_wait() {
            panic!("agent exited ({status}):\n{}", read(&dir.join("agent.log")));
        }
        assert!(Instant::now() < deadline, "agent did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    agent
}

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Every secret found in `haystack`, by name.
fn leaks<'a>(haystack: &[u8], secrets: &[(&'a str, String)]) -> Vec<&'a str> {
    secrets
        .iter()
        .filter(|(_, s)| haystack.windows(s.len()).any(|w| w == s.as_bytes()))
        .map(|(name, _)| *name)
        .collect()
}

/// A Python script using tests/data/netconf/nc.py as `user`.
fn nc_script(agent: &AgentProcess, user: &str, password: &str, body: &str) -> Output {
    let prelude = "import sys, os\nsys.path.insert(0, os.environ['NC_LIB'])\nfrom nc import *\n";
    Command::new(python())
        .arg("-c")
        .arg(format!("{prelude}{body}"))
        .env(
            "NC_LIB",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/netconf"),
        )
        .env("NC_PORT", netconf_port(agent).to_string())
        .env("NC_USER", user)
        .env("NC_PASSWORD", password)
        .output()
        .expect("run python")
}

fn snmp(name: &str, args: &[&str]) -> String {
    out_text(&tool(name, args))
}

#[test]
fn no_secret_leaks_and_every_file_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let admin_hash = hash_of(ADMIN_PASSWORD);
    let config = dir.path().join("agent.toml");
    std::fs::write(&config, config_text(&data, &admin_hash)).unwrap();
    let mut agent = start_umask_000(dir.path(), &config);
    let port = snmp_port(&agent);
    wait_populated(port);
    let target = format!("127.0.0.1:{port}");

    // The USM keys in force, localised: the store keeps them, nothing
    // else may show them.
    let running: Value = agent.call(json!({"op": "get-config"})).unwrap();
    let user = &running["snmp"]["users"]["v3user"];
    assert!(user.get("auth-password").is_none(), "{user}");
    assert!(user.get("priv-password").is_none(), "{user}");
    let auth_key = user["auth-key"].as_str().expect("auth-key").to_string();
    let priv_key = user["priv-key"].as_str().expect("priv-key").to_string();
    assert_eq!(auth_key.len(), 64, "a SHA-256 key: {auth_key}");
    let hash_tail = admin_hash.rsplit('$').next().unwrap().to_string();
    let passwords = [
        ("auth password", AUTH_PASSWORD.to_string()),
        ("priv password", PRIV_PASSWORD.to_string()),
        ("admin password", ADMIN_PASSWORD.to_string()),
        ("reader password", READER_PASSWORD.to_string()),
    ];
    let mut all = passwords.to_vec();
    all.extend([
        ("rw community", RW_COMMUNITY.to_string()),
        ("trap community", TRAP_COMMUNITY.to_string()),
        ("admin hash", hash_tail.clone()),
        ("auth key", auth_key.clone()),
        ("priv key", priv_key.clone()),
    ]);

    // SNMP: the right v3 user works, so the keys in the store are the
    // ones net-snmp derives from the passwords.
    let v3 = |auth: &str, privacy: &str| {
        snmp(
            "snmpget",
            &[
                "-v3",
                "-On",
                "-m",
                "",
                "-t",
                "2",
                "-r",
                "0",
                "-l",
                "authPriv",
                "-u",
                "v3user",
                "-a",
                "SHA-256",
                "-A",
                auth,
                "-x",
                "AES",
                "-X",
                privacy,
                &target,
                SYS_CONTACT,
            ],
        )
    };
    let good = v3(AUTH_PASSWORD, PRIV_PASSWORD);
    assert!(
        good.contains(SYS_CONTACT),
        "v3 with the right passwords: {good}"
    );
    let mut shown = Vec::new();
    shown.push(v3("wrongauth123", PRIV_PASSWORD));
    shown.push(v3(AUTH_PASSWORD, "wrongpriv123"));
    let v2 = |community: &str, args: &[&str]| {
        let mut a = vec![
            "-v2c", "-On", "-m", "", "-t", "2", "-r", "0", "-c", community, &target,
        ];
        a.extend_from_slice(args);
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |name: &str, args: Vec<String>| {
        snmp(name, &args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    shown.push(run("snmpget", v2("wrongcommunity", &[SYS_CONTACT])));
    shown.push(run("snmpget", v2("rwsecret77x", &[SYS_CONTACT])));
    // Refused SETs: read-only community; an object that cannot be set;
    // a value the configuration refuses.
    shown.push(run("snmpset", v2("public", &[SYS_CONTACT, "s", "x"])));
    shown.push(run(
        "snmpset",
        v2(RW_COMMUNITY, &["1.3.6.1.2.1.1.1.0", "s", "x"]),
    ));
    shown.push(run("snmpset", v2(RW_COMMUNITY, &[SYS_CONTACT, "i", "5"])));
    let set_ok = run("snmpset", v2(RW_COMMUNITY, &[SYS_CONTACT, "s", "noc@x"]));
    assert!(set_ok.contains("noc@x"), "{set_ok}");

    // NETCONF: bad logins, refused edits (restart-only, and a reader's).
    let community_edit = format!(
        "<config><snmp xmlns=\"{{SYS}}\"><communities><community><name>{RW_COMMUNITY}</name>\
         <access>read-only</access></community></communities></snmp></config>"
    );
    let script = format!(
        r#"
def refused(fn):
    try:
        fn()
    except RPCError as e:
        print("EDIT-REFUSED", e.tag, e.message, e.path)
        return
    raise SystemExit("the edit was accepted")
for user, pw in [("admin", "wrongpw-{ADMIN_PASSWORD}"), ("reader", "{ADMIN_PASSWORD}"), ("nobody", "{AUTH_PASSWORD}")]:
    try:
        connect(user, pw).close_session()
        raise SystemExit("login with a wrong password succeeded")
    except SystemExit:
        raise
    except Exception as e:
        print("LOGIN-REFUSED", type(e).__name__, e)
with connect() as m:
    refused(lambda: m.edit_config(target="running", config=f'{community_edit}'))
    refused(lambda: m.edit_config(target="running",
        config=f'<config><thresholds xmlns="{{NODES}}"><cpu-percent>420</cpu-percent></thresholds></config>'))
    r = m.dispatch(etree.fromstring(f'<action xmlns="urn:ietf:params:xml:ns:yang:1"><logs xmlns="{{LOGS}}"><backup><name>nc.db</name></backup></logs></action>'))
    assert xp(r.xml, "/nc:rpc-reply/nc:ok"), r.xml
with connect("reader", "{READER_PASSWORD}") as m:
    refused(lambda: m.edit_config(target="running", config=f'{community_edit}'))
"#
    );
    let o = nc_script(&agent, "admin", ADMIN_PASSWORD, &script);
    let nc_out = out_text(&o);
    assert!(
        o.status.success(),
        "{nc_out}\n{}",
        read(&dir.path().join("agent.log"))
    );
    assert_eq!(nc_out.matches("LOGIN-REFUSED").count(), 3, "{nc_out}");
    assert_eq!(nc_out.matches("EDIT-REFUSED").count(), 3, "{nc_out}");
    // What a client is told names no secret it did not type itself:
    // the refusals are checked apart from the script's own text.
    let told: String = nc_out
        .lines()
        .filter(|l| l.starts_with("EDIT-REFUSED") || l.starts_with("LOGIN-REFUSED"))
        .map(|l| l.replace(&format!("wrongpw-{ADMIN_PASSWORD}"), ""))
        .collect::<Vec<_>>()
        .join("\n");
    shown.push(told);

    // ctl: a refused edit, a backup, and backups that must be refused.
    let (ok, out) = agent.ctl(&["set", "/thresholds/cpu-percent", "420"]);
    assert!(!ok, "{out}");
    shown.push(out);
    let (ok, out) = agent.ctl(&["logs", "backup", "ctl.db"]);
    assert!(ok, "{out}");
    shown.push(out);
    for bad in ["../x.db", "/tmp/x.db", "file:x.db?mode=rwc", "nc.db"] {
        let (ok, out) = agent.ctl(&["logs", "backup", bad]);
        assert!(!ok, "{bad}: {out}");
        shown.push(out);
    }

    // Configuration problems of files that hold the secrets.
    let bad_type = dir.path().join("bad-type.toml");
    std::fs::write(
        &bad_type,
        format!("[snmp.communities.{RW_COMMUNITY}]\naccess = 5\n"),
    )
    .unwrap();
    let bad_values = dir.path().join("bad-values.toml");
    std::fs::write(
        &bad_values,
        format!(
            "[snmp.communities.{RW_COMMUNITY}]\naccess = \"read-write\"\nsources = [\"nonsense\"]\n\
             [snmp.users.u]\ngroup = \"nogroup\"\nauth-password = \"{AUTH_PASSWORD}\"\n\
             [netconf.users.x]\npassword-hash = \"not-a-hash-{ADMIN_PASSWORD}\"\n"
        ),
    )
    .unwrap();
    let bad_secret_type = dir.path().join("bad-secret-type.toml");
    std::fs::write(
        &bad_secret_type,
        "[snmp.users.u]\ngroup = \"g\"\nauth-password = 918273645546\n",
    )
    .unwrap();
    for file in [&bad_type, &bad_values, &bad_secret_type] {
        let o = Command::new(BIN)
            .arg("check-config")
            .arg(file)
            .output()
            .unwrap();
        assert!(!o.status.success());
        let text = out_text(&o);
        assert!(
            !text.contains("918273645546"),
            "a password's value in: {text}"
        );
        shown.push(text);
    }

    // Let the log writer catch up, then read every place a record shows.
    std::thread::sleep(Duration::from_millis(500));
    let records = agent
        .call(json!({"op": "logs-query", "limit": 100000}))
        .expect("logs query");
    let records = records.to_string();
    assert!(
        records.contains("snmp.communities[1]"),
        "the write-access warning names the key: {records}"
    );
    let walk = snmp(
        "snmpbulkwalk",
        &[
            "-v2c",
            "-c",
            "public",
            "-t",
            "3",
            "-r",
            "1",
            "-M",
            &mib_dirs(),
            "-m",
            "BLOCKCHAIN-MGMT-MIB",
            &target,
            "BLOCKCHAIN-MGMT-MIB::bcmLogRecordTable",
        ],
    );
    // The channels of the issue's repro carry the warning (by key now).
    assert!(walk.contains("snmp.communities[1]"), "{walk}");
    let o = nc_script(
        &agent,
        "reader",
        READER_PASSWORD,
        r#"
with connect() as m:
    r = m.dispatch(etree.fromstring(f'<action xmlns="urn:ietf:params:xml:ns:yang:1"><logs xmlns="{LOGS}"><query><limit>100000</limit></query></logs></action>'))
    print(r.xml)
"#,
    );
    let nc_logs = out_text(&o);
    assert!(
        o.status.success() && nc_logs.contains("snmp.communities[1]"),
        "{nc_logs}"
    );
    agent.stop();
    let stderr = read(&dir.path().join("agent.log"));
    assert!(stderr.contains("chain-agent stopping") || !stderr.is_empty());

    for (what, text) in [
        ("log records (ctl)", records.as_str()),
        ("bcmLogRecordTable walk", walk.as_str()),
        ("NETCONF logs query", nc_logs.as_str()),
        ("agent stderr", stderr.as_str()),
    ] {
        let found = leaks(text.as_bytes(), &all);
        assert!(found.is_empty(), "{found:?} in the {what}:\n{text}");
    }
    for text in &shown {
        let found = leaks(text.as_bytes(), &all);
        assert!(found.is_empty(), "{found:?} shown to a client:\n{text}");
    }

    // The store keeps communities, localised keys and hashes (it must),
    // never a password.
    let backups = data.join("backups");
    let mut store_files = Vec::new();
    for name in ["chain-agent.db", "chain-agent.db-wal", "chain-agent.db-shm"] {
        let p = data.join(name);
        if p.exists() {
            store_files.push(p);
        }
    }
    assert!(!store_files.is_empty());
    for p in &store_files {
        let found = leaks(&std::fs::read(p).unwrap(), &passwords);
        assert!(found.is_empty(), "{found:?} in {}", p.display());
    }
    for name in ["ctl.db", "nc.db"] {
        let p = backups.join(name);
        let found = leaks(&std::fs::read(&p).unwrap(), &all);
        assert!(found.is_empty(), "{found:?} in the backup {}", p.display());
    }

    // Modes, under umask 000.
    assert_eq!(mode(&data), 0o700, "data directory");
    assert_eq!(mode(&backups), 0o700, "backup directory");
    for entry in std::fs::read_dir(&data).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            continue;
        }
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    for name in ["ctl.db", "nc.db"] {
        assert_eq!(mode(&backups.join(name)), 0o600, "{name}");
    }
    let names: Vec<PathBuf> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(names.len(), 2, "only the two backups: {names:?}");
    assert!(!dir.path().join("x.db").exists() && !Path::new("/tmp/x.db").exists());

    // Restarted with the same file, the agent restores the stored keys
    // (no password there) and the v3 user still works.
    let mut agent = AgentProcess::start(dir.path(), "");
    let target = format!("127.0.0.1:{}", snmp_port(&agent));
    let again = snmp(
        "snmpget",
        &[
            "-v3",
            "-On",
            "-m",
            "",
            "-t",
            "2",
            "-r",
            "1",
            "-l",
            "authPriv",
            "-u",
            "v3user",
            "-a",
            "SHA-256",
            "-A",
            AUTH_PASSWORD,
            "-x",
            "AES",
            "-X",
            PRIV_PASSWORD,
            &target,
            SYS_CONTACT,
        ],
    );
    assert!(again.contains("noc@x"), "v3 after a restart: {again}");
    agent.stop();
}

/// As OpenSSH does for key files: a directory or store other users can
/// read is refused at start, with the path, the mode and the fix.
#[test]
fn an_exposed_data_directory_or_store_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = dir.path().join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n[snmp]\nlisten = [\"127.0.0.1:0\"]\n\
             [netconf]\nlisten = \"127.0.0.1:0\"\n",
            data.display()
        ),
    )
    .unwrap();
    let start = || {
        Command::new(BIN)
            .args(["run", "--config"])
            .arg(&config)
            .output()
            .expect("run")
    };
    let o = start();
    let text = out_text(&o);
    assert!(!o.status.success(), "{text}");
    let shown = data.display().to_string();
    assert!(
        text.contains(&format!("{shown} is mode 0755")) && text.contains("chmod 700"),
        "{text}"
    );
    assert!(!data.join("chain-agent.db").exists(), "nothing opened");

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let db = data.join("chain-agent.db");
    std::fs::write(&db, b"").unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let o = start();
    let text = out_text(&o);
    assert!(!o.status.success(), "{text}");
    assert!(
        text.contains(&format!("{} is mode 0644", db.display())) && text.contains("chmod 600"),
        "{text}"
    );
}
