//! The privacy protocols USM knows (RFC 3414 §8, RFC 3826) and the entry
//! points that pick the cipher.

use std::fmt;
use std::str::FromStr;

use super::error::UsmCryptoError;
use super::{aes_cfb, des_cbc};

/// Octets of localized key either cipher uses: DES takes 8 of key and 8
/// of pre-IV, AES-128 a 16-octet key.
pub const PRIV_KEY_LEN: usize = 16;

/// Octets of msgPrivacyParameters for either cipher.
pub const PRIV_PARAMS_LEN: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrivProtocol {
    None,
    Des,
    Aes128,
}

impl PrivProtocol {
    pub const ALL: [PrivProtocol; 3] = [Self::None, Self::Des, Self::Aes128];

    /// The registration under snmpPrivProtocols (RFC 3411), as
    /// usmUserPrivProtocol shows it.
    pub fn oid(self) -> &'static [u32] {
        match self {
            Self::None => &[1, 3, 6, 1, 6, 3, 10, 1, 2, 1],
            Self::Des => &[1, 3, 6, 1, 6, 3, 10, 1, 2, 2],
            Self::Aes128 => &[1, 3, 6, 1, 6, 3, 10, 1, 2, 4],
        }
    }

    pub fn from_oid(oid: &[u32]) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.oid() == oid)
    }

    /// Reads the configuration spelling, case-insensitively.
    pub fn parse(name: &str) -> Result<Self, UsmCryptoError> {
        match name.to_ascii_lowercase().as_str() {
            "none" => Ok(Self::None),
            "des" => Ok(Self::Des),
            "aes" | "aes-128" | "aes128" => Ok(Self::Aes128),
            _ => Err(UsmCryptoError::UnknownPrivProtocol(name.to_owned())),
        }
    }

    /// The configuration spelling; `parse(p.name())` gives `p` back.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Des => "des",
            Self::Aes128 => "aes",
        }
    }
}

impl fmt::Display for PrivProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PrivProtocol {
    type Err = UsmCryptoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Encrypts a serialized scopedPDU; returns the ciphertext (the
/// encryptedPDU octets) and msgPrivacyParameters.
///
/// `priv_key` is the localized privacy key; only its first 16 octets are
/// used, so a full-length localized key works too. `salt` must differ for
/// every message under one key (see [`super::SaltCounter`]): AES uses all
/// 64 bits; DES uses its low 32 bits after engineBoots, as RFC 3414
/// §8.1.1.1 prescribes. DES pads the plaintext with zeros to whole blocks;
/// the receiver's BER decoder ignores what follows the scopedPDU.
pub fn encrypt(
    protocol: PrivProtocol,
    priv_key: &[u8],
    engine_boots: u32,
    engine_time: u32,
    salt: u64,
    plaintext: &[u8],
) -> Result<(Vec<u8>, Vec<u8>), UsmCryptoError> {
    let cipher = Cipher::of(protocol)?;
    let key = cipher_key(protocol, priv_key)?;
    Ok(cipher.encrypt(key, engine_boots, engine_time, salt, plaintext))
}

/// Decrypts an encryptedPDU. `engine_boots`/`engine_time` are the values
/// from the message's security parameters (AES builds its IV from them;
/// DES ignores them). DES returns the padded plaintext.
pub fn decrypt(
    protocol: PrivProtocol,
    priv_key: &[u8],
    engine_boots: u32,
    engine_time: u32,
    priv_params: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, UsmCryptoError> {
    let cipher = Cipher::of(protocol)?;
    let key = cipher_key(protocol, priv_key)?;
    cipher.decrypt(key, engine_boots, engine_time, priv_params, ciphertext)
}

/// The 16 octets a cipher uses, from a localized key at least that long.
fn cipher_key(
    protocol: PrivProtocol,
    priv_key: &[u8],
) -> Result<&[u8; PRIV_KEY_LEN], UsmCryptoError> {
    priv_key.first_chunk().ok_or(UsmCryptoError::PrivKeyLength {
        protocol,
        got: priv_key.len(),
    })
}

/// A protocol that encrypts; usmNoPrivProtocol has no value here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cipher {
    DesCbc,
    Aes128Cfb,
}

impl Cipher {
    fn of(protocol: PrivProtocol) -> Result<Self, UsmCryptoError> {
        match protocol {
            PrivProtocol::None => Err(UsmCryptoError::NoPrivProtocol),
            PrivProtocol::Des => Ok(Self::DesCbc),
            PrivProtocol::Aes128 => Ok(Self::Aes128Cfb),
        }
    }

    fn protocol(self) -> PrivProtocol {
        match self {
            Self::DesCbc => PrivProtocol::Des,
            Self::Aes128Cfb => PrivProtocol::Aes128,
        }
    }

    fn encrypt(
        self,
        key: &[u8; PRIV_KEY_LEN],
        engine_boots: u32,
        engine_time: u32,
        salt: u64,
        plaintext: &[u8],
    ) -> (Vec<u8>, Vec<u8>) {
        let (ciphertext, priv_params) = match self {
            // RFC 3414 §8.1.1.1: the local integer is 32 bits.
            Self::DesCbc => des_cbc::encrypt(key, engine_boots, salt as u32, plaintext),
            Self::Aes128Cfb => aes_cfb::encrypt(key, engine_boots, engine_time, salt, plaintext),
        };
        (ciphertext, priv_params.to_vec())
    }

    fn decrypt(
        self,
        key: &[u8; PRIV_KEY_LEN],
        engine_boots: u32,
        engine_time: u32,
        priv_params: &[u8],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, UsmCryptoError> {
        let salt: &[u8; PRIV_PARAMS_LEN] =
            priv_params
                .try_into()
                .map_err(|_| UsmCryptoError::PrivParamsLength {
                    got: priv_params.len(),
                })?;
        match self {
            Self::DesCbc => des_cbc::decrypt(key, salt, ciphertext),
            Self::Aes128Cfb => Ok(aes_cfb::decrypt(
                key,
                engine_boots,
                engine_time,
                salt,
                ciphertext,
            )),
        }
    }
}

/// A user's localized privacy key, cut to what the cipher uses.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivKey {
    cipher: Cipher,
    key: [u8; PRIV_KEY_LEN],
}

impl PrivKey {
    /// `key` must be exactly [`PRIV_KEY_LEN`] octets; to accept a
    /// full-length localized key, go through [`super::LocalizedKeys`].
    pub fn new(protocol: PrivProtocol, key: &[u8]) -> Result<Self, UsmCryptoError> {
        let cipher = Cipher::of(protocol)?;
        let key = key.try_into().map_err(|_| UsmCryptoError::PrivKeyLength {
            protocol,
            got: key.len(),
        })?;
        Ok(Self { cipher, key })
    }

    pub fn protocol(&self) -> PrivProtocol {
        self.cipher.protocol()
    }

    pub fn as_bytes(&self) -> &[u8; PRIV_KEY_LEN] {
        &self.key
    }

    /// [`encrypt`] with this key; it cannot fail, the key being valid.
    pub fn encrypt(
        &self,
        engine_boots: u32,
        engine_time: u32,
        salt: u64,
        plaintext: &[u8],
    ) -> (Vec<u8>, Vec<u8>) {
        self.cipher
            .encrypt(&self.key, engine_boots, engine_time, salt, plaintext)
    }

    /// [`decrypt`] with this key.
    pub fn decrypt(
        &self,
        engine_boots: u32,
        engine_time: u32,
        priv_params: &[u8],
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, UsmCryptoError> {
        self.cipher.decrypt(
            &self.key,
            engine_boots,
            engine_time,
            priv_params,
            ciphertext,
        )
    }
}

/// Keys stay out of logs: only the protocol is shown.
impl fmt::Debug for PrivKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivKey")
            .field("protocol", &self.protocol())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Localized from "privpassword" with MD5 for engine
    /// 80001f8880e9630000d61ff449 (pysnmp 7.1.30, Des/Aes localize_key).
    const KEY: &str = "cad3f68b2c62baea78dcdd8efc6767c5";
    const BOOTS: u32 = 0x11;
    const TIME: u32 = 0x0001_2345;
    /// 33 octets: not a whole number of DES blocks, so padding shows.
    const PLAINTEXT: &[u8] = b"\x30\x1fscopedPDU plaintext, 33 octets.";

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).expect("test vector is hex")
    }

    #[test]
    fn des_known_answer_matches_pysnmp() {
        // pysnmp 7.1.30 rfc3414.priv.des.Des.encrypt_data with local_int
        // 0x0a0b0c0d (it pads with zeros, as we do).
        let (ciphertext, priv_params) = encrypt(
            PrivProtocol::Des,
            &unhex(KEY),
            BOOTS,
            TIME,
            0x0a0b_0c0d,
            PLAINTEXT,
        )
        .expect("valid key");
        assert_eq!(
            hex::encode(&ciphertext),
            "1e480adff0c75b360120589cf60dfe720211b6a51dc82b3e2a4856787e9e60c47e601ff46ad578b9"
        );
        assert_eq!(hex::encode(&priv_params), "000000110a0b0c0d");
        let decrypted = decrypt(
            PrivProtocol::Des,
            &unhex(KEY),
            BOOTS,
            TIME,
            &priv_params,
            &ciphertext,
        )
        .expect("well-formed");
        assert_eq!(&decrypted[..PLAINTEXT.len()], PLAINTEXT);
        assert_eq!(decrypted[PLAINTEXT.len()..], [0; 7]);
    }

    #[test]
    fn des_uses_only_the_low_32_bits_of_the_salt() {
        let key = unhex(KEY);
        let low = encrypt(PrivProtocol::Des, &key, BOOTS, TIME, 0x0a0b_0c0d, PLAINTEXT);
        let high = encrypt(
            PrivProtocol::Des,
            &key,
            BOOTS,
            TIME,
            0xffff_ffff_0a0b_0c0d,
            PLAINTEXT,
        );
        assert_eq!(low, high);
    }

    #[test]
    fn des_leaves_whole_blocks_unpadded() {
        let (ciphertext, _) = encrypt(
            PrivProtocol::Des,
            &unhex(KEY),
            BOOTS,
            TIME,
            1,
            &PLAINTEXT[..32],
        )
        .expect("valid key");
        assert_eq!(ciphertext.len(), 32);
    }

    #[test]
    fn aes_known_answer_matches_pysnmp() {
        // pysnmp 7.1.30 rfc3826.priv.aes.Aes.encrypt_data with local_int
        // 0x0102030405060708.
        let (ciphertext, priv_params) = encrypt(
            PrivProtocol::Aes128,
            &unhex(KEY),
            BOOTS,
            TIME,
            0x0102_0304_0506_0708,
            PLAINTEXT,
        )
        .expect("valid key");
        assert_eq!(
            hex::encode(&ciphertext),
            "bd82bc7b2b1f5ad04b5944825927a7e9388c3a1dd01c4ceb4c0cd21a771109cbdd"
        );
        assert_eq!(hex::encode(&priv_params), "0102030405060708");
        let decrypted = decrypt(
            PrivProtocol::Aes128,
            &unhex(KEY),
            BOOTS,
            TIME,
            &priv_params,
            &ciphertext,
        )
        .expect("well-formed");
        assert_eq!(decrypted, PLAINTEXT);
    }

    /// The AES IV binds engineBoots and engineTime: decrypting with the
    /// wrong ones must not give the plaintext back.
    #[test]
    fn aes_iv_depends_on_boots_and_time() {
        let key = unhex(KEY);
        let (ciphertext, priv_params) =
            encrypt(PrivProtocol::Aes128, &key, BOOTS, TIME, 7, PLAINTEXT).expect("valid key");
        for (boots, time) in [(BOOTS + 1, TIME), (BOOTS, TIME + 1)] {
            let wrong = decrypt(
                PrivProtocol::Aes128,
                &key,
                boots,
                time,
                &priv_params,
                &ciphertext,
            )
            .expect("well-formed");
            assert_ne!(wrong, PLAINTEXT, "boots {boots} time {time}");
        }
    }

    #[test]
    fn round_trips_for_every_length_and_a_longer_key() {
        // A full 20-octet localized key: only the first 16 octets count.
        let long_key: Vec<u8> = (0..20).collect();
        for protocol in [PrivProtocol::Des, PrivProtocol::Aes128] {
            for len in 0..40 {
                let plaintext: Vec<u8> = (0..len).map(|i| (i * 13) as u8).collect();
                let (ciphertext, priv_params) =
                    encrypt(protocol, &long_key, 3, 99, 0x1234 + len as u64, &plaintext)
                        .expect("valid key");
                if len >= 8 {
                    assert_ne!(ciphertext[..8], plaintext[..8], "{protocol} length {len}");
                }
                let decrypted =
                    decrypt(protocol, &long_key[..16], 3, 99, &priv_params, &ciphertext)
                        .expect("well-formed");
                assert_eq!(&decrypted[..len], &plaintext[..], "{protocol} length {len}");
                assert!(decrypted.len() - len < 8);
            }
        }
    }

    #[test]
    fn different_salts_give_different_ciphertexts() {
        let key = unhex(KEY);
        for protocol in [PrivProtocol::Des, PrivProtocol::Aes128] {
            let a = encrypt(protocol, &key, BOOTS, TIME, 1, PLAINTEXT).expect("valid key");
            let b = encrypt(protocol, &key, BOOTS, TIME, 2, PLAINTEXT).expect("valid key");
            assert_ne!(a.0, b.0, "{protocol}");
            assert_ne!(a.1, b.1, "{protocol}");
        }
    }

    #[test]
    fn priv_params_must_be_eight_octets() {
        let key = unhex(KEY);
        for protocol in [PrivProtocol::Des, PrivProtocol::Aes128] {
            for params in [&[0u8; 7][..], &[0; 9], &[]] {
                assert_eq!(
                    decrypt(protocol, &key, BOOTS, TIME, params, &[0; 16]),
                    Err(UsmCryptoError::PrivParamsLength { got: params.len() }),
                    "{protocol}"
                );
            }
        }
    }

    #[test]
    fn des_ciphertext_must_be_whole_blocks() {
        assert_eq!(
            decrypt(
                PrivProtocol::Des,
                &unhex(KEY),
                BOOTS,
                TIME,
                &[0; 8],
                &[0; 15]
            ),
            Err(UsmCryptoError::CiphertextLength { got: 15 })
        );
        // CFB has no blocks to complete.
        assert!(
            decrypt(
                PrivProtocol::Aes128,
                &unhex(KEY),
                BOOTS,
                TIME,
                &[0; 8],
                &[0; 15]
            )
            .is_ok()
        );
    }

    #[test]
    fn short_keys_and_no_privacy_are_refused() {
        assert_eq!(
            encrypt(PrivProtocol::Aes128, &[0; 15], BOOTS, TIME, 0, PLAINTEXT),
            Err(UsmCryptoError::PrivKeyLength {
                protocol: PrivProtocol::Aes128,
                got: 15
            })
        );
        assert_eq!(
            decrypt(PrivProtocol::Des, &[0; 8], BOOTS, TIME, &[0; 8], &[0; 8]),
            Err(UsmCryptoError::PrivKeyLength {
                protocol: PrivProtocol::Des,
                got: 8
            })
        );
        assert_eq!(
            encrypt(PrivProtocol::None, &[0; 16], BOOTS, TIME, 0, PLAINTEXT),
            Err(UsmCryptoError::NoPrivProtocol)
        );
        assert_eq!(
            decrypt(
                PrivProtocol::None,
                &[0; 16],
                BOOTS,
                TIME,
                &[0; 8],
                PLAINTEXT
            ),
            Err(UsmCryptoError::NoPrivProtocol)
        );
        assert_eq!(
            PrivKey::new(PrivProtocol::None, &[0; 16]),
            Err(UsmCryptoError::NoPrivProtocol)
        );
        assert_eq!(
            PrivKey::new(PrivProtocol::Des, &[0; 20]),
            Err(UsmCryptoError::PrivKeyLength {
                protocol: PrivProtocol::Des,
                got: 20
            })
        );
    }

    #[test]
    fn priv_key_agrees_with_the_free_functions() {
        let key = unhex(KEY);
        for protocol in [PrivProtocol::Des, PrivProtocol::Aes128] {
            let priv_key = PrivKey::new(protocol, &key).expect("16 octets");
            assert_eq!(priv_key.protocol(), protocol);
            let (ciphertext, priv_params) = priv_key.encrypt(BOOTS, TIME, 42, PLAINTEXT);
            assert_eq!(
                Ok((ciphertext.clone(), priv_params.clone())),
                encrypt(protocol, &key, BOOTS, TIME, 42, PLAINTEXT)
            );
            let decrypted = priv_key
                .decrypt(BOOTS, TIME, &priv_params, &ciphertext)
                .expect("well-formed");
            assert_eq!(&decrypted[..PLAINTEXT.len()], PLAINTEXT);
            assert!(!format!("{priv_key:?}").contains("cad3"));
        }
    }

    #[test]
    fn oids_and_names() {
        assert_eq!(PrivProtocol::None.oid(), [1, 3, 6, 1, 6, 3, 10, 1, 2, 1]); // usmNoPrivProtocol
        assert_eq!(PrivProtocol::Des.oid(), [1, 3, 6, 1, 6, 3, 10, 1, 2, 2]); // usmDESPrivProtocol
        assert_eq!(PrivProtocol::Aes128.oid(), [1, 3, 6, 1, 6, 3, 10, 1, 2, 4]); // usmAesCfb128Protocol
        for protocol in PrivProtocol::ALL {
            assert_eq!(PrivProtocol::from_oid(protocol.oid()), Some(protocol));
            assert_eq!(protocol.name().parse(), Ok(protocol));
        }
        for (name, protocol) in [
            ("NONE", PrivProtocol::None),
            ("des", PrivProtocol::Des),
            ("AES", PrivProtocol::Aes128),
            ("aes-128", PrivProtocol::Aes128),
            ("Aes128", PrivProtocol::Aes128),
        ] {
            assert_eq!(PrivProtocol::parse(name), Ok(protocol), "{name}");
        }
        assert_eq!(
            PrivProtocol::parse("3des"),
            Err(UsmCryptoError::UnknownPrivProtocol("3des".into()))
        );
    }
}
