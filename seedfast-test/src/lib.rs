//! Deterministic, schema-aware seeding of PostgreSQL databases from
//! plain-language scopes, for teams whose services each own a database.
//!
//! ```no_run
//! # async fn demo() -> Result<(), seedfast_test::Error> {
//! use seedfast_test::{SeedOptions, seed_url};
//!
//! let report = seed_url("postgres://localhost/users_db", "10 users with addresses", SeedOptions::default()).await?;
//! println!("{}", report.plain());
//! # Ok(()) }
//! ```
//!
//! The runtime reads as the data flows: [`backend`] (where Postgres comes
//! from) → [`schema`] (what the database looks like) → scope (what the user
//! asked for, in `seedfast-scope`) → [`plan`] (which rows, in which order) →
//! [`generate`] (values) → [`oracle`] (the server judges the CHECKs) → [`write`] (COPY, one transaction) → [`report`].

pub mod backend;
mod error;
pub mod generate;
pub mod oracle;
pub mod plan;
pub mod report;
pub mod schema;
mod seed;
pub mod system;
pub mod upstream;
pub mod verify;
pub mod write;

pub use error::{Error, Result};
pub use plan::SeedOptions;
pub use report::SeedReport;
pub use seed::{connect, plan as plan_scope, seed, seed_url, seed_url_with_progress, seed_with, seed_with_progress};
pub use seedfast_scope as scope;
/// The sqlx the handles' pools come from: use it (or the same version) so
/// the types agree; its `rust_decimal`/`bigdecimal` features are ours too.
pub use sqlx;
pub mod harness;

pub use harness::{Ids, ServiceDb};
pub use seedfast_test_macros::seeded_test;

/// What the `#[seeded_test]` expansion calls. Not a public API: it changes
/// with the macro, which is pinned to this exact crate version.
#[doc(hidden)]
pub mod __private {
    pub use crate::harness::{TestResult, TestSpec, run};
    pub use crate::harness::run::Dbs;
}
