//! The local node process: when a node's endpoint is on this host, find the
//! process that serves it and sample what the kernel knows about it.
//!
//! Issue 14, section 1. Everything is read from /proc (and one `statvfs` for
//! the data-dir's filesystem) so that each figure has one known source, as in
//! [`super::host`]. Every reader takes the /proc root as a path so the tests
//! can run against a fake tree; the parsers take `&str`.
//!
//! The pieces, bottom up: [`sockets`] finds the inode of the socket listening
//! on an endpoint, [`owner`] the PID holding that inode (or a pid-file's PID),
//! [`sample`] one reading of a PID, [`datadir`] the node's data directory,
//! and [`tracker`] ties them together across samples (CPU rates, restarts).
//!
//! [`super::local`] wires it into every platform's collection.

pub mod datadir;
pub mod error;
pub mod owner;
pub mod sample;
pub mod sockets;
pub mod tracker;

pub use datadir::{DEFAULT_MAX_ENTRIES, DataDirUsage, data_dir_usage, dir_usage, fs_space};
pub use error::ProcessError;
pub use owner::{ScanLimits, find_socket_owner, read_pid_file};
pub use sample::{HostFacts, PidSample, clock_ticks_per_second, read_host_facts, read_pid_sample};
pub use sockets::{listening_inode, read_listening_inode};
pub use tracker::{ProcessFigures, ProcessLocator, ProcessTracker, TrackerConfig};

/// Where the kernel's process files are on a real host.
pub const PROC_ROOT: &str = "/proc";
