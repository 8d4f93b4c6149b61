//! The configuration file: arbitrary text never panics in parsing,
//! normalising or validation; a configuration that loads also survives a
//! round trip through its own TOML form and the NETCONF mapping.

#![no_main]

use chain_agent::config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(c) = config::parse_text(text) {
        let _ = config::validate(&c);
        let _ = config::restart_only_change(&c, &config::Config::default());
        let yang = chain_agent::netconf::yang::config_map::config_to_yang(&c);
        let _ = chain_agent::netconf::yang::config_map::yang_to_config(&yang);
    }
});
