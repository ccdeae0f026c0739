//! Scopes in the words people use (issue 8), each seeded into a real
//! Postgres with a schema of our own (tests/schemas/words_helpdesk.sql) and
//! checked row by row: exact counts, values, NULLs and time windows.

mod support;

use seedfast_test::{Error, SeedOptions, plan_scope, schema};
use sqlx::PgConnection;
use support::{conn, count, database_with_sql, refused};

const SCHEMA: &str = include_str!("schemas/words_helpdesk.sql");

async fn db() -> seedfast_test::backend::TempDatabase {
    database_with_sql("words", &[SCHEMA.to_string()]).await
}

async fn seed(c: &mut PgConnection, scope: &str) {
    seedfast_test::seed(c, scope, SeedOptions::default())
        .await
        .unwrap_or_else(|e| panic!("seeding `{scope}` failed: {e}"));
}

async fn pairs(c: &mut PgConnection, sql: &'static str) -> Vec<(String, i64)> {
    sqlx::query_as(sql).fetch_all(c).await.expect(sql)
}

#[tokio::test]
async fn articles_and_number_words_are_counts() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "a dozen tickets").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM tickets").await, 12);
    seed(&mut c, "one admin member").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM members WHERE role = 'admin'").await,
        1
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM members").await, 1);
    seed(&mut c, "twenty five houses").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM houses").await, 25);
}

#[tokio::test]
async fn values_as_adjectives_and_counts_of_a_value() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "15 gold members").await;
    assert_eq!(
        pairs(
            &mut c,
            "SELECT tier::text, count(*) FROM members GROUP BY 1"
        )
        .await,
        [("gold".to_string(), 15)]
    );
    seed(&mut c, "40 products, 7 of them discontinued").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM products WHERE discontinued").await,
        7
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM products WHERE NOT discontinued"
        )
        .await,
        33
    );
    seed(&mut c, "60 tickets, a third of them urgent").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM tickets WHERE priority = 'urgent'"
        )
        .await,
        20
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM tickets").await, 60);
}

#[tokio::test]
async fn shares_in_words_with_where_and_the_rest() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(
        &mut c,
        "200 tickets where 30% are urgent and the rest normal",
    )
    .await;
    assert_eq!(
        pairs(
            &mut c,
            "SELECT priority::text, count(*) FROM tickets GROUP BY 1 ORDER BY 1"
        )
        .await,
        [("normal".to_string(), 140), ("urgent".to_string(), 60)]
    );
    let db = support::database_with_sql("words", &[SCHEMA.to_string()]).await;
    let mut c = conn(&db).await;
    seed(&mut c, "120 tickets: a third closed, the rest open").await;
    assert_eq!(
        pairs(
            &mut c,
            "SELECT status, count(*) FROM tickets GROUP BY 1 ORDER BY 1"
        )
        .await,
        [("closed".to_string(), 40), ("open".to_string(), 80)]
    );
    seed(
        &mut c,
        "100 devices with status distribution of 70% 4 20% 2 10% 1",
    )
    .await;
    assert_eq!(
        pairs(
            &mut c,
            "SELECT status::text, count(*) FROM devices GROUP BY 1 ORDER BY 1"
        )
        .await,
        [
            ("1".to_string(), 10),
            ("2".to_string(), 20),
            ("4".to_string(), 70)
        ]
    );
}

#[tokio::test]
async fn fixed_values_names_and_domains() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "12 orders with status paid").await;
    assert_eq!(
        pairs(&mut c, "SELECT status, count(*) FROM orders GROUP BY 1").await,
        [("paid".to_string(), 12)]
    );
    seed(&mut c, "6 contacts named Bob").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM contacts WHERE first_name = 'Bob'"
        )
        .await,
        6
    );
    seed(&mut c, "5 employees named Alice").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM employees WHERE name LIKE 'Alice %'"
        )
        .await,
        5
    );
    seed(&mut c, "20 customers with emails at example.org").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM customers WHERE email LIKE '%@example.org'"
        )
        .await,
        20
    );
}

#[tokio::test]
async fn a_mix_on_a_free_text_column_is_stored_as_written() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "20 contacts, mix of Gold Plus and Basic segments").await;
    assert_eq!(
        pairs(
            &mut c,
            "SELECT segment, count(*) FROM contacts GROUP BY 1 ORDER BY 1"
        )
        .await,
        [("Basic".to_string(), 10), ("Gold Plus".to_string(), 10)]
    );
}

#[tokio::test]
async fn null_shares_are_exact_and_refused_on_not_null() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "60 contacts, 40% without email addresses").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM contacts WHERE email IS NULL").await,
        24
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM contacts WHERE email IS NOT NULL"
        )
        .await,
        36
    );
    let message = refused(&mut c, "10 contacts, 50% without last names").await;
    assert!(
        message.contains("`contacts.last_name` is NOT NULL: no row can be without it"),
        "{message}"
    );
    assert!(
        message.contains("help: drop the clause, or make the column nullable"),
        "{message}"
    );
}

#[tokio::test]
async fn per_parent_counts_each_every_per_and_qualified_children() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "8 customers, each with a home and a work address").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM customer_addresses").await,
        16
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM customer_addresses WHERE kind = 'home'"
        )
        .await,
        8
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(DISTINCT customer_id) FROM customer_addresses WHERE kind = 'work'"
        )
        .await,
        8
    );
    seed(&mut c, "15 boards with 1 to 5 lists per board").await;
    let per: Vec<i64> = sqlx::query_scalar("SELECT count(*) FROM lists GROUP BY board_id")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(per.len(), 15);
    assert!(per.iter().all(|n| (1..=5).contains(n)), "{per:?}");
}

#[tokio::test]
async fn nested_children_every_order_with_lines() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(
        &mut c,
        "20 customers with 2 orders each, every order with 1-5 lines",
    )
    .await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM customers").await, 20);
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders").await, 40);
    let per: Vec<i64> = sqlx::query_scalar("SELECT count(l.id) FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.id").fetch_all(&mut c).await.unwrap();
    assert_eq!(per.len(), 40);
    assert!(per.iter().all(|n| (1..=5).contains(n)), "{per:?}");
}

#[tokio::test]
async fn time_windows_in_words_choose_the_column_by_the_verb() {
    let db = db().await;
    let mut c = conn(&db).await;
    // The default now is 2026-01-01T00:00:00Z.
    seed(&mut c, "30 orders placed in the last 3 days").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders WHERE placed_at >= '2025-12-29' AND placed_at <= '2026-01-01'").await, 30);
    seed(
        &mut c,
        "25 orders shipped between 2024-05-01 and 2024-05-31",
    )
    .await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders WHERE shipped_at >= '2024-05-01' AND shipped_at < '2024-06-01'").await, 25);
    seed(&mut c, "10 tickets opened in 2025").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM tickets WHERE opened_at >= '2025-01-01' AND opened_at < '2026-01-01'").await, 10);
    seed(&mut c, "10 employees hired since March 2025").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM employees WHERE hired_on >= '2025-03-01'"
        )
        .await,
        10
    );
    let message = refused(&mut c, "10 orders charged in 2025").await;
    assert!(
        message.contains("no time column of `orders` matches `charged`"),
        "{message}"
    );
    assert!(
        message.contains("`placed_at`, `shipped_at`, `delivered_at`"),
        "{message}"
    );
}

#[tokio::test]
async fn money_and_year_bounds() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "50 products priced between €5 and €50").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM products WHERE price BETWEEN 5 AND 50"
        )
        .await,
        50
    );
    seed(&mut c, "30 products under 10 dollars").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM products WHERE id > 50 AND price < 10"
        )
        .await,
        30
    );
    seed(&mut c, "20 houses built 2018 or later").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM houses WHERE year_built BETWEEN 2018 AND 2026"
        )
        .await,
        20
    );
}

#[tokio::test]
async fn a_state_fills_the_columns_it_implies() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "30 delivered orders").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM orders WHERE status = 'delivered' AND delivered_at IS NOT NULL"
        )
        .await,
        30
    );
}

#[tokio::test]
async fn named_parents_with_a_count_after_in() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "40 lists in 3 boards: Roadmap, Bugs and Ideas").await;
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM boards ORDER BY id")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(names, ["Roadmap", "Bugs", "Ideas"]);
    assert_eq!(count(&mut c, "SELECT count(*) FROM lists").await, 40);
}

#[tokio::test]
async fn table_names_with_irregular_plurals_and_digits() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "4 artist aliases").await;
    seed(&mut c, "3 salespeople").await;
    seed(&mut c, "2 iso_3166_1").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM artist_aliases").await,
        4
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM salespeople").await, 3);
    assert_eq!(count(&mut c, "SELECT count(*) FROM iso_3166_1").await, 2);
    let message = refused(&mut c, "3 salespersons with badges").await;
    assert!(!message.is_empty());
    let message = refused(&mut c, "3 artst aliases").await;
    assert!(
        message.contains("did you mean `artist_aliases`?"),
        "{message}"
    );
}

#[tokio::test]
async fn the_same_table_name_in_two_schemas_is_an_ambiguity_naming_both() {
    let db = db().await;
    let mut c = conn(&db).await;
    let message = refused(&mut c, "5 sessions").await;
    assert!(
        message.contains("`sessions` is ambiguous: 2 tables have this name"),
        "{message}"
    );
    assert!(
        message.contains("`auth.sessions`") && message.contains("`public.sessions`"),
        "{message}"
    );
    seed(&mut c, "5 auth.sessions").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM auth.sessions").await, 5);
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM public.sessions").await,
        0
    );
}

#[tokio::test]
async fn refused_words_point_at_the_word_with_a_suggestion() {
    let db = db().await;
    let mut c = conn(&db).await;
    let message = refused(&mut c, "15 platinum members").await;
    assert!(message.contains("`platinum` is neither a value of a column of `members` nor part of a table name at column 4"), "{message}");
    assert!(
        message.contains("\n  |    ^^^^^^^^\n"),
        "the caret marks the word: {message}"
    );
    assert!(message.contains("help: write `members` alone"), "{message}");
    let message = refused(&mut c, "60 tickets, a third of them urgnt").await;
    assert!(
        message.contains("`urgnt` is not a value of any column of `tickets`"),
        "{message}"
    );
    assert!(message.contains("did you mean `urgent`?"), "{message}");
}

#[tokio::test]
async fn plan_explains_every_phrase_without_writing() {
    let db = db().await;
    let mut c = conn(&db).await;
    let schema = schema::introspect(&mut c).await.unwrap();
    let plan = plan_scope(
        &schema,
        "60 tickets, a third of them urgent, opened in the last 2 weeks",
        SeedOptions::default(),
    )
    .unwrap();
    let text = plan.explain();
    assert!(text.contains("tickets  60 rows  asked for"), "{text}");
    assert!(
        text.contains("\"a third of them urgent\" -> tickets.priority = 'urgent' 1/3"),
        "{text}"
    );
    assert!(text.contains("\"opened in the last 2 weeks\" -> tickets.opened_at in [2025-12-18T00:00:00+00:00, 2026-01-01T00:00:00+00:00)"), "{text}");
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM tickets").await,
        0,
        "planning writes nothing"
    );
    let err = plan_scope(&schema, "5 sessions", SeedOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Scope(_)), "{err}");
}

const LIBRARY: &str = include_str!("schemas/words_library.sql");

#[tokio::test]
async fn references_narrowed_by_the_parents_value() {
    let db = database_with_sql("words", &[LIBRARY.to_string()]).await;
    let mut c = conn(&db).await;
    seed(&mut c, "10 refunds for failed payments").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM refunds").await, 10);
    assert_eq!(count(&mut c, "SELECT count(*) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.status = 'failed'").await, 10);
    seed(
        &mut c,
        "80 payments where 10% failed, 20% pending and the rest succeeded",
    )
    .await;
    seed(&mut c, "5 refunds for failed payments").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.status <> 'failed'").await, 0);
}

#[tokio::test]
async fn one_child_for_all_parents() {
    let db = database_with_sql("words", &[LIBRARY.to_string()]).await;
    let mut c = conn(&db).await;
    seed(&mut c, "refunds for all payments, across 12 payments").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM payments").await, 12);
    assert_eq!(count(&mut c, "SELECT count(*) FROM refunds").await, 12);
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT payment_id) FROM refunds").await,
        12
    );
}

#[tokio::test]
async fn states_shares_of_nulls_and_value_only_subjects() {
    let db = database_with_sql("words", &[LIBRARY.to_string()]).await;
    let mut c = conn(&db).await;
    seed(&mut c, "30 alerts, two thirds of them resolved").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM alerts WHERE resolved_at IS NOT NULL"
        )
        .await,
        20
    );
    seed(&mut c, "30 loans, 40% of them without a return time").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM loans WHERE returned_at IS NULL"
        )
        .await,
        12
    );
    seed(&mut c, "100 readings recorded in the last 24 hours").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM readings WHERE recorded_at >= '2025-12-31' AND recorded_at <= '2026-01-01'").await, 100);
    seed(&mut c, "15 payments of at least $20").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM payments WHERE amount >= 20").await,
        15
    );
    let helpdesk = database_with_sql("words", &[SCHEMA.to_string()]).await;
    let mut c = conn(&helpdesk).await;
    seed(&mut c, "10 owners").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM members WHERE role = 'owner'").await,
        10
    );
}
