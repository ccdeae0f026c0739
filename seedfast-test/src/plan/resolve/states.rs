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

/// What the table's CHECKs tie between a status column and a nullable
/// column: `status <> 'done' OR completed_at IS NOT NULL` sets the time in
/// `done`; `status IN ('done', 'cancelled') OR completed_at IS NULL` allows it
/// in those states only. Real schemas spell these in both directions and
/// with either a name the states share or none (`done` and `completed_at`),
/// so they are read from the CHECK, not guessed from names.
pub(super) fn check_state_rules(schema: &Schema, table: usize) -> Vec<StateRule> {
    let t = &schema.tables[table];
    let index = |name: &str| t.columns.iter().position(|c| c.name == name);
    let mut rules: Vec<StateRule> = Vec::new();
    for expr in t.checks.iter().filter_map(|c| c.expr.as_ref()) {
        for conjunct in expr.conjuncts() {
            let CheckExpr::Or(items) = conjunct else { continue };
            let [a, b] = items.as_slice() else { continue };
            let (null, cond) = match (a, b) {
                (CheckExpr::IsNull { .. }, other) | (other, CheckExpr::IsNull { .. }) if !matches!(other, CheckExpr::IsNull { .. }) => {
                    (if matches!(a, CheckExpr::IsNull { .. }) { a } else { b }, other)
                }
                _ => continue,
            };
            let CheckExpr::IsNull { operand: Operand::Column(column), negated: set } = null else { continue };
            // The states the condition names, and whether it says "in them".
            let (status, listed, inside) = match cond {
                CheckExpr::Cmp { left: Operand::Column(s), op, right: Operand::Literal(Literal::Text(v)) }
                | CheckExpr::Cmp { left: Operand::Literal(Literal::Text(v)), op, right: Operand::Column(s) }
                    if matches!(op, CmpOp::Eq | CmpOp::Ne) =>
                {
                    (s, vec![v.clone()], *op == CmpOp::Eq)
                }
                CheckExpr::In { operand: Operand::Column(s), values } => (s, texts(values), true),
                CheckExpr::Not(inner) => match inner.as_ref() {
                    CheckExpr::In { operand: Operand::Column(s), values } => (s, texts(values), false),
                    _ => continue,
                },
                _ => continue,
            };
            let (Some(status), Some(column)) = (index(status), index(column)) else { continue };
            let states = allowed_values(t, status);
            if states.len() < 2 || status == column || t.columns[column].not_null || listed.is_empty() {
                continue;
            }
            // `cond OR column IS [NOT] NULL`: where the condition fails, the
            // column is null (or set).
            let failing: Vec<String> = states.iter().filter(|s| listed.contains(s) != inside).cloned().collect();
            let rule = match rules.iter().position(|r| r.status == status && r.column == column) {
                Some(i) => &mut rules[i],
                None => {
                    rules.push(StateRule { status, column, set: Vec::new(), allowed: states.clone() });
                    rules.last_mut().expect("pushed")
                }
            };
            if *set {
                for state in failing {
                    if !rule.set.contains(&state) {
                        rule.set.push(state);
                    }
                }
            } else {
                rule.allowed.retain(|s| !failing.contains(s));
            }
        }
    }
    rules
}

fn texts(values: &[Literal]) -> Vec<String> {
    values.iter().filter_map(|v| match v { Literal::Text(s) => Some(s.clone()), _ => None }).collect()
}

/// Every planned table keeps what its CHECKs tie between states and
/// columns (applied by the generator after the rows are drawn), and a
/// column the scope sets or empties on purpose picks the states that fit:
/// `20 issues completed last month` are `done` (the state that requires
/// `completed_at`), `12 overdue issues` (no `completed_at`) are in none of
/// the states that allow one.
pub(super) fn tie_states_by_checks(schema: &Schema, plans: &mut [TablePlan]) -> Vec<String> {
    let mut told = Vec::new();
    for plan in plans.iter_mut() {
        let rules = check_state_rules(schema, plan.table);
        for rule in &rules {
            if plan.rules.contains_key(&rule.status) {
                continue;
            }
            // A NULL share also lists its column as filled (the other rows).
            let nulls = matches!(plan.rules.get(&rule.column), Some(Rule::Nulls { .. }));
            let forced_set = (plan.fill.contains(&rule.column) && !nulls) || matches!(plan.rules.get(&rule.column), Some(Rule::Window { .. }));
            let forced_null = matches!(plan.rules.get(&rule.column), Some(Rule::Nulls { num, den }) if num == den);
            let states = allowed_values(&schema.tables[plan.table], rule.status);
            let pick: Vec<String> = if forced_set {
                if rule.set.is_empty() { rule.allowed.clone() } else { rule.set.clone() }
            } else if forced_null {
                states.iter().filter(|s| !rule.set.contains(s) && (rule.allowed.len() == states.len() || !rule.allowed.contains(s))).cloned().collect()
            } else {
                continue;
            };
            if !pick.is_empty() && pick.len() < states.len() {
                let t = &schema.tables[plan.table];
                let shown = pick.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ");
                told.push(format!("{}.{} one of {shown}: a CHECK ties it to {}", t.display_name(), t.columns[rule.status].name, t.columns[rule.column].name));
                plan.rules.insert(rule.status, Rule::Mix(pick));
            }
        }
        plan.state_rules = rules;
    }
    told
}

impl Resolver<'_> {
    /// The time column a CHECK ties to the state the words name: the
    /// columns a row in that state must have, else the ones only allowed in
    /// it. Empty when the words name no state or the CHECKs tie none.
    pub(super) fn time_of_state(&self, table: usize, words: &[&str]) -> Vec<usize> {
        let t = &self.schema.tables[table];
        let Some((status, value)) = [words.join("_"), words.first().map(|w| w.to_string()).unwrap_or_default()]
            .iter()
            .find_map(|w| self.value_column(table, w).filter(|(c, _)| !allowed_values(t, *c).is_empty()))
        else {
            return Vec::new();
        };
        let rules = check_state_rules(self.schema, table);
        let time = |r: &&StateRule| r.status == status && is_time(t, r.column);
        // The time most particular to the state: `responded_at`, required in
        // two states, over `extended_at`, required in all but the first.
        let required: Vec<&StateRule> = rules.iter().filter(time).filter(|r| r.set.contains(&value)).collect();
        if let Some(fewest) = required.iter().map(|r| r.set.len()).min() {
            return required.iter().filter(|r| r.set.len() == fewest).map(|r| r.column).collect();
        }
        let states = allowed_values(t, status).len();
        rules.iter().filter(time).filter(|r| r.allowed.len() < states && r.allowed.contains(&value)).map(|r| r.column).collect()
    }
}
