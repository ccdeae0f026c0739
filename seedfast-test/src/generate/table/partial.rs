//! Partial unique indexes (`UNIQUE (rider_id) WHERE is_default`): the key
//! needs to be unique only among the rows the predicate selects. Keys that
//! the generator cannot choose freely (a rider's 1-3 cards all point at the
//! rider) keep their values; the duplicates leave the predicate instead
//! (at most one default card per rider).

use std::collections::HashSet;

use super::{TableGen, fold_key};
use crate::error::Result;
use crate::generate::Value;
use crate::schema::check::parse_check;
use crate::schema::{CheckExpr, CmpOp, Literal, Operand, SqlType, UniquePart};

/// A predicate the generator can make false for one row.
enum Predicate {
    /// `WHERE is_default`, `WHERE (is_default = true)`.
    Flag(usize),
    /// `WHERE (deleted_at IS NULL)`.
    Null(usize),
    /// `WHERE (status = 'active')`.
    Equals(usize, String),
}

impl TableGen<'_> {
    pub(super) fn partial_uniques(&mut self) -> Result<()> {
        for u in &self.t.uniques {
            let Some(text) = &u.predicate else { continue };
            let Some(predicate) = self.predicate(text) else { continue };
            let parts: Vec<(usize, Option<crate::schema::Fold>)> = u
                .parts
                .iter()
                .filter_map(|p| match p {
                    UniquePart::Column(c) => Some((*c, None)),
                    UniquePart::Folded { column, fold } => Some((*column, Some(*fold))),
                    UniquePart::Expression { .. } => None,
                })
                .collect();
            if parts.len() != u.parts.len() || parts.iter().any(|(c, _)| self.columns[*c].is_none()) {
                continue;
            }
            let mut seen: HashSet<String> = HashSet::new();
            let mut rng = self.rng(&format!("#partial:{}", u.name));
            for r in 0..self.n {
                if !self.selects(&predicate, r) {
                    continue;
                }
                let key: Vec<String> = parts.iter().map(|&(c, fold)| fold_key(&self.columns[c].as_ref().expect("checked")[r], fold)).collect();
                if key.iter().any(|k| k == &Value::Null.key()) || seen.insert(key.join("\u{1}")) {
                    continue;
                }
                // A state the scope asked for (`30% cancelled and the rest
                // active`) stays; the row takes a parent no selected row has
                // yet, when the key is a free reference.
                let asked = match &predicate {
                    Predicate::Flag(c) | Predicate::Null(c) | Predicate::Equals(c, _) => self.tp.rules.contains_key(c),
                };
                if asked
                    && let [(kc, fold)] = parts.as_slice()
                    && let Some(value) = self.unused_parent(*kc, *fold, &seen)
                {
                    seen.insert(fold_key(&value, *fold));
                    if let Some(column) = self.columns[*kc].as_mut() {
                        column[r] = value;
                    }
                    continue;
                }
                // A duplicate key: this row leaves the predicate.
                let (c, v) = match &predicate {
                    Predicate::Flag(c) => (*c, Value::Bool(false)),
                    Predicate::Null(c) => (*c, self.redraw(*c, r, &mut rng)?),
                    Predicate::Equals(c, value) => {
                        let Some(other) = self.specs[*c].allowed.iter().find(|a| *a != value).cloned() else { continue };
                        (*c, self.typed_text(*c, &other))
                    }
                };
                if let Some(column) = self.columns[c].as_mut() {
                    column[r] = v;
                }
            }
        }
        Ok(())
    }

    /// A key of the parent that reference column `c` points at, not yet
    /// among `seen`; `None` when `c` is no free single-column reference.
    fn unused_parent(&self, c: usize, fold: Option<crate::schema::Fold>, seen: &HashSet<String>) -> Option<Value> {
        let (k, fk) = self.t.foreign_keys.iter().enumerate().find(|(_, fk)| fk.columns == [c])?;
        if self.parents.as_ref().is_some_and(|(d, _)| *d == k) || fk.ref_table == self.tp.table || self.tp.rules.contains_key(&c) {
            return None;
        }
        let parent = self.generated(fk.ref_table)?;
        parent.column(fk.ref_columns[0]).iter().find(|v| !matches!(v, Value::Null) && !seen.contains(&fold_key(v, fold))).cloned()
    }

    fn predicate(&self, text: &str) -> Option<Predicate> {
        let bare = text.trim().trim_matches(|c| c == '(' || c == ')').trim().trim_matches('"');
        if let Some(c) = self.t.column(bare).filter(|&c| matches!(self.t.columns[c].ty.base(), SqlType::Bool)) {
            return Some(Predicate::Flag(c));
        }
        match parse_check(&format!("CHECK ({text})"))? {
            CheckExpr::IsNull { operand: Operand::Column(name), negated: false } => {
                let c = self.t.column(&name)?;
                (!self.t.columns[c].not_null).then_some(Predicate::Null(c))
            }
            CheckExpr::Cmp { left: Operand::Column(name), op: CmpOp::Eq, right: Operand::Literal(lit) } => {
                let c = self.t.column(&name)?;
                Some(match lit {
                    Literal::Bool(true) => Predicate::Flag(c),
                    Literal::Text(s) => Predicate::Equals(c, s),
                    _ => return None,
                })
            }
            _ => None,
        }
    }

    fn selects(&self, predicate: &Predicate, r: usize) -> bool {
        let cell = |c: usize| self.columns[c].as_ref().map(|v| &v[r]);
        match predicate {
            Predicate::Flag(c) => matches!(cell(*c), Some(Value::Bool(true))),
            Predicate::Null(c) => matches!(cell(*c), Some(Value::Null) | None),
            Predicate::Equals(c, value) => cell(*c).and_then(|v| v.to_pg_text()).is_some_and(|v| &v == value),
        }
    }
}
