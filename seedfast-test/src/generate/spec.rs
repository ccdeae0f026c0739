//! What one column's values must satisfy, gathered from its type, its
//! domain and the table's CHECKs and unique keys.

use super::realistic;
use crate::plan::allowed_values;
use crate::schema::check::Pattern;
use crate::schema::{CheckExpr, CmpOp, Fold, Literal, Operand, SqlType, Table, UniquePart};

#[derive(Debug, Clone, Default)]
pub struct Spec {
    /// Inclusive numeric bounds (strict bounds are tightened by the type's step).
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_len: Option<usize>,
    pub max_len: Option<usize>,
    /// A closed set of values (enum, IN list).
    pub allowed: Vec<String>,
    /// `this op other` for other columns of the row.
    pub relations: Vec<(CmpOp, usize)>,
    /// The column alone must be unique (primary key, UNIQUE, unique index).
    pub unique: Option<Option<Fold>>,
    /// CHECKs on this column we cannot decode: the server judges them.
    pub opaque_checks: Vec<String>,
    /// Patterns the text must match (`~ '^[0-9]{13}$'`, `LIKE 'SKU-%'`).
    pub patterns: Vec<Pattern>,
    /// Patterns the text must not match (`!~`, `NOT LIKE`).
    pub anti_patterns: Vec<Pattern>,
    /// `lower(x) = x`: the text must already be in that case.
    pub case: Option<Fold>,
    /// `extract(day FROM d) = 1`, `date_trunc('month', d) = d`: the time
    /// is a month's first day.
    pub first_day: bool,
}

/// Constraints between the columns of one row that no single column's spec
/// can carry.
#[derive(Debug, Clone, PartialEq)]
pub enum RowRule {
    /// Between `min` and `max` of `columns` are non-NULL
    /// (`num_nonnulls(a, b) = 1`, `(a IS NULL) <> (b IS NULL)`).
    NonNulls { constraint: String, columns: Vec<usize>, min: usize, max: usize },
    /// `a <> b`: the two values differ when both are set.
    Differ { constraint: String, a: usize, b: usize },
}

/// The row rules of a table's CHECKs (top-level conjuncts only: a rule
/// under an OR is the server's to judge).
pub fn row_rules(table: &Table) -> Vec<RowRule> {
    let mut out = Vec::new();
    for check in &table.checks {
        let Some(expr) = &check.expr else { continue };
        for conjunct in expr.conjuncts() {
            match conjunct {
                CheckExpr::NonNulls { columns, op, count } => {
                    let Some(cols) = columns.iter().map(|c| table.column(c)).collect::<Option<Vec<usize>>>() else { continue };
                    let n = cols.len() as f64;
                    let (min, max) = match op {
                        CmpOp::Eq => (*count, *count),
                        CmpOp::Ge => (*count, n),
                        CmpOp::Gt => (count + 1.0, n),
                        CmpOp::Le => (0.0, *count),
                        CmpOp::Lt => (0.0, count - 1.0),
                        CmpOp::Ne => continue,
                    };
                    let (min, max) = (min.max(0.0).ceil() as usize, max.min(n).floor().max(-1.0));
                    out.push(RowRule::NonNulls { constraint: check.name.clone(), columns: cols, min, max: if max < 0.0 { usize::MAX } else { max as usize } });
                }
                CheckExpr::NullsDiffer(a, b) => {
                    if let (Some(a), Some(b)) = (table.column(a), table.column(b)) {
                        out.push(RowRule::NonNulls { constraint: check.name.clone(), columns: vec![a, b], min: 1, max: 1 });
                    }
                }
                CheckExpr::Cmp { left: Operand::Column(a), op: CmpOp::Ne, right: Operand::Column(b) } => {
                    if let (Some(a), Some(b)) = (table.column(a), table.column(b)) {
                        out.push(RowRule::Differ { constraint: check.name.clone(), a, b });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Smallest step of a column's values, to turn `> 0` into `>= step`.
pub fn step(ty: &SqlType) -> f64 {
    match ty.base() {
        SqlType::Numeric { scale: Some(s), .. } => 10f64.powi(-(*s as i32)),
        SqlType::Numeric { .. } | SqlType::Float4 | SqlType::Float8 => 0.01,
        _ => 1.0,
    }
}

pub fn column_spec(table: &Table, col: usize) -> Spec {
    let column = &table.columns[col];
    let mut spec = Spec { allowed: allowed_values(table, col), ..Spec::default() };
    match column.ty.base() {
        SqlType::Varchar(Some(n)) => spec.max_len = Some(*n as usize),
        SqlType::Char(n) => {
            spec.max_len = Some(*n as usize);
            spec.min_len = Some(*n as usize);
        }
        SqlType::Int2 => {
            spec.min = Some(i16::MIN as f64);
            spec.max = Some(i16::MAX as f64);
        }
        SqlType::Int4 => {
            spec.min = Some(i32::MIN as f64);
            spec.max = Some(i32::MAX as f64);
        }
        SqlType::Numeric { precision: Some(p), scale } => {
            let s = scale.unwrap_or(0) as i32;
            let limit = 10f64.powi(*p as i32 - s) - 10f64.powi(-s);
            spec.min = Some(-limit);
            spec.max = Some(limit);
        }
        _ => {}
    }
    let step = step(&column.ty);

    let mut exprs: Vec<(&CheckExpr, &str, &str)> =
        table.checks.iter().filter_map(|c| c.expr.as_ref().map(|e| (e, column.name.as_str(), c.definition.as_str()))).collect();
    // Domain checks speak of VALUE.
    let mut ty = &column.ty;
    while let SqlType::Domain { checks, base, .. } = ty {
        exprs.extend(checks.iter().filter_map(|c| c.expr.as_ref().map(|e| (e, "VALUE", c.definition.as_str()))));
        ty = base;
    }
    for (expr, name, _) in &exprs {
        for conjunct in expr.conjuncts() {
            apply(&mut spec, table, conjunct, name, step);
        }
    }
    // Undecodable checks that mention this column.
    let mentions = |def: &str| def.contains(&column.name) || def.contains("VALUE");
    for c in table.checks.iter().filter(|c| c.expr.is_none() && c.definition.contains(&column.name)) {
        spec.opaque_checks.push(format!("{} ({})", c.name, c.definition));
    }
    let mut ty = &column.ty;
    while let SqlType::Domain { checks, base, .. } = ty {
        for c in checks.iter().filter(|c| c.expr.is_none() && mentions(&c.definition)) {
            spec.opaque_checks.push(format!("{} ({})", c.name, c.definition));
        }
        ty = base;
    }
    let name = column.name.to_lowercase();
    spec.first_day = spec.opaque_checks.iter().any(|check| {
        let check = check.to_lowercase().replace(['"', ' '], "");
        [format!("extract(dayfrom{name})=(1)"), format!("extract(dayfrom{name})=1"), format!("date_part('day'::text,{name})=(1)"), format!("date_trunc('month'::text,{name}")].iter().any(|p| check.contains(p.as_str()))
    });

    // A record's times follow its life (created, ordered, shipped,
    // delivered, updated), CHECK or not; a CHECK between the two wins.
    let timed = |ty: &SqlType| matches!(ty.base(), SqlType::Date | SqlType::Timestamp | SqlType::Timestamptz);
    if timed(&column.ty)
        && let Some((rank, _)) = realistic::time_rank(&column.name)
    {
        for (o, other) in table.columns.iter().enumerate() {
            let earlier = o != col && timed(&other.ty) && realistic::time_rank(&other.name).is_some_and(|(r, deadline)| r < rank && !deadline);
            let related = spec.relations.iter().any(|(_, x)| *x == o) || column_spec_mentions(table, o, col);
            if earlier && !related {
                spec.relations.push((CmpOp::Ge, o));
            }
        }
    }

    if table.primary_key == [col] {
        spec.unique = Some(None);
    }
    for u in &table.uniques {
        if u.parts.len() != 1 {
            continue;
        }
        match &u.parts[0] {
            UniquePart::Column(c) if *c == col => spec.unique = Some(spec.unique.flatten()),
            UniquePart::Folded { column: c, fold } if *c == col => spec.unique = Some(Some(*fold)),
            UniquePart::Expression { columns, .. } if columns == &[col] => spec.unique = Some(spec.unique.flatten()),
            _ => {}
        }
    }
    spec
}

/// Whether a CHECK relates column `a` to column `b` (so the name order
/// must not add the opposite relation and make a cycle).
fn column_spec_mentions(table: &Table, a: usize, b: usize) -> bool {
    let (a, b) = (&table.columns[a].name, &table.columns[b].name);
    table.checks.iter().filter_map(|c| c.expr.as_ref()).any(|e| {
        let cols = e.columns();
        cols.contains(a) && cols.contains(b)
    })
}

fn apply(spec: &mut Spec, table: &Table, expr: &CheckExpr, name: &str, step: f64) {
    match expr {
        CheckExpr::Cmp { left, op, right } => {
            // `lower(x) = x`: x is stored in lower case.
            if let (Operand::Folded(a, fold), CmpOp::Eq, Operand::Column(b)) | (Operand::Column(b), CmpOp::Eq, Operand::Folded(a, fold)) = (left, *op, right)
                && a == b
                && a == name
            {
                spec.case = Some(*fold);
                return;
            }
            let (operand, op, other) = match (left, right) {
                (o, Operand::Literal(_)) => (o, *op, right),
                (Operand::Literal(_), o) => (o, op.flip(), left),
                (Operand::Column(a), Operand::Column(b)) if a == name => {
                    if let Some(c) = table.column(b) {
                        spec.relations.push((*op, c));
                    }
                    return;
                }
                (Operand::Column(a), Operand::Column(b)) if b == name => {
                    if let Some(c) = table.column(a) {
                        spec.relations.push((op.flip(), c));
                    }
                    return;
                }
                _ => return,
            };
            let Operand::Literal(Literal::Number(n)) = other else { return };
            match operand {
                Operand::Column(c) if c == name => {
                    let n = *n;
                    match op {
                        CmpOp::Gt => tighten_min(&mut spec.min, n + step),
                        CmpOp::Ge => tighten_min(&mut spec.min, n),
                        CmpOp::Lt => tighten_max(&mut spec.max, n - step),
                        CmpOp::Le => tighten_max(&mut spec.max, n),
                        CmpOp::Eq => {
                            tighten_min(&mut spec.min, n);
                            tighten_max(&mut spec.max, n);
                        }
                        CmpOp::Ne => {}
                    }
                }
                Operand::Length(c) if c == name => {
                    let n = *n as usize;
                    match op {
                        CmpOp::Gt => spec.min_len = Some(spec.min_len.unwrap_or(0).max(n + 1)),
                        CmpOp::Ge => spec.min_len = Some(spec.min_len.unwrap_or(0).max(n)),
                        CmpOp::Lt => spec.max_len = Some(spec.max_len.unwrap_or(usize::MAX).min(n.saturating_sub(1))),
                        CmpOp::Le => spec.max_len = Some(spec.max_len.unwrap_or(usize::MAX).min(n)),
                        CmpOp::Eq => {
                            spec.min_len = Some(n);
                            spec.max_len = Some(n);
                        }
                        CmpOp::Ne => {}
                    }
                }
                _ => {}
            }
        }
        // `(x IS NULL) OR (x >= y)`: when set, x follows y.
        CheckExpr::Or(items) => {
            let null_guard = items.iter().any(|i| matches!(i, CheckExpr::IsNull { operand: Operand::Column(c), negated: false } if c == name));
            let rest: Vec<&CheckExpr> = items.iter().filter(|i| !matches!(i, CheckExpr::IsNull { negated: false, .. })).collect();
            // Only `x IS NULL OR <one condition on x>` narrows x; an OR of
            // several conditions is the server's to judge.
            if null_guard && rest.len() == 1 {
                apply(spec, table, rest[0], name, step);
            }
        }
        CheckExpr::Pattern { operand: Operand::Column(c) | Operand::Folded(c, _), pattern, negated } if c == name => {
            let mut pattern = pattern.clone();
            pattern.case_insensitive |= matches!(expr, CheckExpr::Pattern { operand: Operand::Folded(..), .. });
            if *negated { spec.anti_patterns.push(pattern) } else { spec.patterns.push(pattern) }
        }
        CheckExpr::Not(inner) => {
            if let CheckExpr::Pattern { operand: Operand::Column(c), pattern, negated: false } = &**inner
                && c == name
            {
                spec.anti_patterns.push(pattern.clone());
            }
        }
        _ => {}
    }
}

fn tighten_min(slot: &mut Option<f64>, v: f64) {
    *slot = Some(slot.map_or(v, |m| m.max(v)));
}

fn tighten_max(slot: &mut Option<f64>, v: f64) {
    *slot = Some(slot.map_or(v, |m| m.min(v)));
}
