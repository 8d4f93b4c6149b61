//! Every input the fuzzing campaign (fuzz/README.md) found a failure with,
//! kept in `tests/data/fuzz-crashes/TARGET/`, goes again through what its
//! target checks: none may panic, and the properties that failed hold now.
//! The minimal form of each fault also has a unit test beside its fix.

mod yang_fixture;

use chain_agent::collect::{fabric, hermes, transport::prometheus};
use chain_agent::netconf::datastore::data::full_tree;
use chain_agent::netconf::datastore::subtree;
use chain_agent::netconf::transport::envelope;
use chain_agent::netconf::transport::framing::{Decoder, Framing, encode};
use chain_agent::netconf::transport::xml::Element;
use chain_agent::netconf::xpath::{Budget, evaluate_bounded};
use std::path::PathBuf;

/// The saved inputs of one target (at least one, or the test is empty).
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fuzz-crashes"
    ))
    .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let p = e.expect("entry").path();
            let bytes = std::fs::read(&p).expect("input");
            (p, bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no saved input in {}", dir.display());
    out
}

#[test]
fn prometheus_text() {
    for (path, bytes) in inputs("prometheus_text") {
        let text = String::from_utf8_lossy(&bytes);
        let _ = prometheus::parse(&text);
        fabric::fuzzing::metrics(&text);
        hermes::fuzzing::telemetry_and_config(&text, "ibc-0");
        chain_agent::collect::metrics::fuzzing(&text);
        eprintln!("ok: {}", path.display());
    }
}

#[test]
fn netconf_framing() {
    const MAX: usize = 4096;
    for (path, bytes) in inputs("netconf_framing") {
        let Some((&control, rest)) = bytes.split_first() else {
            continue;
        };
        let mode = if control & 1 == 0 {
            Framing::EndOfMessage
        } else {
            Framing::Chunked
        };
        // Arbitrary input, in the target's pieces: nothing over the limit.
        let mut d = Decoder::new(MAX);
        d.set_mode(mode);
        'input: for piece in rest.chunks(usize::from(control >> 1).max(1)) {
            d.push(piece);
            loop {
                match d.next_message() {
                    Ok(Some(m)) => assert!(m.len() <= MAX, "{}", path.display()),
                    Ok(None) => break,
                    Err(_) => break 'input,
                }
            }
        }
        if rest.len() > MAX {
            continue;
        }
        // The round trip holds wherever 1.0 framing can carry the message.
        let mut framed = rest.to_vec();
        framed.extend_from_slice(b"]]>]]>");
        let carried = match mode {
            // No empty chunked message exists (RFC 6242 §4.2).
            Framing::Chunked => !rest.is_empty(),
            Framing::EndOfMessage => {
                framed.windows(6).position(|w| w == b"]]>]]>") == Some(rest.len())
            }
        };
        if !carried {
            continue;
        }
        let mut d = Decoder::new(1 << 20);
        d.set_mode(mode);
        d.push(&encode(mode, rest));
        let got = d.next_message().expect("our own encoding decodes");
        assert_eq!(got.as_deref(), Some(rest), "{}", path.display());
    }
}

#[test]
fn xml_envelope() {
    for (path, bytes) in inputs("xml_envelope") {
        let _ = envelope::parse(&bytes);
        if let Ok(tree) = Element::parse(&String::from_utf8_lossy(&bytes)) {
            let printed = tree.to_xml();
            let again = Element::parse(&printed).expect("our own XML parses");
            assert_eq!(again.to_xml(), printed, "{}", path.display());
        }
    }
}

#[test]
fn subtree_filter() {
    fn count(e: &Element) -> usize {
        1 + e.children.iter().map(count).sum::<usize>()
    }
    for (path, bytes) in inputs("subtree_filter") {
        let text = String::from_utf8_lossy(&bytes);
        let Some((data, filter)) = text.split_once('\0') else {
            continue;
        };
        let (Ok(d), Ok(f)) = (Element::parse(data), Element::parse(filter)) else {
            continue;
        };
        let out = subtree::filter(std::slice::from_ref(&d), std::slice::from_ref(&f));
        let kept: usize = out.iter().map(count).sum();
        assert!(kept <= count(&d), "{}", path.display());
    }
}

#[test]
fn edit_config() {
    // Each input carried a NUL into a namespace, which reached libyang:
    // the element parser refuses it now, before any schema lookup.
    for (path, bytes) in inputs("edit_config") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(Element::parse(&text).is_err(), "{}", path.display());
    }
}

#[test]
fn xpath_filter() {
    let (config, snapshot) = yang_fixture::full_snapshot();
    let tree = full_tree(yang_fixture::schema(), &config, &snapshot).expect("tree");
    for (path, bytes) in inputs("xpath_filter") {
        let expr = String::from_utf8_lossy(&bytes);
        let mut budget = Budget::new(200_000, None, None);
        let _ = evaluate_bounded(&tree, &expr, &mut budget);
        // One charge may pass the bound: the string-value of the whole
        // tree is paid (a step per 64 characters) once it is made.
        assert!(budget.used() <= 250_000, "{}", path.display());
    }
}
