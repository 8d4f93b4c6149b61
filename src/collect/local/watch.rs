//! One node watched on this host: its process tracker (CPU rates,
//! restarts) and its data directory, kept from one collection to the
//! next. Everything here reads /proc or the filesystem and blocks; the
//! adapter runs it off the async threads.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::collect::process::{
    DataDirUsage, HostFacts, PROC_ROOT, ProcessFigures, ProcessLocator, ProcessTracker,
    TrackerConfig, fs_space, read_host_facts,
};

/// How often the data directory is walked for the space it takes. A
/// chain database holds hundreds of thousands of files; its size moves
/// slowly. The filesystem's free space (one statvfs) is read every
/// collection.
pub const DATA_DIR_WALK_INTERVAL: Duration = Duration::from_secs(60);

/// What is known of one watched node at one collection.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LocalReading {
    /// `None`: no process found (the node is down, or not ours to see).
    pub process: Option<ProcessFigures>,
    /// Why the process could not be sampled, when that is an error
    /// rather than "not running".
    pub error: Option<String>,
    pub host: HostFacts,
    /// Only with a configured data directory.
    pub data_dir: Option<DataDirUsage>,
}

#[derive(Debug)]
pub struct Watched {
    pub node: String,
    /// `None` when only a data directory is configured for a node that is
    /// not on this host by its endpoint and has no pid-file.
    tracker: Option<ProcessTracker>,
    pub data_dir: Option<PathBuf>,
    /// The last walk's result, and when the next walk is due.
    pub used_bytes: Option<u64>,
    pub next_walk: Instant,
}

impl Watched {
    /// A node to watch, or `None` when there is nothing on this host to
    /// watch for it.
    pub fn new(
        node: &str,
        locator: Option<ProcessLocator>,
        data_dir: Option<PathBuf>,
    ) -> Option<Watched> {
        if locator.is_none() && data_dir.is_none() {
            return None;
        }
        Some(Watched {
            node: node.to_string(),
            tracker: locator.map(|l| ProcessTracker::new(TrackerConfig::new(l))),
            data_dir,
            used_bytes: None,
            next_walk: Instant::now(),
        })
    }

    /// Whether the node's process is looked for (its hardware is this
    /// host's).
    pub fn has_process(&self) -> bool {
        self.tracker.is_some()
    }

    /// Sample the process and the data directory's filesystem now.
    pub fn read(&mut self) -> LocalReading {
        let (process, error) = match self.tracker.as_mut().map(ProcessTracker::sample) {
            None => (None, None),
            Some(Ok(p)) => (p, None),
            Some(Err(e)) => (None, Some(e.to_string())),
        };
        let data_dir = self.data_dir.as_deref().map(|d| {
            let (fs_free_bytes, fs_total_bytes) = fs_space(d).unzip();
            DataDirUsage {
                used_bytes: self.used_bytes,
                fs_free_bytes,
                fs_total_bytes,
            }
        });
        LocalReading {
            process,
            error,
            host: read_host_facts(std::path::Path::new(PROC_ROOT)),
            data_dir,
        }
    }
}
