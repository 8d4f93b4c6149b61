//! libsmi's view of a MIB module: smidump -f xml, parsed into typedefs
//! and definitions, shared by the tests that hold the agent and its YANG
//! modules to the MIB. The tools come from `bash tools/setup` (smitools)
//! and SMIPATH from `.deps/env.sh`; without them these tests fail.

#![allow(dead_code)]

use chain_agent::snmp::mib::Syntax;
use std::collections::HashMap;
use std::process::{Command, Output};

pub const SETUP: &str = "run `bash tools/setup`, then `source .deps/env.sh` (tools/test does both)";

/// SMIPATH as tools/setup writes it: the base MIB directories, with a
/// trailing ':' that appends libsmi's default path.
pub fn smipath() -> String {
    match std::env::var("SMIPATH") {
        Ok(p) if !p.trim_matches(':').is_empty() => p,
        _ => panic!(
            "SMIPATH is not set, so the base MIBs (SNMPv2-SMI, -TC, -CONF) cannot be found: {SETUP}"
        ),
    }
}

pub fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .env("SMIPATH", smipath())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}): {SETUP}"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn oid(dotted: &str) -> Vec<u32> {
    dotted
        .trim()
        .trim_start_matches('.')
        .split('.')
        .map(|a| a.parse().unwrap_or_else(|_| panic!("bad OID {dotted}")))
        .collect()
}

/// One definition of smidump's XML output.
#[derive(Debug, Default, Clone)]
pub struct Node {
    pub kind: String,
    pub name: String,
    pub oid: Vec<u32>,
    pub syntax: Option<TypeRef>,
    pub access: Option<String>,
    /// The UNITS clause.
    pub units: Option<String>,
    pub indexes: Vec<String>,
    pub objects: Vec<String>,
    /// The DESCRIPTION text, lines joined by single spaces.
    pub description: String,
}

#[derive(Debug, Clone)]
pub enum TypeRef {
    Named(String),
    Inline(Typedef),
}

#[derive(Debug, Clone, Default)]
pub struct Typedef {
    pub basetype: String,
    pub parent: Option<String>,
    pub ranges: Vec<(i64, i64)>,
    /// DISPLAY-HINT, such as `d-2` or `255t`.
    pub format: Option<String>,
    /// The DESCRIPTION text, lines joined by single spaces.
    pub description: String,
}

pub fn attr<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {key}=\""))? + key.len() + 3;
    let len = line[start..].find('"')?;
    Some(&line[start..start + len])
}

/// Parse smidump -f xml: typedefs by name, and definitions in file order.
/// The output has one element per line, which is all this relies on.
pub fn parse_smidump(xml: &str) -> (HashMap<String, Typedef>, Vec<Node>) {
    let mut typedefs = HashMap::new();
    let mut nodes: Vec<Node> = Vec::new();
    let mut named: Option<(String, Typedef)> = None;
    let mut inline: Option<Typedef> = None;
    let mut in_description = false;
    for line in xml.lines().map(str::trim) {
        if in_description {
            let text = match named.as_mut() {
                Some((_, t)) => Some(&mut t.description),
                None => nodes.last_mut().map(|n| &mut n.description),
            };
            let part = line.trim_end_matches("</description>");
            if let Some(text) = text
                && !part.is_empty()
            {
                text.push(' ');
                text.push_str(part);
            }
            in_description = !line.ends_with("</description>");
            continue;
        }
        let tag = line.split([' ', '>']).next().unwrap_or("");
        let tag = tag.trim_end_matches('/');
        match tag {
            "<typedef" => {
                let t = Typedef {
                    basetype: attr(line, "basetype").unwrap_or("").to_string(),
                    ..Typedef::default()
                };
                match attr(line, "name") {
                    Some(n) => named = Some((n.to_string(), t)),
                    None => inline = Some(t),
                }
            }
            "<format" => {
                if let Some((_, t)) = named.as_mut() {
                    let v = line.trim_start_matches("<format>");
                    t.format = Some(v.trim_end_matches("</format>").to_string());
                }
            }
            "<description" if inline.is_none() => {
                let text = match named.as_mut() {
                    Some((_, t)) => Some(&mut t.description),
                    None => nodes.last_mut().map(|n| &mut n.description),
                };
                if let Some(text) = text {
                    let v = line.trim_start_matches("<description>");
                    *text = v.trim_end_matches("</description>").to_string();
                    in_description = !line.ends_with("</description>");
                }
            }
            "<parent" | "<range" => {
                let t = match (inline.as_mut(), named.as_mut()) {
                    (Some(t), _) => t,
                    (None, Some((_, t))) => t,
                    (None, None) => continue,
                };
                if tag == "<parent" {
                    t.parent = attr(line, "name").map(str::to_string);
                } else {
                    let bound = |k| attr(line, k).and_then(|v| v.parse().ok()).unwrap_or(0);
                    t.ranges.push((bound("min"), bound("max")));
                }
            }
            "</typedef" => {
                if let Some(t) = inline.take() {
                    if let Some(n) = nodes.last_mut() {
                        n.syntax = Some(TypeRef::Inline(t));
                    }
                } else if let Some((name, t)) = named.take() {
                    typedefs.insert(name, t);
                }
            }
            "<node" | "<scalar" | "<table" | "<row" | "<column" | "<notification" | "<group"
            | "<compliance" => nodes.push(Node {
                kind: tag[1..].to_string(),
                name: attr(line, "name").unwrap_or("").to_string(),
                oid: attr(line, "oid").map(oid).unwrap_or_default(),
                ..Node::default()
            }),
            "<type" => {
                if let (Some(n), Some(name)) = (nodes.last_mut(), attr(line, "name")) {
                    n.syntax = Some(TypeRef::Named(name.to_string()));
                }
            }
            "<access" => {
                if let Some(n) = nodes.last_mut() {
                    let v = line.trim_start_matches("<access>");
                    n.access = Some(v.trim_end_matches("</access>").to_string());
                }
            }
            "<units" => {
                if let Some(n) = nodes.last_mut() {
                    let v = line.trim_start_matches("<units>");
                    n.units = Some(v.trim_end_matches("</units>").to_string());
                }
            }
            "<index" | "<object" => {
                if let (Some(n), Some(name)) = (nodes.last_mut(), attr(line, "name")) {
                    let list = if tag == "<index" {
                        &mut n.indexes
                    } else {
                        &mut n.objects
                    };
                    list.push(name.to_string());
                }
            }
            _ => {}
        }
    }
    (typedefs, nodes)
}

pub fn smidump(module: &str) -> (HashMap<String, Typedef>, Vec<Node>) {
    // -k: the base modules from npm carry a harmless import error that
    // would otherwise stop smidump; our module itself is checked by smilint.
    let out = run("smidump", &["-k", "-f", "xml", module]);
    assert!(
        !out.stdout.is_empty(),
        "smidump {module}: {}",
        text(&out.stderr)
    );
    parse_smidump(&text(&out.stdout))
}

/// The base syntax the agent's `Syntax` distinguishes, and the size or
/// value ranges, of a type as libsmi resolves it. Gauge32 and TimeTicks
/// are told apart from Unsigned32 by name, as libsmi gives them all the
/// basetype Unsigned32.
pub fn resolve(t: &TypeRef, defs: &HashMap<String, Typedef>) -> (Syntax, Vec<(i64, i64)>) {
    let by_name = |name: &str| -> Option<Syntax> {
        Some(match name {
            "Integer32" | "INTEGER" => Syntax::Integer32,
            "Unsigned32" => Syntax::Unsigned32,
            "Gauge32" => Syntax::Gauge32,
            "Counter32" => Syntax::Counter32,
            "Counter64" => Syntax::Counter64,
            "TimeTicks" => Syntax::TimeTicks,
            "IpAddress" => Syntax::IpAddress,
            "OctetString" | "OCTET STRING" => Syntax::OctetString,
            "ObjectIdentifier" | "OBJECT IDENTIFIER" => Syntax::ObjectId,
            "RowStatus" => Syntax::RowStatus,
            _ => return None,
        })
    };
    let from_typedef = |t: &Typedef| -> (Syntax, Vec<(i64, i64)>) {
        if let Some(parent) = &t.parent {
            let (s, ranges) = resolve(&TypeRef::Named(parent.clone()), defs);
            return (
                s,
                if t.ranges.is_empty() {
                    ranges
                } else {
                    t.ranges.clone()
                },
            );
        }
        let s = match t.basetype.as_str() {
            "Enumeration" => Syntax::Integer32,
            "Unsigned64" => Syntax::Counter64,
            b => by_name(b).unwrap_or_else(|| panic!("unknown basetype {b}")),
        };
        (s, t.ranges.clone())
    };
    match t {
        TypeRef::Named(name) => match by_name(name) {
            Some(s) => (s, Vec::new()),
            None => from_typedef(
                defs.get(name)
                    .unwrap_or_else(|| panic!("type {name} is not resolved")),
            ),
        },
        TypeRef::Inline(t) => from_typedef(t),
    }
}
