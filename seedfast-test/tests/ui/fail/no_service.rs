use seedfast_test::seeded_test;

#[seeded_test]
async fn signup() {}

fn main() {}
