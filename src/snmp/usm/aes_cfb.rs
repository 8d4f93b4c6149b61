//! usmAesCfb128Protocol: AES-128 in 128-bit CFB mode (RFC 3826 §3.1).

use cfb_mode::cipher::KeyIvInit;

type Encryptor = cfb_mode::Encryptor<aes::Aes128>;
type Decryptor = cfb_mode::Decryptor<aes::Aes128>;

/// RFC 3826 §3.1.2.1: the salt alone travels as msgPrivacyParameters;
/// the IV also binds engineBoots and engineTime. CFB needs no padding.
pub(super) fn encrypt(
    priv_key: &[u8; 16],
    engine_boots: u32,
    engine_time: u32,
    salt: u64,
    plaintext: &[u8],
) -> (Vec<u8>, [u8; 8]) {
    let salt = salt.to_be_bytes();
    let mut buffer = plaintext.to_vec();
    Encryptor::new(
        priv_key.into(),
        &iv(engine_boots, engine_time, &salt).into(),
    )
    .encrypt(&mut buffer);
    (buffer, salt)
}

pub(super) fn decrypt(
    priv_key: &[u8; 16],
    engine_boots: u32,
    engine_time: u32,
    salt: &[u8; 8],
    ciphertext: &[u8],
) -> Vec<u8> {
    let mut buffer = ciphertext.to_vec();
    Decryptor::new(priv_key.into(), &iv(engine_boots, engine_time, salt).into())
        .decrypt(&mut buffer);
    buffer
}

fn iv(engine_boots: u32, engine_time: u32, salt: &[u8; 8]) -> [u8; 16] {
    let mut iv = [0; 16];
    iv[..4].copy_from_slice(&engine_boots.to_be_bytes());
    iv[4..8].copy_from_slice(&engine_time.to_be_bytes());
    iv[8..].copy_from_slice(salt);
    iv
}
