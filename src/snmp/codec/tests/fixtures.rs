//! Well-formed messages covering every PDU, value type and version, with
//! values at the edges of their encodings (length and integer boundaries).

use crate::snmp::oid::Oid;
use crate::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPdu, ScopedPduData, TrapV1, UsmParams,
    V3Message, Version, flags,
};
use crate::snmp::value::{Value, VarBind};

pub const ENGINE_ID: [u8; 13] = [
    0x80, 0x00, 0x7e, 0xd9, 0x05, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
];

pub fn sys_descr() -> Oid {
    Oid::new(&[1, 3, 6, 1, 2, 1, 1, 1, 0])
}

pub fn pdu(kind: PduKind, varbinds: Vec<VarBind>) -> AnyPdu {
    pdu_with(kind, 0, 0, varbinds)
}

pub fn pdu_with(
    kind: PduKind,
    error_status: i32,
    error_index: i32,
    varbinds: Vec<VarBind>,
) -> AnyPdu {
    AnyPdu::Pdu(Pdu {
        kind,
        request_id: 0x1234_5678,
        error_status,
        error_index,
        varbinds,
    })
}

pub fn community(version: Version, pdu: AnyPdu) -> Message {
    Message::Community(CommunityMessage {
        version,
        community: b"public".to_vec(),
        pdu,
    })
}

pub fn v2c_get() -> Message {
    community(
        Version::V2c,
        pdu(
            PduKind::Get,
            vec![
                VarBind::null(sys_descr()),
                VarBind::null(Oid::new(&[1, 3, 6, 1, 2, 1, 1, 3, 0])),
            ],
        ),
    )
}

/// One varbind of each value type v1 can carry, at encoding edges.
pub fn v1_values() -> Vec<VarBind> {
    let oid = |last: u32| Oid::new(&[1, 3, 6, 1, 4, 1, 32473, 1, last]);
    vec![
        VarBind::new(oid(1), Value::Integer(i32::MIN)),
        VarBind::new(oid(2), Value::Integer(i32::MAX)),
        VarBind::new(oid(3), Value::Integer(-129)),
        VarBind::new(oid(4), Value::Integer(128)),
        VarBind::new(oid(5), Value::Integer(0)),
        VarBind::new(oid(6), Value::OctetString(vec![0xAB; 300])),
        VarBind::new(oid(7), Value::OctetString(Vec::new())),
        VarBind::new(oid(8), Value::Null),
        VarBind::new(oid(9), Value::ObjectId(Oid::new(&[0, 0]))),
        VarBind::new(oid(10), Value::ObjectId(Oid::new(&[2, 999, u32::MAX]))),
        VarBind::new(oid(11), Value::IpAddress([192, 0, 2, 255])),
        VarBind::new(oid(12), Value::Counter32(u32::MAX)),
        VarBind::new(oid(13), Value::Counter32(0)),
        VarBind::new(oid(14), Value::Gauge32(0x80)),
        VarBind::new(oid(15), Value::Gauge32(0x7F)),
        VarBind::new(oid(16), Value::TimeTicks(0x8000_0000)),
        VarBind::new(
            oid(17),
            Value::Opaque(vec![0x9f, 0x78, 0x04, 0x3f, 0x80, 0, 0]),
        ),
        VarBind::new(Oid::new(&[1, 3, u32::MAX, 0]), Value::Null),
    ]
}

/// Every value type, the v2 exceptions and Counter64 included.
pub fn v2_values() -> Vec<VarBind> {
    let oid = |last: u32| Oid::new(&[1, 3, 6, 1, 4, 1, 32473, 2, last]);
    let mut vbs = v1_values();
    vbs.extend([
        VarBind::new(oid(1), Value::Counter64(u64::MAX)),
        VarBind::new(oid(2), Value::Counter64(0x7FFF_FFFF_FFFF_FFFF)),
        VarBind::new(oid(3), Value::Counter64(0)),
        VarBind::new(oid(4), Value::NoSuchObject),
        VarBind::new(oid(5), Value::NoSuchInstance),
        VarBind::new(oid(6), Value::EndOfMibView),
    ]);
    vbs
}

pub fn v2c_response() -> Message {
    community(Version::V2c, pdu_with(PduKind::Response, 5, 2, v2_values()))
}

pub fn v2c_get_bulk() -> Message {
    let vbs = vec![VarBind::null(sys_descr())];
    community(Version::V2c, pdu_with(PduKind::GetBulk, 1, 25, vbs))
}

pub fn v1_get() -> Message {
    community(
        Version::V1,
        pdu(PduKind::GetNext, vec![VarBind::null(sys_descr())]),
    )
}

pub fn v1_response() -> Message {
    community(Version::V1, pdu(PduKind::Response, v1_values()))
}

pub fn v1_trap() -> Message {
    community(
        Version::V1,
        AnyPdu::TrapV1(TrapV1 {
            enterprise: Oid::new(&[1, 3, 6, 1, 4, 1, 32473]),
            agent_addr: [10, 11, 12, 13],
            generic_trap: 6,
            specific_trap: 2,
            time_stamp: 11_932,
            varbinds: vec![VarBind::new(
                Oid::new(&[1, 3, 6, 1, 2, 1, 1, 3, 0]),
                Value::TimeTicks(11_932),
            )],
        }),
    )
}

pub fn usm(user: &[u8], auth_len: usize, priv_len: usize) -> UsmParams {
    UsmParams {
        engine_id: ENGINE_ID.to_vec(),
        engine_boots: 1,
        engine_time: 0,
        user_name: user.to_vec(),
        auth_params: vec![0; auth_len],
        priv_params: vec![0; priv_len],
    }
}

pub fn scoped(pdu: AnyPdu) -> ScopedPdu {
    ScopedPdu {
        context_engine_id: ENGINE_ID.to_vec(),
        context_name: Vec::new(),
        pdu,
    }
}

pub fn v3(msg_flags: u8, usm: UsmParams, data: ScopedPduData) -> Message {
    Message::V3(V3Message {
        msg_id: 0x7FFF_FFFF,
        max_size: 65_507,
        flags: msg_flags,
        security_model: 3,
        usm,
        data,
    })
}

pub fn v3_auth_get() -> Message {
    v3(
        flags::AUTH | flags::REPORTABLE,
        usm(b"authsha", 12, 0),
        ScopedPduData::Plain(scoped(pdu(PduKind::Get, vec![VarBind::null(sys_descr())]))),
    )
}

pub fn v3_report() -> Message {
    v3(
        0,
        usm(b"", 0, 0),
        ScopedPduData::Plain(scoped(pdu(
            PduKind::Report,
            vec![VarBind::new(
                Oid::new(&[1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0]),
                Value::Counter32(7),
            )],
        ))),
    )
}

pub fn v3_response() -> Message {
    v3(
        flags::AUTH,
        usm(b"authsha", 24, 0),
        ScopedPduData::Plain(scoped(pdu(PduKind::Response, v2_values()))),
    )
}

pub fn v3_encrypted() -> Message {
    v3(
        flags::AUTH | flags::PRIV | flags::REPORTABLE,
        usm(b"privaes", 12, 8),
        ScopedPduData::Encrypted((0..=255).collect()),
    )
}

/// Every well-formed fixture, named for failure messages.
pub fn all() -> Vec<(&'static str, Message)> {
    vec![
        ("v2c_get", v2c_get()),
        ("v2c_response", v2c_response()),
        ("v2c_get_bulk", v2c_get_bulk()),
        (
            "v2c_inform",
            community(Version::V2c, pdu(PduKind::Inform, v2_values())),
        ),
        (
            "v2c_trap",
            community(Version::V2c, pdu(PduKind::TrapV2, v2_values())),
        ),
        (
            "v2c_set",
            community(Version::V2c, pdu(PduKind::Set, v1_values())),
        ),
        (
            "v2c_empty",
            community(Version::V2c, pdu(PduKind::Get, Vec::new())),
        ),
        ("v1_get", v1_get()),
        ("v1_response", v1_response()),
        ("v1_trap", v1_trap()),
        ("v3_auth_get", v3_auth_get()),
        ("v3_report", v3_report()),
        ("v3_response", v3_response()),
        ("v3_encrypted", v3_encrypted()),
    ]
}
