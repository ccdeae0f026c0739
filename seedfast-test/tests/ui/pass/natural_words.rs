// Scopes in everyday words pass the compile-time check: it only parses, and
// what depends on the schema is resolved (with the same messages) at run time.
#[allow(unused_imports)]
use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(
    users = "a dozen users, each with a home and a work address",
    orders = "20 orders placed in the last 3 days, 30% of them shipped and the rest paid, priced under $50"
)]
async fn everyday_words(users: ServiceDb, orders: ServiceDb) {
    let _ = (users.pool(), orders.pool());
}

fn main() {}
