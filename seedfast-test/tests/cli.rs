//! The `seedfast` binary as CI scripts use it: environment, flags, output
//! formats and exit codes.

mod support;

use std::process::{Command, Output};

use support::{database_with_sql, service_db};

fn seedfast(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedfast"));
    cmd.env_remove("SEEDFAST_DSN").env_remove("DATABASE_URL").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run seedfast")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn without_a_database_url_it_says_which_variables_to_set() {
    let out = seedfast(&[], &["seed", "--scope", "10 users"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("set SEEDFAST_DSN (or DATABASE_URL)"), "{err}");
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn usage_errors_exit_2_with_the_usage() {
    let out = seedfast(&[], &["seed"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`--scope` is required"));
    let out = seedfast(&[("SEEDFAST_DSN", "postgres://x@127.0.0.1/db")], &["seed", "--scope", "1 users", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`--now yesterday` is not an RFC 3339 timestamp"), "{}", text(&out.stderr));
    let out = seedfast(&[], &["plant"]);
    assert!(text(&out.stderr).contains("unknown command `plant`; expected `seed`"));
}

#[tokio::test]
async fn plain_output_is_one_line_per_table() {
    let db = service_db("users").await;
    let out = seedfast(&[("SEEDFAST_DSN", db.url())], &["seed", "--scope", "10 users with addresses", "--seed", "9", "--now", "2026-06-01T12:00:00Z"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "seed 9 · now 2026-06-01T12:00:00Z");
    assert!(lines[1].starts_with("users") && lines[1].contains("10 rows") && lines[1].contains("id 1..10"), "{stdout}");
    assert!(lines[2].starts_with("addresses"), "{stdout}");
    assert!(lines[3].starts_with("total "), "{stdout}");
}

#[tokio::test]
async fn database_url_is_the_fallback() {
    let db = service_db("products").await;
    let out = seedfast(&[("DATABASE_URL", db.url())], &["seed", "--scope", "20 products"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("(required by products)"), "auto-added parents are visible: {stdout}");
}

#[tokio::test]
async fn json_output_has_id_ranges_and_orphans() {
    let db = service_db("orders").await;
    let out = seedfast(
        &[("SEEDFAST_DSN", db.url())],
        &["seed", "--output", "json", "--scope", "100 orders, 10% with user IDs that don't exist in the user service"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["seed"], 42);
    assert_eq!(json["now"], "2026-01-01T00:00:00Z");
    let orders = &json["tables"][0];
    assert_eq!(orders["table"], "orders");
    assert_eq!(orders["rows"], 100);
    assert_eq!(orders["ids"], serde_json::json!({"kind": "range", "column": "id", "min": 1, "max": 100, "contiguous": true}));
    assert_eq!(orders["orphans"][0]["column"], "user_id");
    assert_eq!(orders["orphans"][0]["count"], 10);
    assert_eq!(orders["orphans"][0]["values"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn scope_and_constraint_errors_have_their_own_exit_codes() {
    let db = service_db("users").await;
    let out = seedfast(&[("SEEDFAST_DSN", db.url())], &["seed", "--scope", "10 userz"]);
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: bad scope: unknown table `userz` at column 4"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "one message: {err}");

    let flags = database_with_sql("cli_flags", &["CREATE TABLE flags (id serial PRIMARY KEY, flag boolean NOT NULL UNIQUE)".into()]).await;
    let out = seedfast(&[("SEEDFAST_DSN", flags.url())], &["seed", "--scope", "3 flags"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains("cannot satisfy UNIQUE"), "{}", text(&out.stderr));
}

#[test]
fn unreachable_server_exits_5_without_printing_the_password() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("postgres://app:hunter2-secret@127.0.0.1:{port}/users_db");
    let out = seedfast(&[("SEEDFAST_DSN", &url)], &["seed", "--scope", "10 users"]);
    assert_eq!(out.status.code(), Some(5));
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(all.contains("unreachable") && all.contains("app:***@"), "{all}");
    assert!(!all.contains("hunter2-secret"), "password leaked: {all}");
}

#[tokio::test]
async fn seeding_a_live_database_twice_adds_rows_beside_the_existing_ones() {
    let db = service_db("users").await;
    for _ in 0..2 {
        let out = seedfast(&[("SEEDFAST_DSN", db.url())], &["seed", "--scope", "20 users with addresses"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let mut c = support::conn(&db).await;
    assert_eq!(support::count(&mut c, "SELECT count(*) FROM users").await, 40);
    assert_eq!(support::count(&mut c, "SELECT count(DISTINCT lower(email)) FROM users").await, 40, "emails stay unique against existing rows");
    assert_eq!(support::count(&mut c, "SELECT max(id) FROM users").await, 40, "keys continue after the existing ones");
}

#[tokio::test]
async fn the_scale_factor_applies_to_a_single_seed_too() {
    let db = service_db("orders").await;
    let out = seedfast(
        &[("SEEDFAST_DSN", db.url()), ("SEEDFAST_SCALE", "0.1")],
        &["seed", "--scope", "1,000 orders for user IDs 1-500, status distribution of 50% completed 50% shipped"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut c = support::conn(&db).await;
    assert_eq!(support::count(&mut c, "SELECT count(*) FROM orders").await, 100);
    assert_eq!(support::count(&mut c, "SELECT count(*) FROM orders WHERE status = 'completed'").await, 50);
    assert_eq!(support::count(&mut c, "SELECT count(*) FROM orders WHERE user_id > 50").await, 0, "user IDs 1-500 became 1-50");
    let bad = seedfast(&[("SEEDFAST_DSN", db.url()), ("SEEDFAST_SCALE", "-2")], &["seed", "--scope", "1 orders"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("SEEDFAST_SCALE=-2 is not a positive number"), "{}", text(&bad.stderr));
}
