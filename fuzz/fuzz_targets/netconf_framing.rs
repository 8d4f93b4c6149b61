//! NETCONF framing, 1.0 (`]]>]]>`) and 1.1 (chunked): arbitrary bytes,
//! fed in arbitrary pieces, never panic and never yield a message over the
//! limit; and any message encoded by `framing::encode` decodes back whole,
//! however the bytes are split.

#![no_main]

use chain_agent::netconf::transport::framing::{Decoder, Framing, encode};
use libfuzzer_sys::fuzz_target;

const MAX: usize = 4096;

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let mode = if control & 1 == 0 {
        Framing::EndOfMessage
    } else {
        Framing::Chunked
    };
    let piece = usize::from(control >> 1).max(1);

    // Arbitrary input: whatever comes out respects the limit.
    let mut d = Decoder::new(MAX);
    d.set_mode(mode);
    for chunk in rest.chunks(piece) {
        d.push(chunk);
        loop {
            match d.next_message() {
                Ok(Some(m)) => assert!(m.len() <= MAX, "a message over the limit"),
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }

    // Round trip: a message survives encoding, unless 1.0 framing cannot
    // carry it: one that holds the delimiter, or ends so that the
    // delimiter appended to it appears early (`...]]>` + `]]>]]>`). That
    // is the ambiguity RFC 6242 §4.3 leaves in 1.0 framing, not a fault.
    if mode == Framing::EndOfMessage {
        let mut framed = rest.to_vec();
        framed.extend_from_slice(b"]]>]]>");
        if framed.windows(6).position(|w| w == b"]]>]]>") != Some(rest.len()) {
            return;
        }
    }
    if rest.len() > MAX {
        return;
    }
    if rest.is_empty() && mode == Framing::Chunked {
        // RFC 6242 §4.2 has no empty chunked message (a chunk is 1 or more
        // octets); the server never sends one.
        return;
    }
    let wire = encode(mode, rest);
    let mut d = Decoder::new(MAX);
    d.set_mode(mode);
    let mut got = Vec::new();
    for chunk in wire.chunks(piece) {
        d.push(chunk);
        while let Some(m) = d.next_message().expect("our own encoding decodes") {
            got.push(m);
        }
    }
    assert_eq!(got, vec![rest.to_vec()], "round trip changed the message");
});
