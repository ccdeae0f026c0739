//! `seedfast seed-all`: every service of a project that is given a scope,
//! seeded into its live database in the phases the contracts imply, then
//! the contracts between them verified.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::SecondsFormat;
use seedfast_test::scope::project::{Contract, Project};
use seedfast_test::system::upstream_inputs;
use seedfast_test::{Error, SeedOptions, SeedReport, verify};
use serde_json::json;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection};

use crate::args::{self, Output};
use crate::project::{self, dsn_var, quoted};
use crate::verify::{Outcome, line, to_json};
use crate::{Failure, exit};

const USAGE: &str = "usage: seedfast seed-all --project seedfast.toml --scope SERVICE=\"TEXT\" [--scope ...] [--seed N] [--now TIMESTAMP] [--output plain|json]

Seeds each service given a --scope into its database, SEEDFAST_DSN_<SERVICE> (e.g.
SEEDFAST_DSN_USERS), in the phases the project's contracts imply: referenced services
first, the services of a phase in parallel. Contract columns take the values the
referenced services were just given; then every contract between the seeded services
is verified. Nothing is committed until every service is seeded: a failure leaves
every database as it was. SEEDFAST_SCALE multiplies every count and ID range.
  --project  the project file, e.g. seedfast.toml
  --scope    SERVICE=\"TEXT\", once per service, e.g. users=\"10 users\"
  --seed     u64 seed; same schemas + scopes + seed gives identical rows (default 42)
  --now      RFC 3339 instant time windows are measured from (default 2026-01-01T00:00:00Z)
  --output   plain (default) or json";

struct Args {
    project: PathBuf,
    /// (service, scope), as given.
    scopes: Vec<(String, String)>,
    options: SeedOptions,
    output: Output,
}

fn parse(argv: &[String]) -> Result<Args, Failure> {
    let (mut project, mut scopes, mut options, mut output) = (None, Vec::<(String, String)>::new(), SeedOptions::default(), Output::Plain);
    for (name, value) in args::flags(argv, &["--project", "--scope", "--seed", "--now", "--output"], USAGE)? {
        match name.as_str() {
            "--project" => project = Some(PathBuf::from(value)),
            "--scope" => {
                let Some((service, scope)) = value.split_once('=').map(|(s, t)| (s.trim(), t.trim())).filter(|(s, t)| !s.is_empty() && !t.is_empty()) else {
                    return Err(Failure::usage(format!("`--scope {value}` must be SERVICE=\"TEXT\", e.g. --scope users=\"10 users\""), USAGE));
                };
                if scopes.iter().any(|(s, _)| s == service) {
                    return Err(Failure::usage(format!("`--scope` is given twice for service `{service}`; put everything it needs in one scope"), USAGE));
                }
                scopes.push((service.to_string(), scope.to_string()));
            }
            _ => {
                args::common(&name, &value, &mut options, &mut output)?;
            }
        }
    }
    let project = project::required(project, USAGE)?;
    if scopes.is_empty() {
        return Err(Failure::usage("at least one `--scope SERVICE=\"TEXT\"` is required", USAGE));
    }
    Ok(Args { project, scopes, options, output })
}

pub fn run(argv: &[String]) -> Result<(), Failure> {
    let started = Instant::now();
    let Args { project: path, scopes, mut options, output } = parse(argv)?;
    let model = project::load(&path)?;
    // Every mistake in the flags and the environment at once.
    let mut problems = Vec::new();
    for (service, _) in &scopes {
        if model.service(service).is_none() {
            problems.push(format!("unknown service `{service}` in `--scope`; {} declares {}", path.display(), quoted(model.names())));
        }
    }
    let mut urls = HashMap::new();
    for (service, _) in scopes.iter().filter(|(s, _)| model.service(s).is_some()) {
        match project::dsn(service) {
            Some(url) => {
                urls.insert(service.clone(), url);
            }
            None => problems.push(format!(
                "{} is not set: it gives the database of service `{service}`, e.g. {}=postgres://user@localhost:5432/{service}_db",
                dsn_var(service),
                dsn_var(service)
            )),
        }
    }
    if !problems.is_empty() {
        return Err(Failure::config(problems.join("\nerror: ")));
    }
    // A scope that does not parse stops the run before the first phase
    // writes anything; mistakes that need the schema surface per service.
    let bad: Vec<Error> = scopes
        .iter()
        .filter_map(|(service, scope)| seedfast_test::scope::parse(scope).err().map(|e| Error::Service { service: service.clone(), source: Box::new(e.into()) }))
        .collect();
    if let Some(first) = bad.first() {
        let code = crate::exit_code(first);
        return Err(Failure::new(code, bad.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: ")));
    }
    options.scale = args::scale()?;
    let names: Vec<&str> = scopes.iter().map(|(s, _)| s.as_str()).collect();
    let phases = model.phases(&names).map_err(|e| Failure::config(format!("project file {}: {e}", path.display())))?;

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    let model = Arc::new(model);
    let run = runtime.block_on(seed_and_verify(model.clone(), &phases, &scopes, &urls, options));
    // As in `seed`: never wait for the generation of a seed that failed.
    runtime.shutdown_background();
    let run = run?;
    let elapsed = started.elapsed();

    let failed = run.checks.iter().filter(|(_, o)| matches!(o, Outcome::Checked(c) if !c.ok())).count();
    let checked = run.checks.iter().filter(|(_, o)| matches!(o, Outcome::Checked(_))).count();
    match output {
        Output::Plain => println!("{}", plain(&phases, &run, options, elapsed)),
        Output::Json => println!("{}", serde_json::to_string_pretty(&to_json_report(&phases, &run, options, elapsed, failed == 0)).expect("report serialises")),
    }
    if failed > 0 {
        return Err(Failure::new(
            exit::CONTRACT_FAILED,
            format!(
                "{failed} of {checked} contracts between the seeded services {} values missing upstream; the new rows are written, see the FAIL lines",
                if failed == 1 { "has" } else { "have" }
            ),
        ));
    }
    Ok(())
}

struct Run {
    /// In seeding order.
    seeded: Vec<(String, Arc<SeedReport>)>,
    /// The contracts from seeded services, in file order.
    checks: Vec<(Contract, Outcome)>,
}

/// A service's database, in a transaction that stays open until every
/// service is seeded and verified. Pool-owned, so it can move into the
/// task that seeds it; the seed's own transaction nests as a savepoint.
type Tx = sqlx::Transaction<'static, sqlx::Postgres>;

async fn seed_and_verify(
    model: Arc<Project>,
    phases: &[Vec<String>],
    scopes: &[(String, String)],
    urls: &HashMap<String, String>,
    options: SeedOptions,
) -> Result<Run, Failure> {
    let is_seeded = |s: &str| scopes.iter().any(|(n, _)| n == s);
    // Every connection, then every contract column, before any row is
    // written: an unreachable service or a contract that does not match a
    // schema is reported at once.
    let mut conns: Vec<(String, PgConnection)> = Vec::new();
    for service in phases.iter().flatten() {
        conns.push((service.clone(), project::connect(service, &urls[service]).await?));
    }
    let mut mismatches = Vec::new();
    for c in model.contracts.iter().filter(|c| is_seeded(&c.from.service)) {
        let sides = if is_seeded(&c.to.service) { vec![&c.from, &c.to] } else { vec![&c.from] };
        for side in sides {
            let conn = &mut conns.iter_mut().find(|(s, _)| *s == side.service).expect("connected above").1;
            match verify::check_side(conn, side, c).await {
                Ok(()) => {}
                Err(e @ Error::Contract { .. }) => mismatches.push(e.to_string()),
                Err(e) => return Err(service_failure(&side.service, e)),
            }
        }
    }
    for (_, conn) in conns {
        let _ = conn.close().await;
    }
    if !mismatches.is_empty() {
        return Err(Failure::new(exit::INPUT, format!("{}\nnothing was written; fix the project file or the migrations", mismatches.join("\nerror: "))));
    }

    let mut pools = Vec::new();
    let mut txs: HashMap<String, Tx> = HashMap::new();
    for service in phases.iter().flatten() {
        let failed = |e: sqlx::Error| {
            Failure::new(exit::UNREACHABLE, format!("service `{service}` ({}): {}", dsn_var(service), seedfast_test::backend::redact(&e.to_string())))
        };
        let pool = PgPoolOptions::new().max_connections(1).connect(&urls[service]).await.map_err(failed)?;
        txs.insert(service.clone(), pool.begin().await.map_err(failed)?);
        pools.push(pool);
    }

    let mut seeded: Vec<(String, Arc<SeedReport>)> = Vec::new();
    for phase in phases {
        let mut tasks = Vec::new();
        for service in phase {
            let scope = scopes.iter().find(|(s, _)| s == service).map(|(_, t)| t.clone()).expect("phases come from the scopes");
            let upstream = upstream_inputs(&model, service, &seeded);
            let mut tx = txs.remove(service).expect("begun above");
            tasks.push((
                service.clone(),
                tokio::spawn(async move {
                    let report = seedfast_test::seed_with(&mut tx, &scope, options, &upstream).await;
                    (tx, report)
                }),
            ));
        }
        let mut errors = Vec::new();
        for (service, task) in tasks {
            let (tx, report) = task.await.map_err(|e| Failure::new(exit::DATABASE, format!("seeding service `{service}` stopped: {e}")))?;
            txs.insert(service.clone(), tx);
            match report {
                Ok(report) => seeded.push((service, Arc::new(report))),
                Err(e) => errors.push(Error::Service { service, source: Box::new(e) }),
            }
        }
        if !errors.is_empty() {
            // Dropping the open transactions rolls every service back.
            let code = crate::exit_code(&errors[0]);
            let message = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: ");
            let rolled_back = if seeded.is_empty() { String::new() } else { format!(" (the seeds of {} are rolled back)", quoted(seeded.iter().map(|(s, _)| s))) };
            return Err(Failure::new(code, format!("{message}\nnothing was written{rolled_back}")));
        }
    }

    let mut checks = Vec::new();
    for c in model.contracts.iter().filter(|c| is_seeded(&c.from.service)) {
        if !is_seeded(&c.to.service) {
            let reason = format!("`{}` is not seeded in this run, so these values were not drawn from it", c.to.service);
            checks.push((c.clone(), Outcome::Skipped(reason)));
            continue;
        }
        let report = &seeded.iter().find(|(s, _)| *s == c.from.service).expect("seeded above").1;
        let qualified = format!("{}.{}", c.from.schema, c.from.table);
        let orphans: HashSet<String> = report
            .tables
            .iter()
            .filter(|t| t.table == c.from.table || t.table == qualified)
            .flat_map(|t| t.orphans.iter().filter(|o| o.column == c.from.column).flat_map(|o| o.values.iter().cloned()))
            .collect();
        // Inside the open transactions, which see their own rows.
        let mut from = txs.remove(&c.from.service).expect("begun above");
        let mut to = txs.remove(&c.to.service).expect("begun above");
        let result = verify::check_contract(&mut from, &mut to, c, &orphans).await;
        txs.insert(c.from.service.clone(), from);
        txs.insert(c.to.service.clone(), to);
        checks.push((
            c.clone(),
            match result {
                Ok(check) => Outcome::Checked(check),
                Err(Error::Contract { message, .. }) => Outcome::Mismatch(message),
                Err(e) => return Err(service_failure(&c.from.service, e)),
            },
        ));
    }

    // Only now, with every service seeded, does anything become visible.
    let mut committed: Vec<&str> = Vec::new();
    for service in phases.iter().flatten() {
        let tx = txs.remove(service).expect("begun above");
        if let Err(e) = tx.commit().await {
            let kept = if committed.is_empty() { String::new() } else { format!("; {} are committed and keep their rows", quoted(&committed)) };
            let e = Error::Service { service: service.clone(), source: Box::new(database("committing the seed (a deferred foreign key may have failed)", e)) };
            return Err(Failure::new(crate::exit_code(&e), format!("{e}{kept}")));
        }
        committed.push(service);
    }
    for pool in pools {
        pool.close().await;
    }
    Ok(Run { seeded, checks })
}

/// A driver error as the library reports it.
fn database(context: &str, source: sqlx::Error) -> Error {
    Error::Database { context: context.to_string(), source }
}

fn service_failure(service: &str, e: Error) -> Failure {
    Error::Service { service: service.to_string(), source: Box::new(e) }.into()
}

fn header(options: SeedOptions) -> String {
    let mut h = format!("seed {} · now {}", options.seed, options.now.to_rfc3339_opts(SecondsFormat::Secs, true));
    if options.scale != 1.0 {
        h.push_str(&format!(" · scale {}", options.scale));
    }
    h
}

fn plain(phases: &[Vec<String>], run: &Run, options: SeedOptions, elapsed: Duration) -> String {
    let mut out = vec![header(options)];
    for (i, phase) in phases.iter().enumerate() {
        out.push(format!("phase {}: {}", i + 1, phase.join(", ")));
    }
    for (service, report) in &run.seeded {
        out.push(service.clone());
        // The seed and now are the same for every service: said once above.
        out.extend(report.plain().lines().skip_while(|l| l.starts_with("seed ")).map(|l| format!("  {l}")));
    }
    out.extend(run.checks.iter().map(|(c, o)| line(c, o)));
    let rows: u64 = run.seeded.iter().map(|(_, r)| r.total_rows).sum();
    out.push(format!("total {rows} rows in {} services in {:.1} ms", run.seeded.len(), elapsed.as_secs_f64() * 1000.0));
    out.join("\n")
}

fn to_json_report(phases: &[Vec<String>], run: &Run, options: SeedOptions, elapsed: Duration, ok: bool) -> serde_json::Value {
    let services: Vec<serde_json::Value> =
        run.seeded.iter().map(|(s, r)| json!({"service": s, "report": serde_json::to_value(&**r).expect("report serialises")})).collect();
    let contracts: Vec<serde_json::Value> = run.checks.iter().map(|(c, o)| to_json(c, o)).collect();
    json!({
        "seed": options.seed,
        "now": options.now.to_rfc3339_opts(SecondsFormat::Secs, true),
        "scale": options.scale,
        "phases": phases,
        "services": services,
        "contracts": contracts,
        "total_rows": run.seeded.iter().map(|(_, r)| r.total_rows).sum::<u64>(),
        "elapsed_ms": (elapsed.as_secs_f64() * 10_000.0).round() / 10.0,
        "ok": ok,
    })
}
