//! The cryptography of SNMPv3's User-based Security Model: key
//! derivation (RFC 3414 §2.6, RFC 7860 §9), HMAC authentication
//! (RFC 3414 §6-7, RFC 7860 §4) and privacy with DES-CBC (RFC 3414 §8)
//! or AES-128-CFB (RFC 3826). Pure functions over octets; the user table,
//! timeliness checks and reports live with the message processing.

mod aes_cfb;
mod auth;
mod authenticator;
mod des_cbc;
mod error;
mod key;
mod localized;
mod privacy;
mod salt;

pub use auth::AuthProtocol;
pub use authenticator::{Authenticator, sign, verify};
pub use error::UsmCryptoError;
pub use key::{MIN_PASSWORD_LEN, localize_key, password_to_key};
pub use localized::{LocalizedKeys, localized_from_password};
pub use privacy::{PRIV_KEY_LEN, PRIV_PARAMS_LEN, PrivKey, PrivProtocol, decrypt, encrypt};
pub use salt::SaltCounter;
