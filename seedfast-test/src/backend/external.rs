//! The `external` backend: a PostgreSQL server someone else runs, given by URL.

use std::fmt;

use sqlx::postgres::PgConnectOptions;

use super::error::BackendError;
use super::url;

/// A server reached through a `postgres://` URL whose user may create databases.
///
/// The URL's database is the maintenance database that `CREATE DATABASE` and `DROP DATABASE`
/// run from; the databases the engine creates all carry the `seedfast_` prefix.
pub struct ExternalServer {
    url: String,
    secrets: Vec<String>,
    /// Set once this process holds its liveness lock and has swept.
    registered: tokio::sync::OnceCell<()>,
}

impl ExternalServer {
    /// Validates `url`. Does not connect.
    pub fn new(url: &str) -> Result<ExternalServer, BackendError> {
        let url = url.trim();
        let invalid = |reason: String| BackendError::InvalidUrl {
            url: url::redact(url),
            reason,
        };
        super::require_postgres_url(url)?;
        let secrets = url::secrets(url);
        url.parse::<PgConnectOptions>()
            .map_err(|err| invalid(url::scrub(&err.to_string(), &secrets)))?;
        Ok(ExternalServer {
            url: url.to_owned(),
            secrets,
            registered: tokio::sync::OnceCell::new(),
        })
    }

    /// The URL as given, credentials included: for connecting, never for printing.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL with any password replaced by `***`.
    pub fn display_url(&self) -> String {
        url::redact(&self.url)
    }

    /// URL of `database` on this server, with the given URL's credentials and parameters.
    pub fn url_for(&self, database: &str) -> String {
        url::with_database(&self.url, database)
    }

    pub(crate) fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// Before this process creates its first database here: take the lock
    /// that says it is alive, then drop what dead processes left.
    pub(crate) async fn register(&self) -> Result<(), BackendError> {
        self.registered
            .get_or_try_init(|| async {
                hold_liveness_lock(self.url.clone(), self.secrets.clone()).await?;
                sweep_dead(&self.url, &self.secrets).await
            })
            .await
            .map(drop)
    }
}

// A process killed with SIGKILL cannot drop its `seedfast_<label>_<pid>_<n>`
// databases. Several processes (on several machines, where pids mean
// nothing to each other) may share the server, so liveness is asked of the
// server itself: each process holds a shared advisory lock keyed by its pid
// for as long as it lives, on a session the kernel closes when the process
// dies. A database whose pid's lock can be taken exclusively has no live
// owner anywhere.

/// The advisory-lock namespace (first key) of seedfast's locks.
const LOCK_SPACE: i32 = 0x5eed_fa57;
/// Second key of the lock that lets one process sweep at a time (no pid is 0).
const SWEEP_KEY: i32 = 0;

/// Holds `(LOCK_SPACE, pid)` shared on a connection of its own thread and
/// runtime, so it lasts as long as the process and not just one test's runtime.
async fn hold_liveness_lock(url: String, secrets: Vec<String>) -> Result<(), BackendError> {
    let (locked, is_locked) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("seedfast-liveness-lock".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(err) => return drop(locked.send(Err(BackendError::io("build a runtime for the liveness lock", err)))),
            };
            runtime.block_on(async move {
                // Not named like the other sessions: a sweep that finds it
                // before the lock is taken must not end it as a dead one's.
                let name = format!("{} (liveness)", super::session_name(std::process::id()));
                let mut conn = match super::connect_named(&url, &secrets, &name).await {
                    Ok(conn) => conn,
                    Err(err) => return drop(locked.send(Err(err))),
                };
                let taken = sqlx::query("SELECT pg_advisory_lock_shared($1, $2)")
                    .bind(LOCK_SPACE)
                    .bind(std::process::id() as i32)
                    .execute(&mut conn)
                    .await
                    .map(drop)
                    .map_err(|err| super::query_error(err, "take the liveness lock".into(), &url, &secrets));
                let ok = taken.is_ok();
                let _ = locked.send(taken);
                if ok {
                    // The session, and so the lock, ends with the process.
                    std::future::pending::<()>().await;
                }
            })
        })
        .map_err(|err| BackendError::io("start the liveness-lock thread", err))?;
    is_locked.await.unwrap_or_else(|_| Err(BackendError::io("take the liveness lock", std::io::Error::other("the lock thread ended"))))
}

/// Drops the `seedfast_` databases of processes that hold no liveness lock,
/// sparing kept ones (`SEEDFAST_KEEP`). One process sweeps at a time; the
/// others skip, since the one sweeping drops everything stale.
async fn sweep_dead(url: &str, secrets: &[String]) -> Result<(), BackendError> {
    let failed = |action: &str| {
        let action = action.to_owned();
        move |err| super::query_error(err, action, url, secrets)
    };
    let mut conn = super::connect_admin(url, secrets).await?;
    let sweeping: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
        .bind(LOCK_SPACE)
        .bind(SWEEP_KEY)
        .fetch_one(&mut conn)
        .await
        .map_err(failed("take the sweep lock"))?;
    if !sweeping {
        return Ok(());
    }
    let names: Vec<String> = sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'seedfast\\_%'")
        .fetch_all(&mut conn)
        .await
        .map_err(failed("list seedfast databases"))?;
    let sessions: Vec<String> = sqlx::query_scalar("SELECT DISTINCT application_name::text FROM pg_stat_activity WHERE application_name LIKE 'seedfast %'")
        .fetch_all(&mut conn)
        .await
        .map_err(failed("list seedfast sessions"))?;
    let owners: std::collections::BTreeSet<i32> = names
        .iter()
        .filter_map(|name| owner_pid(name))
        .chain(sessions.iter().filter_map(|s| s.strip_prefix("seedfast ")?.parse().ok()))
        .filter(|&pid| pid != std::process::id() as i32)
        .collect();
    for pid in owners {
        let dead: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
            .bind(LOCK_SPACE)
            .bind(pid)
            .fetch_one(&mut conn)
            .await
            .map_err(failed("test a liveness lock"))?;
        if !dead {
            continue;
        }
        // A statement sent just before the owner was killed runs on: a
        // `CREATE DATABASE` would commit after this sweep. End its sessions
        // first (a create cut short leaves nothing), then list its databases.
        end_sessions(&mut conn, pid as u32).await.map_err(failed("end a dead process's sessions"))?;
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT datname::text FROM pg_database
              WHERE datname LIKE 'seedfast\\_%' AND datname LIKE $2
                AND coalesce(shobj_description(oid, 'pg_database'), '') <> $1",
        )
        .bind(KEPT_COMMENT)
        .bind(format!("%\\_{pid}\\_%"))
        .fetch_all(&mut conn)
        .await
        .map_err(failed("list seedfast databases"))?;
        for name in names.into_iter().filter(|name| owner_pid(name) == Some(pid)) {
            // Best effort: a database another sweeper or its owner dropped meanwhile is fine.
            if let Err(err) = super::drop_database(url, secrets, &name).await {
                eprintln!("seedfast: warning: could not drop stale database `{name}`: {err}");
            }
        }
        // Held while dropping, so a new process reusing the pid waits for its lock.
        let _ = sqlx::query("SELECT pg_advisory_unlock($1, $2)").bind(LOCK_SPACE).bind(pid).execute(&mut conn).await;
    }
    let _ = sqlx::query("SELECT pg_advisory_unlock($1, $2)").bind(LOCK_SPACE).bind(SWEEP_KEY).execute(&mut conn).await;
    Ok(())
}

/// How long a sweep waits for a dead process's sessions to end.
const SESSIONS_END_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Terminates the sessions of dead process `pid` and waits until they are
/// gone (or [`SESSIONS_END_WITHIN`] has passed).
async fn end_sessions(conn: &mut sqlx::PgConnection, pid: u32) -> Result<(), sqlx::Error> {
    let name = super::session_name(pid);
    let started = std::time::Instant::now();
    loop {
        let left: i64 = sqlx::query_scalar(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()",
        )
        .bind(&name)
        .fetch_one(&mut *conn)
        .await?;
        if left == 0 || started.elapsed() > SESSIONS_END_WITHIN {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The comment a kept database carries, so sweeps spare it.
pub(crate) const KEPT_COMMENT: &str = "kept by seedfast (SEEDFAST_KEEP)";

/// The `<pid>` of `seedfast_<label>_<pid>_<n>`.
fn owner_pid(name: &str) -> Option<i32> {
    let mut parts = name.rsplitn(3, '_');
    parts.next()?.parse::<u64>().ok()?;
    parts.next()?.parse().ok()
}

impl fmt::Debug for ExternalServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExternalServer")
            .field("url", &self.display_url())
            .finish()
    }
}
