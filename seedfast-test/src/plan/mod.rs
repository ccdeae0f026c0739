//! Which rows to generate, for which tables, in which order: a scope
//! resolved against a schema. The plan is complete before any value is
//! generated, so every error about the scope or the schema's constraints is
//! raised before anything is written.

mod junction;
mod limits;
pub mod names;
mod order;
mod parents;
mod places;
mod resolve;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::generate::Value;
use crate::upstream::UpstreamTable;

pub use limits::{DEFAULT_MAX_ROWS, MAX_ROWS_ENV};
pub use resolve::{allowed_values, default_reference_set, label_column, resolve};

/// Options that shape the data besides the scope.
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    /// Same schema + scope + seed gives byte-identical rows.
    pub seed: u64,
    /// "Now" for time windows and timestamps: an input, never the wall clock.
    pub now: DateTime<Utc>,
    /// Multiplies every count and ID range in the scope (`SEEDFAST_SCALE`),
    /// so CI can run the same scopes smaller; percentages stay exact.
    pub scale: f64,
}

impl SeedOptions {
    pub const DEFAULT_SEED: u64 = 42;

    /// The fixed default "now", so unseeded runs are reproducible too.
    pub fn default_now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").expect("valid constant").with_timezone(&Utc)
    }
}

impl SeedOptions {
    pub const SCALE_ENV: &str = "SEEDFAST_SCALE";

    /// A count as scaled: rounded, and never scaled away to nothing.
    pub fn scaled(&self, n: u64) -> u64 {
        if self.scale == 1.0 || n == 0 {
            return n;
        }
        ((n as f64) * self.scale).round().max(1.0) as u64
    }

    /// The scale from `SEEDFAST_SCALE`, if set.
    pub fn scale_from_env() -> Result<f64, String> {
        match std::env::var(Self::SCALE_ENV) {
            Err(_) => Ok(1.0),
            Ok(v) => match v.trim().parse::<f64>() {
                Ok(f) if f > 0.0 && f.is_finite() => Ok(f),
                _ => Err(format!("{}={v} is not a positive number; use e.g. 0.1 to seed ten times fewer rows", Self::SCALE_ENV)),
            },
        }
    }
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions { seed: Self::DEFAULT_SEED, now: Self::default_now(), scale: 1.0 }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub options: SeedOptions,
    /// Parents before children (cycles broken, see [`TablePlan::deferred_fks`]).
    pub tables: Vec<TablePlan>,
    /// The planned tables by name, in insertion order, for [`Plan::explain`].
    pub shown: Vec<PlannedTable>,
    /// Every phrase of the scope and what it was bound to.
    pub bindings: Vec<Binding>,
}

impl Plan {
    /// The plan in words: each table with its row count and why it is
    /// there, then each phrase of the scope and the column and rule it was
    /// bound to. What `seedfast plan` prints.
    pub fn explain(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = self.shown.iter().map(|t| t.table.len()).max().unwrap_or(0);
        let rows = self.shown.iter().map(|t| t.rows.len()).max().unwrap_or(0);
        writeln!(f, "tables:")?;
        for t in &self.shown {
            writeln!(f, "  {:width$}  {:>rows$}  {}", t.table, t.rows, t.why)?;
        }
        if !self.bindings.is_empty() {
            writeln!(f, "phrases:")?;
            for b in &self.bindings {
                writeln!(f, "  \"{}\" -> {}", b.phrase, b.meaning)?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct TablePlan {
    /// Index into the schema's tables.
    pub table: usize,
    pub why: Why,
    pub rows: Rows,
    /// What the scope says about particular columns.
    pub rules: BTreeMap<usize, Rule>,
    /// Columns the scope mentions (`with names, emails`): never left NULL.
    pub fill: Vec<usize>,
    /// Rows whose value in `column` must be absent from the referenced set.
    pub orphans: Vec<OrphanRule>,
    /// Time window for this table's timestamps (`across the last 6 months`).
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub event_log: Option<EventLog>,
    /// Foreign keys (indexes into the table's `foreign_keys`) inserted as NULL
    /// and set by an UPDATE once their target rows exist: the nullable edge
    /// that breaks a cycle.
    pub fixup_fks: Vec<usize>,
    /// Foreign keys checked at commit (`DEFERRABLE`), so their targets may be
    /// inserted later in the same transaction.
    pub deferred_fks: Vec<usize>,
    /// States with a time of their own (`completed` and `completed_at`).
    pub states: Vec<StateLink>,
    /// What the table's CHECKs tie between a status and another column,
    /// kept on every row whatever else shaped it.
    pub state_rules: Vec<StateRule>,
}

/// Read from CHECKs such as `status <> 'done' OR completed_at IS NOT NULL`:
/// rows whose `status` is in `set` have `column` (a time is drawn when it is
/// empty), rows whose status is not in `allowed` have it NULL.
#[derive(Debug, Clone, PartialEq)]
pub struct StateRule {
    pub status: usize,
    pub column: usize,
    pub set: Vec<String>,
    pub allowed: Vec<String>,
}

/// Rows whose `status` column is `value` have a `time`; rows in a state
/// `order` lists before it have none (a pending booking was not checked in).
#[derive(Debug, Clone, PartialEq)]
pub struct StateLink {
    pub status: usize,
    pub value: String,
    pub time: usize,
    /// The column's states in declared order (enum labels, CHECK list).
    pub order: Vec<String>,
}

/// Why a table gets rows: shown in reports so auto-added tables are visible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The scope's subject.
    Requested,
    /// Named in the scope (`with addresses`, `across 10 categories`).
    Mentioned,
    /// Not in the scope, but a NOT NULL foreign key of `by` needs rows.
    Required { by: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rows {
    Exactly(u64),
    /// For each row of the table the foreign key points at, between `min`
    /// and `max` rows (`1-5 items per order`).
    PerParent { fk: usize, min: u64, max: u64 },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// Exact shares in hundredths of a percent; the values are already
    /// mapped onto the column's allowed values. Shares summing under 100%
    /// leave the rest to the column's other allowed values.
    Shares(Vec<(String, u32)>),
    /// Random values, weighted (`realistic status distribution`).
    Weighted(Vec<(String, u32)>),
    /// These values, evenly (`mix of completed, pending, and refunded`).
    Mix(Vec<String>),
    /// These values for the first rows, generated ones after
    /// (`across 15 categories including electronics, clothing`).
    NamedFirst(Vec<String>),
    /// A numeric range, inclusive (`prices ranging from 5 to 500`).
    Range { min: f64, max: f64 },
    /// Values for a column that points outside this database (another
    /// service), or a restriction on a local foreign key's targets.
    Ids(IdSet),
    /// Row `i` takes the `i`-th id of the set: `payments for order IDs
    /// 1-8000` has no count and means one payment per order.
    OnePerId(IdSet),
    /// A value read from the upstream row this row references through
    /// column `via` (`amounts matching order totals`), or placed after it
    /// in time (`timestamps after the corresponding order dates`).
    /// `valid`, when known, is what the column's own contract allows:
    /// upstream values outside it are inherited orphans (an order's
    /// deliberately missing user is its payment's too) and reported as such.
    Derived { via: usize, source: Arc<UpstreamTable>, key: String, from: String, after: bool, valid: Option<Arc<Vec<Value>>> },
    /// Exact parts of the rows, each `num/den` of them (`a third done`,
    /// `7 of them discontinued`, `30%`), largest remainders rounding; `rest`
    /// takes what is left, else the column's other values do.
    Parts { parts: Vec<(String, u64, u64)>, rest: Option<String> },
    /// Exactly `num/den` of the rows are NULL, the others generated as usual
    /// (`40% without email addresses`).
    Nulls { num: u64, den: u64 },
    /// Generated values that start with this text (`named Bob`).
    Prefix(String),
    /// Generated email addresses at this domain (`emails at example.org`).
    EmailDomain(String),
    /// Times within `[start, end)` for this one column (`placed in 2025`).
    Window { start: DateTime<Utc>, end: DateTime<Utc> },
    /// The `k`-th row of each parent takes the `k`-th value (`each with a
    /// home and a work address`: one of each per customer).
    Cycle(Vec<String>),
    /// On a foreign key to the row's own table: the first `roots` rows
    /// point at none (or at themselves when the key is NOT NULL), the rest
    /// are spread over them, `min..=max` under each (`one comment with 5
    /// replies`).
    Tree { roots: u64, min: u64, max: u64 },
    /// Runs of rows in order, each with its value, `None` for the column's
    /// other values (the roots and the children of a `Tree`).
    Blocks(Vec<(Option<String>, u64)>),
    /// On a foreign key: only parents whose `column` holds `value`
    /// (`refunds for failed payments`).
    ParentIs { column: usize, value: String },
}

/// How one phrase of the scope was read: shown by `seedfast plan` and
/// [`Plan::explain`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Binding {
    /// The words as written.
    pub phrase: String,
    /// What they were bound to: `users.tier = 'pro'`.
    pub meaning: String,
}

/// One planned table as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedTable {
    pub table: String,
    pub rows: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum IdSet {
    Range { start: i64, end: i64 },
    /// Literals as written; typed against the column when generated.
    List(Vec<String>),
    /// Exactly the values another service generated.
    Values(Arc<Vec<Value>>),
}

impl IdSet {
    pub fn len(&self) -> u64 {
        match self {
            IdSet::Range { start, end } => (*end as i128 - *start as i128 + 1).max(0) as u64,
            IdSet::List(items) => items.len() as u64,
            IdSet::Values(values) => values.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrphanRule {
    pub column: usize,
    /// Exactly this many rows get a value outside `referenced`.
    pub count: u64,
    /// The set the other rows draw from and the orphans avoid.
    pub referenced: IdSet,
}

/// An event log: rows grouped per aggregate, versions 1, 2, ... and strictly
/// increasing timestamps within each aggregate (and across the table).
#[derive(Debug, Clone, PartialEq)]
pub struct EventLog {
    pub aggregate: usize,
    pub version: Option<usize>,
    pub kind: Option<usize>,
    pub time: Option<usize>,
    /// Event types in their natural order: each aggregate's events follow it.
    pub types: Vec<String>,
}
