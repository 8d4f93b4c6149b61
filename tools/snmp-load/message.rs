//! SNMPv2c messages as this generator needs them: one-varbind GetRequest
//! and GetBulkRequest out, any PDU back, read without copying.

use crate::ber::{self, BerError, Reader, tag};

/// SNMPv2c's `version` field value (RFC 1901).
const VERSION_2C: i64 = 1;

/// Writes a v2c message carrying one PDU with one `name = NULL` varbind.
/// `second` and `third` are error-status/error-index for ordinary PDUs and
/// non-repeaters/max-repetitions for GetBulk (RFC 3416 section 3).
fn encode_single_varbind(
    out: &mut Vec<u8>,
    community: &[u8],
    pdu_tag: u8,
    request_id: i32,
    second: i64,
    third: i64,
    oid_content: &[u8],
) {
    let oid_len = ber::header_size(oid_content.len()) + oid_content.len();
    let varbind_len = oid_len + 2;
    let list_len = ber::header_size(varbind_len) + varbind_len;
    let pdu_len = ber::integer_size(i64::from(request_id))
        + ber::integer_size(second)
        + ber::integer_size(third)
        + ber::header_size(list_len)
        + list_len;
    let message_len = ber::integer_size(VERSION_2C)
        + ber::header_size(community.len())
        + community.len()
        + ber::header_size(pdu_len)
        + pdu_len;

    out.clear();
    ber::push_header(out, tag::SEQUENCE, message_len);
    ber::push_integer(out, VERSION_2C);
    ber::push_header(out, tag::OCTET_STRING, community.len());
    out.extend_from_slice(community);
    ber::push_header(out, pdu_tag, pdu_len);
    ber::push_integer(out, i64::from(request_id));
    ber::push_integer(out, second);
    ber::push_integer(out, third);
    ber::push_header(out, tag::SEQUENCE, list_len);
    ber::push_header(out, tag::SEQUENCE, varbind_len);
    ber::push_header(out, tag::OBJECT_IDENTIFIER, oid_content.len());
    out.extend_from_slice(oid_content);
    out.extend_from_slice(&[tag::NULL, 0x00]);
}

pub fn encode_get(out: &mut Vec<u8>, community: &[u8], request_id: i32, oid_content: &[u8]) {
    encode_single_varbind(
        out,
        community,
        tag::GET_REQUEST,
        request_id,
        0,
        0,
        oid_content,
    );
}

pub fn encode_get_bulk(
    out: &mut Vec<u8>,
    community: &[u8],
    request_id: i32,
    max_repetitions: u32,
    oid_content: &[u8],
) {
    encode_single_varbind(
        out,
        community,
        tag::GET_BULK_REQUEST,
        request_id,
        0,
        i64::from(max_repetitions),
        oid_content,
    );
}

/// A received v2c message, borrowed from the datagram. The varbinds are
/// read lazily, so a GET check that only needs the request-id never walks
/// them.
#[derive(Debug)]
pub struct Received<'a> {
    pub community: &'a [u8],
    pub pdu_tag: u8,
    pub request_id: i32,
    /// error-status, or non-repeaters when an echoed GetBulk comes back.
    pub error_status: i64,
    varbind_list: &'a [u8],
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MessageError {
    #[error(transparent)]
    Ber(#[from] BerError),
    #[error("version {0} is not SNMPv2c")]
    NotV2c(i64),
    #[error("request-id {0} is outside Integer32")]
    RequestIdRange(i64),
    #[error("{0} trailing bytes after the message")]
    Trailing(&'static str),
}

impl<'a> Received<'a> {
    pub fn parse(datagram: &'a [u8]) -> Result<Self, MessageError> {
        let mut outer = Reader::new(datagram);
        let message = outer.read(tag::SEQUENCE)?;
        if !outer.is_empty() {
            return Err(MessageError::Trailing("datagram"));
        }
        let mut fields = Reader::new(message);
        let version = fields.read_integer()?;
        if version != VERSION_2C {
            return Err(MessageError::NotV2c(version));
        }
        let community = fields.read(tag::OCTET_STRING)?;
        let (pdu_tag, pdu) = fields.read_any()?;
        if !fields.is_empty() {
            return Err(MessageError::Trailing("message"));
        }
        let mut pdu_fields = Reader::new(pdu);
        let raw_id = pdu_fields.read_integer()?;
        let request_id = i32::try_from(raw_id).map_err(|_| MessageError::RequestIdRange(raw_id))?;
        let error_status = pdu_fields.read_integer()?;
        // error-index only locates a failure that error-status already
        // makes count as an error.
        pdu_fields.read_integer()?;
        let varbind_list = pdu_fields.read(tag::SEQUENCE)?;
        if !pdu_fields.is_empty() {
            return Err(MessageError::Trailing("PDU"));
        }
        Ok(Self {
            community,
            pdu_tag,
            request_id,
            error_status,
            varbind_list,
        })
    }

    pub fn varbinds(&self) -> VarBinds<'a> {
        VarBinds {
            list: Reader::new(self.varbind_list),
        }
    }
}

/// One varbind: the name's content octets and the value's tag and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VarBindRef<'a> {
    pub name: &'a [u8],
    pub value_tag: u8,
    pub value: &'a [u8],
}

impl VarBindRef<'_> {
    /// noSuchObject, noSuchInstance or endOfMibView (RFC 3416 section 3).
    pub fn is_exception(&self) -> bool {
        matches!(
            self.value_tag,
            tag::NO_SUCH_OBJECT | tag::NO_SUCH_INSTANCE | tag::END_OF_MIB_VIEW
        )
    }
}

pub struct VarBinds<'a> {
    list: Reader<'a>,
}

impl<'a> Iterator for VarBinds<'a> {
    type Item = Result<VarBindRef<'a>, BerError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.list.is_empty() {
            return None;
        }
        Some(self.read_one())
    }
}

impl<'a> VarBinds<'a> {
    fn read_one(&mut self) -> Result<VarBindRef<'a>, BerError> {
        let mut varbind = Reader::new(self.list.read(tag::SEQUENCE)?);
        let name = varbind.read(tag::OBJECT_IDENTIFIER)?;
        let (value_tag, value) = varbind.read_any()?;
        if !varbind.is_empty() {
            return Err(BerError::Trailing);
        }
        Ok(VarBindRef {
            name,
            value_tag,
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ber::EncodedOid;
    use crate::test_support::{decode, integer, oid, response, ticks};
    use rasn_snmp::v2::{Pdus, VarBindValue};

    const SYS_UPTIME: &[u32] = &[1, 3, 6, 1, 2, 1, 1, 3, 0];

    #[test]
    fn get_request_decodes_with_rasn() {
        let name = EncodedOid::from_arcs(SYS_UPTIME).unwrap();
        let mut out = Vec::new();
        encode_get(&mut out, b"public", 0x0100_0007, name.content());
        let message = decode(&out);
        assert_eq!(message.version, 1.into());
        assert_eq!(message.community.as_ref(), b"public");
        let Pdus::GetRequest(request) = message.data else {
            panic!("not a GetRequest: {:?}", message.data);
        };
        assert_eq!(request.0.request_id, 0x0100_0007);
        assert_eq!((request.0.error_status, request.0.error_index), (0, 0));
        assert_eq!(request.0.variable_bindings.len(), 1);
        assert_eq!(request.0.variable_bindings[0].name, oid(SYS_UPTIME));
        assert_eq!(
            request.0.variable_bindings[0].value,
            VarBindValue::Unspecified
        );
    }

    #[test]
    fn get_bulk_request_decodes_with_rasn() {
        // A long community and OID push the lengths into long form.
        let arcs: Vec<u32> = [1, 3, 6, 1, 4, 1, 32473, 1, 6, 2]
            .into_iter()
            .chain((0..40).map(|arc| arc * 1000))
            .collect();
        let name = EncodedOid::from_arcs(&arcs).unwrap();
        let community = "c".repeat(100);
        let mut out = Vec::new();
        encode_get_bulk(&mut out, community.as_bytes(), i32::MAX, 25, name.content());
        assert!(out.len() > 0x80, "exercises long-form lengths");
        let message = decode(&out);
        let Pdus::GetBulkRequest(request) = message.data else {
            panic!("not a GetBulkRequest: {:?}", message.data);
        };
        assert_eq!(request.0.request_id, i32::MAX);
        assert_eq!(request.0.non_repeaters, 0);
        assert_eq!(request.0.max_repetitions, 25);
        assert_eq!(request.0.variable_bindings[0].name, oid(&arcs));
    }

    #[test]
    fn reads_a_rasn_encoded_bulk_response() {
        let first: &[u32] = &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1, 2, 99_999];
        let second: &[u32] = &[1, 3, 6, 1, 4, 1, 32473, 1, 6, 2, 1, 2, 100_000];
        let bytes = response(
            -5,
            0,
            &[
                (first, integer(-300)),
                (second, ticks(4_000_000_000)),
                (SYS_UPTIME, VarBindValue::EndOfMibView),
            ],
        );
        let received = Received::parse(&bytes).unwrap();
        assert_eq!(received.community, b"public");
        assert_eq!(received.pdu_tag, tag::RESPONSE);
        assert_eq!(received.request_id, -5);
        assert_eq!(received.error_status, 0);
        let varbinds: Vec<VarBindRef<'_>> = received.varbinds().collect::<Result<_, _>>().unwrap();
        assert_eq!(varbinds.len(), 3);
        assert_eq!(
            varbinds[0].name,
            EncodedOid::from_arcs(first).unwrap().content()
        );
        assert_eq!(
            (varbinds[0].value_tag, varbinds[0].value),
            (tag::INTEGER, &[0xfe, 0xd4][..])
        );
        assert_eq!(
            varbinds[1].name,
            EncodedOid::from_arcs(second).unwrap().content()
        );
        assert_eq!(varbinds[1].value_tag, 0x43);
        assert_eq!(varbinds[1].value, &[0x00, 0xee, 0x6b, 0x28, 0x00]);
        assert!(!varbinds[1].is_exception());
        assert_eq!(varbinds[2].value_tag, tag::END_OF_MIB_VIEW);
        assert!(varbinds[2].is_exception());
    }

    /// A GetBulk response written out byte by byte: sysUpTime.0 = 0x010203
    /// ticks, then endOfMibView at sysContact.0.
    const CANNED_BULK_RESPONSE: [u8; 60] = [
        0x30, 0x3a, // Message
        0x02, 0x01, 0x01, // version 2c
        0x04, 0x06, b'p', b'u', b'b', b'l', b'i', b'c', // community
        0xa2, 0x2d, // Response PDU
        0x02, 0x04, 0x01, 0x00, 0x00, 0x05, // request-id
        0x02, 0x01, 0x00, // error-status
        0x02, 0x01, 0x00, // error-index
        0x30, 0x1f, // varbind list
        0x30, 0x0f, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00, //
        0x43, 0x03, 0x01, 0x02, 0x03, // TimeTicks
        0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x04, 0x00, //
        0x82, 0x00, // endOfMibView
    ];

    #[test]
    fn reads_a_canned_bulk_response() {
        // The canned bytes are themselves checked by the second decoder.
        let Pdus::Response(expected) = decode(&CANNED_BULK_RESPONSE).data else {
            panic!("canned bytes are not a Response");
        };
        assert_eq!(
            expected.0.variable_bindings[1].value,
            VarBindValue::EndOfMibView
        );

        let received = Received::parse(&CANNED_BULK_RESPONSE).unwrap();
        assert_eq!(received.request_id, 0x0100_0005);
        let names: Vec<Vec<u32>> = received
            .varbinds()
            .map(|varbind| crate::ber::decode_arcs(varbind.unwrap().name).unwrap())
            .collect();
        assert_eq!(
            names,
            vec![SYS_UPTIME.to_vec(), vec![1, 3, 6, 1, 2, 1, 1, 4, 0]]
        );
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        for length in 0..CANNED_BULK_RESPONSE.len() {
            let cut = &CANNED_BULK_RESPONSE[..length];
            let parsed = Received::parse(cut).map(|received| {
                received
                    .varbinds()
                    .collect::<Result<Vec<_>, _>>()
                    .map(|_| ())
            });
            assert!(!matches!(parsed, Ok(Ok(()))), "accepted {length} bytes");
        }
        let mut trailing = CANNED_BULK_RESPONSE.to_vec();
        trailing.push(0);
        assert!(matches!(
            Received::parse(&trailing),
            Err(MessageError::Trailing(_))
        ));
        for position in 0..CANNED_BULK_RESPONSE.len() {
            let mut corrupt = CANNED_BULK_RESPONSE;
            corrupt[position] = 0xff;
            if let Ok(received) = Received::parse(&corrupt) {
                received.varbinds().for_each(drop);
            }
        }
        let mut v1 = CANNED_BULK_RESPONSE;
        v1[4] = 0x00;
        assert_eq!(Received::parse(&v1).unwrap_err(), MessageError::NotV2c(0));
    }
}
