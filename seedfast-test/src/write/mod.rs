//! Writes generated rows with COPY (text format), all tables in one
//! transaction: a seed that fails anywhere leaves the database as it was.
//! Afterwards sequences are moved past the generated keys so the
//! application's own inserts keep working.

mod nodelay;
mod stream;

use std::time::{Duration, Instant};

pub use nodelay::tcp_nodelay_everywhere;
pub use stream::stream_all;

use sqlx::{AssertSqlSafe, PgConnection, Postgres, Transaction};

use crate::error::{Error, Result};
use crate::generate::{Existing, GeneratedTable, Value, encode_copy};
use crate::schema::{Fold, Schema, Table, UniquePart, quote_ident};

/// COPY data is sent in chunks of about this size, so memory stays flat
/// whatever the row count.
const CHUNK_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct Written {
    pub table: usize,
    pub rows: u64,
    pub elapsed: Duration,
}

/// Told what a seed is doing as it goes, for a progress display (the CLI's
/// on a terminal). Every method defaults to doing nothing.
pub trait Progress: Send + Sync {
    /// Rows for these tables are being generated.
    fn generating(&self, _tables: &[String]) {}
    /// Writing `rows` rows into `table` begins.
    fn table(&self, _table: &str, _rows: u64) {}
    /// `rows` more rows of the current table were sent.
    fn written(&self, _rows: u64) {}
    /// Everything is written (or the seed failed).
    fn done(&self) {}
}

/// No display.
pub struct NoProgress;

impl Progress for NoProgress {}

/// Writes every table inside `tx`; the caller commits.
pub async fn write_all(tx: &mut Transaction<'_, Postgres>, schema: &Schema, tables: &[GeneratedTable]) -> Result<Vec<Written>> {
    write_all_with(tx, schema, tables, &NoProgress).await
}

/// [`write_all`], reporting rows as they are sent.
pub async fn write_all_with(tx: &mut Transaction<'_, Postgres>, schema: &Schema, tables: &[GeneratedTable], progress: &dyn Progress) -> Result<Vec<Written>> {
    // Deferrable keys that break cycles are checked at commit.
    sqlx::query("SET CONSTRAINTS ALL DEFERRED").execute(&mut **tx).await.map_err(Error::db("deferring constraints"))?;
    let triggers = triggers(tx).await?;
    let mut written = Vec::with_capacity(tables.len());
    for g in tables {
        let started = Instant::now();
        let t = &schema.tables[g.table];
        let rows = copy_table(tx, t, g, progress).await.map_err(|e| name_trigger(e, t, &triggers))?;
        written.push(Written { table: g.table, rows, elapsed: started.elapsed() });
    }
    for g in tables {
        let t = &schema.tables[g.table];
        for (k, tuples) in &g.fixups {
            fix_up(tx, t, g, *k, tuples).await?;
        }
    }
    for g in tables {
        advance_sequences(tx, &schema.tables[g.table]).await?;
    }
    Ok(written)
}

/// (schema, table, trigger, function) of every user trigger, read before the
/// COPYs: once a trigger raises, the transaction can no longer be asked.
pub(crate) async fn triggers(conn: &mut PgConnection) -> Result<Vec<(String, String, String, String)>> {
    sqlx::query_as(
        "SELECT n.nspname::text, c.relname::text, g.tgname::text, p.proname::text
           FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_proc p ON p.oid = g.tgfoid
          WHERE NOT g.tgisinternal",
    )
    .fetch_all(conn)
    .await
    .map_err(Error::db("reading the schema's triggers"))
}

/// A COPY error raised inside a trigger's function says which trigger: the
/// server only names the function (`PL/pgSQL function check_stock() line 4
/// at RAISE`), and the user knows their triggers by name.
pub(crate) fn name_trigger(e: Error, t: &Table, triggers: &[(String, String, String, String)]) -> Error {
    let Error::Database { context, source } = e else { return e };
    let place = source.as_database_error().and_then(|db| db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()).and_then(|pg| pg.r#where()).unwrap_or_default().to_string();
    let fired = triggers.iter().find(|(schema, table, _, function)| *schema == t.schema && *table == t.name && place.contains(&format!("function {function}(")));
    match fired {
        Some((_, _, trigger, function)) => Error::Database { context: format!("{context}: trigger `{trigger}` (function `{function}`) raised"), source },
        None => Error::Database { context, source },
    }
}

async fn copy_table(conn: &mut PgConnection, t: &Table, g: &GeneratedTable, progress: &dyn Progress) -> Result<u64> {
    let cols: Vec<usize> = (0..t.columns.len()).filter(|&c| g.columns[c].is_some()).collect();
    if g.rows == 0 || cols.is_empty() {
        return Ok(0);
    }
    progress.table(&t.display_name(), g.rows as u64);
    let mut unreported = 0u64;
    let names: Vec<String> = cols.iter().map(|&c| quote_ident(&t.columns[c].name)).collect();
    let statement = format!("COPY {} ({}) FROM STDIN", t.qualified(), names.join(", "));
    let context = format!("writing {} rows into {}", g.rows, t.display_name());
    let mut copy = conn.copy_in_raw(&statement).await.map_err(Error::db(context.clone()))?;
    let mut buf = String::with_capacity(CHUNK_BYTES + 4096);
    for r in 0..g.rows {
        for (i, &c) in cols.iter().enumerate() {
            if i > 0 {
                buf.push('\t');
            }
            encode_copy(&g.column(c)[r], &mut buf);
        }
        buf.push('\n');
        unreported += 1;
        if buf.len() >= CHUNK_BYTES {
            copy.send(std::mem::take(&mut buf).into_bytes()).await.map_err(Error::db(context.clone()))?;
            progress.written(std::mem::take(&mut unreported));
        }
    }
    if !buf.is_empty() {
        copy.send(buf.into_bytes()).await.map_err(Error::db(context.clone()))?;
        progress.written(unreported);
    }
    copy.finish().await.map_err(Error::db(context))
}

/// Sets a cycle-breaking foreign key that was inserted as NULL, in one
/// statement per table via `UPDATE ... FROM (VALUES ...)`.
async fn fix_up(conn: &mut PgConnection, t: &Table, g: &GeneratedTable, k: usize, tuples: &[Vec<Value>]) -> Result<()> {
    if t.primary_key.is_empty() || tuples.is_empty() {
        return Ok(());
    }
    let fk = &t.foreign_keys[k];
    let key_cols: Vec<usize> = t.primary_key.clone();
    let literal = |v: &Value| v.to_pg_text().map(|s| format!("'{}'", s.replace('\'', "''"))).unwrap_or_else(|| "NULL".into());
    for chunk in (0..g.rows).collect::<Vec<_>>().chunks(1000) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|&r| {
                let keys = key_cols.iter().map(|&c| literal(&g.column(c)[r]));
                let values = tuples[r].iter().map(literal);
                format!("({})", keys.chain(values).collect::<Vec<_>>().join(", "))
            })
            .collect();
        let key_names: Vec<String> = (0..key_cols.len()).map(|i| format!("k{i}")).collect();
        let value_names: Vec<String> = (0..fk.columns.len()).map(|i| format!("v{i}")).collect();
        let set: Vec<String> = fk
            .columns
            .iter()
            .enumerate()
            .map(|(i, &c)| format!("{} = v.v{i}::{}", quote_ident(&t.columns[c].name), t.columns[c].ty.sql_name()))
            .collect();
        let cond: Vec<String> = key_cols
            .iter()
            .enumerate()
            .map(|(i, &c)| format!("t.{} = v.k{i}::{}", quote_ident(&t.columns[c].name), t.columns[c].ty.sql_name()))
            .collect();
        let sql = format!(
            "UPDATE {} AS t SET {} FROM (VALUES {}) AS v({}) WHERE {}",
            t.qualified(),
            set.join(", "),
            rows.join(", "),
            key_names.iter().chain(&value_names).cloned().collect::<Vec<_>>().join(", "),
            cond.join(" AND ")
        );
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await.map_err(Error::db(format!("setting {} of {}", fk.name, t.display_name())))?;
    }
    Ok(())
}

/// Moves each serial/identity sequence past the largest key in the table.
pub(crate) async fn advance_sequences(conn: &mut PgConnection, t: &Table) -> Result<()> {
    for col in t.columns.iter().filter(|c| c.sequence.is_some()) {
        let sequence = col.sequence.as_deref().expect("filtered");
        let sql = format!(
            "SELECT setval($1::regclass, m, true) FROM (SELECT max({}) AS m FROM {}) s WHERE m IS NOT NULL",
            quote_ident(&col.name),
            t.qualified()
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(sequence)
            .execute(&mut *conn)
            .await
            .map_err(Error::db(format!("advancing sequence {sequence}")))?;
    }
    Ok(())
}

/// What the planned tables already hold: the largest value of each integer
/// key the engine numbers (new keys continue after it) and the values of
/// single-column unique columns (new values avoid them). Empty tables, the
/// common case, cost one query each.
pub async fn existing(conn: &mut PgConnection, schema: &Schema, tables: &[usize]) -> Result<Existing> {
    let mut existing = Existing::default();
    for &ti in tables {
        let t = &schema.tables[ti];
        let has_rows: bool = sqlx::query_scalar(AssertSqlSafe(format!("SELECT EXISTS (SELECT 1 FROM {})", t.qualified())))
            .fetch_one(&mut *conn)
            .await
            .map_err(Error::db(format!("reading existing rows of {}", t.display_name())))?;
        if !has_rows {
            continue;
        }
        for (c, col) in t.columns.iter().enumerate() {
            let numbered = col.identity.is_some() || col.sequence.is_some() || t.primary_key == [c];
            if numbered && col.ty.is_integer() {
                let sql = format!("SELECT coalesce(max({})::int8, 0) FROM {}", quote_ident(&col.name), t.qualified());
                let max: i64 = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(&mut *conn).await.map_err(Error::db(format!("reading existing keys of {}", t.display_name())))?;
                existing.key_offsets.insert((ti, c), max);
                continue;
            }
            let Some(fold) = single_unique(t, c) else { continue };
            let expr = match fold {
                Some(Fold::Lower) => format!("lower({}::text)", quote_ident(&col.name)),
                Some(Fold::Upper) => format!("upper({}::text)", quote_ident(&col.name)),
                None => format!("{}::text", quote_ident(&col.name)),
            };
            let sql = format!("SELECT {expr} FROM {} WHERE {} IS NOT NULL", t.qualified(), quote_ident(&col.name));
            let values: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(&mut *conn).await.map_err(Error::db(format!("reading existing values of {}", t.display_name())))?;
            existing.unique_values.insert((ti, c), values.into_iter().collect());
        }
    }
    Ok(existing)
}

/// `Some(fold)` when column `c` alone is unique (by constraint or index).
fn single_unique(t: &Table, c: usize) -> Option<Option<Fold>> {
    if t.primary_key == [c] {
        return Some(None);
    }
    t.uniques.iter().filter(|u| u.parts.len() == 1).find_map(|u| match &u.parts[0] {
        UniquePart::Column(x) if *x == c => Some(None),
        UniquePart::Folded { column, fold } if *column == c => Some(Some(*fold)),
        _ => None,
    })
}
