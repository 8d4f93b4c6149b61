//! The store's WAL checkpoints, off the request path. SQLite checkpoints
//! automatically inside the commit that fills the log past its threshold
//! (1000 pages): that commit then copies the log into the database and
//! syncs both, which took tens of milliseconds on a busy disk, while every
//! other writer waits for the store's one connection. Here a thread with
//! its own connection checkpoints every [`EVERY`] instead (PASSIVE: it
//! never blocks a writer, nor waits for one), and a commit only
//! checkpoints itself when the log has grown past [`FALLBACK_PAGES`] (the
//! thread fell behind: a passive checkpoint cannot reset a log that
//! writers keep appending to).
//!
//! Durability does not change: a commit is in the log when it returns,
//! whatever the checkpoints do, and a checkpoint interrupted by a crash is
//! redone from the log when the store is next opened (SQLite's own
//! recovery). The log is now synced within [`EVERY`] of a write rather
//! than at the next automatic checkpoint.

use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

/// How often the thread checkpoints.
pub const EVERY: Duration = Duration::from_millis(500);

/// Log pages after which a commit checkpoints itself (SQLite's
/// `wal_autocheckpoint` on the store's connection; its default is 1000).
pub const FALLBACK_PAGES: i64 = 8000;

/// The checkpointing thread; it ends when this is dropped (with the store).
pub struct Checkpointer {
    _stop: Sender<()>,
}

impl Checkpointer {
    /// Start checkpointing the store at `path` (in WAL mode).
    pub fn start(path: &Path) -> Result<Checkpointer, rusqlite::Error> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (stop, stopped) = mpsc::channel::<()>();
        let spawned = std::thread::Builder::new()
            .name("store-checkpoint".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::debug!("store checkpoint: {e}");
                    }
                }
            });
        if let Err(e) = spawned {
            // No thread: the commits checkpoint, as SQLite does by default.
            tracing::warn!("store checkpoint thread: {e}");
        }
        Ok(Checkpointer { _stop: stop })
    }
}
