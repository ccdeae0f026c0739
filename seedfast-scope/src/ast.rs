//! The typed form of a scope. Parsing produces it; resolving it against a
//! schema (in `seedfast-test`) turns it into a plan. Nothing here knows about
//! databases: nouns stay words until the resolver matches them to tables.

/// Byte offsets into the scope text, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// 1-based column (in characters, not bytes) of the span's start in `text`.
    pub fn column(&self, text: &str) -> usize {
        text[..self.start.min(text.len())].chars().count() + 1
    }
}

/// A noun phrase as the user wrote it: `order items`, `domain events`,
/// `user`. Words are lowercased; flavour words (`varied`, `realistic`, ...)
/// are already removed. `text` keeps the original spelling of the kept words
/// joined by one space, for messages and for values such as `OrderCreated`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub words: Vec<String>,
    pub text: String,
    pub span: Span,
}

/// A whole number as written (`1,000` is 1000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub value: u64,
    pub span: Span,
}

/// An inclusive range of counts: `1-5` in `1-5 items per order`. A single
/// number `3 items per order` has `min == max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountRange {
    pub min: u64,
    pub max: u64,
    pub span: Span,
}

/// A percentage kept exact, in hundredths of a percent: `60%` is 6000,
/// `12.5%` is 1250. Never a float, so `60% of 8,000` is exactly 4,800.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent {
    pub hundredths: u32,
    pub span: Span,
}

/// A decimal number as written (`5`, `4.99`, `-3`): the text keeps the exact
/// digits for numeric columns, `value` is for comparisons.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub text: String,
    pub value: f64,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
    Years,
}

/// One literal in an explicit ID list: `3`, `7f9c...` (a UUID), `SKU-001`.
/// The resolver interprets it by the referenced column's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdLiteral {
    pub text: String,
    pub span: Span,
}

/// Which IDs a reference may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdSelection {
    /// `user IDs 1-1000`, `users 1-1000`: inclusive.
    Range { start: i64, end: i64, span: Span },
    /// `users with IDs: 3,7,11` or a list of UUIDs or quoted/bare text keys.
    List { ids: Vec<IdLiteral>, span: Span },
    /// `orders with IDs matching the order service`: whatever the upstream
    /// service generated (only meaningful across services).
    MatchingService { service: Phrase, span: Span },
}

/// One share of a distribution: `60% completed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    pub percent: Percent,
    pub value: Phrase,
}

/// The scope: `[count] subject[: values] [, clause]*`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// The scope exactly as given, for error messages.
    pub text: String,
    /// `1,000` in `1,000 users ...`; `None` in `payments for order IDs 1-8000`
    /// (the count then follows from the references: one row per referenced ID).
    pub count: Option<Count>,
    /// The table the scope is about: `users`, `order items`, `domain events`.
    pub subject: Phrase,
    /// Values listed after a colon: `domain events: OrderCreated, PaymentCaptured`.
    pub subject_values: Vec<Phrase>,
    pub clauses: Vec<Clause>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// A related table or a column to populate: `with addresses`,
    /// `with 1-5 items per order`, `with names`, `with pricing tiers`.
    /// `count`/`per` are set for `1-5 items per order`.
    With { target: Phrase, count: Option<CountRange>, per: Option<Phrase>, span: Span },

    /// A parent table with exactly `count` rows, named ones first:
    /// `across 10 categories`, `across 15 categories including electronics,
    /// clothing, and home goods`.
    Across { count: Count, target: Phrase, named: Vec<Phrase>, span: Span },

    /// `across the last 6 months`, `spread across the last 12 months`,
    /// `over the last 30 days`.
    TimeWindow { amount: u64, unit: TimeUnit, span: Span },

    /// A column pointing at another table or service:
    /// `for user IDs 1-1000`, `referencing product IDs 1-200`,
    /// `about order IDs 1-8000`, `for users with IDs: 3,7,11`,
    /// `referencing recent orders` (`ids: None`).
    References { target: Phrase, ids: Option<IdSelection>, span: Span },

    /// Exact shares over a status-like column: `status distribution of 60%
    /// completed 25% shipped`, or bare `90% captured 5% authorized`
    /// (`column: None`).
    Distribution { column: Option<Phrase>, shares: Vec<Share>, span: Span },

    /// `realistic status distribution`: a built-in weighting for the column.
    RealisticDistribution { column: Phrase, span: Span },

    /// An enumerated mix without percentages: `mix of completed, pending, and
    /// refunded statuses` or `including order confirmation, shipping update,
    /// and delivery confirmation types`. `column` is the trailing noun
    /// (`statuses`, `types`) when given.
    Values { column: Option<Phrase>, values: Vec<Phrase>, span: Span },

    /// `prices ranging from 5 to 500 dollars`, `quantities between 1 and 10`.
    Range { column: Phrase, min: Number, max: Number, unit: Option<String>, span: Span },

    /// `10% with user IDs that don't exist in the user service`: exactly that
    /// share of rows references values absent upstream.
    Orphans { percent: Percent, target: Phrase, service: Option<Phrase>, span: Span },

    /// `amounts matching order totals`: a value copied from the referenced row.
    Matching { column: Phrase, source: Phrase, span: Span },

    /// `timestamps after the corresponding order dates`.
    After { column: Phrase, source: Phrase, span: Span },

    /// `realistic aggregate_id grouping`: an event log grouped per aggregate.
    GroupedBy { column: Phrase, span: Span },

    /// `monotonic timestamps`: strictly increasing within each group.
    Monotonic { column: Phrase, span: Span },

    /// `to test the order service's graceful degradation`: a purpose that
    /// documents the scope and shapes nothing.
    Purpose { span: Span },
}

impl Clause {
    pub fn span(&self) -> Span {
        match self {
            Clause::With { span, .. }
            | Clause::Across { span, .. }
            | Clause::TimeWindow { span, .. }
            | Clause::References { span, .. }
            | Clause::Distribution { span, .. }
            | Clause::RealisticDistribution { span, .. }
            | Clause::Values { span, .. }
            | Clause::Range { span, .. }
            | Clause::Orphans { span, .. }
            | Clause::Matching { span, .. }
            | Clause::After { span, .. }
            | Clause::GroupedBy { span, .. }
            | Clause::Monotonic { span, .. }
            | Clause::Purpose { span } => *span,
        }
    }
}
