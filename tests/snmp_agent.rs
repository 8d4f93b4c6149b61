//! End-to-end: the real binary polled and set with net-snmp's tools over
//! v1, v2c and v3 (every USM algorithm and level), over IPv4 and IPv6.

mod common;

use common::AgentProcess;
use common::snmp::{ROOT, base, mib_dirs, ok, snmp_addrs, snmp_port, text, tool, wait_populated};

const ENGINE_ID: &str = "80007ed905aabbccddeeff0011";
const PASS: &str = "maplesyrup";

/// (user, net-snmp -a, config auth, net-snmp -x, config priv)
const V3_USERS: &[(&str, &str, &str, &str, &str)] = &[
    ("u-md5-des", "MD5", "md5", "DES", "des"),
    ("u-sha-aes", "SHA", "sha", "AES", "aes"),
    ("u-sha224-aes", "SHA-224", "sha-224", "AES", "aes"),
    ("u-sha256-des", "SHA-256", "sha-256", "DES", "des"),
    ("u-sha384-aes", "SHA-384", "sha-384", "AES", "aes"),
    ("u-sha512-aes", "SHA-512", "sha-512", "AES", "aes"),
];

fn config(extra_users: &str) -> String {
    let mut users = String::new();
    for (name, _, auth, _, privacy) in V3_USERS {
        users.push_str(&format!(
            "[snmp.users.{name}]\ngroup = \"admin\"\nauth = \"{auth}\"\nauth-password = \"{PASS}\"\npriv = \"{privacy}\"\npriv-password = \"{PASS}\"\n\n"
        ));
    }
    format!(
        r#"[snmp]
listen = ["127.0.0.1:0", "[::1]:0"]
engine-id = "{ENGINE_ID}"

[snmp.communities.public]
access = "read-only"
sources = ["127.0.0.0/8", "::1/128"]

[snmp.communities.private]
access = "read-write"
sources = ["127.0.0.0/8"]

[snmp.communities.faraway]
access = "read-only"
sources = ["10.0.0.0/8"]

[snmp.communities.nologs]
access = "read-only"
view = "no-logs"

[snmp.views]
all = [{{ subtree = "1" }}]
no-logs = [{{ subtree = "1" }}, {{ subtree = "{ROOT}.1.5", type = "excluded" }}]

[snmp.groups.admin]
security-level = "no-auth-no-priv"
read-view = "all"
write-view = "all"

[snmp.groups.readers]
security-level = "auth-no-priv"
read-view = "no-logs"

[snmp.users.u-noauth]
group = "admin"

[snmp.users.u-authonly]
group = "readers"
auth = "sha-256"
auth-password = "{PASS}"

{users}{extra_users}"#
    )
}

fn target(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

fn start(dir: &std::path::Path) -> (AgentProcess, u16) {
    let agent = AgentProcess::start(dir, &config(""));
    let port = snmp_port(&agent);
    wait_populated(port);
    (agent, port)
}

#[test]
fn v2c_and_v1_read_the_system_group_and_our_mib() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, port) = start(dir.path());
    let t = target(port);
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[
                ".1.3.6.1.2.1.1.1.0",
                ".1.3.6.1.2.1.1.2.0",
                ".1.3.6.1.2.1.1.3.0",
            ],
        ]
        .concat(),
    );
    assert!(out.contains("chain-agent"), "{out}");
    assert!(
        out.contains(&format!(".1.3.6.1.2.1.1.2.0 = OID: .{ROOT}.3")),
        "{out}"
    );
    assert!(out.contains("Timeticks"), "{out}");
    // GetNext from the chain table's first column gives the first chain.
    let out = ok(
        "snmpgetnext",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[&format!("{ROOT}.1.1.1")],
        ]
        .concat(),
    );
    assert!(
        out.contains(&format!(".{ROOT}.1.1.1.1.2.3.115.105.109")),
        "{out}"
    );
    // v1: the same objects; a missing instance is noSuchName.
    let out = ok(
        "snmpget",
        &[
            base("1", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.2.1.1.5.0"],
        ]
        .concat(),
    );
    assert!(out.contains("STRING"), "{out}");
    let o = tool(
        "snmpget",
        &[
            base("1", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.2.1.1.99.0"],
        ]
        .concat(),
    );
    assert!(text(&o).contains("noSuchName"), "{}", text(&o));
    // v2c exceptions.
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.2.1.1.99.0", ".1.3.6.1.2.1.1.1.5"],
        ]
        .concat(),
    );
    assert!(out.contains("No Such Object"), "{out}");
    assert!(out.contains("No Such Instance"), "{out}");
}

#[test]
fn walks_cover_the_whole_tree_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, port) = start(dir.path());
    let t = target(port);
    for (tool_name, version) in [
        ("snmpwalk", "2c"),
        ("snmpbulkwalk", "2c"),
        ("snmpwalk", "1"),
    ] {
        let o = tool(
            tool_name,
            &[
                base(version, &["-c", "public", "-Cc", &t]).as_slice(),
                &[".1"],
            ]
            .concat(),
        );
        let all = text(&o);
        assert!(
            o.status.success(),
            "{tool_name} -v{version} .1 failed:\n{all}"
        );
        assert!(!all.contains("OID not increasing"), "{all}");
        let lines: Vec<&str> = all
            .lines()
            .filter(|l| l.starts_with('.') && !l.contains("No more variables"))
            .collect();
        let ours = lines
            .iter()
            .filter(|l| l.starts_with(&format!(".{ROOT}.")))
            .count();
        assert!(
            ours > 200,
            "{tool_name} -v{version}: only {ours} objects under our root"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(".1.3.6.1.6.3.15.1.1.3.0"))
        );
        if version == "1" {
            assert!(
                !all.contains("Counter64"),
                "v1 must not see Counter64 values"
            );
        } else {
            assert!(all.contains("Counter64"), "v2c walk shows Counter64 values");
        }
        // Strictly increasing, checked here too.
        let oids: Vec<Vec<u32>> = lines
            .iter()
            .map(|l| {
                l.split(' ').next().unwrap_or_default()[1..]
                    .split('.')
                    .map(|a| a.parse().unwrap())
                    .collect()
            })
            .collect();
        assert!(oids.windows(2).all(|w| w[0] < w[1]), "{tool_name}: order");
    }
}

#[test]
fn every_oid_under_our_root_resolves_to_a_name_with_the_mib_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, port) = start(dir.path());
    let t = target(port);
    let dirs = mib_dirs();
    let out = ok(
        "snmpbulkwalk",
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
            &t,
            ROOT,
        ],
    );
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() > 200, "{out}");
    for l in &lines {
        assert!(
            l.starts_with("BLOCKCHAIN-MGMT-MIB::bcm"),
            "not resolved to a name: {l}"
        );
        // net-snmp flags a value whose type differs from the MIB's SYNTAX.
        assert!(!l.contains("Wrong Type"), "{l}");
    }
}

#[test]
fn sets_change_the_configuration_atomically_and_persist() {
    let dir = tempfile::tempdir().unwrap();
    let (mut agent, port) = start(dir.path());
    let t = target(port);
    let rw = |extra: &[&str]| {
        tool(
            "snmpset",
            &[base("2c", &["-c", "private", &t]).as_slice(), extra].concat(),
        )
    };
    let o = rw(&[
        ".1.3.6.1.2.1.1.4.0",
        "s",
        "ops@example.net",
        ".1.3.6.1.2.1.1.6.0",
        "s",
        "rack 7",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    // Node admin state (bcmNodeAdminState for sim/node-5) to maintenance.
    let node5 = format!("{ROOT}.1.2.1.1.14.3.115.105.109.6.110.111.100.101.45.53");
    let o = rw(&[&node5, "i", "3"]);
    assert!(o.status.success(), "{}", text(&o));
    let (_, cfg) = agent.ctl(&["get-config"]);
    assert!(
        cfg.contains("ops@example.net") && cfg.contains("maintenance"),
        "{cfg}"
    );

    // All or nothing: a valid contact with an invalid admin state.
    let o = rw(&[".1.3.6.1.2.1.1.4.0", "s", "nobody", &node5, "i", "9"]);
    let all = text(&o);
    assert!(
        all.contains("wrongValue") && all.contains("Failed object"),
        "{all}"
    );
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.2.1.1.4.0"],
        ]
        .concat(),
    );
    assert!(out.contains("ops@example.net"), "{out}");

    // Standard errors, v2c and their v1 mapping.
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[".1.3.6.1.2.1.1.1.0", "s", "x"],
            "notWritable",
            "noSuchName",
        ),
        (&[".1.3.6.1.2.1.1.4.0", "i", "5"], "wrongType", "badValue"),
        (
            &[".1.3.6.1.2.1.1.4.0", "x", &"41".repeat(300)],
            "wrongLength",
            "badValue",
        ),
        (
            &[
                &format!("{ROOT}.1.2.1.1.14.3.115.105.109.2.110.111"),
                "i",
                "1",
            ],
            "noCreation",
            "noSuchName",
        ),
    ];
    for (args, v2, v1) in cases {
        let a = text(&rw(args));
        assert!(a.contains(v2), "v2c {args:?}: {a}");
        let o = tool(
            "snmpset",
            &[base("1", &["-c", "private", &t]).as_slice(), args].concat(),
        );
        assert!(text(&o).contains(v1), "v1 {args:?}: {}", text(&o));
    }
    // A read-only community may not write.
    let o = tool(
        "snmpset",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.2.1.1.4.0", "s", "x"],
        ]
        .concat(),
    );
    assert!(text(&o).contains("noAccess"), "{}", text(&o));

    // Restart: the SETs are still there, and snmpEngineBoots went up.
    let boots = |port: u16| {
        ok(
            "snmpget",
            &[
                base("2c", &["-c", "public", &target(port)]).as_slice(),
                &[".1.3.6.1.6.3.10.2.1.2.0"],
            ]
            .concat(),
        )
    };
    let before = boots(port);
    agent.stop();
    let agent = AgentProcess::start(dir.path(), "");
    let port = snmp_port(&agent);
    wait_populated(port);
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", &target(port)]).as_slice(),
            &[".1.3.6.1.2.1.1.4.0", ".1.3.6.1.2.1.1.6.0", &node5],
        ]
        .concat(),
    );
    assert!(
        out.contains("ops@example.net") && out.contains("rack 7"),
        "{out}"
    );
    assert!(out.ends_with("INTEGER: 3\n"), "{out}");
    let after = boots(port);
    let n = |s: &str| s.trim().rsplit(' ').next().unwrap().parse::<u32>().unwrap();
    assert_eq!(n(&after), n(&before) + 1, "{before} → {after}");
}

#[test]
fn communities_are_checked_by_name_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, port) = start(dir.path());
    let t = target(port);
    for community in ["wrong", "faraway"] {
        let o = tool(
            "snmpget",
            &[
                base("2c", &["-c", community, &t]).as_slice(),
                &[".1.3.6.1.2.1.1.1.0"],
            ]
            .concat(),
        );
        assert!(
            !o.status.success() && text(&o).contains("Timeout"),
            "{}",
            text(&o)
        );
    }
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.2.1.11.4.0"],
        ]
        .concat(),
    );
    let bad: u32 = out.trim().rsplit(' ').next().unwrap().parse().unwrap();
    assert!(bad >= 2, "snmpInBadCommunityNames: {out}");
    // A view that excludes the log subtree: a walk skips it, a get misses it.
    let walk = ok(
        "snmpwalk",
        &[
            base("2c", &["-c", "nologs", &t]).as_slice(),
            &[&format!("{ROOT}.1")],
        ]
        .concat(),
    );
    assert!(walk.contains(&format!(".{ROOT}.1.4.")), "{walk}");
    assert!(!walk.contains(&format!(".{ROOT}.1.5.")), "{walk}");
    assert!(walk.contains(&format!(".{ROOT}.1.6.")), "{walk}");
    let out = ok(
        "snmpget",
        &[
            base("2c", &["-c", "nologs", &t]).as_slice(),
            &[&format!("{ROOT}.1.5.1.1.2.1")],
        ]
        .concat(),
    );
    assert!(out.contains("No Such Object"), "{out}");
    // IPv6.
    let v6 = snmp_addrs(&_agent)
        .into_iter()
        .find(|a| a.is_ipv6())
        .expect("an IPv6 listener");
    let out = ok(
        "snmpget",
        &[
            base(
                "2c",
                &["-c", "public", &format!("udp6:[::1]:{}", v6.port())],
            )
            .as_slice(),
            &[".1.3.6.1.2.1.1.5.0"],
        ]
        .concat(),
    );
    assert!(out.contains("STRING"), "{out}");
}

#[test]
fn v3_every_algorithm_and_level() {
    let dir = tempfile::tempdir().unwrap();
    let (_agent, port) = start(dir.path());
    let t = target(port);
    for (user, a, _, x, _) in V3_USERS {
        for level in ["authPriv", "authNoPriv", "noAuthNoPriv"] {
            let mut args = vec![
                "-v", "3", "-On", "-m", "", "-t", "2", "-r", "1", "-u", user, "-l", level,
            ];
            if level != "noAuthNoPriv" {
                args.extend(["-a", a, "-A", PASS]);
            }
            if level == "authPriv" {
                args.extend(["-x", x, "-X", PASS]);
            }
            let get = ok(
                "snmpget",
                &[args.as_slice(), &[&t, ".1.3.6.1.2.1.1.5.0"]].concat(),
            );
            assert!(get.contains("STRING"), "{user} {level}: {get}");
            let walk = ok(
                "snmpbulkwalk",
                &[args.as_slice(), &[&t, &format!("{ROOT}.1.1")]].concat(),
            );
            assert!(walk.lines().count() >= 6, "{user} {level}: {walk}");
            if level == "authPriv" {
                let set = ok(
                    "snmpset",
                    &[
                        args.as_slice(),
                        &[&t, ".1.3.6.1.2.1.1.6.0", "s", &format!("set by {user}")],
                    ]
                    .concat(),
                );
                assert!(set.contains(user), "{set}");
                let next = ok(
                    "snmpgetnext",
                    &[args.as_slice(), &[&t, ".1.3.6.1.2.1.1.5.0"]].concat(),
                );
                assert!(next.contains(user), "{next}");
            }
        }
    }
    // noAuthNoPriv user.
    ok(
        "snmpget",
        &[
            "-v",
            "3",
            "-m",
            "",
            "-u",
            "u-noauth",
            "-l",
            "noAuthNoPriv",
            &t,
            ".1.3.6.1.2.1.1.5.0",
        ],
    );
    // Wrong password, unknown user, and a level above the user's.
    let bad = |args: &[&str], expect: &str| {
        let o = tool(
            "snmpget",
            &[
                &["-v", "3", "-m", "", "-t", "2", "-r", "0"],
                args,
                &[&t, ".1.3.6.1.2.1.1.5.0"],
            ]
            .concat(),
        );
        assert!(
            !o.status.success() && text(&o).contains(expect),
            "{args:?}: {}",
            text(&o)
        );
    };
    bad(
        &[
            "-u",
            "u-sha-aes",
            "-l",
            "authNoPriv",
            "-a",
            "SHA",
            "-A",
            "wrongpassword",
        ],
        "Authentication failure",
    );
    bad(
        &["-u", "nosuchuser", "-l", "noAuthNoPriv"],
        "Unknown user name",
    );
    bad(
        &[
            "-u",
            "u-authonly",
            "-l",
            "authPriv",
            "-a",
            "SHA-256",
            "-A",
            PASS,
            "-x",
            "AES",
            "-X",
            PASS,
        ],
        "Unsupported security level",
    );
    // The readers group may read at authNoPriv, but not the log subtree, and not write.
    let reader = [
        "-v",
        "3",
        "-On",
        "-m",
        "",
        "-t",
        "2",
        "-r",
        "0",
        "-u",
        "u-authonly",
        "-l",
        "authNoPriv",
        "-a",
        "SHA-256",
        "-A",
        PASS,
    ];
    ok(
        "snmpget",
        &[reader.as_slice(), &[&t, ".1.3.6.1.2.1.1.5.0"]].concat(),
    );
    let o = tool(
        "snmpset",
        &[reader.as_slice(), &[&t, ".1.3.6.1.2.1.1.6.0", "s", "x"]].concat(),
    );
    assert!(text(&o).contains("noAccess"), "{}", text(&o));
    // usmStats counted what happened.
    let stats = ok(
        "snmpwalk",
        &[
            base("2c", &["-c", "public", &t]).as_slice(),
            &[".1.3.6.1.6.3.15.1.1"],
        ]
        .concat(),
    );
    for (n, what) in [
        (3, "unknown user"),
        (5, "wrong digest"),
        (1, "unsupported level"),
    ] {
        let line = stats
            .lines()
            .find(|l| l.starts_with(&format!(".1.3.6.1.6.3.15.1.1.{n}.0")))
            .unwrap_or_default();
        let v: u32 = line.rsplit(' ').next().unwrap_or("0").parse().unwrap_or(0);
        assert!(v >= 1, "{what}: {stats}");
    }
}

#[test]
fn v3_user_with_localised_keys() {
    use chain_agent::snmp::usm::{AuthProtocol, localize_key, password_to_key};
    let engine = hex::decode(ENGINE_ID).unwrap();
    let ku = password_to_key(AuthProtocol::Sha256, b"localised-secret").unwrap();
    let kul = hex::encode(localize_key(AuthProtocol::Sha256, &ku, &engine));
    let pu = password_to_key(AuthProtocol::Sha256, b"localised-privacy").unwrap();
    let pul = hex::encode(localize_key(AuthProtocol::Sha256, &pu, &engine));
    let extra = format!(
        "[snmp.users.u-keys]\ngroup = \"admin\"\nauth = \"sha-256\"\nauth-key = \"{kul}\"\npriv = \"aes\"\npriv-key = \"{pul}\"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), &config(&extra));
    let port = snmp_port(&agent);
    let out = ok(
        "snmpget",
        &[
            "-v",
            "3",
            "-m",
            "",
            "-u",
            "u-keys",
            "-l",
            "authPriv",
            "-a",
            "SHA-256",
            "-A",
            "localised-secret",
            "-x",
            "AES",
            "-X",
            "localised-privacy",
            &target(port),
            // sysDescr: never empty (sysName may be until the host is
            // first sampled).
            ".1.3.6.1.2.1.1.1.0",
        ],
    );
    assert!(out.contains("STRING"), "{out}");
}

/// The Quick start promise: on the embedded defaults, the documented
/// walk from `.1` completes without error.
#[test]
fn default_configuration_walks_from_the_root_on_port_1161() {
    let dir = tempfile::tempdir().unwrap();
    // "[snmp]" with no keys keeps the defaults (127.0.0.1:1161, public).
    let agent = AgentProcess::start(dir.path(), "[snmp]\n");
    assert_eq!(snmp_port(&agent), 1161, "the default listener");
    wait_populated(1161);
    let o = tool(
        "snmpwalk",
        &["-v2c", "-c", "public", "-m", "", "127.0.0.1:1161", ".1"],
    );
    let all = text(&o);
    assert!(o.status.success(), "{all}");
    assert!(!all.contains("OID not increasing"), "{all}");
    assert!(all.lines().count() > 500, "{all}");
}

#[test]
fn a_port_in_use_stops_the_start_with_a_clear_error() {
    let busy = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("agent.toml");
    std::fs::write(
        &config,
        format!(
            "[agent]\ndata-dir = \"{}\"\n[snmp]\nlisten = [\"{addr}\"]\n",
            dir.path().join("data").display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new(common::BIN)
        .args(["run", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains(&format!("cannot bind UDP {addr}")) && err.contains("in use"),
        "{err}"
    );
}
