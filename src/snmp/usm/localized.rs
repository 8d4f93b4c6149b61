//! A user's keys as one engine uses them, from passwords or from keys
//! localized elsewhere (e.g. copied from net-snmp's usmUser lines).

use super::auth::AuthProtocol;
use super::authenticator::Authenticator;
use super::error::UsmCryptoError;
use super::key::{localize_key, password_to_key};
use super::privacy::{PRIV_KEY_LEN, PrivKey, PrivProtocol};

/// What a USM user needs to authenticate and encrypt at one engine.
/// Privacy without authentication cannot be built (RFC 3414 §3.1.1).
#[derive(Debug, Clone)]
pub struct LocalizedKeys {
    auth: Option<Authenticator>,
    privacy: Option<PrivKey>,
}

impl LocalizedKeys {
    /// RFC 3414 §2.6 / RFC 7860 §9: both keys come from the
    /// authentication protocol's hash, localized to `engine_id`; the
    /// privacy key is then cut to what the cipher uses. A password for a
    /// protocol set to none is ignored.
    pub fn from_passwords(
        auth: AuthProtocol,
        auth_password: &[u8],
        privacy: PrivProtocol,
        priv_password: &[u8],
        engine_id: &[u8],
    ) -> Result<Self, UsmCryptoError> {
        if auth == AuthProtocol::None && privacy != PrivProtocol::None {
            return Err(UsmCryptoError::PrivacyWithoutAuth);
        }
        let localized = |password| {
            password_to_key(auth, password).map(|key| localize_key(auth, &key, engine_id))
        };
        let auth_key = match auth {
            AuthProtocol::None => None,
            _ => Some(localized(auth_password)?),
        };
        let priv_key = match privacy {
            PrivProtocol::None => None,
            _ => Some(localized(priv_password)?),
        };
        Self::from_localized(auth, auth_key.as_deref(), privacy, priv_key.as_deref())
    }

    /// Keys already localized to this engine. The authentication key must
    /// be the hash's full length; the privacy key either the 16 octets the
    /// cipher uses or the hash's full length (then cut to 16). A key for a
    /// protocol set to none is ignored.
    pub fn from_localized(
        auth: AuthProtocol,
        auth_key: Option<&[u8]>,
        privacy: PrivProtocol,
        priv_key: Option<&[u8]>,
    ) -> Result<Self, UsmCryptoError> {
        if auth == AuthProtocol::None {
            if privacy != PrivProtocol::None {
                return Err(UsmCryptoError::PrivacyWithoutAuth);
            }
            return Ok(Self {
                auth: None,
                privacy: None,
            });
        }
        let authenticator = Authenticator::new(auth, auth_key.unwrap_or_default())?;
        let privacy = match privacy {
            PrivProtocol::None => None,
            _ => {
                let key = priv_key.unwrap_or_default();
                let used = if key.len() == auth.key_len() {
                    key.get(..PRIV_KEY_LEN).unwrap_or(key)
                } else {
                    key
                };
                Some(PrivKey::new(privacy, used)?)
            }
        };
        Ok(Self {
            auth: Some(authenticator),
            privacy,
        })
    }

    /// None for a noAuthNoPriv user.
    pub fn auth(&self) -> Option<&Authenticator> {
        self.auth.as_ref()
    }

    /// None unless the user has a privacy protocol.
    pub fn privacy(&self) -> Option<&PrivKey> {
        self.privacy.as_ref()
    }

    pub fn auth_protocol(&self) -> AuthProtocol {
        self.auth
            .as_ref()
            .map_or(AuthProtocol::None, Authenticator::protocol)
    }

    pub fn priv_protocol(&self) -> PrivProtocol {
        self.privacy
            .as_ref()
            .map_or(PrivProtocol::None, PrivKey::protocol)
    }
}

/// Shorthand for [`LocalizedKeys::from_passwords`].
pub fn localized_from_password(
    auth: AuthProtocol,
    auth_password: &[u8],
    privacy: PrivProtocol,
    priv_password: &[u8],
    engine_id: &[u8],
) -> Result<LocalizedKeys, UsmCryptoError> {
    LocalizedKeys::from_passwords(auth, auth_password, privacy, priv_password, engine_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGINE_ID: &str = "80001f8880e9630000d61ff449";

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is hex")
    }

    /// Expected keys computed with pysnmp 7.1.30: the auth keys with
    /// rfc3414.localkey.password_to_key(b"authpassword", engine, hashlib.*),
    /// the privacy keys with Des/Aes hash_passphrase + localize_key for
    /// b"privpassword" under the named authentication protocol.
    #[test]
    fn derived_keys_match_pysnmp() {
        for (auth, auth_key, priv_key) in [
            (
                AuthProtocol::Md5,
                "c9f0864ca9210dee2899088f1f3e1aee",
                "cad3f68b2c62baea78dcdd8efc6767c5",
            ),
            (
                AuthProtocol::Sha1,
                "ae411f9daed5ff40dbf329f4bb13832e688548ad",
                "3d400afa6e66d42c3715d42254f7f562",
            ),
            (
                AuthProtocol::Sha256,
                "1eb4d4a775544ee86989645dcba45907caca781adf82c7823722cac59dcdec9d",
                "aedfc441f7a40b5412c278f1bdd1e358",
            ),
            (
                AuthProtocol::Sha512,
                "314538efcd85564aea6e3b811eb4340efe2a2a5774b8a03f806ed509fa27f777\
                 ee2e7862a3128dc606e4dd465fe4e688194378653725efdfaa0e76ffc1c46f2e",
                "e360a5ddb480a7440b7821a9fd7c1747",
            ),
        ] {
            for privacy in [PrivProtocol::Des, PrivProtocol::Aes128] {
                let keys = localized_from_password(
                    auth,
                    b"authpassword",
                    privacy,
                    b"privpassword",
                    &unhex(ENGINE_ID),
                )
                .expect("valid passwords");
                assert_eq!(keys.auth_protocol(), auth);
                assert_eq!(keys.priv_protocol(), privacy);
                let from_hex = LocalizedKeys::from_localized(
                    auth,
                    Some(&unhex(auth_key)),
                    privacy,
                    Some(&unhex(priv_key)),
                )
                .expect("valid lengths");
                let message = vec![0; 64];
                let derived_auth = keys.auth().expect("auth configured");
                assert_eq!(
                    derived_auth.sign(&message),
                    from_hex.auth().expect("auth configured").sign(&message),
                    "{auth} auth key"
                );
                let derived_priv = keys.privacy().expect("privacy configured");
                assert_eq!(
                    hex::encode(derived_priv.as_bytes()),
                    priv_key,
                    "{auth}/{privacy}"
                );
            }
        }
    }

    /// The whole chain, passwords to ciphertext, against pysnmp 7.1.30's
    /// encrypt_data (engineBoots 0x11, engineTime 0x12345, DES local_int
    /// 0x0a0b0c0d, AES local_int 0x0102030405060708).
    #[test]
    fn passwords_to_ciphertext_match_pysnmp() {
        let plaintext = b"\x30\x1fscopedPDU plaintext, 33 octets.";
        for (auth, privacy, salt, expected) in [
            (
                AuthProtocol::Sha1,
                PrivProtocol::Des,
                0x0a0b_0c0d,
                "d2e89e44165b0d115a163458296f5e1dbc40c632a4b7deea79733f4c4b3509b12714b6bda34b3855",
            ),
            (
                AuthProtocol::Sha256,
                PrivProtocol::Des,
                0x0a0b_0c0d,
                "0c1c2b6014095245495e1f1e16c4eb68e47e0d546a9ccc873ebdf7049fa1762cc401ebc1ae47ffbe",
            ),
            (
                AuthProtocol::Sha1,
                PrivProtocol::Aes128,
                0x0102_0304_0506_0708,
                "7e054b31ad57a48db5c80f592f15866389db6173394a97e819536a75bfc57ef2a1",
            ),
            (
                AuthProtocol::Sha512,
                PrivProtocol::Aes128,
                0x0102_0304_0506_0708,
                "97b6c738074f7bce8398f9c9c486c2f06812d32002c0de60d3d0f752d0ea1d0225",
            ),
        ] {
            let keys = localized_from_password(
                auth,
                b"authpassword",
                privacy,
                b"privpassword",
                &unhex(ENGINE_ID),
            )
            .expect("valid passwords");
            let priv_key = keys.privacy().expect("privacy configured");
            let (ciphertext, _) = priv_key.encrypt(0x11, 0x0001_2345, salt, plaintext);
            assert_eq!(hex::encode(ciphertext), expected, "{auth}/{privacy}");
        }
    }

    /// net-snmp keeps the privacy key at the hash's full length; it is
    /// accepted and cut to the 16 octets the cipher uses.
    #[test]
    fn full_length_privacy_key_is_cut_to_sixteen() {
        let full: Vec<u8> = (0..32).collect();
        let keys = LocalizedKeys::from_localized(
            AuthProtocol::Sha256,
            Some(&[7; 32]),
            PrivProtocol::Aes128,
            Some(&full),
        )
        .expect("valid lengths");
        assert_eq!(keys.privacy().expect("privacy").as_bytes()[..], full[..16]);
    }

    #[test]
    fn bad_localized_key_lengths_are_refused() {
        assert_eq!(
            LocalizedKeys::from_localized(
                AuthProtocol::Sha1,
                Some(&[0; 16]),
                PrivProtocol::None,
                None
            )
            .err(),
            Some(UsmCryptoError::AuthKeyLength {
                protocol: AuthProtocol::Sha1,
                expected: 20,
                got: 16
            })
        );
        assert_eq!(
            LocalizedKeys::from_localized(AuthProtocol::Md5, None, PrivProtocol::None, None).err(),
            Some(UsmCryptoError::AuthKeyLength {
                protocol: AuthProtocol::Md5,
                expected: 16,
                got: 0
            })
        );
        for bad in [15, 17, 19, 21] {
            assert_eq!(
                LocalizedKeys::from_localized(
                    AuthProtocol::Sha1,
                    Some(&[0; 20]),
                    PrivProtocol::Des,
                    Some(&vec![0; bad]),
                )
                .err(),
                Some(UsmCryptoError::PrivKeyLength {
                    protocol: PrivProtocol::Des,
                    got: bad
                }),
                "{bad} octets"
            );
        }
        for good in [16, 20] {
            assert!(
                LocalizedKeys::from_localized(
                    AuthProtocol::Sha1,
                    Some(&[0; 20]),
                    PrivProtocol::Des,
                    Some(&vec![0; good]),
                )
                .is_ok(),
                "{good} octets"
            );
        }
    }

    #[test]
    fn privacy_needs_authentication() {
        assert_eq!(
            localized_from_password(
                AuthProtocol::None,
                b"",
                PrivProtocol::Aes128,
                b"privpassword",
                &[1]
            )
            .err(),
            Some(UsmCryptoError::PrivacyWithoutAuth)
        );
    }

    #[test]
    fn no_auth_no_priv_user_has_no_keys() {
        let keys = localized_from_password(AuthProtocol::None, b"", PrivProtocol::None, b"", &[1])
            .expect("noAuthNoPriv is valid");
        assert!(keys.auth().is_none() && keys.privacy().is_none());
        assert_eq!(keys.auth_protocol(), AuthProtocol::None);
        assert_eq!(keys.priv_protocol(), PrivProtocol::None);
    }

    #[test]
    fn short_passwords_are_refused_for_either_key() {
        assert_eq!(
            localized_from_password(AuthProtocol::Sha1, b"short", PrivProtocol::None, b"", &[1])
                .err(),
            Some(UsmCryptoError::PasswordTooShort { len: 5 })
        );
        assert_eq!(
            localized_from_password(
                AuthProtocol::Sha1,
                b"longenough",
                PrivProtocol::Des,
                b"1234567",
                &[1]
            )
            .err(),
            Some(UsmCryptoError::PasswordTooShort { len: 7 })
        );
    }
}
