//! Postgres as the judge of the constraints the generator cannot read, and
//! a safety net for the ones it reads: between generation and the COPY,
//! each table's candidate rows are loaded into a constraint-free temporary
//! copy of the table, the server evaluates the real CHECK expressions
//! (table CHECKs, and domain CHECKs with `VALUE` standing for the column)
//! on them, and the rows it rejects are drawn again, deterministically, a
//! bounded number of times. Only a constraint that still fails then is an
//! error, raised before anything is written. Tables whose CHECKs were all
//! decoded are judged on a sample of rows, a safety net for misreadings.

use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, PgConnection};

use crate::error::{Error, Result};
use crate::generate::{self, Existing, GeneratedTable, Rejected, Taken, encode_copy};
use crate::plan::Plan;
use crate::schema::{Check, CheckExpr, Schema, SqlType, Table, quote_ident};

/// Rounds of redraws before a constraint that still fails is an error.
const ATTEMPTS: u32 = 12;
/// The probe's row-number column; no user column is called that.
const ROW: &str = "__seedfast_row";
/// Rejected values shown in an error.
const SAMPLE: usize = 3;
/// Rows judged of a table whose CHECKs were all decoded.
const SAMPLED_ROWS: usize = 2_000;

/// What judging cost, for the report and the benchmark.
#[derive(Debug, Clone, Default)]
pub struct Judged {
    /// Tables whose rows the server evaluated.
    pub tables: usize,
    /// Row redraws over all rounds.
    pub redrawn: usize,
    pub elapsed: Duration,
}

/// One constraint as SQL the probe table can evaluate.
#[derive(Debug, Clone)]
struct Rule {
    name: String,
    /// `CHECK ...` as the schema defines it, for messages.
    definition: String,
    /// A boolean expression over the probe's columns.
    sql: String,
    /// The columns a redraw changes to satisfy it.
    columns: Vec<usize>,
    /// The generator read the CHECK (and so meets it by construction).
    decoded: bool,
}

/// Judges every generated table that has CHECKs, redrawing rejected rows in
/// `generated`. Runs inside the seed's transaction; the probes are dropped.
pub async fn judge(conn: &mut PgConnection, schema: &Schema, plan: &Plan, existing: &Existing, generated: &mut [GeneratedTable]) -> Result<Judged> {
    let started = Instant::now();
    let mut judged = Judged::default();
    for index in 0..generated.len() {
        if generated[index].rows == 0 {
            continue;
        }
        let Some(mut judge) = TableJudge::new(conn, schema, generated[index].table, index).await? else { continue };
        judged.tables += 1;
        let (before, rest) = generated.split_at_mut(index);
        judge.judge(conn, schema, plan, existing, before, &mut rest[0], None, &mut judged).await?;
        judge.drop(conn).await?;
    }
    judged.elapsed = started.elapsed();
    Ok(judged)
}

/// The server's judging of one table's rows, whole or a chunk at a time
/// (one probe serves every chunk).
pub struct TableJudge {
    index: usize,
    table: usize,
    rules: Vec<Rule>,
    probe: Probe,
    /// CHECKs the generator read are met by construction: a sample of the
    /// table's first rows is enough to catch a misreading. Unread ones need
    /// every row judged.
    every_row: bool,
}

impl TableJudge {
    /// `None` when the table (plan index `index`) has no CHECKs to judge.
    pub async fn new(conn: &mut PgConnection, schema: &Schema, table: usize, index: usize) -> Result<Option<TableJudge>> {
        let t = &schema.tables[table];
        let rules = rules(t);
        if rules.is_empty() {
            return Ok(None);
        }
        let probe = Probe::create(conn, t, index).await?;
        let every_row = rules.iter().any(|r| !r.decoded);
        Ok(Some(TableJudge { index, table, rules, probe, every_row }))
    }

    /// Table rows below this one are judged (all of them when some CHECK
    /// was not read).
    pub fn judged_below(&self) -> usize {
        if self.every_row { usize::MAX } else { SAMPLED_ROWS }
    }

    /// Whether any row of a chunk of `rows` rows starting at table row
    /// `first_row` is judged: a sampled table's later chunks are not.
    pub fn wants(&self, first_row: usize, rows: usize) -> bool {
        rows > 0 && (self.every_row || first_row < SAMPLED_ROWS)
    }

    /// Judges `current` (the rows of plan index `index`, whole or a chunk),
    /// redrawing the rows the server rejects until every one passes.
    /// `taken` is the chunked table's unique values so far (see
    /// `generate::redraw_chunk`).
    #[allow(clippy::too_many_arguments)]
    pub async fn judge(
        &mut self,
        conn: &mut PgConnection,
        schema: &Schema,
        plan: &Plan,
        existing: &Existing,
        before: &[GeneratedTable],
        current: &mut GeneratedTable,
        mut taken: Option<&mut [Option<Taken>]>,
        judged: &mut Judged,
    ) -> Result<()> {
        if !self.wants(current.first_row, current.rows) {
            return Ok(());
        }
        let t = &schema.tables[self.table];
        let judged_rows = if self.every_row { current.rows } else { current.rows.min(SAMPLED_ROWS - current.first_row) };
        let mut rows: Vec<usize> = (0..judged_rows).collect();
        let mut active = self.rules.clone();
        let mut attempt = 0;
        loop {
            self.probe.load(conn, t, current, &rows).await?;
            let (failing, unjudgeable) = self.probe.failing(conn, &active).await?;
            let asked = active.clone();
            // An expression that raises on some row would make the COPY fail
            // the same way; the server's own message says more than ours.
            active.retain(|r| !unjudgeable.contains(&r.name));
            if failing.is_empty() {
                return Ok(());
            }
            if attempt == ATTEMPTS {
                return Err(still_failing(t, current, &asked, &failing));
            }
            attempt += 1;
            let rejected: Vec<Rejected> = failing
                .iter()
                .map(|(row, failed)| Rejected { row: *row, columns: failed.iter().flat_map(|&k| asked[k].columns.iter().copied()).collect() })
                .collect();
            judged.redrawn += rejected.len();
            generate::redraw_chunk(schema, plan, existing, before, self.index, current, taken.as_deref_mut(), &rejected, attempt, attempt == ATTEMPTS)?;
            rows = failing.iter().map(|(row, _)| *row).collect();
        }
    }

    /// Drops the probe (it would go at commit anyway).
    pub async fn drop(self, conn: &mut PgConnection) -> Result<()> {
        self.probe.drop(conn).await
    }
}

/// The table's CHECKs and its columns' domain CHECKs, as SQL.
fn rules(t: &Table) -> Vec<Rule> {
    let mut out: Vec<Rule> = t
        .checks
        .iter()
        .filter_map(|c| {
            let sql = check_body(&c.definition)?;
            let columns = match &c.expr {
                Some(e) => e.columns().iter().filter_map(|n| t.column(n)).collect(),
                None => mentioned_columns(t, &sql),
            };
            Some(Rule { name: c.name.clone(), definition: c.definition.clone(), sql, columns, decoded: c.expr.as_ref().is_some_and(modelled) })
        })
        .collect();
    for (ci, col) in t.columns.iter().enumerate() {
        let mut ty = &col.ty;
        while let SqlType::Domain { checks, base, name } = ty {
            for c in checks {
                out.extend(domain_rule(c, name, ci, &col.name));
            }
            ty = base;
        }
    }
    out
}

/// Whether the generator meets every part of a decoded CHECK by
/// construction. Patterns (whose dialect may exceed what we draw from) and
/// ORs of several conditions are judged on every row.
fn modelled(e: &CheckExpr) -> bool {
    e.conjuncts().into_iter().all(|c| match c {
        CheckExpr::Cmp { .. } | CheckExpr::In { .. } | CheckExpr::IsNull { .. } | CheckExpr::NonNulls { .. } | CheckExpr::NullsDiffer(..) => true,
        CheckExpr::Or(items) => items.len() == 2 && items.iter().any(|i| matches!(i, CheckExpr::IsNull { negated: false, .. })) && items.iter().all(|i| matches!(i, CheckExpr::Cmp { .. } | CheckExpr::In { .. } | CheckExpr::IsNull { .. })),
        _ => false,
    })
}

fn domain_rule(c: &Check, domain: &str, column: usize, column_name: &str) -> Option<Rule> {
    let body = check_body(&c.definition)?;
    Some(Rule {
        name: format!("{} (domain {domain})", c.name),
        definition: c.definition.clone(),
        sql: replace_value(&body, &quote_ident(column_name)),
        columns: vec![column],
        decoded: c.expr.as_ref().is_some_and(modelled),
    })
}

/// `CHECK ((price > 0)) NOT VALID` as `((price > 0))`. NOT VALID checks
/// still hold for new rows.
fn check_body(definition: &str) -> Option<String> {
    let body = definition.trim().strip_prefix("CHECK")?.trim();
    Some(body.strip_suffix("NOT VALID").unwrap_or(body).trim().to_string())
}

/// The domain placeholder `VALUE` replaced by the column, outside quotes.
fn replace_value(sql: &str, column: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        if c == '\'' || c == '"' {
            let end = closing_quote(rest, c);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with("VALUE") && !rest[5..].starts_with(|ch: char| ch.is_alphanumeric() || ch == '_') && !out.ends_with(|ch: char| ch.is_alphanumeric() || ch == '_') {
            out.push_str(column);
            rest = &rest[5..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The byte just past the quoted text that starts `s` (a doubled quote is
/// part of the text).
fn closing_quote(s: &str, quote: char) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == quote as u8 {
            if bytes.get(i + 1) == Some(&(quote as u8)) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    s.len()
}

/// Columns an expression we could not decode names, bare or quoted.
fn mentioned_columns(t: &Table, sql: &str) -> Vec<usize> {
    let words: Vec<&str> = sql.split(|ch: char| !(ch.is_alphanumeric() || ch == '_')).filter(|w| !w.is_empty()).collect();
    (0..t.columns.len())
        .filter(|&c| {
            let name = &t.columns[c].name;
            sql.contains(&quote_ident(name)) || words.iter().any(|w| w == name)
        })
        .collect()
}

fn still_failing(t: &Table, g: &GeneratedTable, rules: &[Rule], failing: &[(usize, Vec<usize>)]) -> Error {
    let first = failing[0].1.first().copied().unwrap_or(0);
    let rule = &rules[first];
    let count = failing.iter().filter(|(_, f)| f.contains(&first)).count();
    let sample: Vec<String> = failing
        .iter()
        .filter(|(_, f)| f.contains(&first))
        .take(SAMPLE)
        .map(|(row, _)| {
            let cells: Vec<String> = rule
                .columns
                .iter()
                .map(|&c| format!("{}={}", t.columns[c].name, g.column(c).get(*row).and_then(|v| v.to_pg_text()).map(|s| format!("'{s}'")).unwrap_or_else(|| "NULL".into())))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    let column = rule.columns.first().map(|&c| t.columns[c].name.clone()).unwrap_or_else(|| "?".into());
    Error::Unsatisfiable {
        table: t.display_name(),
        column,
        constraint: format!("CHECK {}", rule.name),
        reason: format!(
            "the server rejected {count} of {} rows after {ATTEMPTS} redraws of each; `{}` is false for e.g. {}",
            g.rows,
            rule.definition,
            sample.join(", ")
        ),
        help: "seed values that pass with the scope (`with <column> ...`), make the column nullable, or report the CHECK so the generator learns it".into(),
    }
}

/// A temporary, constraint-free copy of a table's columns (domains
/// replaced by their base types, so their CHECKs do not fire on load).
struct Probe {
    name: String,
    columns: Vec<usize>,
}

impl Probe {
    async fn create(conn: &mut PgConnection, t: &Table, index: usize) -> Result<Probe> {
        let types: Vec<(String, String)> = sqlx::query_as(
            "WITH RECURSIVE base(attnum, attname, typid, typmod) AS (
                 SELECT a.attnum, a.attname::text, a.atttypid, a.atttypmod
                   FROM pg_attribute a
                  WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
                 UNION ALL
                 SELECT b.attnum, b.attname, t.typbasetype, t.typtypmod
                   FROM base b JOIN pg_type t ON t.oid = b.typid
                  WHERE t.typtype = 'd')
             SELECT b.attname, format_type(b.typid, b.typmod)
               FROM base b JOIN pg_type t ON t.oid = b.typid
              WHERE t.typtype <> 'd'
              ORDER BY b.attnum",
        )
        .bind(t.qualified())
        .fetch_all(&mut *conn)
        .await
        .map_err(Error::db(format!("reading the column types of {}", t.display_name())))?;
        let name = format!("seedfast_probe_{index}");
        let mut defs: Vec<String> = types.iter().map(|(col, ty)| format!("{} {ty}", quote_ident(col))).collect();
        defs.push(format!("{ROW} int4"));
        let sql = format!("CREATE TEMP TABLE {} ({}) ON COMMIT DROP", quote_ident(&name), defs.join(", "));
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await.map_err(Error::db(format!("creating a probe for {}", t.display_name())))?;
        let columns = (0..t.columns.len()).filter(|&c| types.iter().any(|(n, _)| *n == t.columns[c].name)).collect();
        Ok(Probe { name, columns })
    }

    /// Replaces the probe's rows with `rows` of the candidates.
    async fn load(&self, conn: &mut PgConnection, t: &Table, g: &GeneratedTable, rows: &[usize]) -> Result<()> {
        let context = format!("loading candidate rows of {} for the server to judge", t.display_name());
        sqlx::query(AssertSqlSafe(format!("TRUNCATE {}", quote_ident(&self.name)))).execute(&mut *conn).await.map_err(Error::db(context.clone()))?;
        let cols: Vec<usize> = self.columns.iter().copied().filter(|&c| g.columns[c].is_some()).collect();
        let names: Vec<String> = cols.iter().map(|&c| quote_ident(&t.columns[c].name)).chain([ROW.to_string()]).collect();
        let statement = format!("COPY {} ({}) FROM STDIN", quote_ident(&self.name), names.join(", "));
        let mut copy = conn.copy_in_raw(&statement).await.map_err(Error::db(context.clone()))?;
        let mut buf = String::with_capacity(64 * 1024);
        for &r in rows {
            for &c in &cols {
                encode_copy(&g.column(c)[r], &mut buf);
                buf.push('\t');
            }
            buf.push_str(&r.to_string());
            buf.push('\n');
            if buf.len() >= 256 * 1024 {
                copy.send(std::mem::take(&mut buf).into_bytes()).await.map_err(Error::db(context.clone()))?;
            }
        }
        if !buf.is_empty() {
            copy.send(buf.into_bytes()).await.map_err(Error::db(context.clone()))?;
        }
        copy.finish().await.map_err(Error::db(context))?;
        Ok(())
    }

    /// Rows where some rule is false, with the indexes of those rules; and
    /// the rules whose evaluation raised an error (judged one by one, each
    /// under a savepoint so the seed's transaction survives).
    async fn failing(&self, conn: &mut PgConnection, rules: &[Rule]) -> Result<(Vec<(usize, Vec<usize>)>, Vec<String>)> {
        if rules.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        if let Some(rows) = self.evaluate(conn, rules).await? {
            return Ok((rows, Vec::new()));
        }
        let mut raised = Vec::new();
        let mut merged: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
        for (k, rule) in rules.iter().enumerate() {
            match self.evaluate(conn, std::slice::from_ref(rule)).await? {
                Some(rows) => rows.into_iter().for_each(|(r, _)| merged.entry(r).or_default().push(k)),
                None => raised.push(rule.name.clone()),
            }
        }
        Ok((merged.into_iter().collect(), raised))
    }

    /// `None` when the server raised an error evaluating the rules.
    async fn evaluate(&self, conn: &mut PgConnection, rules: &[Rule]) -> Result<Option<Vec<(usize, Vec<usize>)>>> {
        let verdicts: Vec<String> = rules.iter().map(|r| format!("(({}) IS NOT FALSE)", r.sql)).collect();
        let sql = format!(
            "SELECT {ROW}, ARRAY[{}] FROM {} WHERE NOT ({}) ORDER BY {ROW}",
            verdicts.join(", "),
            quote_ident(&self.name),
            verdicts.join(" AND ")
        );
        let context = "judging candidate rows";
        sqlx::query("SAVEPOINT seedfast_probe").execute(&mut *conn).await.map_err(Error::db(context))?;
        let result: std::result::Result<Vec<(i32, Vec<bool>)>, sqlx::Error> = sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut *conn).await;
        match result {
            Ok(rows) => {
                sqlx::query("RELEASE SAVEPOINT seedfast_probe").execute(&mut *conn).await.map_err(Error::db(context))?;
                Ok(Some(rows.into_iter().map(|(r, ok)| (r as usize, ok.iter().enumerate().filter(|(_, ok)| !**ok).map(|(k, _)| k).collect())).collect()))
            }
            Err(sqlx::Error::Database(_)) => {
                sqlx::query("ROLLBACK TO SAVEPOINT seedfast_probe").execute(&mut *conn).await.map_err(Error::db(context))?;
                Ok(None)
            }
            Err(e) => Err(Error::db(context)(e)),
        }
    }

    async fn drop(self, conn: &mut PgConnection) -> Result<()> {
        sqlx::query(AssertSqlSafe(format!("DROP TABLE {}", quote_ident(&self.name)))).execute(&mut *conn).await.map_err(Error::db("dropping a probe table"))?;
        Ok(())
    }
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn put_the_column_where_a_domain_check_says_value() {
        assert_eq!(replace_value("((VALUE ~ '^VALUE$'::text))", "\"isbn\""), "((\"isbn\" ~ '^VALUE$'::text))");
        assert_eq!(replace_value("(VALUE_X > 0 AND (VALUE)::text <> '')", "c"), "(VALUE_X > 0 AND (c)::text <> '')");
    }

    #[test]
    fn strip_check_and_not_valid() {
        assert_eq!(check_body("CHECK ((a > 0)) NOT VALID").as_deref(), Some("((a > 0))"));
        assert_eq!(check_body("UNIQUE (a)"), None);
    }
}
