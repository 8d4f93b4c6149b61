//! Message authentication: HMAC over the whole message with the
//! authentication field zeroed, truncated (RFC 3414 §6-7, RFC 7860 §4).

use std::fmt;

use hmac::{EagerHash, Hmac, KeyInit, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

use super::auth::AuthProtocol;
use super::error::UsmCryptoError;

/// The longest MAC any protocol sends (HMAC-SHA-512 truncated to 48).
const MAX_MAC_LEN: usize = 48;
const ZEROED_MAC_FIELD: [u8; MAX_MAC_LEN] = [0; MAX_MAC_LEN];

/// A user's localized authentication key, with the key already absorbed
/// into the HMAC state: every message then costs a clone and the hashing
/// of the message, not a re-keying.
#[derive(Clone)]
pub struct Authenticator {
    protocol: AuthProtocol,
    mac: KeyedMac,
}

impl Authenticator {
    /// `localized_key` must be exactly `protocol.key_len()` octets, which
    /// is what [`super::localize_key`] yields and what usmUserAuthKeyChange
    /// would carry.
    pub fn new(protocol: AuthProtocol, localized_key: &[u8]) -> Result<Self, UsmCryptoError> {
        if localized_key.len() != protocol.key_len() {
            return Err(UsmCryptoError::AuthKeyLength {
                protocol,
                expected: protocol.key_len(),
                got: localized_key.len(),
            });
        }
        let mac = KeyedMac::new(protocol, localized_key).ok_or(UsmCryptoError::NoAuthProtocol)?;
        Ok(Self { protocol, mac })
    }

    pub fn protocol(&self) -> AuthProtocol {
        self.protocol
    }

    /// Octets of msgAuthenticationParameters this protocol sends.
    pub fn mac_len(&self) -> usize {
        self.protocol.mac_len()
    }

    /// The MAC of a message whose msgAuthenticationParameters already hold
    /// `mac_len()` zero octets (RFC 3414 §6.3.1).
    pub fn sign(&self, message_with_zeroed_mac: &[u8]) -> Vec<u8> {
        self.mac.tag(&[message_with_zeroed_mac], self.mac_len())
    }

    /// Whether `received_mac` authenticates a message whose
    /// msgAuthenticationParameters were replaced by zeros (RFC 3414
    /// §6.3.2). A MAC of the wrong length fails; the comparison takes the
    /// same time wherever the first differing octet is.
    pub fn verify(&self, message_with_zeroed_mac: &[u8], received_mac: &[u8]) -> bool {
        received_mac.len() == self.mac_len()
            && self.mac.check(&[message_with_zeroed_mac], received_mac)
    }

    /// Signs an encoded message in place: computes the MAC as though the
    /// `mac_len()` octets at `mac_offset` were zero (whatever they hold)
    /// and writes it there. Saves the encoder a second pass.
    pub fn sign_at(&self, message: &mut [u8], mac_offset: usize) -> Result<(), UsmCryptoError> {
        let parts = self.split(message, mac_offset)?;
        let tag = self.mac.tag(&parts.with_field_zeroed(), parts.field.len());
        // split() has checked that the field lies within the message.
        message[mac_offset..mac_offset + tag.len()].copy_from_slice(&tag);
        Ok(())
    }

    /// Verifies a received message as it came off the wire: the MAC is
    /// read from the `mac_len()` octets at `mac_offset` and the message is
    /// authenticated as though they were zero, without copying it. An
    /// offset that leaves no room for the MAC fails.
    pub fn verify_at(&self, message: &[u8], mac_offset: usize) -> bool {
        match self.split(message, mac_offset) {
            Ok(parts) => self.mac.check(&parts.with_field_zeroed(), parts.field),
            Err(_) => false,
        }
    }

    /// The message before, inside and after its MAC field.
    fn split<'m>(
        &self,
        message: &'m [u8],
        mac_offset: usize,
    ) -> Result<MacSplit<'m>, UsmCryptoError> {
        let out_of_bounds = || UsmCryptoError::MacOutOfBounds {
            offset: mac_offset,
            mac_len: self.mac_len(),
            msg_len: message.len(),
        };
        let end = mac_offset
            .checked_add(self.mac_len())
            .ok_or_else(out_of_bounds)?;
        let head = message.get(..mac_offset).ok_or_else(out_of_bounds)?;
        let field = message.get(mac_offset..end).ok_or_else(out_of_bounds)?;
        let tail = message.get(end..).ok_or_else(out_of_bounds)?;
        Ok(MacSplit { head, field, tail })
    }
}

/// An encoded message cut around its msgAuthenticationParameters value.
struct MacSplit<'m> {
    head: &'m [u8],
    field: &'m [u8],
    tail: &'m [u8],
}

impl<'m> MacSplit<'m> {
    /// The parts to authenticate: RFC 3414 §6.3.1-2 compute the MAC with
    /// the field zeroed.
    fn with_field_zeroed(&self) -> [&'m [u8]; 3] {
        [self.head, &ZEROED_MAC_FIELD[..self.field.len()], self.tail]
    }
}

/// Keys stay out of logs: only the protocol is shown.
impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

/// The truncated MAC of `message_with_zeroed_mac` under a localized key;
/// empty for usmNoAuthProtocol. For many messages under one key, keep an
/// [`Authenticator`] instead.
pub fn sign(protocol: AuthProtocol, auth_key: &[u8], message_with_zeroed_mac: &[u8]) -> Vec<u8> {
    KeyedMac::new(protocol, auth_key)
        .map(|mac| mac.tag(&[message_with_zeroed_mac], protocol.mac_len()))
        .unwrap_or_default()
}

/// Constant-time check of a received MAC; always false for
/// usmNoAuthProtocol, which authenticates nothing.
pub fn verify(
    protocol: AuthProtocol,
    auth_key: &[u8],
    message_with_zeroed_mac: &[u8],
    received_mac: &[u8],
) -> bool {
    received_mac.len() == protocol.mac_len()
        && KeyedMac::new(protocol, auth_key)
            .is_some_and(|mac| mac.check(&[message_with_zeroed_mac], received_mac))
}

/// One HMAC per hash; an enum rather than a trait object keeps it `Clone`.
#[derive(Clone)]
enum KeyedMac {
    Md5(Hmac<Md5>),
    Sha1(Hmac<Sha1>),
    Sha224(Hmac<Sha224>),
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

impl KeyedMac {
    fn new(protocol: AuthProtocol, key: &[u8]) -> Option<Self> {
        Some(match protocol {
            AuthProtocol::None => return None,
            AuthProtocol::Md5 => Self::Md5(keyed(key)),
            AuthProtocol::Sha1 => Self::Sha1(keyed(key)),
            AuthProtocol::Sha224 => Self::Sha224(keyed(key)),
            AuthProtocol::Sha256 => Self::Sha256(keyed(key)),
            AuthProtocol::Sha384 => Self::Sha384(keyed(key)),
            AuthProtocol::Sha512 => Self::Sha512(keyed(key)),
        })
    }

    /// The HMAC of the concatenated `parts`, keeping its first `len` octets.
    fn tag(&self, parts: &[&[u8]], len: usize) -> Vec<u8> {
        match self {
            Self::Md5(mac) => tag(mac, parts, len),
            Self::Sha1(mac) => tag(mac, parts, len),
            Self::Sha224(mac) => tag(mac, parts, len),
            Self::Sha256(mac) => tag(mac, parts, len),
            Self::Sha384(mac) => tag(mac, parts, len),
            Self::Sha512(mac) => tag(mac, parts, len),
        }
    }

    /// Whether `expected` is the leading part of the HMAC of `parts`.
    fn check(&self, parts: &[&[u8]], expected: &[u8]) -> bool {
        match self {
            Self::Md5(mac) => check(mac, parts, expected),
            Self::Sha1(mac) => check(mac, parts, expected),
            Self::Sha224(mac) => check(mac, parts, expected),
            Self::Sha256(mac) => check(mac, parts, expected),
            Self::Sha384(mac) => check(mac, parts, expected),
            Self::Sha512(mac) => check(mac, parts, expected),
        }
    }
}

#[expect(
    clippy::expect_used,
    reason = "HMAC hashes over-long keys and pads short ones, so no length is refused"
)]
fn keyed<D: EagerHash>(key: &[u8]) -> Hmac<D> {
    Hmac::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn absorb<M: Mac + Clone>(keyed: &M, parts: &[&[u8]]) -> M {
    let mut mac = keyed.clone();
    for part in parts {
        mac.update(part);
    }
    mac
}

fn tag<M: Mac + Clone>(keyed: &M, parts: &[&[u8]], len: usize) -> Vec<u8> {
    let mut full = absorb(keyed, parts).finalize().into_bytes().to_vec();
    full.truncate(len);
    full
}

fn check<M: Mac + Clone>(keyed: &M, parts: &[&[u8]], expected: &[u8]) -> bool {
    absorb(keyed, parts).verify_truncated_left(expected).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &[u8] = b"\x30\x10HEAD";

    /// A stand-in for an encoded message: a head, the zeroed MAC field
    /// and a tail, laid out as pysnmp's placeholder search expects.
    fn zeroed_message(protocol: AuthProtocol) -> Vec<u8> {
        let mut message = HEAD.to_vec();
        message.extend(std::iter::repeat_n(0, protocol.mac_len()));
        message.extend_from_slice(b"TAIL");
        message.extend_from_slice(b"chain-agent USM known-answer message ");
        message.extend(0u8..40);
        message
    }

    /// (protocol, localized key for "maplesyrup" and the RFC 3414 A.3
    /// engine ID, expected MAC of `zeroed_message`). The MACs were computed
    /// with pysnmp 7.1.30's own authenticate_outgoing_message (HmacMd5,
    /// HmacSha, rfc7860 HmacSha2) and agree with Python's
    /// hmac.new(key, message, hashlib.<hash>).digest()[:mac_len].
    const KNOWN_ANSWERS: [(AuthProtocol, &str, &str); 6] = [
        (
            AuthProtocol::Md5,
            "526f5eed9fcce26f8964c2930787d82b",
            "66a63176b3c59bbd7402d907",
        ),
        (
            AuthProtocol::Sha1,
            "6695febc9288e36282235fc7151f128497b38f3f",
            "1d00e6cd361bf7a153dfc42a",
        ),
        (
            AuthProtocol::Sha224,
            "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674",
            "7f7321d100baff8b8c2a4cf2bc8f4281",
        ),
        (
            AuthProtocol::Sha256,
            "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b",
            "3ab3c3895a53b5790d475bd7479b502e58394d44d3bb5253",
        ),
        (
            AuthProtocol::Sha384,
            "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f045\
             5a53689a3937eea07319a633d2ccba78",
            "200368262bfc6844ddc33a38ed1b6b9a50481b9114bc9271211657e98753caa4",
        ),
        (
            AuthProtocol::Sha512,
            "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099\
             ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b",
            "67aec257c2233bf58581c1d117483c4e43af44c748b30908b3f68718c5af939c\
             25b7bcb94956f20267b7fdb398e74fac",
        ),
    ];

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is hex")
    }

    #[test]
    fn known_answers_match_pysnmp() {
        for (protocol, key, mac) in KNOWN_ANSWERS {
            let (key, mac) = (unhex(key), unhex(mac));
            let message = zeroed_message(protocol);
            assert_eq!(sign(protocol, &key, &message), mac, "{protocol} sign");
            assert!(verify(protocol, &key, &message, &mac), "{protocol} verify");

            let authenticator =
                Authenticator::new(protocol, &key).expect("key has the right length");
            assert_eq!(
                authenticator.sign(&message),
                mac,
                "{protocol} Authenticator::sign"
            );
            assert!(authenticator.verify(&message, &mac));
        }
    }

    #[test]
    fn sign_at_writes_the_known_answer_whatever_the_field_held() {
        for (protocol, key, mac) in KNOWN_ANSWERS {
            let authenticator = Authenticator::new(protocol, &unhex(key)).expect("valid key");
            let mut message = zeroed_message(protocol);
            let field = HEAD.len()..HEAD.len() + protocol.mac_len();
            message[field.clone()].fill(0xa5);
            authenticator
                .sign_at(&mut message, HEAD.len())
                .expect("field in bounds");
            assert_eq!(message[field], unhex(mac)[..], "{protocol}");
            assert!(authenticator.verify_at(&message, HEAD.len()), "{protocol}");
        }
    }

    #[test]
    fn any_altered_octet_fails_verification() {
        for (protocol, key, mac) in KNOWN_ANSWERS {
            let authenticator = Authenticator::new(protocol, &unhex(key)).expect("valid key");
            let mac = unhex(mac);
            let message = zeroed_message(protocol);

            let mut altered_message = message.clone();
            *altered_message.last_mut().expect("non-empty") ^= 1;
            assert!(
                !authenticator.verify(&altered_message, &mac),
                "{protocol} message"
            );

            for i in 0..mac.len() {
                let mut altered_mac = mac.clone();
                altered_mac[i] ^= 0x80;
                assert!(
                    !authenticator.verify(&message, &altered_mac),
                    "{protocol} mac[{i}]"
                );
            }

            let mut signed = message.clone();
            authenticator
                .sign_at(&mut signed, HEAD.len())
                .expect("field in bounds");
            signed[0] ^= 1;
            assert!(
                !authenticator.verify_at(&signed, HEAD.len()),
                "{protocol} at"
            );
        }
    }

    /// RFC 3414 §6.3.2 step 2 / RFC 7860 §4.2.2 step 2: only the truncated
    /// length is acceptable, not a prefix of it nor the full HMAC.
    #[test]
    fn wrong_mac_length_fails() {
        for (protocol, key, mac) in KNOWN_ANSWERS {
            let key = unhex(key);
            let message = zeroed_message(protocol);
            let mac = unhex(mac);
            assert!(!verify(protocol, &key, &message, &mac[..mac.len() - 1]));
            assert!(!verify(protocol, &key, &message, &[]));
            let full = tag_untruncated(protocol, &key, &message);
            assert!(full.starts_with(&mac) && full.len() > mac.len());
            assert!(
                !verify(protocol, &key, &message, &full),
                "{protocol} full HMAC"
            );

            let authenticator = Authenticator::new(protocol, &key).expect("valid key");
            assert!(!authenticator.verify(&message, &mac[..mac.len() - 1]));
            assert!(!authenticator.verify(&message, &full), "{protocol} full");
        }
    }

    fn tag_untruncated(protocol: AuthProtocol, key: &[u8], message: &[u8]) -> Vec<u8> {
        KeyedMac::new(protocol, key)
            .expect("authenticating protocol")
            .tag(&[message], usize::MAX)
    }

    #[test]
    fn round_trip_under_other_keys() {
        for protocol in AuthProtocol::ALL.into_iter().skip(1) {
            let key: Vec<u8> = (0..protocol.key_len()).map(|i| (i * 7 + 3) as u8).collect();
            let other_key: Vec<u8> = key.iter().map(|b| b ^ 0xff).collect();
            let message = zeroed_message(protocol);
            let mac = sign(protocol, &key, &message);
            assert_eq!(mac.len(), protocol.mac_len());
            assert!(verify(protocol, &key, &message, &mac));
            assert!(!verify(protocol, &other_key, &message, &mac), "{protocol}");
        }
    }

    #[test]
    fn key_length_and_protocol_are_validated() {
        assert_eq!(
            Authenticator::new(AuthProtocol::Sha256, &[0; 20]).err(),
            Some(UsmCryptoError::AuthKeyLength {
                protocol: AuthProtocol::Sha256,
                expected: 32,
                got: 20
            })
        );
        assert_eq!(
            Authenticator::new(AuthProtocol::None, &[]).err(),
            Some(UsmCryptoError::NoAuthProtocol)
        );
    }

    #[test]
    fn no_auth_signs_nothing_and_verifies_nothing() {
        let message = zeroed_message(AuthProtocol::None);
        assert!(sign(AuthProtocol::None, &[], &message).is_empty());
        assert!(!verify(AuthProtocol::None, &[], &message, &[]));
    }

    #[test]
    fn mac_field_outside_the_message_is_refused() {
        let authenticator = Authenticator::new(AuthProtocol::Md5, &[1; 16]).expect("valid key");
        let mut short = vec![0; 20];
        assert_eq!(
            authenticator.sign_at(&mut short, 9),
            Err(UsmCryptoError::MacOutOfBounds {
                offset: 9,
                mac_len: 12,
                msg_len: 20
            })
        );
        assert!(authenticator.sign_at(&mut short, 8).is_ok());
        assert!(authenticator.verify_at(&short, 8));
        assert!(!authenticator.verify_at(&short, 9));
        assert!(!authenticator.verify_at(&short, usize::MAX));
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let authenticator = Authenticator::new(AuthProtocol::Md5, &[0xab; 16]).expect("valid key");
        let shown = format!("{authenticator:?}");
        assert!(shown.contains("Md5") && !shown.contains("ab") && !shown.contains("171"));
    }
}
