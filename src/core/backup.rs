//! Backups of the store, confined and stripped of secrets. A client (the
//! control socket, a NETCONF action) names a file, never a path: the
//! agent writes only into `agent.backup-dir`, which only the configuration
//! file sets, so a client cannot make the agent create or overwrite a file
//! anywhere else. The name is created with O_EXCL and mode 0600; a name
//! that exists is refused.
//!
//! A backup leaves the agent, so it carries no secret: communities, USM
//! keys, NETCONF password hashes and node credentials are removed from
//! every configuration revision, and any text of them that an older
//! version let into a log record or notification is masked. Removing was
//! chosen over encrypting: encryption needs a key, and a key kept next to
//! the backups protects nothing, while one kept elsewhere is one more
//! secret to manage; the secrets come back from the configuration file
//! when a restored store is seeded from it.

use super::data_dir::{self, DataDirError};
use super::store::{Store, StoreError};
use crate::config::{Config, remove_secrets, secret_values};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Longest name a client may give.
pub const MAX_NAME_LEN: usize = 128;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "a backup is named by a file name of 1 to {MAX_NAME_LEN} letters, digits, '.', '_' \
         or '-', not starting with '.': no directory, no URI"
    )]
    BadName,
    #[error("a backup named '{0}' already exists; choose a new name")]
    Exists(String),
    #[error("backup directory: {0}")]
    Dir(#[from] DataDirError),
    #[error("backup {0}: {1}")]
    Io(String, std::io::Error),
    #[error("backup: {0}")]
    Store(#[from] StoreError),
    #[error("backup: {0}")]
    Copy(#[from] rusqlite::Error),
}

/// A file name: letters, digits, `.`, `_`, `-`; not starting with `.`
/// (no `..`, no hidden file, no clash with a partial copy); so no
/// separator, no `file:` URI, no `?` query.
pub fn check_name(name: &str) -> Result<(), BackupError> {
    let ok = (1..=MAX_NAME_LEN).contains(&name.len())
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(BackupError::BadName)
    }
}

/// Write a copy of the store without secrets to `dir/name`; returns its
/// path. The copy is built in a hidden partial file next to it and
/// renamed over the name reserved at the start, so a reader never sees
/// half a backup and a failure leaves nothing behind.
pub fn write(
    store: &Store,
    running: &Config,
    dir: &Path,
    name: &str,
) -> Result<PathBuf, BackupError> {
    check_name(name)?;
    data_dir::make_private_dir(dir)?;
    let dir =
        std::path::absolute(dir).map_err(|e| BackupError::Io(dir.display().to_string(), e))?;
    let target = dir.join(name);
    let io = |p: &Path| {
        let shown = p.display().to_string();
        move |e| BackupError::Io(shown, e)
    };
    match data_dir::create_new_private(&target) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(BackupError::Exists(name.to_string()));
        }
        Err(e) => return Err(io(&target)(e)),
    }
    let partial = dir.join(format!(".{name}.partial"));
    let result = (|| {
        // Left by a crash in the middle of a backup of the same name.
        match std::fs::remove_file(&partial) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&partial)(e)),
            _ => {}
        }
        data_dir::create_new_private(&partial).map_err(io(&partial))?;
        store.backup_to(&partial)?;
        strip_secrets(&partial, running)?;
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io(&partial))?;
        std::fs::rename(&partial, &target).map_err(io(&target))?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(target.clone())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_file(&target);
    }
    result
}

/// Remove the secrets from a copy, then rebuild it (VACUUM) so that no
/// free page keeps the old text.
fn strip_secrets(copy: &Path, running: &Config) -> Result<(), BackupError> {
    let conn = Connection::open_with_flags(
        copy,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    let revisions: Vec<(i64, String)> = {
        let mut st = conn.prepare("SELECT id, body FROM config_revision")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let tx = conn.unchecked_transaction()?;
    for (id, body) in revisions {
        match serde_json::from_str::<Config>(&body) {
            Ok(mut c) => {
                remove_secrets(&mut c);
                let body = serde_json::to_string(&c).map_err(StoreError::Decode)?;
                tx.execute(
                    "UPDATE config_revision SET body=?1 WHERE id=?2",
                    rusqlite::params![body, id],
                )?;
            }
            // A revision that cannot be read cannot be cleaned: it goes.
            Err(_) => {
                tx.execute("DELETE FROM config_revision WHERE id=?1", [id])?;
            }
        }
    }
    for secret in secret_values(running) {
        tx.execute(
            "UPDATE log_record SET message=replace(message, ?1, '<secret>') WHERE instr(message, ?1) > 0",
            [&secret],
        )?;
        tx.execute(
            "UPDATE event SET body=replace(body, ?1, '<secret>') WHERE instr(body, ?1) > 0",
            [&secret],
        )?;
    }
    tx.commit()?;
    conn.execute_batch("VACUUM")?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn names_are_file_names_only() {
        for good in ["b.db", "chain-agent-20261207_0101.db", "x"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        let long = "a".repeat(MAX_NAME_LEN + 1);
        for bad in [
            "",
            "../x",
            "/tmp/x",
            "a/b",
            ".hidden",
            "..",
            "file:x?mode=rwc",
            "x y",
            "x\\y",
            &long,
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_backup_is_private_without_secrets_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("s.db")).unwrap();
        let text = r#"
[snmp.communities.rwsecret77xq]
access = "read-write"
[netconf.users.admin]
password-hash = "$6$saltsalt$hashhash99"
admin = true
"#;
        let running: Config = toml::from_str(text).unwrap();
        let body = serde_json::to_string(&running).unwrap();
        store
            .save_config("running", &body, "test", None, 1 << 20)
            .unwrap();
        let old_record = crate::model::log::LogRecord {
            id: 1,
            kind: crate::model::log::LogKind::System,
            time: 1,
            level: crate::model::log::LogLevel::Warning,
            source: "snmp".into(),
            message: "write access for community 'rwsecret77xq'".into(),
        };
        store.write_batch(&[old_record], &[], &[]).unwrap();
        let dir = tmp.path().join("backups");
        let path = write(&store, &running, &dir, "b.db").unwrap();
        assert_eq!(path, std::path::absolute(dir.join("b.db")).unwrap());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&dir), mode(&path)), (0o700, 0o600));
        let bytes = std::fs::read(&path).unwrap();
        for secret in ["rwsecret77xq", "hashhash99"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in the backup"
            );
        }
        let copy = Store::open(&path).unwrap();
        assert_eq!(
            copy.query_logs(&Default::default(), 5).unwrap()[0].message,
            "write access for community '<secret>'"
        );
        assert!(matches!(
            write(&store, &running, &dir, "b.db"),
            Err(BackupError::Exists(_))
        ));
        // An empty file of that name is not overwritten either.
        std::fs::write(dir.join("empty.db"), b"").unwrap();
        assert!(matches!(
            write(&store, &running, &dir, "empty.db"),
            Err(BackupError::Exists(_))
        ));
        assert_eq!(std::fs::read(dir.join("empty.db")).unwrap(), b"");
        assert!(matches!(
            write(&store, &running, &dir, "../escape.db"),
            Err(BackupError::BadName)
        ));
        assert!(!tmp.path().join("escape.db").exists());
    }
}
