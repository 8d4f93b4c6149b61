//! MessageSizer and varbind_encoded_len against real encodings, with
//! varbinds chosen so every enclosing length crosses its 1→2→3 octet
//! boundaries (128, 256 and 65536 octets).

use super::fixtures::{self, community, pdu, scoped, usm, v3};
use crate::snmp::codec::{
    EncodeError, MessageSizer, encode_message, encode_scoped_pdu, varbind_encoded_len,
};
use crate::snmp::oid::Oid;
use crate::snmp::pdu::{AnyPdu, Message, PduKind, ScopedPduData, Version, flags};
use crate::snmp::value::{Value, VarBind};

fn encoded_len(msg: &Message) -> usize {
    let mut out = Vec::new();
    encode_message(msg, &mut out).unwrap();
    out.len()
}

fn varbinds_mut(msg: &mut Message) -> &mut Vec<VarBind> {
    let pdu = match msg {
        Message::Community(m) => &mut m.pdu,
        Message::V3(m) => match &mut m.data {
            ScopedPduData::Plain(sp) => &mut sp.pdu,
            ScopedPduData::Encrypted(_) => panic!("sizer tests use plain scoped PDUs"),
        },
    };
    match pdu {
        AnyPdu::Pdu(p) => &mut p.varbinds,
        AnyPdu::TrapV1(t) => &mut t.varbinds,
    }
}

/// The message as it goes on the wire: for privacy, the scoped PDU is
/// replaced by a ciphertext of its padded length.
fn wire_len(msg: &Message, cipher_block: usize) -> usize {
    match msg {
        Message::V3(m) if m.flags & flags::PRIV != 0 => {
            let ScopedPduData::Plain(sp) = &m.data else {
                panic!("plain until encrypted");
            };
            let mut plain = Vec::new();
            encode_scoped_pdu(sp, &mut plain).unwrap();
            let mut sent = m.clone();
            sent.data =
                ScopedPduData::Encrypted(vec![0; plain.len().next_multiple_of(cipher_block)]);
            encoded_len(&Message::V3(sent))
        }
        _ => encoded_len(msg),
    }
}

/// Varbinds of sizes that walk every length field across its boundaries.
fn growing_varbinds() -> Vec<VarBind> {
    let mut vbs = Vec::new();
    for (i, size) in [
        0usize, 1, 5, 60, 100, 119, 120, 121, 122, 200, 300, 1000, 30_000, 40_000,
    ]
    .into_iter()
    .enumerate()
    {
        let oid = Oid::new(&[1, 3, 6, 1, 4, 1, 32473, 9, i as u32]);
        vbs.push(VarBind::new(
            oid.clone(),
            Value::OctetString(vec![b'x'; size]),
        ));
        vbs.push(VarBind::new(oid.join(&[1]), Value::Counter64(u64::MAX)));
        vbs.push(VarBind::new(oid.join(&[2]), Value::EndOfMibView));
    }
    vbs
}

fn empty_messages() -> Vec<(&'static str, Message, usize)> {
    let get = || pdu(PduKind::Response, Vec::new());
    let plain = || ScopedPduData::Plain(scoped(get()));
    vec![
        ("v2c", community(Version::V2c, get()), 1),
        (
            "v3 auth",
            v3(flags::AUTH, usm(b"authsha", 12, 0), plain()),
            1,
        ),
        ("v3 noauth", v3(0, usm(b"", 0, 0), plain()), 1),
        (
            "v3 des",
            v3(flags::AUTH | flags::PRIV, usm(b"privdes", 12, 8), plain()),
            8,
        ),
        (
            "v3 aes",
            v3(flags::AUTH | flags::PRIV, usm(b"privaes", 24, 8), plain()),
            1,
        ),
    ]
}

#[test]
fn the_sizer_predicts_every_length_exactly() {
    for (name, mut msg, block) in empty_messages() {
        let mut sizer = MessageSizer::new(&msg, block).unwrap();
        assert_eq!(sizer.encoded_len(), wire_len(&msg, block), "{name} empty");
        for vb in growing_varbinds() {
            let n = varbind_encoded_len(&vb);
            let predicted = sizer.encoded_len_with(n);
            sizer.push(n);
            varbinds_mut(&mut msg).push(vb);
            assert_eq!(predicted, wire_len(&msg, block), "{name}");
            assert_eq!(sizer.encoded_len(), predicted, "{name}");
        }
    }
}

#[test]
fn the_sizer_counts_the_varbinds_already_in_the_message() {
    for (name, msg) in fixtures::all() {
        if let Message::V3(m) = &msg
            && matches!(m.data, ScopedPduData::Encrypted(_))
        {
            assert_eq!(
                MessageSizer::new(&msg, 8).unwrap_err(),
                EncodeError::EncryptedScopedPdu
            );
            continue;
        }
        let sizer = MessageSizer::new(&msg, 8).unwrap();
        assert_eq!(sizer.encoded_len(), encoded_len(&msg), "{name}");
    }
}

#[test]
fn varbind_encoded_len_is_the_size_of_the_varbind_sequence() {
    for vb in fixtures::v2_values().into_iter().chain(growing_varbinds()) {
        let with = community(
            Version::V2c,
            pdu(PduKind::Response, vec![vb.clone(), vb.clone()]),
        );
        let once = community(Version::V2c, pdu(PduKind::Response, vec![vb.clone()]));
        // Adding a second copy of a small varbind to a short list changes no
        // length field, so the difference is exactly one varbind.
        if encoded_len(&once) + varbind_encoded_len(&vb) < 120 {
            assert_eq!(
                encoded_len(&with) - encoded_len(&once),
                varbind_encoded_len(&vb)
            );
        }
    }
}

#[test]
fn try_push_fills_a_bulk_response_up_to_the_limit_and_no_further() {
    for (name, mut msg, block) in empty_messages() {
        for max in [484usize, 1472, 65_507] {
            let mut sizer = MessageSizer::new(&msg, block).unwrap();
            let mut added = 0;
            let mut i = 0u32;
            loop {
                let vb = VarBind::new(
                    Oid::new(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 10, i]),
                    Value::Counter32(i.wrapping_mul(2_654_435_761)),
                );
                if !sizer.try_push(varbind_encoded_len(&vb), max) {
                    let mut over = msg.clone();
                    varbinds_mut(&mut over).push(vb);
                    assert!(wire_len(&over, block) > max, "{name} {max}");
                    break;
                }
                varbinds_mut(&mut msg).push(vb);
                added += 1;
                i += 1;
            }
            assert!(added > 0);
            assert!(wire_len(&msg, block) <= max, "{name} {max}");
            assert_eq!(wire_len(&msg, block), sizer.encoded_len(), "{name} {max}");
            varbinds_mut(&mut msg).clear();
        }
    }
}
