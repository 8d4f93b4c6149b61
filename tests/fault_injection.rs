//! End to end: every alarm the agent knows is raised by injecting its fault
//! into the simulated chain of the running binary, and cleared when the
//! fault is removed; each raise and clear reaches a real snmptrapd (with
//! the MIB, its X.733 fields decoded) and an ncclient subscriber (the
//! ietf-alarms notification with its ietf-alarms-x733 fields).

mod common;

use common::netconf::NotificationListener;
use common::traps::TrapReceiver;
use common::{AgentProcess, has};
use std::collections::BTreeSet;

/// A fast chain: 200 ms blocks, a 2 s stall threshold, a 1 s cross-chain
/// timeout, a 1 s hold-off, a minimum of 1 peer (0, the default, is off)
/// with a 1 s hold-off. On a loaded machine the simulated relay times
/// out about half its transfers even without a fault, so the default 10 s
/// hold-off (unit-tested in core::hysteresis) would rightly keep
/// cross-chain-timeout raised. A 5 s contract-failure window, so that
/// contract-failure-rate clears within seconds of its fault's removal.
const FAST: &str = r#"
[thresholds]
consensus-stall-seconds = 2
sync-lag-blocks = 5
hold-off-seconds = 1
peer-count-min = 1
peer-count-hold-off-seconds = 1
node-degraded-hold-off-seconds = 1
contract-failure-window-seconds = 5
contract-failure-min-calls = 30

[chains.sim]
platform = "simulated"
name = "test chain"

[chains.sim.consensus]
block-interval-ms = 200
round-timeout-ms = 400

[chains.sim.channels.channel-0]
remote-chain = "partner"
timeout-ms = 1500
capacity = 32
"#;

struct Case {
    name: &'static str,
    args: &'static [&'static str],
    alarm: &'static str,
    resource: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "stop",
        args: &["stop-node", "--node", "node-2"],
        alarm: "node-unreachable",
        resource: "/chains/sim/nodes/node-2",
    },
    Case {
        name: "cut",
        args: &["cut-link", "--node", "node-1", "--peer", "node-2"],
        alarm: "link-down",
        resource: "/chains/sim/nodes/node-1/links/node-2",
    },
    Case {
        name: "slow",
        args: &[
            "slow-link",
            "--node",
            "node-1",
            "--peer",
            "node-3",
            "--value",
            "900",
        ],
        alarm: "link-degraded",
        resource: "/chains/sim/nodes/node-3/links/node-1",
    },
    Case {
        name: "lag",
        args: &["lag-node", "--node", "node-5"],
        alarm: "sync-lag",
        resource: "/chains/sim/nodes/node-5",
    },
    Case {
        name: "cpu",
        args: &["cpu-load", "--node", "node-3", "--value", "97"],
        alarm: "cpu-high",
        resource: "/chains/sim/nodes/node-3",
    },
    Case {
        name: "mem",
        args: &["memory-load", "--node", "node-4", "--value", "95"],
        alarm: "memory-high",
        resource: "/chains/sim/nodes/node-4",
    },
    Case {
        name: "stall",
        args: &["stall-consensus"],
        alarm: "consensus-stalled",
        resource: "/chains/sim/consensus",
    },
    Case {
        name: "fork",
        args: &["fork-node", "--node", "node-4"],
        alarm: "fork-detected",
        resource: "/chains/sim/ledger",
    },
    Case {
        name: "relay",
        args: &["relay-down", "--channel", "channel-0"],
        alarm: "cross-chain-timeout",
        resource: "/chains/sim/channels/channel-0",
    },
    Case {
        name: "flood",
        args: &["tx-flood", "--node", "node-2", "--value", "9000"],
        alarm: "tx-pool-saturated",
        resource: "/chains/sim/nodes/node-2",
    },
    Case {
        name: "peers",
        args: &["peer-loss", "--node", "node-3", "--value", "0"],
        alarm: "peer-count-low",
        resource: "/chains/sim/nodes/node-3",
    },
    Case {
        name: "halt",
        args: &["halt-blocks"],
        alarm: "block-production-stalled",
        resource: "/chains/sim/ledger",
    },
    // The fault coming and going pushes the consensus parameters of FAST
    // again (core::runtime::chain_changes): refused, then applied.
    Case {
        name: "refuse",
        args: &["refuse-config"],
        alarm: "config-apply-failed",
        resource: "/chains/sim/consensus/block-interval-ms",
    },
    Case {
        name: "cert",
        args: &["cert-expiry", "--node", "node-3", "--value", "5"],
        alarm: "endpoint-certificate-expiring",
        resource: "/chains/sim/nodes/node-3",
    },
    Case {
        name: "degrade",
        args: &["degrade-node", "--node", "node-3"],
        alarm: "node-degraded",
        resource: "/chains/sim/nodes/node-3",
    },
    Case {
        name: "stuck",
        args: &["relay-stall", "--channel", "channel-0", "--value", "600"],
        alarm: "relayer-packets-stuck",
        resource: "/chains/sim/channels/channel-0",
    },
    Case {
        name: "expiring",
        args: &["client-expiry", "--channel", "channel-0", "--value", "2"],
        alarm: "relayer-client-expiring",
        resource: "/chains/sim/channels/channel-0",
    },
    Case {
        name: "reverts",
        args: &["contract-fail", "--value", "100"],
        alarm: "contract-failure-rate",
        // The simulated escrow contract of chain "sim".
        resource: "/chains/sim/contracts/0xc0edb974d8057126ab00003669387d44928d63e3",
    },
    Case {
        name: "full",
        args: &["disk-fill", "--node", "node-3", "--value", "95"],
        alarm: "disk-space-low",
        resource: "/chains/sim/nodes/node-3",
    },
];

/// The BcmAlarmKind label of an alarm type: `tx-pool-saturated` is
/// `txPoolSaturated`.
fn mib_label(alarm: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in alarm.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn every_injected_fault_raises_its_alarm_and_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    let traps = TrapReceiver::start(dir.path());
    let config = format!(
        "[snmp]\nlisten = [\"127.0.0.1:0\"]\n\n[snmp.targets.nms]\naddress = \"127.0.0.1:{}\"\ncommunity = \"traps\"\n\n{FAST}",
        traps.port
    );
    let agent = AgentProcess::start(dir.path(), &config);
    let netconf = NotificationListener::start(&agent, "reader", dir.path());
    agent.wait_alarms("a healthy start", 20, |a| {
        a.iter().all(|x| x["chain"] != "sim")
    });

    for case in CASES {
        let mut args = vec!["fault", "inject", case.name];
        args.extend_from_slice(case.args);
        let (ok, out) = agent.ctl(&args);
        assert!(ok, "inject {}: {out}", case.name);
        let alarms = agent.wait_alarms(&format!("{} on {}", case.alarm, case.resource), 30, |a| {
            has(a, case.alarm, case.resource)
        });
        let alarm = alarms
            .iter()
            .find(|a| a["alarm-type"] == case.alarm && a["resource"] == case.resource)
            .unwrap();
        for field in [
            "event-type",
            "probable-cause",
            "perceived-severity",
            "specific-problem",
            "text",
            "raised",
        ] {
            assert!(
                !alarm[field].is_null() && alarm[field] != "",
                "{} lacks {field}: {alarm}",
                case.alarm
            );
        }
        let event_type = alarm["event-type"].as_str().unwrap();
        let cause = alarm["probable-cause"].as_str().unwrap();
        let resource = format!("STRING: {}\t", case.resource);
        let kind = format!("INTEGER: {}(", mib_label(case.alarm));
        let event = format!("INTEGER: {event_type}(");
        let cause_label = format!("INTEGER: {cause}(");
        traps.wait_trap(
            &[
                "BLOCKCHAIN-MGMT-MIB::bcmAlarmRaised",
                &resource,
                &kind,
                &event,
                &cause_label,
                "bcmAlarmSpecificProblem",
            ],
            20,
        );
        let nc_resource = format!(">{}<", case.resource);
        let nc_type = format!(":{}<", case.alarm);
        let nc_cause = format!(">{cause}<");
        let raised = netconf.wait_for(
            &["alarm-notification", &nc_resource, &nc_type, &nc_cause],
            20,
        );
        assert!(
            raised.contains("event-type") && raised.contains("probable-cause"),
            "{} notification lacks its X.733 fields: {raised}",
            case.alarm
        );
        assert!(!raised.contains(">cleared<"), "{raised}");

        let (ok, out) = agent.ctl(&["fault", "clear", case.name]);
        assert!(ok, "clear {}: {out}", case.name);
        agent.wait_alarms(&format!("{} to clear", case.alarm), 40, |a| {
            !has(a, case.alarm, case.resource)
        });
        traps.wait_trap(
            &["BLOCKCHAIN-MGMT-MIB::bcmAlarmCleared", &resource, &kind],
            20,
        );
        netconf.wait_for(
            &["alarm-notification", &nc_resource, &nc_type, ">cleared<"],
            20,
        );
        let snap = agent.call(serde_json::json!({"op": "snapshot"})).unwrap();
        let cleared = snap["faults"]["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| {
                a["alarm-type"] == case.alarm
                    && a["resource"] == case.resource
                    // Cleared, with the severity it was raised with.
                    && a["perceived-severity"] != "cleared"
                    && a["cleared"].is_u64()
            });
        assert!(cleared, "{} is not in the history as cleared", case.alarm);
    }

    // And every type of the agent's inventory has its case here.
    let snap = agent.call(serde_json::json!({"op": "snapshot"})).unwrap();
    let inventory: BTreeSet<String> = snap["faults"]["inventory"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["alarm-type"].as_str().map(str::to_string))
        .collect();
    let covered: BTreeSet<String> = CASES.iter().map(|c| c.alarm.to_string()).collect();
    let missing: Vec<_> = inventory.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "alarm types with no fault case: {missing:?}"
    );
}

#[test]
fn bad_faults_are_refused_with_the_key_named() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), FAST);
    let (ok, out) = agent.ctl(&["fault", "inject", "x", "stop-node", "--node", "node-99"]);
    assert!(!ok);
    assert!(
        out.contains("chains.sim.simulation.faults.x.node") && out.contains("no such node"),
        "{out}"
    );
    let (ok, out) = agent.ctl(&["fault", "inject", "x", "melt-down"]);
    assert!(!ok);
    assert!(out.contains("melt-down"), "{out}");
    let (ok, out) = agent.ctl(&["set", "/thresholds/cpu-percent", "150"]);
    assert!(!ok && out.contains("thresholds.cpu-percent"), "{out}");
}

#[test]
fn a_threshold_change_moves_when_the_alarm_fires() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), FAST);
    let (ok, out) = agent.ctl(&[
        "fault", "inject", "busy", "cpu-load", "--node", "node-2", "--value", "80",
    ]);
    assert!(ok, "{out}");
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(
        !has(
            &agent.active_alarms(),
            "cpu-high",
            "/chains/sim/nodes/node-2"
        ),
        "80% is below the default 90%"
    );
    // The chain's override applies to its nodes...
    let (ok, out) = agent.ctl(&["set", "/chains/sim/thresholds/cpu-percent", "75"]);
    assert!(ok, "{out}");
    agent.wait_alarms("cpu-high after lowering the chain's threshold", 10, |a| {
        has(a, "cpu-high", "/chains/sim/nodes/node-2")
    });
    // ...and a node's own override wins over it: 80% is at or below
    // 95% less the 10 points of hysteresis, so the alarm clears.
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/sim/nodes/node-2/thresholds/cpu-percent",
        "95",
    ]);
    assert!(ok, "{out}");
    agent.wait_alarms("cpu-high to clear under the node's threshold", 10, |a| {
        !has(a, "cpu-high", "/chains/sim/nodes/node-2")
    });
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/sim/nodes/node-2/thresholds/cpu-percent",
        "75",
    ]);
    assert!(ok, "{out}");
    agent.wait_alarms("cpu-high after lowering the threshold", 10, |a| {
        has(a, "cpu-high", "/chains/sim/nodes/node-2")
    });
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/sim/nodes/node-2/admin-state",
        "\"maintenance\"",
    ]);
    assert!(ok, "{out}");
    agent.wait_alarms("maintenance to suppress the alarm", 10, |a| {
        !has(a, "cpu-high", "/chains/sim/nodes/node-2")
    });
}

/// The relayer thresholds are the chain's to set over `ctl`, never a
/// node's: a packet waiting 100 s is stuck only once the chain's
/// `relayer-packet-age-seconds` is below that.
#[test]
fn a_chain_relayer_threshold_set_over_ctl_raises_packets_stuck() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), FAST);
    let resource = "/chains/sim/channels/channel-0";
    let (ok, out) = agent.ctl(&[
        "fault",
        "inject",
        "slow",
        "relay-stall",
        "--channel",
        "channel-0",
        "--value",
        "100",
    ]);
    assert!(ok, "{out}");
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert!(
        !has(&agent.active_alarms(), "relayer-packets-stuck", resource),
        "100 s is below the default 300 s"
    );
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/sim/thresholds/relayer-packet-age-seconds",
        "60",
    ]);
    assert!(ok, "{out}");
    let alarms = agent.wait_alarms("relayer-packets-stuck under 60 s", 10, |a| {
        has(a, "relayer-packets-stuck", resource)
    });
    let a = alarms
        .iter()
        .find(|a| a["alarm-type"] == "relayer-packets-stuck")
        .unwrap();
    let problem = a["specific-problem"].as_str().unwrap();
    assert!(problem.ends_with("pending longer than 60 s"), "{problem}");
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/sim/nodes/node-2/thresholds/relayer-packet-age-seconds",
        "60",
    ]);
    assert!(!ok, "a node has no relayer threshold: {out}");
}
