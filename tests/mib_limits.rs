//! A value NETCONF (or the file, or the control socket) would accept but
//! SNMP cannot carry is refused everywhere: a sysLocation longer than a
//! DisplayString stays out of the configuration, and SNMP keeps serving
//! the system group. The YANG types themselves are held to the MIB by
//! tests/yang_model_map.rs (yang_types_carry_the_mib_limits).

mod common;

use common::netconf::script;
use common::snmp::{base, text, tool};
use common::{AgentProcess, check_config};
use serde_json::json;

const SNMP: &str = "[snmp]\nlisten = [\"127.0.0.1:0\"]\n\n\
[snmp.communities.public]\naccess = \"read-only\"\n\n\
[snmp.communities.private]\naccess = \"read-write\"\nsources = [\"127.0.0.0/8\"]\n\n\
[system]\nlocation = \"rack 9\"\n";

fn get_location(port: u16) -> String {
    let o = tool(
        "snmpget",
        &[
            base("2c", &["-c", "public", "-Ov", &format!("127.0.0.1:{port}")]).as_slice(),
            &[".1.3.6.1.2.1.1.6.0"],
        ]
        .concat(),
    );
    assert!(o.status.success(), "snmpget sysLocation.0: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn a_location_snmp_cannot_carry_is_refused_by_every_interface() {
    let dir = tempfile::tempdir().unwrap();
    let agent = AgentProcess::start(dir.path(), SNMP);
    let port = common::snmp::snmp_port(&agent);
    assert_eq!(get_location(port), "STRING: \"rack 9\"");

    // NETCONF: 300 characters break the YANG length; 200 two-octet
    // characters pass it (YANG counts characters) but not the agent's
    // check of octets. Both name the leaf.
    script(
        &agent,
        "admin",
        r#"
def loc(v):
    return f'<config><system xmlns="{SYS}"><location>{v}</location></system></config>'
with connect() as m:
    expect_error(lambda: m.edit_config(target="running", config=loc("x" * 300)), "invalid-value", "location")
    expect_error(lambda: m.edit_config(target="running", config=loc("\u00e9" * 200)), "invalid-value", "location")
    m.edit_config(target="running", config=loc("y" * 255))
"#,
    );
    // SNMP still serves the system group, with the longest value it can.
    assert_eq!(
        get_location(port),
        format!("STRING: \"{}\"", "y".repeat(255))
    );
    let o = tool(
        "snmpwalk",
        &[
            base("2c", &["-c", "public", &format!("127.0.0.1:{port}")]).as_slice(),
            &[".1.3.6.1.2.1.1"],
        ]
        .concat(),
    );
    assert!(
        o.status.success() && !text(&o).contains("tooBig"),
        "{}",
        text(&o)
    );

    // SNMP SET: wrongLength for 256 octets.
    let o = tool(
        "snmpset",
        &[
            base("2c", &["-c", "private", &format!("127.0.0.1:{port}")]).as_slice(),
            &[".1.3.6.1.2.1.1.6.0", "s", &"z".repeat(256)],
        ]
        .concat(),
    );
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("wrongLength"), "{}", text(&o));

    // The control socket runs the same checks.
    let err = agent
        .call(json!({"op": "edit", "edits": [
            {"op": "set", "path": "/system/location", "value": "x".repeat(256)}]}))
        .unwrap_err();
    assert!(err.contains("system.location: at most 255 octets"), "{err}");
    assert_eq!(
        get_location(port),
        format!("STRING: \"{}\"", "y".repeat(255))
    );
}

#[test]
fn check_config_refuses_texts_and_numbers_snmp_cannot_carry() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("long.toml");
    std::fs::write(
        &cfg,
        format!(
            "[system]\nlocation = \"{}\"\ncontact = \"{}\"\n\n\
             [chains.sim]\nplatform = \"simulated\"\nname = \"{}\"\n\n\
             [chains.sim.channels.c1]\nremote-chain = \"other\"\ntimeout-ms = 1000\ncapacity = 4\nfee = 4294967296\n",
            "x".repeat(256),
            "\u{e9}".repeat(128),
            "n".repeat(300)
        ),
    )
    .unwrap();
    let (ok, err) = check_config(&cfg);
    assert!(!ok, "{err}");
    for key in [
        "system.location: at most 255 octets",
        "system.contact: at most 255 octets",
        "chains.sim.name: at most 255 octets",
        "chains.sim.channels.c1.fee: must be between 0 and 4294967295",
    ] {
        assert!(err.contains(key), "{key} not in:\n{err}");
    }
}
