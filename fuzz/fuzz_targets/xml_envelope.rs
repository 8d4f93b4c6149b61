//! The NETCONF XML envelope and element tree: arbitrary bytes as one framed
//! message never panic; a message that parses as an element tree prints to
//! XML that parses again to the same tree.

#![no_main]

use chain_agent::netconf::transport::envelope;
use chain_agent::netconf::transport::xml::Element;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = envelope::parse(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tree) = Element::parse(text) {
        let printed = tree.to_xml();
        let again = Element::parse(&printed).expect("our own XML parses");
        assert_eq!(again.to_xml(), printed, "printing is not stable");
    }
});
