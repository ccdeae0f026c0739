//! Where local clusters (and the shared server's state dir) live.
//!
//! What a test's database costs is mostly file creation: initdb writes about
//! a thousand files and `CREATE DATABASE ... TEMPLATE` copies a directory of
//! them. On this project's CI machine that is ~300 ms per database on the
//! ext4 `/tmp` and 5-15x less on tmpfs, so clusters go to `/dev/shm` when the
//! machine has one to spare. The order, first match wins:
//!
//! 1. `SEEDFAST_CLUSTER_DIR`: an explicit choice, never second-guessed (an
//!    unusable directory is an error when the cluster is created, not a
//!    silent fallback);
//! 2. `TMPDIR`, when set: the Unix way of saying where temporary files go,
//!    and what users already set to move clusters (to a bigger disk, to a
//!    per-job dir a CI runner wipes); a session that sets it for them
//!    (pam_tmpdir, nix-shell) gets it too, and `SEEDFAST_CLUSTER_DIR`
//!    chooses tmpfs over it;
//! 3. `/dev/shm`, on Linux, when it is a tmpfs, writable, with at least
//!    [`MIN_FREE`] free;
//! 4. the temp dir (`/tmp`).
//!
//! A process SIGKILLed under one choice leaves its cluster there, and the
//! next may choose another (a full `/dev/shm`, a `TMPDIR` set in one shell
//! only), so the sweeps look in every place of this list, not only the one
//! chosen now: [`places`].

use std::path::{Path, PathBuf};

/// Environment variable naming the directory local clusters are created in.
pub const CLUSTER_DIR_ENV: &str = "SEEDFAST_CLUSTER_DIR";

/// The tmpfs tried when nothing is set.
const TMPFS: &str = "/dev/shm";

/// The least free space on the tmpfs for clusters to go there. A cluster is
/// ~40 MB after initdb and each database on it 8 MB and up (templates,
/// pooled clones, the databases of tests running at once), so a run needs a
/// few hundred MB. Docker gives containers a 64 MB `/dev/shm` by default,
/// where a run would fail with ENOSPC half-way rather than merely be slower
/// on disk; and tmpfs pages are memory, so one nearly full is a machine
/// short of RAM. 1 GiB rules out both with room to spare.
pub const MIN_FREE: u64 = 1 << 30;

/// The directory new clusters are created in (see the module docs).
pub fn cluster_parent() -> PathBuf {
    if let Some(dir) = explicit() {
        return dir;
    }
    if !tmpdir_set() && usable_tmpfs(Path::new(TMPFS)) {
        return PathBuf::from(TMPFS);
    }
    std::env::temp_dir()
}

/// Every directory a cluster of this user may have been created in by some
/// run: `chosen` first, then each candidate of the order above, whether or
/// not it would be chosen now. Only existing ones, each once.
pub(crate) fn places(chosen: &Path) -> Vec<PathBuf> {
    let candidates = [Some(chosen.to_path_buf()), explicit(), Some(std::env::temp_dir()), Some(PathBuf::from(TMPFS)), Some(PathBuf::from("/tmp"))];
    let mut places: Vec<PathBuf> = Vec::new();
    for dir in candidates.into_iter().flatten() {
        if dir.is_dir() && !places.contains(&dir) {
            places.push(dir);
        }
    }
    places
}

fn explicit() -> Option<PathBuf> {
    std::env::var_os(CLUSTER_DIR_ENV).filter(|dir| !dir.is_empty()).map(PathBuf::from)
}

fn tmpdir_set() -> bool {
    std::env::var_os("TMPDIR").is_some_and(|dir| !dir.is_empty())
}

/// Whether `dir` is a tmpfs we may create clusters in, with [`MIN_FREE`] free.
#[cfg(target_os = "linux")]
pub(crate) fn usable_tmpfs(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statfs and statvfs fill plain-old-data structs from a valid C string.
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    let mut vfs: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(path.as_ptr(), &mut fs) } != 0 || unsafe { libc::statvfs(path.as_ptr(), &mut vfs) } != 0 {
        return false;
    }
    // The field's type differs between targets; the magic fits any of them.
    #[allow(clippy::unnecessary_cast)]
    let tmpfs = fs.f_type as i64 == libc::TMPFS_MAGIC as i64;
    let read_only = vfs.f_flag & libc::ST_RDONLY != 0;
    #[allow(clippy::unnecessary_cast)]
    let free = (vfs.f_bavail as u64).saturating_mul(vfs.f_frsize as u64);
    // SAFETY: access only reads the path.
    let writable = unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) } == 0;
    tmpfs && !read_only && writable && free >= MIN_FREE
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn usable_tmpfs(_dir: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disk_directory_is_not_a_usable_tmpfs() {
        // The crate's own sources are on a disk, never a tmpfs.
        assert!(!usable_tmpfs(Path::new(env!("CARGO_MANIFEST_DIR"))));
        assert!(!usable_tmpfs(Path::new("/no/such/dir")));
    }

    #[test]
    fn places_lead_with_the_chosen_dir_and_name_each_once() {
        let chosen = std::env::temp_dir();
        let found = places(&chosen);
        assert_eq!(found.first(), Some(&chosen));
        let unique: std::collections::HashSet<&PathBuf> = found.iter().collect();
        assert_eq!(unique.len(), found.len(), "{found:?}");
        if Path::new(TMPFS).is_dir() {
            assert!(found.contains(&PathBuf::from(TMPFS)), "{found:?}");
        }
    }
}
