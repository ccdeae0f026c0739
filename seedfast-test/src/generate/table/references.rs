//! Foreign keys: which parent each row points at (generated parents, keys
//! the scope names, junction links, self-references as trees).

use super::*;

impl TableGen<'_> {
    pub(super) fn foreign_keys(&mut self) -> Result<()> {
        // The driving key first: a junction's other side picks distinct
        // parents within each driving parent's rows.
        let driver = self.parents.as_ref().map(|(d, _)| *d);
        let order: Vec<usize> = driver.into_iter().chain((0..self.t.foreign_keys.len()).filter(|&k| Some(k) != driver)).collect();
        for k in order {
            let fk = &self.t.foreign_keys[k];
            let nullable = fk.columns.iter().all(|&c| !self.t.columns[c].not_null);
            let null_tuple = || fk.columns.iter().map(|_| Value::Null).collect::<Vec<_>>();
            let tuples: Vec<Vec<Value>> = if self.tp.fixup_fks.contains(&k) {
                (0..self.n).map(|_| null_tuple()).collect()
            } else if fk.ref_table == self.tp.table
                && let Some(Rule::Tree { roots, min, max }) = self.tp.rules.get(&fk.columns[0])
            {
                self.tree_reference(k, nullable, *roots as usize, *min as usize, *max as usize)
            } else if fk.ref_table == self.tp.table {
                self.self_reference(k, nullable)
            } else if let Some((driver, parents)) = self.parents.as_ref().filter(|(d, _)| *d == k) {
                let _ = driver;
                let parent = self.generated(fk.ref_table).expect("checked in new");
                parents.iter().map(|&p| fk.ref_columns.iter().map(|&rc| parent.column(rc)[p].clone()).collect()).collect()
            } else {
                let keys = self.parent_keys(k)?;
                match keys {
                    None if nullable => (0..self.n).map(|_| null_tuple()).collect(),
                    Some(keys) if keys.is_empty() && nullable => (0..self.n).map(|_| null_tuple()).collect(),
                    None => {
                        return Err(self.unsatisfiable(
                            fk.columns[0],
                            format!("foreign key {}", fk.name),
                            format!("no rows of `{}` are seeded to point at", self.schema.tables[fk.ref_table].display_name()),
                            "mention the referenced table in the scope",
                        ));
                    }
                    Some(keys) => {
                        let mut tuples = self.pick_parents(k, keys)?;
                        if nullable && self.leaves_some_null(k) {
                            let mut rng = self.rng(&format!("#fk-null:{}", fk.name));
                            for t in tuples.iter_mut() {
                                if rng.random_bool(NULL_REFERENCE_SHARE) {
                                    *t = null_tuple();
                                }
                            }
                        }
                        tuples
                    }
                }
            };
            for (i, &c) in fk.columns.iter().enumerate() {
                if self.columns[c].is_none() {
                    self.columns[c] = Some(tuples.iter().map(|t| t[i].clone()).collect());
                }
            }
        }
        self.children_follow_their_roots();
        Ok(())
    }

    /// A reply is on its comment's post: rows under a root (a `Tree`) take
    /// the root's other references.
    fn children_follow_their_roots(&mut self) {
        let Some((tree, roots)) = self.t.foreign_keys.iter().enumerate().find_map(|(k, fk)| match self.tp.rules.get(&fk.columns[0]) {
            Some(Rule::Tree { roots, .. }) if fk.ref_table == self.tp.table => Some((k, *roots as usize)),
            _ => None,
        }) else {
            return;
        };
        let roots = roots.clamp(1, self.n.max(1));
        // The root of each row, read back from the tree's key values.
        let key = &self.t.foreign_keys[tree];
        let (Some(pointer), Some(keys)) = (self.columns[key.columns[0]].clone(), self.columns[key.ref_columns[0]].clone()) else { return };
        let index: HashMap<String, usize> = keys.iter().take(roots).enumerate().map(|(i, v)| (v.key(), i)).collect();
        for (k, fk) in self.t.foreign_keys.iter().enumerate() {
            if k == tree || fk.ref_table == self.tp.table || self.tp.rules.contains_key(&fk.columns[0]) {
                continue;
            }
            for &c in &fk.columns {
                let Some(values) = self.columns[c].as_mut() else { continue };
                for i in roots..values.len() {
                    if let Some(&root) = index.get(&pointer[i].key()) {
                        values[i] = values[root].clone();
                    }
                }
            }
        }
    }

    /// The key tuples a foreign key may point at: generated rows of the
    /// parent, or for a DEFERRABLE key whose parent comes later, the keys
    /// that parent will be numbered with.
    pub(super) fn parent_keys(&self, k: usize) -> Result<Option<Vec<Vec<Value>>>> {
        let fk = &self.t.foreign_keys[k];
        let mut keys: Vec<Vec<Value>> = if let Some(parent) = self.generated(fk.ref_table) {
            (0..parent.rows).map(|p| fk.ref_columns.iter().map(|&rc| parent.column(rc)[p].clone()).collect()).collect()
        } else if let Some(later) = self.plan.tables.iter().find(|p| p.table == fk.ref_table) {
            let rt = &self.schema.tables[fk.ref_table];
            let single_key = fk.ref_columns.len() == 1 && rt.columns[fk.ref_columns[0]].ty.is_integer();
            let Rows::Exactly(m) = later.rows else {
                return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), "its target table is seeded later with a per-parent count", "give the target table an exact count"));
            };
            if !single_key {
                return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), "its target is seeded later and is not keyed by one integer", "make the cycle's other key deferrable or nullable"));
            }
            let start = self.existing.key_offsets.get(&(fk.ref_table, fk.ref_columns[0])).copied().unwrap_or(0);
            (1..=m as i64).map(|i| vec![Value::Int(start + i)]).collect()
        } else {
            return Ok(None);
        };
        // `refunds for failed payments`: only parents with that value.
        if let Some(Rule::ParentIs { column, value }) = fk.columns.first().and_then(|c| self.tp.rules.get(c))
            && let Some(parent) = self.generated(fk.ref_table)
        {
            let values = parent.column(*column);
            let mut p = 0;
            keys.retain(|_| {
                p += 1;
                values.get(p - 1).is_some_and(|v| v.key() == *value || matches!(v, Value::Bool(b) if value == if *b { "true" } else { "false" }))
            });
            if keys.is_empty() {
                return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), format!("no seeded `{}` row has `{value}`", self.schema.tables[fk.ref_table].display_name()), "seed parents with that value, or drop the word"));
            }
        }
        // `for users with IDs: 3,7,11` on a local foreign key: exactly those
        // targets, each of which must exist (seeded now or already there).
        if fk.columns.len() == 1
            && let Some(Rule::Ids(set) | Rule::OnePerId(set)) = self.tp.rules.get(&fk.columns[0])
        {
            let (rt, rc) = (fk.ref_table, fk.ref_columns[0]);
            let seeded: HashMap<String, Vec<Value>> = keys.into_iter().map(|k| (k[0].key(), k)).collect();
            let before = self.existing.key_offsets.get(&(rt, rc)).copied().unwrap_or(0);
            let already = |v: &Value| v.as_i64().is_some_and(|i| i >= 1 && i <= before) || self.existing.unique_values.get(&(rt, rc)).is_some_and(|s| s.contains(&v.key()));
            let mut seen = HashSet::new();
            let mut missing = Vec::new();
            keys = Vec::new();
            let ids = self.id_values(fk.columns[0], set)?;
            // A range far wider than the parent is read only as far as the
            // parent could match it; the rest is counted, not listed.
            let scan = if ids.len() <= SHUFFLED_RANGE { ids.len() } else { ids.len().min(seeded.len() + before.max(0) as usize + 1) };
            for v in (0..scan).map(|i| ids.get(i)) {
                if !seen.insert(v.key()) {
                    continue;
                }
                match seeded.get(&v.key()) {
                    Some(k) => keys.push(k.clone()),
                    None if already(&v) => keys.push(vec![v]),
                    None => missing.push(v.key()),
                }
            }
            let unread = ids.len() - scan;
            if !missing.is_empty() || unread > 0 {
                let parent = self.schema.tables[rt].display_name();
                return Err(self.unsatisfiable(
                    fk.columns[0],
                    format!("foreign key {}", fk.name),
                    format!(
                        "{} of the {} IDs the scope names are not among the {} rows of `{parent}` (e.g. {})",
                        missing.len() + unread,
                        seen.len() + unread,
                        seeded.len() as i64 + before,
                        missing.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    ),
                    format!("name IDs that `{parent}` has, or drop the count of `{parent}` so seedfast creates them"),
                ));
            }
        }
        Ok(Some(keys))
    }

    /// A nullable reference keeps a few NULLs, as real data does, unless the
    /// scope shapes or fills it or a key covers it.
    pub(super) fn leaves_some_null(&self, k: usize) -> bool {
        let cols = &self.t.foreign_keys[k].columns;
        !cols.iter().any(|c| self.tp.rules.contains_key(c) || self.tp.fill.contains(c) || self.t.plain_keys().iter().any(|key| key.contains(c)))
    }

    pub(super) fn pick_parents(&self, k: usize, keys: Vec<Vec<Value>>) -> Result<Vec<Vec<Value>>> {
        let fk = &self.t.foreign_keys[k];
        if keys.is_empty() && self.n > 0 {
            let parent = self.schema.tables[fk.ref_table].display_name();
            return Err(self.unsatisfiable(fk.columns[0], format!("foreign key {}", fk.name), format!("`{parent}` gets no rows to point at"), format!("give `{parent}` at least one row")));
        }
        let mut rng = self.rng(&format!("#fk:{}", fk.name));
        if let Some(Rule::OnePerId(_)) = fk.columns.first().and_then(|c| self.tp.rules.get(c)) {
            return Ok(keys.into_iter().cycle().take(self.n).collect());
        }
        if self.t.is_unique_set(&fk.columns) {
            // 1:1 — each parent at most once.
            if self.n > keys.len() {
                return Err(self.unsatisfiable(
                    fk.columns[0],
                    format!("unique key on {}", fk_names(self.t, k)),
                    format!("{} rows need distinct targets but only {} exist", self.n, keys.len()),
                    "seed fewer rows or more of the referenced table",
                ));
            }
            let mut keys = keys;
            keys.shuffle(&mut rng);
            keys.truncate(self.n);
            return Ok(keys);
        }
        if let Some(key) = self.t.link_keys(k).into_iter().next() {
            return self.pick_linked(k, &key, keys, &mut rng);
        }
        Ok((0..self.n).map(|_| keys[rng.random_range(0..keys.len())].clone()).collect())
    }

    /// Parents for one side of a junction's key (`playlist_id, track_id`):
    /// when the other side is already chosen, distinct parents within each
    /// of its values, so no pair repeats; otherwise spread evenly, so no
    /// value of this side needs more partners than the other side has.
    pub(super) fn pick_linked(&self, k: usize, key: &[usize], keys: Vec<Vec<Value>>, rng: &mut Pcg64) -> Result<Vec<Vec<Value>>> {
        let fk = &self.t.foreign_keys[k];
        let others: Vec<usize> = key.iter().copied().filter(|c| !fk.columns.contains(c)).collect();
        let filled: Option<Vec<&Vec<Value>>> = others.iter().map(|&c| self.columns[c].as_ref()).collect();
        let Some(filled) = filled else {
            let mut spread: Vec<usize> = (0..self.n).map(|i| i % keys.len()).collect();
            spread.shuffle(rng);
            return Ok(spread.into_iter().map(|p| keys[p].clone()).collect());
        };
        let mut taken: HashMap<String, HashSet<usize>> = HashMap::new();
        let mut out = Vec::with_capacity(self.n);
        for r in 0..self.n {
            let group = filled.iter().map(|v| v[r].key()).collect::<Vec<_>>().join("\u{1}");
            let used = taken.entry(group).or_default();
            if used.len() >= keys.len() {
                let names = others.iter().map(|&c| self.t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ");
                let parent = self.schema.tables[fk.ref_table].display_name();
                return Err(self.unsatisfiable(
                    fk.columns[0],
                    format!("the unique key on ({})", key.iter().map(|&c| self.t.columns[c].name.as_str()).collect::<Vec<_>>().join(", ")),
                    format!("more than {} rows share one `{names}`, but each pair may appear once and `{parent}` has only {} rows", keys.len(), keys.len()),
                    format!("ask for fewer rows per `{names}`, or seed more `{parent}`"),
                ));
            }
            // Random while the group is sparse; probing onwards always ends.
            let mut p = rng.random_range(0..keys.len());
            let mut tries = 0;
            while used.contains(&p) {
                tries += 1;
                p = if tries < 8 { rng.random_range(0..keys.len()) } else { (p + 1) % keys.len() };
            }
            used.insert(p);
            out.push(keys[p].clone());
        }
        Ok(out)
    }

    /// The first `roots` rows point at none (at themselves when the key is
    /// NOT NULL); the others are spread over them in order, between `min`
    /// and `max` under each.
    pub(super) fn tree_reference(&self, k: usize, nullable: bool, roots: usize, min: usize, max: usize) -> Vec<Vec<Value>> {
        let roots = roots.clamp(1, self.n.max(1));
        let children = self.n.saturating_sub(roots);
        // As even as the count allows, always within `min..=max` when the
        // plan sized the table for it.
        let (base, extra) = (children / roots, children % roots);
        let mut under: Vec<usize> = (0..roots).map(|r| (base + usize::from(r < extra)).clamp(min.min(max), max.max(min))).collect();
        let mut sum: usize = under.iter().sum();
        let mut r = 0;
        while sum < children {
            under[r % roots] += 1;
            sum += 1;
            r += 1;
        }
        let mut parents: Vec<Option<usize>> = (0..roots).map(|i| (!nullable).then_some(i)).collect();
        for (root, n) in under.iter().enumerate() {
            parents.extend(std::iter::repeat_n(Some(root), *n));
        }
        parents.truncate(self.n);
        self.own_keys(k, parents)
    }

    /// The key tuples of this table's own rows `targets` point at (none:
    /// NULL), for its foreign key `k` to itself.
    fn own_keys(&self, k: usize, targets: Vec<Option<usize>>) -> Vec<Vec<Value>> {
        let fk = &self.t.foreign_keys[k];
        targets
            .into_iter()
            .map(|target| {
                fk.ref_columns
                    .iter()
                    .map(|&rc| match (target, &self.columns[rc]) {
                        (Some(j), Some(values)) => values[j].clone(),
                        _ => Value::Null,
                    })
                    .collect()
            })
            .collect()
    }

    /// Rows point at earlier rows (a tree); the first row at none, or at
    /// itself when the key is NOT NULL.
    pub(super) fn self_reference(&self, k: usize, nullable: bool) -> Vec<Vec<Value>> {
        let fk = &self.t.foreign_keys[k];
        let mut rng = self.rng(&format!("#fk:{}", fk.name));
        let targets = (0..self.n)
            .map(|i| {
                if nullable && (i == 0 || rng.random_bool(0.2)) {
                    None
                } else if i == 0 {
                    Some(0)
                } else {
                    Some(rng.random_range(0..i))
                }
            })
            .collect();
        self.own_keys(k, targets)
    }
}
