//! The checkout flow seeds only what it touches: users, products and
//! orders. Alone in its test binary, so "which services did this process
//! start" is this test's answer alone.

use seedfast_test::{Error, ServiceDb, seeded_test};

#[seeded_test(
    project = "../examples/ecommerce/seedfast.toml",
    users = "10 users with addresses",
    products = "20 products with inventory",
    orders = "50 orders with 1-3 items per order"
)]
async fn checkout_flow(users: ServiceDb, products: ServiceDb, orders: ServiceDb) -> Result<(), Error> {
    assert_eq!(seedfast_test::harness::started_services(), ["orders", "products", "users"], "payments and notifications are never started");

    // Every reference points at a row the upstream service really has.
    let user_ids = users.ids("users").as_i64()?;
    let product_ids = products.ids("products").as_i64()?;
    let order_users: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT user_id FROM orders").fetch_all(orders.pool()).await.unwrap();
    assert!(order_users.iter().all(|u| user_ids.contains(u)), "{order_users:?} vs {user_ids:?}");
    let item_products: Vec<i64> = sqlx::query_scalar("SELECT DISTINCT product_id FROM order_items").fetch_all(orders.pool()).await.unwrap();
    assert!(item_products.iter().all(|p| product_ids.contains(p)));

    // Both contracts were verified across the databases before the test ran.
    let verified: Vec<String> = orders.verified().iter().map(|c| c.contract.clone()).collect();
    assert_eq!(verified, ["orders.orders.user_id -> users.users.id", "orders.order_items.product_id -> products.products.id"]);
    assert!(orders.verified().iter().all(|c| c.ok() && c.checked > 0));
    assert!(orders.unverified().is_empty());

    // An order's total is the sum of its items.
    let off: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM orders o WHERE o.total <> (SELECT sum(quantity * unit_price) FROM order_items i WHERE i.order_id = o.id)",
    )
    .fetch_one(orders.pool())
    .await
    .unwrap();
    assert_eq!(off, 0);
    Ok(())
}
