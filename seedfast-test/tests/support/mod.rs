//! Shared helpers for the integration tests: fresh databases on the
//! process's local Postgres, migrated from the example services.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use seedfast_test::backend::{Server, TempDatabase};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The migrations of one example service (`users`, `orders`, ...), or of
/// the event store (`event-store`).
pub fn migrations(service: &str) -> PathBuf {
    let eco = repo().join("examples/ecommerce").join(service).join("migrations");
    if eco.exists() { eco } else { repo().join("examples").join(service).join("migrations") }
}

/// A fresh database with the given SQL applied (files in name order).
pub async fn database_with_sql(label: &str, sql: &[String]) -> TempDatabase {
    let server = Server::local().await.expect("local postgres");
    let db = server.create_database(label, None).await.expect("create database");
    let mut conn = PgConnection::connect(db.url()).await.expect("connect");
    for s in sql {
        sqlx::raw_sql(AssertSqlSafe(s.clone())).execute(&mut conn).await.expect("apply schema");
    }
    conn.close().await.ok();
    db
}

pub fn sql_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).expect("migrations dir").map(|e| e.expect("entry").path()).collect();
    files.sort();
    files.iter().filter(|p| p.extension().is_some_and(|e| e == "sql")).map(|p| std::fs::read_to_string(p).expect("read sql")).collect()
}

/// A fresh database migrated like one example service.
pub async fn service_db(service: &str) -> TempDatabase {
    database_with_sql(service, &sql_files(&migrations(service))).await
}

pub async fn conn(db: &TempDatabase) -> PgConnection {
    PgConnection::connect(db.url()).await.expect("connect")
}

/// The error seeding `scope` gives; a seed that succeeds fails the test.
pub async fn refused(c: &mut PgConnection, scope: &str) -> String {
    match seedfast_test::seed(c, scope, seedfast_test::SeedOptions::default()).await {
        Ok(_) => panic!("`{scope}` should be refused"),
        Err(e) => e.to_string(),
    }
}

/// Seeds `scope` alone: `tables` are emptied first, so each check sees only
/// the rows of its own sentence.
pub async fn seed_alone(c: &mut PgConnection, tables: &str, scope: &str) {
    sqlx::raw_sql(AssertSqlSafe(format!("TRUNCATE {tables} RESTART IDENTITY CASCADE")))
        .execute(&mut *c)
        .await
        .expect("truncate");
    seedfast_test::seed(c, scope, seedfast_test::SeedOptions::default())
        .await
        .unwrap_or_else(|e| panic!("seeding `{scope}` failed: {e}"));
}

/// A one-boolean query's answer; NULL (as `bool_and` over no rows) is no.
pub async fn yes(c: &mut PgConnection, sql: &str) -> bool {
    sqlx::query_scalar::<_, Option<bool>>(AssertSqlSafe(sql.to_string()))
        .fetch_one(c)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .unwrap_or(false)
}

pub async fn count(conn: &mut PgConnection, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(conn).await.expect(sql)
}

/// Every row of every user table as text, tables in name order and rows in
/// text order: two databases with the same data give the same string.
pub async fn dump(db: &TempDatabase) -> String {
    let mut conn = conn(db).await;
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema::text, table_name::text FROM information_schema.tables
          WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
          ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut out = String::new();
    for (schema, table) in tables {
        let q = format!("SELECT t::text FROM \"{schema}\".\"{table}\" t ORDER BY 1");
        let rows: Vec<String> = sqlx::query_scalar(AssertSqlSafe(q)).fetch_all(&mut conn).await.expect("rows");
        out.push_str(&format!("-- {schema}.{table} ({} rows)\n", rows.len()));
        for r in rows {
            out.push_str(&r);
            out.push('\n');
        }
    }
    out
}

/// Runs this test binary again on one `#[ignore]`d child test, with
/// `SEEDFAST_TEST_CHILD` set so the parent tests in it stand aside.
pub fn child(test: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--ignored", "--nocapture", "--test-threads", "1"]).env(CHILD_ENV, "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run child test process")
}

pub const CHILD_ENV: &str = "SEEDFAST_TEST_CHILD";

pub fn is_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// An `@key=value` line a child printed (libtest may put `test name ... `
/// before the first one on the same line).
pub fn field(o: &std::process::Output, key: &str) -> Option<String> {
    String::from_utf8_lossy(&o.stdout).lines().find_map(|l| l.split_once(&format!("@{key}=")).map(|(_, v)| v.to_string()))
}

/// What `child` printed on stdout up to and including the first line that
/// holds `marker`, and whether one did (if not, the child ended first). The
/// child keeps running: for children that wait to be killed.
pub fn printed_until(child: &mut std::process::Child, marker: &str) -> (String, bool) {
    use std::io::BufRead;
    let mut printed = String::new();
    let Some(stdout) = child.stdout.take() else { return (printed, false) };
    for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
        printed.push_str(&line);
        printed.push('\n');
        if line.contains(marker) {
            return (printed, true);
        }
    }
    (printed, false)
}

/// A state dir of a parent test's own (`SEEDFAST_STATE_DIR`: its shared
/// servers and containers are its own), cleaned (`seedfast clean --all`) and
/// removed when dropped, so a failing test leaves nothing behind.
pub struct State(PathBuf);

impl State {
    /// `sf-<name>-<pid>` under `base`.
    pub fn new(base: &Path, name: &str) -> State {
        let dir = base.join(format!("sf-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        State(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn clean(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_seedfast")).arg("clean").args(args).env("SEEDFAST_STATE_DIR", &self.0).output().expect("run seedfast clean")
    }
}

impl Drop for State {
    fn drop(&mut self) {
        let _ = self.clean(&["--all"]);
        let _ = std::fs::remove_dir_all(&self.0);
        let _ = std::fs::remove_file(&self.0);
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn wait_for(what: &str, within: std::time::Duration, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + within;
    while !done() {
        assert!(std::time::Instant::now() < deadline, "{what} within {within:?}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// `cmd` run as a child that waits to be killed once its test has its
/// databases (`SEEDFAST_TEST_HANG`), with what it printed until then.
pub fn hang(mut cmd: std::process::Command) -> (std::process::Child, String) {
    let mut child = cmd.env("SEEDFAST_TEST_HANG", "1").stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap();
    match printed_until(&mut child, "@hang=") {
        (printed, true) => (child, printed),
        (printed, false) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child ended before its test ran:\n{printed}");
        }
    }
}

/// The `@key=` value in what a child printed.
pub fn printed(printed: &str, key: &str) -> String {
    printed.lines().find_map(|l| l.split_once(&format!("@{key}=")).map(|(_, v)| v.to_string())).unwrap_or_else(|| panic!("no @{key}= in {printed}"))
}
