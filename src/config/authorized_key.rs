//! One `authorized-keys` entry: an OpenSSH public key line
//! (`ssh-ed25519 AAAA... comment`), as in `~/.ssh/authorized_keys` but
//! without options, which this agent would have to enforce and does not.

use russh::keys::ssh_key::public::KeyData;
use russh::keys::{Algorithm, PublicKey};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyLineError {
    #[error("empty key")]
    Empty,
    #[error("not an OpenSSH public key line (TYPE BASE64 [COMMENT], no options): {0}")]
    Parse(String),
    #[error(
        "key type {0} is not accepted: use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa"
    )]
    Algorithm(String),
}

/// The key material of one line; the comment is kept out of comparisons.
pub fn parse(line: &str) -> Result<KeyData, KeyLineError> {
    let line = line.trim();
    if line.is_empty() {
        return Err(KeyLineError::Empty);
    }
    let key = PublicKey::from_openssh(line).map_err(|e| KeyLineError::Parse(e.to_string()))?;
    match key.algorithm() {
        Algorithm::Ed25519 | Algorithm::Ecdsa { .. } | Algorithm::Rsa { .. } => {
            Ok(key.key_data().clone())
        }
        other => Err(KeyLineError::Algorithm(other.as_str().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use russh::keys::PrivateKey;
    use russh::keys::ssh_key::private::Ed25519Keypair;

    fn ed25519_line(comment: &str) -> String {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).unwrap();
        let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
        key.set_comment(comment);
        key.public_key().to_openssh().unwrap()
    }

    #[test]
    fn a_key_line_parses_whatever_its_comment() {
        let line = ed25519_line("noc@nms01");
        let with_comment = parse(&line).unwrap();
        let bare: String = line.split(' ').take(2).collect::<Vec<_>>().join(" ");
        assert_eq!(parse(&format!("  {bare}\n")).unwrap(), with_comment);
        assert_ne!(parse(&ed25519_line("x")).unwrap(), with_comment);
    }

    #[test]
    fn options_garbage_and_empty_lines_are_refused() {
        let line = ed25519_line("c");
        assert!(matches!(
            parse(&format!("from=\"10.0.0.1\" {line}")),
            Err(KeyLineError::Parse(_))
        ));
        assert!(matches!(
            parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyOnlyReplaceMe c"),
            Err(KeyLineError::Parse(_))
        ));
        assert_eq!(parse("  "), Err(KeyLineError::Empty));
    }
}
