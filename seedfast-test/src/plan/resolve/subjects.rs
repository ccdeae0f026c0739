//! Which tables a scope is about: several in one scope (`3 branches and 40
//! members`, `3 coaches and 2 trainers`), a parent after `of` (`reviews of
//! shows`), words before the table's name (values, states by their time),
//! and everyday words for tables named otherwise (`cars` for `vehicles`).

use super::*;

/// A word before a table's name and what it says about the rows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Adjective {
    /// `15 gold members`: a value of one of the table's columns.
    Value { col: usize, value: String },
    /// `25 overdue tasks`: due before now and not done yet.
    Overdue { due: usize },
    /// `30 returned rentals`: a state no column lists; its time is set.
    StateTime { col: usize },
    /// `15 expired home policies`: a value of the parent's column
    /// (`policy_types.line`), reached through the reference `fk_col`.
    Parent { fk_col: usize, value: Phrase },
    /// `12 expired stock batches`: the expiry date lies in the past.
    Expired { col: usize },
    /// `30 savings accounts`: the label of a row of the lookup table the
    /// reference `fk_col` leads to (`account_types`).
    ParentLabel { fk_col: usize, label: Phrase },
    /// `6 Italian restaurants`: a word for the table's one free-text
    /// category column (`cuisine`), kept as written.
    Category { col: usize, value: String },
    /// `50 anonymous downloads`: no one's (the reference to people unset).
    Unset { col: usize },
}

impl Adjective {
    /// The column and value a counted adjective adds rows of (`3 coaches
    /// and 2 trainers`).
    pub(super) fn counted(&self) -> Option<(usize, String)> {
        match self {
            Adjective::Value { col, value } | Adjective::Category { col, value } => Some((*col, value.clone())),
            _ => None,
        }
    }
}

/// Parts of a time column's name that say the work is done.
const DONE_WORDS: &[&str] = &["returned", "completed", "paid", "closed", "resolved", "done", "finished", "settled", "delivered", "submitted"];

impl Resolver<'_> {
    /// `free courses` (the price 0), `anonymous downloads` (no listener):
    /// everyday words for a value the schema spells otherwise.
    pub(super) fn everyday_adjective(&self, table: usize, word: &str) -> Option<Adjective> {
        let t = &self.schema.tables[table];
        match word {
            "free" => {
                let money: Vec<usize> = (0..t.columns.len()).filter(|&c| measures::is_money(t, c) && !t.columns[c].generated).collect();
                let col = measures::main_money(t, &money).or(match money.as_slice() {
                    [one] => Some(*one),
                    _ => None,
                })?;
                Some(Adjective::Value { col, value: "0".to_string() })
            }
            "anonymous" | "unattributed" | "guest" => {
                let people: Vec<usize> = t
                    .foreign_keys
                    .iter()
                    .filter(|fk| fk.columns.len() == 1 && !t.columns[fk.columns[0]].not_null && narrowing::is_people(&self.schema.tables[fk.ref_table]))
                    .map(|fk| fk.columns[0])
                    .collect();
                match people.as_slice() {
                    [one] => Some(Adjective::Unset { col: *one }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The time a row is due by: `due_date`, `due_at`, `next_due_on`.
    pub(super) fn due_column(&self, table: usize) -> Option<usize> {
        let t = &self.schema.tables[table];
        let due: Vec<usize> = (0..t.columns.len()).filter(|&c| is_time(t, c) && t.columns[c].name.to_lowercase().split('_').any(|p| p == "due" || p == "deadline")).collect();
        match due.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// `20 overdue loans`: due in the past two months, and not returned,
    /// paid or completed (those times unset, those flags false).
    fn overdue(&mut self, table: usize, due: usize, span: Span) -> Result<()> {
        let now = self.options.now;
        self.set_rule(table, due, Rule::Window { start: now - Duration::days(60), end: now - Duration::days(1) }, span)?;
        let t = &self.schema.tables[table];
        let done: Vec<(usize, bool)> = (0..t.columns.len())
            .filter(|&c| c != due && t.columns[c].name.to_lowercase().split('_').any(|p| DONE_WORDS.contains(&p) || DONE_WORDS.contains(&format!("{p}ed").as_str())))
            .filter_map(|c| match t.columns[c].ty.base() {
                SqlType::Bool => Some((c, true)),
                _ if is_time(t, c) && !t.columns[c].not_null => Some((c, false)),
                _ => None,
            })
            .collect();
        for (c, flag) in done {
            let rule = if flag { Rule::Mix(vec!["false".to_string()]) } else { Rule::Nulls { num: 1, den: 1 } };
            self.set_rule(table, c, rule, span)?;
        }
        // A status says it too: `overdue` itself, else the states of
        // something sent and not settled (never a draft or a void one).
        const OUTSTANDING: &[&str] = &["issued", "sent", "open", "unpaid", "outstanding", "pending", "due", "finalized", "finalised", "awaiting_payment", "borrowed", "checked_out", "on_loan", "active"];
        let status = (0..t.columns.len()).find_map(|c| {
            let allowed = allowed_values(t, c);
            if let Some(v) = allowed.iter().find(|v| ["overdue", "past_due", "late"].contains(&v.to_lowercase().as_str())) {
                return Some((c, vec![v.clone()]));
            }
            let open: Vec<String> = allowed.iter().filter(|v| OUTSTANDING.contains(&v.to_lowercase().as_str())).cloned().collect();
            (!open.is_empty() && t.columns[c].name.to_lowercase().contains("status")).then_some((c, open))
        });
        if let Some((c, values)) = status
            && !self.planned(table).is_some_and(|p| p.rules.contains_key(&c))
        {
            let name = format!("{}.{}", t.display_name(), t.columns[c].name);
            self.set_rule(table, c, Rule::Mix(values.clone()), span)?;
            self.bind(span, format!("{name} one of {}", values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")));
        }
        let name = self.schema.tables[table].display_name();
        self.bind(span, format!("{name} overdue: due before now, not done"));
        Ok(())
    }
    /// `3 branches and 40 customers`, `10 venues, twenty events`: counted
    /// rows that are no value of the subject but name a table of their own.
    /// `None` when any share is a value (`40 api keys, 5 revoked`).
    pub(super) fn further_subjects(&self, subject: usize, shares: &[Share]) -> Result<Option<Vec<(usize, u64, Vec<(Adjective, Span)>, Span)>>> {
        let mut found = Vec::new();
        for share in shares {
            // `2 branches and a dozen members, a quarter of them inactive`:
            // the shares after the last table are about it.
            let Portion::Rows(count) = share.portion else { break };
            // `10 of them with a promo code`: what some rows have, no table
            // of their own.
            let between = self.slice(Span::new(share.percent.span.end.min(share.value.span.start), share.value.span.start)).to_lowercase();
            // `3 of them retired`: a share of the rows just named.
            let counted = self.slice(Span::new(share.percent.span.start.min(share.value.span.start), share.value.span.start)).to_lowercase();
            if counted.split_whitespace().any(|w| ["them", "those", "these", "which", "whom"].contains(&w)) {
                return Ok(None);
            }
            if between.split_whitespace().any(|w| ["with", "have", "has", "having", "without"].contains(&w)) {
                return Ok(None);
            }
            let words = &share.value.words;
            // `40 staff, 5 trainers` is a share; after `3 coaches`, counted
            // by the same column, `2 trainers` are more rows.
            let value = self.value_column(subject, &words.join("_")).or_else(|| self.value_column(subject, &singular(&words.join("_"))));
            if value.is_some_and(|(col, _)| !self.counted_by(subject, col)) || words.first().is_some_and(|w| ["for", "on", "in", "out", "through", "via", "at", "by", "from", "not", "no", "with", "without"].contains(&w.as_str())) {
                return Ok(None);
            }
            // `8 Italian restaurants and 4 Thai ones`: `ones` is the table before.
            let named = match words.as_slice() {
                [head @ .., last] if !head.is_empty() && (last == "ones" || last == "one") => {
                    let table = found.last().map_or(subject, |f: &(usize, u64, Vec<(Adjective, Span)>, Span)| f.0);
                    let words: Vec<String> = head.iter().cloned().chain([self.schema.tables[table].name.to_lowercase()]).collect();
                    Phrase { text: words.join(" "), words, span: share.value.span }
                }
                _ => share.value.clone(),
            };
            let Ok((table, adjectives)) = self.subject_table(&named) else { return Ok(None) };
            found.push((table, count, adjectives, share.percent.span.to(share.value.span)));
        }
        Ok((!found.is_empty()).then_some(found))
    }

    /// `reviews of shows`, `inspections of approved permits`: a subject
    /// phrase that names no table whole, split at `of` into the table and
    /// the parent it belongs to.
    pub(super) fn subject_of(&self, phrase: &Phrase) -> Option<(usize, Vec<(Adjective, Span)>, Phrase)> {
        let k = phrase.words.iter().position(|w| w == "of").filter(|&k| k > 0 && k + 1 < phrase.words.len())?;
        let head = Phrase { words: phrase.words[..k].to_vec(), text: phrase.words[..k].join(" "), span: phrase.span };
        let target = Phrase { words: phrase.words[k + 1..].to_vec(), text: phrase.words[k + 1..].join(" "), span: phrase.span };
        let (table, adjectives) = self.subject_table(&head).ok()?;
        // The parent is named by the last word (`approved permits`).
        let t = &self.schema.tables[table];
        let stem = squash(&singular(target.words.last()?));
        let refers = t.foreign_keys.iter().any(|fk| fk.columns.len() == 1 && squash(&singular(&self.schema.tables[fk.ref_table].name)).ends_with(&stem))
            || t.columns.iter().any(|c| squash(&c.name) == format!("{stem}id"));
        refers.then_some((table, adjectives, target))
    }

    /// A word before the table's name: a value (`15 gold members`), a
    /// state whose time column is set (`30 returned rentals`), a value of
    /// the parent (`home policies`) or of a category (`Italian restaurants`).
    pub(super) fn adjective(&mut self, table: usize, adjective: Adjective, span: Span) -> Result<()> {
        let t = &self.schema.tables[table];
        let name = |col: usize| format!("{}.{}", t.display_name(), t.columns[col].name);
        match adjective {
            Adjective::Overdue { due } => self.overdue(table, due, span),
            Adjective::StateTime { col } => {
                let name = name(col);
                self.fill_column(table, col, Why::Mentioned);
                self.bind(span, format!("{name} is set"));
                Ok(())
            }
            Adjective::Value { col, value } | Adjective::Category { col, value } => {
                let name = name(col);
                self.fixed(table, col, value.clone(), span)?;
                self.bind(span, format!("{name} = '{value}'"));
                Ok(())
            }
            Adjective::Unset { col } => {
                let name = name(col);
                self.set_rule(table, col, Rule::Nulls { num: 1, den: 1 }, span)?;
                self.bind(span, format!("{name} is NULL"));
                Ok(())
            }
            Adjective::Expired { col } => {
                let name = name(col);
                let now = self.options.now;
                self.set_rule(table, col, Rule::Window { start: now - Duration::days(365), end: now - Duration::days(1) }, span)?;
                self.bind(span, format!("{name} in the past year, before today"));
                Ok(())
            }
            Adjective::ParentLabel { fk_col, label } => {
                let labels = [IdLiteral { text: label.text.clone(), span: label.span }];
                if !self.labelled_parents(table, fk_col, &labels, span)? {
                    return Err(self.err(label.span, format!("`{}` names no row of the table `{}` refers to", label.text, name(fk_col))).into());
                }
                Ok(())
            }
            Adjective::Parent { fk_col, value } => {
                if !self.parent_state(table, fk_col, &value, span)? {
                    return Err(self.err(value.span, format!("`{}` is no value of the parent of `{}`", value.text, name(fk_col))).into());
                }
                Ok(())
            }
        }
    }

    /// The table's one expiry time (`expires_on`, `expiry_date`) when the
    /// word says it has passed (`expired`, `lapsed`).
    pub(super) fn expiry_column(&self, table: usize, word: &str) -> Option<usize> {
        if !["expired", "lapsed", "outdated", "stale"].contains(&word) {
            return None;
        }
        let t = &self.schema.tables[table];
        let hits: Vec<usize> = (0..t.columns.len()).filter(|&c| is_time(t, c) && t.columns[c].name.to_lowercase().split('_').any(|p| p.starts_with("expir") || p == "expires")).collect();
        match hits.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// `home` in `home policies`: a value of a column of a table the
    /// subject refers to, found through the one reference that leads there.
    pub(super) fn parent_adjective(&self, table: usize, word: &str, span: Span) -> Option<Adjective> {
        let t = &self.schema.tables[table];
        let hits: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && fk.ref_table != table && self.value_column(fk.ref_table, word).is_some_and(|(c, _)| !matches!(self.schema.tables[fk.ref_table].columns[c].ty.base(), SqlType::Bool)))
            .map(|fk| fk.columns[0])
            .collect();
        let value = Phrase { words: vec![word.to_string()], text: word.to_string(), span };
        if let [fk_col] = hits.as_slice() {
            return Some(Adjective::Parent { fk_col: *fk_col, value });
        }
        // `savings accounts` over `account_types`: the label of a row of
        // the one lookup table the subject refers to.
        const LOOKUPS: &[&str] = &["type", "kind", "category", "class", "tier", "level", "plan"];
        let lookups: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && fk.ref_table != table)
            .filter(|fk| self.schema.tables[fk.ref_table].name.to_lowercase().rsplit('_').next().is_some_and(|last| LOOKUPS.contains(&singular(last).as_str())))
            .filter(|fk| label_column(&self.schema.tables[fk.ref_table]).is_some())
            .map(|fk| fk.columns[0])
            .collect();
        match lookups.as_slice() {
            [fk_col] => Some(Adjective::ParentLabel { fk_col: *fk_col, label: value }),
            _ => None,
        }
    }

    /// `UK-based companies`, `German customers`: the country, in the
    /// table's one country column (as its code when the column is narrow).
    pub(super) fn place_adjective(&self, table: usize, word: &str) -> Option<Adjective> {
        let country = super::super::places::country_of_adjective(word)?;
        let t = &self.schema.tables[table];
        let columns: Vec<usize> = (0..t.columns.len())
            .filter(|&c| matches!(t.columns[c].ty.base(), SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)) && allowed_values(t, c).is_empty())
            .filter(|&c| t.columns[c].name.to_lowercase().split('_').any(|p| p == "country"))
            .collect();
        let [col] = columns.as_slice() else { return None };
        let written: String = country.split(' ').map(|w| if w.len() <= 3 { w.to_uppercase() } else { w[..1].to_uppercase() + &w[1..] }).collect::<Vec<_>>().join(" ");
        let value = place_code(t, *col, &written).map_or(written, str::to_string);
        Some(Adjective::Category { col: *col, value })
    }

    /// `Italian` in `6 Italian restaurants`: the table's one free-text
    /// column named as a category (`cuisine`, `genre`, `carrier`), taking a
    /// capitalised word as written.
    pub(super) fn category_adjective(&self, table: usize, written: &str) -> Option<Adjective> {
        const CATEGORIES: &[&str] = &["cuisine", "category", "genre", "style", "brand", "make", "carrier", "industry", "sector", "breed", "species", "flavor", "flavour", "cuisine_type", "nationality", "language"];
        if !written.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        let t = &self.schema.tables[table];
        let free = |c: usize| matches!(t.columns[c].ty.base(), SqlType::Text | SqlType::Varchar(_)) && allowed_values(t, c).is_empty();
        let hits: Vec<usize> = (0..t.columns.len()).filter(|&c| free(c) && t.columns[c].name.to_lowercase().split('_').any(|p| CATEGORIES.contains(&p))).collect();
        match hits.as_slice() {
            [col] => Some(Adjective::Category { col: *col, value: written.to_string() }),
            _ => None,
        }
    }

    /// The nullable time column a state word names: `returned` is
    /// `returned_at`, `cancelled` is `cancelled_on`.
    pub(super) fn state_time_column(&self, table: usize, word: &str) -> Option<usize> {
        let t = &self.schema.tables[table];
        let stems = word_stems(word);
        let hits: Vec<usize> = (0..t.columns.len())
            .filter(|&c| is_time(t, c) && !t.columns[c].not_null && stems.iter().any(|st| st.len() >= 4 && squash(&t.columns[c].name).starts_with(st.as_str())))
            .collect();
        match hits.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// `cars` for `vehicles`, `fixtures` for `matches`, `staff` for
    /// `employees`: the everyday word for a table named otherwise, when
    /// exactly one table has a name of the word's group.
    pub(super) fn synonym_table(&self, phrase: &Phrase) -> Option<usize> {
        const GROUPS: &[&[&str]] = &[
            &["car", "vehicle", "auto"],
            &["fixture", "match", "game"],
            &["staff", "employee", "worker", "staffer"],
            &["client", "customer"],
            &["pupil", "student", "learner"],
            &["teacher", "instructor", "tutor"],
            &["doctor", "physician", "practitioner", "clinician"],
            &["flat", "apartment", "unit"],
            &["shop", "store"],
            &["item", "product"],
            &["talk", "session"],
            &["gig", "concert", "show"],
            &["bike", "bicycle"],
            &["kid", "child"],
            &["purchase", "order"],
            &["bill", "invoice"],
            &["job", "position", "vacancy", "role", "posting", "opening"],
            &["bag", "baggage", "luggage", "suitcase"],
            &["line", "subscription"],
            &["dish", "meal", "item"],
            &["case", "ticket"],
            &["trip", "ride", "journey"],
        ];
        // One word: the words before a table's name are its adjectives,
        // read by the caller (`oversized bags`).
        let [last] = phrase.words.as_slice() else { return None };
        let word = singular(last);
        let group = GROUPS.iter().find(|g| g.contains(&word.as_str()))?;
        let hits: Vec<usize> = (0..self.schema.tables.len())
            .filter(|&i| {
                let name = singular(&self.schema.tables[i].name.to_lowercase());
                group.iter().any(|w| *w != word && (name == *w || name.ends_with(&format!("_{w}"))))
            })
            .collect();
        match hits.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}
