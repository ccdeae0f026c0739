//! Generates the planned tables in insertion order: keys, foreign keys
//! (`references`), event logs (`events`), the scope's rules (`rules`), then
//! every other column by name and type within its constraints (here), the
//! constraints between a row's columns (`rows`), unique keys (`uniques`,
//! `partial`), and, for the server's verdicts, redraws (`redraw`).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Utc};
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;

mod chunks;
mod events;
mod partial;
mod redraw;
mod references;
mod rows;
mod rules;
mod states;
mod uniques;

pub use chunks::{Chunks, streamable};
pub use redraw::{Rejected, redraw, redraw_chunk};

use super::pattern::TextPatterns;
use super::realistic::{self, Kind};
use super::spec::{Spec, column_spec};
use super::types;
use super::taken::Taken;
use super::value::Value;
use super::{Existing, GeneratedTable, stream};
use crate::error::{Error, Result};
use crate::plan::{IdSet, Plan, Rows, Rule, TablePlan};
use crate::upstream::UpstreamTable;
use crate::schema::{CmpOp, Fold, Schema, SqlType, Table, UniquePart};

/// Share of nullable columns left NULL when the scope does not ask for them.
const NULL_RATE: f64 = 0.1;
/// Share of a nullable foreign key's rows left NULL when the scope does not
/// shape it: references are filled like NOT NULL ones, with a few gaps.
pub const NULL_REFERENCE_SHARE: f64 = 0.05;
/// Attempts to find a fresh value for a unique column before disambiguating.
const UNIQUE_RETRIES: usize = 20;
/// Draws of a realistic text before one too long for its column is cut.
const FIT_RETRIES: usize = 6;

pub fn generate(schema: &Schema, plan: &Plan, existing: &Existing) -> Result<Vec<GeneratedTable>> {
    generate_except(schema, plan, existing, &[])
}

/// [`generate`], leaving out the tables at plan indexes `streamed` (they
/// are generated chunk by chunk as they are written, see `Chunks`): each
/// stands as an empty table, so indexes still match the plan's.
pub fn generate_except(schema: &Schema, plan: &Plan, existing: &Existing, streamed: &[usize]) -> Result<Vec<GeneratedTable>> {
    let mut done: Vec<GeneratedTable> = Vec::with_capacity(plan.tables.len());
    for (i, tp) in plan.tables.iter().enumerate() {
        let generated = if streamed.contains(&i) {
            GeneratedTable::empty(tp.table, schema.tables[tp.table].columns.len())
        } else {
            TableGen::new(schema, plan, tp, existing, &done)?.run()?
        };
        done.push(generated);
    }
    fill_fixups(schema, plan, &mut done)?;
    derive_totals(schema, plan, &mut done);
    Ok(done)
}

/// A parent's `total` is the sum of its line items' `quantity × unit_price`
/// when both are seeded: an order's total means what it says, and values
/// derived from it across services (`amounts matching order totals`) do too.
fn derive_totals(schema: &Schema, plan: &Plan, done: &mut [GeneratedTable]) {
    for (p, tp) in plan.tables.iter().enumerate() {
        let parent = &schema.tables[tp.table];
        let Some(total) = ["total", "subtotal", "total_amount"].iter().find_map(|n| parent.column(n)) else { continue };
        let SqlType::Numeric { scale, .. } = parent.columns[total].ty.base() else { continue };
        if tp.rules.contains_key(&total) || parent.primary_key.len() != 1 {
            continue;
        }
        let scale = scale.unwrap_or(2);
        let key = parent.primary_key[0];
        for (ci, ctp) in plan.tables.iter().enumerate() {
            let child = &schema.tables[ctp.table];
            let Some(fk) = child.foreign_keys.iter().find(|fk| fk.ref_table == tp.table && fk.columns.len() == 1 && fk.ref_columns == [key]) else { continue };
            let (Some(qty), Some(price)) = (
                ["quantity", "qty"].iter().find_map(|n| child.column(n)),
                ["unit_price", "price"].iter().find_map(|n| child.column(n)),
            ) else {
                continue;
            };
            let index: HashMap<String, usize> = done[p].column(key).iter().enumerate().map(|(i, v)| (v.key(), i)).collect();
            let mut sums = vec![0i128; done[p].rows];
            let child_rows = &done[ci];
            for r in 0..child_rows.rows {
                let (Some(&parent_row), Some(q)) = (index.get(&child_rows.column(fk.columns[0])[r].key()), child_rows.column(qty)[r].as_i64()) else { continue };
                if let Value::Decimal { units, scale: s } = child_rows.column(price)[r] {
                    let units = if scale >= s { units * 10i128.pow(scale - s) } else { units / 10i128.pow(s - scale) };
                    sums[parent_row] += units * q as i128;
                }
            }
            if let Some(values) = done[p].columns[total].as_mut() {
                for (v, sum) in values.iter_mut().zip(sums) {
                    *v = Value::Decimal { units: sum, scale };
                }
            }
            break;
        }
    }
}

/// Values for foreign keys that were inserted as NULL to break a cycle.
fn fill_fixups(schema: &Schema, plan: &Plan, done: &mut [GeneratedTable]) -> Result<()> {
    for (i, tp) in plan.tables.iter().enumerate() {
        let t = &schema.tables[tp.table];
        for &k in &tp.fixup_fks {
            let fk = &t.foreign_keys[k];
            let Some(parent) = done.iter().position(|g| g.table == fk.ref_table) else { continue };
            let parent_rows = done[parent].rows;
            let mut rng = stream(plan.options.seed, &t.qualified(), &format!("#fixup:{}", fk.name));
            let rows = done[i].rows;
            let tuples: Vec<Vec<Value>> = (0..rows)
                .map(|_| {
                    if parent_rows == 0 {
                        return fk.ref_columns.iter().map(|_| Value::Null).collect();
                    }
                    let p = rng.random_range(0..parent_rows);
                    fk.ref_columns.iter().map(|&rc| done[parent].column(rc)[p].clone()).collect()
                })
                .collect();
            done[i].fixups.push((k, tuples));
        }
    }
    Ok(())
}

struct TableGen<'a> {
    schema: &'a Schema,
    plan: &'a Plan,
    tp: &'a TablePlan,
    t: &'a Table,
    existing: &'a Existing,
    done: &'a [GeneratedTable],
    n: usize,
    /// The table row that `columns[_][0]` holds: 0 when the whole table is
    /// in memory, the chunk's first row when it is generated in chunks.
    /// `row` arguments are table rows (streams and texts depend on them);
    /// columns are indexed by `row - base`.
    base: usize,
    /// For per-parent tables: the parent row of each row.
    parents: Option<(usize, Vec<usize>)>,
    columns: Vec<Option<Vec<Value>>>,
    orphans: Vec<(usize, Vec<Value>)>,
    specs: Vec<Spec>,
    /// Compiled CHECK/domain patterns of the text columns that have some.
    patterns: Vec<Option<TextPatterns>>,
    window: (DateTime<Utc>, DateTime<Utc>),
    /// Halvings of numeric ranges towards one end: a redraw of a number the
    /// server rejected tries values nearer an edge each round, which meets
    /// the usual unread CHECKs (`bonus * 4 <= salary`).
    shrink: u32,
    /// Narrow towards the upper end instead.
    toward_high: bool,
    /// How many values the unique loop has refused for the current cell: a
    /// code derived from the row's name varies more with each refusal.
    attempt: std::cell::Cell<usize>,
    /// Per column, decided once: whether it is a text key spelled from the
    /// row's name, and the numeric range its name implies. `value` runs per
    /// row and must not re-read the names.
    label_codes: Vec<bool>,
    measured: Vec<Option<(f64, f64)>>,
}

impl<'a> TableGen<'a> {
    fn new(schema: &'a Schema, plan: &'a Plan, tp: &'a TablePlan, existing: &'a Existing, done: &'a [GeneratedTable]) -> Result<Self> {
        let t = &schema.tables[tp.table];
        let now = plan.options.now;
        let specs: Vec<Spec> = (0..t.columns.len()).map(|c| column_spec(t, c)).collect();
        let patterns = specs.iter().map(|s| TextPatterns::compile(&s.patterns, &s.anti_patterns)).collect();
        let mut g = TableGen {
            schema,
            plan,
            tp,
            t,
            existing,
            done,
            n: 0,
            base: 0,
            parents: None,
            columns: vec![None; t.columns.len()],
            orphans: Vec::new(),
            specs,
            patterns,
            shrink: 0,
            toward_high: false,
            attempt: std::cell::Cell::new(0),
            label_codes: Vec::new(),
            measured: t.columns.iter().map(|col| realistic::measure_range(realistic::measure_of(&t.name, &col.name, &col.ty), now.year())).collect(),
            window: tp.window.unwrap_or((now - Duration::days(365), now)),
        };
        match tp.rows {
            Rows::Exactly(n) => g.n = n as usize,
            Rows::PerParent { fk, min, max } => {
                let parent = g.generated(t.foreign_keys[fk].ref_table).ok_or_else(|| Error::Plan {
                    message: format!("`{}` rows depend on `{}`, which is not generated first", t.display_name(), schema.tables[t.foreign_keys[fk].ref_table].display_name()),
                    help: "this is a planning bug; please report it with the scope".into(),
                })?;
                let mut rng = g.rng("#rows");
                let mut parents = Vec::new();
                for p in 0..parent.rows {
                    let k = rng.random_range(min..=max);
                    parents.extend(std::iter::repeat_n(p, k as usize));
                }
                g.n = parents.len();
                g.parents = Some((fk, parents));
            }
        }
        g.label_codes = (0..t.columns.len()).map(|c| g.spelled_from_label(c)).collect();
        Ok(g)
    }

    fn rng(&self, column: &str) -> Pcg64 {
        stream(self.plan.options.seed, &self.t.qualified(), column)
    }

    fn generated(&self, table: usize) -> Option<&'a GeneratedTable> {
        self.done.iter().find(|g| g.table == table)
    }

    fn unsatisfiable(&self, col: usize, constraint: impl Into<String>, reason: impl Into<String>, help: impl Into<String>) -> Error {
        Error::Unsatisfiable {
            table: self.t.display_name(),
            column: self.t.columns[col].name.clone(),
            constraint: constraint.into(),
            reason: reason.into(),
            help: help.into(),
        }
    }

    fn run(mut self) -> Result<GeneratedTable> {
        self.sequential_keys();
        self.foreign_keys()?;
        self.event_log()?;
        self.rules()?;
        self.remaining()?;
        self.states();
        self.state_rules();
        self.reshape()?;
        self.row_rules()?;
        self.month_starts();
        self.composite_uniques()?;
        self.partial_uniques()?;
        Ok(GeneratedTable { table: self.tp.table, rows: self.n, first_row: 0, columns: self.columns, orphans: self.orphans, fixups: Vec::new() })
    }

    /// A time moved back to the first day of its month, on a column whose
    /// CHECK wants one (`Spec::first_day`).
    fn month_start(&self, c: usize, v: Value) -> Value {
        if !self.specs[c].first_day {
            return v;
        }
        match v {
            Value::Date(d) => Value::Date(d.with_day(1).unwrap_or(d)),
            Value::Timestamp(t) => Value::Timestamp(t.date().with_day(1).and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(t)),
            Value::Timestamptz(t) => Value::Timestamptz(t.date_naive().with_day(1).and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc()).unwrap_or(t)),
            other => other,
        }
    }

    fn month_starts(&mut self) {
        for c in 0..self.t.columns.len() {
            if !self.specs[c].first_day {
                continue;
            }
            if let Some(values) = self.columns[c].take() {
                self.columns[c] = Some(values.into_iter().map(|v| self.month_start(c, v)).collect());
            }
        }
    }

    /// Integer keys the database would number (serial, identity, a lone
    /// integer primary key): numbered here, after any existing rows, so the
    /// engine knows them without reading back.
    fn sequential_keys(&mut self) {
        self.sequential_keys_for(0..self.n);
    }

    /// The numbered keys of table rows `rows`.
    fn sequential_keys_for(&mut self, rows: std::ops::Range<usize>) {
        for c in 0..self.t.columns.len() {
            let col = &self.t.columns[c];
            let in_fk = self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&c));
            let numbered = col.identity.is_some() || col.sequence.is_some() || self.t.primary_key == [c];
            if col.ty.is_integer() && numbered && !in_fk && !col.generated {
                let start = self.existing.key_offsets.get(&(self.tp.table, c)).copied().unwrap_or(0);
                self.columns[c] = Some((rows.start as i64 + 1..=rows.end as i64).map(|i| Value::Int(start + i)).collect());
            }
        }
    }

    fn time_value(&self, col: usize, t: DateTime<Utc>) -> Value {
        match self.t.columns.get(col).map(|c| c.ty.base()) {
            Some(SqlType::Timestamp) => Value::Timestamp(t.naive_utc()),
            Some(SqlType::Date) => Value::Date(t.date_naive()),
            _ => Value::Timestamptz(t),
        }
    }

    fn remaining(&mut self) -> Result<()> {
        for c in self.remaining_order() {
            let values = self.column(c)?;
            self.columns[c] = Some(values);
        }
        Ok(())
    }

    /// The columns still to fill, each after the columns its values
    /// depend on (readiness depends only on what is pending, so the order
    /// can be fixed before any value is drawn).
    fn remaining_order(&self) -> Vec<usize> {
        let mut pending: Vec<usize> = (0..self.t.columns.len()).filter(|&c| self.columns[c].is_none() && !self.t.columns[c].generated).collect();
        let mut order = Vec::with_capacity(pending.len());
        while !pending.is_empty() {
            let ready = pending
                .iter()
                .position(|&c| {
                    self.specs[c].relations.iter().map(|(_, o)| *o).chain(self.derived_from(c)).all(|o| o == c || !pending.contains(&o))
                })
                .unwrap_or(0);
            order.push(pending.remove(ready));
        }
        order
    }

    /// Column `col`'s value in table row `row`, when it is generated.
    fn at(&self, col: usize, row: usize) -> Option<&Value> {
        self.columns[col].as_ref()?.get(row.checked_sub(self.base)?)
    }

    /// Columns whose values shape this one's: a slug follows the name, an
    /// email the person's first and last name.
    fn derived_from(&self, c: usize) -> Vec<usize> {
        let built_from = types::depends_on(self.t, c);
        if !built_from.is_empty() {
            return built_from;
        }
        if self.is_slug(c) || self.is_label_code(c) {
            return self.label_col().into_iter().collect();
        }
        let col = &self.t.columns[c];
        if realistic::kind_of(&self.t.name, &col.name, &col.ty) == Kind::Email {
            return self.name_columns().map(|(f, l)| vec![f, l]).unwrap_or_default();
        }
        Vec::new()
    }

    fn name_columns(&self) -> Option<(usize, usize)> {
        let find = |kind| (0..self.t.columns.len()).find(|&c| realistic::kind_of(&self.t.name, &self.t.columns[c].name, &self.t.columns[c].ty) == kind);
        Some((find(Kind::FirstName)?, find(Kind::LastName)?))
    }

    /// A short text key (`customer_id char(5)`) of a table with a name
    /// column: real sample data spells such keys from the name (`ALFKI`).
    fn is_label_code(&self, c: usize) -> bool {
        self.label_codes[c]
    }

    fn spelled_from_label(&self, c: usize) -> bool {
        let col = &self.t.columns[c];
        let short = matches!(col.ty.base(), SqlType::Char(n) | SqlType::Varchar(Some(n)) if *n <= 12);
        let keyish = self.t.primary_key == [c] || self.specs[c].unique.is_some();
        let kind = realistic::kind_of(&self.t.name, &col.name, &col.ty);
        short && keyish && matches!(kind, Kind::Code | Kind::Generic) && self.patterns[c].is_none()
            && !self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&c))
            && self.label_col().is_some_and(|l| l != c && matches!(self.t.columns[l].ty.base(), SqlType::Text | SqlType::Varchar(_)))
    }

    fn is_slug(&self, c: usize) -> bool {
        self.t.columns[c].name == "slug"
    }

    fn label_col(&self) -> Option<usize> {
        crate::plan::label_column(self.t).filter(|&l| !self.is_slug(l))
    }

    fn column(&self, c: usize) -> Result<Vec<Value>> {
        let col = &self.t.columns[c];
        let spec = &self.specs[c];
        let mut rng = self.rng(&col.name);
        let required = col.not_null || self.tp.fill.contains(&c);
        let keyish = self.t.primary_key.contains(&c) || spec.unique.is_some();

        if let SqlType::Other(name) = col.ty.base() {
            let ctx = types::Ctx { table: self.t, column: c, rows: self.n, columns: &self.columns, window: self.window, nullable: !required && !keyish, unique: keyish };
            if let Some(values) = types::column(&ctx, name, &mut rng)? {
                return Ok(values);
            }
            if !required {
                return Ok(vec![Value::Null; self.n]);
            }
            return Err(self.unsatisfiable(c, "NOT NULL", format!("no generator for type {}", col.ty.sql_name()), "make the column nullable, or use a type the README lists under What the generator honours"));
        }
        self.check_column(c)?;
        let mut taken = self.taken(c);
        self.draw_rows(c, 0..self.n, &mut rng, taken.as_mut())
    }

    /// A column no value can satisfy, said before any row is drawn.
    fn check_column(&self, c: usize) -> Result<()> {
        let spec = &self.specs[c];
        if let (Some(min), Some(max)) = (spec.min, spec.max)
            && min > max
        {
            return Err(self.unsatisfiable(c, "its CHECK", format!("no value lies between {min} and {max}"), "fix the CHECK constraint"));
        }
        if let (Some(min), Some(max)) = (spec.min_len, spec.max_len)
            && min > max
        {
            return Err(self.unsatisfiable(c, "its length limits", format!("no text is at least {min} and at most {max} characters long"), "fix the CHECK or the column length"));
        }
        if spec.unique.is_some()
            && let Some(size) = self.domain_size(c)
            && (self.n as f64) > size
        {
            return Err(self.unsatisfiable(
                c,
                self.unique_name(c),
                format!("{} rows need distinct values but the column has only {} possible values", self.n, size as u64),
                "seed fewer rows or relax the constraint",
            ));
        }

        Ok(())
    }

    /// The values a unique column may no longer take: those already in the
    /// table. `None` for a column that is not unique.
    fn taken(&self, c: usize) -> Option<Taken> {
        self.specs[c].unique?;
        let mut taken = Taken::default();
        taken.reserve(self.n);
        for v in self.existing.unique_values.get(&(self.tp.table, c)).into_iter().flatten() {
            taken.insert(v);
        }
        Some(taken)
    }

    /// Values of column `c` for table rows `rows`, continuing `rng` (the
    /// column's stream) and `taken` (for a unique column): drawing a table
    /// in chunks gives the very values drawing it whole does.
    fn draw_rows(&self, c: usize, rows: std::ops::Range<usize>, rng: &mut Pcg64, mut taken: Option<&mut Taken>) -> Result<Vec<Value>> {
        let col = &self.t.columns[c];
        let spec = &self.specs[c];
        let required = col.not_null || self.tp.fill.contains(&c);
        let keyish = self.t.primary_key.contains(&c) || spec.unique.is_some();
        let kind = realistic::kind_of(&self.t.name, &col.name, &col.ty);
        let mut out = Vec::with_capacity(rows.len());
        let (null_rate, fold) = (if required || keyish { 0.0 } else { NULL_RATE }, spec.unique.flatten());
        let rng = &mut *rng;
        for row in rows {
            if null_rate > 0.0 && rng.random_bool(null_rate) {
                out.push(Value::Null);
                continue;
            }
            self.attempt.set(0);
            let mut v = self.value(c, kind, row, rng)?;
            if let Some(taken) = taken.as_deref_mut() {
                let mut tries = 0;
                while !taken.insert(&fold_key(&v, fold)) {
                    tries += 1;
                    self.attempt.set(tries);
                    v = if tries < UNIQUE_RETRIES { self.value(c, kind, row, rng)? } else { self.disambiguate(c, &v, row, row + tries)? };
                    if tries > UNIQUE_RETRIES + 1000 {
                        return Err(self.unsatisfiable(c, self.unique_name(c), "could not find enough distinct values", "seed fewer rows or relax the constraint"));
                    }
                }
            }
            out.push(v);
        }
        Ok(out)
    }

    fn value(&self, c: usize, kind: Kind, row: usize, rng: &mut Pcg64) -> Result<Value> {
        let col = &self.t.columns[c];
        let spec = &self.specs[c];
        if !spec.allowed.is_empty() {
            return Ok(self.typed_text(c, &spec.allowed[rng.random_range(0..spec.allowed.len())]));
        }
        // Partition keys land in an existing partition (COPY would fail otherwise).
        if let Some(v) = types::partition_key(self.t, c, self.window, rng)? {
            return Ok(v);
        }
        Ok(match col.ty.base() {
            SqlType::Bool => Value::Bool(rng.random_bool(0.5)),
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 | SqlType::Numeric { .. } | SqlType::Float4 | SqlType::Float8 => {
                let (dlo, dhi) = self.measured[c].unwrap_or_else(|| realistic::default_range(kind, &col.name));
                let (lo, hi) = fit_range(dlo, dhi, spec.min, spec.max);
                let (lo, hi) = self.relate_numbers(c, row, lo, hi);
                let part = (hi - lo) / 2f64.powi(self.shrink as i32);
                let (lo, hi) = match (self.shrink, self.toward_high) {
                    (0, _) => (lo, hi),
                    (_, false) => (lo, lo + part),
                    (_, true) => (hi - part, hi),
                };
                self.number_in(c, lo, hi, rng)
            }
            SqlType::Date | SqlType::Timestamp | SqlType::Timestamptz => {
                let (start, end) = if kind == Kind::BirthDate {
                    (self.plan.options.now - Duration::days(365 * 80), self.plan.options.now - Duration::days(365 * 18))
                } else {
                    self.window
                };
                let (start, end) = self.relate_times(c, row, start, end);
                self.time_value(c, realistic::instant(rng, start, end))
            }
            SqlType::Time => Value::Text(format!("{:02}:{:02}:00", rng.random_range(0..24u8), rng.random_range(0..60u8))),
            SqlType::Uuid => Value::Uuid(realistic::uuid(rng)),
            SqlType::Json | SqlType::Jsonb => Value::Json(types::json_shape(&col.name, rng).unwrap_or_else(|| realistic::json_value(&col.name, rng))),
            SqlType::Bytea => Value::Text(format!("\\x{}", (0..8).map(|_| format!("{:02x}", rng.random_range(0..=255u8))).collect::<String>())),
            SqlType::Array(inner) => {
                let len = rng.random_range(0..4usize);
                match inner.base() {
                    SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => Value::Array((0..len).map(|_| Value::Int(rng.random_range(1..100))).collect()),
                    SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_) => Value::Array(realistic::words(rng, len..len + 1)),
                    other => types::array(other, len, self.window, rng).unwrap_or(Value::Null),
                }
            }
            SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_) => {
                let text = if self.is_slug(c)
                    && let Some(Value::Text(label)) = self.label_col().and_then(|l| self.at(l, row))
                {
                    realistic::slugify(label)
                } else if kind == Kind::Email
                    && let Some((Value::Text(first), Value::Text(last))) = self
                        .name_columns()
                        .and_then(|(f, l)| Some((self.at(f, row)?, self.at(l, row)?)))
                {
                    realistic::email(first, last, rng)
                } else if self.is_label_code(c)
                    && let Some(Value::Text(label)) = self.label_col().and_then(|l| self.at(l, row))
                {
                    let len = spec.max_len.unwrap_or(8).min(8).max(spec.min_len.unwrap_or(1));
                    realistic::code_from(label, len, rng, self.attempt.get())
                } else if matches!(kind, Kind::Code) || matches!(col.ty.base(), SqlType::Char(_)) && kind == Kind::Generic {
                    realistic::code(rng, spec.max_len.unwrap_or(8).min(8).max(spec.min_len.unwrap_or(1)))
                } else {
                    // A value that fits beats one cut mid-word: draw again a few times.
                    let mut text = realistic::text(kind, rng, row);
                    for _ in 0..FIT_RETRIES {
                        if spec.max_len.is_none_or(|max| text.chars().count() <= max) {
                            break;
                        }
                        text = realistic::text(kind, rng, row);
                    }
                    text
                };
                let text: String = match spec.max_len {
                    Some(max) if text.chars().count() > max => cut(&text, max),
                    _ => text,
                };
                let text = match &self.patterns[c] {
                    Some(p) => p.fit(text, spec.max_len, rng),
                    None => text,
                };
                let text = match spec.case {
                    Some(Fold::Lower) => text.to_lowercase(),
                    Some(Fold::Upper) => text.to_uppercase(),
                    None => text,
                };
                Value::Text(pad(text, spec.min_len))
            }
            SqlType::Enum { .. } | SqlType::Domain { .. } | SqlType::Other(_) => Value::Null,
        })
    }

    /// Narrows a timestamp window by the row's related columns
    /// (`updated_at >= created_at`, `ends_at > starts_at`).
    fn relate_times(&self, c: usize, row: usize, mut start: DateTime<Utc>, mut end: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        // A strict order between dates needs a whole day: a second later is
        // the same date once truncated.
        let date = matches!(self.t.columns[c].ty.base(), SqlType::Date);
        let strict = if date { Duration::days(1) } else { Duration::seconds(1) };
        for (op, other) in &self.specs[c].relations {
            let Some(t) = self.at(*other, row).and_then(Value::as_timestamp) else { continue };
            // Compare against the other value as this column will store it.
            let t = if date && !matches!(self.t.columns[*other].ty.base(), SqlType::Date) { t.date_naive().and_hms_opt(0, 0, 0).map_or(t, |d| d.and_utc()) } else { t };
            match op {
                CmpOp::Gt | CmpOp::Ge => {
                    let lo = t + if *op == CmpOp::Gt { strict } else { Duration::zero() };
                    start = start.max(lo);
                    if end < start {
                        end = start + Duration::days(30);
                    }
                    // A shift, a class, a session: what starts at one time
                    // ends within hours of it, not weeks later (and schemas
                    // often CHECK the length).
                    if !date && span_pair(&self.t.columns[*other].name, &self.t.columns[c].name) {
                        end = end.min(start + Duration::hours(8)).max(start);
                    }
                }
                CmpOp::Lt | CmpOp::Le => {
                    let hi = t - if *op == CmpOp::Lt { strict } else { Duration::zero() };
                    end = end.min(hi);
                    if start > end {
                        start = end - Duration::days(30);
                    }
                }
                _ => {}
            }
        }
        (start, end)
    }

    fn relate_numbers(&self, c: usize, row: usize, mut lo: f64, mut hi: f64) -> (f64, f64) {
        for (op, other) in &self.specs[c].relations {
            let Some(x) = self.at(*other, row).and_then(Value::as_f64) else { continue };
            match op {
                CmpOp::Gt => lo = lo.max(x + 1.0),
                CmpOp::Ge => lo = lo.max(x),
                CmpOp::Lt => hi = hi.min(x - 1.0),
                CmpOp::Le => hi = hi.min(x),
                _ => {}
            }
            if lo > hi {
                hi = lo;
            }
        }
        (lo, hi)
    }

    fn number_in(&self, c: usize, lo: f64, hi: f64, rng: &mut Pcg64) -> Value {
        match self.t.columns[c].ty.base() {
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => Value::Int(rng.random_range(lo.ceil() as i64..=hi.floor().max(lo.ceil()) as i64)),
            SqlType::Numeric { scale, .. } => {
                let scale = scale.unwrap_or(2);
                let f = 10f64.powi(scale as i32);
                let (a, b) = ((lo * f).ceil() as i128, (hi * f).floor() as i128);
                Value::Decimal { units: rng.random_range(a..=b.max(a)), scale }
            }
            _ => Value::Float((rng.random_range(lo..=hi) * 100.0).round() / 100.0),
        }
    }

    fn in_driver_fk(&self, c: usize) -> bool {
        self.parents.as_ref().is_some_and(|(fk, _)| self.t.foreign_keys[*fk].columns.contains(&c))
    }

    /// A fresh value for one cell, honouring the column's rule or foreign key.
    fn redraw(&self, c: usize, row: usize, rng: &mut Pcg64) -> Result<Value> {
        if let Some((k, fk)) = self.t.foreign_keys.iter().enumerate().find(|(_, fk)| fk.columns == [c]) {
            let keys = self.parent_keys(k)?.unwrap_or_default();
            if keys.is_empty() {
                return Ok(Value::Null);
            }
            let _ = fk;
            return Ok(keys[rng.random_range(0..keys.len())][0].clone());
        }
        if let Some(Rule::Ids(set)) = self.tp.rules.get(&c) {
            let ids = self.id_values(c, set)?;
            return Ok(ids.get(rng.random_range(0..ids.len())));
        }
        let kind = realistic::kind_of(&self.t.name, &self.t.columns[c].name, &self.t.columns[c].ty);
        let v = self.value(c, kind, row, rng)?;
        Ok(self.month_start(c, v))
    }
}

/// The IDs a column draws from, indexable without listing a range.
enum IdPool {
    Range { start: i64, len: usize },
    Values(Vec<Value>),
}

/// Ranges up to this size are shuffled whole for distinct picks, as they
/// always were (so existing seeds keep their data); wider ones are sampled.
const SHUFFLED_RANGE: usize = 1 << 20;

impl IdPool {
    fn len(&self) -> usize {
        match self {
            IdPool::Range { len, .. } => *len,
            IdPool::Values(values) => values.len(),
        }
    }

    fn get(&self, i: usize) -> Value {
        match self {
            IdPool::Range { start, .. } => Value::Int(start + i as i64),
            IdPool::Values(values) => values[i].clone(),
        }
    }

    /// Whether a value is in the pool, without listing a range.
    fn membership(self) -> Box<dyn Fn(&Value) -> bool> {
        match self {
            IdPool::Range { start, len } => {
                let end = start.saturating_add(len as i64 - 1);
                Box::new(move |v| v.as_i64().is_some_and(|i| (start..=end).contains(&i)))
            }
            IdPool::Values(values) => {
                let keys: HashSet<String> = values.iter().map(Value::key).collect();
                Box::new(move |v| keys.contains(&v.key()))
            }
        }
    }

    /// `n` distinct IDs (the caller checked there are enough), in random order.
    fn distinct(self, n: usize, rng: &mut Pcg64) -> Vec<Value> {
        match self {
            IdPool::Range { start, len } if len > SHUFFLED_RANGE => {
                rand::seq::index::sample(rng, len, n).into_iter().map(|i| Value::Int(start + i as i64)).collect()
            }
            pool => {
                let mut ids: Vec<Value> = (0..pool.len()).map(|i| pool.get(i)).collect();
                ids.shuffle(rng);
                ids.truncate(n);
                ids
            }
        }
    }
}

fn fold_key(v: &Value, fold: Option<Fold>) -> String {
    match fold {
        Some(Fold::Lower) => v.key().to_lowercase(),
        Some(Fold::Upper) => v.key().to_uppercase(),
        None => v.key(),
    }
}

fn fit_range(dlo: f64, dhi: f64, min: Option<f64>, max: Option<f64>) -> (f64, f64) {
    let (lo, hi) = (dlo.max(min.unwrap_or(f64::MIN)), dhi.min(max.unwrap_or(f64::MAX)));
    if lo <= hi {
        return (lo, hi);
    }
    // The default range misses the CHECK entirely: stay near the CHECK's edge.
    match (min, max) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, a + (dhi - dlo)),
        (None, Some(b)) => (b - (dhi - dlo), b),
        (None, None) => (dlo, dhi),
    }
}

/// Text cut to `max` characters, at a word boundary when one is near.
fn cut(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) if i * 2 >= max => cut[..i].trim_end().to_string(),
        _ => cut.trim_end().to_string(),
    }
}

fn pad(mut s: String, min_len: Option<usize>) -> String {
    let min = min_len.unwrap_or(0);
    while s.chars().count() < min {
        s.push('x');
    }
    s
}

fn fk_names(t: &Table, k: usize) -> String {
    t.foreign_keys[k].columns.iter().map(|&c| t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ")
}

fn lcm(a: u128, b: u128) -> u128 {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    a / gcd(a, b).max(1) * b
}

/// Whether `earlier` and `later` name the start and end of one span of
/// time (`starts_at`/`ends_at`, `start_time`/`end_time`, `began_at`/`finished_at`).
fn span_pair(earlier: &str, later: &str) -> bool {
    let words = |name: &str| name.to_lowercase().split('_').map(String::from).collect::<Vec<_>>();
    let (a, b) = (words(earlier), words(later));
    a.iter().any(|w| ["start", "starts", "started", "begin", "begins", "began"].contains(&w.as_str()))
        && b.iter().any(|w| ["end", "ends", "ended", "finish", "finishes", "finished", "stop", "stops", "stopped"].contains(&w.as_str()))
}
