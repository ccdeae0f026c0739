// trybuild builds binaries, which drop `#[test]` functions and so leave
// the import unused; tests/macro_ui.rs type-checks the same expansions.
#[allow(unused_imports)]
use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(orders = "5 orders")]
async fn orders_are_seeded(orders: ServiceDb) -> Result<(), seedfast_test::Error> {
    let _ = orders.pool();
    Ok(())
}

fn main() {}
