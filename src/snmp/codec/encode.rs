//! Message encoding. Every length is computed (by `size`) before its
//! element is written, so the output is produced front to back into the
//! caller's buffer with no temporary buffers and no shifting; the offset of
//! msgAuthenticationParameters is therefore simply where it was written.

use super::error::EncodeError;
use super::limits::{MAX_USER_NAME, MIN_MAX_SIZE, USM};
use super::size::{
    PduLen, community_fixed_len, header_data_len, scoped_fixed_len, usm_len, v3_fixed_len,
    varbind_content_len, varbinds,
};
use super::tag;
use super::writer::{header, octets, oid, signed, tlv_len, unsigned};
use crate::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, ScopedPdu, ScopedPduData, UsmParams, V3Message, Version,
    flags,
};
use crate::snmp::value::{Value, VarBind};

/// Append the BER encoding of `msg` to `out`.
///
/// For v3, returns the offset in `out` of the content of
/// msgAuthenticationParameters: the caller puts a zero-filled placeholder
/// of the MAC's length in `usm.auth_params`, computes the MAC over the
/// encoded message and writes it there. For a v3 message with the privFlag
/// the scoped PDU must already be `Encrypted`. On error `out` is left as
/// it was.
pub fn encode_message(msg: &Message, out: &mut Vec<u8>) -> Result<Option<usize>, EncodeError> {
    let start = out.len();
    let result = match msg {
        Message::Community(m) => community(m, out).map(|()| None),
        Message::V3(m) => v3(m, out).map(Some),
    };
    if result.is_err() {
        out.truncate(start);
    }
    result
}

/// Append a ScopedPDU, for USM to encrypt. On error `out` is left as it
/// was.
pub fn encode_scoped_pdu(sp: &ScopedPdu, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let start = out.len();
    let result = scoped_pdu(sp, out);
    if result.is_err() {
        out.truncate(start);
    }
    result
}

fn community(m: &CommunityMessage, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    if m.version == Version::V3 {
        return Err(EncodeError::OutOfRange {
            field: "community message version",
            value: Version::V3 as i64,
        });
    }
    let pdu_len = PduLen::of(&m.pdu);
    let content = community_fixed_len(m) + tlv_len(pdu_len.content());
    out.reserve(tlv_len(content));
    header(out, tag::SEQUENCE, content);
    signed(out, tag::INTEGER, m.version as i64);
    octets(out, tag::OCTET_STRING, &m.community);
    any_pdu(&m.pdu, pdu_len, m.version, out)
}

fn at_least(field: &'static str, value: i32, min: i32) -> Result<(), EncodeError> {
    if value < min {
        return Err(EncodeError::OutOfRange {
            field,
            value: i64::from(value),
        });
    }
    Ok(())
}

fn check_v3(m: &V3Message) -> Result<(), EncodeError> {
    at_least("msgID", m.msg_id, 0)?;
    at_least("msgMaxSize", m.max_size, MIN_MAX_SIZE)?;
    if m.security_model != USM {
        return Err(EncodeError::UnsupportedSecurityModel(m.security_model));
    }
    at_least("msgAuthoritativeEngineBoots", m.usm.engine_boots, 0)?;
    at_least("msgAuthoritativeEngineTime", m.usm.engine_time, 0)?;
    if m.usm.user_name.len() > MAX_USER_NAME {
        return Err(EncodeError::OutOfRange {
            field: "msgUserName length",
            value: m.usm.user_name.len() as i64,
        });
    }
    let privacy = m.flags & flags::PRIV != 0;
    if privacy && m.flags & flags::AUTH == 0 {
        return Err(EncodeError::InvalidFlags(m.flags));
    }
    if privacy != matches!(m.data, ScopedPduData::Encrypted(_)) {
        return Err(EncodeError::PrivFlagMismatch);
    }
    Ok(())
}

/// msgData with its length computed once.
enum Data<'a> {
    Plain(&'a ScopedPdu, PduLen),
    Encrypted(&'a [u8]),
}

impl Data<'_> {
    fn of(data: &ScopedPduData) -> Data<'_> {
        match data {
            ScopedPduData::Plain(sp) => Data::Plain(sp, PduLen::of(&sp.pdu)),
            ScopedPduData::Encrypted(b) => Data::Encrypted(b),
        }
    }

    fn element_len(&self) -> usize {
        match self {
            Data::Plain(sp, pdu_len) => scoped_len(sp, *pdu_len),
            Data::Encrypted(b) => tlv_len(b.len()),
        }
    }

    fn write(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Data::Plain(sp, pdu_len) => scoped_pdu_with(sp, *pdu_len, out),
            Data::Encrypted(b) => {
                octets(out, tag::OCTET_STRING, b);
                Ok(())
            }
        }
    }
}

fn v3(m: &V3Message, out: &mut Vec<u8>) -> Result<usize, EncodeError> {
    check_v3(m)?;
    let data = Data::of(&m.data);
    let content = v3_fixed_len(m) + data.element_len();
    out.reserve(tlv_len(content));
    header(out, tag::SEQUENCE, content);
    signed(out, tag::INTEGER, Version::V3 as i64);

    header(out, tag::SEQUENCE, header_data_len(m));
    signed(out, tag::INTEGER, i64::from(m.msg_id));
    signed(out, tag::INTEGER, i64::from(m.max_size));
    octets(out, tag::OCTET_STRING, &[m.flags]);
    signed(out, tag::INTEGER, i64::from(m.security_model));

    let auth_offset = usm(&m.usm, out);
    data.write(out)?;
    Ok(auth_offset)
}

/// msgSecurityParameters: an OCTET STRING wrapping UsmSecurityParameters.
fn usm(u: &UsmParams, out: &mut Vec<u8>) -> usize {
    let content = usm_len(u);
    header(out, tag::OCTET_STRING, tlv_len(content));
    header(out, tag::SEQUENCE, content);
    octets(out, tag::OCTET_STRING, &u.engine_id);
    signed(out, tag::INTEGER, i64::from(u.engine_boots));
    signed(out, tag::INTEGER, i64::from(u.engine_time));
    octets(out, tag::OCTET_STRING, &u.user_name);
    header(out, tag::OCTET_STRING, u.auth_params.len());
    let auth_offset = out.len();
    out.extend_from_slice(&u.auth_params);
    octets(out, tag::OCTET_STRING, &u.priv_params);
    auth_offset
}

fn scoped_len(sp: &ScopedPdu, pdu_len: PduLen) -> usize {
    tlv_len(scoped_fixed_len(sp) + tlv_len(pdu_len.content()))
}

fn scoped_pdu(sp: &ScopedPdu, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let pdu_len = PduLen::of(&sp.pdu);
    out.reserve(scoped_len(sp, pdu_len));
    scoped_pdu_with(sp, pdu_len, out)
}

fn scoped_pdu_with(sp: &ScopedPdu, pdu_len: PduLen, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    header(
        out,
        tag::SEQUENCE,
        scoped_fixed_len(sp) + tlv_len(pdu_len.content()),
    );
    octets(out, tag::OCTET_STRING, &sp.context_engine_id);
    octets(out, tag::OCTET_STRING, &sp.context_name);
    any_pdu(&sp.pdu, pdu_len, Version::V3, out)
}

fn any_pdu(
    pdu: &AnyPdu,
    len: PduLen,
    version: Version,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let pdu_tag = match pdu {
        AnyPdu::Pdu(p) => tag::pdu(p.kind.tag()),
        AnyPdu::TrapV1(_) => tag::TRAP_V1,
    };
    if !tag::pdu_in_version(pdu_tag, version) {
        return Err(EncodeError::PduNotInVersion {
            tag: pdu_tag,
            version,
        });
    }
    header(out, pdu_tag, len.content());
    match pdu {
        AnyPdu::Pdu(p) => {
            signed(out, tag::INTEGER, i64::from(p.request_id));
            signed(out, tag::INTEGER, i64::from(p.error_status));
            signed(out, tag::INTEGER, i64::from(p.error_index));
        }
        AnyPdu::TrapV1(t) => {
            oid(out, &t.enterprise)?;
            octets(out, tag::IP_ADDRESS, &t.agent_addr);
            signed(out, tag::INTEGER, i64::from(t.generic_trap));
            signed(out, tag::INTEGER, i64::from(t.specific_trap));
            unsigned(out, tag::TIME_TICKS, u64::from(t.time_stamp));
        }
    }
    header(out, tag::SEQUENCE, len.list);
    let v1 = version == Version::V1;
    for vb in varbinds(pdu) {
        varbind(vb, v1, out)?;
    }
    Ok(())
}

fn varbind(vb: &VarBind, v1: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    header(out, tag::SEQUENCE, varbind_content_len(vb));
    oid(out, &vb.oid)?;
    value(&vb.value, v1, out)
}

pub(super) fn value_tag(v: &Value) -> u8 {
    match v {
        Value::Integer(_) => tag::INTEGER,
        Value::OctetString(_) => tag::OCTET_STRING,
        Value::Null => tag::NULL,
        Value::ObjectId(_) => tag::OBJECT_IDENTIFIER,
        Value::IpAddress(_) => tag::IP_ADDRESS,
        Value::Counter32(_) => tag::COUNTER32,
        Value::Gauge32(_) => tag::GAUGE32,
        Value::TimeTicks(_) => tag::TIME_TICKS,
        Value::Opaque(_) => tag::OPAQUE,
        Value::Counter64(_) => tag::COUNTER64,
        Value::NoSuchObject => tag::NO_SUCH_OBJECT,
        Value::NoSuchInstance => tag::NO_SUCH_INSTANCE,
        Value::EndOfMibView => tag::END_OF_MIB_VIEW,
    }
}

/// Counter64 and the exceptions are SMIv2/RFC 3416 only; RFC 3584 §4.2
/// has the responder translate them before a v1 response is built.
fn in_v1(v: &Value) -> bool {
    !matches!(v, Value::Counter64(_)) && !v.is_exception()
}

fn value(v: &Value, v1: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let t = value_tag(v);
    if v1 && !in_v1(v) {
        return Err(EncodeError::ValueNotInV1(t));
    }
    match v {
        Value::Integer(i) => signed(out, t, i64::from(*i)),
        Value::OctetString(b) | Value::Opaque(b) => octets(out, t, b),
        Value::Null | Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView => {
            header(out, t, 0)
        }
        Value::ObjectId(o) => oid(out, o)?,
        Value::IpAddress(a) => octets(out, t, a),
        Value::Counter32(u) | Value::Gauge32(u) | Value::TimeTicks(u) => {
            unsigned(out, t, u64::from(*u))
        }
        Value::Counter64(u) => unsigned(out, t, *u),
    }
    Ok(())
}
