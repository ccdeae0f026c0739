//! `seedfast seed`: one database, from SEEDFAST_DSN (or DATABASE_URL).

use seedfast_test::SeedOptions;

use crate::Failure;
use crate::args::{self, Output};
use crate::progress;

const USAGE: &str = "usage: seedfast seed --scope \"TEXT\" [--seed N] [--now TIMESTAMP] [--output plain|json]

Connects to SEEDFAST_DSN, or DATABASE_URL when SEEDFAST_DSN is unset.
  --scope   what to seed, e.g. \"10 users with addresses\"
  --seed    u64 seed; same schema + scope + seed gives identical rows (default 42)
  --now     RFC 3339 instant time windows are measured from (default 2026-01-01T00:00:00Z)
  --output  plain (default, one line per table) or json";

pub fn run(argv: &[String]) -> Result<(), Failure> {
    let (mut scope, mut options, mut output) = (None, SeedOptions::default(), Output::Plain);
    for (name, value) in args::flags(argv, &["--scope", "--seed", "--now", "--output"], USAGE)? {
        if name == "--scope" {
            scope = Some(value);
        } else {
            args::common(&name, &value, &mut options, &mut output)?;
        }
    }
    let scope = scope.ok_or_else(|| Failure::usage("`--scope` is required", USAGE))?;
    options.scale = args::scale()?;
    let url = dsn().map_err(Failure::config)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let bars = progress::Bars::for_run(output);
    let progress: &dyn seedfast_test::write::Progress = match &bars {
        Some(bars) => bars,
        None => &seedfast_test::write::NoProgress,
    };
    let report = runtime.block_on(seedfast_test::seed_url_with_progress(&url, &scope, options, progress));
    // A failed seed may leave its generation running on a blocking thread:
    // exit now rather than wait for rows nobody will write.
    runtime.shutdown_background();
    let report = report?;
    println!("{}", if output == Output::Json { report.json() } else { report.plain() });
    Ok(())
}

/// SEEDFAST_DSN first, so seedfast does not collide with other tools that
/// read DATABASE_URL in the same CI job.
pub fn dsn() -> Result<String, String> {
    for var in ["SEEDFAST_DSN", "DATABASE_URL"] {
        if let Ok(v) = std::env::var(var)
            && !v.trim().is_empty()
        {
            return Ok(v);
        }
    }
    Err("no database to seed: set SEEDFAST_DSN (or DATABASE_URL) to a postgres:// URL, e.g. SEEDFAST_DSN=postgres://user@localhost:5432/users_db".into())
}
