//! What a user sees from `#[seeded_test]`: one mistake per file under
//! tests/ui/fail, each next to the `.stderr` the compiler prints, and the
//! accepted forms under tests/ui/pass.
//!
//! After a deliberate change to a message, regenerate the `.stderr` files
//! with `TRYBUILD=overwrite cargo test -p seedfast-test --test macro_ui`,
//! then read the diff.

use std::path::Path;

use seedfast_test::{ServiceDb, seeded_test};

#[test]
fn ui() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ui");
    // trybuild compiles the cases as a crate of its own under target/, so
    // `seedfast.toml` beside Cargo.toml would not be found: name the project
    // file by absolute path instead. trybuild's cargo inherits the
    // environment of this process.
    // SAFETY: the other tests of this binary are compile-only and ignored,
    // so no other thread reads the environment meanwhile.
    unsafe { std::env::set_var("SEEDFAST_PROJECT", ui.join("seedfast.toml")) };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
    drop(cases); // runs them

    // An invalid project file can only be named through the environment,
    // for the same reason.
    unsafe { std::env::set_var("SEEDFAST_PROJECT", ui.join("broken.toml")) };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/broken-project/*.rs");
    drop(cases);

    // A contract naming an unknown service is caught at compile time too.
    unsafe { std::env::set_var("SEEDFAST_PROJECT", ui.join("bad-contract.toml")) };
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/bad-contract/*.rs");
    drop(cases);
}

// trybuild builds its cases as binaries, where `#[test]` functions are
// removed before type checking: the pass cases prove the attribute is
// accepted, these prove the expansion compiles. Ignored because running them
// needs a database; `cargo test -- --ignored` runs them for real.
mod expansion_compiles {
    use super::*;

    #[seeded_test(project = "tests/ui/seedfast.toml", users = "10 users with addresses", products = "20 products")]
    #[ignore = "compile-only check of the #[seeded_test] expansion"]
    async fn with_two_services(users: ServiceDb, products: ServiceDb) {
        let _ = (users.pool(), products.pool());
    }

    #[seeded_test(project = "tests/ui/seedfast.toml", orders = "5 orders")]
    #[ignore = "compile-only check of the #[seeded_test] expansion"]
    async fn returning_result(orders: ServiceDb) -> Result<(), seedfast_test::Error> {
        let _ = orders.pool();
        Ok(())
    }

    /// A seeded service need not be a parameter.
    #[seeded_test(project = "tests/ui/seedfast.toml", users = "10 users", seed = 7)]
    #[ignore = "compile-only check of the #[seeded_test] expansion"]
    pub async fn with_a_seed_and_no_parameter() {}
}
