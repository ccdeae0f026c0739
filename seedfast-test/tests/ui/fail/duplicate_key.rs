use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(users = "10 users", users = "5 users")]
async fn signup(users: ServiceDb) {
    let _ = users;
}

fn main() {}
