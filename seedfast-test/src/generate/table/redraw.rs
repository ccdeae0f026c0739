//! Drawing again the cells the server rejected (see `crate::oracle`): the
//! same generator, on streams keyed by the attempt and the row, so the
//! redraws are as deterministic as the first draw.

use std::collections::{HashMap, HashSet};

use super::{TableGen, Taken, fold_key};
use crate::error::Result;
use crate::generate::{Existing, GeneratedTable, Value, stream};
use crate::plan::Plan;
use crate::schema::Schema;

/// Redraws of one cell to find a value its unique key does not hold yet.
const UNIQUE_TRIES: usize = 20;

/// One rejected row and the columns of the constraints it failed.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub row: usize,
    pub columns: Vec<usize>,
}

/// Draws the rejected cells of `done[index]` again. On the `last` attempt a
/// nullable column the scope does not ask for becomes NULL, which passes
/// every CHECK. Cells that other rows or tables depend on (numbered keys,
/// referenced columns, the scope's rules) keep their values.
pub fn redraw(schema: &Schema, plan: &Plan, existing: &Existing, done: &mut [GeneratedTable], index: usize, rejected: &[Rejected], attempt: u32, last: bool) -> Result<()> {
    let (before, rest) = done.split_at_mut(index);
    let current = &mut rest[0];
    redraw_chunk(schema, plan, existing, before, index, current, None, rejected, attempt, last)
}

/// [`redraw`] for one table (plan index `index`) whose rows `current` holds,
/// a whole table or one chunk of it. `taken`, per column, holds the values a
/// chunked table's unique columns took in earlier chunks; without it a
/// unique column is kept unique within `current`.
#[allow(clippy::too_many_arguments)]
pub fn redraw_chunk(
    schema: &Schema,
    plan: &Plan,
    existing: &Existing,
    before: &[GeneratedTable],
    index: usize,
    current: &mut GeneratedTable,
    taken: Option<&mut [Option<Taken>]>,
    rejected: &[Rejected],
    attempt: u32,
    last: bool,
) -> Result<()> {
    let mut g = TableGen::new(schema, plan, &plan.tables[index], existing, before)?;
    g.base = current.first_row;
    g.columns = std::mem::take(&mut current.columns);
    let result = g.redraw_rejected(rejected, taken, attempt, last);
    current.columns = std::mem::take(&mut g.columns);
    result
}

impl TableGen<'_> {
    /// The first rounds draw each rejected cell as the first draw did; later
    /// ones draw numbers nearer one edge of their range, each column leaning
    /// to its own edge, so that `bonus * 4 <= salary` is met by a small bonus
    /// beside a large salary.
    fn redraw_rejected(&mut self, rejected: &[Rejected], mut shared: Option<&mut [Option<Taken>]>, attempt: u32, last: bool) -> Result<()> {
        let referenced: HashSet<usize> = self
            .schema
            .tables
            .iter()
            .flat_map(|t| t.foreign_keys.iter())
            .filter(|fk| fk.ref_table == self.tp.table)
            .flat_map(|fk| fk.ref_columns.iter().copied())
            .collect();
        let mut taken: HashMap<usize, HashSet<String>> = HashMap::new();
        for rej in rejected {
            let mut free: Vec<usize> = rej.columns.iter().copied().filter(|&c| self.columns[c].is_some() && !self.keeps(c, &referenced)).collect();
            free.dedup();
            // Streams and texts are keyed by the table row, so a chunk's
            // redraws are the whole table's.
            let row = rej.row + self.base;
            let mut rng = stream(self.plan.options.seed, &self.t.qualified(), &format!("#oracle:{attempt}:{row}"));
            // From the third round, every combination of edges is tried in
            // turn (bit i: column i leans high), each time nearer the edges.
            let round = attempt.saturating_sub(3);
            let combos = 1u32 << free.len().min(4);
            self.shrink = if attempt > 2 { 1 + round / combos * 2 + round % combos / 2 } else { 0 };
            let combo = (round + row as u32) % combos;
            for (i, c) in free.into_iter().enumerate() {
                self.toward_high = combo >> (i % 4) & 1 == 1;
                let col = &self.t.columns[c];
                let v = if last && !col.not_null && !self.tp.fill.contains(&c) {
                    Value::Null
                } else {
                    let fold = self.specs[c].unique;
                    let mut v = self.redraw(c, row, &mut rng)?;
                    if let Some(fold) = fold {
                        let mut tries = 0;
                        match shared.as_deref_mut().and_then(|s| s.get_mut(c)).and_then(Option::as_mut) {
                            // A chunk: earlier chunks' values are only in the shared set.
                            Some(seen) => {
                                while !seen.insert(&fold_key(&v, fold)) && tries < UNIQUE_TRIES {
                                    v = self.redraw(c, row, &mut rng)?;
                                    tries += 1;
                                }
                            }
                            None => {
                                let seen = taken.entry(c).or_insert_with(|| self.columns[c].as_ref().expect("checked").iter().map(|v| fold_key(v, fold)).collect());
                                while !seen.insert(fold_key(&v, fold)) && tries < UNIQUE_TRIES {
                                    v = self.redraw(c, row, &mut rng)?;
                                    tries += 1;
                                }
                            }
                        }
                    }
                    v
                };
                self.columns[c].as_mut().expect("checked")[rej.row] = v;
            }
        }
        self.shrink = 0;
        Ok(())
    }

    /// Cells whose value something else relies on.
    fn keeps(&self, c: usize, referenced: &HashSet<usize>) -> bool {
        let col = &self.t.columns[c];
        let numbered = col.identity.is_some() || col.sequence.is_some() || (self.t.primary_key == [c] && col.ty.is_integer());
        let ruled = self.tp.rules.get(&c).is_some_and(|r| !matches!(r, crate::plan::Rule::Ids(_)));
        let logged = self.tp.event_log.as_ref().is_some_and(|l| [Some(l.aggregate), l.version, l.kind, l.time].contains(&Some(c)));
        numbered || ruled || logged || referenced.contains(&c) || self.in_driver_fk(c)
    }
}
