//! Turning a user's password into the key one engine uses: RFC 3414
//! §2.6 and A.2, extended to the SHA-2 hashes by RFC 7860 §9. Pure
//! functions of the configured algorithm: the datastore localises
//! configured passwords with them before it stores a configuration, and
//! the SNMP agent (`snmp::usm`) derives inform keys with them.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::snmp::AuthAlgorithm;

/// Why a password gives no key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// RFC 3414 §11.2: shorter passwords make the derived keys guessable.
    #[error("password is {len} octets long; USM requires at least 8 (RFC 3414 §11.2)")]
    PasswordTooShort { len: usize },
    /// usmNoAuthProtocol has no keys.
    #[error("usmNoAuthProtocol has no keys and computes no MAC")]
    NoAuthProtocol,
}

impl AuthAlgorithm {
    /// Octets of a (localized) key: the hash's full digest length.
    pub fn key_len(self) -> usize {
        match self {
            Self::None => 0,
            Self::Md5 => 16,
            Self::Sha => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// RFC 3414 §11.2.
pub const MIN_PASSWORD_LEN: usize = 8;

/// RFC 3414 A.2: the password is repeated to fill one MiB before
/// hashing, which makes every guess in a dictionary attack expensive.
const EXPANDED_PASSWORD_LEN: usize = 1 << 20;

/// The expanded password is hashed in slices of this size, as in the RFC's
/// reference code; any slicing gives the same digest.
const SLICE_LEN: usize = 64;

/// Ku, the user's key independent of any engine.
pub fn password_to_key(protocol: AuthAlgorithm, password: &[u8]) -> Result<Vec<u8>, KeyError> {
    let hash: fn(&[u8]) -> Vec<u8> = match protocol {
        AuthAlgorithm::None => return Err(KeyError::NoAuthProtocol),
        AuthAlgorithm::Md5 => hash_expanded::<Md5>,
        AuthAlgorithm::Sha => hash_expanded::<Sha1>,
        AuthAlgorithm::Sha224 => hash_expanded::<Sha224>,
        AuthAlgorithm::Sha256 => hash_expanded::<Sha256>,
        AuthAlgorithm::Sha384 => hash_expanded::<Sha384>,
        AuthAlgorithm::Sha512 => hash_expanded::<Sha512>,
    };
    if password.len() < MIN_PASSWORD_LEN {
        return Err(KeyError::PasswordTooShort {
            len: password.len(),
        });
    }
    Ok(hash(password))
}

/// Kul = H(Ku || snmpEngineID || Ku): a key that is useless on any other
/// engine, so one compromised agent does not expose the user elsewhere.
/// usmNoAuthProtocol has no key, so it localizes to an empty one.
pub fn localize_key(protocol: AuthAlgorithm, key: &[u8], engine_id: &[u8]) -> Vec<u8> {
    match protocol {
        AuthAlgorithm::None => Vec::new(),
        AuthAlgorithm::Md5 => localize::<Md5>(key, engine_id),
        AuthAlgorithm::Sha => localize::<Sha1>(key, engine_id),
        AuthAlgorithm::Sha224 => localize::<Sha224>(key, engine_id),
        AuthAlgorithm::Sha256 => localize::<Sha256>(key, engine_id),
        AuthAlgorithm::Sha384 => localize::<Sha384>(key, engine_id),
        AuthAlgorithm::Sha512 => localize::<Sha512>(key, engine_id),
    }
}

/// Hashes the password repeated over [`EXPANDED_PASSWORD_LEN`] octets
/// without building that buffer: every slice of the repetition starts at
/// some offset within one copy of the password, so one copy followed by
/// a slice's worth of wrap-around holds them all.
fn hash_expanded<D: Digest>(password: &[u8]) -> Vec<u8> {
    let period = password.len();
    let ring: Vec<u8> = password
        .iter()
        .copied()
        .cycle()
        .take(period + SLICE_LEN)
        .collect();
    let mut hasher = D::new();
    let mut offset = 0;
    for _ in 0..EXPANDED_PASSWORD_LEN / SLICE_LEN {
        hasher.update(&ring[offset..offset + SLICE_LEN]);
        offset = (offset + SLICE_LEN) % period;
    }
    hasher.finalize().to_vec()
}

fn localize<D: Digest>(key: &[u8], engine_id: &[u8]) -> Vec<u8> {
    D::new()
        .chain_update(key)
        .chain_update(engine_id)
        .chain_update(key)
        .finalize()
        .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The engine ID of RFC 3414 A.3.
    const RFC_ENGINE_ID: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).expect("test vector is hex")
    }

    fn check_maplesyrup(protocol: AuthAlgorithm, ku: &str, kul: &str) {
        let derived = password_to_key(protocol, b"maplesyrup").expect("valid password");
        assert_eq!(
            hex::encode(&derived),
            ku.replace(' ', ""),
            "{protocol:?} Ku"
        );
        let localized = localize_key(protocol, &derived, &RFC_ENGINE_ID);
        assert_eq!(
            hex::encode(&localized),
            kul.replace(' ', ""),
            "{protocol:?} Kul"
        );
        assert_eq!(localized.len(), protocol.key_len());
    }

    // RFC 3414 A.3.1, checked against the RFC text.
    #[test]
    fn rfc_3414_a_3_1_md5() {
        check_maplesyrup(
            AuthAlgorithm::Md5,
            "9f af 32 83 88 4e 92 83 4e bc 98 47 d8 ed d9 63",
            "52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b",
        );
    }

    // RFC 3414 A.3.2, checked against the RFC text.
    #[test]
    fn rfc_3414_a_3_2_sha() {
        check_maplesyrup(
            AuthAlgorithm::Sha,
            "9f b5 cc 03 81 49 7b 37 93 52 89 39 ff 78 8d 5d 79 14 52 11",
            "66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f",
        );
    }

    // RFC 7860 gives no vectors. The expected values below were computed
    // with pysnmp 7.1.30 (pysnmp.proto.secmod.rfc3414.localkey
    // hash_passphrase / localize_key with hashlib.sha224/256/384/512, the
    // functions its rfc7860 HmacSha2 service uses) for "maplesyrup" and
    // the RFC 3414 A.3 engine ID.
    #[test]
    fn rfc_7860_sha224_matches_pysnmp() {
        check_maplesyrup(
            AuthAlgorithm::Sha224,
            "282a5867ee9aac639ad59df9572c7d3ac0fbc13a905b6df07dbbf00b",
            "0bd8827c6e29f8065e08e09237f177e410f69b90e1782be682075674",
        );
    }

    #[test]
    fn rfc_7860_sha256_matches_pysnmp() {
        check_maplesyrup(
            AuthAlgorithm::Sha256,
            "ab51014d1e077f6017df2b12bee5f5aa72993177e9bb569c4dff5a4ca0b4afac",
            "8982e0e549e866db361a6b625d84cccc11162d453ee8ce3a6445c2d6776f0f8b",
        );
    }

    #[test]
    fn rfc_7860_sha384_matches_pysnmp() {
        check_maplesyrup(
            AuthAlgorithm::Sha384,
            "e06eccdf2c68a06ed034723c9c26e0db3b669e1e2efed49150b55377a2e98f38\
             3c86fb836857444654b287c93f51ff64",
            "3b298f16164a11184279d5432bf169e2d2a48307de02b3d3f7e2b4f36eb6f045\
             5a53689a3937eea07319a633d2ccba78",
        );
    }

    #[test]
    fn rfc_7860_sha512_matches_pysnmp() {
        check_maplesyrup(
            AuthAlgorithm::Sha512,
            "7e4396de5aadc77be853819b98c9406265b3a9c37cc3176569847a4e4f6fba63\
             dd3a73d04924d31a63f95a601f9385af6be4ed1b37f87d040f7c6ed6f8d38a91",
            "22a5a36cedfcc085807a128d7bc6c2382167ad6c0dbc5fdff856740f3d84c099\
             ad1ea87a8db096714d9788bd544047c9021e4229ce27e4c0a69250adfcffbb0b",
        );
    }

    /// A password longer than one hashing slice exercises the wrap-around
    /// differently from "maplesyrup"; the expectation hashes the literal
    /// 1 MiB repetition.
    #[test]
    fn long_password_matches_literal_expansion() {
        let password =
            b"a password that is longer than sixty-four octets, to wrap the ring differently";
        let literal: Vec<u8> = password
            .iter()
            .copied()
            .cycle()
            .take(EXPANDED_PASSWORD_LEN)
            .collect();
        assert_eq!(
            password_to_key(AuthAlgorithm::Sha256, password).expect("valid password"),
            Sha256::digest(&literal).to_vec()
        );
    }

    #[test]
    fn short_password_is_refused() {
        assert_eq!(
            password_to_key(AuthAlgorithm::Sha, b"1234567"),
            Err(KeyError::PasswordTooShort { len: 7 })
        );
        assert!(password_to_key(AuthAlgorithm::Sha, b"12345678").is_ok());
        assert_eq!(
            password_to_key(AuthAlgorithm::Md5, b""),
            Err(KeyError::PasswordTooShort { len: 0 })
        );
    }

    #[test]
    fn no_auth_has_no_key() {
        assert_eq!(
            password_to_key(AuthAlgorithm::None, b"maplesyrup"),
            Err(KeyError::NoAuthProtocol)
        );
        assert!(localize_key(AuthAlgorithm::None, &unhex("0102"), &RFC_ENGINE_ID).is_empty());
    }
}
