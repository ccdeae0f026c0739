use seedfast_test::{ServiceDb, seeded_test};

#[seeded_test(orders = "10 orders")]
async fn orders_only(orders: ServiceDb) {
    let _ = orders;
}

fn main() {}
