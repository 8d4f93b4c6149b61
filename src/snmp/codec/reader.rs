//! A strict BER reader over a borrowed buffer: definite, minimal lengths
//! only; every read is bounds-checked and every error carries the absolute
//! offset within the buffer the decode started from, which is also how the
//! v3 decoder reports where msgAuthenticationParameters lie.

use super::error::{DecodeError, ParseErrorKind};
use super::tag;
use crate::snmp::oid::{MAX_SUBIDS, Oid};

type Result<T> = std::result::Result<T, DecodeError>;

/// A window `[pos, end)` of the input buffer. Sub-readers share the buffer,
/// so offsets stay absolute.
#[derive(Debug, Clone)]
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    end: usize,
}

/// One element's identifier and content window.
pub(super) struct Element<'a> {
    pub tag: u8,
    /// Offset of the tag octet.
    pub offset: usize,
    pub content: Reader<'a>,
}

fn err<T>(offset: usize, kind: ParseErrorKind) -> Result<T> {
    Err(DecodeError::parse(offset, kind))
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader {
            buf,
            pos: 0,
            end: buf.len(),
        }
    }

    pub fn offset(&self) -> usize {
        self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.end
    }

    /// The unread bytes of this window.
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..self.end).unwrap_or(&[])
    }

    /// Reject anything left in this window.
    pub fn finish(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            err(self.pos, ParseErrorKind::TrailingBytes)
        }
    }

    fn byte(&mut self) -> Result<u8> {
        if self.pos >= self.end {
            return err(self.pos, ParseErrorKind::Truncated);
        }
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => err(self.pos, ParseErrorKind::Truncated),
        }
    }

    /// Read the next element's tag and length and step over its content.
    pub fn element(&mut self) -> Result<Element<'a>> {
        let offset = self.pos;
        let tag = self.byte()?;
        let first = self.byte()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let count = first & 0x7F;
            if count == 0 {
                return err(offset, ParseErrorKind::IndefiniteLength);
            }
            if count > 4 {
                return err(offset, ParseErrorKind::LengthTooLong);
            }
            let mut len: usize = 0;
            for i in 0..count {
                let b = self.byte()?;
                if i == 0 && b == 0 {
                    return err(offset, ParseErrorKind::NonMinimalLength);
                }
                len = (len << 8) | usize::from(b);
            }
            if len < 0x80 {
                return err(offset, ParseErrorKind::NonMinimalLength);
            }
            len
        };
        let start = self.pos;
        if len > self.end - start {
            return err(offset, ParseErrorKind::Truncated);
        }
        self.pos = start + len;
        Ok(Element {
            tag,
            offset,
            content: Reader {
                buf: self.buf,
                pos: start,
                end: start + len,
            },
        })
    }

    /// The next element, which must carry `expected`.
    pub fn expect(&mut self, expected: u8) -> Result<Element<'a>> {
        let el = self.element()?;
        check_tag(&el, expected)?;
        Ok(el)
    }

    pub fn sequence(&mut self) -> Result<Reader<'a>> {
        Ok(self.expect(tag::SEQUENCE)?.content)
    }

    pub fn octets(&mut self, tag: u8) -> Result<&'a [u8]> {
        Ok(self.expect(tag)?.content.remaining())
    }

    /// An INTEGER within Integer32.
    pub fn i32(&mut self, field: &'static str) -> Result<i32> {
        let el = self.expect(tag::INTEGER)?;
        el_i32(&el, field)
    }

    /// An Integer32 constrained to `min..=i32::MAX`.
    pub fn i32_at_least(&mut self, min: i32, field: &'static str) -> Result<i32> {
        let el = self.expect(tag::INTEGER)?;
        let v = el_i32(&el, field)?;
        if v < min {
            return err(el.offset, ParseErrorKind::OutOfRange(field));
        }
        Ok(v)
    }
}

fn check_tag(el: &Element<'_>, expected: u8) -> Result<()> {
    if el.tag == expected {
        Ok(())
    } else if el.tag == expected | tag::CONSTRUCTED {
        err(el.offset, ParseErrorKind::ConstructedForm(expected))
    } else {
        err(
            el.offset,
            ParseErrorKind::UnexpectedTag {
                expected,
                found: el.tag,
            },
        )
    }
}

/// Content octets of an INTEGER-like element after the X.690 §8.3.2
/// minimality check (the first nine bits are never all equal).
fn integer_content<'a>(el: &Element<'a>) -> Result<&'a [u8]> {
    let c = el.content.remaining();
    match c {
        [] => err(el.offset, ParseErrorKind::EmptyInteger),
        [0x00, next, ..] if *next < 0x80 => err(el.offset, ParseErrorKind::NonMinimalInteger),
        [0xFF, next, ..] if *next >= 0x80 => err(el.offset, ParseErrorKind::NonMinimalInteger),
        _ => Ok(c),
    }
}

pub(super) fn el_i32(el: &Element<'_>, field: &'static str) -> Result<i32> {
    let c = integer_content(el)?;
    if c.len() > 4 {
        return err(el.offset, ParseErrorKind::OutOfRange(field));
    }
    let negative = c.first().is_some_and(|b| b & 0x80 != 0);
    let mut v: i32 = if negative { -1 } else { 0 };
    for &b in c {
        v = (v << 8) | i32::from(b);
    }
    Ok(v)
}

/// A non-negative INTEGER of at most `bits` bits (32 or 64). A minimal
/// encoding of a value with its top bit set takes one extra leading 0x00.
pub(super) fn el_unsigned(el: &Element<'_>, bits: u32, field: &'static str) -> Result<u64> {
    let c = integer_content(el)?;
    let negative = c.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude = match c {
        [0x00, rest @ ..] => rest,
        _ => c,
    };
    if negative || magnitude.len() * 8 > bits as usize {
        return err(el.offset, ParseErrorKind::OutOfRange(field));
    }
    Ok(magnitude.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b)))
}

pub(super) fn el_null(el: &Element<'_>) -> Result<()> {
    if el.content.is_empty() {
        Ok(())
    } else {
        err(el.offset, ParseErrorKind::NullWithContent)
    }
}

/// X.690 §8.19: base-128 sub-identifiers, the first one packing the first
/// two arcs as 40·X + Y with X in 0..=2.
pub(super) fn el_oid(el: &Element<'_>) -> Result<Oid> {
    let c = el.content.remaining();
    if c.is_empty() {
        return err(el.offset, ParseErrorKind::EmptyOid);
    }
    // Each sub-identifier takes at least one octet; the first yields two arcs.
    let mut arcs = Vec::with_capacity((c.len() + 1).min(MAX_SUBIDS));
    let mut value: u32 = 0;
    let mut start = true;
    for (i, &b) in c.iter().enumerate() {
        let at = el.content.offset() + i;
        if start && b == 0x80 {
            return err(at, ParseErrorKind::NonMinimalSubid);
        }
        if value > u32::MAX >> 7 {
            return err(at, ParseErrorKind::SubidOverflow);
        }
        value = (value << 7) | u32::from(b & 0x7F);
        start = b & 0x80 == 0;
        if !start {
            continue;
        }
        if arcs.is_empty() {
            let (x, y) = match value {
                0..40 => (0, value),
                40..80 => (1, value - 40),
                _ => (2, value - 80),
            };
            arcs.push(x);
            arcs.push(y);
        } else {
            if arcs.len() == MAX_SUBIDS {
                return err(el.offset, ParseErrorKind::OidTooLong);
            }
            arcs.push(value);
        }
        value = 0;
    }
    if !start {
        return err(el.offset, ParseErrorKind::TruncatedSubid);
    }
    Ok(Oid(arcs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snmp::codec::error::ParseError;

    fn kind(r: Result<impl Sized>) -> ParseErrorKind {
        match r {
            Err(DecodeError::Parse(ParseError { kind, .. })) => kind,
            Err(other) => panic!("expected a parse error, got {other:?}"),
            Ok(_) => panic!("expected a parse error, got a value"),
        }
    }

    fn one(bytes: &[u8]) -> Result<Element<'_>> {
        let mut r = Reader::new(bytes);
        let el = r.element()?;
        r.finish()?;
        Ok(el)
    }

    #[test]
    fn lengths_must_be_definite_minimal_and_within_the_input() {
        let long: Vec<u8> = [0x04, 0x81, 0x80].into_iter().chain([7; 0x80]).collect();
        assert_eq!(one(&long).unwrap().content.remaining().len(), 0x80);
        let two: Vec<u8> = [0x04, 0x82, 0x01, 0x00]
            .into_iter()
            .chain([7; 0x100])
            .collect();
        assert_eq!(one(&two).unwrap().content.remaining().len(), 0x100);

        assert_eq!(
            kind(one(&[0x04, 0x80, 0x00, 0x00])),
            ParseErrorKind::IndefiniteLength
        );
        assert_eq!(
            kind(one(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5])),
            ParseErrorKind::NonMinimalLength
        );
        assert_eq!(
            kind(one(&[0x04, 0x82, 0x00, 0x81])),
            ParseErrorKind::NonMinimalLength
        );
        assert_eq!(
            kind(one(&[0x04, 0x85, 0, 0, 0, 0, 1, 0])),
            ParseErrorKind::LengthTooLong
        );
        assert_eq!(kind(one(&[0x04, 0xFF])), ParseErrorKind::LengthTooLong);
        assert_eq!(
            kind(one(&[0x04, 0x84, 0xFF, 0xFF, 0xFF, 0xFF])),
            ParseErrorKind::Truncated
        );
        assert_eq!(kind(one(&[0x04, 0x03, 1, 2])), ParseErrorKind::Truncated);
        assert_eq!(kind(one(&[0x04, 0x82, 0x01])), ParseErrorKind::Truncated);
        assert_eq!(kind(one(&[0x04])), ParseErrorKind::Truncated);
        assert_eq!(
            kind(one(&[0x04, 0x01, 1, 9])),
            ParseErrorKind::TrailingBytes
        );
    }

    #[test]
    fn a_sub_reader_cannot_read_past_its_element() {
        // SEQUENCE of length 2 holding an OCTET STRING claiming 3 octets,
        // followed by bytes that would satisfy it if the window leaked.
        let bytes = [0x30, 0x02, 0x04, 0x03, 1, 2, 3];
        let mut r = Reader::new(&bytes);
        let mut seq = r.sequence().unwrap();
        assert_eq!(kind(seq.element()), ParseErrorKind::Truncated);
    }

    fn int(bytes: &[u8]) -> Result<i32> {
        el_i32(&one(bytes)?, "test")
    }

    fn unsigned(bytes: &[u8], bits: u32) -> Result<u64> {
        el_unsigned(&one(bytes)?, bits, "test")
    }

    #[test]
    fn integers_are_minimal_two_complement_within_range() {
        assert_eq!(int(&[0x02, 0x01, 0x00]).unwrap(), 0);
        assert_eq!(int(&[0x02, 0x01, 0x7F]).unwrap(), 127);
        assert_eq!(int(&[0x02, 0x02, 0x00, 0x80]).unwrap(), 128);
        assert_eq!(int(&[0x02, 0x01, 0x80]).unwrap(), -128);
        assert_eq!(int(&[0x02, 0x02, 0xFF, 0x7F]).unwrap(), -129);
        assert_eq!(
            int(&[0x02, 0x04, 0x7F, 0xFF, 0xFF, 0xFF]).unwrap(),
            i32::MAX
        );
        assert_eq!(int(&[0x02, 0x04, 0x80, 0, 0, 0]).unwrap(), i32::MIN);

        assert_eq!(kind(int(&[0x02, 0x00])), ParseErrorKind::EmptyInteger);
        assert_eq!(
            kind(int(&[0x02, 0x02, 0x00, 0x7F])),
            ParseErrorKind::NonMinimalInteger
        );
        assert_eq!(
            kind(int(&[0x02, 0x02, 0xFF, 0x80])),
            ParseErrorKind::NonMinimalInteger
        );
        assert_eq!(
            kind(int(&[0x02, 0x05, 0x00, 0x80, 0, 0, 0])),
            ParseErrorKind::OutOfRange("test")
        );
        assert_eq!(
            kind(int(&[0x02, 0x05, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF])),
            ParseErrorKind::OutOfRange("test")
        );
    }

    #[test]
    fn unsigned_values_take_a_leading_zero_and_stay_within_their_width() {
        assert_eq!(
            unsigned(&[0x41, 0x05, 0x00, 0xFF, 0xFF, 0xFF, 0xFF], 32).unwrap(),
            u64::from(u32::MAX)
        );
        assert_eq!(unsigned(&[0x41, 0x01, 0x00], 32).unwrap(), 0);
        assert_eq!(
            unsigned(
                &[
                    0x46, 0x09, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF
                ],
                64
            )
            .unwrap(),
            u64::MAX
        );
        assert_eq!(
            kind(unsigned(&[0x41, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00], 32)),
            ParseErrorKind::OutOfRange("test")
        );
        assert_eq!(
            kind(unsigned(&[0x41, 0x01, 0x80], 32)),
            ParseErrorKind::OutOfRange("test")
        );
        assert_eq!(
            kind(unsigned(&[0x41, 0x05, 0x00, 0x7F, 0xFF, 0xFF, 0xFF], 32)),
            ParseErrorKind::NonMinimalInteger
        );
        assert_eq!(
            kind(unsigned(&[0x46, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], 64)),
            ParseErrorKind::OutOfRange("test")
        );
        assert_eq!(
            kind(unsigned(&[0x41, 0x00], 32)),
            ParseErrorKind::EmptyInteger
        );
    }

    fn oid(content: &[u8]) -> Result<Oid> {
        let len = u8::try_from(content.len()).unwrap();
        let mut bytes = if len < 0x80 {
            vec![0x06, len]
        } else {
            vec![0x06, 0x81, len]
        };
        bytes.extend_from_slice(content);
        let el = Reader::new(&bytes).element()?;
        el_oid(&el)
    }

    #[test]
    fn oids_split_the_first_sub_identifier_into_two_arcs() {
        assert_eq!(oid(&[0x2B, 6, 1]).unwrap(), Oid::new(&[1, 3, 6, 1]));
        assert_eq!(oid(&[0x00]).unwrap(), Oid::new(&[0, 0]));
        assert_eq!(oid(&[39]).unwrap(), Oid::new(&[0, 39]));
        assert_eq!(oid(&[79]).unwrap(), Oid::new(&[1, 39]));
        assert_eq!(oid(&[80]).unwrap(), Oid::new(&[2, 0]));
        assert_eq!(oid(&[0x88, 0x37]).unwrap(), Oid::new(&[2, 999]));
        assert_eq!(
            oid(&[0x2B, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F]).unwrap(),
            Oid::new(&[1, 3, u32::MAX])
        );
        assert_eq!(
            oid(&[0x8F, 0xFF, 0xFF, 0xFF, 0x7F]).unwrap(),
            Oid::new(&[2, u32::MAX - 80])
        );
    }

    #[test]
    fn oids_are_rejected_when_empty_long_overflowing_or_padded() {
        assert_eq!(kind(oid(&[])), ParseErrorKind::EmptyOid);
        assert_eq!(
            kind(oid(&[0x2B, 0x90, 0x80, 0x80, 0x80, 0x00])),
            ParseErrorKind::SubidOverflow
        );
        assert_eq!(
            kind(oid(&[0x2B, 0x80, 0x01])),
            ParseErrorKind::NonMinimalSubid
        );
        assert_eq!(kind(oid(&[0x80, 0x2B])), ParseErrorKind::NonMinimalSubid);
        assert_eq!(kind(oid(&[0x2B, 0x86])), ParseErrorKind::TruncatedSubid);
        // 1 first sub-identifier (two arcs) + 126 more = 128 arcs: fine.
        let max: Vec<u8> = std::iter::once(0x2B).chain([1; 126]).collect();
        assert_eq!(oid(&max).unwrap().len(), MAX_SUBIDS);
        let over: Vec<u8> = std::iter::once(0x2B).chain([1; 127]).collect();
        assert_eq!(kind(oid(&over)), ParseErrorKind::OidTooLong);
    }
}
