use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(users = "10 users")]
#[tokio::test]
async fn signup(users: ServiceDb) {
    let _ = users;
}

fn main() {}
