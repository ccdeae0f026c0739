//! Tables the scope does not mention but its rows need: the parents that
//! foreign keys point at, planned with enough rows.

use std::collections::BTreeMap;

use super::{Rows, TablePlan, Why};
use crate::error::Result;
use crate::schema::Schema;

/// Rows given to a table that a NOT NULL foreign key needs but the scope
/// does not mention: enough for variety, small enough to stay out of the way.
pub const REQUIRED_PARENT_ROWS: u64 = 5;

/// Adds rows to tables that NOT NULL foreign keys need, recursively.
pub(super) fn add_required_parents(schema: &Schema, plans: &mut Vec<TablePlan>) -> Result<()> {
    let mut i = 0;
    while i < plans.len() {
        let table = plans[i].table;
        let t = &schema.tables[table];
        for fk in &t.foreign_keys {
            let required = fk.columns.iter().any(|&c| t.columns[c].not_null);
            if !required || fk.ref_table == table || plans.iter().any(|p| p.table == fk.ref_table) {
                continue;
            }
            let child_rows = match plans[i].rows {
                Rows::Exactly(n) => n,
                Rows::PerParent { .. } => REQUIRED_PARENT_ROWS,
            };
            // A 1:1 key needs a parent per child row.
            let rows = if t.is_unique_set(&fk.columns) { child_rows } else { REQUIRED_PARENT_ROWS.min(child_rows.max(1)) };
            let by = t.display_name();
            plans.push(new_plan(fk.ref_table, Why::Required { by }, Rows::Exactly(rows)));
        }
        i += 1;
    }
    Ok(())
}

fn new_plan(table: usize, why: Why, rows: Rows) -> TablePlan {
    TablePlan {
        table,
        why,
        rows,
        rules: BTreeMap::new(),
        fill: Vec::new(),
        orphans: Vec::new(),
        window: None,
        event_log: None,
        fixup_fks: Vec::new(),
        deferred_fks: Vec::new(),
    }
}
