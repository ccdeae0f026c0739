//! What a seeded template's tests need, kept beside the template in the
//! server's registry table so that a later process can hand it out without
//! seeding: the whole [`SeedReport`] (the generated keys and orphans the
//! typed accessors read, and the rows downstream services take their
//! references from), the verified contracts and the unverified ones.
//!
//! The report's own JSON (`SeedReport::json`) is for people and leaves those
//! out, so this is a mirror of it, field for field, with the generated
//! values in a form JSON carries without loss: floats by their bits (NaN and
//! infinities have no JSON number), 128-bit decimals and UUIDs as text.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::generate::Value;
use crate::report::{IdSummary, OrphanReport, SeedReport, TableReport};
use crate::upstream::UpstreamTable;
use crate::verify::ContractCheck;

/// Everything a `ServiceDb` of a seeded template reads.
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored {
    pub report: StoredReport,
    pub checks: Vec<ContractCheck>,
    pub unverified: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct StoredReport {
    scope: String,
    seed: u64,
    now: DateTime<Utc>,
    tables: Vec<StoredTable>,
    total_rows: u64,
    elapsed_micros: u64,
    exports: Vec<StoredUpstream>,
}

#[derive(Serialize, Deserialize)]
struct StoredTable {
    table: String,
    rows: u64,
    reason: String,
    elapsed_micros: u64,
    ids: Option<IdSummary>,
    orphans: Vec<StoredOrphans>,
    keys: Vec<StoredValue>,
    key_column: Option<String>,
    key_type: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredOrphans {
    column: String,
    count: u64,
    values: Vec<String>,
    typed: Vec<StoredValue>,
    sql_type: String,
}

#[derive(Serialize, Deserialize)]
struct StoredUpstream {
    service: String,
    schema: String,
    table: String,
    columns: Vec<(String, Vec<StoredValue>)>,
}

/// [`Value`], as JSON carries it exactly.
#[derive(Serialize, Deserialize)]
#[serde(tag = "t", content = "v")]
enum StoredValue {
    Null,
    Bool(bool),
    Int(i64),
    /// `units` as decimal text: JSON numbers stop short of i128.
    Decimal { units: String, scale: u32 },
    /// The f64's bits: NaN and the infinities have no JSON number.
    Float(u64),
    Text(String),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
    Timestamptz(DateTime<Utc>),
    Uuid(String),
    Json(serde_json::Value),
    Array(Vec<StoredValue>),
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

impl From<&Value> for StoredValue {
    fn from(v: &Value) -> StoredValue {
        match v {
            Value::Null => StoredValue::Null,
            Value::Bool(b) => StoredValue::Bool(*b),
            Value::Int(i) => StoredValue::Int(*i),
            Value::Decimal { units, scale } => StoredValue::Decimal { units: units.to_string(), scale: *scale },
            Value::Float(f) => StoredValue::Float(f.to_bits()),
            Value::Text(s) => StoredValue::Text(s.clone()),
            Value::Date(d) => StoredValue::Date(*d),
            Value::Timestamp(t) => StoredValue::Timestamp(*t),
            Value::Timestamptz(t) => StoredValue::Timestamptz(*t),
            Value::Uuid(u) => StoredValue::Uuid(u.to_string()),
            Value::Json(j) => StoredValue::Json(j.clone()),
            Value::Array(a) => StoredValue::Array(a.iter().map(StoredValue::from).collect()),
        }
    }
}

impl StoredValue {
    fn into_value(self) -> Result<Value, String> {
        Ok(match self {
            StoredValue::Null => Value::Null,
            StoredValue::Bool(b) => Value::Bool(b),
            StoredValue::Int(i) => Value::Int(i),
            StoredValue::Decimal { units, scale } => {
                Value::Decimal { units: units.parse().map_err(|e| format!("decimal units `{units}`: {e}"))?, scale }
            }
            StoredValue::Float(bits) => Value::Float(f64::from_bits(bits)),
            StoredValue::Text(s) => Value::Text(s),
            StoredValue::Date(d) => Value::Date(d),
            StoredValue::Timestamp(t) => Value::Timestamp(t),
            StoredValue::Timestamptz(t) => Value::Timestamptz(t),
            StoredValue::Uuid(u) => Value::Uuid(u.parse().map_err(|e| format!("uuid `{u}`: {e}"))?),
            StoredValue::Json(j) => Value::Json(j),
            StoredValue::Array(a) => Value::Array(values(a)?),
        })
    }
}

fn stored(values: &[Value]) -> Vec<StoredValue> {
    values.iter().map(StoredValue::from).collect()
}

fn values(stored: Vec<StoredValue>) -> Result<Vec<Value>, String> {
    stored.into_iter().map(StoredValue::into_value).collect()
}

impl From<&SeedReport> for StoredReport {
    fn from(r: &SeedReport) -> StoredReport {
        StoredReport {
            scope: r.scope.clone(),
            seed: r.seed,
            now: r.now,
            total_rows: r.total_rows,
            elapsed_micros: micros(r.elapsed),
            tables: r
                .tables
                .iter()
                .map(|t| StoredTable {
                    table: t.table.clone(),
                    rows: t.rows,
                    reason: t.reason.clone(),
                    elapsed_micros: micros(t.elapsed),
                    ids: t.ids.clone(),
                    orphans: t
                        .orphans
                        .iter()
                        .map(|o| StoredOrphans {
                            column: o.column.clone(),
                            count: o.count,
                            values: o.values.clone(),
                            typed: stored(&o.typed),
                            sql_type: o.sql_type.clone(),
                        })
                        .collect(),
                    keys: stored(&t.keys),
                    key_column: t.key_column.clone(),
                    key_type: t.key_type.clone(),
                })
                .collect(),
            exports: r
                .exports
                .iter()
                .map(|e| StoredUpstream {
                    service: e.service.clone(),
                    schema: e.schema.clone(),
                    table: e.table.clone(),
                    columns: e.columns.iter().map(|(n, v)| (n.clone(), stored(v))).collect(),
                })
                .collect(),
        }
    }
}

impl StoredReport {
    /// The report again; an error names what could not be read back.
    pub(crate) fn into_report(self) -> Result<SeedReport, String> {
        let mut tables = Vec::with_capacity(self.tables.len());
        for t in self.tables {
            let mut orphans = Vec::with_capacity(t.orphans.len());
            for o in t.orphans {
                orphans.push(OrphanReport { column: o.column, count: o.count, values: o.values, typed: values(o.typed)?, sql_type: o.sql_type });
            }
            tables.push(TableReport {
                table: t.table,
                rows: t.rows,
                reason: t.reason,
                elapsed: Duration::from_micros(t.elapsed_micros),
                ids: t.ids,
                orphans,
                keys: values(t.keys)?,
                key_column: t.key_column,
                key_type: t.key_type,
            });
        }
        let mut exports = Vec::with_capacity(self.exports.len());
        for e in self.exports {
            let mut columns = Vec::with_capacity(e.columns.len());
            for (name, v) in e.columns {
                columns.push((name, values(v)?));
            }
            exports.push(Arc::new(UpstreamTable { service: e.service, schema: e.schema, table: e.table, columns }));
        }
        Ok(SeedReport {
            scope: self.scope,
            seed: self.seed,
            now: self.now,
            tables,
            total_rows: self.total_rows,
            elapsed: Duration::from_micros(self.elapsed_micros),
            exports,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_comes_back_unchanged() {
        let date = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let all = vec![
            Value::Null,
            Value::Bool(true),
            Value::Int(i64::MIN),
            Value::Decimal { units: i128::MAX, scale: 4 },
            Value::Float(0.1),
            Value::Float(f64::INFINITY),
            Value::Text("O'Brien \u{e9}".into()),
            Value::Date(date),
            Value::Timestamp(date.and_hms_micro_opt(23, 59, 59, 123_456).unwrap()),
            Value::Timestamptz(DateTime::from_timestamp(1_700_000_000, 5_000).unwrap()),
            Value::Uuid(uuid::Uuid::from_u128(42)),
            Value::Json(serde_json::json!({"a": [1, null]})),
            Value::Array(vec![Value::Int(1), Value::Null]),
        ];
        let json = serde_json::to_string(&stored(&all)).unwrap();
        let back = values(serde_json::from_str(&json).unwrap()).unwrap();
        assert_eq!(format!("{all:?}"), format!("{back:?}"));
        let nan = values(serde_json::from_str(&serde_json::to_string(&stored(&[Value::Float(f64::NAN)])).unwrap()).unwrap()).unwrap();
        assert!(matches!(nan[0], Value::Float(f) if f.is_nan()));
    }

    #[test]
    fn a_damaged_value_is_an_error_not_a_panic() {
        let bad: Vec<StoredValue> = serde_json::from_str(r#"[{"t":"Uuid","v":"not-a-uuid"}]"#).unwrap();
        assert!(values(bad).unwrap_err().contains("not-a-uuid"));
    }
}
