//! usmDESPrivProtocol: DES in CBC mode (RFC 3414 §8.1).

use cbc::cipher::array::Array;
use cbc::cipher::consts::U8;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};

use super::error::UsmCryptoError;

type Encryptor = cbc::Encryptor<des::Des>;
type Decryptor = cbc::Decryptor<des::Des>;

const BLOCK_LEN: usize = 8;

/// RFC 3414 §8.1.1.1-2: the salt is engineBoots followed by a local
/// integer, and it travels as msgPrivacyParameters; the IV is the salt
/// XOR the pre-IV (the second 8 octets of the key).
pub(super) fn encrypt(
    priv_key: &[u8; 16],
    engine_boots: u32,
    local_integer: u32,
    plaintext: &[u8],
) -> (Vec<u8>, [u8; 8]) {
    let mut salt = [0; 8];
    salt[..4].copy_from_slice(&engine_boots.to_be_bytes());
    salt[4..].copy_from_slice(&local_integer.to_be_bytes());

    let mut buffer = plaintext.to_vec();
    buffer.resize(plaintext.len().next_multiple_of(BLOCK_LEN), 0);
    let (blocks, _) = Array::<u8, U8>::slice_as_chunks_mut(&mut buffer);
    let (key, iv) = key_and_iv(priv_key, &salt);
    Encryptor::new(&key.into(), &iv.into()).encrypt_blocks(blocks);
    (buffer, salt)
}

/// RFC 3414 §8.1.1.3: the plaintext comes back with the sender's padding.
pub(super) fn decrypt(
    priv_key: &[u8; 16],
    salt: &[u8; 8],
    ciphertext: &[u8],
) -> Result<Vec<u8>, UsmCryptoError> {
    if !ciphertext.len().is_multiple_of(BLOCK_LEN) {
        return Err(UsmCryptoError::CiphertextLength {
            got: ciphertext.len(),
        });
    }
    let mut buffer = ciphertext.to_vec();
    let (blocks, _) = Array::<u8, U8>::slice_as_chunks_mut(&mut buffer);
    let (key, iv) = key_and_iv(priv_key, salt);
    Decryptor::new(&key.into(), &iv.into()).decrypt_blocks(blocks);
    Ok(buffer)
}

fn key_and_iv(priv_key: &[u8; 16], salt: &[u8; 8]) -> ([u8; 8], [u8; 8]) {
    let mut key = [0; 8];
    let mut iv = [0; 8];
    key.copy_from_slice(&priv_key[..8]);
    for ((iv, pre_iv), salt) in iv.iter_mut().zip(&priv_key[8..]).zip(salt) {
        *iv = pre_iv ^ salt;
    }
    (key, iv)
}
