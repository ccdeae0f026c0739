//! Speed, as ratios against baselines run side by side on the same server:
//!
//! 1. writing: seedfast's COPY path vs. the same generated rows written with
//!    batched multi-row INSERTs (what a hand-written seed script does);
//! 2. a test's database: cloning a migrated template (`CREATE DATABASE ...
//!    TEMPLATE`) vs. creating a database and running the migrations;
//! 3. what the server's judging of CHECKs costs (`seedfast_test::oracle`):
//!    seeding a 100k-row table with CHECKs with and without that stage;
//! 4. each table's COPY over TCP against one round trip on the same
//!    connection (a 41-table foreign-key chain): a fixed per-table latency,
//!    such as Nagle's algorithm meeting a delayed ACK, shows here;
//! 5. a `#[seeded_test]`'s marginal cost (the call its expansion makes, a
//!    hundred times in a row once the template is seeded) vs. the floor on
//!    the same server, `CREATE DATABASE ... TEMPLATE` + `DROP` on an open
//!    connection; and how long a test waits for its database from the warm
//!    pool, with a trivial body and with one that works for 20 ms;
//! 6. seeding one large table (`N users`, up to 1M rows, 10M with
//!    SEEDFAST_BENCH_10M=1) vs. a raw `COPY FROM STDIN` of the same rows,
//!    with the seed's peak RSS (see `seed/stream.rs`);
//! 7. the per-test cost of 64 two-service tests under `cargo nextest run`
//!    (a process per test) vs `cargo test`, per process and with servers
//!    and templates shared across processes (`SEEDFAST_SHARE=1`);
//! 8. the five-service demo on the Docker backend vs the local one, cold,
//!    warm and per process (see `seed/demo.rs`).
//!
//! Run with `cargo bench -p seedfast-test --bench seed`, or name parts to
//! run only those (`-- per-test copy`): `copy`, `clone`, `oracle`,
//! `latency`, `per-test`, `stream`, `processes`, `demo`. Each case runs `ROUNDS` times on fresh databases;
//! medians are reported. The local backend is used throughout (part 8 adds Docker), its cluster
//! where the backend puts it (`/dev/shm` when usable; `SEEDFAST_CLUSTER_DIR`
//! or `TMPDIR` choose another place).

#[path = "seed/per_test.rs"]
mod per_test;
#[path = "seed/stream.rs"]
mod stream;
#[path = "seed/processes.rs"]
mod processes;
#[path = "seed/demo.rs"]
mod demo;

use std::time::{Duration, Instant};

use seedfast_test::backend::{Server, TempDatabase};
use seedfast_test::generate::{self, GeneratedTable};
use seedfast_test::schema::{Schema, introspect};
use seedfast_test::{SeedOptions, plan_scope};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

const ROUNDS: usize = 5;
const SCOPE: &str = "8,000 orders for user IDs 1-1000 referencing product IDs 1-500, with 1-5 items per order, \
                     status distribution of 60% completed 25% shipped 10% processing 5% cancelled, spread across the last 12 months";

fn migrations() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/ecommerce/orders/migrations");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

async fn migrated(server: &Server, sql: &str) -> TempDatabase {
    let db = server.create_database("bench", None).await.unwrap();
    let mut c = PgConnection::connect(db.url()).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
    db
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// The baseline writer: the same rows, as INSERT ... VALUES with 500 rows a
/// statement, in one transaction.
async fn insert_rows(c: &mut PgConnection, schema: &Schema, tables: &[GeneratedTable]) {
    let mut tx = c.begin().await.unwrap();
    for g in tables {
        let t = &schema.tables[g.table];
        let cols: Vec<usize> = (0..t.columns.len()).filter(|&i| g.columns[i].is_some()).collect();
        let names: Vec<String> = cols.iter().map(|&i| format!("\"{}\"", t.columns[i].name)).collect();
        for chunk in (0..g.rows).collect::<Vec<_>>().chunks(500) {
            let rows: Vec<String> = chunk
                .iter()
                .map(|&r| {
                    let vals: Vec<String> = cols
                        .iter()
                        .map(|&i| match g.column(i)[r].to_pg_text() {
                            None => "NULL".into(),
                            Some(s) => format!("'{}'", s.replace('\'', "''")),
                        })
                        .collect();
                    format!("({})", vals.join(","))
                })
                .collect();
            let sql = format!("INSERT INTO {} ({}) VALUES {}", t.qualified(), names.join(","), rows.join(","));
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn main() {
    // Part 5 compares the harness's clones with the floor on one server:
    // the harness's local backend is the process's shared server.
    // SAFETY: no other thread runs yet.
    unsafe { std::env::set_var("SEEDFAST_BACKEND", "local") };
    let chosen: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wanted = |part: &str| chosen.is_empty() || chosen.iter().any(|c| c == part);
    // The harness's own call blocks on a runtime of its own: outside any.
    if wanted("per-test") {
        per_test::measure();
    }
    if wanted("processes") {
        processes::measure();
    }
    if wanted("demo") {
        demo::measure();
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = Server::local().await.expect("local postgres");
        if wanted("copy") {
            copy_vs_insert(&server).await;
        }
        if wanted("clone") {
            clone_vs_migrate(&server).await;
        }
        if wanted("oracle") {
            oracle_cost(&server).await;
        }
        if wanted("latency") {
            copy_latency(&server).await;
        }
        if wanted("stream") {
            stream::measure(&server).await;
        }
    });
}

/// 1. COPY vs INSERT for the same rows.
async fn copy_vs_insert(server: &Server) {
    let sql = migrations();
    let options = SeedOptions::default();
    let probe = migrated(server, &sql).await;
    let mut c = PgConnection::connect(probe.url()).await.unwrap();
    let schema = introspect(&mut c).await.unwrap();
    let plan = plan_scope(&schema, SCOPE, options).unwrap();
    let started = Instant::now();
    let tables = generate::generate(&schema, &plan, &Default::default()).unwrap();
    let generation = started.elapsed();
    let rows: usize = tables.iter().map(|t| t.rows).sum();
    c.close().await.unwrap();
    probe.close().await.unwrap();

    let (mut seedfast, mut baseline) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let db = migrated(server, &sql).await;
        let mut c = PgConnection::connect(db.url()).await.unwrap();
        let t = Instant::now();
        seedfast_test::seed(&mut c, SCOPE, options).await.unwrap();
        seedfast.push(t.elapsed());
        c.close().await.unwrap();
        db.close().await.unwrap();

        let db = migrated(server, &sql).await;
        let mut c = PgConnection::connect(db.url()).await.unwrap();
        let t = Instant::now();
        insert_rows(&mut c, &schema, &tables).await;
        baseline.push(t.elapsed());
        c.close().await.unwrap();
        db.close().await.unwrap();
    }
    let (s, b) = (median(seedfast), median(baseline));
    println!("seed: {rows} rows ({SCOPE:.40}...)");
    println!("  generation alone            {:>9.1} ms", generation.as_secs_f64() * 1e3);
    println!("  seedfast (generate + COPY)  {:>9.1} ms", s.as_secs_f64() * 1e3);
    println!("  baseline (write with INSERT){:>9.1} ms  (rows already generated)", b.as_secs_f64() * 1e3);
    println!("  ratio baseline / seedfast   {:>9.2}x", b.as_secs_f64() / s.as_secs_f64());
}

/// 2. A test database: clone a migrated template vs. migrate from scratch.
async fn clone_vs_migrate(server: &Server) {
    let sql = migrations();
    let template = migrated(server, &sql).await;
    let (mut clone, mut fresh) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let t = Instant::now();
        let db = server.create_database("bench_clone", Some(template.name())).await.unwrap();
        clone.push(t.elapsed());
        db.close().await.unwrap();
        let t = Instant::now();
        let db = migrated(server, &sql).await;
        fresh.push(t.elapsed());
        db.close().await.unwrap();
    }
    template.close().await.unwrap();
    let (c, f) = (median(clone), median(fresh));
    println!("test database:");
    println!("  clone of migrated template  {:>9.1} ms", c.as_secs_f64() * 1e3);
    println!("  create + run migrations     {:>9.1} ms", f.as_secs_f64() * 1e3);
    println!("  ratio fresh / clone         {:>9.2}x", f.as_secs_f64() / c.as_secs_f64());
}

async fn copy_latency(server: &Server) {
    let chain: String = std::iter::once("CREATE TABLE t0 (id serial PRIMARY KEY, name text NOT NULL);".to_string())
        .chain((1..=40).map(|i| format!("CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL, parent_id int NOT NULL REFERENCES t{});", i - 1)))
        .collect();
    let (mut per_table, mut round_trip) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let db = migrated(server, &chain).await;
        let mut c = PgConnection::connect(db.url()).await.unwrap();
        let report = seedfast_test::seed(&mut c, "10 t40", SeedOptions::default()).await.unwrap();
        let copies: Vec<Duration> = report.tables.iter().map(|t| t.elapsed).collect();
        per_table.push(median(copies));
        let t = Instant::now();
        sqlx::query("SELECT 1").execute(&mut c).await.unwrap();
        round_trip.push(t.elapsed());
        c.close().await.unwrap();
        db.close().await.unwrap();
    }
    let (p, r) = (median(per_table), median(round_trip));
    println!("COPY latency over TCP (41-table chain, 10 rows at the end):");
    println!("  one table's COPY (median)   {:>9.2} ms", p.as_secs_f64() * 1e3);
    println!("  one round trip (SELECT 1)   {:>9.2} ms", r.as_secs_f64() * 1e3);
    println!("  ratio COPY / round trip     {:>9.2}x", p.as_secs_f64() / r.as_secs_f64());
}

const JUDGED_SCHEMA: &str = "CREATE FUNCTION tidy(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v = btrim(v) $$;
    CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL CHECK (tidy(name)),
        email text NOT NULL CHECK (email ~* '^[^@]+@[^@]+$'), code text NOT NULL CHECK (char_length(code) = 8),
        balance numeric(10,2) NOT NULL CHECK (balance >= 0), credit numeric(10,2) NOT NULL CHECK (credit * 2 <= 2000))";
const JUDGED_SCOPE: &str = "100,000 accounts";

/// One seed of `JUDGED_SCOPE`, with the oracle stage or without it (plan,
/// generate and write alone), timed from the transaction's start.
async fn seed_judged(server: &Server, judge: bool) -> Duration {
    let db = migrated(server, JUDGED_SCHEMA).await;
    let mut c = PgConnection::connect(db.url()).await.unwrap();
    let t = Instant::now();
    let mut tx = c.begin().await.unwrap();
    let schema = introspect(&mut tx).await.unwrap();
    let plan = plan_scope(&schema, JUDGED_SCOPE, SeedOptions::default()).unwrap();
    let mut tables = generate::generate(&schema, &plan, &Default::default()).unwrap();
    if judge {
        seedfast_test::oracle::judge(&mut tx, &schema, &plan, &Default::default(), &mut tables).await.unwrap();
    }
    seedfast_test::write::write_all(&mut tx, &schema, &tables).await.unwrap();
    tx.commit().await.unwrap();
    let elapsed = t.elapsed();
    c.close().await.unwrap();
    db.close().await.unwrap();
    elapsed
}

async fn oracle_cost(server: &Server) {
    let (mut judged, mut unjudged) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        judged.push(seed_judged(server, true).await);
        unjudged.push(seed_judged(server, false).await);
    }
    let (j, u) = (median(judged), median(unjudged));
    let rate = |d: Duration| 100_000.0 / d.as_secs_f64();
    println!("server-side CHECK judging ({JUDGED_SCOPE}, 5 CHECKs, one a user function):");
    println!("  without the oracle          {:>9.1} ms  {:>9.0} rows/s", u.as_secs_f64() * 1e3, rate(u));
    println!("  with the oracle             {:>9.1} ms  {:>9.0} rows/s", j.as_secs_f64() * 1e3, rate(j));
    println!("  ratio with / without        {:>9.2}x", j.as_secs_f64() / u.as_secs_f64());
}
