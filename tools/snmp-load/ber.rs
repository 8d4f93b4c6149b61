//! The few BER rules SNMP messages need (X.690 definite lengths, low tag
//! numbers), written out here so the generator is a client independent of
//! the agent it measures: a bug in the agent's codec cannot hide behind the
//! same bug in the load generator.

use thiserror::Error;

/// Universal and SNMP context/application tags this tool reads or writes.
pub mod tag {
    pub const INTEGER: u8 = 0x02;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OBJECT_IDENTIFIER: u8 = 0x06;
    pub const SEQUENCE: u8 = 0x30;
    pub const GET_REQUEST: u8 = 0xa0;
    pub const RESPONSE: u8 = 0xa2;
    pub const GET_BULK_REQUEST: u8 = 0xa5;
    pub const NO_SUCH_OBJECT: u8 = 0x80;
    pub const NO_SUCH_INSTANCE: u8 = 0x81;
    pub const END_OF_MIB_VIEW: u8 = 0x82;
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum BerError {
    #[error("message ends inside an element")]
    Truncated,
    #[error("expected tag {expected:#04x}, found {found:#04x}")]
    UnexpectedTag { expected: u8, found: u8 },
    #[error("high tag numbers are not used by SNMP")]
    HighTagNumber,
    #[error("indefinite or over-long length")]
    UnsupportedLength,
    #[error("integer does not fit in 64 bits")]
    IntegerTooLong,
    #[error("bytes left over inside an element")]
    Trailing,
    #[error("empty integer")]
    EmptyInteger,
    #[error("malformed object identifier")]
    BadOid,
    #[error("object identifier {0:?}: {1}")]
    BadOidText(String, &'static str),
}

/// Reads consecutive TLVs from a byte slice; every read checks bounds, so
/// any datagram, however malformed, yields an error rather than a panic.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn take_byte(&mut self) -> Result<u8, BerError> {
        let (&first, rest) = self.rest.split_first().ok_or(BerError::Truncated)?;
        self.rest = rest;
        Ok(first)
    }

    fn take_length(&mut self) -> Result<usize, BerError> {
        let first = self.take_byte()?;
        if first < 0x80 {
            return Ok(usize::from(first));
        }
        let count = usize::from(first & 0x7f);
        // 0x80 is the indefinite form, which SNMP forbids; four length
        // octets already exceed any UDP datagram.
        if count == 0 || count > 4 {
            return Err(BerError::UnsupportedLength);
        }
        let mut length = 0usize;
        for _ in 0..count {
            length = (length << 8) | usize::from(self.take_byte()?);
        }
        Ok(length)
    }

    /// Next element as (tag, content).
    pub fn read_any(&mut self) -> Result<(u8, &'a [u8]), BerError> {
        let tag = self.take_byte()?;
        if tag & 0x1f == 0x1f {
            return Err(BerError::HighTagNumber);
        }
        let length = self.take_length()?;
        if length > self.rest.len() {
            return Err(BerError::Truncated);
        }
        let (content, rest) = self.rest.split_at(length);
        self.rest = rest;
        Ok((tag, content))
    }

    /// Next element's content, which must carry `expected`.
    pub fn read(&mut self, expected: u8) -> Result<&'a [u8], BerError> {
        let (found, content) = self.read_any()?;
        if found != expected {
            return Err(BerError::UnexpectedTag { expected, found });
        }
        Ok(content)
    }

    pub fn read_integer(&mut self) -> Result<i64, BerError> {
        decode_integer(self.read(tag::INTEGER)?)
    }
}

/// Two's-complement big-endian content, sign-extended.
pub fn decode_integer(content: &[u8]) -> Result<i64, BerError> {
    let (&first, _) = content.split_first().ok_or(BerError::EmptyInteger)?;
    if content.len() > 8 {
        return Err(BerError::IntegerTooLong);
    }
    let seed: i64 = if first & 0x80 != 0 { -1 } else { 0 };
    Ok(content
        .iter()
        .fold(seed, |value, &byte| (value << 8) | i64::from(byte)))
}

/// Bytes of the minimal two's-complement content of `value` (X.690 8.3.2:
/// no leading octet that only repeats the sign).
fn integer_content(value: i64) -> ([u8; 8], usize) {
    let bytes = value.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let redundant = (bytes[start] == 0x00 && bytes[start + 1] & 0x80 == 0)
            || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    (bytes, start)
}

/// Size of a header (tag + length octets) for content of `length` bytes.
pub fn header_size(length: usize) -> usize {
    match length {
        0..=0x7f => 2,
        0x80..=0xff => 3,
        0x100..=0xffff => 4,
        _ => 5,
    }
}

pub fn push_header(out: &mut Vec<u8>, tag: u8, length: usize) {
    out.push(tag);
    match length {
        0..=0x7f => out.push(length as u8),
        0x80..=0xff => out.extend_from_slice(&[0x81, length as u8]),
        0x100..=0xffff => {
            out.push(0x82);
            out.extend_from_slice(&(length as u16).to_be_bytes());
        }
        _ => {
            out.push(0x84);
            out.extend_from_slice(&(length as u32).to_be_bytes());
        }
    }
}

/// Encoded size of an INTEGER element holding `value`.
pub fn integer_size(value: i64) -> usize {
    let (_, start) = integer_content(value);
    2 + (8 - start)
}

pub fn push_integer(out: &mut Vec<u8>, value: i64) {
    let (bytes, start) = integer_content(value);
    push_header(out, tag::INTEGER, 8 - start);
    out.extend_from_slice(&bytes[start..]);
}

/// An OBJECT IDENTIFIER kept as its BER content octets. Walks compare and
/// copy OIDs far more often than they look at arcs, and since each arc's
/// encoding is self-delimiting, "is inside subtree S" is exactly "content
/// starts with S's content".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedOid(Vec<u8>);

impl EncodedOid {
    /// Parses dotted text (`1.3.6.1.2.1.1.3.0`, a leading dot allowed).
    pub fn parse(text: &str) -> Result<Self, BerError> {
        let bad = |why| BerError::BadOidText(text.to_string(), why);
        let arcs = text
            .trim_start_matches('.')
            .split('.')
            .map(|arc| arc.parse::<u32>().map_err(|_| bad("arcs must be numbers")))
            .collect::<Result<Vec<u32>, _>>()?;
        Self::from_arcs(&arcs).map_err(|_| bad("needs two arcs, the first 0..2"))
    }

    pub fn from_arcs(arcs: &[u32]) -> Result<Self, BerError> {
        let [first, second, rest @ ..] = arcs else {
            return Err(BerError::BadOid);
        };
        if *first > 2 || (*first < 2 && *second >= 40) {
            return Err(BerError::BadOid);
        }
        let mut content = Vec::with_capacity(arcs.len() + 4);
        push_arc(&mut content, u64::from(*first) * 40 + u64::from(*second));
        for &arc in rest {
            push_arc(&mut content, u64::from(arc));
        }
        Ok(Self(content))
    }

    pub fn content(&self) -> &[u8] {
        &self.0
    }

    pub fn arcs(&self) -> Vec<u32> {
        // Built from arcs only, so the content always decodes.
        decode_arcs(&self.0).unwrap_or_default()
    }

    pub fn contains(&self, other_content: &[u8]) -> bool {
        other_content.starts_with(&self.0)
    }
}

impl std::fmt::Display for EncodedOid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let arcs: Vec<String> = self.arcs().iter().map(u32::to_string).collect();
        f.write_str(&arcs.join("."))
    }
}

fn push_arc(out: &mut Vec<u8>, value: u64) {
    let mut groups = [0u8; 10];
    let mut count = 0;
    let mut rest = value;
    loop {
        groups[count] = (rest & 0x7f) as u8;
        count += 1;
        rest >>= 7;
        if rest == 0 {
            break;
        }
    }
    for index in (0..count).rev() {
        let more = if index == 0 { 0 } else { 0x80 };
        out.push(groups[index] | more);
    }
}

/// Arcs of OID content, the first two split back out of the first
/// subidentifier.
pub fn decode_arcs(content: &[u8]) -> Result<Vec<u32>, BerError> {
    if content.is_empty() || content.last().is_some_and(|last| last & 0x80 != 0) {
        return Err(BerError::BadOid);
    }
    let mut arcs = Vec::with_capacity(content.len() + 1);
    let mut value: u64 = 0;
    let mut fresh = true;
    for &byte in content {
        // A leading 0x80 would be a non-minimal subidentifier.
        if fresh && byte == 0x80 {
            return Err(BerError::BadOid);
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if value > u64::from(u32::MAX) + 80 {
            return Err(BerError::BadOid);
        }
        fresh = byte & 0x80 == 0;
        if fresh {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first as u32);
                let second = u32::try_from(value - first * 40).map_err(|_| BerError::BadOid)?;
                arcs.push(second);
            } else {
                arcs.push(u32::try_from(value).map_err(|_| BerError::BadOid)?);
            }
            value = 0;
        }
    }
    Ok(arcs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_use_the_fewest_octets() {
        let cases: [(i64, &[u8]); 8] = [
            (0, &[0x02, 0x01, 0x00]),
            (127, &[0x02, 0x01, 0x7f]),
            (128, &[0x02, 0x02, 0x00, 0x80]),
            (256, &[0x02, 0x02, 0x01, 0x00]),
            (-1, &[0x02, 0x01, 0xff]),
            (-128, &[0x02, 0x01, 0x80]),
            (-129, &[0x02, 0x02, 0xff, 0x7f]),
            (i64::from(i32::MAX), &[0x02, 0x04, 0x7f, 0xff, 0xff, 0xff]),
        ];
        for (value, expected) in cases {
            let mut out = Vec::new();
            push_integer(&mut out, value);
            assert_eq!(out, expected, "{value}");
            assert_eq!(integer_size(value), expected.len(), "{value}");
            let mut reader = Reader::new(&out);
            assert_eq!(reader.read_integer(), Ok(value));
            assert!(reader.is_empty());
        }
    }

    #[test]
    fn long_lengths_round_trip() {
        for length in [0usize, 0x7f, 0x80, 0xff, 0x100, 0x1234] {
            let mut out = Vec::new();
            push_header(&mut out, tag::OCTET_STRING, length);
            assert_eq!(out.len(), header_size(length));
            out.resize(out.len() + length, 0xab);
            let mut reader = Reader::new(&out);
            assert_eq!(reader.read(tag::OCTET_STRING).map(<[u8]>::len), Ok(length));
        }
    }

    #[test]
    fn reader_refuses_malformed_input() {
        let truncated = [0x04, 0x05, 0x61];
        assert_eq!(Reader::new(&truncated).read_any(), Err(BerError::Truncated));
        let indefinite = [0x30, 0x80, 0x00, 0x00];
        assert_eq!(
            Reader::new(&indefinite).read_any(),
            Err(BerError::UnsupportedLength)
        );
        let high_tag = [0x1f, 0x01, 0x00];
        assert_eq!(
            Reader::new(&high_tag).read_any(),
            Err(BerError::HighTagNumber)
        );
        assert_eq!(Reader::new(&[]).read_any(), Err(BerError::Truncated));
        let wrong = [0x05, 0x00];
        assert_eq!(
            Reader::new(&wrong).read(tag::INTEGER),
            Err(BerError::UnexpectedTag {
                expected: tag::INTEGER,
                found: tag::NULL
            })
        );
        assert_eq!(decode_integer(&[0; 9]), Err(BerError::IntegerTooLong));
    }

    #[test]
    fn oids_encode_as_x690_says() {
        let oid = EncodedOid::parse(".1.3.6.1.4.1.32473.1.6.2").unwrap();
        assert_eq!(
            oid.content(),
            &[
                0x2b, 0x06, 0x01, 0x04, 0x01, 0x81, 0xfd, 0x59, 0x01, 0x06, 0x02
            ]
        );
        assert_eq!(oid.to_string(), "1.3.6.1.4.1.32473.1.6.2");
        let big = EncodedOid::from_arcs(&[2, 999, u32::MAX]).unwrap();
        assert_eq!(big.arcs(), vec![2, 999, u32::MAX]);
        assert!(EncodedOid::parse("1").is_err());
        assert!(EncodedOid::parse("1.40").is_err());
        assert!(EncodedOid::parse("1.3.x").is_err());
    }

    #[test]
    fn oid_content_must_be_whole_minimal_arcs() {
        assert_eq!(decode_arcs(&[0x2b, 0x86]), Err(BerError::BadOid));
        assert_eq!(decode_arcs(&[0x2b, 0x80, 0x01]), Err(BerError::BadOid));
        assert_eq!(decode_arcs(&[]), Err(BerError::BadOid));
        let too_big = [0x2b, 0x90, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(decode_arcs(&too_big), Err(BerError::BadOid));
    }

    #[test]
    fn subtree_membership_compares_whole_arcs() {
        let subtree = EncodedOid::parse("1.3.6.1.2.1.4.24").unwrap();
        let inside = EncodedOid::parse("1.3.6.1.2.1.4.24.7.1.7.1").unwrap();
        let sibling = EncodedOid::parse("1.3.6.1.2.1.4.25.1").unwrap();
        let longer_arc = EncodedOid::parse("1.3.6.1.2.1.4.3072").unwrap();
        assert!(subtree.contains(inside.content()));
        assert!(!subtree.contains(sibling.content()));
        assert!(!subtree.contains(longer_arc.content()));
    }
}
