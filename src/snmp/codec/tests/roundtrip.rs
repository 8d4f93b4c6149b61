//! Encode → decode → encode over every fixture, the v3 MAC offset, and the
//! encoder's refusals.

use super::fixtures::{self, ENGINE_ID, community, pdu, scoped, sys_descr, usm, v3};
use super::raw;
use crate::snmp::codec::{
    DecodeError, EncodeError, ParseErrorKind, decode_message, decode_scoped_pdu, encode_message,
    encode_scoped_pdu,
};
use crate::snmp::oid::Oid;
use crate::snmp::pdu::{Message, PduKind, ScopedPduData, V3Message, Version, flags};
use crate::snmp::value::{Value, VarBind};

fn encode(msg: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    encode_message(msg, &mut out).unwrap();
    out
}

#[test]
fn every_fixture_survives_a_round_trip_byte_for_byte() {
    for (name, msg) in fixtures::all() {
        let bytes = encode(&msg);
        let decoded = decode_message(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(decoded.message, msg, "{name}");
        assert_eq!(encode(&decoded.message), bytes, "{name}");
    }
}

#[test]
fn the_auth_offset_points_at_the_mac_in_both_directions() {
    let Message::V3(mut m) = fixtures::v3_auth_get() else {
        panic!("v3 fixture");
    };
    m.usm.auth_params = (1..=12).collect();
    let msg = Message::V3(m);
    // A prefix in the buffer shows the offset is relative to `out`.
    let mut out = vec![0xEE; 5];
    let offset = encode_message(&msg, &mut out).unwrap().unwrap();
    assert_eq!(&out[offset..offset + 12], (1..=12).collect::<Vec<u8>>());
    let decoded = decode_message(&out[5..]).unwrap();
    assert_eq!(decoded.auth_offset, Some(offset - 5));

    for (name, msg) in fixtures::all() {
        let mut out = Vec::new();
        let encoded = encode_message(&msg, &mut out).unwrap();
        assert_eq!(encoded, decode_message(&out).unwrap().auth_offset, "{name}");
        assert_eq!(encoded.is_some(), matches!(msg, Message::V3(_)), "{name}");
    }
}

#[test]
fn encrypted_data_is_written_as_an_octet_string() {
    let bytes = encode(&fixtures::v3_encrypted());
    // The encryptedPDU of 256 octets ends the message: 04 82 01 00 + data.
    let tail = &bytes[bytes.len() - 260..];
    assert_eq!(&tail[..4], &[0x04, 0x82, 0x01, 0x00]);
    assert_eq!(&tail[4..], (0..=255).collect::<Vec<u8>>());
}

#[test]
fn a_scoped_pdu_round_trips_and_tolerates_cipher_padding_only_outside() {
    let sp = scoped(pdu(PduKind::Response, fixtures::v2_values()));
    let mut plain = Vec::new();
    encode_scoped_pdu(&sp, &mut plain).unwrap();
    assert_eq!(decode_scoped_pdu(&plain).unwrap(), sp);

    let mut padded = plain.clone();
    padded.extend_from_slice(&[0; 7]);
    assert_eq!(decode_scoped_pdu(&padded).unwrap(), sp);

    // Strict inside: an extra element inside the SEQUENCE, or a
    // truncated one, is still an error.
    let get = raw::get_with_value(raw::NULL);
    let extra = raw::seq(&[&raw::os(&ENGINE_ID), &raw::os(b""), &get, raw::NULL]);
    assert!(matches!(
        decode_scoped_pdu(&extra),
        Err(DecodeError::Parse(e)) if e.kind == ParseErrorKind::TrailingBytes
    ));
    for cut in 0..plain.len() {
        assert!(decode_scoped_pdu(&plain[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn errors_leave_the_output_untouched() {
    let bad = community(
        Version::V2c,
        pdu(
            PduKind::Get,
            vec![VarBind::null(sys_descr()), VarBind::null(Oid::new(&[1]))],
        ),
    );
    let mut out = vec![1, 2, 3];
    assert_eq!(
        encode_message(&bad, &mut out),
        Err(EncodeError::InvalidOid(Oid::new(&[1])))
    );
    assert_eq!(out, [1, 2, 3]);
    let sp = scoped(pdu(PduKind::Get, vec![VarBind::null(Oid::new(&[3, 1]))]));
    assert!(encode_scoped_pdu(&sp, &mut out).is_err());
    assert_eq!(out, [1, 2, 3]);
}

fn encode_err(msg: &Message) -> EncodeError {
    encode_message(msg, &mut Vec::new()).expect_err("must be refused")
}

#[test]
fn the_encoder_refuses_what_the_version_cannot_carry() {
    let v1 = |vbs| community(Version::V1, pdu(PduKind::Get, vbs));
    assert_eq!(
        encode_err(&v1(vec![VarBind::new(sys_descr(), Value::Counter64(1))])),
        EncodeError::ValueNotInV1(0x46)
    );
    assert_eq!(
        encode_err(&v1(vec![VarBind::new(sys_descr(), Value::NoSuchInstance)])),
        EncodeError::ValueNotInV1(0x81)
    );
    assert_eq!(
        encode_err(&community(Version::V1, pdu(PduKind::GetBulk, Vec::new()))),
        EncodeError::PduNotInVersion {
            tag: 0xA5,
            version: Version::V1
        }
    );
    let Message::Community(trap) = fixtures::v1_trap() else {
        panic!("community fixture");
    };
    assert_eq!(
        encode_err(&community(Version::V2c, trap.pdu.clone())),
        EncodeError::PduNotInVersion {
            tag: 0xA4,
            version: Version::V2c
        }
    );
    assert_eq!(
        encode_err(&v3(
            0,
            usm(b"", 0, 0),
            ScopedPduData::Plain(scoped(trap.pdu))
        )),
        EncodeError::PduNotInVersion {
            tag: 0xA4,
            version: Version::V3
        }
    );
    assert!(matches!(
        encode_err(&community(Version::V3, pdu(PduKind::Get, Vec::new()))),
        EncodeError::OutOfRange { .. }
    ));
}

#[test]
fn the_encoder_refuses_v3_fields_out_of_range() {
    let base = || {
        let Message::V3(m) = fixtures::v3_auth_get() else {
            panic!("v3 fixture");
        };
        m
    };
    type Mutation = fn(&mut V3Message);
    let cases: [(Mutation, EncodeError); 9] = [
        (
            |m| m.msg_id = -1,
            EncodeError::OutOfRange {
                field: "msgID",
                value: -1,
            },
        ),
        (
            |m| m.max_size = 483,
            EncodeError::OutOfRange {
                field: "msgMaxSize",
                value: 483,
            },
        ),
        (
            |m| m.usm.engine_boots = -1,
            EncodeError::OutOfRange {
                field: "msgAuthoritativeEngineBoots",
                value: -1,
            },
        ),
        (
            |m| m.usm.engine_time = -5,
            EncodeError::OutOfRange {
                field: "msgAuthoritativeEngineTime",
                value: -5,
            },
        ),
        (
            |m| m.usm.user_name = vec![b'x'; 33],
            EncodeError::OutOfRange {
                field: "msgUserName length",
                value: 33,
            },
        ),
        (
            |m| m.security_model = 2,
            EncodeError::UnsupportedSecurityModel(2),
        ),
        (
            |m| m.flags = flags::PRIV,
            EncodeError::InvalidFlags(flags::PRIV),
        ),
        (
            |m| m.flags = flags::AUTH | flags::PRIV,
            EncodeError::PrivFlagMismatch,
        ),
        (
            |m| m.data = ScopedPduData::Encrypted(vec![0; 8]),
            EncodeError::PrivFlagMismatch,
        ),
    ];
    for (mutate, expected) in cases {
        let mut m = base();
        mutate(&mut m);
        assert_eq!(encode_err(&Message::V3(m)), expected);
    }
}

#[test]
fn unsigned_values_are_written_with_a_leading_zero_when_the_top_bit_is_set() {
    let msg = community(
        Version::V2c,
        pdu(
            PduKind::Response,
            vec![VarBind::new(sys_descr(), Value::Counter32(0x8000_0000))],
        ),
    );
    let bytes = encode(&msg);
    assert!(bytes.ends_with(&[0x41, 0x05, 0x00, 0x80, 0x00, 0x00, 0x00]));
}
