//! What the scope says about particular columns: shares, mixes, ranges,
//! IDs, upstream values, orphans, and the shapes applied afterwards.

use super::*;

impl TableGen<'_> {
    pub(super) fn rules(&mut self) -> Result<()> {
        // Values read through a reference come after the reference itself.
        let (derived, direct): (Vec<_>, Vec<_>) = self.tp.rules.iter().partition(|(_, r)| matches!(r, Rule::Derived { .. }));
        for (&c, rule) in direct.into_iter().chain(derived) {
            if self.columns[c].is_some() && !matches!(rule, Rule::Ids(_) | Rule::OnePerId(_)) {
                continue;
            }
            if self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&c)) {
                // Local foreign keys took their rule in `parent_keys`.
                continue;
            }
            let mut rng = self.rng(&self.t.columns[c].name);
            let values = match rule {
                Rule::Shares(shares) => self.shares(c, shares, &mut rng),
                Rule::Weighted(weights) => {
                    let total: u32 = weights.iter().map(|(_, w)| w).sum();
                    (0..self.n)
                        .map(|_| {
                            let mut x = rng.random_range(0..total.max(1));
                            let pick = weights.iter().find(|(_, w)| if x < *w { true } else { x -= w; false });
                            self.typed_text(c, &pick.map(|(v, _)| v.clone()).unwrap_or_default())
                        })
                        .collect()
                }
                Rule::Mix(values) => {
                    let mut out: Vec<Value> = (0..self.n).map(|i| self.typed_text(c, &values[i % values.len()])).collect();
                    out.shuffle(&mut rng);
                    out
                }
                Rule::NamedFirst(names) => {
                    let mut seen: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
                    let mut out: Vec<Value> = names.iter().take(self.n).map(|n| Value::Text(n.clone())).collect();
                    let kind = realistic::kind_of(&self.t.name, &self.t.columns[c].name, &self.t.columns[c].ty);
                    let kind = if kind == Kind::Generic { Kind::ProductName } else { kind };
                    while out.len() < self.n {
                        let mut v = realistic::text(kind, &mut rng, out.len());
                        if !seen.insert(v.to_lowercase()) {
                            v = format!("{v} {}", out.len() + 1);
                            seen.insert(v.to_lowercase());
                        }
                        out.push(Value::Text(v));
                    }
                    out
                }
                Rule::Range { min, max } => {
                    let (lo, hi) = (min.max(self.specs[c].min.unwrap_or(f64::MIN)), max.min(self.specs[c].max.unwrap_or(f64::MAX)));
                    if lo > hi {
                        return Err(self.unsatisfiable(c, "its CHECK", format!("the scope's range {min}..{max} lies outside what the column allows"), "narrow the range to the column's CHECK"));
                    }
                    (0..self.n).map(|_| self.number_in(c, lo, hi, &mut rng)).collect()
                }
                Rule::Ids(set) => {
                    let ids = self.id_values(c, set)?;
                    let unique = self.specs[c].unique.is_some();
                    if unique && self.n > ids.len() {
                        return Err(self.unsatisfiable(c, "its unique key", format!("{} rows need distinct IDs but the scope allows {}", self.n, ids.len()), "widen the ID range or seed fewer rows"));
                    }
                    if unique {
                        ids.distinct(self.n, &mut rng)
                    } else {
                        (0..self.n).map(|_| ids.get(rng.random_range(0..ids.len()))).collect()
                    }
                }
                Rule::OnePerId(set) => {
                    let ids = self.id_values(c, set)?;
                    (0..ids.len().min(self.n)).map(|i| ids.get(i)).collect()
                }
                Rule::Parts { parts, rest } => self.parts(c, parts, rest.as_deref(), &mut rng),
                Rule::Cycle(values) => {
                    // The k-th child of each parent takes the k-th value.
                    let mut seen: HashMap<usize, usize> = HashMap::new();
                    (0..self.n)
                        .map(|i| {
                            let parent = self.parents.as_ref().map_or(0, |(_, p)| p[i]);
                            let k = seen.entry(parent).or_insert(0);
                            *k += 1;
                            self.typed_text(c, &values[(*k - 1) % values.len()])
                        })
                        .collect()
                }
                Rule::Window { start, end } => {
                    let span = (*end - *start).num_seconds().max(1);
                    (0..self.n).map(|_| self.time_value(c, *start + Duration::seconds(rng.random_range(0..span)))).collect()
                }
                Rule::Blocks(blocks) => {
                    // Runs in order; `None` draws the column's other values.
                    let listed: Vec<&String> = blocks.iter().filter_map(|(v, _)| v.as_ref()).collect();
                    let others: Vec<String> = self.specs[c].allowed.iter().filter(|a| !listed.contains(a)).cloned().collect();
                    let mut out: Vec<Value> = Vec::with_capacity(self.n);
                    for (value, count) in blocks {
                        for _ in 0..*count {
                            let v = match value {
                                Some(v) => v.clone(),
                                None if !others.is_empty() => others[rng.random_range(0..others.len())].clone(),
                                None => listed.first().map(|v| (*v).clone()).unwrap_or_default(),
                            };
                            out.push(self.typed_text(c, &v));
                        }
                    }
                    out.truncate(self.n);
                    while out.len() < self.n {
                        let v = out.last().cloned().unwrap_or(Value::Null);
                        out.push(v);
                    }
                    out
                }
                // Set with the other foreign keys.
                Rule::Tree { .. } => continue,
                // Shapes of generated values, applied once they exist.
                Rule::Nulls { .. } | Rule::Prefix(_) | Rule::EmailDomain(_) | Rule::ParentIs { .. } => continue,
                Rule::Derived { via, source, key, from, after, valid } => {
                    let values = self.derived(c, *via, source, key, from, *after, &mut rng)?;
                    if let Some(valid) = valid {
                        let valid: HashSet<String> = valid.iter().map(Value::key).collect();
                        let inherited: Vec<Value> = values.iter().filter(|v| !matches!(v, Value::Null) && !valid.contains(&v.key())).cloned().collect();
                        if !inherited.is_empty() {
                            self.orphans.push((c, inherited));
                        }
                    }
                    values
                }
            };
            self.columns[c] = Some(values);
        }
        // Orphans overwrite exactly `count` rows with values outside the set.
        for o in &self.tp.orphans {
            let c = o.column;
            if self.columns[c].is_none() {
                let ids = self.id_values(c, &o.referenced)?;
                let mut rng = self.rng(&self.t.columns[c].name);
                self.columns[c] = Some((0..self.n).map(|_| ids.get(rng.random_range(0..ids.len()))).collect());
            }
            let mut rng = self.rng(&format!("#orphans:{}", self.t.columns[c].name));
            let mut rows: Vec<usize> = (0..self.n).collect();
            rows.shuffle(&mut rng);
            rows.truncate(o.count as usize);
            rows.sort_unstable();
            let values = self.orphan_values(c, &o.referenced, rows.len(), &mut rng)?;
            let column = self.columns[c].as_mut().expect("filled above");
            for (&r, v) in rows.iter().zip(&values) {
                column[r] = v.clone();
            }
            self.orphans.push((c, values));
        }
        Ok(())
    }

    /// Each row's value read from the upstream row its `via` column points
    /// at; rows whose reference is a deliberate orphan get an ordinary value.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn derived(&self, c: usize, via: usize, source: &UpstreamTable, key: &str, from: &str, after: bool, rng: &mut Pcg64) -> Result<Vec<Value>> {
        let index = source.index_by(key);
        let upstream = source.column(from).unwrap_or_default();
        let refs = self.columns[via].clone().unwrap_or_default();
        let kind = realistic::kind_of(&self.t.name, &self.t.columns[c].name, &self.t.columns[c].ty);
        let mut out = Vec::with_capacity(self.n);
        for (row, r) in refs.iter().enumerate().take(self.n) {
            let found = index.get(&r.key()).and_then(|&i| upstream.get(i));
            out.push(match (found, after) {
                (Some(v), false) => self.convert(c, v),
                (Some(v), true) => match v.as_timestamp() {
                    // Between a minute and three days after the upstream event.
                    Some(t) => self.time_value(c, t + Duration::seconds(rng.random_range(60..3 * 86_400))),
                    None => self.value(c, kind, row, rng)?,
                },
                (None, _) => self.value(c, kind, row, rng)?,
            });
        }
        Ok(out)
    }

    /// An upstream value in this column's type: decimals rescaled, numbers
    /// made integers when the column is.
    pub(super) fn convert(&self, c: usize, v: &Value) -> Value {
        match (self.t.columns[c].ty.base(), v) {
            (SqlType::Numeric { scale, .. }, Value::Decimal { units, scale: from }) => {
                let to = scale.unwrap_or(*from);
                let units = if to >= *from { units * 10i128.pow(to - from) } else { units / 10i128.pow(from - to) };
                Value::Decimal { units, scale: to }
            }
            (SqlType::Numeric { scale, .. }, Value::Int(i)) => {
                let to = scale.unwrap_or(0);
                Value::Decimal { units: *i as i128 * 10i128.pow(to), scale: to }
            }
            (SqlType::Int2 | SqlType::Int4 | SqlType::Int8, Value::Decimal { units, scale }) => Value::Int((units / 10i128.pow(*scale)) as i64),
            _ => v.clone(),
        }
    }

    /// Exact shares: 60% of 8,000 is 4,800 rows. Hundredths are rounded by
    /// largest remainder so the counts add up to the rows they cover.
    pub(super) fn shares(&self, c: usize, shares: &[(String, u32)], rng: &mut Pcg64) -> Vec<Value> {
        let parts: Vec<(String, u64, u64)> = shares.iter().map(|(v, h)| (v.clone(), *h as u64, 10_000)).collect();
        self.parts(c, &parts, None, rng)
    }

    /// Exactly `num/den` of the rows per part, rounded by largest remainder
    /// so the parts together cover the rounded total.
    pub(super) fn parts(&self, c: usize, shares: &[(String, u64, u64)], rest: Option<&str>, rng: &mut Pcg64) -> Vec<Value> {
        let n = self.n as u128;
        // Over a common denominator, remainders of different fractions compare.
        let l = shares.iter().fold(1u128, |l, (_, _, d)| lcm(l, (*d).max(1) as u128));
        let total: u128 = shares.iter().map(|(_, num, d)| *num as u128 * (l / (*d).max(1) as u128)).sum();
        let covered = ((n * total + l / 2) / l) as u64;
        let mut counts: Vec<(u64, u128, usize)> = shares
            .iter()
            .enumerate()
            .map(|(i, (_, num, d))| {
                let d = (*d).max(1) as u128;
                (((n * *num as u128) / d) as u64, ((n * *num as u128) % d) * (l / d), i)
            })
            .collect();
        let assigned: u64 = counts.iter().map(|c| c.0).sum();
        let mut by_remainder: Vec<usize> = (0..counts.len()).collect();
        by_remainder.sort_by_key(|&i| (std::cmp::Reverse(counts[i].1), i));
        // Each share lost less than one row to flooring, so the shortfall is
        // at most one row per share.
        let shortfall = covered.min(self.n as u64).saturating_sub(assigned) as usize;
        for &i in by_remainder.iter().cycle().take(shortfall) {
            counts[i].0 += 1;
        }
        let mut out: Vec<Value> = Vec::with_capacity(self.n);
        for (count, _, i) in &counts {
            out.extend((0..*count).map(|_| self.typed_text(c, &shares[*i].0)));
        }
        if let Some(rest) = rest {
            while out.len() < self.n {
                out.push(self.typed_text(c, rest));
            }
        }
        // Shares under 100%: the rest from the column's other values.
        let others: Vec<String> = self.specs[c].allowed.iter().filter(|a| !shares.iter().any(|(v, _, _)| v == *a)).cloned().collect();
        if others.is_empty() && self.t.columns[c].ty.is_integer() {
            // `half of them 5 stars` on a plain number: the rest are the
            // column's other numbers, never the shares' own.
            let spec = &self.specs[c];
            let lo = spec.min.unwrap_or(0.0).ceil() as i64;
            let hi = spec.max.unwrap_or(lo as f64 + 100.0).floor() as i64;
            let taken: Vec<i64> = shares.iter().filter_map(|(v, _, _)| v.parse().ok()).collect();
            let small = lo <= hi && hi.saturating_sub(lo) <= 10_000;
            let free: Vec<i64> = if small { (lo..=hi).filter(|v| !taken.contains(v)).collect() } else { Vec::new() };
            while out.len() < self.n && !free.is_empty() {
                out.push(Value::Int(free[rng.random_range(0..free.len())]));
            }
            // A wide range: a draw hits a share's value almost never.
            while out.len() < self.n && lo < hi && !small {
                let v = rng.random_range(lo..=hi);
                if !taken.contains(&v) {
                    out.push(Value::Int(v));
                }
            }
        }
        let pool = if others.is_empty() { shares.iter().map(|(v, _, _)| v.clone()).collect() } else { others };
        while out.len() < self.n {
            out.push(self.typed_text(c, &pool[rng.random_range(0..pool.len())]));
        }
        // Rows counted by value (`a retired lathe and 4 idle presses`) cover
        // the table exactly; one order for every such column keeps each
        // group's values on the same rows.
        let counted = rest.is_none() && shares.iter().all(|(_, _, d)| *d == self.n as u64) && shares.iter().map(|(_, k, _)| k).sum::<u64>() == self.n as u64;
        if counted {
            out.shuffle(&mut self.rng("rows counted by value"));
        } else {
            out.shuffle(rng);
        }
        out
    }

    pub(super) fn typed_text(&self, c: usize, text: &str) -> Value {
        match self.t.columns[c].ty.base() {
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => text.parse().map(Value::Int).unwrap_or(Value::Text(text.into())),
            SqlType::Bool => Value::Bool(matches!(text, "true" | "t" | "yes")),
            _ => Value::Text(text.to_string()),
        }
    }

    /// The IDs of a set, typed by the column (integer, UUID, text). A range
    /// stays a range: `for user IDs 1-1000000000000` is never listed out.
    pub(super) fn id_values(&self, c: usize, set: &IdSet) -> Result<IdPool> {
        let column = &self.t.columns[c];
        match set {
            IdSet::Range { start, .. } => {
                if !column.ty.is_integer() {
                    return Err(self.unsatisfiable(c, "its type", format!("an ID range needs an integer column, `{}` is {}", column.name, column.ty.sql_name()), "list the IDs instead (`with IDs: a, b, c`)"));
                }
                Ok(IdPool::Range { start: *start, len: set.len() as usize })
            }
            IdSet::Values(values) => Ok(IdPool::Values(values.to_vec())),
            IdSet::List(items) => items
                .iter()
                .map(|s| match column.ty.base() {
                    SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => s.parse::<i64>().map(Value::Int).map_err(|_| {
                        self.unsatisfiable(c, "its type", format!("`{s}` is not an integer, `{}` is {}", column.name, column.ty.sql_name()), "list integer IDs")
                    }),
                    SqlType::Uuid => s.parse::<uuid::Uuid>().map(Value::Uuid).map_err(|_| {
                        self.unsatisfiable(c, "its type", format!("`{s}` is not a UUID, `{}` is uuid", column.name), "list UUIDs")
                    }),
                    _ => Ok(Value::Text(s.clone())),
                })
                .collect::<Result<Vec<_>>>()
                .map(IdPool::Values),
        }
    }

    /// Values guaranteed outside the referenced set.
    pub(super) fn orphan_values(&self, c: usize, set: &IdSet, k: usize, rng: &mut Pcg64) -> Result<Vec<Value>> {
        let existing = self.id_values(c, set)?.membership();
        let column = &self.t.columns[c];
        let mut out = Vec::with_capacity(k);
        let mut next = match set {
            IdSet::Range { end, .. } => *end,
            IdSet::List(items) => items.iter().filter_map(|s| s.parse::<i64>().ok()).max().unwrap_or(0),
            IdSet::Values(values) => values.iter().filter_map(Value::as_i64).max().unwrap_or(0),
        };
        while out.len() < k {
            let v = match column.ty.base() {
                SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => {
                    // Far above the set, where no upstream ID will be.
                    next += 1;
                    Value::Int(next + 1_000_000)
                }
                SqlType::Uuid => Value::Uuid(realistic::uuid(rng)),
                _ => Value::Text(format!("missing-{}", realistic::code(rng, 8))),
            };
            if !existing(&v) {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Every column not yet filled, after the columns it relates to.
    /// Rules that change generated values: exact NULL shares, prefixes
    /// (`named Bob`), email domains.
    pub(super) fn reshape(&mut self) -> Result<()> {
        for (&c, rule) in &self.tp.rules {
            let Some(column) = self.columns[c].as_mut() else { continue };
            match rule {
                Rule::Nulls { num, den } => {
                    let nulls = ((self.n as u128 * *num as u128 * 2 + *den as u128) / (2 * (*den).max(1) as u128)) as usize;
                    let mut rows: Vec<usize> = (0..self.n).collect();
                    rows.shuffle(&mut stream(self.plan.options.seed, &self.t.qualified(), &format!("#nulls:{}", self.t.columns[c].name)));
                    for &r in rows.iter().take(nulls) {
                        column[r] = Value::Null;
                    }
                }
                Rule::Prefix(prefix) => {
                    for v in column.iter_mut() {
                        if let Value::Text(t) = v {
                            let rest = t.split_once(' ').map_or(t.as_str(), |(_, r)| r);
                            *t = format!("{prefix} {rest}");
                        }
                    }
                }
                Rule::EmailDomain(domain) => {
                    for v in column.iter_mut() {
                        if let Value::Text(t) = v {
                            let local = t.split_once('@').map_or(t.as_str(), |(l, _)| l);
                            *t = format!("{local}@{domain}");
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}
