//! Instance indexes of the MIB's tables: which objects form each INDEX
//! clause and how their values map to sub-identifiers. Rows encode with
//! the same description that SET decodes with, so the two cannot drift.

use crate::snmp::mib::convert::{decode_octets_index, push_octets_index};

/// Index objects are declared in the object map, with the tables they
/// index.
pub use crate::model::objects::{IndexPart, IndexSyntax};

/// An index value to encode, borrowed from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Octets(&'a [u8]),
    Number(u32),
}

impl<'a> Key<'a> {
    pub fn text(s: &'a str) -> Key<'a> {
        Key::Octets(s.as_bytes())
    }
}

/// An index value decoded from an instance suffix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexValue {
    Octets(Vec<u8>),
    Number(u32),
}

impl IndexValue {
    /// The value as UTF-8 text; None for numbers and non-UTF-8 octets,
    /// which no model name can be.
    pub fn text(&self) -> Option<&str> {
        match self {
            IndexValue::Octets(b) => std::str::from_utf8(b).ok(),
            IndexValue::Number(_) => None,
        }
    }

    pub fn number(&self) -> Option<u32> {
        match self {
            IndexValue::Number(n) => Some(*n),
            IndexValue::Octets(_) => None,
        }
    }
}

/// The instance suffix of a row. None when a key does not fit its index
/// object (too long, empty, below the minimum): such a row cannot be
/// addressed and is not listed.
pub fn encode(parts: &[&IndexPart], keys: &[Key]) -> Option<Vec<u32>> {
    if parts.len() != keys.len() {
        return None;
    }
    let mut arcs = Vec::with_capacity(encoded_len(keys));
    for (part, key) in parts.iter().zip(keys) {
        push(part, *key, &mut arcs)?;
    }
    Some(arcs)
}

/// The sub-identifiers `keys` encode to, when they fit their parts.
fn encoded_len(keys: &[Key]) -> usize {
    keys.iter()
        .map(|k| match k {
            Key::Octets(b) => b.len() + 1,
            Key::Number(_) => 1,
        })
        .sum()
}

/// Append one key's sub-identifiers to `arcs`; None when the key does not
/// fit its part (wrong kind, length or minimum). Written in place, since
/// the MIB view encodes every row of every table on each publication.
fn push(part: &IndexPart, key: Key, arcs: &mut Vec<u32>) -> Option<()> {
    match (part.syntax, key) {
        (IndexSyntax::Octets { min, max }, Key::Octets(b)) if (min..=max).contains(&b.len()) => {
            push_octets_index(b, arcs)
        }
        (IndexSyntax::Number { min }, Key::Number(n)) if n >= min => arcs.push(n),
        _ => return None,
    }
    Some(())
}

/// Decode an instance suffix that must consist of exactly these index
/// objects. None when it is malformed or out of their ranges: no such
/// instance can exist.
pub fn decode(parts: &[&IndexPart], mut arcs: &[u32]) -> Option<Vec<IndexValue>> {
    let mut values = Vec::with_capacity(parts.len());
    for part in parts {
        match part.syntax {
            IndexSyntax::Octets { min, max } => {
                let (bytes, rest) = decode_octets_index(arcs)?;
                if !(min..=max).contains(&bytes.len()) {
                    return None;
                }
                values.push(IndexValue::Octets(bytes));
                arcs = rest;
            }
            IndexSyntax::Number { min } => {
                let (&n, rest) = arcs.split_first()?;
                if n < min {
                    return None;
                }
                values.push(IndexValue::Number(n));
                arcs = rest;
            }
        }
    }
    arcs.is_empty().then_some(values)
}

/// Decode an index made only of text objects (chain, node, channel names).
pub fn decode_texts(parts: &[&IndexPart], arcs: &[u32]) -> Option<Vec<String>> {
    decode(parts, arcs)?
        .iter()
        .map(|v| v.text().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    static NAME: IndexPart = IndexPart {
        name: "name",
        oid: &[1],
        syntax: IndexSyntax::Octets { min: 1, max: 4 },
    };
    static SEQ: IndexPart = IndexPart {
        name: "seq",
        oid: &[2],
        syntax: IndexSyntax::Number { min: 1 },
    };

    #[test]
    fn encode_checks_sizes_and_minimums() {
        assert_eq!(
            encode(&[&NAME, &SEQ], &[Key::text("ab"), Key::Number(3)]),
            Some(vec![2, 97, 98, 3])
        );
        assert_eq!(encode(&[&NAME], &[Key::text("")]), None);
        assert_eq!(encode(&[&NAME], &[Key::text("abcde")]), None);
        assert_eq!(encode(&[&SEQ], &[Key::Number(0)]), None);
        assert_eq!(encode(&[&SEQ], &[Key::text("a")]), None, "kind mismatch");
        assert_eq!(encode(&[&SEQ, &NAME], &[Key::Number(1)]), None);
    }

    #[test]
    fn decode_inverts_encode_and_rejects_leftovers() {
        let arcs = encode(&[&NAME, &SEQ], &[Key::text("ab"), Key::Number(3)]).unwrap();
        assert_eq!(
            decode(&[&NAME, &SEQ], &arcs),
            Some(vec![
                IndexValue::Octets(b"ab".to_vec()),
                IndexValue::Number(3)
            ])
        );
        assert_eq!(decode(&[&NAME, &SEQ], &[2, 97, 98, 3, 0]), None);
        assert_eq!(decode(&[&NAME, &SEQ], &[2, 97, 98]), None);
        assert_eq!(decode(&[&NAME], &[0]), None, "below the minimum size");
        assert_eq!(
            decode(&[&NAME], &[5, 1, 1, 1, 1, 1]),
            None,
            "above the maximum"
        );
        assert_eq!(decode(&[&SEQ], &[0]), None);
        assert_eq!(
            decode_texts(&[&NAME], &[2, 0xc3, 0xa9]),
            Some(vec!["é".into()])
        );
        assert_eq!(decode_texts(&[&NAME], &[1, 0xff]), None, "not UTF-8");
    }
}
