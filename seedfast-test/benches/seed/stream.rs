//! 6. Seeding one large table against the floor, a raw `COPY FROM STDIN`
//! of the very same rows, and the seed's peak memory: `N users` for 10k,
//! 100k and 1M rows (10M with SEEDFAST_BENCH_10M=1).
//!
//! Each seed runs in a child process (the crate's `seedfast seed`), so its
//! peak RSS is its own and is read from `wait4`'s rusage rather than mixed
//! with this process's. The raw rows are the seeded ones, read back with
//! `COPY ... TO STDOUT` into a file outside any timing; the baseline then
//! sends that file in 256 KiB messages, as seedfast's own writer does, inside
//! one transaction on a fresh database.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use seedfast_test::backend::{Server, TempDatabase};
use sqlx::{Connection, PgConnection};

use super::{median, migrated};

const USERS: &str = "CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    first_name text NOT NULL,
    last_name text NOT NULL,
    created_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('active', 'suspended', 'deleted')))";

/// One seed in a child process: its wall time and peak RSS in bytes.
fn seed_child(url: &str, rows: u64) -> (Duration, u64) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_seedfast"))
        .args(["seed", "--scope", &format!("{rows} users")])
        .env("SEEDFAST_DSN", url)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start `seedfast seed`");
    let (mut status, mut usage) = (0i32, unsafe { std::mem::zeroed::<libc::rusage>() });
    // SAFETY: the pid is our own unreaped child; both out-pointers are valid.
    let reaped = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let elapsed = started.elapsed();
    assert!(reaped > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "`seedfast seed --scope \"{rows} users\"` failed");
    // Linux reports ru_maxrss in KiB.
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

/// The seeded rows in COPY text, into a file.
async fn dump_rows(url: &str, file: &Path) {
    let mut c = PgConnection::connect(url).await.unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(file).unwrap());
    {
        let mut stream = c.copy_out_raw("COPY users TO STDOUT").await.unwrap();
        while let Some(chunk) = stream.next().await {
            out.write_all(&chunk.unwrap()).unwrap();
        }
    }
    out.flush().unwrap();
    c.close().await.unwrap();
}

/// The baseline: the file's rows with one `COPY FROM STDIN`, committed.
async fn raw_copy(db: &TempDatabase, file: &Path) -> Duration {
    let mut c = PgConnection::connect(db.url()).await.unwrap();
    let mut source = std::fs::File::open(file).unwrap();
    let started = Instant::now();
    let mut tx = c.begin().await.unwrap();
    let mut copy = tx.copy_in_raw("COPY users FROM STDIN").await.unwrap();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = source.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        copy.send(&buf[..n]).await.unwrap();
    }
    copy.finish().await.unwrap();
    tx.commit().await.unwrap();
    let elapsed = started.elapsed();
    c.close().await.unwrap();
    elapsed
}

async fn count(url: &str) -> i64 {
    let mut c = PgConnection::connect(url).await.unwrap();
    let n = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&mut c).await.unwrap();
    c.close().await.unwrap();
    n
}

pub async fn measure(server: &Server) {
    let mut sizes = vec![10_000u64, 100_000, 1_000_000];
    if std::env::var("SEEDFAST_BENCH_10M").is_ok_and(|v| v == "1") {
        sizes.push(10_000_000);
    }
    let rounds_for = |rows: u64| match std::env::var("SEEDFAST_BENCH_ROUNDS").ok().and_then(|v| v.parse().ok()) {
        Some(r) => r,
        None if rows >= 1_000_000 => 1,
        None => 3,
    };
    println!("stream: `N users` (bigserial id, unique email, names, created_at, status CHECK), seed in a child process vs raw COPY of the same rows");
    println!("  {:>10}  {:>11}  {:>11}  {:>8}  {:>13}", "rows", "seed ms", "raw COPY ms", "seed/raw", "seed peak RSS");
    for rows in sizes {
        let rounds: usize = rounds_for(rows).max(1);
        let file: PathBuf = std::env::temp_dir().join(format!("seedfast-bench-users-{rows}.copy"));
        let (mut seeds, mut raws, mut peak) = (Vec::new(), Vec::new(), 0u64);
        for round in 0..rounds {
            let db = migrated(server, USERS).await;
            let (elapsed, rss) = seed_child(db.url(), rows);
            assert_eq!(count(db.url()).await, rows as i64, "the seed wrote a different row count");
            if round == 0 {
                dump_rows(db.url(), &file).await;
            }
            db.close().await.unwrap();
            seeds.push(elapsed);
            peak = peak.max(rss);

            let db = migrated(server, USERS).await;
            raws.push(raw_copy(&db, &file).await);
            db.close().await.unwrap();
        }
        let _ = std::fs::remove_file(&file);
        let (s, r) = (median(seeds), median(raws));
        println!(
            "  {rows:>10}  {:>11.1}  {:>11.1}  {:>7.2}x  {:>10.1} MB",
            s.as_secs_f64() * 1e3,
            r.as_secs_f64() * 1e3,
            s.as_secs_f64() / r.as_secs_f64(),
            peak as f64 / 1e6
        );
    }
}
