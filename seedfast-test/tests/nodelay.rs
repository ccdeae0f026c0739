//! A seed over TCP turns Nagle's algorithm off on its socket: without it,
//! every table's COPY waited ~40 ms for a delayed ACK (see write/nodelay.rs).
//! Its own test binary, so no other test opens sockets meanwhile.

mod support;

use seedfast_test::write::tcp_nodelay_everywhere;
use seedfast_test::{SeedOptions, seed};
use support::{conn, database_with_sql};

#[tokio::test]
async fn a_seed_over_tcp_leaves_no_socket_with_nagle_on() {
    let db = database_with_sql("nodelay", &["CREATE TABLE a (id serial PRIMARY KEY, name text NOT NULL); CREATE TABLE b (id serial PRIMARY KEY, a_id int NOT NULL REFERENCES a)".into()]).await;
    assert!(db.url().contains("@127.0.0.1:"), "the local backend connects over TCP: {}", db.display_url());
    let mut c = conn(&db).await;
    seed(&mut c, "20 bs", SeedOptions::default()).await.unwrap();
    assert_eq!(tcp_nodelay_everywhere(), 0, "the seed left a TCP socket with Nagle's algorithm on");
}
