//! `flock(2)` on files of a shared server's directory: the exclusive lock
//! that serialises starting, reusing and stopping the server, and the shared
//! leases that say a live process uses it. The kernel drops both when their
//! process dies, however it dies, which is the point: a SIGKILLed test
//! leaves no lock or lease behind.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

/// The lock file's name in a server directory.
pub(crate) const LOCK_FILE: &str = "lock";
/// The lease file's name in a server directory.
pub(crate) const LEASE_FILE: &str = "lease";

fn open(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).write(true).create(true).truncate(false).mode(0o600).open(path)
}

fn flock(file: &File, operation: libc::c_int) -> io::Result<()> {
    loop {
        // SAFETY: flock on a descriptor we own.
        if unsafe { libc::flock(file.as_raw_fd(), operation) } == 0 {
            return Ok(());
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// The exclusive lock of one server directory, held until dropped.
pub(crate) struct DirLock {
    _file: File,
    dir: PathBuf,
}

impl DirLock {
    /// Waits for the lock of `dir`, creating the directory if need be.
    ///
    /// A stopper removes the whole directory while holding the lock, so a
    /// process that waited on the old lock file may wake up holding a lock
    /// on a deleted file: it checks that the path still names the file it
    /// locked, and starts over when it does not.
    pub(crate) fn take(dir: &Path) -> io::Result<DirLock> {
        loop {
            create_private_dir(dir)?;
            let path = dir.join(LOCK_FILE);
            let file = match open(&path) {
                Ok(file) => file,
                // Removed between the mkdir and the open: start over.
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => return Err(err),
            };
            flock(&file, libc::LOCK_EX)?;
            let held = file.metadata()?;
            match std::fs::metadata(&path) {
                Ok(now) if now.ino() == held.ino() && now.dev() == held.dev() => return Ok(DirLock { _file: file, dir: dir.to_path_buf() }),
                Ok(_) => continue,
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => return Err(err),
            }
        }
    }

    /// Removes the directory (and its parent, once empty) while still holding its lock: a
    /// process waiting for it notices and starts over in a new one (see [`DirLock::take`]).
    /// For locks that guard no state of their own, so none is left behind.
    pub(crate) fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(parent) = self.dir.parent() {
            let _ = std::fs::remove_dir(parent);
        }
    }

    /// Whether any process holds a lease on this directory's server. Only
    /// meaningful under the lock, since leases are taken under it.
    pub(crate) fn leased(&self) -> io::Result<bool> {
        let file = open(&self.dir.join(LEASE_FILE))?;
        match flock(&file, libc::LOCK_EX | libc::LOCK_NB) {
            // Released again when `file` closes here.
            Ok(()) => Ok(false),
            Err(err) if err.raw_os_error() == Some(libc::EWOULDBLOCK) => Ok(true),
            Err(err) => Err(err),
        }
    }

    /// Takes a lease for this process: a shared lock on the lease file that
    /// lasts as long as the returned file is open (for the process's life,
    /// once stored), and that the kernel releases when the process dies.
    pub(crate) fn lease(&self) -> io::Result<File> {
        let file = open(&self.dir.join(LEASE_FILE))?;
        flock(&file, libc::LOCK_SH)?;
        Ok(file)
    }
}

/// Creates `dir` (and its parents) as this user's, `rwx--x--x`: the server
/// account must be able to pass through to its data directory, and no one
/// else needs to list it. An existing directory of another owner is refused,
/// so no one can plant a server or a lock in our way.
pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().recursive(true).mode(0o711).create(dir) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
        Err(err) => return Err(err),
    }
    let meta = std::fs::symlink_metadata(dir)?;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    if !meta.is_dir() || meta.uid() != me {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} is not a directory of this user (uid {me}); remove it or set SEEDFAST_STATE_DIR elsewhere", dir.display()),
        ));
    }
    Ok(())
}
