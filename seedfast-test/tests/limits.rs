//! Absurd sizes are clear errors raised before anything is allocated or
//! written, naming the number and the limit (`SEEDFAST_MAX_ROWS`); ID
//! ranges, however wide, are drawn from without being listed out.

mod support;

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use seedfast_test::{SeedOptions, seed};
use support::{conn, count, database_with_sql, service_db};

/// A small shop in one database: customers, their addresses and orders,
/// and support tickets that name a customer of the CRM by an `integer` id.
const SHOP: &str = "
CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    email      text NOT NULL UNIQUE,
    full_name  text NOT NULL
);
CREATE TABLE addresses (
    id       bigserial PRIMARY KEY,
    user_id  bigint NOT NULL REFERENCES users (id),
    city     text NOT NULL
);
CREATE TABLE orders (
    id          bigserial PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    total       numeric(10,2) NOT NULL CHECK (total >= 0),
    placed_at   timestamptz NOT NULL
);
CREATE TABLE tickets (
    id           serial PRIMARY KEY,
    customer_id  integer NOT NULL,
    subject      text NOT NULL
);";

async fn refused(scope: &str, options: SeedOptions) -> String {
    let db = database_with_sql("limits", &[SHOP.into()]).await;
    let mut c = conn(&db).await;
    let started = Instant::now();
    let err = seed(&mut c, scope, options)
        .await
        .expect_err(scope)
        .to_string();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused only after {:?}: {scope}",
        started.elapsed()
    );
    for table in ["users", "addresses", "orders", "tickets"] {
        let rows: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
                .fetch_one(&mut c)
                .await
                .unwrap();
        assert_eq!(rows, 0, "{table} was written to: {scope}");
    }
    assert!(
        err.contains("SEEDFAST_MAX_ROWS=N"),
        "says how to raise the limit: {err}"
    );
    err
}

#[tokio::test]
async fn a_billion_rows_of_one_table_is_refused_naming_the_count_and_the_limit() {
    let err = refused("1000000000 users", SeedOptions::default()).await;
    assert!(err.starts_with("the scope asks for up to 1000000000 rows of `users`, over the limit of 100000000 rows per table"), "{err}");
    let err = refused("1000000000000 users", SeedOptions::default()).await;
    assert!(err.contains("1000000000000 rows of `users`"), "{err}");
}

#[tokio::test]
async fn a_parent_spread_over_a_trillion_rows_is_refused() {
    let err = refused(
        "10 orders across 1000000000000 users",
        SeedOptions::default(),
    )
    .await;
    assert!(
        err.contains("1000000000000 rows of `users`, over the limit of 100000000 rows per table"),
        "{err}"
    );
}

#[tokio::test]
async fn the_scale_factor_is_applied_before_the_limit() {
    let err = refused(
        "10 users",
        SeedOptions {
            scale: 1e12,
            ..SeedOptions::default()
        },
    )
    .await;
    assert!(err.contains("10000000000000 rows of `users`"), "{err}");
    assert!(
        err.contains("SEEDFAST_SCALE"),
        "names the scale as a cause: {err}"
    );
}

#[tokio::test]
async fn per_parent_counts_are_multiplied_out() {
    let err = refused(
        "10 users with 100000000-100000000 addresses per user",
        SeedOptions::default(),
    )
    .await;
    assert!(
        err.contains(
            "up to 1000000000 rows of `addresses` (100000000 per `users` row × 10 `users` rows)"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn an_id_range_that_does_not_fit_the_column_type_is_refused() {
    let db = database_with_sql("limits_int4", &[SHOP.into()]).await;
    let mut c = conn(&db).await;
    let err = seed(
        &mut c,
        "10 tickets for customer IDs 1-3000000000",
        SeedOptions::default(),
    )
    .await
    .expect_err("int4 overflow")
    .to_string();
    assert!(err.contains("the ID range 1-3000000000 does not fit `tickets.customer_id`, which is integer (-2147483648 to 2147483647)"), "{err}");
    assert_eq!(count(&mut c, "SELECT count(*) FROM tickets").await, 0);
}

#[tokio::test]
async fn a_trillion_wide_id_range_is_drawn_from_without_listing_it() {
    let db = service_db("orders").await;
    let mut c = conn(&db).await;
    let started = Instant::now();
    seed(
        &mut c,
        "10 orders for user IDs 1-1000000000000",
        SeedOptions::default(),
    )
    .await
    .expect("seed");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM orders WHERE user_id BETWEEN 1 AND 1000000000000"
        )
        .await,
        10
    );
    assert!(
        count(&mut c, "SELECT max(user_id) FROM orders").await > 1_000_000,
        "drawn from the whole range"
    );

    // A unique column takes distinct IDs from the range, sampled, not shuffled whole.
    let db = service_db("payments").await;
    let mut c = conn(&db).await;
    seed(
        &mut c,
        "10 payments for order IDs 1-1000000000000",
        SeedOptions::default(),
    )
    .await
    .expect("seed");
    assert_eq!(count(&mut c, "SELECT count(DISTINCT order_id) FROM payments WHERE order_id BETWEEN 1 AND 1000000000000").await, 10);

    // Same inputs, same rows, for a sampled range too.
    let again = service_db("payments").await;
    let mut c2 = conn(&again).await;
    seed(
        &mut c2,
        "10 payments for order IDs 1-1000000000000",
        SeedOptions::default(),
    )
    .await
    .expect("seed");
    assert_eq!(support::dump(&db).await, support::dump(&again).await);
}

fn seedfast(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedfast"));
    cmd.env_remove("SEEDFAST_DSN")
        .env_remove("DATABASE_URL")
        .env_remove("SEEDFAST_MAX_ROWS")
        .env_remove("SEEDFAST_SCALE")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run seedfast")
}

#[tokio::test]
async fn the_cli_exits_3_and_the_limit_can_be_raised_or_lowered() {
    let db = database_with_sql("limits_cli", &[SHOP.into()]).await;
    let dsn = ("SEEDFAST_DSN", db.url());
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).into_owned();

    let out = seedfast(&[dsn], &["seed", "--scope", "1000000000 users"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: the scope asks for up to 1000000000 rows of `users`"),
        "{}",
        stderr(&out)
    );

    let out = seedfast(
        &[dsn, ("SEEDFAST_SCALE", "1e12")],
        &["seed", "--scope", "10 users"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("10000000000000 rows of `users`"),
        "{}",
        stderr(&out)
    );

    // The limit covers the whole seed too: 10 users and 20 addresses are 30 rows.
    let out = seedfast(
        &[dsn, ("SEEDFAST_MAX_ROWS", "25")],
        &["seed", "--scope", "10 users with 2-2 addresses per user"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("up to 30 rows in all, over the limit of 25 rows per seed"),
        "{}",
        stderr(&out)
    );
    let out = seedfast(
        &[dsn, ("SEEDFAST_MAX_ROWS", "30")],
        &["seed", "--scope", "10 users with 2-2 addresses per user"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = seedfast(
        &[dsn, ("SEEDFAST_MAX_ROWS", "lots")],
        &["seed", "--scope", "10 users"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("SEEDFAST_MAX_ROWS=lots is not a whole number of rows"),
        "{}",
        stderr(&out)
    );
    let mut c = conn(&db).await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM users").await,
        10,
        "only the seed within the limit wrote"
    );
}
