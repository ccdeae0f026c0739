//! What the database looks like after its migrations: tables, columns, keys
//! and constraints, read from `pg_catalog`. Everything later stages need to
//! honour the schema is here, already decoded (CHECKs included, see
//! [`check`]), so generation never talks to the server.

pub mod check;
mod introspect;

pub use check::{CheckExpr, CmpOp, Literal, Operand};
pub use introspect::introspect;

/// Every user table of one database, sorted by (schema, name).
#[derive(Debug, Clone)]
pub struct Schema {
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub schema: String,
    pub name: String,
    pub columns: Vec<Column>,
    /// Column indexes of the primary key, empty if there is none.
    pub primary_key: Vec<usize>,
    /// UNIQUE constraints and unique indexes other than the primary key.
    pub uniques: Vec<Unique>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    /// `EXCLUDE USING gist (...)` constraints.
    pub exclusions: Vec<Exclusion>,
    /// How a partitioned table (relkind `p`) routes rows to its partitions;
    /// the partitions themselves are not tables of the schema.
    pub partitioning: Option<Partitioning>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub ty: SqlType,
    /// `NOT NULL` on the column or on its domain.
    pub not_null: bool,
    pub default: Option<String>,
    pub identity: Option<Identity>,
    /// Owned sequence (serial or identity), as `pg_get_serial_sequence` names it.
    pub sequence: Option<String>,
    /// `GENERATED ALWAYS AS (...) STORED`: Postgres computes it, we never write it.
    pub generated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    Always,
    ByDefault,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SqlType {
    Int2,
    Int4,
    Int8,
    /// `numeric(p, s)`; both `None` for unconstrained `numeric`.
    Numeric { precision: Option<u32>, scale: Option<u32> },
    Float4,
    Float8,
    Text,
    Varchar(Option<u32>),
    Char(u32),
    Bool,
    Date,
    Timestamp,
    Timestamptz,
    Time,
    Uuid,
    Json,
    Jsonb,
    Bytea,
    Array(Box<SqlType>),
    Enum { name: String, labels: Vec<String> },
    Domain { name: String, base: Box<SqlType>, checks: Vec<Check> },
    /// Any other type, by name (`tsvector`, `int4range`, `bit(8)`,
    /// `public.hstore`): generate/types.rs has values for the built-in and
    /// common extension ones; composite and unknown types have none.
    Other(String),
}

impl SqlType {
    /// The type with domains unwrapped.
    pub fn base(&self) -> &SqlType {
        match self {
            SqlType::Domain { base, .. } => base.base(),
            other => other,
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self.base(), SqlType::Int2 | SqlType::Int4 | SqlType::Int8)
    }

    /// The SQL spelling, for messages.
    pub fn sql_name(&self) -> String {
        match self {
            SqlType::Int2 => "smallint".into(),
            SqlType::Int4 => "integer".into(),
            SqlType::Int8 => "bigint".into(),
            SqlType::Numeric { precision: Some(p), scale } => format!("numeric({p},{})", scale.unwrap_or(0)),
            SqlType::Numeric { .. } => "numeric".into(),
            SqlType::Float4 => "real".into(),
            SqlType::Float8 => "double precision".into(),
            SqlType::Text => "text".into(),
            SqlType::Varchar(Some(n)) => format!("varchar({n})"),
            SqlType::Varchar(None) => "varchar".into(),
            SqlType::Char(n) => format!("char({n})"),
            SqlType::Bool => "boolean".into(),
            SqlType::Date => "date".into(),
            SqlType::Timestamp => "timestamp".into(),
            SqlType::Timestamptz => "timestamptz".into(),
            SqlType::Time => "time".into(),
            SqlType::Uuid => "uuid".into(),
            SqlType::Json => "json".into(),
            SqlType::Jsonb => "jsonb".into(),
            SqlType::Bytea => "bytea".into(),
            SqlType::Array(inner) => format!("{}[]", inner.sql_name()),
            SqlType::Enum { name, .. } | SqlType::Domain { name, .. } => name.clone(),
            SqlType::Other(name) => name.clone(),
        }
    }
}

/// A uniqueness rule: a UNIQUE constraint or a unique index, possibly on
/// expressions (`lower(email)`) or partial (`WHERE active`).
#[derive(Debug, Clone)]
pub struct Unique {
    pub name: String,
    pub parts: Vec<UniquePart>,
    /// The `WHERE` of a partial index. The generator keeps such columns
    /// unique over all rows, which is stricter and so always satisfies it.
    pub predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UniquePart {
    Column(usize),
    /// An expression over one column whose effect on equality we know.
    Folded { column: usize, fold: Fold },
    /// Any other expression: we keep its columns unique as a whole.
    Expression { text: String, columns: Vec<usize> },
}

/// How an index expression folds values before comparing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    Lower,
    Upper,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub name: String,
    /// `pg_get_constraintdef` text, for messages.
    pub definition: String,
    /// The decoded expression, or `None` when it uses SQL we do not model.
    pub expr: Option<CheckExpr>,
}

/// `EXCLUDE USING gist (room_id WITH =, during WITH &&)`: one element per
/// indexed item, `None` where it is an expression rather than a column.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    pub name: String,
    pub elements: Vec<(Option<usize>, String)>,
}

impl Exclusion {
    /// The shape the generator honours: equality on some columns and
    /// overlap (`&&`) on one range column. Returns (equal columns, range column).
    pub fn keyed_overlap(&self) -> Option<(Vec<usize>, usize)> {
        let mut equal = Vec::new();
        let mut overlap = None;
        for (col, op) in &self.elements {
            match (col, op.as_str()) {
                (Some(c), "=") => equal.push(*c),
                (Some(c), "&&") if overlap.is_none() => overlap = Some(*c),
                _ => return None,
            }
        }
        Some((equal, overlap?))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partitioning {
    pub strategy: PartitionStrategy,
    /// Key columns; `None` for an expression in the key.
    pub key: Vec<Option<usize>>,
    pub partitions: Vec<Partition>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionStrategy {
    Range,
    List,
    Hash,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// `payment_p2025_01`, or `sales.payment_p2025_01` outside `public`.
    pub name: String,
    /// `pg_get_expr(relpartbound)`, for messages:
    /// `FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')`.
    pub definition: String,
    pub bound: PartitionBound,
}

/// Bound literals stay in Postgres' text form; the generator reads them in
/// the key column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum PartitionBound {
    /// Accepts every row no other partition takes.
    Default,
    /// Per key column, `from` inclusive and `to` exclusive; `None` is
    /// MINVALUE / MAXVALUE.
    Range { from: Vec<Option<String>>, to: Vec<Option<String>> },
    /// The listed values; `None` is NULL.
    List(Vec<Option<String>>),
    Hash,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<usize>,
    /// Index into [`Schema::tables`].
    pub ref_table: usize,
    pub ref_columns: Vec<usize>,
    pub deferrable: bool,
}

impl Schema {
    pub fn table(&self, schema: &str, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.schema == schema && t.name == name)
    }
}

impl Table {
    /// `"Shop"."Customer"`: always quoted, so mixed case and reserved words work.
    pub fn qualified(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }

    /// The name users see in reports: `users`, or `Shop.Customer` outside `public`.
    pub fn display_name(&self) -> String {
        if self.schema == "public" { self.name.clone() } else { format!("{}.{}", self.schema, self.name) }
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// True when `columns` (as a set) are covered by the primary key or a
    /// plain unique constraint, i.e. each value combination appears once.
    pub fn is_unique_set(&self, columns: &[usize]) -> bool {
        let covers = |key: &[usize]| !key.is_empty() && key.iter().all(|k| columns.contains(k));
        covers(&self.primary_key)
            || self.uniques.iter().any(|u| {
                u.predicate.is_none()
                    && u.parts.iter().all(|p| matches!(p, UniquePart::Column(_)))
                    && covers(&u.parts.iter().filter_map(|p| match p { UniquePart::Column(c) => Some(*c), _ => None }).collect::<Vec<_>>())
            })
    }

    /// The primary key and every full (non-partial) unique key made of
    /// plain columns: the keys a row's column values alone must keep unique.
    pub fn plain_keys(&self) -> Vec<Vec<usize>> {
        let uniques = self.uniques.iter().filter(|u| u.predicate.is_none()).filter_map(|u| {
            u.parts.iter().map(|p| if let UniquePart::Column(c) = p { Some(*c) } else { None }).collect::<Option<Vec<usize>>>()
        });
        std::iter::once(self.primary_key.clone()).chain(uniques).filter(|k| !k.is_empty()).collect()
    }

    /// The keys that foreign key `fk` shares with other foreign keys, and
    /// nothing else: `(playlist_id, track_id)` of a junction table. Each
    /// pair of parents may be linked once, so the parents must offer more
    /// combinations than there are rows.
    ///
    /// A key with other columns too (`patient_id, doctor_id, since_year`)
    /// counts by its foreign key columns: the scope links pairs (`2 doctors
    /// each`), each pair once, which keeps the wider key as well.
    pub fn link_keys(&self, fk: usize) -> Vec<Vec<usize>> {
        let own = &self.foreign_keys[fk].columns;
        let in_fk = |c: &usize| self.foreign_keys.iter().any(|f| f.columns.contains(c));
        let mut keys: Vec<Vec<usize>> = Vec::new();
        for key in self.plain_keys() {
            let linked: Vec<usize> = key.iter().copied().filter(in_fk).collect();
            if linked.len() > own.len() && own.iter().all(|c| linked.contains(c)) && !keys.contains(&linked) {
                keys.push(linked);
            }
        }
        keys
    }
}

pub fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}
