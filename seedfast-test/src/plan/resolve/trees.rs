//! Rows of a table under other rows of the same table, through its own
//! foreign key: `one comment with 5 replies`, `2 supervisors with 5
//! operators reporting to each`, `a category with 4 subcategories`, `4
//! inspection orders, each followed up by a repair order`. The rows asked for
//! come first (the roots); their children follow, each pointing at one root.

use super::*;

/// Words that name rows of the same table under a row: `replies` to a
/// comment, `reports` of a manager.
const RELATIONS: &[&str] = &[
    "reply", "replies", "response", "responses", "answer", "answers", "report", "reports", "direct", "subordinate", "subordinates", "child", "children", "descendant", "descendants", "follow-up", "follow-ups", "followup", "followups", "referral", "referrals", "dependent", "dependents", "dependant", "dependants", "sub", "nested", "other",
];

impl Resolver<'_> {
    /// `with 5 replies` on a table that refers to itself: that many rows of
    /// the same table under each row asked for. `false` when the words name
    /// no rows of the same table.
    pub(super) fn self_children(&mut self, subject: usize, target: &Phrase, count: Option<(u64, u64)>) -> Result<bool> {
        let t = &self.schema.tables[subject];
        let own: Vec<usize> = (0..t.foreign_keys.len()).filter(|&k| t.foreign_keys[k].ref_table == subject && t.foreign_keys[k].columns.len() == 1).collect();
        if own.is_empty() {
            return Ok(false);
        }
        // `operators reporting`, `repair order`, `subcategories`, `other learners`.
        let mut words: Vec<String> = target.words.clone();
        while words.len() > 1 && words.last().is_some_and(|w| w.len() > 5 && w.ends_with("ing")) {
            words.pop();
        }
        let table_word = singular(&t.name.to_lowercase().replace('_', " ").split(' ').next_back().unwrap_or_default().to_string());
        let mut related = false;
        words = words
            .into_iter()
            .filter_map(|w| {
                if let Some(rest) = w.strip_prefix("sub").filter(|r| singular(r) == table_word || singular(r.trim_start_matches('-')) == table_word) {
                    related = true;
                    return Some(rest.trim_start_matches('-').to_string());
                }
                if RELATIONS.contains(&w.as_str()) {
                    related = true;
                    return None;
                }
                Some(w)
            })
            .collect();
        let phrase = Phrase { text: words.join(" "), words: words.clone(), span: target.span };
        let adjectives = if words.is_empty() {
            if !related {
                return Ok(false);
            }
            Vec::new()
        } else {
            match self.subject_table(&phrase) {
                Ok((table, adjectives)) if table == subject => adjectives,
                _ => return Ok(false),
            }
        };
        let parent_values: Vec<(usize, String)> = self
            .planned(subject)
            .map(|p| p.rules.iter().filter_map(|(&c, r)| match r {
                Rule::Mix(v) if v.len() == 1 => Some((c, v[0].clone())),
                _ => None,
            }).collect())
            .unwrap_or_default();
        // Several keys to itself (`manager_id`, `mentor_id`): the one the
        // words name (or the roots' role: `a supervisor supervising ...`),
        // else ask.
        let k = match own.as_slice() {
            [one] => *one,
            _ => {
                // `reporting to`, `direct reports`: a manager's or a
                // supervisor's key; otherwise the column's own word.
                let written = squash(&self.slice(target.span).to_lowercase());
                let reports = written.contains("report") || written.contains("subordinate");
                let named: Vec<usize> = own
                    .iter()
                    .copied()
                    .filter(|&k| {
                        let col = squash(t.columns[t.foreign_keys[k].columns[0]].name.trim_end_matches("_id"));
                        (col.len() >= 4 && written.contains(&col[..col.len().min(6)]))
                            || (reports && ["supervisor", "manager", "boss", "lead", "reportsto"].iter().any(|w| col.contains(w)))
                            || parent_values.iter().any(|(_, v)| squash(v) == col)
                    })
                    .collect();
                match named.as_slice() {
                    [one] => *one,
                    _ => {
                        let mut e = self.err(target.span, format!("which of `{}`'s references to itself do `{}` use?", t.display_name(), target.text));
                        e.expected = own.iter().map(|&k| format!("`{}`", t.columns[t.foreign_keys[k].columns[0]].name)).collect();
                        return Err(e.help("name the column's word, as in `with 3 reports by manager`").into());
                    }
                }
            }
        };
        let Some(Rows::Exactly(roots)) = self.planned(subject).map(|p| p.rows.clone()) else {
            return Err(self
                .err(target.span, format!("`{}` under rows of the same table need a count of those rows first", target.text))
                .help(format!("count the rows, as in `3 {} with {}`", t.name, target.text))
                .into());
        };
        let (min, max) = count.unwrap_or(DEFAULT_CHILDREN);
        let children = (roots * (min + max)).div_ceil(2);
        let total = roots + children;
        let column = t.foreign_keys[k].columns[0];
        let name = t.display_name();
        // The roots keep the values the subject was asked with; the children
        // take their own words' values, the rest of a closed set otherwise.
        let mut blocks: Vec<(usize, Vec<(Option<String>, u64)>)> = Vec::new();
        let child_values: Vec<(usize, String)> = adjectives.iter().filter_map(|(a, _)| a.counted()).collect();
        let mut named: Vec<(usize, String)> = Vec::new();
        for (c, v) in &parent_values {
            let child = child_values.iter().find(|(cc, _)| cc == c).map(|(_, v)| v.clone());
            if child.is_none() && allowed_values(t, *c).is_empty() && roots == 1 {
                // `a learner named Ana Torres who referred 6 other learners`:
                // the name is the root's alone.
                named.push((*c, v.clone()));
                continue;
            }
            if child.is_none() && allowed_values(t, *c).len() < 2 {
                continue;
            }
            blocks.push((*c, vec![(Some(v.clone()), roots), (child, children)]));
        }
        for (c, v) in &child_values {
            if !parent_values.iter().any(|(pc, _)| pc == c) {
                blocks.push((*c, vec![(None, roots), (Some(v.clone()), children)]));
            }
        }
        let plan = self.plan_mut(subject, Why::Requested);
        plan.rows = Rows::Exactly(total);
        plan.rules.insert(column, Rule::Tree { roots, min, max });
        for (c, b) in &blocks {
            plan.rules.insert(*c, Rule::Blocks(b.clone()));
        }
        for (c, v) in named {
            plan.rules.insert(c, Rule::NamedFirst(vec![v]));
        }
        for (c, b) in blocks {
            let values: Vec<String> = b.into_iter().filter_map(|(v, _)| v).collect();
            let links = self.state_links(subject, c, &values);
            let plan = self.plan_mut(subject, Why::Requested);
            plan.states.retain(|l| l.status != c);
            plan.states.extend(links);
        }
        let per = if min == max { format!("{min}") } else { format!("{min}-{max}") };
        self.bind(target.span, format!("{per} more {name} under each of the first {roots} through {name}.{} ({total} rows)", t.columns[column].name));
        self.count = Some(total);
        Ok(true)
    }
}
