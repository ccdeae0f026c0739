//! Every error class a user can hit, with the message they read. Each
//! failing seed must also leave the database exactly as it was.

mod support;

use seedfast_test::{Error, SeedOptions, seed, seed_url};
use sqlx::PgConnection;
use support::{conn, count, database_with_sql, service_db};

async fn seed_err(c: &mut PgConnection, scope: &str) -> String {
    let err = seed(c, scope, SeedOptions::default()).await.expect_err(scope);
    err.to_string()
}

#[tokio::test]
async fn malformed_scope_quotes_it_and_points_at_the_word() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "10 users wiht addresses").await;
    assert!(msg.contains("column 10"), "{msg}");
    assert!(msg.contains("10 users wiht addresses"), "{msg}");
    assert!(msg.contains("^^^^"), "{msg}");
    assert!(msg.contains("did you mean `with`"), "{msg}");
}

#[tokio::test]
async fn unknown_table_suggests_the_closest() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "10 userz with addresses").await;
    assert!(msg.starts_with("bad scope: unknown table `userz` at column 4"), "{msg}");
    assert!(msg.contains("did you mean `users`?"), "{msg}");
    assert!(msg.contains("`addresses`") && msg.contains("`preferences`"), "lists the tables: {msg}");
}

#[tokio::test]
async fn unknown_related_table_or_column_suggests_one() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "10 users with adresses").await;
    assert!(msg.contains("`adresses` is neither a table referring to `users` nor one of its columns at column 15"), "{msg}");
    assert!(msg.contains("did you mean `addresses`?"), "{msg}");
    let msg = seed_err(&mut c, "10 users with 1-3 widgets per user").await;
    assert!(msg.contains("no table `widgets` refers to `users`"), "{msg}");
}

#[tokio::test]
async fn a_value_the_column_does_not_allow_lists_the_allowed_ones() {
    let db = service_db("orders").await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "100 orders, status distribution of 50% completed 50% lost").await;
    assert!(msg.contains("`lost` is not a value of `orders.status`"), "{msg}");
    assert!(msg.contains("`pending`, `processing`, `shipped`, `completed`, `cancelled`, `refunded`"), "{msg}");
}

#[tokio::test]
async fn missing_count_says_how_to_give_one() {
    let db = service_db("users").await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "users with addresses").await;
    assert!(msg.contains("no row count for `users`"), "{msg}");
    assert!(msg.contains("`100 users`"), "{msg}");
}

#[tokio::test]
async fn unique_column_with_too_few_values_names_table_column_and_constraint() {
    let db = database_with_sql("unique_bool", &["CREATE TABLE flags (id serial PRIMARY KEY, flag boolean NOT NULL CONSTRAINT one_per_flag UNIQUE)".into()]).await;
    let mut c = conn(&db).await;
    let err = seed(&mut c, "3 flags", SeedOptions::default()).await.expect_err("only two booleans exist");
    assert!(matches!(err, Error::Unsatisfiable { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("cannot satisfy UNIQUE one_per_flag on flags.flag"), "{msg}");
    assert!(msg.contains("3 rows need distinct values but the column has only 2 possible values"), "{msg}");
    assert_eq!(count(&mut c, "SELECT count(*) FROM flags").await, 0);
}

#[tokio::test]
async fn impossible_checks_are_reported_before_writing_and_patterns_seed() {
    let db = database_with_sql(
        "bad_checks",
        &["CREATE TABLE boxes (id serial PRIMARY KEY, size int NOT NULL CONSTRAINT size_window CHECK (size > 10 AND size < 5));
           CREATE TABLE mails (id serial PRIMARY KEY, address text NOT NULL CONSTRAINT looks_like_mail CHECK (address ~ '@'));"
            .into()],
    )
    .await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "5 boxes").await;
    assert!(msg.contains("cannot satisfy its CHECK on boxes.size: no value lies between 11 and 4"), "{msg}");
    assert_eq!(count(&mut c, "SELECT count(*) FROM boxes").await, 0);
    // A pattern is no longer refused: the text is drawn to match it (and a
    // CHECK no value passes is the server's to reject: tests/real_schemas.rs).
    seedfast_test::seed(&mut c, "5 mails", seedfast_test::SeedOptions::default()).await.expect("a pattern CHECK seeds");
    assert_eq!(count(&mut c, "SELECT count(*) FROM mails WHERE address ~ '@'").await, 5);
}

#[tokio::test]
async fn unique_references_beyond_the_id_range_are_unsatisfiable() {
    let db = service_db("payments").await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "20 payments for order IDs 1-10").await;
    assert!(msg.contains("on payments.order_id: 20 rows need distinct IDs but the scope allows 10"), "{msg}");
}

#[tokio::test]
async fn unreachable_server_never_prints_the_password() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("postgres://app:s3cr3t-pw@127.0.0.1:{port}/users_db");
    let err = seed_url(&url, "10 users", SeedOptions::default()).await.expect_err("nothing listens there");
    let msg = err.to_string();
    assert!(msg.contains("unreachable"), "{msg}");
    assert!(msg.contains(&format!("127.0.0.1:{port}")), "{msg}");
    assert!(!msg.contains("s3cr3t-pw"), "password leaked: {msg}");
    assert!(!format!("{err:?}").contains("s3cr3t-pw"), "password leaked in Debug");
}

#[tokio::test]
async fn a_seed_failing_half_way_leaves_no_rows() {
    // The users COPY succeeds, then a trigger on addresses fails the seed:
    // the transaction must take the users back out.
    let mut sql = support::sql_files(&support::migrations("users"));
    sql.push(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'addresses are closed today'; END $$;
         CREATE TRIGGER refuse_addresses BEFORE INSERT ON addresses FOR EACH ROW EXECUTE FUNCTION refuse();"
            .into(),
    );
    let db = database_with_sql("atomic", &sql).await;
    let mut c = conn(&db).await;
    let msg = seed_err(&mut c, "10 users with addresses").await;
    assert!(msg.contains("writing") && msg.contains("addresses"), "{msg}");
    assert!(msg.contains("addresses are closed today"), "{msg}");
    assert_eq!(count(&mut c, "SELECT count(*) FROM users").await, 0);
    assert_eq!(count(&mut c, "SELECT last_value FROM users_id_seq").await, 1, "sequence untouched");
}
