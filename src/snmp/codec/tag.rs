//! The identifier octets SNMP uses. Every SNMP tag fits the low-tag-number
//! form, so a tag is one octet and is compared as a whole: class,
//! constructed bit and number at once.

pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OBJECT_IDENTIFIER: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;

pub const IP_ADDRESS: u8 = 0x40;
pub const COUNTER32: u8 = 0x41;
pub const GAUGE32: u8 = 0x42;
pub const TIME_TICKS: u8 = 0x43;
pub const OPAQUE: u8 = 0x44;
pub const COUNTER64: u8 = 0x46;

pub const NO_SUCH_OBJECT: u8 = 0x80;
pub const NO_SUCH_INSTANCE: u8 = 0x81;
pub const END_OF_MIB_VIEW: u8 = 0x82;

/// The constructed bit: set on SEQUENCE and the PDUs, and what a
/// constructed encoding of a primitive type would carry.
pub const CONSTRUCTED: u8 = 0x20;

/// PDUs are `[CONTEXT n] IMPLICIT SEQUENCE`: context class, constructed.
pub const fn pdu(number: u8) -> u8 {
    0xA0 | number
}

/// The Trap-PDU of SNMPv1 (RFC 1157), `[CONTEXT 4]`.
pub const TRAP_V1: u8 = pdu(4);

/// Which PDUs each version's ASN.1 defines: RFC 1157 has Get, GetNext,
/// GetResponse, Set and Trap; RFC 3416 drops the v1 Trap and adds GetBulk,
/// Inform, SNMPv2-Trap and Report.
pub fn pdu_in_version(tag: u8, version: crate::snmp::pdu::Version) -> bool {
    use crate::snmp::pdu::Version;
    match version {
        Version::V1 => (pdu(0)..=pdu(4)).contains(&tag),
        Version::V2c | Version::V3 => (pdu(0)..=pdu(8)).contains(&tag) && tag != TRAP_V1,
    }
}
