//! The one call `#[seeded_test]` expands to.

use std::future::Future;

use super::handle::ServiceDb;

/// Everything the attribute knew at compile time.
#[derive(Debug, Clone, Copy)]
pub struct TestSpec {
    /// `module::path::test_name`, for database names and messages.
    pub test: &'static str,
    /// Absolute path of the project file (`seedfast.toml`).
    pub project: &'static str,
    /// `(service, scope)` in the attribute's order.
    pub services: &'static [(&'static str, &'static str)],
    /// `seed = N` in the attribute, if given.
    pub seed: Option<u64>,
}

/// What a test function may return: `()` or `Result<(), E: Debug>`.
pub trait TestResult {
    fn into_result(self) -> Result<(), String>;
}

impl TestResult for () {
    fn into_result(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: std::fmt::Debug> TestResult for Result<(), E> {
    fn into_result(self) -> Result<(), String> {
        self.map_err(|e| format!("{e:?}"))
    }
}

/// The handles of one test, taken by parameter name.
pub struct Dbs {
    pub(crate) dbs: Vec<ServiceDb>,
}

impl Dbs {
    /// Takes the handle of `service`; the macro only asks for declared ones.
    pub fn take(&mut self, service: &str) -> ServiceDb {
        let i = self.dbs.iter().position(|d| d.service() == service).unwrap_or_else(|| panic!("seedfast: no database for service `{service}`"));
        self.dbs.swap_remove(i)
    }
}

/// Runs one test: databases ready, test body, cleanup; panics (the test
/// failing) with the test path in the message.
pub fn run<F, Fut, R>(spec: TestSpec, test: F)
where
    F: FnOnce(Dbs) -> Fut,
    Fut: Future<Output = R>,
    R: TestResult,
{
    let _ = (spec, test);
    todo!("harness")
}
