//! `#[seeded_test]` against real databases: typed handles that match the
//! rows, isolation between parallel tests, and errors a test author meets.

use seedfast_test::{Error, ServiceDb, seeded_test};

#[seeded_test(users = "10 users with addresses", products = "20 products")]
async fn checkout_flow(users: ServiceDb, products: ServiceDb) -> Result<(), Error> {
    let user_ids = users.ids("users").as_i64()?;
    let rows: Vec<i64> = sqlx::query_scalar("SELECT id FROM users ORDER BY id").fetch_all(users.pool()).await.unwrap();
    assert_eq!(user_ids, rows, "the handle's IDs are the rows' IDs");
    assert_eq!(users.count("users"), 10);
    let addresses: i64 = sqlx::query_scalar("SELECT count(*) FROM addresses").fetch_one(users.pool()).await.unwrap();
    assert_eq!(users.count("addresses") as i64, addresses);

    let product_ids = products.ids("products").as_i64()?;
    assert_eq!(product_ids.len(), 20);
    let in_db: i64 = sqlx::query_scalar("SELECT count(*) FROM products WHERE id = ANY($1)").bind(&product_ids).fetch_one(products.pool()).await.unwrap();
    assert_eq!(in_db, 20);
    Ok(())
}

#[seeded_test(payments = "payments for order IDs 1-20")]
async fn uuid_keys_come_back_as_uuids(payments: ServiceDb) -> Result<(), Error> {
    let ids = payments.ids("payments").as_uuid()?;
    let rows: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM payments").fetch_all(payments.pool()).await.unwrap();
    let (mut a, mut b) = (ids.clone(), rows);
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert_eq!(ids.len(), 20);
    Ok(())
}

#[seeded_test(users = "5 users", payments = "payments for order IDs 1-3")]
async fn a_wrong_key_type_names_the_real_one(users: ServiceDb, payments: ServiceDb) {
    let err = users.ids("users").as_uuid().unwrap_err().to_string();
    assert_eq!(err, "users.id is bigint, not a uuid\n  = help: use `.as_i64()` or `.as_strings()`");
    let err = payments.ids("payments").as_i64().unwrap_err().to_string();
    assert!(err.starts_with("payments.id is uuid, not an integer"), "{err}");
    let err = users.ids("orders").as_i64().unwrap_err().to_string();
    assert_eq!(err, "service `users` seeded no table `orders`; seeded tables: `users`");
}

/// Two tests that write to their databases at the same time: each sees
/// only its own rows.
async fn write_and_count(users: &ServiceDb, marker: &str) {
    sqlx::query("INSERT INTO users (email, first_name, last_name) VALUES ($1, 'Iso', 'Lation')")
        .bind(format!("{marker}@example.com"))
        .execute(users.pool())
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mine: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE first_name = 'Iso'").fetch_one(users.pool()).await.unwrap();
    assert_eq!(mine, 1, "{marker} sees only its own row");
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(users.pool()).await.unwrap();
    assert_eq!(total, 11);
}

#[seeded_test(users = "10 users")]
async fn isolated_a(users: ServiceDb) {
    write_and_count(&users, "a").await;
}

#[seeded_test(users = "10 users")]
async fn isolated_b(users: ServiceDb) {
    write_and_count(&users, "b").await;
}

#[seeded_test(users = "10 users", seed = 7)]
async fn the_url_serves_other_drivers(users: ServiceDb) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(users.url()).await.expect("the URL connects");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&mut conn).await.unwrap();
    assert_eq!(n, 10);
    assert!(users.database().starts_with("seedfast_"));
}

#[seeded_test(project = "tests/fixtures/broken.toml", broken = "3 widgets")]
#[should_panic(expected = "20260102000000_add_colour.sql: error returned from database: relation \"missing_table\" does not exist")]
async fn a_failing_migration_names_the_file_and_the_error(broken: ServiceDb) {
    let _ = broken;
}

#[seeded_test(users = "10 userz")]
#[should_panic(expected = "seeding service `users`: bad scope: unknown table `userz`")]
async fn a_scope_that_does_not_fit_the_schema_names_service_and_table(users: ServiceDb) {
    let _ = users;
}

#[seeded_test(project = "tests/fixtures/reversible.toml", widgets = "5 widgets")]
async fn reversible_migrations_are_applied(widgets: ServiceDb) {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM widgets").fetch_one(widgets.pool()).await.unwrap();
    assert_eq!(n, 5);
}

#[seeded_test(project = "tests/fixtures/wrong-contract.toml", orders = "5 orders")]
#[should_panic(expected = "contract orders.orders.customer_id -> users.users.id: table `orders` of service `orders` has no column `customer_id`; it has `id`, `user_id`")]
async fn a_contract_that_disagrees_with_the_schema_is_an_error(orders: ServiceDb) {
    let _ = orders;
}
