//! `seedfast`: seed live PostgreSQL databases from plain-language scopes,
//! one database (`seed`) or every service of a project (`seed-all`), and
//! check the contracts between services' databases (`verify`).
//!
//! ```text
//! SEEDFAST_DSN=postgres://... seedfast seed --scope "10 users with addresses"
//! SEEDFAST_DSN_USERS=... SEEDFAST_DSN_ORDERS=... seedfast seed-all --project seedfast.toml \
//!     --scope users="10 users" --scope orders="50 orders with 1-3 items per order"
//! SEEDFAST_DSN_USERS=... SEEDFAST_DSN_ORDERS=... seedfast verify --project seedfast.toml
//! ```

mod args;
mod clean;
mod progress;
mod plan;
mod project;
mod seed;
mod seed_all;
mod verify;

use std::process::ExitCode;

use seedfast_test::Error;
use seedfast_test::backend::BackendError;

const USAGE: &str = "usage: seedfast <command> [options]

commands:
  seed      seed one database (SEEDFAST_DSN) from a scope
  seed-all  seed every service of a project file in phases, then verify its contracts
  verify    check the contracts of a project file across the services' databases
  plan      show how a scope is read against a database's schema, writing nothing
  clean     stop the shared test servers (local backend) that no test uses, remove their files

`seedfast <command> --help` shows a command's options.";

/// Why a command stopped, and the exit code that says so to CI.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    /// Printed to stderr as is.
    pub message: String,
}

/// Exit codes, as documented in the README.
pub mod exit {
    pub const USAGE: u8 = 2;
    pub const INPUT: u8 = 3;
    pub const UNSATISFIABLE: u8 = 4;
    pub const UNREACHABLE: u8 = 5;
    pub const DATABASE: u8 = 6;
    pub const CONTRACT_FAILED: u8 = 7;
}

impl Failure {
    /// A flag or environment mistake: the message, then how to call the command.
    pub fn usage(message: impl std::fmt::Display, usage: &str) -> Failure {
        Failure { code: exit::USAGE, message: format!("{message}\n\n{usage}") }
    }

    /// A configuration mistake that the usage text would not help with.
    pub fn config(message: impl std::fmt::Display) -> Failure {
        Failure { code: exit::USAGE, message: format!("error: {message}") }
    }

    pub fn new(code: u8, message: impl std::fmt::Display) -> Failure {
        Failure { code, message: format!("error: {message}") }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        // Errors carry redacted URLs only.
        Failure::new(exit_code(&e), e)
    }
}

pub fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Service { source, .. } => exit_code(source),
        Error::Unsatisfiable { .. } => exit::UNSATISFIABLE,
        // A URL that is not postgres:// is a configuration mistake, not an outage.
        Error::Backend(BackendError::InvalidUrl { .. }) | Error::Usage(_) => exit::USAGE,
        Error::Backend(_) => exit::UNREACHABLE,
        _ if e.is_connection_lost() => exit::UNREACHABLE,
        Error::Database { .. } => exit::DATABASE,
        // Scope, plan, contract and configuration mistakes: fix the input.
        _ => exit::INPUT,
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = match argv.first().map(String::as_str) {
        Some("seed") => seed::run(&argv[1..]),
        Some("seed-all") => seed_all::run(&argv[1..]),
        Some("verify") => verify::run(&argv[1..]),
        Some("plan") => plan::run(&argv[1..]),
        Some("clean") => clean::run(&argv[1..]),
        Some("-h" | "--help" | "help") | None => Err(Failure { code: exit::USAGE, message: USAGE.into() }),
        Some(other) => Err(Failure::usage(format!("unknown command `{other}`; expected `seed`, `seed-all`, `verify`, `plan` or `clean`"), USAGE)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // One message, to stderr; stdout keeps only the report.
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}
