//! 64 tests x 2 services at once, on whatever backend is selected
//! (`SEEDFAST_BACKEND`): every one gets its clones and passes. The parent
//! test runs this binary again with 64 test threads, since `cargo test`
//! runs only as many at once as there are cores.

mod support;

use seedfast_test::{ServiceDb, seeded_test};

macro_rules! parallel_tests {
    ($($name:ident)*) => {$(
        #[seeded_test(users = "10 users with addresses", products = "20 products")]
        #[ignore = "run 64 at once by `sixty_four_parallel_tests_all_get_their_databases`"]
        async fn $name(users: ServiceDb, products: ServiceDb) {
            // Each test writes to its own copies: the counts stay the template's.
            sqlx::query("INSERT INTO users (email, first_name, last_name) VALUES ($1, 'Par', 'Allel')")
                .bind(concat!(stringify!($name), "@example.com"))
                .execute(users.pool())
                .await
                .unwrap();
            let users_now: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(users.pool()).await.unwrap();
            assert_eq!(users_now, 11);
            let products_now: i64 = sqlx::query_scalar("SELECT count(*) FROM products").fetch_one(products.pool()).await.unwrap();
            assert_eq!(products_now, products.count("products") as i64);
            println!("@parallel-ok={}", stringify!($name));
        }
    )*};
}

parallel_tests!(parallel_01 parallel_02 parallel_03 parallel_04 parallel_05 parallel_06 parallel_07 parallel_08 parallel_09 parallel_10 parallel_11 parallel_12 parallel_13 parallel_14 parallel_15 parallel_16 parallel_17 parallel_18 parallel_19 parallel_20 parallel_21 parallel_22 parallel_23 parallel_24 parallel_25 parallel_26 parallel_27 parallel_28 parallel_29 parallel_30 parallel_31 parallel_32 parallel_33 parallel_34 parallel_35 parallel_36 parallel_37 parallel_38 parallel_39 parallel_40 parallel_41 parallel_42 parallel_43 parallel_44 parallel_45 parallel_46 parallel_47 parallel_48 parallel_49 parallel_50 parallel_51 parallel_52 parallel_53 parallel_54 parallel_55 parallel_56 parallel_57 parallel_58 parallel_59 parallel_60 parallel_61 parallel_62 parallel_63 parallel_64);

#[test]
fn sixty_four_parallel_tests_all_get_their_databases() {
    if support::is_child() {
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "parallel_",
            "--ignored",
            "--test-threads",
            "64",
            "--nocapture",
        ])
        .env(support::CHILD_ENV, "1")
        .output()
        .expect("run the 64 tests");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let passed = stdout.matches("@parallel-ok=").count();
    assert!(
        out.status.success() && passed == 64,
        "{passed} of 64 passed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("test result: ok. 64 passed"), "{stdout}");
}
