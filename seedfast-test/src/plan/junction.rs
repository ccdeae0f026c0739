//! Many-to-many links: a junction table whose key is a foreign key to each
//! of two tables (`film_category (film_id, category_id)`) links them, so
//! `films across 16 categories` and `films with 3-8 actors per film` are
//! rows of the junction, one per linked pair.

use super::Rows;
use crate::schema::Schema;

/// `with actors` without a count: this many links per row, at most.
const DEFAULT_LINKS: (u64, u64) = (1, 3);

/// A table linking `subject` to another table; `to_subject` indexes its
/// foreign key to the subject, which drives its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Junction {
    pub table: usize,
    pub to_subject: usize,
}

/// The junction between two tables: one foreign key to each, the two
/// together unique (each pair once) or part of a unique key, and neither alone (else it is 1:1 or
/// one-to-many, not a link). The first such table in schema order wins.
pub(super) fn find(schema: &Schema, subject: usize, other: usize) -> Option<Junction> {
    if subject == other {
        return None;
    }
    schema.tables.iter().enumerate().find_map(|(i, t)| {
        if i == subject || i == other {
            return None;
        }
        let to_subject = t
            .foreign_keys
            .iter()
            .position(|fk| fk.ref_table == subject)?;
        let to_other = t.foreign_keys.iter().position(|fk| fk.ref_table == other)?;
        let (a, b) = (
            &t.foreign_keys[to_subject].columns,
            &t.foreign_keys[to_other].columns,
        );
        let pair: Vec<usize> = a.iter().chain(b).copied().collect();
        // `enrolments (student_id, course_id, term_id)` unique: a link that
        // may repeat per term is still a link; each pair once satisfies it.
        let in_a_key = t.plain_keys().iter().any(|key| pair.iter().all(|c| key.contains(c)));
        ((t.is_unique_set(&pair) || in_a_key) && !t.is_unique_set(a) && !t.is_unique_set(b)).then_some(Junction {
            table: i,
            to_subject,
        })
    })
}

/// Whether `table` is the junction between two of the tables it refers to.
pub(super) fn is_link(schema: &Schema, table: usize) -> bool {
    let t = &schema.tables[table];
    t.foreign_keys.iter().any(|a| t.foreign_keys.iter().any(|b| a.ref_table != b.ref_table && find(schema, a.ref_table, b.ref_table).is_some_and(|j| j.table == table)))
}

/// Links per subject row: the scope's count, or 1-3, never more than the
/// other side's rows when those are known (each pair appears once).
pub(super) fn links(j: Junction, count: Option<(u64, u64)>, other_rows: Option<u64>) -> Rows {
    let (min, max) = count.unwrap_or(DEFAULT_LINKS);
    let (min, max) = match (count, other_rows) {
        (None, Some(n)) => (min.min(n), max.min(n)),
        _ => (min, max),
    };
    Rows::PerParent {
        fk: j.to_subject,
        min,
        max,
    }
}
