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
        // `a guest named Maria Lopez` over first and last name columns.
        if let (Some((first, last)), [one]) = (person_name_columns(p), names.as_slice())
            && let Some((given, family)) = one.split_once(' ')
        {
            let by = t.display_name();
            if self.planned(parent).is_none() {
                self.plan_mut(parent, Why::Required { by }).rows = Rows::Exactly(1);
            }
            self.set_rule(parent, first, Rule::NamedFirst(vec![given.to_string()]), span)?;
            self.set_rule(parent, last, Rule::NamedFirst(vec![family.trim().to_string()]), span)?;
            self.set_rule(table, column, Rule::ParentIs { column: last, value: family.trim().to_string() }, span)?;
            return Ok(true);
        }
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
            Some(true) => {
                // `from JFK to LHR`: a second reference to the same table
                // names another row of it.
                let plan = self.plan_mut(parent, Why::Mentioned);
                if let Some(Rule::NamedFirst(listed)) = plan.rules.get_mut(&label) {
                    for name in &names {
                        if !listed.contains(name) {
                            listed.push(name.clone());
                        }
                    }
                    let n = listed.len() as u64;
                    if let Rows::Exactly(rows) = plan.rows {
                        plan.rows = Rows::Exactly(rows.max(n));
                    }
                }
            }
        }
        if let [one] = names.as_slice() {
            self.set_rule(table, column, Rule::ParentIs { column: label, value: one.clone() }, span)?;
        }
        Ok(true)
    }

    /// `for Tom Becker`, `assigned to Priya Shah`: a person named alone.
    /// The subject's one foreign key to a table of people or, among several,
    /// the one the verb names (`assigned` for `assignee_id`).
    pub(super) fn person_parent(&self, subject: usize, verb: &str, span: Span) -> Result<(usize, usize)> {
        let t = &self.schema.tables[subject];
        // `working at Riverside Family Dental`: a name with an
        // organisation's word, or after `at`, is a place's, not a person's.
        let name = self.slice(span).to_string();
        let before = self.slice(Span::new(0, span.start)).trim_end().to_lowercase();
        let place_like = before.ends_with(" at") || name.split_whitespace().count() > 3 || name.split_whitespace().any(|w| ORGANISATIONS.contains(&w.trim_end_matches('.').to_lowercase().as_str()));
        let places: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && fk.ref_table != subject && !is_people(&self.schema.tables[fk.ref_table]) && label_column(&self.schema.tables[fk.ref_table]).is_some())
            .map(|fk| fk.columns[0])
            .collect();
        if place_like && let [one] = places.as_slice() {
            return Ok((subject, *one));
        }
        let people: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && is_people(&self.schema.tables[fk.ref_table]))
            .map(|fk| fk.columns[0])
            .collect();
        // `sent` for `sender_id`, `assigned` for `assignee_id`: the longest
        // shared start, three letters at least.
        let verb = squash(verb);
        let shared = |c: usize| common_prefix(&squash(&t.columns[c].name), &verb);
        let best = people.iter().map(|&c| shared(c)).max().unwrap_or(0);
        let by_verb: Vec<usize> = people.iter().copied().filter(|&c| best >= 3 && shared(c) == best).collect();
        // `assigned to Omar Haddad` with a customer and a technician: work
        // is assigned to the people who do it.
        const WORKERS: &[&str] = &["technician", "agent", "assignee", "staff", "employee", "courier", "driver", "adjuster", "recruiter", "instructor", "teacher", "engineer", "owner", "worker", "nurse", "doctor", "mechanic", "rep", "manager"];
        let workers: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&c| {
                let fk = t.foreign_keys.iter().find(|fk| fk.columns == [c]).expect("a reference");
                let names = [t.columns[c].name.to_lowercase(), self.schema.tables[fk.ref_table].name.to_lowercase()];
                names.iter().any(|n| n.split('_').any(|p| WORKERS.contains(&singular(p).as_str())))
            })
            .collect();
        let assigning = ["assigned", "allocated", "given", "handled", "owned", "dispatched"].contains(&verb.as_str());
        match (by_verb.as_slice(), people.as_slice(), workers.as_slice()) {
            ([one], _, _) | (_, [one], _) => Ok((subject, *one)),
            (_, _, [one]) if assigning => Ok((subject, *one)),
            _ => {
                let mut e = self.err(span, format!("which person of `{}` is `{}`?", t.display_name(), self.slice(span)));
                e.expected = people.iter().map(|&c| format!("`{}`", t.columns[c].name)).collect();
                let help = if people.is_empty() {
                    format!("no column of `{}` refers to a table of people; name the table, as in `for the customer named ...`", t.display_name())
                } else {
                    "name the person's table, as in `for the customer named ...`".to_string()
                };
                Err(e.help(help).into())
            }
        }
    }

    /// A table's own `..._name` column for the people it is for
    /// (`couple_name`, `client_name`), when no reference leads to people.
    pub(super) fn own_name_column(&self, table: usize) -> Option<usize> {
        let t = &self.schema.tables[table];
        if t.foreign_keys.iter().any(|fk| is_people(&self.schema.tables[fk.ref_table])) {
            return None;
        }
        // `couple_name`, `client_name`: a name of people, not `venue_name`.
        let of_people = |name: &str| name.strip_suffix("_name").is_some_and(|head| head.split('_').any(|p| PEOPLE.contains(&singular(p).as_str()) || ["couple", "family", "household", "full", "contact"].contains(&p)));
        let names: Vec<usize> = (0..t.columns.len())
            .filter(|&c| of_people(&t.columns[c].name.to_lowercase()) && matches!(t.columns[c].ty.base(), SqlType::Text | SqlType::Varchar(_)) && allowed_values(t, c).is_empty())
            .collect();
        match names.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// `to completed campaigns`, read first as a purpose: when the words
    /// after `to` name a table the rows refer to (with states of it before
    /// its name), the reference, set on every row.
    pub(super) fn purpose_as_reference(&mut self, subject: usize, span: Span) -> Result<Option<(usize, usize, Span)>> {
        let text = self.slice(span).to_string();
        let Some(rest) = text.strip_prefix("to ").or_else(|| text.strip_prefix("To ")) else { return Ok(None) };
        // `to LHR`: a code of a row the rows go to.
        let code = Phrase { words: vec![rest.trim().to_lowercase()], text: rest.trim().to_string(), span };
        if self.directional_code(subject, &code, "to", span)? {
            return Ok(None);
        }
        let words: Vec<String> = rest.split_whitespace().map(|w| w.to_lowercase()).filter(|w| !["the", "a", "an"].contains(&w.as_str())).collect();
        if words.is_empty() || words.len() > 4 {
            return Ok(None);
        }
        let start = span.start + text.len() - rest.len();
        let target = Phrase { text: words.join(" "), words, span: Span::new(start, span.end) };
        let found = match self.reference_column(subject, &target) {
            Ok(found) => Some(found),
            Err(_) => self.narrowed_reference(subject, &target, span)?,
        };
        let Some((table, column)) = found else { return Ok(None) };
        self.referenced_by_every_row(table, column, span)?;
        Ok(Some((table, column, target.span)))
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

    /// `flights from JFK to LHR`: a code after `from` or `to` names a row of
    /// a table the rows refer to, the reference chosen by the direction its
    /// name says (`origin_airport_id`, `destination_airport_id`) when there
    /// are several.
    pub(super) fn directional_code(&mut self, subject: usize, code: &Phrase, preposition: &str, span: Span) -> Result<bool> {
        let text = code.text.trim();
        if text.contains(' ') || !text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) || text.len() < 2 {
            return Ok(false);
        }
        const FROM: &[&str] = &["origin", "from", "departure", "source", "pickup", "sender", "start", "src"];
        const TO: &[&str] = &["destination", "dest", "to", "arrival", "target", "recipient", "dropoff", "end", "dst"];
        let words = if preposition == "from" { FROM } else { TO };
        let t = &self.schema.tables[subject];
        let coded: Vec<usize> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && names_column(&self.schema.tables[fk.ref_table], &[text.to_string()]).is_some())
            .map(|fk| fk.columns[0])
            .collect();
        let directed: Vec<usize> = coded.iter().copied().filter(|&c| t.columns[c].name.to_lowercase().split('_').any(|p| words.contains(&p))).collect();
        let column = match (directed.as_slice(), coded.as_slice()) {
            ([one], _) | (_, [one]) => *one,
            _ => return Ok(false),
        };
        let labels = [IdLiteral { text: text.to_string(), span: code.span }];
        self.labelled_parents(subject, column, &labels, span)
    }

    /// `tracks featuring the artist Luna Park`, `issues labelled "frontend"`:
    /// a parent by its label, linked through a junction. The parent row
    /// gets the label, and each row of the subject one link to it. `false`
    /// when no junction links the two.
    pub(super) fn labelled_through_junction(&mut self, subject: usize, target: &Phrase, labels: &[IdLiteral], span: Span) -> Result<bool> {
        let [label] = labels else { return Ok(false) };
        let Some(parent) = self.find_table(target)? else { return Ok(false) };
        // A direct reference is no link.
        if self.schema.tables[subject].foreign_keys.iter().any(|fk| fk.ref_table == parent) {
            return Ok(false);
        }
        let Some(j) = super::super::junction::find(self.schema, subject, parent) else { return Ok(false) };
        let names = vec![label.text.clone()];
        let p = &self.schema.tables[parent];
        let Some(label_col) = names_column(p, &names) else { return Ok(false) };
        let jt = &self.schema.tables[j.table];
        let Some(to_parent) = jt.foreign_keys.iter().find(|fk| fk.ref_table == parent && fk.columns.len() == 1).map(|fk| fk.columns[0]) else { return Ok(false) };
        if self.planned(parent).is_none() {
            let by = jt.display_name();
            self.plan_mut(parent, Why::Required { by }).rows = Rows::Exactly(1);
        }
        if !self.planned(parent).is_some_and(|pl| pl.rules.contains_key(&label_col)) {
            self.set_rule(parent, label_col, Rule::NamedFirst(names), span)?;
        }
        self.plan_mut(j.table, Why::Mentioned).rows = super::super::junction::links(j, Some((1, 1)), None);
        self.set_rule(j.table, to_parent, Rule::ParentIs { column: label_col, value: label.text.clone() }, span)?;
        // `featuring`: the link's role, when one of its values says so.
        let verb = self.slice(span).split_whitespace().next().unwrap_or("").to_lowercase();
        let stems: Vec<String> = word_stems(&verb).into_iter().filter(|s| s.len() >= 5).collect();
        let jt = &self.schema.tables[j.table];
        let role = (0..jt.columns.len()).find_map(|c| allowed_values(jt, c).into_iter().find(|v| stems.iter().any(|s| squash(v).starts_with(s.as_str()))).map(|v| (c, v)));
        if let Some((col, value)) = role {
            self.set_rule(j.table, col, Rule::Mix(vec![value]), span)?;
        }
        Ok(true)
    }

    /// `refunds for cancelled events` where refunds point at orders and
    /// orders at events: the one table between them is planned, its rows
    /// pointing only at parents in that state. The subject's reference to
    /// it, or `None` when no single path of two references leads there.
    fn narrowed_through(&mut self, subject: usize, states: &[String], tail: &Phrase, span: Span) -> Result<Option<(usize, usize)>> {
        let Some(target) = self.find_table(tail)? else { return Ok(None) };
        let t = &self.schema.tables[subject];
        let paths: Vec<(usize, usize, usize)> = t
            .foreign_keys
            .iter()
            .filter(|fk| fk.columns.len() == 1 && fk.ref_table != subject && fk.ref_table != target)
            .filter_map(|fk| {
                let mid = &self.schema.tables[fk.ref_table];
                let onward: Vec<usize> = mid.foreign_keys.iter().filter(|m| m.columns.len() == 1 && m.ref_table == target).map(|m| m.columns[0]).collect();
                match onward.as_slice() {
                    [one] => Some((fk.columns[0], fk.ref_table, *one)),
                    _ => None,
                }
            })
            .collect();
        let [(column, mid, mid_column)] = paths.as_slice() else { return Ok(None) };
        let (column, mid, mid_column) = (*column, *mid, *mid_column);
        let mut wanted = Vec::new();
        for word in states {
            let Some(found) = self.value_column(target, word) else { return Ok(None) };
            wanted.push(found);
        }
        let Some((pcol, value)) = wanted.first().cloned() else { return Ok(None) };
        let by = self.schema.tables[subject].display_name();
        if self.planned(mid).is_none() {
            self.plan_mut(mid, Why::Required { by: by.clone() }).rows = Rows::Exactly(REQUIRED_PARENT_ROWS);
        }
        if self.planned(target).is_none() {
            let by = self.schema.tables[mid].display_name();
            self.plan_mut(target, Why::Required { by }).rows = Rows::Exactly(REQUIRED_PARENT_ROWS);
            for (c, v) in &wanted {
                self.set_rule(target, *c, Rule::Mix(vec![v.clone()]), span)?;
            }
        }
        self.set_rule(mid, mid_column, Rule::ParentIs { column: pcol, value }, span)?;
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
            let Ok((table, column)) = self.reference_column(subject, &tail) else {
                // `refunds for cancelled events`, through `orders`.
                if let Some(found) = self.narrowed_through(subject, &target.words[..n], &tail, span)? {
                    return Ok(Some(found));
                }
                continue;
            };
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

/// First and last name columns, when the table has both.
pub(super) fn person_name_columns(t: &Table) -> Option<(usize, usize)> {
    let first = t.columns.iter().position(|c| ["first_name", "firstname", "given_name", "forename"].contains(&c.name.to_lowercase().as_str()))?;
    let last = t.columns.iter().position(|c| ["last_name", "lastname", "surname", "family_name"].contains(&c.name.to_lowercase().as_str()))?;
    Some((first, last))
}

/// Words in the names of tables of people.
/// Words of organisations' and places' names (`Riverside Family Dental`,
/// `Bloom & Co`, `North Yard`).
const ORGANISATIONS: &[&str] = &["inc", "ltd", "llc", "co", "corp", "company", "group", "gmbh", "plc", "dental", "clinic", "hospital", "health", "medical", "centre", "center", "studio", "studios", "labs", "lab", "bank", "school", "academy", "university", "college", "cafe", "restaurant", "bakery", "hotel", "inn", "garage", "farm", "farms", "yard", "depot", "warehouse", "market", "store", "shop", "foods", "motors", "logistics", "partners", "associates", "services", "solutions", "systems", "industries", "works", "park", "plaza", "hall", "house", "library", "gym", "fitness", "church", "foundation", "trust", "club", "team", "press", "media", "records", "airport", "station", "hub", "office", "tower", "building", "mall", "court", "street", "road", "avenue"];

pub(super) const PEOPLE: &[&str] = &["employee", "user", "customer", "contact", "member", "person", "people", "staff", "student", "patient", "owner", "author", "speaker", "attendee", "instructor", "teacher", "driver", "rider", "player", "guest", "client", "doctor", "agent", "buyer", "subscriber", "applicant", "candidate", "tenant", "passenger", "volunteer", "worker", "manager", "admin", "account", "profile", "adjuster", "recruiter", "courier", "artist", "sender", "recipient", "seller", "vendor", "host", "listener", "reader", "learner", "viewer", "participant", "borrower", "requester", "reporter", "reviewer", "shopper", "visitor", "traveler", "traveller", "resident", "learner", "athlete", "clinician", "physician", "nurse", "dentist", "therapist", "lawyer", "attorney", "consultant", "freelancer", "contractor", "technician", "operator", "pilot", "coach", "trainer", "mentor", "parent", "child", "follower", "fan", "donor", "sponsor", "organizer", "organiser", "lead", "prospect"];

/// A table of people: person name columns, or a name that says so.
pub(super) fn is_people(t: &Table) -> bool {
    // By whole words: `membership_plans` is no table of members.
    person_name_columns(t).is_some() || t.name.to_lowercase().split('_').any(|part| PEOPLE.contains(&singular(part).as_str()) || PEOPLE.contains(&part))
}
