//! The malformed-message corpus: one named case per strictness rule, each
//! with the outcome it must have. The same list is written to
//! tests/data/snmp-malformed (one file per case, plus its README) so an
//! agent-level test can replay it over UDP; `corpus_matches_generator`
//! keeps the directory and this list identical.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use hmac::{Hmac, KeyInit, Mac};
use sha1::{Digest, Sha1};

use super::fixtures::ENGINE_ID;
use super::raw::{
    NULL, SYS_DESCR, V3, cat, community_msg, get, get_with_name, get_with_value, int, os, pdu,
    scoped_pdu, seq, tlv, usm, v1, v2c, varbind,
};
use crate::snmp::codec::{DecodeError, ParseErrorKind, decode_message};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Parse(ParseErrorKind),
    BadVersion(i32),
    UnknownSecurityModel(i32),
    InvalidFlags(u8),
    /// Well-formed: message processing must drop it and count it here.
    ValidBer(&'static str),
}

impl Expect {
    fn counter(self) -> &'static str {
        match self {
            Expect::Parse(_) => "snmpInASNParseErrs",
            Expect::BadVersion(_) => "snmpInBadVersions",
            Expect::UnknownSecurityModel(_) => "snmpUnknownSecurityModels",
            Expect::InvalidFlags(_) => "snmpInvalidMsgs",
            Expect::ValidBer(counter) => counter,
        }
    }

    fn matches(self, result: &Result<impl Sized, DecodeError>) -> bool {
        match (self, result) {
            (Expect::Parse(kind), Err(DecodeError::Parse(e))) => e.kind == kind,
            (Expect::BadVersion(v), Err(DecodeError::BadVersion(got))) => v == *got,
            (
                Expect::UnknownSecurityModel(m),
                Err(DecodeError::UnknownSecurityModel { model, .. }),
            ) => m == *model,
            (Expect::InvalidFlags(f), Err(DecodeError::InvalidFlags { flags, .. })) => f == *flags,
            (Expect::ValidBer(_), Ok(_)) => true,
            _ => false,
        }
    }
}

pub struct Case {
    pub name: &'static str,
    pub what: &'static str,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

pub const VALID_BER_PREFIX: &str = "valid-ber-";

/// The password of "authsha" (SHA-1, HMAC-SHA-96) that the
/// `valid-ber-v3-outside-time-window` case is authenticated with.
pub const AUTHSHA_PASSWORD: &[u8] = b"authsha-password";

fn case(name: &'static str, what: &'static str, bytes: Vec<u8>, expect: Expect) -> Case {
    Case {
        name,
        what,
        bytes,
        expect,
    }
}

fn parse(kind: ParseErrorKind) -> Expect {
    Expect::Parse(kind)
}

/// RFC 3414 §A.2.2 password to key, then key localization (§2.6).
fn localized_sha1_key(password: &[u8], engine_id: &[u8]) -> Vec<u8> {
    let mut hasher = Sha1::new();
    let mut stream = password.iter().cycle();
    let mut block = [0u8; 64];
    for _ in 0..(1_048_576 / 64) {
        for b in &mut block {
            *b = *stream.next().unwrap_or(&0);
        }
        hasher.update(block);
    }
    let ku = hasher.finalize();
    let mut local = Sha1::new();
    local.update(ku);
    local.update(engine_id);
    local.update(ku);
    local.finalize().to_vec()
}

/// HMAC-SHA-96 over the whole message, written in place (RFC 3414 §7.3.1).
fn authenticate(message: &mut [u8], key: &[u8]) {
    let offset = match decode_message(message) {
        Ok(d) => d.auth_offset.unwrap_or_default(),
        Err(e) => panic!("corpus generator built an invalid v3 message: {e}"),
    };
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    let digest = mac.finalize().into_bytes();
    message[offset..offset + 12].copy_from_slice(&digest[..12]);
}

fn v3_authsha(boots: i64, time: i64, auth: &[u8]) -> Vec<u8> {
    V3 {
        flags: os(&[0x05]),
        security: usm(boots, time, b"authsha", auth, b""),
        ..V3::default()
    }
    .build()
}

fn over_int32_field(position: usize) -> Vec<u8> {
    let mut fields = [int(1), int(0), int(0)];
    fields[position] = vec![0x02, 0x05, 0x00, 0x80, 0x00, 0x00, 0x00];
    v2c(&pdu(0xA0, &[&fields[0], &fields[1], &fields[2], &seq(&[])]))
}

/// Every case, in file-name order of appearance in the README.
pub fn cases() -> Vec<Case> {
    use ParseErrorKind as K;
    let good_get = v2c(&get_with_value(NULL));
    let half = good_get.len() / 2;
    let mut cases = vec![
        case(
            "empty-datagram.bin",
            "zero-length datagram",
            Vec::new(),
            parse(K::Truncated),
        ),
        case(
            "truncated-get.bin",
            "v2c GetRequest cut in the middle",
            good_get[..half].to_vec(),
            parse(K::Truncated),
        ),
        case(
            "bad-length-overflow.bin",
            "outer SEQUENCE claims 0xFFFFFFFF content octets",
            cat(&[&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], &int(1)]),
            parse(K::Truncated),
        ),
        case(
            "v2c-varbind-length-past-end.bin",
            "a varbind's length runs past the end of its varbind list",
            v2c(&get(&int(1), &tlv(0x30, &[0x30, 0x7F, 0x06, 0x01, 0x2B]))),
            parse(K::Truncated),
        ),
        case(
            "v2c-indefinite-length.bin",
            "outer SEQUENCE with indefinite length (0x80) and end-of-contents",
            cat(&[&[0x30, 0x80], &good_get[2..], &[0, 0]]),
            parse(K::IndefiniteLength),
        ),
        case(
            "v2c-non-minimal-length.bin",
            "community length written 0x81 0x06 instead of 0x06",
            seq(&[
                &int(1),
                &[0x04, 0x81, 0x06],
                b"public",
                &get_with_value(NULL),
            ]),
            parse(K::NonMinimalLength),
        ),
        case(
            "v2c-length-5-octets.bin",
            "outer length in 5 octets (0x85)",
            cat(&[&[0x30, 0x85, 0, 0, 0, 0, good_get[1]], &good_get[2..]]),
            parse(K::LengthTooLong),
        ),
        case(
            "trailing-garbage.bin",
            "two bytes after the outer SEQUENCE",
            cat(&[&good_get, &[0xDE, 0xAD]]),
            parse(K::TrailingBytes),
        ),
        case(
            "v2c-pdu-trailing-field.bin",
            "an extra INTEGER after the varbind list inside the PDU",
            v2c(&pdu(0xA0, &[&int(1), &int(0), &int(0), &seq(&[]), &int(9)])),
            parse(K::TrailingBytes),
        ),
        case(
            "v2c-varbind-missing-value.bin",
            "a varbind with a name and no value",
            v2c(&get(&int(1), &seq(&[&seq(&[SYS_DESCR])]))),
            parse(K::Truncated),
        ),
        case(
            "v2c-varbind-two-values.bin",
            "a varbind with two values",
            v2c(&get(&int(1), &seq(&[&seq(&[SYS_DESCR, NULL, NULL])]))),
            parse(K::TrailingBytes),
        ),
        case(
            "v2c-outer-set-tag.bin",
            "message is a SET (0x31) instead of a SEQUENCE",
            cat(&[&[0x31], &good_get[1..]]),
            parse(K::UnexpectedTag {
                expected: 0x30,
                found: 0x31,
            }),
        ),
        case(
            "v2c-community-integer.bin",
            "community is an INTEGER",
            seq(&[&int(1), &int(7), &get_with_value(NULL)]),
            parse(K::UnexpectedTag {
                expected: 0x04,
                found: 0x02,
            }),
        ),
        case(
            "v2c-constructed-community.bin",
            "community in the constructed OCTET STRING form",
            seq(&[&int(1), &tlv(0x24, &os(b"public")), &get_with_value(NULL)]),
            parse(K::ConstructedForm(0x04)),
        ),
        case(
            "v2c-request-id-empty-integer.bin",
            "request-id INTEGER with no content octets",
            v2c(&get(&[0x02, 0x00], &seq(&[]))),
            parse(K::EmptyInteger),
        ),
        case(
            "v2c-request-id-zero-padded.bin",
            "request-id 1 written 0x00 0x01",
            v2c(&get(&[0x02, 0x02, 0x00, 0x01], &seq(&[]))),
            parse(K::NonMinimalInteger),
        ),
        case(
            "v2c-request-id-ff-padded.bin",
            "request-id -128 written 0xFF 0x80",
            v2c(&get(&[0x02, 0x02, 0xFF, 0x80], &seq(&[]))),
            parse(K::NonMinimalInteger),
        ),
        case(
            "v2c-request-id-over-int32.bin",
            "request-id 2^31",
            over_int32_field(0),
            parse(K::OutOfRange("request-id")),
        ),
        case(
            "v2c-error-status-over-int32.bin",
            "error-status 2^31",
            over_int32_field(1),
            parse(K::OutOfRange("error-status")),
        ),
        case(
            "v2c-error-index-over-int32.bin",
            "error-index 2^31",
            over_int32_field(2),
            parse(K::OutOfRange("error-index")),
        ),
        case(
            "version-over-int32.bin",
            "msgVersion 2^31",
            seq(&[
                &[0x02, 0x05, 0x00, 0x80, 0, 0, 0],
                &os(b"public"),
                &get_with_value(NULL),
            ]),
            parse(K::OutOfRange("msgVersion")),
        ),
        case(
            "unknown-version-7.bin",
            "msgVersion 7",
            community_msg(7, b"public", &get_with_value(NULL)),
            Expect::BadVersion(7),
        ),
        case(
            "unknown-version-2.bin",
            "msgVersion 2 (the historic SNMPv2u/v2*)",
            community_msg(2, b"public", &get_with_value(NULL)),
            Expect::BadVersion(2),
        ),
        case(
            "v2c-integer-value-over-int32.bin",
            "INTEGER value -2^31-1",
            v2c(&get_with_value(&[0x02, 0x05, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF])),
            parse(K::OutOfRange("Integer32")),
        ),
        case(
            "v2c-counter32-over-32-bits.bin",
            "Counter32 value 2^32",
            v2c(&get_with_value(&[0x41, 0x05, 0x01, 0, 0, 0, 0])),
            parse(K::OutOfRange("Counter32")),
        ),
        case(
            "v2c-counter32-zero-padded.bin",
            "Counter32 127 written 0x00 0x7F",
            v2c(&get_with_value(&[0x41, 0x02, 0x00, 0x7F])),
            parse(K::NonMinimalInteger),
        ),
        case(
            "v2c-gauge32-negative.bin",
            "Gauge32 value -1",
            v2c(&get_with_value(&[0x42, 0x01, 0xFF])),
            parse(K::OutOfRange("Gauge32")),
        ),
        case(
            "v2c-timeticks-over-32-bits.bin",
            "TimeTicks value 2^32",
            v2c(&get_with_value(&[0x43, 0x05, 0x01, 0, 0, 0, 0])),
            parse(K::OutOfRange("TimeTicks")),
        ),
        case(
            "v2c-counter64-over-64-bits.bin",
            "Counter64 value 2^64",
            v2c(&get_with_value(&[0x46, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])),
            parse(K::OutOfRange("Counter64")),
        ),
        case(
            "v3-oid-129-arcs.bin",
            "v3 GetRequest for an OID of 129 sub-identifiers",
            V3 {
                data: scoped_pdu(&get_with_name(&tlv(0x06, &cat(&[&[0x2B], &[1; 127]])))),
                ..V3::default()
            }
            .build(),
            parse(K::OidTooLong),
        ),
        case(
            "v2c-oid-subid-over-32-bits.bin",
            "OID sub-identifier 2^32",
            v2c(&get_with_name(&[
                0x06, 0x06, 0x2B, 0x90, 0x80, 0x80, 0x80, 0x00,
            ])),
            parse(K::SubidOverflow),
        ),
        case(
            "v2c-oid-non-minimal-subid.bin",
            "OID sub-identifier with a leading 0x80 octet",
            v2c(&get_with_name(&[0x06, 0x04, 0x2B, 0x80, 0x06, 0x01])),
            parse(K::NonMinimalSubid),
        ),
        case(
            "v2c-oid-empty.bin",
            "OID with no content octets",
            v2c(&get_with_name(&[0x06, 0x00])),
            parse(K::EmptyOid),
        ),
        case(
            "v2c-oid-truncated-subid.bin",
            "OID ending inside a sub-identifier",
            v2c(&get_with_name(&[0x06, 0x02, 0x2B, 0x86])),
            parse(K::TruncatedSubid),
        ),
        case(
            "v2c-ipaddress-5-octets.bin",
            "IpAddress of 5 octets",
            v2c(&get_with_value(&[0x40, 0x05, 10, 0, 0, 1, 0])),
            parse(K::BadIpAddress),
        ),
        case(
            "v2c-ipaddress-3-octets.bin",
            "IpAddress of 3 octets",
            v2c(&get_with_value(&[0x40, 0x03, 10, 0, 0])),
            parse(K::BadIpAddress),
        ),
        case(
            "v2c-null-with-content.bin",
            "NULL with one content octet",
            v2c(&get_with_value(&[0x05, 0x01, 0x00])),
            parse(K::NullWithContent),
        ),
        case(
            "v2c-end-of-mib-view-with-content.bin",
            "endOfMibView with one content octet",
            v2c(&get_with_value(&[0x82, 0x01, 0x00])),
            parse(K::NullWithContent),
        ),
        case(
            "v2c-constructed-octet-string-value.bin",
            "OCTET STRING value in the constructed form",
            v2c(&get_with_value(&tlv(0x24, &os(b"abc")))),
            parse(K::ConstructedForm(0x04)),
        ),
        case(
            "v2c-constructed-no-such-object.bin",
            "noSuchObject in the constructed form (0xA0)",
            v2c(&get_with_value(&[0xA0, 0x00])),
            parse(K::ConstructedForm(0x80)),
        ),
        case(
            "v2c-unknown-pdu-tag-a9.bin",
            "PDU tag [9]",
            v2c(&pdu(0xA9, &[&int(1), &int(0), &int(0), &seq(&[])])),
            parse(K::UnknownPdu(0xA9)),
        ),
        case(
            "v2c-primitive-pdu-tag.bin",
            "GetRequest PDU in the primitive form (0x80)",
            v2c(&pdu(0x80, &[&int(1), &int(0), &int(0), &seq(&[])])),
            parse(K::UnknownPdu(0x80)),
        ),
        case(
            "v2c-trap-v1-pdu.bin",
            "v2c message carrying the v1 Trap-PDU",
            v2c(&pdu(
                0xA4,
                &[
                    &tlv(0x06, &[0x2B, 6, 1]),
                    &[0x40, 4, 10, 0, 0, 1],
                    &int(6),
                    &int(1),
                    &[0x43, 1, 0],
                    &seq(&[]),
                ],
            )),
            parse(K::PduNotInVersion(0xA4)),
        ),
        case(
            "v1-getbulk.bin",
            "v1 message carrying a GetBulkRequest",
            v1(&pdu(
                0xA5,
                &[
                    &int(1),
                    &int(0),
                    &int(10),
                    &seq(&[&varbind(SYS_DESCR, NULL)]),
                ],
            )),
            parse(K::PduNotInVersion(0xA5)),
        ),
        case(
            "v1-counter64.bin",
            "v1 message carrying a Counter64 value",
            v1(&get_with_value(&[0x46, 0x01, 0x01])),
            parse(K::ValueNotInV1(0x46)),
        ),
        case(
            "v1-end-of-mib-view.bin",
            "v1 message carrying an endOfMibView exception",
            v1(&get_with_value(&[0x82, 0x00])),
            parse(K::ValueNotInV1(0x82)),
        ),
        case(
            "v2c-unknown-app-tag-45.bin",
            "value with the obsolete NsapAddress tag [APPLICATION 5]",
            v2c(&get_with_value(&[0x45, 0x01, 0x00])),
            parse(K::UnknownValue(0x45)),
        ),
        case(
            "v2c-unknown-app-tag-47.bin",
            "value with the obsolete UInteger32 tag [APPLICATION 7]",
            v2c(&get_with_value(&[0x47, 0x01, 0x00])),
            parse(K::UnknownValue(0x47)),
        ),
        case(
            "v3-max-size-483.bin",
            "msgMaxSize 483, below the RFC 3412 minimum 484",
            V3 {
                max_size: int(483),
                ..V3::default()
            }
            .build(),
            parse(K::OutOfRange("msgMaxSize")),
        ),
        case(
            "v3-max-size-over-int32.bin",
            "msgMaxSize 2^31",
            V3 {
                max_size: vec![0x02, 0x05, 0x00, 0x80, 0, 0, 0],
                ..V3::default()
            }
            .build(),
            parse(K::OutOfRange("msgMaxSize")),
        ),
        case(
            "v3-msgid-negative.bin",
            "msgID -1",
            V3 {
                msg_id: int(-1),
                ..V3::default()
            }
            .build(),
            parse(K::OutOfRange("msgID")),
        ),
        case(
            "v3-flags-empty.bin",
            "msgFlags of zero octets",
            V3 {
                flags: os(&[]),
                ..V3::default()
            }
            .build(),
            parse(K::BadFlagsLength),
        ),
        case(
            "v3-flags-two-octets.bin",
            "msgFlags of two octets",
            V3 {
                flags: os(&[0x04, 0x00]),
                ..V3::default()
            }
            .build(),
            parse(K::BadFlagsLength),
        ),
        case(
            "v3-security-model-zero.bin",
            "msgSecurityModel 0, outside 1..2147483647",
            V3 {
                model: int(0),
                ..V3::default()
            }
            .build(),
            parse(K::OutOfRange("msgSecurityModel")),
        ),
        case(
            "v3-security-model-tsm-4.bin",
            "msgSecurityModel 4 (TSM), well-formed but not USM",
            V3 {
                model: int(4),
                ..V3::default()
            }
            .build(),
            Expect::UnknownSecurityModel(4),
        ),
        case(
            "v3-priv-without-auth.bin",
            "msgFlags 0x06: privFlag without authFlag",
            V3 {
                flags: os(&[0x06]),
                data: os(&[0; 16]),
                ..V3::default()
            }
            .build(),
            Expect::InvalidFlags(0x06),
        ),
        case(
            "v3-priv-flag-with-plaintext.bin",
            "msgFlags authPriv but a plaintext ScopedPDU",
            V3 {
                flags: os(&[0x07]),
                security: usm(1, 0, b"authsha", &[0; 12], &[0; 8]),
                ..V3::default()
            }
            .build(),
            parse(K::PrivFlagMismatch),
        ),
        case(
            "v3-encrypted-without-priv-flag.bin",
            "msgFlags noAuthNoPriv but an encryptedPDU OCTET STRING",
            V3 {
                data: os(&[0; 16]),
                ..V3::default()
            }
            .build(),
            parse(K::PrivFlagMismatch),
        ),
        case(
            "v3-data-integer.bin",
            "msgData is an INTEGER",
            V3 {
                data: int(5),
                ..V3::default()
            }
            .build(),
            parse(K::UnexpectedTag {
                expected: 0x30,
                found: 0x02,
            }),
        ),
        case(
            "v3-user-name-33-octets.bin",
            "msgUserName of 33 octets",
            V3 {
                security: usm(1, 0, &[b'u'; 33], b"", b""),
                ..V3::default()
            }
            .build(),
            parse(K::UserNameTooLong),
        ),
        case(
            "v3-usm-trailing-bytes.bin",
            "a byte after UsmSecurityParameters inside msgSecurityParameters",
            V3 {
                security: {
                    let inner = usm(1, 0, b"nosuchuser", b"", b"");
                    // Drop the OCTET STRING header, append a byte, rewrap.
                    os(&cat(&[&inner[2..], &[0x00]]))
                },
                ..V3::default()
            }
            .build(),
            parse(K::TrailingBytes),
        ),
        case(
            "v3-usm-not-octet-string.bin",
            "UsmSecurityParameters not wrapped in an OCTET STRING",
            V3 {
                security: usm(1, 0, b"nosuchuser", b"", b"")[2..].to_vec(),
                ..V3::default()
            }
            .build(),
            parse(K::UnexpectedTag {
                expected: 0x04,
                found: 0x30,
            }),
        ),
        case(
            "v3-boots-negative.bin",
            "msgAuthoritativeEngineBoots -1",
            V3 {
                security: usm(-1, 0, b"nosuchuser", b"", b""),
                ..V3::default()
            }
            .build(),
            parse(K::OutOfRange("msgAuthoritativeEngineBoots")),
        ),
        case(
            "v3-time-over-int32.bin",
            "msgAuthoritativeEngineTime 2^31",
            V3 {
                security: usm(1, 1 << 31, b"nosuchuser", b"", b""),
                ..V3::default()
            }
            .build(),
            parse(K::OutOfRange("msgAuthoritativeEngineTime")),
        ),
        case(
            "v3-scoped-trap-v1.bin",
            "v3 ScopedPDU carrying the v1 Trap-PDU",
            V3 {
                data: scoped_pdu(&pdu(
                    0xA4,
                    &[
                        &tlv(0x06, &[0x2B, 6, 1]),
                        &[0x40, 4, 10, 0, 0, 1],
                        &int(6),
                        &int(1),
                        &[0x43, 1, 0],
                        &seq(&[]),
                    ],
                )),
                ..V3::default()
            }
            .build(),
            parse(K::PduNotInVersion(0xA4)),
        ),
    ];

    let mut time_window = v3_authsha(1, i64::from(i32::MAX), &[0; 12]);
    authenticate(
        &mut time_window,
        &localized_sha1_key(AUTHSHA_PASSWORD, &ENGINE_ID),
    );
    cases.extend([
        case(
            "valid-ber-wrong-community-get.bin",
            "v2c GetRequest with community \"nosuchcommunity\"",
            community_msg(1, b"nosuchcommunity", &get_with_value(NULL)),
            Expect::ValidBer("snmpInBadCommunityNames"),
        ),
        case(
            "valid-ber-v3-unknown-user.bin",
            "v3 noAuthNoPriv reportable GetRequest from user \"nosuchuser\", boots 1, time 0",
            V3::default().build(),
            Expect::ValidBer("usmStatsUnknownUserNames"),
        ),
        case(
            "valid-ber-v3-bad-digest.bin",
            "v3 authNoPriv reportable GetRequest from \"authsha\" with a wrong 12-octet digest, boots 1, time 0",
            v3_authsha(1, 0, &[0xBA, 0xD0, 0xD1, 0x6E, 0x57, 0xBA, 0xD0, 0xD1, 0x6E, 0x57, 0xBA, 0xD0]),
            Expect::ValidBer("usmStatsWrongDigests"),
        ),
        case(
            "valid-ber-v3-outside-time-window.bin",
            "v3 authNoPriv reportable GetRequest from \"authsha\", correctly authenticated (SHA-1, password \"authsha-password\"), boots 1, time 2147483647",
            time_window,
            Expect::ValidBer("usmStatsNotInTimeWindows"),
        ),
    ]);
    cases
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/snmp-malformed")
}

fn readme(cases: &[Case]) -> String {
    let mut s = String::from(
        "# Malformed and undeliverable SNMP messages\n\
         \n\
         One UDP payload per `.bin` file. Generated by\n\
         `cargo test --lib snmp::codec::tests::corpus::regenerate -- --ignored`\n\
         from `src/snmp/codec/tests/corpus.rs`; the unit test `corpus_matches_generator`\n\
         fails when this directory and the generator differ, and `corpus_files_are_judged`\n\
         checks every file against `decode_message`.\n\
         \n\
         Files without the `valid-ber-` prefix must be rejected by the codec and counted in\n\
         the counter shown. Files with the prefix are well-formed BER that message\n\
         processing must refuse and count: the community one is dropped; the v3 ones set\n\
         the reportableFlag, so an agent answers them with a Report carrying the counter.\n\
         The v3 messages use snmpEngineID `80 00 7e d9 05 01 02 03 04 05 06 07 08` (as\n\
         their authoritative and context engine ID). The time-window case is authenticated\n\
         with HMAC-SHA-96 for user `authsha`, key from password `authsha-password`\n\
         localized to that engine ID; an agent that does not know that user or password\n\
         counts it as an unknown user or wrong digest instead. Its time is 2147483647 so\n\
         it is outside the window whatever the agent's boots and time.\n\
         \n\
         | file | content | counter |\n\
         |---|---|---|\n",
    );
    for c in cases {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.name,
            c.what,
            c.expect.counter()
        ));
    }
    s
}

#[test]
fn every_case_has_its_expected_outcome() {
    let mut names = std::collections::BTreeSet::new();
    for c in cases() {
        assert!(names.insert(c.name), "duplicate case {}", c.name);
        let result = decode_message(&c.bytes);
        assert!(
            c.expect.matches(&result),
            "{}: expected {:?}, got {:?}",
            c.name,
            c.expect,
            result.map(|d| d.message)
        );
        assert_eq!(
            c.name.starts_with(VALID_BER_PREFIX),
            matches!(c.expect, Expect::ValidBer(_)),
            "{}: only well-formed cases carry the {VALID_BER_PREFIX} prefix",
            c.name
        );
    }
    assert!(names.len() >= 25);
}

#[test]
fn sha1_key_localization_matches_rfc3414_a32() {
    let engine = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
    assert_eq!(
        hex::encode(localized_sha1_key(b"maplesyrup", &engine)),
        "6695febc9288e36282235fc7151f128497b38f3f"
    );
}

#[test]
fn the_time_window_case_is_correctly_authenticated_and_the_digest_case_is_not() {
    let key = localized_sha1_key(AUTHSHA_PASSWORD, &ENGINE_ID);
    for c in cases() {
        let wanted = match c.name {
            "valid-ber-v3-outside-time-window.bin" => true,
            "valid-ber-v3-bad-digest.bin" => false,
            _ => continue,
        };
        let mut recomputed = c.bytes.clone();
        let offset = decode_message(&c.bytes).unwrap().auth_offset.unwrap();
        recomputed[offset..offset + 12].fill(0);
        authenticate(&mut recomputed, &key);
        assert_eq!(recomputed == c.bytes, wanted, "{}", c.name);
    }
}

#[test]
fn corpus_matches_generator() {
    let dir = corpus_dir();
    let mut on_disk = BTreeMap::new();
    for entry in fs::read_dir(&dir).expect("tests/data/snmp-malformed exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        on_disk.insert(name, fs::read(&path).unwrap());
    }
    let cases = cases();
    let mut expected: BTreeMap<String, Vec<u8>> = cases
        .iter()
        .map(|c| (c.name.to_string(), c.bytes.clone()))
        .collect();
    expected.insert("README.md".into(), readme(&cases).into_bytes());
    let stale: Vec<&String> = expected
        .keys()
        .chain(on_disk.keys())
        .filter(|k| expected.get(*k) != on_disk.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "{} differs from the generator in {stale:?}; run \
         `cargo test --lib snmp::codec::tests::corpus::regenerate -- --ignored`",
        dir.display()
    );
}

#[test]
fn corpus_files_are_judged() {
    let mut files = 0;
    for entry in fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "bin") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let result = decode_message(&fs::read(&path).unwrap());
        if name.starts_with(VALID_BER_PREFIX) {
            assert!(result.is_ok(), "{name} must decode: {result:?}");
        } else {
            assert!(result.is_err(), "{name} must be rejected");
        }
        files += 1;
    }
    assert!(files >= 25, "only {files} corpus files");
}

/// Rewrite tests/data/snmp-malformed from `cases()`.
#[test]
#[ignore = "writes the corpus; run by hand after changing cases()"]
fn regenerate() {
    let dir = corpus_dir();
    fs::create_dir_all(&dir).unwrap();
    for entry in fs::read_dir(&dir).unwrap() {
        fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let cases = cases();
    for c in &cases {
        fs::write(dir.join(c.name), &c.bytes).unwrap();
    }
    fs::write(dir.join("README.md"), readme(&cases)).unwrap();
}
