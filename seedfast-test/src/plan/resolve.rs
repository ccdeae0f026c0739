//! Resolves a parsed scope against a schema: nouns to tables and columns,
//! counts to row numbers, percentages to exact shares.

use std::collections::HashSet;

use chrono::{Duration, Months};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use seedfast_scope::{Affix, Clause, Date, IdLiteral, IdSelection, Period, Phrase, Portion, Scope, ScopeError, Share, Span, TimeUnit};

use super::names::{closest, match_value, name_variants, singular, squash};
use super::{Binding, EventLog, IdSet, OrphanRule, Plan, PlannedTable, Rows, Rule, SeedOptions, StateLink, StateRule, TablePlan, Why};
use crate::error::{Error, Result};
use crate::generate::Value;
use crate::schema::{CheckExpr, CmpOp, Literal, Operand, Schema, SqlType, Table};
use crate::upstream::{Upstream, UpstreamRef, check_contract_side};

mod loose;
mod measures;
mod narrowing;
mod states;
mod subjects;
mod trees;

use states::{default_state_links, fill_what_checks_require, state_links, tie_states_by_checks};
use subjects::Adjective;

/// Rows of a parent planned because a phrase follows it (`for all orders`,
/// `refunds for failed payments`) when the scope gives it no count.
const REQUIRED_PARENT_ROWS: u64 = 5;

/// Everyday words for one state, as schemas spell them differently.
const STATE_SYNONYMS: &[&[&str]] = &[
    &["completed", "complete", "finished", "done"],
    &["cancelled", "canceled", "abandoned", "voided", "void"],
    &["declined", "rejected", "refused", "denied"],
    &["approved", "accepted", "granted"],
    &["paid", "settled"],
    &["ongoing", "inprogress", "underway", "started"],
];

/// Words that say when a state holds, not which (`one still issued`, `none
/// of them assigned yet`).
const STATE_ADVERBS: &[&str] = &["still", "currently", "already", "yet", "now"];

/// `with addresses` without a count: this many per parent (one for 1:1).
const DEFAULT_CHILDREN: (u64, u64) = (1, 3);

pub fn resolve(schema: &Schema, scope: &Scope, options: SeedOptions, upstream: &Upstream) -> Result<Plan> {
    let mut r = Resolver { schema, scope, upstream, plans: Vec::new(), options, bindings: Vec::new(), count: scope.count.map(|c| c.value), counted: Vec::new(), implied: Vec::new() };
    let (mut subject, adjectives, of_target) = match r.subject_table(&scope.subject) {
        Ok((table, adjectives)) => (table, adjectives, None),
        Err(e) => match r.subject_of(&scope.subject) {
            Some((table, adjectives, target)) => (table, adjectives, Some(target)),
            None => return Err(e),
        },
    };
    let first_subject = subject;
    r.plan_mut(subject, Why::Requested);
    let subject_span = scope.count.map_or(scope.subject.span, |c| c.span.to(scope.subject.span));
    r.bind(subject_span, format!("table {}", schema.tables[subject].display_name()));

    // Count: explicit, or one row per referenced ID (`payments for order IDs 1-8000`).
    let mut one_per_id_pending = scope.count.is_none();
    r.plan_mut(subject, Why::Requested).rows = Rows::Exactly(scope.count.map(|c| options.scaled(c.value)).unwrap_or(0));

    if let Some(count) = scope.count {
        r.start_counted(subject, &adjectives, count.value);
        // `6 female and 4 male operators`: the first count names no table,
        // so the last group's noun is the first's too.
        let named = scope.subject.words.last().and_then(|w| r.find_table(&Phrase { words: vec![w.clone()], text: w.clone(), span: scope.subject.span }).ok().flatten()).is_some();
        if let Some(entry) = r.counted.iter_mut().find(|c| c.table == subject) {
            entry.bare = !named;
        }
    }
    for (adjective, span) in adjectives {
        r.adjective(subject, adjective, span)?;
    }
    // `reviews of shows that have ended`: the parent after `of` is a
    // reference, and a state that fits no column of the subject is its.
    let mut of_parent = None;
    if let Some(target) = of_target {
        let (table, column) = match r.reference_column(subject, &target) {
            Ok(found) => found,
            Err(e) => r.narrowed_reference(subject, &target, target.span)?.ok_or(e)?,
        };
        of_parent = Some((table, column, target.span));
    }
    if !scope.subject_values.is_empty() {
        if r.named_rows(subject)? {
            one_per_id_pending = false;
        } else {
            r.subject_values(subject)?;
        }
    }

    for clause in &scope.clauses {
        let before = r.snapshot();
        match clause {
            Clause::With { target, count, per, named, span } => {
                r.with(subject, target, count.as_ref().map(|c| (c.min, c.max)), per.as_ref())?;
                if !named.is_empty() {
                    r.named_children(subject, target, named, *span)?;
                }
            }
            Clause::Across { count, target, named, span } => {
                let parents = options.scaled(count.value).max(named.len() as u64);
                r.across(subject, parents, target, named, *span)?;
                // `gift aid declarations for 20 donors`: no count of its own,
                // one row for each of them.
                let to_parent = r.table(target).ok().and_then(|p| schema.tables[subject].foreign_keys.iter().position(|fk| fk.ref_table == p));
                if one_per_id_pending && subject == first_subject && let Some(fk) = to_parent {
                    one_per_id_pending = false;
                    r.count = Some(parents);
                    r.plan_mut(subject, Why::Requested).rows = Rows::PerParent { fk, min: 1, max: 1 };
                }
            }
            Clause::TimeWindow { amount, unit, span } => {
                let start = window_start(options, *amount, *unit).ok_or_else(|| {
                    ScopeError::new(&scope.text, *span, "time window reaches before year 0").help("use a shorter window")
                })?;
                r.plan_mut(subject, Why::Requested).window = Some((start, options.now));
            }
            Clause::References { target, ids: None, span } if target.words.len() > 1 && ["all", "every", "each"].contains(&target.words[0].as_str()) => {
                // `payments for all orders`: one row per parent row.
                let parent = Phrase { words: target.words[1..].to_vec(), text: target.words[1..].join(" "), span: target.span };
                let (table, column) = r.reference_column(subject, &parent)?;
                let t = &schema.tables[table];
                let Some(fk) = t.foreign_keys.iter().position(|fk| fk.columns == [column]) else {
                    return Err(ScopeError::new(&scope.text, *span, format!("`{}.{}` has no foreign key in this database, so there are no rows to follow", t.display_name(), t.columns[column].name))
                        .help("give the IDs instead, as in `for order IDs 1-100`")
                        .into());
                };
                if r.planned(t.foreign_keys[fk].ref_table).is_none() {
                    let by = t.display_name();
                    r.plan_mut(t.foreign_keys[fk].ref_table, Why::Required { by }).rows = Rows::Exactly(REQUIRED_PARENT_ROWS);
                }
                r.plan_mut(table, Why::Mentioned).rows = Rows::PerParent { fk, min: 1, max: 1 };
                if table == subject {
                    one_per_id_pending = false;
                }
            }
            Clause::References { target, ids: Some(IdSelection::List { ids: labels, .. }), span }
                if !target.words.is_empty() && r.labelled_through_junction(subject, target, labels, *span)? =>
            {
                // `tracks featuring the artist Luna Park`: linked by a junction.
            }
            Clause::References { target, ids, span } => {
                let found = if target.words.is_empty() { r.person_parent(subject, &target.text, target.span).map(Some)? } else { None };
                let (table, column) = match found.map_or_else(|| r.reference_column(subject, target), Ok) {
                    Ok(found) => found,
                    Err(e) => match r.narrowed_reference(subject, target, *span)?.or(r.parent_by_value(subject, target, *span)?) {
                        Some(found) => found,
                        // `held in the Main Hall room`: a value of a column.
                        None => match ids {
                            // `flights from JFK`: a code of a row, the
                            // reference by its direction.
                            None if r.directional_code(subject, target, r.slice(*span).split_whitespace().next().unwrap_or("").to_lowercase().as_str(), *span)? => {
                                r.explain_change(&before, clause.span());
                                continue;
                            }
                            // `listings for sale`: a value of the rows.
                            None if let Some((col, value)) = r.value_column(subject, &target.words.join("_")) => {
                                r.fixed(subject, col, value, *span)?;
                                r.explain_change(&before, clause.span());
                                continue;
                            }
                            // `a wedding for Maya & Leo`: whom the row is for,
                            // in its own name column, when no reference says.
                            None if target.words.len() >= 2
                                && target.text.split_whitespace().all(|w| w == "&" || w.starts_with(char::is_uppercase))
                                && let Some(col) = r.own_name_column(subject) =>
                            {
                                r.fixed(subject, col, target.text.clone(), *span)?;
                                r.explain_change(&before, clause.span());
                                continue;
                            }
                            // `users from Germany`: a place, not a parent.
                            None if target.text.starts_with(|c: char| c.is_uppercase()) && r.place_column(subject, &target.text).is_some() => {
                                let col = r.place_column(subject, &target.text).expect("checked");
                                let value = r.allowed_value(subject, col, &[], target)?;
                                r.fixed(subject, col, value, *span)?;
                                r.explain_change(&before, clause.span());
                                continue;
                            }
                            Some(IdSelection::List { ids: labels, .. }) if labels.len() == 1 => {
                                let Ok((table, col)) = r.column_near(subject, target) else { return Err(e) };
                                r.fixed(table, col, labels[0].text.clone(), *span)?;
                                r.explain_change(&before, clause.span());
                                continue;
                            }
                            _ => return Err(e),
                        },
                    },
                };
                // `check-ins for flights that are boarding`: a state after
                // the reference is the parents'.
                of_parent = Some((table, column, target.span));
                let Some(ids) = ids else {
                    // `referencing recent orders`: any referenced row will
                    // do, but every row has one (`reports against comments`),
                    // and a reference a CHECK makes exclusive with it has none.
                    r.referenced_by_every_row(table, column, *span)?;
                    r.explain_change(&before, clause.span());
                    continue;
                };
                if let IdSelection::List { ids: labels, .. } = ids
                    && r.labelled_parents(table, column, labels, *span)?
                {
                    r.explain_change(&before, clause.span());
                    continue;
                }
                let set = scale_ids(r.id_set(ids, table, column)?, options);
                let rule = if one_per_id_pending && table == subject {
                    one_per_id_pending = false;
                    r.plan_mut(subject, Why::Requested).rows = Rows::Exactly(set.len());
                    Rule::OnePerId(set)
                } else {
                    Rule::Ids(set)
                };
                r.set_rule(table, column, rule, *span)?;
            }
            Clause::Distribution { column: None, shares, span } => match r.further_subjects(subject, shares)? {
                // `3 branches and 40 customers`: the clauses that follow are
                // about the last table named.
                Some(subjects) => {
                    let rest = &shares[subjects.len()..];
                    for (table, count, adjectives, at) in subjects {
                        // `3 physiotherapists and 2 hygienists`: one table,
                        // counted by value; its rows add up.
                        let values: Vec<(usize, String)> = adjectives.iter().filter_map(|(a, _)| a.counted()).collect();
                        if values.iter().any(|(col, _)| r.counted_by(table, *col)) {
                            r.count_more(table, &values, count, at);
                            subject = table;
                            continue;
                        }
                        r.plan_mut(table, Why::Requested).why = Why::Requested;
                        r.plan_mut(table, Why::Requested).rows = Rows::Exactly(options.scaled(count));
                        r.bind(at, format!("table {}", schema.tables[table].display_name()));
                        r.start_counted(table, &adjectives, count);
                        for (adjective, span) in adjectives {
                            r.adjective(table, adjective, span)?;
                        }
                        subject = table;
                        r.count = Some(count);
                    }
                    if !rest.is_empty() {
                        r.parts(subject, rest, *span)?;
                    }
                    r.explain_change(&before, clause.span());
                    continue;
                }
                None if r.more_counted(subject, shares) => r.explain_change(&before, clause.span()),
                None => {
                    // `holds: 20 still waiting and 8 ready for pickup`: no
                    // count but counted values; the rows are their sum.
                    if one_per_id_pending && subject == first_subject && shares.iter().all(|s| matches!(s.portion, Portion::Rows(_))) {
                        let total: u64 = shares.iter().map(|s| if let Portion::Rows(k) = s.portion { k } else { 0 }).sum();
                        one_per_id_pending = false;
                        r.count = Some(total);
                        r.plan_mut(subject, Why::Requested).rows = Rows::Exactly(options.scaled(total));
                    }
                    r.parts(subject, shares, *span)?
                }
            },
            Clause::Distribution { column: Some(_), shares, span } if shares.iter().any(|s| !matches!(s.portion, Portion::Percent(_))) => {
                r.parts(subject, shares, *span)?;
            }
            Clause::Distribution { column, shares, span } => {
                let values: Vec<&str> = shares.iter().map(|s| s.value.text.as_str()).collect();
                let (table, col, allowed) = r.valued_column(subject, column.as_ref(), &values, *span)?;
                let mapped = shares
                    .iter()
                    .map(|s| Ok((r.allowed_value(table, col, &allowed, &s.value)?, s.percent.hundredths)))
                    .collect::<Result<Vec<_>>>()?;
                r.set_rule(table, col, Rule::Shares(mapped), *span)?;
            }
            Clause::RealisticDistribution { column, span } => {
                let (table, col, allowed) = r.valued_column(subject, Some(column), &[], *span)?;
                r.set_rule(table, col, Rule::Weighted(realistic_weights(&allowed)), *span)?;
            }
            Clause::Values { column: Some(column), values, span }
                if values.len() == 1 && r.reference_column(subject, column).is_ok_and(|(t, c)| r.schema.tables[t].foreign_keys.iter().any(|fk| fk.columns == [c])) =>
            {
                // `transactions on frozen accounts`: the parents' state, not a
                // value of the reference.
                let words = [values[0].words.clone(), column.words.clone()].concat();
                let target = Phrase { text: words.join(" "), words, span: values[0].span.to(column.span) };
                if r.narrowed_reference(subject, &target, *span)?.is_none() {
                    return Err(ScopeError::new(&scope.text, values[0].span, format!("`{}` is not a value of any column of `{}`", values[0].text, column.text))
                        .help(format!("use a value of its enum or CHECK lists, as in `for paid {}`", column.text))
                        .into());
                }
            }
            // `invoices that are (already) past due`, `loans that are overdue`
            Clause::Values { column: None, values, span }
                if values.len() == 1 && ["overdue", "past due", "past-due", "late"].contains(&values[0].words.iter().filter(|w| !STATE_ADVERBS.contains(&w.as_str())).cloned().collect::<Vec<_>>().join(" ").as_str()) && r.due_column(subject).is_some() =>
            {
                let due = r.due_column(subject).expect("checked");
                r.adjective(subject, Adjective::Overdue { due }, *span)?;
            }
            Clause::Values { column, values, span } => {
                // `shipments in transit`, `equipment under repair`: the value
                // may be spelt with its preposition.
                let preposition = r.slice(Span::new(span.start, values[0].span.start)).trim().to_lowercase();
                let with_in: Vec<Phrase> = values.iter().map(|v| Phrase { words: [preposition.clone()].into_iter().chain(v.words.iter().cloned()).collect(), text: format!("{preposition} {}", v.text), span: v.span }).collect();
                let after_in = column.is_none() && ["in", "under", "on"].contains(&preposition.as_str());
                let spelt_in = after_in && {
                    let texts: Vec<&str> = with_in.iter().map(|v| v.text.as_str()).collect();
                    r.valued_column(subject, None, &texts, *span).is_ok_and(|(_, _, allowed)| !allowed.is_empty())
                };
                let values = if spelt_in { &with_in } else { values };
                let texts: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
                // A value the free-text status column would take as written
                // goes to a flag, time or reference the words name first.
                let free = column.is_none() && values.len() == 1 && r.free_status_column(subject, &texts).is_some();
                let found = r.valued_column(subject, column.as_ref(), &texts, *span);
                if free
                    && found.as_ref().is_ok_and(|(t, c, a)| *t == subject && a.is_empty() && Some(*c) == r.free_status_column(subject, &texts))
                    && r.loose_value(subject, &values[0], *span)?
                {
                    r.explain_change(&before, clause.span());
                    continue;
                }
                let (table, col, allowed) = match found {
                    Ok(found) => found,
                    Err(e) => match of_parent {
                        Some((table, fk_column, _)) if values.len() == 1 && column.is_none() && r.parent_state(table, fk_column, &values[0], *span)? => {
                            r.explain_change(&before, clause.span());
                            continue;
                        }
                        _ if values.len() == 1 && column.is_none() && r.value_then_noun(subject, &values[0], *span)? => {
                            r.explain_change(&before, clause.span());
                            continue;
                        }
                        _ if values.len() == 1 && column.is_none() && r.loose_value(subject, &values[0], *span)? => {
                            r.explain_change(&before, clause.span());
                            continue;
                        }
                        // `subscriptions on plans that are no longer
                        // available`: a table the rows refer to.
                        _ if values.len() == 1 && column.is_none() && let Ok((table, col)) = r.reference_column(subject, &values[0]) => {
                            r.referenced_by_every_row(table, col, *span)?;
                            of_parent = Some((table, col, values[0].span));
                            r.explain_change(&before, clause.span());
                            continue;
                        }
                        // `that are in stock` for `is_in_stock`
                        _ if values.len() == 1 && after_in && r.loose_value(subject, &with_in[0], *span)? => {
                            r.explain_change(&before, clause.span());
                            continue;
                        }
                        _ => return Err(e),
                    },
                };
                let mut mapped = values.iter().map(|v| r.allowed_value(table, col, &allowed, v)).collect::<Result<Vec<_>>>()?;
                if table == subject && one_per_id_pending && (column.is_some() || mapped.len() > 1) {
                    // `warehouses with codes: AMS1, RTM2`: no count, one row
                    // per listed value.
                    one_per_id_pending = false;
                    r.plan_mut(subject, Why::Requested).rows = Rows::Exactly(mapped.len() as u64);
                    r.set_rule(table, col, Rule::NamedFirst(mapped), *span)?;
                } else if mapped.len() == 1 {
                    // `that have been delivered`: a state fills its times.
                    r.fixed(table, col, mapped.remove(0), *span)?;
                } else {
                    r.set_rule(table, col, Rule::Mix(mapped), *span)?;
                }
            }
            Clause::Range { column, min, max, unit, span }
                if r.money_pair(subject, unit.as_deref()).is_some_and(|(low, high)| column.as_ref().is_none_or(|c| r.column_near(subject, c).is_err() || r.find_columns(subject, c).iter().all(|&k| k == low || k == high))) =>
            {
                // `paying between $100,000 and $150,000`: both bounds of the
                // pay lie in the range.
                let (low, high) = r.money_pair(subject, unit.as_deref()).expect("checked");
                let k = r.unit_scale(subject, low, unit.as_deref());
                // The low bound in the lower half, the high in the upper: the
                // pair stays ordered, as schemas check.
                let mid = ((min.value + max.value) / 2.0 * k).round();
                r.set_rule(subject, low, Rule::Range { min: min.value * k, max: mid }, *span)?;
                r.set_rule(subject, high, Rule::Range { min: mid, max: max.value * k }, *span)?;
            }
            Clause::Range { column, min, max, unit, span } => {
                let (table, col) = match column {
                    // `costing between $10 and $40`: a verb that names no
                    // column leaves the unit to name it.
                    Some(column) => match r.column_near(subject, column) {
                        Ok(found) => found,
                        Err(e) => match unit.as_deref().filter(|_| column.words.len() == 1) {
                            Some(u) => (subject, r.column_by_unit(subject, Some(u), *span).map_err(|_| e)?),
                            // `worth between 10k and 50k`: money, in no currency said.
                            None if ["worth", "valued", "costing", "priced"].contains(&column.words[0].as_str()) => (subject, r.column_by_unit(subject, Some("$"), *span).map_err(|_| e)?),
                            None => return Err(e),
                        },
                    },
                    None => match r.column_by_unit(subject, unit.as_deref(), *span) {
                        Ok(col) => (subject, col),
                        // `6 teams of 18 players`: children per row, not a measure.
                        Err(e) => match unit.as_deref().filter(|u| u.chars().all(char::is_alphabetic)) {
                            Some(u) if min.value.fract() == 0.0 && max.value.fract() == 0.0 && min.value >= 0.0 && r.find_child(subject, &Phrase { words: vec![u.to_string()], text: u.to_string(), span: *span }).is_some() => {
                                let target = Phrase { words: vec![u.to_string()], text: u.to_string(), span: *span };
                                r.with(subject, &target, Some((min.value as u64, max.value as u64)), None)?;
                                r.explain_change(&before, clause.span());
                                continue;
                            }
                            _ => return Err(e),
                        },
                    },
                };
                let named = column.as_ref().map_or(*span, |c| c.span);
                let ty = r.schema.tables[table].columns[col].ty.base().clone();
                if !measures::is_numeric(&r.schema.tables[table], col) {
                    return Err(ScopeError::new(&scope.text, named, format!(
                        "`{}` is {} in {}, not a number: a range needs a numeric column",
                        r.schema.tables[table].columns[col].name, ty.sql_name(), r.schema.tables[table].display_name()
                    )).into());
                }
                let money_verb = column.as_ref().is_some_and(|c| ["worth", "valued", "costing", "priced"].contains(&c.words[0].as_str()));
                let k = r.unit_scale(table, col, unit.as_deref().or(money_verb.then_some("$")));
                r.set_rule(table, col, Rule::Range { min: min.value * k, max: max.value * k }, *span)?;
                r.currency_of_unit(table, unit.as_deref(), *span)?;
            }
            Clause::Orphans { percent, target, span, .. } => {
                let (table, column) = r.reference_column(subject, target)?;
                r.orphans(table, column, percent.hundredths, *span)?;
            }
            Clause::Matching { column, source, span } => r.derived(subject, column, source, *span, false)?,
            Clause::After { column, source, span } => r.derived(subject, column, source, *span, true)?,
            Clause::GroupedBy { column, .. } => {
                let col = r.column_in(subject, column)?;
                r.event_log(subject).aggregate = col;
            }
            Clause::Monotonic { column, .. } => {
                let col = r.time_column(subject, column)?;
                r.event_log(subject).time = Some(col);
            }
            Clause::Purpose { span } => {
                // `donations to completed campaigns`: `to` and a table the
                // rows point at is a reference, not what the data is for.
                if let Some(found) = r.purpose_as_reference(subject, *span)? {
                    of_parent = Some(found);
                }
            }
            Clause::Period { column, period, span } => r.period(subject, column.as_ref(), *period, *span)?,
            Clause::Nulls { portion, column, span } => r.nulls(subject, *portion, column, *span)?,
            Clause::Affix { column, value, affix, span } => r.affix(subject, column.as_ref(), value, *affix, *span)?,
            Clause::Bound { column, lower, upper, strict, unit, span } => {
                r.bound(subject, column.as_ref(), lower.as_ref().map(|n| n.value), upper.as_ref().map(|n| n.value), *strict, unit.as_deref(), *span)?
            }
        }
        r.explain_change(&before, clause.span());
    }

    if one_per_id_pending {
        return Err(ScopeError::new(&scope.text, scope.subject.span, "no row count for `".to_string() + &scope.subject.text + "`")
            .help(format!("start with a number (`100 {}`) or reference IDs (`{} for user IDs 1-100`)", scope.subject.text, scope.subject.text))
            .into());
    }
    r.finish_event_log(first_subject)?;
    r.apply_upstream()?;
    fill_what_checks_require(schema, &mut r.plans);
    super::parents::add_required_parents(schema, &mut r.plans)?;
    default_state_links(schema, &mut r.plans);
    // What the CHECKs chose is shown against the subject's words.
    for meaning in tie_states_by_checks(schema, &mut r.plans) {
        r.bind(scope.subject.span, meaning);
    }
    r.orphan_counts()?;
    let tables = super::order::insertion_order(schema, r.plans)?;
    let shown = tables.iter().map(|p| PlannedTable { table: schema.tables[p.table].display_name(), rows: rows_text(schema, p), why: why_text(&p.why) }).collect();
    let plan = Plan { options, tables, shown, bindings: r.bindings };
    super::limits::check(schema, &plan, super::limits::max_rows()?)?;
    Ok(plan)
}




fn window_start(options: SeedOptions, amount: u64, unit: TimeUnit) -> Option<chrono::DateTime<chrono::Utc>> {
    let now = options.now;
    let amount32 = u32::try_from(amount).ok()?;
    match unit {
        TimeUnit::Hours => now.checked_sub_signed(Duration::try_hours(amount as i64)?),
        TimeUnit::Days => now.checked_sub_signed(Duration::try_days(amount as i64)?),
        TimeUnit::Weeks => now.checked_sub_signed(Duration::try_weeks(amount as i64)?),
        TimeUnit::Months => now.checked_sub_months(Months::new(amount32)),
        TimeUnit::Years => now.checked_sub_months(Months::new(amount32.checked_mul(12)?)),
    }
}

fn window_end(options: SeedOptions, amount: u64, unit: TimeUnit) -> Option<chrono::DateTime<chrono::Utc>> {
    let now = options.now;
    let amount32 = u32::try_from(amount).ok()?;
    match unit {
        TimeUnit::Hours => now.checked_add_signed(Duration::try_hours(amount as i64)?),
        TimeUnit::Days => now.checked_add_signed(Duration::try_days(amount as i64)?),
        TimeUnit::Weeks => now.checked_add_signed(Duration::try_weeks(amount as i64)?),
        TimeUnit::Months => now.checked_add_months(Months::new(amount32)),
        TimeUnit::Years => now.checked_add_months(Months::new(amount32.checked_mul(12)?)),
    }
}

/// Built-in weights for status-like values: most things succeed, some are
/// in flight, few fail. Unknown labels get a middle weight.
fn realistic_weights(allowed: &[String]) -> Vec<(String, u32)> {
    allowed
        .iter()
        .map(|v| {
            let w = match v.to_lowercase().as_str() {
                "completed" | "delivered" | "captured" | "active" | "paid" | "succeeded" | "success" | "done" => 50,
                "shipped" | "approved" | "confirmed" | "sent" => 20,
                "pending" | "processing" | "authorized" | "new" | "open" | "in_progress" => 12,
                "cancelled" | "canceled" | "failed" | "refunded" | "rejected" | "expired" | "banned" => 4,
                _ => 8,
            };
            (v.clone(), w)
        })
        .collect()
}

struct Resolver<'a> {
    schema: &'a Schema,
    scope: &'a Scope,
    upstream: &'a Upstream,
    plans: Vec<TablePlan>,
    options: SeedOptions,
    bindings: Vec<Binding>,
    /// The row count the current subject was asked for (`3 branches and
    /// 40 customers` moves on to 40 once customers are the subject).
    count: Option<u64>,
    /// Subjects counted by values (`3 physiotherapists and 2 hygienists`,
    /// `a retired lathe and 4 idle presses`).
    counted: Vec<Counted>,
    /// States a verb implied (`invoices issued last month` are `issued`):
    /// a share said outright (`a third of them overdue`) takes its part and
    /// leaves the implied state the rest.
    implied: Vec<(usize, usize)>,
}

/// A table counted by values: its rows so far and, per column, each value
/// with its count.
struct Counted {
    table: usize,
    total: u64,
    columns: Vec<(usize, Vec<(String, u64)>)>,
    /// The first group was a value alone (`6 female and 4 male operators`).
    bare: bool,
}

impl<'a> Resolver<'a> {
    fn slice(&self, span: Span) -> &str {
        &self.scope.text[span.start..span.end]
    }

    fn err(&self, span: Span, message: impl Into<String>) -> ScopeError {
        ScopeError::new(&self.scope.text, span, message)
    }

    fn plan_mut(&mut self, table: usize, why: Why) -> &mut TablePlan {
        if let Some(i) = self.plans.iter().position(|p| p.table == table) {
            return &mut self.plans[i];
        }
        self.plans.push(TablePlan::empty(table, why));
        self.plans.last_mut().expect("just pushed")
    }

    fn planned(&self, table: usize) -> Option<&TablePlan> {
        self.plans.iter().find(|p| p.table == table)
    }

    fn set_rule(&mut self, table: usize, column: usize, rule: Rule, span: Span) -> Result<()> {
        let t = &self.schema.tables[table];
        // The same rule twice (`submitted ... that haven't been decided
        // yet`: both leave `decided_at` unset) is no conflict.
        let same = |r: &Rule| match (r, &rule) {
            (Rule::Nulls { num: a, den: b }, Rule::Nulls { num: c, den: d }) => a * d == c * b,
            (r, rule) => r == rule,
        };
        if self.planned(table).and_then(|p| p.rules.get(&column)).is_some_and(same) {
            return Ok(());
        }
        let implied = self.implied.contains(&(table, column));
        let was = self.planned(table).and_then(|p| p.rules.get(&column)).cloned();
        let rule = match (was, rule) {
            (Some(Rule::Mix(was)), Rule::Parts { parts, rest: None }) if implied && was.len() == 1 => {
                self.plan_mut(table, Why::Mentioned).rules.remove(&column);
                Rule::Parts { parts, rest: Some(was[0].clone()) }
            }
            (_, rule) => rule,
        };
        if self.planned(table).is_some_and(|p| p.rules.contains_key(&column)) {
            return Err(self
                .err(span, format!("`{}.{}` is already shaped by an earlier clause", t.display_name(), t.columns[column].name))
                .help("give each column one distribution, range or ID set")
                .into());
        }
        let values: Vec<String> = match &rule {
            Rule::Shares(v) | Rule::Weighted(v) => v.iter().map(|(v, _)| v.clone()).collect(),
            Rule::Mix(v) | Rule::Cycle(v) => v.clone(),
            Rule::Parts { parts, rest } => parts.iter().map(|(v, _, _)| v.clone()).chain(rest.clone()).collect(),
            _ => Vec::new(),
        };
        let links = self.state_links(table, column, &values);
        let plan = self.plan_mut(table, Why::Mentioned);
        plan.rules.insert(column, rule);
        plan.states.extend(links);
        Ok(())
    }

    /// The states among `values` of a closed-set column that have a time
    /// column of their own: `completed` → `completed_at`, `shipped` →
    /// `shipped_on`, `checked_in` → `checked_in_at`.
    fn state_links(&self, table: usize, column: usize, values: &[String]) -> Vec<StateLink> {
        state_links(self.schema, table, column, values)
    }

    /// A table by name, anywhere in the schema.
    fn table(&self, phrase: &Phrase) -> Result<usize> {
        self.find_table(phrase)?.ok_or_else(|| self.unknown_table(phrase))
    }

    fn unknown_table(&self, phrase: &Phrase) -> Error {
        let names: Vec<String> = self.schema.tables.iter().map(|t| t.display_name()).collect();
        let mut e = self.err(phrase.span, format!("unknown table `{}`", phrase.text));
        e.expected = names.iter().take(12).map(|n| format!("`{n}`")).collect();
        let wanted = phrase.words.iter().map(|w| singular(w)).collect::<Vec<_>>().join("_");
        let best = closest(&phrase.words.join("_"), self.schema.tables.iter().map(|t| t.name.as_str()))
            .or_else(|| closest(&wanted, self.schema.tables.iter().map(|t| t.name.as_str())))
            .or_else(|| self.schema.tables.iter().map(|t| t.name.as_str()).find(|n| squash(n).contains(&squash(&wanted)) || squash(&wanted).contains(&squash(n))));
        e = match best {
            Some(best) => e.help(format!("did you mean `{best}`?")),
            None => e.help(format!("name one of the tables above; quote names with digits or capitals as written, e.g. `10 \"{}\"`", names.first().map(String::as_str).unwrap_or("users"))),
        };
        // Partitions are seeded through their parent, which routes each row.
        let variants: Vec<String> = name_variants(&phrase.words).iter().map(|v| squash(v)).collect();
        let parent = self.schema.tables.iter().find_map(|t| {
            let p = t.partitioning.as_ref()?.partitions.iter().find(|p| variants.contains(&squash(p.name.rsplit('.').next().unwrap_or(&p.name))))?;
            Some((p.name.clone(), t.display_name()))
        });
        if let Some((partition, parent)) = parent {
            e.message = format!("`{partition}` is a partition of `{parent}`, not a table to seed");
            e = e.help(format!("seed `{parent}`: each row goes to the partition its key selects"));
        }
        Error::Scope(e)
    }

    /// The table a phrase names: `order items` is `order_items`,
    /// `sales.orders` names its schema. The same name in two schemas is an
    /// error naming both, never a silent pick.
    fn find_table(&self, phrase: &Phrase) -> Result<Option<usize>> {
        if let [one] = phrase.words.as_slice()
            && let Some((schema, name)) = one.split_once('.')
        {
            let inner = Phrase { words: vec![name.to_string()], text: name.to_string(), span: phrase.span };
            let variants: Vec<String> = name_variants(&inner.words).iter().map(|v| squash(v)).collect();
            return Ok((0..self.schema.tables.len()).find(|&i| {
                let t = &self.schema.tables[i];
                t.schema.eq_ignore_ascii_case(schema) && variants.contains(&squash(&t.name))
            }));
        }
        let variants: Vec<String> = name_variants(&phrase.words).iter().map(|v| squash(v)).collect();
        let rank = |i: usize| variants.iter().position(|v| *v == squash(&self.schema.tables[i].name));
        let mut found: Vec<usize> = (0..self.schema.tables.len()).filter(|&i| rank(i).is_some()).collect();
        found.sort_by_key(|&i| rank(i));
        let Some(&best) = found.first() else {
            // `postings` for `job_postings`, `tables` for `dining_tables`: the
            // one table whose name ends with the words.
            let suffixed = self.suffixed_tables(phrase, |_| true);
            return Ok(match suffixed.as_slice() {
                [one] => Some(*one),
                _ => self.synonym_table(phrase),
            });
        };
        let same: Vec<usize> = found.iter().copied().filter(|&i| squash(&self.schema.tables[i].name) == squash(&self.schema.tables[best].name)).collect();
        if same.len() > 1 {
            let names: Vec<String> = same.iter().map(|&i| format!("{}.{}", self.schema.tables[i].schema, self.schema.tables[i].name)).collect();
            let mut e = self.err(phrase.span, format!("`{}` is ambiguous: {} tables have this name", phrase.text, same.len()));
            e.expected = names.iter().map(|n| format!("`{n}`")).collect();
            return Err(e.help(format!("name the schema, as in `{}`", names[0])).into());
        }
        Ok(Some(best))
    }


    /// Tables whose name ends with `_` and the phrase's words (`job_postings`
    /// for `postings`), among those `keep` accepts.
    fn suffixed_tables(&self, phrase: &Phrase, keep: impl Fn(usize) -> bool) -> Vec<usize> {
        let variants = name_variants(&phrase.words);
        (0..self.schema.tables.len())
            .filter(|&i| keep(i) && variants.iter().any(|v| self.schema.tables[i].name.to_lowercase().ends_with(&format!("_{}", v.to_lowercase()))))
            .collect()
    }

    /// Tables with a foreign key to `parent` whose name matches the phrase
    /// directly or after the parent's name (`items` of `orders` is `order_items`).
    fn find_child(&self, parent: usize, phrase: &Phrase) -> Option<(usize, usize)> {
        let parent_single = singular(&self.schema.tables[parent].name);
        let variants: Vec<String> = name_variants(&phrase.words)
            .into_iter()
            .flat_map(|v| [squash(&v), squash(&format!("{parent_single}_{v}"))])
            .collect();
        let fk_to_parent = |i: usize| self.schema.tables[i].foreign_keys.iter().position(|fk| fk.ref_table == parent && i != parent);
        let named = self.schema.tables.iter().enumerate().find_map(|(i, t)| {
            if !variants.contains(&squash(&t.name)) {
                return None;
            }
            fk_to_parent(i).map(|fk| (i, fk))
        });
        // `a restaurant with 12 tables`: the one child named `..._tables`.
        named
            .or_else(|| match self.suffixed_tables(phrase, |i| fk_to_parent(i).is_some()).as_slice() {
                [one] => fk_to_parent(*one).map(|fk| (*one, fk)),
                _ => None,
            })
            // `customers with 3 lines` for `subscriptions`: an everyday word.
            .or_else(|| self.synonym_table(phrase).and_then(|i| fk_to_parent(i).map(|fk| (i, fk))))
    }

    /// Columns of `table` a phrase names: exact spellings first, then
    /// columns containing the word (`names` fills `first_name` and `last_name`).
    fn find_columns(&self, table: usize, phrase: &Phrase) -> Vec<usize> {
        let t = &self.schema.tables[table];
        let variants: Vec<String> = name_variants(&phrase.words).iter().map(|v| squash(v)).collect();
        let exact: Vec<usize> = (0..t.columns.len()).filter(|&c| variants.contains(&squash(&t.columns[c].name))).collect();
        if !exact.is_empty() {
            return exact;
        }
        // Several columns share the first word: the ones that share most of
        // the others (`checked out` is `checked_out_at`, not `checked_in_at`).
        let best = |found: Vec<usize>| -> Vec<usize> {
            let shared = |c: usize| {
                let parts: Vec<String> = t.columns[c].name.to_lowercase().split('_').map(singular).collect();
                phrase.words.iter().filter(|w| parts.contains(&singular(w))).count()
            };
            let most = found.iter().map(|&c| shared(c)).max().unwrap_or(0);
            found.into_iter().filter(|&c| shared(c) == most).collect()
        };
        let first = singular(&phrase.words[0]);
        let direct: Vec<usize> = (0..t.columns.len())
            .filter(|&c| !t.columns[c].generated && t.columns[c].name.to_lowercase().split('_').any(|part| singular(part) == first))
            .collect();
        if !direct.is_empty() {
            return best(direct);
        }
        // `priced` names `price`, `shipped` names `shipped_at`.
        let stems = word_stems(&phrase.words[0]);
        best((0..t.columns.len())
            .filter(|&c| !t.columns[c].generated && t.columns[c].name.to_lowercase().split('_').any(|part| stems.iter().any(|s| squash(part).starts_with(s.as_str()) || s.starts_with(&squash(part)) && part.len() >= 4)))
            .collect())
    }

    fn column_in(&self, table: usize, phrase: &Phrase) -> Result<usize> {
        self.find_columns(table, phrase).first().copied().ok_or_else(|| self.unknown_column(table, phrase))
    }

    fn unknown_column(&self, table: usize, phrase: &Phrase) -> Error {
        let t = &self.schema.tables[table];
        let mut e = self.err(phrase.span, format!("unknown column `{}` in table `{}`", phrase.text, t.display_name()));
        e.expected = t.columns.iter().map(|c| format!("`{}`", c.name)).collect();
        e = match closest(&phrase.words.join("_"), t.columns.iter().map(|c| c.name.as_str())) {
            Some(best) => e.help(format!("did you mean `{best}`?")),
            None => e.help("name one of the columns above, in its words (`first names` for `first_name`)"),
        };
        Error::Scope(e)
    }

    /// Tables whose columns a clause may name: the subject, then tables
    /// already planned, then the subject's children (which get planned).
    fn nearby_tables(&self, subject: usize) -> Vec<usize> {
        let mut out = vec![subject];
        out.extend(self.plans.iter().map(|p| p.table).filter(|t| *t != subject));
        for (i, t) in self.schema.tables.iter().enumerate() {
            if !out.contains(&i) && t.foreign_keys.iter().any(|fk| fk.ref_table == subject) {
                out.push(i);
            }
        }
        out
    }

    /// A column by name in the subject or a related table; a child table
    /// found this way is planned with its default per-parent count.
    fn column_near(&mut self, subject: usize, phrase: &Phrase) -> Result<(usize, usize)> {
        for table in self.nearby_tables(subject) {
            if let Some(&col) = self.find_columns(table, phrase).first() {
                self.ensure_child_planned(subject, table);
                return Ok((table, col));
            }
        }
        Err(self.unknown_column(subject, phrase))
    }

    /// Column `col` of `table` is never left NULL (the table planned for
    /// `why` if it is not yet).
    fn fill_column(&mut self, table: usize, col: usize, why: Why) {
        let plan = self.plan_mut(table, why);
        if !plan.fill.contains(&col) {
            plan.fill.push(col);
        }
    }

    fn ensure_child_planned(&mut self, subject: usize, table: usize) {
        if table == subject || self.planned(table).is_some() {
            return;
        }
        if let Some(fk) = self.schema.tables[table].foreign_keys.iter().position(|fk| fk.ref_table == subject) {
            let rows = self.default_children(table, fk);
            self.plan_mut(table, Why::Mentioned).rows = rows;
        }
    }

    fn default_children(&self, table: usize, fk: usize) -> Rows {
        let t = &self.schema.tables[table];
        let one_to_one = t.is_unique_set(&t.foreign_keys[fk].columns);
        let (min, max) = if one_to_one { (1, 1) } else { DEFAULT_CHILDREN };
        Rows::PerParent { fk, min, max }
    }


    // ---- explaining --------------------------------------------------------

    fn bind(&mut self, span: Span, meaning: String) {
        let phrase = self.slice(span).to_string();
        self.bindings.push(Binding { phrase, meaning });
    }

    /// What the plans say, to tell what a clause changed.
    fn snapshot(&self) -> Vec<(usize, Rows, Vec<(usize, String)>, Option<(DateTime<Utc>, DateTime<Utc>)>, Vec<usize>)> {
        self.plans
            .iter()
            .map(|p| (p.table, p.rows.clone(), p.rules.iter().map(|(c, r)| (*c, format!("{r:?}"))).collect(), p.window, p.fill.clone()))
            .collect()
    }

    /// One binding per thing a clause changed: a table's rows, a column's
    /// rule, a window, a column to fill.
    fn explain_change(&mut self, before: &[(usize, Rows, Vec<(usize, String)>, Option<(DateTime<Utc>, DateTime<Utc>)>, Vec<usize>)], span: Span) {
        let mut meanings = Vec::new();
        for p in &self.plans {
            let t = &self.schema.tables[p.table];
            let old = before.iter().find(|b| b.0 == p.table);
            if old.is_none_or(|o| o.1 != p.rows) {
                meanings.push(format!("{} {}", t.display_name(), rows_text(self.schema, p)));
            }
            for (c, rule) in &p.rules {
                if old.is_none_or(|o| !o.2.iter().any(|(oc, or)| oc == c && *or == format!("{rule:?}"))) {
                    meanings.push(format!("{}.{} {}", t.display_name(), t.columns[*c].name, rule_text(rule)));
                }
            }
            if let Some((a, b)) = p.window
                && old.is_none_or(|o| o.3 != p.window)
            {
                meanings.push(format!("{} times in [{}, {}]", t.display_name(), a.to_rfc3339(), b.to_rfc3339()));
            }
            for c in &p.fill {
                if old.is_none_or(|o| !o.4.contains(c)) && !p.rules.contains_key(c) {
                    meanings.push(format!("{}.{} filled (never NULL)", t.display_name(), t.columns[*c].name));
                }
            }
        }
        if meanings.is_empty() {
            meanings.push("documents the scope, shapes nothing".into());
        }
        for m in meanings {
            self.bind(span, m);
        }
    }

    // ---- words as values -----------------------------------------------------

    /// The subject table, and the leading words that are values of its
    /// columns (`gold members`, `archived projects`, `delivered parcels`).
    fn subject_table(&self, phrase: &Phrase) -> Result<(usize, Vec<(Adjective, Span)>)> {
        if let Some(t) = self.find_table(phrase)? {
            return Ok((t, Vec::new()));
        }
        for n in 1..phrase.words.len() {
            let tail = Phrase { words: phrase.words[n..].to_vec(), text: phrase.words[n..].join(" "), span: phrase.span };
            let Some(table) = self.find_table(&tail)? else { continue };
            let mut found: Vec<(Adjective, Span)> = Vec::new();
            let mut skip = 0;
            for (i, word) in phrase.words[..n].iter().enumerate() {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                // `battle royale matches`: a value of several words.
                if let Some((end, (col, value))) = (i + 2..=n).rev().find_map(|end| self.value_column(table, &phrase.words[i..end].join("_")).map(|v| (end, v))) {
                    skip = end - i - 1;
                    found.push((Adjective::Value { col, value }, phrase.span));
                    continue;
                }
                let t = &self.schema.tables[table];
                // `phase III trials`, `grade A harvests`: a column's name, then
                // its value.
                if i + 1 < n
                    && let Some(c) = (0..t.columns.len()).find(|&c| t.columns[c].name.to_lowercase().split('_').any(|p| singular(p) == singular(word)) && !allowed_values(t, c).is_empty())
                    && let Some(value) = match_value(&phrase.words[i + 1], &allowed_values(t, c))
                {
                    skip = 1;
                    found.push((Adjective::Value { col: c, value: value.clone() }, phrase.span));
                    continue;
                }
                // `hot desks` for `hot_desk`: a value that ends with the
                // table's own noun.
                if let Some(noun) = tail.words.last()
                    && let Some((col, value)) = self.value_column(table, &format!("{}_{}", phrase.words[i..n].join("_"), singular(noun)))
                {
                    skip = n - i - 1;
                    found.push((Adjective::Value { col, value }, phrase.span));
                    continue;
                }
                // `gold tier passengers`: the column's own name after its value.
                if found.last().is_some_and(|(a, _)| a.counted().is_some_and(|(c, _)| t.columns[c].name.to_lowercase().split('_').any(|p| singular(p) == singular(word)))) {
                    continue;
                }
                let written = self.slice(phrase.span).split_whitespace().nth(i).unwrap_or(word).to_string();
                match self.value_column(table, word) {
                    Some((col, value)) => found.push((Adjective::Value { col, value }, phrase.span)),
                    // `25 overdue tasks`: due before now and not done yet.
                    None if word == "overdue" && self.due_column(table).is_some() => found.push((Adjective::Overdue { due: self.due_column(table).expect("checked") }, phrase.span)),
                    // `30 returned rentals`: a state no column lists, whose
                    // time column (`returned_at`) is then set.
                    None if let Some(col) = self.state_time_column(table, word) => found.push((Adjective::StateTime { col }, phrase.span)),
                    // `home policies`: a value of the parent's column.
                    None if let Some(adjective) = self.parent_adjective(table, word, phrase.span) => found.push((adjective, phrase.span)),
                    // `Italian restaurants`: the one category column.
                    None if let Some(adjective) = self.category_adjective(table, &written) => found.push((adjective, phrase.span)),
                    // `UK-based companies`: the country column.
                    None if let Some(adjective) = self.place_adjective(table, word) => found.push((adjective, phrase.span)),
                    // `cash offers`: the one flag with the word in its name.
                    None if let Some(col) = loose::flag_with_word(&self.schema.tables[table], word) => found.push((Adjective::Value { col, value: "true".to_string() }, phrase.span)),
                    // `free courses`, `anonymous downloads`
                    None if let Some(adjective) = self.everyday_adjective(table, word) => found.push((adjective, phrase.span)),
                    // `expired stock batches`: their expiry is past.
                    None if let Some(col) = self.expiry_column(table, word) => found.push((Adjective::Expired { col }, phrase.span)),
                    None => {
                        // `artst aliases`: a misspelt table name, not a value
                        // before `aliases`.
                        let whole = phrase.words.join("_");
                        if closest(&whole, self.schema.tables.iter().map(|t| t.name.as_str())).is_some_and(|best| best == self.schema.tables[table].name) {
                            return Err(self.unknown_table(phrase));
                        }
                        let t = &self.schema.tables[table];
                        let at = self.slice(phrase.span).to_lowercase().find(word.as_str()).map_or(phrase.span, |o| Span::new(phrase.span.start + o, phrase.span.start + o + word.len()));
                        let mut e = self.err(at, format!("`{word}` is neither a value of a column of `{}` nor part of a table name", t.display_name()));
                        let values: Vec<String> = (0..t.columns.len()).flat_map(|c| allowed_values(t, c)).map(|v| format!("`{v}`")).take(12).collect();
                        e.expected = values;
                        return Err(e.help(format!("write `{}` alone, or use a value of its enum or CHECK lists", tail.text)).into());
                    }
                }
            }
            return Ok((table, found));
        }
        // `10 owners`, `20 drinks`, `22 houses`: only values, of one table's
        // column; `35 main courses`: a value and the column it is of.
        let words = phrase.words.join(" ");
        let single = phrase.words.iter().map(|w| singular(w)).collect::<Vec<_>>().join(" ");
        // `sales reps`: only the head noun is plural.
        let head_single = match phrase.words.as_slice() {
            [init @ .., last] => init.iter().cloned().chain([singular(last)]).collect::<Vec<_>>().join(" "),
            [] => String::new(),
        };
        let holders: Vec<(usize, usize, String)> = (0..self.schema.tables.len())
            .filter_map(|t| {
                let table = &self.schema.tables[t];
                (0..table.columns.len()).find_map(|c| {
                    let allowed = allowed_values(table, c);
                    let plain = [&words, &single, &head_single].iter().find_map(|w| match_value(w, &allowed)).cloned();
                    let named = match phrase.words.as_slice() {
                        [value @ .., noun] if !value.is_empty() && singular(noun) == singular(&table.columns[c].name.to_lowercase()) => match_value(&value.join(" "), &allowed).cloned(),
                        _ => None,
                    };
                    plain.or(named).map(|v| (t, c, v))
                })
            })
            .collect();
        // `8 associates`: `attorneys.title` over the link table's role
        // (`matter_attorneys.role`): people are rows, links are not.
        let holders = if holders.len() > 1 {
            let rows: Vec<(usize, usize, String)> = holders.iter().filter(|(t, _, _)| !super::junction::is_link(self.schema, *t)).cloned().collect();
            if rows.len() == 1 { rows } else { holders }
        } else {
            holders
        };
        if let [(table, col, value)] = holders.as_slice() {
            return Ok((*table, vec![(Adjective::Value { col: *col, value: value.clone() }, phrase.span)]));
        }
        // `8 orthodontists` (`specialty = 'orthodontics'`), `6 female` (`sex
        // = 'F'`): a value by its stem or code, of one table only.
        if holders.is_empty() && phrase.words.len() == 1 {
            let loose: Vec<(usize, usize, String)> = (0..self.schema.tables.len())
                .filter_map(|t| self.value_column(t, &phrase.words[0]).map(|(c, v)| (t, c, v)))
                .filter(|(t, c, _)| !allowed_values(&self.schema.tables[*t], *c).is_empty())
                .collect();
            if let [(table, col, value)] = loose.as_slice() {
                return Ok((*table, vec![(Adjective::Value { col: *col, value: value.clone() }, phrase.span)]));
            }
        }
        // `one-hour demos`: a value that names its table, after words that
        // are values of that table too.
        if holders.is_empty() {
            for n in 1..phrase.words.len() {
                let tail = Phrase { words: phrase.words[n..].to_vec(), text: phrase.words[n..].join(" "), span: phrase.span };
                let Ok((table, mut found)) = self.subject_table(&tail) else { continue };
                let head: Option<Vec<(usize, String)>> = phrase.words[..n].iter().map(|w| self.value_column(table, w)).collect();
                if let Some(head) = head {
                    found.extend(head.into_iter().map(|(col, value)| (Adjective::Value { col, value }, phrase.span)));
                    return Ok((table, found));
                }
            }
        }
        if holders.len() > 1 {
            let mut e = self.err(phrase.span, format!("`{}` is a value of several tables' columns", phrase.text));
            e.expected = holders.iter().map(|(t, c, v)| format!("`{}.{}` ('{v}')", self.schema.tables[*t].display_name(), self.schema.tables[*t].columns[*c].name)).collect();
            let (t, _, v) = &holders[0];
            return Err(e.help(format!("name the table after the value, as in `{v} {}`", self.schema.tables[*t].name.replace('_', " "))).into());
        }
        Err(self.unknown_table(phrase))
    }

    /// The column whose closed set of values holds `word` (an enum, a CHECK
    /// IN list), or the boolean column named by it (`archived`, `is_active`).
    /// A subject counted with values (`3 retired lathes`): more rows of it
    /// counted by the same column add to it.
    fn start_counted(&mut self, table: usize, adjectives: &[(Adjective, Span)], count: u64) {
        let columns: Vec<(usize, Vec<(String, u64)>)> = adjectives.iter().filter_map(|(a, _)| a.counted()).map(|(c, v)| (c, vec![(v, count)])).collect();
        if !columns.is_empty() {
            self.counted.retain(|c| c.table != table);
            self.counted.push(Counted { table, total: count, columns, bare: false });
        }
    }

    fn counted_by(&self, table: usize, col: usize) -> bool {
        self.counted.iter().any(|c| c.table == table && c.columns.iter().any(|(k, _)| *k == col))
    }

    /// `count` more rows of a counted table, with these values (`3
    /// physiotherapists and 2 hygienists`): the rows add up, each group
    /// keeping its values together (`a retired lathe and 4 idle presses`).
    fn count_more(&mut self, table: usize, values: &[(usize, String)], count: u64, at: Span) {
        let i = self.counted.iter().position(|c| c.table == table).expect("counted table");
        let entry = &mut self.counted[i];
        entry.total += count;
        for (col, value) in values {
            match entry.columns.iter_mut().find(|(k, _)| k == col) {
                Some((_, parts)) => parts.push((value.clone(), count)),
                // The bare first group (`6 female`) shares the noun's value.
                None if entry.bare => entry.columns.push((*col, vec![(value.clone(), entry.total)])),
                None => entry.columns.push((*col, vec![(value.clone(), count)])),
            }
        }
        let total = entry.total;
        let columns = entry.columns.clone();
        let rows = Rows::Exactly(self.options.scaled(total));
        for (col, parts) in columns {
            let parts: Vec<(String, u64, u64)> = parts.iter().map(|(v, n)| (v.clone(), *n, total.max(1))).collect();
            let links = self.state_links(table, col, &parts.iter().map(|(v, _, _)| v.clone()).collect::<Vec<_>>());
            let plan = self.plan_mut(table, Why::Requested);
            plan.rules.insert(col, Rule::Parts { parts, rest: None });
            plan.states.retain(|l| l.status != col);
            plan.states.extend(links);
        }
        self.plan_mut(table, Why::Requested).rows = rows;
        self.bind(at, format!("{} more rows of {}", count, self.schema.tables[table].display_name()));
        self.count = Some(total);
    }

    /// `3 archived projects and 2 on hold`: counts of other values of the
    /// column the subject was counted by are more rows, not shares of them.
    fn more_counted(&mut self, subject: usize, shares: &[Share]) -> bool {
        let Some(entry) = self.counted.iter().find(|c| c.table == subject) else { return false };
        let columns: Vec<usize> = entry.columns.iter().map(|(c, _)| *c).collect();
        let found: Option<Vec<(usize, String, u64, Span)>> = shares
            .iter()
            .map(|s| {
                let Portion::Rows(k) = s.portion else { return None };
                let words: Vec<&str> = s.value.words.iter().map(|w| w.as_str()).filter(|w| !STATE_ADVERBS.contains(w)).collect();
                let (col, value) = [words.join("_"), s.value.text.clone()].iter().find_map(|w| self.value_column(subject, w)).filter(|(c, _)| columns.contains(c))?;
                Some((col, value, k, s.percent.span.to(s.value.span)))
            })
            .collect();
        let Some(found) = found.filter(|f| !f.is_empty()) else { return false };
        for (col, value, k, at) in found {
            self.count_more(subject, &[(col, value)], k, at);
        }
        true
    }

    fn value_column(&self, table: usize, word: &str) -> Option<(usize, String)> {
        let t = &self.schema.tables[table];
        for c in 0..t.columns.len() {
            let allowed = allowed_values(t, c);
            if let Some(v) = match_value(word, &allowed) {
                return Some((c, v.clone()));
            }
        }
        // `rental` for `rent`, `commercial` for `commerce`: an adjective
        // made of the value.
        if let Some(stem) = word.strip_suffix("al").filter(|s| s.len() >= 4)
            && let Some(found) = (0..t.columns.len()).find_map(|c| match_value(stem, &allowed_values(t, c)).map(|v| (c, v.clone())))
        {
            return Some(found);
        }
        if let Some(found) = self.boolean_column(table, word) {
            return Some(found);
        }
        // `gold-tier`, `high-priority`: a value, then the column it is of.
        if let Some((value, column)) = word.rsplit_once('-') {
            let named = (0..t.columns.len()).find(|&c| t.columns[c].name.to_lowercase().split('_').any(|p| singular(p) == singular(column)));
            if let Some(c) = named
                && let Some(v) = match_value(value, &allowed_values(t, c))
            {
                return Some((c, v.clone()));
            }
        }
        // `four-star`, `30-minute`: a number and the measure it counts.
        if let Some((number, unit)) = word.split_once('-')
            && let Some(n) = number.parse::<u64>().ok().or_else(|| small_number(number))
            && let Ok(c) = self.measure_by_word(table, unit, Span::new(0, 0))
        {
            let scale = self.unit_scale(table, c, Some(unit));
            return Some((c, format_number(n as f64 * scale)));
        }
        // `female` for 'F': a one- or two-letter code the word starts with,
        // the only such code of its column.
        let w = squash(word);
        let code = (0..t.columns.len()).find_map(|c| {
            let allowed = allowed_values(t, c);
            let codes: Vec<&String> = allowed.iter().filter(|a| a.len() <= 2 && w.len() > a.len() + 2 && w.starts_with(&squash(a))).collect();
            match codes.as_slice() {
                [one] => Some((c, (*one).clone())),
                _ => None,
            }
        });
        // `completed` where the states say `finished` or `done`: another
        // everyday word for the same state, when the schema has just one.
        code.or_else(|| {
            let group = STATE_SYNONYMS.iter().find(|g| g.contains(&w.as_str()))?;
            let found: Vec<(usize, String)> = (0..t.columns.len())
                .flat_map(|c| {
                    let allowed = allowed_values(t, c);
                    group.iter().filter_map(move |g| allowed.iter().find(|a| squash(a) == *g).map(|a| (c, a.clone()))).collect::<Vec<_>>()
                })
                .collect();
            match found.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        })
        // `passing` for `pass`, `caterers` for `catering`, `orthodontists`
        // for `orthodontics`: the one value of the table with the same stem.
        .or_else(|| {
            let stem = value_stem(&w);
            if stem.len() < 4 {
                return None;
            }
            let found: Vec<(usize, String)> = (0..t.columns.len())
                .flat_map(|c| allowed_values(t, c).into_iter().filter(|a| value_stem(&squash(a)) == stem).map(move |a| (c, a)))
                .collect();
            match found.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            }
        })
        // `phase-III`, `priority-1`: the column, then its value.
        .or_else(|| {
            let (column, value) = word.split_once('-')?;
            let c = (0..t.columns.len()).find(|&c| squash(&t.columns[c].name) == squash(column))?;
            let allowed = allowed_values(t, c);
            if let Some(v) = match_value(value, &allowed) {
                return Some((c, v.clone()));
            }
            (allowed.is_empty() && t.columns[c].ty.is_integer() && value.parse::<i64>().is_ok()).then(|| (c, value.to_string()))
        })
    }

    /// The boolean column a word names (`archived`, `is_verified`), or
    /// denies (`unverified`, `unpaid`, `inactive`, `not accepting patients`).
    fn boolean_column(&self, table: usize, word: &str) -> Option<(usize, String)> {
        let t = &self.schema.tables[table];
        let named = |w: &str| {
            let w = squash(w);
            (0..t.columns.len()).find(|&c| {
                let name = squash(&t.columns[c].name);
                matches!(t.columns[c].ty.base(), SqlType::Bool) && [w.clone(), format!("is{w}"), format!("has{w}"), format!("can{w}")].contains(&name)
            })
        };
        // `penalties` names `is_penalty`.
        let named = |w: &str| named(w).or_else(|| named(&singular(w)));
        if let Some(c) = named(word) {
            return Some((c, "true".to_string()));
        }
        let lower = word.to_lowercase();
        let denied = ["no longer ", "no_longer_", "not ", "not_", "non-", "non_", "non", "un", "in", "dis"].iter().find_map(|p| lower.strip_prefix(p).filter(|rest| rest.len() >= 3));
        denied.and_then(named).map(|c| (c, "false".to_string()))
    }

    /// A nullable reference the scope names is set on every row; the
    /// references a CHECK allows only one of (`num_nonnulls(post_id,
    /// comment_id) = 1`) are unset.
    pub(super) fn referenced_by_every_row(&mut self, table: usize, column: usize, span: Span) -> Result<()> {
        let t = &self.schema.tables[table];
        if t.columns[column].not_null || !t.foreign_keys.iter().any(|fk| fk.columns == [column]) {
            return Ok(());
        }
        let name = t.columns[column].name.clone();
        let mut others: Vec<usize> = Vec::new();
        for expr in t.checks.iter().filter_map(|c| c.expr.as_ref()) {
            for conjunct in expr.conjuncts() {
                let exclusive: Option<Vec<String>> = match conjunct {
                    CheckExpr::NonNulls { columns, op: CmpOp::Eq | CmpOp::Le, count } if *count == 1.0 => Some(columns.clone()),
                    CheckExpr::NullsDiffer(a, b) => Some(vec![a.clone(), b.clone()]),
                    _ => None,
                };
                if let Some(columns) = exclusive.filter(|cs| cs.contains(&name)) {
                    others.extend(columns.iter().filter(|c| **c != name).filter_map(|c| t.column(c)));
                }
            }
        }
        self.fill_column(table, column, Why::Mentioned);
        for other in others {
            if !self.planned(table).is_some_and(|p| p.rules.contains_key(&other)) {
                self.set_rule(table, other, Rule::Nulls { num: 1, den: 1 }, span)?;
            }
        }
        Ok(())
    }

    /// Every row of `table` takes `value` in `col`; a state such as
    /// `delivered` also fills the columns a delivered row has (`delivered_at`).
    fn fixed(&mut self, table: usize, col: usize, value: String, span: Span) -> Result<()> {
        self.set_rule(table, col, Rule::Mix(vec![value.clone()]), span)?;
        let t = &self.schema.tables[table];
        // `20 pending leave requests`: a row in its first state has not been
        // decided, approved or closed yet, so those times stay unset.
        const INITIAL: &[&str] = &["pending", "draft", "new", "open", "scheduled", "requested", "submitted", "reserved", "queued", "planned", "upcoming", "unpaid", "awaiting"];
        let allowed = allowed_values(t, col);
        if INITIAL.contains(&value.to_lowercase().as_str()) && allowed.first().is_some_and(|v| v == &value) {
            let later: Vec<usize> = (0..t.columns.len())
                .filter(|&c| c != col && is_time(t, c) && !t.columns[c].not_null && !self.planned(table).is_some_and(|p| p.rules.contains_key(&c) || p.fill.contains(&c)))
                .filter(|&c| !["created", "updated", "modified", "inserted", "requested", "submitted", "scheduled", "due", "expires", "starts", "ends", "deadline"].iter().any(|w| t.columns[c].name.to_lowercase().contains(w)))
                .collect();
            let stem = squash(value.trim_end_matches("ed").trim_end_matches('e'));
            for c in later.into_iter().filter(|&c| !squash(&t.columns[c].name).starts_with(&stem)) {
                self.set_rule(table, c, Rule::Nulls { num: 1, den: 1 }, span)?;
            }
        }
        self.fill_state_times(table, col, &value);
        Ok(())
    }

    /// The times a state spells (`refunded` fills `refunded_at`).
    fn fill_state_times(&mut self, table: usize, col: usize, value: &str) {
        let t = &self.schema.tables[table];
        let stem = squash(value.trim_end_matches("ed").trim_end_matches('e'));
        let implied: Vec<usize> = (0..t.columns.len())
            .filter(|&c| c != col && stem.len() >= 3 && !t.columns[c].not_null && squash(&t.columns[c].name).starts_with(&stem) && is_time(t, c))
            .collect();
        let plan = self.plan_mut(table, Why::Mentioned);
        for c in implied {
            if !plan.fill.contains(&c) {
                plan.fill.push(c);
            }
        }
    }









    /// Shares without a column, or not all percentages: `7 of them
    /// discontinued`, `a third done, the rest open`, `30% are urgent and the
    /// rest normal`. Each share's value names the column (an enum or CHECK
    /// value, or a boolean column); shares of one column form one rule.
    fn parts(&mut self, subject: usize, shares: &[Share], span: Span) -> Result<()> {
        let rows = match self.planned(subject).map(|p| p.rows.clone()) {
            // One row per parent (`for 20 donors`): the count is theirs.
            Some(Rows::Exactly(_) | Rows::PerParent { min: 1, max: 1, .. }) => self.count,
            _ => None,
        };
        // A child counted per parent (`with 12 tables, 4 of them on the
        // patio`) counts its shares per parent too.
        let exact_rows = |this: &Self, table: usize| -> Option<u64> {
            if table == subject {
                return rows;
            }
            match this.planned(table)?.rows {
                Rows::Exactly(n) => Some(n),
                Rows::PerParent { min, max, .. } if min == max => Some(min),
                _ => None,
            }
        };
        let mut by_column: Vec<((usize, usize), Vec<(String, u64, u64)>, Option<String>, bool)> = Vec::new();
        let mut pending_rest: Option<&Share> = None;
        for share in shares {
            // The subject's columns first, then those of the tables planned so far.
            let mut tables = vec![subject];
            tables.extend(self.plans.iter().map(|p| p.table).filter(|&t| t != subject));
            // `25 of them for rent`, `through the app`, `on the free plan`:
            // the value without its preposition and `the`; then without a
            // trailing noun or a leading column name (below).
            let words: &[String] = &share.value.words;
            let mut tries = vec![share.value.text.clone(), words.join("_")];
            let bare: Vec<&String> = match words {
                [p, rest @ ..] if ["for", "on", "in", "out", "through", "via", "at", "by", "from"].contains(&p.as_str()) => rest.iter().filter(|w| *w != "the").collect(),
                _ => words.iter().collect(),
            };
            if bare.len() < words.len() && !bare.is_empty() {
                tries.push(bare.iter().map(|w| w.as_str()).collect::<Vec<_>>().join("_"));
            }
            // Then without a trailing noun (`free plan`, `web player`,
            // `yoga specialists`) or a leading column name (`grade A`).
            if let [head @ .., _] = bare.as_slice()
                && !head.is_empty()
            {
                tries.push(head.iter().map(|w| w.as_str()).collect::<Vec<_>>().join("_"));
            }
            if let [_, tail @ ..] = bare.as_slice()
                && !tail.is_empty()
            {
                tries.push(tail.iter().map(|w| w.as_str()).collect::<Vec<_>>().join("_"));
            }
            let found = tables.iter().find_map(|&table| tries.iter().find_map(|t| self.value_column(table, t)).map(|(c, v)| (table, c, v)));
            // `opted in to marketing emails`: a flag the words cover.
            let found = found.or_else(|| tables.iter().find_map(|&table| loose::loose_flag(&self.schema.tables[table], &share.value.words).map(|(c, v)| (table, c, v))));
            // `25% from Germany and the rest from France`: a place, in its
            // column (a country's code where the column keeps codes).
            let place = share.value.text.split_once(' ').filter(|(p, rest)| ["from", "in", "at"].contains(&p.to_lowercase().as_str()) && rest.starts_with(char::is_uppercase)).map(|(_, rest)| rest.trim_start_matches("the ").to_string());
            let found = found.or_else(|| {
                let place = place.as_ref()?;
                tables.iter().find_map(|&table| {
                    let col = self.place_column(table, place)?;
                    let value = place_code(&self.schema.tables[table], col, place).map_or_else(|| place.clone(), str::to_string);
                    Some((table, col, value))
                })
            });
            // `none of them assigned`: a reference or time the verb names,
            // of the subject or of the children just named.
            let verb = Phrase { words: share.value.words.iter().filter(|w| !STATE_ADVERBS.contains(&w.as_str())).cloned().collect(), text: share.value.text.clone(), span: share.value.span };
            let by_verb = if found.is_none() && !verb.words.is_empty() { tables.iter().find_map(|&tb| self.verb_column(tb, &verb).map(|c| (tb, c))) } else { None };
            if let Some((tb, col)) = by_verb {
                let share_of = match share.portion {
                    Portion::Percent(h) => Some((h as u64, 10_000)),
                    Portion::Fraction { num, den } => Some((num, den)),
                    Portion::Rows(k) => exact_rows(self, tb).filter(|n| k <= *n).map(|n| (k, n.max(1))),
                    Portion::Rest => None,
                };
                if let Some((num, den)) = share_of {
                    // `a quarter of whom have never logged in`: that share
                    // has no time, the others do.
                    let (_, denied) = loose::denials(&share.value.words);
                    let nulls = if denied { num.min(den) } else { den - num.min(den) };
                    self.set_rule(tb, col, Rule::Nulls { num: nulls, den }, span)?;
                    self.fill_column(tb, col, Why::Mentioned);
                    continue;
                }
            }
            let table = found.as_ref().map_or(subject, |f| f.0);
            let Some((col, value)) = found.map(|(_, c, v)| (c, v)) else {
                let t = &self.schema.tables[table];
                // A free-text status-like column takes any value as written.
                if let Some(col) = (0..t.columns.len()).find(|&c| ["status", "state", "type", "kind", "priority"].contains(&t.columns[c].name.as_str()) && matches!(t.columns[c].ty.base(), SqlType::Text | SqlType::Varchar(_)) && allowed_values(t, c).is_empty()) {
                    push_part(&mut by_column, (table, col), share.value.text.clone(), share, rows, &mut pending_rest, false).map_err(|m| self.err(share.percent.span, m))?;
                    continue;
                }
                // `half of them 5 stars`: a number, its unit naming the column.
                if let [number, unit] = share.value.words.as_slice()
                    && number.parse::<f64>().is_ok()
                    && let Ok(col) = self.measure_by_word(table, unit, share.value.span)
                {
                    push_part(&mut by_column, (table, col), number.clone(), share, rows, &mut pending_rest, false).map_err(|m| self.err(share.percent.span, m))?;
                    continue;
                }
                // `two thirds of them resolved`: a state that is its time column being set.
                let stems = word_stems(&share.value.words.join(""));
                let state = (0..t.columns.len()).find(|&c| is_time(t, c) && !t.columns[c].not_null && stems.iter().any(|st| st.len() >= 4 && squash(&t.columns[c].name).starts_with(st.as_str())));
                let share_of = match share.portion {
                    Portion::Percent(h) => Some((h as u64, 10_000)),
                    Portion::Fraction { num, den } => Some((num, den)),
                    Portion::Rows(k) => rows.filter(|n| k <= *n).map(|n| (k, n.max(1))),
                    Portion::Rest => None,
                };
                // `3 of them with a bio`: that many rows have the column set.
                let set_column = match share.portion {
                    Portion::Rows(k) => rows.filter(|n| k <= *n).and_then(|n| self.find_columns(table, &share.value).into_iter().find(|&c| !t.columns[c].not_null).map(|c| (c, k, n))),
                    _ => None,
                };
                if let Some((col, k, n)) = set_column {
                    self.set_rule(table, col, Rule::Nulls { num: n - k, den: n.max(1) }, span)?;
                    continue;
                }
                if let (Some(col), Some((num, den))) = (state, share_of) {
                    self.set_rule(table, col, Rule::Nulls { num: den - num.min(den), den }, span)?;
                    self.fill_column(table, col, Why::Mentioned);
                    continue;
                }
                let mut e = self.err(share.value.span, format!("`{}` is not a value of any column of `{}`", share.value.text, t.display_name()));
                e.expected = (0..t.columns.len()).flat_map(|c| allowed_values(t, c)).map(|v| format!("`{v}`")).take(12).collect();
                if let Some(best) = closest(&share.value.text, (0..t.columns.len()).flat_map(|c| allowed_values(t, c)).collect::<Vec<_>>().iter().map(String::as_str)) {
                    e = e.help(format!("did you mean `{best}`?"));
                } else if matches!(share.portion, Portion::Rows(_)) {
                    e = e.help(format!("use a value of the table's enum or CHECK lists, or name a table to seed it too, as in `3 {} and 40 {}`", t.name.replace('_', " "), self.schema.tables.iter().find(|o| o.name != t.name).map_or("orders", |o| o.name.as_str()).replace('_', " ")));
                } else {
                    e = e.help("use a value of the table's enum or CHECK lists, or the name of a boolean column");
                }
                return Err(e.into());
            };
            let boolean = matches!(self.schema.tables[table].columns[col].ty.base(), SqlType::Bool);
            let rows = exact_rows(self, table);
            push_part(&mut by_column, (table, col), value, share, rows, &mut pending_rest, boolean).map_err(|m| self.err(share.value.span, m))?;
        }
        if let Some(rest) = pending_rest {
            return Err(self
                .err(rest.value.span, format!("`the rest` has no column: `{}` names no value", rest.value.text))
                .help("put `the rest` after a share of the same column, as in `30% urgent and the rest normal`")
                .into());
        }
        for ((table, col), parts, rest, boolean) in by_column {
            // A boolean's other rows take the other value: `2 not accepting
            // patients` leaves the rest accepting.
            let denied = parts.iter().all(|(v, _, _)| v == "false");
            let rest = rest.or_else(|| boolean.then(|| if denied { "true" } else { "false" }.to_string()));
            let all_percent = parts.iter().all(|(_, _, d)| *d == 10_000) && rest.is_none();
            let rule = if all_percent {
                Rule::Shares(parts.into_iter().map(|(v, n, _)| (v, n as u32)).collect())
            } else {
                Rule::Parts { parts, rest }
            };
            self.set_rule(table, col, rule, span)?;
        }
        Ok(())
    }

    fn nulls(&mut self, subject: usize, portion: Portion, column: &Phrase, span: Span) -> Result<()> {
        // `never logged in`: no column is named `logged`, a time column's verb is.
        // `an x-ray machine` names `has_xray_machine`: a flag is false in
        // the rows without it.
        let flag = (0..column.words.len()).find_map(|n| self.boolean_column(subject, &column.words[n..].join("_")));
        let (table, col) = match self.column_near(subject, column) {
            Ok(found) => found,
            Err(e) => match flag {
                Some((col, _)) => (subject, col),
                None => match self.time_column_named(subject, column) {
                    Ok(col) => (subject, col),
                    // `never showed up`: a state named for what did not
                    // happen (`no_show`), every row in it.
                    Err(_) if matches!(portion, Portion::Percent(10_000)) && let Some((col, value)) = column.words.first().and_then(|w| word_stems(w).iter().find_map(|st| self.value_column(subject, &format!("no_{st}")))) => {
                        return self.fixed(subject, col, value, span);
                    }
                    Err(_) => return Err(e),
                },
            },
        };
        let t = &self.schema.tables[table];
        if matches!(t.columns[col].ty.base(), SqlType::Bool) {
            let (num, den) = match portion {
                Portion::Percent(h) => (h as u64, 10_000),
                Portion::Fraction { num, den } => (num, den),
                Portion::Rows(k) => (k, self.count.unwrap_or(k).max(1)),
                Portion::Rest => return Err(self.err(span, "`the rest` cannot be without a value on its own").help("write a percentage").into()),
            };
            return self.set_rule(table, col, Rule::Parts { parts: vec![("false".to_string(), num, den)], rest: Some("true".to_string()) }, span);
        }
        if t.columns[col].not_null {
            return Err(self
                .err(column.span, format!("`{}.{}` is NOT NULL: no row can be without it", t.display_name(), t.columns[col].name))
                .help("drop the clause, or make the column nullable")
                .into());
        }
        let (num, den) = match portion {
            Portion::Percent(h) => (h as u64, 10_000),
            Portion::Fraction { num, den } => (num, den),
            Portion::Rows(k) => match self.count {
                Some(c) if table == subject && k <= c => (k, c.max(1)),
                _ => return Err(self.err(span, "a count of rows without a value needs the table's count").help("write a percentage, as in `40% without email addresses`").into()),
            },
            Portion::Rest => return Err(self.err(span, "`the rest` cannot be without a value on its own").help("write a percentage").into()),
        };
        self.set_rule(table, col, Rule::Nulls { num, den }, span)?;
        self.fill_column(table, col, Why::Mentioned);
        Ok(())
    }

    /// `named Bob`: a first-name column is Bob, else the name starts with
    /// it; `emails at example.org`: the addresses' domain.
    fn affix(&mut self, subject: usize, column: Option<&Phrase>, value: &Phrase, affix: Affix, span: Span) -> Result<()> {
        let t = &self.schema.tables[subject];
        match affix {
            Affix::Prefix => {
                let first = t.columns.iter().position(|c| ["first_name", "firstname", "given_name", "forename"].contains(&c.name.to_lowercase().as_str()));
                // `called Oliver Bennett` over first and last name columns.
                if let (Some((first, last)), Some((given, family))) = (narrowing::person_name_columns(t), value.text.split_once(' ')) {
                    self.set_rule(subject, first, Rule::Mix(vec![given.to_string()]), span)?;
                    return self.set_rule(subject, last, Rule::Mix(vec![family.trim().to_string()]), span);
                }
                if let Some(col) = first {
                    return self.set_rule(subject, col, Rule::Mix(vec![value.text.clone()]), span);
                }
                let name = column.map(|c| self.column_in(subject, c)).transpose()?.or_else(|| label_column(t)).ok_or_else(|| {
                    self.err(value.span, format!("`{}` has no name column to hold `{}`", t.display_name(), value.text)).help("add a `name` or `first_name` column")
                })?;
                // `called Oliver Bennett`, `10 dogs called Max`: the whole
                // name, unless it is a person's first name in a full-name
                // column (`6 employees named Bob`) or the name is unique.
                let person = t.columns.iter().any(|c| c.name.contains("email") || c.name.contains("phone")) || narrowing::is_people(t);
                let whole = value.words.len() >= 2 || !person;
                let unique = t.uniques.iter().any(|u| matches!(u.parts.as_slice(), [crate::schema::UniquePart::Column(c)] if *c == name)) || t.primary_key == [name];
                let one_row = self.count.is_some_and(|n| n <= 1);
                let rule = if whole && (one_row || !unique) { Rule::Mix(vec![value.text.clone()]) } else { Rule::Prefix(value.text.clone()) };
                self.set_rule(subject, name, rule, span)?;
                self.fill_column(subject, name, Why::Requested);
                Ok(())
            }
            Affix::Domain => {
                let (table, col) = match column {
                    Some(c) => self.column_near(subject, c)?,
                    None => (subject, t.columns.iter().position(|c| c.name.contains("email")).ok_or_else(|| self.err(span, format!("`{}` has no email column", t.display_name())))?),
                };
                self.set_rule(table, col, Rule::EmailDomain(value.text.to_lowercase()), span)?;
                self.fill_column(table, col, Why::Mentioned);
                Ok(())
            }
        }
    }

    // ---- time ------------------------------------------------------------------

    fn period(&mut self, subject: usize, column: Option<&Phrase>, period: Period, span: Span) -> Result<()> {
        let (start, end) = self.period_bounds(period, span)?;
        let Some(column) = column else {
            // `vehicles from 2021 or newer`: `newer` and `older` speak of
            // the thing's year, on the table's one year column.
            let t = &self.schema.tables[subject];
            let years: Vec<usize> = (0..t.columns.len()).filter(|&c| t.columns[c].ty.is_integer() && t.columns[c].name.to_lowercase().split('_').any(|p| p == "year")).collect();
            let aged = self.slice(span).split_whitespace().any(|w| ["newer", "older"].contains(&w.to_lowercase().as_str()));
            if let ([year], true) = (years.as_slice(), aged) {
                let last = end - Duration::seconds(1);
                let min = if matches!(period, Period::Before(_)) { last.year() as f64 - 50.0 } else { start.year() as f64 };
                return self.set_rule(subject, *year, Rule::Range { min, max: last.year() as f64 }, span);
            }
            self.plan_mut(subject, Why::Requested).window = Some((start, end));
            return Ok(());
        };
        // `5 members, each with 2-4 bookings booked last week`: a verb
        // that spells a child's time column, and none of the subject's.
        let spelled = |t: usize| {
            let table = &self.schema.tables[t];
            let stems: Vec<String> = column.words.iter().flat_map(|w| word_stems(w)).filter(|st| st.len() >= 4).collect();
            (0..table.columns.len()).filter(|&c| is_time(table, c) && stems.iter().any(|st| squash(&table.columns[c].name).starts_with(st.as_str()))).collect::<Vec<usize>>()
        };
        if spelled(subject).is_empty() {
            let children: Vec<(usize, usize)> = self
                .plans
                .iter()
                .map(|p| p.table)
                .filter(|&t| t != subject && self.schema.tables[t].foreign_keys.iter().any(|fk| fk.ref_table == subject))
                .filter_map(|t| match spelled(t).as_slice() {
                    [one] => Some((t, *one)),
                    _ => None,
                })
                .collect();
            if let [(child, col)] = children.as_slice() {
                let (child, col) = (*child, *col);
                self.set_rule(child, col, Rule::Window { start, end }, span)?;
                return self.state_of_verb(child, column, span);
            }
        }
        let col = match self.time_column_named(subject, column) {
            Ok(col) => col,
            Err(e) => {
                // `6 practitioners, each with 5 to 10 appointments scheduled
                // during the last week`: the time of the children just named.
                let children: Vec<(usize, usize)> = self
                    .plans
                    .iter()
                    .map(|p| p.table)
                    .filter(|&t| t != subject && self.schema.tables[t].foreign_keys.iter().any(|fk| fk.ref_table == subject))
                    .filter_map(|t| self.time_column_named(t, column).ok().map(|c| (t, c)))
                    .collect();
                if let [(child, col)] = children.as_slice() {
                    let (child, col) = (*child, *col);
                    self.set_rule(child, col, Rule::Window { start, end }, span)?;
                    return self.state_of_verb(child, column, span);
                }
                // `founded before 2000` on `founded_year`: a year column the
                // verb names takes the period's years; `published between
                // 1990 and 2010` the table's one year column.
                let t = &self.schema.tables[subject];
                let years: Vec<usize> = (0..t.columns.len()).filter(|&c| t.columns[c].ty.is_integer() && t.columns[c].name.to_lowercase().contains("year")).collect();
                let only_year = match years.as_slice() {
                    [one] if matches!(period, Period::Year(_) | Period::Before(_) | Period::Since(_) | Period::Between { .. }) => Some(*one),
                    _ => None,
                };
                // `with monthly rent between 1200 and 2500`: four-digit
                // numbers read as years, on a number column the words name.
                if let Period::Between { from, to } = period
                    && let Ok((table, col)) = self.column_near(subject, column)
                    && measures::is_numeric(&self.schema.tables[table], col)
                    && !self.schema.tables[table].columns[col].name.to_lowercase().contains("year")
                {
                    return self.set_rule(table, col, Rule::Range { min: from.year as f64, max: to.year as f64 }, span);
                }
                let Some(col) = self.year_column_named(subject, column).or(only_year) else { return Err(e) };
                let last = end - Duration::seconds(1);
                // `before 2000`: the half century before it, as a year bound.
                let min = if matches!(period, Period::Before(_)) { last.year() as f64 - 50.0 } else { start.year() as f64 };
                let (min, max) = (min, last.year() as f64);
                return self.set_rule(subject, col, Rule::Range { min, max }, span);
            }
        };
        self.set_rule(subject, col, Rule::Window { start, end }, span)?;
        self.state_of_verb(subject, column, span)
    }

    /// The integer year column (`founded_year`, `expiry_year`) a verb names
    /// by its stem.
    fn year_column_named(&self, table: usize, phrase: &Phrase) -> Option<usize> {
        let t = &self.schema.tables[table];
        let stems: Vec<String> = phrase.words.iter().flat_map(|w| word_stems(w)).filter(|s| s.len() >= 4).collect();
        let years: Vec<usize> = (0..t.columns.len())
            .filter(|&c| t.columns[c].ty.is_integer() && t.columns[c].name.to_lowercase().contains("year"))
            .filter(|&c| t.columns[c].name.to_lowercase().split('_').any(|part| stems.iter().any(|s| part.starts_with(s.as_str()))))
            .collect();
        match years.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// `applications rejected between ...`, `reservations cancelled last
    /// month`: a verb that is also a state of the table's status column puts
    /// the rows in that state, unless a clause already shaped the column.
    fn state_of_verb(&mut self, table: usize, verb: &Phrase, span: Span) -> Result<()> {
        let Some(word) = verb.words.first() else { return Ok(()) };
        let t = &self.schema.tables[table];
        let found = (0..t.columns.len()).find_map(|c| {
            let allowed = allowed_values(t, c);
            let joined = verb.words.join("_");
            [joined.as_str(), word.as_str()].iter().find_map(|w| match_value(w, &allowed)).map(|v| (c, v.clone()))
        });
        match found {
            Some((col, value)) if !self.planned(table).is_some_and(|p| p.rules.contains_key(&col)) => {
                self.fixed(table, col, value, span)?;
                self.implied.push((table, col));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn period_bounds(&self, period: Period, span: Span) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
        let now = self.options.now;
        let day = |d: Date| -> Result<DateTime<Utc>> {
            NaiveDate::from_ymd_opt(d.year, d.month, d.day)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
                .ok_or_else(|| self.err(span, "not a calendar date").into())
        };
        let next_month = |y: i32, m: u32| if m == 12 { Date { year: y + 1, month: 1, day: 1 } } else { Date { year: y, month: m + 1, day: 1 } };
        let (start, end) = match period {
            Period::Last { amount, unit } => (window_start(self.options, amount, unit).ok_or_else(|| self.err(span, "time window reaches before year 0").help("use a shorter window"))?, now),
            Period::Next { amount, unit } => (now, window_end(self.options, amount, unit).ok_or_else(|| self.err(span, "time window reaches past year 9999").help("use a shorter window"))?),
            Period::Between { from, to } => (day(from)?, day(to)? + Duration::days(1)),
            Period::Year(y) => (day(Date { year: y, month: 1, day: 1 })?, day(Date { year: y + 1, month: 1, day: 1 })?),
            Period::Month { year, month } => (day(Date { year, month, day: 1 })?, day(next_month(year, month))?),
            // `expiring in 2028 or later`: from a future date, a few years on.
            Period::Since(d) if day(d)? >= now => (day(d)?, day(d)? + Duration::days(3 * 365)),
            Period::Since(d) => (day(d)?, now),
            Period::Before(d) => (day(d)? - Duration::days(365), day(d)?),
            Period::Ago { amount, unit, older } => {
                let at = window_start(self.options, amount, unit).ok_or_else(|| self.err(span, "time reaches before year 0").help("use a shorter time"))?;
                if older {
                    // `more than 90 days ago`: some time in the year before.
                    (at - Duration::days(365), at)
                } else {
                    let day = at.date_naive().and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
                    (day, day + Duration::days(1))
                }
            }
            Period::Day(offset) => {
                let today = now.date_naive().and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
                let start = today + Duration::days(offset as i64);
                (start, start + Duration::days(1))
            }
        };
        if start >= end {
            return Err(self
                .err(span, format!("the period is empty: it starts {} and ends {} (now is {})", start.date_naive(), end.date_naive(), now.date_naive()))
                .help("give a start before the end; `since` needs a date before now (`--now` sets it)")
                .into());
        }
        Ok((start, end))
    }

    /// The time column a verb or noun names: `placed` is `placed_at`,
    /// `completion times` is `completed_at`. Several or none: an error that
    /// lists the candidates, never a silent pick.
    fn time_column_named(&self, table: usize, phrase: &Phrase) -> Result<usize> {
        let t = &self.schema.tables[table];
        let times: Vec<usize> = (0..t.columns.len()).filter(|&c| is_time(t, c) && !t.columns[c].generated).collect();
        let words: Vec<&str> = phrase.words.iter().map(String::as_str).filter(|w| !["time", "times", "date", "dates", "timestamp", "timestamps", "at", "on"].contains(w)).collect();
        let mut stems: Vec<String> = words.iter().flat_map(|w| word_stems(w)).collect();
        // `checked in`: the verb with its particle, `checked_in_at`.
        if let [verb, particle] = words.as_slice() {
            stems.extend(word_stems(verb).into_iter().map(|st| format!("{st}{particle}")));
        }
        // The column the longest stem names: `checked in` is `checked_in_at`
        // rather than `check_in_date`; a tie stays ambiguous.
        let best = |c: usize| stems.iter().filter(|s| squash(&t.columns[c].name).starts_with(s.as_str())).map(String::len).max().unwrap_or(0);
        let longest = times.iter().map(|&c| best(c)).max().unwrap_or(0);
        let hits: Vec<usize> = times.iter().copied().filter(|&c| longest > 0 && best(c) == longest).collect();
        // A verb whose column is named by its noun: `born` is `date_of_birth`,
        // `died` is `death_date`; `logged in` is `last_login_at`.
        let hits = if hits.is_empty() {
            let nouns: Vec<&str> = phrase.words.iter().flat_map(|w| match w.as_str() {
                "born" => vec!["birth", "dob", "birthday"],
                "died" => vec!["death", "died"],
                "logged" => vec!["login", "signin"],
                "signed" => vec!["signup", "signin"],
                "hired" => vec!["hire"],
                "joined" => vec!["join"],
                "due" => vec!["due", "deadline"],
                "handed" | "turned" | "sent" => vec!["submit", "sent", "send"],
                "began" | "begun" | "played" | "launched" | "kicked" => vec!["start", "begin", "play", "launch", "kickoff"],
                "submitted" | "filed" | "lodged" | "applied" => vec!["submit", "request", "filed", "appl"],
                "bought" | "purchased" | "sold" => vec!["purchas", "bought", "sold"],
                "given" | "administered" | "vaccinated" => vec!["administ", "given"],
                "issued" | "raised" | "billed" => vec!["issue", "invoice", "bill"],
                "returned" | "dropped" | "back" => vec!["return", "dropoff", "drop"],
                "collected" | "picked" => vec!["pickup", "picked", "collect"],
                "finished" | "ended" => vec!["finish", "end", "complet"],
                _ => vec![],
            }).collect();
            let by_noun: Vec<usize> = times.iter().copied().filter(|&c| t.columns[c].name.to_lowercase().split('_').any(|part| nouns.iter().any(|n| part.starts_with(n)))).collect();
            // `made`, `placed`, `added`: the verb of a row's creation names
            // its creation time when no column is named by the verb itself.
            let creation = ["made", "placed", "created", "added", "registered", "submitted", "booked", "ordered", "recorded", "entered", "inserted", "opened", "came", "arrived", "received", "signed", "joined", "enrolled", "subscribed", "onboarded", "listed", "posted", "written", "uploaded", "logged", "reported", "filed", "raised"];
            if by_noun.is_empty() && words.first().is_some_and(|w| creation.contains(w)) {
                let created: Vec<usize> = times.iter().copied().filter(|&c| ["created_at", "created_on", "created", "creation_date", "inserted_at", "created_date"].contains(&t.columns[c].name.to_lowercase().as_str())).collect();
                // A table with one required time (`payments.paid_at`): the
                // time the row came to be.
                let required: Vec<usize> = times.iter().copied().filter(|&c| t.columns[c].not_null).collect();
                if created.is_empty() && required.len() == 1 { required } else { created }
            } else {
                by_noun
            }
        } else {
            hits
        };
        // `declined in the last 30 days`: a state whose time a CHECK ties to
        // it (`status NOT IN ('accepted', 'declined') OR responded_at IS NOT
        // NULL`).
        let hits = if hits.is_empty() { self.time_of_state(table, &words) } else { hits };
        match hits.as_slice() {
            [one] => Ok(*one),
            _ => {
                let mut e = self.err(phrase.span, if hits.is_empty() {
                    format!("no time column of `{}` matches `{}`", t.display_name(), phrase.text)
                } else {
                    format!("`{}` matches several time columns of `{}`", phrase.text, t.display_name())
                });
                let listed = if hits.is_empty() { &times } else { &hits };
                e.expected = listed.iter().map(|&c| format!("`{}`", t.columns[c].name)).collect();
                Err(e.help("name the column with a verb or noun from its name, as in `placed in 2025` for `placed_at`").into())
            }
        }
    }

    // ---- bounds ----------------------------------------------------------------

    /// `under 100 dollars`, `built 2018 or later`: one side of a range, the
    /// other from the column's meaning (a year runs to now, money from 0).
    fn bound(&mut self, subject: usize, column: Option<&Phrase>, lower: Option<f64>, upper: Option<f64>, strict: bool, unit: Option<&str>, span: Span) -> Result<()> {
        let t = &self.schema.tables[subject];
        let numeric = |c: usize| measures::is_numeric(t, c);
        let value = lower.or(upper).unwrap_or_default();
        let col = match column {
            Some(phrase) => {
                // A verb's particle (`expiring in 2028 or later`) names nothing.
                let stems: Vec<String> = phrase.words.iter().filter(|w| !PARTICLES.contains(&w.as_str())).flat_map(|w| word_stems(w)).collect();
                let hits: Vec<usize> = (0..t.columns.len()).filter(|&c| numeric(c) && t.columns[c].name.to_lowercase().split('_').any(|part| stems.iter().any(|s| squash(part).starts_with(s.as_str())))).collect();
                let by_unit = || unit.and_then(|u| self.column_by_unit(subject, Some(u), span).ok());
                // `expiry_month` and `expiry_year` for a year: the year.
                let year_hits: Vec<usize> = hits.iter().copied().filter(|&c| t.columns[c].name.contains("year")).collect();
                let year_value = (1000.0..=9999.0).contains(&value) && value.fract() == 0.0;
                match (hits.as_slice(), by_unit(), self.year_column(subject, value)) {
                    ([one], _, _) => *one,
                    (_, _, _) if year_value && year_hits.len() == 1 => year_hits[0],
                    ([], Some(c), _) | ([], None, Some(c)) => c,
                    _ => {
                        let mut e = self.err(phrase.span, format!("no single number column of `{}` matches `{}`", t.display_name(), phrase.text));
                        e.expected = (0..t.columns.len()).filter(|&c| numeric(c)).map(|c| format!("`{}`", t.columns[c].name)).collect();
                        return Err(e.help("name the column, as in `priced under $20` for `price`").into());
                    }
                }
            }
            None => match unit {
                Some(u) => self.column_by_unit(subject, Some(u), span)?,
                // No unit: money first (`of at least 20`), then a year, then
                // the table's only measure.
                None => match self.column_by_unit(subject, Some("$"), span) {
                    Ok(c) => c,
                    Err(e) => self.year_column(subject, value).or_else(|| self.column_by_unit(subject, None, span).ok()).ok_or(e)?,
                },
            },
        };
        let k = self.unit_scale(subject, col, unit);
        let (lower, upper) = (lower.map(|v| v * k), upper.map(|v| v * k));
        let integer = t.columns[col].ty.is_integer();
        let step = if integer { 1.0 } else { 0.01 };
        let year_like = t.columns[col].name.contains("year") || column.is_some_and(|c| c.words.iter().any(|w| w == "built" || w == "founded" || w == "born"));
        // A strict bound leaves out its own number: `over 5000` starts at
        // 5001 on an integer column, `under $20` ends at 19.99.
        let (lower, upper) = if strict { (lower.map(|v| v + step), upper.map(|v| v - step)) } else { (lower, upper) };
        let (min, max) = match (lower, upper) {
            // A year runs to now; a future one (`expiring in 2028 or later`)
            // a decade on.
            (Some(lo), None) if year_like => (lo, if lo > self.options.now.year() as f64 { lo + 10.0 } else { self.options.now.year() as f64 }),
            (Some(lo), None) => (lo, (lo * 10.0).max(lo + 100.0)),
            (None, Some(hi)) => (if year_like { hi - 50.0 } else { 0.0f64.min(hi) }, hi),
            (Some(lo), Some(hi)) => (lo, hi),
            (None, None) => return Ok(()),
        };
        if min > max {
            return Err(self.err(span, format!("no value of `{}` lies in this bound", t.columns[col].name)).help("widen the bound").into());
        }
        self.set_rule(subject, col, Rule::Range { min, max }, span)?;
        self.currency_of_unit(subject, unit, span)
    }

    /// `with addresses`, `with 1-5 items per order`, `with names`.
    fn with(&mut self, subject: usize, target: &Phrase, count: Option<(u64, u64)>, per: Option<&Phrase>) -> Result<()> {
        // `one still issued`: the adverb says nothing of which rows.
        if target.words.len() > 1 && STATE_ADVERBS.contains(&target.words[0].as_str()) {
            let words = target.words[1..].to_vec();
            let rest = Phrase { text: words.join(" "), words, span: target.span };
            return self.with(subject, &rest, count, per);
        }
        // `20 to 25 students enrolled`: a trailing participle says how the
        // rows relate, the noun before it names them.
        let participle = target.words.iter().position(|w| w.len() > 4 && w.ends_with("ed"));
        if let Some(at) = participle.filter(|&at| at > 0)
            && self.find_table(target)?.is_none()
        {
            let rest = &target.words[..at];
            let noun = Phrase { words: rest.to_vec(), text: rest.join(" "), span: target.span };
            if let Some(other) = self.find_table(&noun)? {
                self.with(subject, &noun, count, per)?;
                // `4 volunteers signed up to each`: the verb is a state of
                // the rows made (the children, or the links to them).
                let made = self.find_child(subject, &noun).map(|(c, _)| c).or_else(|| super::junction::find(self.schema, subject, other).map(|j| j.table));
                let verb = &target.words[at..];
                if let Some(made) = made
                    && let Some((col, value)) = (1..=verb.len()).rev().find_map(|n| self.value_column(made, &verb[..n].join("_")))
                    && !self.planned(made).is_some_and(|p| p.rules.contains_key(&col))
                {
                    self.fixed(made, col, value, target.span)?;
                }
                return Ok(());
            }
        }
        let mut subject = subject;
        if let Some(per) = per {
            let per_table = self.table(per)?;
            if per_table != subject {
                // `every order with 1-5 lines`: children of a planned child.
                if self.planned(per_table).is_none() {
                    return Err(self
                        .err(per.span, format!("`{}` is not in the plan, so it has no rows to give {} to", per.text, target.text))
                        .help(format!("ask for {} first, as in `with 1-3 {} each, every {} with ...`", per.text, per.text, per.text))
                        .into());
                }
                subject = per_table;
            }
        }
        if let Some((child, fk)) = self.find_child(subject, target) {
            let rows = match count {
                Some((min, max)) => {
                    let t = &self.schema.tables[child];
                    if max > 1 && t.is_unique_set(&t.foreign_keys[fk].columns) {
                        return Err(Error::Unsatisfiable {
                            table: t.display_name(),
                            column: fk_columns(t, fk),
                            constraint: format!("the unique key on `{}`", fk_columns(t, fk)),
                            reason: format!("at most one {} per {} can exist, the scope asks for up to {max}", t.name, self.schema.tables[subject].name),
                            help: "ask for one per parent, or drop the count".into(),
                        });
                    }
                    Rows::PerParent { fk, min, max }
                }
                None => self.default_children(child, fk),
            };
            self.plan_mut(child, Why::Mentioned).rows = rows;
            return Ok(());
        }
        // `with 5 replies`: rows of the same table under each row.
        if self.self_children(subject, target, count)? {
            return Ok(());
        }
        if let Some((min, max)) = count
            && self.qualified_children(subject, target, min, max, false)?
        {
            return Ok(());
        }
        // `with 3-8 actors per film`: linked through a junction table.
        if let Some(j) = self.find_table(target)?.and_then(|other| super::junction::find(self.schema, subject, other)) {
            self.plan_mut(j.table, Why::Mentioned).rows = super::junction::links(j, count, None);
            return Ok(());
        }
        if let Some((min, max)) = count
            && self.counted_column(subject, target, min, max)?
        {
            return Ok(());
        }
        if let Some((min, max)) = count {
            // The qualifier's own error (`primary` is no value of ...) says most.
            self.qualified_children(subject, target, min, max, true)?;
            // A counted `with` must be a table: `with 3 tags` on a column is meaningless.
            let mut e = self.err(target.span, format!("no table `{}` refers to `{}`", target.text, self.schema.tables[subject].display_name()));
            let children: Vec<String> = self
                .schema
                .tables
                .iter()
                .filter(|t| t.foreign_keys.iter().any(|fk| fk.ref_table == subject))
                .map(|t| format!("`{}`", t.display_name()))
                .collect();
            e.expected = children;
            return Err(e.into());
        }
        // `with status paid`: a column, then one of its values.
        for n in 1..target.words.len() {
            let column = Phrase { words: target.words[..n].to_vec(), text: target.words[..n].join(" "), span: target.span };
            let t = &self.schema.tables[subject];
            let variants: Vec<String> = name_variants(&column.words).iter().map(|v| squash(v)).collect();
            let Some(col) = (0..t.columns.len()).find(|&c| variants.contains(&squash(&t.columns[c].name))) else { continue };
            let written: Vec<&str> = target.text.split(' ').skip(n).filter(|w| !["of", "=", "is"].contains(&w.to_lowercase().as_str())).collect();
            let value_phrase = Phrase { words: written.iter().map(|w| w.to_lowercase()).collect(), text: written.join(" "), span: target.span };
            let allowed = allowed_values(t, col);
            let value = self.allowed_value(subject, col, &allowed, &value_phrase)?;
            return self.fixed(subject, col, value, target.span);
        }
        // `classrooms with projectors`: a boolean column the noun names.
        if let [word] = target.words.as_slice()
            && let Some((col, value)) = self.boolean_column(subject, &singular(word)).filter(|(_, v)| v == "true")
        {
            return self.fixed(subject, col, value, target.span);
        }
        // A column of the subject to populate (`with names`, `with pricing tiers`).
        let columns = self.find_columns(subject, target);
        if !columns.is_empty() {
            let plan = self.plan_mut(subject, Why::Requested);
            for c in columns {
                if !plan.fill.contains(&c) {
                    plan.fill.push(c);
                }
            }
            return Ok(());
        }
        // `billing addresses`: a child table qualified by one of its values.
        for n in 1..target.words.len() {
            let tail = Phrase { words: target.words[n..].to_vec(), text: target.words[n..].join(" "), span: target.span };
            let Some((child, fk)) = self.find_child(subject, &tail) else { continue };
            let qualifier = target.words[..n].join(" ");
            let t = &self.schema.tables[child];
            if self.planned(child).is_none() {
                let rows = self.default_children(child, fk);
                self.plan_mut(child, Why::Mentioned).rows = rows;
            }
            let Some((col, value)) = (0..t.columns.len()).find_map(|c| match_value(&qualifier, &allowed_values(t, c)).map(|v| (c, v.clone()))) else {
                // `notification preferences`: the qualifier names columns to fill.
                let phrase = Phrase { words: target.words[..n].to_vec(), text: qualifier.clone(), span: target.span };
                let columns = self.find_columns(child, &phrase);
                if !columns.is_empty() {
                    let plan = self.plan_mut(child, Why::Mentioned);
                    plan.fill.extend(columns.into_iter().filter(|c| !plan.fill.contains(c)).collect::<Vec<_>>());
                    return Ok(());
                }
                return Err(self
                    .err(target.span, format!("`{qualifier}` is not a value of any column of `{}`", t.display_name()))
                    .help(format!("write `with {}` alone, or use a value its enum or CHECK allows", tail.text))
                    .into());
            };
            let plan = self.plan_mut(child, Why::Mentioned);
            match plan.rules.entry(col).or_insert_with(|| Rule::Mix(Vec::new())) {
                Rule::Mix(values) if !values.contains(&value) => values.push(value),
                _ => {}
            }
            return Ok(());
        }
        // `inventory counts`: the longest leading words that name a child.
        for n in (1..target.words.len()).rev() {
            let shorter = Phrase { words: target.words[..n].to_vec(), text: target.words[..n].join(" "), span: target.span };
            if let Some((child, fk)) = self.find_child(subject, &shorter) {
                let rows = self.default_children(child, fk);
                self.plan_mut(child, Why::Mentioned).rows = rows;
                return Ok(());
            }
        }
        // `sessions made with active permits`: a parent in a state, or any
        // parent at all (`with permits`), on every row.
        if target.words.len() > 1
            && let Some((table, column)) = self.narrowed_reference(subject, target, target.span)?
        {
            return self.referenced_by_every_row(table, column, target.span);
        }
        if let Ok((table, column)) = self.reference_column(subject, target)
            && table == subject
            && self.schema.tables[subject].foreign_keys.iter().any(|fk| fk.columns == [column] && fk.ref_table != subject)
        {
            return self.referenced_by_every_row(table, column, target.span);
        }
        let subject_table = &self.schema.tables[subject];
        let mut e = self.err(target.span, format!("`{}` is neither a table referring to `{}` nor one of its columns", target.text, subject_table.display_name()));
        let mut expected: Vec<String> = self
            .schema
            .tables
            .iter()
            .filter(|t| t.foreign_keys.iter().any(|fk| fk.ref_table == subject))
            .map(|t| format!("`{}`", t.name))
            .collect();
        expected.extend(subject_table.columns.iter().map(|c| format!("`{}`", c.name)));
        let candidates: Vec<&str> = self
            .schema
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .chain(subject_table.columns.iter().map(|c| c.name.as_str()))
            .collect();
        if let Some(best) = closest(&target.words.join("_"), candidates) {
            e = e.help(format!("did you mean `{best}`?"));
        }
        e.expected = expected;
        Err(e.into())
    }

    /// A counted `with` that names no table but a column of the subject:
    /// `with 7 seats`, `with 5 to 50 seats` (a measure takes the count),
    /// `with a primary doctor` (a nullable reference is always set), `, 3
    /// admins` after another `with` (that many rows take the value).
    fn counted_column(&mut self, subject: usize, target: &Phrase, min: u64, max: u64) -> Result<bool> {
        let t = &self.schema.tables[subject];
        let variants: Vec<String> = name_variants(&target.words).iter().map(|v| squash(v)).collect();
        let last = singular(target.words.last().map(String::as_str).unwrap_or(""));
        let measures: Vec<usize> = (0..t.columns.len()).filter(|&c| measures::is_numeric(t, c) && !t.primary_key.contains(&c) && !t.foreign_keys.iter().any(|fk| fk.columns.contains(&c))).collect();
        let exact: Vec<usize> = measures.iter().copied().filter(|&c| variants.contains(&squash(&t.columns[c].name))).collect();
        // `seat_count`, `num_seats`, `bedrooms`: a count of the noun. A limit
        // (`max_students`) is no count of rows to make.
        let counting = |c: usize| {
            let parts: Vec<String> = t.columns[c].name.to_lowercase().split('_').map(String::from).collect();
            parts.iter().any(|p| singular(p) == last) && !parts.iter().any(|p| ["max", "min", "maximum", "minimum", "limit", "cap"].contains(&p.as_str()))
        };
        let by_part: Vec<usize> = measures.iter().copied().filter(|&c| counting(c)).collect();
        if let [col] = if exact.is_empty() { by_part.as_slice() } else { exact.as_slice() } {
            let col = *col;
            self.set_rule(subject, col, Rule::Range { min: min as f64, max: max as f64 }, target.span)?;
            return Ok(true);
        }
        // `rated 1 or 2 stars`: a measure named by its unit.
        if let [word] = target.words.as_slice()
            && let Ok(col) = self.measure_by_word(subject, word, target.span)
        {
            self.set_rule(subject, col, Rule::Range { min: min as f64, max: max as f64 }, target.span)?;
            return Ok(true);
        }
        if (min, max) == (1, 1) {
            let refs: Vec<usize> = t
                .foreign_keys
                .iter()
                .filter(|fk| fk.columns.len() == 1 && !t.columns[fk.columns[0]].not_null)
                .filter(|fk| {
                    let name = squash(t.columns[fk.columns[0]].name.trim_end_matches("_id"));
                    variants.contains(&name) || variants.contains(&squash(&self.schema.tables[fk.ref_table].name))
                })
                .map(|fk| fk.columns[0])
                .collect();
            if let [col] = refs.as_slice() {
                let col = *col;
                self.fill_column(subject, col, Why::Requested);
                return Ok(true);
            }
        }
        // `with 201 to 1000 employees` on `size_band IN ('1-10', ...,
        // '201-1000')`: the band written as that range.
        let band: Vec<(usize, String)> = (0..t.columns.len())
            .flat_map(|c| allowed_values(t, c).into_iter().map(move |v| (c, v)))
            .filter(|(_, v)| {
                let digits: Vec<&str> = v.split(|ch: char| !ch.is_ascii_digit()).filter(|d| !d.is_empty()).collect();
                digits == [min.to_string(), max.to_string()] || (min == max && digits == [min.to_string()])
            })
            .collect();
        if min < max
            && let [(col, value)] = band.as_slice()
        {
            let (col, value) = (*col, value.clone());
            self.set_rule(subject, col, Rule::Mix(vec![value]), target.span)?;
            return Ok(true);
        }
        // `all with a bio`: a column, of the rows or of their one-to-one
        // child (`profiles.bio`), that every row has.
        if (min, max) == (1, 1)
            && self.value_column(subject, &target.text).is_none()
            && let Ok((table, col)) = self.column_near(subject, target)
            && !self.schema.tables[table].foreign_keys.iter().any(|fk| fk.columns.contains(&col))
        {
            self.fill_column(table, col, Why::Mentioned);
            return Ok(true);
        }
        // `clubs with a pool`: every row has it (`has_pool`).
        if (min, max) == (1, 1)
            && let Some((col, v)) = self.value_column(subject, &target.text)
            && matches!(t.columns[col].ty.base(), SqlType::Bool)
        {
            self.set_rule(subject, col, Rule::Mix(vec![v]), target.span)?;
            return Ok(true);
        }
        if min == max && self.value_column(subject, &target.text).is_some() {
            let share = Share { percent: seedfast_scope::Percent { hundredths: 0, span: target.span }, value: target.clone(), portion: Portion::Rows(min) };
            self.parts(subject, &[share], target.span)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// `a home and a work address` (each counted): children qualified by a
    /// value of one of their columns; each parent gets its counts of each
    /// value, in order.
    /// `strict`: a qualifier that is no value of the child is an error
    /// rather than `false` (the last reading tried).
    fn qualified_children(&mut self, subject: usize, target: &Phrase, min: u64, max: u64, strict: bool) -> Result<bool> {
        for n in 1..target.words.len() {
            let tail = Phrase { words: target.words[n..].to_vec(), text: target.words[n..].join(" "), span: target.span };
            let Some((child, fk)) = self.find_child(subject, &tail) else { continue };
            let qualifier = target.words[..n].join(" ");
            let t = &self.schema.tables[child];
            // `one active monthly pledge`: a value of each of two columns;
            // the first counts the children, the others are fixed.
            let each: Option<Vec<(usize, String)>> = (n > 1).then(|| target.words[..n].iter().map(|w| self.value_column(child, w)).collect()).flatten();
            if let Some(each) = each.filter(|e| {
                let mut cols: Vec<usize> = e.iter().map(|(c, _)| *c).collect();
                cols.dedup();
                cols.len() == e.len()
            }) {
                let (col, value) = each[0].clone();
                self.add_qualified(child, fk, col, value, min, max);
                for (c, v) in &each[1..] {
                    self.fixed(child, *c, v.clone(), target.span)?;
                }
                return Ok(true);
            }
            // `3 public playlists`: a flag of the children too.
            let found = (0..t.columns.len()).find_map(|c| match_value(&qualifier, &allowed_values(t, c)).map(|v| (c, v.clone()))).or_else(|| self.value_column(child, &target.words[..n].join("_")));
            let Some((col, value)) = found else {
                if !strict {
                    return Ok(false);
                }
                return Err(self
                    .err(target.span, format!("`{qualifier}` is not a value of any column of `{}`", t.display_name()))
                    .help(format!("write `with {} {}` alone, or use a value its enum or CHECK allows", if min == max { min.to_string() } else { format!("{min}-{max}") }, tail.text))
                    .into());
            };
            self.add_qualified(child, fk, col, value, min, max);
            return Ok(true);
        }
        // `a hotel with one manager and four receptionists`: the value alone
        // names the child table whose column holds it (`staff.role`).
        let spelled = [target.words.join(" "), target.words.iter().map(|w| singular(w)).collect::<Vec<_>>().join(" ")];
        let mut found = Vec::new();
        for (child, t) in self.schema.tables.iter().enumerate() {
            for (fk, key) in t.foreign_keys.iter().enumerate() {
                if key.ref_table != subject {
                    continue;
                }
                for c in 0..t.columns.len() {
                    let allowed = allowed_values(t, c);
                    if let Some(v) = spelled.iter().find_map(|w| match_value(w, &allowed)) {
                        found.push((child, fk, c, v.clone()));
                    }
                }
            }
        }
        // `with 2 invoices each, one paid and one still issued`: among
        // several children holding the value, the one already asked for.
        if found.len() > 1 {
            let planned: Vec<(usize, usize, usize, String)> = found.iter().filter(|(child, ..)| self.planned(*child).is_some()).cloned().collect();
            if planned.len() == 1 {
                found = planned;
            }
        }
        if let [(child, fk, col, value)] = found.as_slice() {
            self.add_qualified(*child, *fk, *col, value.clone(), min, max);
            return Ok(true);
        }
        Ok(false)
    }

    /// `with three room types: Standard, Deluxe and Suite`: each parent's
    /// children take the names in turn, in the child's name column.
    fn named_children(&mut self, subject: usize, target: &Phrase, named: &[Phrase], span: Span) -> Result<()> {
        let names: Vec<String> = named.iter().map(|n| n.text.clone()).collect();
        let Some((child, _)) = self.find_child(subject, target) else {
            return Err(self.err(named[0].span, format!("`{}` names no table of rows belonging to `{}`, so the names have nowhere to go", target.text, self.schema.tables[subject].display_name())).into());
        };
        let Some(col) = names_column(&self.schema.tables[child], &names) else {
            return Err(self
                .err(named[0].span, format!("`{}` has no name or code column to hold the listed names", self.schema.tables[child].display_name()))
                .help("add a `name` column, or drop the names")
                .into());
        };
        self.set_rule(child, col, Rule::Cycle(names), span)
    }

    /// `min..=max` more children per parent through `fk`, their `col` taking
    /// `value`: the counts of each value add up (`1 owner and 9 members`).
    fn add_qualified(&mut self, child: usize, fk: usize, col: usize, value: String, min: u64, max: u64) {
        let plan = self.plan_mut(child, Why::Mentioned);
        let (old_min, old_max, values) = match (&plan.rows, plan.rules.get(&col)) {
            (Rows::PerParent { min, max, .. }, Some(Rule::Cycle(values))) => (*min, *max, values.clone()),
            _ => (0, 0, Vec::new()),
        };
        plan.rows = Rows::PerParent { fk, min: old_min + min, max: old_max + max };
        let mut values = values;
        values.extend(std::iter::repeat_n(value.clone(), max.max(1) as usize));
        let one_state = values.iter().all(|v| *v == value);
        plan.rules.insert(col, Rule::Cycle(values));
        // `each with one refunded payment`: its refund time too.
        if one_state {
            self.fill_state_times(child, col, &value);
        }
    }


    /// `across 15 categories including electronics, clothing`.
    fn across(&mut self, subject: usize, count: u64, target: &Phrase, named: &[Phrase], span: Span) -> Result<()> {
        let parent = match self.table(target) {
            Ok(parent) => parent,
            Err(e) => {
                // `9 merchants across 3 categories: groceries, travel and
                // dining`: a column of the subject, not a table.
                let columns = self.find_columns(subject, target);
                let (&[col], false) = (columns.as_slice(), named.is_empty()) else { return Err(e) };
                if named.len() as u64 != count {
                    return Err(self.err(target.span, format!("{} values named for {count} {}", named.len(), target.text)).help("name as many values as the count").into());
                }
                let allowed = allowed_values(&self.schema.tables[subject], col);
                let values = named.iter().map(|v| self.allowed_value(subject, col, &allowed, v)).collect::<Result<Vec<_>>>()?;
                return self.set_rule(subject, col, Rule::Mix(values), span);
            }
        };
        let t = &self.schema.tables[subject];
        if !t.foreign_keys.iter().any(|fk| fk.ref_table == parent) {
            // Many-to-many: the rows link to the parent through a junction table.
            let Some(j) = super::junction::find(self.schema, subject, parent) else {
                return Err(self
                    .err(target.span, format!("`{}` has no foreign key to `{}`, and no junction table links them", t.display_name(), self.schema.tables[parent].display_name()))
                    .help("`across N <table>` spreads rows over a table they reference, directly or through a table keyed by both")
                    .into());
            };
            if self.planned(j.table).is_none() {
                self.plan_mut(j.table, Why::Mentioned).rows = super::junction::links(j, None, Some(count));
            }
        }
        if named.len() as u64 > count {
            return Err(self
                .err(named[count as usize].span, format!("{} names given for {count} {}", named.len(), target.text))
                .help("raise the count or name fewer")
                .into());
        }
        let plan = self.plan_mut(parent, Why::Mentioned);
        plan.rows = Rows::Exactly(count);
        if !named.is_empty() {
            let values: Vec<String> = named.iter().map(|p| p.text.clone()).collect();
            let label = names_column(&self.schema.tables[parent], &values).ok_or_else(|| {
                self.err(named[0].span, format!("`{}` has no name-like text column to hold the names", self.schema.tables[parent].display_name()))
            })?;
            self.set_rule(parent, label, Rule::NamedFirst(values), named[0].span)?;
        }
        Ok(())
    }

    /// The column a reference phrase (`user`, `users`, `product`) points
    /// with: `user_id`, or `product_sku`; in the subject or a nearby table.
    fn reference_column(&mut self, subject: usize, target: &Phrase) -> Result<(usize, usize)> {
        let single = singular(target.words.last().map(String::as_str).unwrap_or(""));
        let prefix: Vec<String> = target.words[..target.words.len().saturating_sub(1)].to_vec();
        let mut stem = prefix;
        stem.push(single);
        let stem = stem.join("_");
        for table in self.nearby_tables(subject) {
            let t = &self.schema.tables[table];
            let by_id = t.columns.iter().position(|c| squash(&c.name) == squash(&format!("{stem}_id")));
            let by_fk = t.foreign_keys.iter().find_map(|fk| {
                (fk.columns.len() == 1 && squash(&singular(&self.schema.tables[fk.ref_table].name)) == squash(&stem)).then(|| fk.columns[0])
            });
            let by_prefix = t.columns.iter().position(|c| c.name.to_lowercase().starts_with(&format!("{stem}_")));
            if let Some(col) = by_id.or(by_fk).or(by_prefix) {
                self.ensure_child_planned(subject, table);
                return Ok((table, col));
            }
        }
        let t = &self.schema.tables[subject];
        let mut e = self.err(target.span, format!("no column of `{}` refers to {}", t.display_name(), target.text));
        e.expected = vec![format!("a column named `{stem}_id` or `{stem}_...`")];
        if let Some(best) = closest(&format!("{stem}_id"), t.columns.iter().map(|c| c.name.as_str())) {
            e = e.help(format!("did you mean `{best}`?"));
        }
        Err(e.into())
    }

    fn id_set(&self, ids: &IdSelection, table: usize, column: usize) -> Result<IdSet> {
        match ids {
            IdSelection::Range { start, end, .. } => Ok(IdSet::Range { start: *start, end: *end }),
            IdSelection::List { ids, .. } => Ok(IdSet::List(ids.iter().map(|i| i.text.clone()).collect())),
            IdSelection::MatchingService { span, .. } => match self.upstream_ref(table, column) {
                Some(r) => Upstream::values(r).map(IdSet::Values).ok_or_else(|| Error::CrossService {
                    clause: self.slice(*span).to_string(),
                    why: format!("service `{}` is not seeded in this run, so its IDs are unknown", r.service),
                    help: format!("declare `{}` in the same test (or seed-all), or give the IDs (`order IDs 1-8000`)", r.service),
                }),
                None => Err(Error::CrossService {
                    clause: self.slice(*span).to_string(),
                    why: "the IDs are whatever another service generated, and no contract in the project file names this column".into(),
                    help: "add the contract to seedfast.toml and seed the services together, or give the IDs (`order IDs 1-8000`)".into(),
                }),
            },
        }
    }

    fn upstream_ref(&self, table: usize, column: usize) -> Option<&'a UpstreamRef> {
        let t = &self.schema.tables[table];
        self.upstream.for_column(&t.schema, &t.name, &t.columns[column].name)
    }

    /// `amounts matching order totals`, `timestamps after the corresponding
    /// order dates`: a value taken from, or placed after, the upstream row
    /// this row references.
    fn derived(&mut self, subject: usize, column: &Phrase, source: &Phrase, span: Span, after: bool) -> Result<()> {
        let clause = self.slice(span).to_string();
        let owner = source.words.first().cloned().unwrap_or_default();
        // The contract whose upstream table the source's leading words name.
        let found = self.nearby_tables(subject).into_iter().find_map(|table| {
            let t = &self.schema.tables[table];
            self.upstream.refs.iter().filter(|r| r.schema == t.schema && r.table == t.name).find_map(|r| {
                let upstream_table = r.source.as_ref().map_or_else(|| r.service.clone(), |s| s.table.clone());
                let n = (1..=source.words.len()).rev().find(|&n| {
                    let head = source.words[..n].join("_");
                    squash(&singular(&upstream_table)) == squash(&singular(&head)) || squash(&singular(&r.service)) == squash(&singular(&head))
                })?;
                Some((table, r, n))
            })
        });
        let Some((table, r, n)) = found else {
            return Err(Error::CrossService {
                clause,
                why: format!("no contract in the project file connects this table to `{owner}`, so its values cannot be read"),
                help: "declare the contract in seedfast.toml ([[contracts]] from/to/type) and seed both services in one run".into(),
            });
        };
        let Some(upstream_rows) = r.source.clone() else {
            return Err(Error::CrossService {
                clause,
                why: format!("service `{}` is not seeded in this run, so its values are unknown", r.service),
                help: format!("declare `{}` in the same test (or seed-all) so its rows are generated first", r.service),
            });
        };
        let t = &self.schema.tables[table];
        let via = t.column(&r.column).expect("contract column checked against the schema");
        let local = if after { self.time_column(table, column)? } else { self.column_in(table, column)? };
        let rest: Vec<String> = source.words[n..].to_vec();
        let names: Vec<&str> = upstream_rows.columns.iter().map(|(c, _)| c.as_str()).collect();
        let from = pick_upstream_column(&names, &rest, after).ok_or_else(|| {
            let mut e = self.err(source.span, format!("`{}` names no column of `{}.{}`", rest.join(" "), r.service, upstream_rows.table));
            e.expected = names.iter().map(|n| format!("`{n}`")).collect();
            Error::Scope(e)
        })?;
        self.ensure_child_planned(subject, table);
        let rule = Rule::Derived { via, source: upstream_rows.clone(), key: r.target_column.clone(), from, after, valid: None };
        self.set_rule(table, local, rule, span)
    }

    /// Hands every contract column of a planned table its upstream values:
    /// the seeded IDs when no rule names them, a check that explicit ones
    /// exist upstream, the orphans' reference set, and a deterministic
    /// default when the upstream service is not seeded.
    fn apply_upstream(&mut self) -> Result<()> {
        for r in &self.upstream.refs {
            // A mistake here would otherwise leave the column unconstrained.
            check_contract_side(self.schema, &r.contract.from, &r.contract)?;
        }
        for i in 0..self.plans.len() {
            let table = self.plans[i].table;
            let t = &self.schema.tables[table];
            for r in self.upstream.refs.iter().filter(|r| r.schema == t.schema && r.table == t.name) {
                let Some(col) = t.column(&r.column) else { continue };
                if t.foreign_keys.iter().any(|fk| fk.columns.contains(&col)) {
                    continue;
                }
                let values = Upstream::values(r);
                let plan = &mut self.plans[i];
                for o in plan.orphans.iter_mut().filter(|o| o.column == col) {
                    if let Some(values) = &values {
                        o.referenced = IdSet::Values(values.clone());
                    }
                }
                // A payment's user is its order's user: when another reference
                // of this row leads to an upstream row holding this very
                // column, the value is read from there, not drawn at random.
                let through = self.upstream.refs.iter().find_map(|other| {
                    let source = other.source.as_ref()?;
                    let via = t.column(&other.column)?;
                    (other.schema == t.schema && other.table == t.name && via != col && source.column(&r.column).is_some()).then(|| Rule::Derived {
                        via,
                        source: source.clone(),
                        key: other.target_column.clone(),
                        from: r.column.clone(),
                        after: false,
                        valid: values.clone(),
                    })
                });
                match (plan.rules.get(&col), &values) {
                    (Some(Rule::Ids(set) | Rule::OnePerId(set)), Some(values)) => check_within(set, values, r)?,
                    (None, Some(_)) if through.is_some() => {
                        plan.rules.insert(col, through.expect("checked"));
                    }
                    (None, Some(values)) => {
                        plan.rules.insert(col, Rule::Ids(IdSet::Values(values.clone())));
                    }
                    (None, None) if t.columns[col].ty.is_integer() => {
                        plan.rules.insert(col, Rule::Ids(default_reference_set()));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// A column with a closed set of values (enum, IN-list CHECK), named or
    /// found by the values it must hold; falls back to a text column by name.
    fn valued_column(&mut self, subject: usize, column: Option<&Phrase>, values: &[&str], span: Span) -> Result<(usize, usize, Vec<String>)> {
        if let Some(phrase) = column {
            let (table, col) = self.column_near(subject, phrase)?;
            let allowed = allowed_values(&self.schema.tables[table], col);
            return Ok((table, col, allowed));
        }
        for table in self.nearby_tables(subject) {
            let t = &self.schema.tables[table];
            for col in 0..t.columns.len() {
                let allowed = allowed_values(t, col);
                if !allowed.is_empty() && values.iter().all(|v| match_value(v, &allowed).is_some()) {
                    self.ensure_child_planned(subject, table);
                    return Ok((table, col, allowed));
                }
            }
        }
        // `in Berlin`, `in EUR`: the one free-text column such a value belongs in.
        // `from a mix of DE, FR and NL`: every value in the same one.
        // The subject's own place column first, then a one-to-one child's
        // (`users located in Berlin` with `profiles.location`).
        for table in self.nearby_tables(subject) {
            let places: Vec<Option<usize>> = values.iter().map(|v| self.place_column(table, v)).collect();
            if let Some(Some(col)) = places.first()
                && places.iter().all(|p| p == &Some(*col))
            {
                self.ensure_child_planned(subject, table);
                return Ok((table, *col, Vec::new()));
            }
        }
        if let Some(col) = self.free_status_column(subject, values) {
            return Ok((subject, col, Vec::new()));
        }
        let t = &self.schema.tables[subject];
        Err(self
            .err(span, format!("no column of `{}` takes the values {}", t.display_name(), values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")))
            .help("name the column (`status distribution of ...`) or use values its enum or CHECK allows")
            .into())
    }

    /// A free-text status column, which takes values as written when they
    /// fit (a `state char(2)` is a place, not a status).
    fn free_status_column(&self, table: usize, values: &[&str]) -> Option<usize> {
        let t = &self.schema.tables[table];
        let fits = |c: usize| match t.columns[c].ty.base() {
            SqlType::Text | SqlType::Varchar(None) => true,
            SqlType::Varchar(Some(n)) | SqlType::Char(n) => *n > 3 && values.iter().all(|v| v.chars().count() <= *n as usize),
            _ => false,
        };
        (0..t.columns.len()).find(|&c| ["status", "state", "type", "kind"].contains(&t.columns[c].name.as_str()) && allowed_values(t, c).is_empty() && fits(c))
    }

    /// The free-text column a bare value such as `Berlin` or `EUR` is a
    /// value of: a capitalised word goes to the table's one place column
    /// (city, country, region, ...), three capitals to its currency or
    /// country code; anything else, or several candidates, is no match.
    fn place_column(&self, table: usize, value: &str) -> Option<usize> {
        let t = &self.schema.tables[table];
        // A column too short for the value cannot hold it: `country_code
        // char(2)` is no place for `Lisbon`.
        let fits = |c: usize| match t.columns[c].ty.base() {
            SqlType::Text | SqlType::Varchar(None) => true,
            SqlType::Varchar(Some(n)) | SqlType::Char(n) => value.chars().count() <= *n as usize,
            _ => false,
        };
        let text = |c: usize| (fits(c) || place_code(t, c, value).is_some()) && allowed_values(t, c).is_empty();
        let named = |words: &[&str]| -> Vec<usize> {
            (0..t.columns.len()).filter(|&c| text(c) && t.columns[c].name.to_lowercase().split('_').any(|p| words.contains(&p))).collect()
        };
        let code = value.len() == 3 && value.chars().all(|ch| ch.is_ascii_uppercase());
        let capitalised = value.chars().next().is_some_and(char::is_uppercase);
        // Tiers, most specific first: a city is a likelier home for a
        // capitalised word than a country beside it.
        // `in Germany`, `in Texas`: a known country or state goes to its own
        // column first.
        let country = super::places::code(value, super::places::PlaceKind::Country, 2).is_some();
        let state = super::places::code(value, super::places::PlaceKind::State, 2).is_some();
        let tiers: &[&[&str]] = if code {
            &[&["currency", "ccy"], &["country", "language", "lang"]]
        } else if country && value.len() > 2 {
            &[&["country", "nation"], &["city", "town"], &["location", "place"]]
        } else if state && value.len() > 2 {
            &[&["state", "province", "region"], &["city", "town"], &["location", "place"]]
        } else if capitalised {
            &[&["city", "town"], &["region", "state", "province", "county", "district", "area", "neighborhood", "neighbourhood"], &["country", "location", "place"]]
        } else {
            &[]
        };
        tiers.iter().map(|words| named(words)).find(|found| !found.is_empty()).and_then(|found| match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        })
    }

    /// A value the column accepts; a closed set must contain it.
    fn allowed_value(&self, table: usize, column: usize, allowed: &[String], value: &Phrase) -> Result<String> {
        if allowed.is_empty() {
            // `Texas` in a `char(2)` state column is `TX`.
            if let Some(code) = place_code(&self.schema.tables[table], column, &value.text) {
                return Ok(code.to_string());
            }
            // A free-text column keeps the value as written (`Gold Plus`).
            return Ok(value.text.clone());
        }
        // `gold frequent flyer` on `frequent_flyer_tier`: the words of the
        // column's own name are no part of the value.
        let t = &self.schema.tables[table];
        let parts: Vec<String> = t.columns[column].name.to_lowercase().split('_').map(singular).collect();
        let bare: Vec<&str> = value.words.iter().map(String::as_str).filter(|w| !parts.contains(&singular(w))).collect();
        let stripped = (!bare.is_empty() && bare.len() < value.words.len()).then(|| bare.join("_"));
        match_value(&value.text, allowed).or_else(|| stripped.and_then(|v| match_value(&v, allowed))).cloned().ok_or_else(|| {
            let mut e = self.err(value.span, format!("`{}` is not a value of `{}.{}`", value.text, t.display_name(), t.columns[column].name));
            e.expected = allowed.iter().map(|a| format!("`{a}`")).collect();
            if let Some(best) = closest(&value.text, allowed.iter().map(String::as_str)) {
                e = e.help(format!("did you mean `{best}`?"));
            }
            Error::Scope(e)
        })
    }

    fn time_column(&self, table: usize, phrase: &Phrase) -> Result<usize> {
        let t = &self.schema.tables[table];
        if let Ok(col) = self.column_in(table, phrase) {
            return Ok(col);
        }
        if phrase.words.iter().any(|w| !TIME_WORDS.contains(&w.as_str())) {
            // `charge times` must name a column; never the first timestamp.
            return self.time_column_named(table, phrase);
        }
        // `timestamps`: the table's one NOT NULL timestamp column.
        t.columns
            .iter()
            .position(|c| c.not_null && matches!(c.ty.base(), SqlType::Timestamptz | SqlType::Timestamp))
            .ok_or_else(|| self.unknown_column(table, phrase))
    }

    fn event_log(&mut self, subject: usize) -> &mut EventLog {
        let plan = self.plan_mut(subject, Why::Requested);
        plan.event_log.get_or_insert(EventLog { aggregate: usize::MAX, version: None, kind: None, time: None, types: Vec::new() })
    }

    /// `domain events: OrderCreated, PaymentCaptured`: the listed values go
    /// to the table's type column, in order within each aggregate.
    /// `amenities: wifi, minibar and sea view`, `warehouses: AMS1, RTM2`: a
    /// table with no event type column gets rows with these names (or codes,
    /// when the values are written as codes), at least one per value.
    fn named_rows(&mut self, subject: usize) -> Result<bool> {
        let t = &self.schema.tables[subject];
        let typed = t.columns.iter().any(|c| ["event_type", "event_name"].contains(&c.name.as_str()) || (c.name.contains("aggregate") && c.name.ends_with("id")));
        if typed {
            return Ok(false);
        }
        let values: Vec<String> = self.scope.subject_values.iter().map(|v| v.text.clone()).collect();
        // `passengers named Maria Lopez and James Chen`: whole names over
        // first and last name columns.
        if let Some((first, last)) = narrowing::person_name_columns(t)
            && values.iter().all(|v| v.split_whitespace().count() >= 2)
        {
            let (given, family): (Vec<String>, Vec<String>) = values
                .iter()
                .map(|v| {
                    let (g, f) = v.split_once(' ').expect("two words");
                    (g.to_string(), f.trim().to_string())
                })
                .unzip();
            let n = self.scope.count.map_or(values.len() as u64, |c| self.options.scaled(c.value).max(values.len() as u64));
            let span = self.scope.subject_values[0].span;
            let all = span.to(self.scope.subject_values.last().expect("not empty").span);
            let shown = values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ");
            self.bind(all, format!("{}.{} and {} of the first rows: {shown}", t.display_name(), t.columns[first].name, t.columns[last].name));
            self.plan_mut(subject, Why::Requested).rows = Rows::Exactly(n);
            self.set_rule(subject, first, Rule::NamedFirst(given), span)?;
            self.set_rule(subject, last, Rule::NamedFirst(family), span)?;
            return Ok(true);
        }
        let Some(col) = names_column(t, &values) else {
            return Err(self
                .err(self.scope.subject_values[0].span, format!("`{}` has no name or code column to hold the listed values", t.display_name()))
                .help("add a `name` column, or write the values as a clause, as in `with status paid`")
                .into());
        };
        let n = self.scope.count.map_or(values.len() as u64, |c| self.options.scaled(c.value).max(values.len() as u64));
        let span = self.scope.subject_values[0].span;
        let all = span.to(self.scope.subject_values.last().expect("not empty").span);
        let shown = values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ");
        self.bind(all, format!("{}.{} of the first rows: {shown}", t.display_name(), t.columns[col].name));
        self.plan_mut(subject, Why::Requested).rows = Rows::Exactly(n);
        self.set_rule(subject, col, Rule::NamedFirst(values), span)?;
        Ok(true)
    }

    fn subject_values(&mut self, subject: usize) -> Result<()> {
        let t = &self.schema.tables[subject];
        let kind = t
            .columns
            .iter()
            .position(|c| ["event_type", "type", "kind", "name", "event_name"].contains(&c.name.as_str()))
            .or_else(|| t.columns.iter().position(|c| c.name.ends_with("_type") && !c.name.starts_with("aggregate")))
            .ok_or_else(|| {
                self.err(self.scope.subject_values[0].span, format!("`{}` has no type column to hold the listed values", t.display_name()))
                    .help("add an `event_type` (or `type`) column")
            })?;
        let types: Vec<String> = self.scope.subject_values.iter().map(|v| v.text.clone()).collect();
        let log = self.event_log(subject);
        log.kind = Some(kind);
        log.types = types;
        Ok(())
    }

    fn finish_event_log(&mut self, subject: usize) -> Result<()> {
        let Some(mut log) = self.planned(subject).and_then(|p| p.event_log.clone()) else { return Ok(()) };
        let t = &self.schema.tables[subject];
        if log.aggregate == usize::MAX {
            log.aggregate = t.columns.iter().position(|c| c.name.contains("aggregate") && c.name.ends_with("id")).ok_or_else(|| {
                self.err(self.scope.subject.span, format!("`{}` has no aggregate id column to group events by", t.display_name()))
                    .help("add an `aggregate_id` column")
            })?;
        }
        log.version = t.columns.iter().position(|c| ["version", "sequence", "seq", "sequence_number", "position"].contains(&c.name.as_str()));
        if log.time.is_none() {
            log.time = t.columns.iter().position(|c| matches!(c.ty.base(), SqlType::Timestamptz | SqlType::Timestamp) && c.not_null);
        }
        if log.types.is_empty() {
            log.kind = None;
        }
        self.plan_mut(subject, Why::Requested).event_log = Some(log);
        Ok(())
    }

    fn orphans(&mut self, table: usize, column: usize, hundredths: u32, span: Span) -> Result<()> {
        let t = &self.schema.tables[table];
        if let Some(fk) = t.foreign_keys.iter().find(|fk| fk.columns.contains(&column)) {
            return Err(self
                .err(span, format!(
                    "`{}.{}` has a foreign key ({}) in this database: orphans would be rejected",
                    t.display_name(), t.columns[column].name, fk.name
                ))
                .help("orphans are for references to other services, which no foreign key enforces")
                .into());
        }
        let referenced = match self.planned(table).and_then(|p| p.rules.get(&column)) {
            Some(Rule::Ids(set)) | Some(Rule::OnePerId(set)) => set.clone(),
            _ => default_reference_set(),
        };
        // The count is resolved against the final row count in orphan_counts.
        self.plan_mut(table, Why::Mentioned).orphans.push(OrphanRule { column, count: hundredths as u64, referenced });
        Ok(())
    }

    /// Turns orphan percentages into exact row counts once counts are final.
    fn orphan_counts(&mut self) -> Result<()> {
        for plan in &mut self.plans {
            if plan.orphans.is_empty() {
                continue;
            }
            let Rows::Exactly(rows) = plan.rows else {
                let t = &self.schema.tables[plan.table];
                return Err(Error::Plan {
                    message: format!("orphans in `{}` need an exact row count", t.display_name()),
                    help: "give the table a count".into(),
                });
            };
            for o in &mut plan.orphans {
                // Percent in hundredths: exact when it divides, rounded half up otherwise.
                o.count = (rows * o.count + 5000) / 10_000;
            }
        }
        Ok(())
    }
}

/// An ID range shrinks or grows with the scale from its start: `user IDs
/// 1-1000` at 0.1 is `1-100`, matching the ten times fewer users upstream.
fn scale_ids(set: IdSet, options: SeedOptions) -> IdSet {
    match set {
        // Saturating: an absurd scale is the size guard's to report, not an overflow.
        IdSet::Range { start, end } => {
            let len = i64::try_from(options.scaled(IdSet::Range { start, end }.len())).unwrap_or(i64::MAX);
            IdSet::Range { start, end: start.saturating_add(len - 1) }
        }
        other => other,
    }
}

/// An explicit ID range or list must lie within what the upstream service
/// generated: `user IDs 1-1000` against 100 seeded users is an error.
fn check_within(set: &IdSet, values: &[Value], r: &UpstreamRef) -> Result<()> {
    let have: HashSet<String> = values.iter().map(Value::key).collect();
    // A range is never listed out: it may be far wider than the upstream
    // values, and only the first few missing IDs are named.
    let (wanted, outside) = match set {
        IdSet::Range { start, end } => {
            let inside = have.iter().filter(|k| k.parse::<i64>().is_ok_and(|i| (*start..=*end).contains(&i))).count() as u64;
            (set.len(), set.len() - inside)
        }
        IdSet::List(items) => (items.len() as u64, items.iter().filter(|w| !have.contains(*w)).count() as u64),
        IdSet::Values(_) => return Ok(()),
    };
    if outside == 0 {
        return Ok(());
    }
    let examples: Vec<String> = match set {
        IdSet::Range { start, end } => (*start..=*end).map(|i| i.to_string()).filter(|i| !have.contains(i)).take(5).collect(),
        IdSet::List(items) => items.iter().filter(|w| !have.contains(*w)).take(5).cloned().collect(),
        IdSet::Values(_) => Vec::new(),
    };
    Err(Error::Contract {
        contract: r.contract.to_string(),
        message: format!(
            "{} of the {} IDs the scope names are not among the {} `{}` values service `{}` generated (e.g. {}); narrow the range or seed more upstream",
            outside,
            wanted,
            values.len(),
            r.target_column,
            r.service,
            examples.join(", ")
        ),
    })
}

/// The upstream column a phrase names: `totals` is `total`; for `dates`
/// (a time), the creation time or any `*_at`/`*date*` column.
fn pick_upstream_column(names: &[&str], words: &[String], time: bool) -> Option<String> {
    let variants: Vec<String> = name_variants(words).iter().map(|v| squash(v)).collect();
    if let Some(exact) = names.iter().find(|n| variants.contains(&squash(n))) {
        return Some(exact.to_string());
    }
    if time {
        // `trip completion times` names `completed_at`; words that name no
        // column are an error, never the table's first timestamp.
        let naming: Vec<&String> = words.iter().filter(|w| !TIME_WORDS.contains(&w.as_str())).collect();
        if !naming.is_empty() {
            let stems: Vec<String> = naming.iter().flat_map(|w| word_stems(w)).filter(|s| s.len() >= 4).collect();
            let hits: Vec<&&str> = names.iter().filter(|n| stems.iter().any(|s| squash(n).starts_with(s.as_str()))).collect();
            return (hits.len() == 1).then(|| hits[0].to_string());
        }
        for preferred in ["created_at", "placed_at", "ordered_at", "occurred_at"] {
            if names.contains(&preferred) {
                return Some(preferred.to_string());
            }
        }
        return names.iter().find(|n| n.ends_with("_at") || n.contains("date")).map(|n| n.to_string());
    }
    let first = words.first().map(|w| singular(w))?;
    names.iter().find(|n| n.split('_').any(|p| singular(p) == first)).map(|n| n.to_string())
}

/// The default set a reference to another service draws from when the
/// scope names none: deterministic, and the same across services.
pub fn default_reference_set() -> IdSet {
    IdSet::Range { start: 1, end: 1000 }
}

fn fk_columns(t: &Table, fk: usize) -> String {
    t.foreign_keys[fk].columns.iter().map(|&c| t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ")
}

/// The code a place name is kept as in a column too narrow for the name
/// (`char(2)`, `varchar(3)`) whose name says what kind of place it holds.
pub(super) fn place_code(t: &Table, c: usize, value: &str) -> Option<&'static str> {
    let width = match t.columns[c].ty.base() {
        SqlType::Char(n) | SqlType::Varchar(Some(n)) => *n as usize,
        _ => return None,
    };
    if value.chars().count() <= width {
        return None;
    }
    let name = t.columns[c].name.to_lowercase();
    let parts: Vec<&str> = name.split('_').collect();
    let kind = if parts.iter().any(|p| ["country", "nation", "nationality"].contains(p)) {
        super::places::PlaceKind::Country
    } else if parts.iter().any(|p| ["state", "province", "region"].contains(p)) {
        super::places::PlaceKind::State
    } else {
        return None;
    };
    super::places::code(value, kind, width)
}

/// The text column that names a row: `name`, `title`, `label`, ...
/// The column listed names go in: values written as codes (`AMS1`, `MATH`)
/// in a code column or a text primary key, else the name-like column.
/// A word without its everyday endings, to match `passing` with `pass`,
/// `caterers` with `catering`, `orthodontists` with `orthodontics`.
fn value_stem(word: &str) -> String {
    for end in ["ists", "ics", "ers", "ing", "ist", "ic", "er", "ed", "es", "s"] {
        if let Some(stem) = word.strip_suffix(end).filter(|s| s.len() >= 4) {
            return stem.to_string();
        }
    }
    word.to_string()
}

fn names_column(t: &Table, values: &[String]) -> Option<usize> {
    let codes = values.iter().all(|v| !v.contains(' ') && v.chars().any(|ch| ch.is_ascii_digit() || ch.is_ascii_uppercase()) && !v.chars().any(char::is_lowercase));
    let text = |c: usize| matches!(t.columns[c].ty.base(), SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_));
    // `part BR-1001`: a code column (`code`, `sku`, `part_number`, `tag_no`).
    let is_code = |name: &str| ["code", "sku", "number", "reference", "ref", "symbol", "tag", "handle"].contains(&name) || ["_code", "_number", "_no", "_sku", "_ref", "_reference", "_tag"].iter().any(|end| name.ends_with(end));
    let code_column = (0..t.columns.len()).find(|&c| text(c) && (is_code(&t.columns[c].name.to_lowercase()) || (t.primary_key == [c])));
    if codes { code_column.or_else(|| label_column(t)) } else { label_column(t).or(code_column) }
}

pub fn label_column(t: &Table) -> Option<usize> {
    ["name", "title", "label", "code", "slug"]
        .iter()
        .find_map(|n| t.column(n))
        .or_else(|| t.columns.iter().position(|c| c.name.ends_with("name") && matches!(c.ty.base(), SqlType::Text | SqlType::Varchar(_))))
}

/// The closed set of values a column accepts: its enum's labels, or the IN
/// list of a CHECK on it (table's or domain's).
pub fn allowed_values(t: &Table, col: usize) -> Vec<String> {
    let column = &t.columns[col];
    if let SqlType::Enum { labels, .. } = column.ty.base() {
        return labels.clone();
    }
    let mut checks: Vec<(&CheckExpr, String)> = t
        .checks
        .iter()
        .filter_map(|c| c.expr.as_ref())
        .map(|e| (e, column.name.clone()))
        .collect();
    if let SqlType::Domain { checks: dc, .. } = &column.ty {
        checks.extend(dc.iter().filter_map(|c| c.expr.as_ref()).map(|e| (e, "VALUE".to_string())));
    }
    for (expr, name) in checks {
        for conjunct in expr.conjuncts() {
            // `x IS NULL OR upper(x) = ANY (...)` allows the list when set.
            let conjunct = match conjunct {
                CheckExpr::Or(items) if items.len() == 2 && items.iter().any(|i| matches!(i, CheckExpr::IsNull { operand: Operand::Column(c), negated: false } if *c == name)) => {
                    items.iter().find(|i| !matches!(i, CheckExpr::IsNull { .. })).unwrap_or(conjunct)
                }
                other => other,
            };
            if let CheckExpr::In { operand: Operand::Column(c) | Operand::Folded(c, _), values } = conjunct
                && *c == name
            {
                return values
                    .iter()
                    .map(|v| match v {
                        Literal::Text(s) => s.clone(),
                        Literal::Number(n) => n.to_string(),
                        Literal::Bool(b) => b.to_string(),
                    })
                    .collect();
            }
        }
    }
    Vec::new()
}

/// Words that say "a time" without naming which.
const TIME_WORDS: &[&str] = &["time", "times", "timestamp", "timestamps", "date", "dates", "datetime", "moment", "moments"];

fn is_time(t: &Table, c: usize) -> bool {
    matches!(t.columns[c].ty.base(), SqlType::Timestamptz | SqlType::Timestamp | SqlType::Date)
}

/// The forms a verb or noun may take at the start of a column name:
/// `placed` -> `plac`, `shipped` -> `ship`, `completion` -> `complet`.
/// The particles of phrasal verbs (`checked in`, `expiring in`).
const PARTICLES: &[&str] = &["in", "out", "up", "off", "down", "back", "on"];

/// A number written as a word in a hyphenated adjective (`four-star`).
fn small_number(word: &str) -> Option<u64> {
    const WORDS: &[&str] = &["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    WORDS.iter().position(|w| *w == word).map(|i| i as u64)
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{}", v as i64) } else { v.to_string() }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn word_stems(word: &str) -> Vec<String> {
    let w = squash(word);
    let mut out = vec![w.clone(), squash(&singular(&w))];
    for suffix in ["ied", "ed", "d", "ion", "ions", "ing", "s"] {
        if let Some(stem) = w.strip_suffix(suffix).filter(|s| s.len() >= 3) {
            out.push(stem.to_string());
            // `shipped` -> `shipp` -> `ship`
            let b = stem.as_bytes();
            if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] {
                out.push(stem[..stem.len() - 1].to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Adds one share to the rule of its column; `the rest` joins the column
/// of the share before it.
fn push_part<'s>(
    by_column: &mut Vec<((usize, usize), Vec<(String, u64, u64)>, Option<String>, bool)>,
    col: (usize, usize),
    value: String,
    share: &'s Share,
    rows: Option<u64>,
    pending_rest: &mut Option<&'s Share>,
    boolean: bool,
) -> std::result::Result<(), String> {
    let entry = match by_column.iter().position(|e| e.0 == col) {
        Some(i) => &mut by_column[i],
        None => {
            by_column.push((col, Vec::new(), None, boolean));
            by_column.last_mut().expect("just pushed")
        }
    };
    match share.portion {
        Portion::Rest => {
            entry.2 = Some(value);
            *pending_rest = None;
            return Ok(());
        }
        Portion::Percent(h) => entry.1.push((value, h as u64, 10_000)),
        Portion::Fraction { num, den } => entry.1.push((value, num, den)),
        Portion::Rows(k) => match rows {
            Some(n) if k <= n => entry.1.push((value, k, n.max(1))),
            Some(n) => return Err(format!("{k} of them, but there are only {n}")),
            None => return Err("a count of rows needs the table's own count; write a percentage".to_string()),
        },
    }
    Ok(())
}

fn why_text(why: &Why) -> String {
    match why {
        Why::Requested => "asked for".into(),
        Why::Mentioned => "named in the scope".into(),
        Why::Required { by } => format!("required by {by} (a NOT NULL foreign key)"),
    }
}

fn rows_text(schema: &Schema, p: &TablePlan) -> String {
    match &p.rows {
        Rows::Exactly(n) => format!("{n} rows"),
        Rows::PerParent { fk, min, max } => {
            let parent = singular(&schema.tables[schema.tables[p.table].foreign_keys[*fk].ref_table].name);
            if min == max { format!("{min} per {parent}") } else { format!("{min}-{max} per {parent}") }
        }
    }
}


fn rule_text(rule: &Rule) -> String {
    let pct = |h: u64, d: u64| if d == 10_000 { format!("{}%", h as f64 / 100.0) } else { format!("{h}/{d}") };
    match rule {
        Rule::Shares(s) => format!("= {}", s.iter().map(|(v, h)| format!("'{v}' {}", pct(*h as u64, 10_000))).collect::<Vec<_>>().join(", ")),
        Rule::Weighted(w) => format!("weighted {}", w.iter().map(|(v, n)| format!("'{v}' {n}")).collect::<Vec<_>>().join(", ")),
        Rule::Mix(v) if v.len() == 1 => format!("= '{}'", v[0]),
        Rule::Mix(v) => format!("evenly one of {}", v.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")),
        Rule::NamedFirst(v) => format!("first rows named {}", v.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")),
        Rule::Range { min, max } => format!("in [{min}, {max}]"),
        Rule::Ids(set) => format!("from {}", set_text(set)),
        Rule::OnePerId(set) => format!("one row per ID of {}", set_text(set)),
        Rule::Derived { from, after, .. } if *after => format!("after the referenced row's {from}"),
        Rule::Derived { from, .. } => format!("= the referenced row's {from}"),
        Rule::Parts { parts, rest } => {
            let mut out: Vec<String> = parts.iter().map(|(v, n, d)| format!("'{v}' {}", pct(*n, *d))).collect();
            if let Some(r) = rest {
                out.push(format!("'{r}' for the rest"));
            }
            format!("= {}", out.join(", "))
        }
        Rule::Nulls { num, den } => format!("NULL in {} of the rows", pct(*num, *den)),
        Rule::Prefix(p) => format!("starts with '{p}'"),
        Rule::EmailDomain(d) => format!("at '@{d}'"),
        Rule::Window { start, end } => format!("in [{}, {})", start.to_rfc3339(), end.to_rfc3339()),
        Rule::ParentIs { value, .. } => format!("only rows whose parent is '{value}'"),
        Rule::Cycle(v) => format!("one of each per parent: {}", v.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")),
        Rule::Tree { roots, min, max } if min == max => format!("the first {roots} rows have {min} rows under each"),
        Rule::Tree { roots, min, max } => format!("the first {roots} rows have {min}-{max} rows under each"),
        Rule::Blocks(b) => b
            .iter()
            .map(|(v, n)| match v {
                Some(v) => format!("'{v}' in the next {n} rows"),
                None => format!("other values in the next {n} rows"),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn set_text(set: &IdSet) -> String {
    match set {
        IdSet::Range { start, end } => format!("IDs {start}-{end}"),
        IdSet::List(items) => format!("IDs {}", items.join(", ")),
        IdSet::Values(v) => format!("the {} values upstream", v.len()),
    }
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn pick_the_upstream_time_column_the_words_name() {
        let names = ["id", "requested_at", "completed_at", "created_at"];
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(pick_upstream_column(&names, &words(&["completion", "times"]), true).as_deref(), Some("completed_at"));
        assert_eq!(pick_upstream_column(&names, &words(&["dates"]), true).as_deref(), Some("created_at"));
        // Words that name no column are not bound to the first timestamp.
        assert_eq!(pick_upstream_column(&names, &words(&["arrival", "times"]), true), None);
    }
}
