//! The handle a test gets for one service's database.

use std::sync::Arc;

use sqlx::PgPool;

use crate::report::SeedReport;

/// One service's database for one test: its own, cloned from the seeded
/// template, dropped after the test (kept with `SEEDFAST_KEEP=1` on failure).
pub struct ServiceDb {
    pub(crate) service: String,
    pub(crate) database: String,
    pub(crate) url: String,
    pub(crate) pool: PgPool,
    pub(crate) report: Arc<SeedReport>,
}

impl ServiceDb {
    /// The service name from the project file.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// A connection pool on this test's database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The connection URL, for other drivers (tokio-postgres, diesel).
    /// It may carry a password: pass it on, do not print it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database name on the server.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// What the seed wrote: rows per table, generated keys, orphans.
    pub fn report(&self) -> &SeedReport {
        &self.report
    }
}

/// The generated keys of one table.
pub struct Ids;
