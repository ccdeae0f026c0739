// Compiled with SEEDFAST_PROJECT naming tests/ui/broken.toml (see
// tests/macro_ui.rs): a relative `project = "..."` would be resolved from
// trybuild's own crate under target/, not from this directory.
use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(users = "10 users")]
async fn signup(users: ServiceDb) {
    let _ = users;
}

fn main() {}
