//! The backend module against real PostgreSQL servers that these tests start.
//!
//! Needs the PostgreSQL server binaries (found as `LocalServer` documents) and, when run as
//! root, a `postgres` system account to run them as.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use seedfast_test::backend::{BackendError, LocalOptions, LocalServer, Server, redact};
use sqlx::Row;

/// Tells `child_process_helper` what to do; unset, it does nothing.
const CHILD_MODE_ENV: &str = "SEEDFAST_BACKEND_TEST_CHILD";
const CHILD_HELPER: &str = "child_process_helper";
const CHILD_TIMEOUT: Duration = Duration::from_secs(120);
/// The server the `external` child creates its database on.
const CHILD_EXTERNAL_URL_ENV: &str = "SEEDFAST_BACKEND_TEST_EXTERNAL_URL";

// ---------------------------------------------------------------------------------------------
// Local backend

#[tokio::test]
async fn local_server_creates_queries_and_drops_a_database() {
    let local = LocalServer::start().await.expect("start a local server");
    let dir = local.dir().to_path_buf();
    let pid = local.pid();
    assert!(dir.join("data/PG_VERSION").is_file());
    assert!(pid_alive(pid));
    let server = Server::from(local);

    let db = server
        .create_database("Create & Drop", None)
        .await
        .expect("create a database");
    assert!(
        db.name().starts_with("seedfast_create_drop_"),
        "{}",
        db.name()
    );
    assert!(database_exists(&server, db.name()).await);

    let pool = db.connect().await.expect("connect to the new database");
    let row = sqlx::query("SELECT current_database() AS name, 6 * 7 AS answer")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("name"), db.name());
    assert_eq!(row.get::<i32, _>("answer"), 42);

    // The pool is still open: the drop must end its sessions rather than fail.
    let name = db.name().to_owned();
    db.close().await.expect("drop the database");
    assert!(!database_exists(&server, &name).await);
    drop(pool);

    // The last handle on an owned server stops it and removes its directory.
    drop(server);
    assert!(!dir.exists(), "{} outlived its server", dir.display());
    assert!(!pid_alive(pid), "postmaster {pid} outlived its server");
}

#[tokio::test]
async fn temp_database_is_dropped_on_drop_inside_a_runtime() {
    let server = Server::local().await.expect("start the shared server");
    let db = server
        .create_database("drop in runtime", None)
        .await
        .unwrap();
    let name = db.name().to_owned();
    let pool = db.connect().await.unwrap();
    sqlx::query("CREATE TABLE t (id int)")
        .execute(&pool)
        .await
        .unwrap();

    drop(db);
    assert!(!database_exists(&server, &name).await);
    pool.close().await;
}

#[test]
fn temp_database_is_dropped_on_drop_outside_a_runtime() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, db) = runtime.block_on(async {
        let server = Server::local().await.expect("start the shared server");
        let db = server.create_database("drop outside", None).await.unwrap();
        (server, db)
    });
    let name = db.name().to_owned();

    drop(db);
    assert!(!runtime.block_on(database_exists(&server, &name)));
}

#[tokio::test]
async fn databases_copy_templates_and_can_be_kept() {
    let server = Server::local().await.expect("start the shared server");
    let template = server.create_database("template", None).await.unwrap();
    let pool = template.connect().await.unwrap();
    sqlx::raw_sql("CREATE TABLE seeded (id int PRIMARY KEY); INSERT INTO seeded VALUES (1), (2);")
        .execute(&pool)
        .await
        .unwrap();

    // A template must have no sessions while it is copied; the error must say so.
    let err = server
        .create_database("busy copy", Some(template.name()))
        .await
        .expect_err("copying a template with open connections");
    let message = err.to_string();
    assert!(
        message.contains("being accessed by other users"),
        "{message}"
    );
    assert!(
        message.contains("close every pool on it first"),
        "{message}"
    );
    pool.close().await;

    let copy = server
        .create_database("copy", Some(template.name()))
        .await
        .expect("copy the template");
    let pool = copy.connect().await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM seeded")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 2);
    pool.close().await;

    let kept = copy.keep();
    assert!(
        database_exists(&server, &kept).await,
        "a kept database was dropped"
    );
    let admin = sqlx::PgPool::connect(&server.url_for("postgres"))
        .await
        .unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE \"{kept}\"")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    template.close().await.unwrap();
}

#[test]
fn shared_server_is_one_server_across_runtimes() {
    // Each thread has a runtime of its own that ends with it, like each #[tokio::test].
    let seen: Vec<(u32, u16, PathBuf)> = (0..3)
        .map(|i| {
            thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    let server = Server::local().await.expect("start the shared server");
                    use_briefly(&server, &format!("runtime {i}")).await;
                    let local = server.as_local().expect("a local server");
                    (local.pid(), local.port(), local.dir().to_path_buf())
                })
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|worker| worker.join().expect("a worker thread panicked"))
        .collect();
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");

    // The runtimes that started and used it are gone; it must still serve.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let server = Server::local().await.unwrap();
        assert_eq!(server.as_local().unwrap().pid(), seen[0].0);
        use_briefly(&server, "after").await;
    });
}

#[tokio::test]
async fn missing_binaries_are_reported_with_a_fix() {
    let empty = TestDir::new("empty-bindir");
    let err = LocalServer::start_with(LocalOptions {
        bindir: Some(empty.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .expect_err("no binaries in an empty dir");
    assert!(
        matches!(err, BackendError::BinariesNotFound { .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("initdb and postgres) not found"),
        "{message}"
    );
    assert!(
        message.contains(&empty.path().display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("no executable initdb or postgres there"),
        "{message}"
    );
    assert!(message.contains("apt-get install postgresql"), "{message}");
    assert!(message.contains("SEEDFAST_PG_BINDIR"), "{message}");
}

// ---------------------------------------------------------------------------------------------
// Cleanup when the owning process dies

/// Not a test: the body of the child processes that the tests below start. Without
/// `SEEDFAST_BACKEND_TEST_CHILD` (e.g. under `cargo test -- --ignored`) it does nothing.
#[tokio::test]
#[ignore = "helper, run in a child process by other tests"]
async fn child_process_helper() {
    let Ok(mode) = std::env::var(CHILD_MODE_ENV) else {
        return;
    };
    if mode == "external" {
        let server = Server::external(&std::env::var(CHILD_EXTERNAL_URL_ENV).unwrap()).unwrap();
        let kept = server.create_database("child_kept", None).await.unwrap().keep();
        println!("SEEDFAST_CHILD kept={kept}");
        let db = server.create_database("child", None).await.unwrap();
        println!("SEEDFAST_CHILD database={}", db.name());
        tokio::time::sleep(CHILD_TIMEOUT).await;
        panic!("the parent test never killed this process");
    }
    let server = Server::local().await.expect("start the shared server");
    let local = server.as_local().unwrap();
    let _db = server.create_database("child", None).await.unwrap();
    println!("SEEDFAST_CHILD dir={}", local.dir().display());
    println!("SEEDFAST_CHILD pid={}", local.pid());
    match mode.as_str() {
        "panic" => panic!("deliberate panic while the shared server runs"),
        "wait" => {
            tokio::time::sleep(CHILD_TIMEOUT).await;
            panic!("the parent test never killed this process");
        }
        other => panic!("unknown {CHILD_MODE_ENV}={other}"),
    }
}

#[test]
fn shared_server_is_removed_when_its_process_panics() {
    let tmp = TestDir::new("panic");
    let child = spawn_child("panic", tmp.path());
    let (status, stdout, stderr) = wait_with_output(child, CHILD_TIMEOUT);

    assert!(
        !status.success(),
        "the child should have failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("deliberate panic") || stderr.contains("deliberate panic"),
        "the child failed for another reason:\n{stdout}\n{stderr}"
    );
    let (dir, pid) = child_report(&stdout).expect("the child's report");
    assert!(dir.starts_with(tmp.path()), "{}", dir.display());
    assert!(
        !dir.exists(),
        "{} outlived the panicking process",
        dir.display()
    );
    assert!(
        !pid_alive(pid),
        "postmaster {pid} outlived the panicking process"
    );
}

#[test]
fn postmaster_dies_with_a_killed_process_and_its_dir_is_swept_later() {
    let tmp = TestDir::new("sigkill");
    let mut child = spawn_child("wait", tmp.path());
    let (dir, pid) = report_until(&mut child, child_report);
    assert!(pid_alive(pid));

    // Dynamic shared memory lives in the cluster dir, where the sweep reaches it, never in
    // /dev/shm, where a SIGKILLed run's `PostgreSQL.*` segments would stay until reboot.
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("the postmaster's mappings");
    let mapped: Vec<&str> = maps.lines().filter_map(|l| l.split_whitespace().nth(5)).collect();
    // (The cluster dir itself may be on /dev/shm: what must not be there is PostgreSQL's own.)
    assert!(!mapped.iter().any(|f| f.starts_with("/dev/shm/PostgreSQL.")), "segments in /dev/shm:\n{maps}");
    let segments: Vec<PathBuf> = mapped.iter().filter(|f| f.contains("/pg_dynshmem/")).map(PathBuf::from).collect();
    assert!(!segments.is_empty() && segments.iter().all(|f| f.starts_with(&dir)), "no segment in {}:\n{maps}", dir.display());

    child.kill().expect("SIGKILL the child");
    child.wait().unwrap();

    assert!(
        wait_until(Duration::from_secs(10), || !pid_alive(pid)),
        "postmaster {pid} outlived its SIGKILLed parent process"
    );
    assert!(
        dir.exists(),
        "a SIGKILLed process cannot clean up, so {} should be left for the sweep",
        dir.display()
    );

    // Any later start in the same temp dir sweeps what the dead process left.
    let server = LocalServer::start_blocking(LocalOptions {
        temp_dir: Some(tmp.path().to_path_buf()),
        ..Default::default()
    })
    .expect("start a local server");
    assert!(!dir.exists(), "the stale {} was not swept", dir.display());
    assert!(segments.iter().all(|f| !f.exists()), "shared memory outlived the sweep: {segments:?}");
    let own = server.dir().to_path_buf();
    assert!(own.starts_with(tmp.path()), "{}", own.display());
    drop(server);
    assert!(!own.exists());
}

// ---------------------------------------------------------------------------------------------
// External backend

#[test]
fn external_databases_of_killed_processes_are_swept_and_live_ones_spared() {
    // A server of this test's own, so no other test's databases are in the way.
    let tmp = TestDir::new("external-sweep");
    let local = LocalServer::start_blocking(LocalOptions { temp_dir: Some(tmp.path().to_path_buf()), ..Default::default() }).unwrap();
    let url = local.url_for("postgres");
    let spawn = || {
        let mut cmd = Command::new(std::env::current_exe().unwrap());
        cmd.args(["--exact", CHILD_HELPER, "--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_MODE_ENV, "external")
            .env(CHILD_EXTERNAL_URL_ENV, &url)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start a child test process");
        let (database, kept) = report_until(&mut child, |out| {
            let value = |key: &str| out.lines().find_map(|l| l.split_once(key).map(|(_, d)| d.trim().to_owned()));
            Some((value("SEEDFAST_CHILD database=")?, value("SEEDFAST_CHILD kept=")?))
        });
        (child, database, kept)
    };
    let (mut killed, killed_db, killed_kept) = spawn();
    let (mut alive, alive_db, _) = spawn();

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = Server::external(&url).unwrap();
    killed.kill().expect("SIGKILL the child");
    killed.wait().unwrap();
    assert!(runtime.block_on(database_exists(&server, &killed_db)), "a SIGKILLed process cannot drop {killed_db}");
    // The server ends the dead process's session, and with it its lock, once it sees the socket close.
    let killed_pid = killed.id() as i64;
    assert!(wait_until(Duration::from_secs(10), || runtime.block_on(async {
        let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
        let held: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1")
            .bind(killed_pid)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        held == 0
    })));

    // The next start (this process's first database on that server) sweeps.
    let own = runtime.block_on(server.create_database("sweeper", None)).unwrap();
    assert!(!runtime.block_on(database_exists(&server, &killed_db)), "{killed_db} of a dead process was not swept");
    assert!(runtime.block_on(database_exists(&server, &alive_db)), "{alive_db} of a live process was swept");
    assert!(runtime.block_on(database_exists(&server, &killed_kept)), "{killed_kept} was kept (SEEDFAST_KEEP) and must be spared");
    assert!(runtime.block_on(database_exists(&server, own.name())));

    alive.kill().unwrap();
    alive.wait().unwrap();
    runtime.block_on(own.close()).unwrap();
}

#[tokio::test]
async fn external_server_creates_and_drops_a_database() {
    let local = Server::local().await.expect("start the shared server");
    let server = Server::external(&local.url_for("postgres")).expect("a valid url");
    assert!(server.as_local().is_none());

    let db = server.create_database("external", None).await.unwrap();
    assert!(db.name().starts_with("seedfast_external_"), "{}", db.name());
    let pool = db.connect().await.unwrap();
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(name, db.name());
    pool.close().await;

    db.close().await.unwrap();
    assert!(!database_exists(&local, &name).await);
}

#[tokio::test]
async fn external_urls_keep_their_password_but_never_show_it() {
    let local = Server::local().await.expect("start the shared server");
    let port = local.as_local().unwrap().port();
    // Trust auth ignores the password, so it can be anything.
    let url =
        format!("postgres://postgres:hunter2-secret@127.0.0.1:{port}/postgres?sslmode=disable");
    let server = Server::external(&url).unwrap();

    let db = server.create_database("credentials", None).await.unwrap();
    assert!(
        db.url().contains("hunter2-secret"),
        "the url must still connect"
    );
    assert!(
        db.url()
            .contains(&format!("/{}?sslmode=disable", db.name())),
        "{}",
        db.url()
    );
    for shown in [
        db.display_url(),
        format!("{db:?}"),
        format!("{server:?}"),
        server.display_url(),
    ] {
        assert!(!shown.contains("hunter2-secret"), "{shown}");
    }
    assert_eq!(
        db.display_url(),
        format!(
            "postgres://postgres:***@127.0.0.1:{port}/{}?sslmode=disable",
            db.name()
        )
    );
    db.close().await.unwrap();
}

#[tokio::test]
async fn external_server_reports_an_unreachable_server() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://alice:pw-s3cr3t-42@127.0.0.1:{port}/postgres");
    let server = Server::external(&url).expect("a valid url");

    let err = server
        .create_database("unreachable", None)
        .await
        .expect_err("nothing listens there");
    assert!(matches!(err, BackendError::Unreachable { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "the postgres server at postgres://alice:***@127.0.0.1:{port}/postgres is unreachable: "
        )),
        "{message}"
    );
    assert!(
        message.contains("check that the server is running"),
        "{message}"
    );
    for shown in [message, format!("{err:?}"), format!("{server:?}")] {
        assert!(!shown.contains("pw-s3cr3t-42"), "{shown}");
    }
}

#[tokio::test]
async fn external_server_reports_a_missing_maintenance_database() {
    let local = Server::local().await.expect("start the shared server");
    let server = Server::external(&local.url_for("no_such_database")).unwrap();
    let err = server
        .create_database("rejected", None)
        .await
        .expect_err("the database does not exist");
    assert!(
        matches!(err, BackendError::ConnectionRejected { .. }),
        "{err:?}"
    );
    assert_eq!(err.sqlstate(), Some("3D000"));
    let message = err.to_string();
    assert!(message.contains("rejected the connection"), "{message}");
    assert!(
        message.contains("\"no_such_database\" does not exist"),
        "{message}"
    );
}

#[test]
fn external_server_rejects_invalid_urls_without_showing_the_password() {
    for url in [
        "mysql://root:hunter2@localhost/app",
        "host=localhost password=hunter2",
        "postgres://root:hunter2@localhost:notaport/app",
    ] {
        let err = Server::external(url).expect_err(url);
        assert!(
            matches!(err, BackendError::InvalidUrl { .. }),
            "{url}: {err:?}"
        );
        let message = err.to_string();
        assert!(message.starts_with("invalid postgres url `"), "{message}");
        assert!(
            message.contains("postgres://user:password@host:port/database"),
            "{message}"
        );
        assert!(!message.contains("hunter2"), "{message}");
        assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
    }
}

#[test]
fn redact_hides_passwords_in_urls() {
    assert_eq!(
        redact("postgres://app:s3cret@db.internal:5432/orders"),
        "postgres://app:***@db.internal:5432/orders"
    );
    assert_eq!(
        redact("postgresql://app:p%40ss@[::1]:5432/orders?sslmode=require"),
        "postgresql://app:***@[::1]:5432/orders?sslmode=require"
    );
    assert_eq!(
        redact("postgres://db.internal/orders?user=app&password=s3cret&sslmode=disable"),
        "postgres://db.internal/orders?user=app&password=***&sslmode=disable"
    );
    // Nothing to hide.
    assert_eq!(
        redact("postgres://app@db.internal/orders"),
        "postgres://app@db.internal/orders"
    );
    assert_eq!(
        redact("postgres://db.internal:5432/orders"),
        "postgres://db.internal:5432/orders"
    );
}

#[test]
fn redact_hides_passwords_in_key_value_dsns() {
    assert_eq!(
        redact("host=db.internal port=5432 user=app password=s3cret dbname=orders"),
        "host=db.internal port=5432 user=app password=*** dbname=orders"
    );
    assert_eq!(
        redact("host=db.internal password = 'it''s \\' secret' dbname=orders"),
        "host=db.internal password = *** dbname=orders"
    );
    assert_eq!(redact("password=s3cret"), "password=***");
    assert_eq!(
        redact("host=db.internal dbname=orders"),
        "host=db.internal dbname=orders"
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers

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

async fn use_briefly(server: &Server, label: &str) {
    let db = server.create_database(label, None).await.unwrap();
    let pool = db.connect().await.unwrap();
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(one, 1);
    pool.close().await;
    db.close().await.unwrap();
}

/// Whether `pid` runs; a zombie (exited, not yet reaped) does not.
fn pid_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
            .is_some_and(|state| !matches!(state, 'Z' | 'X'))
    })
}

fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while !done() {
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(50));
    }
    true
}

/// Runs this test binary's `child_process_helper` in `mode`, with its temp dir in `tmp` so that
/// no other test's sweep touches what it leaves.
fn spawn_child(mode: &str, tmp: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            CHILD_HELPER,
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_MODE_ENV, mode)
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a child test process")
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
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child test process did not finish within {timeout:?}");
        }
        thread::sleep(Duration::from_millis(50));
    };
    (status, stdout.join().unwrap(), stderr.join().unwrap())
}

/// Reads the child's stdout as it comes (the child keeps running until it is killed) until
/// `found` recognises what it printed so far.
fn report_until<T>(child: &mut Child, found: impl Fn(&str) -> Option<T>) -> T {
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
        if let Some(found) = found(&report) {
            return found;
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
                let mut stderr = String::new();
                let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
                panic!("the child never reported:\n{report}\n{stderr}");
            }
        }
    }
}

/// The data dir and postmaster pid that `child_process_helper` printed.
fn child_report(stdout: &str) -> Option<(PathBuf, u32)> {
    let value = |key: &str| {
        stdout
            .lines()
            // The harness's "test child_process_helper ... " may precede the first line.
            .find_map(|line| line.split_once("SEEDFAST_CHILD ")?.1.strip_prefix(key))
    };
    Some((PathBuf::from(value("dir=")?), value("pid=")?.parse().ok()?))
}

/// A private temp dir, removed again on drop. World-traversable, because when the tests run
/// as root the server runs as `postgres` and must reach its directory inside.
struct TestDir(PathBuf);

impl TestDir {
    fn new(label: &str) -> TestDir {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!(
            "seedfast-backend-test-{}-{label}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        TestDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
