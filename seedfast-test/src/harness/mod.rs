//! What a `#[seeded_test]` gets: for each declared service, a fresh
//! database cloned from a seeded template, and a typed handle on it.
//!
//! The flow, per test process: [`select`] picks the backend once; each
//! declared service gets its server once ([`templates`]), its migrations
//! applied once into a template database, and each (migrations, scope,
//! seed) seeded once into a template; every test then takes its own
//! clones of those templates ([`run`]), which a warm [`pool`] has made ahead
//! of it, and leaves their `DROP` to the [`background`].

mod background;
mod handle;
mod pool;
mod project;
pub(crate) mod run;
mod select;
pub mod share;
mod system;
mod templates;

pub use handle::{Ids, ServiceDb};
pub use run::{KEEP_ENV, TestResult, TestSpec, run};
pub use select::{BACKEND_ENV, EXTERNAL_URL_ENV};
pub use system::{ServiceReport, SystemReport, seed_system, service_schema};
pub use templates::{backend_name, local_cluster_dir, started_services};
