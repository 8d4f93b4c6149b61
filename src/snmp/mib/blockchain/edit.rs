//! The checks of a SET's value that the MIB's syntax implies (RFC 3416
//! §4.2.5), and the configuration's form of a value, for the edits
//! `objects::set` makes of what the object map declares. Ranges that
//! only the configuration knows are left to the datastore's validation
//! at commit.

use crate::snmp::mib::SetError;
use crate::snmp::mib::convert::ADMIN_STRING_MAX;
use crate::snmp::value::Value;

/// The value of an Unsigned32/Gauge32 varbind. The caller has checked the
/// type; a mismatch here is still reported, never a panic.
pub fn unsigned(v: &Value) -> Result<u32, SetError> {
    match v {
        Value::Gauge32(n) => Ok(*n),
        _ => Err(SetError::WrongType),
    }
}

pub fn integer(v: &Value) -> Result<i32, SetError> {
    match v {
        Value::Integer(n) => Ok(*n),
        _ => Err(SetError::WrongType),
    }
}

/// A BcmPercentHundredths value: 0..=10000, else wrongValue.
pub fn percent_hundredths(v: &Value) -> Result<u32, SetError> {
    let n = unsigned(v)?;
    if n > 10_000 {
        return Err(SetError::WrongValue);
    }
    Ok(n)
}

/// Hundredths as the configuration's floating-point number.
pub fn hundredths_json(n: u32) -> serde_json::Value {
    serde_json::Value::from(f64::from(n) / 100.0)
}

/// A BcmAdminString value: at most 255 octets (wrongLength) of UTF-8
/// (wrongValue).
pub fn admin_string(v: &Value) -> Result<String, SetError> {
    match v {
        Value::OctetString(b) if b.len() > ADMIN_STRING_MAX => Err(SetError::WrongLength),
        Value::OctetString(b) => String::from_utf8(b.clone()).map_err(|_| SetError::WrongValue),
        _ => Err(SetError::WrongType),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_by_syntax() {
        assert_eq!(unsigned(&Value::Gauge32(5)), Ok(5));
        assert_eq!(unsigned(&Value::Integer(5)), Err(SetError::WrongType));
        assert_eq!(integer(&Value::Integer(-1)), Ok(-1));
        assert_eq!(percent_hundredths(&Value::Gauge32(10_000)), Ok(10_000));
        assert_eq!(
            percent_hundredths(&Value::Gauge32(10_001)),
            Err(SetError::WrongValue)
        );
        assert_eq!(hundredths_json(9050), serde_json::json!(90.5));
        assert_eq!(
            admin_string(&Value::string("relay:1")),
            Ok("relay:1".into())
        );
        assert_eq!(
            admin_string(&Value::OctetString(vec![b'a'; 256])),
            Err(SetError::WrongLength)
        );
        assert_eq!(
            admin_string(&Value::OctetString(vec![0xff])),
            Err(SetError::WrongValue)
        );
    }
}
