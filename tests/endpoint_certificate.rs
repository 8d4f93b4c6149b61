//! issue 14 §2, end to end: an anvil node whose metrics endpoint is a
//! real TLS server (`openssl s_server`) presenting a certificate that
//! expires in 5 days. The running agent raises
//! `endpoint-certificate-expiring` on the node with the days, the date
//! and the threshold in its specific problem, serves the days left and
//! notAfter in bcmNodePerfTable, and clears the alarm when `ctl` lowers
//! the node's threshold and the clear level below the days left. (A
//! renewal, read again by the collector, is tested in
//! tests/transport_tls.rs: the agent reads a certificate once an hour.)

mod common;
#[path = "common/ethereum.rs"]
mod ethereum;
#[path = "common/tls.rs"]
mod tls;

use common::{AgentProcess, has, snmp};
use ethereum::Anvil;
use tls::{CertServer, self_signed};

const RESOURCE: &str = "/chains/dev/nodes/r1";
const ALARM: &str = "endpoint-certificate-expiring";

#[test]
fn a_node_endpoint_certificate_near_its_end_raises_the_alarm_over_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    let anvil = Anvil::start(dir.path(), "anvil", &[]);
    self_signed(dir.path(), "expiring", "5");
    let tls_port = ethereum::free_port();
    let _server = CertServer::start(dir.path(), tls_port, "expiring.crt", "expiring.key");
    let url = format!("https://127.0.0.1:{tls_port}");
    std::fs::write(
        dir.path().join("agent.toml"),
        format!(
            "[agent]\ndata-dir = \"{}\"\ncollect-interval-ms = 1000\n\n\
             [snmp]\nlisten = [\"127.0.0.1:0\"]\n\n{}\
             [chains.dev]\nplatform = \"ethereum\"\n[chains.dev.nodes.r1]\n\
             endpoint = \"http://127.0.0.1:{}\"\nmetrics-endpoint = {{ url = \"{url}/metrics\" }}\n",
            dir.path().join("data").display(),
            common::netconf::DEFAULT_SECTION,
            anvil.port
        ),
    )
    .unwrap();
    let agent = AgentProcess::start(dir.path(), "");
    let alarms = agent.wait_alarms(&format!("{ALARM} on {RESOURCE}"), 30, |a| {
        has(a, ALARM, RESOURCE)
    });
    let alarm = alarms
        .iter()
        .find(|a| a["alarm-type"] == ALARM && a["resource"] == RESOURCE)
        .unwrap();
    let problem = alarm["specific-problem"].as_str().unwrap();
    // 5 days less the seconds since the certificate was made, rounded down.
    assert!(
        problem.starts_with(&format!(
            "certificate of {url}/metrics expires in 4 days (notAfter "
        )) && problem.ends_with("), threshold 30 days"),
        "{problem}"
    );
    assert_eq!(alarm["perceived-severity"], "major", "{alarm}");
    assert_eq!(alarm["event-type"], "timeDomainViolation", "{alarm}");
    assert_eq!(alarm["probable-cause"], "keyExpired", "{alarm}");

    // The days left and the date over SNMP, with the MIB (the SNMP view
    // follows the snapshot the alarm came from within a moment).
    let port = snmp::snmp_port(&agent);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let walk = snmp::read_with_mib("snmpwalk", port, &["bcmPerfCertDaysLeft"]);
        if walk.contains("= INTEGER: 4") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{walk}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let walk = snmp::read_with_mib("snmpwalk", port, &["bcmPerfCertNotAfter"]);
    assert!(walk.contains("STRING:"), "{walk}");

    // The node's own threshold, with no clear band, clears it: 4 days
    // left is not under 3.
    let (ok, out) = agent.ctl(&["set", "/thresholds/cert-expiry-hysteresis-days", "0"]);
    assert!(ok, "{out}");
    let (ok, out) = agent.ctl(&[
        "set",
        "/chains/dev/nodes/r1/thresholds/cert-expiry-days",
        "3",
    ]);
    assert!(ok, "{out}");
    agent.wait_alarms(&format!("{ALARM} to clear"), 20, |a| {
        !has(a, ALARM, RESOURCE)
    });
}
