//! The typed error of the process sampler. Every variant names the file, so
//! a failed sample in the daemon's log says where to look.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot parse {path}: {reason}")]
    Parse { path: String, reason: String },
}

impl ProcessError {
    pub(super) fn read(path: &Path, source: std::io::Error) -> Self {
        Self::Read {
            path: path.display().to_string(),
            source,
        }
    }

    pub(super) fn parse(path: &Path, reason: impl Into<String>) -> Self {
        Self::Parse {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }
}

/// Lossy on purpose, like the host collector: one odd byte must not make a
/// whole /proc file unreadable. `Ok(None)` when the file does not exist (the
/// process has gone), an error for anything else.
pub(super) fn read_text(path: &Path) -> Result<Option<String>, ProcessError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        // ESRCH: the process exited while we were reading its files.
        Err(e) if e.raw_os_error() == Some(libc::ESRCH) => Ok(None),
        Err(e) => Err(ProcessError::read(path, e)),
    }
}

/// For files a source may legitimately refuse (another user's /proc/PID/io):
/// any failure is an absent value, not an error.
pub(super) fn read_optional(path: &Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}
