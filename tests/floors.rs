//! The floors only point down: every `crate::X` and `super::` path in `src/`
//! may only reach a top-level module on the same floor or below, and no front
//! end reaches another. The floors, bottom up: `model` < `config` <
//! `collect` < `core` < front ends (`snmp`, `netconf`, `control`) < `main`.
//!
//! There is no exception list: a new top-level module must be given a floor
//! here, and a wrong import is fixed in the code, not excused in the test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The floor of a top-level module; front ends share one floor but may not
/// import each other. `None` for a module this test does not know.
fn floor(module: &str) -> Option<u8> {
    Some(match module {
        "model" => 0,
        "config" => 1,
        "collect" => 2,
        "core" => 3,
        "snmp" | "netconf" | "control" => 4,
        // The crate root (lib.rs only declares modules) and the binary.
        "lib" | "main" => 5,
        _ => return None,
    })
}

const FRONT_ENDS: [&str; 3] = ["snmp", "netconf", "control"];

/// Why importing `to` from `from` breaks the floors, if it does.
fn violation(from: &str, to: &str) -> Option<String> {
    if from == to {
        return None;
    }
    let (Some(f), Some(t)) = (floor(from), floor(to)) else {
        return Some(format!(
            "`{from}` or `{to}` is a top-level module without a floor in tests/floors.rs"
        ));
    };
    if t > f {
        return Some(format!(
            "`{from}` (floor {f}) imports `{to}` (floor {t}) above it"
        ));
    }
    if FRONT_ENDS.contains(&from) && FRONT_ENDS.contains(&to) {
        return Some(format!("front end `{from}` imports front end `{to}`"));
    }
    None
}

/// Source with comments, string and char literals blanked out (replaced by
/// spaces, newlines kept), so that only code is searched.
fn strip(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let blank = |out: &mut String, ch: char| out.push(if ch == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, c[i]);
                    i += 1;
                }
            }
        } else if c[i] == 'r'
            && matches!(next, Some('"') | Some('#'))
            && (i == 0 || !is_ident(c[i - 1]))
        {
            // Raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= c.len() {
                    break;
                }
                if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                blank(&mut out, c[j]);
                j += 1;
            }
            i = j;
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                if i < c.len() {
                    blank(&mut out, c[i]);
                }
                i += 1;
            }
            i += 1;
        } else if c[i] == '\'' {
            // A char literal ('x', '\n', '\u{..}'); otherwise a lifetime.
            if next == Some('\\') {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push(c[i]);
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn is_ident(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// The identifier starting at byte `at` (after whitespace), if any.
fn ident_at(code: &str, at: usize) -> Option<(&str, usize)> {
    let rest = &code[at..];
    let skip = rest.len() - rest.trim_start().len();
    let start = at + skip;
    let len = code[start..]
        .find(|ch: char| !is_ident(ch))
        .unwrap_or(code.len() - start);
    (len > 0).then(|| (&code[start..start + len], start + len))
}

/// The first identifiers of each item of the `{...}` group opening at `at`.
fn group_heads(code: &str, at: usize) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = at + 1;
    for (k, &b) in bytes.iter().enumerate().skip(at) {
        match b {
            b'{' => depth += 1,
            b'}' | b',' if depth == 1 => {
                if let Some((id, _)) = ident_at(code, item_start) {
                    heads.push(id.to_string());
                }
                item_start = k + 1;
                if b == b'}' {
                    break;
                }
            }
            b'}' => depth -= 1,
            _ => {}
        }
    }
    heads
}

/// Skips `::` (with whitespace) at `at`; the position after it.
fn after_colons(code: &str, at: usize) -> Option<usize> {
    let rest = &code[at..];
    let skip = rest.len() - rest.trim_start().len();
    code[at + skip..].starts_with("::").then_some(at + skip + 2)
}

/// The top-level modules that a path starting at `at` (just after
/// `crate::`, or after the `super::` chain that reached the root) names.
fn heads_at(code: &str, at: usize) -> Vec<String> {
    let rest = &code[at..];
    let start = at + (rest.len() - rest.trim_start().len());
    if code[start..].starts_with('{') {
        group_heads(code, start)
    } else {
        ident_at(code, start)
            .map(|(id, _)| vec![id.to_string()])
            .unwrap_or_default()
    }
}

/// Every top-level module that `code` (stripped) reaches through `crate::`
/// or through a `super::` chain that climbs to the crate root. `module` is
/// the file's module path below the crate root (`["snmp", "mib", "x"]`).
fn escapes(code: &str, module: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    // Inline modules (`mod tests { ... }`) deepen the path for `super::`.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let word_start = i == 0 || !is_ident(bytes[i - 1] as char);
        if b == b'{' {
            depth += 1;
        } else if b == b'}' {
            depth = depth.saturating_sub(1);
            if inline.last().is_some_and(|(_, d)| *d == depth) {
                inline.pop();
            }
        } else if word_start && code[i..].starts_with("mod") {
            if let Some((name, end)) = ident_at(code, i + 3).filter(|_| {
                bytes
                    .get(i + 3)
                    .is_some_and(|c| (*c as char).is_whitespace())
            }) {
                let after = code[end..].trim_start();
                if after.starts_with('{') {
                    inline.push((name.to_string(), depth));
                }
            }
        } else if word_start
            && code[i..].starts_with("crate")
            && (i == 0 || bytes[i - 1] != b'$')
            && let Some(at) = after_colons(code, i + 5)
        {
            found.extend(heads_at(code, at));
            i = at;
            continue;
        } else if word_start
            && code[i..].starts_with("super")
            && let Some(mut at) = after_colons(code, i + 5)
        {
            let mut path: Vec<String> = module.to_vec();
            path.extend(inline.iter().map(|(n, _)| n.clone()));
            path.pop();
            // Further `super::` steps.
            while let Some((id, end)) = ident_at(code, at) {
                if id != "super" {
                    break;
                }
                let Some(next) = after_colons(code, end) else {
                    break;
                };
                path.pop();
                at = next;
            }
            if path.is_empty() {
                found.extend(heads_at(code, at));
            } else {
                found.insert(path[0].clone());
            }
            i = at;
            continue;
        }
        i += 1;
    }
    found.remove("self");
    found.remove("super");
    found
}

/// The module path of a file under src/: src/snmp/mib/mod.rs → [snmp, mib].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs").to_string();
        if stem != "mod" {
            parts.push(stem);
        }
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn imports_point_only_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let module = module_path(rel);
        let top = match module.first().map(String::as_str) {
            Some(m) => m.to_string(),
            None => continue,
        };
        // main.rs is its own crate: its `crate::` is not the library's.
        if top == "main" {
            continue;
        }
        let code = strip(&std::fs::read_to_string(file).expect("read source"));
        for to in escapes(&code, &module) {
            if let Some(why) = violation(&top, &to) {
                problems.push(format!("{}: {why}", rel.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "imports that point up or across:\n{}",
        problems.join("\n")
    );
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn finds_groups_inline_paths_and_super_chains() {
    let code = strip(
        "use crate::{model::x, core::{a, b}, self};\n\
         fn f() { crate :: snmp::oid::Oid::parse(\"1.3\"); }\n\
         use super::super::netconf::y;\n",
    );
    assert_eq!(
        escapes(&code, &names(&["config", "x"])),
        set(&["model", "core", "snmp", "netconf"])
    );
    // One `super::` from a nested file stays inside the same top module.
    assert_eq!(
        escapes("use super::sibling;", &names(&["snmp", "mib", "x"])),
        set(&["snmp"])
    );
    // From a top-level file, `super::` is the crate root.
    assert_eq!(
        escapes("use super::collect::X;", &names(&["config"])),
        set(&["collect"])
    );
}

#[test]
fn inline_modules_deepen_super() {
    let code = "mod tests { use super::super::model::Z; }";
    assert_eq!(escapes(code, &names(&["config", "x"])), set(&["config"]));
    assert_eq!(escapes(code, &names(&["config"])), set(&["model"]));
}

#[test]
fn comments_strings_and_macros_do_not_count() {
    let code = strip(
        "//! see crate::snmp::oid\n\
         /// and [`crate::netconf::x`]\n\
         /* crate::collect::y /* nested */ crate::core */\n\
         let s = \"crate::control::z\"; let r = r#\"crate::snmp\"#;\n\
         let c = '\"'; macro_rules! m { () => { $crate::snmp::q } }\n\
         fn g<'a>(x: &'a str) { crate::model::p(x) }\n",
    );
    assert_eq!(escapes(&code, &names(&["config"])), set(&["model"]));
}

#[test]
fn the_rules() {
    assert!(violation("config", "model").is_none());
    assert!(violation("snmp", "core").is_none());
    assert!(violation("config", "snmp").is_some());
    assert!(violation("core", "collect").is_none());
    assert!(violation("collect", "core").is_some());
    assert!(violation("snmp", "netconf").is_some());
    assert!(violation("control", "snmp").is_some());
    assert!(violation("model", "nowhere").is_some());
}
