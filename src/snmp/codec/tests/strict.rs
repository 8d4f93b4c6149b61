//! Strictness over every fixture and every element position: truncation,
//! trailing bytes, and each element's length rewritten in a non-minimal or
//! indefinite form (with every enclosing length kept correct).

use super::fixtures;
use crate::snmp::codec::{DecodeError, ParseErrorKind, decode_message, encode_message};

fn parse_kind(bytes: &[u8]) -> Option<ParseErrorKind> {
    match decode_message(bytes) {
        Err(DecodeError::Parse(e)) => Some(e.kind),
        _ => None,
    }
}

fn encoded_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    fixtures::all()
        .into_iter()
        .map(|(name, msg)| {
            let mut out = Vec::new();
            encode_message(&msg, &mut out).unwrap();
            (name, out)
        })
        .collect()
}

#[test]
fn every_truncation_of_every_fixture_is_a_parse_error() {
    for (name, bytes) in encoded_fixtures() {
        for cut in 0..bytes.len() {
            assert_eq!(
                parse_kind(&bytes[..cut]),
                Some(ParseErrorKind::Truncated),
                "{name} cut at {cut}"
            );
        }
    }
}

#[test]
fn a_byte_after_any_fixture_is_a_parse_error() {
    for (name, mut bytes) in encoded_fixtures() {
        bytes.push(0);
        assert_eq!(
            parse_kind(&bytes),
            Some(ParseErrorKind::TrailingBytes),
            "{name}"
        );
    }
}

/// A test-only BER tree: constructed elements (tag bit 0x20) are walked,
/// primitive ones (including msgSecurityParameters' OCTET STRING) are not.
enum Node {
    Primitive(u8, Vec<u8>),
    Constructed(u8, Vec<Node>),
}

fn parse_tree(bytes: &[u8]) -> Vec<Node> {
    let mut nodes = Vec::new();
    let mut rest = bytes;
    while let [tag, first, tail @ ..] = rest {
        let (len, tail) = if *first < 0x80 {
            (usize::from(*first), tail)
        } else {
            let n = usize::from(first & 0x7F);
            let len = tail[..n].iter().fold(0, |l, &b| (l << 8) | usize::from(b));
            (len, &tail[n..])
        };
        let (content, after) = tail.split_at(len);
        nodes.push(if tag & 0x20 != 0 {
            Node::Constructed(*tag, parse_tree(content))
        } else {
            Node::Primitive(*tag, content.to_vec())
        });
        rest = after;
    }
    nodes
}

#[derive(Clone, Copy)]
enum Form {
    NonMinimal,
    Indefinite,
}

/// Serialize, writing the length of the pre-order `target`-th node in
/// `form`; `counter` tracks the pre-order index.
fn write(nodes: &[Node], target: usize, form: Form, counter: &mut usize, out: &mut Vec<u8>) {
    for node in nodes {
        let this = *counter;
        *counter += 1;
        let (tag, content) = match node {
            Node::Primitive(tag, content) => (*tag, content.clone()),
            Node::Constructed(tag, children) => {
                let mut inner = Vec::new();
                write(children, target, form, counter, &mut inner);
                (*tag, inner)
            }
        };
        out.push(tag);
        let len = content.len();
        let minimal_octets = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .count();
        match (this == target, form) {
            (true, Form::Indefinite) => {
                out.push(0x80);
                out.extend_from_slice(&content);
                out.extend_from_slice(&[0, 0]);
                continue;
            }
            (true, Form::NonMinimal) if len < 0x80 => out.extend_from_slice(&[0x81, len as u8]),
            (true, Form::NonMinimal) => {
                // One length octet more than needed: a leading zero.
                out.push(0x80 | (minimal_octets as u8 + 1));
                out.push(0);
                out.extend(len.to_be_bytes().into_iter().skip_while(|&b| b == 0));
            }
            (false, _) if len < 0x80 => out.push(len as u8),
            (false, _) => {
                out.push(0x80 | minimal_octets as u8);
                out.extend(len.to_be_bytes().into_iter().skip_while(|&b| b == 0));
            }
        }
        out.extend_from_slice(&content);
    }
}

fn count(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| match n {
            Node::Primitive(..) => 1,
            Node::Constructed(_, c) => 1 + count(c),
        })
        .sum()
}

#[test]
fn the_tree_rewriter_reproduces_the_fixture_when_no_node_is_targeted() {
    for (name, bytes) in encoded_fixtures() {
        let tree = parse_tree(&bytes);
        let mut out = Vec::new();
        write(&tree, usize::MAX, Form::NonMinimal, &mut 0, &mut out);
        assert_eq!(out, bytes, "{name}");
    }
}

#[test]
fn any_element_with_a_non_minimal_or_indefinite_length_is_a_parse_error() {
    for (name, bytes) in encoded_fixtures() {
        let tree = parse_tree(&bytes);
        for target in 0..count(&tree) {
            for (form, kind) in [
                (Form::NonMinimal, ParseErrorKind::NonMinimalLength),
                (Form::Indefinite, ParseErrorKind::IndefiniteLength),
            ] {
                let mut out = Vec::new();
                write(&tree, target, form, &mut 0, &mut out);
                assert_eq!(parse_kind(&out), Some(kind), "{name} element {target}");
            }
        }
    }
}
