//! Scopes in everyday words about units, states, relative clauses and
//! lists (issue 8), each seeded into a real Postgres with a schema of our
//! own (tests/schemas/words_services.sql: rides, SaaS billing, a clinic) and
//! checked row by row. `now` is 2026-01-01T00:00:00Z.

mod support;

use seedfast_test::SeedOptions;
use sqlx::PgConnection;
use support::{conn, count, database_with_sql, refused, yes};

const SCHEMA: &str = include_str!("schemas/words_services.sql");

async fn db() -> seedfast_test::backend::TempDatabase {
    database_with_sql("words_units", &[SCHEMA.to_string()]).await
}

/// Seeds `scope` alone, the tables emptied first.
async fn seed(c: &mut PgConnection, scope: &str) {
    support::seed_alone(c, "drivers, driver_documents, trips, patient_doctors, trip_reviews, accounts, memberships, bills, doctors, patients, visits, properties", scope).await;
}

#[tokio::test]
async fn units_and_currencies_name_the_column_and_convert() {
    let db = db().await;
    let mut c = conn(&db).await;
    // Money in dollars on a column kept in cents.
    seed(&mut c, "40 trips costing between $10 and $40").await;
    assert!(yes(&mut c, "SELECT count(*) = 40 AND bool_and(fare_cents BETWEEN 1000 AND 4000) FROM trips").await);
    // A unit word picks the one column spelling it; comparatives bound it.
    seed(&mut c, "30 trips longer than 20 km").await;
    assert!(yes(&mut c, "SELECT count(*) = 30 AND bool_and(distance_km > 20) FROM trips").await);
    seed(&mut c, "20 trips cheaper than $8").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(fare_cents < 800) FROM trips").await);
    // Hours on a minutes column are converted; `min_age`-like prefixes are no unit.
    seed(&mut c, "12 trips lasting two hours").await;
    assert!(yes(&mut c, "SELECT count(*) = 12 AND bool_and(duration_minutes = 120) FROM trips").await);
    seed(&mut c, "20 visits of 30 minutes").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM visits WHERE length_minutes = 30").await, 20);
    // `a night`, `per month` after a price colour it and name nothing.
    seed(&mut c, "10 bills between $20 and $200 a month").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(amount_cents BETWEEN 2000 AND 20000) FROM bills").await);
    // `over` and `shorter than` leave their number out; `a capacity over
    // 5000` is a column and its bound, not one child row.
    seed(&mut c, "5 trip reviews with stars over 4").await;
    assert!(yes(&mut c, "SELECT count(*) = 5 AND bool_and(stars = 5) FROM trip_reviews").await);
    seed(&mut c, "6 trips shorter than 2 minutes").await;
    assert!(yes(&mut c, "SELECT count(*) = 6 AND bool_and(duration_minutes = 1) FROM trips").await);
    seed(&mut c, "7 properties with an area over 5000").await;
    assert!(yes(&mut c, "SELECT count(*) = 7 AND bool_and(area_sqm > 5000) FROM properties").await);
    // A unit no column spells is an error listing the measures.
    let e = refused(&mut c, "5 trips weighing 3 kg").await;
    assert!(e.contains("no number column of `trips` holds `kg`"), "{e}");
    assert!(e.contains("`fare_cents`") && e.contains("`distance_km`"), "{e}");
}

#[tokio::test]
async fn relative_periods_verbs_and_particles_pick_the_time_column() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "15 bills due next week").await;
    assert!(yes(&mut c, "SELECT count(*) = 15 AND bool_and(due_on BETWEEN '2026-01-01' AND '2026-01-08') FROM bills").await);
    seed(&mut c, "10 accounts created last month").await;
    assert!(yes(&mut c, "SELECT bool_and(created_at >= '2025-12-01' AND created_at < '2026-01-01') FROM accounts").await);
    seed(&mut c, "20 patients born between 1950 and 1970").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(birth_date >= '1950-01-01' AND birth_date < '1971-01-01') FROM patients").await);
    seed(&mut c, "12 doctors hired after 2020").await;
    assert!(yes(&mut c, "SELECT count(*) = 12 AND bool_and(hired_on >= '2021-01-01') FROM doctors").await);
    // A verb with its particle names `checked_in_at`.
    seed(&mut c, "25 visits checked in over the past 10 days").await;
    assert!(yes(&mut c, "SELECT count(*) = 25 AND bool_and(checked_in_at >= '2025-12-22') FROM visits").await);
    // The verb of a row's creation names its creation time, else its one
    // required time.
    seed(&mut c, "8 accounts added in 2025").await;
    assert!(yes(&mut c, "SELECT count(*) = 8 AND bool_and(created_at >= '2025-01-01' AND created_at < '2026-01-01') FROM accounts").await);
    seed(&mut c, "8 trips made in 2025").await;
    assert!(yes(&mut c, "SELECT count(*) = 8 AND bool_and(requested_at >= '2025-01-01' AND requested_at < '2026-01-01') FROM trips").await);
    let e = refused(&mut c, "8 bills made in 2025").await;
    assert!(e.contains("no time column of `bills` matches `made`") && e.contains("`issued_on`, `due_on`"), "{e}");
}

#[tokio::test]
async fn relative_clauses_never_and_not_yet() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "10 drivers who joined in 2025").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(joined_at >= '2025-01-01' AND joined_at < '2026-01-01') FROM drivers").await);
    seed(&mut c, "12 patients who died in 2024").await;
    assert!(yes(&mut c, "SELECT count(*) = 12 AND bool_and(died_on >= '2024-01-01' AND died_on < '2025-01-01') FROM patients").await);
    seed(&mut c, "20 memberships that never logged in").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(last_login_at IS NULL) FROM memberships").await);
    seed(&mut c, "15 bills not yet paid").await;
    assert!(yes(&mut c, "SELECT count(*) = 15 AND bool_and(paid_at IS NULL) FROM bills").await);
    // A state after `that have been` fills its time.
    seed(&mut c, "9 trips that have been completed").await;
    assert!(yes(&mut c, "SELECT count(*) = 9 AND bool_and(status = 'completed' AND completed_at IS NOT NULL) FROM trips").await);
    // `that have no ...` is a NULL column.
    seed(&mut c, "6 trip reviews that have no comment").await;
    assert!(yes(&mut c, "SELECT count(*) = 6 AND bool_and(comment IS NULL) FROM trip_reviews").await);
}

#[tokio::test]
async fn values_after_on_and_in_and_adjectives_of_flags_and_codes() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "10 accounts on the pro plan").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(plan = 'pro') FROM accounts").await);
    seed(&mut c, "30 trips in Berlin").await;
    assert!(yes(&mut c, "SELECT count(*) = 30 AND bool_and(city = 'Berlin') FROM trips").await);
    seed(&mut c, "20 bills in EUR").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(currency = 'EUR') FROM bills").await);
    seed(&mut c, "20 inactive drivers").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(NOT is_active) FROM drivers").await);
    seed(&mut c, "15 uninsured patients").await;
    assert!(yes(&mut c, "SELECT count(*) = 15 AND bool_and(NOT insured) FROM patients").await);
    seed(&mut c, "12 female patients").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM patients WHERE sex = 'F'").await, 12);
    seed(&mut c, "20 properties built 2020 or later").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(year >= 2020) FROM properties").await);
}

#[tokio::test]
async fn counts_after_a_comma_one_in_n_and_shares_of_numbers_with_units() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "50 memberships, 5 revoked").await;
    assert!(yes(&mut c, "SELECT count(*) = 50 AND count(*) FILTER (WHERE revoked) = 5 FROM memberships").await);
    seed(&mut c, "40 trips, one in four cancelled").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM trips WHERE status = 'cancelled'").await, 10);
    seed(&mut c, "100 trip reviews: 50% 5 stars, 30% 4 stars, 20% 3 stars").await;
    assert!(yes(&mut c, "SELECT count(*) FILTER (WHERE stars = 5) = 50 AND count(*) FILTER (WHERE stars = 4) = 30 AND count(*) FILTER (WHERE stars = 3) = 20 FROM trip_reviews").await);
    // Shares of a state fill its time, and earlier states have none.
    seed(&mut c, "60 trips where a third are completed and the rest requested").await;
    assert!(yes(&mut c, "SELECT count(*) FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL) = 20 AND count(*) FILTER (WHERE status = 'requested' AND completed_at IS NULL) = 40 FROM trips").await);
}

#[tokio::test]
async fn counted_children_named_by_their_values_and_counted_columns() {
    let db = db().await;
    let mut c = conn(&db).await;
    // The values alone name the child table whose column holds them.
    seed(&mut c, "4 accounts with 1 owner and 3 admins each").await;
    assert!(yes(&mut c, "SELECT count(*) = 16 AND count(*) FILTER (WHERE role = 'owner') = 4 AND count(*) FILTER (WHERE role = 'admin') = 12 FROM memberships").await);
    assert!(yes(&mut c, "SELECT bool_and(n = 1) FROM (SELECT count(*) FILTER (WHERE role = 'owner') AS n FROM memberships GROUP BY account_id) x").await);
    seed(&mut c, "5 accounts with 7 seats").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM accounts WHERE seats = 7").await, 5);
    seed(&mut c, "10 patients with a primary doctor").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM patients WHERE primary_doctor_id IS NOT NULL").await, 10);
    // `between N and M` and `one or two` are counts of children.
    seed(&mut c, "6 drivers, each with between 2 and 4 trips").await;
    assert!(yes(&mut c, "SELECT bool_and(n BETWEEN 2 AND 4) AND count(*) = 6 FROM (SELECT count(*) AS n FROM trips GROUP BY driver_id) x").await);
    seed(&mut c, "3 doctors having one or two visits apiece").await;
    assert!(yes(&mut c, "SELECT bool_and(n BETWEEN 1 AND 2) FROM (SELECT count(*) AS n FROM visits GROUP BY doctor_id) x").await);
}

#[tokio::test]
async fn lists_domains_and_even_splits() {
    let db = db().await;
    let mut c = conn(&db).await;
    // A list without a count is one row per value.
    seed(&mut c, "doctors: Ada Lovelace, Grace Hopper and Alan Turing").await;
    assert!(yes(&mut c, "SELECT count(*) = 3 AND bool_or(full_name = 'Grace Hopper') FROM doctors").await);
    seed(&mut c, "20 memberships whose emails end in @example.org").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND bool_and(email LIKE '%@example.org') FROM memberships").await);
    seed(&mut c, "30 trips split evenly between completed and cancelled").await;
    assert!(yes(&mut c, "SELECT count(*) FILTER (WHERE status = 'completed') = 15 AND count(*) FILTER (WHERE status = 'cancelled') = 15 FROM trips").await);
    seed(&mut c, "12 patients spread over 3 doctors: Ada Lovelace, Grace Hopper and Alan Turing").await;
    assert!(yes(&mut c, "SELECT count(*) = 3 AND bool_or(full_name = 'Alan Turing') FROM doctors").await);
    assert_eq!(count(&mut c, "SELECT count(*) FROM patients").await, 12);
    let e = refused(&mut c, "bills: INV1, INV2 and INV3").await;
    assert!(e.contains("`bills` has no name or code column to hold the listed values"), "{e}");
    let e = refused(&mut c, "5 memberships whose emails end in example").await;
    assert!(e.contains("`example` is not a domain"), "{e}");
}

#[tokio::test]
async fn requests_states_verbs_and_parents_in_everyday_words() {
    let db = db().await;
    let mut c = conn(&db).await;
    // How the request is put is not what it asks for.
    seed(&mut c, "seed 10 drivers").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM drivers").await, 10);
    seed(&mut c, "for the dashboard we need 12 trips; a quarter of them cancelled").await;
    assert!(yes(&mut c, "SELECT count(*) = 12 AND count(*) FILTER (WHERE status = 'cancelled') = 3 FROM trips").await);
    // A table by its last words, as a subject and as a child.
    seed(&mut c, "5 documents").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM driver_documents").await, 5);
    seed(&mut c, "2 drivers with 3 documents each").await;
    assert!(yes(&mut c, "SELECT count(*) = 6 AND count(DISTINCT driver_id) = 2 FROM driver_documents").await);
    // A verb that is a state puts the rows in it, and its time in the window.
    seed(&mut c, "8 trips completed in 2025").await;
    assert!(yes(&mut c, "SELECT count(*) = 8 AND bool_and(status = 'completed' AND completed_at >= '2025-01-01' AND completed_at < '2026-01-01') FROM trips").await);
    // A year column named by the verb, in the future too.
    seed(&mut c, "10 driver documents expiring in 2028 or later").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(expiry_year >= 2028) FROM driver_documents").await);
    seed(&mut c, "6 driver documents expiring before 2020").await;
    assert!(yes(&mut c, "SELECT count(*) = 6 AND bool_and(expiry_year < 2020) FROM driver_documents").await);
    // `on` the parents' state narrows the reference.
    seed(&mut c, "9 trips on inactive drivers").await;
    assert!(yes(&mut c, "SELECT count(*) = 9 AND bool_and(NOT d.is_active) FROM trips t JOIN drivers d ON d.id = t.driver_id").await);
    seed(&mut c, "9 bills on pro accounts").await;
    assert!(yes(&mut c, "SELECT count(*) = 9 AND bool_and(a.plan = 'pro') FROM bills b JOIN accounts a ON a.id = b.account_id").await);
    // Counted children after a comma, and shares of a child table.
    seed(&mut c, "3 accounts, 2-4 memberships per account").await;
    assert!(yes(&mut c, "SELECT bool_and(n BETWEEN 2 AND 4) AND count(*) = 3 FROM (SELECT count(*) AS n FROM memberships GROUP BY account_id) x").await);
    seed(&mut c, "4 accounts with 5 memberships each, a fifth of the memberships revoked").await;
    assert!(yes(&mut c, "SELECT count(*) = 20 AND count(*) FILTER (WHERE revoked) = 4 FROM memberships").await);
    // Values across a column, and codes after a column.
    seed(&mut c, "9 doctors across 3 specialties: cardiology, oncology and neurology").await;
    assert!(yes(&mut c, "SELECT count(*) = 9 AND count(DISTINCT specialty) = 3 AND bool_and(specialty IN ('cardiology', 'oncology', 'neurology')) FROM doctors").await);
    seed(&mut c, "accounts with names ACME1, BETA2 and GAMMA3").await;
    assert!(yes(&mut c, "SELECT count(*) = 3 AND bool_or(name = 'BETA2') FROM accounts").await);
    // A verb before counted rows: children (or links) of each row.
    seed(&mut c, "4 drivers driving 3 trips each").await;
    assert!(yes(&mut c, "SELECT count(*) = 12 AND count(DISTINCT driver_id) = 4 FROM trips").await);
    // A link table whose pair is part of a wider unique key.
    seed(&mut c, "5 patients with 2 doctors each").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND count(DISTINCT (patient_id, doctor_id)) = 10 AND count(DISTINCT patient_id) = 5 FROM patient_doctors").await);
    // Month names without a year take the year after them.
    seed(&mut c, "10 bills issued between July and September 2025").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(issued_on >= '2025-07-01' AND issued_on < '2025-10-01') FROM bills").await);
    // `pro-plan`: a value, then the column it is of.
    seed(&mut c, "6 pro-plan accounts").await;
    assert!(yes(&mut c, "SELECT count(*) = 6 AND bool_and(plan = 'pro') FROM accounts").await);
    // A count of values that does not match the names is refused.
    let e = refused(&mut c, "9 doctors across 4 specialties: cardiology, oncology and neurology").await;
    assert!(e.contains("3 values named for 4 specialties"), "{e}");
}

#[tokio::test]
async fn values_name_their_table_and_numbers_take_k_and_m() {
    let db = db().await;
    let mut c = conn(&db).await;
    // A value and the column it is of: `enterprise plans` are accounts.
    seed(&mut c, "7 enterprise plans").await;
    assert!(yes(&mut c, "SELECT count(*) = 7 AND bool_and(plan = 'enterprise') FROM accounts").await);
    // `$1k` is a thousand dollars, in cents here.
    seed(&mut c, "10 bills between $1k and $2.5k").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(amount_cents BETWEEN 100000 AND 250000) FROM bills").await);
    seed(&mut c, "1.2k trips").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM trips").await, 1200);
    // A value two tables hold is an error naming both, never a pick.
    let menus = database_with_sql(
        "words_units_menus",
        &["CREATE TYPE course AS ENUM ('main', 'drink');
           CREATE TABLE menus (id serial PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('lunch', 'drinks')));
           CREATE TABLE menu_items (id serial PRIMARY KEY, menu_id int NOT NULL REFERENCES menus (id), course course NOT NULL);"
            .to_string()],
    )
    .await;
    let mut m = conn(&menus).await;
    let e = refused(&mut m, "20 drinks").await;
    assert!(e.contains("`drinks` is a value of several tables' columns"), "{e}");
    assert!(e.contains("`menu_items.course` ('drink')") && e.contains("`menus.kind` ('drinks')"), "{e}");
    seedfast_test::seed(&mut m, "20 drink menu items", SeedOptions::default()).await.expect("named table");
    assert_eq!(count(&mut m, "SELECT count(*) FROM menu_items WHERE course = 'drink'").await, 20);
}

#[tokio::test]
async fn purposes_prepositions_and_currencies_in_everyday_shapes() {
    let db = db().await;
    let mut c = conn(&db).await;
    seed(&mut c, "give me 5 drivers").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM drivers").await, 5);
    // What the data is for names no table, before or after the request.
    seed(&mut c, "for the trips dashboard, 6 trips").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM trips").await, 6);
    seed(&mut c, "7 trips for the heatmap page").await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM trips").await, 7);
    // Share values after a preposition, with `the` and the column's noun.
    seed(&mut c, "20 accounts where 25% are on the pro plan and the rest on the free plan").await;
    assert!(yes(&mut c, "SELECT count(*) FILTER (WHERE plan = 'pro') = 5 AND count(*) FILTER (WHERE plan = 'free') = 15 FROM accounts").await);
    // A NULL share after a value share.
    seed(&mut c, "40 memberships, a quarter of them revoked and 50% missing a last login").await;
    assert!(yes(&mut c, "SELECT count(*) FILTER (WHERE revoked) = 10 AND count(*) FILTER (WHERE last_login_at IS NULL) = 20 FROM memberships").await);
    // `with an area of 120`: that value.
    seed(&mut c, "2 properties with an area of 120").await;
    assert!(yes(&mut c, "SELECT count(*) = 2 AND bool_and(area_sqm = 120) FROM properties").await);
    // Money written in euros puts the rows in euros.
    seed(&mut c, "10 trips costing between €10 and €20").await;
    assert!(yes(&mut c, "SELECT count(*) = 10 AND bool_and(currency = 'EUR' AND fare_cents BETWEEN 1000 AND 2000) FROM trips").await);
    // `up to 3` children: none to three.
    seed(&mut c, "4 accounts with up to 3 bills each").await;
    assert!(yes(&mut c, "SELECT count(*) <= 12 FROM bills").await);
    assert!(yes(&mut c, "SELECT coalesce(max(n), 0) <= 3 FROM (SELECT count(*) AS n FROM bills GROUP BY account_id) x").await);
    // `against` and `made by` narrow the reference like `for`.
    seed(&mut c, "5 bills against enterprise accounts").await;
    assert!(yes(&mut c, "SELECT count(*) = 5 AND bool_and(a.plan = 'enterprise') FROM bills b JOIN accounts a ON a.id = b.account_id").await);
    seed(&mut c, "6 trips made by inactive drivers").await;
    assert!(yes(&mut c, "SELECT count(*) = 6 AND bool_and(NOT d.is_active) FROM trips t JOIN drivers d ON d.id = t.driver_id").await);
}
