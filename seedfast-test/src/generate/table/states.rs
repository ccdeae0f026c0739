//! Row states with a time of their own: a `completed` enrolment has its
//! `completed_at`, a `pending` booking has no `checked_in_at` yet. Applied
//! after every column has values and before the per-row relations
//! (`delivered_at > shipped_at`) are put in order.

use super::*;

impl TableGen<'_> {
    pub(super) fn states(&mut self) {
        for link in &self.tp.states {
            let Some(statuses) = self.columns[link.status].clone() else { continue };
            let rank = |v: &str| link.order.iter().position(|o| o == v);
            let Some(own) = rank(&link.value) else { continue };
            let mut rng = self.rng(&format!("#state:{}", self.t.columns[link.time].name));
            let (start, end) = self.window;
            let mut filled = Vec::with_capacity(self.n);
            for status in &statuses {
                let state = match status {
                    Value::Text(s) => rank(s),
                    _ => None,
                };
                // Drawn for every row, used or not, so one row's state does
                // not shift the times of the rows after it.
                let when = realistic::instant(&mut rng, start, end);
                filled.push(match state {
                    Some(r) if r == own => Some(Some(when)),
                    Some(r) if r < own => Some(None),
                    _ => None,
                });
            }
            let Some(times) = self.columns[link.time].as_mut() else { continue };
            for (row, change) in filled.into_iter().enumerate() {
                match change {
                    Some(Some(when)) if times[row] == Value::Null => times[row] = Value::Timestamptz(when),
                    Some(None) => times[row] = Value::Null,
                    _ => {}
                }
            }
            retype_times(times, self.t.columns[link.time].ty.base());
        }
    }

    /// What the CHECKs tie between a status and a column, kept on every
    /// row: a `done` issue has its `completed_at`, an open one has none.
    pub(super) fn state_rules(&mut self) {
        for rule in &self.tp.state_rules {
            let Some(statuses) = self.columns[rule.status].clone() else { continue };
            let is_time = matches!(self.t.columns[rule.column].ty.base(), SqlType::Timestamptz | SqlType::Timestamp | SqlType::Date);
            let mut rng = self.rng(&format!("#state-check:{}", self.t.columns[rule.column].name));
            let (start, end) = self.window;
            let Some(values) = self.columns[rule.column].as_mut() else { continue };
            for (row, status) in statuses.iter().enumerate() {
                // Drawn for every row so one row does not shift the next.
                let when = realistic::instant(&mut rng, start, end);
                let Value::Text(state) = status else { continue };
                if !rule.allowed.contains(state) {
                    values[row] = Value::Null;
                } else if rule.set.contains(state) && values[row] == Value::Null && is_time {
                    values[row] = Value::Timestamptz(when);
                }
            }
            retype_times(values, self.t.columns[rule.column].ty.base());
        }
    }
}

/// Times are drawn as `timestamptz`; a `timestamp` or `date` column keeps
/// its own type.
fn retype_times(values: &mut [Value], ty: &SqlType) {
    if matches!(ty, SqlType::Timestamptz) {
        return;
    }
    for v in values.iter_mut() {
        if let Value::Timestamptz(t) = v {
            *v = match ty {
                SqlType::Timestamp => Value::Timestamp(t.naive_utc()),
                SqlType::Date => Value::Date(t.date_naive()),
                _ => Value::Timestamptz(*t),
            };
        }
    }
}
