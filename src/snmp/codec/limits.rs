//! ASN.1 ranges of the v3 header and USM parameters that both directions
//! enforce, so we never send what we would refuse to receive.

/// RFC 3412 §6.3: msgMaxSize is INTEGER (484..2147483647).
pub const MIN_MAX_SIZE: i32 = 484;
/// RFC 3414 §2.4: msgUserName is OCTET STRING (SIZE(0..32)).
pub const MAX_USER_NAME: usize = 32;
/// The only security model this codec decodes: USM (RFC 3414).
pub const USM: i32 = 3;
