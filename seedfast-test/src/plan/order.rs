//! Insertion order: parents before children. A cycle of foreign keys is
//! broken through one of its DEFERRABLE keys (checked at commit, so the rows
//! may go in any order) or, failing that, a nullable one (inserted as NULL
//! and set by an UPDATE afterwards).

use super::{Rows, TablePlan};
use crate::error::{Error, Result};
use crate::schema::Schema;

pub fn insertion_order(schema: &Schema, mut plans: Vec<TablePlan>) -> Result<Vec<TablePlan>> {
    // Schema order makes ties (and so the whole order) deterministic.
    plans.sort_by_key(|p| p.table);
    let planned: Vec<usize> = plans.iter().map(|p| p.table).collect();
    let mut ordered: Vec<TablePlan> = Vec::with_capacity(plans.len());
    let mut remaining = plans;

    while !remaining.is_empty() {
        let placed: Vec<usize> = ordered.iter().map(|p| p.table).collect();
        let ready = remaining.iter().position(|p| {
            let t = &schema.tables[p.table];
            t.foreign_keys.iter().enumerate().all(|(k, fk)| {
                fk.ref_table == p.table
                    || !planned.contains(&fk.ref_table)
                    || placed.contains(&fk.ref_table)
                    || p.deferred_fks.contains(&k)
                    || p.fixup_fks.contains(&k)
            })
        });
        if let Some(i) = ready {
            ordered.push(remaining.remove(i));
            continue;
        }
        // Every remaining table waits on another: a cycle. Break one edge.
        let mut broken = false;
        for prefer_deferrable in [true, false] {
            for p in remaining.iter_mut() {
                let t = &schema.tables[p.table];
                for (k, fk) in t.foreign_keys.iter().enumerate() {
                    // A per-parent table's rows come from its parent: that edge stays.
                    let drives_rows = matches!(p.rows, Rows::PerParent { fk, .. } if fk == k);
                    let waiting = !drives_rows
                        && fk.ref_table != p.table
                        && planned.contains(&fk.ref_table)
                        && !placed.contains(&fk.ref_table)
                        && !p.deferred_fks.contains(&k)
                        && !p.fixup_fks.contains(&k);
                    if !waiting {
                        continue;
                    }
                    if prefer_deferrable && fk.deferrable {
                        p.deferred_fks.push(k);
                        broken = true;
                    } else if !prefer_deferrable && fk.columns.iter().all(|&c| !t.columns[c].not_null) {
                        p.fixup_fks.push(k);
                        broken = true;
                    }
                    if broken {
                        break;
                    }
                }
                if broken {
                    break;
                }
            }
            if broken {
                break;
            }
        }
        if !broken {
            // A constraint that cannot be met (exit 4), named by one key of the cycle.
            let names: Vec<String> = remaining.iter().map(|p| schema.tables[p.table].display_name()).collect();
            let t = &schema.tables[remaining[0].table];
            let fk = t.foreign_keys.iter().find(|fk| fk.ref_table != remaining[0].table && remaining.iter().any(|p| p.table == fk.ref_table));
            return Err(Error::Unsatisfiable {
                table: t.display_name(),
                column: fk.map(|fk| fk.columns.iter().map(|&c| t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
                constraint: fk.map_or_else(|| "its foreign keys".to_string(), |fk| format!("foreign key {}", fk.name)),
                reason: format!("the foreign keys between {} form a cycle of NOT NULL, non-deferrable keys: no insertion order exists", names.join(", ")),
                help: "make one key in the cycle DEFERRABLE or nullable".into(),
            });
        }
    }
    Ok(ordered)
}
