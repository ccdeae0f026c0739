//! How much one seed may generate. Rows are generated in memory before they
//! are written, so an absurd count (`1000000000000 users`, a scale of 1e12,
//! `100000000-100000000 addresses per user`) would abort the process on a
//! failed allocation; checked on the finished plan, these are clear errors
//! raised before anything is allocated or written.

use std::collections::HashMap;

use super::{IdSet, Plan, Rows, Rule};
use crate::error::{Error, Result};
use crate::schema::{Schema, SqlType};

/// Raises (or lowers) the row limit, per table and per seed.
pub const MAX_ROWS_ENV: &str = "SEEDFAST_MAX_ROWS";

/// About what a large CI machine generates in memory without trouble.
pub const DEFAULT_MAX_ROWS: u64 = 100_000_000;

/// The row limit: `SEEDFAST_MAX_ROWS` when set, else [`DEFAULT_MAX_ROWS`].
pub fn max_rows() -> Result<u64> {
    match std::env::var(MAX_ROWS_ENV) {
        Err(_) => Ok(DEFAULT_MAX_ROWS),
        Ok(v) => v.trim().replace(['_', ','], "").parse::<u64>().map_err(|_| {
            Error::Usage(format!("{MAX_ROWS_ENV}={v} is not a whole number of rows; e.g. {MAX_ROWS_ENV}=500000000"))
        }),
    }
}

/// Checks every table's row count (after `SEEDFAST_SCALE`, per-parent
/// counts multiplied out) and the seed's total against `max_rows`, and
/// every ID range against its column's type.
pub fn check(schema: &Schema, plan: &Plan, max_rows: u64) -> Result<()> {
    let help = || {
        format!(
            "seed fewer rows (or a smaller {}), or raise the limit with {MAX_ROWS_ENV}=N",
            crate::plan::SeedOptions::SCALE_ENV
        )
    };
    let mut rows: HashMap<usize, u64> = HashMap::new();
    let mut total: u64 = 0;
    for tp in &plan.tables {
        let t = &schema.tables[tp.table];
        let (n, how) = match tp.rows {
            Rows::Exactly(n) => (n, String::new()),
            Rows::PerParent { fk, max, .. } => {
                let parent = t.foreign_keys[fk].ref_table;
                let parents = rows.get(&parent).copied().unwrap_or(0);
                let name = &schema.tables[parent].display_name();
                (
                    parents.saturating_mul(max),
                    format!(" ({max} per `{name}` row × {parents} `{name}` rows)"),
                )
            }
        };
        if n > max_rows {
            return Err(Error::Plan {
                message: format!(
                    "the scope asks for up to {n} rows of `{}`{how}, over the limit of {max_rows} rows per table",
                    t.display_name()
                ),
                help: help(),
            });
        }
        rows.insert(tp.table, n);
        total = total.saturating_add(n);
        for (&c, rule) in &tp.rules {
            if let Rule::Ids(IdSet::Range { start, end })
            | Rule::OnePerId(IdSet::Range { start, end }) = rule
            {
                check_range(
                    &t.display_name(),
                    &t.columns[c].name,
                    t.columns[c].ty.base(),
                    *start,
                    *end,
                )?;
            }
        }
    }
    if total > max_rows {
        return Err(Error::Plan {
            message: format!(
                "the scope asks for up to {total} rows in all, over the limit of {max_rows} rows per seed"
            ),
            help: help(),
        });
    }
    Ok(())
}

/// An ID range must fit its column: `for user IDs 1-3000000000` on an
/// `integer` column would fail on the server after everything was generated.
fn check_range(table: &str, column: &str, ty: &SqlType, start: i64, end: i64) -> Result<()> {
    let (min, max) = match ty {
        SqlType::Int2 => (i16::MIN as i64, i16::MAX as i64),
        SqlType::Int4 => (i32::MIN as i64, i32::MAX as i64),
        _ => return Ok(()),
    };
    if start < min || end > max {
        return Err(Error::Plan {
            message: format!(
                "the ID range {start}-{end} does not fit `{table}.{column}`, which is {} ({min} to {max})",
                ty.sql_name()
            ),
            help: format!("keep the range within {min}-{max}, or a smaller SEEDFAST_SCALE"),
        });
    }
    Ok(())
}
