//! The article's five-service system (examples/ecommerce): references
//! across databases, deliberate orphans, the full phased seed with exact
//! counts and shares, derived values, and verification.

use std::collections::HashMap;

use seedfast_test::{Error, ServiceDb, seeded_test};
use sqlx::PgPool;

/// A small service-layer function of the order service: order summaries
/// with the customer's name from the users service, which may not know the
/// user (eventual consistency). It must degrade, not fail.
async fn order_summaries(orders: &PgPool, users: &PgPool) -> Vec<(i64, String)> {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT id, user_id FROM orders ORDER BY id").fetch_all(orders).await.unwrap();
    let ids: Vec<i64> = rows.iter().map(|(_, u)| *u).collect();
    let names: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>("SELECT id, first_name || ' ' || last_name FROM users WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_all(users)
        .await
        .unwrap()
        .into_iter()
        .collect();
    rows.into_iter().map(|(order, user)| (order, names.get(&user).cloned().unwrap_or_else(|| "unknown customer".into()))).collect()
}

#[seeded_test(
    project = "../examples/ecommerce/seedfast.toml",
    users = "50 users",
    orders = "100 orders, 10% with user IDs that don't exist in the user service"
)]
async fn orphaned_orders_degrade_gracefully(users: ServiceDb, orders: ServiceDb) -> Result<(), Error> {
    let summaries = order_summaries(orders.pool(), users.pool()).await;
    assert_eq!(summaries.len(), 100);
    let unknown = summaries.iter().filter(|(_, name)| name == "unknown customer").count();
    assert_eq!(unknown, 10, "exactly the deliberate orphans lack a customer");

    // The handle names them, and they are absent upstream.
    let orphans: Vec<i64> = orders.orphans("orders", "user_id").as_i64()?;
    assert_eq!(orphans.len(), 10);
    let user_ids: Vec<i64> = users.ids("users").as_i64()?;
    assert!(orphans.iter().all(|o| !user_ids.contains(o)));
    let err = orders.orphans("orders", "user_id").as_uuid().unwrap_err().to_string();
    assert!(err.starts_with("orders.user_id is bigint, not a uuid"), "{err}");
    assert_eq!(orders.orphans("orders", "user_id").as_strings()?.len(), 10);
    // Verification knew they were deliberate; the check is found by its column.
    let check = orders.check("orders.user_id")?;
    assert_eq!((check.missing, check.orphans), (0, 10), "{check}");
    assert_eq!(check.contract, orders.verified()[0].contract);
    let err = orders.check("orders.total").unwrap_err().to_string();
    assert_eq!(err, "service `orders` has no verified contract from `orders.total`; verified: `orders.orders.user_id -> users.users.id`");
    Ok(())
}

#[seeded_test(project = "../examples/ecommerce/seedfast.toml", orders = "20 orders for user IDs 1-5")]
async fn undeclared_upstream_services_leave_references_unverified(orders: ServiceDb) {
    let users: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT user_id FROM orders ORDER BY 1").fetch_all(orders.pool()).await.unwrap();
    assert!(users.iter().all(|u| (1..=5).contains(u)));
    assert!(orders.verified().is_empty());
    assert_eq!(orders.unverified(), ["orders.orders.user_id -> users.users.id", "orders.order_items.product_id -> products.products.id"]);
}

#[seeded_test(project = "../examples/ecommerce/seedfast.toml", users = "20 users", orders = "30 orders for user IDs 1-50")]
#[should_panic(expected = "contract orders.orders.user_id -> users.users.id: 30 of the 50 IDs the scope names are not among the 20 `id` values service `users` generated")]
async fn explicit_ids_outside_the_upstream_rows_are_an_error(users: ServiceDb, orders: ServiceDb) {
    let _ = (users, orders);
}

/// The article's local-development scopes, verbatim.
#[seeded_test(
    project = "../examples/ecommerce/seedfast.toml",
    users = "1,000 users with names, emails, phone numbers, billing and shipping addresses, and notification preferences",
    products = "500 products across 15 categories including electronics, clothing, and home goods, with prices ranging from 5 to 500 dollars, and inventory counts",
    orders = "8,000 orders for user IDs 1-1000 referencing product IDs 1-500, with 1-5 items per order, status distribution of 60% completed 25% shipped 10% processing 5% cancelled, spread across the last 12 months",
    payments = "payments for order IDs 1-8000, with amounts matching order totals, 90% captured 5% authorized 3% refunded 2% failed",
    notifications = "notifications for user IDs 1-1000 about order IDs 1-8000, including order confirmation, shipping update, and delivery confirmation types, with timestamps after the corresponding order dates"
)]
async fn the_five_services_seeded_in_phases(users: ServiceDb, products: ServiceDb, orders: ServiceDb, payments: ServiceDb, notifications: ServiceDb) {
    let scale = seedfast_test::SeedOptions::scale_from_env().unwrap();
    let n = |count: u64| seedfast_test::SeedOptions { scale, ..Default::default() }.scaled(count);
    assert_eq!(users.count("users"), n(1000));
    assert_eq!(products.count("products"), n(500));
    assert_eq!(orders.count("orders"), n(8000));
    assert_eq!(payments.count("payments"), n(8000));
    assert_eq!(notifications.count("notifications"), n(1000));

    let shares = |pool: &PgPool, sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_as::<_, (String, i64)>(sql).fetch_all(&pool).await.unwrap() }
    };
    if scale == 1.0 {
        assert_eq!(
            shares(orders.pool(), "SELECT status::text, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC").await,
            [("completed".into(), 4800), ("shipped".into(), 2000), ("processing".into(), 800), ("cancelled".into(), 400)]
        );
        assert_eq!(
            shares(payments.pool(), "SELECT status::text, count(*) FROM payments GROUP BY 1 ORDER BY 2 DESC").await,
            [("captured".into(), 7200), ("authorized".into(), 400), ("refunded".into(), 240), ("failed".into(), 160)]
        );
    }

    // Each payment's amount is its order's total (read across databases).
    let totals: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>("SELECT id, total::text FROM orders").fetch_all(orders.pool()).await.unwrap().into_iter().collect();
    let amounts: Vec<(i64, String)> = sqlx::query_as("SELECT order_id, amount::text FROM payments").fetch_all(payments.pool()).await.unwrap();
    assert_eq!(amounts.len() as u64, n(8000));
    for (order, amount) in &amounts {
        assert_eq!(Some(amount), totals.get(order), "payment for order {order}");
    }

    // Each notification comes after the order it is about.
    let placed: HashMap<i64, chrono::DateTime<chrono::Utc>> =
        sqlx::query_as::<_, (i64, chrono::DateTime<chrono::Utc>)>("SELECT id, created_at FROM orders").fetch_all(orders.pool()).await.unwrap().into_iter().collect();
    let sent: Vec<(i64, chrono::DateTime<chrono::Utc>)> = sqlx::query_as("SELECT order_id, sent_at FROM notifications").fetch_all(notifications.pool()).await.unwrap();
    assert!(sent.iter().all(|(order, at)| placed.get(order).is_some_and(|p| at > p)));

    // Items spread over the products the products service has.
    let spread: i64 = sqlx::query_scalar("SELECT count(DISTINCT product_id) FROM order_items").fetch_one(orders.pool()).await.unwrap();
    assert!(spread as u64 > n(450), "{spread} distinct products");

    // A payment's user is its order's user.
    let buyers: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>("SELECT id, user_id FROM orders").fetch_all(orders.pool()).await.unwrap().into_iter().collect();
    let payers: Vec<(i64, i64)> = sqlx::query_as("SELECT order_id, user_id FROM payments").fetch_all(payments.pool()).await.unwrap();
    assert!(payers.iter().all(|(order, user)| buyers.get(order) == Some(user)));

    // Every contract between the five services was verified, cleanly.
    let checks: Vec<_> = [&orders, &payments, &notifications].iter().flat_map(|s| s.verified().to_vec()).collect();
    assert_eq!(checks.len(), 8, "{checks:?}");
    assert!(checks.iter().all(|c| c.ok()), "{checks:?}");
    let _ = (users, products);
}
