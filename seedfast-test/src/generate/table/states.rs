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
            let ty = self.t.columns[link.time].ty.base().clone();
            if !matches!(ty, SqlType::Timestamptz) {
                for v in times.iter_mut() {
                    if let Value::Timestamptz(t) = v {
                        *v = match ty {
                            SqlType::Timestamp => Value::Timestamp(t.naive_utc()),
                            SqlType::Date => Value::Date(t.date_naive()),
                            _ => Value::Timestamptz(*t),
                        };
                    }
                }
            }
        }
    }
}
