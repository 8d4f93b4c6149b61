//! Messages built and read with rasn-snmp, an encoder written by other
//! people, so the tests check this tool's BER against a second opinion
//! instead of against itself.

use rasn::types::ObjectIdentifier;
use rasn_snmp::v2::{ObjectSyntax, Pdu, Pdus, Response, TimeTicks, VarBind, VarBindValue};
use rasn_snmp::v2c::Message;

pub fn oid(arcs: &[u32]) -> ObjectIdentifier {
    ObjectIdentifier::new(arcs.to_vec()).expect("valid test OID")
}

pub fn ticks(value: u32) -> VarBindValue {
    VarBindValue::Value(ObjectSyntax::from(TimeTicks { 0: value }))
}

pub fn integer(value: i32) -> VarBindValue {
    VarBindValue::Value(ObjectSyntax::from(value))
}

/// A v2c Response PDU for community `public`, BER-encoded by rasn.
pub fn response(
    request_id: i32,
    error_status: u32,
    varbinds: &[(&[u32], VarBindValue)],
) -> Vec<u8> {
    response_for("public", request_id, error_status, varbinds)
}

pub fn response_for(
    community: &str,
    request_id: i32,
    error_status: u32,
    varbinds: &[(&[u32], VarBindValue)],
) -> Vec<u8> {
    let message = Message {
        version: 1.into(),
        community: community.as_bytes().to_vec().into(),
        data: Pdus::Response(Response(Pdu {
            request_id,
            error_status,
            error_index: 0,
            variable_bindings: varbinds
                .iter()
                .map(|(name, value)| VarBind {
                    name: oid(name),
                    value: value.clone(),
                })
                .collect(),
        })),
    };
    rasn::ber::encode(&message).expect("rasn encodes a Response")
}

pub fn decode(bytes: &[u8]) -> Message<Pdus> {
    rasn::ber::decode(bytes).expect("rasn decodes the message")
}
