//! The one error type of the runtime. Each variant carries what a user needs
//! to fix the problem: the table, the column, the constraint, the scope
//! position, the server (with its password redacted).

use seedfast_scope::ScopeError;

use crate::backend::BackendError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scope does not parse, or its words do not match the schema.
    #[error("bad scope: {0}")]
    Scope(#[from] ScopeError),

    /// Where Postgres comes from: binaries, ephemeral clusters, servers.
    #[error(transparent)]
    Backend(#[from] BackendError),

    /// A constraint the generator cannot meet with the requested rows.
    /// Raised before anything is written.
    #[error(
        "cannot satisfy {constraint} on {table}.{column}: {reason}\n  = help: {help}"
    )]
    Unsatisfiable {
        table: String,
        column: String,
        constraint: String,
        reason: String,
        help: String,
    },

    /// The scope asks for something the schema cannot express.
    #[error("{message}\n  = help: {help}")]
    Plan { message: String, help: String },

    /// The scope asks for something that needs another service's data.
    #[error("{clause:?} needs data from another service: {why}\n  = help: {help}")]
    CrossService { clause: String, why: String, help: String },

    /// Reading the schema or writing rows failed on the server, or the
    /// connection to it was lost ([`Error::is_connection_lost`]).
    #[error("{context}: {}", describe(.source))]
    Database {
        context: String,
        #[source]
        source: sqlx::Error,
    },

    /// Command-line usage and configuration mistakes.
    #[error("{0}")]
    Usage(String),

    /// The project file (`seedfast.toml`) is missing or wrong.
    #[error("project file {path}: {message}")]
    Project { path: String, message: String },

    /// A service's migrations did not apply.
    #[error("migrations of service `{service}` failed at {file}: {message}\n  = help: fix the migration; it ran against a fresh database")]
    Migration { service: String, file: String, message: String },

    /// Seeding one service of a test failed; `source` says why.
    #[error("seeding service `{service}`: {source}")]
    Service {
        service: String,
        #[source]
        source: Box<Error>,
    },

    /// A contract between services does not match the migrated schemas, or
    /// the seeded data breaks it.
    #[error("contract {contract}: {message}")]
    Contract { contract: String, message: String },

    /// A test asked for the keys of a table with the wrong Rust type.
    #[error("{table}.{column} is {actual}, not {requested}\n  = help: use {hint}")]
    KeyType { table: String, column: String, actual: String, requested: &'static str, hint: &'static str },

    /// A test asked for the keys of a table the seed did not write.
    #[error("service `{service}` seeded no table `{table}`; seeded tables: {seeded}")]
    NotSeeded { service: String, table: String, seeded: String },
}

impl Error {
    /// The server went away (stopped, crashed, network gone) rather than
    /// rejecting a statement: nothing was committed, and running again once
    /// the server is back may succeed.
    pub fn is_connection_lost(&self) -> bool {
        match self {
            Error::Database { source, .. } => connection_lost(source),
            Error::Service { source, .. } => source.is_connection_lost(),
            _ => false,
        }
    }

    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
        let context = context.into();
        move |source| Error::Database { context, source }
    }
}

/// Whether a driver error means the connection is gone: I/O failures, and
/// the server's own connection-exception (08) and shutdown (57P01-57P03)
/// codes.
pub(crate) fn connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || matches!(&*c, "57P01" | "57P02" | "57P03")),
        _ => false,
    }
}

/// A server error as a user reads it. sqlx's own text ends in `at line
/// 3211`, the line of the server's C source that raised it; what helps is
/// the row of our COPY that failed, the detail and the hint.
fn describe(e: &sqlx::Error) -> String {
    if connection_lost(e) {
        let why = e.as_database_error().map_or_else(|| e.to_string(), |db| db.message().to_string());
        return format!(
            "the connection to the server was lost ({why}); nothing was committed\n  = help: check that the server is running and reachable, then run the seed again"
        );
    }
    let Some(pg) = e.as_database_error().and_then(|db| db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()) else {
        return e.to_string();
    };
    let mut out = pg.message().to_string();
    if let Some(at) = pg.r#where().and_then(copy_row) {
        out.push_str(&format!(" ({at})"));
    }
    if let Some(detail) = pg.detail() {
        out.push_str(&format!("\n  detail: {detail}"));
    }
    if let Some(hint) = pg.hint() {
        out.push_str(&format!("\n  = help: {hint}"));
    }
    out
}

/// `COPY users, line 5, column email: "..."` as `row 5, column email`: we
/// send one line per row, so COPY's line is the row's number in the table's batch.
fn copy_row(context: &str) -> Option<String> {
    let rest = context.lines().find_map(|l| l.strip_prefix("COPY "))?;
    let (_, rest) = rest.split_once(", line ")?;
    let (row, rest) = rest.split_once(',').unwrap_or((rest.split(':').next()?, ""));
    let row: u64 = row.trim().parse().ok()?;
    let column = rest.trim().strip_prefix("column ").and_then(|c| c.split(':').next()).map(str::trim);
    Some(match column {
        Some(c) => format!("row {row}, column {c}"),
        None => format!("row {row}"),
    })
}
