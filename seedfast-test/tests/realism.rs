//! Rows that look like real records, on schemas in the style of public
//! samples (tests/schemas/realism_samples.sql): properties of the rows, not
//! exact values, plus a golden sample (tests/golden/realism_sample.txt) so a
//! realism regression shows in a diff. Bless with `SEEDFAST_BLESS=1`.

mod support;

use seedfast_test::backend::TempDatabase;
use seedfast_test::{SeedOptions, seed};
use sqlx::{AssertSqlSafe, PgConnection};
use support::{conn, database_with_sql, repo};

// Orders come first: they size their own customers (`across`) and
// employees, so a later seed does not add parents beside earlier ones.
const SCOPES: &[&str] = &["40 orders across 20 customers", "30 products", "20 artists", "30 albums", "60 tracks", "40 films", "40 members"];

async fn samples() -> (TempDatabase, PgConnection) {
    let sql = std::fs::read_to_string(repo().join("seedfast-test/tests/schemas/realism_samples.sql")).unwrap();
    let db = database_with_sql("realism", &[sql]).await;
    let mut c = conn(&db).await;
    for scope in SCOPES {
        seed(&mut c, scope, SeedOptions::default()).await.unwrap_or_else(|e| panic!("{scope}: {e}"));
    }
    (db, c)
}

async fn count(c: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(AssertSqlSafe(sql.to_string())).fetch_one(c).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn texts(c: &mut PgConnection, sql: &str) -> Vec<String> {
    sqlx::query_scalar(AssertSqlSafe(sql.to_string())).fetch_all(c).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test]
async fn numbers_are_sized_by_meaning() {
    let (_db, mut c) = samples().await;
    for (what, sql) in [
        ("years", "SELECT count(*) FROM film WHERE release_year NOT BETWEEN 1970 AND 2026"),
        ("rental days", "SELECT count(*) FROM film WHERE rental_duration NOT BETWEEN 1 AND 14"),
        ("film minutes", "SELECT count(*) FROM film WHERE length NOT BETWEEN 45 AND 185"),
        ("rental rates", "SELECT count(*) FROM film WHERE rental_rate > 9.99"),
        ("song lengths", "SELECT count(*) FROM track WHERE milliseconds NOT BETWEEN 90000 AND 420000"),
        ("song prices", "SELECT count(*) FROM track WHERE unit_price > 9.99"),
        ("integer flags", "SELECT count(*) FROM products WHERE discontinued NOT IN (0, 1)"),
        ("integer flags", "SELECT count(*) FROM member WHERE active NOT IN (0, 1)"),
        ("small counters", "SELECT count(*) FROM member WHERE edits_pending > 20"),
        ("discounts", "SELECT count(*) FROM order_details WHERE discount NOT BETWEEN 0 AND 0.25"),
    ] {
        assert_eq!(count(&mut c, sql).await, 0, "{what}: {sql}");
    }
    assert!(count(&mut c, "SELECT count(DISTINCT discontinued) FROM products").await == 2, "both flag values occur");
}

#[tokio::test]
async fn words_where_names_have_a_generator() {
    let (_db, mut c) = samples().await;
    // Street addresses start with a building number, glued names included.
    for sql in ["SELECT address FROM customers WHERE address IS NOT NULL", "SELECT billing_address FROM member WHERE billing_address IS NOT NULL", "SELECT shipaddress FROM orders WHERE shipaddress IS NOT NULL"] {
        for v in texts(&mut c, sql).await {
            assert!(v.starts_with(|ch: char| ch.is_ascii_digit()), "{sql}: {v}");
        }
    }
    for v in texts(&mut c, "SELECT fax FROM customers WHERE fax IS NOT NULL").await {
        assert!(v.chars().filter(|ch| ch.is_ascii_digit()).count() >= 7, "fax {v}");
    }
    // Names of people and works are capitalised words, not lorem.
    for sql in ["SELECT composer FROM track WHERE composer IS NOT NULL", "SELECT contactname FROM customers WHERE contactname IS NOT NULL", "SELECT title FROM film", "SELECT title FROM album"] {
        for v in texts(&mut c, sql).await {
            assert!(v.split(' ').all(|w| w.starts_with(|ch: char| ch.is_uppercase()) || ["of", "the"].contains(&w)), "{sql}: {v}");
        }
    }
    for v in texts(&mut c, "SELECT barcode FROM member WHERE barcode IS NOT NULL").await {
        let digits: Vec<u32> = v.chars().map(|ch| ch.to_digit(10).expect("digits only")).collect();
        assert_eq!(digits.len(), 13, "{v}");
        let sum: u32 = digits.iter().enumerate().map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 }).sum();
        assert_eq!(sum % 10, 0, "EAN-13 check digit of {v}");
    }
    // Values fit their columns whole: no city cut mid-word.
    for v in texts(&mut c, "SELECT city FROM customers WHERE city IS NOT NULL").await {
        assert!(!v.ends_with(' ') && v.chars().count() <= 15, "{v}");
    }
}

#[tokio::test]
async fn text_keys_look_like_codes_from_the_name() {
    let (_db, mut c) = samples().await;
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT customerid::text, companyname FROM customers").fetch_all(&mut c).await.unwrap();
    assert_eq!(rows.len(), 20);
    for (id, company) in &rows {
        assert!(id.len() == 5 && id.chars().all(|ch| ch.is_ascii_uppercase()), "{id}");
        let first = company.chars().find(|ch| ch.is_ascii_alphabetic()).unwrap().to_ascii_uppercase();
        assert!(id.starts_with(first), "{id} from {company}");
    }
}

#[tokio::test]
async fn time_columns_follow_a_records_life() {
    let (_db, mut c) = samples().await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders WHERE shippeddate < orderdate OR requireddate < orderdate").await, 0);
    assert_eq!(count(&mut c, "SELECT count(*) FROM member WHERE last_login < member_since").await, 0);
    assert_eq!(count(&mut c, "SELECT count(*) FROM employees WHERE hiredate < birthdate").await, 0);
}

/// A few rows of each table, as text, pinned: a change to the generator that
/// alters them shows here and is reviewed.
#[tokio::test]
async fn golden_sample_of_each_table() {
    let (_db, mut c) = samples().await;
    let mut out = String::new();
    for table in ["customers", "employees", "products", "orders", "order_details", "artist", "album", "track", "film", "member"] {
        out.push_str(&format!("## {table}\n"));
        let sql = format!("SELECT t::text FROM \"{table}\" t ORDER BY 1 LIMIT 4");
        for row in texts(&mut c, &sql).await {
            out.push_str(&row);
            out.push('\n');
        }
    }
    let path = repo().join("seedfast-test/tests/golden/realism_sample.txt");
    if std::env::var("SEEDFAST_BLESS").is_ok() {
        std::fs::write(&path, &out).unwrap();
    }
    let golden = std::fs::read_to_string(&path).expect("bless the golden sample with SEEDFAST_BLESS=1");
    assert_eq!(out, golden, "realism sample changed; review the diff and bless with SEEDFAST_BLESS=1");
}
