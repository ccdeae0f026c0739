//! The warm pool on a real server: the databases tests take one after
//! another are distinct, fresh and identical clones of the template; the
//! clones kept ahead stay within the server's budget; and no more
//! `CREATE DATABASE` statements run at once than the server is allowed.
//! What happens at exit is in `harness_process.rs`.

mod support;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use seedfast_test::__private::{Dbs, TestSpec, run};
use seedfast_test::backend::Server;
use sqlx::{Connection, PgConnection};

const PROJECT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seedfast.toml");

/// What a test saw of its database: (name, content before its write, rows after).
type Seen = (String, String, i64);

/// Every row of the users table as one string, in key order.
const CONTENT: &str = "SELECT coalesce(string_agg(u::text, '|' ORDER BY u.id), '') FROM users u";

#[test]
fn tests_in_a_row_get_distinct_fresh_identical_clones() {
    static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());
    let spec = TestSpec { test: "pool::in_a_row", project: PROJECT, services: &[("users", "10 users")], seed: Some(41) };
    for _ in 0..8 {
        run(spec, |mut dbs: Dbs| async move {
            let users = dbs.take("users");
            let before: String = sqlx::query_scalar(CONTENT).fetch_one(users.pool()).await.unwrap();
            // A write each test would see in the next if databases were reused.
            sqlx::query("INSERT INTO users (email, first_name, last_name) VALUES ('left@behind.test', 'Left', 'Behind')")
                .execute(users.pool())
                .await
                .unwrap();
            let after: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(users.pool()).await.unwrap();
            SEEN.lock().unwrap().push((users.database().to_string(), before, after));
        });
    }
    let seen = SEEN.lock().unwrap();
    let mut names: Vec<&str> = seen.iter().map(|(name, _, _)| name.as_str()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 8, "each test gets a database of its own: {names:?}");
    let first = &seen[0].1;
    assert_eq!(first.matches('|').count(), 9, "ten seeded users: {first}");
    for (name, before, after) in seen.iter() {
        assert_eq!(before, first, "`{name}` is the same clone of the template as the first");
        assert_eq!(*after, 11, "`{name}` saw no earlier test's write");
    }
}

/// This process's databases named `seedfast_pool_...` on the server of `url`, which must
/// outlive the query (the maintenance database).
async fn pooled(url: &str) -> i64 {
    let mut c = PgConnection::connect(url).await.unwrap();
    // This process's own: a shared server may hold other processes' pools.
    let mine = format!("seedfast\\_pool\\_%\\_{}\\_%", std::process::id());
    let n = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1").bind(mine).fetch_one(&mut c).await.unwrap();
    c.close().await.unwrap();
    n
}

#[test]
fn clones_kept_ahead_stay_within_the_servers_budget() {
    // Six templates (scopes) of one server, each of which would keep three
    // clones ahead once a second test takes one: 18 wanted, 8 allowed.
    static URL: Mutex<String> = Mutex::new(String::new());
    const SPECS: [TestSpec; 6] = [
        TestSpec { test: "pool::budget", project: PROJECT, services: &[("users", "3 users")], seed: Some(1) },
        TestSpec { test: "pool::budget", project: PROJECT, services: &[("users", "4 users")], seed: Some(1) },
        TestSpec { test: "pool::budget", project: PROJECT, services: &[("users", "5 users")], seed: Some(1) },
        TestSpec { test: "pool::budget", project: PROJECT, services: &[("users", "6 users")], seed: Some(1) },
        TestSpec { test: "pool::budget", project: PROJECT, services: &[("users", "7 users")], seed: Some(1) },
        TestSpec { test: "pool::budget", project: PROJECT, services: &[("users", "8 users")], seed: Some(1) },
    ];
    for spec in SPECS.iter().chain(&SPECS).copied() {
        run(spec, |mut dbs: Dbs| async move {
            // The server's maintenance database: the test's own is dropped after it.
            let users = dbs.take("users");
            *URL.lock().unwrap() = users.url().replacen(&format!("/{}", users.database()), "/postgres", 1);
        });
    }
    let url = URL.lock().unwrap().clone();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // Once the clones under way are back and the taken ones dropped, what is
    // left is what the pools keep (a taken clone keeps its pool name until
    // its test's database is dropped, so it is not counted while it runs).
    let started = Instant::now();
    let mut last = (0, Instant::now());
    while started.elapsed() < Duration::from_secs(30) {
        let now = runtime.block_on(pooled(&url));
        if now != last.0 {
            last = (now, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(2) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(last.0 > 0, "clones are made ahead");
    assert!(last.0 <= 8, "at most 8 clones kept ahead on one server, {} kept", last.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_more_creates_run_at_once_than_the_server_allows() {
    let server = Server::local().await.expect("local postgres");
    let template = support::service_db("users").await;
    let mut sampler = PgConnection::connect(&server.url_for("postgres")).await.unwrap();
    let creates: Vec<_> = (0..24)
        .map(|_| {
            let (server, template) = (server.clone(), template.name().to_string());
            tokio::spawn(async move { server.create_database("bounded", Some(&template)).await.unwrap() })
        })
        .collect();
    let mut most = 0i64;
    while !creates.iter().all(|c| c.is_finished()) {
        let running: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE 'CREATE DATABASE%' AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut sampler)
        .await
        .unwrap();
        most = most.max(running);
    }
    for create in creates {
        create.await.unwrap().close().await.unwrap();
    }
    assert!(most >= 1, "the sampler saw the creates run");
    assert!(most <= 4, "at most 4 creates at once on one server, saw {most}");
}
