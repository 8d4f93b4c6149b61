//! Subtree filtering (RFC 6241 §6): arbitrary data and filter trees (two
//! XML documents separated by a NUL byte) never panic, and the result only
//! holds elements taken from the data.

#![no_main]

use chain_agent::netconf::datastore::subtree;
use chain_agent::netconf::transport::xml::Element;
use libfuzzer_sys::fuzz_target;

fn count(e: &Element) -> usize {
    1 + e.children.iter().map(count).sum::<usize>()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((data_xml, filter_xml)) = text.split_once('\0') else {
        return;
    };
    let (Ok(d), Ok(f)) = (Element::parse(data_xml), Element::parse(filter_xml)) else {
        return;
    };
    let out = subtree::filter(std::slice::from_ref(&d), std::slice::from_ref(&f));
    let kept: usize = out.iter().map(count).sum();
    assert!(kept <= count(&d), "the filter invented elements");
});
