//! Any input: decoding never panics, and whatever decodes re-encodes to
//! exactly the same bytes (the decoder accepts only the canonical,
//! DER-style form the encoder writes) and decodes again to the same value.
//! The same for a decrypted ScopedPDU, minus the padding it may carry.

#![no_main]

use chain_agent::snmp::codec::{
    decode_message, decode_scoped_pdu, encode_message, encode_scoped_pdu,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = decode_message(data) {
        let mut out = Vec::new();
        let auth_offset = encode_message(&decoded.message, &mut out)
            .expect("every decoded message can be encoded");
        assert_eq!(auth_offset, decoded.auth_offset);
        assert_eq!(out, data, "decoding accepted a non-canonical encoding");
        let again = decode_message(&out).expect("our own encoding decodes");
        assert_eq!(again, decoded);
    }
    if let Ok(scoped) = decode_scoped_pdu(data) {
        let mut out = Vec::new();
        encode_scoped_pdu(&scoped, &mut out).expect("every decoded ScopedPDU can be encoded");
        assert!(
            data.starts_with(&out),
            "decoding accepted a non-canonical ScopedPDU"
        );
        assert_eq!(
            decode_scoped_pdu(&out).expect("our own encoding decodes"),
            scoped
        );
    }
});
