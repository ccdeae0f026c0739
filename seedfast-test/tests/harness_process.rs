//! What only a whole test process shows: which services were started,
//! backend selection from the environment, cleanup after success and after
//! a panic, `SEEDFAST_KEEP=1`, and determinism across runs. Each case runs
//! this binary again as a child on one of the `#[ignore]`d tests below.

mod support;

use std::process::{Command, Output};

use seedfast_test::{ServiceDb, seeded_test};
use support::{child, field, is_child};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn docker_ps(filter: &str) -> Vec<String> {
    let out = Command::new("docker").args(["ps", "-aq", "--filter", filter]).output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect()).unwrap_or_default()
}

fn report(users: &ServiceDb) {
    println!("@started={}", seedfast_test::harness::started_services().join(","));
    println!("@backend={}", seedfast_test::harness::backend_name().unwrap_or("none"));
    println!("@pid={}", std::process::id());
    println!("@database={}", users.database());
    if let Some(dir) = seedfast_test::harness::local_cluster_dir() {
        println!("@cluster_dir={}", dir.display());
    }
    if let Some(url) = seedfast_test::harness::share::server_url() {
        println!("@server_url={url}");
    }
}

// ---- children -------------------------------------------------------------

#[seeded_test(users = "10 users with addresses", products = "20 products")]
#[ignore = "run by the parent tests of this file"]
async fn child_checkout(users: ServiceDb, products: ServiceDb) {
    report(&users);
    // Every backend puts all services of a process on one server (a
    // container or cluster each would pay its start-up once per service).
    let server = |url: &str| url.rsplit_once('/').map(|(server, _)| server.to_string());
    println!("@one_server={}", server(users.url()) == server(products.url()));
}

#[seeded_test(users = "10 users")]
#[ignore = "run by the parent tests of this file"]
async fn child_panics(users: ServiceDb) {
    report(&users);
    panic!("the test body failed on purpose");
}

#[seeded_test(users = "25 users with profiles and addresses", seed = 11)]
#[ignore = "run by the parent tests of this file"]
async fn child_dump(users: ServiceDb) {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT string_agg(t, E'\\n' ORDER BY t) FROM (SELECT u::text AS t FROM users u UNION ALL SELECT a::text FROM addresses a UNION ALL SELECT p::text FROM profiles p) s",
    )
    .fetch_all(users.pool())
    .await
    .unwrap();
    println!("@dump_len={}", rows[0].len());
    println!("@dump={}", rows[0].replace('\n', "|"));
}

/// Takes a clone, then another and waits for the warm pool (started by the
/// second) to have clones ready besides it, and prints how many; with
/// `SEEDFAST_TEST_HANG` set it then waits to be killed.
#[test]
#[ignore = "run by the parent tests of this file"]
fn child_pooled() {
    use seedfast_test::__private::{Dbs, TestSpec, run};
    let spec = TestSpec {
        test: "harness_process::child_pooled",
        project: concat!(env!("CARGO_MANIFEST_DIR"), "/seedfast.toml"),
        services: &[("users", "10 users")],
        seed: None,
    };
    run(spec, |_: Dbs| async {});
    run(spec, |mut dbs: Dbs| async move {
        let users = dbs.take("users");
        report(&users);
        let mine = format!("seedfast\\_pool\\_%\\_{}\\_%", std::process::id());
        let mut pooled = 0i64;
        for _ in 0..200 {
            pooled = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1 AND datname <> current_database()")
                .bind(&mine)
                .fetch_one(users.pool())
                .await
                .unwrap();
            if pooled > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        println!("@pooled={pooled}");
        if std::env::var_os("SEEDFAST_TEST_HANG").is_some() {
            println!("@hang=1");
            std::future::pending::<()>().await;
        }
    });
}

/// One test in the process, as under nextest: prints how many clones were
/// made ahead besides its own after giving the pool time to make them.
#[seeded_test(users = "10 users")]
#[ignore = "run by the parent tests of this file"]
async fn child_single(users: ServiceDb) {
    report(&users);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    // This process's own: a shared server may hold other processes' pools.
    let ahead: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1 AND datname <> current_database()")
        .bind(format!("seedfast\\_pool\\_%\\_{}\\_%", std::process::id()))
        .fetch_one(users.pool())
        .await
        .unwrap();
    println!("@ahead={ahead}");
}

// ---- parents --------------------------------------------------------------

/// Nothing of the child process `out` is left: its containers, its own
/// cluster, or (sharing the local server, which outlives it by design) its
/// databases on the shared server.
fn assert_nothing_left(out: &Output) {
    let pid = field(out, "pid").unwrap();
    match field(out, "backend").as_deref() {
        Some("docker") => assert!(docker_ps(&format!("label=dev.seedfast.owner={}:{pid}", hostname())).is_empty(), "containers removed at exit"),
        Some("local") => match (field(out, "cluster_dir"), field(out, "server_url")) {
            (Some(dir), _) => assert!(!std::path::Path::new(&dir).exists(), "cluster removed at exit"),
            (None, Some(url)) => {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                let left = runtime.block_on(databases_of(&url, &pid));
                assert!(left.is_empty(), "its databases were dropped from the shared server at exit: {left:?}");
            }
            (None, None) => panic!("the child named neither its cluster nor a shared server:\n{}", stdout(out)),
        },
        other => panic!("unexpected backend {other:?}"),
    }
}

/// Per process (`SEEDFAST_SHARE=0`) and as the environment has it (sharing
/// the local server unless it says otherwise).
const SHARING: [&[(&str, &str)]; 2] = [&[("SEEDFAST_SHARE", "0")], &[]];

#[test]
fn only_declared_services_are_started_and_nothing_outlives_the_process() {
    if is_child() {
        return;
    }
    for env in SHARING {
        let out = child("child_checkout", env);
        assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
        assert_eq!(field(&out, "started").as_deref(), Some("products,users"), "orders, payments, ... were never started");
        assert_eq!(field(&out, "one_server").as_deref(), Some("true"), "both services are databases on one server");
        assert_nothing_left(&out);
    }
}

#[test]
fn a_panicking_test_leaves_no_container_server_or_directory() {
    if is_child() {
        return;
    }
    for env in SHARING {
        let out = child("child_panics", env);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("the test body failed on purpose"), "{}", stderr(&out));
        assert_nothing_left(&out);
    }
}

#[test]
fn keep_leaves_a_failing_tests_database_and_says_how_to_connect() {
    if is_child() {
        return;
    }
    // The cluster of its own that the process keeps (a shared server's
    // kept databases are reconnected to like an external server's).
    let out = child("child_panics", &[("SEEDFAST_KEEP", "1"), ("SEEDFAST_SHARE", "0")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("SEEDFAST_KEEP is set, so its databases are kept"), "{err}");
    let line = err.lines().find(|l| l.trim_start().starts_with("users: ")).unwrap_or_else(|| panic!("no connect line: {err}"));
    let how = line.trim_start().trim_start_matches("users: ");
    let database = field(&out, "database").unwrap();
    assert!(how.contains(&database), "{how}");
    match field(&out, "backend").as_deref() {
        Some("docker") => {
            // `docker exec -it <id> psql -U postgres -d <db>   # then: docker rm -f <id>`
            let id = how.split_whitespace().nth(3).unwrap().to_string();
            let n = Command::new("docker").args(["exec", &id, "psql", "-U", "postgres", "-d", &database, "-Atc", "SELECT count(*) FROM users"]).output().unwrap();
            let _ = Command::new("docker").args(["rm", "-f", &id]).output();
            assert_eq!(String::from_utf8_lossy(&n.stdout).trim(), "10", "{}", String::from_utf8_lossy(&n.stderr));
        }
        Some("local") => {
            // `<pg_ctl start ...> && psql '<url>'   # remove <dir> when done`
            let (start, rest) = how.split_once(" && psql '").unwrap();
            let url = rest.split('\'').next().unwrap();
            let dir = field(&out, "cluster_dir").unwrap();
            let started = Command::new("sh").args(["-c", start]).output().unwrap();
            assert!(started.status.success(), "{}", String::from_utf8_lossy(&started.stderr));
            let n = Command::new("psql").args([url, "-Atc", "SELECT count(*) FROM users"]).output().unwrap();
            let stop = start.split(" -o ").next().unwrap().replace("pg_ctl -D", "pg_ctl -m immediate stop -D");
            let _ = Command::new("sh").args(["-c", &stop]).output();
            let _ = std::fs::remove_dir_all(&dir);
            assert_eq!(String::from_utf8_lossy(&n.stdout).trim(), "10", "{}", String::from_utf8_lossy(&n.stderr));
        }
        other => panic!("unexpected backend {other:?}"),
    }
}

#[test]
fn the_same_scope_gives_the_same_rows_in_every_run() {
    if is_child() {
        return;
    }
    let a = child("child_dump", &[]);
    let b = child("child_dump", &[]);
    assert!(a.status.success() && b.status.success(), "{}", stderr(&a));
    assert!(field(&a, "dump_len").unwrap().parse::<usize>().unwrap() > 1000);
    assert_eq!(field(&a, "dump"), field(&b, "dump"));
}

#[test]
fn an_explicit_local_choice_never_touches_docker() {
    if is_child() {
        return;
    }
    let out = child("child_checkout", &[("SEEDFAST_BACKEND", "local"), ("DOCKER_HOST", "tcp://127.0.0.1:1")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(field(&out, "backend").as_deref(), Some("local"));
    assert!(!stderr(&out).contains("not Docker"), "no notice for an explicit choice: {}", stderr(&out));
}

#[test]
fn auto_falls_back_to_local_with_a_notice_and_ignores_database_url() {
    if is_child() {
        return;
    }
    let out = child(
        "child_checkout",
        &[("SEEDFAST_BACKEND", "auto"), ("DOCKER_HOST", "tcp://127.0.0.1:1"), ("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nothing")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(field(&out, "backend").as_deref(), Some("local"), "DATABASE_URL does not select the external backend");
    let err = stderr(&out);
    let notice: Vec<&str> = err.lines().filter(|l| l.contains("using the local PostgreSQL binaries, not Docker")).collect();
    assert_eq!(notice.len(), 1, "one notice: {}", stderr(&out));
    assert!(notice[0].contains("tcp://127.0.0.1:1"), "{}", notice[0]);
}

#[test]
fn an_explicit_docker_choice_fails_clearly_when_the_engine_is_unreachable() {
    if is_child() {
        return;
    }
    let out = child("child_checkout", &[("SEEDFAST_BACKEND", "docker"), ("DOCKER_HOST", "tcp://127.0.0.1:1")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("harness_process::child_checkout"), "names the test: {err}");
    assert!(err.contains("tcp://127.0.0.1:1"), "names the engine: {err}");
    assert!(!err.contains("using the local PostgreSQL"), "no fallback: {err}");
}

#[test]
fn an_explicit_docker_choice_fails_clearly_when_the_image_is_missing() {
    if is_child() {
        return;
    }
    if Command::new("docker").arg("info").output().map(|o| !o.status.success()).unwrap_or(true) {
        assert_ne!(std::env::var("SEEDFAST_BACKEND").as_deref(), Ok("docker"), "SEEDFAST_BACKEND=docker but no Docker engine answers");
        eprintln!("skipped: no Docker engine answers");
        return;
    }
    let out = child("child_checkout", &[("SEEDFAST_BACKEND", "docker"), ("SEEDFAST_POSTGRES_IMAGE", "seedfast-missing/postgres:0")]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("seedfast-missing/postgres:0"), "{err}");
    assert!(err.contains("SEEDFAST_POSTGRES_IMAGE"), "{err}");
}

#[test]
fn the_external_backend_is_used_when_chosen_and_leaves_no_database() {
    if is_child() {
        return;
    }
    let (runtime, url) = external_server();
    let out = child("child_checkout", &[("SEEDFAST_BACKEND", "external"), ("SEEDFAST_EXTERNAL_URL", &url)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(field(&out, "backend").as_deref(), Some("external"));
    let left = runtime.block_on(databases_of(&url, &field(&out, "pid").unwrap()));
    assert!(left.is_empty(), "templates and test databases are dropped at exit: {left:?}");

    let out = child("child_checkout", &[("SEEDFAST_BACKEND", "external")]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("SEEDFAST_BACKEND=external needs SEEDFAST_EXTERNAL_URL"), "{}", stderr(&out));
}

/// A server of this process for children to use as their external one: a
/// runtime to query it on, and its maintenance database's URL.
fn external_server() -> (tokio::runtime::Runtime, String) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(seedfast_test::backend::Server::local()).unwrap();
    let url = server.url_for("postgres");
    (runtime, url)
}

/// The `seedfast_` databases of process `pid` on the server of `url`.
async fn databases_of(url: &str, pid: &str) -> Vec<String> {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'seedfast\\_%' AND datname LIKE $1")
        .bind(format!("%\\_{pid}\\_%"))
        .fetch_all(&mut c)
        .await
        .unwrap()
}

#[test]
fn pooled_databases_are_dropped_at_exit_from_an_external_server() {
    if is_child() {
        return;
    }
    let (runtime, url) = external_server();
    let out = child("child_pooled", &[("SEEDFAST_BACKEND", "external"), ("SEEDFAST_EXTERNAL_URL", &url)]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let pooled: i64 = field(&out, "pooled").unwrap().parse().unwrap();
    assert!(pooled > 0, "the pool had clones ready: {}", stdout(&out));
    let left = runtime.block_on(databases_of(&url, &field(&out, "pid").unwrap()));
    assert!(left.is_empty(), "pooled clones, test databases and templates are dropped at exit: {left:?}");
}

#[test]
fn a_process_with_one_test_clones_nothing_ahead() {
    if is_child() {
        return;
    }
    let out = child("child_single", &[("SEEDFAST_BACKEND", "local")]);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert_eq!(field(&out, "ahead").as_deref(), Some("0"), "no clone is made that no test takes");
}

#[test]
fn a_killed_processs_pooled_databases_are_swept_by_the_next_run() {
    use std::io::BufRead;
    if is_child() {
        return;
    }
    let (runtime, url) = external_server();
    let mut killed = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_pooled", "--ignored", "--nocapture", "--test-threads", "1"])
        .env(support::CHILD_ENV, "1")
        .env("SEEDFAST_TEST_HANG", "1")
        .env("SEEDFAST_BACKEND", "external")
        .env("SEEDFAST_EXTERNAL_URL", &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(killed.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let hung = lines.by_ref().map_while(Result::ok).any(|line| {
        printed.push_str(&line);
        printed.push('\n');
        line.contains("@hang=")
    });
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert!(hung, "the child waited with its pool full: {printed}");
    let pid = killed.id().to_string();
    let left = runtime.block_on(databases_of(&url, &pid));
    assert!(left.iter().any(|d| d.starts_with("seedfast_pool_")), "SIGKILL left pooled clones behind: {left:?}");

    // The next process on the server sweeps what the dead one left.
    let out = child("child_checkout", &[("SEEDFAST_BACKEND", "external"), ("SEEDFAST_EXTERNAL_URL", &url)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let left = runtime.block_on(databases_of(&url, &pid));
    assert!(left.is_empty(), "the next run dropped the killed process's databases: {left:?}");
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).unwrap_or_default()
}
