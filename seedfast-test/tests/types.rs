//! Every built-in type a schema may use gets values Postgres accepts
//! (tests/schemas/every_type.sql): each table seeds with exactly the rows
//! asked for, and the values mean what their types mean.

mod support;

use seedfast_test::schema::{Fold, SqlType, UniquePart, introspect};
use seedfast_test::{SeedOptions, seed};
use support::{conn, count, database_with_sql, dump, repo};

async fn every_type(label: &str) -> seedfast_test::backend::TempDatabase {
    let sql =
        std::fs::read_to_string(repo().join("seedfast-test/tests/schemas/every_type.sql")).unwrap();
    database_with_sql(label, &[sql]).await
}

async fn flag(c: &mut sqlx::PgConnection, sql: &'static str) -> bool {
    sqlx::query_scalar(sql).fetch_one(c).await.expect(sql)
}

#[tokio::test]
async fn every_table_seeds_fifty_rows() {
    let db = every_type("every_type_all").await;
    let mut c = conn(&db).await;
    let schema = introspect(&mut c).await.unwrap();
    let names: Vec<String> = schema.tables.iter().map(|t| t.name.clone()).collect();
    assert!(
        names.contains(&"film".to_string()) && names.contains(&"store".to_string()),
        "{names:?}"
    );
    for name in &names {
        seed(&mut c, &format!("50 {name}"), SeedOptions::default())
            .await
            .unwrap_or_else(|e| panic!("50 {name}: {e}"));
        let rows: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {name}")))
                .fetch_one(&mut c)
                .await
                .unwrap();
        assert_eq!(rows, 50, "{name}");
    }
}

#[tokio::test]
async fn types_are_read_with_their_modifiers() {
    let db = every_type("every_type_introspect").await;
    let mut c = conn(&db).await;
    let schema = introspect(&mut c).await.unwrap();
    let film = &schema.tables[schema.table("public", "film").unwrap()];
    let ty = |name: &str| film.columns[film.column(name).unwrap()].ty.clone();
    assert_eq!(ty("region_mask"), SqlType::Other("bit(12)".into()));
    assert_eq!(ty("tags_mask"), SqlType::Other("varbit(6)".into()));
    assert_eq!(ty("grade"), SqlType::Other("\"char\"".into()));
    assert_eq!(ty("fulltext"), SqlType::Other("tsvector".into()));
    let store = &schema.tables[schema.table("public", "store").unwrap()];
    let hours = &store.columns[store.column("hours").unwrap()].ty;
    assert!(
        matches!(hours, SqlType::Domain { base, .. } if **base == SqlType::Other("tsrange".into())),
        "range types are read, domains over them too: {hours:?}"
    );
    let lease = &store.columns[store.column("opening_dates").unwrap()].ty;
    assert_eq!(
        *lease,
        SqlType::Array(Box::new(SqlType::Other("daterange".into())))
    );
}

#[tokio::test]
async fn values_mean_what_their_types_mean() {
    let db = every_type("every_type_values").await;
    let mut c = conn(&db).await;
    seed(&mut c, "50 films", SeedOptions::default())
        .await
        .unwrap();
    seed(&mut c, "50 stores", SeedOptions::default())
        .await
        .unwrap();

    // The search document is built from the row's own title and description.
    assert!(
        flag(&mut c, "SELECT bool_and(length(fulltext) > 0) FROM film").await,
        "tsvector never empty"
    );
    assert!(
        flag(&mut c, r"SELECT bool_and(tsvector_to_array(fulltext) @> ARRAY[(regexp_split_to_array(lower(title), '[^[:alnum:]]+'))[1]]) FROM film").await,
        "the title's first word is a lexeme"
    );
    assert!(
        flag(
            &mut c,
            "SELECT bool_and(numnode(search_hint) > 0) FROM film"
        )
        .await
    );
    seed(&mut c, "50 film texts", SeedOptions::default())
        .await
        .unwrap();
    assert!(
        flag(&mut c, "SELECT bool_and(fulltext = to_tsvector('pg_catalog.english', title || ' ' || description)) FROM film_text").await,
        "the schema's trigger keeps its search document"
    );
    assert!(flag(&mut c, "SELECT bool_and(length(region_mask) = 12 AND length(tags_mask) BETWEEN 1 AND 6 AND length(flags) = 8) FROM film").await, "bit lengths honoured");
    assert!(
        flag(
            &mut c,
            "SELECT bool_and(rental_period > interval '0' AND replacement > 0::money) FROM film"
        )
        .await
    );
    assert!(flag(&mut c, "SELECT bool_and(weight::text NOT IN ('NaN', 'Infinity', '-Infinity') AND score::text NOT IN ('NaN', 'Infinity', '-Infinity')) FROM film").await);
    assert!(
        flag(&mut c, "SELECT bool_and(jsonb_typeof(tags) = 'array' AND studio_address::jsonb ? 'city' AND jsonb_typeof(actor_ids -> 0) = 'number') FROM film").await,
        "json shaped by the column's name"
    );
    assert!(
        flag(
            &mut c,
            "SELECT bool_and(xpath_exists('/note/title', credits_xml)) FROM film"
        )
        .await,
        "xml is a document"
    );
    assert!(flag(&mut c, "SELECT bool_and(cardinality(formats) >= 0) AND count(*) FILTER (WHERE cardinality(formats) > 0) > 0 FROM film").await, "enum arrays filled");

    // Networks are networks, ranges are ordered and inside the time window
    // (the default: the year before 2026-01-01).
    assert!(
        flag(
            &mut c,
            "SELECT bool_and(network = network(network::inet)::cidr) FROM store"
        )
        .await,
        "cidr host bits are zero"
    );
    assert_eq!(
        count(&mut c, "SELECT count(DISTINCT manager_ip) FROM store").await,
        50,
        "unique inet"
    );
    assert!(
        flag(
            &mut c,
            "SELECT bool_and(lower(hours_tz) < upper(hours_tz) AND lower(hours_tz) >= '2025-01-01 00:00:00+00' AND upper(hours_tz) <= '2026-01-01 00:00:00+00'
                         AND lower(hours) < upper(hours) AND lower(lease) >= '2025-01-01' AND upper(lease) <= '2026-01-01'
                         AND lower(aisles) < upper(aisles) AND lower(price_band) < upper(price_band)
                         AND NOT isempty(lease) AND NOT isempty(closed_days)) FROM store",
        )
        .await,
        "ranges: lower < upper, inside the window"
    );
    assert!(
        flag(
            &mut c,
            "SELECT bool_and(radius(coverage) > 0 AND npoints(area) >= 3) FROM store"
        )
        .await
    );
    assert!(
        flag(
            &mut c,
            "SELECT count(*) FILTER (WHERE cardinality(shelves) > 1) > 0 FROM store"
        )
        .await,
        "box arrays with several elements parse"
    );
}

#[tokio::test]
async fn extension_types_seed_where_contrib_is_installed() {
    let db = every_type("every_type_extensions").await;
    let mut c = conn(&db).await;
    let installed = flag(
        &mut c,
        "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'hstore')",
    )
    .await;
    if !installed {
        eprintln!("skipped: citext/hstore are not available on this server (contrib missing)");
        return;
    }
    let schema = introspect(&mut c).await.unwrap();
    let customer = &schema.tables[schema.table("public", "customer").unwrap()];
    let email = customer.column("email").unwrap();
    assert_eq!(customer.columns[email].ty, SqlType::Text);
    assert!(
        customer.uniques.iter().any(|u| u.parts
            == [UniquePart::Folded {
                column: email,
                fold: Fold::Lower
            }]),
        "a unique citext column is unique case-insensitively: {:?}",
        customer.uniques
    );
    seed(&mut c, "50 customers", SeedOptions::default())
        .await
        .unwrap();
    assert_eq!(
        count(
            &mut c,
            "SELECT count(DISTINCT lower(email::text)) FROM customer"
        )
        .await,
        50
    );
    assert!(flag(&mut c, "SELECT bool_and(attributes ? 'color' AND (attributes -> 'stock')::int >= 0) FROM customer").await, "hstore pairs");
}

#[tokio::test]
async fn the_same_seed_writes_the_same_bytes() {
    let a = every_type("every_type_det_a").await;
    let b = every_type("every_type_det_b").await;
    for db in [&a, &b] {
        let mut c = conn(db).await;
        for table in ["films", "stores"] {
            seed(&mut c, &format!("30 {table}"), SeedOptions::default())
                .await
                .unwrap();
        }
    }
    let (da, db) = (dump(&a).await, dump(&b).await);
    assert!(
        da.contains("-- public.film (30 rows)"),
        "{}",
        &da[..da.len().min(300)]
    );
    assert_eq!(da, db);
}

#[tokio::test]
async fn a_required_column_of_a_type_without_values_is_refused_naming_it() {
    let db = database_with_sql(
        "no_generator",
        &["CREATE TYPE price_tag AS (amount numeric(8,2), currency char(3));
           CREATE TABLE ledger (id serial PRIMARY KEY, price price_tag NOT NULL, previous price_tag);
           CREATE TABLE draft (id serial PRIMARY KEY, previous price_tag)"
            .into()],
    )
    .await;
    let mut c = conn(&db).await;
    let msg = seed(&mut c, "5 ledgers", SeedOptions::default())
        .await
        .expect_err("composite NOT NULL")
        .to_string();
    assert!(
        msg.contains("cannot satisfy NOT NULL on ledger.price: no generator for type price_tag"),
        "{msg}"
    );
    assert!(
        msg.contains("help: make the column nullable, or use a type the README lists"),
        "{msg}"
    );
    seed(&mut c, "5 drafts", SeedOptions::default())
        .await
        .unwrap();
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM draft WHERE previous IS NULL").await,
        5,
        "a nullable one is left NULL"
    );
}
