//! The `docker` backend: PostgreSQL containers started through testcontainers.
//!
//! The image is [`DockerOptions::image`], else `SEEDFAST_POSTGRES_IMAGE`, else
//! [`DEFAULT_IMAGE`]; it must follow the official `postgres` image's contract. The engine is
//! found as testcontainers finds it: `DOCKER_HOST`, else the default socket
//! (`/var/run/docker.sock`, then the rootless and Docker Desktop sockets under
//! `$XDG_RUNTIME_DIR` and `$HOME`). `~/.testcontainers.properties` is read only if testcontainers'
//! `properties-config` feature is on, which this crate does not enable.
//!
//! The container shared across test processes (the harness's default) is the [`shared`] module's:
//! it outlives the process that started it by design, and is stopped by a watchdog of its own.
//! What follows is about the containers of one process ([`DockerServer`]).
//!
//! No container may outlive the process that started it, however that process ends. The layers,
//! from the common case to the worst:
//!
//! 1. Dropping a [`DockerServer`] removes its container.
//! 2. Every container is in a process-wide registry, and an `atexit` hook removes whatever is
//!    still in it, and then anything else labelled as this process's. That covers servers held
//!    in statics, which are never dropped. The test harness leaves through `exit()` (also when a
//!    test panicked), which runs `atexit` hooks.
//! 3. SIGINT and SIGTERM make a dedicated thread call `exit(130)` / `exit(143)`, so the same
//!    hooks run (the local backend's too). A second signal kills the process the default way.
//! 4. A process that dies without running them (SIGKILL, a crash) leaves its containers, which
//!    are labelled `dev.seedfast.owner=<hostname>:<pid>`: every [`DockerServer::start`], in any
//!    process, removes those whose owner is on this host and no longer alive.
//!
//! [`keep_containers`] takes the current containers out of all of this, for debugging.
//!
//! All Docker requests run on a runtime of this module's own, on threads that live as long as
//! the process, for three reasons. testcontainers shares one Docker client per process, and a
//! pooled connection belongs to the runtime that opened it: shared across the runtimes of
//! `#[tokio::test]`s, which end with their test, requests fail with "dispatch task is gone"
//! (bollard#387). Removal must work from `Drop` and from the `atexit` hook, where the caller's
//! runtime may be absent or shutting down, and sending it to a runtime that is still running
//! and waiting works from any thread. And testcontainers' own `Drop` of a container blocks in
//! place on the current runtime: only a multi-threaded runtime of ours makes that safe.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once, PoisonError};
use std::time::{Duration, Instant};

use once_cell::sync::{Lazy, OnceCell};
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use testcontainers::bollard::Docker;
use testcontainers::bollard::errors::Error as DockerError;
use testcontainers::bollard::query_parameters::{
    InspectContainerOptions, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
    RenameContainerOptions,
};
use testcontainers::core::client::docker_client_instance;
use testcontainers::core::error::{ClientError, WaitContainerError};
use testcontainers::core::logs::{LogFrame, WaitLogError};
use testcontainers::core::Mount;
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, ImageExt, TestcontainersError};
use testcontainers_modules::postgres::Postgres;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use super::error::BackendError;
use super::url::{self, redact};

mod shared;
pub use shared::{SharedContainer, acquire_shared, clean_shared};

/// Environment variable naming the image, e.g. `seedfast-local/postgres:15` or `postgres:17`.
pub const IMAGE_ENV: &str = "SEEDFAST_POSTGRES_IMAGE";
/// The official image at a current major version.
pub const DEFAULT_IMAGE: &str = "postgres:18";
/// Environment variable with the startup timeout, in whole seconds.
pub const STARTUP_TIMEOUT_ENV: &str = "SEEDFAST_STARTUP_TIMEOUT";

const DEFAULT_STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
const SUPERUSER: &str = "postgres";
const POSTGRES_PORT: u16 = 5432;
/// The entrypoint passes these on to postgres. A throwaway server: durability buys nothing
/// and costs a lot.
const SERVER_ARGS: [&str; 8] = [
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=200",
];
/// `pg_hba.conf`'s method for connections from outside the container: md5 still runs SCRAM for
/// a SCRAM verifier, and md5 for the md5 verifier [`cheap_auth`] stores before PostgreSQL 16.
const HOST_AUTH: &str = "md5";
/// Where the server's files live in the container: a tmpfs of its own (gone with the
/// container). In the image's layer or volume they would be on the engine's disk, where
/// initdb and every `CREATE DATABASE ... TEMPLATE` (a test's database) pay for creating
/// hundreds of files, as the local backend does outside tmpfs. A path under no `VOLUME` of
/// any image, so that no anonymous volume is mounted over it; `PGDATA` is the official
/// image's way to choose it.
const DATA_MOUNT: &str = "/seedfast";
const DATA_DIR: &str = "/seedfast/pgdata";
const OWNER_LABEL: &str = "dev.seedfast.owner";
const SERVICE_LABEL: &str = "dev.seedfast.service";
/// The owner's start time (clock ticks after boot), so that a reused pid is not taken for the
/// owner.
const OWNER_STARTED_LABEL: &str = "dev.seedfast.owner-started";
/// Unique per start: finds a container that a failed start may have left without handing it over.
const START_LABEL: &str = "dev.seedfast.start";
/// Containers renamed so by [`keep_containers`] are never swept.
const KEPT_PREFIX: &str = "seedfast-kept-";
const WORKER_THREAD: &str = "seedfast-docker";
const PING_TIMEOUT: Duration = Duration::from_secs(10);
const REMOVE_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);
const LOG_TAIL_LINES: usize = 30;
const LOG_BUFFER_BYTES: usize = 64 * 1024;

/// One per process, never printed: URLs go through [`redact`], messages through [`url::scrub`].
static PASSWORD: Lazy<String> = Lazy::new(|| uuid::Uuid::new_v4().simple().to_string());

/// How to start a [`DockerServer`]. Construct with `..Default::default()`.
#[derive(Debug, Clone, Default)]
pub struct DockerOptions {
    /// The image, `repository[:tag]`; a registry host with a port (`localhost:5000/pg:15`) is
    /// fine. Overrides `SEEDFAST_POSTGRES_IMAGE`; the default is [`DEFAULT_IMAGE`].
    pub image: Option<String>,
    /// How long the container may take to become ready (pulling the image is not counted).
    /// Overrides `SEEDFAST_STARTUP_TIMEOUT`; the default is 60 s.
    pub startup_timeout: Option<Duration>,
}

/// A PostgreSQL container of one service, with a random per-process password.
///
/// Dropping it removes the container; see the [module docs](self) for what happens when it is
/// never dropped.
pub struct DockerServer {
    id: String,
    image: String,
    service: String,
    /// The maintenance database's URL, password included.
    base_url: String,
    secrets: Vec<String>,
    route: Route,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// The port published on testcontainers' host.
    Published,
    /// The container's own address on the bridge network.
    Bridge,
}

impl DockerServer {
    /// Starts one container for `service` (its `dev.seedfast.service` label) and waits until
    /// it accepts connections.
    pub async fn start(service: &str) -> Result<DockerServer, BackendError> {
        Self::start_with(service, DockerOptions::default()).await
    }

    /// Like [`start`](Self::start), with explicit options.
    pub async fn start_with(
        service: &str,
        options: DockerOptions,
    ) -> Result<DockerServer, BackendError> {
        let image = match options.image {
            Some(image) => checked_image(&image, "DockerOptions::image")?,
            None => configured_image()?,
        };
        let timeout = match options.startup_timeout {
            Some(timeout) => timeout,
            None => startup_timeout_from_env()?,
        };
        let started = {
            let service = service.to_owned();
            let image = image.clone();
            on_worker(async move { start_container(&service, &image, timeout).await }).await??
        };
        Ok(DockerServer {
            secrets: url::secrets(&started.base_url),
            id: started.id,
            image,
            service: service.to_owned(),
            base_url: started.base_url,
            route: started.route,
        })
    }

    /// URL of `database` in this container, as the superuser. It holds the password: use
    /// [`redact`] before printing it.
    pub fn url_for(&self, database: &str) -> String {
        url::with_database(&self.base_url, database)
    }

    /// The maintenance database's URL with the password replaced by `***`.
    pub fn display_url(&self) -> String {
        redact(&self.base_url)
    }

    /// The container id (full length).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The image the container runs, as given.
    pub fn image(&self) -> &str {
        &self.image
    }

    /// The service the container was started for.
    pub fn service(&self) -> &str {
        &self.service
    }

    pub(crate) fn secrets(&self) -> &[String] {
        &self.secrets
    }
}

impl Drop for DockerServer {
    fn drop(&mut self) {
        // Not registered any more: kept, or already removed by the exit hook.
        let Some(tracked) = untrack(&self.id) else {
            return;
        };
        match wait_on_worker(remove_tracked(tracked), REMOVE_TIMEOUT) {
            Some(Ok(())) => {}
            Some(Err(message)) => eprintln!(
                "seedfast: warning: could not remove docker container {}: {message}; remove it \
                 with `docker rm -f {}`",
                self.id, self.id
            ),
            None => eprintln!(
                "seedfast: warning: docker container {} was not removed within {}s; remove it \
                 with `docker rm -f {}`",
                self.id,
                REMOVE_TIMEOUT.as_secs(),
                self.id
            ),
        }
    }
}

impl fmt::Debug for DockerServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DockerServer")
            .field("id", &short_id(&self.id))
            .field("image", &self.image)
            .field("service", &self.service)
            .field("url", &self.display_url())
            .field("route", &self.route)
            .finish()
    }
}

/// Whether a Docker engine answers, found as testcontainers finds it (see the
/// [module docs](self)). `Err` holds the reason, [`BackendError::DockerUnreachable`] as a rule.
pub async fn docker_available() -> Result<(), BackendError> {
    on_worker(async { engine().await.map(drop) }).await?
}

/// Whether `image` is present locally or, failing that, known to its registry (asked without
/// pulling). `Err` is [`BackendError::ImageMissing`] unless the engine itself is unreachable.
pub async fn image_available(image: &str) -> Result<(), BackendError> {
    let image = checked_image(image, "image")?;
    on_worker(async move {
        let docker = engine().await?;
        let local = match docker.inspect_image(&image).await {
            Ok(_) => return Ok(()),
            Err(err) => err,
        };
        if !is_not_found(&local) {
            return Err(docker_error(format!("inspect image `{image}`"), &local));
        }
        match docker.inspect_registry_image(&image, None).await {
            Ok(_) => Ok(()),
            Err(err) => Err(BackendError::ImageMissing {
                message: format!("the registry lookup failed: {}", describe(&err)),
                image,
            }),
        }
    })
    .await?
}

/// Takes every container started so far out of the clean-up (Drop, the exit hook, and other
/// processes' sweeps) and returns their ids: for keeping a failed test's databases. The
/// containers are renamed `seedfast-kept-<service>-<id>`; they keep running until someone runs
/// `docker rm -f <id>`.
pub fn keep_containers() -> Vec<String> {
    let tracked = std::mem::take(&mut *lock(&REGISTRY));
    let ids: Vec<String> = tracked.iter().map(|t| t.id.clone()).collect();
    lock(&KEPT).extend(ids.iter().cloned());
    let renames: Vec<(String, String)> = tracked
        .iter()
        .map(|t| (t.id.clone(), kept_name(&t.service, &t.id)))
        .collect();
    // ContainerAsync's Drop would remove the container: these must outlive the process.
    for t in tracked {
        std::mem::forget(t.container);
    }
    if renames.is_empty() {
        return ids;
    }
    let renamed = wait_on_worker(
        async move {
            let docker = engine().await.map_err(|err| err.to_string())?;
            for (id, name) in renames {
                docker
                    .rename_container(&id, RenameContainerOptions { name })
                    .await
                    .map_err(|err| format!("rename {}: {}", short_id(&id), describe(&err)))?;
            }
            Ok::<(), String>(())
        },
        REMOVE_TIMEOUT,
    );
    let problem = match renamed {
        Some(Ok(())) => return ids,
        Some(Err(message)) => message,
        None => format!("no answer within {}s", REMOVE_TIMEOUT.as_secs()),
    };
    eprintln!(
        "seedfast: warning: could not mark the kept docker containers as kept ({problem}); the \
         next run on this host may remove them"
    );
    ids
}

// ---------------------------------------------------------------------------------------------
// Settings

/// The image `SEEDFAST_POSTGRES_IMAGE` names, or the default official one.
pub fn configured_image() -> Result<String, BackendError> {
    match std::env::var(IMAGE_ENV) {
        Ok(image) if !image.trim().is_empty() => checked_image(&image, IMAGE_ENV),
        Ok(_) | Err(std::env::VarError::NotPresent) => Ok(DEFAULT_IMAGE.to_owned()),
        Err(std::env::VarError::NotUnicode(value)) => Err(BackendError::InvalidSetting {
            name: IMAGE_ENV.to_owned(),
            value: value.to_string_lossy().into_owned(),
            expected: "an image reference in UTF-8".to_owned(),
        }),
    }
}

fn checked_image(image: &str, source: &str) -> Result<String, BackendError> {
    let image = image.trim();
    let (name, tag) = split_image(image);
    if name.is_empty() || tag.is_empty() || image.chars().any(char::is_whitespace) {
        return Err(BackendError::InvalidSetting {
            name: source.to_owned(),
            value: image.to_owned(),
            expected: "an image reference such as `postgres:18` or `localhost:5000/postgres:17`"
                .to_owned(),
        });
    }
    Ok(image.to_owned())
}

/// Splits `repository[:tag]` for testcontainers, which joins the two with `:` again. A `:`
/// followed by a `/` belongs to a registry host (`localhost:5000/pg`); a digest
/// (`pg@sha256:abc`) splits into `pg@sha256` and `abc`, which join back into the same string.
fn split_image(image: &str) -> (&str, &str) {
    match image.rfind(':') {
        Some(i) if !image[i + 1..].contains('/') => (&image[..i], &image[i + 1..]),
        _ => (image, "latest"),
    }
}

/// `SEEDFAST_STARTUP_TIMEOUT`, else the default.
pub fn startup_timeout_from_env() -> Result<Duration, BackendError> {
    let invalid = |value: String| BackendError::InvalidSetting {
        name: STARTUP_TIMEOUT_ENV.to_owned(),
        value,
        expected: "a whole number of seconds greater than zero, e.g. 120".to_owned(),
    };
    match std::env::var(STARTUP_TIMEOUT_ENV) {
        Ok(value) if value.trim().is_empty() => Ok(DEFAULT_STARTUP_TIMEOUT),
        Ok(value) => parse_seconds(&value).ok_or_else(|| invalid(value)),
        Err(std::env::VarError::NotPresent) => Ok(DEFAULT_STARTUP_TIMEOUT),
        Err(std::env::VarError::NotUnicode(value)) => {
            Err(invalid(value.to_string_lossy().into_owned()))
        }
    }
}

fn parse_seconds(value: &str) -> Option<Duration> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|&seconds| seconds > 0)
        .map(Duration::from_secs)
}

/// The engine testcontainers talks to and where that came from, for messages. Mirrors
/// testcontainers' own resolution (without `properties-config`).
fn engine_address() -> String {
    if let Some(host) = std::env::var_os("DOCKER_HOST") {
        return format!("{} (DOCKER_HOST)", redact(&host.to_string_lossy()));
    }
    let mut sockets = vec!["/var/run/docker.sock".to_owned()];
    if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR") {
        sockets.push(format!("{}/.docker/run/docker.sock", dir.to_string_lossy()));
    }
    if let Some(home) = std::env::var_os("HOME") {
        let home = home.to_string_lossy();
        sockets.push(format!("{home}/.docker/run/docker.sock"));
        sockets.push(format!("{home}/.docker/desktop/docker.sock"));
    }
    match sockets
        .iter()
        .find(|socket| std::path::Path::new(socket).exists())
    {
        Some(socket) => format!("unix://{socket} (the default socket; DOCKER_HOST is not set)"),
        None => "unix:///var/run/docker.sock (the default socket, which does not exist; \
                 DOCKER_HOST is not set)"
            .to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// The runtime all Docker requests run on

static WORKER: OnceCell<Runtime> = OnceCell::new();

thread_local! {
    /// Set on the worker's threads. No destructor, so it can still be read in an `atexit` hook,
    /// after the exiting thread's thread-local destructors have run.
    static ON_WORKER: Cell<bool> = const { Cell::new(false) };
}

fn worker() -> Result<&'static Runtime, BackendError> {
    WORKER.get_or_try_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(WORKER_THREAD)
            .on_thread_start(|| ON_WORKER.set(true))
            .enable_all()
            .build()
            .map_err(|err| BackendError::io("start the runtime for docker requests", err))
    })
}

async fn on_worker<T, F>(future: F) -> Result<T, BackendError>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    match worker()?.spawn(future).await {
        Ok(value) => Ok(value),
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        Err(err) => Err(BackendError::io(
            "run a docker request (its runtime is shutting down)",
            io::Error::other(err),
        )),
    }
}

/// Runs `future` on the worker and waits for it from a thread outside any runtime (or inside
/// one that may block briefly): `None` if it took longer than `timeout`.
///
/// Waits on a mutex and a condvar only (futexes), nothing that needs this thread's
/// thread-locals: in an `atexit` hook they are already gone.
fn wait_on_worker<T, F>(future: F, timeout: Duration) -> Option<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let runtime = worker().ok()?;
    let slot = Arc::new((Mutex::new(None), Condvar::new()));
    let filled = Arc::clone(&slot);
    let task = runtime.spawn(async move {
        let value = future.await;
        *lock(&filled.0) = Some(value);
        filled.1.notify_all();
    });
    // On a worker thread, waiting would only delay the task it waits for.
    if ON_WORKER.get() {
        drop(task);
        return None;
    }
    let (value, ready) = &*slot;
    let deadline = Instant::now() + timeout;
    let mut value = lock(value);
    loop {
        if let Some(value) = value.take() {
            return Some(value);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        value = ready
            .wait_timeout(value, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// testcontainers' client, once the engine has answered a ping.
async fn engine() -> Result<Docker, BackendError> {
    let unreachable = |message: String| BackendError::DockerUnreachable {
        host: engine_address(),
        message,
    };
    let docker = docker_client_instance()
        .await
        .map_err(|err| unreachable(describe(&err)))?;
    match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
        Ok(Ok(_)) => Ok(docker),
        Ok(Err(err)) => Err(unreachable(describe(&err))),
        Err(_) => Err(unreachable(format!(
            "no answer within {}s",
            PING_TIMEOUT.as_secs()
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// Starting

struct Started {
    id: String,
    base_url: String,
    route: Route,
}

static NEXT_START: AtomicU64 = AtomicU64::new(0);

/// Runs on the worker.
async fn start_container(
    service: &str,
    image: &str,
    timeout: Duration,
) -> Result<Started, BackendError> {
    let docker = engine().await?;
    install_cleanup_hooks();
    sweep_stale_containers(&docker).await;

    let token = format!(
        "{}-{}",
        std::process::id(),
        NEXT_START.fetch_add(1, Ordering::Relaxed)
    );
    let log = Arc::new(LogTail::default());
    let (name, tag) = split_image(image);
    let consumer = {
        let log = Arc::clone(&log);
        move |frame: &LogFrame| log.push(frame.bytes())
    };
    let request = Postgres::default()
        .with_user(SUPERUSER)
        .with_password(&PASSWORD)
        .with_name(name)
        .with_tag(tag)
        .with_cmd(SERVER_ARGS)
        .with_env_var("PGDATA", DATA_DIR)
        .with_env_var("POSTGRES_HOST_AUTH_METHOD", HOST_AUTH)
        .with_mount(Mount::tmpfs_mount(DATA_MOUNT))
        .with_label(OWNER_LABEL, owner())
        .with_label(
            OWNER_STARTED_LABEL,
            process_started(std::process::id()).unwrap_or(0).to_string(),
        )
        .with_label(SERVICE_LABEL, service)
        .with_label(START_LABEL, &token)
        .with_startup_timeout(timeout)
        .with_log_consumer(consumer);
    let container = match request.start().await {
        Ok(container) => container,
        Err(err) => {
            // testcontainers removes the container it gave up on, except when it gave up
            // before taking charge of it (e.g. a timeout while the engine starts it).
            remove_labelled(&docker, START_LABEL, &token).await;
            return Err(start_error(err, image, timeout, &log));
        }
    };
    log.stop();
    let id = container.id().to_owned();
    let host = container.get_host().await.map(|host| host.to_string());
    let port = container.get_host_port_ipv4(POSTGRES_PORT).await;
    track(Tracked {
        id: id.clone(),
        service: service.to_owned(),
        container,
    });
    // The exit hook has already emptied the registry: nobody else would remove this one.
    if SHUTTING_DOWN.load(Ordering::SeqCst) {
        discard(&id).await;
        return Err(BackendError::io(
            format!("start a container from `{image}`"),
            io::Error::other("the process is exiting"),
        ));
    }

    let bridge = bridge_address(&docker, &id).await;
    let published = match (host, port) {
        (Ok(host), Ok(port)) => admin_url(&connectable_host(&host), port),
        (Err(err), _) | (_, Err(err)) => {
            discard(&id).await;
            return Err(BackendError::Docker {
                action: format!("find the published port of container {}", short_id(&id)),
                host: engine_address(),
                message: describe(&err),
            });
        }
    };
    let bridge = bridge.map(|ip| admin_url(&ip_host(ip), POSTGRES_PORT));
    let routed = match first_route(&id, published, bridge, Instant::now() + CONNECT_WINDOW).await {
        Ok((base_url, route)) => store_cheap_auth(&base_url).await.map(|()| (base_url, route)),
        Err(err) => Err(err),
    };
    match routed {
        Ok((base_url, route)) => Ok(Started {
            id,
            base_url,
            route,
        }),
        Err(err) => {
            discard(&id).await;
            Err(err)
        }
    }
}

/// Stores the password so that a login costs next to nothing: SCRAM with one iteration on
/// PostgreSQL 16 and later (`scram_iterations`), an md5 verifier before. A test process takes
/// a connection per clone and pool, and 4096 PBKDF2 iterations cost 50-65 ms per
/// connection in a debug build's client (measured on the project's machine), more than the
/// clone itself; the iterations only slow down guessing the password from a stolen verifier,
/// and this password is 128 random bits that `docker inspect` shows anyway.
pub(super) async fn cheap_auth(conn: &mut PgConnection, password: &str) -> Result<(), sqlx::Error> {
    let setting = if conn.server_version_num().is_some_and(|v| v >= 160_000) { "scram_iterations = 1" } else { "password_encryption = 'md5'" };
    let literal = password.replace('\'', "''");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SET {setting}; ALTER ROLE {SUPERUSER} PASSWORD '{literal}'; RESET ALL"))).execute(&mut *conn).await.map(drop)
}

/// [`cheap_auth`] for this process's password on the server at `base_url`.
async fn store_cheap_auth(base_url: &str) -> Result<(), BackendError> {
    let secrets = url::secrets(base_url);
    let mut conn = PgConnection::connect(base_url).await.map_err(|err| super::connect_error(err, base_url, &secrets))?;
    let stored = cheap_auth(&mut conn, &PASSWORD).await;
    let _ = conn.close().await;
    stored.map_err(|err| super::query_error(err, "store the password for cheaper logins".into(), base_url, &secrets))
}

/// How long a container that reported ready gets to accept a connection: the server is up,
/// only the way to it (port forwarding, NAT rules) may take a moment to settle.
const CONNECT_WINDOW: Duration = Duration::from_secs(15);

/// The container's address on its network, the default bridge preferred.
///
/// Not testcontainers' `get_bridge_ip_address`: it looks up the network named by the
/// container's network mode, which engines before 23 report as `default`, not `bridge`.
async fn bridge_address(docker: &Docker, id: &str) -> Option<IpAddr> {
    let info = docker
        .inspect_container(id, None::<InspectContainerOptions>)
        .await
        .ok()?;
    let mut networks: Vec<_> = info.network_settings?.networks?.into_iter().collect();
    networks.sort_by_key(|(name, _)| name != "bridge");
    networks
        .into_iter()
        .find_map(|(_, network)| network.ip_address.filter(|ip| !ip.is_empty())?.parse().ok())
}

fn admin_url(host: &str, port: u16) -> String {
    // sslmode=disable: the image has no TLS, and a PGSSLMODE=require in the environment would
    // otherwise make every connection fail.
    format!(
        "postgres://{SUPERUSER}:{}@{host}:{port}/postgres?sslmode=disable",
        *PASSWORD
    )
}

/// `localhost` may resolve to ::1 first, while the port is the one published on IPv4 (Docker
/// may publish a different one on IPv6).
fn connectable_host(host: &str) -> String {
    if host.eq_ignore_ascii_case("localhost") {
        "127.0.0.1".to_owned()
    } else {
        host.to_owned()
    }
}

fn ip_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// Connects through the published port, falling back to the container's bridge address.
///
/// Some CI hosts cannot reach ports published by the engine they use: with the engine in a
/// sibling container or on a remote VM, or behind a firewall that drops the forwarded traffic,
/// the published port on testcontainers' host goes nowhere, while the container's address on
/// the bridge network is routable. The bridge address is only taken when a real connection
/// through it works.
async fn first_route(
    id: &str,
    published: String,
    bridge: Option<String>,
    deadline: Instant,
) -> Result<(String, Route), BackendError> {
    let secrets = url::secrets(&published);
    loop {
        let through_port = match probe(&published).await {
            Ok(()) => return Ok((published, Route::Published)),
            // The server answered: no other route will make it say yes.
            Err(err @ sqlx::Error::Database(_)) => {
                return Err(super::connect_error(err, &published, &secrets));
            }
            Err(err) => url::scrub(&err.to_string(), &secrets),
        };
        let through_bridge = match &bridge {
            Some(bridge) => match probe(bridge).await {
                Ok(()) => return Ok((bridge.clone(), Route::Bridge)),
                Err(err) => Some(url::scrub(&err.to_string(), &secrets)),
            },
            None => None,
        };
        if Instant::now() >= deadline {
            let mut message = format!(
                "container {} reported ready, but no connection succeeded: through the \
                 published port: {through_port}",
                short_id(id)
            );
            match (&bridge, through_bridge) {
                (Some(bridge), Some(err)) => message.push_str(&format!(
                    "; through the container's bridge address ({}): {err}",
                    redact(bridge)
                )),
                _ => message.push_str("; the container has no bridge address to try"),
            }
            return Err(BackendError::Unreachable {
                url: redact(&published),
                message,
            });
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// One real connection and query: the log line alone does not prove the route works.
async fn probe(url: &str) -> Result<(), sqlx::Error> {
    let attempt = async {
        let mut conn = PgConnection::connect(url).await?;
        let result = sqlx::query("SELECT 1").execute(&mut conn).await.map(drop);
        let _ = conn.close().await;
        result
    };
    match tokio::time::timeout(CONNECT_ATTEMPT_TIMEOUT, attempt).await {
        Ok(result) => result,
        Err(_) => Err(sqlx::Error::Io(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no answer within {}s", CONNECT_ATTEMPT_TIMEOUT.as_secs()),
        ))),
    }
}

fn start_error(
    err: TestcontainersError,
    image: &str,
    timeout: Duration,
    log: &LogTail,
) -> BackendError {
    let image = image.to_owned();
    match err {
        TestcontainersError::Client(ClientError::PullImage { err, .. }) => {
            BackendError::ImageMissing {
                image,
                message: describe(&err),
            }
        }
        TestcontainersError::WaitContainer(WaitContainerError::StartupTimeout) => {
            BackendError::ContainerStartTimeout {
                image,
                timeout,
                log_tail: log.tail(),
            }
        }
        // The log stream ended before the ready line: the container stopped.
        TestcontainersError::WaitContainer(WaitContainerError::WaitLog(
            WaitLogError::EndOfStream(lines),
        )) => {
            if log.is_empty() {
                for line in &lines {
                    log.push(line);
                }
            }
            BackendError::ContainerExited {
                image,
                log_tail: log.tail(),
            }
        }
        TestcontainersError::Client(
            err @ (ClientError::Init(_)
            | ClientError::Configuration(_)
            | ClientError::InvalidDockerHost(_)),
        ) => BackendError::DockerUnreachable {
            host: engine_address(),
            message: describe(&err),
        },
        other => BackendError::Docker {
            action: format!("start a container from `{image}`"),
            host: engine_address(),
            message: describe(&other),
        },
    }
}

/// The end of a container's output, collected as it streams: once testcontainers gives up on
/// a container it removes it, and its log with it.
#[derive(Default)]
struct LogTail {
    text: Mutex<String>,
    stopped: AtomicBool,
}

impl LogTail {
    fn push(&self, bytes: &[u8]) {
        if self.stopped.load(Ordering::Relaxed) {
            return;
        }
        let mut text = lock(&self.text);
        text.push_str(&String::from_utf8_lossy(bytes));
        if text.len() > LOG_BUFFER_BYTES {
            let mut cut = text.len() - LOG_BUFFER_BYTES / 2;
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            text.drain(..cut);
        }
    }

    /// Started: the log goes on streaming for the container's lifetime, but is not needed.
    fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        lock(&self.text).clear();
    }

    fn is_empty(&self) -> bool {
        lock(&self.text).trim().is_empty()
    }

    fn tail(&self) -> String {
        let text = lock(&self.text);
        if text.trim().is_empty() {
            return "(the container printed nothing)".to_owned();
        }
        url::scrub(
            &last_lines(&text, LOG_TAIL_LINES),
            std::slice::from_ref(&*PASSWORD),
        )
    }
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

// ---------------------------------------------------------------------------------------------
// The registry and removal

struct Tracked {
    id: String,
    service: String,
    container: ContainerAsync<Postgres>,
}

/// Live containers of this process, for Drop and the exit hook.
static REGISTRY: Mutex<Vec<Tracked>> = Mutex::new(Vec::new());
/// Ids handed out by [`keep_containers`].
static KEPT: Mutex<Vec<String>> = Mutex::new(Vec::new());
static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);
static HOOKS: Once = Once::new();

fn track(tracked: Tracked) {
    lock(&REGISTRY).push(tracked);
}

fn untrack(id: &str) -> Option<Tracked> {
    let mut registry = lock(&REGISTRY);
    let index = registry.iter().position(|t| t.id == id)?;
    Some(registry.swap_remove(index))
}

/// Removes a container that start-up registered but cannot hand over.
async fn discard(id: &str) {
    if let Some(tracked) = untrack(id)
        && let Err(message) = remove_tracked(tracked).await
    {
        eprintln!("seedfast: warning: could not remove docker container {id}: {message}");
    }
}

/// Runs on the worker.
async fn remove_tracked(tracked: Tracked) -> Result<(), String> {
    match tracked.container.rm().await {
        Ok(()) => Ok(()),
        Err(TestcontainersError::Client(ClientError::RemoveContainer(err)))
            if is_not_found(&err) =>
        {
            Ok(())
        }
        Err(err) => Err(describe(&err)),
    }
}

async fn remove_by_id(docker: &Docker, id: &str) -> Result<(), String> {
    let options = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    match docker.remove_container(id, Some(options)).await {
        Ok(()) => Ok(()),
        Err(err) if is_not_found(&err) => Ok(()),
        Err(err) => Err(describe(&err)),
    }
}

/// Containers with `label` (`key` or `key=value`): (id, names, labels).
async fn labelled(
    docker: &Docker,
    label: String,
) -> Result<Vec<(String, Vec<String>, HashMap<String, String>)>, DockerError> {
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&HashMap::from([("label".to_owned(), vec![label])]))
        .build();
    Ok(docker
        .list_containers(Some(options))
        .await?
        .into_iter()
        .filter_map(|c| {
            Some((
                c.id?,
                c.names.unwrap_or_default(),
                c.labels.unwrap_or_default(),
            ))
        })
        .collect())
}

async fn remove_labelled(docker: &Docker, key: &str, value: &str) {
    if let Ok(found) = labelled(docker, format!("{key}={value}")).await {
        for (id, _, _) in found {
            let _ = remove_by_id(docker, &id).await;
        }
    }
}

fn is_kept(id: &str, names: &[String]) -> bool {
    lock(&KEPT).iter().any(|kept| kept == id)
        || names
            .iter()
            .any(|name| name.trim_start_matches('/').starts_with(KEPT_PREFIX))
}

fn kept_name(service: &str, id: &str) -> String {
    let service = super::sanitize_label(service);
    let service = if service.is_empty() { "db" } else { &service };
    format!("{KEPT_PREFIX}{service}-{}", short_id(id))
}

fn short_id(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// For `seedfast clean`: removes the containers of dead processes on this host, as a start's
/// sweep does, and returns `(id, owner)` of each removed. Nothing when no engine answers.
pub async fn clean_stale_containers() -> Vec<(String, String)> {
    let Ok(docker) = engine().await else {
        return Vec::new();
    };
    sweep_stale_containers(&docker).await
}

/// Removes the containers of dead processes on this host (see the module docs, layer 4), and
/// says which. Races with other processes sweeping at the same time are harmless.
async fn sweep_stale_containers(docker: &Docker) -> Vec<(String, String)> {
    let mut removed = Vec::new();
    let Ok(found) = labelled(docker, OWNER_LABEL.to_owned()).await else {
        return removed;
    };
    let host = hostname();
    for (id, names, labels) in found {
        let Some((owner_host, pid)) = labels.get(OWNER_LABEL).and_then(|o| parse_owner(o)) else {
            continue;
        };
        if owner_host != host || is_kept(&id, &names) {
            continue;
        }
        let started = labels
            .get(OWNER_STARTED_LABEL)
            .and_then(|s| s.parse::<u64>().ok());
        if !owner_alive(pid, started) && remove_by_id(docker, &id).await.is_ok() {
            removed.push((short_id(&id).to_owned(), format!("{owner_host}:{pid}")));
        }
    }
    removed
}

fn install_cleanup_hooks() {
    HOOKS.call_once(|| {
        // SAFETY: registers a plain extern "C" fn; it cannot unwind (see the hook).
        unsafe { libc::atexit(remove_all_at_exit) };
        signals::install();
    });
}

extern "C" fn remove_all_at_exit() {
    // Unwinding out of an extern "C" fn aborts the process; a failed clean-up must not turn
    // an orderly exit into a crash.
    let _ = std::panic::catch_unwind(|| {
        SHUTTING_DOWN.store(true, Ordering::SeqCst);
        let tracked = std::mem::take(&mut *lock(&REGISTRY));
        match wait_on_worker(remove_everything(tracked), REMOVE_TIMEOUT) {
            Some(failures) => {
                for (id, message) in failures {
                    eprintln!(
                        "seedfast: warning: could not remove docker container {id}: {message}; \
                         remove it with `docker rm -f {id}`"
                    );
                }
            }
            None => eprintln!(
                "seedfast: warning: this process's docker containers were not all removed \
                 within {}s; list them with `docker ps -a --filter label={OWNER_LABEL}={}`",
                REMOVE_TIMEOUT.as_secs(),
                owner()
            ),
        }
    });
}

/// Runs on the worker: removes `tracked`, then whatever else carries this process's label
/// (containers of starts still under way, or given up on without being handed over).
async fn remove_everything(tracked: Vec<Tracked>) -> Vec<(String, String)> {
    let mut removals = JoinSet::new();
    for tracked in tracked {
        removals.spawn(async move {
            let id = tracked.id.clone();
            (id, remove_tracked(tracked).await)
        });
    }
    let mut failures: HashMap<String, String> = HashMap::new();
    while let Some(joined) = removals.join_next().await {
        if let Ok((id, Err(message))) = joined {
            failures.insert(id, message);
        }
    }
    if let Ok(docker) = engine().await
        && let Ok(found) = labelled(&docker, format!("{OWNER_LABEL}={}", owner())).await
    {
        for (id, names, _) in found {
            if is_kept(&id, &names) {
                continue;
            }
            match remove_by_id(&docker, &id).await {
                Ok(()) => {
                    failures.remove(&id);
                }
                Err(message) => {
                    failures.insert(id, message);
                }
            }
        }
    }
    failures.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// Owners

/// `<hostname>:<pid>` of this process.
fn owner() -> String {
    format!("{}:{}", hostname(), std::process::id())
}

fn parse_owner(owner: &str) -> Option<(&str, u32)> {
    let (host, pid) = owner.rsplit_once(':')?;
    Some((host, pid.parse().ok()?))
}

fn hostname() -> String {
    static HOSTNAME: Lazy<String> = Lazy::new(|| {
        let mut buf = [0u8; 256];
        // SAFETY: gethostname writes at most buf.len() bytes into buf.
        if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
            return "unknown-host".to_owned();
        }
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        String::from_utf8_lossy(&buf[..end]).into_owned()
    });
    HOSTNAME.clone()
}

/// Whether the process `pid` that started at `started` (if known) still runs. A zombie counts
/// as dead, and so does a live process with another start time: the pid was reused.
fn owner_alive(pid: u32, started: Option<u64>) -> bool {
    let Ok(raw) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if raw <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence and permission.
    let exists = unsafe { libc::kill(raw, 0) } == 0
        || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
    if !exists {
        return false;
    }
    match process_stat(pid) {
        Some((state, start)) => {
            !matches!(state, 'Z' | 'X') && started.is_none_or(|started| started == start)
        }
        // No /proc: existence is all there is to go on.
        None => true,
    }
}

fn process_started(pid: u32) -> Option<u64> {
    process_stat(pid).map(|(_, start)| start)
}

/// State and start time (field 22, clock ticks after boot) from `/proc/<pid>/stat`.
fn process_stat(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may contain anything, spaces and `)` included.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let start = fields.nth(18)?.parse().ok()?;
    Some((state, start))
}

// ---------------------------------------------------------------------------------------------
// Messages

fn is_not_found(err: &DockerError) -> bool {
    matches!(
        err,
        DockerError::DockerResponseServerError {
            status_code: 404,
            ..
        }
    )
}

fn docker_error(action: String, err: &DockerError) -> BackendError {
    BackendError::Docker {
        action,
        host: engine_address(),
        message: describe(err),
    }
}

/// The error and its sources on one line, with the password scrubbed out.
fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    url::scrub(&message, std::slice::from_ref(&*PASSWORD))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Everything under these locks stays consistent across a panic, and cleanup must go on.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

// ---------------------------------------------------------------------------------------------

mod signals {
    //! SIGINT and SIGTERM end the process through `exit()`, so that the `atexit` hooks remove
    //! the containers (and the local backend's clusters).
    //!
    //! The handler only writes the signal number into a pipe (async-signal-safe); a dedicated
    //! thread reads it and calls `exit(128 + signal)`, which is what a shell reports for a
    //! process killed by that signal. Handlers are installed only over the default disposition:
    //! a signal the parent made us ignore stays ignored, and a handler someone else installed
    //! (the application under test, say) stays theirs. A second signal while the first is being
    //! handled kills the process the default way, for whoever does not want to wait.

    use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
    use std::thread;

    static PIPE: AtomicI32 = AtomicI32::new(-1);
    static RECEIVED: AtomicBool = AtomicBool::new(false);

    pub(super) fn install() {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: pipe2 writes two descriptors into fds.
        if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
            eprintln!(
                "seedfast: warning: no SIGINT/SIGTERM handling for docker containers: {}",
                std::io::Error::last_os_error()
            );
            return;
        }
        let [read_end, write_end] = fds;
        PIPE.store(write_end, Ordering::SeqCst);
        let spawned = thread::Builder::new()
            .name("seedfast-signals".into())
            .spawn(move || wait_and_exit(read_end));
        if let Err(err) = spawned {
            eprintln!("seedfast: warning: no SIGINT/SIGTERM handling for docker containers: {err}");
            return;
        }
        for signal in [libc::SIGINT, libc::SIGTERM] {
            // SAFETY: sigaction structs are plain old data; the handler is async-signal-safe.
            unsafe {
                let mut current: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(signal, std::ptr::null(), &mut current) != 0
                    || current.sa_sigaction != libc::SIG_DFL
                {
                    continue;
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(signal, &action, std::ptr::null_mut());
            }
        }
    }

    extern "C" fn on_signal(signal: libc::c_int) {
        // SAFETY: only async-signal-safe calls; errno is restored for the interrupted code.
        unsafe {
            let errno = *libc::__errno_location();
            if RECEIVED.swap(true, Ordering::SeqCst) {
                libc::signal(signal, libc::SIG_DFL);
                libc::raise(signal);
            } else {
                let byte = signal as u8;
                libc::write(PIPE.load(Ordering::SeqCst), (&byte as *const u8).cast(), 1);
            }
            *libc::__errno_location() = errno;
        }
    }

    fn wait_and_exit(read_end: libc::c_int) {
        loop {
            let mut byte = 0u8;
            // SAFETY: reads at most one byte into `byte`.
            let n = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
            if n == 1 {
                let signal = libc::c_int::from(byte);
                let name = if signal == libc::SIGINT {
                    "SIGINT"
                } else {
                    "SIGTERM"
                };
                eprintln!(
                    "seedfast: {name} received; removing this process's docker containers \
                     before exiting"
                );
                std::process::exit(128 + signal);
            }
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_split_into_name_and_tag() {
        assert_eq!(split_image("postgres:18"), ("postgres", "18"));
        assert_eq!(split_image("postgres"), ("postgres", "latest"));
        assert_eq!(
            split_image("seedfast-local/postgres:15"),
            ("seedfast-local/postgres", "15")
        );
        assert_eq!(
            split_image("localhost:5000/pg:15"),
            ("localhost:5000/pg", "15")
        );
        assert_eq!(
            split_image("localhost:5000/pg"),
            ("localhost:5000/pg", "latest")
        );
        // testcontainers joins name and tag with `:`, which restores a digest reference.
        let (name, tag) = split_image("postgres@sha256:abc123");
        assert_eq!(format!("{name}:{tag}"), "postgres@sha256:abc123");
    }

    #[test]
    fn malformed_images_are_rejected() {
        for image in ["", "  ", "postgres:", "post gres:15"] {
            let err = checked_image(image, IMAGE_ENV).expect_err(image);
            assert!(
                err.to_string()
                    .starts_with("invalid SEEDFAST_POSTGRES_IMAGE=`"),
                "{err}"
            );
        }
        assert_eq!(
            checked_image(" postgres:17 ", IMAGE_ENV).unwrap(),
            "postgres:17"
        );
    }

    #[test]
    fn timeouts_are_whole_positive_seconds() {
        assert_eq!(parse_seconds("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_seconds(" 5 "), Some(Duration::from_secs(5)));
        assert_eq!(parse_seconds("0"), None);
        assert_eq!(parse_seconds("1.5"), None);
        assert_eq!(parse_seconds("soon"), None);
    }

    #[test]
    fn owners_parse_and_this_process_is_alive() {
        assert_eq!(parse_owner("ci-runner-7:4242"), Some(("ci-runner-7", 4242)));
        assert_eq!(parse_owner("no-pid"), None);
        assert_eq!(parse_owner("host:x"), None);
        let me = std::process::id();
        assert!(owner_alive(me, process_started(me)));
        assert!(owner_alive(me, None));
        // Our pid with another start time: a reused pid, so the owner is gone.
        let other_start = process_started(me).map(|s| s + 1);
        assert!(other_start.is_none() || !owner_alive(me, other_start));
        assert!(!owner_alive(0, None));
        assert!(!owner_alive(u32::MAX, None));
    }

    #[test]
    fn kept_names_are_valid_container_names() {
        let id = "0123456789abcdef0123";
        assert_eq!(
            kept_name("Orders API", id),
            "seedfast-kept-orders_api-0123456789ab"
        );
        assert_eq!(kept_name("", id), "seedfast-kept-db-0123456789ab");
    }

    #[test]
    fn descriptions_are_one_line_without_the_password() {
        let err = io::Error::other(format!("bad\nthing {}", *PASSWORD));
        assert_eq!(describe(&err), "bad thing ***");
    }

    #[test]
    fn log_tails_keep_the_last_lines() {
        let log = LogTail::default();
        assert!(log.is_empty());
        assert_eq!(log.tail(), "(the container printed nothing)");
        for i in 0..100 {
            log.push(format!("line {i}\n").as_bytes());
        }
        let tail = log.tail();
        assert!(tail.starts_with("line 70\n"), "{tail}");
        assert!(tail.ends_with("line 99"), "{tail}");
    }
}
