use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(users = "10 users")]
async fn signup<T: Default>(users: ServiceDb) {
    let _ = (users, T::default());
}

fn main() {}
