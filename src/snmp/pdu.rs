//! SNMP messages and PDUs (RFC 3416 §3, RFC 3412 §6, RFC 3414 §2.4), as
//! plain data. The codec turns them into bytes and back.

use super::oid::Oid;
use super::value::VarBind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V1 = 0,
    V2c = 1,
    V3 = 3,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PduKind {
    Get,
    GetNext,
    Response,
    Set,
    GetBulk,
    Inform,
    TrapV2,
    Report,
}

impl PduKind {
    /// The context-specific tag number of the PDU (RFC 3416 §3).
    pub fn tag(self) -> u8 {
        match self {
            PduKind::Get => 0,
            PduKind::GetNext => 1,
            PduKind::Response => 2,
            PduKind::Set => 3,
            PduKind::GetBulk => 5,
            PduKind::Inform => 6,
            PduKind::TrapV2 => 7,
            PduKind::Report => 8,
        }
    }
}

/// Every PDU but the v1 Trap. For GetBulk, `error_status` carries
/// non-repeaters and `error_index` max-repetitions, as on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdu {
    pub kind: PduKind,
    pub request_id: i32,
    pub error_status: i32,
    pub error_index: i32,
    pub varbinds: Vec<VarBind>,
}

/// The SNMPv1 Trap-PDU (RFC 1157 §4.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapV1 {
    pub enterprise: Oid,
    pub agent_addr: [u8; 4],
    pub generic_trap: i32,
    pub specific_trap: i32,
    pub time_stamp: u32,
    pub varbinds: Vec<VarBind>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyPdu {
    Pdu(Pdu),
    TrapV1(TrapV1),
}

/// v1 and v2c.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityMessage {
    pub version: Version,
    pub community: Vec<u8>,
    pub pdu: AnyPdu,
}

/// UsmSecurityParameters (RFC 3414 §2.4).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsmParams {
    pub engine_id: Vec<u8>,
    pub engine_boots: i32,
    pub engine_time: i32,
    pub user_name: Vec<u8>,
    pub auth_params: Vec<u8>,
    pub priv_params: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedPdu {
    pub context_engine_id: Vec<u8>,
    pub context_name: Vec<u8>,
    pub pdu: AnyPdu,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopedPduData {
    Plain(ScopedPdu),
    /// The encryptedPDU octets, to be decrypted by USM.
    Encrypted(Vec<u8>),
}

/// msgFlags bits (RFC 3412 §6.4).
pub mod flags {
    pub const AUTH: u8 = 0x01;
    pub const PRIV: u8 = 0x02;
    pub const REPORTABLE: u8 = 0x04;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Message {
    pub msg_id: i32,
    pub max_size: i32,
    pub flags: u8,
    pub security_model: i32,
    pub usm: UsmParams,
    pub data: ScopedPduData,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Community(CommunityMessage),
    V3(V3Message),
}
