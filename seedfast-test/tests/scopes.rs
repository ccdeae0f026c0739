//! Every scope line of the specification, seeded into a freshly migrated
//! example database on a real local Postgres, with its meaning checked in SQL.

mod support;

use seedfast_test::{Error, SeedOptions, SeedReport};
use sqlx::PgConnection;
use support::{conn, count, service_db};

async fn seed(conn: &mut PgConnection, scope: &str) -> SeedReport {
    seedfast_test::seed(conn, scope, SeedOptions::default()).await.unwrap_or_else(|e| panic!("seeding `{scope}` failed: {e}"))
}

async fn statuses(conn: &mut PgConnection, sql: &'static str) -> Vec<(String, i64)> {
    sqlx::query_as(sql).fetch_all(conn).await.expect(sql)
}

#[tokio::test]
async fn ten_users_with_addresses() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    let report = seed(&mut c, "10 users with addresses").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM users").await, 10);
    let addresses = count(&mut c, "SELECT count(*) FROM addresses").await;
    assert!((10..=30).contains(&addresses), "1-3 addresses per user, got {addresses}");
    assert_eq!(count(&mut c, "SELECT count(DISTINCT user_id) FROM addresses").await, 10, "every user has an address");
    assert_eq!(count(&mut c, "SELECT count(*) FROM profiles").await, 0, "profiles were not asked for");
    assert_eq!(report.table("users").unwrap().rows, 10);
    assert_eq!(report.table("addresses").unwrap().rows as i64, addresses);
}

#[tokio::test]
async fn twenty_products() {
    let db = service_db("products").await;
    let mut c = conn(&db).await;
    let report = seed(&mut c, "20 products").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM products").await, 20);
    // categories.id is NOT NULL in products: a few categories are added and reported.
    let categories = report.table("categories").expect("required parent is reported");
    assert_eq!(categories.reason, "required by products");
    assert_eq!(count(&mut c, "SELECT count(*) FROM categories").await, categories.rows as i64);
    assert!(categories.rows > 0 && categories.rows <= 5);
}

#[tokio::test]
async fn fifty_users_with_profiles_and_addresses() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    seed(&mut c, "50 users with profiles and addresses").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM users").await, 50);
    assert_eq!(count(&mut c, "SELECT count(*) FROM profiles").await, 50, "profiles are 1:1 with users");
    assert!(count(&mut c, "SELECT count(*) FROM addresses").await >= 50);
}

#[tokio::test]
async fn orders_for_an_explicit_id_list() {
    let db = service_db("orders").await;
    let mut c = conn(&db).await;
    seed(&mut c, "200 orders for users with IDs: 3,7,11").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders").await, 200);
    let ids: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT user_id FROM orders ORDER BY 1").fetch_all(&mut c).await.unwrap();
    assert_eq!(ids, vec![3, 7, 11]);
}

#[tokio::test]
async fn a_thousand_users_with_varied_profiles_addresses_and_preferences() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    seed(&mut c, "1,000 users with varied profiles, addresses, and preferences").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM users").await, 1000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM profiles").await, 1000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM preferences").await, 1000);
    assert_eq!(count(&mut c, "SELECT count(DISTINCT lower(email)) FROM users").await, 1000);
}

#[tokio::test]
async fn products_across_categories_with_pricing_tiers() {
    let db = service_db("products").await;
    let mut c = conn(&db).await;
    seed(&mut c, "200 products across 10 categories with pricing tiers").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM products").await, 200);
    assert_eq!(count(&mut c, "SELECT count(*) FROM categories").await, 10);
    assert!(count(&mut c, "SELECT count(DISTINCT pricing_tier) FROM products").await >= 2, "tiers vary");
}

#[tokio::test]
async fn orders_referencing_ranges_with_realistic_statuses_in_a_window() {
    let db = service_db("orders").await;
    let mut c = conn(&db).await;
    seed(&mut c, "5,000 orders referencing user IDs 1-1000 and product IDs 1-200, with realistic status distribution across the last 6 months").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders").await, 5000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders WHERE user_id NOT BETWEEN 1 AND 1000").await, 0);
    assert!(count(&mut c, "SELECT count(*) FROM order_items").await >= 5000, "items are seeded to hold the product references");
    assert_eq!(count(&mut c, "SELECT count(*) FROM order_items WHERE product_id NOT BETWEEN 1 AND 200").await, 0);
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM orders WHERE created_at < timestamptz '2026-01-01' - interval '6 months' OR created_at > timestamptz '2026-01-01'").await,
        0
    );
    let by_status = statuses(&mut c, "SELECT status::text, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC").await;
    assert_eq!(by_status[0].0, "completed", "completed dominates a realistic mix: {by_status:?}");
    assert!(by_status.len() >= 4, "a realistic mix has several statuses: {by_status:?}");
}

#[tokio::test]
async fn products_with_named_categories_price_range_and_inventory() {
    let db = service_db("products").await;
    let mut c = conn(&db).await;
    seed(&mut c, "500 products across 15 categories including electronics, clothing, and home goods, with prices ranging from 5 to 500 dollars, and inventory counts").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM products").await, 500);
    assert_eq!(count(&mut c, "SELECT count(*) FROM categories").await, 15);
    assert_eq!(count(&mut c, "SELECT count(*) FROM categories WHERE name IN ('electronics', 'clothing', 'home goods')").await, 3);
    assert_eq!(count(&mut c, "SELECT count(*) FROM products WHERE price < 5 OR price > 500").await, 0);
    assert_eq!(count(&mut c, "SELECT count(*) FROM inventory").await, 500);
}

#[tokio::test]
async fn eight_thousand_orders_with_items_exact_statuses_and_window() {
    let db = service_db("orders").await;
    let mut c = conn(&db).await;
    seed(&mut c, "8,000 orders for user IDs 1-1000 referencing product IDs 1-500, with 1-5 items per order, status distribution of 60% completed 25% shipped 10% processing 5% cancelled, spread across the last 12 months").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders").await, 8000);
    let by_status = statuses(&mut c, "SELECT status::text, count(*) FROM orders GROUP BY 1 ORDER BY 2 DESC").await;
    assert_eq!(
        by_status,
        vec![("completed".into(), 4800), ("shipped".into(), 2000), ("processing".into(), 800), ("cancelled".into(), 400)]
    );
    let (min, max): (i64, i64) = sqlx::query_as("SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM order_items GROUP BY order_id) s")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!((min, max), (1, 5));
    assert_eq!(count(&mut c, "SELECT count(DISTINCT order_id) FROM order_items").await, 8000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM order_items WHERE product_id NOT BETWEEN 1 AND 500").await, 0);
    assert!(count(&mut c, "SELECT count(DISTINCT product_id) FROM order_items").await > 450, "items spread over the product range");
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders WHERE created_at < timestamptz '2025-01-01'").await, 0);
}

#[tokio::test]
async fn payments_matching_order_totals_needs_the_orders_service() {
    let db = service_db("payments").await;
    let mut c = conn(&db).await;
    let scope = "payments for order IDs 1-8000, with amounts matching order totals, 90% captured 5% authorized 3% refunded 2% failed";
    let err = seedfast_test::seed(&mut c, scope, SeedOptions::default()).await.expect_err("cross-service clause");
    assert!(matches!(err, Error::CrossService { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("amounts matching order totals"), "{msg}");
    assert!(msg.contains("another service"), "{msg}");
    assert_eq!(count(&mut c, "SELECT count(*) FROM payments").await, 0);
}

#[tokio::test]
async fn payments_one_per_order_id_with_exact_statuses() {
    let db = service_db("payments").await;
    let mut c = conn(&db).await;
    seed(&mut c, "payments for order IDs 1-8000, 90% captured 5% authorized 3% refunded 2% failed").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM payments").await, 8000);
    assert_eq!(count(&mut c, "SELECT count(DISTINCT order_id) FROM payments WHERE order_id BETWEEN 1 AND 8000").await, 8000);
    let by_status = statuses(&mut c, "SELECT status::text, count(*) FROM payments GROUP BY 1 ORDER BY 2 DESC").await;
    assert_eq!(
        by_status,
        vec![("captured".into(), 7200), ("authorized".into(), 400), ("refunded".into(), 240), ("failed".into(), 160)]
    );
}

#[tokio::test]
async fn notifications_one_per_user_about_orders_with_types() {
    let db = service_db("notifications").await;
    let mut c = conn(&db).await;
    seed(&mut c, "notifications for user IDs 1-1000 about order IDs 1-8000, including order confirmation, shipping update, and delivery confirmation types").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM notifications").await, 1000);
    assert_eq!(count(&mut c, "SELECT count(DISTINCT user_id) FROM notifications WHERE user_id BETWEEN 1 AND 1000").await, 1000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM notifications WHERE order_id NOT BETWEEN 1 AND 8000").await, 0);
    let types = statuses(&mut c, "SELECT type, count(*) FROM notifications GROUP BY 1 ORDER BY 1").await;
    let names: Vec<&str> = types.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(names, vec!["delivery_confirmation", "order_confirmation", "shipping_update"]);
}

#[tokio::test]
async fn orders_with_deliberate_orphans() {
    let db = service_db("orders").await;
    let mut c = conn(&db).await;
    let report = seed(&mut c, "100 orders, 10% with user IDs that don't exist in the user service").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders").await, 100);
    let orphans = &report.table("orders").unwrap().orphans;
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].column, "user_id");
    assert_eq!(orphans[0].count, 10);
    // Exactly the reported rows lie outside the referenced set (1-1000 by default).
    let outside: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM orders WHERE user_id NOT BETWEEN 1 AND 1000 ORDER BY user_id")
        .fetch_all(&mut c)
        .await
        .unwrap();
    let mut reported: Vec<i64> = orphans[0].values.iter().map(|v| v.parse().unwrap()).collect();
    reported.sort();
    assert_eq!(outside, reported);
}

#[tokio::test]
async fn domain_events_grouped_per_aggregate_with_monotonic_timestamps() {
    let db = service_db("event-store").await;
    let mut c = conn(&db).await;
    seed(&mut c, "1000 domain events: OrderCreated, PaymentCaptured, OrderShipped, with realistic aggregate_id grouping and monotonic timestamps").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM domain_events").await, 1000);
    // Versions run 1..n per aggregate, in the listed event order.
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM (SELECT aggregate_id FROM domain_events GROUP BY 1 HAVING max(version) <> count(*) OR min(version) <> 1) s").await,
        0
    );
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM domain_events WHERE event_type <> (ARRAY['OrderCreated','PaymentCaptured','OrderShipped'])[version]").await,
        0
    );
    assert!(count(&mut c, "SELECT count(DISTINCT aggregate_id) FROM domain_events").await > 100, "events are spread over many aggregates");
    // Strictly increasing within each aggregate, and across the log in id order.
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM (SELECT occurred_at <= lag(occurred_at) OVER (PARTITION BY aggregate_id ORDER BY version) AS bad FROM domain_events) s WHERE bad").await,
        0
    );
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM (SELECT occurred_at <= lag(occurred_at) OVER (ORDER BY id) AS bad FROM domain_events) s WHERE bad").await,
        0
    );
}

#[tokio::test]
async fn users_with_named_columns_qualified_children_and_preferences() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    seed(&mut c, "1,000 users with names, emails, phone numbers, billing and shipping addresses, and notification preferences").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM users").await, 1000);
    assert_eq!(count(&mut c, "SELECT count(*) FROM users WHERE phone IS NULL").await, 0, "phone numbers were asked for");
    let kinds = statuses(&mut c, "SELECT kind, count(*) FROM addresses GROUP BY 1 ORDER BY 1").await;
    assert_eq!(kinds.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), vec!["billing", "shipping"]);
    assert_eq!(count(&mut c, "SELECT count(*) FROM preferences").await, 1000);
}
