//! `seedfast verify`: every contract of a project file, checked across the
//! live databases of its two services.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use seedfast_test::Error;
use seedfast_test::scope::project::{Contract, Project};
use seedfast_test::verify::{self, ContractCheck};
use serde_json::json;
use sqlx::{Connection, PgConnection};

use crate::args::{self, Output};
use crate::project::{self, dsn_var};
use crate::{Failure, exit};

const USAGE: &str = "usage: seedfast verify --project seedfast.toml [--output plain|json]

Checks each [[contracts]] entry of the project file: every value of the referencing
column exists in the referenced one. A service's database is given by
SEEDFAST_DSN_<SERVICE> (e.g. SEEDFAST_DSN_USERS); contracts with a service that has
no URL are skipped.
  --project  the project file, e.g. seedfast.toml
  --output   plain (default, one line per contract) or json

Exits 0 when every checked contract holds, 7 when one has values missing upstream,
3 when one names a table or column the database lacks or types it differently.";

/// What became of one contract.
pub enum Outcome {
    Checked(ContractCheck),
    /// Not checked, and why: `set SEEDFAST_DSN_USERS to check it`.
    Skipped(String),
    /// A side does not exist in the database, or has another type.
    Mismatch(String),
}

pub fn run(argv: &[String]) -> Result<(), Failure> {
    let (mut path, mut output) = (None, Output::Plain);
    for (name, value) in args::flags(argv, &["--project", "--output"], USAGE)? {
        match name.as_str() {
            "--project" => path = Some(PathBuf::from(value)),
            _ => output = args::output(&value)?,
        }
    }
    let path = project::required(path, USAGE)?;
    let model = project::load(&path)?;
    if model.contracts.is_empty() {
        return Err(Failure::config(format!("the project file {} declares no [[contracts]]; there is nothing to verify", path.display())));
    }
    let urls: HashMap<String, String> = model.services.iter().filter_map(|s| Some((s.name.clone(), project::dsn(&s.name)?))).collect();
    if !model.contracts.iter().any(|c| urls.contains_key(&c.from.service) && urls.contains_key(&c.to.service)) {
        let vars: Vec<String> = involved(&model).iter().map(|s| dsn_var(s)).collect();
        return Err(Failure::config(format!(
            "no contract can be checked: set {} to the services' postgres:// URLs (a contract needs both of its services)",
            vars.join(", ")
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let outcomes = runtime.block_on(check_all(&model, &urls))?;

    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|(_, o)| f(o)).count();
    let failed = count(|o| matches!(o, Outcome::Checked(c) if !c.ok()));
    let ok = count(|o| matches!(o, Outcome::Checked(c) if c.ok()));
    let skipped = count(|o| matches!(o, Outcome::Skipped(_)));
    let mismatched = count(|o| matches!(o, Outcome::Mismatch(_)));
    match output {
        Output::Plain => {
            for (contract, outcome) in &outcomes {
                println!("{}", line(contract, outcome));
            }
            let mut total = format!("total {} contracts: {ok} ok, {failed} failed, {skipped} skipped", outcomes.len());
            if mismatched > 0 {
                total.push_str(&format!(", {mismatched} not matching the schema"));
            }
            println!("{total}");
        }
        Output::Json => {
            let contracts: Vec<serde_json::Value> = outcomes.iter().map(|(c, o)| to_json(c, o)).collect();
            let report = json!({
                "project": path.display().to_string(),
                "ok": failed == 0 && mismatched == 0,
                "contracts": contracts,
                "passed": ok,
                "failed": failed,
                "skipped": skipped,
                "mismatched": mismatched,
            });
            println!("{}", serde_json::to_string_pretty(&report).expect("report serialises"));
        }
    }
    let total = outcomes.len();
    if mismatched > 0 {
        return Err(Failure::new(
            exit::INPUT,
            format!("{mismatched} of {total} contracts {} the migrated schemas; fix the project file or the migrations", if mismatched == 1 { "does not match" } else { "do not match" }),
        ));
    }
    if failed > 0 {
        let checked = ok + failed;
        return Err(Failure::new(exit::CONTRACT_FAILED, format!("{failed} of {checked} checked contracts {} values missing upstream", if failed == 1 { "has" } else { "have" })));
    }
    Ok(())
}

/// Services named by any contract, in the project file's order.
fn involved(model: &Project) -> Vec<&str> {
    model.names().into_iter().filter(|s| model.contracts.iter().any(|c| c.from.service == *s || c.to.service == *s)).collect()
}

async fn check_all<'a>(model: &'a Project, urls: &HashMap<String, String>) -> Result<Vec<(&'a Contract, Outcome)>, Failure> {
    let checkable = |c: &Contract| urls.contains_key(&c.from.service) && urls.contains_key(&c.to.service);
    // Every connection first: an unreachable service stops the run before
    // any contract is reported half-checked.
    let mut conns: HashMap<&str, PgConnection> = HashMap::new();
    for service in involved(model) {
        if model.contracts.iter().any(|c| checkable(c) && (c.from.service == service || c.to.service == service)) {
            conns.insert(service, project::connect(service, &urls[service]).await?);
        }
    }
    let mut outcomes = Vec::new();
    for contract in &model.contracts {
        if !checkable(contract) {
            let mut vars: Vec<String> = [&contract.from.service, &contract.to.service].into_iter().filter(|s| !urls.contains_key(*s)).map(|s| dsn_var(s)).collect();
            vars.dedup();
            outcomes.push((contract, Outcome::Skipped(format!("set {} to check it", vars.join(" and ")))));
            continue;
        }
        let mut from = conns.remove(contract.from.service.as_str()).expect("connected above");
        let mut to = conns.remove(contract.to.service.as_str()).expect("connected above");
        // The CLI does not know which values were orphaned on purpose:
        // every value missing upstream counts.
        let result = verify::check_contract(&mut from, &mut to, contract, &HashSet::new()).await;
        conns.insert(&contract.from.service, from);
        conns.insert(&contract.to.service, to);
        outcomes.push((
            contract,
            match result {
                Ok(check) => Outcome::Checked(check),
                Err(Error::Contract { message, .. }) => Outcome::Mismatch(message),
                Err(e) => return Err(e.into()),
            },
        ));
    }
    for (_, conn) in conns {
        let _ = conn.close().await;
    }
    Ok(outcomes)
}

/// One line per contract, aligned with [`ContractCheck`]'s `ok    `/`FAIL  `.
pub fn line(contract: &Contract, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Checked(check) => check.to_string(),
        Outcome::Skipped(reason) => format!("skip  {contract}: {reason}"),
        Outcome::Mismatch(message) => format!("error {contract}: {message}"),
    }
}

pub fn to_json(contract: &Contract, outcome: &Outcome) -> serde_json::Value {
    match outcome {
        Outcome::Checked(check) => {
            let mut v = serde_json::to_value(check).expect("check serialises");
            v["status"] = json!(if check.ok() { "ok" } else { "fail" });
            v
        }
        Outcome::Skipped(reason) => json!({"contract": contract.to_string(), "status": "skipped", "reason": reason}),
        Outcome::Mismatch(message) => json!({"contract": contract.to_string(), "status": "error", "error": message}),
    }
}
