//! What a seed did, for people (plain, one line per table, fit for CI logs)
//! and for machines (JSON with ID ranges and deliberate orphans).

use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::generate::{GeneratedTable, Value};
use crate::plan::{Plan, Why};
use crate::schema::Schema;
use crate::write::Written;

#[derive(Debug, Clone, Serialize)]
pub struct SeedReport {
    pub scope: String,
    pub seed: u64,
    /// The "now" time windows were measured from.
    pub now: DateTime<Utc>,
    pub tables: Vec<TableReport>,
    pub total_rows: u64,
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
    /// Generated rows of tables other services reference (see `Upstream::export`).
    #[serde(skip)]
    pub exports: Vec<std::sync::Arc<crate::upstream::UpstreamTable>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableReport {
    pub table: String,
    pub rows: u64,
    /// `requested`, `mentioned`, or `required by <table>` for tables the
    /// scope did not name but a NOT NULL foreign key needed.
    pub reason: String,
    #[serde(serialize_with = "millis")]
    pub elapsed: Duration,
    /// The generated primary key, when it is a single column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids: Option<IdSummary>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub orphans: Vec<OrphanReport>,
    /// Every generated key value, for handles that hand them to tests.
    #[serde(skip)]
    pub keys: Vec<Value>,
    /// The single-column primary key the keys belong to, and its SQL type.
    #[serde(skip)]
    pub key_column: Option<String>,
    #[serde(skip)]
    pub key_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdSummary {
    /// Integer keys: the generated keys are exactly `min..=max` when
    /// `contiguous`.
    Range { column: String, min: i64, max: i64, contiguous: bool },
    /// Other keys (UUID, text): every value.
    Values { column: String, values: Vec<String> },
}

#[derive(Debug, Clone, Serialize)]
pub struct OrphanReport {
    pub column: String,
    pub count: u64,
    /// The values written that the referenced set does not contain.
    pub values: Vec<String>,
    /// The same values as generated, for typed accessors.
    #[serde(skip)]
    pub typed: Vec<Value>,
    /// The column's SQL type.
    #[serde(skip)]
    pub sql_type: String,
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0)
}

impl SeedReport {
    pub(crate) fn new(scope: &str, schema: &Schema, plan: &Plan, generated: &[GeneratedTable], written: &[Written], elapsed: Duration) -> SeedReport {
        let tables: Vec<TableReport> = plan
            .tables
            .iter()
            .zip(generated)
            .zip(written)
            .map(|((tp, g), w)| {
                let t = &schema.tables[tp.table];
                let single_key = match t.primary_key.as_slice() {
                    [pk] => Some(*pk),
                    _ => None,
                };
                let keys: Vec<Value> = single_key.map(|pk| g.column(pk).to_vec()).unwrap_or_default();
                let ids = match single_key {
                    Some(pk) if !keys.is_empty() => {
                        let column = t.columns[pk].name.clone();
                        let ints: Option<Vec<i64>> = keys.iter().map(Value::as_i64).collect();
                        Some(match ints {
                            Some(ints) => {
                                let (min, max) = (*ints.iter().min().expect("non-empty"), *ints.iter().max().expect("non-empty"));
                                IdSummary::Range { column, min, max, contiguous: (max - min + 1) as usize == ints.len() }
                            }
                            None => IdSummary::Values { column, values: keys.iter().map(Value::key).collect() },
                        })
                    }
                    _ => None,
                };
                TableReport {
                    table: t.display_name(),
                    rows: w.rows,
                    reason: match &tp.why {
                        Why::Requested => "requested".into(),
                        Why::Mentioned => "mentioned".into(),
                        Why::Required { by } => format!("required by {by}"),
                    },
                    elapsed: w.elapsed,
                    ids,
                    orphans: g
                        .orphans
                        .iter()
                        .map(|(c, values)| OrphanReport {
                            column: t.columns[*c].name.clone(),
                            count: values.len() as u64,
                            values: values.iter().map(Value::key).collect(),
                            typed: values.clone(),
                            sql_type: t.columns[*c].ty.sql_name(),
                        })
                        .collect(),
                    keys,
                    key_column: single_key.map(|c| t.columns[c].name.clone()),
                    key_type: single_key.map(|c| t.columns[c].ty.sql_name()),
                }
            })
            .collect();
        SeedReport {
            scope: scope.to_string(),
            seed: plan.options.seed,
            now: plan.options.now,
            total_rows: tables.iter().map(|t| t.rows).sum(),
            tables,
            elapsed,
            exports: Vec::new(),
        }
    }

    pub fn table(&self, name: &str) -> Option<&TableReport> {
        self.tables.iter().find(|t| t.table == name)
    }

    /// One line per table, then a total: stable and grep-able for CI logs.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "seed {} · now {}", self.seed, self.now.to_rfc3339_opts(SecondsFormat::Secs, true));
        let width = self.tables.iter().map(|t| t.table.len()).max().unwrap_or(5).max(5);
        for t in &self.tables {
            let ids = match &t.ids {
                Some(IdSummary::Range { column, min, max, .. }) => format!("  {column} {min}..{max}"),
                Some(IdSummary::Values { column, values }) => format!("  {column} ×{}", values.len()),
                None => String::new(),
            };
            let reason = if t.reason == "requested" || t.reason == "mentioned" { String::new() } else { format!("  ({})", t.reason) };
            let _ = writeln!(out, "{:<width$}  {:>8} rows  {:>8.1} ms{ids}{reason}", t.table, t.rows, t.elapsed.as_secs_f64() * 1000.0);
            for o in &t.orphans {
                let shown: Vec<&str> = o.values.iter().take(5).map(String::as_str).collect();
                let _ = writeln!(out, "{:<width$}  {:>8} deliberate orphans in {} (e.g. {})", "", o.count, o.column, shown.join(", "));
            }
        }
        let _ = write!(out, "total {} rows in {:.1} ms", self.total_rows, self.elapsed.as_secs_f64() * 1000.0);
        out
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("report serialises")
    }
}
