//! The node's data directory: the disk space its files take and the free
//! space left on its filesystem.
//!
//! The walk is bounded and never follows symbolic links (a link to / must
//! not make us walk the host). A walk that reaches its bound reports no
//! figure rather than a too-small one. Walking a large chain database is
//! not free (hundreds of thousands of files), so callers should sample this
//! less often than the process figures.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Entries (files, directories, links) one walk may look at.
pub const DEFAULT_MAX_ENTRIES: usize = 1_000_000;

/// st_blocks counts 512-byte units whatever the filesystem's block size.
const ST_BLOCK: u64 = 512;

/// What a data directory takes and what its filesystem has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataDirUsage {
    /// Bytes allocated to everything under the directory (as `du` counts:
    /// blocks, hard links once); `None` if the walk hit its bound or the
    /// directory could not be read.
    pub used_bytes: Option<u64>,
    /// Bytes an unprivileged process may still write on its filesystem
    /// (`f_bavail`, as `df` shows); `None` if statvfs failed.
    pub fs_free_bytes: Option<u64>,
    /// The filesystem's size.
    pub fs_total_bytes: Option<u64>,
}

/// Both figures for `dir`.
pub fn data_dir_usage(dir: &Path, max_entries: usize) -> DataDirUsage {
    let (fs_free_bytes, fs_total_bytes) = fs_space(dir).unzip();
    DataDirUsage {
        used_bytes: dir_usage(dir, max_entries),
        fs_free_bytes,
        fs_total_bytes,
    }
}

/// Bytes allocated under `dir`, itself included, without following links.
/// Entries that vanish or cannot be read during the walk are skipped; an
/// unreadable `dir` itself, or more than `max_entries`, is `None`.
pub fn dir_usage(dir: &Path, max_entries: usize) -> Option<u64> {
    let root = std::fs::symlink_metadata(dir).ok()?;
    let mut seen_links = HashSet::new();
    let mut total = allocated(&root, &mut seen_links);
    let mut entries = 1usize;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(list) = std::fs::read_dir(&d) else {
            if d == dir {
                return None;
            }
            continue;
        };
        for e in list.filter_map(Result::ok) {
            entries += 1;
            if entries > max_entries {
                tracing::debug!(dir = %dir.display(), max_entries, "data-dir walk stopped at its bound");
                return None;
            }
            // DirEntry::metadata does not follow a symlink.
            let Ok(meta) = e.metadata() else { continue };
            total = total.saturating_add(allocated(&meta, &mut seen_links));
            if meta.is_dir() {
                stack.push(e.path());
            }
        }
    }
    Some(total)
}

/// An inode with several names is counted at its first one.
fn allocated(meta: &std::fs::Metadata, seen: &mut HashSet<(u64, u64)>) -> u64 {
    if meta.nlink() > 1 && !meta.is_dir() && !seen.insert((meta.dev(), meta.ino())) {
        return 0;
    }
    meta.blocks().saturating_mul(ST_BLOCK)
}

/// (available, total) bytes of the filesystem holding `path`, by
/// `statvfs` (rustix's safe wrapper): available as `df` shows it, to an
/// unprivileged user.
pub fn fs_space(path: &Path) -> Option<(u64, u64)> {
    let st = rustix::fs::statvfs(path).ok()?;
    Some((
        st.f_bavail.saturating_mul(st.f_frsize),
        st.f_blocks.saturating_mul(st.f_frsize),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn blocks(p: &Path) -> u64 {
        std::fs::symlink_metadata(p).unwrap().blocks() * ST_BLOCK
    }

    #[test]
    fn counts_files_and_dirs_once_and_does_not_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::fs::write(d.join("a/one"), vec![7u8; 100_000]).unwrap();
        std::fs::write(d.join("a/b/two"), vec![7u8; 50_000]).unwrap();
        std::fs::hard_link(d.join("a/one"), d.join("one-again")).unwrap();
        // A link out of the tree, to something big, must not be walked.
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("big"), vec![1u8; 300_000]).unwrap();
        symlink(outside.path(), d.join("out")).unwrap();

        let expected: u64 = [
            d,
            &d.join("a"),
            &d.join("a/b"),
            &d.join("a/one"),
            &d.join("a/b/two"),
            &d.join("out"),
        ]
        .iter()
        .map(|p| blocks(p))
        .sum();
        assert!(
            blocks(&d.join("a/one")) >= 100_000,
            "the fixture really allocated"
        );
        assert_eq!(dir_usage(d, 100), Some(expected));
    }

    #[test]
    fn over_the_bound_or_missing_is_none() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            std::fs::write(dir.path().join(i.to_string()), b"x").unwrap();
        }
        // The directory itself and its five files.
        assert!(dir_usage(dir.path(), 6).is_some());
        assert_eq!(dir_usage(dir.path(), 5), None);
        assert_eq!(dir_usage(&dir.path().join("missing"), 100), None);
    }

    #[test]
    fn free_space_is_within_the_filesystem() {
        let dir = tempfile::tempdir().unwrap();
        let (free, total) = fs_space(dir.path()).unwrap();
        assert!(total > 0 && free <= total);
        assert_eq!(fs_space(&dir.path().join("missing")), None);
        let u = data_dir_usage(dir.path(), 10);
        assert_eq!(u.fs_total_bytes, Some(total));
        assert!(u.used_bytes.is_some());
    }
}
