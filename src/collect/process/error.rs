//! The typed error of the process sampler (the host collector's, since both
//! read kernel files) and its readers of /proc files. Every variant names the
//! file, so a failed sample in the daemon's log says where to look.

use std::path::Path;

/// The host collector's error: both read kernel files, and every variant
/// names the file.
pub use crate::collect::host::HostError as ProcessError;

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
