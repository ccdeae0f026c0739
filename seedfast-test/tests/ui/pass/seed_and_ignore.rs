// trybuild builds binaries, which drop `#[test]` functions and so leave
// the import unused; tests/macro_ui.rs type-checks the same expansions.
#[allow(unused_imports)]
use seedfast_test::{ServiceDb, seeded_test};

/// Other attributes stay on the generated test.
#[seeded_test(users = "10 users", seed = 7)]
#[ignore = "needs a slow backend"]
async fn same_seed_same_rows(users: ServiceDb) {
    let _ = users.pool();
}

fn main() {}
