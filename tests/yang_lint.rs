//! yang/*.yang against two independent YANG parsers: `pyang --lint`
//! (RFC 8407 rules) and libyang's `yanglint` must both have nothing to
//! say about any module, and docs/yang.md must carry each module's tree
//! exactly as pyang prints it, so the document cannot drift from the
//! modules. The tools come from `bash tools/setup` (pyang in .venv,
//! yanglint from libyang2-tools) and the standard modules' search path
//! from CHAIN_AGENT_YANG_PATH in `.deps/env.sh`; without them these tests
//! fail, because a module nobody checked is not known to load.

use std::path::PathBuf;
use std::process::{Command, Output};

const SETUP: &str = "run `bash tools/setup`, then `source .deps/env.sh` (tools/test does both)";

/// The modules the issue asks for: types, one per area, the alarm types,
/// and the agent's own configuration.
const MODULES: &[&str] = &[
    "chain-agent-alarms",
    "chain-agent-consensus",
    "chain-agent-contracts",
    "chain-agent-crosschain",
    "chain-agent-ledger",
    "chain-agent-logs",
    "chain-agent-nodes",
    "chain-agent-system",
    "chain-agent-types",
];

fn yang_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("yang")
}

/// Every yang/*.yang, sorted, as paths the tools accept.
fn module_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(yang_dir())
        .expect("yang/ exists")
        .map(|e| e.expect("readable yang/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yang"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// Where the standard modules (ietf-alarms, ietf-yang-types, ...) are.
fn standard_path() -> String {
    match std::env::var("CHAIN_AGENT_YANG_PATH") {
        Ok(p) if !p.is_empty() => p,
        _ => panic!(
            "CHAIN_AGENT_YANG_PATH is not set, so ietf-alarms and ietf-yang-types cannot be found: {SETUP}"
        ),
    }
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}): {SETUP}"))
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The module a file defines, by RFC 7950's file naming: its stem.
fn module_name(file: &str) -> String {
    PathBuf::from(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn pyang_search_path() -> String {
    format!("{}:{}", standard_path(), yang_dir().display())
}

#[test]
fn yang_holds_exactly_the_expected_modules() {
    let names: Vec<String> = module_files().iter().map(|f| module_name(f)).collect();
    assert_eq!(names, MODULES);
}

#[test]
fn every_module_uses_the_project_namespace_and_revision() {
    for file in module_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = module_name(&file);
        assert!(
            text.starts_with(&format!("module {name} {{")),
            "{file}: the module is not named after its file"
        );
        let namespace = format!("namespace \"urn:chain-agent:yang:{name}\";");
        assert!(text.contains(&namespace), "{file}: expected {namespace}");
        assert!(
            text.contains("revision 2026-11-21 {"),
            "{file}: no revision 2026-11-21"
        );
    }
}

#[test]
fn pyang_lint_reports_nothing() {
    let path = pyang_search_path();
    let mut args = vec!["--lint", "-p", &path];
    let files = module_files();
    args.extend(files.iter().map(String::as_str));
    let out = run("pyang", &args);
    assert!(out.status.success(), "pyang --lint failed:\n{}", said(&out));
    assert!(
        said(&out).is_empty(),
        "pyang --lint reports:\n{}",
        said(&out)
    );
}

#[test]
fn yanglint_reports_nothing() {
    let standard = standard_path();
    let ours = yang_dir().to_string_lossy().into_owned();
    let mut args = vec!["-p", &standard, "-p", &ours];
    let files = module_files();
    args.extend(files.iter().map(String::as_str));
    let out = run("yanglint", &args);
    assert!(out.status.success(), "yanglint failed:\n{}", said(&out));
    assert!(said(&out).is_empty(), "yanglint reports:\n{}", said(&out));
}

#[test]
fn docs_carry_every_module_tree_verbatim() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/yang.md"))
        .expect("docs/yang.md");
    let path = pyang_search_path();
    for file in module_files() {
        let out = run("pyang", &["-f", "tree", "-p", &path, &file]);
        assert!(
            out.status.success(),
            "pyang -f tree {file}:\n{}",
            said(&out)
        );
        let tree = String::from_utf8_lossy(&out.stdout);
        let name = module_name(&file);
        // Modules of types or identities only have no tree; the doc says so.
        let empty = format!("`pyang -f tree` prints nothing for {name}");
        if tree.trim().is_empty() {
            assert!(doc.contains(&empty), "docs/yang.md should say: {empty}");
            continue;
        }
        assert!(
            !doc.contains(&empty),
            "docs/yang.md says {empty}, but it prints a tree"
        );
        let block = format!("```\n{}\n```", tree.trim_end());
        assert!(
            doc.contains(&block),
            "docs/yang.md does not carry the current tree of {file}; it is:\n{block}"
        );
    }
}
