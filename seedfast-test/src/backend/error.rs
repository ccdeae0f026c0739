use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Everything that can go wrong while providing a PostgreSQL server or a database on it.
///
/// Every URL held here has been passed through [`redact`](super::redact), and every message
/// that came from the server or the driver has had the known passwords scrubbed out, so the
/// error can be printed as is.
///
/// The type is `Clone` (I/O errors are held in an `Arc`) so that a failed start of the
/// per-process shared server can be reported to every caller, not only the first.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// No usable `initdb` and `postgres` binaries were found.
    #[error(
        "postgresql server binaries (initdb and postgres) not found; searched:\n{}\
         install the postgresql server (e.g. `apt-get install postgresql-15`) or set \
         SEEDFAST_PG_BINDIR to the directory that contains initdb and postgres",
        bullets(searched)
    )]
    BinariesNotFound {
        /// Each place that was looked at, with what was (not) found there.
        searched: Vec<String>,
    },

    /// Running as root, and there is no unprivileged account to run the server as.
    #[error(
        "running as root, but initdb and postgres refuse to run as root and there is no `{account}` \
         system account to run them as; create it (e.g. `useradd --system --user-group {account}`) \
         or run the tests as a non-root user"
    )]
    NoServerAccount {
        /// The account that was looked up.
        account: String,
    },

    /// A file-system or process operation failed.
    #[error("could not {action}: {source}")]
    Io {
        /// What was being done, phrased to follow "could not".
        action: String,
        #[source]
        source: Arc<io::Error>,
    },

    /// `initdb` exited unsuccessfully.
    #[error(
        "initdb failed for {data_dir} ({status}); its output:\n{output}\n\
         check that the postgresql installation in {bindir} works and that the cluster's \
         directory is writable (set SEEDFAST_CLUSTER_DIR to use another one)"
    )]
    Initdb {
        bindir: PathBuf,
        data_dir: PathBuf,
        status: String,
        output: String,
    },

    /// The postmaster exited before it accepted connections.
    #[error(
        "postgres exited during start-up ({status}) for data dir {data_dir}; \
         the end of its log:\n{log_tail}"
    )]
    ServerExited {
        data_dir: PathBuf,
        status: String,
        log_tail: String,
    },

    /// The postmaster did not become ready in time.
    #[error(
        "postgres did not accept connections on 127.0.0.1:{port} within {}s (data dir {data_dir}); \
         the end of its log:\n{log_tail}",
        timeout.as_secs()
    )]
    StartTimeout {
        data_dir: PathBuf,
        port: u16,
        timeout: Duration,
        log_tail: String,
    },

    /// The server URL is malformed or not a PostgreSQL URL.
    #[error(
        "invalid postgres url `{url}`: {reason}; expected the form \
         postgres://user:password@host:port/database"
    )]
    InvalidUrl {
        /// The URL, redacted.
        url: String,
        reason: String,
    },

    /// No connection could be established (refused, timed out, DNS, TLS ...).
    #[error(
        "the postgres server at {url} is unreachable: {message}; check that the server is \
         running and accepts TCP connections, and that the host and port in the url are right"
    )]
    Unreachable {
        /// The URL, redacted.
        url: String,
        message: String,
    },

    /// The server answered but refused the connection (authentication, unknown database ...).
    #[error(
        "the postgres server at {url} rejected the connection: {message}; check the user, \
         password and database in the url"
    )]
    ConnectionRejected {
        /// The URL, redacted.
        url: String,
        message: String,
        /// The SQLSTATE, when the server sent one.
        code: Option<String>,
    },

    /// A statement failed.
    #[error("could not {action} on {url}: {message}{}", hint(code.as_deref(), message))]
    Query {
        /// What was being done, phrased to follow "could not".
        action: String,
        /// The URL, redacted.
        url: String,
        message: String,
        /// The SQLSTATE, when the server sent one.
        code: Option<String>,
    },

    /// No Docker engine answered (the `docker` backend).
    #[error(
        "no docker engine answers at {host}: {message}; start the docker engine (or point \
         DOCKER_HOST at one that runs), or set SEEDFAST_BACKEND=local to use locally installed \
         postgres binaries instead"
    )]
    DockerUnreachable {
        /// The engine's address and where it came from, e.g. `tcp://10.0.0.5:2375 (DOCKER_HOST)`.
        host: String,
        message: String,
    },

    /// The image is neither present locally nor pullable.
    #[error(
        "docker image `{image}` is not present locally and could not be pulled: {message}; run \
         `docker pull {image}` where a registry is reachable, or set SEEDFAST_POSTGRES_IMAGE to \
         a postgres image that is present (see `docker images`)"
    )]
    ImageMissing { image: String, message: String },

    /// The container did not report ready in time.
    #[error(
        "the postgres container from `{image}` was not ready within {}s; the end of its log:\n\
         {log_tail}\nset SEEDFAST_STARTUP_TIMEOUT (in seconds) higher if the machine is just \
         slow, or check that the image starts postgres like the official postgres image does",
        timeout.as_secs()
    )]
    ContainerStartTimeout {
        image: String,
        timeout: Duration,
        log_tail: String,
    },

    /// The container stopped before it was ready.
    #[error(
        "the postgres container from `{image}` exited during start-up; the end of its log:\n\
         {log_tail}\ncheck that the image follows the official postgres image's contract \
         (POSTGRES_USER, POSTGRES_PASSWORD, extra `-c name=value` arguments passed to postgres)"
    )]
    ContainerExited { image: String, log_tail: String },

    /// Any other failure of a Docker engine request.
    #[error("could not {action} through the docker engine at {host}: {message}")]
    Docker {
        /// What was being done, phrased to follow "could not".
        action: String,
        /// The engine's address and where it came from.
        host: String,
        message: String,
    },

    /// A setting taken from the environment has an unusable value.
    #[error("invalid {name}=`{value}`: expected {expected}")]
    InvalidSetting {
        /// The environment variable.
        name: String,
        value: String,
        expected: String,
    },
}

impl BackendError {
    pub(crate) fn io(action: impl Into<String>, source: io::Error) -> Self {
        BackendError::Io {
            action: action.into(),
            source: Arc::new(source),
        }
    }

    /// The SQLSTATE the server sent with this error, if any.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            BackendError::ConnectionRejected { code, .. } | BackendError::Query { code, .. } => {
                code.as_deref()
            }
            _ => None,
        }
    }
}

fn bullets(items: &[String]) -> String {
    let mut out = String::new();
    for item in items {
        let _ = writeln!(out, "  - {item}");
    }
    out
}

fn hint(code: Option<&str>, message: &str) -> &'static str {
    match code {
        Some("42501") => "; the url's user needs the CREATEDB privilege (or to be a superuser)",
        Some("55006") if message.contains("being accessed by other users") => {
            "; a template database must have no open connections while it is copied: close \
             every pool on it first"
        }
        Some("3D000") => "; check the database name",
        _ => "",
    }
}
