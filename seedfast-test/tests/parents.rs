//! Parents sized to their children, nullable references filled, IDs in a
//! scope honoured exactly, and many-to-many links through junction tables,
//! on schemas of our own in the style of public sample databases
//! (tests/schemas/rental_shop.sql, music_store.sql, trading_company.sql),
//! each seeded into a fresh database on a real local Postgres.

mod support;

use seedfast_test::{SeedOptions, SeedReport, seed};
use sqlx::PgConnection;
use support::{conn, count, database_with_sql, dump, repo};

fn schema(name: &str) -> Vec<String> {
    vec![
        std::fs::read_to_string(
            repo()
                .join("seedfast-test/tests/schemas")
                .join(format!("{name}.sql")),
        )
        .expect("test schema"),
    ]
}

async fn seeded(
    name: &str,
    scope: &str,
) -> (
    seedfast_test::backend::TempDatabase,
    PgConnection,
    SeedReport,
) {
    let db = database_with_sql(name, &schema(name)).await;
    let mut c = conn(&db).await;
    let report = seed(&mut c, scope, SeedOptions::default())
        .await
        .unwrap_or_else(|e| panic!("seeding `{scope}` failed: {e}"));
    (db, c, report)
}

async fn seed_err(
    name: &str,
    scope: &str,
) -> (String, PgConnection, seedfast_test::backend::TempDatabase) {
    let db = database_with_sql(name, &schema(name)).await;
    let mut c = conn(&db).await;
    let err = seed(&mut c, scope, SeedOptions::default())
        .await
        .expect_err(scope)
        .to_string();
    (err, c, db)
}

async fn ints(c: &mut PgConnection, sql: &'static str) -> Vec<i64> {
    sqlx::query_scalar(sql).fetch_all(c).await.expect(sql)
}

/// (smallest, largest) number of junction rows per parent.
async fn per_parent(c: &mut PgConnection, sql: &'static str) -> (i64, i64) {
    sqlx::query_as(sql).fetch_one(c).await.expect(sql)
}

// ---- required parents sized from the children ----

#[tokio::test]
async fn fifty_playlist_tracks_get_enough_playlists_and_tracks_for_distinct_pairs() {
    let (_db, mut c, report) = seeded("music_store", "50 playlist tracks").await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM playlist_track").await,
        50
    );
    let playlists = count(&mut c, "SELECT count(*) FROM playlist").await;
    let tracks = count(&mut c, "SELECT count(*) FROM track").await;
    assert!(
        playlists * tracks >= 100,
        "combinations comfortably above the rows: {playlists} x {tracks}"
    );
    assert_eq!(
        report.table("playlist").unwrap().reason,
        "required by playlist_track"
    );
    assert_eq!(
        report.table("track").unwrap().reason,
        "required by playlist_track"
    );
    assert_eq!(report.table("playlist").unwrap().rows as i64, playlists);
    // Every playlist is used, none beyond what the tracks can pair with.
    assert_eq!(
        count(
            &mut c,
            "SELECT count(DISTINCT playlist_id) FROM playlist_track"
        )
        .await,
        playlists
    );
}

#[tokio::test]
async fn a_thousand_invoices_come_from_a_hundred_customers() {
    let (_db, mut c, report) = seeded("music_store", "1,000 invoices").await;
    // One auto-created parent per 10 children (CHILDREN_PER_PARENT, in the README).
    assert_eq!(count(&mut c, "SELECT count(*) FROM customer").await, 100);
    assert_eq!(
        report.table("customer").unwrap().reason,
        "required by invoice"
    );
    let buyers = count(&mut c, "SELECT count(DISTINCT customer_id) FROM invoice").await;
    assert!(buyers >= 90, "invoices spread over the customers: {buyers}");
}

#[tokio::test]
async fn a_one_to_one_key_gets_a_parent_per_child() {
    let sql = vec![
        "CREATE TABLE person (id bigserial PRIMARY KEY, full_name text NOT NULL);
         CREATE TABLE passport (id bigserial PRIMARY KEY, person_id bigint NOT NULL UNIQUE REFERENCES person, number varchar(9) NOT NULL);"
            .to_string(),
    ];
    let db = database_with_sql("one_to_one", &sql).await;
    let mut c = conn(&db).await;
    seed(&mut c, "30 passports", SeedOptions::default())
        .await
        .unwrap();
    assert_eq!(count(&mut c, "SELECT count(*) FROM person").await, 30);
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT person_id) FROM passport").await,
        30
    );
}

// ---- nullable foreign keys are filled ----

#[tokio::test]
async fn nullable_references_of_orders_are_filled_with_few_nulls() {
    let (_db, mut c, report) = seeded("trading_company", "200 orders").await;
    for table in ["customers", "employees", "shippers"] {
        assert_eq!(
            report.table(table).map(|t| t.reason.as_str()),
            Some("required by orders"),
            "{table} is planned"
        );
    }
    for (sql, what) in [
        (
            "SELECT count(*) FROM orders WHERE customer_id IS NULL",
            "customer_id",
        ),
        (
            "SELECT count(*) FROM orders WHERE employee_id IS NULL",
            "employee_id",
        ),
        (
            "SELECT count(*) FROM orders WHERE ship_via IS NULL",
            "ship_via",
        ),
    ] {
        let nulls = count(&mut c, sql).await;
        assert!(nulls <= 20, "at most 10% NULL in {what}: {nulls} of 200");
    }
    let all_null = count(&mut c, "SELECT count(*) FROM orders WHERE customer_id IS NULL AND employee_id IS NULL AND ship_via IS NULL").await;
    assert!(all_null < 5, "{all_null}");
    // The employee hierarchy stays a tree: everyone reports to someone earlier.
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM employees WHERE reports_to >= employee_id"
        )
        .await,
        0
    );
    assert!(
        count(
            &mut c,
            "SELECT count(*) FROM employees WHERE reports_to IS NOT NULL"
        )
        .await
            > 0
    );
}

#[tokio::test]
async fn tracks_get_genres_and_albums_and_albums_get_artists() {
    let (_db, mut c, _) = seeded("music_store", "100 tracks").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM genre").await, 10);
    assert!(
        count(
            &mut c,
            "SELECT count(*) FROM track WHERE genre_id IS NOT NULL"
        )
        .await
            >= 90
    );
    assert!(
        count(
            &mut c,
            "SELECT count(*) FROM track WHERE album_id IS NOT NULL"
        )
        .await
            >= 90
    );
    assert!(count(&mut c, "SELECT count(*) FROM artist").await >= 1);
}

#[tokio::test]
async fn a_nullable_reference_into_an_unbreakable_cycle_stays_null() {
    // b and c need each other through NOT NULL, non-deferrable keys: no
    // order can insert them, so a's nullable reference to b is left NULL.
    let sql = vec![
        "CREATE TABLE b (id serial PRIMARY KEY, c_id int NOT NULL);
         CREATE TABLE c (id serial PRIMARY KEY, b_id int NOT NULL REFERENCES b);
         ALTER TABLE b ADD FOREIGN KEY (c_id) REFERENCES c;
         CREATE TABLE a (id serial PRIMARY KEY, b_id int REFERENCES b, note text);"
            .to_string(),
    ];
    let db = database_with_sql("nullable_cycle", &sql).await;
    let mut c = conn(&db).await;
    let report = seed(&mut c, "20 a", SeedOptions::default()).await.unwrap();
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM a WHERE b_id IS NULL").await,
        20
    );
    assert!(report.table("b").is_none(), "b is not planned");
}

// ---- numbers, ranges and lists in a scope shape the rows exactly ----

#[tokio::test]
async fn orders_for_employee_ids_one_to_five_point_exactly_at_them() {
    let (_db, mut c, _) = seeded("trading_company", "200 orders for employee IDs 1-5").await;
    assert_eq!(
        ints(
            &mut c,
            "SELECT DISTINCT employee_id::int8 FROM orders ORDER BY 1"
        )
        .await,
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM orders WHERE employee_id IS NULL"
        )
        .await,
        0
    );
    assert!(
        count(
            &mut c,
            "SELECT count(*) FROM employees WHERE employee_id BETWEEN 1 AND 5"
        )
        .await
            == 5
    );
}

#[tokio::test]
async fn orders_for_text_keyed_customers_create_exactly_those_customers() {
    let (_db, mut c, _) = seeded(
        "trading_company",
        "50 orders for customers with IDs: 'ALFKI','ANATR'",
    )
    .await;
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT customer_id::text FROM customers ORDER BY 1")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(keys, vec!["ALFKI", "ANATR"]);
    let used: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT customer_id::text FROM orders ORDER BY 1")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert_eq!(
        used,
        vec!["ALFKI", "ANATR"],
        "no NULLs and no other customers"
    );
}

#[tokio::test]
async fn invoices_for_customer_ids_one_to_twenty_create_twenty_customers() {
    // 100 invoices alone would make 10 customers: the range wins, never narrowed.
    let (_db, mut c, _) = seeded("music_store", "100 invoices for customer IDs 1-20").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM customer").await, 20);
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM invoice WHERE customer_id NOT BETWEEN 1 AND 20"
        )
        .await,
        0
    );
    assert!(
        count(&mut c, "SELECT max(customer_id)::int8 FROM invoice").await > 10,
        "beyond what fan-out alone creates"
    );
}

#[tokio::test]
async fn ids_beyond_an_explicit_parent_count_are_an_error() {
    let (msg, mut c, _db) = seed_err(
        "music_store",
        "100 invoices across 5 customers, for customer IDs 1-20",
    )
    .await;
    assert!(
        msg.contains("15 of the 20 IDs the scope names are not among the 5 rows of `customer`"),
        "{msg}"
    );
    assert!(msg.contains("invoice.customer_id"), "{msg}");
    assert!(msg.contains("help: name IDs that `customer` has"), "{msg}");
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM invoice").await,
        0,
        "nothing written"
    );
}

#[tokio::test]
async fn listed_text_keys_beside_an_explicit_parent_count_are_an_error() {
    let (msg, mut c, _db) = seed_err(
        "trading_company",
        "50 orders across 10 customers, for customers with IDs: 'ALFKI','ANATR'",
    )
    .await;
    assert!(msg.contains("`orders.customer_id` must point at the 2 `customers` the scope lists, but `customers` gets 10 rows"), "{msg}");
    assert!(
        msg.contains("help: give `customers` exactly 2 rows"),
        "{msg}"
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM orders").await, 0);
}

#[tokio::test]
async fn a_parent_with_no_rows_leaves_nullable_references_null_and_fails_required_ones() {
    let (_db, mut c, _) = seeded("trading_company", "20 products across 0 categories").await;
    assert_eq!(
        count(
            &mut c,
            "SELECT count(*) FROM products WHERE category_id IS NULL"
        )
        .await,
        20
    );
    let (msg, _c, _db) = seed_err("music_store", "20 albums across 0 artists").await;
    assert!(
        msg.contains("on album.artist_id: `artist` gets no rows to point at"),
        "{msg}"
    );
    assert!(
        msg.contains("help: give `artist` at least one row"),
        "{msg}"
    );
}

// ---- many-to-many through junction tables ----

#[tokio::test]
async fn fifty_films_across_sixteen_categories_fill_the_junction() {
    let (_db, mut c, _) = seeded("rental_shop", "50 films across 16 categories").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM film").await, 50);
    assert_eq!(count(&mut c, "SELECT count(*) FROM category").await, 16);
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT film_id) FROM film_category").await,
        50,
        "every film has a category"
    );
    let (lo, hi) = per_parent(
        &mut c,
        "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM film_category GROUP BY film_id) s",
    )
    .await;
    assert!(lo >= 1 && hi <= 3, "1-3 categories per film: {lo}..{hi}");
    assert!(
        count(
            &mut c,
            "SELECT count(DISTINCT category_id) FROM film_category"
        )
        .await
            > 8,
        "films spread over the categories"
    );
}

#[tokio::test]
async fn films_with_three_to_eight_actors_per_film() {
    let (_db, mut c, _) = seeded("rental_shop", "50 films with 3-8 actors per film").await;
    let (lo, hi) = per_parent(
        &mut c,
        "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM film_actor GROUP BY film_id) s",
    )
    .await;
    assert!(lo >= 3 && hi <= 8, "3-8 actors per film: {lo}..{hi}");
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT film_id) FROM film_actor").await,
        50
    );
    assert!(count(&mut c, "SELECT count(*) FROM actor").await >= 8);
}

#[tokio::test]
async fn films_across_categories_with_actors_per_film_together() {
    let (_db, mut c, _) = seeded(
        "rental_shop",
        "50 films across 16 categories with 3-8 actors per film",
    )
    .await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM category").await, 16);
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT film_id) FROM film_category").await,
        50
    );
    let (lo, hi) = per_parent(
        &mut c,
        "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM film_actor GROUP BY film_id) s",
    )
    .await;
    assert!(lo >= 3 && hi <= 8, "{lo}..{hi}");
}

#[tokio::test]
async fn twenty_playlists_with_ten_to_thirty_tracks_each() {
    let (_db, mut c, _) =
        seeded("music_store", "20 playlists with 10-30 tracks per playlist").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM playlist").await, 20);
    let (lo, hi) = per_parent(&mut c, "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM playlist_track GROUP BY playlist_id) s").await;
    assert!(
        lo >= 10 && hi <= 30,
        "10-30 tracks per playlist: {lo}..{hi}"
    );
    assert_eq!(
        count(
            &mut c,
            "SELECT count(DISTINCT playlist_id) FROM playlist_track"
        )
        .await,
        20
    );
    assert!(count(&mut c, "SELECT count(*) FROM track").await >= 30);
}

#[tokio::test]
async fn a_junction_named_for_the_other_side_is_found_from_either_end() {
    // `actor_films` names no table: film_actor links actors to films.
    let (_db, mut c, _) = seeded("rental_shop", "30 actors with 2-4 films per actor").await;
    let (lo, hi) = per_parent(
        &mut c,
        "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM film_actor GROUP BY actor_id) s",
    )
    .await;
    assert!(lo >= 2 && hi <= 4, "{lo}..{hi}");
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT actor_id) FROM film_actor").await,
        30
    );
}

#[tokio::test]
async fn more_links_per_row_than_the_other_side_has_is_an_error() {
    let (msg, mut c, _db) = seed_err(
        "rental_shop",
        "50 films across 2 categories, with 3-4 categories per film",
    )
    .await;
    assert!(
        msg.contains(
            "cannot satisfy the unique key on (film_id, category_id) on film_category.category_id"
        ),
        "{msg}"
    );
    assert!(
        msg.contains("each pair may appear once and `category` has only 2 rows"),
        "{msg}"
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM film").await, 0);
}

#[tokio::test]
async fn across_a_table_with_no_link_is_an_error() {
    let (msg, _c, _db) = seed_err("rental_shop", "50 categories across 5 languages").await;
    assert!(
        msg.contains(
            "`category` has no foreign key to `language`, and no junction table links them"
        ),
        "{msg}"
    );
}

#[tokio::test]
async fn junction_seeds_are_deterministic() {
    let scope = "20 films across 5 categories with 2-4 actors per film";
    let (a, _, _) = seeded("rental_shop", scope).await;
    let (b, _, _) = seeded("rental_shop", scope).await;
    let (da, db) = (dump(&a).await, dump(&b).await);
    assert!(da.contains("film_actor ("), "{da}");
    assert_eq!(da, db);
}

// ---- every table of each schema seeds on the first try ----

/// Foreign key columns (`table.column`) of tables with rows that hold no
/// value at all: a reference left empty that real data would fill.
async fn all_null_references(c: &mut PgConnection) -> Vec<String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT c.conrelid::regclass::text, a.attname::text
           FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
          WHERE c.contype = 'f' AND c.conrelid <> c.confrelid
          ORDER BY 1, 2",
    )
    .fetch_all(&mut *c)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (table, column) in columns {
        let q = format!("SELECT count(*) > 0 AND count({column}) = 0 FROM {table}");
        let empty: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
            .fetch_one(&mut *c)
            .await
            .unwrap();
        if empty {
            out.push(format!("{table}.{column}"));
        }
    }
    out
}

async fn every_table_seeds(name: &str) {
    let tables: Vec<String> = {
        let db = database_with_sql(name, &schema(name)).await;
        let mut c = conn(&db).await;
        sqlx::query_scalar("SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1").fetch_all(&mut c).await.unwrap()
    };
    let mut failures = Vec::new();
    for table in &tables {
        let db = database_with_sql(name, &schema(name)).await;
        let mut c = conn(&db).await;
        let scope = format!("50 {}", table.replace('_', " "));
        match seed(&mut c, &scope, SeedOptions::default()).await {
            Ok(_) => {
                let q = format!("SELECT count(*) FROM {table}");
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(q))
                    .fetch_one(&mut c)
                    .await
                    .unwrap();
                if n != 50 {
                    failures.push(format!("{scope}: {n} rows"));
                }
                failures.extend(
                    all_null_references(&mut c)
                        .await
                        .into_iter()
                        .map(|r| format!("{scope}: {r} is NULL in every row")),
                );
            }
            Err(e) => failures.push(format!("{scope}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} tables failed:\n{}",
        failures.len(),
        tables.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_rental_shop_table_seeds() {
    every_table_seeds("rental_shop").await;
}

#[tokio::test]
async fn every_music_store_table_seeds() {
    every_table_seeds("music_store").await;
}

#[tokio::test]
async fn every_trading_company_table_seeds() {
    every_table_seeds("trading_company").await;
}

/// A table with two references to one parent and a CHECK that they differ
/// (a flight's origin and destination) needs at least two parent rows,
/// even when the parent is only added as required.
#[tokio::test]
async fn two_references_to_one_parent_get_two_parents() {
    let sql = "CREATE TABLE airports (id serial PRIMARY KEY, code char(3) NOT NULL);
               CREATE TABLE flights (id serial PRIMARY KEY,
                   origin_airport_id int NOT NULL REFERENCES airports (id),
                   destination_airport_id int NOT NULL REFERENCES airports (id),
                   CHECK (origin_airport_id <> destination_airport_id));
               CREATE TABLE tickets (id serial PRIMARY KEY, flight_id int NOT NULL REFERENCES flights (id));"
        .to_string();
    for scope in ["6 flights", "60 tickets"] {
        let db = database_with_sql("two_refs", &[sql.clone()]).await;
        let mut c = conn(&db).await;
        seed(&mut c, scope, SeedOptions::default()).await.unwrap_or_else(|e| panic!("`{scope}`: {e}"));
        assert!(count(&mut c, "SELECT count(*) FROM airports").await >= 2, "{scope}");
        assert_eq!(count(&mut c, "SELECT count(*) FROM flights WHERE origin_airport_id = destination_airport_id").await, 0, "{scope}");
    }
}
