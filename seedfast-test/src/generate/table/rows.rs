//! Constraints between the columns of one row (`num_nonnulls(a, b) = 1`,
//! `a <> b`), applied once every column has a value.

use rand::RngExt;
use rand::seq::SliceRandom;

use super::TableGen;
use crate::error::Result;
use crate::generate::Value;
use crate::generate::spec::{RowRule, row_rules};

/// Redraws of one cell before `a <> b` is left to the server to judge.
const DIFFER_TRIES: usize = 20;

impl TableGen<'_> {
    pub(super) fn row_rules(&mut self) -> Result<()> {
        for rule in row_rules(self.t) {
            match rule {
                RowRule::NonNulls { constraint, columns, min, max } => self.non_nulls(&constraint, &columns, min, max)?,
                RowRule::Differ { a, b, .. } => self.differ(a, b)?,
            }
        }
        Ok(())
    }

    /// Each row gets between `min` and `max` of `columns` set: NOT NULL
    /// columns always, the others kept or drawn as the count needs.
    fn non_nulls(&mut self, constraint: &str, columns: &[usize], min: usize, max: usize) -> Result<()> {
        let required: Vec<usize> = columns.iter().copied().filter(|&c| self.t.columns[c].not_null).collect();
        let (lo, hi) = (min.max(required.len()), max.min(columns.len()));
        if lo > hi || columns.iter().any(|&c| self.columns[c].is_none()) {
            let c = required.first().copied().unwrap_or(columns[0]);
            return Err(self.unsatisfiable(
                c,
                format!("CHECK {constraint}"),
                format!("it wants {min} to {max} of {} set, but {} of them are NOT NULL", self.names(columns), required.len()),
                "make the columns nullable or fix the CHECK",
            ));
        }
        let mut rng = self.rng(&format!("#nonnulls:{constraint}"));
        for r in 0..self.n {
            let set: Vec<usize> = columns.iter().copied().filter(|&c| !matches!(self.cell(c, r), Value::Null)).collect();
            if (lo..=hi).contains(&set.len()) && required.iter().all(|c| set.contains(c)) {
                continue;
            }
            let k = rng.random_range(lo..=hi);
            let mut optional: Vec<usize> = columns.iter().copied().filter(|c| !required.contains(c)).collect();
            optional.shuffle(&mut rng);
            // Keep values already drawn where possible: they are the realistic ones.
            optional.sort_by_key(|c| !set.contains(c));
            let chosen: Vec<usize> = required.iter().copied().chain(optional).take(k).collect();
            for &c in columns {
                if !chosen.contains(&c) {
                    self.set_cell(c, r, Value::Null);
                } else if matches!(self.cell(c, r), Value::Null) {
                    let v = self.redraw(c, r, &mut rng)?;
                    self.set_cell(c, r, v);
                }
            }
        }
        Ok(())
    }

    /// `a <> b`: rows where both are equal redraw the column the scope and
    /// the keys govern less.
    fn differ(&mut self, a: usize, b: usize) -> Result<()> {
        if self.columns[a].is_none() || self.columns[b].is_none() {
            return Ok(());
        }
        let governed = |c: usize| self.t.primary_key.contains(&c) as u8 + self.tp.rules.contains_key(&c) as u8 * 2 + self.in_driver_fk(c) as u8 * 4;
        let target = if governed(b) <= governed(a) { b } else { a };
        let mut rng = self.rng(&format!("#differ:{}:{}", self.t.columns[a].name, self.t.columns[b].name));
        for r in 0..self.n {
            let mut tries = 0;
            while !matches!(self.cell(a, r), Value::Null) && self.cell(a, r).key() == self.cell(b, r).key() && tries < DIFFER_TRIES {
                let v = self.redraw(target, r, &mut rng)?;
                self.set_cell(target, r, v);
                tries += 1;
            }
        }
        Ok(())
    }

    fn cell(&self, c: usize, r: usize) -> &Value {
        &self.columns[c].as_ref().expect("filled before row rules")[r]
    }

    fn set_cell(&mut self, c: usize, r: usize, v: Value) {
        self.columns[c].as_mut().expect("filled before row rules")[r] = v;
    }

    fn names(&self, columns: &[usize]) -> String {
        columns.iter().map(|&c| format!("`{}`", self.t.columns[c].name)).collect::<Vec<_>>().join(", ")
    }
}
