//! A `#[seeded_test]` whose databases cannot be prepared fails at the test,
//! not inside the harness, with the test's path first in the message.

mod support;

use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(
    project = "../examples/ecommerce/seedfast.toml",
    users = "20 users",
    orders = "30 orders for user IDs 1-50"
)]
#[ignore = "run in a child process by `a_failed_seed_panics_at_the_test_with_its_path_first`"]
async fn seeding_fails_here(users: ServiceDb, orders: ServiceDb) {
    let _ = (users, orders);
}

#[test]
fn a_failed_seed_panics_at_the_test_with_its_path_first() {
    if support::is_child() {
        return;
    }
    let out = support::child("seeding_fails_here", &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    let panicked = stderr
        .lines()
        .find(|l| l.contains("panicked at"))
        .unwrap_or_else(|| panic!("no panic line:\n{stderr}"));
    assert!(
        panicked.contains("seedfast-test/tests/harness_panics.rs:"),
        "the location is the test's: {panicked}"
    );
    let message = stderr
        .lines()
        .skip_while(|l| !l.contains("panicked at"))
        .nth(1)
        .unwrap_or_default();
    assert!(
        panicked.contains("harness_panics.rs:8:"),
        "at the attribute of the test: {panicked}"
    );
    assert!(
        message.starts_with("harness_panics::seeding_fails_here: seedfast could not prepare its databases: seeding service `orders`: contract orders.orders.user_id -> users.users.id: 30 of the 50 IDs"),
        "{message}\n{stderr}"
    );
}

/// A range far wider than the upstream rows is compared without being
/// listed out, and the message still names the first missing IDs.
#[seeded_test(project = "../examples/ecommerce/seedfast.toml", users = "20 users", orders = "30 orders for user IDs 1-1000000000000")]
#[should_panic(
    expected = "999999999980 of the 1000000000000 IDs the scope names are not among the 20 `id` values service `users` generated (e.g. 21, 22, 23, 24, 25)"
)]
async fn a_trillion_wide_range_against_upstream_rows_is_checked_without_listing_it(users: ServiceDb, orders: ServiceDb) {
    let _ = (users, orders);
}
