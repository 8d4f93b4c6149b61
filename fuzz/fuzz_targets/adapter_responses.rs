//! What chain nodes answer: an arbitrary body goes through the JSON-RPC
//! envelope (with an arbitrary HTTP status), and every value that decodes
//! goes through each adapter's result parsers. None may panic.

#![no_main]

use chain_agent::collect::{bitcoin, cometbft, ethereum, fabric, transport::jsonrpc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((status, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = u16::from_be_bytes(*status);
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    let _ = jsonrpc::interpret("http://node", "method", status, text);
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    // Recorded answers are whole envelopes; the parsers take the result.
    for v in std::iter::once(&v).chain(v.get("result")) {
        ethereum::fuzzing::responses(v);
        bitcoin::fuzzing::responses(v);
        cometbft::fuzzing::responses(v);
        fabric::fuzzing::responses(v, text);
    }
});
