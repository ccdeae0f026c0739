//! The shared local server: one per user, in `<state dir>/local/`, found
//! again by every test process through its record (`server.json`), started
//! by the first, stopped by its watchdog after the idle time.
//!
//! ```text
//! <state dir>/local/lock          flock: start, reuse and stop one at a time
//! <state dir>/local/lease         flock shared by every process using the server
//! <state dir>/local/server.json   port, pid, data dir, watchdog pid ...
//! <state dir>/local/cluster/      the cluster (data/, postgres.log, socket)
//! ```
//!
//! One cluster serves every service (each service is a database on it), as
//! the per-process local backend does.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::lock::DirLock;
use super::watchdog;
use crate::backend::local;
use crate::backend::{BackendError, Server};

/// What `server.json` records of a running shared server. Nothing secret:
/// the cluster trusts local connections and has no password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Record {
    pub backend: String,
    pub port: u16,
    pub pid: u32,
    pub data_dir: PathBuf,
    pub bindir: PathBuf,
    pub watchdog: Option<u32>,
    pub idle_secs: u64,
    /// Seconds since the epoch.
    pub started_at: u64,
}

pub(crate) const RECORD_FILE: &str = "server.json";
const CLUSTER_DIR: &str = "cluster";

impl Record {
    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable", self.port)
    }
}

/// Leases this process holds, open until it exits.
static LEASES: Mutex<Vec<File>> = Mutex::new(Vec::new());

/// The directory of the shared local server under `state`.
pub(crate) fn local_dir(state: &Path) -> PathBuf {
    state.join("local")
}

pub(crate) fn read_record(dir: &Path) -> Option<Record> {
    let text = std::fs::read_to_string(dir.join(RECORD_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_record(dir: &Path, record: &Record) -> io::Result<()> {
    let tmp = dir.join(format!("{RECORD_FILE}.{}", std::process::id()));
    std::fs::write(&tmp, serde_json::to_vec_pretty(record).map_err(io::Error::other)?)?;
    std::fs::rename(&tmp, dir.join(RECORD_FILE))
}

fn io_error(what: String) -> impl FnOnce(io::Error) -> BackendError {
    move |err| BackendError::io(what, err)
}

/// The shared local server, reused when its record names one that answers,
/// started otherwise (after reaping what a dead one left); this process
/// holds a lease on it from now until it exits. Blocking.
pub(crate) fn acquire_local(state: &Path, idle_secs: u64) -> Result<Record, BackendError> {
    let dir = local_dir(state);
    let lock = DirLock::take(&dir).map_err(io_error(format!("take the lock of the shared server in {}", dir.display())))?;
    let record = match read_record(&dir) {
        Some(record) if local::detached_answers(record.pid, record.port, &record.data_dir) => record,
        dead => {
            if let Some(dead) = &dead {
                local::stop_detached(dead.pid, &dead.data_dir);
            }
            // Whatever a dead server (or a start cut short) left.
            let cluster = dir.join(CLUSTER_DIR);
            match std::fs::remove_dir_all(&cluster) {
                Ok(()) => {}
                Err(err) if err.kind() == io::ErrorKind::NotFound => {}
                Err(err) => return Err(BackendError::io(format!("remove the dead shared server's files in {}", cluster.display()), err)),
            }
            let started = local::start_detached(&cluster)?;
            let record = Record {
                backend: "local".into(),
                port: started.port,
                pid: started.pid,
                data_dir: cluster.join("data"),
                bindir: started.bindir,
                watchdog: None,
                idle_secs,
                started_at: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            };
            if let Err(err) = write_record(&dir, &record) {
                // Unrecorded, nobody could find it again: stop it now.
                local::stop_detached(record.pid, &record.data_dir);
                let _ = std::fs::remove_dir_all(&cluster);
                return Err(BackendError::io(format!("record the shared server in {}", dir.display()), err));
            }
            record
        }
    };
    let record = ensure_watchdog(&dir, record, idle_secs)?;
    let lease = lock.lease().map_err(io_error(format!("take a lease on the shared server in {}", dir.display())))?;
    LEASES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(lease);
    drop(lock);
    Ok(record)
}

/// A watchdog for the server, started again if the recorded one is gone
/// (killed, or the machine's process table was cleared while the server ran),
/// or replaced by one with this process's idle time when that is shorter: a
/// CI run (idle 0) on a machine where a developer's run left a server up for
/// ten minutes stops it when the CI run ends. Under the directory's lock, so
/// the old watchdog cannot be stopping the server meanwhile (its stop waits
/// for the lock, then finds this process's lease and leaves it running).
fn ensure_watchdog(dir: &Path, mut record: Record, idle_secs: u64) -> Result<Record, BackendError> {
    let watched = record.watchdog.filter(|pid| watchdog::alive(*pid, dir));
    match watched {
        Some(_) if record.idle_secs <= idle_secs => return Ok(record),
        Some(old) => watchdog::stop(old),
        None => {}
    }
    record.idle_secs = record.idle_secs.min(idle_secs);
    let pid = watchdog::spawn(dir, record.pid, &record.data_dir, record.idle_secs)
        .map_err(io_error(format!("start the watchdog of the shared server in {}", dir.display())))?;
    record.watchdog = Some(pid);
    write_record(dir, &record).map_err(io_error(format!("record the shared server in {}", dir.display())))?;
    Ok(record)
}

/// What [`stop`] did with one server directory.
#[derive(Debug)]
pub(crate) enum Stopped {
    /// Stopped and removed: what it was.
    Removed { dir: PathBuf, record: Option<Record> },
    /// A live process leases it, and `all` was not asked.
    InUse { dir: PathBuf, record: Option<Record> },
}

/// Stops the shared server of `dir` and removes the directory, unless a
/// live process leases it and `all` is false. `None` when there is none.
pub(crate) fn stop(dir: &Path, all: bool) -> Result<Option<Stopped>, BackendError> {
    if !dir.exists() {
        return Ok(None);
    }
    let lock = DirLock::take(dir).map_err(io_error(format!("take the lock of the shared server in {}", dir.display())))?;
    let record = read_record(dir);
    let leased = lock.leased().map_err(io_error(format!("check the leases of {}", dir.display())))?;
    if leased && !all {
        return Ok(Some(Stopped::InUse { dir: dir.to_path_buf(), record }));
    }
    if let Some(record) = &record {
        local::stop_detached(record.pid, &record.data_dir);
    }
    // Removed under the lock; a process waiting for it notices (see DirLock::take).
    std::fs::remove_dir_all(dir).map_err(io_error(format!("remove {}", dir.display())))?;
    drop(lock);
    Ok(Some(Stopped::Removed { dir: dir.to_path_buf(), record }))
}

/// Stops and removes the server of `dir` when no process leases it and it
/// is past saving: its postmaster is dead, or its watchdog is (nothing would
/// ever stop it). For state dirs no process of this run uses; a live,
/// watched server is left to its watchdog. Errors are ignored: this is a
/// sweep, and the next one tries again.
pub(crate) fn reap_orphaned(dir: &Path) {
    if !dir.exists() {
        return;
    }
    let Ok(lock) = DirLock::take(dir) else { return };
    if lock.leased().unwrap_or(true) {
        return;
    }
    if let Some(record) = read_record(dir) {
        let watched = record.watchdog.is_some_and(|pid| watchdog::alive(pid, dir));
        if watched && local::detached_alive(record.pid, &record.data_dir) {
            return;
        }
        local::stop_detached(record.pid, &record.data_dir);
    }
    // Under the lock, as in `stop`; then the state dir, if that left it empty.
    let _ = std::fs::remove_dir_all(dir);
    if let Some(state) = dir.parent() {
        let _ = std::fs::remove_dir(state);
    }
}

/// The server as the harness uses it: through its URL, like an external
/// server, so that test databases are dropped at exit and a killed
/// process's databases are swept by the next (the server outlives both).
pub(crate) fn as_server(record: &Record) -> Result<Server, BackendError> {
    Server::external(&record.url())
}
