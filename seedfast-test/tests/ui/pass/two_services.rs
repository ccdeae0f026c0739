// trybuild builds binaries, which drop `#[test]` functions and so leave
// the import unused; tests/macro_ui.rs type-checks the same expansions.
#[allow(unused_imports)]
use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(users = "10 users with addresses", products = "20 products")]
async fn checkout_flow(users: ServiceDb, products: ServiceDb) {
    let _ = (users.pool(), products.pool());
}

fn main() {}
