//! DER-style BER writing: definite lengths in their shortest form, minimal
//! two's-complement integers. Lengths are computed before writing (the
//! `*_len` functions give content lengths, [`tlv_len`] a whole element), so
//! output is written front to back in one pass with no back-patching.

use super::error::EncodeError;
use super::tag;
use crate::snmp::oid::{MAX_SUBIDS, Oid};

/// Octets taken by the length field for `content_len` content octets.
pub(super) fn length_len(content_len: usize) -> usize {
    if content_len < 0x80 {
        1
    } else {
        1 + byte_count(content_len as u64)
    }
}

/// Whole element size: tag, length, content.
pub fn tlv_len(content_len: usize) -> usize {
    1 + length_len(content_len) + content_len
}

fn byte_count(v: u64) -> usize {
    (64 - v.leading_zeros() as usize).div_ceil(8).max(1)
}

pub(super) fn header(out: &mut Vec<u8>, tag: u8, content_len: usize) {
    out.push(tag);
    if content_len < 0x80 {
        out.push(content_len as u8);
    } else {
        let n = byte_count(content_len as u64);
        out.push(0x80 | n as u8);
        out.extend_from_slice(&content_len.to_be_bytes()[size_of::<usize>() - n..]);
    }
}

pub(super) fn signed_len(v: i64) -> usize {
    // Bits needed including the sign bit, rounded up to octets.
    let significant = if v < 0 {
        64 - v.leading_ones()
    } else {
        64 - v.leading_zeros()
    };
    (significant as usize + 1).div_ceil(8)
}

pub(super) fn unsigned_len(v: u64) -> usize {
    (64 - v.leading_zeros() as usize + 1).div_ceil(8)
}

pub(super) fn signed(out: &mut Vec<u8>, tag: u8, v: i64) {
    let n = signed_len(v);
    header(out, tag, n);
    out.extend_from_slice(&v.to_be_bytes()[8 - n..]);
}

pub(super) fn unsigned(out: &mut Vec<u8>, tag: u8, v: u64) {
    let n = unsigned_len(v);
    header(out, tag, n);
    if n > 8 {
        out.push(0);
    }
    out.extend_from_slice(&v.to_be_bytes()[8 - n.min(8)..]);
}

pub(super) fn octets(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    header(out, tag, bytes.len());
    out.extend_from_slice(bytes);
}

fn subid_len(v: u32) -> usize {
    (32 - v.leading_zeros() as usize).div_ceil(7).max(1)
}

/// The sub-identifiers of `oid` as written: the first two arcs merged.
/// Never panics; validity is [`check_oid`]'s business.
fn subids(oid: &Oid) -> impl Iterator<Item = u32> + '_ {
    let arcs = oid.arcs();
    let first = match arcs {
        [x, y, ..] => x.wrapping_mul(40).wrapping_add(*y),
        [x] => x.wrapping_mul(40),
        [] => 0,
    };
    std::iter::once(first).chain(arcs.iter().skip(2).copied())
}

pub(super) fn oid_len(oid: &Oid) -> usize {
    subids(oid).map(subid_len).sum()
}

/// Whether X.690 can carry `oid` and our decoder (RFC 2578's 128-arc limit)
/// will take it back.
pub(super) fn check_oid(oid: &Oid) -> Result<(), EncodeError> {
    let ok = match oid.arcs() {
        [0 | 1, y, ..] => *y < 40,
        [2, y, ..] => *y <= u32::MAX - 80,
        _ => false,
    };
    if ok && oid.len() <= MAX_SUBIDS {
        Ok(())
    } else {
        Err(EncodeError::InvalidOid(oid.clone()))
    }
}

pub(super) fn oid(out: &mut Vec<u8>, oid: &Oid) -> Result<(), EncodeError> {
    check_oid(oid)?;
    header(out, tag::OBJECT_IDENTIFIER, oid_len(oid));
    for v in subids(oid) {
        let n = subid_len(v);
        for i in (1..n).rev() {
            out.push(0x80 | (v >> (7 * i)) as u8);
        }
        out.push((v & 0x7F) as u8);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_use_the_shortest_form() {
        let mut out = Vec::new();
        for (len, expect) in [
            (0usize, &[0x04, 0x00][..]),
            (0x7F, &[0x04, 0x7F]),
            (0x80, &[0x04, 0x81, 0x80]),
            (0xFF, &[0x04, 0x81, 0xFF]),
            (0x100, &[0x04, 0x82, 0x01, 0x00]),
            (0x1_0000, &[0x04, 0x83, 0x01, 0x00, 0x00]),
        ] {
            out.clear();
            header(&mut out, tag::OCTET_STRING, len);
            assert_eq!(out, expect, "length {len}");
            assert_eq!(tlv_len(len), out.len() + len);
        }
    }

    #[test]
    fn integers_use_the_shortest_two_complement_form() {
        let mut out = Vec::new();
        for (v, expect) in [
            (0i64, &[0x00][..]),
            (127, &[0x7F]),
            (128, &[0x00, 0x80]),
            (-1, &[0xFF]),
            (-128, &[0x80]),
            (-129, &[0xFF, 0x7F]),
            (i64::from(i32::MIN), &[0x80, 0, 0, 0]),
            (i64::from(i32::MAX), &[0x7F, 0xFF, 0xFF, 0xFF]),
        ] {
            out.clear();
            signed(&mut out, tag::INTEGER, v);
            assert_eq!(&out[2..], expect, "value {v}");
            assert_eq!(usize::from(out[1]), expect.len());
        }
        for (v, expect) in [
            (0u64, &[0x00][..]),
            (0x80, &[0x00, 0x80]),
            (u64::from(u32::MAX), &[0x00, 0xFF, 0xFF, 0xFF, 0xFF]),
            (
                u64::MAX,
                &[0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            ),
            (
                0x7FFF_FFFF_FFFF_FFFF,
                &[0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            ),
        ] {
            out.clear();
            unsigned(&mut out, tag::COUNTER64, v);
            assert_eq!(&out[2..], expect, "value {v}");
        }
    }

    #[test]
    fn oids_merge_the_first_two_arcs_and_reject_what_ber_cannot_carry() {
        let mut out = Vec::new();
        oid(&mut out, &Oid::new(&[1, 3, 6, 1, 4, 1, 32473, u32::MAX])).unwrap();
        assert_eq!(
            out,
            [
                0x06, 0x0D, 0x2B, 6, 1, 4, 1, 0x81, 0xFD, 0x59, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F
            ]
        );
        assert_eq!(oid_len(&Oid::new(&[1, 3, 6, 1, 4, 1, 32473, u32::MAX])), 13);
        out.clear();
        oid(&mut out, &Oid::new(&[2, 999])).unwrap();
        assert_eq!(out, [0x06, 0x02, 0x88, 0x37]);

        for bad in [
            Oid::new(&[]),
            Oid::new(&[1]),
            Oid::new(&[3, 1]),
            Oid::new(&[1, 40]),
            Oid::new(&[2, u32::MAX - 79]),
            Oid(vec![1; MAX_SUBIDS + 1]),
        ] {
            assert_eq!(
                oid(&mut out, &bad),
                Err(EncodeError::InvalidOid(bad.clone()))
            );
        }
    }
}
