//! Control socket requests: an arbitrary line never panics in parsing, and
//! a parsed edit request is applied to the default configuration and
//! validated as the agent would, without panicking.

#![no_main]

use chain_agent::config::{self, Config};
use chain_agent::control::{Request, parse_request};
use chain_agent::core::datastore::apply_edits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(req) = parse_request(line) else {
        return;
    };
    match req {
        Request::Edit { edits } => {
            let mut base = Config::default();
            config::normalise(&mut base);
            if let Ok(c) = apply_edits(&base, &edits) {
                let _ = config::validate(&c);
            }
        }
        Request::Commit { config: c } => {
            let _ = config::validate(&c);
        }
        _ => {}
    }
});
