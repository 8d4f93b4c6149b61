//! Cell values in the MIB's syntaxes, built from model values through the
//! conversions of `convert`.

use crate::snmp::mib::convert;
use crate::snmp::value::Value;

/// SnmpAdminString-style text, cut to 255 octets.
pub fn text(s: &str) -> Value {
    Value::OctetString(convert::admin_string(s))
}

/// An enumerated INTEGER or TruthValue.
pub fn int(n: i32) -> Value {
    Value::Integer(n)
}

/// Unsigned32 or Gauge32 (one wire type).
pub fn unsigned(n: u32) -> Value {
    Value::Gauge32(n)
}

/// Unsigned32 or Gauge32 of a 64-bit figure, saturated.
pub fn saturated(n: u64) -> Value {
    Value::Gauge32(convert::saturate_u32(n))
}
