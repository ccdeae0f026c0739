//! Resolves a parsed scope against a schema: nouns to tables and columns,
//! counts to row numbers, percentages to exact shares.

use std::collections::HashSet;

use chrono::{Duration, Months};
use seedfast_scope::{Clause, IdSelection, Phrase, Scope, ScopeError, Span, TimeUnit};

use super::names::{closest, match_value, name_variants, singular, squash};
use super::{EventLog, IdSet, OrphanRule, Plan, Rows, Rule, SeedOptions, TablePlan, Why};
use crate::error::{Error, Result};
use crate::generate::Value;
use crate::schema::{CheckExpr, Literal, Operand, Schema, SqlType, Table};
use crate::upstream::{Upstream, UpstreamRef, check_contract_side};

/// `with addresses` without a count: this many per parent (one for 1:1).
const DEFAULT_CHILDREN: (u64, u64) = (1, 3);

pub fn resolve(schema: &Schema, scope: &Scope, options: SeedOptions, upstream: &Upstream) -> Result<Plan> {
    let mut r = Resolver { schema, scope, upstream, plans: Vec::new() };
    let subject = r.table(&scope.subject)?;
    r.plan_mut(subject, Why::Requested);

    // Count: explicit, or one row per referenced ID (`payments for order IDs 1-8000`).
    let mut one_per_id_pending = scope.count.is_none();
    r.plan_mut(subject, Why::Requested).rows = Rows::Exactly(scope.count.map(|c| options.scaled(c.value)).unwrap_or(0));

    if !scope.subject_values.is_empty() {
        r.subject_values(subject)?;
    }

    for clause in &scope.clauses {
        match clause {
            Clause::With { target, count, per, .. } => r.with(subject, target, count.as_ref().map(|c| (c.min, c.max)), per.as_ref())?,
            Clause::Across { count, target, named, .. } => r.across(subject, options.scaled(count.value).max(named.len() as u64), target, named)?,
            Clause::TimeWindow { amount, unit, span } => {
                let start = window_start(options, *amount, *unit).ok_or_else(|| {
                    ScopeError::new(&scope.text, *span, "time window reaches before year 0").help("use a shorter window")
                })?;
                r.plan_mut(subject, Why::Requested).window = Some((start, options.now));
            }
            Clause::References { target, ids, span } => {
                let (table, column) = r.reference_column(subject, target)?;
                let Some(ids) = ids else {
                    // `referencing recent orders`: any referenced row will do.
                    continue;
                };
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
            Clause::Values { column, values, span } => {
                let texts: Vec<&str> = values.iter().map(|v| v.text.as_str()).collect();
                let (table, col, allowed) = r.valued_column(subject, column.as_ref(), &texts, *span)?;
                let mapped = values.iter().map(|v| r.allowed_value(table, col, &allowed, v)).collect::<Result<Vec<_>>>()?;
                r.set_rule(table, col, Rule::Mix(mapped), *span)?;
            }
            Clause::Range { column, min, max, span, .. } => {
                let (table, col) = r.column_near(subject, column)?;
                let ty = r.schema.tables[table].columns[col].ty.base().clone();
                if !matches!(ty, SqlType::Int2 | SqlType::Int4 | SqlType::Int8 | SqlType::Numeric { .. } | SqlType::Float4 | SqlType::Float8) {
                    return Err(ScopeError::new(&scope.text, column.span, format!(
                        "`{}` is {} in {}, not a number: a range needs a numeric column",
                        r.schema.tables[table].columns[col].name, ty.sql_name(), r.schema.tables[table].display_name()
                    )).into());
                }
                r.set_rule(table, col, Rule::Range { min: min.value, max: max.value }, *span)?;
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
            Clause::Purpose { .. } => {}
        }
    }

    if one_per_id_pending {
        return Err(ScopeError::new(&scope.text, scope.subject.span, "no row count for `".to_string() + &scope.subject.text + "`")
            .help(format!("start with a number (`100 {}`) or reference IDs (`{} for user IDs 1-100`)", scope.subject.text, scope.subject.text))
            .into());
    }
    r.finish_event_log(subject)?;
    r.apply_upstream()?;
    super::parents::add_required_parents(schema, &mut r.plans)?;
    r.orphan_counts()?;
    let tables = super::order::insertion_order(schema, r.plans)?;
    Ok(Plan { options, tables })
}

fn window_start(options: SeedOptions, amount: u64, unit: TimeUnit) -> Option<chrono::DateTime<chrono::Utc>> {
    let now = options.now;
    let amount32 = u32::try_from(amount).ok()?;
    match unit {
        TimeUnit::Days => now.checked_sub_signed(Duration::try_days(amount as i64)?),
        TimeUnit::Weeks => now.checked_sub_signed(Duration::try_weeks(amount as i64)?),
        TimeUnit::Months => now.checked_sub_months(Months::new(amount32)),
        TimeUnit::Years => now.checked_sub_months(Months::new(amount32.checked_mul(12)?)),
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
        if self.planned(table).is_some_and(|p| p.rules.contains_key(&column)) {
            return Err(self
                .err(span, format!("`{}.{}` is already shaped by an earlier clause", t.display_name(), t.columns[column].name))
                .help("give each column one distribution, range or ID set")
                .into());
        }
        self.plan_mut(table, Why::Mentioned).rules.insert(column, rule);
        Ok(())
    }

    /// A table by name, anywhere in the schema; `public` wins ties.
    fn table(&self, phrase: &Phrase) -> Result<usize> {
        self.find_table(phrase).ok_or_else(|| {
            let names: Vec<String> = self.schema.tables.iter().map(|t| t.display_name()).collect();
            let mut e = self.err(phrase.span, format!("unknown table `{}`", phrase.text));
            e.expected = names.iter().take(12).map(|n| format!("`{n}`")).collect();
            if let Some(best) = closest(&phrase.words.join("_"), self.schema.tables.iter().map(|t| t.name.as_str())) {
                e = e.help(format!("did you mean `{best}`?"));
            }
            Error::Scope(e)
        })
    }

    fn find_table(&self, phrase: &Phrase) -> Option<usize> {
        let variants: Vec<String> = name_variants(&phrase.words).iter().map(|v| squash(v)).collect();
        let mut found: Vec<usize> =
            (0..self.schema.tables.len()).filter(|&i| variants.contains(&squash(&self.schema.tables[i].name))).collect();
        found.sort_by_key(|&i| (self.schema.tables[i].schema != "public", variants.iter().position(|v| *v == squash(&self.schema.tables[i].name))));
        found.first().copied()
    }

    /// Tables with a foreign key to `parent` whose name matches the phrase
    /// directly or after the parent's name (`items` of `orders` is `order_items`).
    fn find_child(&self, parent: usize, phrase: &Phrase) -> Option<(usize, usize)> {
        let parent_single = singular(&self.schema.tables[parent].name);
        let variants: Vec<String> = name_variants(&phrase.words)
            .into_iter()
            .flat_map(|v| [squash(&v), squash(&format!("{parent_single}_{v}"))])
            .collect();
        self.schema.tables.iter().enumerate().find_map(|(i, t)| {
            if !variants.contains(&squash(&t.name)) {
                return None;
            }
            t.foreign_keys.iter().position(|fk| fk.ref_table == parent && i != parent).map(|fk| (i, fk))
        })
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
        let first = singular(&phrase.words[0]);
        (0..t.columns.len())
            .filter(|&c| !t.columns[c].generated && t.columns[c].name.to_lowercase().split('_').any(|part| singular(part) == first))
            .collect()
    }

    fn column_in(&self, table: usize, phrase: &Phrase) -> Result<usize> {
        self.find_columns(table, phrase).first().copied().ok_or_else(|| self.unknown_column(table, phrase))
    }

    fn unknown_column(&self, table: usize, phrase: &Phrase) -> Error {
        let t = &self.schema.tables[table];
        let mut e = self.err(phrase.span, format!("unknown column `{}` in table `{}`", phrase.text, t.display_name()));
        e.expected = t.columns.iter().map(|c| format!("`{}`", c.name)).collect();
        if let Some(best) = closest(&phrase.words.join("_"), t.columns.iter().map(|c| c.name.as_str())) {
            e = e.help(format!("did you mean `{best}`?"));
        }
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

    /// `with addresses`, `with 1-5 items per order`, `with names`.
    fn with(&mut self, subject: usize, target: &Phrase, count: Option<(u64, u64)>, per: Option<&Phrase>) -> Result<()> {
        if let Some(per) = per {
            let per_table = self.table(per)?;
            if per_table != subject {
                return Err(self
                    .err(per.span, format!("`per {}` must name the scope's subject `{}`", per.text, self.scope.subject.text))
                    .into());
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
        // `with 3-8 actors per film`: linked through a junction table.
        if let Some(j) = self.find_table(target).and_then(|other| super::junction::find(self.schema, subject, other)) {
            self.plan_mut(j.table, Why::Mentioned).rows = super::junction::links(j, count, None);
            return Ok(());
        }
        if count.is_some() {
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

    /// `across 15 categories including electronics, clothing`.
    fn across(&mut self, subject: usize, count: u64, target: &Phrase, named: &[Phrase]) -> Result<()> {
        let parent = self.table(target)?;
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
            let label = label_column(&self.schema.tables[parent]).ok_or_else(|| {
                self.err(named[0].span, format!("`{}` has no name-like text column to hold the names", self.schema.tables[parent].display_name()))
            })?;
            let values = named.iter().map(|p| p.text.clone()).collect();
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
        // A free-text status column takes the values as written.
        let t = &self.schema.tables[subject];
        if let Some(col) = t.columns.iter().position(|c| ["status", "state", "type", "kind"].contains(&c.name.as_str())) {
            return Ok((subject, col, Vec::new()));
        }
        Err(self
            .err(span, format!("no column of `{}` takes the values {}", t.display_name(), values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")))
            .help("name the column (`status distribution of ...`) or use values its enum or CHECK allows")
            .into())
    }

    /// A value the column accepts; a closed set must contain it.
    fn allowed_value(&self, table: usize, column: usize, allowed: &[String], value: &Phrase) -> Result<String> {
        if allowed.is_empty() {
            return Ok(value.words.join("_"));
        }
        match_value(&value.text, allowed).cloned().ok_or_else(|| {
            let t = &self.schema.tables[table];
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
        IdSet::Range { start, end } => IdSet::Range { start, end: start + options.scaled((end - start + 1).max(0) as u64) as i64 - 1 },
        other => other,
    }
}

/// An explicit ID range or list must lie within what the upstream service
/// generated: `user IDs 1-1000` against 100 seeded users is an error.
fn check_within(set: &IdSet, values: &[Value], r: &UpstreamRef) -> Result<()> {
    let have: HashSet<String> = values.iter().map(Value::key).collect();
    let wanted: Vec<String> = match set {
        IdSet::Range { start, end } => (*start..=*end).map(|i| i.to_string()).collect(),
        IdSet::List(items) => items.clone(),
        IdSet::Values(_) => return Ok(()),
    };
    let outside: Vec<&String> = wanted.iter().filter(|w| !have.contains(*w)).collect();
    if outside.is_empty() {
        return Ok(());
    }
    Err(Error::Contract {
        contract: r.contract.to_string(),
        message: format!(
            "{} of the {} IDs the scope names are not among the {} `{}` values service `{}` generated (e.g. {}); narrow the range or seed more upstream",
            outside.len(),
            wanted.len(),
            values.len(),
            r.target_column,
            r.service,
            outside.iter().take(5).map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
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

/// The text column that names a row: `name`, `title`, `label`, ...
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
            if let CheckExpr::In { operand: Operand::Column(c), values } = conjunct
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
