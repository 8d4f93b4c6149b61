//! The data directory holds secrets (communities, localised USM keys,
//! NETCONF password hashes, the SSH host key), so it is the agent's
//! alone: created 0700 with every file in it 0600, whatever the umask,
//! and, as OpenSSH does for key files, a directory or file that another
//! user could read or write stops the agent at start with the path, its
//! mode and the command that fixes it.

use std::fs::{DirBuilder, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of the data directory and of the backup directory.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file the agent creates there.
pub const FILE_MODE: u32 = 0o600;

#[derive(Debug, thiserror::Error)]
pub enum DataDirError {
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error(
        "{path} is mode {mode:04o}: other users can read or write it, and it holds secrets; \
         run `chmod {fix:o} {path}` (or `chmod -R go-rwx` on the directory) and start again"
    )]
    Exposed { path: String, mode: u32, fix: u32 },
    #[error(
        "{path} belongs to uid {owner}, not to the agent's user (uid {me}); \
         run `chown` on it or start the agent as its owner"
    )]
    NotOwned { path: String, owner: u32, me: u32 },
    #[error("{0} is not a directory")]
    NotADirectory(String),
}

/// Make `dir` (mode 0700, parents too) if it is missing, else check it;
/// then check every entry in it. Returns the directory ready for use.
pub fn prepare(dir: &Path) -> Result<(), DataDirError> {
    make_private_dir(dir)?;
    check_entries(dir)
}

/// Create a private directory if missing (chmod after mkdir, so the
/// umask cannot widen it), and check an existing one.
pub fn make_private_dir(dir: &Path) -> Result<(), DataDirError> {
    match std::fs::symlink_metadata(dir) {
        Ok(_) => check_private(dir, true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            DirBuilder::new()
                .recursive(true)
                .mode(DIR_MODE)
                .create(dir)
                .map_err(|e| DataDirError::Io(dir.to_path_buf(), e))?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))
                .map_err(|e| DataDirError::Io(dir.to_path_buf(), e))
        }
        Err(e) => Err(DataDirError::Io(dir.to_path_buf(), e)),
    }
}

/// Every entry directly in `dir` (the store, its WAL and shared memory,
/// the lock, the socket, the host key, the backup directory) must be
/// closed to other users.
fn check_entries(dir: &Path) -> Result<(), DataDirError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DataDirError::Io(dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DataDirError::Io(dir.to_path_buf(), e))?;
        check_private(&entry.path(), false)?;
    }
    Ok(())
}

/// Refuse a path other users can read or write, or that another user
/// owns. A symbolic link is judged by what it points to.
pub fn check_private(path: &Path, must_be_dir: bool) -> Result<(), DataDirError> {
    let meta = std::fs::metadata(path).map_err(|e| DataDirError::Io(path.to_path_buf(), e))?;
    let shown = path.display().to_string();
    if must_be_dir && !meta.is_dir() {
        return Err(DataDirError::NotADirectory(shown));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        let fix = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
        return Err(DataDirError::Exposed {
            path: shown,
            mode,
            fix,
        });
    }
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    if meta.uid() != me && me != 0 {
        return Err(DataDirError::NotOwned {
            path: shown,
            owner: meta.uid(),
            me,
        });
    }
    Ok(())
}

/// Create `path` as a new, empty file of mode 0600 (O_EXCL: an existing
/// file, or a link planted in its place, is refused).
pub fn create_new_private(path: &Path) -> std::io::Result<File> {
    let f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)?;
    // The umask can only narrow the mode, but say it once more.
    f.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    Ok(f)
}

/// Create the store file 0600 before SQLite opens it, so that SQLite,
/// which gives its WAL and shared-memory files the database's mode,
/// makes them 0600 too. An existing file is left as it is.
pub fn precreate_private(path: &Path) -> std::io::Result<()> {
    match create_new_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().mode() & 0o7777
    }

    #[test]
    fn a_new_directory_and_store_are_private() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b");
        prepare(&dir).unwrap();
        let file = dir.join("s.db");
        precreate_private(&file).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&file), 0o600);
        prepare(&dir).unwrap();
    }

    #[test]
    fn an_exposed_directory_or_file_is_refused_with_the_fix() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("d");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let e = prepare(&dir).unwrap_err().to_string();
        assert!(e.contains("mode 0755") && e.contains("chmod 700"), "{e}");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let db = dir.join("chain-agent.db");
        std::fs::write(&db, b"").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = prepare(&dir).unwrap_err().to_string();
        assert!(
            e.contains("chain-agent.db is mode 0644") && e.contains("chmod 600"),
            "{e}"
        );
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
        prepare(&dir).unwrap();
    }

    #[test]
    fn create_new_private_refuses_an_existing_name() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("x");
        create_new_private(&p).unwrap();
        assert_eq!(mode(&p), 0o600);
        let e = create_new_private(&p).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
    }
}
