//! One container shared by every test process of this user and host, per image and settings:
//! what the local backend's shared server is, on Docker. Under `cargo nextest` (a process per
//! test) a container per process pays initdb and a server start per test; a shared one pays
//! them once per idle period.
//!
//! ```text
//! name    seedfast-shared-<uid>-<hash>    the engine's own uniqueness: one per hash, whoever asks
//! labels  dev.seedfast.shared=<hash>      image (by id), server settings, layout, host and uid
//!         dev.seedfast.user=<host>:<uid>  whose it is, for `seedfast clean`
//! lease   a session of each process using it, holding a shared advisory lock
//!         (LEASE_KEY) and named `seedfast lease idle=<secs> <host>:<pid>`; it ends when the
//!         process ends, however it ends (the kernel closes the socket even on SIGKILL)
//! watchdog a `sh` loop inside the container (`docker exec`), using the image's psql
//! ```
//!
//! Nothing of it lives on the host, so nothing outlives the container there, and it works the
//! same with a remote engine. The watchdog takes the exclusive advisory lock each second; it
//! gets it only when no lease is held. Once it got it for more than the idle time (the smallest
//! any lease asked for; two looks at least), it stops the server while still holding the lock:
//! a process that connects meanwhile waits on its shared lock until the server is gone, so no
//! process is left holding a lease on a stopping server. The server is the container's main
//! process, so the container stops, and the engine removes it (`AutoRemove`).
//!
//! Processes that find the container at once queue on a `flock` in the state dir (so one of
//! them creates it); without a usable state dir, the container's fixed name still makes the
//! engine refuse a second one, and the loser waits for the winner's. A container left without
//! a watchdog (its creator was killed between starting it and starting the watchdog, which
//! beats a heartbeat each second into `seedfast_watchdog`) gets one from the next process.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use testcontainers::bollard::Docker;
use testcontainers::bollard::exec::StartExecOptions;
use testcontainers::bollard::models::{ContainerInspectResponse, ExecConfig};
use testcontainers::bollard::query_parameters::{InspectContainerOptions, ListContainersOptionsBuilder};
use testcontainers::core::Mount;
use testcontainers::core::error::ClientError;
use testcontainers::runners::AsyncRunner;
use testcontainers::{ImageExt, TestcontainersError};
use testcontainers_modules::postgres::Postgres;

use super::{
    BackendError, DATA_DIR, DATA_MOUNT, LogTail, PASSWORD, POSTGRES_PORT, SERVER_ARGS, SERVICE_LABEL, SUPERUSER,
    HOST_AUTH, admin_url, bridge_address, cheap_auth, connectable_host, describe, docker_error, engine, engine_address, hostname,
    ip_host, is_not_found, on_worker, remove_by_id, short_id, split_image, start_error,
};
use crate::backend::url;

const SHARED_LABEL: &str = "dev.seedfast.shared";
const USER_LABEL: &str = "dev.seedfast.user";
const IMAGE_LABEL: &str = "dev.seedfast.image";
const DOMAIN_LABEL: &str = "dev.seedfast.domain";
/// Bumped when the container's settings or this protocol change, so that an older layout's
/// container is not reused.
const LAYOUT: &str = "shared-1";
/// The bigint advisory lock whose shared holders are the leases. Other seedfast locks use two
/// int4 keys (another key space) or template hashes.
pub(crate) const LEASE_KEY: i64 = 0x5eed_fa57_0000_0002;
/// `application_name` of lease sessions: `seedfast lease idle=<secs> <host>:<pid>`.
const LEASE_NAME: &str = "seedfast lease";
/// A watchdog that has not beaten for this long is taken for dead.
const HEARTBEAT_STALE_SECS: u32 = 5;
const ATTEMPTS: usize = 6;
const LEASE_WAIT: Duration = Duration::from_secs(20);

/// The watchdog, run as the server's account inside the container (`$PGDATA` is the image's).
/// Each look is one psql session: the try-lock, the leases' smallest idle time, the heartbeat,
/// and, when due and still free, the stop under the lock.
const WATCHDOG: &str = r#"
idle=$1 free=0
export PGAPPNAME=seedfast-watchdog
while :; do
    due=0
    if [ "$free" -gt "$idle" ] && [ "$free" -ge 2 ]; then due=1; fi
    out=$(psql -X -q -t -A -U postgres -d postgres -v due=$due -v idle=$idle 2>/dev/null <<'SQL'
SELECT pg_try_advisory_lock(LEASE_KEY) AS free \gset
SELECT coalesce(min(substring(application_name FROM 'idle=([0-9]+)')::bigint), :idle) AS lidle
    FROM pg_stat_activity WHERE application_name LIKE 'seedfast lease %' \gset
INSERT INTO seedfast_watchdog (id, beat) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat = now();
\if :free
\if :due
\! kill -INT $(head -n 1 "$PGDATA/postmaster.pid")
\endif
\endif
\echo :free :lidle
SQL
)
    set -- $out
    if [ "$1" = t ]; then free=$((free + 1)); else free=0; fi
    if [ -n "$2" ] && [ "$2" -lt "$idle" ] 2>/dev/null; then idle=$2; fi
    sleep 1
done
"#;

/// The shared container as a process uses it, its lease held until the process exits.
pub struct SharedContainer {
    pub id: String,
    /// The maintenance database's URL, password included: never print it unredacted.
    pub url: String,
    pub image: String,
}

/// Leases of this process: sessions kept open until it exits.
static LEASES: std::sync::Mutex<Vec<PgConnection>> = std::sync::Mutex::new(Vec::new());

/// The shared container for `image`, found or started, with a lease of this process on it.
/// Callers that can should queue on a lock of their own around this (see the module docs).
/// `domain` separates sharing domains (an explicit `SEEDFAST_STATE_DIR`, as for local servers):
/// containers of different domains are never shared, and `seedfast clean` of one leaves the
/// others alone.
pub async fn acquire_shared(image: &str, domain: &str, idle_secs: u64, startup: Duration) -> Result<SharedContainer, BackendError> {
    let (image, domain) = (image.to_owned(), domain.to_owned());
    on_worker(async move {
        let docker = engine().await?;
        super::install_cleanup_hooks();
        super::sweep_stale_containers(&docker).await;
        let hash = settings_hash(&docker, &image, &domain).await;
        find_or_start(&docker, &image, &domain, &hash, &container_name(&hash), idle_secs, startup).await
    })
    .await?
}

async fn find_or_start(docker: &Docker, image: &str, domain: &str, hash: &str, name: &str, idle_secs: u64, startup: Duration) -> Result<SharedContainer, BackendError> {
    let mut last = None;
    // When this process first saw the container created but not started.
    let mut starting: Option<Instant> = None;
    let mut attempt = 0;
    while attempt < ATTEMPTS || starting.is_some_and(|since| since.elapsed() < startup) {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(200 * attempt.min(ATTEMPTS) as u64)).await;
        }
        attempt += 1;
        let found = match docker.inspect_container(name, None::<InspectContainerOptions>).await {
            Ok(found) => Some(found),
            Err(err) if is_not_found(&err) => None,
            Err(err) => return Err(docker_error(format!("inspect container `{name}`"), &err)),
        };
        let (id, created) = match found {
            Some(found) if is_running(&found) => (found.id.clone().unwrap_or_else(|| name.to_owned()), false),
            Some(found) => {
                use testcontainers::bollard::models::ContainerStateStatusEnum as Status;
                let status = found.state.as_ref().and_then(|s| s.status);
                let since = *starting.get_or_insert_with(Instant::now);
                // Created and not started yet: another process (without our state dir) is about
                // to start it, unless it died first; being removed: gone in a moment.
                let waiting = match status {
                    Some(Status::CREATED) => since.elapsed() < startup,
                    Some(Status::REMOVING) => true,
                    _ => false,
                };
                if !waiting {
                    // Stopped (by its watchdog), or left half-made: nobody uses it.
                    let _ = remove_by_id(docker, found.id.as_deref().unwrap_or(name)).await;
                }
                continue;
            }
            None => match create(docker, image, domain, hash, name, startup).await {
                Ok(id) => (id, true),
                // Another process (without our state dir) created it first: use theirs.
                Err(Created::Conflict) => continue,
                Err(Created::Failed(err)) => return Err(err),
            },
        };
        match lease(docker, &id, idle_secs, startup, created).await {
            Ok(url) => return Ok(SharedContainer { id, url, image: image.to_owned() }),
            Err(err) => {
                if created {
                    // Ours, and it does not work: nobody else may get it either.
                    let _ = remove_by_id(docker, &id).await;
                    return Err(err);
                }
                // Stopped under us by its watchdog, most likely: look again.
                last = Some(err);
            }
        }
    }
    Err(last.unwrap_or_else(|| BackendError::Docker {
        action: format!("start or reuse the shared container `{name}`"),
        host: engine_address(),
        message: format!("it kept disappearing in {ATTEMPTS} attempts"),
    }))
}

fn is_running(found: &ContainerInspectResponse) -> bool {
    found.state.as_ref().is_some_and(|s| s.running == Some(true) && s.restarting != Some(true))
}

/// Everything that makes two shared containers interchangeable: the image (by id, so a rebuilt
/// tag gets a new container), the server's settings, this protocol, and whose it is. FNV-1a
/// over length-framed parts: stable across builds and Rust versions, unlike `DefaultHasher`.
async fn settings_hash(docker: &Docker, image: &str, domain: &str) -> String {
    let image_id = docker.inspect_image(image).await.ok().and_then(|i| i.id).unwrap_or_default();
    let parts = [LAYOUT, image, &image_id, DATA_DIR, &SERVER_ARGS.join(" "), &user(), domain];
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain((part.len() as u64).to_le_bytes()) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// `<host>:<uid>`: shared containers are per user, as shared local servers are.
fn user() -> String {
    // SAFETY: geteuid has no preconditions.
    format!("{}:{}", hostname(), unsafe { libc::geteuid() })
}

fn container_name(hash: &str) -> String {
    // SAFETY: geteuid has no preconditions.
    format!("seedfast-shared-{}-{}", unsafe { libc::geteuid() }, hash)
}

enum Created {
    /// The name is taken: someone else created it meanwhile.
    Conflict,
    Failed(BackendError),
}

/// Creates and starts the container, waits until its server is ready, and leaves it running
/// when this process exits (its watchdog stops it).
async fn create(docker: &Docker, image: &str, domain: &str, hash: &str, name: &str, timeout: Duration) -> Result<String, Created> {
    let log = std::sync::Arc::new(LogTail::default());
    let (repo, tag) = split_image(image);
    let consumer = {
        let log = std::sync::Arc::clone(&log);
        move |frame: &testcontainers::core::logs::LogFrame| log.push(frame.bytes())
    };
    let request = Postgres::default()
        .with_user(SUPERUSER)
        .with_password(&PASSWORD)
        .with_name(repo)
        .with_tag(tag)
        .with_cmd(SERVER_ARGS)
        .with_env_var("PGDATA", DATA_DIR)
        .with_env_var("POSTGRES_HOST_AUTH_METHOD", HOST_AUTH)
        .with_mount(Mount::tmpfs_mount(DATA_MOUNT))
        .with_container_name(name)
        .with_label(SHARED_LABEL, hash)
        .with_label(USER_LABEL, user())
        .with_label(DOMAIN_LABEL, domain)
        .with_label(IMAGE_LABEL, image)
        .with_label(SERVICE_LABEL, "all services")
        // Stopped by its watchdog, it goes away by itself.
        .with_host_config_modifier(|config| config.auto_remove = Some(true))
        .with_startup_timeout(timeout)
        .with_log_consumer(consumer);
    match request.start().await {
        Ok(container) => {
            log.stop();
            let id = container.id().to_owned();
            // Its Drop would remove the container: it belongs to no process.
            std::mem::forget(container);
            Ok(id)
        }
        Err(TestcontainersError::Client(ClientError::CreateContainer(
            testcontainers::bollard::errors::Error::DockerResponseServerError { status_code: 409, .. },
        ))) => Err(Created::Conflict),
        Err(err) => {
            // testcontainers removes what it gave up on, unless it gave up before owning it.
            if let Ok(found) = docker.inspect_container(name, None::<InspectContainerOptions>).await
                && found.config.as_ref().and_then(|c| c.env.as_ref()).is_some_and(|env| env.iter().any(|e| e == &format!("POSTGRES_PASSWORD={}", *PASSWORD)))
            {
                let _ = remove_by_id(docker, found.id.as_deref().unwrap_or(name)).await;
            }
            Err(Created::Failed(start_error(err, image, timeout, &log)))
        }
    }
}

/// Connects to the container `id`, takes this process's lease, and makes sure a watchdog
/// runs. Returns the maintenance URL. A container someone else is still starting gets until
/// `startup` to answer.
async fn lease(docker: &Docker, id: &str, idle_secs: u64, startup: Duration, created: bool) -> Result<String, BackendError> {
    let found = docker.inspect_container(id, None::<InspectContainerOptions>).await.map_err(|err| docker_error(format!("inspect container {}", short_id(id)), &err))?;
    let password = env_value(&found, "POSTGRES_PASSWORD").unwrap_or_default();
    let published = published_port(&found).map(|port| url_with(&password, &connectable_host(&host_of_engine()), port));
    let bridge = bridge_address(docker, id).await.map(|ip| url_with(&password, &ip_host(ip), POSTGRES_PORT));
    let deadline = Instant::now() + if created { Duration::from_secs(15) } else { startup };
    let mut candidates: Vec<String> = published.into_iter().chain(bridge).collect();
    if candidates.is_empty() {
        return Err(BackendError::Docker { action: format!("find the port of shared container {}", short_id(id)), host: engine_address(), message: "it publishes no port".into() });
    }
    let secrets: Vec<String> = candidates.iter().flat_map(|u| url::secrets(u)).collect();
    let application_name = format!("{LEASE_NAME} idle={idle_secs} {}:{}", hostname(), std::process::id());
    let mut problem = String::new();
    let (url, mut conn) = loop {
        let mut got = None;
        for candidate in &candidates {
            match connect(candidate, &application_name).await {
                Ok(conn) => {
                    got = Some((candidate.clone(), conn));
                    break;
                }
                Err(err) => problem = url::scrub(&err.to_string(), &secrets),
            }
        }
        if let Some(got) = got {
            break got;
        }
        if Instant::now() >= deadline || !still_running(docker, id).await {
            return Err(BackendError::Unreachable { url: url::redact(&candidates[0]), message: format!("the shared container {} does not answer: {problem}", short_id(id)) });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    candidates.clear();
    let query_error = |what: &str, err: sqlx::Error| BackendError::Query { action: what.to_owned(), url: url::redact(&url), message: url::scrub(&err.to_string(), &secrets), code: None };
    if created {
        cheap_auth(&mut conn, &password).await.map_err(|e| query_error("store the password for cheaper logins", e))?;
    }
    // A watchdog holding the exclusive lock is stopping the server: the wait ends with it.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SET lock_timeout = '{}s'", LEASE_WAIT.as_secs()))).execute(&mut conn).await.map_err(|e| query_error("set a lock timeout", e))?;
    sqlx::query("SELECT pg_advisory_lock_shared($1)").bind(LEASE_KEY).execute(&mut conn).await.map_err(|e| query_error("take a lease on the shared container", e))?;
    sqlx::raw_sql("RESET lock_timeout").execute(&mut conn).await.map_err(|e| query_error("reset the lock timeout", e))?;
    ensure_watchdog(docker, id, &mut conn, idle_secs).await.map_err(|e| match e {
        Watch::Query(e) => query_error("check the shared container's watchdog", e),
        Watch::Failed(message) => BackendError::Docker { action: format!("start the watchdog of shared container {}", short_id(id)), host: engine_address(), message },
    })?;
    LEASES.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(conn);
    Ok(url)
}

enum Watch {
    Query(sqlx::Error),
    Failed(String),
}

/// Starts a watchdog unless one beat within [`HEARTBEAT_STALE_SECS`]; waits for its first beat,
/// so a container whose image cannot run one (no `psql`) is refused rather than left forever.
async fn ensure_watchdog(docker: &Docker, id: &str, conn: &mut PgConnection, idle_secs: u64) -> Result<(), Watch> {
    let _ = sqlx::raw_sql("CREATE UNLOGGED TABLE IF NOT EXISTS seedfast_watchdog (id int PRIMARY KEY, beat timestamptz NOT NULL)").execute(&mut *conn).await;
    let beating = || async {
        sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM seedfast_watchdog WHERE beat > now() - make_interval(secs => $1))")
            .bind(f64::from(HEARTBEAT_STALE_SECS))
    };
    if beating().await.fetch_one(&mut *conn).await.map_err(Watch::Query)? {
        return Ok(());
    }
    let script = WATCHDOG.replace("LEASE_KEY", &LEASE_KEY.to_string());
    let exec = docker
        .create_exec(id, ExecConfig { cmd: Some(vec!["sh".into(), "-c".into(), script, "seedfast-watchdog".into(), idle_secs.to_string()]), user: Some(SUPERUSER.into()), ..Default::default() })
        .await
        .map_err(|e| Watch::Failed(describe(&e)))?;
    docker.start_exec(&exec.id, Some(StartExecOptions { detach: true, ..Default::default() })).await.map_err(|e| Watch::Failed(describe(&e)))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    let since: String = sqlx::query_scalar("SELECT now()::text").fetch_one(&mut *conn).await.map_err(Watch::Query)?;
    loop {
        let beat: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM seedfast_watchdog WHERE beat >= $1::timestamptz)").bind(&since).fetch_one(&mut *conn).await.map_err(Watch::Query)?;
        if beat {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Watch::Failed("it never reported (the image needs `sh` and `psql`, as the official postgres image has)".into()));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn connect(url: &str, application_name: &str) -> Result<PgConnection, sqlx::Error> {
    let options: PgConnectOptions = url.parse::<PgConnectOptions>()?.application_name(application_name);
    match tokio::time::timeout(Duration::from_secs(3), PgConnection::connect_with(&options)).await {
        Ok(result) => result,
        Err(_) => Err(sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer within 3s"))),
    }
}

async fn still_running(docker: &Docker, id: &str) -> bool {
    docker.inspect_container(id, None::<InspectContainerOptions>).await.is_ok_and(|found| is_running(&found))
}

fn env_value(found: &ContainerInspectResponse, key: &str) -> Option<String> {
    let prefix = format!("{key}=");
    found.config.as_ref()?.env.as_ref()?.iter().find_map(|e| e.strip_prefix(&prefix).map(str::to_owned))
}

fn published_port(found: &ContainerInspectResponse) -> Option<u16> {
    let ports = found.network_settings.as_ref()?.ports.as_ref()?;
    let bindings = ports.get(&format!("{POSTGRES_PORT}/tcp"))?.as_ref()?;
    // IPv4 first: see `connectable_host`.
    bindings.iter().filter(|b| !b.host_ip.as_deref().unwrap_or_default().contains(':')).chain(bindings.iter()).find_map(|b| b.host_port.as_deref()?.parse().ok())
}

/// The host published ports are on, as testcontainers finds it: DOCKER_HOST's host for a TCP
/// engine, else this machine.
fn host_of_engine() -> String {
    std::env::var("DOCKER_HOST")
        .ok()
        .and_then(|h| {
            let rest = h.strip_prefix("tcp://").or_else(|| h.strip_prefix("http://")).or_else(|| h.strip_prefix("https://"))?;
            let host = rest.split(['/', '@']).next()?;
            Some(host.rsplit_once(':').map_or(host, |(h, _)| h).to_owned())
        })
        .unwrap_or_else(|| "localhost".to_owned())
}

fn url_with(password: &str, host: &str, port: u16) -> String {
    admin_url(host, port).replacen(&*PASSWORD, password, 1)
}

/// For `seedfast clean`: removes this user's shared containers of `domain` that no process leases (all of
/// them with `all`), and says what it did with each: `(removed, short id, image)`.
pub async fn clean_shared(domain: &str, all: bool) -> Vec<(bool, String, String)> {
    let domain = domain.to_owned();
    on_worker(async move {
        let Ok(docker) = engine().await else { return Vec::new() };
        let options = ListContainersOptionsBuilder::new()
            .all(true)
            .filters(&HashMap::from([("label".to_owned(), vec![format!("{USER_LABEL}={}", user()), format!("{DOMAIN_LABEL}={domain}")])]))
            .build();
        let Ok(found) = docker.list_containers(Some(options)).await else { return Vec::new() };
        let mut lines = Vec::new();
        for container in found {
            let Some(id) = container.id else { continue };
            let image = container.labels.as_ref().and_then(|l| l.get(IMAGE_LABEL).cloned()).unwrap_or_default();
            // Held while the container is removed, so no lease slips in.
            let free = if all { Some(None) } else { unleased(&docker, &id).await };
            let removed = free.is_some();
            if removed && remove_by_id(&docker, &id).await.is_err() {
                continue;
            }
            drop(free);
            lines.push((removed, short_id(&id).to_owned(), image));
        }
        lines
    })
    .await
    .unwrap_or_default()
}

/// `Some` when no live process leases the container `id` (its lease lock can be taken), with
/// the session that holds that lock, if it answered: `None` when it is leased.
async fn unleased(docker: &Docker, id: &str) -> Option<Option<PgConnection>> {
    let Ok(found) = docker.inspect_container(id, None::<InspectContainerOptions>).await else { return Some(None) };
    if !is_running(&found) {
        return Some(None);
    }
    let password = env_value(&found, "POSTGRES_PASSWORD").unwrap_or_default();
    let Some(port) = published_port(&found) else { return Some(None) };
    let url = url_with(&password, &connectable_host(&host_of_engine()), port);
    // A running container that does not answer leases nothing either.
    let Ok(mut conn) = connect(&url, "seedfast clean").await else { return Some(None) };
    let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(LEASE_KEY).fetch_one(&mut conn).await.unwrap_or(false);
    free.then_some(Some(conn))
}
