use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(users = "10 users")]
async fn checkout(users: ServiceDb, orders: ServiceDb) {
    let _ = (users, orders);
}

fn main() {}
