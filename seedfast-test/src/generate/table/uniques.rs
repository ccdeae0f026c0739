//! Unique keys: distinct values for single columns, composite keys
//! redrawn, and how many values a column can take at all.

use super::*;

impl TableGen<'_> {
    /// Multi-column unique keys: re-draw a free column of each duplicate row.
    pub(super) fn composite_uniques(&mut self) -> Result<()> {
        let keys: Vec<(String, Vec<usize>)> = self
            .t
            .uniques
            .iter()
            .map(|u| (u.name.clone(), u.parts.iter().filter_map(|p| if let UniquePart::Column(c) = p { Some(*c) } else { None }).collect::<Vec<_>>()))
            .chain(std::iter::once(("PRIMARY KEY".to_string(), self.t.primary_key.clone())))
            .filter(|(_, cols)| cols.len() > 1)
            .collect();
        for (name, cols) in keys {
            // A column numbered within its group (`line_no` of an order) is
            // unique by construction; otherwise re-draw the last free column.
            let free: Vec<usize> = cols.iter().copied().filter(|&c| !self.in_driver_fk(c)).collect();
            if free.is_empty() {
                continue;
            }
            let groups: Vec<usize> = cols.iter().copied().filter(|c| !free.contains(c)).collect();
            // Only a column nothing else governs: IDs from the scope or from
            // another service must keep their values.
            let governed = self.tp.rules.contains_key(&free[0]) || self.t.foreign_keys.iter().any(|fk| fk.columns.contains(&free[0]));
            if free.len() == 1 && self.t.columns[free[0]].ty.is_integer() && !governed && !groups.is_empty() {
                let mut counters: HashMap<String, i64> = HashMap::new();
                let values: Vec<Value> = (0..self.n)
                    .map(|r| {
                        let key: String = groups.iter().map(|&g| self.columns[g].as_ref().map(|v| v[r].key()).unwrap_or_default()).collect::<Vec<_>>().join("\u{1}");
                        let n = counters.entry(key).or_insert(0);
                        *n += 1;
                        Value::Int(*n)
                    })
                    .collect();
                self.columns[free[0]] = Some(values);
                continue;
            }
            let target = *free.last().expect("non-empty");
            let mut rng = self.rng(&format!("#unique:{name}"));
            let mut seen: HashSet<String> = HashSet::new();
            for r in 0..self.n {
                let mut tries = 0;
                loop {
                    let key: String = cols.iter().map(|&c| self.columns[c].as_ref().map(|v| v[r].key()).unwrap_or_default()).collect::<Vec<_>>().join("\u{1}");
                    if seen.insert(key) {
                        break;
                    }
                    tries += 1;
                    if tries > 200 {
                        return Err(self.unsatisfiable(target, format!("UNIQUE {name}"), "too few distinct combinations for the rows requested", "seed fewer rows or widen the referenced ID set"));
                    }
                    // The last free column first; when its values run out for
                    // this row (`connector_number` 1-4 on a full charger),
                    // the others in turn (another charger).
                    let column = free[free.len() - 1 - (tries / 20) % free.len()];
                    let v = self.redraw(column, r, &mut rng)?;
                    self.columns[column].as_mut().expect("filled")[r] = v;
                }
            }
        }
        Ok(())
    }

    pub(super) fn unique_name(&self, c: usize) -> String {
        if self.t.primary_key == [c] {
            return "PRIMARY KEY".into();
        }
        self.t
            .uniques
            .iter()
            .find(|u| u.parts.len() == 1 && matches!(u.parts[0], UniquePart::Column(x) | UniquePart::Folded { column: x, .. } if x == c))
            .map(|u| format!("UNIQUE {}", u.name))
            .unwrap_or_else(|| "UNIQUE".into())
    }

    /// How many distinct values the column can take, when small enough to matter.
    pub(super) fn domain_size(&self, c: usize) -> Option<f64> {
        let spec = &self.specs[c];
        if !spec.allowed.is_empty() {
            return Some(spec.allowed.len() as f64);
        }
        match self.t.columns[c].ty.base() {
            SqlType::Bool => Some(2.0),
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 | SqlType::Numeric { scale: Some(0), .. } => {
                let (lo, hi) = (spec.min.unwrap_or(i64::MIN as f64), spec.max.unwrap_or(i64::MAX as f64));
                Some((hi - lo + 1.0).max(0.0))
            }
            SqlType::Char(n) | SqlType::Varchar(Some(n)) => Some(36f64.powi(*n as i32)),
            _ => None,
        }
    }

    /// A distinct variant of a text or number value.
    pub(super) fn disambiguate(&self, c: usize, v: &Value, row: usize, salt: usize) -> Result<Value> {
        let spec = &self.specs[c];
        Ok(match v {
            Value::Text(s) => {
                let suffix = format!("{salt}");
                let base: String = match s.split_once('@') {
                    Some((user, domain)) => return Ok(Value::Text(format!("{user}.{suffix}@{domain}"))),
                    None => s.clone(),
                };
                let max = spec.max_len.unwrap_or(usize::MAX);
                let keep = max.saturating_sub(suffix.len() + 1);
                let trimmed: String = base.chars().take(keep).collect();
                let joined = if keep == 0 { suffix.chars().rev().take(max).collect::<String>().chars().rev().collect() } else { format!("{trimmed}-{suffix}") };
                let joined = pad(joined, spec.min_len);
                // A suffix the column's pattern refuses: draw from the pattern instead.
                if let Some(p) = &self.patterns[c]
                    && !p.accepts(&joined)
                {
                    let mut rng = self.rng(&format!("#unique:{}:{salt}", self.t.columns[c].name));
                    return Ok(Value::Text(p.fit(String::new(), spec.max_len, &mut rng)));
                }
                Value::Text(joined)
            }
            Value::Int(_) | Value::Decimal { .. } => {
                let mut rng = self.rng(&format!("#unique:{}:{salt}", self.t.columns[c].name));
                self.value(c, Kind::Generic, row, &mut rng)?
            }
            other => other.clone(),
        })
    }
}
