use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(project = "no/such/seedfast.toml", users = "10 users")]
async fn signup(users: ServiceDb) {
    let _ = users;
}

fn main() {}
