//! References narrowed by the rows they point at: parents in a state
//! (`refunds for failed payments`, `goals scored by forwards`, `reviews of
//! shows that have ended`) and parents named by their label (`classes at the
//! Downtown location`).

use super::*;

impl Resolver<'_> {
    /// `classes at the Downtown location`, `from the Main Street and Harbour
    /// branches`: parents named by their label, not their key (an integer or
    /// UUID key, which the words cannot be). The parents take the names, and
    /// the rows refer to those parents only. `false` when the words could be
    /// keys, or the parent has nothing to hold a name.
    pub(super) fn labelled_parents(&mut self, table: usize, column: usize, labels: &[IdLiteral], span: Span) -> Result<bool> {
        let t = &self.schema.tables[table];
        let Some(fk) = t.foreign_keys.iter().find(|fk| fk.columns == [column]) else { return Ok(false) };
        let (parent, key) = (fk.ref_table, fk.ref_columns[0]);
        let p = &self.schema.tables[parent];
        let keyed_by_words = matches!(p.columns[key].ty.base(), SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_));
        let numbers = labels.iter().all(|l| l.text.parse::<i64>().is_ok() || uuid::Uuid::parse_str(&l.text).is_ok());
        if keyed_by_words || numbers {
            return Ok(false);
        }
        let names: Vec<String> = labels.iter().map(|l| l.text.clone()).collect();
        let Some(label) = names_column(p, &names) else { return Ok(false) };
        let by = t.display_name();
        match self.planned(parent).map(|pl| pl.rules.contains_key(&label)) {
            None => {
                self.plan_mut(parent, Why::Required { by }).rows = Rows::Exactly(names.len() as u64);
                self.set_rule(parent, label, Rule::NamedFirst(names.clone()), span)?;
            }
            Some(false) => {
                let plan = self.plan_mut(parent, Why::Mentioned);
                if let Rows::Exactly(n) = plan.rows {
                    plan.rows = Rows::Exactly(n.max(names.len() as u64));
                }
                self.set_rule(parent, label, Rule::NamedFirst(names.clone()), span)?;
            }
            Some(true) => {}
        }
        if let [one] = names.as_slice() {
            self.set_rule(table, column, Rule::ParentIs { column: label, value: one.clone() }, span)?;
        }
        Ok(true)
    }

    /// `that have ended` after `reviews of shows`: the parents' state. Only
    /// parents with `value` are referenced; `false` when no column of the
    /// parent holds it.
    pub(super) fn parent_state(&mut self, table: usize, column: usize, value: &Phrase, span: Span) -> Result<bool> {
        let t = &self.schema.tables[table];
        let Some(fk) = t.foreign_keys.iter().find(|fk| fk.columns == [column]) else { return Ok(false) };
        let parent = fk.ref_table;
        let Some((pcol, wanted)) = self.value_column(parent, &value.words.join("_")) else { return Ok(false) };
        if self.planned(parent).is_none() {
            self.plan_mut(parent, Why::Required { by: t.display_name() }).rows = Rows::Exactly(REQUIRED_PARENT_ROWS);
            self.set_rule(parent, pcol, Rule::Mix(vec![wanted.clone()]), span)?;
        }
        self.set_rule(table, column, Rule::ParentIs { column: pcol, value: wanted }, span)?;
        Ok(true)
    }

    /// `goals scored by forwards`: the parent named only by its state, a
    /// value of one column of the one referenced table that has it.
    pub(super) fn parent_by_value(&mut self, subject: usize, target: &Phrase, span: Span) -> Result<Option<(usize, usize)>> {
        let t = &self.schema.tables[subject];
        let words = target.words.join("_");
        let hits: Vec<(usize, usize, usize, String)> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1)
            .filter_map(|fk| {
                let parent = &self.schema.tables[fk.ref_table];
                (0..parent.columns.len()).find_map(|c| {
                    let allowed = allowed_values(parent, c);
                    let found = match_value(&words, &allowed).or_else(|| match_value(&singular(&words), &allowed)).cloned();
                    found.map(|v| (fk.columns[0], fk.ref_table, c, v))
                })
            })
            .collect();
        let [(column, parent, pcol, value)] = hits.as_slice() else { return Ok(None) };
        let (column, parent, pcol, value) = (*column, *parent, *pcol, value.clone());
        if self.planned(parent).is_none() {
            self.plan_mut(parent, Why::Required { by: t.display_name() }).rows = Rows::Exactly(REQUIRED_PARENT_ROWS);
            self.set_rule(parent, pcol, Rule::Mix(vec![value.clone()]), span)?;
        }
        self.set_rule(subject, column, Rule::ParentIs { column: pcol, value }, span)?;
        Ok(Some((subject, column)))
    }

    /// `in like-new condition`: a value, then the column it is of; `in
    /// advanced courses`: a state, then the parent that has it. `false` when
    /// the words are neither.
    pub(super) fn value_then_noun(&mut self, subject: usize, value: &Phrase, span: Span) -> Result<bool> {
        let [head @ .., noun] = value.words.as_slice() else { return Ok(false) };
        if head.is_empty() {
            return Ok(false);
        }
        let noun_phrase = Phrase { words: vec![noun.clone()], text: noun.clone(), span: value.span };
        if let Ok((table, col)) = self.column_near(subject, &noun_phrase) {
            let allowed = allowed_values(&self.schema.tables[table], col);
            if let Some(v) = match_value(&head.join("_"), &allowed).or_else(|| match_value(&head.join(" "), &allowed)) {
                let v = v.clone();
                self.fixed(table, col, v, span)?;
                return Ok(true);
            }
        }
        Ok(self.narrowed_reference(subject, value, span)?.is_some())
    }

    /// `refunds for failed payments`: the reference takes only parents with
    /// that value; a parent table not yet planned is planned with it.
    pub(super) fn narrowed_reference(&mut self, subject: usize, target: &Phrase, span: Span) -> Result<Option<(usize, usize)>> {
        for n in 1..target.words.len() {
            let tail = Phrase { words: target.words[n..].to_vec(), text: target.words[n..].join(" "), span: target.span };
            let Ok((table, column)) = self.reference_column(subject, &tail) else { continue };
            let t = &self.schema.tables[table];
            let Some(fk) = t.foreign_keys.iter().find(|fk| fk.columns == [column]) else { continue };
            let parent = fk.ref_table;
            let mut wanted = Vec::new();
            for word in &target.words[..n] {
                let Some((pcol, value)) = self.value_column(parent, word) else { return Ok(None) };
                wanted.push((pcol, value));
            }
            if self.planned(parent).is_none() {
                self.plan_mut(parent, Why::Required { by: t.display_name() }).rows = Rows::Exactly(REQUIRED_PARENT_ROWS);
                for (pcol, value) in &wanted {
                    self.set_rule(parent, *pcol, Rule::Mix(vec![value.clone()]), span)?;
                }
            }
            let (pcol, value) = wanted.swap_remove(0);
            self.set_rule(table, column, Rule::ParentIs { column: pcol, value }, span)?;
            return Ok(Some((table, column)));
        }
        Ok(None)
    }
}
