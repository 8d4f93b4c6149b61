//! A byte-level message builder, independent of the encoder, for crafting
//! malformed messages: every part is raw bytes, so one part can break a
//! rule while the rest (lengths included) stays correct.

use super::fixtures::ENGINE_ID;

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = vec![tag];
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|&b| b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

pub fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &cat(parts))
}

/// Minimal two's-complement INTEGER.
pub fn int(v: i64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (a, b) = (bytes[start], bytes[start + 1]);
        if (a == 0 && b < 0x80) || (a == 0xFF && b >= 0x80) {
            start += 1;
        } else {
            break;
        }
    }
    tlv(0x02, &bytes[start..])
}

pub fn os(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

/// OBJECT IDENTIFIER 1.3.6.1.2.1.1.1.0 (sysDescr.0).
pub const SYS_DESCR: &[u8] = &[0x06, 0x08, 0x2B, 6, 1, 2, 1, 1, 1, 0];
pub const NULL: &[u8] = &[0x05, 0x00];

pub fn varbind(name: &[u8], value: &[u8]) -> Vec<u8> {
    seq(&[name, value])
}

pub fn pdu(tag: u8, fields: &[&[u8]]) -> Vec<u8> {
    tlv(tag, &cat(fields))
}

/// A GetRequest with the given request-id and varbind list element.
pub fn get(request_id: &[u8], list: &[u8]) -> Vec<u8> {
    pdu(0xA0, &[request_id, &int(0), &int(0), list])
}

/// A GetRequest for sysDescr.0 with `value` as its value.
pub fn get_with_value(value: &[u8]) -> Vec<u8> {
    get(&int(1), &seq(&[&varbind(SYS_DESCR, value)]))
}

/// A GetRequest with one varbind named by `name` (an OID element).
pub fn get_with_name(name: &[u8]) -> Vec<u8> {
    get(&int(1), &seq(&[&varbind(name, NULL)]))
}

pub fn community_msg(version: i64, community: &[u8], pdu: &[u8]) -> Vec<u8> {
    seq(&[&int(version), &os(community), pdu])
}

pub fn v2c(pdu: &[u8]) -> Vec<u8> {
    community_msg(1, b"public", pdu)
}

pub fn v1(pdu: &[u8]) -> Vec<u8> {
    community_msg(0, b"public", pdu)
}

/// msgSecurityParameters: an OCTET STRING holding UsmSecurityParameters.
pub fn usm(boots: i64, time: i64, user: &[u8], auth: &[u8], privacy: &[u8]) -> Vec<u8> {
    os(&seq(&[
        &os(&ENGINE_ID),
        &int(boots),
        &int(time),
        &os(user),
        &os(auth),
        &os(privacy),
    ]))
}

pub fn scoped_pdu(pdu: &[u8]) -> Vec<u8> {
    seq(&[&os(&ENGINE_ID), &os(b""), pdu])
}

/// An SNMPv3 message as separately replaceable raw parts. The default is a
/// well-formed noAuthNoPriv, reportable GetRequest from "nosuchuser".
pub struct V3 {
    pub msg_id: Vec<u8>,
    pub max_size: Vec<u8>,
    pub flags: Vec<u8>,
    pub model: Vec<u8>,
    pub security: Vec<u8>,
    pub data: Vec<u8>,
}

impl Default for V3 {
    fn default() -> V3 {
        V3 {
            msg_id: int(1),
            max_size: int(65_507),
            flags: os(&[0x04]),
            model: int(3),
            security: usm(1, 0, b"nosuchuser", b"", b""),
            data: scoped_pdu(&get_with_value(NULL)),
        }
    }
}

impl V3 {
    pub fn build(&self) -> Vec<u8> {
        seq(&[
            &int(3),
            &seq(&[&self.msg_id, &self.max_size, &self.flags, &self.model]),
            &self.security,
            &self.data,
        ])
    }
}
