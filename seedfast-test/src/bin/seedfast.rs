//! `seedfast`: seed a live PostgreSQL database from a plain-language scope.
//!
//! ```text
//! SEEDFAST_DSN=postgres://... seedfast seed --scope "10 users with addresses" [--seed N] [--now TIMESTAMP] [--output plain|json]
//! ```

use std::process::ExitCode;

use seedfast_test::{Error, SeedOptions};

const USAGE: &str = "usage: seedfast seed --scope \"TEXT\" [--seed N] [--now TIMESTAMP] [--output plain|json]

Connects to SEEDFAST_DSN, or DATABASE_URL when SEEDFAST_DSN is unset.
  --scope   what to seed, e.g. \"10 users with addresses\"
  --seed    u64 seed; same schema + scope + seed gives identical rows (default 42)
  --now     RFC 3339 instant time windows are measured from (default 2026-01-01T00:00:00Z)
  --output  plain (default, one line per table) or json";

struct Args {
    scope: String,
    options: SeedOptions,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("seed") => {}
        Some("-h" | "--help" | "help") | None => return Err(USAGE.to_string()),
        Some(other) => return Err(format!("unknown command `{other}`; expected `seed`\n\n{USAGE}")),
    }
    let (mut scope, mut options, mut json) = (None, SeedOptions::default(), false);
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("`{name}` needs a value\n\n{USAGE}"));
        match name {
            "--scope" => scope = Some(value()?),
            "--seed" => {
                let v = value()?;
                options.seed = v.parse().map_err(|_| format!("`--seed {v}` is not a whole number between 0 and {}", u64::MAX))?;
            }
            "--now" => {
                let v = value()?;
                options.now = chrono::DateTime::parse_from_rfc3339(&v)
                    .map_err(|e| format!("`--now {v}` is not an RFC 3339 timestamp ({e}); for example 2026-01-01T00:00:00Z"))?
                    .with_timezone(&chrono::Utc);
            }
            "--output" => {
                json = match value()?.as_str() {
                    "plain" => false,
                    "json" => true,
                    other => return Err(format!("`--output {other}` is not known; expected `plain` or `json`")),
                }
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    let scope = scope.ok_or_else(|| format!("`--scope` is required\n\n{USAGE}"))?;
    Ok(Args { scope, options, json })
}

/// SEEDFAST_DSN first, so seedfast does not collide with other tools that
/// read DATABASE_URL in the same CI job.
fn dsn() -> Result<String, String> {
    for var in ["SEEDFAST_DSN", "DATABASE_URL"] {
        if let Ok(v) = std::env::var(var)
            && !v.trim().is_empty()
        {
            return Ok(v);
        }
    }
    Err("no database to seed: set SEEDFAST_DSN (or DATABASE_URL) to a postgres:// URL, e.g. SEEDFAST_DSN=postgres://user@localhost:5432/users_db".into())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&argv) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let url = match dsn() {
        Ok(u) => u,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    match runtime.block_on(seedfast_test::seed_url(&url, &args.scope, args.options)) {
        Ok(report) => {
            println!("{}", if args.json { report.json() } else { report.plain() });
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Errors carry redacted URLs only; print once, to stderr.
            eprintln!("error: {e}");
            ExitCode::from(match e {
                Error::Unsatisfiable { .. } => 4,
                Error::Backend(_) => 5,
                Error::Database { .. } => 6,
                // Scope, plan and configuration mistakes: fix the input.
                _ => 3,
            })
        }
    }
}
