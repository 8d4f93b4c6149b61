//! rasn-snmp as an independent oracle: our encoding must decode with
//! rasn-snmp to the same content, rasn-snmp's encoding must decode with
//! ours, and (both being DER-style) the bytes must be identical.

use rasn::types::{FixedOctetString, Integer, ObjectIdentifier, OctetString};
use rasn_smi::v1 as smi1;
use rasn_smi::v2 as smi2;
use rasn_snmp::{v1, v2, v2c, v3};

use super::fixtures;
use super::raw;
use crate::snmp::codec::{decode_message, encode_message};
use crate::snmp::oid::Oid;
use crate::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPdu, ScopedPduData, TrapV1, UsmParams,
    V3Message, Version,
};
use crate::snmp::value::{Value, VarBind};

fn rasn_oid(o: &Oid) -> ObjectIdentifier {
    ObjectIdentifier::new(o.0.clone()).expect("fixture OIDs are valid")
}

fn our_oid(o: &ObjectIdentifier) -> Oid {
    Oid(o.to_vec())
}

fn bytes(b: &[u8]) -> OctetString {
    OctetString::from(b.to_vec())
}

fn int(i: &Integer) -> i32 {
    i32::try_from(i).expect("fixture integers fit i32")
}

fn opaque(b: &[u8]) -> smi1::Opaque {
    // rasn-smi keeps Opaque's field private: build it from its encoding.
    rasn::ber::decode(&raw::tlv(0x44, b)).expect("an Opaque encoding")
}

fn ip(a: [u8; 4]) -> smi1::IpAddress {
    smi1::IpAddress(FixedOctetString::from(a))
}

// ---- SMIv2 values (v2c, v3) ----

fn to_v2_value(v: &Value) -> v2::VarBindValue {
    use smi2::{ApplicationSyntax as A, ObjectSyntax as O, SimpleSyntax as S};
    let simple = |s| v2::VarBindValue::Value(O::Simple(s));
    let app = |a| v2::VarBindValue::Value(O::ApplicationWide(a));
    match v {
        Value::Integer(i) => simple(S::Integer((*i).into())),
        Value::OctetString(b) => simple(S::String(bytes(b))),
        Value::ObjectId(o) => simple(S::ObjectId(rasn_oid(o))),
        Value::Null => v2::VarBindValue::Unspecified,
        Value::IpAddress(a) => app(A::Address(ip(*a))),
        Value::Counter32(u) => app(A::Counter(smi1::Counter(*u))),
        Value::Gauge32(u) => app(A::Unsigned(smi1::Gauge(*u))),
        Value::TimeTicks(u) => app(A::Ticks(smi1::TimeTicks(*u))),
        Value::Opaque(b) => app(A::Arbitrary(opaque(b))),
        Value::Counter64(u) => app(A::BigCounter(smi2::Counter64(*u))),
        Value::NoSuchObject => v2::VarBindValue::NoSuchObject,
        Value::NoSuchInstance => v2::VarBindValue::NoSuchInstance,
        Value::EndOfMibView => v2::VarBindValue::EndOfMibView,
    }
}

fn from_v2_value(v: &v2::VarBindValue) -> Value {
    use smi2::{ApplicationSyntax as A, ObjectSyntax as O, SimpleSyntax as S};
    match v {
        v2::VarBindValue::Value(O::Simple(S::Integer(i))) => Value::Integer(int(i)),
        v2::VarBindValue::Value(O::Simple(S::String(s))) => Value::OctetString(s.to_vec()),
        v2::VarBindValue::Value(O::Simple(S::ObjectId(o))) => Value::ObjectId(our_oid(o)),
        v2::VarBindValue::Value(O::ApplicationWide(a)) => match a {
            A::Address(smi1::IpAddress(a)) => Value::IpAddress(**a),
            A::Counter(c) => Value::Counter32(c.0),
            A::Unsigned(g) => Value::Gauge32(g.0),
            A::Ticks(t) => Value::TimeTicks(t.0),
            A::Arbitrary(o) => Value::Opaque(o.as_ref().to_vec()),
            A::BigCounter(c) => Value::Counter64(c.0),
        },
        v2::VarBindValue::Unspecified => Value::Null,
        v2::VarBindValue::NoSuchObject => Value::NoSuchObject,
        v2::VarBindValue::NoSuchInstance => Value::NoSuchInstance,
        v2::VarBindValue::EndOfMibView => Value::EndOfMibView,
    }
}

fn to_v2_varbinds(vbs: &[VarBind]) -> Vec<v2::VarBind> {
    vbs.iter()
        .map(|vb| v2::VarBind {
            name: rasn_oid(&vb.oid),
            value: to_v2_value(&vb.value),
        })
        .collect()
}

fn from_v2_varbinds(vbs: &[v2::VarBind]) -> Vec<VarBind> {
    vbs.iter()
        .map(|vb| VarBind::new(our_oid(&vb.name), from_v2_value(&vb.value)))
        .collect()
}

fn to_v2_pdus(pdu: &AnyPdu) -> v2::Pdus {
    let AnyPdu::Pdu(p) = pdu else {
        panic!("no v1 Trap in v2 fixtures");
    };
    let unsigned = |i: i32| u32::try_from(i).expect("fixtures use non-negative error fields");
    let inner = v2::Pdu {
        request_id: p.request_id,
        error_status: unsigned(p.error_status),
        error_index: unsigned(p.error_index),
        variable_bindings: to_v2_varbinds(&p.varbinds),
    };
    match p.kind {
        PduKind::Get => v2::Pdus::GetRequest(v2::GetRequest(inner)),
        PduKind::GetNext => v2::Pdus::GetNextRequest(v2::GetNextRequest(inner)),
        PduKind::Response => v2::Pdus::Response(v2::Response(inner)),
        PduKind::Set => v2::Pdus::SetRequest(v2::SetRequest(inner)),
        PduKind::GetBulk => v2::Pdus::GetBulkRequest(v2::GetBulkRequest(v2::BulkPdu {
            request_id: inner.request_id,
            non_repeaters: inner.error_status,
            max_repetitions: inner.error_index,
            variable_bindings: inner.variable_bindings,
        })),
        PduKind::Inform => v2::Pdus::InformRequest(v2::InformRequest(inner)),
        PduKind::TrapV2 => v2::Pdus::Trap(v2::Trap(inner)),
        PduKind::Report => v2::Pdus::Report(v2::Report(inner)),
    }
}

fn from_v2_pdus(pdus: &v2::Pdus) -> AnyPdu {
    let ours = |kind, p: &v2::Pdu| {
        AnyPdu::Pdu(Pdu {
            kind,
            request_id: p.request_id,
            error_status: p.error_status as i32,
            error_index: p.error_index as i32,
            varbinds: from_v2_varbinds(&p.variable_bindings),
        })
    };
    match pdus {
        v2::Pdus::GetRequest(p) => ours(PduKind::Get, &p.0),
        v2::Pdus::GetNextRequest(p) => ours(PduKind::GetNext, &p.0),
        v2::Pdus::Response(p) => ours(PduKind::Response, &p.0),
        v2::Pdus::SetRequest(p) => ours(PduKind::Set, &p.0),
        v2::Pdus::GetBulkRequest(b) => AnyPdu::Pdu(Pdu {
            kind: PduKind::GetBulk,
            request_id: b.0.request_id,
            error_status: b.0.non_repeaters as i32,
            error_index: b.0.max_repetitions as i32,
            varbinds: from_v2_varbinds(&b.0.variable_bindings),
        }),
        v2::Pdus::InformRequest(p) => ours(PduKind::Inform, &p.0),
        v2::Pdus::Trap(p) => ours(PduKind::TrapV2, &p.0),
        v2::Pdus::Report(p) => ours(PduKind::Report, &p.0),
    }
}

// ---- SMIv1 values and PDUs ----

fn to_v1_value(v: &Value) -> smi1::ObjectSyntax {
    use smi1::{ApplicationSyntax as A, ObjectSyntax as O, SimpleSyntax as S};
    match v {
        Value::Integer(i) => O::Simple(S::Number((*i).into())),
        Value::OctetString(b) => O::Simple(S::String(bytes(b))),
        Value::ObjectId(o) => O::Simple(S::Object(rasn_oid(o))),
        Value::Null => O::Simple(S::Empty),
        Value::IpAddress(a) => {
            O::ApplicationWide(A::Address(smi1::NetworkAddress::Internet(ip(*a))))
        }
        Value::Counter32(u) => O::ApplicationWide(A::Counter(smi1::Counter(*u))),
        Value::Gauge32(u) => O::ApplicationWide(A::Gauge(smi1::Gauge(*u))),
        Value::TimeTicks(u) => O::ApplicationWide(A::Ticks(smi1::TimeTicks(*u))),
        Value::Opaque(b) => O::ApplicationWide(A::Arbitrary(opaque(b))),
        other => panic!("{other:?} is not an SMIv1 value"),
    }
}

fn from_v1_value(v: &smi1::ObjectSyntax) -> Value {
    use smi1::{ApplicationSyntax as A, NetworkAddress, ObjectSyntax as O, SimpleSyntax as S};
    match v {
        O::Simple(S::Number(i)) => Value::Integer(int(i)),
        O::Simple(S::String(s)) => Value::OctetString(s.to_vec()),
        O::Simple(S::Object(o)) => Value::ObjectId(our_oid(o)),
        O::Simple(S::Empty) => Value::Null,
        O::ApplicationWide(A::Address(NetworkAddress::Internet(smi1::IpAddress(a)))) => {
            Value::IpAddress(**a)
        }
        O::ApplicationWide(A::Counter(c)) => Value::Counter32(c.0),
        O::ApplicationWide(A::Gauge(g)) => Value::Gauge32(g.0),
        O::ApplicationWide(A::Ticks(t)) => Value::TimeTicks(t.0),
        O::ApplicationWide(A::Arbitrary(o)) => Value::Opaque(o.as_ref().to_vec()),
    }
}

fn to_v1_pdus(pdu: &AnyPdu) -> v1::Pdus {
    let varbinds = |vbs: &[VarBind]| {
        vbs.iter()
            .map(|vb| v1::VarBind {
                name: rasn_oid(&vb.oid),
                value: to_v1_value(&vb.value),
            })
            .collect()
    };
    match pdu {
        AnyPdu::Pdu(p) => {
            let inner = v1::Pdu {
                request_id: p.request_id.into(),
                error_status: p.error_status.into(),
                error_index: p.error_index.into(),
                variable_bindings: varbinds(&p.varbinds),
            };
            match p.kind {
                PduKind::Get => v1::Pdus::GetRequest(v1::GetRequest(inner)),
                PduKind::GetNext => v1::Pdus::GetNextRequest(v1::GetNextRequest(inner)),
                PduKind::Response => v1::Pdus::GetResponse(v1::GetResponse(inner)),
                PduKind::Set => v1::Pdus::SetRequest(v1::SetRequest(inner)),
                other => panic!("{other:?} is not a v1 PDU"),
            }
        }
        AnyPdu::TrapV1(t) => v1::Pdus::Trap(v1::Trap {
            enterprise: rasn_oid(&t.enterprise),
            agent_addr: smi1::NetworkAddress::Internet(ip(t.agent_addr)),
            generic_trap: t.generic_trap.into(),
            specific_trap: t.specific_trap.into(),
            time_stamp: smi1::TimeTicks(t.time_stamp),
            variable_bindings: varbinds(&t.varbinds),
        }),
    }
}

fn from_v1_pdus(pdus: &v1::Pdus) -> AnyPdu {
    let varbinds = |vbs: &[v1::VarBind]| {
        vbs.iter()
            .map(|vb| VarBind::new(our_oid(&vb.name), from_v1_value(&vb.value)))
            .collect()
    };
    let ours = |kind, p: &v1::Pdu| {
        AnyPdu::Pdu(Pdu {
            kind,
            request_id: int(&p.request_id),
            error_status: int(&p.error_status),
            error_index: int(&p.error_index),
            varbinds: varbinds(&p.variable_bindings),
        })
    };
    match pdus {
        v1::Pdus::GetRequest(p) => ours(PduKind::Get, &p.0),
        v1::Pdus::GetNextRequest(p) => ours(PduKind::GetNext, &p.0),
        v1::Pdus::GetResponse(p) => ours(PduKind::Response, &p.0),
        v1::Pdus::SetRequest(p) => ours(PduKind::Set, &p.0),
        v1::Pdus::Trap(t) => {
            let smi1::NetworkAddress::Internet(smi1::IpAddress(addr)) = &t.agent_addr;
            AnyPdu::TrapV1(TrapV1 {
                enterprise: our_oid(&t.enterprise),
                agent_addr: **addr,
                generic_trap: int(&t.generic_trap),
                specific_trap: int(&t.specific_trap),
                time_stamp: t.time_stamp.0,
                varbinds: varbinds(&t.variable_bindings),
            })
        }
    }
}

// ---- whole messages ----

fn to_v3(m: &V3Message) -> v3::Message {
    let usm = v3::USMSecurityParameters {
        authoritative_engine_id: bytes(&m.usm.engine_id),
        authoritative_engine_boots: m.usm.engine_boots.into(),
        authoritative_engine_time: m.usm.engine_time.into(),
        user_name: bytes(&m.usm.user_name),
        authentication_parameters: bytes(&m.usm.auth_params),
        privacy_parameters: bytes(&m.usm.priv_params),
    };
    v3::Message {
        version: 3.into(),
        global_data: v3::HeaderData {
            message_id: m.msg_id.into(),
            max_size: m.max_size.into(),
            flags: bytes(&[m.flags]),
            security_model: m.security_model.into(),
        },
        security_parameters: bytes(&rasn::ber::encode(&usm).unwrap()),
        scoped_data: match &m.data {
            ScopedPduData::Plain(sp) => v3::ScopedPduData::CleartextPdu(v3::ScopedPdu {
                engine_id: bytes(&sp.context_engine_id),
                name: bytes(&sp.context_name),
                data: to_v2_pdus(&sp.pdu),
            }),
            ScopedPduData::Encrypted(b) => v3::ScopedPduData::EncryptedPdu(bytes(b)),
        },
    }
}

fn from_v3(m: &v3::Message) -> V3Message {
    let usm: v3::USMSecurityParameters = rasn::ber::decode(&m.security_parameters).unwrap();
    let flags = m.global_data.flags.to_vec();
    assert_eq!(flags.len(), 1);
    V3Message {
        msg_id: int(&m.global_data.message_id),
        max_size: int(&m.global_data.max_size),
        flags: flags[0],
        security_model: int(&m.global_data.security_model),
        usm: UsmParams {
            engine_id: usm.authoritative_engine_id.to_vec(),
            engine_boots: int(&usm.authoritative_engine_boots),
            engine_time: int(&usm.authoritative_engine_time),
            user_name: usm.user_name.to_vec(),
            auth_params: usm.authentication_parameters.to_vec(),
            priv_params: usm.privacy_parameters.to_vec(),
        },
        data: match &m.scoped_data {
            v3::ScopedPduData::CleartextPdu(sp) => ScopedPduData::Plain(ScopedPdu {
                context_engine_id: sp.engine_id.to_vec(),
                context_name: sp.name.to_vec(),
                pdu: from_v2_pdus(&sp.data),
            }),
            v3::ScopedPduData::EncryptedPdu(b) => ScopedPduData::Encrypted(b.to_vec()),
        },
    }
}

fn rasn_encode(msg: &Message) -> Vec<u8> {
    match msg {
        Message::Community(m) if m.version == Version::V1 => rasn::ber::encode(&v1::Message {
            version: 0.into(),
            community: bytes(&m.community),
            data: to_v1_pdus(&m.pdu),
        }),
        Message::Community(m) => rasn::ber::encode(&v2c::Message {
            version: 1.into(),
            community: bytes(&m.community),
            data: to_v2_pdus(&m.pdu),
        }),
        Message::V3(m) => rasn::ber::encode(&to_v3(m)),
    }
    .expect("rasn encodes every fixture")
}

/// Decode with rasn-snmp, using `like` only to pick the message type.
fn rasn_decode(bytes: &[u8], like: &Message) -> Message {
    match like {
        Message::Community(m) if m.version == Version::V1 => {
            let d: v1::Message<v1::Pdus> = rasn::ber::decode(bytes).unwrap();
            assert_eq!(int(&d.version), 0);
            Message::Community(CommunityMessage {
                version: Version::V1,
                community: d.community.to_vec(),
                pdu: from_v1_pdus(&d.data),
            })
        }
        Message::Community(_) => {
            let d: v2c::Message<v2::Pdus> = rasn::ber::decode(bytes).unwrap();
            assert_eq!(int(&d.version), 1);
            Message::Community(CommunityMessage {
                version: Version::V2c,
                community: d.community.to_vec(),
                pdu: from_v2_pdus(&d.data),
            })
        }
        Message::V3(_) => {
            let d: v3::Message = rasn::ber::decode(bytes).unwrap();
            assert_eq!(int(&d.version), 3);
            Message::V3(from_v3(&d))
        }
    }
}

#[test]
fn rasn_snmp_reads_what_we_write() {
    for (name, msg) in fixtures::all() {
        let mut ours = Vec::new();
        encode_message(&msg, &mut ours).unwrap();
        assert_eq!(rasn_decode(&ours, &msg), msg, "{name}");
    }
}

#[test]
fn we_read_what_rasn_snmp_writes() {
    for (name, msg) in fixtures::all() {
        let theirs = rasn_encode(&msg);
        let decoded = decode_message(&theirs).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.message, msg, "{name}");
    }
}

#[test]
fn both_encoders_write_the_same_bytes() {
    for (name, msg) in fixtures::all() {
        let mut ours = Vec::new();
        encode_message(&msg, &mut ours).unwrap();
        assert_eq!(ours, rasn_encode(&msg), "{name}");
    }
}
