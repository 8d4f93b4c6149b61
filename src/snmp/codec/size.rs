//! Exact encoded sizes, computed without encoding. The encoder uses these
//! to write lengths up front; the responder uses [`varbind_encoded_len`]
//! and [`MessageSizer`] to fill a GetBulk response up to a size limit
//! without re-encoding the message after every varbind.

use super::error::EncodeError;
use super::writer::{oid_len, signed_len, tlv_len, unsigned_len};
use crate::snmp::pdu::{
    AnyPdu, CommunityMessage, Message, ScopedPdu, ScopedPduData, UsmParams, V3Message, flags,
};
use crate::snmp::value::{Value, VarBind};

pub(super) fn value_len(v: &Value) -> usize {
    match v {
        Value::Integer(i) => tlv_len(signed_len(i64::from(*i))),
        Value::OctetString(b) | Value::Opaque(b) => tlv_len(b.len()),
        Value::Null | Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView => 2,
        Value::ObjectId(o) => tlv_len(oid_len(o)),
        Value::IpAddress(_) => 6,
        Value::Counter32(u) | Value::Gauge32(u) | Value::TimeTicks(u) => {
            tlv_len(unsigned_len(u64::from(*u)))
        }
        Value::Counter64(u) => tlv_len(unsigned_len(*u)),
    }
}

pub(super) fn varbind_content_len(vb: &VarBind) -> usize {
    tlv_len(oid_len(&vb.oid)) + value_len(&vb.value)
}

/// Exact size of `vb`'s VarBind SEQUENCE on the wire. OIDs the encoder
/// would refuse still get a size (that of their would-be encoding); the
/// refusal comes from [`super::encode_message`].
pub fn varbind_encoded_len(vb: &VarBind) -> usize {
    tlv_len(varbind_content_len(vb))
}

pub(super) fn varbinds(pdu: &AnyPdu) -> &[VarBind] {
    match pdu {
        AnyPdu::Pdu(p) => &p.varbinds,
        AnyPdu::TrapV1(t) => &t.varbinds,
    }
}

pub(super) fn varbind_list_len(vbs: &[VarBind]) -> usize {
    vbs.iter().map(varbind_encoded_len).sum()
}

/// PDU content other than the varbind list.
pub(super) fn pdu_fixed_len(pdu: &AnyPdu) -> usize {
    let int = |v: i32| tlv_len(signed_len(i64::from(v)));
    match pdu {
        AnyPdu::Pdu(p) => int(p.request_id) + int(p.error_status) + int(p.error_index),
        AnyPdu::TrapV1(t) => {
            tlv_len(oid_len(&t.enterprise))
                + 6
                + int(t.generic_trap)
                + int(t.specific_trap)
                + tlv_len(unsigned_len(u64::from(t.time_stamp)))
        }
    }
}

/// A PDU's content length in its two parts, computed once per encode.
#[derive(Debug, Clone, Copy)]
pub(super) struct PduLen {
    pub fixed: usize,
    pub list: usize,
}

impl PduLen {
    pub fn of(pdu: &AnyPdu) -> PduLen {
        PduLen {
            fixed: pdu_fixed_len(pdu),
            list: varbind_list_len(varbinds(pdu)),
        }
    }

    pub fn content(self) -> usize {
        self.fixed + tlv_len(self.list)
    }
}

/// Message content other than the PDU.
pub(super) fn community_fixed_len(m: &CommunityMessage) -> usize {
    tlv_len(signed_len(m.version as i64)) + tlv_len(m.community.len())
}

/// ScopedPDU content other than the PDU.
pub(super) fn scoped_fixed_len(sp: &ScopedPdu) -> usize {
    tlv_len(sp.context_engine_id.len()) + tlv_len(sp.context_name.len())
}

pub(super) fn header_data_len(m: &V3Message) -> usize {
    let int = |v: i32| tlv_len(signed_len(i64::from(v)));
    int(m.msg_id) + int(m.max_size) + tlv_len(1) + int(m.security_model)
}

pub(super) fn usm_len(u: &UsmParams) -> usize {
    let int = |v: i32| tlv_len(signed_len(i64::from(v)));
    tlv_len(u.engine_id.len())
        + int(u.engine_boots)
        + int(u.engine_time)
        + tlv_len(u.user_name.len())
        + tlv_len(u.auth_params.len())
        + tlv_len(u.priv_params.len())
}

/// v3 message content other than msgData.
pub(super) fn v3_fixed_len(m: &V3Message) -> usize {
    tlv_len(signed_len(3)) + tlv_len(header_data_len(m)) + tlv_len(tlv_len(usm_len(&m.usm)))
}

/// One level of nesting around the varbind list: an element whose content
/// is `fixed` octets plus the inner element, the inner element first padded
/// up to a multiple of `pad_to` (only encryption pads).
#[derive(Debug, Clone, Copy, Default)]
struct Layer {
    fixed: usize,
    pad_to: usize,
}

/// Varbind list, PDU, ScopedPDU, encryptedPDU, message.
const MAX_LAYERS: usize = 5;

/// The exact encoded size of a message as a function of its varbind list.
///
/// Every constructed element's length field grows with its content (1
/// octet below 128, 2 below 256, 3 below 65536...), so a varbind of `n`
/// octets can grow the message by more than `n`. The sizer keeps the fixed
/// content of each enclosing element (the request-id, community, headers,
/// USM parameters...) and recomputes the nested lengths from the innermost
/// out, which costs a handful of additions per varbind.
///
/// Typical use in a GetBulk responder: build the response `Message` with
/// the varbinds that must be there (possibly none) and the final header
/// fields (for v3, zero-filled auth/priv parameter placeholders of their
/// final lengths), then for each candidate varbind call
/// `try_push(varbind_encoded_len(&vb), max_size)` and stop at the first
/// `false`.
#[derive(Debug, Clone)]
pub struct MessageSizer {
    list: usize,
    layers: [Layer; MAX_LAYERS],
    depth: usize,
}

impl MessageSizer {
    /// The model of `msg` as it stands, its current varbinds counted.
    ///
    /// A v3 message with the privFlag is modelled as it will be sent:
    /// its scoped PDU must still be `Plain`, and `cipher_block` is the
    /// privacy protocol's padding granularity (8 for DES-CBC, 1 for
    /// AES-CFB). `cipher_block` is ignored for every other message.
    pub fn new(msg: &Message, cipher_block: usize) -> Result<MessageSizer, EncodeError> {
        let mut sizer = MessageSizer {
            list: 0,
            layers: [Layer::default(); MAX_LAYERS],
            depth: 0,
        };
        let pdu = match msg {
            Message::Community(m) => {
                sizer.wrap(pdu_fixed_len(&m.pdu), 1);
                sizer.wrap(community_fixed_len(m), 1);
                &m.pdu
            }
            Message::V3(m) => {
                let ScopedPduData::Plain(sp) = &m.data else {
                    return Err(EncodeError::EncryptedScopedPdu);
                };
                sizer.wrap(pdu_fixed_len(&sp.pdu), 1);
                sizer.wrap(scoped_fixed_len(sp), 1);
                if m.flags & flags::PRIV != 0 {
                    sizer.wrap(0, cipher_block.max(1));
                }
                sizer.wrap(v3_fixed_len(m), 1);
                &sp.pdu
            }
        };
        sizer.list = varbind_list_len(varbinds(pdu));
        Ok(sizer)
    }

    fn wrap(&mut self, fixed: usize, pad_to: usize) {
        if let Some(layer) = self.layers.get_mut(self.depth) {
            *layer = Layer { fixed, pad_to };
            self.depth += 1;
        }
    }

    fn total(&self, list: usize) -> usize {
        let list_element = tlv_len(list);
        self.layers
            .iter()
            .take(self.depth)
            .fold(list_element, |inner, l| {
                tlv_len(l.fixed + inner.next_multiple_of(l.pad_to))
            })
    }

    /// Exact size of the message with the varbinds pushed so far.
    pub fn encoded_len(&self) -> usize {
        self.total(self.list)
    }

    /// Exact size the message would have with one more varbind whose
    /// [`varbind_encoded_len`] is `varbind_len`.
    pub fn encoded_len_with(&self, varbind_len: usize) -> usize {
        self.total(self.list + varbind_len)
    }

    /// Count a varbind as added unconditionally.
    pub fn push(&mut self, varbind_len: usize) {
        self.list += varbind_len;
    }

    /// Count the varbind as added if the message then stays within
    /// `max_size` octets; report whether it did.
    pub fn try_push(&mut self, varbind_len: usize, max_size: usize) -> bool {
        let fits = self.encoded_len_with(varbind_len) <= max_size;
        if fits {
            self.push(varbind_len);
        }
        fits
    }
}
