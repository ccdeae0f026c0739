//! Checks a contract across two databases after seeding: every value in
//! the referencing column exists in the referenced one, except the
//! deliberate orphans. Plain queries on both sides, no extension, no
//! superuser: it works wherever the services' databases live.

use std::collections::HashSet;
use std::fmt;

use seedfast_scope::project::{ColumnRef, Contract};
use serde::{Deserialize, Serialize};
use sqlx::{AssertSqlSafe, PgConnection};

use crate::error::{Error, Result};
use crate::schema::{introspect, quote_ident};
use crate::upstream::check_contract_side;

/// How many offending values a report shows.
const SHOWN: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContractCheck {
    pub contract: String,
    /// Distinct non-NULL values in the referencing column.
    pub checked: u64,
    /// Values absent upstream that were not declared orphans.
    pub missing: u64,
    /// The first of them, as text.
    pub first_missing: Vec<String>,
    /// Values absent upstream that were declared orphans (expected).
    pub orphans: u64,
}

impl ContractCheck {
    pub fn ok(&self) -> bool {
        self.missing == 0
    }
}

impl fmt::Display for ContractCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ok() {
            write!(f, "ok    {}: {} values, all present upstream", self.contract, self.checked)?;
        } else {
            write!(
                f,
                "FAIL  {}: {} of {} values missing upstream (first: {})",
                self.contract,
                self.missing,
                self.checked,
                self.first_missing.join(", ")
            )?;
        }
        if self.orphans > 0 {
            write!(f, "; {} deliberate orphans", self.orphans)?;
        }
        Ok(())
    }
}

/// Checks that both sides of `contract` exist with the declared type, then
/// compares the values. `orphans` are the referencing values declared
/// absent on purpose, as text.
pub async fn check_contract(from: &mut PgConnection, to: &mut PgConnection, contract: &Contract, orphans: &HashSet<String>) -> Result<ContractCheck> {
    check_side(from, &contract.from, contract).await?;
    check_side(to, &contract.to, contract).await?;
    let referencing = values(from, &contract.from, true).await?;
    let referenced: HashSet<String> = values(to, &contract.to, false).await?.into_iter().collect();
    let mut missing: Vec<String> = Vec::new();
    let mut expected = 0u64;
    for v in &referencing {
        if !referenced.contains(v) {
            if orphans.contains(v) {
                expected += 1;
            } else {
                missing.push(v.clone());
            }
        }
    }
    Ok(ContractCheck {
        contract: contract.to_string(),
        checked: referencing.len() as u64,
        missing: missing.len() as u64,
        first_missing: missing.into_iter().take(SHOWN).collect(),
        orphans: expected,
    })
}

/// The column exists in the migrated schema with a type the contract's ID
/// type allows.
pub async fn check_side(conn: &mut PgConnection, side: &ColumnRef, contract: &Contract) -> Result<()> {
    let schema = introspect(conn).await?;
    check_contract_side(&schema, side, contract)
}

async fn values(conn: &mut PgConnection, side: &ColumnRef, distinct: bool) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT {}{}::text FROM {}.{} WHERE {} IS NOT NULL",
        if distinct { "DISTINCT " } else { "" },
        quote_ident(&side.column),
        quote_ident(&side.schema),
        quote_ident(&side.table),
        quote_ident(&side.column)
    );
    sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(conn).await.map_err(Error::db(format!("reading {side}")))
}
