//! `seedfast plan`: how a scope is read against a database's schema, without
//! writing anything. Each table with its row count and why it is there, and
//! each phrase with the column and rule it was bound to.

use seedfast_test::SeedOptions;

use crate::Failure;
use crate::args::{self, Output};

const USAGE: &str =
    "usage: seedfast plan --scope \"TEXT\" [--project seedfast.toml --service NAME | --service NAME] [--now TIMESTAMP] [--output plain|json]

Reads the schema of SEEDFAST_DSN (or DATABASE_URL; with --service, SEEDFAST_DSN_<SERVICE>),
resolves the scope and prints the plan. Nothing is written. With --project, the service's
migrations are applied to an ephemeral Postgres (as #[seeded_test] does) and no database is needed.
  --scope    what would be seeded, e.g. \"60 tickets, a third of them urgent\"
  --project  the project file whose service's migrations give the schema
  --service  the service: its database (SEEDFAST_DSN_<SERVICE>), or with --project its migrations
  --now      RFC 3339 instant time windows are measured from (default 2026-01-01T00:00:00Z)
  --output   plain (default) or json";

pub fn run(argv: &[String]) -> Result<(), Failure> {
    let (mut scope, mut service, mut project, mut options, mut output) =
        (None, None, None, SeedOptions::default(), Output::Plain);
    for (name, value) in args::flags(
        argv,
        &["--scope", "--service", "--project", "--seed", "--now", "--output"],
        USAGE,
    )? {
        match name.as_str() {
            "--scope" => scope = Some(value),
            "--service" => service = Some(value),
            "--project" => project = Some(std::path::PathBuf::from(value)),
            _ => {
                args::common(&name, &value, &mut options, &mut output)?;
            }
        }
    }
    let scope = scope.ok_or_else(|| Failure::usage("`--scope` is required", USAGE))?;
    options.scale = args::scale()?;
    if let Some(project) = project {
        let service = service.ok_or_else(|| Failure::usage("`--project` needs `--service NAME`: which service's migrations to read", USAGE))?;
        let schema = seedfast_test::harness::service_schema(&project, &service)?;
        let plan = seedfast_test::plan_scope(&schema, &scope, options)?;
        print_plan(&scope, &plan, output);
        return Ok(());
    }
    let url = match &service {
        Some(s) => crate::project::dsn(s).ok_or_else(|| {
            Failure::config(format!(
                "no database for service `{s}`: set {} to a postgres:// URL",
                crate::project::dsn_var(s)
            ))
        })?,
        None => crate::seed::dsn().map_err(Failure::config)?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let plan = runtime.block_on(async {
        let mut conn = seedfast_test::connect(&url).await?;
        let schema = seedfast_test::schema::introspect(&mut conn).await?;
        seedfast_test::plan_scope(&schema, &scope, options)
    })?;
    print_plan(&scope, &plan, output);
    Ok(())
}

fn print_plan(scope: &str, plan: &seedfast_test::plan::Plan, output: Output) {
    if output == Output::Json {
        let json =
            serde_json::json!({ "scope": scope, "tables": plan.shown, "phrases": plan.bindings });
        println!(
            "{}",
            serde_json::to_string_pretty(&json).expect("plan serialises")
        );
    } else {
        print!("{}", plan.explain());
    }
}
