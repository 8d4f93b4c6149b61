//! Ethereum JSON-RPC encodes numbers as hex "quantities" ("0x1a") and
//! binary data as hex strings; some clients answer plain JSON numbers or
//! decimal strings instead (net_version), so both are accepted.

use serde_json::Value;

/// A quantity: "0x…" hex, a decimal string, or a JSON number.
pub fn quantity(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => quantity_str(s),
        _ => None,
    }
}

pub fn quantity_str(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some("") => Some(0),
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// The quantity as JSON-RPC expects it in a parameter.
pub fn to_quantity(n: u64) -> String {
    format!("{n:#x}")
}

/// Hex data ("0x" and an even number of hex digits) as bytes.
pub fn data(s: &str) -> Option<Vec<u8>> {
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).ok()
}

/// An address as JSON-RPC answers it, lower-cased so that the checksummed
/// and plain spellings of one address compare equal.
pub fn address(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quantities_in_every_spelling() {
        assert_eq!(quantity(&json!("0x7a69")), Some(31337));
        assert_eq!(quantity(&json!("0x0")), Some(0));
        assert_eq!(quantity(&json!("0x")), Some(0));
        assert_eq!(quantity(&json!("31337")), Some(31337));
        assert_eq!(quantity(&json!(12)), Some(12));
        assert_eq!(quantity(&json!("0xzz")), None);
        assert_eq!(quantity(&json!(-1)), None);
        assert_eq!(quantity(&json!(null)), None);
        assert_eq!(quantity(&json!("0x1ffffffffffffffff")), None, "over u64");
        assert_eq!(to_quantity(255), "0xff");
        assert_eq!(to_quantity(0), "0x0");
    }

    #[test]
    fn data_and_addresses() {
        assert_eq!(data("0x0a0B"), Some(vec![10, 11]));
        assert_eq!(data("0x"), Some(vec![]));
        assert_eq!(data("0xabc"), None, "odd length");
        assert_eq!(address(" 0xAbCd "), "0xabcd");
    }
}
