//! Sharing across test processes and runs (on by default for the local
//! backend; `SEEDFAST_SHARE=0` turns it off): one local
//! server per user that every test process finds again, and templates named
//! by a hash of their inputs that are built once and reused until those
//! inputs change. Under `cargo nextest`, where every test is a process of
//! its own, this is the difference between starting, migrating and seeding
//! once per test and once per change.
//!
//! Nothing may live forever: each process holds a lease on the server while
//! it runs (a shared `flock` the kernel releases even on SIGKILL), and a
//! watchdog stops the server once no lease has been held for the idle time
//! (`SEEDFAST_IDLE_SECS`; 600 s by default, 0 when `CI` is set, so CI
//! machines keep nothing after the run). `seedfast clean` stops what no live
//! process leases at once.
//!
//! Test databases cloned from shared templates are dropped at exit like on
//! an external server (the server outlives the process), and those of a
//! killed process by the next process's sweep.

mod docker;
mod lock;
mod server;
pub(crate) mod stored;
pub(crate) mod templates;
mod watchdog;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::backend::Server;
use crate::error::{Error, Result};

pub(crate) use docker::docker;
pub use docker::clean as clean_docker;
pub use templates::registered;

/// `1` (the default) shares the local server and templates across
/// processes; `0` keeps everything per process.
pub const SHARE_ENV: &str = "SEEDFAST_SHARE";
/// Seconds a shared server stays up with no process using it.
pub const IDLE_ENV: &str = "SEEDFAST_IDLE_SECS";
/// Where shared servers live; `<temp dir>/seedfast-<uid>` by default.
pub const STATE_DIR_ENV: &str = "SEEDFAST_STATE_DIR";

/// The idle time on a developer's machine: reruns within ten minutes find
/// the server and its templates ready.
const DEFAULT_IDLE: Duration = Duration::from_secs(600);

/// Whether sharing is asked for: yes unless `SEEDFAST_SHARE` says no. On by
/// default because under nextest (a process per test) starting, migrating
/// and seeding per process costs seconds per test, and nothing is left
/// behind either way (leases, the watchdog, idle 0 under CI). An unreadable
/// value is an error naming the variable and what it takes.
pub fn requested() -> Result<bool> {
    match std::env::var(SHARE_ENV).unwrap_or_default().trim().to_ascii_lowercase().as_str() {
        "0" | "false" | "no" | "off" => Ok(false),
        "" | "1" | "true" | "yes" | "on" => Ok(true),
        other => Err(Error::Usage(format!("{SHARE_ENV}={other} is not understood; set it to 1 to share servers and templates across test processes, or 0 not to"))),
    }
}

/// Sharing is on and possible here (the watchdog needs `flock(1)`; without
/// it, a one-line notice and per-process servers).
pub(crate) fn enabled() -> Result<bool> {
    if !requested()? {
        return Ok(false);
    }
    if !watchdog::available() {
        fall_back("its watchdog needs util-linux's `flock` command, which is not on the PATH");
        return Ok(false);
    }
    Ok(true)
}

/// The one line a process prints when it cannot share and uses a server of
/// its own instead: sharing only saves time, so it never fails a test.
pub(crate) fn fall_back(reason: &str) {
    eprintln!("seedfast: not sharing the local server across test processes ({reason}); using one of this process's own ({SHARE_ENV}=0 silences this)");
}

/// [`fall_back`] for the Docker backend's shared container.
pub(crate) fn fall_back_docker(reason: &str) {
    eprintln!("seedfast: not sharing a docker container across test processes ({reason}); using one of this process's own ({SHARE_ENV}=0 silences this)");
}

/// The idle time: `SEEDFAST_IDLE_SECS`, else 0 under CI (`CI` set and not
/// `false`/`0`), else [`DEFAULT_IDLE`].
pub fn idle_secs() -> Result<u64> {
    match std::env::var(IDLE_ENV) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| Error::Usage(format!("{IDLE_ENV}={v} is not a number of seconds; e.g. {IDLE_ENV}=600 keeps an unused shared server up for ten minutes"))),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"));
            Ok(if ci { 0 } else { DEFAULT_IDLE.as_secs() })
        }
    }
}

/// Where this user's shared servers live: `SEEDFAST_STATE_DIR`, else
/// `seedfast-<uid>` where local clusters go ([`crate::backend::cluster_parent`]:
/// tmpfs when there is one), since the shared server's cluster is inside.
pub fn state_dir() -> PathBuf {
    explicit_state_dir().unwrap_or_else(|| default_state_dir(&crate::backend::cluster_parent()))
}

fn explicit_state_dir() -> Option<PathBuf> {
    std::env::var_os(STATE_DIR_ENV).filter(|dir| !dir.is_empty()).map(PathBuf::from)
}

fn default_state_dir(base: &Path) -> PathBuf {
    // SAFETY: geteuid has no preconditions.
    base.join(format!("seedfast-{}", unsafe { libc::geteuid() }))
}

/// Every state dir a run of this user may have left a server in: the one in
/// use first, then (unless `SEEDFAST_STATE_DIR` names one) the default under
/// each place clusters may go, since another run may have chosen another
/// (a `TMPDIR` set in one shell, `/dev/shm` full that time).
fn state_dirs() -> Vec<PathBuf> {
    let current = state_dir();
    let mut dirs = vec![current.clone()];
    if explicit_state_dir().is_none() {
        for place in crate::backend::cluster_dir::places(&crate::backend::cluster_parent()) {
            let dir = default_state_dir(&place);
            if dir.exists() && !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    dirs
}

/// The shared server as this process uses it.
pub(crate) struct Shared {
    pub server: Server,
    /// `server_version_num`, part of every template's hash.
    pub version: String,
    /// The local server's directory; `None` for a container.
    pub dir: Option<PathBuf>,
    /// `local` or `docker`.
    pub backend: &'static str,
    /// The shared container's id, on Docker.
    pub container: Option<String>,
}

/// The local server or the container: a process uses one backend.
static SHARED: tokio::sync::OnceCell<Shared> = tokio::sync::OnceCell::const_new();

/// The shared local server, found or started once per process, with its
/// registry of templates ready.
pub(crate) async fn local() -> Result<&'static Shared> {
    SHARED
        .get_or_try_init(|| async {
            let idle_secs = idle_secs()?;
            let state = state_dir();
            let dir = server::local_dir(&state);
            let others: Vec<PathBuf> = state_dirs().into_iter().skip(1).map(|d| server::local_dir(&d)).collect();
            let record = tokio::task::spawn_blocking(move || {
                // What a run under another choice of directory left dead
                // (postmaster or watchdog SIGKILLed): nothing else would find it.
                for other in &others {
                    server::reap_orphaned(other);
                }
                server::acquire_local(&state, idle_secs)
            })
                .await
                .map_err(|e| Error::Usage(format!("starting the shared server failed: {e}")))??;
            let server = server::as_server(&record)?;
            let version = templates::server_version(&server).await?;
            templates::prepare_registry(&server, idle_secs).await?;
            Ok(Shared { server, version, dir: Some(dir), backend: "local", container: None })
        })
        .await
}

/// The shared server of this process, once it has one.
pub(crate) fn current() -> Option<&'static Shared> {
    SHARED.get()
}

/// The directory of the shared local server this process uses, if any.
pub fn server_dir() -> Option<PathBuf> {
    current().and_then(|s| s.dir.clone())
}

/// The id of the shared container this process uses, if any.
pub fn container_id() -> Option<String> {
    current().and_then(|s| s.container.clone())
}

/// The URL of the shared local server's maintenance database (no password:
/// the cluster trusts local connections), if this process uses one. `None`
/// for a shared container, whose URL holds its password.
pub fn server_url() -> Option<String> {
    current().filter(|s| s.container.is_none()).map(|s| s.server.url_for("postgres"))
}

/// One line per shared server `seedfast clean` found, and whether it was
/// removed. `all` stops servers that live processes lease, too.
pub fn clean(all: bool) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for state in state_dirs() {
        let dir = server::local_dir(&state);
        match server::stop(&dir, all)? {
            None => {}
            Some(server::Stopped::Removed { dir, record }) => lines.push(match record {
                Some(r) => format!("removed: {} server on port {} (pid {}), {}", r.backend, r.port, r.pid, dir.display()),
                None => format!("removed: {} (no server was recorded)", dir.display()),
            }),
            Some(server::Stopped::InUse { dir, record }) => lines.push(match record {
                Some(r) => format!("kept: {} server on port {} (pid {}), {}: a running test process uses it (--all stops it anyway)", r.backend, r.port, r.pid, dir.display()),
                None => format!("kept: {}: a running test process uses it (--all removes it anyway)", dir.display()),
            }),
        }
        // An empty state dir goes too; one another process just filled is kept.
        let _ = std::fs::remove_dir(&state);
    }
    Ok(lines)
}
