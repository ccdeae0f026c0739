//! Partitioned tables are seeded through their parent
//! (tests/schemas/partitioned.sql): keys land inside existing partitions,
//! foreign keys declared on every partition count as the parent's, and an
//! exclusion constraint on a range keeps bookings apart per room.

mod support;

use chrono::{DateTime, Utc};
use seedfast_test::schema::{PartitionBound, PartitionStrategy, introspect};
use seedfast_test::{SeedOptions, seed};
use support::{conn, count, database_with_sql, dump, repo};

async fn partitioned(label: &str) -> seedfast_test::backend::TempDatabase {
    let sql = std::fs::read_to_string(repo().join("seedfast-test/tests/schemas/partitioned.sql"))
        .unwrap();
    database_with_sql(label, &[sql]).await
}

#[tokio::test]
async fn partitions_are_read_into_their_parent() {
    let db = partitioned("partitions_introspect").await;
    let mut c = conn(&db).await;
    let schema = introspect(&mut c).await.unwrap();
    assert!(
        schema
            .tables
            .iter()
            .all(|t| !t.name.starts_with("payment_p")
                && !t.name.starts_with("store_")
                && !t.name.starts_with("audit_event_")),
        "partitions are not tables to seed"
    );
    let payment_idx = schema.table("public", "payment").unwrap();
    let payment = &schema.tables[payment_idx];
    let p = payment
        .partitioning
        .as_ref()
        .expect("payment is partitioned");
    assert_eq!(p.strategy, PartitionStrategy::Range);
    assert_eq!(p.key, vec![payment.column("payment_date")]);
    assert_eq!(p.partitions.len(), 12);
    assert!(
        matches!(&p.partitions[0].bound, PartitionBound::Range { from, .. } if from[0].as_deref().is_some_and(|f| f.starts_with("2025-01-01"))),
        "{:?}",
        p.partitions[0]
    );
    let targets: Vec<&str> = payment
        .foreign_keys
        .iter()
        .map(|fk| schema.tables[fk.ref_table].name.as_str())
        .collect();
    assert_eq!(
        targets,
        ["customer", "promotion", "rental"],
        "foreign keys on the partitions are the parent's, even one on only some of them"
    );

    let store = &schema.tables[schema.table("public", "store").unwrap()];
    assert_eq!(
        store.partitioning.as_ref().unwrap().strategy,
        PartitionStrategy::List
    );
    let booking = &schema.tables[schema.table("public", "booking").unwrap()];
    assert_eq!(
        booking.exclusions[0].keyed_overlap(),
        Some((
            vec![booking.column("room_id").unwrap()],
            booking.column("during").unwrap()
        ))
    );
}

#[tokio::test]
async fn every_table_seeds_fifty_rows() {
    let db = partitioned("partitions_all").await;
    let mut c = conn(&db).await;
    let schema = introspect(&mut c).await.unwrap();
    for t in &schema.tables {
        let before: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {}",
            t.name
        )))
        .fetch_one(&mut c)
        .await
        .unwrap();
        seed(&mut c, &format!("50 {}", t.name), SeedOptions::default())
            .await
            .unwrap_or_else(|e| panic!("50 {}: {e}", t.name));
        let after: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) FROM {}",
            t.name
        )))
        .fetch_one(&mut c)
        .await
        .unwrap();
        assert_eq!(after - before, 50, "{}", t.name);
    }
    // Rows went through the parents into the partitions their keys select.
    assert!(
        count(&mut c, "SELECT count(DISTINCT tableoid) FROM payment").await >= 6,
        "payments spread over the months"
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM store WHERE region NOT IN ('emea', 'africa', 'north-america', 'latam', 'apac')").await, 0);
    assert!(count(&mut c, "SELECT count(DISTINCT tableoid) FROM store").await >= 2);
    assert_eq!(count(&mut c, "SELECT count(*) FROM audit_event").await, 50);
    // Bookings of one room never overlap (the exclusion constraint would
    // have rejected the COPY) and several rooms share the 50.
    assert!(
        count(
            &mut c,
            "SELECT max(n) FROM (SELECT count(*) AS n FROM booking GROUP BY room_id) s"
        )
        .await
            > 1,
        "rooms have several bookings"
    );
    assert_eq!(count(&mut c, "SELECT count(*) FROM booking a JOIN booking b ON a.room_id = b.room_id AND a.booking_id < b.booking_id AND a.during && b.during").await, 0);
    assert_eq!(count(&mut c, "SELECT count(*) FROM booking WHERE lower(during) >= upper(during) OR lower(during) < '2025-01-01 00:00:00+00'").await, 0);
}

#[tokio::test]
async fn rentals_with_payments_seed_through_the_partitioned_parent() {
    let db = partitioned("partitions_children").await;
    let mut c = conn(&db).await;
    seed(
        &mut c,
        "20 rentals with 1-3 payments per rental",
        SeedOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(count(&mut c, "SELECT count(*) FROM rental").await, 20);
    assert_eq!(count(&mut c, "SELECT count(*) FROM (SELECT rental_id, count(*) AS n FROM payment GROUP BY rental_id) s WHERE n BETWEEN 1 AND 3").await, 20);
    assert_eq!(count(&mut c, "SELECT count(*) FROM payment p LEFT JOIN rental r USING (rental_id) WHERE r.rental_id IS NULL").await, 0);
}

#[tokio::test]
async fn a_window_outside_every_partition_is_refused_naming_the_bounds() {
    let db = partitioned("partitions_window").await;
    let mut c = conn(&db).await;
    let now: DateTime<Utc> = "2027-06-01T00:00:00Z".parse().unwrap();
    let err = seed(
        &mut c,
        "50 payments across the last 30 days",
        SeedOptions {
            now,
            ..SeedOptions::default()
        },
    )
    .await
    .expect_err("no partition for 2027");
    let msg = err.to_string();
    assert!(
        msg.contains("cannot satisfy the partitions of payment on payment.payment_date"),
        "{msg}"
    );
    assert!(msg.contains("misses every partition"), "{msg}");
    assert!(
        msg.contains("payment_p2025_01 FOR VALUES FROM ('2025-01-01"),
        "{msg}"
    );
    assert!(
        msg.contains("and 9 more up to FOR VALUES FROM ('2025-12-01"),
        "{msg}"
    );
    assert!(msg.contains("add a partition"), "{msg}");
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM customer").await,
        0,
        "nothing written"
    );
}

#[tokio::test]
async fn a_scope_naming_a_partition_points_at_its_parent() {
    let db = partitioned("partitions_named").await;
    let mut c = conn(&db).await;
    let msg = seed(&mut c, "10 payment_p2025_03", SeedOptions::default())
        .await
        .expect_err("a partition")
        .to_string();
    assert!(
        msg.contains("`payment_p2025_03` is a partition of `payment`"),
        "{msg}"
    );
    assert!(msg.contains("seed `payment`"), "{msg}");
}

#[tokio::test]
async fn the_same_seed_writes_the_same_bytes() {
    let a = partitioned("partitions_det_a").await;
    let b = partitioned("partitions_det_b").await;
    for db in [&a, &b] {
        let mut c = conn(db).await;
        seed(&mut c, "40 payments", SeedOptions::default())
            .await
            .unwrap();
        seed(&mut c, "40 bookings", SeedOptions::default())
            .await
            .unwrap();
    }
    let (da, db) = (dump(&a).await, dump(&b).await);
    assert!(da.contains("(40 rows)"), "{}", &da[..da.len().min(300)]);
    assert_eq!(da, db);
}
