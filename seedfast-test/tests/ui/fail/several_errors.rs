// Every mistake is reported in one build, each at its own token.
use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(user = "10 users", products = "20 products with", products = "5 products")]
fn checkout(user: ServiceDb, orders: ServiceDb) {
    let _ = (user, orders);
}

fn main() {}
