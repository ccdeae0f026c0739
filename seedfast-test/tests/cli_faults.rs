//! Exit codes and messages of the `seedfast` CLI when the input or the
//! server is hostile: constraints no order can meet, a URL of another
//! database, a statement the server rejects mid-COPY, a server that goes
//! away while seeding.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use seedfast_test::backend::{LocalOptions, LocalServer};
use sqlx::{Connection, PgConnection};
use support::{conn, count, database_with_sql};

fn seedfast(env: &[(&str, &str)], args: &[&str]) -> Output {
    command(env, args).output().expect("run seedfast")
}

fn command(env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedfast"));
    cmd.env_remove("SEEDFAST_DSN")
        .env_remove("DATABASE_URL")
        .env_remove("SEEDFAST_SCALE")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn a_cycle_of_not_null_non_deferrable_keys_is_unsatisfiable_exit_4() {
    // Every employee has a department and every department a head.
    let db = database_with_sql(
        "cycle",
        &["CREATE TABLE departments (id serial PRIMARY KEY, name text NOT NULL, head_id int NOT NULL);
           CREATE TABLE employees (id serial PRIMARY KEY, name text NOT NULL, department_id int NOT NULL REFERENCES departments (id));
           ALTER TABLE departments ADD CONSTRAINT departments_head_fk FOREIGN KEY (head_id) REFERENCES employees (id);"
            .into()],
    )
    .await;
    let out = seedfast(
        &[("SEEDFAST_DSN", db.url())],
        &["seed", "--scope", "10 employees"],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: cannot satisfy foreign key departments_head_fk on departments.head_id"
        ),
        "{err}"
    );
    assert!(
        err.contains("form a cycle of NOT NULL, non-deferrable keys"),
        "{err}"
    );
    assert!(
        err.contains("help: make one key in the cycle DEFERRABLE or nullable"),
        "{err}"
    );
}

#[test]
fn a_url_of_another_database_is_a_usage_error_exit_2() {
    for (command, var) in [("seed", "SEEDFAST_DSN"), ("seed-all", "SEEDFAST_DSN_USERS")] {
        let project = support::repo().join("examples/ecommerce/seedfast.toml");
        let project = project.to_str().unwrap();
        let args: Vec<&str> = match command {
            "seed" => vec!["seed", "--scope", "10 users"],
            _ => vec![
                "seed-all",
                "--project",
                project,
                "--scope",
                "users=10 users",
            ],
        };
        let out = seedfast(&[(var, "mysql://app:hunter2@127.0.0.1:3306/users")], &args);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("`mysql://` is not a PostgreSQL URL (seedfast seeds PostgreSQL only)"),
            "{command}: {err}"
        );
        assert!(
            err.contains("mysql://app:***@127.0.0.1:3306/users"),
            "{command}: {err}"
        );
        assert!(!err.contains("hunter2"), "password leaked: {err}");
    }
}

#[tokio::test]
async fn a_rejected_row_is_named_by_its_table_and_row_not_the_servers_source_line() {
    // A business rule only the database knows: the third ticket is refused.
    let db = database_with_sql(
        "rejected",
        &["CREATE TABLE tickets (id serial PRIMARY KEY, subject text NOT NULL);
           CREATE FUNCTION tickets_quota() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF NEW.id > 2 THEN
               RAISE EXCEPTION 'ticket quota exceeded' USING DETAIL = 'the free plan allows 2 tickets', HINT = 'upgrade the plan';
             END IF;
             RETURN NEW;
           END $$;
           CREATE TRIGGER tickets_quota BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_quota();"
            .into()],
    )
    .await;
    let out = seedfast(
        &[("SEEDFAST_DSN", db.url())],
        &["seed", "--scope", "5 tickets"],
    );
    assert_eq!(out.status.code(), Some(6), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: writing 5 rows into tickets: trigger `tickets_quota` (function `tickets_quota`) raised: ticket quota exceeded (row 3)"),
        "{err}"
    );
    assert!(
        err.contains("detail: the free plan allows 2 tickets")
            && err.contains("help: upgrade the plan"),
        "{err}"
    );
    assert!(
        !err.contains(" at line "),
        "the server's C source line means nothing to a user: {err}"
    );
    let mut c = conn(&db).await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM tickets").await, 0);
}

#[tokio::test]
async fn a_server_lost_while_generating_is_unreachable_exit_5_within_seconds() {
    let server = LocalServer::start_with(LocalOptions::default())
        .await
        .expect("a local server of our own");
    let mut admin = PgConnection::connect(&server.url_for("postgres"))
        .await
        .unwrap();
    sqlx::raw_sql("CREATE DATABASE shop")
        .execute(&mut admin)
        .await
        .unwrap();
    let url = server.url_for("shop");
    let mut shop = PgConnection::connect(&url).await.unwrap();
    let users = support::sql_files(&support::migrations("users"));
    for sql in users {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut shop)
            .await
            .unwrap();
    }
    shop.close().await.unwrap();

    // Long enough to generate that the server is surely gone before the first write.
    let mut child = command(
        &[("SEEDFAST_DSN", &url)],
        &[
            "seed",
            "--scope",
            "300000 users with 1-3 addresses per user",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    // The seed transaction sits idle while rows are generated.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = 'shop' AND state = 'idle in transaction'")
            .fetch_one(&mut admin)
            .await
            .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline && child.try_wait().unwrap().is_none(),
            "the seed never started generating"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(admin);
    drop(server);
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if stopped.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("seedfast did not notice the lost server within a minute");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let noticed = stopped.elapsed();
    let out = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(5), "{}", stderr(&out));
    let err = stderr(&out);
    // Lost while generating, or between the seed's reads just before: either way, at once.
    assert!(err.starts_with("error: ") && err.contains(": the connection to the server was lost"), "{err}");
    assert!(err.contains("nothing was committed"), "{err}");
    assert!(
        noticed < Duration::from_secs(5),
        "noticed only after {noticed:?}"
    );
}

#[tokio::test]
async fn a_connection_the_server_terminated_is_reported_as_lost() {
    let db = support::service_db("users").await;
    let mut victim = conn(&db).await;
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut victim)
        .await
        .unwrap();
    let mut admin = conn(&db).await;
    let _: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    let err = seedfast_test::seed(
        &mut victim,
        "10 users",
        seedfast_test::SeedOptions::default(),
    )
    .await
    .expect_err("a terminated connection");
    assert!(err.is_connection_lost(), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("the connection to the server was lost")
            && msg.contains("nothing was committed"),
        "{msg}"
    );
    assert_eq!(count(&mut admin, "SELECT count(*) FROM users").await, 0);
}
