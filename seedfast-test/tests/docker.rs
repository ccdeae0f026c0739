//! The docker backend against a real Docker engine; nothing is mocked.
//!
//! The image is `SEEDFAST_POSTGRES_IMAGE` if set, else `seedfast-local/postgres:15` if present
//! locally, else the backend's default. Without an engine answering, or without that image
//! present or pullable, each test prints one line saying it was skipped and why, and passes,
//! unless `SEEDFAST_BACKEND=docker`, where it fails.
//! The checks use the `docker` CLI.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use seedfast_test::backend::{
    BackendError, DEFAULT_IMAGE, DockerOptions, DockerServer, IMAGE_ENV, Server, docker_available,
    image_available, keep_containers,
};
use sqlx::Row;
use tokio::sync::{OnceCell, RwLock};

const LOCAL_IMAGE: &str = "seedfast-local/postgres:15";
const MISSING_IMAGE: &str = "seedfast-missing/postgres:0";
/// Tells `child_process_helper` what to do; unset, it does nothing.
const CHILD_MODE_ENV: &str = "SEEDFAST_DOCKER_TEST_CHILD";
const CHILD_HELPER: &str = "child_process_helper";
const CHILD_TIMEOUT: Duration = Duration::from_secs(180);

/// Every start sweeps the containers of dead processes. The test that shows a SIGKILLed process
/// leaves its container behind takes this for writing while it looks, so that no start in this
/// process (or in a child another test runs) sweeps it first; everything that starts containers
/// holds it for reading.
static SWEEP_GATE: RwLock<()> = RwLock::const_new(());

// ---------------------------------------------------------------------------------------------
// A container and its databases

#[tokio::test]
async fn docker_server_creates_queries_and_drops_databases() {
    let Some(image) = docker_image("docker_server_creates_queries_and_drops_databases").await
    else {
        return;
    };
    let _gate = SWEEP_GATE.read().await;
    let docker = DockerServer::start_with("inventory", options(&image))
        .await
        .expect("start a container");
    let id = docker.id().to_owned();
    assert_eq!(docker.service(), "inventory");
    assert_eq!(docker.image(), image);
    assert!(container_exists(&id));
    let password = password_of(&docker.url_for("postgres"));
    let server = Server::from(docker);
    assert!(server.as_docker().is_some() && server.as_local().is_none());

    let db = server
        .create_database("Docker Template", None)
        .await
        .expect("create a database");
    assert!(
        db.name().starts_with("seedfast_docker_template_"),
        "{}",
        db.name()
    );
    let pool = db.connect().await.expect("connect to the new database");
    let row = sqlx::query("SELECT current_database() AS name, 6 * 7 AS answer")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("name"), db.name());
    assert_eq!(row.get::<i32, _>("answer"), 42);
    sqlx::raw_sql("CREATE TABLE item (id int PRIMARY KEY); INSERT INTO item VALUES (1), (2)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    // A copy of it, as the harness makes one per test from a seeded template.
    let copy = server
        .create_database("copy", Some(db.name()))
        .await
        .expect("create a database from a template");
    let pool = copy.connect().await.unwrap();
    let items: i64 = sqlx::query_scalar("SELECT count(*) FROM item")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(items, 2);

    // The password connects, and is never shown.
    assert!(copy.url().contains(&password));
    for shown in [
        copy.display_url(),
        server.display_url(),
        format!("{copy:?}"),
        format!("{server:?}"),
    ] {
        assert!(!shown.contains(&password), "{shown}");
        assert!(
            shown.contains("postgres:***@") || !shown.contains('@'),
            "{shown}"
        );
    }

    // The open pool does not keep the database from being dropped.
    let names = [db.name().to_owned(), copy.name().to_owned()];
    copy.close().await.expect("drop the copy");
    db.close().await.expect("drop the template");
    drop(pool);
    for name in &names {
        assert!(
            !database_exists(&server, name).await,
            "{name} is still there"
        );
    }

    // The last handle on the server removes its container.
    drop(server);
    assert!(!container_exists(&id), "container {id} outlived its server");
}

#[tokio::test]
async fn container_is_labelled_and_runs_without_durability_on_tmpfs() {
    let Some(image) = docker_image("container_is_labelled_and_runs_without_durability_on_tmpfs").await
    else {
        return;
    };
    let _gate = SWEEP_GATE.read().await;
    let docker = DockerServer::start_with("Billing API", options(&image))
        .await
        .expect("start a container");

    let owner = inspect(
        docker.id(),
        r#"{{index .Config.Labels "dev.seedfast.owner"}}"#,
    );
    assert_eq!(owner, format!("{}:{}", hostname(), std::process::id()));
    let service = inspect(
        docker.id(),
        r#"{{index .Config.Labels "dev.seedfast.service"}}"#,
    );
    assert_eq!(service, "Billing API");
    let env = inspect(docker.id(), "{{json .Config.Env}}");
    assert!(env.contains("\"POSTGRES_USER=postgres\""), "{env}");

    let pool = sqlx::PgPool::connect(&docker.url_for("postgres"))
        .await
        .expect("connect");
    // A login costs no 4096 PBKDF2 rounds: one (SCRAM, PostgreSQL 16+) or an md5 verifier.
    let verifier: String = sqlx::query_scalar("SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(verifier.starts_with("md5") || verifier.starts_with("SCRAM-SHA-256$1:"), "an expensive verifier: {}", &verifier[..16]);
    for (setting, expected) in [
        ("fsync", "off"),
        ("synchronous_commit", "off"),
        ("full_page_writes", "off"),
        ("max_connections", "200"),
    ] {
        let value: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SHOW {setting}")))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(value, expected, "{setting}");
    }
    // Its files on a tmpfs, not on the engine's disk: a clone is a copy of files.
    let data: String = sqlx::query_scalar("SELECT current_setting('data_directory')").fetch_one(&pool).await.unwrap();
    let fs = docker_cli(["exec", docker.id(), "stat", "-f", "-c", "%T", &data]);
    assert_eq!(String::from_utf8_lossy(&fs.stdout).trim(), "tmpfs", "{data}: {}", String::from_utf8_lossy(&fs.stderr));
    pool.close().await;
}

#[tokio::test]
async fn two_services_get_two_containers() {
    let Some(image) = docker_image("two_services_get_two_containers").await else {
        return;
    };
    let _gate = SWEEP_GATE.read().await;
    let (users, orders) = tokio::join!(
        DockerServer::start_with("users", options(&image)),
        DockerServer::start_with("orders", options(&image)),
    );
    let (users, orders) = (users.expect("start users"), orders.expect("start orders"));
    assert_ne!(users.id(), orders.id());
    assert_ne!(users.url_for("postgres"), orders.url_for("postgres"));
    for (server, service) in [(&users, "users"), (&orders, "orders")] {
        let label = inspect(
            server.id(),
            r#"{{index .Config.Labels "dev.seedfast.service"}}"#,
        );
        assert_eq!(label, service);
        // Each answers on its own: a table in one is not in the other.
        let pool = sqlx::PgPool::connect(&server.url_for("postgres"))
            .await
            .unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE only_{service} ()"
        )))
        .execute(&pool)
        .await
        .unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT tablename::text FROM pg_tables WHERE tablename LIKE 'only_%'",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(tables, [format!("only_{service}")]);
        pool.close().await;
    }
    let ids = [users.id().to_owned(), orders.id().to_owned()];
    drop((users, orders));
    for id in ids {
        assert!(!container_exists(&id), "container {id} outlived its server");
    }
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn an_unreachable_engine_is_reported() {
    // A port nothing listens on. The engine address is given to a child process, so that this
    // process's environment (and testcontainers' per-process client) stays as it is.
    let child = spawn_child("unreachable", &[("DOCKER_HOST", "tcp://127.0.0.1:1")]);
    let (status, stdout, stderr) = wait_with_output(child, CHILD_TIMEOUT);
    assert!(status.success(), "the child failed:\n{stdout}\n{stderr}");
    let messages = child_values(&stdout, "error=");
    assert_eq!(messages.len(), 2, "{stdout}");
    for message in messages {
        assert!(
            message.starts_with("no docker engine answers at tcp://127.0.0.1:1 (DOCKER_HOST): "),
            "{message}"
        );
        assert!(message.contains("start the docker engine"), "{message}");
        assert!(message.contains("SEEDFAST_BACKEND=local"), "{message}");
        assert!(!message.contains('\n'), "{message}");
        assert!(!message.contains("POSTGRES_PASSWORD"), "{message}");
    }
}

#[tokio::test]
async fn a_missing_image_is_reported() {
    let Some(image) = docker_image("a_missing_image_is_reported").await else {
        return;
    };
    let password = process_password(&image).await;
    let _gate = SWEEP_GATE.read().await;

    image_available(&image)
        .await
        .expect("the test image is present");
    let err = image_available(MISSING_IMAGE)
        .await
        .expect_err("the image does not exist");
    assert!(matches!(err, BackendError::ImageMissing { .. }), "{err:?}");

    let err = DockerServer::start_with("missing", options(MISSING_IMAGE))
        .await
        .expect_err("the image does not exist");
    assert!(matches!(err, BackendError::ImageMissing { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "docker image `{MISSING_IMAGE}` is not present locally and could not be pulled: "
        )),
        "{message}"
    );
    assert!(
        message.contains(&format!("run `docker pull {MISSING_IMAGE}`")),
        "{message}"
    );
    assert!(message.contains("SEEDFAST_POSTGRES_IMAGE"), "{message}");
    for shown in [message, format!("{err:?}")] {
        assert!(!shown.contains(&password), "{shown}");
    }
}

#[tokio::test]
async fn a_container_that_never_gets_ready_times_out_with_its_log() {
    let Some(image) =
        docker_image("a_container_that_never_gets_ready_times_out_with_its_log").await
    else {
        return;
    };
    let password = process_password(&image).await;
    let derived = DerivedImage::build(
        &image,
        "never-ready",
        r#"["/bin/sh", "-c", "echo 'seedfast test: sleeping instead of starting postgres'; exec sleep 600"]"#,
    );
    let _gate = SWEEP_GATE.read().await;

    let began = Instant::now();
    let err = DockerServer::start_with(
        "slow",
        DockerOptions {
            image: Some(derived.tag.clone()),
            startup_timeout: Some(Duration::from_secs(3)),
        },
    )
    .await
    .expect_err("the container never reports ready");
    assert!(
        began.elapsed() < Duration::from_secs(60),
        "{:?}",
        began.elapsed()
    );
    assert!(
        matches!(err, BackendError::ContainerStartTimeout { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "the postgres container from `{}` was not ready within 3s; the end of its log:\n",
            derived.tag
        )),
        "{message}"
    );
    assert!(
        message.contains("seedfast test: sleeping instead of starting postgres"),
        "{message}"
    );
    assert!(message.contains("SEEDFAST_STARTUP_TIMEOUT"), "{message}");
    for shown in [message, format!("{err:?}")] {
        assert!(!shown.contains(&password), "{shown}");
    }
    assert_eq!(
        containers_of(&derived.tag),
        "",
        "the timed-out container was left behind"
    );
}

#[tokio::test]
async fn a_container_that_exits_during_start_up_is_reported_with_its_log() {
    let Some(image) =
        docker_image("a_container_that_exits_during_start_up_is_reported_with_its_log").await
    else {
        return;
    };
    let password = process_password(&image).await;
    let derived = DerivedImage::build(
        &image,
        "exits",
        r#"["/bin/sh", "-c", "echo 'seedfast test: giving up' >&2; exit 3"]"#,
    );
    let _gate = SWEEP_GATE.read().await;

    let err = DockerServer::start_with("exits", options(&derived.tag))
        .await
        .expect_err("the container exits");
    assert!(
        matches!(err, BackendError::ContainerExited { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "the postgres container from `{}` exited during start-up; the end of its log:\n",
            derived.tag
        )),
        "{message}"
    );
    assert!(message.contains("seedfast test: giving up"), "{message}");
    for shown in [message, format!("{err:?}")] {
        assert!(!shown.contains(&password), "{shown}");
    }
    assert_eq!(
        containers_of(&derived.tag),
        "",
        "the exited container was left behind"
    );
}

// ---------------------------------------------------------------------------------------------
// Cleanup when the owning process ends

/// Servers held until the process exits, like the harness's per-process statics.
static HELD: Mutex<Vec<Server>> = Mutex::new(Vec::new());

/// Not a test: the body of the child processes that the tests below start. Without
/// `SEEDFAST_DOCKER_TEST_CHILD` (e.g. under `cargo test -- --ignored`) it does nothing.
#[tokio::test]
#[ignore = "helper, run in a child process by other tests"]
async fn child_process_helper() {
    let Ok(mode) = std::env::var(CHILD_MODE_ENV) else {
        return;
    };
    if mode == "unreachable" {
        let available = docker_available().await.expect_err("no engine there");
        let start = DockerServer::start("unreachable")
            .await
            .expect_err("no engine there");
        for err in [available, start] {
            assert!(
                matches!(err, BackendError::DockerUnreachable { .. }),
                "{err:?}"
            );
            println!("SEEDFAST_CHILD error={err}");
        }
        return;
    }

    let docker = DockerServer::start("child")
        .await
        .expect("start a container");
    let server = Server::from(docker);
    let db = server.create_database("child", None).await.unwrap();
    println!("SEEDFAST_CHILD id={}", server.as_docker().unwrap().id());
    // Never dropped, like the harness's statics: only the exit clean-up can remove it.
    std::mem::forget(db);
    HELD.lock().unwrap().push(server);
    match mode.as_str() {
        "panic" => panic!("deliberate panic while a container runs"),
        "keep" => {
            let kept = keep_containers();
            for id in kept {
                println!("SEEDFAST_CHILD kept={id}");
            }
        }
        "wait" => {
            tokio::time::sleep(CHILD_TIMEOUT).await;
            panic!("the parent test never ended this process");
        }
        other => panic!("unknown {CHILD_MODE_ENV}={other}"),
    }
}

#[test]
fn container_is_removed_when_its_process_panics() {
    let Some(image) = block_on(docker_image("container_is_removed_when_its_process_panics")) else {
        return;
    };
    let _gate = SWEEP_GATE.blocking_read();
    let child = spawn_child("panic", &[(IMAGE_ENV, image.as_str())]);
    let (status, stdout, stderr) = wait_with_output(child, CHILD_TIMEOUT);

    assert!(
        !status.success(),
        "the child should have failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("deliberate panic") || stderr.contains("deliberate panic"),
        "the child failed for another reason:\n{stdout}\n{stderr}"
    );
    let id = child_values(&stdout, "id=")
        .pop()
        .unwrap_or_else(|| panic!("no container id from the child:\n{stdout}\n{stderr}"));
    assert!(
        !container_exists(&id),
        "container {id} outlived the panicking process:\n{stderr}"
    );
}

#[test]
fn container_is_removed_when_its_process_is_interrupted() {
    for (signal, code) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let Some(image) = block_on(docker_image(
            "container_is_removed_when_its_process_is_interrupted",
        )) else {
            return;
        };
        let _gate = SWEEP_GATE.blocking_read();
        let (mut child, id) = spawn_waiting_child(&image);
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(child.id() as libc::pid_t, signal) };
        let status = wait_timeout(&mut child, CHILD_TIMEOUT);
        let stderr = read_stderr(&mut child);
        assert_eq!(
            status.code(),
            Some(code),
            "signal {signal}: {status:?}\n{stderr}"
        );
        assert!(
            !container_exists(&id),
            "container {id} outlived the process ended by signal {signal}:\n{stderr}"
        );
    }
}

#[test]
fn a_killed_process_leaves_its_container_to_the_next_start() {
    let Some(image) = block_on(docker_image(
        "a_killed_process_leaves_its_container_to_the_next_start",
    )) else {
        return;
    };
    let (mut child, id) = spawn_waiting_child(&image);
    let child_pid = child.id();
    {
        let _gate = SWEEP_GATE.blocking_write();
        child.kill().expect("SIGKILL the child");
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL));
        assert!(
            container_exists(&id),
            "a SIGKILLed process cannot clean up, so container {id} should be left"
        );
        let owner = inspect(&id, r#"{{index .Config.Labels "dev.seedfast.owner"}}"#);
        assert_eq!(owner, format!("{}:{child_pid}", hostname()));
    }

    // Any later start sweeps what the dead process left.
    let docker =
        block_on(DockerServer::start_with("sweeper", options(&image))).expect("start a container");
    assert!(
        !container_exists(&id),
        "the stale container {id} was not swept"
    );
    drop(docker);
}

#[test]
fn kept_containers_survive_their_process_and_the_sweep() {
    let Some(image) = block_on(docker_image(
        "kept_containers_survive_their_process_and_the_sweep",
    )) else {
        return;
    };
    let _gate = SWEEP_GATE.blocking_read();
    let child = spawn_child("keep", &[(IMAGE_ENV, image.as_str())]);
    let (status, stdout, stderr) = wait_with_output(child, CHILD_TIMEOUT);
    let kept = child_values(&stdout, "kept=");
    let _cleanup = RemoveOnDrop(kept.clone());
    assert!(status.success(), "the child failed:\n{stdout}\n{stderr}");
    let id = child_values(&stdout, "id=")
        .pop()
        .expect("the child's container");
    assert_eq!(kept.as_slice(), std::slice::from_ref(&id));

    assert!(container_exists(&id), "the kept container {id} was removed");
    let name = inspect(&id, "{{.Name}}");
    assert!(name.starts_with("/seedfast-kept-child-"), "{name}");
    // Its owner is gone, but it is not stale: it was kept on purpose.
    let docker = block_on(DockerServer::start_with("after-keep", options(&image)))
        .expect("start a container");
    assert!(
        container_exists(&id),
        "the sweep removed kept container {id}"
    );
    drop(docker);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// The image to test with, or `None` (after saying so in one line) when Docker cannot serve it
/// (no engine answers, or the image is neither present nor pullable) and the docker backend was
/// not asked for; with `SEEDFAST_BACKEND=docker` either is a failure.
async fn docker_image(test: &str) -> Option<String> {
    let demanded = std::env::var("SEEDFAST_BACKEND").as_deref() == Ok("docker");
    let image = test_image();
    let why = match docker_available().await {
        Ok(()) => match image_available(&image).await {
            Ok(()) => return Some(image),
            // The full error (registry, DNS) is long; the one line says what to do.
            Err(BackendError::ImageMissing { .. }) => format!(
                "image `{image}` is neither present nor pullable (set SEEDFAST_POSTGRES_IMAGE to an image `docker images` lists)"
            ),
            Err(err) => format!("image `{image}` cannot be checked ({err})"),
        },
        Err(err) => format!("no docker engine ({err})"),
    };
    if demanded {
        panic!("SEEDFAST_BACKEND=docker, but {why}");
    }
    // Straight to stderr: the harness would hide a print of a passing test.
    let first_line = why.lines().next().unwrap_or_default();
    let _ = writeln!(std::io::stderr(), "skipped {test}: {first_line}");
    None
}

fn test_image() -> String {
    match std::env::var(IMAGE_ENV) {
        Ok(image) if !image.trim().is_empty() => image,
        _ if docker_cli(["image", "inspect", LOCAL_IMAGE])
            .status
            .success() =>
        {
            LOCAL_IMAGE.to_owned()
        }
        _ => DEFAULT_IMAGE.to_owned(),
    }
}

fn options(image: &str) -> DockerOptions {
    DockerOptions {
        image: Some(image.to_owned()),
        ..Default::default()
    }
}

/// The per-process password, read from the URL of a container that lives until exit.
async fn process_password(image: &str) -> String {
    static SHARED: OnceCell<DockerServer> = OnceCell::const_new();
    let server = SHARED
        .get_or_init(|| async {
            let _gate = SWEEP_GATE.read().await;
            DockerServer::start_with("password", options(image))
                .await
                .expect("start a container")
        })
        .await;
    password_of(&server.url_for("postgres"))
}

fn password_of(url: &str) -> String {
    let (_, rest) = url
        .split_once("://postgres:")
        .expect("a url with credentials");
    let (password, _) = rest.split_once('@').expect("a url with credentials");
    assert!(password.len() >= 16, "a weak password");
    password.to_owned()
}

async fn database_exists(server: &Server, name: &str) -> bool {
    let pool = sqlx::PgPool::connect(&server.url_for("postgres"))
        .await
        .expect("connect to the maintenance database");
    let exists = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    exists
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn docker_cli<const N: usize>(args: [&str; N]) -> Output {
    Command::new("docker")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run the docker CLI")
}

/// `docker inspect --format <format> <id>`, trimmed.
fn inspect(id: &str, format: &str) -> String {
    let out = docker_cli(["inspect", "--format", format, id]);
    assert!(
        out.status.success(),
        "docker inspect {id}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn container_exists(id: &str) -> bool {
    let filter = format!("id={id}");
    let out = docker_cli(["ps", "-a", "-q", "--filter", &filter]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    !out.stdout.trim_ascii().is_empty()
}

/// Ids of the containers (running or not) created from `image`.
fn containers_of(image: &str) -> String {
    let filter = format!("ancestor={image}");
    let out = docker_cli(["ps", "-a", "-q", "--filter", &filter]);
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .expect("read the hostname")
        .trim()
        .to_owned()
}

/// An image built on the test image with another entrypoint, removed again on drop.
struct DerivedImage {
    tag: String,
    dir: PathBuf,
}

impl DerivedImage {
    fn build(base: &str, name: &str, entrypoint: &str) -> DerivedImage {
        let tag = format!("seedfast-test/{name}:{}", std::process::id());
        let dir = std::env::temp_dir().join(format!(
            "seedfast-docker-test-{}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("Dockerfile"),
            format!("FROM {base}\nENTRYPOINT {entrypoint}\n"),
        )
        .unwrap();
        let out = docker_cli(["build", "-q", "-t", &tag, dir.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "docker build {tag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        DerivedImage { tag, dir }
    }
}

impl Drop for DerivedImage {
    fn drop(&mut self) {
        let _ = docker_cli(["rmi", "-f", &self.tag]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes the listed containers on drop, whatever the test's outcome.
struct RemoveOnDrop(Vec<String>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        for id in &self.0 {
            let _ = docker_cli(["rm", "-f", "-v", id]);
        }
    }
}

/// Runs this test binary's `child_process_helper` in `mode`.
fn spawn_child(mode: &str, env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            CHILD_HELPER,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_MODE_ENV, mode)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A shell without job control starts background jobs with SIGINT ignored, and the child
    // would inherit that; the backend rightly leaves an ignored signal ignored.
    // SAFETY: signal() is async-signal-safe.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
            Ok(())
        });
    }
    command.spawn().expect("start a child test process")
}

/// Starts a child in `wait` mode and returns it with its container id, once it reported one.
fn spawn_waiting_child(image: &str) -> (Child, String) {
    let mut child = spawn_child("wait", &[(IMAGE_ENV, image)]);
    let stdout = child.stdout.take().unwrap();
    let (lines, incoming) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut report = String::new();
    let deadline = Instant::now() + CHILD_TIMEOUT;
    loop {
        if let Some(id) = child_values(&report, "id=").pop() {
            return (child, id);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match incoming.recv_timeout(left) {
            Ok(line) => {
                report.push_str(&line);
                report.push('\n');
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                let stderr = read_stderr(&mut child);
                panic!("the child never reported its container:\n{report}\n{stderr}");
            }
        }
    }
}

fn wait_timeout(child: &mut Child, timeout: Duration) -> ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child test process did not finish within {timeout:?}");
        }
        thread::sleep(Duration::from_millis(50));
    }
}

fn read_stderr(child: &mut Child) -> String {
    let mut text = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut text);
    }
    text
}

fn wait_with_output(mut child: Child, timeout: Duration) -> (ExitStatus, String, String) {
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().unwrap()));
    let stderr = read_all(Box::new(child.stderr.take().unwrap()));
    let status = wait_timeout(&mut child, timeout);
    (status, stdout.join().unwrap(), stderr.join().unwrap())
}

/// The values the child printed as `SEEDFAST_CHILD <key><value>`, in order.
fn child_values(stdout: &str, key: &str) -> Vec<String> {
    stdout
        .lines()
        // The harness's "test child_process_helper ... " may precede the first line.
        .filter_map(|line| line.split_once("SEEDFAST_CHILD ")?.1.strip_prefix(key))
        .map(str::to_owned)
        .collect()
}
