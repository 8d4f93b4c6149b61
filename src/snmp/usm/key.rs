//! Key derivation in the USM's protocol names. The derivation itself
//! (RFC 3414 §2.6 and A.2, RFC 7860 §9) is [`crate::config::usm_key`]'s,
//! which the datastore uses to localise configured passwords.

use super::auth::AuthProtocol;
use super::error::UsmCryptoError;
use crate::config::usm_key;

pub use usm_key::MIN_PASSWORD_LEN;

/// Ku, the user's key independent of any engine.
pub fn password_to_key(protocol: AuthProtocol, password: &[u8]) -> Result<Vec<u8>, UsmCryptoError> {
    Ok(usm_key::password_to_key(protocol.algorithm(), password)?)
}

/// Kul = H(Ku || snmpEngineID || Ku), localised to one engine; empty for
/// usmNoAuthProtocol.
pub fn localize_key(protocol: AuthProtocol, key: &[u8], engine_id: &[u8]) -> Vec<u8> {
    usm_key::localize_key(protocol.algorithm(), key, engine_id)
}
