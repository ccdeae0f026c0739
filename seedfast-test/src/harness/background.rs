//! Database work a test does not wait for: dropping its databases after it
//! ends, and cloning databases ahead of demand ([`super::pool`]). It runs on
//! the harness runtime, which lives as long as the process, and is counted,
//! so that the exit hook can wait for it: on an external server a database
//! created or dropped half-way would outlive the run.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::backend::{BackendError, Permits, TempDatabase};

/// `DROP DATABASE` statements in the background at once on one server: each
/// holds a connection, and 64 tests ending together must not take a
/// container's 100 connections from the tests still running.
const CONCURRENT_DROPS: usize = 4;

/// Set at exit on servers that vanish with the process (a local cluster, a
/// container): a drop cut short by their shutdown leaves nothing behind.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Background tasks started and not yet finished, process-wide.
static RUNNING: Mutex<usize> = Mutex::new(0);
static IDLE: Condvar = Condvar::new();

/// Runs `work` on the harness runtime, counted until it ends.
pub(super) fn spawn<F>(work: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    *RUNNING.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    super::templates::runtime().spawn(async move {
        // Counted down even if `work` panics: the exit hook must not wait for it.
        let _done = Done;
        work.await;
    });
}

struct Done;

impl Drop for Done {
    fn drop(&mut self) {
        let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
        *running -= 1;
        if *running == 0 {
            IDLE.notify_all();
        }
    }
}

/// Drops `db` without making the caller wait; a failure is reported as a
/// warning naming `owner` (a test's path, or the warm pool).
pub(super) fn drop_later(db: TempDatabase, owner: String) {
    static DROPS: Permits = Mutex::new(Vec::new());
    let permits = db.server().permits(&DROPS, CONCURRENT_DROPS);
    spawn(async move {
        let _permit = permits.acquire_owned().await;
        let name = db.name().to_string();
        match db.close().await {
            Ok(()) => {}
            // The server is gone, and the database with it: a local cluster
            // or a container stopped at exit while this drop was queued.
            Err(BackendError::Unreachable { .. }) => {}
            Err(_) if QUIET.load(Ordering::Relaxed) => {}
            Err(e) => eprintln!("seedfast: {owner}: could not drop the database `{name}`: {e}"),
        }
    });
}

/// From now on, failed drops are not reported (see [`QUIET`]).
pub(super) fn quiet() {
    QUIET.store(true, Ordering::Relaxed);
}

/// Waits until no background work runs, or `limit` has passed; whether it
/// all ended.
pub(super) fn wait_idle(limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut running = RUNNING.lock().unwrap_or_else(PoisonError::into_inner);
    while *running > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        running = IDLE.wait_timeout(running, left).unwrap_or_else(PoisonError::into_inner).0;
    }
    true
}
