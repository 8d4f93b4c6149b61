//! The configuration and state in their YANG form, checked by libyang:
//! the mapping round-trips, libyang accepts what it produces under strict
//! parsing (a field with no YANG node fails), the modules' defaults are
//! the configuration file's, and the with-defaults modes print what RFC
//! 6243 says.

mod yang_fixture;

use chain_agent::config::{Config, parse_text};
use chain_agent::netconf::yang::*;
use serde_json::{Value, json};
use yang_fixture::*;
use yang5::data::Data;

fn example_config() -> Config {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/example-config.toml");
    let text = std::fs::read_to_string(path).expect("example config");
    parse_text(&text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn round_trip(c: &Config) {
    let y = config_to_yang(c);
    assert_eq!(yang_to_config(&y).as_ref(), Ok(c), "JSON round trip");
    // And through libyang, as the server will store and print it.
    let tree = parse_json(schema(), &y, Content::Config).unwrap_or_else(|e| panic!("{e}"));
    for wd in [
        WithDefaults::Explicit,
        WithDefaults::Trim,
        WithDefaults::ReportAll,
    ] {
        let printed = print_json(&tree, wd).unwrap();
        assert_eq!(yang_to_config(&printed).as_ref(), Ok(c), "{wd:?}");
        let xml = print_xml(&tree, wd).unwrap();
        assert_eq!(
            config_from_xml(schema(), &xml).as_ref(),
            Ok(c),
            "{wd:?} XML"
        );
    }
}

#[test]
fn default_config_round_trips() {
    round_trip(&Config::default());
}

#[test]
fn example_config_round_trips() {
    round_trip(&example_config());
}

#[test]
fn full_config_round_trips() {
    round_trip(&full_config());
}

#[test]
fn an_empty_datastore_is_a_config_without_chains() {
    let c = config_from_xml(schema(), "").unwrap();
    assert!(c.chains.is_empty() && c.logs.is_empty());
    assert!(c.snmp.communities.is_empty() && c.netconf.users.is_empty());
    assert_eq!(c.agent, Config::default().agent);
}

/// A leaf left out must mean the same to libyang (its YANG default, or
/// nothing) and to the mapping (the configuration file's default, or
/// none). Each leaf of the full configuration is removed in turn; libyang
/// fills in the YANG default, the mapping its own; both must print alike.
#[test]
fn yang_defaults_are_the_configuration_defaults() {
    let full = config_to_yang(&full_config());
    let mut leaves = Vec::new();
    leaf_pointers(&full, "", &mut leaves);
    assert!(leaves.len() > 80, "{}", leaves.len());
    let mut disagree = Vec::new();
    for pointer in &leaves {
        let mut without = full.clone();
        remove(&mut without, pointer);
        let Ok(by_libyang) = parse_json(schema(), &without, Content::Config) else {
            // Mandatory or a list key: neither side has a default.
            assert!(
                yang_to_config(&without).is_err(),
                "{pointer}: libyang refuses it, the mapping takes it"
            );
            continue;
        };
        let mapped = match yang_to_config(&without) {
            Ok(c) => config_to_yang(&c),
            Err(e) => {
                disagree.push(format!(
                    "{pointer}: libyang accepts it, the mapping says {e}"
                ));
                continue;
            }
        };
        let by_mapping = parse_json(schema(), &mapped, Content::Config).unwrap();
        let a = print_json(&by_libyang, WithDefaults::ReportAll).unwrap();
        let b = print_json(&by_mapping, WithDefaults::ReportAll).unwrap();
        if a != b {
            disagree.push(format!(
                "{pointer}: libyang {} / mapping {}",
                at(&a, pointer),
                at(&b, pointer)
            ));
        }
    }
    assert!(disagree.is_empty(), "{disagree:#?}");
}

/// JSON pointers of every leaf and leaf-list (arrays of scalars).
fn leaf_pointers(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                leaf_pointers(item, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) if items.iter().all(Value::is_object) => {
            for (i, item) in items.iter().enumerate() {
                leaf_pointers(item, &format!("{path}/{i}"), out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, name) = pointer.rsplit_once('/').unwrap();
    if let Some(Value::Object(m)) = v.pointer_mut(parent) {
        m.remove(name);
    }
}

fn at(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .map(Value::to_string)
        .unwrap_or("absent".into())
}

#[test]
fn libyang_refuses_what_the_modules_forbid() {
    let mut y = config_to_yang(&full_config());
    y["chain-agent-system:snmp"]["users"]["user"][0]["group"] = json!("no-such-group");
    let err = parse_json(schema(), &y, Content::Config).unwrap_err();
    assert!(err.to_string().contains("group"), "{err}");

    let mut y = config_to_yang(&Config::default());
    y["chain-agent-nodes:thresholds"]["cpu-percent"] = json!("101");
    assert!(parse_json(schema(), &y, Content::Config).is_err());

    let mut y = config_to_yang(&Config::default());
    y["chain-agent-nodes:thresholds"]["bogus"] = json!("1");
    let err = parse_json(schema(), &y, Content::Config).unwrap_err();
    assert!(err.to_string().contains("bogus"), "{err}");

    let y = json!({"chain-agent-nodes:host": {"hostname": "h"}});
    assert!(
        parse_json(schema(), &y, Content::Config).is_err(),
        "state in config"
    );
    assert!(parse_json(schema(), &y, Content::State).is_ok());
    assert_eq!(
        parse_xml(schema(), "<a>\0</a>", Content::Config).unwrap_err(),
        TreeError::Nul
    );
}

#[test]
fn xml_from_clients_maps_to_config() {
    let xml = r#"
      <chains xmlns="urn:chain-agent:yang:chain-agent-nodes">
        <chain>
          <id>sim</id>
          <platform>simulated</platform>
          <nodes><node><id>node-2</id><admin-state>maintenance</admin-state></node></nodes>
          <consensus xmlns="urn:chain-agent:yang:chain-agent-consensus">
            <parameter><name>round-timeout-ms</name><value>2500</value></parameter>
          </consensus>
        </chain>
      </chains>
      <nacm xmlns="urn:ietf:params:xml:ns:yang:ietf-netconf-acm"><enable-nacm>true</enable-nacm></nacm>"#;
    let c = config_from_xml(schema(), xml).unwrap();
    let sim = &c.chains["sim"];
    assert_eq!(
        sim.nodes["node-2"].admin_state,
        chain_agent::model::node::AdminState::Maintenance
    );
    assert_eq!(sim.consensus["round-timeout-ms"], 2500);
    assert_eq!(
        sim.simulation, None,
        "a presence container absent is no simulation"
    );

    let unknown = r#"<chains xmlns="urn:chain-agent:yang:chain-agent-nodes"><colour/></chains>"#;
    assert!(matches!(
        config_from_xml(schema(), unknown),
        Err(DataError::Tree(TreeError::Invalid { .. }))
    ));
    let fragment = r#"<thresholds xmlns="urn:chain-agent:yang:chain-agent-nodes"><cpu-percent>70</cpu-percent></thresholds>"#;
    let tree = parse_xml(schema(), fragment, Content::ConfigFragment).unwrap();
    let xml = print_xml(&tree, WithDefaults::Explicit).unwrap();
    assert_eq!(
        xml,
        r#"<thresholds xmlns="urn:chain-agent:yang:chain-agent-nodes"><cpu-percent>70.0</cpu-percent></thresholds>"#
    );
}

#[test]
fn with_defaults_modes() {
    let mut c = Config::default();
    c.thresholds.cpu_percent = 75.0;
    let tree = parse_json(schema(), &config_to_yang(&c), Content::Config).unwrap();
    let thresholds = |wd| {
        let xml = print_xml(&tree, wd).unwrap();
        let start = xml.find("<thresholds").unwrap();
        let end = xml[start..].find("</thresholds>").unwrap() + start;
        xml[start..end].to_string()
    };
    let trim = thresholds(WithDefaults::Trim);
    assert!(trim.contains("<cpu-percent>75.0</cpu-percent>"), "{trim}");
    assert!(!trim.contains("memory-percent"), "{trim}");
    let all = thresholds(WithDefaults::ReportAll);
    assert!(
        all.contains("<memory-percent>90.0</memory-percent>"),
        "{all}"
    );
    let tagged = thresholds(WithDefaults::ReportAllTagged);
    assert!(
        tagged.contains(
            "<memory-percent xmlns:dflt=\"urn:ietf:params:xml:ns:netconf:default:1.0\" \
             dflt:default=\"true\">90.0</memory-percent>"
        ),
        "{tagged}"
    );
    assert!(
        tagged.contains("<cpu-percent>75.0</cpu-percent>"),
        "{tagged}"
    );
    // /nacm is configuration the agent holds: its embedded rules are
    // explicit data, shown in every mode.
    let explicit = print_xml(&tree, WithDefaults::Explicit).unwrap();
    assert!(
        explicit.contains("<rule-list><name>admin</name>"),
        "{explicit}"
    );
    assert!(
        print_xml(&tree, WithDefaults::ReportAll)
            .unwrap()
            .contains("<enable-nacm>true</enable-nacm>")
    );
}

#[test]
fn state_of_a_real_snapshot_parses_strictly() {
    let config = example_config();
    let snapshot = snapshot_of(&config);
    assert!(!snapshot.nodes.nodes.is_empty());
    let state = state_to_yang(&snapshot, &config);
    let tree = parse_json(schema(), &state, Content::State).unwrap_or_else(|e| panic!("{e}"));
    // What libyang read back is what was written: nothing dropped.
    let printed = print_json(&tree, WithDefaults::Explicit).unwrap();
    assert_eq!(
        count_leaves(&printed),
        count_leaves(&state),
        "libyang kept every leaf"
    );
    let xml = print_xml(&tree, WithDefaults::ReportAllTagged).unwrap();
    assert!(xml.contains("<alarm-inventory>"), "alarms are served");
    let nodes = tree
        .find_xpath("/chain-agent-nodes:chains/chain[id='sim']/nodes/node")
        .unwrap()
        .count();
    assert_eq!(
        nodes,
        snapshot
            .nodes
            .nodes
            .iter()
            .filter(|n| n.chain == "sim")
            .count()
    );
}

#[test]
fn full_state_parses_strictly() {
    let (config, snapshot) = full_snapshot();
    let state = state_to_yang(&snapshot, &config);
    let tree = parse_json(schema(), &state, Content::State).unwrap_or_else(|e| panic!("{e}"));
    let printed = print_json(&tree, WithDefaults::Explicit).unwrap();
    assert_eq!(count_leaves(&printed), count_leaves(&state));
}

fn count_leaves(v: &Value) -> usize {
    match v {
        Value::Object(m) => m.values().map(count_leaves).sum(),
        Value::Array(a) => a.iter().map(count_leaves).sum(),
        _ => 1,
    }
}

/// get-config and edit-config print the configuration in the trim and
/// explicit modes from a tree parsed without validation (the quick way);
/// it must print exactly what the validated tree prints, for the
/// defaults, the example and a configuration with every field set.
#[test]
fn unvalidated_configuration_prints_like_validated() {
    use chain_agent::netconf::datastore::data::{config_tree, config_tree_for, print};
    for config in [Config::default(), example_config(), full_config()] {
        let full = config_tree(schema(), &config).unwrap();
        for wd in [WithDefaults::Trim, WithDefaults::Explicit] {
            let quick = config_tree_for(schema(), &config, wd).unwrap();
            let (a, b) = (print(&quick, wd).unwrap(), print(&full, wd).unwrap());
            assert!(!a.is_empty());
            assert_eq!(a, b, "{wd:?}");
        }
    }
}

/// edit-config sends only the top-level nodes an edit names through
/// libyang and puts their sections back into the configuration: the
/// scope's members must be exactly the mapping's top-level nodes, and
/// each must carry its own section and nothing else.
#[test]
fn edit_scopes_cover_each_top_level_node_and_only_it() {
    use chain_agent::netconf::datastore::edit_scope::{Scope, section_members};
    let full = full_config();
    let full_json = config_to_yang(&full);
    let mut written: Vec<String> = full_json.as_object().unwrap().keys().cloned().collect();
    let mut known = section_members();
    written.sort();
    known.sort();
    assert_eq!(written, known, "config_map and edit_scope disagree");
    let default = Config::default();
    let default_json = config_to_yang(&default);
    for member in &known {
        let scope = Scope::of_members([member.clone()]).unwrap();
        let part = yang_to_config(&scope.json(&full)).unwrap();
        let merged = config_to_yang(&scope.merge(&default, part));
        for m in &known {
            let chains_too = member.starts_with("chain-agent-nodes:");
            let from = if m == member || (chains_too && m == "chain-agent-nodes:chains") {
                &full_json
            } else {
                &default_json
            };
            assert_eq!(merged.get(m), from.get(m), "{m} after an edit of {member}");
        }
    }
    assert!(Scope::of_members(["chain-agent-system:nope".to_string()]).is_none());
}

/// libyang prints nothing (a NULL string) for a tree whose every node is
/// a default in trim mode; yang5 0.4 crashed the agent on it (an edit of
/// /system on the defaults did). It must print as empty.
#[test]
fn printing_only_defaults_in_trim_mode_is_empty() {
    use chain_agent::netconf::datastore::data::scoped_elements;
    use chain_agent::netconf::datastore::edit_scope::Scope;
    let scope = Scope::of_members(["chain-agent-system:system".to_string()]).unwrap();
    let json = scope.json(&Config::default());
    assert!(json.get("chain-agent-system:system").is_some(), "{json}");
    let tree = parse_json(schema(), &json, Content::ConfigFragment).unwrap();
    assert_eq!(print_xml(&tree, WithDefaults::Trim).unwrap(), "");
    assert!(
        print_xml(&tree, WithDefaults::ReportAll)
            .unwrap()
            .contains("<system")
    );
    assert!(
        scoped_elements(schema(), &scope, &Config::default())
            .unwrap()
            .is_empty()
    );
}
