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
    Hours,
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

/// How much of the rows a share takes, as written: `60%`, `a third`,
/// `7 (of them)`, `the rest`. Kept exact; rows are counted when the table's
/// row count is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Portion {
    /// Hundredths of a percent.
    Percent(u32),
    /// `a third` is 1/3, `two thirds` 2/3, `half` 1/2.
    Fraction { num: u64, den: u64 },
    /// `7 of them`: exactly that many rows.
    Rows(u64),
    /// `the rest`: whatever the other shares leave.
    Rest,
}

/// One share of a distribution: `60% completed`, `a third done`.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// The share in hundredths of a percent; for shares that are not
    /// percentages (`a third`, `7 of them`, `the rest`) an approximation
    /// kept for display, with `portion` exact.
    pub percent: Percent,
    pub value: Phrase,
    pub portion: Portion,
}

/// A calendar date as written: `2024-05-01`, `March 2025` (day 1), `2025`
/// (month and day 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// A stretch of time rows fall in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `in the last 3 days`, `over the past 2 weeks`, `last month`: up to "now".
    Last { amount: u64, unit: TimeUnit },
    /// `in the next 3 days`, `next week`, `over the coming 2 months`: from
    /// "now" on (appointments, deadlines, expiry dates).
    Next { amount: u64, unit: TimeUnit },
    /// `between 2024-05-01 and 2024-05-31`: both days included.
    Between { from: Date, to: Date },
    /// `in 2025`: the whole year.
    Year(i32),
    /// `in March 2025`: the whole month.
    Month { year: i32, month: u32 },
    /// `since March 2025`: from the date up to "now".
    Since(Date),
    /// `before 2024`: a year up to the date.
    Before(Date),
    /// `more than 90 days ago` (`older`), `3 days ago`: before, or on the
    /// day, that long before "now".
    Ago { amount: u64, unit: TimeUnit, older: bool },
    /// `yesterday` (-1), `today` (0), `tomorrow` (1): that whole day,
    /// counted from the day "now" falls in.
    Day(i32),
}

/// How a fixed text value is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affix {
    /// `named Bob`: the name starts with it (or a first-name column is it).
    Prefix,
    /// `emails at example.org`: the address's domain.
    Domain,
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
    /// `count`/`per` are set for `1-5 items per order`; `named` lists the
    /// children by name (`with three room types: Standard, Deluxe and Suite`).
    With { target: Phrase, count: Option<CountRange>, per: Option<Phrase>, named: Vec<Phrase>, span: Span },

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

    /// `prices ranging from 5 to 500 dollars`, `quantities between 1 and 10`,
    /// `between $100 and $500` (`column: None`: the unit or the currency
    /// picks the column). `unit` is the word after the bound, or the
    /// currency sign (`$`, `€`, `£`) when no word follows.
    Range { column: Option<Phrase>, min: Number, max: Number, unit: Option<String>, span: Span },

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

    /// `placed in the last 3 days`, `in 2025`, `created between 2024-05-01
    /// and 2024-05-31`: `column` is the verb or noun that names the time
    /// column (`placed` is `placed_at`), `None` for all of the table's.
    Period { column: Option<Phrase>, period: Period, span: Span },

    /// `40% without email addresses`: exactly that share of NULLs.
    Nulls { portion: Portion, column: Phrase, span: Span },

    /// `named Bob`, `with emails at example.org`.
    Affix { column: Option<Phrase>, value: Phrase, affix: Affix, span: Span },

    /// `priced under $20`, `built 2018 or later`, `at least 3 seats`: one
    /// side of a range (the other follows from the column). `unit` as in
    /// `Range`: `longer than 10 km` names the column by `km`.
    /// `strict`: the number itself is excluded (`over 5000`, `under $20`),
    /// not with `at least`, `at most`, `2018 or later`.
    Bound { column: Option<Phrase>, lower: Option<Number>, upper: Option<Number>, strict: bool, unit: Option<String>, span: Span },
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
            | Clause::Period { span, .. }
            | Clause::Nulls { span, .. }
            | Clause::Affix { span, .. }
            | Clause::Bound { span, .. }
            | Clause::Purpose { span } => *span,
        }
    }
}
