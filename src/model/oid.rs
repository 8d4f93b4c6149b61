//! Object identifiers. Ordering is SNMP's lexicographic order over
//! sub-identifiers, where a prefix sorts before its extensions: exactly
//! `Vec<u32>`'s derived `Ord`, which is what GetNext relies on.

use std::fmt;

/// RFC 2578 §3.5: at most 128 sub-identifiers.
pub const MAX_SUBIDS: usize = 128;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Oid(pub Vec<u32>);

impl Oid {
    pub fn new(arcs: &[u32]) -> Oid {
        Oid(arcs.to_vec())
    }

    pub fn arcs(&self) -> &[u32] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn starts_with(&self, prefix: &[u32]) -> bool {
        self.0.starts_with(prefix)
    }

    /// This OID followed by `suffix`.
    pub fn join(&self, suffix: &[u32]) -> Oid {
        let mut v = Vec::with_capacity(self.0.len() + suffix.len());
        v.extend_from_slice(&self.0);
        v.extend_from_slice(suffix);
        Oid(v)
    }

    /// Parse dotted notation, with or without a leading dot.
    pub fn parse(s: &str) -> Option<Oid> {
        let s = s.trim().trim_start_matches('.');
        if s.is_empty() {
            return None;
        }
        let arcs: Option<Vec<u32>> = s.split('.').map(|p| p.parse().ok()).collect();
        let arcs = arcs?;
        (arcs.len() <= MAX_SUBIDS).then_some(Oid(arcs))
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, a) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

impl From<&[u32]> for Oid {
    fn from(a: &[u32]) -> Oid {
        Oid(a.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_sorts_first_and_order_is_by_arc_value() {
        let a = Oid::parse("1.3.6.1").unwrap();
        let b = Oid::parse(".1.3.6.1.2").unwrap();
        let c = Oid::parse("1.3.6.2").unwrap();
        let d = Oid::parse("1.3.6.10").unwrap();
        assert!(a < b && b < c && c < d);
        assert_eq!(b.to_string(), "1.3.6.1.2");
        assert!(Oid::parse("1..2").is_none());
        assert!(Oid::parse("").is_none());
    }
}
