//! Scopes in the words people use, on a plant and community schema
//! (tests/schemas/words_plant.sql, issue 8): rows under rows of the same
//! table, counted groups that keep their values together, values by stem,
//! code or column name, organisations named alone, relative and seasonal
//! times, everyday adjectives. Each sentence is seeded alone into a real
//! Postgres and its rows checked; `now` is 2026-01-01T00:00:00Z.

mod support;

use sqlx::PgConnection;
use support::{conn, database_with_sql, refused, yes};

const SCHEMA: &str = include_str!("schemas/words_plant.sql");

async fn db() -> seedfast_test::backend::TempDatabase {
    database_with_sql("words_plant", &[SCHEMA.to_string()]).await
}

async fn check(c: &mut PgConnection, scope: &str, sql: &str) {
    support::seed_alone(c, "sites, staff, machines, parts, work_orders, inspections, categories, threads, comments, customers, invoices, trainings, machine_crews, equipment, open_days, memberships", scope).await;
    assert!(yes(c, sql).await, "`{scope}` seeded rows that fail `{sql}`");
}

/// `with 5 replies`, `with 5 operators reporting to each`, `each followed up
/// by a repair order`: rows under the rows asked for through the table's own
/// key, each group with its own values, children on their root's thread.
#[tokio::test]
async fn rows_under_rows_of_the_same_table() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "one comment with 5 replies", "SELECT count(*) = 6 AND count(*) FILTER (WHERE parent_comment_id IS NULL) = 1 AND count(DISTINCT thread_id) = 1 FROM comments").await;
    check(&mut c, "2 supervisors with 5 operators reporting to each", "SELECT count(*) = 12 AND count(*) FILTER (WHERE role = 'supervisor' AND supervisor_id IS NULL) = 2 AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.role = 'supervisor' AND (SELECT count(*) FROM staff o WHERE o.supervisor_id = s.id AND o.role = 'operator') <> 5) FROM staff").await;
    check(&mut c, "a supervisor supervising 4 inspectors", "SELECT count(*) = 5 AND count(*) FILTER (WHERE role = 'inspector' AND supervisor_id IS NOT NULL) = 4 FROM staff").await;
    check(&mut c, "4 inspection orders, each followed up by a repair order", "SELECT count(*) FILTER (WHERE kind = 'inspection' AND follow_up_of_id IS NULL) = 4 AND (SELECT count(*) FROM work_orders r JOIN work_orders i ON i.id = r.follow_up_of_id WHERE r.kind = 'repair' AND i.kind = 'inspection') = 4 FROM work_orders").await;
    check(&mut c, "3 categories with 2 subcategories each", "SELECT count(*) = 9 AND count(*) FILTER (WHERE parent_id IS NULL) = 3 AND NOT EXISTS (SELECT 1 FROM categories p WHERE p.parent_id IS NULL AND (SELECT count(*) FROM categories k WHERE k.parent_id = p.id) <> 2) FROM categories").await;
    check(&mut c, "a supervisor named Ana Torres with 3 direct reports", "SELECT count(*) = 4 AND count(*) FILTER (WHERE first_name = 'Ana' AND last_name = 'Torres') = 1 AND count(*) FILTER (WHERE supervisor_id IS NOT NULL) = 3 FROM staff").await;
}

/// `a retired lathe and 4 idle presses`: each counted group keeps both of
/// its values; `3 archived ... and 2 on hold` adds rows of another value.
#[tokio::test]
async fn counted_groups_keep_their_values_together() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "a retired lathe and 4 idle presses", "SELECT count(*) = 5 AND count(*) FILTER (WHERE machine_type = 'lathe' AND status = 'retired' AND retired_at IS NOT NULL) = 1 AND count(*) FILTER (WHERE machine_type = 'press' AND status = 'idle') = 4 FROM machines").await;
    check(&mut c, "3 planned work orders and 2 in progress", "SELECT count(*) = 5 AND count(*) FILTER (WHERE status = 'planned') = 3 AND count(*) FILTER (WHERE status = 'in_progress') = 2 FROM work_orders").await;
    check(&mut c, "a site with 12 machines, 3 of them retired", "SELECT count(*) = 12 AND count(*) FILTER (WHERE status = 'retired') = 3 FROM machines").await;
    check(&mut c, "6 customers with 2 invoices each, one paid and one still issued", "SELECT bool_and(n = 2 AND p = 1 AND i = 1) FROM (SELECT count(*) n, count(*) FILTER (WHERE status = 'paid') p, count(*) FILTER (WHERE status = 'issued') i FROM invoices GROUP BY customer_id) x").await;
}

/// Values written as people say them: by stem (`passing`, `inspectors`,
/// a role of people rather than of the link table `machine_crews`),
/// with the column's name first (`grade A`, `priority-1`), ending in the
/// table's noun, glued with a dash (`in-progress`), by a code's first letter
/// (`female`).
#[tokio::test]
async fn values_by_stem_code_or_column_name() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "30 inspections, 80% passing and the rest failed", "SELECT count(*) FILTER (WHERE result = 'pass') = 24 AND count(*) FILTER (WHERE result = 'fail') = 6 FROM inspections").await;
    check(&mut c, "6 inspectors", "SELECT count(*) = 6 AND bool_and(role = 'inspector') FROM staff").await;
    check(&mut c, "12 grade A parts weighing between 5 and 20 kg", "SELECT count(*) = 12 AND bool_and(grade = 'A' AND weight_kg BETWEEN 5 AND 20) FROM parts").await;
    check(&mut c, "7 planned priority-1 work orders", "SELECT count(*) = 7 AND bool_and(priority = 1) FROM work_orders").await;
    check(&mut c, "5 in-progress work orders", "SELECT count(*) = 5 AND bool_and(status = 'in_progress') FROM work_orders").await;
    check(&mut c, "6 female and 4 male operators", "SELECT count(*) = 10 AND count(*) FILTER (WHERE sex = 'F') = 6 AND count(*) FILTER (WHERE sex = 'M') = 4 FROM staff").await;
    check(&mut c, "8 flagged comments", "SELECT count(*) = 8 AND bool_and(status = 'flagged') FROM comments").await;
    check(&mut c, "5 free trainings", "SELECT count(*) = 5 AND bool_and(fee = 0) FROM trainings").await;
    check(&mut c, "9 anonymous comments", "SELECT count(*) = 9 AND bool_and(staff_id IS NULL) FROM comments").await;
}

/// Parents and places by name: an organisation named alone after `at`, a
/// code in the code column, a country in its ISO column, a name's own `The`.
#[tokio::test]
async fn organisations_codes_and_countries() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "5 machines at Riverside Metal Works", "SELECT count(*) = 5 AND bool_and(s.name = 'Riverside Metal Works') FROM machines m JOIN sites s ON s.id = m.site_id").await;
    check(&mut c, "10 work orders for part BR-1001", "SELECT count(*) = 10 AND bool_and(p.part_number = 'BR-1001') FROM work_orders w JOIN parts p ON p.id = w.part_id").await;
    check(&mut c, "4 sites in Germany", "SELECT count(*) = 4 AND bool_and(country = 'DE') FROM sites").await;
    check(&mut c, "8 sites, 25% in Germany and the rest in France", "SELECT count(*) FILTER (WHERE country = 'DE') = 2 AND count(*) FILTER (WHERE country = 'FR') = 6 FROM sites").await;
    check(&mut c, "a site called The Foundry in Leeds", "SELECT count(*) = 1 AND bool_and(name = 'The Foundry' AND city = 'Leeds') FROM sites").await;
    check(&mut c, "a site called Smith v. Jones", "SELECT bool_and(name = 'Smith v. Jones') FROM sites").await;
    check(&mut c, "a site called Bloom & Co", "SELECT bool_and(name = 'Bloom & Co') FROM sites").await;
}

/// Times as people give them: `more than 90 days ago`, `last active ...`,
/// `scheduled to go out on ...`, `from before ...`, an outstanding state
/// for `overdue`.
#[tokio::test]
async fn relative_times_and_overdue_states() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "6 operators last active more than 90 days ago", "SELECT count(*) = 6 AND bool_and(last_active_at < '2025-10-03') FROM staff").await;
    check(&mut c, "4 trainings scheduled to take place on 5 January 2026", "SELECT count(*) = 4 AND bool_and(scheduled_for >= '2026-01-05' AND scheduled_for < '2026-01-06') FROM trainings").await;
    check(&mut c, "5 work orders opened from before December 2025", "SELECT count(*) = 5 AND bool_and(opened_at < '2025-12-01') FROM work_orders").await;
    check(&mut c, "7 work orders opened 3 days ago", "SELECT count(*) = 7 AND bool_and(opened_at >= '2025-12-29' AND opened_at < '2025-12-30') FROM work_orders").await;
    check(&mut c, "5 invoices that are already past due", "SELECT count(*) = 5 AND bool_and(status = 'issued' AND due_on < '2026-01-01' AND paid_at IS NULL) FROM invoices").await;
    check(&mut c, "10 trainings, none held yet", "SELECT count(*) = 10 AND count(*) FILTER (WHERE status = 'held') = 0 FROM trainings").await;
    check(&mut c, "10 overdue invoices", "SELECT count(*) = 10 AND bool_and(status = 'issued' AND due_on < '2026-01-01' AND paid_at IS NULL) FROM invoices").await;
    check(&mut c, "20 staff, a quarter of whom have never logged in", "SELECT count(*) FILTER (WHERE last_login_at IS NULL) = 5 AND count(*) = 20 FROM staff").await;
}

/// Clauses people chain: shares after a colon, `the paid ones ...` about the
/// rows in a state, a parent by label then noun before another clause,
/// parents in a state or any parent after `with`, `not linked to any`,
/// `priced at`, `each co-written by`.
#[tokio::test]
async fn chained_clauses() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "100 inspections in the last 30 days: 70% pass, 20% fail and the rest rework", "SELECT count(*) FILTER (WHERE result = 'pass') = 70 AND count(*) FILTER (WHERE result = 'rework') = 10 AND bool_and(inspected_at >= '2025-12-02') FROM inspections").await;
    check(&mut c, "12 work orders, 9 planned and 3 done during 2025", "SELECT count(*) FILTER (WHERE status = 'planned') = 9 AND count(*) FILTER (WHERE status = 'done' AND done_at >= '2025-01-01' AND done_at < '2026-01-01') = 3 FROM work_orders").await;
    check(&mut c, "10 invoices: 5 issued and 5 paid, the paid ones paid in the last 30 days", "SELECT count(*) FILTER (WHERE status = 'issued' AND paid_at IS NULL) = 5 AND count(*) FILTER (WHERE status = 'paid' AND paid_at >= '2025-12-02') = 5 FROM invoices").await;
    check(&mut c, "10 work orders for the Hydraulic Pump part opened in the last 7 days", "SELECT count(*) = 10 AND bool_and(p.name = 'Hydraulic Pump' AND w.opened_at >= '2025-12-25') FROM work_orders w JOIN parts p ON p.id = w.part_id").await;
    check(&mut c, "6 work orders with retired machines", "SELECT count(*) = 6 AND bool_and(m.status = 'retired') FROM work_orders w JOIN machines m ON m.id = w.machine_id").await;
    check(&mut c, "5 work orders with parts", "SELECT count(*) = 5 AND bool_and(part_id IS NOT NULL) FROM work_orders").await;
    check(&mut c, "8 comments not linked to any staff", "SELECT count(*) = 8 AND bool_and(staff_id IS NULL) FROM comments").await;
    check(&mut c, "6 trainings priced at $50", "SELECT count(*) = 6 AND bool_and(fee = 50) FROM trainings").await;
    check(&mut c, "4 trainings costing between $20 and $60 a session", "SELECT count(*) = 4 AND bool_and(fee BETWEEN 20 AND 60) FROM trainings").await;
    check(&mut c, "3 trainings charging $30 a head", "SELECT count(*) = 3 AND bool_and(fee = 30) FROM trainings").await;
    check(&mut c, "5 parts sold at $2 to $5 per kg", "SELECT count(*) = 5 AND bool_and(price_per_kg BETWEEN 2 AND 5) FROM parts").await;
    check(&mut c, "4 machines, each co-inspected by 2 different inspections", "SELECT count(*) = 8 AND count(DISTINCT machine_id) = 4 FROM inspections").await;
    check(&mut c, "4 machines, each worked by a crew of 3 staff", "SELECT count(*) = 12 AND count(DISTINCT machine_id) = 4 FROM machine_crews").await;
    check(&mut c, "5 pieces of equipment under repair", "SELECT count(*) = 5 AND bool_and(status = 'under_repair') FROM equipment").await;
    check(&mut c, "an open day for Maya & Leo in Lisbon", "SELECT count(*) = 1 AND bool_and(couple_name = 'Maya & Leo' AND city = 'Lisbon') FROM open_days").await;
    check(&mut c, "a training with a $40 fee", "SELECT count(*) = 1 AND bool_and(fee = 40) FROM trainings").await;
}

/// What real schemas add: a partial unique index (one active membership per
/// customer) keeps the shares asked for and takes more customers instead; a
/// CHECK that a date is a month's first day is met.
#[tokio::test]
async fn partial_uniques_keep_asked_states_and_month_starts() {
    let db = db().await;
    let mut c = conn(&db).await;
    check(&mut c, "30 memberships, 20% cancelled and the rest active", "SELECT count(*) FILTER (WHERE status = 'cancelled') = 6 AND count(*) FILTER (WHERE status = 'active') = 24 AND count(DISTINCT customer_id) FILTER (WHERE status = 'active') = 24 AND bool_and(extract(day FROM starts_on) = 1) FROM memberships").await;
}

/// A table that refers to itself in two ways needs the words to say which.
#[tokio::test]
async fn rows_under_rows_refused_with_a_reason() {
    let db = db().await;
    let mut c = conn(&db).await;
    let message = refused(&mut c, "a planner with 3 other staff").await;
    assert!(message.contains("which of `staff`'s references to itself do `other staff` use?"), "{message}");
    assert!(message.contains("`supervisor_id`") && message.contains("`mentor_id`"), "{message}");
}
