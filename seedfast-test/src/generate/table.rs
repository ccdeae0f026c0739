//! Generates the planned tables in insertion order: keys, foreign keys,
//! the scope's rules, event logs, then every other column by name and type
//! within its constraints.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, Utc};
use rand::RngExt;
use rand::seq::SliceRandom;
use rand_pcg::Pcg64;

mod partial;
mod redraw;
mod rows;

pub use redraw::{Rejected, redraw};

use super::pattern::TextPatterns;
use super::realistic::{self, Kind};
use super::spec::{Spec, column_spec};
use super::types;
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
    let mut done: Vec<GeneratedTable> = Vec::with_capacity(plan.tables.len());
    for tp in &plan.tables {
        let generated = TableGen::new(schema, plan, tp, existing, &done)?.run()?;
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
            parents: None,
            columns: vec![None; t.columns.len()],
            orphans: Vec::new(),
            specs,
            patterns,
            shrink: 0,
            toward_high: false,
            attempt: std::cell::Cell::new(0),
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
        self.reshape()?;
        self.row_rules()?;
        self.composite_uniques()?;
        self.partial_uniques()?;
        Ok(GeneratedTable { table: self.tp.table, rows: self.n, columns: self.columns, orphans: self.orphans, fixups: Vec::new() })
    }

    /// Integer keys the database would number (serial, identity, a lone
    /// integer primary key): numbered here, after any existing rows, so the
    /// engine knows them without reading back.
    fn sequential_keys(&mut self) {
        for c in 0..self.t.columns.len() {
            let col = &self.t.columns[c];
            let in_fk = self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&c));
            let numbered = col.identity.is_some() || col.sequence.is_some() || self.t.primary_key == [c];
            if col.ty.is_integer() && numbered && !in_fk && !col.generated {
                let start = self.existing.key_offsets.get(&(self.tp.table, c)).copied().unwrap_or(0);
                self.columns[c] = Some((1..=self.n as i64).map(|i| Value::Int(start + i)).collect());
            }
        }
    }

    fn foreign_keys(&mut self) -> Result<()> {
        // The driving key first: a junction's other side picks distinct
        // parents within each driving parent's rows.
        let driver = self.parents.as_ref().map(|(d, _)| *d);
        let order: Vec<usize> = driver.into_iter().chain((0..self.t.foreign_keys.len()).filter(|&k| Some(k) != driver)).collect();
        for k in order {
            let fk = &self.t.foreign_keys[k];
            let nullable = fk.columns.iter().all(|&c| !self.t.columns[c].not_null);
            let null_tuple = || fk.columns.iter().map(|_| Value::Null).collect::<Vec<_>>();
            let tuples: Vec<Vec<Value>> = if self.tp.fixup_fks.contains(&k) {
                (0..self.n).map(|_| null_tuple()).collect()
            } else if fk.ref_table == self.tp.table {
                self.self_reference(k, nullable)
            } else if let Some((driver, parents)) = self.parents.as_ref().filter(|(d, _)| *d == k) {
                let _ = driver;
                let parent = self.generated(fk.ref_table).expect("checked in new");
                parents.iter().map(|&p| fk.ref_columns.iter().map(|&rc| parent.column(rc)[p].clone()).collect()).collect()
            } else {
                let keys = self.parent_keys(k)?;
                match keys {
                    None if nullable => (0..self.n).map(|_| null_tuple()).collect(),
                    Some(keys) if keys.is_empty() && nullable => (0..self.n).map(|_| null_tuple()).collect(),
                    None => {
                        return Err(self.unsatisfiable(
                            fk.columns[0],
                            format!("foreign key {}", fk.name),
                            format!("no rows of `{}` are seeded to point at", self.schema.tables[fk.ref_table].display_name()),
                            "mention the referenced table in the scope",
                        ));
                    }
                    Some(keys) => {
                        let mut tuples = self.pick_parents(k, keys)?;
                        if nullable && self.leaves_some_null(k) {
                            let mut rng = self.rng(&format!("#fk-null:{}", fk.name));
                            for t in tuples.iter_mut() {
                                if rng.random_bool(NULL_REFERENCE_SHARE) {
                                    *t = null_tuple();
                                }
                            }
                        }
                        tuples
                    }
                }
            };
            for (i, &c) in fk.columns.iter().enumerate() {
                if self.columns[c].is_none() {
                    self.columns[c] = Some(tuples.iter().map(|t| t[i].clone()).collect());
                }
            }
        }
        Ok(())
    }

    /// The key tuples a foreign key may point at: generated rows of the
    /// parent, or for a DEFERRABLE key whose parent comes later, the keys
    /// that parent will be numbered with.
    fn parent_keys(&self, k: usize) -> Result<Option<Vec<Vec<Value>>>> {
        let fk = &self.t.foreign_keys[k];
        let mut keys: Vec<Vec<Value>> = if let Some(parent) = self.generated(fk.ref_table) {
            (0..parent.rows).map(|p| fk.ref_columns.iter().map(|&rc| parent.column(rc)[p].clone()).collect()).collect()
        } else if let Some(later) = self.plan.tables.iter().find(|p| p.table == fk.ref_table) {
            let rt = &self.schema.tables[fk.ref_table];
            let single_key = fk.ref_columns.len() == 1 && rt.columns[fk.ref_columns[0]].ty.is_integer();
            let Rows::Exactly(m) = later.rows else {
                return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), "its target table is seeded later with a per-parent count", "give the target table an exact count"));
            };
            if !single_key {
                return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), "its target is seeded later and is not keyed by one integer", "make the cycle's other key deferrable or nullable"));
            }
            let start = self.existing.key_offsets.get(&(fk.ref_table, fk.ref_columns[0])).copied().unwrap_or(0);
            (1..=m as i64).map(|i| vec![Value::Int(start + i)]).collect()
        } else {
            return Ok(None);
        };
        // `refunds for failed payments`: only parents with that value.
        if let Some(Rule::ParentIs { column, value }) = fk.columns.first().and_then(|c| self.tp.rules.get(c))
            && let Some(parent) = self.generated(fk.ref_table)
        {
            let values = parent.column(*column);
            let mut p = 0;
            keys.retain(|_| {
                p += 1;
                values.get(p - 1).is_some_and(|v| v.key() == *value || (matches!(v, Value::Bool(true)) && value == "true"))
            });
            if keys.is_empty() {
                return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), format!("no seeded `{}` row has `{value}`", self.schema.tables[fk.ref_table].display_name()), "seed parents with that value, or drop the word"));
            }
        }
        // `for users with IDs: 3,7,11` on a local foreign key: exactly those
        // targets, each of which must exist (seeded now or already there).
        if fk.columns.len() == 1
            && let Some(Rule::Ids(set) | Rule::OnePerId(set)) = self.tp.rules.get(&fk.columns[0])
        {
            let (rt, rc) = (fk.ref_table, fk.ref_columns[0]);
            let seeded: HashMap<String, Vec<Value>> = keys.into_iter().map(|k| (k[0].key(), k)).collect();
            let before = self.existing.key_offsets.get(&(rt, rc)).copied().unwrap_or(0);
            let already = |v: &Value| v.as_i64().is_some_and(|i| i >= 1 && i <= before) || self.existing.unique_values.get(&(rt, rc)).is_some_and(|s| s.contains(&v.key()));
            let mut seen = HashSet::new();
            let mut missing = Vec::new();
            keys = Vec::new();
            let ids = self.id_values(fk.columns[0], set)?;
            // A range far wider than the parent is read only as far as the
            // parent could match it; the rest is counted, not listed.
            let scan = if ids.len() <= SHUFFLED_RANGE { ids.len() } else { ids.len().min(seeded.len() + before.max(0) as usize + 1) };
            for v in (0..scan).map(|i| ids.get(i)) {
                if !seen.insert(v.key()) {
                    continue;
                }
                match seeded.get(&v.key()) {
                    Some(k) => keys.push(k.clone()),
                    None if already(&v) => keys.push(vec![v]),
                    None => missing.push(v.key()),
                }
            }
            let unread = ids.len() - scan;
            if !missing.is_empty() || unread > 0 {
                let parent = self.schema.tables[rt].display_name();
                return Err(self.unsatisfiable(
                    fk.columns[0],
                    format!("foreign key {}", fk.name),
                    format!(
                        "{} of the {} IDs the scope names are not among the {} rows of `{parent}` (e.g. {})",
                        missing.len() + unread,
                        seen.len() + unread,
                        seeded.len() as i64 + before,
                        missing.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    ),
                    format!("name IDs that `{parent}` has, or drop the count of `{parent}` so seedfast creates them"),
                ));
            }
        }
        Ok(Some(keys))
    }

    /// A nullable reference keeps a few NULLs, as real data does, unless the
    /// scope shapes or fills it or a key covers it.
    fn leaves_some_null(&self, k: usize) -> bool {
        let cols = &self.t.foreign_keys[k].columns;
        !cols.iter().any(|c| self.tp.rules.contains_key(c) || self.tp.fill.contains(c) || self.t.plain_keys().iter().any(|key| key.contains(c)))
    }

    fn pick_parents(&self, k: usize, keys: Vec<Vec<Value>>) -> Result<Vec<Vec<Value>>> {
        let fk = &self.t.foreign_keys[k];
        if keys.is_empty() && self.n > 0 {
            let parent = self.schema.tables[fk.ref_table].display_name();
            return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), format!("`{parent}` gets no rows to point at"), format!("give `{parent}` at least one row")));
        }
        let mut rng = self.rng(&format!("#fk:{}", fk.name));
        if let Some(Rule::OnePerId(_)) = fk.columns.first().and_then(|c| self.tp.rules.get(c)) {
            return Ok(keys.into_iter().cycle().take(self.n).collect());
        }
        if self.t.is_unique_set(&fk.columns) {
            // 1:1 — each parent at most once.
            if self.n > keys.len() {
                return Err(self.unsatisfiable(
                    fk.columns[0],
                    format!("unique key on {}", fk_names(self.t, k)),
                    format!("{} rows need distinct targets but only {} exist", self.n, keys.len()),
                    "seed fewer rows or more of the referenced table",
                ));
            }
            let mut keys = keys;
            keys.shuffle(&mut rng);
            keys.truncate(self.n);
            return Ok(keys);
        }
        if let Some(key) = self.t.link_keys(k).into_iter().next() {
            return self.pick_linked(k, &key, keys, &mut rng);
        }
        Ok((0..self.n).map(|_| keys[rng.random_range(0..keys.len())].clone()).collect())
    }

    /// Parents for one side of a junction's key (`playlist_id, track_id`):
    /// when the other side is already chosen, distinct parents within each
    /// of its values, so no pair repeats; otherwise spread evenly, so no
    /// value of this side needs more partners than the other side has.
    fn pick_linked(&self, k: usize, key: &[usize], keys: Vec<Vec<Value>>, rng: &mut Pcg64) -> Result<Vec<Vec<Value>>> {
        let fk = &self.t.foreign_keys[k];
        let others: Vec<usize> = key.iter().copied().filter(|c| !fk.columns.contains(c)).collect();
        let filled: Option<Vec<&Vec<Value>>> = others.iter().map(|&c| self.columns[c].as_ref()).collect();
        let Some(filled) = filled else {
            let mut spread: Vec<usize> = (0..self.n).map(|i| i % keys.len()).collect();
            spread.shuffle(rng);
            return Ok(spread.into_iter().map(|p| keys[p].clone()).collect());
        };
        let mut taken: HashMap<String, HashSet<usize>> = HashMap::new();
        let mut out = Vec::with_capacity(self.n);
        for r in 0..self.n {
            let group = filled.iter().map(|v| v[r].key()).collect::<Vec<_>>().join("\u{1}");
            let used = taken.entry(group).or_default();
            if used.len() >= keys.len() {
                let names = others.iter().map(|&c| self.t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ");
                let parent = self.schema.tables[fk.ref_table].display_name();
                return Err(self.unsatisfiable(
                    fk.columns[0],
                    format!("the unique key on ({})", key.iter().map(|&c| self.t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ")),
                    format!("more than {} rows share one `{names}`, but each pair may appear once and `{parent}` has only {} rows", keys.len(), keys.len()),
                    format!("ask for fewer rows per `{names}`, or seed more `{parent}`"),
                ));
            }
            // Random while the group is sparse; probing onwards always ends.
            let mut p = rng.random_range(0..keys.len());
            let mut tries = 0;
            while used.contains(&p) {
                tries += 1;
                p = if tries < 8 { rng.random_range(0..keys.len()) } else { (p + 1) % keys.len() };
            }
            used.insert(p);
            out.push(keys[p].clone());
        }
        Ok(out)
    }

    /// Rows point at earlier rows (a tree); the first row at none, or at
    /// itself when the key is NOT NULL.
    fn self_reference(&self, k: usize, nullable: bool) -> Vec<Vec<Value>> {
        let fk = &self.t.foreign_keys[k];
        let mut rng = self.rng(&format!("#fk:{}", fk.name));
        (0..self.n)
            .map(|i| {
                let target = if nullable && (i == 0 || rng.random_bool(0.2)) {
                    None
                } else if i == 0 {
                    Some(0)
                } else {
                    Some(rng.random_range(0..i))
                };
                fk.ref_columns
                    .iter()
                    .map(|&rc| match (target, &self.columns[rc]) {
                        (Some(j), Some(values)) => values[j].clone(),
                        _ => Value::Null,
                    })
                    .collect()
            })
            .collect()
    }

    fn event_log(&mut self) -> Result<()> {
        let Some(log) = &self.tp.event_log else { return Ok(()) };
        let mut rng = self.rng("#events");
        let agg_ty = self.t.columns[log.aggregate].ty.base().clone();
        let mut events: Vec<(Value, i64, Option<String>)> = Vec::with_capacity(self.n);
        let mut aggregate = 0i64;
        while events.len() < self.n {
            aggregate += 1;
            let max = if log.types.is_empty() { 5 } else { log.types.len() };
            let size = rng.random_range(1..=max).min(self.n - events.len());
            let id = match agg_ty {
                SqlType::Uuid => Value::Uuid(realistic::uuid(&mut rng)),
                SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => Value::Int(aggregate),
                _ => Value::Text(format!("agg-{aggregate:06}")),
            };
            for v in 1..=size as i64 {
                events.push((id.clone(), v, log.types.get(v as usize - 1).cloned()));
            }
        }
        // Each aggregate starts somewhere in the window and its events follow
        // at increasing offsets; the log is then ordered by time and nudged
        // to be strictly increasing, which keeps each aggregate's order.
        let (start, end) = self.window;
        let mut times: Vec<DateTime<Utc>> = Vec::with_capacity(self.n);
        let mut current = start;
        for (i, (_, v, _)) in events.iter().enumerate() {
            if *v == 1 {
                current = realistic::instant(&mut rng, start, end - Duration::hours(6));
            }
            current += Duration::seconds(rng.random_range(1..3600));
            times.push(current);
            let _ = i;
        }
        let mut order: Vec<usize> = (0..self.n).collect();
        order.sort_by_key(|&i| (times[i], i));
        let mut last: Option<DateTime<Utc>> = None;
        let mut agg_col = Vec::with_capacity(self.n);
        let mut ver_col = Vec::with_capacity(self.n);
        let mut kind_col = Vec::with_capacity(self.n);
        let mut time_col = Vec::with_capacity(self.n);
        for i in order {
            let mut t = times[i];
            if let Some(prev) = last
                && t <= prev
            {
                t = prev + Duration::microseconds(1);
            }
            last = Some(t);
            agg_col.push(events[i].0.clone());
            ver_col.push(Value::Int(events[i].1));
            kind_col.push(events[i].2.clone().map(Value::Text).unwrap_or(Value::Null));
            time_col.push(self.time_value(log.time.unwrap_or(usize::MAX), t));
        }
        self.columns[log.aggregate] = Some(agg_col);
        if let Some(c) = log.version {
            self.columns[c] = Some(ver_col);
        }
        if let Some(c) = log.kind {
            self.columns[c] = Some(kind_col);
        }
        if let Some(c) = log.time {
            self.columns[c] = Some(time_col);
        }
        Ok(())
    }

    fn time_value(&self, col: usize, t: DateTime<Utc>) -> Value {
        match self.t.columns.get(col).map(|c| c.ty.base()) {
            Some(SqlType::Timestamp) => Value::Timestamp(t.naive_utc()),
            Some(SqlType::Date) => Value::Date(t.date_naive()),
            _ => Value::Timestamptz(t),
        }
    }

    fn rules(&mut self) -> Result<()> {
        // Values read through a reference come after the reference itself.
        let (derived, direct): (Vec<_>, Vec<_>) = self.tp.rules.iter().partition(|(_, r)| matches!(r, Rule::Derived { .. }));
        for (&c, rule) in direct.into_iter().chain(derived) {
            if self.columns[c].is_some() && !matches!(rule, Rule::Ids(_) | Rule::OnePerId(_)) {
                continue;
            }
            if self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&c)) {
                // Local foreign keys took their rule in `parent_keys`.
                continue;
            }
            let mut rng = self.rng(&self.t.columns[c].name);
            let values = match rule {
                Rule::Shares(shares) => self.shares(c, shares, &mut rng),
                Rule::Weighted(weights) => {
                    let total: u32 = weights.iter().map(|(_, w)| w).sum();
                    (0..self.n)
                        .map(|_| {
                            let mut x = rng.random_range(0..total.max(1));
                            let pick = weights.iter().find(|(_, w)| if x < *w { true } else { x -= w; false });
                            self.typed_text(c, &pick.map(|(v, _)| v.clone()).unwrap_or_default())
                        })
                        .collect()
                }
                Rule::Mix(values) => {
                    let mut out: Vec<Value> = (0..self.n).map(|i| self.typed_text(c, &values[i % values.len()])).collect();
                    out.shuffle(&mut rng);
                    out
                }
                Rule::NamedFirst(names) => {
                    let mut seen: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
                    let mut out: Vec<Value> = names.iter().take(self.n).map(|n| Value::Text(n.clone())).collect();
                    let kind = realistic::kind_of(&self.t.name, &self.t.columns[c].name, &self.t.columns[c].ty);
                    let kind = if kind == Kind::Generic { Kind::ProductName } else { kind };
                    while out.len() < self.n {
                        let mut v = realistic::text(kind, &mut rng, out.len());
                        if !seen.insert(v.to_lowercase()) {
                            v = format!("{v} {}", out.len() + 1);
                            seen.insert(v.to_lowercase());
                        }
                        out.push(Value::Text(v));
                    }
                    out
                }
                Rule::Range { min, max } => {
                    let (lo, hi) = (min.max(self.specs[c].min.unwrap_or(f64::MIN)), max.min(self.specs[c].max.unwrap_or(f64::MAX)));
                    if lo > hi {
                        return Err(self.unsatisfiable(c, "its CHECK", format!("the scope's range {min}..{max} lies outside what the column allows"), "narrow the range to the column's CHECK"));
                    }
                    (0..self.n).map(|_| self.number_in(c, lo, hi, &mut rng)).collect()
                }
                Rule::Ids(set) => {
                    let ids = self.id_values(c, set)?;
                    let unique = self.specs[c].unique.is_some();
                    if unique && self.n > ids.len() {
                        return Err(self.unsatisfiable(c, "its unique key", format!("{} rows need distinct IDs but the scope allows {}", self.n, ids.len()), "widen the ID range or seed fewer rows"));
                    }
                    if unique {
                        ids.distinct(self.n, &mut rng)
                    } else {
                        (0..self.n).map(|_| ids.get(rng.random_range(0..ids.len()))).collect()
                    }
                }
                Rule::OnePerId(set) => {
                    let ids = self.id_values(c, set)?;
                    (0..ids.len().min(self.n)).map(|i| ids.get(i)).collect()
                }
                Rule::Parts { parts, rest } => self.parts(c, parts, rest.as_deref(), &mut rng),
                Rule::Cycle(values) => {
                    // The k-th child of each parent takes the k-th value.
                    let mut seen: HashMap<usize, usize> = HashMap::new();
                    (0..self.n)
                        .map(|i| {
                            let parent = self.parents.as_ref().map_or(0, |(_, p)| p[i]);
                            let k = seen.entry(parent).or_insert(0);
                            *k += 1;
                            self.typed_text(c, &values[(*k - 1) % values.len()])
                        })
                        .collect()
                }
                Rule::Window { start, end } => {
                    let span = (*end - *start).num_seconds().max(1);
                    (0..self.n).map(|_| self.time_value(c, *start + Duration::seconds(rng.random_range(0..span)))).collect()
                }
                // Shapes of generated values, applied once they exist.
                Rule::Nulls { .. } | Rule::Prefix(_) | Rule::EmailDomain(_) | Rule::ParentIs { .. } => continue,
                Rule::Derived { via, source, key, from, after, valid } => {
                    let values = self.derived(c, *via, source, key, from, *after, &mut rng)?;
                    if let Some(valid) = valid {
                        let valid: HashSet<String> = valid.iter().map(Value::key).collect();
                        let inherited: Vec<Value> = values.iter().filter(|v| !matches!(v, Value::Null) && !valid.contains(&v.key())).cloned().collect();
                        if !inherited.is_empty() {
                            self.orphans.push((c, inherited));
                        }
                    }
                    values
                }
            };
            self.columns[c] = Some(values);
        }
        // Orphans overwrite exactly `count` rows with values outside the set.
        for o in &self.tp.orphans {
            let c = o.column;
            if self.columns[c].is_none() {
                let ids = self.id_values(c, &o.referenced)?;
                let mut rng = self.rng(&self.t.columns[c].name);
                self.columns[c] = Some((0..self.n).map(|_| ids.get(rng.random_range(0..ids.len()))).collect());
            }
            let mut rng = self.rng(&format!("#orphans:{}", self.t.columns[c].name));
            let mut rows: Vec<usize> = (0..self.n).collect();
            rows.shuffle(&mut rng);
            rows.truncate(o.count as usize);
            rows.sort_unstable();
            let values = self.orphan_values(c, &o.referenced, rows.len(), &mut rng)?;
            let column = self.columns[c].as_mut().expect("filled above");
            for (&r, v) in rows.iter().zip(&values) {
                column[r] = v.clone();
            }
            self.orphans.push((c, values));
        }
        Ok(())
    }

    /// Each row's value read from the upstream row its `via` column points
    /// at; rows whose reference is a deliberate orphan get an ordinary value.
    #[allow(clippy::too_many_arguments)]
    fn derived(&self, c: usize, via: usize, source: &UpstreamTable, key: &str, from: &str, after: bool, rng: &mut Pcg64) -> Result<Vec<Value>> {
        let index = source.index_by(key);
        let upstream = source.column(from).unwrap_or_default();
        let refs = self.columns[via].clone().unwrap_or_default();
        let kind = realistic::kind_of(&self.t.name, &self.t.columns[c].name, &self.t.columns[c].ty);
        let mut out = Vec::with_capacity(self.n);
        for (row, r) in refs.iter().enumerate().take(self.n) {
            let found = index.get(&r.key()).and_then(|&i| upstream.get(i));
            out.push(match (found, after) {
                (Some(v), false) => self.convert(c, v),
                (Some(v), true) => match v.as_timestamp() {
                    // Between a minute and three days after the upstream event.
                    Some(t) => self.time_value(c, t + Duration::seconds(rng.random_range(60..3 * 86_400))),
                    None => self.value(c, kind, row, rng)?,
                },
                (None, _) => self.value(c, kind, row, rng)?,
            });
        }
        Ok(out)
    }

    /// An upstream value in this column's type: decimals rescaled, numbers
    /// made integers when the column is.
    fn convert(&self, c: usize, v: &Value) -> Value {
        match (self.t.columns[c].ty.base(), v) {
            (SqlType::Numeric { scale, .. }, Value::Decimal { units, scale: from }) => {
                let to = scale.unwrap_or(*from);
                let units = if to >= *from { units * 10i128.pow(to - from) } else { units / 10i128.pow(from - to) };
                Value::Decimal { units, scale: to }
            }
            (SqlType::Numeric { scale, .. }, Value::Int(i)) => {
                let to = scale.unwrap_or(0);
                Value::Decimal { units: *i as i128 * 10i128.pow(to), scale: to }
            }
            (SqlType::Int2 | SqlType::Int4 | SqlType::Int8, Value::Decimal { units, scale }) => Value::Int((units / 10i128.pow(*scale)) as i64),
            _ => v.clone(),
        }
    }

    /// Exact shares: 60% of 8,000 is 4,800 rows. Hundredths are rounded by
    /// largest remainder so the counts add up to the rows they cover.
    fn shares(&self, c: usize, shares: &[(String, u32)], rng: &mut Pcg64) -> Vec<Value> {
        let parts: Vec<(String, u64, u64)> = shares.iter().map(|(v, h)| (v.clone(), *h as u64, 10_000)).collect();
        self.parts(c, &parts, None, rng)
    }

    /// Exactly `num/den` of the rows per part, rounded by largest remainder
    /// so the parts together cover the rounded total.
    fn parts(&self, c: usize, shares: &[(String, u64, u64)], rest: Option<&str>, rng: &mut Pcg64) -> Vec<Value> {
        let n = self.n as u128;
        // Over a common denominator, remainders of different fractions compare.
        let l = shares.iter().fold(1u128, |l, (_, _, d)| lcm(l, (*d).max(1) as u128));
        let total: u128 = shares.iter().map(|(_, num, d)| *num as u128 * (l / (*d).max(1) as u128)).sum();
        let covered = ((n * total + l / 2) / l) as u64;
        let mut counts: Vec<(u64, u128, usize)> = shares
            .iter()
            .enumerate()
            .map(|(i, (_, num, d))| {
                let d = (*d).max(1) as u128;
                (((n * *num as u128) / d) as u64, ((n * *num as u128) % d) * (l / d), i)
            })
            .collect();
        let assigned: u64 = counts.iter().map(|c| c.0).sum();
        let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
        by_remainder.sort_by_key(|&i| (std::cmp::Reverse(counts[i].1), i));
        // Each share lost less than one row to flooring, so the shortfall is
        // at most one row per share.
        let shortfall = covered.min(self.n as u64).saturating_sub(assigned) as usize;
        for &i in by_remainder.iter().cycle().take(shortfall) {
            counts[i].0 += 1;
        }
        let mut out: Vec<Value> = Vec::with_capacity(self.n);
        for (count, _, i) in &counts {
            out.extend((0..*count).map(|_| self.typed_text(c, &shares[*i].0)));
        }
        if let Some(rest) = rest {
            while out.len() < self.n {
                out.push(self.typed_text(c, rest));
            }
        }
        // Shares under 100%: the rest from the column's other values.
        let others: Vec<String> = self.specs[c].allowed.iter().filter(|a| !shares.iter().any(|(v, _, _)| v == *a)).cloned().collect();
        let pool = if others.is_empty() { shares.iter().map(|(v, _, _)| v.clone()).collect() } else { others };
        while out.len() < self.n {
            out.push(self.typed_text(c, &pool[rng.random_range(0..pool.len())]));
        }
        out.shuffle(rng);
        out
    }

    fn typed_text(&self, c: usize, text: &str) -> Value {
        match self.t.columns[c].ty.base() {
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => text.parse().map(Value::Int).unwrap_or(Value::Text(text.into())),
            SqlType::Bool => Value::Bool(matches!(text, "true" | "t" | "yes")),
            _ => Value::Text(text.to_string()),
        }
    }

    /// The IDs of a set, typed by the column (integer, UUID, text). A range
    /// stays a range: `for user IDs 1-1000000000000` is never listed out.
    fn id_values(&self, c: usize, set: &IdSet) -> Result<IdPool> {
        let column = &self.t.columns[c];
        match set {
            IdSet::Range { start, .. } => {
                if !column.ty.is_integer() {
                    return Err(self.unsatisfiable(c, "its type", format!("an ID range needs an integer column, `{}` is {}", column.name, column.ty.sql_name()), "list the IDs instead (`with IDs: a, b, c`)"));
                }
                Ok(IdPool::Range { start: *start, len: set.len() as usize })
            }
            IdSet::Values(values) => Ok(IdPool::Values(values.to_vec())),
            IdSet::List(items) => items
                .iter()
                .map(|s| match column.ty.base() {
                    SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => s.parse::<i64>().map(Value::Int).map_err(|_| {
                        self.unsatisfiable(c, "its type", format!("`{s}` is not an integer, `{}` is {}", column.name, column.ty.sql_name()), "list integer IDs")
                    }),
                    SqlType::Uuid => s.parse::<uuid::Uuid>().map(Value::Uuid).map_err(|_| {
                        self.unsatisfiable(c, "its type", format!("`{s}` is not a UUID, `{}` is uuid", column.name), "list UUIDs")
                    }),
                    _ => Ok(Value::Text(s.clone())),
                })
                .collect::<Result<Vec<_>>>()
                .map(IdPool::Values),
        }
    }

    /// Values guaranteed outside the referenced set.
    fn orphan_values(&self, c: usize, set: &IdSet, k: usize, rng: &mut Pcg64) -> Result<Vec<Value>> {
        let existing = self.id_values(c, set)?.membership();
        let column = &self.t.columns[c];
        let mut out = Vec::with_capacity(k);
        let mut next = match set {
            IdSet::Range { end, .. } => *end,
            IdSet::List(items) => items.iter().filter_map(|s| s.parse::<i64>().ok()).max().unwrap_or(0),
            IdSet::Values(values) => values.iter().filter_map(Value::as_i64).max().unwrap_or(0),
        };
        while out.len() < k {
            let v = match column.ty.base() {
                SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => {
                    // Far above the set, where no upstream ID will be.
                    next += 1;
                    Value::Int(next + 1_000_000)
                }
                SqlType::Uuid => Value::Uuid(realistic::uuid(rng)),
                _ => Value::Text(format!("missing-{}", realistic::code(rng, 8))),
            };
            if !existing(&v) {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Every column not yet filled, after the columns it relates to.
    /// Rules that change generated values: exact NULL shares, prefixes
    /// (`named Bob`), email domains.
    fn reshape(&mut self) -> Result<()> {
        for (&c, rule) in &self.tp.rules {
            let Some(column) = self.columns[c].as_mut() else { continue };
            match rule {
                Rule::Nulls { num, den } => {
                    let nulls = ((self.n as u128 * *num as u128 * 2 + *den as u128) / (2 * (*den).max(1) as u128)) as usize;
                    let mut rows: Vec<usize> = (0..self.n).collect();
                    rows.shuffle(&mut stream(self.plan.options.seed, &self.t.qualified(), &format!("#nulls:{}", self.t.columns[c].name)));
                    for &r in rows.iter().take(nulls) {
                        column[r] = Value::Null;
                    }
                }
                Rule::Prefix(prefix) => {
                    for v in column.iter_mut() {
                        if let Value::Text(t) = v {
                            let rest = t.split_once(' ').map_or(t.as_str(), |(_, r)| r);
                            *t = format!("{prefix} {rest}");
                        }
                    }
                }
                Rule::EmailDomain(domain) => {
                    for v in column.iter_mut() {
                        if let Value::Text(t) = v {
                            let local = t.split_once('@').map_or(t.as_str(), |(l, _)| l);
                            *t = format!("{local}@{domain}");
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn remaining(&mut self) -> Result<()> {
        let mut pending: Vec<usize> = (0..self.t.columns.len()).filter(|&c| self.columns[c].is_none() && !self.t.columns[c].generated).collect();
        while !pending.is_empty() {
            let ready = pending
                .iter()
                .position(|&c| {
                    self.specs[c].relations.iter().map(|(_, o)| *o).chain(self.derived_from(c)).all(|o| o == c || !pending.contains(&o))
                })
                .unwrap_or(0);
            let c = pending.remove(ready);
            let values = self.column(c)?;
            self.columns[c] = Some(values);
        }
        Ok(())
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

        let kind = realistic::kind_of(&self.t.name, &col.name, &col.ty);
        // Values already in the table count as taken.
        let mut seen: HashSet<String> = self.existing.unique_values.get(&(self.tp.table, c)).cloned().unwrap_or_default();
        let mut out = Vec::with_capacity(self.n);
        let (null_rate, fold) = (if required || keyish { 0.0 } else { NULL_RATE }, spec.unique.flatten());
        for row in 0..self.n {
            if null_rate > 0.0 && rng.random_bool(null_rate) {
                out.push(Value::Null);
                continue;
            }
            self.attempt.set(0);
            let mut v = self.value(c, kind, row, &mut rng)?;
            if spec.unique.is_some() {
                let mut tries = 0;
                while !seen.insert(fold_key(&v, fold)) {
                    tries += 1;
                    self.attempt.set(tries);
                    v = if tries < UNIQUE_RETRIES { self.value(c, kind, row, &mut rng)? } else { self.disambiguate(c, &v, row, row + tries)? };
                    if tries > UNIQUE_RETRIES + 1000 {
                        return Err(self.unsatisfiable(c, self.unique_name(c), "could not find enough distinct values", "seed fewer rows or relax the constraint"));
                    }
                }
            }
            out.push(v);
        }
        Ok(out)
    }

    fn unique_name(&self, c: usize) -> String {
        if self.t.primary_key == [c] {
            return "PRIMARY KEY".into();
        }
        self.t
            .uniques
            .iter()
            .find(|u| u.parts.len() == 1 && matches!(u.parts[0], UniquePart::Column(x) | UniquePart::Folded { column: x, .. } if x == c))
            .map(|u| format!("UNIQUE {}", u.name))
            .unwrap_or_else(|| "UNIQUE".into())
    }

    /// How many distinct values the column can take, when small enough to matter.
    fn domain_size(&self, c: usize) -> Option<f64> {
        let spec = &self.specs[c];
        if !spec.allowed.is_empty() {
            return Some(spec.allowed.len() as f64);
        }
        match self.t.columns[c].ty.base() {
            SqlType::Bool => Some(2.0),
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 | SqlType::Numeric { scale: Some(0), .. } => {
                let (lo, hi) = (spec.min.unwrap_or(i64::MIN as f64), spec.max.unwrap_or(i64::MAX as f64));
                Some((hi - lo + 1.0).max(0.0))
            }
            SqlType::Char(n) | SqlType::Varchar(Some(n)) => Some(36f64.powi(*n as i32)),
            _ => None,
        }
    }

    /// A distinct variant of a text or number value.
    fn disambiguate(&self, c: usize, v: &Value, row: usize, salt: usize) -> Result<Value> {
        let spec = &self.specs[c];
        Ok(match v {
            Value::Text(s) => {
                let suffix = format!("{salt}");
                let base: String = match s.split_once('@') {
                    Some((user, domain)) => return Ok(Value::Text(format!("{user}.{suffix}@{domain}"))),
                    None => s.clone(),
                };
                let max = spec.max_len.unwrap_or(usize::MAX);
                let keep = max.saturating_sub(suffix.len() + 1);
                let trimmed: String = base.chars().take(keep).collect();
                let joined = if keep == 0 { suffix.chars().rev().take(max).collect::<String>().chars().rev().collect() } else { format!("{trimmed}-{suffix}") };
                let joined = pad(joined, spec.min_len);
                // A suffix the column's pattern refuses: draw from the pattern instead.
                if let Some(p) = &self.patterns[c]
                    && !p.accepts(&joined)
                {
                    let mut rng = self.rng(&format!("#unique:{}:{salt}", self.t.columns[c].name));
                    return Ok(Value::Text(p.fit(String::new(), spec.max_len, &mut rng)));
                }
                Value::Text(joined)
            }
            Value::Int(_) | Value::Decimal { .. } => {
                let mut rng = self.rng(&format!("#unique:{}:{salt}", self.t.columns[c].name));
                self.value(c, Kind::Generic, row, &mut rng)?
            }
            other => other.clone(),
        })
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
                let measure = realistic::measure_of(&self.t.name, &col.name, &col.ty);
                let (dlo, dhi) = realistic::measure_range(measure, self.plan.options.now.year()).unwrap_or_else(|| realistic::default_range(kind, &col.name));
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
                    && let Some(Value::Text(label)) = self.label_col().and_then(|l| self.columns[l].as_ref()?.get(row))
                {
                    realistic::slugify(label)
                } else if kind == Kind::Email
                    && let Some((Value::Text(first), Value::Text(last))) = self
                        .name_columns()
                        .and_then(|(f, l)| Some((self.columns[f].as_ref()?.get(row)?, self.columns[l].as_ref()?.get(row)?)))
                {
                    realistic::email(first, last, rng)
                } else if self.is_label_code(c)
                    && let Some(Value::Text(label)) = self.label_col().and_then(|l| self.columns[l].as_ref()?.get(row))
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
            let Some(t) = self.columns[*other].as_ref().and_then(|v| v[row].as_timestamp()) else { continue };
            // Compare against the other value as this column will store it.
            let t = if date && !matches!(self.t.columns[*other].ty.base(), SqlType::Date) { t.date_naive().and_hms_opt(0, 0, 0).map_or(t, |d| d.and_utc()) } else { t };
            match op {
                CmpOp::Gt | CmpOp::Ge => {
                    let lo = t + if *op == CmpOp::Gt { strict } else { Duration::zero() };
                    start = start.max(lo);
                    if end < start {
                        end = start + Duration::days(30);
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
            let Some(x) = self.columns[*other].as_ref().and_then(|v| v[row].as_f64()) else { continue };
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

    /// Multi-column unique keys: re-draw a free column of each duplicate row.
    fn composite_uniques(&mut self) -> Result<()> {
        let keys: Vec<(String, Vec<usize>)> = self
            .t
            .uniques
            .iter()
            .map(|u| (u.name.clone(), u.parts.iter().filter_map(|p| if let UniquePart::Column(c) = p { Some(*c) } else { None }).collect::<Vec<_>>()))
            .chain(std::iter::once(("PRIMARY KEY".to_string(), self.t.primary_key.clone())))
            .filter(|(_, cols)| cols.len() > 1)
            .collect();
        for (name, cols) in keys {
            // A column numbered within its group (`line_no` of an order) is
            // unique by construction; otherwise re-draw the last free column.
            let free: Vec<usize> = cols.iter().copied().filter(|&c| !self.in_driver_fk(c)).collect();
            if free.is_empty() {
                continue;
            }
            let groups: Vec<usize> = cols.iter().copied().filter(|c| !free.contains(c)).collect();
            // Only a column nothing else governs: IDs from the scope or from
            // another service must keep their values.
            let governed = self.tp.rules.contains_key(&free[0]) || self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&free[0]));
            if free.len() == 1 && self.t.columns[free[0]].ty.is_integer() && !governed && !groups.is_empty() {
                let mut counters: HashMap<String, i64> = HashMap::new();
                let values: Vec<Value> = (0..self.n)
                    .map(|r| {
                        let key: String = groups.iter().map(|&g| self.columns[g].as_ref().map(|v| v[r].key()).unwrap_or_default()).collect::<Vec<_>>().join("\u{1}");
                        let n = counters.entry(key).or_insert(0);
                        *n += 1;
                        Value::Int(*n)
                    })
                    .collect();
                self.columns[free[0]] = Some(values);
                continue;
            }
            let target = *free.last().expect("non-empty");
            let mut rng = self.rng(&format!("#unique:{name}"));
            let mut seen: HashSet<String> = HashSet::new();
            for r in 0..self.n {
                let mut tries = 0;
                loop {
                    let key: String = cols.iter().map(|&c| self.columns[c].as_ref().map(|v| v[r].key()).unwrap_or_default()).collect::<Vec<_>>().join("\u{1}");
                    if seen.insert(key) {
                        break;
                    }
                    tries += 1;
                    if tries > 200 {
                        return Err(self.unsatisfiable(target, format!("UNIQUE {name}"), "too few distinct combinations for the rows requested", "seed fewer rows or widen the referenced ID set"));
                    }
                    let v = self.redraw(target, r, &mut rng)?;
                    self.columns[target].as_mut().expect("filled")[r] = v;
                }
            }
        }
        Ok(())
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
        self.value(c, kind, row, rng)
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
