//! Part 5: what one more `#[seeded_test]` costs once its template is
//! seeded, against the floor on the same server, and how long a test waits
//! for its database from the warm pool.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use seedfast_test::__private::{Dbs, TestSpec, run};
use seedfast_test::backend::Server;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// Tests in a row per measurement: the marginal cost is their mean.
const TESTS: usize = 100;
/// Clone + drop pairs timed for the floor, per strategy.
const FLOOR_ROUNDS: usize = 20;

const SPEC: TestSpec = TestSpec {
    test: "bench::per_test",
    project: concat!(env!("CARGO_MANIFEST_DIR"), "/seedfast.toml"),
    services: &[("users", "10 users")],
    seed: None,
};

/// One test as its expansion runs it, with a body that queries its database
/// and then works (sleeps) `body`: (the whole call, the wait from the call
/// to the body, which is what the database costs the test before it runs).
fn one_test(body: Duration) -> (Duration, Duration) {
    let waited = Mutex::new(Duration::ZERO);
    let started = Instant::now();
    run(SPEC, |mut dbs: Dbs| {
        *waited.lock().unwrap() = started.elapsed();
        async move {
            let users = dbs.take("users");
            sqlx::query("SELECT 1").execute(users.pool()).await.unwrap();
            if !body.is_zero() {
                tokio::time::sleep(body).await;
            }
        }
    });
    (started.elapsed(), waited.into_inner().unwrap())
}

fn percentile(xs: &[Duration], p: f64) -> Duration {
    let mut xs = xs.to_vec();
    xs.sort();
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `CREATE DATABASE ... TEMPLATE ... STRATEGY <strategy>` + `DROP DATABASE`
/// on one open connection: the median pair.
async fn floor(server: &Server, template: &str, strategy: &str) -> Duration {
    let mut admin = PgConnection::connect(&server.url_for("postgres")).await.unwrap();
    let mut pairs = Vec::with_capacity(FLOOR_ROUNDS);
    for i in 0..FLOOR_ROUNDS {
        // Named as the harness names its databases, so a sweep finds a leftover.
        let name = format!("seedfast_bench_floor_{}_{i}", std::process::id());
        let t = Instant::now();
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE \"{template}\" STRATEGY {strategy}"))).execute(&mut admin).await.unwrap();
        sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE {name}"))).execute(&mut admin).await.unwrap();
        pairs.push(t.elapsed());
    }
    admin.close().await.unwrap();
    percentile(&pairs, 0.5)
}

pub fn measure() {
    // The first test seeds the template; the others pay only for a database.
    one_test(Duration::ZERO);
    let back_to_back: Vec<(Duration, Duration)> = (0..TESTS).map(|_| one_test(Duration::ZERO)).collect();
    let working: Vec<(Duration, Duration)> = (0..TESTS).map(|_| one_test(Duration::from_millis(20))).collect();
    // Let the pool fill up, so the floor runs on a quiet server.
    std::thread::sleep(Duration::from_secs(1));

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (file_copy, wal_log, place) = runtime.block_on(async {
        // The server the tests ran on: the shared one (the default), or this
        // process's own with SEEDFAST_SHARE=0.
        let (server, place, template_query) = match seedfast_test::harness::share::server_url() {
            Some(url) => {
                let dir = seedfast_test::harness::share::server_dir().map(|d| d.display().to_string()).unwrap_or_default();
                // It may hold other templates of users: this run's was used last.
                let query = "SELECT name FROM seedfast_templates WHERE name LIKE 'seedfast\\_tpl\\_users\\_%' ORDER BY last_used DESC LIMIT 1";
                (Server::external(&url).unwrap(), format!("{dir} (shared)"), query)
            }
            None => {
                let server = Server::local().await.expect("local postgres");
                let place = server.as_local().and_then(|l| l.dir().parent()).map(|p| p.display().to_string()).unwrap_or_default();
                (server, format!("{place} (this process's own)"), "SELECT datname::text FROM pg_database WHERE datname LIKE 'seedfast\\_seed\\_users\\_%'")
            }
        };
        let mut c = PgConnection::connect(&server.url_for("postgres")).await.unwrap();
        let template: String = sqlx::query_scalar(template_query)
            .fetch_one(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
        (floor(&server, &template, "FILE_COPY").await, floor(&server, &template, "WAL_LOG").await, place)
    });

    let per_test = back_to_back.iter().map(|(t, _)| *t).sum::<Duration>() / TESTS as u32;
    let waits = |runs: &[(Duration, Duration)]| runs.iter().map(|(_, w)| *w).collect::<Vec<_>>();
    let (idle, busy) = (waits(&back_to_back), waits(&working));
    println!("a #[seeded_test] (users = \"10 users\", one query), {TESTS} in a row, cluster in {place}:");
    println!("  per test (mean)                          {:>9.1} ms", ms(per_test));
    println!("  floor: clone (FILE_COPY) + DROP          {:>9.1} ms", ms(file_copy));
    println!("  floor: clone (WAL_LOG) + DROP            {:>9.1} ms", ms(wal_log));
    println!("  ratio per test / floor (FILE_COPY)       {:>9.2}x", per_test.as_secs_f64() / file_copy.as_secs_f64());
    println!("  wait for the database, back to back      {:>9.1} ms p50 {:>7.1} ms p95", ms(percentile(&idle, 0.5)), ms(percentile(&idle, 0.95)));
    println!("  wait for the database, 20 ms test bodies {:>9.1} ms p50 {:>7.1} ms p95", ms(percentile(&busy, 0.5)), ms(percentile(&busy, 0.95)));
}
