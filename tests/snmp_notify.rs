//! End-to-end notifications: real snmptrapd receivers, one per target
//! kind (v2c trap, v2c inform, v3 trap, v3 inform), with our MIB loaded,
//! check the decoded names and values of coldStart, alarm raised and
//! cleared, and authenticationFailure; informs are acknowledged and
//! counted, and an inform to nobody is counted as failed.

mod common;

use common::AgentProcess;
use common::snmp::{ROOT, base, ok, snmp_port, tool};
use common::traps::{TrapReceiver, free_udp_port};
use std::time::{Duration, Instant};

const ENGINE_ID: &str = "80007ed905cafe0000000001";
const PASS: &str = "maplesyrup";

fn wait_for(receivers: &[(&str, &TrapReceiver)], what: &[&str], secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    for (name, r) in receivers {
        loop {
            let log = r.text();
            if what.iter().all(|w| log.contains(w)) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "receiver {name} lacks one of {what:?}; it got:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn every_target_kind_receives_decoded_notifications() {
    let dir = tempfile::tempdir().unwrap();
    let v3_users = format!(
        "createUser -e 0x{ENGINE_ID} trapuser SHA-256 {PASS} AES {PASS}\n\
         createUser informuser SHA-512 {PASS} DES {PASS}\n\
         authUser log trapuser\nauthUser log informuser\n"
    );
    let v2c_trap = TrapReceiver::start_named(dir.path(), "v2c-trap", "authCommunity log traps\n");
    let v2c_inform =
        TrapReceiver::start_named(dir.path(), "v2c-inform", "authCommunity log traps\n");
    let v3_trap = TrapReceiver::start_named(dir.path(), "v3-trap", &v3_users);
    let v3_inform = TrapReceiver::start_named(dir.path(), "v3-inform", &v3_users);
    let nobody = free_udp_port();
    let config = format!(
        r#"[snmp]
listen = ["127.0.0.1:0"]
engine-id = "{ENGINE_ID}"
enable-authen-traps = true

[snmp.communities.public]
access = "read-only"

[snmp.views]
all = [{{ subtree = "1" }}]

[snmp.groups.notify]
read-view = "all"
notify-view = "all"

[snmp.users.trapuser]
group = "notify"
auth = "sha-256"
auth-password = "{PASS}"
priv = "aes"
priv-password = "{PASS}"

[snmp.users.informuser]
group = "notify"
auth = "sha-512"
auth-password = "{PASS}"
priv = "des"
priv-password = "{PASS}"

[snmp.targets.v2c-trap]
address = "127.0.0.1:{}"
community = "traps"

[snmp.targets.v2c-inform]
address = "127.0.0.1:{}"
kind = "inform"
community = "traps"

[snmp.targets.v3-trap]
address = "127.0.0.1:{}"
version = "v3"
user = "trapuser"

[snmp.targets.v3-inform]
address = "127.0.0.1:{}"
kind = "inform"
version = "v3"
user = "informuser"

[snmp.targets.nobody]
address = "127.0.0.1:{nobody}"
kind = "inform"
community = "traps"
timeout-ms = 100
retries = 1
"#,
        v2c_trap.port, v2c_inform.port, v3_trap.port, v3_inform.port
    );
    let agent = AgentProcess::start(dir.path(), &config);
    let port = snmp_port(&agent);
    let all = [
        ("v2c-trap", &v2c_trap),
        ("v2c-inform", &v2c_inform),
        ("v3-trap", &v3_trap),
        ("v3-inform", &v3_inform),
    ];
    wait_for(&all, &["SNMPv2-MIB::coldStart"], 20);

    // An alarm: node-3 stops; raised with its X.733 fields, then cleared.
    let (done, out) = agent.ctl(&["fault", "inject", "n3", "stop-node", "--node", "node-3"]);
    assert!(done, "{out}");
    wait_for(
        &all,
        &[
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmRaised",
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmResource.",
            "/chains/sim/nodes/node-3",
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmType.",
            "nodeUnreachable(1)",
            "communicationsAlarm(2)",
            "communicationsSubsystemFailure(505)",
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmSeverity.",
            "BLOCKCHAIN-MGMT-MIB::bcmNodeStateChanged",
        ],
        30,
    );
    let (done, out) = agent.ctl(&["fault", "clear", "n3"]);
    assert!(done, "{out}");
    wait_for(
        &all,
        &[
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmCleared",
            "BLOCKCHAIN-MGMT-MIB::bcmAlarmHistCleared.",
        ],
        30,
    );

    // A wrong community: authenticationFailure (enable-authen-traps).
    let o = tool(
        "snmpget",
        &[
            base(
                "2c",
                &[
                    "-c",
                    "wrong",
                    "-r",
                    "0",
                    "-t",
                    "1",
                    &format!("127.0.0.1:{port}"),
                ],
            )
            .as_slice(),
            &[".1.3.6.1.2.1.1.1.0"],
        ]
        .concat(),
    );
    assert!(!o.status.success());
    wait_for(&all, &["SNMPv2-MIB::authenticationFailure"], 20);

    // Informs were acknowledged; the one to nobody failed, and was counted.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let out = ok(
            "snmpget",
            &[
                base("2c", &["-c", "public", &format!("127.0.0.1:{port}")]).as_slice(),
                &[
                    &format!("{ROOT}.1.10.1.0"),
                    &format!("{ROOT}.1.10.2.0"),
                    &format!("{ROOT}.1.10.3.0"),
                ],
            ]
            .concat(),
        );
        let v: Vec<u32> = out
            .lines()
            .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
            .collect();
        let (sent, acked, failed) = (v[0], v[1], v[2]);
        // Two inform targets acknowledged at least coldStart, raise, clear
        // and authenticationFailure; `nobody` acknowledged none.
        if acked >= 8 && failed >= 4 {
            assert!(sent >= acked + failed, "{out}");
            break;
        }
        assert!(Instant::now() < deadline, "inform counters: {out}");
        std::thread::sleep(Duration::from_millis(200));
    }
}
