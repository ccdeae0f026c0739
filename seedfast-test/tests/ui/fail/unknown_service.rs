use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(user = "10 users")]
async fn signup(user: ServiceDb) {
    let _ = user;
}

fn main() {}
