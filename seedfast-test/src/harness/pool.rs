//! Databases cloned ahead of demand. Each seeded template keeps a few clones
//! ready, made by background tasks on the harness runtime, so that a test
//! takes one instead of waiting for `CREATE DATABASE` (integresql's idea).
//! The pool starts once a second test takes a clone of the template. A
//! clone comes with the test's connection pool on it, its first connection
//! open: once clones were ready, connecting was most of a test's wait.
//!
//! Bounds: at most [`AHEAD_PER_TEMPLATE`] clones ready or being made ahead
//! per template, and at most [`AHEAD_PER_SERVER`] over all the templates of
//! one server, so a suite with many scopes does not fill the server with
//! idle copies. Clones for a waiting test are not bounded here: there is
//! one per waiting test. Every clone, ahead or not, takes a permit of the
//! server's create semaphore in [`Server::create_database`], which bounds
//! how many run at once.
//!
//! A pooled database is a clone of a template nobody connects to or writes
//! after its seed, so it is the same, byte for byte, as a clone made when
//! the test asked. It is an ordinary [`TempDatabase`]
//! (`seedfast_pool_<service>_<pid>_<n>`): what drops a test's databases
//! drops it at exit, and after a SIGKILL the next run's sweep of an
//! external server finds it by its `<pid>` like any other.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::sync::{OwnedSemaphorePermit, oneshot};

use super::background;
use crate::backend::{Permits, Server, TempDatabase};
use crate::error::{Error, Result};

/// Connections a test's pool opens at most.
const TEST_CONNECTIONS: u32 = 5;

/// A clone and the test's connection pool on it, one connection open.
pub type Cloned = (TempDatabase, PgPool);

/// Clones kept ready (or being made ahead) per template: enough to cover a
/// few tests starting together, few enough to cost little disk.
const AHEAD_PER_TEMPLATE: usize = 3;
/// Clones kept ready (or being made ahead) per server, over all templates.
const AHEAD_PER_SERVER: usize = 8;

/// Every pool of the process, for the exit hook.
static POOLS: Mutex<Vec<Arc<WarmPool>>> = Mutex::new(Vec::new());

/// The clones of one seeded template.
pub struct WarmPool {
    server: Server,
    template: String,
    label: String,
    /// The server's budget of clones made ahead, shared by its templates.
    budget: Arc<tokio::sync::Semaphore>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Clones nobody has taken, each holding a permit of the budget.
    ready: VecDeque<(Cloned, OwnedSemaphorePermit)>,
    /// Tests waiting for a clone, first come first served.
    waiting: VecDeque<oneshot::Sender<Result<Cloned>>>,
    /// Clones under way for waiting tests.
    for_waiting: usize,
    /// Clones under way ahead of demand, each holding a permit of the budget.
    ahead: usize,
    /// A clone made ahead failed: make no more ahead until one for a test
    /// succeeds, so a broken server is not asked again and again.
    failing: bool,
    /// The process is exiting: make nothing, drop what comes back.
    closed: bool,
    /// Clones taken so far. Clones are made ahead only from the second on:
    /// a process that runs one test of this template (nextest runs each
    /// test in a process of its own) would only pay for clones never taken.
    taken: usize,
}

impl WarmPool {
    /// The pool of `template` on `server`. The first take clones for its
    /// test alone; from the second on, clones are made ahead too.
    pub fn new(server: Server, template: String, service: &str) -> Arc<WarmPool> {
        static BUDGETS: Permits = Mutex::new(Vec::new());
        let budget = server.permits(&BUDGETS, AHEAD_PER_SERVER);
        let pool = Arc::new(WarmPool { server, template, label: format!("pool_{service}"), budget, state: Mutex::default() });
        lock(&POOLS).push(pool.clone());
        pool
    }

    /// A clone of the template of this test's own: a ready one if there is
    /// one, else the first one made; either way the pool is topped up.
    pub async fn take(self: &Arc<Self>) -> Result<Cloned> {
        let waiting = {
            let mut state = lock(&self.state);
            state.taken += 1;
            match state.ready.pop_front() {
                // The permit goes back to the budget here, before the top-up.
                Some((clone, _permit)) => Ok(clone),
                None => {
                    let (tx, rx) = oneshot::channel();
                    state.waiting.push_back(tx);
                    Err(rx)
                }
            }
        };
        self.top_up();
        match waiting {
            Ok(clone) => Ok(clone),
            Err(rx) => rx.await.unwrap_or_else(|_| Err(Error::Usage("seedfast: the harness stopped before a database was cloned".into()))),
        }
    }

    /// Starts the clones that are missing: one per waiting test not covered
    /// by a clone under way, then clones ahead up to the bounds.
    fn top_up(self: &Arc<Self>) {
        let mut state = lock(&self.state);
        if state.closed {
            return;
        }
        while state.for_waiting + state.ahead < state.waiting.len() {
            state.for_waiting += 1;
            self.spawn_clone(None);
        }
        while state.taken > 1 && !state.failing && state.ready.len() + state.ahead < AHEAD_PER_TEMPLATE {
            let Ok(permit) = self.budget.clone().try_acquire_owned() else { break };
            state.ahead += 1;
            self.spawn_clone(Some(permit));
        }
    }

    fn spawn_clone(self: &Arc<Self>, permit: Option<OwnedSemaphorePermit>) {
        let pool = self.clone();
        background::spawn(async move {
            let made = pool.make().await;
            pool.finished(made, permit);
        });
    }

    /// A clone and its pool. The pool lives on the harness runtime, where
    /// its open connection was made; the test's runtime drives it from
    /// there, and opens any further connection itself.
    async fn make(&self) -> Result<Cloned> {
        let db = self.server.create_database(&self.label, Some(&self.template)).await?;
        match super::templates::settled(|| PgPoolOptions::new().max_connections(TEST_CONNECTIONS).connect(db.url())).await {
            Ok(pool) => Ok((db, pool)),
            Err(e) => {
                let error = Error::Backend(crate::backend::connect_failed(e, db.url()));
                background::drop_later(db, "the warm pool".into());
                Err(error)
            }
        }
    }

    /// A clone came back: to the first test still waiting, else to the ready
    /// ones.
    fn finished(self: &Arc<Self>, made: Result<Cloned>, permit: Option<OwnedSemaphorePermit>) {
        let mut state = lock(&self.state);
        match permit {
            Some(_) => state.ahead -= 1,
            None => state.for_waiting -= 1,
        }
        let mut made = match made {
            Ok((db, _)) if state.closed => return background::drop_later(db, "the warm pool".into()),
            Ok(clone) => {
                if permit.is_none() {
                    state.failing = false;
                }
                Ok(clone)
            }
            Err(e) => {
                if permit.is_some() {
                    state.failing = true;
                }
                Err(e)
            }
        };
        loop {
            match state.waiting.pop_front() {
                Some(test) => match test.send(made) {
                    Ok(()) => break,
                    // That test stopped waiting: the next one gets it.
                    Err(back) => made = back,
                },
                None => {
                    if let Ok(clone) = made {
                        // Kept only within the server's budget: a clone made
                        // for a test that took another one holds no permit yet.
                        match permit.or_else(|| self.budget.clone().try_acquire_owned().ok()) {
                            Some(permit) => state.ready.push_back((clone, permit)),
                            None => background::drop_later(clone.0, "the warm pool".into()),
                        }
                    }
                    break;
                }
            }
        }
        drop(state);
        self.top_up();
    }

    /// At exit: clones still under way are dropped when they come back, and
    /// the ready ones are returned for the caller to drop.
    fn close(&self) -> Vec<TempDatabase> {
        let mut state = lock(&self.state);
        state.closed = true;
        state.ready.drain(..).map(|((db, _), _)| db).collect()
    }
}

/// At exit: stops every pool and drops its ready clones in the background;
/// the caller waits for that work ([`background::wait_idle`]) where the
/// databases would otherwise outlive the run.
pub(super) fn close_all() {
    let pools = std::mem::take(&mut *lock(&POOLS));
    for pool in pools {
        for db in pool.close() {
            background::drop_later(db, "the warm pool".into());
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
