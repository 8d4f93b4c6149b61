//! mibs/BLOCKCHAIN-MGMT-MIB against two independent MIB parsers and
//! against the agent's definitions: libsmi's smilint must find nothing to
//! say at its most pedantic level; net-snmp must resolve every name the
//! agent serves to the OID the agent serves it at; libsmi's smidump must
//! agree with the agent on every object's syntax, access and index, and
//! on every notification's OBJECTS. The tools come from `bash tools/setup`
//! (smitools, snmp) and SMIPATH from `.deps/env.sh`; without them these
//! tests fail, because a MIB nobody checked is not known to load.

use chain_agent::snmp::mib::blockchain::index::IndexSyntax;
use chain_agent::snmp::mib::blockchain::{self, notifications};
use chain_agent::snmp::mib::{Access, ROOT, Syntax};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

mod smi;
use smi::*;

const MODULE: &str = "BLOCKCHAIN-MGMT-MIB";

fn mib_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("mibs")
}

fn mib_file() -> PathBuf {
    mib_dir().join(MODULE)
}

#[test]
fn smilint_at_level_6_prints_nothing() {
    let file = mib_file();
    let out = run("smilint", &["-l", "6", "-s", file.to_str().unwrap()]);
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "smilint failed: {said}");
    assert!(said.is_empty(), "smilint -l 6 -s reports:\n{said}");
}

#[test]
fn the_enterprise_number_appears_once() {
    let source = std::fs::read_to_string(mib_file()).unwrap();
    let code: Vec<&str> = source
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .filter(|l| l.contains("32473"))
        .collect();
    assert_eq!(code, vec!["    ::= { enterprises 32473 }"]);
    assert_eq!(ROOT, &[1, 3, 6, 1, 4, 1, 32473]);
}

/// Every descriptor of the module and its OID, as net-snmp parses it.
fn net_snmp_names() -> BTreeMap<String, Vec<u32>> {
    let mut dirs = vec![mib_dir().to_string_lossy().into_owned()];
    dirs.extend(
        smipath()
            .split(':')
            .filter(|d| !d.is_empty())
            .map(str::to_string),
    );
    let path = format!("+{}", dirs.join(":"));
    let out = run("snmptranslate", &["-M", &path, "-m", MODULE, "-Tz"]);
    assert!(
        out.status.success(),
        "snmptranslate failed: {}",
        text(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "net-snmp warns while parsing the MIB:\n{}",
        text(&out.stderr)
    );
    let mut names = BTreeMap::new();
    for line in text(&out.stdout).lines() {
        let fields: Vec<&str> = line.split('"').collect();
        if let [_, name, _, dotted, ..] = fields[..] {
            let o = oid(dotted);
            if o.starts_with(ROOT) {
                names.insert(name.to_string(), o);
            }
        }
    }
    assert!(names.len() > 200, "net-snmp listed only {names:?}");
    names
}

/// (descriptor, OID) of everything the agent defines.
fn agent_names() -> Vec<(String, Vec<u32>)> {
    let mut out = Vec::new();
    for t in blockchain::tables() {
        out.push((t.name.to_string(), t.entry.to_vec()));
        let table_name = t.name.strip_suffix("Entry").unwrap().to_string() + "Table";
        out.push((table_name, t.entry[..t.entry.len() - 1].to_vec()));
        for c in t.columns {
            out.push((c.name.to_string(), [t.entry, &[c.id]].concat()));
        }
        for part in blockchain::index_of(t).unwrap() {
            out.push((part.name.to_string(), part.oid.to_vec()));
        }
    }
    for s in blockchain::scalars() {
        out.push((s.name.to_string(), s.oid.to_vec()));
    }
    for n in notifications() {
        out.push((n.name.to_string(), n.oid.to_vec()));
    }
    out.push(("blockchainMgmtMIB".into(), ROOT.to_vec()));
    out
}

#[test]
fn net_snmp_resolves_every_agent_name_to_the_agent_oid() {
    let mib = net_snmp_names();
    for (name, agent_oid) in agent_names() {
        match mib.get(&name) {
            Some(o) => assert_eq!(o, &agent_oid, "{name}"),
            None => panic!("{name} is not defined in {MODULE}"),
        }
    }
}

fn access_of(n: &Node) -> Option<Access> {
    match n.access.as_deref() {
        Some("readonly") => Some(Access::ReadOnly),
        Some("readwrite") => Some(Access::ReadWrite),
        Some("noaccess") => None,
        other => panic!("{}: unexpected access {other:?}", n.name),
    }
}

fn libsmi_view() -> (HashMap<String, Typedef>, Vec<Node>) {
    let (mut defs, nodes) = smidump(mib_file().to_str().unwrap());
    let (tc, _) = smidump("SNMPv2-TC");
    for name in ["DateAndTime", "TruthValue", "PhysAddress"] {
        let t = tc
            .get(name)
            .unwrap_or_else(|| panic!("SNMPv2-TC has no {name}"));
        defs.insert(name.to_string(), t.clone());
    }
    (defs, nodes)
}

#[test]
fn libsmi_agrees_on_every_object_syntax_access_and_index() {
    let (defs, nodes) = libsmi_view();
    let by_name: HashMap<&str, &Node> = nodes.iter().map(|n| (n.name.as_str(), n)).collect();

    // What the agent serves, by descriptor: (OID, syntax, access).
    let mut served: BTreeMap<String, (Vec<u32>, Syntax, Access)> = BTreeMap::new();
    for t in blockchain::tables() {
        for c in t.columns {
            let o = [t.entry, &[c.id]].concat();
            served.insert(c.name.to_string(), (o, c.syntax, c.access));
        }
    }
    for s in blockchain::scalars() {
        served.insert(s.name.to_string(), (s.oid.to_vec(), s.syntax, s.access));
    }
    let mut index_objects: BTreeMap<String, (Vec<u32>, IndexSyntax)> = BTreeMap::new();
    for t in blockchain::tables() {
        for p in blockchain::index_of(t).unwrap() {
            index_objects.insert(p.name.to_string(), (p.oid.to_vec(), p.syntax));
        }
    }

    let mut seen = BTreeSet::new();
    for n in nodes
        .iter()
        .filter(|n| n.kind == "scalar" || n.kind == "column")
    {
        assert!(n.oid.starts_with(ROOT), "{}", n.name);
        let (syntax, ranges) = resolve(n.syntax.as_ref().expect("a syntax"), &defs);
        match access_of(n) {
            Some(access) => {
                let (o, s, a) = served
                    .get(&n.name)
                    .unwrap_or_else(|| panic!("{} is in the MIB but not served", n.name));
                assert_eq!(o, &n.oid, "{} OID", n.name);
                assert_eq!(*s, syntax, "{} syntax", n.name);
                // libsmi reports read-create as readwrite (the row
                // carries the creation).
                let served_access = match *a {
                    Access::ReadCreate => Access::ReadWrite,
                    a => a,
                };
                assert_eq!(served_access, access, "{} access", n.name);
                assert_eq!(
                    n.kind == "scalar",
                    blockchain::scalars().iter().any(|s| s.name == n.name)
                );
            }
            None => {
                let (o, index_syntax) = index_objects
                    .get(&n.name)
                    .unwrap_or_else(|| panic!("{} is not-accessible but indexes no table", n.name));
                assert_eq!(o, &n.oid, "{} OID", n.name);
                match *index_syntax {
                    IndexSyntax::Octets { min, max } => {
                        assert_eq!(syntax, Syntax::OctetString, "{}", n.name);
                        assert_eq!(ranges, vec![(min as i64, max as i64)], "{} size", n.name);
                    }
                    IndexSyntax::Number { min } => {
                        assert!(
                            matches!(syntax, Syntax::Unsigned32 | Syntax::Integer32),
                            "{}",
                            n.name
                        );
                        if syntax == Syntax::Unsigned32 {
                            let low = ranges.first().map_or(0, |r| r.0);
                            assert_eq!(low, i64::from(min), "{} minimum", n.name);
                        }
                    }
                }
            }
        }
        seen.insert(n.name.clone());
    }
    for name in served.keys().chain(index_objects.keys()) {
        assert!(seen.contains(name), "{name} is served but not in the MIB");
    }

    for t in blockchain::tables() {
        let row = by_name
            .get(t.name)
            .unwrap_or_else(|| panic!("{} is not in the MIB", t.name));
        assert_eq!(row.kind, "row", "{}", t.name);
        assert_eq!(row.oid, t.entry, "{}", t.name);
        let agent: Vec<&str> = blockchain::index_of(t)
            .unwrap()
            .iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(row.indexes, agent, "INDEX of {}", t.name);
    }
    let rows = nodes.iter().filter(|n| n.kind == "row").count();
    assert_eq!(rows, blockchain::tables().len(), "tables in the MIB");
}

#[test]
fn libsmi_agrees_on_every_notification() {
    let (_, nodes) = libsmi_view();
    let mib: Vec<&Node> = nodes.iter().filter(|n| n.kind == "notification").collect();
    let agent = notifications();
    assert_eq!(mib.len(), agent.len());
    for (m, a) in mib.iter().zip(agent) {
        assert_eq!(m.name, a.name);
        assert_eq!(m.oid, a.oid, "{}", a.name);
        let objects: Vec<&str> = a
            .objects
            .iter()
            .map(|(table, col)| {
                table
                    .columns
                    .iter()
                    .find(|c| c.id == *col)
                    .map(|c| c.name)
                    .unwrap_or_else(|| panic!("{} object {col} is not a column", a.name))
            })
            .collect();
        assert_eq!(m.objects, objects, "OBJECTS of {}", a.name);
    }
}

#[test]
fn docs_describe_every_object_and_notification() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/mib.md"))
        .expect("docs/mib.md");
    let missing: Vec<String> = agent_names()
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name != "blockchainMgmtMIB" && !name.ends_with("Entry"))
        .filter(|name| {
            !doc.contains(&format!("`{name}`")) && !doc.contains(&format!("### {name} "))
        })
        .collect();
    assert_eq!(
        missing,
        Vec::<String>::new(),
        "not described in docs/mib.md"
    );
}
