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
}

impl Error {
    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
        let context = context.into();
        move |source| Error::Database { context, source }
    }
}
