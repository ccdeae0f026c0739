//! What a `#[seeded_test]` gets: for each declared service, a fresh
//! database cloned from a seeded template, and a typed handle on it.

mod handle;
pub(crate) mod run;

pub use handle::{Ids, ServiceDb};
pub use run::{TestResult, TestSpec, run};
