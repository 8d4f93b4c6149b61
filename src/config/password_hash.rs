//! Password hashes in the crypt(3) SHA-crypt format (`$6$` SHA-512, `$5$`
//! SHA-256), the format `mkpasswd -m sha-512` and `openssl passwd -6` print,
//! so operators can make hashes with the tools they already have.

use sha_crypt::{PasswordHasher, PasswordVerifier, ShaCrypt};
use std::io::BufRead;

/// Salt octets for a new hash: 12 octets are 16 crypt-base64 characters,
/// the longest salt SHA-crypt uses.
const SALT_OCTETS: usize = 12;

/// Why a string is not a SHA-crypt hash this agent can check.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashFormatError {
    #[error("not a SHA-crypt hash: expected $6$[rounds=N$]SALT$HASH (or $5$...)")]
    Shape,
    #[error("unsupported crypt scheme '${0}$': use $6$ (SHA-512) or $5$ (SHA-256)")]
    Scheme(String),
    #[error("rounds must be between 1000 and 999999999")]
    Rounds,
    #[error("the salt is empty or holds characters outside [./0-9A-Za-z]")]
    Salt,
    #[error("the hash part must be {0} characters of [./0-9A-Za-z]")]
    Digest(usize),
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("no random salt: {0}")]
    Random(getrandom::Error),
    #[error("cannot hash: {0}")]
    Hash(String),
}

fn crypt_alphabet(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
}

/// Checks the whole shape, so a typo in the configuration is reported at
/// load time instead of silently locking the user out.
pub fn check_hash(hash: &str) -> Result<(), HashFormatError> {
    let mut fields = hash.split('$');
    if fields.next() != Some("") {
        return Err(HashFormatError::Shape);
    }
    let digest_len = match fields.next() {
        Some("6") => 86,
        Some("5") => 43,
        Some(other) if !other.is_empty() && !other.contains(char::is_whitespace) => {
            return Err(HashFormatError::Scheme(other.to_string()));
        }
        _ => return Err(HashFormatError::Shape),
    };
    let rest: Vec<&str> = fields.collect();
    let (rounds, salt, digest) = match rest.as_slice() {
        [salt, digest] => (None, *salt, *digest),
        [rounds, salt, digest] => (Some(*rounds), *salt, *digest),
        _ => return Err(HashFormatError::Shape),
    };
    if let Some(rounds) = rounds {
        let n: u32 = rounds
            .strip_prefix("rounds=")
            .and_then(|n| n.parse().ok())
            .ok_or(HashFormatError::Shape)?;
        if !(1_000..=999_999_999).contains(&n) {
            return Err(HashFormatError::Rounds);
        }
    }
    if salt.is_empty() || !crypt_alphabet(salt) {
        return Err(HashFormatError::Salt);
    }
    if digest.len() != digest_len || !crypt_alphabet(digest) {
        return Err(HashFormatError::Digest(digest_len));
    }
    Ok(())
}

/// True when `password` matches `hash`. The digests are compared in
/// constant time by sha-crypt; a malformed hash matches nothing.
pub fn verify(password: &str, hash: &str) -> bool {
    check_hash(hash).is_ok()
        && ShaCrypt::default()
            .verify_password(password.as_bytes(), hash)
            .is_ok()
}

/// A new `$6$` hash of `password` with a random salt and the default 5000
/// rounds (written out as `rounds=5000`, which crypt(3) reads the same).
pub fn hash(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; SALT_OCTETS];
    getrandom::fill(&mut salt).map_err(HashError::Random)?;
    ShaCrypt::SHA512
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.as_str().to_string())
        .map_err(|e| HashError::Hash(e.to_string()))
}

/// The first line of `input` without its line ending: what an operator
/// types or pipes to `chain-agent hash-password`.
pub fn read_line(mut input: impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    let end = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(end);
    Ok(line)
}

/// The password for `chain-agent hash-password`: the first line of
/// standard input, typed without echo when it is a terminal.
///
/// On a terminal, rpassword switches echo off (and restores it on return
/// and on Ctrl-C); the prompt and the newline after the password go to
/// standard error, so standard output carries only the hash.
pub fn read_from_stdin() -> std::io::Result<zeroize::Zeroizing<String>> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let config = rpassword::ConfigBuilder::new()
            .input_file_path("/dev/stdin")
            .output_writer(std::io::stderr())
            .build();
        // Ctrl-D on an empty line is an empty password, as with a pipe.
        return match rpassword::prompt_password_with_config("Password: ", config) {
            Ok(line) => Ok(zeroize::Zeroizing::new(line)),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                eprintln!();
                Ok(zeroize::Zeroizing::new(String::new()))
            }
            Err(e) => Err(e),
        };
    }
    read_line(std::io::stdin().lock()).map(zeroize::Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_hash_verifies_only_its_own_password() {
        let h = hash("s3cret pass").unwrap();
        assert!(h.starts_with("$6$rounds=5000$"), "{h}");
        assert_eq!(check_hash(&h), Ok(()));
        assert!(verify("s3cret pass", &h));
        assert!(!verify("s3cret pas", &h));
        assert!(!verify("", &h));
        assert_ne!(hash("s3cret pass").unwrap(), h, "salts must differ");
    }

    #[test]
    fn malformed_hashes_are_named_and_match_nothing() {
        let good = hash("x").unwrap();
        let digest = good.rsplit('$').next().unwrap();
        let cases = [
            ("plain-text", HashFormatError::Shape),
            ("$6$", HashFormatError::Shape),
            ("$1$abc$def", HashFormatError::Scheme("1".into())),
            (
                "$2b$10$abcdefghijklmnopqrstuv",
                HashFormatError::Scheme("2b".into()),
            ),
            ("$6$rounds=10$salt$x", HashFormatError::Rounds),
            ("$6$rounds=abc$salt$x", HashFormatError::Shape),
            ("$6$sa lt$x", HashFormatError::Salt),
            ("$6$$x", HashFormatError::Salt),
            ("$6$salt$tooshort", HashFormatError::Digest(86)),
        ];
        for (text, want) in cases {
            assert_eq!(check_hash(text), Err(want), "{text}");
            assert!(!verify("x", text), "{text}");
        }
        // The SHA-512 digest under the SHA-256 scheme has the wrong length.
        let swapped = format!("$5$salt${digest}");
        assert_eq!(check_hash(&swapped), Err(HashFormatError::Digest(43)));
    }

    #[test]
    fn read_line_drops_the_line_ending_only() {
        let got = read_line(" pass word \r\nsecond line\n".as_bytes()).unwrap();
        assert_eq!(got, " pass word ");
        assert_eq!(read_line("".as_bytes()).unwrap(), "");
    }
}
