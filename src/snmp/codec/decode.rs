//! Message decoding, in the order of RFC 3412 §7.2 so that each failure
//! maps to exactly one counter: the outer SEQUENCE and msgVersion first (a
//! version we do not speak is not parsed further), then the rest of the
//! message (any failure is a parse error), then msgSecurityModel and
//! msgFlags are judged, and only then are the USM parameters parsed, as
//! USM itself would (RFC 3414 §3.2 step 1).

use super::error::{DecodeError, ParseErrorKind};
use super::limits::{MAX_USER_NAME, MIN_MAX_SIZE, USM};
use super::reader::{Element, Reader, el_i32, el_null, el_oid, el_unsigned};
use super::tag;
use crate::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, Pdu, PduKind, ScopedPdu, ScopedPduData, TrapV1, UsmParams,
    V3Message, Version, flags,
};
use crate::snmp::value::{Value, VarBind};

type Result<T> = std::result::Result<T, DecodeError>;

/// A decoded message and, for v3, where its MAC lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub message: Message,
    /// Offset within the decoded buffer of the content octets of
    /// msgAuthenticationParameters (their length is
    /// `usm.auth_params.len()`): USM zeroes them there and computes the HMAC
    /// over the whole buffer. `None` for v1 and v2c.
    pub auth_offset: Option<usize>,
}

fn fail<T>(offset: usize, kind: ParseErrorKind) -> Result<T> {
    Err(DecodeError::parse(offset, kind))
}

/// Decode one SNMP message, which must fill `bytes` exactly.
pub fn decode_message(bytes: &[u8]) -> Result<Decoded> {
    let mut top = Reader::new(bytes);
    let mut msg = top.sequence()?;
    top.finish()?;
    match msg.i32("msgVersion")? {
        0 => community(msg, Version::V1),
        1 => community(msg, Version::V2c),
        3 => v3(msg),
        other => Err(DecodeError::BadVersion(other)),
    }
}

/// Decode a decrypted ScopedPDU. Bytes after its SEQUENCE are ignored:
/// block ciphers pad the plaintext (RFC 3414 §8.1.1.2) and the padding is
/// not self-describing. Inside the SEQUENCE decoding is as strict as ever.
pub fn decode_scoped_pdu(plaintext: &[u8]) -> Result<ScopedPdu> {
    scoped_pdu(Reader::new(plaintext).sequence()?)
}

fn community(mut msg: Reader<'_>, version: Version) -> Result<Decoded> {
    let community = msg.octets(tag::OCTET_STRING)?.to_vec();
    let pdu = any_pdu(&mut msg, version)?;
    msg.finish()?;
    Ok(Decoded {
        message: Message::Community(CommunityMessage {
            version,
            community,
            pdu,
        }),
        auth_offset: None,
    })
}

fn v3(mut msg: Reader<'_>) -> Result<Decoded> {
    let mut header = msg.sequence()?;
    let msg_id = header.i32_at_least(0, "msgID")?;
    let max_size = header.i32_at_least(MIN_MAX_SIZE, "msgMaxSize")?;
    let flags_el = header.expect(tag::OCTET_STRING)?;
    let msg_flags = match flags_el.content.remaining() {
        [f] => *f,
        _ => return fail(flags_el.offset, ParseErrorKind::BadFlagsLength),
    };
    let security_model = header.i32_at_least(1, "msgSecurityModel")?;
    header.finish()?;

    let security_params = msg.expect(tag::OCTET_STRING)?.content;
    let data_el = msg.element()?;
    msg.finish()?;
    let data = scoped_pdu_data(&data_el)?;

    if security_model != USM {
        return Err(DecodeError::UnknownSecurityModel {
            msg_id,
            model: security_model,
        });
    }
    let privacy = msg_flags & flags::PRIV != 0;
    if privacy && msg_flags & flags::AUTH == 0 {
        return Err(DecodeError::InvalidFlags {
            msg_id,
            flags: msg_flags,
        });
    }
    let (usm, auth_offset) = usm_params(security_params)?;
    if privacy != matches!(data, ScopedPduData::Encrypted(_)) {
        return fail(data_el.offset, ParseErrorKind::PrivFlagMismatch);
    }
    Ok(Decoded {
        message: Message::V3(V3Message {
            msg_id,
            max_size,
            flags: msg_flags,
            security_model,
            usm,
            data,
        }),
        auth_offset: Some(auth_offset),
    })
}

fn scoped_pdu_data(el: &Element<'_>) -> Result<ScopedPduData> {
    match el.tag {
        tag::SEQUENCE => Ok(ScopedPduData::Plain(scoped_pdu(el.content.clone())?)),
        tag::OCTET_STRING => Ok(ScopedPduData::Encrypted(el.content.remaining().to_vec())),
        t if t == tag::OCTET_STRING | tag::CONSTRUCTED => fail(
            el.offset,
            ParseErrorKind::ConstructedForm(tag::OCTET_STRING),
        ),
        found => fail(
            el.offset,
            ParseErrorKind::UnexpectedTag {
                expected: tag::SEQUENCE,
                found,
            },
        ),
    }
}

/// UsmSecurityParameters (RFC 3414 §2.4) from the content of
/// msgSecurityParameters, with the offset of msgAuthenticationParameters'
/// content.
fn usm_params(mut octets: Reader<'_>) -> Result<(UsmParams, usize)> {
    let mut seq = octets.sequence()?;
    octets.finish()?;
    let engine_id = seq.octets(tag::OCTET_STRING)?.to_vec();
    let engine_boots = seq.i32_at_least(0, "msgAuthoritativeEngineBoots")?;
    let engine_time = seq.i32_at_least(0, "msgAuthoritativeEngineTime")?;
    let user_el = seq.expect(tag::OCTET_STRING)?;
    let user_name = user_el.content.remaining();
    if user_name.len() > MAX_USER_NAME {
        return fail(user_el.offset, ParseErrorKind::UserNameTooLong);
    }
    let auth = seq.expect(tag::OCTET_STRING)?.content;
    let priv_params = seq.octets(tag::OCTET_STRING)?.to_vec();
    seq.finish()?;
    let params = UsmParams {
        engine_id,
        engine_boots,
        engine_time,
        user_name: user_name.to_vec(),
        auth_params: auth.remaining().to_vec(),
        priv_params,
    };
    Ok((params, auth.offset()))
}

fn scoped_pdu(mut seq: Reader<'_>) -> Result<ScopedPdu> {
    let context_engine_id = seq.octets(tag::OCTET_STRING)?.to_vec();
    let context_name = seq.octets(tag::OCTET_STRING)?.to_vec();
    let pdu = any_pdu(&mut seq, Version::V3)?;
    seq.finish()?;
    Ok(ScopedPdu {
        context_engine_id,
        context_name,
        pdu,
    })
}

fn pdu_kind(t: u8) -> Option<PduKind> {
    [
        PduKind::Get,
        PduKind::GetNext,
        PduKind::Response,
        PduKind::Set,
        PduKind::GetBulk,
        PduKind::Inform,
        PduKind::TrapV2,
        PduKind::Report,
    ]
    .into_iter()
    .find(|k| tag::pdu(k.tag()) == t)
}

fn any_pdu(r: &mut Reader<'_>, version: Version) -> Result<AnyPdu> {
    let el = r.element()?;
    let known = el.tag == tag::TRAP_V1 || pdu_kind(el.tag).is_some();
    if !known {
        return fail(el.offset, ParseErrorKind::UnknownPdu(el.tag));
    }
    if !tag::pdu_in_version(el.tag, version) {
        return fail(el.offset, ParseErrorKind::PduNotInVersion(el.tag));
    }
    let v1 = version == Version::V1;
    let mut c = el.content;
    let pdu = match pdu_kind(el.tag) {
        Some(kind) => AnyPdu::Pdu(Pdu {
            kind,
            request_id: c.i32("request-id")?,
            error_status: c.i32("error-status")?,
            error_index: c.i32("error-index")?,
            varbinds: varbind_list(&mut c, v1)?,
        }),
        None => AnyPdu::TrapV1(TrapV1 {
            enterprise: el_oid(&c.expect(tag::OBJECT_IDENTIFIER)?)?,
            agent_addr: ip_address(&c.expect(tag::IP_ADDRESS)?)?,
            generic_trap: c.i32("generic-trap")?,
            specific_trap: c.i32("specific-trap")?,
            time_stamp: u32_value(&c.expect(tag::TIME_TICKS)?, "time-stamp")?,
            varbinds: varbind_list(&mut c, v1)?,
        }),
    };
    c.finish()?;
    Ok(pdu)
}

fn varbind_list(r: &mut Reader<'_>, v1: bool) -> Result<Vec<VarBind>> {
    let mut list = r.sequence()?;
    let mut varbinds = Vec::new();
    while !list.is_empty() {
        let mut vb = list.sequence()?;
        let oid = el_oid(&vb.expect(tag::OBJECT_IDENTIFIER)?)?;
        let value = value(&vb.element()?, v1)?;
        vb.finish()?;
        varbinds.push(VarBind { oid, value });
    }
    Ok(varbinds)
}

fn ip_address(el: &Element<'_>) -> Result<[u8; 4]> {
    el.content
        .remaining()
        .try_into()
        .or_else(|_| fail(el.offset, ParseErrorKind::BadIpAddress))
}

fn u32_value(el: &Element<'_>, field: &'static str) -> Result<u32> {
    // el_unsigned with 32 bits never yields more than u32::MAX.
    el_unsigned(el, 32, field).map(|v| v as u32)
}

fn value(el: &Element<'_>, v1: bool) -> Result<Value> {
    if v1
        && matches!(
            el.tag,
            tag::COUNTER64 | tag::NO_SUCH_OBJECT..=tag::END_OF_MIB_VIEW
        )
    {
        return fail(el.offset, ParseErrorKind::ValueNotInV1(el.tag));
    }
    Ok(match el.tag {
        tag::INTEGER => Value::Integer(el_i32(el, "Integer32")?),
        tag::OCTET_STRING => Value::OctetString(el.content.remaining().to_vec()),
        tag::NULL => el_null(el).map(|()| Value::Null)?,
        tag::OBJECT_IDENTIFIER => Value::ObjectId(el_oid(el)?),
        tag::IP_ADDRESS => Value::IpAddress(ip_address(el)?),
        tag::COUNTER32 => Value::Counter32(u32_value(el, "Counter32")?),
        tag::GAUGE32 => Value::Gauge32(u32_value(el, "Gauge32")?),
        tag::TIME_TICKS => Value::TimeTicks(u32_value(el, "TimeTicks")?),
        tag::OPAQUE => Value::Opaque(el.content.remaining().to_vec()),
        tag::COUNTER64 => Value::Counter64(el_unsigned(el, 64, "Counter64")?),
        tag::NO_SUCH_OBJECT => el_null(el).map(|()| Value::NoSuchObject)?,
        tag::NO_SUCH_INSTANCE => el_null(el).map(|()| Value::NoSuchInstance)?,
        tag::END_OF_MIB_VIEW => el_null(el).map(|()| Value::EndOfMibView)?,
        t if is_value_tag(t & !tag::CONSTRUCTED) => {
            return fail(
                el.offset,
                ParseErrorKind::ConstructedForm(t & !tag::CONSTRUCTED),
            );
        }
        t => return fail(el.offset, ParseErrorKind::UnknownValue(t)),
    })
}

fn is_value_tag(t: u8) -> bool {
    matches!(
        t,
        tag::INTEGER
            | tag::OCTET_STRING
            | tag::NULL
            | tag::OBJECT_IDENTIFIER
            | tag::IP_ADDRESS..=tag::OPAQUE
            | tag::COUNTER64
            | tag::NO_SUCH_OBJECT..=tag::END_OF_MIB_VIEW
    )
}
