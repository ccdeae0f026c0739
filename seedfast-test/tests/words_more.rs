//! More scopes in everyday words (issue 8): several tables in one scope,
//! parents named by `of` or by their label, `all (of them)`, counted lists
//! after a colon or a dash, named lists and whole names, day ranges, prices
//! at one value, NULLs said with `don't have`, durations, states named by
//! their time column. Each is seeded into a real Postgres (schema:
//! tests/schemas/words_venues.sql) and checked row by row; `now` is
//! 2026-01-01T00:00:00Z.

mod support;

use sqlx::PgConnection;
use support::{conn, database_with_sql, yes};

const SCHEMA: &str = include_str!("schemas/words_venues.sql");

async fn db() -> seedfast_test::backend::TempDatabase {
    database_with_sql("words_more", &[SCHEMA.to_string()]).await
}

/// Seeds `scope` alone, the tables emptied first.
async fn seed(c: &mut PgConnection, scope: &str) {
    support::seed_alone(c, "branches, members, departments, shows, reviews, locations, classes, tariffs, meters, rentals, shots, listings, vehicles, instructors, staff, sessions, deals, bookings, loans, fines", scope).await;
}

async fn check(c: &mut PgConnection, scope: &str, sql: &str) {
    seed(c, scope).await;
    assert!(yes(c, sql).await, "`{scope}` seeded rows that fail `{sql}`");
}

#[tokio::test]
async fn several_tables_in_one_scope() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "3 branches and forty members", "SELECT (SELECT count(*) FROM branches) = 3 AND (SELECT count(*) FROM members) = 40").await;
    check(&mut c, "10 shows, 25 reviews", "SELECT (SELECT count(*) FROM shows) = 10 AND (SELECT count(*) FROM reviews) = 25").await;
    // The clauses after the second table are about it.
    check(&mut c, "2 branches and a dozen members, a quarter of them no longer active", "SELECT (SELECT count(*) FROM branches) = 2 AND (SELECT count(*) FILTER (WHERE NOT is_active) FROM members) = 3 AND (SELECT count(*) FROM members) = 12").await;
    // A value of the subject stays a share: `5 ended` is no table.
    check(&mut c, "20 shows, 5 ended", "SELECT count(*) = 20 AND count(*) FILTER (WHERE status = 'ended') = 5 FROM shows").await;
}

#[tokio::test]
async fn parents_after_of_and_by_their_label() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "15 reviews of shows that have ended", "SELECT count(*) = 15 AND count(*) FILTER (WHERE s.status <> 'ended') = 0 FROM reviews r JOIN shows s ON s.id = r.show_id").await;
    check(&mut c, "10 reviews of cancelled shows", "SELECT count(*) = 10 AND count(*) FILTER (WHERE s.status <> 'cancelled') = 0 FROM reviews r JOIN shows s ON s.id = r.show_id").await;
    check(&mut c, "12 classes at the Downtown location", "SELECT count(*) = 12 AND count(*) FILTER (WHERE l.label <> 'Downtown') = 0 FROM classes c JOIN locations l ON l.id = c.location_id").await;
    check(&mut c, "8 meters on the ECO7 tariff", "SELECT count(*) = 8 AND count(*) FILTER (WHERE t.code <> 'ECO7') = 0 FROM meters m JOIN tariffs t ON t.id = m.tariff_id").await;
    // A label before a noun that is a column, not a parent: that value.
    check(&mut c, "9 classes, all held in the Main Hall room", "SELECT count(*) = 9 AND count(*) FILTER (WHERE room <> 'Main Hall') = 0 FROM classes").await;
}

#[tokio::test]
async fn all_of_them_says_what_every_row_is() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "20 classes, all under $15", "SELECT count(*) = 20 AND max(price) < 15 FROM classes").await;
    check(&mut c, "20 classes starting between 1 and 15 June 2025, all under $15", "SELECT count(*) = 20 AND max(price) < 15 AND min(starts_at) >= '2025-06-01' AND max(starts_at) < '2025-06-16' FROM classes").await;
    check(&mut c, "30 reviews, all of them for ended shows", "SELECT count(*) = 30 AND count(*) FILTER (WHERE s.status <> 'ended') = 0 FROM reviews r JOIN shows s ON s.id = r.show_id").await;
    check(&mut c, "10 listings, all of them in like-new condition", "SELECT count(*) = 10 AND count(*) FILTER (WHERE condition <> 'like_new') = 0 FROM listings").await;
}

#[tokio::test]
async fn counted_lists_named_rows_and_whole_names() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "30 listings: 10 new, 15 like-new and the rest used", "SELECT count(*) FILTER (WHERE condition = 'new') = 10 AND count(*) FILTER (WHERE condition = 'like_new') = 15 AND count(*) FILTER (WHERE condition = 'used') = 5 FROM listings").await;
    check(&mut c, "three departments - Sales, Legal and Support", "SELECT count(*) = 3 AND count(*) FILTER (WHERE name IN ('Sales', 'Legal', 'Support')) = 3 FROM departments").await;
    check(&mut c, "departments named Research, Finance and Operations", "SELECT count(*) = 3 AND count(*) FILTER (WHERE name IN ('Research', 'Finance', 'Operations')) = 3 FROM departments").await;
    check(&mut c, "a member called Priya Raman", "SELECT count(*) = 1 AND count(*) FILTER (WHERE full_name = 'Priya Raman') = 1 FROM members").await;
    // A first name alone in a person's full-name column starts it.
    check(&mut c, "an instructor called Oliver Bennett", "SELECT count(*) = 1 AND count(*) FILTER (WHERE first_name = 'Oliver' AND last_name = 'Bennett') = 1 FROM instructors").await;
    check(&mut c, "5 members named Alice", "SELECT count(*) = 5 AND count(*) FILTER (WHERE full_name LIKE 'Alice %') = 5 FROM members").await;
    check(&mut c, "12 members from a mix of DE, FR and NL", "SELECT count(*) = 12 AND count(DISTINCT country) = 3 AND count(*) FILTER (WHERE country NOT IN ('DE', 'FR', 'NL')) = 0 FROM members").await;
}

#[tokio::test]
async fn days_prices_durations_and_nulls() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "20 classes starting between 1 and 15 June 2025", "SELECT count(*) = 20 AND min(starts_at) >= '2025-06-01' AND max(starts_at) < '2025-06-16' FROM classes").await;
    check(&mut c, "10 classes spread over 1-3 March 2025", "SELECT count(*) = 10 AND min(starts_at) >= '2025-03-01' AND max(starts_at) < '2025-03-04' FROM classes").await;
    check(&mut c, "6 ended shows from 2024", "SELECT count(*) = 6 AND min(premiered_on) >= '2024-01-01' AND max(premiered_on) < '2025-01-01' AND count(*) FILTER (WHERE status <> 'ended') = 0 FROM shows").await;
    check(&mut c, "12 classes at $25", "SELECT count(*) = 12 AND min(price) = 25 AND max(price) = 25 FROM classes").await;
    check(&mut c, "10 listings for more than $100", "SELECT count(*) = 10 AND min(price) > 100 FROM listings").await;
    check(&mut c, "10 classes, each longer than 2 hours", "SELECT count(*) = 10 AND min(duration_minutes) > 120 FROM classes").await;
    check(&mut c, "10 members, 3 of whom don't have a bio yet", "SELECT count(*) = 10 AND count(*) FILTER (WHERE bio IS NULL) = 3 FROM members").await;
}

#[tokio::test]
async fn states_counts_in_each_and_plural_flags() {
    let db = db().await;
    let mut c = conn(&db).await;
    // A state no column lists sets its time column, and what a CHECK wants set with it.
    check(&mut c, "12 rentals returned last week", "SELECT count(*) = 12 AND min(returned_at) >= '2025-12-25' AND count(*) FILTER (WHERE picked_up_at <= returned_at) = 12 FROM rentals").await;
    // A first state leaves the later times unset.
    check(&mut c, "10 reserved rentals", "SELECT count(*) = 10 AND count(*) FILTER (WHERE status = 'reserved') = 10 AND count(picked_up_at) = 0 AND count(returned_at) = 0 FROM rentals").await;
    // The everyday word for a table named otherwise.
    check(&mut c, "12 cars built 2020 or later", "SELECT count(*) = 12 AND min(model_year) >= 2020 FROM vehicles").await;
    check(&mut c, "8 returned rentals", "SELECT count(*) = 8 AND count(returned_at) = 8 AND count(picked_up_at) = 8 FROM rentals").await;
    check(&mut c, "20 shots, a fifth of them penalties", "SELECT count(*) = 20 AND count(*) FILTER (WHERE is_penalty) = 4 FROM shots").await;
    check(&mut c, "20 reviews: 50% five stars and the rest one star", "SELECT count(*) FILTER (WHERE stars = 5) = 10 AND count(*) FILTER (WHERE stars = 1) = 10 FROM reviews").await;
    check(&mut c, "5 shows with 2-4 reviews in each", "SELECT count(*) = 5 AND bool_and(n BETWEEN 2 AND 4) FROM (SELECT count(r.id) AS n FROM shows s LEFT JOIN reviews r ON r.show_id = s.id GROUP BY s.id) per").await;
    // `of N <children>` counts children, not a measure.
    check(&mut c, "4 branches of 5 members", "SELECT count(*) = 4 AND bool_and(n = 5) FROM (SELECT count(m.id) AS n FROM branches b LEFT JOIN members m ON m.branch_id = b.id GROUP BY b.id) per").await;
    // A parent named only by its state.
    check(&mut c, "12 sessions, all led by trainers", "SELECT count(*) = 12 AND count(*) FILTER (WHERE s.role <> 'trainer') = 0 FROM sessions x JOIN staff s ON s.id = x.staff_id").await;
    check(&mut c, "4 branches with exactly 3 members each", "SELECT count(*) = 4 AND bool_and(n = 3) FROM (SELECT count(m.id) AS n FROM branches b LEFT JOIN members m ON m.branch_id = b.id GROUP BY b.id) per").await;
}

#[tokio::test]
async fn what_cannot_be_placed_is_refused_at_the_word() {
    let db = db().await;
    let mut c = conn(&db).await;
    // A second count before a word that is neither a value nor a table.
    let e = support::refused(&mut c, "3 branches and 40 unicorns").await;
    assert!(e.contains("`unicorns` is not a value of any column of `branches`") && e.contains("a table"), "{e}");
    // A label before a noun that is no parent and no column.
    let e = support::refused(&mut c, "12 classes at the Downtown venue").await;
    assert!(e.contains("venue"), "{e}");
    // A state of a parent that the parent does not have.
    let e = support::refused(&mut c, "15 reviews of shows that have exploded").await;
    assert!(e.contains("exploded"), "{e}");
}

#[tokio::test]
async fn states_keep_their_times_without_being_asked() {
    let db = db().await;
    let mut c = conn(&db).await;
    // `won_at IS NULL OR stage = 'won'`: only won deals have a time of winning.
    check(&mut c, "200 deals", "SELECT count(*) = 200 AND count(*) FILTER (WHERE won_at IS NOT NULL AND stage <> 'won') = 0 AND count(*) FILTER (WHERE lost_at IS NOT NULL AND stage <> 'lost') = 0 FROM deals").await;
    // A cancelled booking has its time of cancelling, and only it.
    check(&mut c, "30 members with 3 bookings each", "SELECT count(*) = 90 AND count(*) FILTER (WHERE (status = 'cancelled') <> (cancelled_at IS NOT NULL)) = 0 FROM bookings").await;
    // Asked for, the state's time still follows it.
    check(&mut c, "40 deals, a quarter of them won", "SELECT count(*) FILTER (WHERE stage = 'won' AND won_at IS NOT NULL) = 10 AND count(won_at) = 10 FROM deals").await;
}

#[tokio::test]
async fn shares_with_none_brackets_days_and_counted_values() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "10 members, half of them with a bio", "SELECT count(*) = 10 AND count(bio) = 5 FROM members").await;
    check(&mut c, "seed 12 members, none of them with a bio", "SELECT count(*) = 12 AND count(bio) = 0 FROM members").await;
    check(&mut c, "20 bookings placed on 24 December 2025", "SELECT count(*) = 20 AND min(booked_at) >= '2025-12-24' AND max(booked_at) < '2025-12-25' FROM bookings").await;
    check(&mut c, "15 members who joined in 2024 or later", "SELECT count(*) = 15 AND min(joined_at) >= '2024-01-01' FROM members").await;
    check(&mut c, "12 bookings that haven't been cancelled yet", "SELECT count(*) = 12 AND count(cancelled_at) = 0 FROM bookings").await;
    check(&mut c, "8 bookings we cancelled last month", "SELECT count(*) = 8 AND count(*) FILTER (WHERE status = 'cancelled' AND cancelled_at >= '2025-12-01') = 8 FROM bookings").await;
    check(&mut c, "25 deals worth between 10k and 50k", "SELECT count(*) = 25 AND min(value) >= 10000 AND max(value) <= 50000 FROM deals").await;
    check(&mut c, "10 classes with more than 60 minutes", "SELECT count(*) = 10 AND min(duration_minutes) > 60 FROM classes").await;
    // Several counts of one table by value add up.
    check(&mut c, "3 coaches and 2 trainers", "SELECT count(*) = 5 AND count(*) FILTER (WHERE role = 'coach') = 3 AND count(*) FILTER (WHERE role = 'trainer') = 2 FROM staff").await;
    check(&mut c, "6 new listings and 4 used ones", "SELECT count(*) = 10 AND count(*) FILTER (WHERE condition = 'new') = 6 AND count(*) FILTER (WHERE condition = 'used') = 4 FROM listings").await;
    // No count: the counted values are the rows.
    check(&mut c, "listings: 7 new and 3 used", "SELECT count(*) = 10 AND count(*) FILTER (WHERE condition = 'new') = 7 FROM listings").await;
    // Brackets: a list of names, or a clause set apart.
    check(&mut c, "3 branches (Central, Northgate and Eastfield), each with 2 members", "SELECT count(*) = 3 AND count(*) FILTER (WHERE name IN ('Central', 'Northgate', 'Eastfield')) = 3 AND (SELECT count(*) FROM members) = 6 FROM branches").await;
    check(&mut c, "departments called Team 1, Team 2 and Back Office", "SELECT count(*) = 3 AND count(*) FILTER (WHERE name IN ('Team 1', 'Team 2', 'Back Office')) = 3 FROM departments").await;
    // A time the subject lacks is the children's just named.
    check(&mut c, "5 members, each with 2 to 4 bookings booked during the last week", "SELECT count(*) BETWEEN 10 AND 20 AND min(booked_at) >= '2025-12-25' FROM bookings").await;
}

#[tokio::test]
async fn overdue_rows_counted_things_and_purposes() {
    let db = db().await;
    let mut c = conn(&db).await;
    // Due before now and not returned.
    check(&mut c, "give me 20 overdue loans so I can test the reminder emails", "SELECT count(*) = 20 AND max(due_on) < '2026-01-01' AND count(returned_at) = 0 FROM loans").await;
    // A purpose after `for the`, and a NULL said twice (a first state and `haven't`).
    check(&mut c, "I need 15 overdue loans for the overdue-notice job", "SELECT count(*) = 15 AND count(returned_at) = 0 FROM loans").await;
    check(&mut c, "10 bookings booked last month that haven't been cancelled yet", "SELECT count(*) = 10 AND count(cancelled_at) = 0 FROM bookings").await;
    check(&mut c, "12 loans that haven't come back yet", "SELECT count(*) = 12 AND count(returned_at) = 0 FROM loans").await;
    // A value named `overdue` is that value; pence are minor units of £.
    check(&mut c, "25 overdue fines of £2.50 each", "SELECT count(*) = 25 AND count(*) FILTER (WHERE reason = 'overdue' AND amount_pence = 250) = 25 FROM fines").await;
    // A count of things names the column counting them.
    check(&mut c, "10 classes with more than 20 seats", "SELECT count(*) = 10 AND min(seat_count) > 20 FROM classes").await;
    check(&mut c, "10 members, 3 of them with a bio", "SELECT count(*) = 10 AND count(bio) = 3 FROM members").await;
    // A value of two words whose head noun alone is plural.
    check(&mut c, "create three sales reps: Alice Moore, Ben Okafor and Chen Wei", "SELECT count(*) = 3 AND count(*) FILTER (WHERE role = 'sales_rep' AND full_name IN ('Alice Moore', 'Ben Okafor', 'Chen Wei')) = 3 FROM staff").await;
}
