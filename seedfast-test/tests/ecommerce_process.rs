//! The five-service system across whole processes: the same scopes give
//! the same rows in every run, and `SEEDFAST_SCALE` shrinks every count
//! and ID range while percentages stay exact. Each case runs this binary
//! again on an `#[ignore]`d child test.

mod support;

use std::process::Output;

use seedfast_test::{ServiceDb, seeded_test};
use sqlx::PgPool;
use support::{child, field, is_child};

fn run(test: &str, env: &[(&str, &str)]) -> Output {
    let out = child(test, env);
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    out
}

fn value(o: &Output, key: &str) -> String {
    field(o, key).unwrap_or_else(|| panic!("no {key} in {}", String::from_utf8_lossy(&o.stdout)))
}

/// Every row of every table, as text, sorted.
async fn digest(pool: &PgPool) -> String {
    let tables: Vec<String> = sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY 1")
        .fetch_all(pool)
        .await
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT x::text FROM \"{t}\" x ORDER BY 1"))).fetch_all(pool).await.unwrap();
        out.push_str(&format!("{t}:{}|", rows.join("|")));
    }
    out
}

#[seeded_test(
    project = "../examples/ecommerce/seedfast.toml",
    users = "30 users with addresses",
    products = "20 products",
    orders = "60 orders with 1-3 items per order, 10% with user IDs that don't exist in the user service",
    payments = "payments for orders with IDs matching the order service, with amounts matching order totals, mix of completed, pending, and refunded statuses"
)]
#[ignore = "run by the parent tests of this file"]
async fn child_system(users: ServiceDb, products: ServiceDb, orders: ServiceDb, payments: ServiceDb) {
    for s in [&users, &products, &orders, &payments] {
        println!("@{}={}", s.service(), digest(s.pool()).await);
    }
}

#[seeded_test(
    project = "../examples/ecommerce/seedfast.toml",
    users = "1,000 users",
    orders = "8,000 orders for user IDs 1-1000, status distribution of 60% completed 40% shipped"
)]
#[ignore = "run by the parent tests of this file"]
async fn child_scaled(users: ServiceDb, orders: ServiceDb) {
    let statuses: Vec<(String, i64)> = sqlx::query_as("SELECT status::text, count(*) FROM orders GROUP BY 1 ORDER BY 1").fetch_all(orders.pool()).await.unwrap();
    let max_user: i64 = sqlx::query_scalar("SELECT max(user_id) FROM orders").fetch_one(orders.pool()).await.unwrap();
    println!("@users={}", users.count("users"));
    println!("@orders={}", orders.count("orders"));
    println!("@statuses={statuses:?}");
    println!("@max_user={max_user}");
    println!("@verified={}", orders.verified().iter().all(|c| c.ok()));
}

#[test]
fn the_system_is_identical_in_every_run() {
    if is_child() {
        return;
    }
    let a = run("child_system", &[]);
    let b = run("child_system", &[]);
    for service in ["users", "products", "orders", "payments"] {
        let (x, y) = (value(&a, service), value(&b, service));
        assert!(x.len() > 500, "{service} has data");
        assert_eq!(x, y, "{service} differs between runs");
    }
}

#[test]
fn the_scale_factor_shrinks_counts_and_ranges_and_keeps_shares_exact() {
    if is_child() {
        return;
    }
    let out = run("child_scaled", &[("SEEDFAST_SCALE", "0.1")]);
    assert_eq!(value(&out, "users"), "100");
    assert_eq!(value(&out, "orders"), "800");
    assert_eq!(value(&out, "statuses"), r#"[("completed", 480), ("shipped", 320)]"#);
    assert!(value(&out, "max_user").parse::<i64>().unwrap() <= 100, "user IDs 1-1000 became 1-100");
    assert_eq!(value(&out, "verified"), "true");
}
