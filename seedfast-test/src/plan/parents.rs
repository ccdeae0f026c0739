//! Tables the scope does not mention but its rows need: the parents that
//! foreign keys point at, sized from their children.
//!
//! A parent gets one row per [`CHILDREN_PER_PARENT`] children (at least
//! one), a row per child behind a 1:1 key, every ID the scope names (`for
//! customer IDs 1-20` makes at least 20 customers, `for customers with IDs:
//! 'ALFKI','ANATR'` makes exactly those two), and enough rows for a
//! junction's key (`50 playlist tracks` need playlists × tracks comfortably
//! above 50). Nullable references get their parents too, unless those
//! parents would close a cycle that no insertion order can break.

use std::collections::{BTreeMap, HashSet};

use super::{IdSet, Rows, Rule, TablePlan, Why};
use crate::error::{Error, Result};
use crate::schema::{Schema, Table};

/// A parent the scope does not mention gets one row per this many children:
/// 1,000 invoices come from 100 customers, 20 products from 2 categories.
pub const CHILDREN_PER_PARENT: u64 = 10;

/// A key made of foreign keys needs distinct parent combinations; the
/// parents offer this many times more combinations than the rows use.
const COMBINATION_HEADROOM: u64 = 2;

/// Parent counts feed their own parents' counts; a few passes settle them
/// (each pass only grows counts, so this bounds a pathological cycle).
const SIZING_PASSES: usize = 32;

impl TablePlan {
    /// A table with no rows yet and nothing the scope says about it.
    pub(super) fn empty(table: usize, why: Why) -> TablePlan {
        TablePlan {
            table,
            why,
            rows: Rows::Exactly(0),
            rules: BTreeMap::new(),
            fill: Vec::new(),
            orphans: Vec::new(),
            window: None,
            event_log: None,
            fixup_fks: Vec::new(),
            deferred_fks: Vec::new(),
            states: Vec::new(),
            state_rules: Vec::new(),
        }
    }
}

/// Plans and sizes every parent the planned rows point at.
pub(super) fn add_required_parents(schema: &Schema, plans: &mut Vec<TablePlan>) -> Result<()> {
    close(schema, plans);
    // Nullable references one at a time, each kept only if an insertion
    // order still exists with its parent (and that parent's own needs).
    let mut tried: HashSet<(usize, usize)> = HashSet::new();
    loop {
        let next = plans.iter().find_map(|p| {
            let t = &schema.tables[p.table];
            (0..t.foreign_keys.len())
                .find(|&k| {
                    let target = t.foreign_keys[k].ref_table;
                    target != p.table
                        && !plans.iter().any(|q| q.table == target)
                        && !tried.contains(&(p.table, k))
                })
                .map(|k| (p.table, k))
        });
        let Some((table, k)) = next else { break };
        tried.insert((table, k));
        let mut trial = plans.clone();
        trial.push(TablePlan::empty(
            schema.tables[table].foreign_keys[k].ref_table,
            Why::Required {
                by: schema.tables[table].display_name(),
            },
        ));
        close(schema, &mut trial);
        if super::order::insertion_order(schema, trial.clone()).is_ok() {
            *plans = trial;
        }
    }
    pin_listed_keys(schema, plans)?;
    size(schema, plans);
    Ok(())
}

/// Plans, recursively, the parents of NOT NULL foreign keys and of foreign
/// keys whose targets the scope names (`for employee IDs 1-5`).
fn close(schema: &Schema, plans: &mut Vec<TablePlan>) {
    let mut i = 0;
    while i < plans.len() {
        let table = plans[i].table;
        let t = &schema.tables[table];
        for (k, fk) in t.foreign_keys.iter().enumerate() {
            let required = fk.columns.iter().any(|&c| t.columns[c].not_null)
                || named_ids(&plans[i], t, k).is_some();
            if !required || fk.ref_table == table || plans.iter().any(|p| p.table == fk.ref_table) {
                continue;
            }
            plans.push(TablePlan::empty(
                fk.ref_table,
                Why::Required {
                    by: t.display_name(),
                },
            ));
        }
        i += 1;
    }
}

/// The IDs the scope names for a one-column foreign key's targets.
fn named_ids<'p>(plan: &'p TablePlan, t: &Table, k: usize) -> Option<&'p IdSet> {
    let fk = &t.foreign_keys[k];
    match (
        fk.columns.as_slice(),
        fk.columns.first().and_then(|c| plan.rules.get(c)),
    ) {
        ([_], Some(Rule::Ids(set) | Rule::OnePerId(set))) if !matches!(set, IdSet::Values(_)) => {
            Some(set)
        }
        _ => None,
    }
}

/// Whether seedfast numbers column `c` itself (1, 2, ... after existing
/// rows), as the generator's sequential keys do.
fn numbered(t: &Table, c: usize) -> bool {
    let col = &t.columns[c];
    let in_fk = t.foreign_keys.iter().any(|fk| fk.columns.contains(&c));
    col.ty.is_integer()
        && (col.identity.is_some() || col.sequence.is_some() || t.primary_key == [c])
        && !in_fk
        && !col.generated
}

/// The largest ID of an all-integer set.
fn highest_id(set: &IdSet) -> Option<u64> {
    match set {
        IdSet::Range { start, end } => Some((*end).max(*start).max(0) as u64),
        IdSet::List(items) => items
            .iter()
            .map(|s| s.trim().parse::<i64>().ok().map(|i| i.max(0) as u64))
            .collect::<Option<Vec<_>>>()?
            .into_iter()
            .max(),
        IdSet::Values(_) => None,
    }
}

/// Named IDs that seedfast would not number by itself (text codes, UUIDs,
/// integer keys it does not number) become the parent's keys: the parent
/// gets exactly those rows. An explicit count that disagrees is an error.
fn pin_listed_keys(schema: &Schema, plans: &mut [TablePlan]) -> Result<()> {
    for c in 0..plans.len() {
        let t = &schema.tables[plans[c].table];
        for k in 0..t.foreign_keys.len() {
            let Some(set) = named_ids(&plans[c], t, k).cloned() else {
                continue;
            };
            let fk = &t.foreign_keys[k];
            let (parent, key) = (&schema.tables[fk.ref_table], fk.ref_columns[0]);
            if numbered(parent, key) && highest_id(&set).is_some() {
                continue;
            }
            let Some(p) = plans.iter().position(|p| p.table == fk.ref_table) else {
                continue;
            };
            if plans[p].rules.contains_key(&key) {
                continue;
            }
            let listed = set.len();
            match (&plans[p].why, &plans[p].rows) {
                (Why::Required { .. }, _) => {}
                (_, Rows::Exactly(n)) if *n == listed => {}
                (_, rows) => {
                    let rows = match rows {
                        Rows::Exactly(n) => format!("{n} rows"),
                        Rows::PerParent { .. } => "rows per parent".into(),
                    };
                    return Err(Error::Plan {
                        message: format!(
                            "`{}.{}` must point at the {listed} `{}` the scope lists, but `{}` gets {rows} whose `{}` values seedfast generates",
                            t.display_name(),
                            t.columns[fk.columns[0]].name,
                            parent.name,
                            parent.display_name(),
                            parent.columns[key].name
                        ),
                        help: format!(
                            "give `{}` exactly {listed} rows (the listed ones), or drop its count",
                            parent.display_name()
                        ),
                    });
                }
            }
            plans[p].rules.insert(key, Rule::Ids(set));
        }
    }
    Ok(())
}

/// Rows a planned table will have: per-parent tables at their maximum.
fn estimate(schema: &Schema, plans: &[TablePlan], i: usize, depth: usize) -> u64 {
    match plans[i].rows {
        Rows::Exactly(n) => n,
        Rows::PerParent { fk, max, .. } => {
            let parent = schema.tables[plans[i].table].foreign_keys[fk].ref_table;
            match plans.iter().position(|p| p.table == parent) {
                Some(p) if depth < plans.len() => {
                    estimate(schema, plans, p, depth + 1).saturating_mul(max)
                }
                _ => 0,
            }
        }
    }
}

/// The rows of a parent whose keys the scope lists: exactly those.
fn pinned_rows(schema: &Schema, plan: &TablePlan) -> Option<u64> {
    let t = &schema.tables[plan.table];
    plan.rules.iter().find_map(|(c, rule)| match rule {
        Rule::Ids(set) if !matches!(set, IdSet::Values(_)) && t.is_unique_set(&[*c]) => {
            Some(set.len())
        }
        _ => None,
    })
}

/// Grows every auto-planned parent to what its children need.
fn size(schema: &Schema, plans: &mut [TablePlan]) {
    for _ in 0..SIZING_PASSES {
        let mut changed = false;
        for j in 0..plans.len() {
            if !matches!(plans[j].why, Why::Required { .. }) {
                continue;
            }
            let need = match pinned_rows(schema, &plans[j]) {
                Some(n) => n,
                None => {
                    let table = plans[j].table;
                    let mut need = 1;
                    for c in 0..plans.len() {
                        let t = &schema.tables[plans[c].table];
                        for (k, fk) in t.foreign_keys.iter().enumerate() {
                            if fk.ref_table == table && plans[c].table != table {
                                need = need.max(child_need(schema, plans, c, k));
                            }
                        }
                    }
                    need
                }
            };
            let Rows::Exactly(current) = plans[j].rows else {
                continue;
            };
            // Counts only grow, so the passes settle; listed keys fix a count.
            if need > current || (need != current && pinned_rows(schema, &plans[j]).is_some()) {
                plans[j].rows = Rows::Exactly(need);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The parent rows that foreign key `k` of planned table `c` needs.
fn child_need(schema: &Schema, plans: &[TablePlan], c: usize, k: usize) -> u64 {
    let plan = &plans[c];
    if matches!(plan.rows, Rows::PerParent { fk, .. } if fk == k) {
        // The parent's rows drive this table's, not the other way round.
        return 1;
    }
    let t = &schema.tables[plan.table];
    let fk = &t.foreign_keys[k];
    if let [col] = fk.columns.as_slice()
        && matches!(plan.rules.get(col), Some(Rule::ParentIs { .. }))
        && !t.is_unique_set(&fk.columns)
    {
        // `claims assigned to Kevin O'Brien`: every row takes that one parent.
        return 1;
    }
    let rows = estimate(schema, plans, c, 0);
    let mut need = rows.div_ceil(CHILDREN_PER_PARENT).max(1);
    // Two references to one parent (a flight's origin and destination) are
    // often kept apart by a CHECK: one parent row could never satisfy it.
    if rows > 0 && t.foreign_keys.iter().filter(|f| f.ref_table == fk.ref_table).count() >= 2 {
        need = need.max(2);
    }
    // A partial unique index on the reference (`one active subscription
    // per customer`): the rows it selects may be all of them, and each
    // needs a parent of its own (the generator gives a duplicate an unused
    // parent rather than change a state the scope asked for).
    let partial = t.uniques.iter().any(|u| u.predicate.is_some() && u.parts.len() == fk.columns.len() && u.parts.iter().all(|p| matches!(p, crate::schema::UniquePart::Column(c) if fk.columns.contains(c))));
    if t.is_unique_set(&fk.columns) || partial {
        need = need.max(rows);
    }
    if let Some(max) = named_ids(plan, t, k).and_then(highest_id) {
        need = need.max(max);
    }
    for key in t.link_keys(k) {
        let (mut fixed, mut free) = (1u64, 1u32);
        for (o, other) in t.foreign_keys.iter().enumerate() {
            if o == k || !other.columns.iter().all(|col| key.contains(col)) {
                continue;
            }
            if let Rows::PerParent { fk, max, .. } = plan.rows
                && fk == o
            {
                // Rows of one driving parent take distinct parents here.
                need = need.max(max);
            }
            match plans.iter().position(|p| p.table == other.ref_table) {
                Some(p)
                    if matches!(plans[p].why, Why::Required { .. })
                        && pinned_rows(schema, &plans[p]).is_none()
                        && p != c =>
                {
                    free += 1
                }
                Some(p) => fixed = fixed.saturating_mul(estimate(schema, plans, p, 0).max(1)),
                None => {}
            }
        }
        let combinations = rows.saturating_mul(COMBINATION_HEADROOM).div_ceil(fixed);
        need = need.max(root_ceil(combinations, free));
    }
    // `UNIQUE (charger_id, connector_number)` with `connector_number
    // BETWEEN 1 AND 4`: a parent holds at most four rows.
    for key in t.plain_keys() {
        if !fk.columns.iter().all(|c| key.contains(c)) {
            continue;
        }
        let rest: Vec<usize> = key.iter().copied().filter(|c| !fk.columns.contains(c)).collect();
        let in_fk = |c: &usize| t.foreign_keys.iter().any(|f| f.columns.contains(c));
        if rest.is_empty() || rest.iter().any(in_fk) {
            continue;
        }
        let per_parent = rest.iter().try_fold(1u64, |acc, &c| domain_size(t, c).map(|n| acc.saturating_mul(n)));
        if let Some(per_parent) = per_parent.filter(|&n| n > 0) {
            need = need.max(rows.div_ceil(per_parent));
        }
    }
    need
}

/// How many values a column can take, when few: its enum or CHECK list, a
/// boolean's two, or an integer's CHECK range of at most 10,000.
fn domain_size(t: &Table, c: usize) -> Option<u64> {
    use crate::schema::{CheckExpr, CmpOp, Literal, Operand, SqlType};
    let allowed = super::resolve::allowed_values(t, c);
    if !allowed.is_empty() {
        return Some(allowed.len() as u64);
    }
    let column = &t.columns[c];
    if matches!(column.ty.base(), SqlType::Bool) {
        return Some(2);
    }
    if !column.ty.is_integer() {
        return None;
    }
    let (mut lo, mut hi): (Option<f64>, Option<f64>) = (None, None);
    for expr in t.checks.iter().filter_map(|k| k.expr.as_ref()) {
        for conjunct in expr.conjuncts() {
            let CheckExpr::Cmp { left, op, right } = conjunct else { continue };
            let (op, n) = match (left, right) {
                (Operand::Column(name), Operand::Literal(Literal::Number(n))) if *name == column.name => (*op, *n),
                (Operand::Literal(Literal::Number(n)), Operand::Column(name)) if *name == column.name => (op.flip(), *n),
                _ => continue,
            };
            match op {
                CmpOp::Ge => lo = Some(lo.map_or(n, |l: f64| l.max(n))),
                CmpOp::Gt => lo = Some(lo.map_or(n + 1.0, |l: f64| l.max(n + 1.0))),
                CmpOp::Le => hi = Some(hi.map_or(n, |h: f64| h.min(n))),
                CmpOp::Lt => hi = Some(hi.map_or(n - 1.0, |h: f64| h.min(n - 1.0))),
                _ => {}
            }
        }
    }
    let (lo, hi) = (lo?, hi?);
    (hi >= lo && hi - lo < 10_000.0).then(|| (hi - lo) as u64 + 1)
}

/// The smallest `r` with `r^n >= x`.
fn root_ceil(x: u64, n: u32) -> u64 {
    if n <= 1 || x <= 1 {
        return x.max(1);
    }
    let mut r = (x as f64).powf(1.0 / n as f64).floor().max(1.0) as u64;
    while r.checked_pow(n).is_some_and(|p| p < x) {
        r += 1;
    }
    r
}

#[cfg(test)]
mod should {
    use super::root_ceil;

    #[test]
    fn take_the_smallest_root_that_covers() {
        assert_eq!(root_ceil(100, 2), 10);
        assert_eq!(root_ceil(101, 2), 11);
        assert_eq!(root_ceil(7, 1), 7);
        assert_eq!(root_ceil(0, 2), 1);
        assert_eq!(root_ceil(1000, 3), 10);
    }
}
