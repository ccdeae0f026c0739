//! Words no clause reads, matched against the table's own vocabulary when
//! the clause readers have nothing: a flag the words spell (`opted in to
//! marketing emails` for `marketing_opt_in`, `don't auto-renew`,
//! `currently unavailable`), a time or a reference the verb names
//! (`deactivated` for `deactivated_at`, `assigned` for `assignee_id`), and
//! any of them denied (`not`, `don't`, `never`).

use super::*;

/// Words that colour a predicate without shaping it.
const FILLER: &[&str] = &["currently", "still", "now", "already", "yet", "ever", "really", "actually", "presently"];
/// Words that deny what follows.
const DENIALS: &[&str] = &["not", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "never", "no", "isn't", "aren't", "wasn't", "weren't", "won't", "haven't", "hasn't", "cannot", "can't"];
/// Words of boolean column names that only say it is a flag, or how
/// (`requires_refrigeration` is covered by `need refrigeration`).
const FLAG_PREFIXES: &[&str] = &["is", "has", "can", "allows", "allow", "should", "was", "did", "does", "requires", "require", "needs", "need", "supports", "accepts", "uses"];

impl Resolver<'_> {
    /// `that are currently unavailable`, `that don't auto-renew`, `who have
    /// been deactivated`: `true` when the words named a column of `subject`
    /// and a rule was set; `false` when they name nothing (the caller's
    /// error stands).
    pub(super) fn loose_value(&mut self, subject: usize, value: &Phrase, span: Span) -> Result<bool> {
        let (mut words, mut denied) = denials(&value.words);
        // `unresolved`: not resolved, when no flag is named that way.
        let undone = words.len() == 1 && words[0].starts_with("un") && words[0].len() > 5 && self.value_column(subject, words[0]).is_none();
        let stripped;
        if undone {
            stripped = words[0][2..].to_string();
            words[0] = stripped.as_str();
            denied = !denied;
        }
        if words.is_empty() {
            return Ok(false);
        }
        let t = &self.schema.tables[subject];
        // A value of some column, or a flag the words spell exactly.
        if let Some((col, v)) = self.value_column(subject, &words.join("_")) {
            let v = if denied { self.denied_value(subject, col, &v) } else { Some(v) };
            let Some(v) = v else { return Ok(false) };
            self.fixed(subject, col, v, span)?;
            return Ok(true);
        }
        if let Some(flag) = covered_flag(t, &words) {
            let v = if denied { "false" } else { "true" };
            self.set_rule(subject, flag, Rule::Mix(vec![v.to_string()]), span)?;
            return Ok(true);
        }
        // A time or a reference the verb names: set, or unset when denied.
        let verb = Phrase { words: words.iter().map(|w| w.to_string()).collect(), text: words.join(" "), span: value.span };
        let Some(col) = self.verb_column(subject, &verb) else {
            // `tickets checked in`: each has its row in `check_ins`.
            if !denied && let Some((child, fk)) = self.child_by_verb(subject, &words) {
                self.plan_mut(child, Why::Mentioned).rows = Rows::PerParent { fk, min: 1, max: 1 };
                return Ok(true);
            }
            return Ok(false);
        };
        if denied {
            self.set_rule(subject, col, Rule::Nulls { num: 1, den: 1 }, span)?;
        } else {
            self.fill_column(subject, col, Why::Requested);
            self.state_of_verb(subject, &verb, span)?;
        }
        Ok(true)
    }

    /// The nullable time or reference a verb names: `deactivated` for
    /// `deactivated_at`, `assigned` for `assignee_id`.
    pub(super) fn verb_column(&self, table: usize, verb: &Phrase) -> Option<usize> {
        let t = &self.schema.tables[table];
        let nullable = |c: usize| !t.columns[c].not_null;
        self.time_column_named(table, verb).ok().filter(|&c| nullable(c)).or_else(|| {
            // A nullable reference the verb starts: `assign...` for `assignee_id`.
            let verb = squash(verb.words.first()?);
            let refs: Vec<usize> = t
                .foreign_keys
                .iter()
                .filter(|fk| fk.columns.len() == 1 && nullable(fk.columns[0]))
                .map(|fk| fk.columns[0])
                .filter(|&c| {
                    let shared = common_prefix(&squash(&t.columns[c].name), &verb);
                    shared >= 5 || (shared >= 4 && shared + 3 >= verb.len())
                })
                .collect();
            match refs.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        })
    }

    /// The child table a verb names (`checked in` for `check_ins`, `paid`
    /// for `payments`): its one reference to `table`.
    fn child_by_verb(&self, table: usize, words: &[&str]) -> Option<(usize, usize)> {
        let [verb, rest @ ..] = words else { return None };
        let particle = rest.first().copied().unwrap_or("");
        let stems: Vec<String> = word_stems(verb).into_iter().filter(|s| s.len() >= 3).map(|s| format!("{s}{particle}")).collect();
        let hits: Vec<(usize, usize)> = (0..self.schema.tables.len())
            .filter(|&i| i != table)
            .filter_map(|i| {
                let t = &self.schema.tables[i];
                let fks: Vec<usize> = (0..t.foreign_keys.len()).filter(|&k| t.foreign_keys[k].ref_table == table).collect();
                let [fk] = fks.as_slice() else { return None };
                let name = squash(&singular(&t.name));
                stems.iter().any(|s| name == *s || name.starts_with(s.as_str()) && name.len() <= s.len() + 3).then_some((i, *fk))
            })
            .collect();
        match hits.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// `not cancelled`: a flag's other value, or every other value of a
    /// closed set (`None` when there is none).
    fn denied_value(&self, table: usize, col: usize, value: &str) -> Option<String> {
        let t = &self.schema.tables[table];
        if matches!(t.columns[col].ty.base(), SqlType::Bool) {
            return Some(if value == "true" { "false" } else { "true" }.to_string());
        }
        let others: Vec<String> = allowed_values(t, col).into_iter().filter(|v| v != value).collect();
        // One other value only: several would need a mix, which `fixed`
        // does not take; the caller's error then stands.
        match others.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// The one boolean column whose name the words cover: `opted in to
/// marketing emails` for `marketing_opt_in` (each part of the name, less
/// `is`/`has`, is a word or a word's stem).
pub(super) fn covered_flag(t: &Table, words: &[&str]) -> Option<usize> {
    // `auto-renew` is `auto` and `renew` to `auto_renews`.
    let words: Vec<&str> = words.iter().flat_map(|w| w.split('-')).filter(|w| !w.is_empty()).collect();
    let stems: Vec<String> = words.iter().flat_map(|w| word_stems(w)).chain(words.iter().map(|w| squash(w))).collect();
    let covered = |c: usize| {
        let parts: Vec<String> = t.columns[c].name.to_lowercase().split('_').filter(|p| !FLAG_PREFIXES.contains(p)).map(squash).collect();
        !parts.is_empty() && parts.iter().all(|p| stems.iter().any(|s| s == p || (p.len() >= 4 && s.starts_with(p.as_str())) || (s.len() >= 4 && p.starts_with(s.as_str()))))
    };
    let flags: Vec<usize> = (0..t.columns.len()).filter(|&c| matches!(t.columns[c].ty.base(), SqlType::Bool) && covered(c)).collect();
    match flags.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The words without filler, auxiliaries and denials, and whether they
/// were denied (`don't auto-renew`, `haven't been`, `out of stock`).
pub(super) fn denials(words: &[String]) -> (Vec<&str>, bool) {
    let mut words: Vec<&str> = words.iter().map(String::as_str).filter(|w| !FILLER.contains(w)).collect();
    let mut denied = false;
    while let Some(first) = words.first()
        && (DENIALS.contains(first) || ["have", "has", "had", "been", "be", "do", "does", "did", "is", "are", "was", "were"].contains(first))
    {
        denied ^= DENIALS.contains(first);
        words.remove(0);
    }
    denied ^= out_of(&mut words);
    (words, denied)
}

/// `out of stock` is not `in stock`: rewrites the words, true when it did.
fn out_of(words: &mut Vec<&str>) -> bool {
    if words.len() >= 3 && words[0] == "out" && words[1] == "of" {
        words.splice(0..2, ["in"]);
        return true;
    }
    false
}

/// `cash` in `cash offers` for `is_cash_buyer`: the one flag with the word
/// in its name.
pub(super) fn flag_with_word(t: &Table, word: &str) -> Option<usize> {
    let w = squash(&singular(word));
    let flags: Vec<usize> = (0..t.columns.len())
        .filter(|&c| matches!(t.columns[c].ty.base(), SqlType::Bool) && w.len() >= 3 && t.columns[c].name.to_lowercase().split('_').any(|p| squash(&singular(p)) == w))
        .collect();
    match flags.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A share's words that deny a flag the rest names: `never opted in`.
pub(super) fn loose_flag(t: &Table, words: &[String]) -> Option<(usize, String)> {
    let (words, denied) = denials(words);
    let flag = covered_flag(t, &words)?;
    Some((flag, if denied { "false" } else { "true" }.to_string()))
}
