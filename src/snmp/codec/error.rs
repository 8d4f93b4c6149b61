//! Decode and encode errors. Decode errors are split by the counter an
//! agent must increment for them (RFC 3412 §7.2, RFC 3418), so the
//! dispatcher never has to inspect a message a second time to classify it.

use thiserror::Error;

use crate::snmp::oid::Oid;
use crate::snmp::pdu::Version;

/// Why a message was not accepted by the codec.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not well-formed BER, or a field outside its ASN.1 range:
    /// snmpInASNParseErrs.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A well-framed message whose msgVersion we do not speak:
    /// snmpInBadVersions.
    #[error("unsupported SNMP version {0}")]
    BadVersion(i32),
    /// A well-formed v3 message for a security model other than USM:
    /// snmpUnknownSecurityModels.
    #[error("v3 message {msg_id} uses unknown security model {model}")]
    UnknownSecurityModel { msg_id: i32, model: i32 },
    /// A well-formed v3 message with privacy but no authentication:
    /// snmpInvalidMsgs.
    #[error("v3 message {msg_id} has invalid msgFlags {flags:#04x}")]
    InvalidFlags { msg_id: i32, flags: u8 },
}

/// A BER or ASN.1 range violation at a byte offset of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("malformed message at byte {offset}: {kind}")]
pub struct ParseError {
    /// Offset of the offending element (its tag, or the octet that broke
    /// it) within the buffer given to the decoder.
    pub offset: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ParseErrorKind {
    #[error("input ends inside an element")]
    Truncated,
    #[error("indefinite length")]
    IndefiniteLength,
    #[error("length not in its shortest form")]
    NonMinimalLength,
    #[error("length of more than 4 octets")]
    LengthTooLong,
    #[error("bytes after the end of the message")]
    TrailingBytes,
    #[error("expected tag {expected:#04x}, found {found:#04x}")]
    UnexpectedTag { expected: u8, found: u8 },
    #[error("constructed form of tag {0:#04x} where only the primitive form is allowed")]
    ConstructedForm(u8),
    #[error("INTEGER with no content octets")]
    EmptyInteger,
    #[error("INTEGER not in its shortest form")]
    NonMinimalInteger,
    #[error("{0} out of range")]
    OutOfRange(&'static str),
    #[error("OBJECT IDENTIFIER with no content octets")]
    EmptyOid,
    #[error("OBJECT IDENTIFIER with more than 128 sub-identifiers")]
    OidTooLong,
    #[error("OBJECT IDENTIFIER sub-identifier over 32 bits")]
    SubidOverflow,
    #[error("OBJECT IDENTIFIER sub-identifier with a leading 0x80 octet")]
    NonMinimalSubid,
    #[error("OBJECT IDENTIFIER ends inside a sub-identifier")]
    TruncatedSubid,
    #[error("IpAddress of other than 4 octets")]
    BadIpAddress,
    #[error("NULL or exception value with content octets")]
    NullWithContent,
    #[error("unknown PDU tag {0:#04x}")]
    UnknownPdu(u8),
    #[error("PDU tag {0:#04x} does not exist in this SNMP version")]
    PduNotInVersion(u8),
    #[error("unknown value tag {0:#04x}")]
    UnknownValue(u8),
    #[error("value tag {0:#04x} does not exist in SNMPv1")]
    ValueNotInV1(u8),
    #[error("msgFlags is not exactly one octet")]
    BadFlagsLength,
    #[error("msgUserName longer than 32 octets")]
    UserNameTooLong,
    /// A plaintext ScopedPDU under the privFlag, or an encryptedPDU
    /// without it. Both are unparseable as ScopedPduData for the security
    /// level, so both are parse errors rather than USM decryption errors.
    #[error("msgData form does not match the privFlag")]
    PrivFlagMismatch,
}

impl DecodeError {
    pub(super) fn parse(offset: usize, kind: ParseErrorKind) -> DecodeError {
        DecodeError::Parse(ParseError { offset, kind })
    }
}

/// Why a message could not be encoded: it holds something the wire format
/// (or the receiver's decoder, which is as strict as ours) cannot carry.
/// These are bugs in the caller, never the peer's fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EncodeError {
    #[error(
        "OID {0} cannot be encoded: it needs 2..=128 arcs, a first arc of 0..=2 and a second arc below 40 under 0 and 1"
    )]
    InvalidOid(Oid),
    #[error("PDU tag {tag:#04x} cannot be carried in a {version:?} message")]
    PduNotInVersion { tag: u8, version: Version },
    #[error("value tag {0:#04x} cannot be carried in an SNMPv1 message")]
    ValueNotInV1(u8),
    #[error("{field} = {value} is out of its range")]
    OutOfRange { field: &'static str, value: i64 },
    #[error("msgFlags {0:#04x} asks for privacy without authentication")]
    InvalidFlags(u8),
    #[error("msgFlags privFlag does not match the scoped PDU data form")]
    PrivFlagMismatch,
    #[error("msgSecurityModel {0} is not USM (3)")]
    UnsupportedSecurityModel(i32),
    #[error("the size of an already encrypted scoped PDU cannot be modelled")]
    EncryptedScopedPdu,
}
