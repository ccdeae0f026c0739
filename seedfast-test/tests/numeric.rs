//! Comparing `numeric` values in a test, as the README shows: decoded as
//! `Decimal` through sqlx's `rust_decimal` feature (re-exported as
//! seedfast-test's own feature), or as text without any feature.

use seedfast_test::sqlx::types::Decimal;
use seedfast_test::{Error, ServiceDb, seeded_test};

#[seeded_test(project = "../examples/ecommerce/seedfast.toml", products = "20 products with prices ranging from 5 to 500 dollars")]
async fn numeric_prices_compare_as_decimals(products: ServiceDb) -> Result<(), Error> {
    let prices: Vec<Decimal> = seedfast_test::sqlx::query_scalar("SELECT price FROM products ORDER BY id").fetch_all(products.pool()).await.unwrap();
    assert_eq!(prices.len(), 20);
    let (low, high) = (Decimal::new(5, 0), Decimal::new(500, 0));
    assert!(prices.iter().all(|p| *p >= low && *p <= high), "{prices:?}");
    assert!(prices.iter().all(|p| p.scale() == 2), "the column's scale: {prices:?}");

    // Without a feature: the text form, exact to the column's scale.
    let first: String = seedfast_test::sqlx::query_scalar("SELECT price::text FROM products ORDER BY id LIMIT 1").fetch_one(products.pool()).await.unwrap();
    assert_eq!(first, prices[0].to_string());
    Ok(())
}
