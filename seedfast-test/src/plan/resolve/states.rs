//! Row states and their times at plan level: which time column a state
//! fills, which states leave it unset (as the schema's CHECKs say), and the
//! columns a CHECK wants set along with a time the scope sets.

use super::*;

/// The states among `values` that have a time column of their own:
/// `completed` → `completed_at`, `checked_in` → `checked_in_at`. A state
/// whose time a CHECK allows only in that state (`won_at IS NULL OR stage =
/// 'won'`) is ordered last, so every other state leaves its time unset.
pub(super) fn state_links(schema: &Schema, table: usize, column: usize, values: &[String]) -> Vec<StateLink> {
    let t = &schema.tables[table];
    let order = allowed_values(t, column);
    if order.is_empty() {
        return Vec::new();
    }
    let mut links = Vec::new();
    for value in values {
        let stem = squash(value.trim_end_matches("ed").trim_end_matches('e'));
        if stem.len() < 3 {
            continue;
        }
        let times: Vec<usize> = (0..t.columns.len()).filter(|&c| c != column && !t.columns[c].not_null && !t.columns[c].generated && is_time(t, c) && squash(&t.columns[c].name).starts_with(&stem)).collect();
        // The longest name is the closest (`checked_in_at` for `checked_in`).
        if let Some(&time) = times.iter().max_by_key(|&&c| (common_prefix(&squash(&t.columns[c].name), &squash(value)), std::cmp::Reverse(c))) {
            let time_name = t.columns[time].name.to_lowercase();
            let status_name = t.columns[column].name.to_lowercase();
            let exclusive = t.checks.iter().any(|check| {
                let def = check.definition.to_lowercase();
                def.contains(&format!("({time_name} is null)")) && def.contains(&status_name) && def.contains(&format!("'{}'", value.to_lowercase()))
            });
            let order = if exclusive { order.iter().filter(|v| *v != value).cloned().chain([value.clone()]).collect() } else { order.clone() };
            links.push(StateLink { status: column, value: value.clone(), time, order });
        }
    }
    links
}

/// Every status column's states tie their times even when the scope does
/// not name them: a cancelled appointment has its `cancelled_at`, a deal
/// that is not won has no `won_at` (the CHECKs real schemas write for it).
/// Times the scope shapes itself are left alone.
pub(super) fn default_state_links(schema: &Schema, plans: &mut [TablePlan]) {
    for plan in plans.iter_mut() {
        let t = &schema.tables[plan.table];
        for column in 0..t.columns.len() {
            if plan.rules.contains_key(&column) || t.columns[column].generated {
                continue;
            }
            let allowed = allowed_values(t, column);
            if allowed.len() < 2 {
                continue;
            }
            for link in state_links(schema, plan.table, column, &allowed) {
                let shaped = plan.rules.contains_key(&link.time) || plan.fill.contains(&link.time) || plan.states.iter().any(|l| l.time == link.time);
                if !shaped {
                    plan.states.push(link);
                }
            }
        }
    }
}

/// A time column set on purpose (`returned last week`) also sets the
/// columns a CHECK wants set with it: `returned_at IS NULL OR (picked_up_at
/// IS NOT NULL AND ...)` needs a pick-up time on every returned rental.
pub(super) fn fill_what_checks_require(schema: &Schema, plans: &mut [TablePlan]) {
    for plan in plans.iter_mut() {
        let t = &schema.tables[plan.table];
        let mut set: Vec<usize> = plan.rules.iter().filter(|(_, r)| matches!(r, Rule::Window { .. })).map(|(c, _)| *c).collect();
        set.extend(plan.fill.iter().copied());
        let mut i = 0;
        while i < set.len() {
            let filled = t.columns[set[i]].name.to_lowercase();
            for check in &t.checks {
                let def = check.definition.to_lowercase();
                if !def.contains(&format!("{filled} is null")) && !def.contains(&format!("{filled} is not null")) {
                    continue;
                }
                for (c, column) in t.columns.iter().enumerate() {
                    let name = column.name.to_lowercase();
                    if name != filled && !column.not_null && def.contains(&format!("({name} is not null)")) && !plan.fill.contains(&c) {
                        plan.fill.push(c);
                        set.push(c);
                    }
                }
            }
            i += 1;
        }
        // `returned last week` under `CHECK (returned_at >= picked_up_at)`:
        // the earlier time falls before the window, or no redraw of it
        // would ever land below a window near now.
        let windows: Vec<(usize, DateTime<Utc>, DateTime<Utc>)> =
            plan.rules.iter().filter_map(|(c, r)| match r { Rule::Window { start, end } => Some((*c, *start, *end)), _ => None }).collect();
        for (later, start, end) in windows {
            let l = t.columns[later].name.to_lowercase();
            for (c, column) in t.columns.iter().enumerate() {
                let e = column.name.to_lowercase();
                if c == later || !is_time(t, c) || plan.rules.contains_key(&c) {
                    continue;
                }
                let ordered = t.checks.iter().any(|check| {
                    let def = check.definition.to_lowercase();
                    [format!("({l} >= {e})"), format!("({l} > {e})"), format!("({e} <= {l})"), format!("({e} < {l})")].iter().any(|p| def.contains(p.as_str()))
                });
                if ordered {
                    let span = (end - start).max(Duration::days(1));
                    plan.rules.insert(c, Rule::Window { start: start - span * 2, end: start });
                }
            }
        }
    }
}
