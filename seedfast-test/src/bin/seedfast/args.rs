//! Flags shared by the commands. Hand-written: three commands with a few
//! flags each do not need a parser dependency.

use seedfast_test::SeedOptions;

use crate::Failure;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Plain,
    Json,
}

/// The `--name value` and `--name=value` pairs of a command, in order.
/// Every flag of every command takes a value; `-h`/`--help` asks for the
/// usage, which is what the caller gets back as a usage failure.
pub fn flags(args: &[String], known: &[&str], usage: &str) -> Result<Vec<(String, String)>, Failure> {
    let mut it = args.iter();
    let mut pairs = Vec::new();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (flag.as_str(), None),
        };
        if matches!(name, "-h" | "--help") {
            return Err(Failure { code: crate::exit::USAGE, message: usage.to_string() });
        }
        if !known.contains(&name) {
            return Err(Failure::usage(format!("unknown option `{name}`"), usage));
        }
        let value = inline.or_else(|| it.next().cloned()).ok_or_else(|| Failure::usage(format!("`{name}` needs a value"), usage))?;
        pairs.push((name.to_string(), value));
    }
    Ok(pairs)
}

pub fn seed(value: &str) -> Result<u64, Failure> {
    value.parse().map_err(|_| Failure::config(format!("`--seed {value}` is not a whole number between 0 and {}", u64::MAX)))
}

pub fn now(value: &str) -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| Failure::config(format!("`--now {value}` is not an RFC 3339 timestamp ({e}); for example 2026-01-01T00:00:00Z")))
}

pub fn output(value: &str) -> Result<Output, Failure> {
    match value {
        "plain" => Ok(Output::Plain),
        "json" => Ok(Output::Json),
        other => Err(Failure::config(format!("`--output {other}` is not known; expected `plain` or `json`"))),
    }
}

/// `--seed`, `--now` and `--output`, if `name` is one of them; `false`
/// when it is another flag.
pub fn common(name: &str, value: &str, options: &mut SeedOptions, output: &mut Output) -> Result<bool, Failure> {
    match name {
        "--seed" => options.seed = seed(value)?,
        "--now" => options.now = now(value)?,
        "--output" => *output = self::output(value)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// `SEEDFAST_SCALE`, a usage mistake when it is not a positive number.
pub fn scale() -> Result<f64, Failure> {
    SeedOptions::scale_from_env().map_err(Failure::config)
}
