//! Scopes in the words people use, on a field-service schema
//! (tests/schemas/words_ops.sql, issue 8): states tied to their times by
//! CHECKs, parents named by a person or a label, money pairs, loose
//! predicates, `where the <person> ...`, category words, name lists and
//! days. Each sentence is seeded alone into a real Postgres and its rows
//! checked; `now` is 2026-01-01T00:00:00Z.

mod support;

use sqlx::PgConnection;
use support::{conn, database_with_sql, yes};

const SCHEMA: &str = include_str!("schemas/words_ops.sql");

async fn db() -> seedfast_test::backend::TempDatabase {
    database_with_sql("words_ops", &[SCHEMA.to_string()]).await
}

async fn check(c: &mut PgConnection, scope: &str, sql: &str) {
    support::seed_alone(c, "service_tiers, depots, bays, technicians, technician_profiles, vans, customers, contracts, jobs, visits, estimates, complaints, parts, reviews, payments, refunds, notes, warranties, suppliers, parking_slots, contract_technicians, tags, job_tags, van_transfers", scope).await;
    assert!(yes(c, sql).await, "`{scope}` seeded rows that fail `{sql}`");
}

/// A state and its time, tied by CHECKs written several ways: `finished` with `finished_at` (no shared name with `completed`), NOT IN, and an equal-truth CHECK; a time set on purpose picks the state that requires it, an unset one the states that allow none.
#[tokio::test]
async fn states_tied_to_their_times_by_checks() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "12 finished jobs", "SELECT count(*) = 12 AND bool_and(status = 'finished' AND finished_at IS NOT NULL) FROM jobs").await;
    check(&mut c, "10 jobs completed last week", "SELECT count(*) = 10 AND bool_and(status = 'finished' AND finished_at >= '2025-12-25' AND finished_at < '2026-01-01') FROM jobs").await;
    check(&mut c, "30 jobs", "SELECT count(*) = 30 AND count(*) FILTER (WHERE (status = 'finished') <> (finished_at IS NOT NULL) AND status <> 'abandoned') = 0 FROM jobs").await;
    check(&mut c, "8 overdue jobs", "SELECT count(*) = 8 AND bool_and(due_on < '2026-01-01' AND status NOT IN ('finished', 'abandoned') AND finished_at IS NULL) FROM jobs").await;
    check(&mut c, "15 estimates declined in the last 10 days", "SELECT count(*) = 15 AND bool_and(status = 'declined' AND answered_at >= '2025-12-22' AND sent_at IS NOT NULL) FROM estimates").await;
    check(&mut c, "6 complaints that were upheld last month", "SELECT count(*) = 6 AND bool_and(status = 'upheld' AND closed_at >= '2025-12-01' AND closed_at < '2026-01-01') FROM complaints").await;
    check(&mut c, "20 complaints", "SELECT count(*) = 20 AND count(*) FILTER (WHERE (status IN ('upheld', 'rejected')) <> (closed_at IS NOT NULL)) = 0 FROM complaints").await;
}

/// One parent by a person's name (split over first and last name, or whole in `full_name`), by a noun then the name, or by a lookup table's label (`platinum` in `service_tiers`).
#[tokio::test]
async fn parents_named_by_person_or_label() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "9 jobs assigned to Omar Haddad", "SELECT count(*) = 9 AND bool_and(t.first_name = 'Omar' AND t.last_name = 'Haddad') FROM jobs j JOIN technicians t ON t.id = j.technician_id").await;
    check(&mut c, "7 jobs for a customer named Lena Fischer", "SELECT count(*) = 7 AND bool_and(c.full_name = 'Lena Fischer') FROM jobs j JOIN customers c ON c.id = j.customer_id").await;
    check(&mut c, "5 complaints from the customer Ada Byrne", "SELECT count(*) = 5 AND bool_and(c.full_name = 'Ada Byrne') FROM complaints x JOIN customers c ON c.id = x.customer_id").await;
    check(&mut c, "4 platinum contracts", "SELECT count(*) = 4 AND bool_and(t.name = 'platinum') FROM contracts c JOIN service_tiers t ON t.id = c.service_tier_id").await;
}

/// A money range over a min/max pair keeps both bounds inside and ordered; an amount in cents goes to the table's own charge, not its setup fee.
#[tokio::test]
async fn money_pairs_and_the_tables_own_amount() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "20 jobs quoted between $200 and $800", "SELECT count(*) = 20 AND bool_and(quoted_min_cents >= 20000 AND quoted_max_cents <= 80000 AND quoted_max_cents >= quoted_min_cents) FROM jobs").await;
    check(&mut c, "10 contracts at 4500 cents a month", "SELECT count(*) = 10 AND bool_and(monthly_fee_cents = 4500) FROM contracts").await;
}

/// Words no clause reads, matched to a flag they cover, a time or a reference the verb names, and denied by `don't`, `out of`, `haven't been`.
#[tokio::test]
async fn flags_times_and_references_in_loose_words() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "10 customers who want the newsletter", "SELECT count(*) = 10 AND bool_and(wants_newsletter) FROM customers").await;
    check(&mut c, "40 customers, a quarter of them wanting the newsletter", "SELECT count(*) = 40 AND count(*) FILTER (WHERE wants_newsletter) = 10 FROM customers").await;
    check(&mut c, "6 technicians who have been deactivated", "SELECT count(*) = 6 AND bool_and(deactivated_at IS NOT NULL AND deactivated_at <= '2026-01-01') FROM technicians").await;
    check(&mut c, "5 contracts that don't auto-renew", "SELECT count(*) = 5 AND bool_and(NOT auto_renews) FROM contracts").await;
    check(&mut c, "6 vans with a tow hitch", "SELECT count(*) = 6 AND bool_and(has_tow_hitch) FROM vans").await;
    check(&mut c, "10 parts that are currently out of stock", "SELECT count(*) = 10 AND bool_and(NOT is_in_stock) FROM parts").await;
    check(&mut c, "12 jobs that haven't been assigned to a technician yet", "SELECT count(*) = 12 AND bool_and(technician_id IS NULL) FROM jobs").await;
    check(&mut c, "10 jobs that don't have a due date", "SELECT count(*) = 10 AND bool_and(due_on IS NULL) FROM jobs").await;
    check(&mut c, "6 customers who signed up in March 2025", "SELECT count(*) = 6 AND bool_and(created_at >= '2025-03-01' AND created_at < '2025-04-01') FROM customers").await;
}

/// `where the <person> ...`: the person only says whose doing it was; `a no-show` is a value, `hasn't left yet` an unset time.
#[tokio::test]
async fn where_the_person_and_what_did_not_happen() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "12 visits where the customer was a no-show", "SELECT count(*) = 12 AND bool_and(outcome = 'no_show') FROM visits").await;
    check(&mut c, "8 visits where the technician hasn't left yet", "SELECT count(*) = 8 AND bool_and(left_at IS NULL) FROM visits").await;
}

/// A capitalised word for the one free-text category column, bare and `in` lists of names, and counted values that start with a preposition (`5 in progress`).
#[tokio::test]
async fn categories_name_lists_and_counted_prepositions() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "4 Plumbing jobs", "SELECT count(*) = 4 AND bool_and(category = 'Plumbing') FROM jobs").await;
    check(&mut c, "service tiers Bronze, Silver and Gold", "SELECT count(*) = 3 AND count(*) FILTER (WHERE name IN ('Bronze', 'Silver', 'Gold')) = 3 FROM service_tiers").await;
    check(&mut c, "3 depots in Hull, Derby and York", "SELECT count(*) = 3 AND count(DISTINCT city) = 3 AND bool_and(city IN ('Hull', 'Derby', 'York')) FROM depots").await;
    check(&mut c, "25 jobs: 10 new, 5 in progress and 10 finished", "SELECT count(*) = 25 AND count(*) FILTER (WHERE status = 'in_progress') = 5 AND count(*) FILTER (WHERE status = 'finished') = 10 FROM jobs").await;
}

/// `yesterday` is that day; `over the next 5 days` runs from now.
#[tokio::test]
async fn days_and_the_days_ahead() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "14 visits from yesterday", "SELECT count(*) = 14 AND bool_and(arrived_at >= '2025-12-31' AND arrived_at < '2026-01-01') FROM visits").await;
    check(&mut c, "8 jobs due over the next 5 days", "SELECT count(*) = 8 AND bool_and(due_on >= '2026-01-01' AND due_on <= '2026-01-06') FROM jobs").await;
}

/// Two people the rows could belong to and no word to choose: an error that
/// names both columns and how to say which.
#[tokio::test]
async fn a_person_alone_with_two_kinds_of_people_is_asked_about() {
    let db = db().await;
    let mut c = conn(&db).await;
    let e = seedfast_test::seed(&mut c, "5 jobs for Omar Haddad", seedfast_test::SeedOptions::default()).await.expect_err("two people columns");
    let text = e.to_string();
    assert!(text.contains("which person of `jobs` is `Omar Haddad`?"), "{text}");
    assert!(text.contains("`customer_id`") && text.contains("`technician_id`"), "{text}");
    assert!(text.contains("as in `for the customer named ...`"), "{text}");
}

/// Places by name in columns that keep codes, measures after `with` and
/// `for ... of`, years as `or newer`, scores in stars.
#[tokio::test]
async fn places_measures_years_and_stars() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "8 customers from Germany", "SELECT count(*) = 8 AND bool_and(country = 'DE') FROM customers").await;
    check(&mut c, "6 customers in Ohio", "SELECT count(*) = 6 AND bool_and(state = 'OH') FROM customers").await;
    check(&mut c, "5 Irish customers", "SELECT count(*) = 5 AND bool_and(country = 'IE') FROM customers").await;
    check(&mut c, "7 technicians with at least 10 years of experience", "SELECT count(*) = 7 AND bool_and(years_experience >= 10) FROM technicians").await;
    check(&mut c, "6 vans from 2020 or newer", "SELECT count(*) = 6 AND bool_and(model_year >= 2020) FROM vans").await;
    check(&mut c, "10 reviews rated 4 or 5 stars", "SELECT count(*) = 10 AND bool_and(rating BETWEEN 4 AND 5) FROM reviews").await;
    check(&mut c, "9 jobs with a $60 call-out fee", "SELECT count(*) = 9 AND bool_and(call_out_fee = 60) FROM jobs").await;
    // A pay band beside a side charge still takes the range.
    check(&mut c, "20 jobs quoted between $150 and $450", "SELECT count(*) = 20 AND bool_and(quoted_min_cents >= 15000 AND quoted_max_cents <= 45000) FROM jobs").await;
}

/// Rows named whole and children named after a colon, size bands, flags by
/// one word of their name, expired dates, amounts after `of`.
#[tokio::test]
async fn names_bands_flags_and_amounts() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "technicians named Ravi Patel and Ana Lima", "SELECT count(*) = 2 AND count(*) FILTER (WHERE first_name = 'Ravi' AND last_name = 'Patel') = 1 AND count(*) FILTER (WHERE first_name = 'Ana' AND last_name = 'Lima') = 1 FROM technicians").await;
    check(&mut c, "a depot with three bays: North, South and Yard", "SELECT (SELECT count(*) FROM depots) = 1 AND (SELECT count(*) = 3 AND count(*) FILTER (WHERE name IN ('North', 'South', 'Yard')) = 3 FROM bays)").await;
    check(&mut c, "5 suppliers with 11 to 50 employees", "SELECT count(*) = 5 AND bool_and(size_band = '11-50') FROM suppliers").await;
    check(&mut c, "4 electric vans", "SELECT count(*) = 4 AND bool_and(is_electric_vehicle) FROM vans").await;
    check(&mut c, "6 expired warranties", "SELECT count(*) = 6 AND bool_and(expires_on < '2026-01-01') FROM warranties").await;
    check(&mut c, "8 estimates of £250", "SELECT count(*) = 8 AND bool_and(total_cents = 25000) FROM estimates").await;
}

/// References: through a table between (`refunds for abandoned jobs`), a
/// state after the reference (`... for jobs that are finished`), `to` a
/// table, one of two exclusive references, a place in a one-to-one child.
#[tokio::test]
async fn references_further_away() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "10 refunds for abandoned jobs", "SELECT count(*) = 10 AND bool_and(j.status = 'abandoned') FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN jobs j ON j.id = p.job_id").await;
    check(&mut c, "8 payments for jobs that are finished", "SELECT count(*) = 8 AND bool_and(j.status = 'finished') FROM payments p JOIN jobs j ON j.id = p.job_id").await;
    check(&mut c, "7 payments to finished jobs", "SELECT count(*) = 7 AND bool_and(j.status = 'finished') FROM payments p JOIN jobs j ON j.id = p.job_id").await;
    check(&mut c, "12 notes against visits", "SELECT count(*) = 12 AND bool_and(visit_id IS NOT NULL AND job_id IS NULL) FROM notes").await;
    check(&mut c, "5 technicians based in Leeds, all with a bio", "SELECT (SELECT count(*) FROM technicians) = 5 AND (SELECT count(*) FILTER (WHERE home_city = 'Leeds' AND bio IS NOT NULL) FROM technician_profiles) = 5").await;
}

/// A key over a reference and a column of few values (`UNIQUE (depot_id,
/// slot_no)`, `slot_no BETWEEN 1 AND 3`) bounds each parent's rows: enough
/// parents are planned and the rows spread over them.
#[tokio::test]
async fn a_parent_holds_only_what_its_key_allows() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "20 parking slots", "SELECT (SELECT count(*) FROM parking_slots) = 20 AND (SELECT count(*) FROM depots) >= 7 AND (SELECT max(n) FROM (SELECT count(*) AS n FROM parking_slots GROUP BY depot_id) x) <= 3").await;
    check(&mut c, "12 parking slots, a quarter of them covered", "SELECT count(*) = 12 AND count(*) FILTER (WHERE covered) = 3 FROM parking_slots").await;
}

/// One row per parent when the parents' count is the only count, a verb
/// after a child's noun as its state, two values qualifying children, a
/// state a verb implied giving way to a share, measures glued to their unit.
#[tokio::test]
async fn counts_of_parents_states_of_children_and_implied_states() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "estimates for 10 jobs, 4 of them approved", "SELECT count(*) = 10 AND count(DISTINCT job_id) = 10 AND count(*) FILTER (WHERE status = 'approved') = 4 FROM estimates").await;
    check(&mut c, "4 contracts with 3 technicians signed up to each", "SELECT (SELECT count(*) FROM contracts) = 4 AND (SELECT count(*) = 12 AND bool_and(status = 'signed_up') FROM contract_technicians)").await;
    check(&mut c, "3 customers, each with one upheld complaint", "SELECT count(*) = 3 AND count(DISTINCT customer_id) = 3 AND bool_and(status = 'upheld' AND closed_at IS NOT NULL) FROM complaints").await;
    check(&mut c, "20 estimates sent last week, a quarter of them declined", "SELECT count(*) = 20 AND count(*) FILTER (WHERE status = 'declined') = 5 AND count(*) FILTER (WHERE status = 'sent') = 15 FROM estimates").await;
    check(&mut c, "6 contracts on 24-month terms", "SELECT count(*) = 6 AND bool_and(term_months = 24) FROM contracts").await;
    check(&mut c, "8 complaints marked upheld", "SELECT count(*) = 8 AND bool_and(status = 'upheld') FROM complaints").await;
}

/// Parents named by a code or label: through a junction (`tagged
/// "warranty"` links every row to the one tag of that name), and one of two
/// references to the same table by direction (`from LDS to HUL`).
#[tokio::test]
async fn labels_through_a_junction_and_by_direction() {
    let db = db().await;
    let mut c = conn(&db).await;
    // Two references to one table, told apart by the direction in their names.
    check(&mut c, "5 van transfers from LDS to HUL", "SELECT count(*) = 5 AND bool_and(f.code = 'LDS' AND t.code = 'HUL') FROM van_transfers v JOIN depots f ON f.id = v.from_depot_id JOIN depots t ON t.id = v.to_depot_id").await;
    check(&mut c, "8 jobs tagged \"warranty\"", "SELECT (SELECT count(*) FROM jobs) = 8 AND (SELECT count(*) FROM tags WHERE name = 'warranty') = 1 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE NOT EXISTS (SELECT 1 FROM job_tags jt JOIN tags t ON t.id = jt.tag_id WHERE jt.job_id = j.id AND t.name = 'warranty'))").await;
}

/// Children named after a colon need a column to hold the names: an error
/// that says so and how to fix it.
#[tokio::test]
async fn named_children_without_a_name_column_are_refused() {
    let db = db().await;
    let mut c = conn(&db).await;
    let e = seedfast_test::seed(&mut c, "a depot with three vans: Alpha, Beta and Gamma", seedfast_test::SeedOptions::default()).await.expect_err("vans have no name column");
    let text = e.to_string();
    assert!(text.contains("`vans` has no name or code column to hold the listed names"), "{text}");
    assert!(text.contains("add a `name` column, or drop the names"), "{text}");
}
