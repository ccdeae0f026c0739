//! Same schema + scope + seed gives byte-identical data, on every run and
//! machine; another seed gives other data. A golden file pins the exact
//! rows, so any change to generation shows up in review.
//! Regenerate it deliberately with `SEEDFAST_BLESS=1 cargo test --test determinism`.

mod support;

use seedfast_test::{SeedOptions, seed};
use support::{conn, dump, service_db};

async fn seeded_dump(service: &str, scope: &str, options: SeedOptions) -> String {
    let db = service_db(service).await;
    let mut c = conn(&db).await;
    seed(&mut c, scope, options).await.unwrap();
    dump(&db).await
}

#[tokio::test]
async fn same_seed_gives_identical_databases() {
    let scope = "10 users with addresses";
    let a = seeded_dump("users", scope, SeedOptions::default()).await;
    let b = seeded_dump("users", scope, SeedOptions::default()).await;
    assert!(a.contains("users (10 rows)"), "{a}");
    assert_eq!(a, b);
}

#[tokio::test]
async fn another_seed_gives_other_data() {
    let scope = "10 users with addresses";
    let a = seeded_dump("users", scope, SeedOptions::default()).await;
    let b = seeded_dump("users", scope, SeedOptions { seed: 43, ..SeedOptions::default() }).await;
    assert_ne!(a, b);
}

#[tokio::test]
async fn now_shifts_time_windows_only() {
    let scope = "20 orders for user IDs 1-5, across the last 3 months";
    let base = SeedOptions::default();
    let later = SeedOptions { now: base.now + chrono::Duration::days(30), ..base };
    let a = seeded_dump("orders", scope, base).await;
    let b = seeded_dump("orders", scope, later).await;
    assert_ne!(a, b, "timestamps follow `now`");
    let strip = |d: &str| d.lines().map(|l| l.split(",20").next().unwrap_or(l).to_string()).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(&a).lines().count(), strip(&b).lines().count());
}

#[tokio::test]
async fn golden_output_is_pinned_byte_for_byte() {
    let got = seeded_dump("users", "3 users with profiles and addresses", SeedOptions { seed: 7, ..SeedOptions::default() }).await;
    let path = support::repo().join("seedfast-test/tests/golden/three_users_seed_7.txt");
    if std::env::var_os("SEEDFAST_BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("golden file; create it with SEEDFAST_BLESS=1");
    assert_eq!(got, want, "generation changed; if on purpose, re-bless with SEEDFAST_BLESS=1");
}
