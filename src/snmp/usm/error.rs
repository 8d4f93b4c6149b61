//! The ways the USM cryptography can refuse its input.

use thiserror::Error;

use super::auth::AuthProtocol;
use super::privacy::PrivProtocol;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsmCryptoError {
    /// RFC 3414 §11.2: shorter passwords make the derived keys guessable.
    #[error("password is {len} octets long; USM requires at least 8 (RFC 3414 §11.2)")]
    PasswordTooShort { len: usize },

    #[error(
        "unknown authentication protocol {0:?} (expected none, md5, sha, sha-224, sha-256, sha-384 or sha-512)"
    )]
    UnknownAuthProtocol(String),

    #[error("unknown privacy protocol {0:?} (expected none, des or aes)")]
    UnknownPrivProtocol(String),

    /// A key or MAC was asked of usmNoAuthProtocol, which has neither.
    #[error("usmNoAuthProtocol has no keys and computes no MAC")]
    NoAuthProtocol,

    /// Encryption was asked of usmNoPrivProtocol; refusing keeps a
    /// misconfigured caller from sending the scoped PDU in clear text.
    #[error("usmNoPrivProtocol does not encrypt")]
    NoPrivProtocol,

    /// RFC 3414 §3.1.1: a user with privacy must also authenticate.
    #[error("privacy requires an authentication protocol")]
    PrivacyWithoutAuth,

    #[error("localized {protocol} authentication key is {got} octets; expected {expected}")]
    AuthKeyLength {
        protocol: AuthProtocol,
        expected: usize,
        got: usize,
    },

    /// The cipher takes 16 octets; a full localized key of the
    /// authentication hash (as net-snmp stores it) is also accepted.
    #[error(
        "{protocol} privacy key is {got} octets; expected 16, or the full localized key of the authentication hash"
    )]
    PrivKeyLength { protocol: PrivProtocol, got: usize },

    /// RFC 3414 §8.3.2 step 1, RFC 3826 §3.3.2 step 1.
    #[error("msgPrivacyParameters is {got} octets; expected 8")]
    PrivParamsLength { got: usize },

    /// RFC 3414 §8.3.2 step 4: CBC ciphertext is whole DES blocks.
    #[error("DES ciphertext is {got} octets, not a multiple of 8")]
    CiphertextLength { got: usize },

    #[error(
        "the {mac_len}-octet MAC field at offset {offset} lies outside the {msg_len}-octet message"
    )]
    MacOutOfBounds {
        offset: usize,
        mac_len: usize,
        msg_len: usize,
    },

    #[error("no operating-system randomness for the privacy salt: {0}")]
    Randomness(String),
}

impl From<crate::config::usm_key::KeyError> for UsmCryptoError {
    fn from(e: crate::config::usm_key::KeyError) -> Self {
        use crate::config::usm_key::KeyError;
        match e {
            KeyError::PasswordTooShort { len } => Self::PasswordTooShort { len },
            KeyError::NoAuthProtocol => Self::NoAuthProtocol,
        }
    }
}
