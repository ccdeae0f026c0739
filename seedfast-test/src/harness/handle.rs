//! The handle a test gets for one service's database.

use std::sync::Arc;

use sqlx::PgPool;

use crate::error::{Error, Result};
use crate::generate::Value;
use crate::report::{SeedReport, TableReport};
use crate::verify::ContractCheck;

/// One service's database for one test: its own, cloned from the seeded
/// template, dropped after the test (kept with `SEEDFAST_KEEP=1` on failure).
pub struct ServiceDb {
    pub(crate) service: String,
    pub(crate) database: String,
    pub(crate) url: String,
    pub(crate) pool: PgPool,
    pub(crate) report: Arc<SeedReport>,
    pub(crate) checks: Vec<ContractCheck>,
    pub(crate) unverified: Vec<String>,
}

impl ServiceDb {
    /// The service name from the project file.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// A connection pool on this test's database.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The connection URL, for other drivers (tokio-postgres, diesel).
    /// It may carry a password: pass it on, do not print it.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database name on the server.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// What the seed wrote: rows per table, generated keys, orphans.
    pub fn report(&self) -> &SeedReport {
        &self.report
    }

    /// The contracts from this service to services seeded in the same test,
    /// each verified across the databases before the test began, in the
    /// project file's order.
    pub fn verified(&self) -> &[ContractCheck] {
        &self.checks
    }

    /// The verified contract from `table.column` of this service
    /// (`"orders.user_id"`, or `"schema.table.column"` outside `public`).
    /// An error lists the verified ones when none matches.
    pub fn check(&self, column: &str) -> Result<&ContractCheck> {
        let from = format!("{}.{column}", self.service);
        let from_public = format!("{}.public.{column}", self.service);
        self.checks
            .iter()
            .find(|c| c.contract.split(" -> ").next().is_some_and(|f| f == from || f == from_public))
            .ok_or_else(|| Error::Usage(format!(
                "service `{}` has no verified contract from `{column}`; verified: {}",
                self.service,
                if self.checks.is_empty() { "none (declare the referenced service in the test)".to_string() } else { self.checks.iter().map(|c| format!("`{}`", c.contract)).collect::<Vec<_>>().join(", ") }
            )))
    }

    /// Contracts from this service whose referenced service this test does
    /// not declare, in the project file's order: their values came from
    /// the scope or a default, and nothing checked them.
    pub fn unverified(&self) -> &[String] {
        &self.unverified
    }

    /// The values deliberately written absent upstream in `table.column`
    /// (`10% with user IDs that don't exist`), typed on request like
    /// [`ids`](Self::ids): `orders.orphans("orders", "user_id").as_i64()?`.
    pub fn orphans<'a>(&'a self, table: &'a str, column: &'a str) -> Ids<'a> {
        Ids { orphans_of: Some(column), ..self.ids(table) }
    }

    /// Rows the seed wrote into `table` (0 for a table it did not touch).
    pub fn count(&self, table: &str) -> u64 {
        self.report.table(table).map_or(0, |t| t.rows)
    }

    /// The keys generated for `table`'s primary key, typed on request:
    /// `users.ids("users").as_i64()?`.
    pub fn ids<'a>(&'a self, table: &'a str) -> Ids<'a> {
        Ids { service: &self.service, table, report: &self.report, found: self.report.table(table), orphans_of: None }
    }
}

/// The generated primary keys of one table, or the deliberate orphans of
/// one column; ask for them as the Rust type of the column. A wrong type is
/// an error naming the column's real type.
pub struct Ids<'a> {
    service: &'a str,
    table: &'a str,
    report: &'a SeedReport,
    found: Option<&'a TableReport>,
    /// The column whose orphans these are; `None` for the keys.
    orphans_of: Option<&'a str>,
}

impl<'a> Ids<'a> {
    fn table(&self) -> Result<&'a TableReport> {
        self.found.ok_or_else(|| Error::NotSeeded {
            service: self.service.to_string(),
            table: self.table.to_string(),
            seeded: self.report.tables.iter().map(|t| format!("`{}`", t.table)).collect::<Vec<_>>().join(", "),
        })
    }

    fn typed<T>(&self, requested: &'static str, hint: &'static str, pick: impl Fn(&Value) -> Option<T>) -> Result<Vec<T>> {
        let t = self.table()?;
        if let Some(column) = self.orphans_of {
            let orphans = || t.orphans.iter().filter(|o| o.column == column);
            let actual = orphans().next().map_or_else(|| "a column without orphans".to_string(), |o| o.sql_type.clone());
            let wrong = || Error::KeyType { table: t.table.clone(), column: column.to_string(), actual: actual.clone(), requested, hint };
            return orphans().flat_map(|o| &o.typed).map(|v| pick(v).ok_or_else(wrong)).collect();
        }
        let column = t.key_column.clone().unwrap_or_else(|| "(no single-column primary key)".into());
        let wrong = || Error::KeyType {
            table: t.table.clone(),
            column: column.clone(),
            actual: t.key_type.clone().unwrap_or_else(|| "not a single-column key".into()),
            requested,
            hint,
        };
        if t.key_column.is_none() {
            return Err(wrong());
        }
        t.keys.iter().map(|v| pick(v).ok_or_else(wrong)).collect()
    }

    /// Integer keys (`smallint`, `integer`, `bigint`, serial, identity).
    pub fn as_i64(&self) -> Result<Vec<i64>> {
        self.typed("an integer", "`.as_uuid()` or `.as_strings()`", |v| match v {
            Value::Int(i) => Some(*i),
            _ => None,
        })
    }

    /// UUID keys.
    pub fn as_uuid(&self) -> Result<Vec<uuid::Uuid>> {
        self.typed("a uuid", "`.as_i64()` or `.as_strings()`", |v| match v {
            Value::Uuid(u) => Some(*u),
            _ => None,
        })
    }

    /// Text keys (natural keys such as SKUs); any key as its text form.
    pub fn as_strings(&self) -> Result<Vec<String>> {
        self.typed("text", "`.as_i64()` or `.as_uuid()`", |v| v.to_pg_text())
    }

    /// How many keys (or orphans) were generated.
    pub fn len(&self) -> usize {
        match self.orphans_of {
            Some(column) => self.found.map_or(0, |t| t.orphans.iter().filter(|o| o.column == column).map(|o| o.typed.len()).sum()),
            None => self.found.map_or(0, |t| t.keys.len()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
