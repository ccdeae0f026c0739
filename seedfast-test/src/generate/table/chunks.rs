//! A table drawn a chunk of rows at a time, so a million rows never sit in
//! memory at once. Every column keeps its own stream (and a unique column
//! its taken set) from one chunk to the next, and values depend on the
//! table row, never on the chunk, so the chunks hold exactly the rows the
//! whole table would.
//!
//! Only tables that need no whole-table pass are chunked (`streamable`):
//! passes such as shuffling NULL shares, event logs, row rules across
//! columns, composite keys and references look at every row at once and
//! still run in memory, as does any table a later table reads values from.

use std::ops::Range;

use super::*;
use crate::generate::spec::row_rules;

/// Whether the table at plan index `index` can be drawn in chunks: its
/// rows are counted outright, nothing later reads its rows (no other
/// planned table references it), and no pass needs all of its rows.
pub fn streamable(schema: &Schema, plan: &Plan, index: usize) -> bool {
    let tp = &plan.tables[index];
    let t = &schema.tables[tp.table];
    let referenced = plan.tables.iter().any(|other| schema.tables[other.table].foreign_keys.iter().any(|fk| fk.ref_table == tp.table));
    let single_uniques = t.uniques.iter().all(|u| u.predicate.is_none() && u.parts.len() == 1 && !matches!(u.parts[0], UniquePart::Expression { .. }));
    // Types with whole-column generators (`types::column`) draw all rows at once.
    let whole_column_types = t.columns.iter().any(|c| matches!(c.ty.base(), SqlType::Other(_)));
    // The report hands a table's keys to tests: numbered keys are a range
    // it can rebuild, other keys would have to be kept.
    let numbered_key = t.primary_key.iter().all(|&c| {
        let col = &t.columns[c];
        col.ty.is_integer() && !col.generated
    });
    matches!(tp.rows, Rows::Exactly(_))
        && numbered_key
        && t.foreign_keys.is_empty()
        && !referenced
        && tp.rules.is_empty()
        && tp.event_log.is_none()
        && tp.states.is_empty()
        && tp.state_rules.is_empty()
        && tp.fixup_fks.is_empty()
        && tp.orphans.is_empty()
        && t.primary_key.len() <= 1
        && single_uniques
        && !whole_column_types
        && row_rules(t).is_empty()
}

/// One table's rows, chunk by chunk.
pub struct Chunks<'a> {
    g: TableGen<'a>,
    /// The columns drawn per row, in the order whole-table generation
    /// draws them, each with its stream.
    drawn: Vec<(usize, Pcg64)>,
    size: usize,
    next: usize,
}

impl<'a> Chunks<'a> {
    /// The table at plan index `index` (see [`streamable`]) in chunks of
    /// `size` rows; `taken` receives the taken set of each unique column,
    /// shared with the redraws of the server's verdicts.
    pub fn new(schema: &'a Schema, plan: &'a Plan, index: usize, existing: &'a Existing, size: usize, taken: &mut Vec<Option<Taken>>) -> Result<Self> {
        let mut g = TableGen::new(schema, plan, &plan.tables[index], existing, &[])?;
        // The numbered keys are known for every row; which columns they are
        // decides the order of the rest.
        g.sequential_keys_for(0..0);
        let order = g.remaining_order();
        for &c in &order {
            g.check_column(c)?;
        }
        *taken = (0..g.t.columns.len()).map(|c| g.taken(c)).collect();
        let drawn = order.into_iter().map(|c| (c, g.rng(&g.t.columns[c].name))).collect();
        Ok(Chunks { g, drawn, size: size.max(1), next: 0 })
    }

    /// Rows in the whole table.
    pub fn rows(&self) -> usize {
        self.g.n
    }

    /// The next chunk, or `None` after the last.
    pub fn next_chunk(&mut self, taken: &mut [Option<Taken>]) -> Result<Option<GeneratedTable>> {
        if self.next >= self.g.n {
            return Ok(None);
        }
        let rows: Range<usize> = self.next..self.g.n.min(self.next + self.size);
        self.next = rows.end;
        let g = &mut self.g;
        g.base = rows.start;
        g.columns = vec![None; g.t.columns.len()];
        g.sequential_keys_for(rows.clone());
        for (c, rng) in &mut self.drawn {
            let values = g.draw_rows(*c, rows.clone(), rng, taken.get_mut(*c).and_then(Option::as_mut))?;
            g.columns[*c] = Some(values);
        }
        Ok(Some(GeneratedTable {
            table: g.tp.table,
            rows: rows.len(),
            first_row: rows.start,
            columns: std::mem::take(&mut g.columns),
            orphans: Vec::new(),
            fixups: Vec::new(),
        }))
    }
}
