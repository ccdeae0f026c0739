//! Work done once per test process, not once per test: one server per
//! service (started in parallel), one migrated template per service and
//! migration set, one seeded template per (migrations, scope, seed), each
//! with its warm pool of clones. A test then pays for taking a clone (at
//! worst for `CREATE DATABASE ... TEMPLATE`), not a start, migrations and a
//! seed.
//!
//! All of it runs on one runtime owned by this module, which lives as long
//! as the process: servers, connections and background tasks created here
//! must not die with the runtime of the first test that needed them.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use once_cell::sync::Lazy;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{Connection, PgConnection};
use tokio::sync::OnceCell;

use super::pool::WarmPool;
use super::project::{LoadedProject, LoadedService, fingerprint, migration_files};
use super::select::{self, Backend};
use super::share;
use crate::backend::{Server, TempDatabase};
use crate::error::{Error, Result};
use crate::plan::SeedOptions;
use crate::report::SeedReport;
use crate::upstream::Upstream;
use crate::verify::{self, ContractCheck};

/// A seeded template: clone it per test.
#[derive(Clone)]
pub struct SeededTemplate {
    pub server: Server,
    pub database: String,
    pub report: Arc<SeedReport>,
    /// Contracts towards services seeded in the same run, verified.
    pub checks: Vec<ContractCheck>,
    /// Contracts towards services not seeded in this run.
    pub unverified: Vec<String>,
    /// Clones of `database` made ahead of the tests that take them.
    pub pool: Arc<WarmPool>,
}

struct ServiceState {
    server: OnceCell<Server>,
    /// Migrated templates by migration fingerprint.
    migrated: Mutex<HashMap<u64, Arc<OnceCell<String>>>>,
    /// Seeded templates by (migrations, scope, seed) fingerprint.
    seeded: Mutex<HashMap<u64, Arc<OnceCell<SeededTemplate>>>>,
}

pub struct Harness {
    runtime: tokio::runtime::Runtime,
    backend: OnceCell<Backend>,
    services: Mutex<HashMap<String, Arc<ServiceState>>>,
    /// Templates live as long as their server; on an external server they
    /// are dropped at process exit with these handles.
    templates: Mutex<Vec<TempDatabase>>,
}

static HARNESS: Lazy<Harness> = Lazy::new(|| Harness {
    runtime: tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .thread_name("seedfast-harness")
        .enable_all()
        .build()
        .expect("seedfast: cannot start the harness runtime"),
    backend: OnceCell::new(),
    services: Mutex::new(HashMap::new()),
    templates: Mutex::new(Vec::new()),
});

/// The harness runtime, for work that must outlive the test that started it.
pub(super) fn runtime() -> tokio::runtime::Handle {
    HARNESS.runtime.handle().clone()
}

/// Services this process has started a server for, sorted: what a test
/// can assert to prove undeclared services were never touched.
pub fn started_services() -> Vec<String> {
    let Some(harness) = Lazy::get(&HARNESS) else { return Vec::new() };
    let services = harness.services.lock().expect("harness lock");
    let mut started: Vec<String> = services.iter().filter(|(_, s)| s.server.initialized()).map(|(n, _)| n.clone()).collect();
    started.sort();
    started
}

/// The seeded templates of the `declared` services (in that order),
/// preparing whatever is missing: all servers start at once, then the
/// services are seeded in the contracts' dependency phases, roots first,
/// each phase in parallel, and every contract between declared services is
/// verified. Runs on the harness runtime; awaitable from any.
pub async fn seeded_templates(project: Arc<LoadedProject>, declared: Vec<(String, String)>, options: SeedOptions) -> Result<Vec<SeededTemplate>> {
    let handle = HARNESS.runtime.handle().clone();
    handle.spawn(seed_in_phases(project, declared, options)).await.map_err(|e| Error::Usage(format!("harness task failed: {e}")))?
}

async fn seed_in_phases(project: Arc<LoadedProject>, declared: Vec<(String, String)>, options: SeedOptions) -> Result<Vec<SeededTemplate>> {
    let names: Vec<&str> = declared.iter().map(|(s, _)| s.as_str()).collect();
    let phases = project.model.phases(&names).map_err(|e| Error::Project { path: project.path.display().to_string(), message: e.message })?;
    // Every service's server, started now (all services share one; see select).
    let starts: Vec<_> = declared
        .iter()
        .map(|(name, _)| {
            let state = service_state(name);
            tokio::spawn(async move { state.server.get_or_try_init(start_server).await.map(|_| ()) })
        })
        .collect();
    for start in starts {
        start.await.map_err(|e| Error::Usage(format!("harness task failed: {e}")))??;
    }
    let mut done: HashMap<String, (u64, SeededTemplate)> = HashMap::new();
    for phase in phases {
        let mut tasks = Vec::new();
        for name in phase {
            let scope = declared.iter().find(|(s, _)| *s == name).map(|(_, scope)| scope.clone()).unwrap_or_default();
            let service = project.service(&name)?.clone();
            let upstream: Vec<(String, u64, SeededTemplate)> = project
                .model
                .contracts_from(&name)
                .filter_map(|c| done.get(&c.to.service).map(|(k, t)| (c.to.service.clone(), *k, t.clone())))
                .collect();
            let project = project.clone();
            tasks.push((name, tokio::spawn(async move { seeded_template(&project, &service, &scope, options, upstream).await })));
        }
        for (name, task) in tasks {
            let seeded = task.await.map_err(|e| Error::Usage(format!("harness task failed: {e}")))??;
            done.insert(name, seeded);
        }
    }
    Ok(declared.iter().map(|(name, _)| done[name].1.clone()).collect())
}

/// The schema of `service` after its migrations, on the harness's server
/// for it (started if need be): what `seedfast plan --project` reads.
pub async fn migrated_schema(service: LoadedService) -> Result<crate::schema::Schema> {
    let handle = HARNESS.runtime.handle().clone();
    handle
        .spawn(async move {
            let state = service_state(&service.name);
            let server = state.server.get_or_try_init(start_server).await?.clone();
            register_exit_hook();
            let key = migrations_key(&service)?;
            let cell = state.migrated.lock().expect("harness lock").entry(key).or_default().clone();
            let migrate = migrate_template(server.clone(), service.name.clone(), service.migrations.clone(), key);
            let migrated = cell.get_or_try_init(|| migrate).await?.clone();
            let mut conn = connect_settled(&server.url_for(&migrated))
                .await
                .map_err(Error::db(format!("connecting to the migrated template of `{}`", service.name)))?;
            let schema = boxed(crate::schema::introspect(&mut conn)).await;
            // No connection may stay open on a template, or cloning it fails.
            let _ = conn.close().await;
            schema
        })
        .await
        .map_err(|e| Error::Usage(format!("harness task failed: {e}")))?
}

/// What the service's migrated template is keyed by: its migration files'
/// names and contents.
fn migrations_key(service: &LoadedService) -> Result<u64> {
    let files = migration_files(&service.name, &service.migrations)?;
    let mut parts: Vec<&[u8]> = Vec::new();
    for (name, bytes) in &files {
        parts.push(name.as_bytes());
        parts.push(bytes);
    }
    Ok(fingerprint(&parts))
}

fn service_state(name: &str) -> Arc<ServiceState> {
    let mut services = HARNESS.services.lock().expect("harness lock");
    services
        .entry(name.to_string())
        .or_insert_with(|| {
            Arc::new(ServiceState { server: OnceCell::new(), migrated: Mutex::new(HashMap::new()), seeded: Mutex::new(HashMap::new()) })
        })
        .clone()
}

async fn seeded_template(
    project: &LoadedProject,
    service: &LoadedService,
    scope: &str,
    options: SeedOptions,
    upstream: Vec<(String, u64, SeededTemplate)>,
) -> Result<(u64, SeededTemplate)> {
    let state = service_state(&service.name);
    let migrations_key = migrations_key(service)?;
    let seed_bytes = options.seed.to_le_bytes();
    let now = options.now.to_rfc3339();
    let scale = options.scale.to_le_bytes();
    // Everything that shapes the rows, the upstream services' data included.
    let mut upstream_keys: Vec<String> = upstream.iter().map(|(s, k, _)| format!("{s}={k:x}")).collect();
    upstream_keys.sort();
    upstream_keys.dedup();
    let upstream_key = upstream_keys.join(",");
    let seeded_key = fingerprint(&[&migrations_key.to_le_bytes(), scope.as_bytes(), &seed_bytes, now.as_bytes(), &scale, upstream_key.as_bytes()]);

    let seeded: Vec<(String, Arc<SeedReport>)> = upstream.iter().map(|(s, _, t)| (s.clone(), t.report.clone())).collect();
    let inputs = crate::system::upstream_inputs(&project.model, &service.name, &seeded);
    let cell = state.seeded.lock().expect("harness lock").entry(seeded_key).or_default().clone();
    // Futures built up front from owned values: the cells' init closures
    // must not borrow across awaits (tokio::spawn needs them 'static).
    let build = build_seeded(state.clone(), service.clone(), scope.to_string(), options, migrations_key, seeded_key, inputs, upstream);
    let template = cell.get_or_try_init(|| build).await?.clone();
    Ok((seeded_key, template))
}

#[allow(clippy::too_many_arguments)]
async fn build_seeded(
    state: Arc<ServiceState>,
    service: LoadedService,
    scope: String,
    options: SeedOptions,
    migrations_key: u64,
    seeded_key: u64,
    inputs: Upstream,
    upstream: Vec<(String, u64, SeededTemplate)>,
) -> Result<SeededTemplate> {
    let server = state.server.get_or_try_init(start_server).await?.clone();
    let migrated_cell = state.migrated.lock().expect("harness lock").entry(migrations_key).or_default().clone();
    let migrate = migrate_template(server.clone(), service.name.clone(), service.migrations.clone(), migrations_key);
    let migrated = migrated_cell.get_or_try_init(|| migrate).await?.clone();
    if let Some(shared) = shared() {
        return boxed(build_seeded_shared(shared, server, service, scope, options, migrated, seeded_key, inputs, upstream)).await;
    }
    let label = format!("seed_{}_{:x}", service.name, seeded_key);
    let db = boxed(server.create_database(&label, Some(&migrated))).await?;
    let mut conn = connect_settled(db.url()).await.map_err(Error::db(format!("connecting to the seeded template of `{}`", service.name)))?;
    let report = match boxed(crate::seed::seed_with(&mut conn, &scope, options, &inputs)).await {
        Ok(report) => report,
        Err(e) => {
            // Dropped here, asynchronously: a TempDatabase's Drop would block
            // a worker of the harness runtime.
            let _ = conn.close().await;
            let _ = db.close().await;
            return Err(Error::Service { service: service.name.clone(), source: Box::new(e) });
        }
    };
    let checks = boxed(verify_contracts(&mut conn, &report, &inputs, &upstream)).await?;
    let unverified = inputs.refs.iter().filter(|r| r.source.is_none()).map(|r| r.contract.to_string()).collect();
    // No connection may stay open on a template, or cloning it fails.
    let _ = conn.close().await;
    let database = db.name().to_string();
    HARNESS.templates.lock().expect("harness lock").push(db);
    register_exit_hook();
    let pool = WarmPool::new(server.clone(), database.clone(), &service.name);
    Ok(SeededTemplate { server, database, report: Arc::new(report), checks, unverified, pool })
}

/// The shared server, when this process's backend is it.
fn shared() -> Option<&'static share::Shared> {
    match HARNESS.backend.get() {
        Some(Backend::Shared(_)) => share::current(),
        _ => None,
    }
}

/// [`build_seeded`] on the shared server: the template named by the hash
/// of its inputs, seeded by whichever process needs it first and found,
/// with its report, by every later one.
#[allow(clippy::too_many_arguments)]
async fn build_seeded_shared(
    shared: &'static share::Shared,
    server: Server,
    service: LoadedService,
    scope: String,
    options: SeedOptions,
    migrated: String,
    seeded_key: u64,
    inputs: Upstream,
    upstream: Vec<(String, u64, SeededTemplate)>,
) -> Result<SeededTemplate> {
    let hash = share::templates::hash("tpl", seeded_key, &shared.version);
    let name = share::templates::name("tpl", &service.name, hash);
    let build = {
        let (server, service_name) = (server.clone(), service.name.clone());
        move |name: String| async move {
            share::templates::create(&server, &name, Some(&migrated)).await?;
            let seeded = async {
                let mut conn = connect_settled(&server.url_for(&name))
                    .await
                    .map_err(Error::db(format!("connecting to the seeded template of `{service_name}`")))?;
                let report = boxed(crate::seed::seed_with(&mut conn, &scope, options, &inputs))
                    .await
                    .map_err(|e| Error::Service { service: service_name.clone(), source: Box::new(e) });
                let checks = match &report {
                    Ok(report) => boxed(verify_contracts(&mut conn, report, &inputs, &upstream)).await,
                    Err(_) => Ok(Vec::new()),
                };
                // No connection may stay open on a template, or cloning it fails.
                let _ = conn.close().await;
                let unverified = inputs.refs.iter().filter(|r| r.source.is_none()).map(|r| r.contract.to_string()).collect();
                Ok(share::stored::Stored { report: (&report?).into(), checks: checks?, unverified })
            };
            let seeded: Result<share::stored::Stored> = boxed(seeded).await;
            if seeded.is_err() {
                share::templates::drop_failed(&server, &name).await;
            }
            seeded
        }
    };
    let stored: share::stored::Stored = boxed(share::templates::obtain(&shared.server, &name, hash, build)).await?;
    let report = stored
        .report
        .into_report()
        .map_err(|e| Error::Usage(format!("the stored report of template `{name}` does not read back ({e}); `seedfast clean` removes the shared server")))?;
    let pool = WarmPool::new(server.clone(), name.clone(), &service.name);
    Ok(SeededTemplate { server, database: name, report: Arc::new(report), checks: stored.checks, unverified: stored.unverified, pool })
}

/// Every contract from this service to a service seeded in the same run:
/// its values exist upstream, but for the declared orphans.
async fn verify_contracts(conn: &mut PgConnection, report: &SeedReport, inputs: &Upstream, upstream: &[(String, u64, SeededTemplate)]) -> Result<Vec<ContractCheck>> {
    let mut checks = Vec::new();
    for r in inputs.refs.iter().filter(|r| r.source.is_some()) {
        let Some((_, _, target)) = upstream.iter().find(|(s, _, _)| *s == r.service) else { continue };
        let mut up = connect_settled(&target.server.url_for(&target.database))
            .await
            .map_err(Error::db(format!("connecting to service `{}` to verify {}", r.service, r.contract)))?;
        let orphans: HashSet<String> = report
            .tables
            .iter()
            .filter(|t| t.table == r.table || t.table == format!("{}.{}", r.schema, r.table))
            .flat_map(|t| t.orphans.iter().filter(|o| o.column == r.column).flat_map(|o| o.values.clone()))
            .collect();
        let check = verify::check_contract(conn, &mut up, &r.contract, &orphans).await?;
        let _ = up.close().await;
        if !check.ok() {
            return Err(Error::Contract { contract: check.contract.clone(), message: check.to_string() });
        }
        checks.push(check);
    }
    Ok(checks)
}

/// Connects, retrying for a few seconds when the connection is cut before
/// the server answers: a server just started in a container, on a loaded
/// machine, can drop the first connections through the published port.
/// Errors the server itself reports are returned at once.
pub(crate) async fn connect_settled(url: &str) -> std::result::Result<PgConnection, sqlx::Error> {
    settled(|| PgConnection::connect(url)).await
}

/// [`connect_settled`] for any way of connecting (a connection, a pool).
pub(crate) async fn settled<T, F, Fut>(mut connect: F) -> std::result::Result<T, sqlx::Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, sqlx::Error>>,
{
    let mut attempt = 0u32;
    loop {
        match connect().await {
            Err(sqlx::Error::Io(_) | sqlx::Error::Protocol(_)) if attempt < 20 => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(250 * attempt.min(4) as u64)).await;
            }
            other => return other,
        }
    }
}

/// Erases a future's borrowed lifetimes behind a box: without it rustc
/// cannot prove the spawned harness futures `Send` for all lifetimes
/// (rust-lang/rust#102211).
fn boxed<'a, T>(f: impl Future<Output = T> + Send + 'a) -> Pin<Box<dyn Future<Output = T> + Send + 'a>> {
    Box::pin(f)
}

async fn start_server() -> Result<Server> {
    let backend = HARNESS.backend.get_or_try_init(choose_backend).await?.clone();
    boxed(backend.server()).await
}

async fn choose_backend() -> Result<Backend> {
    let backend = select::choose().await?;
    if let Backend::External(_) | Backend::Shared(_) = backend {
        // Before the first template exists, which must be dropped at exit.
        register_exit_hook();
    }
    Ok(backend)
}

/// Registers [`at_exit`] once. On a local cluster or a container, only once
/// the server runs: hooks run in reverse order, so it runs before the server
/// is stopped, while the background work can still end cleanly.
fn register_exit_hook() {
    static REGISTERED: std::sync::Once = std::sync::Once::new();
    // SAFETY: registers a plain extern "C" fn that cannot unwind.
    REGISTERED.call_once(|| unsafe {
        libc::atexit(at_exit);
    });
}

/// How long the exit waits for background drops and clones on an external
/// server; what is left then is swept by the next run (its owner is dead).
const EXIT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

extern "C" fn at_exit() {
    let _ = std::panic::catch_unwind(|| {
        let Some(harness) = Lazy::get(&HARNESS) else { return };
        // A shared server outlives the process like an external one: what
        // this process made on it must be dropped now.
        let external = matches!(harness.backend.get(), Some(Backend::External(_) | Backend::Shared(_)));
        if !external {
            // Local clusters and containers vanish with everything on them.
            super::background::quiet();
        }
        super::pool::close_all();
        if external {
            // Clones and drops first: a template is not dropped while cloned.
            if !super::background::wait_idle(EXIT_WAIT) {
                eprintln!("seedfast: some test databases were still being created or dropped at exit; the next run drops them");
            }
            let templates = std::mem::take(&mut *harness.templates.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
            // Dropping a TempDatabase drops the database, on a thread of its own.
            drop(templates);
        }
    });
}

/// The backend this process chose, once a test has needed one.
pub fn backend_name() -> Option<&'static str> {
    Lazy::get(&HARNESS).and_then(|h| h.backend.get()).map(Backend::name)
}

/// The directory of the shared local cluster, when the local backend is in use.
pub fn local_cluster_dir() -> Option<PathBuf> {
    let harness = Lazy::get(&HARNESS)?;
    let services = harness.services.lock().expect("harness lock");
    services.values().find_map(|s| s.server.get().and_then(Server::as_local).map(|l| l.dir().to_path_buf()))
}

/// A database with the service's migrations applied, by sqlx's migrator
/// (simple and reversible `.up.sql` migrations alike).
async fn migrate_template(server: Server, service: String, dir: PathBuf, key: u64) -> Result<String> {
    if let Some(shared) = shared() {
        let hash = share::templates::hash("mig", key, &shared.version);
        let name = share::templates::name("mig", &service, hash);
        let build = |name: String| async move {
            share::templates::create(&server, &name, None).await?;
            let migrated = boxed(run_migrations(&server.url_for(&name), &service, &dir)).await;
            if migrated.is_err() {
                share::templates::drop_failed(&server, &name).await;
            }
            migrated
        };
        boxed(share::templates::obtain::<(), _, _>(&shared.server, &name, hash, build)).await?;
        return Ok(name);
    }
    let (service, dir) = (service.as_str(), dir.as_path());
    let db = boxed(server.create_database(&format!("migrated_{service}_{key:x}"), None)).await?;
    if let Err(e) = boxed(run_migrations(db.url(), service, dir)).await {
        let _ = db.close().await;
        return Err(e);
    }
    let name = db.name().to_string();
    HARNESS.templates.lock().expect("harness lock").push(db);
    Ok(name)
}

/// Applies the migrations in `dir` to the database at `url`.
async fn run_migrations(url: &str, service: &str, dir: &Path) -> Result<()> {
    let migrator = Migrator::new(dir.to_path_buf()).await.map_err(|e| Error::Migration {
        service: service.to_string(),
        file: dir.display().to_string(),
        message: e.to_string(),
    })?;
    // A one-connection pool: sqlx's migrator takes an `Acquire`, and a pool's
    // is the one whose lifetimes spawned futures can carry.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .map_err(Error::db(format!("connecting to the migration template of `{service}`")))?;
    if let Err(e) = boxed(migrator.run(&pool)).await {
        let (file, message) = match &e {
            MigrateError::ExecuteMigration(source, version) => (migration_file(dir, *version), source.to_string()),
            other => (dir.display().to_string(), other.to_string()),
        };
        pool.close().await;
        return Err(Error::Migration { service: service.to_string(), file, message });
    }
    // No connection may stay open on a template, or cloning it fails.
    pool.close().await;
    Ok(())
}

/// The file a migration version came from, for error messages.
fn migration_file(dir: &Path, version: i64) -> String {
    let prefix = format!("{version}_");
    std::fs::read_dir(dir)
        .ok()
        .and_then(|entries| {
            entries.flatten().map(|e| e.path()).find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&prefix)))
        })
        .unwrap_or_else(|| PathBuf::from(format!("migration {version}")))
        .display()
        .to_string()
}
