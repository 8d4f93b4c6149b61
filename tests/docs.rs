//! docs/ must keep saying what the code does: every attribute the agent
//! publishes is described in docs/information-model.md, and every
//! configuration key in docs/configuration.md.

mod common;

use chain_agent::config::{Config, FaultConfig, FaultKind, NodeConfig};
use serde_json::Value;
use std::collections::BTreeSet;

/// Object keys of a JSON document; children of `maps` are names chosen by
/// the operator, so only their values are walked.
fn keys(v: &Value, maps: &[&str], out: &mut BTreeSet<String>) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                out.insert(k.clone());
                if maps.contains(&k.as_str()) {
                    if let Value::Object(m) = child {
                        m.values().for_each(|c| keys(c, maps, out));
                    }
                } else {
                    keys(child, maps, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|c| keys(c, maps, out)),
        _ => {}
    }
}

fn missing(doc: &str, keys: &BTreeSet<String>) -> Vec<String> {
    keys.iter()
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .cloned()
        .collect()
}

#[test]
fn information_model_documents_every_published_attribute() {
    let dir = tempfile::tempdir().unwrap();
    let snap = common::snapshot_json(dir.path(), &[]);
    let mut found = BTreeSet::new();
    keys(&snap, &[], &mut found);
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/information-model.md"
    ))
    .unwrap();
    assert!(doc.contains("```mermaid"), "the class diagram is missing");
    assert_eq!(
        missing(&doc, &found),
        Vec::<String>::new(),
        "attributes missing from docs/information-model.md"
    );
}

#[test]
fn configuration_reference_documents_every_key() {
    let mut c = Config::default();
    chain_agent::config::normalise(&mut c);
    let sim = c.chains.get_mut("sim").unwrap();
    let mut node = NodeConfig {
        endpoint: Some("x".into()),
        role: Some(chain_agent::model::node::NodeRole::Peer),
        ..Default::default()
    };
    node.thresholds.cpu_percent = Some(1.0);
    node.thresholds.memory_percent = Some(1.0);
    node.thresholds.sync_lag_blocks = Some(1);
    node.auth = Some(chain_agent::config::AuthConfig {
        username: Some("u".into()),
        password: Some("p".into()),
        cookie_file: Some("c".into()),
        bearer_token: Some("t".into()),
    });
    node.tls = Some(chain_agent::config::TlsConfig {
        ca_file: Some("a".into()),
        cert_file: Some("c".into()),
        key_file: Some("k".into()),
    });
    node.log_spec = Some("info".into());
    node.pid_file = Some("/run/node.pid".into());
    node.data_dir = Some("/var/lib/node".into());
    let metrics = chain_agent::config::MetricsSourceConfig {
        url: "http://h:9100/metrics".into(),
        auth: node.auth.clone(),
        tls: node.tls.clone(),
    };
    node.metrics_endpoint = Some(metrics.clone());
    node.host_exporter = Some(metrics);
    sim.nodes.insert("node-1".into(), node);
    sim.contracts.insert(
        "0x1".into(),
        chain_agent::config::ContractConfig {
            name: "n".into(),
            signatories: vec!["0x2".into()],
            owners_from_contract: true,
        },
    );
    sim.validator_votes.insert("0x3".into(), true);
    sim.relayer = Some(chain_agent::config::RelayerConfig {
        telemetry: "t".into(),
        config_file: Some("f".into()),
        chain_id: "c".into(),
    });
    let fault = FaultConfig {
        kind: FaultKind::SlowLink,
        node: Some("a".into()),
        peer: Some("b".into()),
        channel: Some("c".into()),
        value: Some(1.0),
    };
    sim.simulation
        .as_mut()
        .unwrap()
        .faults
        .insert("f".into(), fault);
    c.logs.insert("system".into(), Default::default());
    let user = c.netconf.users.get_mut("demo").unwrap();
    user.password_hash = Some("h".into());
    user.authorized_keys = vec!["k".into()];
    user.groups = vec!["g".into()];
    c.nacm = toml::from_str(
        r#"
        [groups.g]
        user-name = ["demo"]
        [[rule-list]]
        name = "l"
        [[rule-list.rule]]
        name = "n"
        notification-name = "*"
        action = "deny"
        [[rule-list.rule]]
        name = "p"
        path = "/chain-agent-nodes:thresholds"
        action = "deny"
        "#,
    )
    .unwrap();
    c.netconf.host_key = Some("k".into());
    c.alarms = toml::from_str(
        r#"
        [[control.alarm-shelving.shelf]]
        name = "s"
        resource = ["/host"]
        description = "d"
        [[control.alarm-shelving.shelf.alarm-type]]
        alarm-type-id = "chain-agent-alarms:cpu-high"
        alarm-type-qualifier-match = ""
        "#,
    )
    .unwrap();
    let snmp: chain_agent::config::SnmpConfig = toml::from_str(
        r#"
        engine-id = "80007ed905aabbccddeeff0011"
        [communities.c]
        access = "read-only"
        view = "v"
        [users.u]
        group = "g"
        auth = "sha-256"
        auth-password = "p"
        auth-key = "00"
        priv = "aes"
        priv-password = "p"
        priv-key = "00"
        [views]
        v = [{ subtree = "1", mask = "ff", type = "included" }]
        [groups.g]
        security-model = "usm"
        security-level = "auth-priv"
        read-view = "v"
        write-view = "v"
        notify-view = "v"
        [targets.t]
        address = "127.0.0.1:162"
        kind = "inform"
        version = "v3"
        community = "c"
        user = "u"
        security-level = "auth-priv"
        timeout-ms = 1000
        retries = 2
        "#,
    )
    .unwrap();
    c.snmp = snmp;
    let mut found = BTreeSet::new();
    let maps = [
        "chains",
        "communities",
        "views",
        "groups",
        "targets",
        "users",
        "logs",
        "nodes",
        "consensus",
        "channels",
        "faults",
        "contracts",
        "validator-votes",
    ];
    keys(&serde_json::to_value(&c).unwrap(), &maps, &mut found);
    for (name, _) in chain_agent::config::Config::default().chains["sim"]
        .consensus
        .iter()
    {
        found.insert(name.clone());
    }
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/configuration.md"
    ))
    .unwrap();
    assert_eq!(
        missing(&doc, &found),
        Vec::<String>::new(),
        "keys missing from docs/configuration.md"
    );
}

#[test]
fn example_configuration_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/example-config.toml");
    let (ok, out) = common::check_config(std::path::Path::new(path));
    assert!(ok, "{out}");
}

/// The configuration snippets the README and docs/platforms.md show are
/// checked by the real `check-config`, so that a reader can copy them.
#[test]
fn toml_snippets_in_the_readme_and_platforms_doc_are_valid() {
    let mut checked = 0;
    for doc in ["README.md", "docs/platforms.md"] {
        let text = std::fs::read_to_string(format!("{}/{doc}", env!("CARGO_MANIFEST_DIR")))
            .expect("read doc");
        for (i, block) in text.split("```toml\n").skip(1).enumerate() {
            let snippet = block.split("```").next().unwrap_or_default();
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join(format!("snippet-{i}.toml"));
            std::fs::write(&path, snippet).expect("write snippet");
            let (ok, out) = common::check_config(&path);
            assert!(ok, "{doc}, TOML block {}: {out}\n{snippet}", i + 1);
            checked += 1;
        }
    }
    assert!(checked >= 2, "only {checked} TOML blocks found");
}
