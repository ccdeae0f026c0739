//! `seedfast seed-all` and `seedfast verify` as CI scripts use them: one
//! real database per service, migrated like the example services and named
//! to the binary by SEEDFAST_DSN_<SERVICE>; outputs and exit codes.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output};

use support::{conn, count, repo, service_db};

const SERVICES: [&str; 5] = ["users", "products", "orders", "payments", "notifications"];

fn project() -> String {
    repo().join("examples/ecommerce/seedfast.toml").display().to_string()
}

/// Runs the binary with exactly the given seedfast variables.
fn seedfast(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedfast"));
    cmd.env_remove("SEEDFAST_DSN").env_remove("DATABASE_URL").env_remove("SEEDFAST_SCALE").args(args);
    for service in SERVICES {
        cmd.env_remove(format!("SEEDFAST_DSN_{}", service.to_uppercase()));
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run seedfast")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn both(out: &Output) -> String {
    text(&out.stdout) + &text(&out.stderr)
}

/// A project file of its own, for contracts the example does not have.
fn temp_project(name: &str, contracts: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("seedfast-cli-system-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("seedfast.toml");
    let text = format!("[services.users]\nmigrations = \"users/migrations\"\n\n[services.orders]\nmigrations = \"orders/migrations\"\n\n{contracts}");
    std::fs::write(&path, text).expect("write project");
    path
}

fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    port
}

#[tokio::test]
async fn seed_all_in_phases_then_verify_and_a_foreign_user_id_fails_it() {
    let (users, products, orders) = (service_db("users").await, service_db("products").await, service_db("orders").await);
    let env = [("SEEDFAST_DSN_USERS", users.url()), ("SEEDFAST_DSN_PRODUCTS", products.url()), ("SEEDFAST_DSN_ORDERS", orders.url())];
    let project = project();
    let out = seedfast(
        &env,
        &[
            "seed-all",
            "--project",
            &project,
            "--scope",
            "users=10 users",
            "--scope",
            "products=20 products",
            "--scope",
            "orders=30 orders with 1-3 items per order",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "seed 42 · now 2026-01-01T00:00:00Z", "{stdout}");
    assert_eq!(lines[1..3], ["phase 1: users, products", "phase 2: orders"], "{stdout}");
    assert!(lines.contains(&"users") && lines.iter().any(|l| l.starts_with("  users") && l.contains("10 rows")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("  orders") && l.contains("30 rows")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("ok    orders.orders.user_id -> users.users.id: ")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("ok    orders.order_items.product_id -> products.products.id: ")), "{stdout}");
    assert!(lines.last().unwrap().starts_with("total ") && lines.last().unwrap().contains(" rows in 3 services in "), "{stdout}");

    let (mut u, mut p, mut o) = (conn(&users).await, conn(&products).await, conn(&orders).await);
    assert_eq!(count(&mut u, "SELECT count(*) FROM users").await, 10);
    assert_eq!(count(&mut p, "SELECT count(*) FROM products").await, 20);
    assert_eq!(count(&mut o, "SELECT count(*) FROM orders").await, 30);
    let items = count(&mut o, "SELECT count(*) FROM order_items").await;
    assert!((30..=90).contains(&items), "{items} items");
    // Contract columns took the IDs the upstream services were just given.
    assert_eq!(count(&mut o, "SELECT count(*) FROM orders WHERE user_id NOT BETWEEN 1 AND 10").await, 0);
    assert_eq!(count(&mut o, "SELECT count(*) FROM order_items WHERE product_id NOT BETWEEN 1 AND 20").await, 0);

    let out = seedfast(&env, &["verify", "--project", &project]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("ok    orders.orders.user_id -> users.users.id: "), "{stdout}");
    assert!(stdout.contains("skip  payments.payments.order_id -> orders.orders.id: set SEEDFAST_DSN_PAYMENTS to check it"), "{stdout}");
    assert!(stdout.contains("skip  notifications.notifications.product_sku -> products.products.sku: set SEEDFAST_DSN_NOTIFICATIONS to check it"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("total 8 contracts: 2 ok, 0 failed, 6 skipped"), "{stdout}");

    // An order for a user the users service never had.
    sqlx::query("INSERT INTO orders (user_id, status, total, created_at, updated_at) VALUES (424242, 'pending', 0, now(), now())")
        .execute(&mut o)
        .await
        .unwrap();
    let out = seedfast(&env, &["verify", "--project", &project]);
    assert_eq!(out.status.code(), Some(7), "{}", both(&out));
    let stdout = text(&out.stdout);
    let fail = stdout.lines().find(|l| l.starts_with("FAIL  orders.orders.user_id -> users.users.id: 1 of ")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(fail.ends_with("values missing upstream (first: 424242)"), "{fail}");
    assert!(stdout.contains("ok    orders.order_items.product_id -> products.products.id"), "{stdout}");
    assert_eq!(text(&out.stderr).trim(), "error: 1 of 2 checked contracts has values missing upstream");

    let out = seedfast(&env, &["verify", "--project", &project, "--output", "json"]);
    assert_eq!(out.status.code(), Some(7), "{}", both(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["ok"], false);
    assert_eq!((json["passed"].as_u64(), json["failed"].as_u64(), json["skipped"].as_u64()), (Some(1), Some(1), Some(6)));
    let first = &json["contracts"][0];
    assert_eq!(first["contract"], "orders.orders.user_id -> users.users.id");
    assert_eq!(first["status"], "fail");
    assert_eq!(first["first_missing"], serde_json::json!(["424242"]));
}

#[tokio::test]
async fn seed_all_json_scales_and_knows_its_deliberate_orphans() {
    let (users, orders) = (service_db("users").await, service_db("orders").await);
    let env = [("SEEDFAST_DSN_USERS", users.url()), ("SEEDFAST_DSN_ORDERS", orders.url()), ("SEEDFAST_SCALE", "0.5")];
    let project = project();
    let out = seedfast(
        &env,
        &[
            "seed-all",
            "--project",
            &project,
            "--output",
            "json",
            "--seed",
            "7",
            "--scope",
            "orders=40 orders, 10% with user IDs that don't exist in the user service",
            "--scope",
            "users=20 users",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!((json["seed"].as_u64(), json["scale"].as_f64(), json["ok"].as_bool()), (Some(7), Some(0.5), Some(true)));
    assert_eq!(json["phases"], serde_json::json!([["users"], ["orders"]]));
    assert_eq!(json["services"][0]["service"], "users");
    assert_eq!(json["services"][0]["report"]["tables"][0]["rows"], 10);
    let orders_report = &json["services"][1]["report"]["tables"][0];
    assert_eq!((orders_report["rows"].as_u64(), orders_report["orphans"][0]["count"].as_u64()), (Some(20), Some(2)));
    assert_eq!(json["total_rows"], 30);
    let checks = json["contracts"].as_array().unwrap();
    assert_eq!(checks[0]["contract"], "orders.orders.user_id -> users.users.id");
    assert_eq!((checks[0]["status"].as_str(), checks[0]["missing"].as_u64(), checks[0]["orphans"].as_u64()), (Some("ok"), Some(0), Some(2)));
    assert_eq!(checks[1]["contract"], "orders.order_items.product_id -> products.products.id");
    assert_eq!(checks[1]["status"], "skipped");
    assert!(checks[1]["reason"].as_str().unwrap().contains("`products` is not seeded in this run"), "{}", checks[1]);

    let mut o = conn(&orders).await;
    assert_eq!(count(&mut o, "SELECT count(*) FROM orders WHERE user_id NOT BETWEEN 1 AND 10").await, 2);
    // `verify` does not know which values were orphaned on purpose.
    let out = seedfast(&env, &["verify", "--project", &project]);
    assert_eq!(out.status.code(), Some(7), "{}", both(&out));
    assert!(text(&out.stdout).contains("FAIL  orders.orders.user_id -> users.users.id: 2 of "), "{}", both(&out));
}

#[tokio::test]
async fn contracts_that_do_not_match_the_schema_exit_3_naming_them() {
    let (users, orders) = (service_db("users").await, service_db("orders").await);
    let env = [("SEEDFAST_DSN_USERS", users.url()), ("SEEDFAST_DSN_ORDERS", orders.url())];
    let path = temp_project(
        "mismatch",
        "[[contracts]]\nfrom = \"orders.orders.customer_id\"\nto = \"users.users.id\"\ntype = \"integer\"\n\n\
         [[contracts]]\nfrom = \"orders.orders.user_id\"\nto = \"users.users.id\"\ntype = \"uuid\"\n",
    );
    let project = path.display().to_string();
    let out = seedfast(&env, &["verify", "--project", &project]);
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("error orders.orders.customer_id -> users.users.id: table `orders` of service `orders` has no column `customer_id`; it has `id`, `user_id`"),
        "{stdout}"
    );
    assert!(stdout.contains("`orders.orders.user_id` is bigint in the migrated schema, but the contract says uuid"), "{stdout}");
    assert_eq!(text(&out.stderr).trim(), "error: 2 of 2 contracts do not match the migrated schemas; fix the project file or the migrations");

    // seed-all checks the same before it writes anything.
    let out = seedfast(&env, &["seed-all", "--project", &project, "--scope", "users=5 users", "--scope", "orders=5 orders"]);
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let err = text(&out.stderr);
    assert!(err.contains("error: contract orders.orders.customer_id -> users.users.id: table `orders` of service `orders` has no column `customer_id`"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(text(&out.stdout).is_empty());
    assert_eq!(count(&mut conn(&users).await, "SELECT count(*) FROM users").await, 0);
    std::fs::remove_dir_all(path.parent().unwrap()).ok();
}

#[tokio::test]
async fn a_failing_service_is_named_and_nothing_is_written() {
    let (users, orders) = (service_db("users").await, service_db("orders").await);
    let env = [("SEEDFAST_DSN_USERS", users.url()), ("SEEDFAST_DSN_ORDERS", orders.url())];
    let project = project();
    // 50 user IDs asked for, 20 users given: only the seed of orders, in the
    // second phase, can tell.
    let out = seedfast(&env, &["seed-all", "--project", &project, "--scope", "users=20 users", "--scope", "orders=30 orders for user IDs 1-50"]);
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: seeding service `orders`: contract orders.orders.user_id -> users.users.id: 30 of the 50 IDs"), "{err}");
    assert!(err.trim_end().ends_with("nothing was written (the seeds of `users` are rolled back)"), "{err}");
    assert!(text(&out.stdout).is_empty());
    assert_eq!(count(&mut conn(&users).await, "SELECT count(*) FROM users").await, 0, "phase 1 rolled back");

    let out = seedfast(&env, &["seed-all", "--project", &project, "--scope", "users=20 users", "--scope", "orders=30 orderz"]);
    assert_eq!(out.status.code(), Some(3), "{}", both(&out));
    let err = text(&out.stderr);
    assert!(err.starts_with("error: seeding service `orders`: bad scope: unknown table `orderz`"), "{err}");
    assert_eq!(count(&mut conn(&users).await, "SELECT count(*) FROM users").await, 0);

    // The same run with a good scope writes both.
    let out = seedfast(&env, &["seed-all", "--project", &project, "--scope", "users=20 users", "--scope", "orders=30 orders"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(count(&mut conn(&users).await, "SELECT count(*) FROM users").await, 20);
    assert_eq!(count(&mut conn(&orders).await, "SELECT count(*) FROM orders").await, 30);
}

#[tokio::test]
async fn seed_all_exits_7_when_rows_already_there_break_a_contract() {
    let (users, orders) = (service_db("users").await, service_db("orders").await);
    let mut o = conn(&orders).await;
    sqlx::query("INSERT INTO orders (user_id, status, total, created_at, updated_at) VALUES (424242, 'pending', 0, now(), now())")
        .execute(&mut o)
        .await
        .unwrap();
    let env = [("SEEDFAST_DSN_USERS", users.url()), ("SEEDFAST_DSN_ORDERS", orders.url())];
    let out = seedfast(&env, &["seed-all", "--project", &project(), "--scope", "users=5 users", "--scope", "orders=10 orders"]);
    assert_eq!(out.status.code(), Some(7), "{}", both(&out));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("FAIL  orders.orders.user_id -> users.users.id: 1 of ") && stdout.contains("(first: 424242)"), "{stdout}");
    assert!(text(&out.stderr).starts_with("error: 1 of 1 contracts between the seeded services has values missing upstream; the new rows are written"), "{}", text(&out.stderr));
    // The new rows are fine and stay: the old one is what breaks the contract.
    assert_eq!(count(&mut o, "SELECT count(*) FROM orders").await, 11);
}

#[test]
fn usage_errors_exit_2_and_name_what_to_fix() {
    let project = project();
    let out = seedfast(&[], &["seed-all", "--project", &project, "--scope", "users=10 users", "--scope", "orders=10 orders"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("error: SEEDFAST_DSN_USERS is not set: it gives the database of service `users`"), "{err}");
    assert!(err.contains("error: SEEDFAST_DSN_ORDERS is not set"), "every missing variable at once: {err}");
    assert!(text(&out.stdout).is_empty());

    let out = seedfast(&[], &["verify", "--project", &project]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("no contract can be checked: set SEEDFAST_DSN_USERS, SEEDFAST_DSN_PRODUCTS, SEEDFAST_DSN_ORDERS, SEEDFAST_DSN_PAYMENTS, SEEDFAST_DSN_NOTIFICATIONS"),
        "{err}"
    );

    let out = seedfast(&[("SEEDFAST_DSN_USERS", "postgres://x@127.0.0.1/db")], &["seed-all", "--project", &project, "--scope", "user=10 users"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("unknown service `user` in `--scope`") && err.contains("declares `users`, `products`, `orders`, `payments`, `notifications`"), "{err}");

    let out = seedfast(&[], &["seed-all", "--project", &project, "--scope", "10 users"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`--scope 10 users` must be SERVICE=\"TEXT\""), "{}", text(&out.stderr));

    let out = seedfast(&[], &["verify"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`--project` is required"), "{}", text(&out.stderr));

    let out = seedfast(&[], &["verify", "--project", "/nonexistent/seedfast.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the project file /nonexistent/seedfast.toml"), "{}", text(&out.stderr));

    let out = seedfast(&[("SEEDFAST_SCALE", "-1"), ("SEEDFAST_DSN_USERS", "postgres://x@127.0.0.1/db")], &["seed-all", "--project", &project, "--scope", "users=10 users"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("SEEDFAST_SCALE=-1 is not a positive number"), "{}", text(&out.stderr));
}

#[test]
fn unreachable_services_exit_5_without_printing_the_password() {
    let url = format!("postgres://app:hunter2-secret@127.0.0.1:{}/users_db", closed_port());
    let env = [("SEEDFAST_DSN_USERS", url.as_str()), ("SEEDFAST_DSN_ORDERS", url.as_str())];
    let project = project();
    for args in [
        vec!["verify", "--project", &project],
        vec!["seed-all", "--project", &project, "--scope", "users=10 users", "--scope", "orders=10 orders"],
    ] {
        let out = seedfast(&env, &args);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {}", both(&out));
        let all = both(&out);
        assert!(all.contains("service `users` (SEEDFAST_DSN_USERS)") && all.contains("unreachable") && all.contains("app:***@"), "{all}");
        assert!(!all.contains("hunter2-secret"), "password leaked: {all}");
    }
}
