//! `seedfast plan`: the plan printed for a scope, in plain text and JSON,
//! against a real database, which is left untouched.

mod support;

use std::process::{Command, Output};

use support::{conn, count, database_with_sql};

const SCHEMA: &str = include_str!("schemas/words_helpdesk.sql");

fn seedfast(env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedfast"));
    cmd.env_remove("SEEDFAST_DSN")
        .env_remove("DATABASE_URL")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run seedfast")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn plain_plan_lists_tables_and_every_phrase() {
    let db = database_with_sql("plan", &[SCHEMA.to_string()]).await;
    let scope = "20 customers with 1-3 orders each, every order with 1-5 lines, 30% of them paid and the rest placed";
    let out = seedfast(&[("SEEDFAST_DSN", db.url())], &["plan", "--scope", scope]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let expected = r#"tables:
  customers             20 rows  asked for
  orders       1-3 per customer  named in the scope
  products               5 rows  required by order_lines (a NOT NULL foreign key)
  order_lines     1-5 per order  named in the scope
phrases:
  "20 customers" -> table customers
  "with 1-3 orders each" -> orders 1-3 per customer
  "every order with 1-5 lines" -> order_lines 1-5 per order
  "30% of them paid and the rest placed" -> orders.status = 'paid' 30%, 'placed' for the rest
"#;
    // How many required parents are added is another stage's business.
    let without_parents = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("  products "))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(without_parents(&stdout), without_parents(expected));
    assert!(
        stdout.contains("required by order_lines (a NOT NULL foreign key)"),
        "{stdout}"
    );
    let mut c = conn(&db).await;
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM customers").await,
        0,
        "plan writes nothing"
    );
}

#[tokio::test]
async fn json_plan_has_tables_and_phrases() {
    let db = database_with_sql("plan", &[SCHEMA.to_string()]).await;
    let out = seedfast(
        &[("SEEDFAST_DSN", db.url())],
        &["plan", "--scope", "15 gold members", "--output", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["tables"][0]["table"], "members");
    assert_eq!(json["tables"][0]["rows"], "15 rows");
    let phrases = json["phrases"].as_array().unwrap();
    assert!(
        phrases
            .iter()
            .any(|p| p["phrase"] == "gold members" && p["meaning"] == "members.tier = 'gold'"),
        "{phrases:?}"
    );
}

#[tokio::test]
async fn a_refused_scope_exits_3_with_the_word_marked() {
    let db = database_with_sql("plan", &[SCHEMA.to_string()]).await;
    let out = seedfast(
        &[("SEEDFAST_DSN", db.url())],
        &["plan", "--scope", "10 orders charged in 2025"],
    );
    assert_eq!(out.status.code(), Some(3));
    let err = text(&out.stderr);
    assert!(
        err.contains("no time column of `orders` matches `charged`"),
        "{err}"
    );
    assert!(text(&out.stdout).is_empty());
}

#[test]
fn a_project_plan_reads_the_service_migrations_on_an_ephemeral_server() {
    let project = support::repo().join("seedfast-test/seedfast.toml");
    let project = project.to_str().expect("utf-8 path");
    let out = seedfast(
        &[],
        &["plan", "--project", project, "--service", "orders", "--scope", "30 orders, a third of them shipped"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("orders  30 rows  asked for"), "{stdout}");
    assert!(
        stdout.contains("\"a third of them shipped\" -> orders.status = 'shipped' 1/3"),
        "{stdout}"
    );
    // Which service's migrations: required with a project.
    let out = seedfast(&[], &["plan", "--project", project, "--scope", "30 orders"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("`--project` needs `--service NAME`"),
        "{}",
        text(&out.stderr)
    );
    // An unknown service names the ones the project has.
    let out = seedfast(&[], &["plan", "--project", project, "--service", "ordrs", "--scope", "30 orders"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(text(&out.stderr).contains("ordrs"), "{}", text(&out.stderr));
}
