//! What one column's values must satisfy, gathered from its type, its
//! domain and the table's CHECKs and unique keys.

use crate::plan::allowed_values;
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
    /// CHECKs on this column we cannot decode: only NULL is sure to pass.
    pub opaque_checks: Vec<String>,
}

/// Smallest step of a column's values, to turn `> 0` into `>= step`.
fn step(ty: &SqlType) -> f64 {
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

    // A row is updated after it is created, CHECK or not.
    if matches!(column.name.as_str(), "updated_at" | "modified_at")
        && let Some(created) = table.column("created_at")
        && !spec.relations.iter().any(|(_, o)| *o == created)
    {
        spec.relations.push((CmpOp::Ge, created));
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

fn apply(spec: &mut Spec, table: &Table, expr: &CheckExpr, name: &str, step: f64) {
    match expr {
        CheckExpr::Cmp { left, op, right } => {
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
            if null_guard {
                for i in items {
                    if let CheckExpr::Cmp { .. } = i {
                        apply(spec, table, i, name, step);
                    }
                }
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
