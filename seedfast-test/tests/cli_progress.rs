//! `seedfast seed` shows progress on a terminal, and nothing extra when
//! stderr is not one or the output is JSON. The terminal is a real
//! pseudo-terminal, from util-linux's `script`.

mod support;

use std::process::Command;

use support::service_db;

/// Runs `seedfast seed` on a pseudo-terminal; returns everything it drew
/// (stdout and stderr share the terminal).
fn on_terminal(dsn: &str, args: &str) -> Option<String> {
    let command = format!("{} seed {args}", env!("CARGO_BIN_EXE_seedfast"));
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("SEEDFAST_DSN", dsn)
        // A terminal has a type; without one (`env -i`, some CI runners)
        // the progress crate treats it as dumb and draws nothing.
        .env("TERM", "xterm")
        .env_remove("SEEDFAST_SCALE")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn a_terminal_shows_rows_per_table_as_they_are_written() {
    let db = service_db("users").await;
    let Some(drawn) = on_terminal(
        db.url(),
        "--scope '20000 users with 1-3 addresses per user'",
    ) else {
        println!("skipped: util-linux `script` is not installed");
        return;
    };
    assert!(
        drawn.contains("generating rows for users, addresses"),
        "{drawn}"
    );
    // A bar per table, its name padded as the prefix: `users            ███░░░  2087/20000 rows`.
    assert!(
        drawn.contains(&format!("{:<16} ", "users")) && drawn.contains("/20000 rows"),
        "a bar for users: {drawn}"
    );
    assert!(
        drawn.contains(&format!("{:<16} ", "addresses")),
        "a bar for addresses: {drawn}"
    );
    assert!(drawn.contains("total "), "the report follows: {drawn}");

    let db = service_db("users").await;
    let drawn = on_terminal(db.url(), "--output json --scope '20000 users'").unwrap();
    assert!(
        !drawn.contains("generating") && !drawn.contains("/20000 rows"),
        "JSON output draws nothing else: {drawn}"
    );
    let json: serde_json::Value = serde_json::from_str(drawn.trim()).expect("only the JSON report");
    assert_eq!(json["tables"][0]["rows"], 20000);
}

#[tokio::test]
async fn without_a_terminal_only_the_report_is_printed() {
    let db = service_db("users").await;
    let out = Command::new(env!("CARGO_BIN_EXE_seedfast"))
        .args(["seed", "--scope", "2000 users with addresses"])
        .env("SEEDFAST_DSN", db.url())
        .env_remove("SEEDFAST_SCALE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("generating") && !stdout.contains('\u{1b}'),
        "{stdout}"
    );
}
