//! The main job: the article's five-service e-commerce system seeded for
//! local development, end to end, with the article's scopes verbatim.
//!
//! ```text
//! cargo run -p seedfast-test --example ecommerce -- [--output plain|json]
//! SEEDFAST_SCALE=0.05 SEEDFAST_BACKEND=local cargo run -p seedfast-test --example ecommerce
//! ```
//!
//! One Postgres per service (Docker, or the local binaries: see
//! `SEEDFAST_BACKEND`), each migrated from `examples/ecommerce/<service>/migrations`,
//! seeded in the phases the contracts in `seedfast.toml` imply, and every
//! contract verified. Everything is removed when the job exits.
//! `SEEDFAST_SCALE` shrinks every count and ID range; the scopes stay as written.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use chrono::SecondsFormat;
use seedfast_test::SeedOptions;
use seedfast_test::harness::{SystemReport, backend_name, seed_system};
use serde_json::json;

/// The article's local-development scopes, verbatim.
const SCOPES: [(&str, &str); 5] = [
    ("users", "1,000 users with names, emails, phone numbers, billing and shipping addresses, and notification preferences"),
    (
        "products",
        "500 products across 15 categories including electronics, clothing, and home goods, with prices ranging from 5 to 500 dollars, and inventory counts",
    ),
    (
        "orders",
        "8,000 orders for user IDs 1-1000 referencing product IDs 1-500, with 1-5 items per order, status distribution of 60% completed 25% shipped 10% processing 5% cancelled, spread across the last 12 months",
    ),
    ("payments", "payments for order IDs 1-8000, with amounts matching order totals, 90% captured 5% authorized 3% refunded 2% failed"),
    (
        "notifications",
        "notifications for user IDs 1-1000 about order IDs 1-8000, including order confirmation, shipping update, and delivery confirmation types, with timestamps after the corresponding order dates",
    ),
];

const USAGE: &str = "usage: cargo run -p seedfast-test --example ecommerce -- [--output plain|json]

Seeds the five services of examples/ecommerce/seedfast.toml with the article's scopes
and verifies their contracts. SEEDFAST_SCALE=0.05 seeds twenty times fewer rows;
SEEDFAST_BACKEND chooses where Postgres comes from (auto, docker, local, external).";

fn main() -> ExitCode {
    let json = match parse(std::env::args().skip(1).collect()) {
        Ok(json) => json,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let scale = match SeedOptions::scale_from_env() {
        Ok(scale) => scale,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let options = SeedOptions { scale, ..SeedOptions::default() };
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/ecommerce/seedfast.toml");
    let scopes: Vec<(String, String)> = SCOPES.iter().map(|(s, t)| (s.to_string(), t.to_string())).collect();
    match seed_system(&project, &scopes, options) {
        Ok(system) => {
            println!("{}", if json { to_json(&system, options) } else { plain(&system, options) });
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Errors carry redacted URLs only.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `true` for `--output json`.
fn parse(args: Vec<String>) -> Result<bool, String> {
    let mut json = false;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let value = match arg.as_str() {
            "--output" => it.next().ok_or_else(|| format!("`--output` needs a value\n\n{USAGE}"))?,
            a if a.starts_with("--output=") => a["--output=".len()..].to_string(),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        };
        json = match value.as_str() {
            "plain" => false,
            "json" => true,
            other => return Err(format!("`--output {other}` is not known; expected `plain` or `json`")),
        };
    }
    Ok(json)
}

fn header(options: SeedOptions) -> String {
    let mut h = format!(
        "backend {} · seed {} · now {}",
        backend_name().unwrap_or("?"),
        options.seed,
        options.now.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    if options.scale != 1.0 {
        h.push_str(&format!(" · scale {}", options.scale));
    }
    h
}

/// Phases, each service's tables, the verified contracts, a total: one
/// stable line each, fit for CI logs.
fn plain(system: &SystemReport, options: SeedOptions) -> String {
    let mut out = vec![header(options)];
    for (i, phase) in system.phases.iter().enumerate() {
        out.push(format!("phase {}: {}", i + 1, phase.join(", ")));
    }
    for s in ordered(system) {
        out.push(s.service.clone());
        // The seed and now are the same for every service: said once above.
        out.extend(s.report.plain().lines().skip_while(|l| l.starts_with("seed ")).map(|l| format!("  {l}")));
    }
    for s in ordered(system) {
        out.extend(s.checks.iter().map(ToString::to_string));
        out.extend(s.unverified.iter().map(|c| format!("skip  {c}: its upstream service was not seeded")));
    }
    let rows: u64 = system.services.iter().map(|s| s.report.total_rows).sum();
    out.push(format!("total {rows} rows in {} services in {}", system.services.len(), wall(system.elapsed)));
    out.join("\n")
}

fn to_json(system: &SystemReport, options: SeedOptions) -> String {
    let services: Vec<serde_json::Value> = ordered(system)
        .map(|s| {
            json!({
                "service": s.service,
                "report": serde_json::to_value(&*s.report).expect("report serialises"),
                "checks": s.checks,
                "unverified": s.unverified,
            })
        })
        .collect();
    let report = json!({
        "backend": backend_name(),
        "seed": options.seed,
        "now": options.now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "scale": options.scale,
        "phases": system.phases,
        "services": services,
        "total_rows": system.services.iter().map(|s| s.report.total_rows).sum::<u64>(),
        "elapsed_ms": (system.elapsed.as_secs_f64() * 10_000.0).round() / 10.0,
    });
    serde_json::to_string_pretty(&report).expect("report serialises")
}

/// Services in seeding order (phase by phase), whatever order they were given in.
fn ordered(system: &SystemReport) -> impl Iterator<Item = &seedfast_test::harness::ServiceReport> {
    system.phases.iter().flatten().filter_map(|name| system.services.iter().find(|s| s.service == *name))
}

fn wall(d: Duration) -> String {
    if d.as_secs() >= 1 { format!("{:.2} s", d.as_secs_f64()) } else { format!("{:.1} ms", d.as_secs_f64() * 1000.0) }
}
