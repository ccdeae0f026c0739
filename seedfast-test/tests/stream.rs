//! A large table is generated and written in chunks (issue 9): the chunks
//! hold exactly the rows asked for, keys and unique columns intact, and the
//! very rows an unchunked seed writes, CHECKs the server judges included.
//!
//! SEEDFAST_CHUNK_ROWS sets the chunk size for the process, so this file
//! holds one test: the seeds run one after another with the size each needs.

mod support;

use seedfast_test::{SeedOptions, seed};
use support::{conn, count, database_with_sql, dump};

const SCHEMA: &str = "CREATE FUNCTION tidy(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT v = btrim(v) $$;
    CREATE TABLE users (
        id bigserial PRIMARY KEY,
        email text NOT NULL UNIQUE,
        first_name text NOT NULL,
        last_name text NOT NULL,
        created_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'suspended', 'deleted')));
    CREATE TABLE accounts (
        id serial PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL CHECK (tidy(name)),
        holder text NOT NULL CHECK (length(holder) % 3 <> 0),
        balance numeric(10,2) NOT NULL CHECK (balance >= 0))";

/// Seeds `scope` into a fresh database with chunks of `chunk_rows` rows and
/// returns every row as text.
async fn seeded(scope: &str, chunk_rows: usize) -> String {
    // SAFETY: this binary's only test sets the variable between seeds, and
    // no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("SEEDFAST_CHUNK_ROWS", chunk_rows.to_string()) };
    let db = database_with_sql("stream", &[SCHEMA.to_string()]).await;
    let mut c = conn(&db).await;
    let report = seed(&mut c, scope, SeedOptions::default()).await.unwrap();
    let asked = report.tables.iter().map(|t| t.rows).sum::<u64>();
    assert_eq!(report.total_rows, asked);
    dump(&db).await
}

#[tokio::test]
async fn chunks_write_the_rows_an_unchunked_seed_writes() {
    // Users: a unique email over 120k rows in chunks of 7,000 (the last one
    // short); its status CHECK is read, so the server judges a sample.
    let chunked = seeded("120000 users", 7_000).await;
    let db = database_with_sql("stream_check", &[SCHEMA.to_string()]).await;
    let mut c = conn(&db).await;
    unsafe { std::env::set_var("SEEDFAST_CHUNK_ROWS", "7000") };
    let report = seed(&mut c, "120000 users", SeedOptions::default()).await.unwrap();
    assert_eq!(report.tables[0].rows, 120_000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM users").await, 120_000);
    assert_eq!(count(&mut c, "SELECT count(DISTINCT email) FROM users").await, 120_000);
    assert_eq!(count(&mut c, "SELECT count(DISTINCT id) FROM users WHERE id BETWEEN 1 AND 120000").await, 120_000);
    // The sequence continues after the generated keys.
    sqlx::query("INSERT INTO users (email, first_name, last_name, created_at, status) VALUES ('new@example.com', 'A', 'B', now(), 'active')")
        .execute(&mut c)
        .await
        .unwrap();
    assert_eq!(count(&mut c, "SELECT max(id) FROM users").await, 120_001);
    let unchunked = seeded("120000 users", 1_000_000).await;
    assert!(chunked.contains("users (120000 rows)"), "{}", &chunked[..200.min(chunked.len())]);
    assert!(chunked == unchunked, "chunked and unchunked seeds differ");

    // Accounts: CHECKs the generator cannot read, so every chunk is judged
    // and rejected rows are redrawn per chunk.
    let chunked = seeded("9000 accounts", 2_000).await;
    let unchunked = seeded("9000 accounts", 1_000_000).await;
    assert!(chunked.contains("accounts (9000 rows)"));
    assert!(chunked == unchunked, "chunked and unchunked seeds differ when the server judges every row");
}
