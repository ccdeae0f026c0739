//! The watchdog that stops a shared server when no process has used it for
//! the idle time, also when no further test process ever comes.
//!
//! It is a `sh` loop, not a Rust process: a test binary cannot be re-run as
//! a watchdog (libtest owns its `main`), and the `seedfast` binary is not
//! necessarily installed where tests run. The loop needs only `sh`, `sleep`,
//! `kill`, `rm`, `grep`, `sed` and util-linux's `flock(1)` (present wherever
//! util-linux or BusyBox is); without `flock(1)` sharing is not offered.
//!
//! Each second it asks whether any lease is held (`flock -n` on the lease
//! file succeeds only when none is). After more than the idle time without
//! one (and two looks in a row at least), or once the postmaster died, it takes the directory's lock, checks
//! again under it (a process takes its lease under the same lock, so none
//! can slip in), stops the postmaster and removes the directory. It leaves
//! when the directory's server record is gone (`seedfast clean`, a sweep) or
//! names another postmaster.

use std::path::Path;
use std::process::{Command, Stdio};

/// `$0` of the watchdog's shell, by which its command line is recognised.
pub(crate) const NAME: &str = "seedfast-watchdog";

/// Runs under the directory's lock; exits 0 once stopped, 3 when leased
/// again, 4 when the record names another server (not ours to stop).
const STOP: &str = r#"
dir=$1 pm=$2 data=$3
grep -q "\"pid\": *$pm[,}]" "$dir/server.json" 2>/dev/null || exit 4
if kill -0 "$pm" 2>/dev/null; then
    flock -n -x "$dir/lease" true || exit 3
    shm=$(sed -n 7p "$data/postmaster.pid" 2>/dev/null | { read -r _ id; echo "$id"; })
    # Fast shutdown: the server releases its shared memory itself.
    kill -INT "$pm" 2>/dev/null
    n=0
    while kill -0 "$pm" 2>/dev/null && [ "$n" -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    if kill -0 "$pm" 2>/dev/null; then
        kill -KILL "$pm" 2>/dev/null
        sleep 1
        [ -n "$shm" ] && ipcrm -m "$shm" 2>/dev/null
    fi
fi
rm -rf "$dir"
# The state dir too, once empty: under CI nothing may outlive the run.
rmdir "${dir%/*}" 2>/dev/null
exit 0
"#;

const LOOP: &str = r#"
dir=$1 pm=$2 data=$3 idle=$4 stop=$5
free=0
while sleep 1; do
    [ -f "$dir/server.json" ] || exit 0
    if flock -n -x "$dir/lease" true 2>/dev/null; then free=$((free + 1)); else free=0; fi
    # Two free looks in a row at least, even with no idle time: under
    # nextest one test process ends a few ms before the next takes its
    # lease, and a single look may fall into that gap.
    if kill -0 "$pm" 2>/dev/null && { [ "$free" -le "$idle" ] || [ "$free" -lt 2 ]; }; then continue; fi
    flock -x "$dir/lock" sh -c "$stop" seedfast-stop "$dir" "$pm" "$data"
    case $? in
        3) free=0 ;;
        *) exit 0 ;;
    esac
done
"#;

/// Whether `flock(1)` is on the PATH.
pub(crate) fn available() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(dir.join("flock")).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// Starts the watchdog of the server `pm` in `dir`, detached from this
/// process (a session of its own, no standard streams: cargo-nextest waits
/// for a test's output pipes to close, and a terminal's Ctrl-C must not
/// reach it). Returns its pid.
pub(crate) fn spawn(dir: &Path, pm: u32, data_dir: &Path, idle_secs: u64) -> std::io::Result<u32> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(LOOP)
        .arg(NAME)
        .arg(dir)
        .arg(pm.to_string())
        .arg(data_dir)
        .arg(idle_secs.to_string())
        .arg(STOP)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid is async-signal-safe and allocates nothing.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, || {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = command.spawn()?;
    // Never waited for: it outlives this process, and init reaps it.
    Ok(child.id())
}

/// Stops the watchdog `pid` (checked with [`alive`] by the caller). A stop
/// of the server it had begun, waiting for the directory's lock, goes on
/// without it and finds the server leased.
pub(crate) fn stop(pid: u32) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
}

/// Whether `pid` is the watchdog of `dir`, by its command line (pids are reused).
pub(crate) fn alive(pid: u32, dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    if !crate::backend::local::pid_alive(pid) {
        return false;
    }
    std::fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|cmdline| {
        let args: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        args.contains(&NAME.as_bytes()) && args.contains(&dir.as_os_str().as_bytes())
    })
}
