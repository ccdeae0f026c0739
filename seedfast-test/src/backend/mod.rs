//! PostgreSQL servers to create throwaway test databases on.
//!
//! Three backends: [`LocalServer`], a cluster this process starts (on tmpfs when there is one,
//! see [`cluster_parent`]) and removes
//! again, [`DockerServer`], a container per service that this process starts and removes
//! again, and [`ExternalServer`], a server given by URL. Either way the engine gets a
//! [`Server`], asks it for a [`TempDatabase`], and the database is dropped after use.
//!
//! Passwords never reach output: every URL in an error or a `Debug` string goes through
//! [`redact`], and driver messages have the known passwords scrubbed out.

pub(crate) mod cluster_dir;
mod docker;
mod error;
mod external;
pub(crate) mod local;
mod url;

use std::fmt;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection};

pub use cluster_dir::{CLUSTER_DIR_ENV, MIN_FREE as MIN_TMPFS_FREE, cluster_parent};
pub use docker::{
    DEFAULT_IMAGE, DockerOptions, DockerServer, IMAGE_ENV, STARTUP_TIMEOUT_ENV, SharedContainer,
    acquire_shared, clean_shared, clean_stale_containers, configured_image, docker_available,
    image_available, keep_containers, startup_timeout_from_env,
};
pub use error::BackendError;
pub use external::ExternalServer;
pub use local::{BINDIR_ENV, LocalOptions, LocalServer};
pub use url::redact;

const DATABASE_PREFIX: &str = "seedfast_";
/// PostgreSQL's NAMEDATALEN - 1; longer names are silently truncated, which could collide.
const MAX_NAME_BYTES: usize = 63;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const POOL_SIZE: u32 = 5;
/// `CREATE DATABASE` statements running at once on one server. Copying a
/// template opens every file of it: 64 parallel tests x 2 services cloning
/// at once ran a container out of file descriptors and restarted its server.
const CONCURRENT_CREATES: usize = 4;
const CREATE_ATTEMPTS: usize = 3;

/// A PostgreSQL server the engine may create databases on.
#[derive(Clone)]
pub enum Server {
    Local(Arc<LocalServer>),
    External(Arc<ExternalServer>),
    Docker(Arc<DockerServer>),
}

impl Server {
    /// The per-process shared local server, started on first use and stopped at process exit.
    ///
    /// Safe to call from any number of tokio runtimes at once (e.g. parallel `#[tokio::test]`s):
    /// the server is started once and belongs to no runtime.
    pub async fn local() -> Result<Server, BackendError> {
        LocalServer::shared().await.map(Server::Local)
    }

    /// A server reached through `url` (`postgres://` or `postgresql://`). Validates the URL;
    /// does not connect yet.
    pub fn external(url: &str) -> Result<Server, BackendError> {
        ExternalServer::new(url).map(|server| Server::External(Arc::new(server)))
    }

    /// URL of `database` on this server, with the superuser/admin credentials.
    /// Contains the password, if there is one: use [`redact`] before printing it.
    pub fn url_for(&self, database: &str) -> String {
        match self {
            Server::Local(server) => server.url_for(database),
            Server::External(server) => server.url_for(database),
            Server::Docker(server) => server.url_for(database),
        }
    }

    /// The URL of the maintenance database, with any password replaced by `***`.
    pub fn display_url(&self) -> String {
        redact(&self.admin_url())
    }

    /// The local server, if this is one.
    pub fn as_local(&self) -> Option<&LocalServer> {
        match self {
            Server::Local(server) => Some(server),
            Server::External(_) | Server::Docker(_) => None,
        }
    }

    /// The container, if this is one.
    pub fn as_docker(&self) -> Option<&DockerServer> {
        match self {
            Server::Docker(server) => Some(server),
            Server::Local(_) | Server::External(_) => None,
        }
    }

    /// Creates a fresh database named `seedfast_<label>_<pid>_<counter>`, copied from
    /// `template` if given (which must then have no open connections).
    ///
    /// The label is lower-cased and reduced to `[a-z0-9_]`, and shortened so that the name
    /// fits PostgreSQL's 63 bytes.
    pub async fn create_database(
        &self,
        label: &str,
        template: Option<&str>,
    ) -> Result<TempDatabase, BackendError> {
        if let Server::External(server) = self {
            server.register().await?;
        }
        let admin = self.admin_url();
        let secrets = self.secrets();
        let permits = create_permits(&admin);
        let _permit = permits.acquire().await.expect("the semaphore is never closed");
        let mut conn = connect_admin(&admin, secrets).await?;
        let mut attempt = 0;
        let created = loop {
            attempt += 1;
            let name = database_name(label);
            let mut sql = format!("CREATE DATABASE {}", quote_ident(&name));
            if let Some(template) = template {
                sql.push_str(" TEMPLATE ");
                sql.push_str(&quote_ident(template));
                if copies_files(&conn) {
                    sql.push_str(" STRATEGY FILE_COPY");
                }
            }
            match sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await {
                Ok(_) => break Ok(name),
                // Only possible when other machines with our pid share an external server.
                Err(err)
                    if sqlstate(&err).as_deref() == Some("42P04") && attempt < CREATE_ATTEMPTS => {}
                Err(err) => {
                    let action = match template {
                        Some(template) => {
                            format!("create database `{name}` from template `{template}`")
                        }
                        None => format!("create database `{name}`"),
                    };
                    break Err(query_error(err, action, &admin, secrets));
                }
            }
        };
        let _ = conn.close().await;
        let name = created?;
        Ok(TempDatabase {
            url: self.url_for(&name),
            name,
            server: self.clone(),
            armed: true,
        })
    }

    /// A semaphore of `size` permits for this server under `registry`, the
    /// same one for every caller of the process: how the harness bounds its
    /// background work per server (drops, clones made ahead).
    pub(crate) fn permits(&self, registry: &'static Permits, size: usize) -> Arc<tokio::sync::Semaphore> {
        server_permits(registry, &self.admin_url(), size)
    }

    fn admin_url(&self) -> String {
        match self {
            Server::Local(server) => server.url_for("postgres"),
            Server::External(server) => server.url().to_owned(),
            Server::Docker(server) => server.url_for("postgres"),
        }
    }

    fn secrets(&self) -> &[String] {
        match self {
            Server::Local(_) => &[],
            Server::External(server) => server.secrets(),
            Server::Docker(server) => server.secrets(),
        }
    }
}

impl From<LocalServer> for Server {
    fn from(server: LocalServer) -> Server {
        Server::Local(Arc::new(server))
    }
}

impl From<ExternalServer> for Server {
    fn from(server: ExternalServer) -> Server {
        Server::External(Arc::new(server))
    }
}

impl From<DockerServer> for Server {
    fn from(server: DockerServer) -> Server {
        Server::Docker(Arc::new(server))
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Server::Local(server) => server.fmt(f),
            Server::External(server) => server.fmt(f),
            Server::Docker(server) => server.fmt(f),
        }
    }
}

/// A database created by the engine.
///
/// Dropped (`DROP DATABASE ... WITH (FORCE)`, which also ends its open sessions) by
/// [`close`](Self::close) or, failing that, when the value is dropped. It keeps its server
/// alive until then.
pub struct TempDatabase {
    name: String,
    url: String,
    server: Server,
    /// Whether Drop still has to drop the database.
    armed: bool,
}

impl TempDatabase {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Full URL including credentials: for connecting, never for printing.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL with any password replaced by `***`.
    pub fn display_url(&self) -> String {
        redact(&self.url)
    }

    /// The server the database lives on.
    pub fn server(&self) -> &Server {
        &self.server
    }

    /// A small pool (at most 5 connections) on this database.
    pub async fn connect(&self) -> Result<PgPool, BackendError> {
        PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect(&self.url)
            .await
            .map_err(|err| connect_error(err, &self.url, self.server.secrets()))
    }

    /// Leaves the database in place and returns its name.
    pub fn keep(mut self) -> String {
        self.armed = false;
        if let Server::External(_) = &self.server {
            // A kept database outlives its process: the next start's sweep must spare it.
            let (admin, secrets, name) = (self.server.admin_url(), self.server.secrets().to_vec(), self.name.clone());
            let marked = on_own_runtime("mark the kept database", move || async move {
                let mut conn = connect_admin(&admin, &secrets).await?;
                let sql = format!("COMMENT ON DATABASE {} IS '{}'", quote_ident(&name), external::KEPT_COMMENT);
                sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut conn).await.map(drop).map_err(|err| query_error(err, format!("mark `{name}` as kept"), &admin, &secrets))
            });
            if let Err(err) = marked {
                eprintln!("seedfast: warning: kept database `{}` may be swept by the next run: {err}", self.name);
            }
        }
        std::mem::take(&mut self.name)
    }

    /// Drops the database now, reporting failure (unlike Drop, which can only warn).
    pub async fn close(mut self) -> Result<(), BackendError> {
        self.armed = false;
        drop_database(&self.server.admin_url(), self.server.secrets(), &self.name).await
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let admin = self.server.admin_url();
        let secrets = self.server.secrets().to_vec();
        let name = self.name.clone();
        let result = on_own_runtime("drop the database", move || async move { drop_database(&admin, &secrets, &name).await });
        if let Err(err) = result {
            eprintln!(
                "seedfast: warning: could not drop temporary database `{}`: {err}",
                self.name
            );
        }
    }
}

/// Whether `CREATE DATABASE` should copy the template's files rather than
/// write every block of it to the WAL (the default since PostgreSQL 15,
/// which has the choice). On the project's machine a clone of a small seeded
/// template took 110 ms with FILE_COPY vs 255 ms with WAL_LOG on ext4, and
/// 13 vs 16 ms on tmpfs; FILE_COPY's two checkpoints cost little on servers
/// of throwaway data. Before 15 there is no choice, and no `STRATEGY` keyword.
fn copies_files(conn: &PgConnection) -> bool {
    conn.server_version_num().is_some_and(|v| v >= 150_000)
}

/// Semaphores by server (admin URL).
pub(crate) type Permits = std::sync::Mutex<Vec<(String, Arc<tokio::sync::Semaphore>)>>;

/// The bound on concurrent creates of the server behind `admin`.
fn create_permits(admin: &str) -> Arc<tokio::sync::Semaphore> {
    static PERMITS: Permits = std::sync::Mutex::new(Vec::new());
    server_permits(&PERMITS, admin, CONCURRENT_CREATES)
}

/// The semaphore of `size` permits that `registry` holds for the server
/// behind `admin`, shared by every test and runtime of the process (a tokio
/// semaphore is runtime-agnostic).
fn server_permits(registry: &Permits, admin: &str, size: usize) -> Arc<tokio::sync::Semaphore> {
    let mut permits = registry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, semaphore)) = permits.iter().find(|(url, _)| url == admin) {
        return semaphore.clone();
    }
    let semaphore = Arc::new(tokio::sync::Semaphore::new(size));
    permits.push((admin.to_owned(), semaphore.clone()));
    semaphore
}

/// Runs async I/O from sync code that may run inside a runtime (where
/// blocking on a future panics) or outside any: a thread of its own with its
/// own runtime works in both cases; joining it means the work is done on return.
fn on_own_runtime<F, Fut>(what: &'static str, f: F) -> Result<(), BackendError>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), BackendError>>,
{
    let worker = thread::Builder::new().name(format!("seedfast-{}", what.replace(' ', "-"))).spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| BackendError::io(format!("build a runtime to {what}"), err))?;
        runtime.block_on(f())
    });
    match worker {
        Ok(worker) => worker.join().unwrap_or_else(|_| Err(BackendError::io(what, io::Error::other("its thread panicked")))),
        Err(err) => Err(BackendError::io(format!("start a thread to {what}"), err)),
    }
}

impl fmt::Debug for TempDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempDatabase")
            .field("name", &self.name)
            .field("url", &self.display_url())
            .finish()
    }
}

/// The `application_name` of this process's admin sessions, `seedfast <pid>`:
/// how a sweep finds the sessions a killed process left running.
fn session_name(pid: u32) -> String {
    format!("seedfast {pid}")
}

async fn connect_admin(url: &str, secrets: &[String]) -> Result<PgConnection, BackendError> {
    connect_named(url, secrets, &session_name(std::process::id())).await
}

/// An admin connection whose session is called `application_name`.
async fn connect_named(url: &str, secrets: &[String], application_name: &str) -> Result<PgConnection, BackendError> {
    let options = url
        .parse::<sqlx::postgres::PgConnectOptions>()
        .map_err(|err| connect_error(err, url, secrets))?
        .application_name(application_name);
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(err)) => Err(connect_error(err, url, secrets)),
        Err(_) => Err(BackendError::Unreachable {
            url: redact(url),
            message: format!("no connection within {}s", CONNECT_TIMEOUT.as_secs()),
        }),
    }
}

async fn drop_database(admin: &str, secrets: &[String], name: &str) -> Result<(), BackendError> {
    let mut conn = connect_admin(admin, secrets).await?;
    let quoted = quote_ident(name);
    let forced = format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)");
    let result = match sqlx::raw_sql(AssertSqlSafe(forced))
        .execute(&mut conn)
        .await
    {
        // WITH (FORCE) needs PostgreSQL 13; before that, end the sessions by hand.
        Err(err) if sqlstate(&err).as_deref() == Some("42601") => {
            let terminated = sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(name)
            .execute(&mut conn)
            .await;
            match terminated {
                Ok(_) => sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {quoted}")))
                    .execute(&mut conn)
                    .await
                    .map(drop),
                Err(err) => Err(err),
            }
        }
        other => other.map(drop),
    };
    let _ = conn.close().await;
    result.map_err(|err| query_error(err, format!("drop database `{name}`"), admin, secrets))
}

fn sqlstate(err: &sqlx::Error) -> Option<String> {
    err.as_database_error()
        .and_then(|db| db.code())
        .map(|code| code.into_owned())
}

/// Refuses a URL of another database (`mysql://...`) before connecting:
/// seedfast speaks to PostgreSQL only, and the driver would otherwise fail
/// with an obscure protocol error or, worse, hang.
pub(crate) fn require_postgres_url(url: &str) -> Result<(), BackendError> {
    let scheme = url.trim().split_once("://").map(|(scheme, _)| scheme);
    match scheme {
        Some(s) if s.eq_ignore_ascii_case("postgres") || s.eq_ignore_ascii_case("postgresql") => Ok(()),
        Some(s) => Err(BackendError::InvalidUrl { url: redact(url.trim()), reason: format!("`{s}://` is not a PostgreSQL URL (seedfast seeds PostgreSQL only); the scheme must be postgres:// or postgresql://") }),
        None => Err(BackendError::InvalidUrl { url: redact(url.trim()), reason: "the scheme must be postgres:// or postgresql://".to_owned() }),
    }
}

/// Classifies a failed connection (unreachable, rejected, bad URL), with
/// the URL redacted and known passwords scrubbed from driver messages.
pub(crate) fn connect_failed(err: sqlx::Error, url: &str) -> BackendError {
    connect_error(err, url, &url::secrets(url))
}

fn connect_error(err: sqlx::Error, url: &str, secrets: &[String]) -> BackendError {
    let url_shown = redact(url);
    match err {
        sqlx::Error::Database(db) => BackendError::ConnectionRejected {
            url: url_shown,
            message: url::scrub(db.message(), secrets),
            code: db.code().map(|code| code.into_owned()),
        },
        sqlx::Error::Configuration(_) => BackendError::InvalidUrl {
            url: url_shown,
            reason: url::scrub(&err.to_string(), secrets),
        },
        other => BackendError::Unreachable {
            url: url_shown,
            message: url::scrub(&other.to_string(), secrets),
        },
    }
}

fn query_error(err: sqlx::Error, action: String, url: &str, secrets: &[String]) -> BackendError {
    let code = sqlstate(&err);
    let message = match err.as_database_error() {
        Some(db) => db.message().to_owned(),
        None => err.to_string(),
    };
    BackendError::Query {
        action,
        url: redact(url),
        message: url::scrub(&message, secrets),
        code,
    }
}

fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

static NEXT_DATABASE: AtomicU64 = AtomicU64::new(0);

fn database_name(label: &str) -> String {
    let suffix = format!(
        "_{}_{}",
        std::process::id(),
        NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
    );
    let budget = MAX_NAME_BYTES - DATABASE_PREFIX.len() - suffix.len();
    let mut label = sanitize_label(label);
    label.truncate(budget);
    let label = label.trim_end_matches('_');
    let label = if label.is_empty() { "db" } else { label };
    format!("{DATABASE_PREFIX}{label}{suffix}")
}

/// Lower-case ASCII letters, digits and single underscores; no leading or trailing underscore.
fn sanitize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_sanitised_and_bounded() {
        assert_eq!(sanitize_label("Orders API / v2!"), "orders_api_v2");
        assert_eq!(sanitize_label("__ü__"), "");
        let name = database_name(&"Long Label ".repeat(20));
        assert!(name.len() <= MAX_NAME_BYTES, "{name}");
        assert!(name.starts_with("seedfast_long_label_"), "{name}");
        assert!(
            name.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{name}"
        );
        assert!(database_name("").starts_with("seedfast_db_"));
        assert_ne!(database_name("x"), database_name("x"));
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident(r#"a"b"#), r#""a""b""#);
    }
}
