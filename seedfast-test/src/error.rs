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

    /// Reading the schema or writing rows failed on the server.
    #[error("{context}: {source}")]
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
    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
        let context = context.into();
        move |source| Error::Database { context, source }
    }
}
