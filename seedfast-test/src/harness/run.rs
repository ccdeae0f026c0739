//! The one call `#[seeded_test]` expands to: take the declared services'
//! databases, run the test on a runtime of its own, clean up in the
//! background (or keep, on failure with `SEEDFAST_KEEP=1`), and fail with
//! the test's path.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::OnceCell;

use super::background;
use super::handle::ServiceDb;
use super::project::LoadedProject;
use super::templates::{self, SeededTemplate};
use crate::backend::{Server, TempDatabase};
use crate::error::{Error, Result};
use crate::plan::SeedOptions;

pub const KEEP_ENV: &str = "SEEDFAST_KEEP";

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
#[diagnostic::on_unimplemented(message = "`#[seeded_test]` functions return `()` or `Result<(), E: Debug>`, not `{Self}`")]
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
    dbs: Vec<ServiceDb>,
}

impl Dbs {
    /// Takes the handle of `service`; the macro only asks for declared ones.
    pub fn take(&mut self, service: &str) -> ServiceDb {
        let i = self.dbs.iter().position(|d| d.service() == service).unwrap_or_else(|| panic!("seedfast: no database for service `{service}`"));
        self.dbs.swap_remove(i)
    }
}

/// Runs one test: databases ready, test body, cleanup; panics (the test
/// failing) with the test path first in the message, at the test's own
/// location (`#[track_caller]`: the call is the test's expansion).
#[track_caller]
pub fn run<F, Fut, R>(spec: TestSpec, test: F)
where
    F: FnOnce(Dbs) -> Fut,
    Fut: Future<Output = R>,
    R: TestResult,
{
    // Each test gets a runtime of its own, like #[tokio::test]; the shared
    // servers and templates live on the harness's runtime.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("seedfast: cannot start a tokio runtime");
    let (dbs, databases) = match runtime.block_on(prepare(&spec)) {
        Ok(prepared) => prepared,
        Err(e) => panic!("{}: seedfast could not prepare its databases: {e}", spec.test),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| runtime.block_on(test(Dbs { dbs })).into_result()));
    let passed = matches!(outcome, Ok(Ok(())));
    if !passed && keep_requested() {
        keep(&spec, databases);
    } else {
        // The next test need not wait for the DROP; the exit waits for it
        // where the database would otherwise outlive the run.
        for (_, db) in databases {
            background::drop_later(db, spec.test.to_string());
        }
    }
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => panic!("{} returned an error: {error}", spec.test),
        Err(panic) => resume_unwind(panic),
    }
}

fn keep_requested() -> bool {
    std::env::var(KEEP_ENV).is_ok_and(|v| !v.is_empty() && v != "0")
}

async fn prepare(spec: &TestSpec) -> Result<(Vec<ServiceDb>, Vec<(String, TempDatabase)>)> {
    let scale = SeedOptions::scale_from_env().map_err(Error::Usage)?;
    let templates = prepared(spec, scale).await?;
    let mut handles = Vec::with_capacity(templates.len());
    let mut databases = Vec::with_capacity(templates.len());
    for ((service, _), template) in spec.services.iter().zip(templates.iter().cloned()) {
        let (handle, db) = clone_for_test(service, template).await?;
        handles.push(handle);
        databases.push((service.to_string(), db));
    }
    Ok((handles, databases))
}

/// The seeded templates of the services `spec` declares (in its order),
/// prepared by the first test that needs them; later tests with the same
/// (project, services, scopes, seed, scale) find them here without reading
/// the project file or hashing the migrations again.
async fn prepared(spec: &TestSpec, scale: f64) -> Result<Arc<[SeededTemplate]>> {
    type Key = (&'static str, &'static [(&'static str, &'static str)], Option<u64>, u64);
    type Templates = Arc<OnceCell<Arc<[SeededTemplate]>>>;
    static PREPARED: Mutex<Vec<(Key, Templates)>> = Mutex::new(Vec::new());
    let key: Key = (spec.project, spec.services, spec.seed, scale.to_bits());
    let cell = {
        let mut prepared = PREPARED.lock().unwrap_or_else(PoisonError::into_inner);
        match prepared.iter().find(|(k, _)| *k == key) {
            Some((_, cell)) => cell.clone(),
            None => {
                let cell = Arc::new(OnceCell::new());
                prepared.push((key, cell.clone()));
                cell
            }
        }
    };
    // A failure is not kept: the next test tries again, and reports its own error.
    cell.get_or_try_init(|| async {
        let project = LoadedProject::load(Path::new(spec.project))?;
        let mut services = Vec::with_capacity(spec.services.len());
        for (name, scope) in spec.services {
            project.service(name)?;
            services.push((name.to_string(), scope.to_string()));
        }
        let options = SeedOptions { seed: spec.seed.unwrap_or(SeedOptions::DEFAULT_SEED), scale, ..SeedOptions::default() };
        Ok(templates::seeded_templates(Arc::new(project), services, options).await?.into())
    })
    .await
    .cloned()
}

/// This test's own copy of the seeded template and a pool on it, taken
/// from the template's warm pool.
async fn clone_for_test(service: &str, template: SeededTemplate) -> Result<(ServiceDb, TempDatabase)> {
    let (db, pool) = template.pool.take().await?;
    let handle = ServiceDb {
        service: service.to_string(),
        database: db.name().to_string(),
        url: db.url().to_string(),
        pool,
        report: template.report,
        checks: template.checks,
        unverified: template.unverified,
    };
    Ok((handle, db))
}

/// Keeps a failing test's databases and says how to connect, without a
/// password: local clusters trust local connections, containers are
/// entered with `docker exec`.
fn keep(spec: &TestSpec, databases: Vec<(String, TempDatabase)>) {
    eprintln!("seedfast: {} failed; {KEEP_ENV} is set, so its databases are kept:", spec.test);
    for (service, db) in databases {
        let server = db.server().clone();
        let display_url = db.display_url();
        let name = db.keep();
        let how = match &server {
            Server::Local(local) => local.keep(&name),
            Server::Docker(docker) => {
                crate::backend::keep_containers();
                format!("docker exec -it {} psql -U postgres -d {name}   # then: docker rm -f {}", docker.id(), docker.id())
            }
            Server::External(_) => match super::share::container_id() {
                // The shared container's password is its own: enter it as its superuser instead.
                Some(id) => format!("docker exec -it {id} psql -U postgres -d {name}   # then: drop the database when done"),
                None => format!("psql '{display_url}'   # password hidden; drop the database when done"),
            },
        };
        eprintln!("  {service}: {how}");
    }
}
