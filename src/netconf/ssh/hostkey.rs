//! The server's SSH host key: made once, then reloaded on every start so
//! clients that pinned it (known_hosts, ncclient's host key checks) keep
//! trusting the agent.

use russh::keys::ssh_key::LineEnding;
use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{Algorithm, HashAlg, PrivateKey};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum HostKeyError {
    #[error("SSH host key {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("SSH host key {path}: not an OpenSSH private key: {reason}")]
    Format { path: PathBuf, reason: String },
    #[error("SSH host key {path} is encrypted; the agent needs it without a passphrase")]
    Encrypted { path: PathBuf },
    #[error(
        "SSH host key {path} can be read by other users (mode {mode:04o}); run `chmod 600 {path}`"
    )]
    Exposed { path: PathBuf, mode: u32 },
    /// The `rsa` crate's private-key operations leak timing
    /// (RUSTSEC-2023-0071, no fixed release), and the host key signs every
    /// key exchange an unauthenticated client starts: see docs/security.md.
    #[error(
        "SSH host key {path} is an RSA key, which the agent refuses to sign with (RUSTSEC-2023-0071); use an Ed25519 key (delete the file and one is made at the next start) or an ECDSA one"
    )]
    Rsa { path: PathBuf },
    #[error("no randomness for a new SSH host key: {0}")]
    Random(getrandom::Error),
}

/// The key at `path`, created (Ed25519) if there is no file yet.
pub fn load_or_create(path: &Path) -> Result<PrivateKey, HostKeyError> {
    match std::fs::metadata(path) {
        Ok(_) => load(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
        Err(source) => Err(io(path, source)),
    }
}

/// `SHA256:<base64>`, as `ssh-keygen -l` and OpenSSH clients print it.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

fn io(path: &Path, source: std::io::Error) -> HostKeyError {
    HostKeyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn load(path: &Path) -> Result<PrivateKey, HostKeyError> {
    let mode = std::fs::metadata(path)
        .map_err(|e| io(path, e))?
        .permissions()
        .mode();
    // Same rule as sshd: a private key others can read is not private.
    if mode & 0o077 != 0 {
        return Err(HostKeyError::Exposed {
            path: path.to_path_buf(),
            mode: mode & 0o7777,
        });
    }
    let text = std::fs::read(path).map_err(|e| io(path, e))?;
    let key = PrivateKey::from_openssh(&text).map_err(|e| HostKeyError::Format {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if key.is_encrypted() {
        return Err(HostKeyError::Encrypted {
            path: path.to_path_buf(),
        });
    }
    if matches!(key.algorithm(), Algorithm::Rsa { .. }) {
        return Err(HostKeyError::Rsa {
            path: path.to_path_buf(),
        });
    }
    Ok(key)
}

fn create(path: &Path) -> Result<PrivateKey, HostKeyError> {
    let mut seed = zeroize::Zeroizing::new([0u8; 32]);
    getrandom::fill(seed.as_mut_slice()).map_err(HostKeyError::Random)?;
    let mut key = PrivateKey::from(Ed25519Keypair::from_seed(&seed));
    key.set_comment("chain-agent NETCONF host key");
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| HostKeyError::Format {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    write_atomically(path, text.as_bytes()).map_err(|e| io(path, e))?;
    tracing::info!("generated a new SSH host key in {}", path.display());
    Ok(key)
}

/// Temp file (0600 from its creation), fsync, rename, fsync of the
/// directory: a crash leaves either no key or the whole key, never a
/// truncated one that would stop the next start.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_once_then_reloaded_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("hostkey");
        let first = load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = load_or_create(&path).unwrap();
        assert_eq!(fingerprint(&first), fingerprint(&again));
        assert!(fingerprint(&first).starts_with("SHA256:"));
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("hostkey")]);
    }

    #[test]
    fn an_exposed_or_damaged_key_stops_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hostkey");
        load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("mode 0644"), "{err}");
        std::fs::write(&path, "not a key").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let err = load_or_create(&path).unwrap_err();
        assert!(matches!(err, HostKeyError::Format { .. }), "{err}");
    }

    #[test]
    fn an_rsa_host_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ssh_host_rsa_key");
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f"])
            .arg(&path)
            .status()
            .expect("ssh-keygen (openssh-client, installed by tools/setup)");
        assert!(made.success());
        let err = load_or_create(&path).unwrap_err();
        assert!(matches!(err, HostKeyError::Rsa { .. }), "{err}");
        assert!(err.to_string().contains("RUSTSEC-2023-0071"), "{err}");
        // An ECDSA key is still taken.
        let ecdsa = dir.path().join("ssh_host_ecdsa_key");
        let made = std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ecdsa", "-N", "", "-f"])
            .arg(&ecdsa)
            .status()
            .expect("ssh-keygen");
        assert!(made.success());
        load_or_create(&ecdsa).unwrap();
    }
}
