//! The SNMP message codec: strict BER decoding and DER-style encoding of
//! v1, v2c and v3 messages to and from the types of [`super::pdu`].
//!
//! Why our own reader and writer rather than `rasn-snmp`: an agent must
//! drop what is not well-formed and count it (snmpInASNParseErrs), and
//! rasn-snmp 0.30 accepts trailing bytes, indefinite and non-minimal
//! lengths, declares Integer32 as `u32`, and cannot report the byte offset
//! of msgAuthenticationParameters, which USM needs to zero the MAC and
//! compute the HMAC over the received bytes. SNMP uses a small, fixed
//! subset of BER (one-octet tags, a dozen types), so a strict
//! implementation is short, and it decodes straight into our types with no
//! intermediate tree. rasn and rasn-snmp remain as an independent oracle in
//! the unit tests: what we encode must decode with rasn-snmp to the same
//! content, and what rasn-snmp encodes must decode with ours.
//!
//! Strictness: definite lengths in their shortest form and of at most 4
//! octets, no bytes after the outer SEQUENCE, primitive forms where X.690
//! requires them, minimal INTEGERs within the ranges of RFC 2578, RFC 3412
//! and RFC 3414, OIDs of 2..=128 arcs with sub-identifiers of at most 32
//! bits in minimal base-128, and only the PDUs and values each version
//! defines (no GetBulk or Counter64 in v1, no v1 Trap in v2c or v3).

mod decode;
mod encode;
mod error;
mod limits;
mod reader;
mod size;
mod tag;
mod writer;

#[cfg(test)]
mod tests;

pub use decode::{Decoded, decode_message, decode_scoped_pdu};
pub use encode::{encode_message, encode_scoped_pdu};
pub use error::{DecodeError, EncodeError, ParseError, ParseErrorKind};
pub use limits::{MAX_USER_NAME, MIN_MAX_SIZE, USM};
pub use size::{MessageSizer, varbind_encoded_len};
