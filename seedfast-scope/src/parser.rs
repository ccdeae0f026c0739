//! Recursive descent over the tokens of a scope.
//!
//! Grammar, informally (keywords are case-insensitive):
//!
//! ```text
//! scope     = [count] phrase [":" items] { [separator] clause } EOF
//! separator = "," | "and" | "," "and"
//! clause    = "with" with-item
//!           | ("for" | "about" | "referencing" | "references") reference
//!           | ["spread"] "across" (count phrase | time-window)
//!           | "over" time-window
//!           | "including" items          (named rows of a preceding `across`, else values)
//!           | "mix" "of" items
//!           | percent "with" phrase "IDs" "that" ("don't" | "do not") "exist" ["in" phrase | "upstream"]
//!           | shares
//!           | "to" words...              (a purpose, always last)
//!           | tail-clause                (after a separator; `grouped by` also without one)
//!           | with-item | reference     (after a separator: continues the last `with` or reference list)
//! with-item = count-range phrase ["per" phrase] | tail-clause | phrase ["per" phrase]
//! tail-clause = "monotonic" phrase | "grouped" "by" phrase
//!           | [phrase] "distribution" ["of" shares]
//!           | phrase "grouping" | phrase "matching" phrase | phrase "after" phrase
//!           | phrase ("ranging" ("from" | "between") | "from" | "between") number ("to" | "and") number [unit]
//! reference = phrase [("IDs" | "with" "IDs") [":"] id-selection | range]
//! shares    = percent phrase { [separator] percent phrase }
//! ```
//!
//! A phrase is a run of words that are not keywords; leading flavour words
//! (`varied`, `realistic`, `the`, ...) are dropped from it. Commas between
//! digits are thousands separators only where a count or a range bound is
//! expected; after `IDs` they separate list items.

use crate::ast::{
    Clause, Count, CountRange, IdLiteral, IdSelection, Number, Percent, Phrase, Scope, Share, Span, TimeUnit,
};
use crate::error::ScopeError;
use crate::lexer::{Token, TokenKind, normalize_word, tokenize};

type Result<T> = std::result::Result<T, ScopeError>;

/// Parses a scope into its AST. Pure and deterministic; no schema involved.
///
/// # Errors
///
/// A [`ScopeError`] pointing at the first word, number or character that
/// does not fit the grammar, or at a value that cannot hold (a range running
/// backwards, distribution shares over 100%).
pub fn parse(text: &str) -> Result<Scope> {
    let tokens = tokenize(text)?;
    Parser { text, tokens, pos: 0, clauses: Vec::new() }.scope()
}

/// Dropped from the start of a phrase: they colour the data, they do not
/// name anything. `realistic` keeps its meaning through the word that ends
/// the phrase (`realistic status distribution`, `realistic x grouping`).
const FILLER: &[&str] = &[
    "varied",
    "realistic",
    "various",
    "diverse",
    "random",
    "sample",
    "typical",
    "recent",
    "some",
    "plausible",
    "the",
    "a",
    "an",
    "corresponding",
];

/// Words that end a phrase because they start or shape a clause.
const STOP: &[&str] = &[
    "with",
    "for",
    "about",
    "referencing",
    "references",
    "across",
    "over",
    "including",
    "and",
    "to",
    "ids",
    "id",
    "that",
    "per",
    "distribution",
    "grouping",
    "ranging",
    "between",
    "from",
    "matching",
    "after",
];

/// Words that, ending a phrase, turn it into a clause of its own rather than
/// an item of the surrounding list.
const TAIL: &[&str] = &["distribution", "grouping", "ranging", "between", "from", "matching", "after"];

/// A trailing noun that names the column of a value list (`..., and refunded
/// statuses`) rather than being part of the last value. A closed list keeps
/// `payment receipts` a value.
const COLUMN_NOUNS: &[&str] = &[
    "type",
    "types",
    "kind",
    "kinds",
    "status",
    "statuses",
    "state",
    "states",
    "category",
    "categories",
    "stage",
    "stages",
    "tier",
    "tiers",
    "role",
    "roles",
    "level",
    "levels",
];

/// Keywords a misspelt word is compared with, to report `wiht` instead of
/// silently reading `users wiht addresses` as one table name.
const TYPO_TARGETS: &[&str] = &["with", "for", "about", "across", "over", "including", "referencing"];

/// What may start a clause.
const CLAUSE_STARTS: &[&str] =
    &["`with`", "`for`", "`referencing`", "`about`", "`across`", "`over`", "`including`", "a percentage"];

/// What may follow a complete clause.
fn after_clause() -> Vec<&'static str> {
    CLAUSE_STARTS.iter().copied().chain(["`,`", "end of scope"]).collect()
}

const TIME_UNITS: &[&str] = &["`days`", "`weeks`", "`months`", "`years`"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyword {
    With,
    Reference,
    Across,
    SpreadAcross,
    Over,
    Including,
    MixOf,
    Purpose,
}

/// Which list a keyword-less segment after a separator continues:
/// `with a, b` or `referencing user IDs 1-5 and product IDs 1-9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Continues {
    With,
    References,
}

/// The spans of a phrase's kept words, one per word (`high-value` is one).
/// Kept apart until the end so a trailing column noun or a coordinated head
/// noun can be split off with exact spans.
#[derive(Debug, Clone)]
struct Words {
    spans: Vec<Span>,
    quoted: bool,
}

/// What a segment turned out to be: a clause, or a bare phrase whose meaning
/// depends on the list it continues.
enum Segment {
    Clause(Clause),
    Plain(Words),
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    clauses: Vec<Clause>,
}

impl Parser<'_> {
    // ---- scope -------------------------------------------------------------

    fn scope(mut self) -> Result<Scope> {
        if self.at_eof() {
            return Err(self.error(Span::new(0, 0), "empty scope", &["a count", "a table name"]));
        }
        let count = if self.kind(self.pos) == TokenKind::Number { Some(self.count()?) } else { None };
        let Some(subject) = self.phrase()? else {
            return Err(match count {
                Some(count) => self.dangling_number(count.span, &["a table name"]),
                None => self.unexpected(&["a count", "a table name"]),
            });
        };
        let subject_values = if self.kind(self.pos) == TokenKind::Colon {
            self.pos += 1;
            self.items()?.iter().map(|w| self.to_phrase(&w.spans)).collect()
        } else {
            Vec::new()
        };
        self.clauses()?;
        Ok(Scope { text: self.text.to_string(), count, subject, subject_values, clauses: self.clauses })
    }

    fn clauses(&mut self) -> Result<()> {
        let mut continues = None;
        loop {
            let separator = self.separator();
            if self.at_eof() {
                if let Some(separator) = separator {
                    let message = format!("unexpected end of scope after `{}`", self.src(separator).trim());
                    return Err(self.error(self.peek().span, message, CLAUSE_STARTS));
                }
                return Ok(());
            }
            let start = self.peek().span;
            if let Some(keyword) = self.keyword(self.pos) {
                continues = self.keyword_clause(keyword, start)?;
            } else if let TokenKind::Percent(_) = self.kind(self.pos) {
                self.percent_clause(start)?;
                continues = None;
            } else if separator.is_none() && !self.is_word(self.pos, "grouped") {
                // Without a comma the words before `distribution` already
                // went to the previous phrase: `orders status distribution`.
                let error = self.unexpected(&after_clause());
                return Err(if self.starts_tail(self.pos) {
                    error.help("put a comma before this clause, as in `orders, status distribution of 60% paid`")
                } else {
                    error
                });
            } else if self.starts_tail(self.pos) || continues == Some(Continues::With) {
                self.with_item(start)?;
            } else if continues == Some(Continues::References) {
                self.reference(start)?;
            } else {
                let error = self.unexpected(CLAUSE_STARTS);
                return Err(if self.kind(self.pos) == TokenKind::Word {
                    error.help("start the clause with a keyword, as in `with addresses`")
                } else {
                    error
                });
            }
        }
    }

    /// Consumes `,`, `and` or `, and`; returns their span if any.
    fn separator(&mut self) -> Option<Span> {
        let start = self.peek().span;
        let mut found = false;
        if self.kind(self.pos) == TokenKind::Comma {
            self.pos += 1;
            found = true;
        }
        if self.is_word(self.pos, "and") {
            self.pos += 1;
            found = true;
        }
        found.then(|| start.to(self.prev_span()))
    }

    fn keyword(&self, i: usize) -> Option<Keyword> {
        let keyword = match self.word(i)? {
            "with" => Keyword::With,
            "for" | "about" | "referencing" | "references" => Keyword::Reference,
            "across" => Keyword::Across,
            "spread" if self.is_word(i + 1, "across") => Keyword::SpreadAcross,
            "over" => Keyword::Over,
            "including" => Keyword::Including,
            "mix" if self.is_word(i + 1, "of") => Keyword::MixOf,
            "to" if matches!(self.kind(i + 1), TokenKind::Word | TokenKind::Quoted { .. }) => Keyword::Purpose,
            _ => return None,
        };
        Some(keyword)
    }

    fn keyword_clause(&mut self, keyword: Keyword, start: Span) -> Result<Option<Continues>> {
        let keyword_text = self.src(self.peek().span).to_string();
        self.pos += 1;
        match keyword {
            Keyword::With => {
                let item_ahead = self.kind(self.pos) == TokenKind::Number
                    || matches!(self.kind(self.pos), TokenKind::Quoted { .. })
                    || self.phrase_word(self.pos).is_some()
                    || self.starts_tail(self.pos);
                if !item_ahead {
                    return Err(self.unexpected_after(&keyword_text, &["a table or column name", "a count"]));
                }
                self.with_item(start)?;
                Ok(Some(Continues::With))
            }
            Keyword::Reference => {
                self.reference(start)?;
                Ok(Some(Continues::References))
            }
            Keyword::SpreadAcross => {
                self.pos += 1;
                self.across(start, "across")?;
                Ok(None)
            }
            Keyword::Across => {
                self.across(start, &keyword_text)?;
                Ok(None)
            }
            Keyword::Over => {
                if !self.time_window_ahead() {
                    return Err(self
                        .unexpected_after(&keyword_text, &["`the last`", "a number of days, weeks, months or years"]));
                }
                let clause = self.time_window(start)?;
                self.clauses.push(clause);
                Ok(None)
            }
            Keyword::Including => {
                self.including(start)?;
                Ok(None)
            }
            Keyword::MixOf => {
                self.pos += 1;
                self.values(start)?;
                Ok(None)
            }
            Keyword::Purpose => {
                self.purpose(start)?;
                Ok(None)
            }
        }
    }

    // ---- with --------------------------------------------------------------

    fn with_item(&mut self, start: Span) -> Result<()> {
        if self.kind(self.pos) == TokenKind::Number {
            let count = self.count_range()?;
            let Some(target) = self.phrase()? else {
                return Err(self.dangling_number(count.span, &["what to count, such as `items`"]));
            };
            let per = self.per()?;
            let span = start.to(self.prev_span());
            self.clauses.push(Clause::With { target, count: Some(count), per, span });
            return Ok(());
        }
        match self.segment(start)? {
            Segment::Clause(clause) => self.clauses.push(clause),
            Segment::Plain(words) => {
                if self.coordinated_head_ahead(&words) {
                    return self.coordinated_with(start, words);
                }
                let target = self.to_phrase(&words.spans);
                let per = self.per()?;
                let span = start.to(self.prev_span());
                self.clauses.push(Clause::With { target, count: None, per, span });
            }
        }
        Ok(())
    }

    /// `billing and shipping addresses`: a lone modifier before `and` shares
    /// the head noun of what follows. A plural before `and` (`profiles and
    /// addresses`) is an item of its own, so only a single word not ending in
    /// `s` followed by two or more words is read this way.
    fn coordinated_head_ahead(&self, words: &Words) -> bool {
        if words.quoted || words.spans.len() != 1 || !self.is_word(self.pos, "and") {
            return false;
        }
        let modifier = normalize_word(self.src(words.spans[0]));
        if modifier.ends_with('s') || self.starts_tail(self.pos + 1) {
            return false;
        }
        let mut i = self.pos + 1;
        let mut kept = 0;
        while let Some((next, span)) = self.phrase_word(i) {
            if kept > 0 || !FILLER.contains(&normalize_word(self.src(span)).as_str()) {
                kept += 1;
            }
            i = next;
        }
        kept >= 2
    }

    fn coordinated_with(&mut self, start: Span, modifier: Words) -> Result<()> {
        self.pos += 1; // `and`
        let second_start = self.peek().span;
        let second = self.words()?.expect("coordinated_head_ahead saw two words");
        let mut first = modifier.spans;
        first.extend_from_slice(&second.spans[1..]);
        let first_span = start.to(span_of(&first));
        let target = self.to_phrase(&first);
        self.clauses.push(Clause::With { target, count: None, per: None, span: first_span });
        let target = self.to_phrase(&second.spans);
        let span = second_start.to(self.prev_span());
        self.clauses.push(Clause::With { target, count: None, per: None, span });
        Ok(())
    }

    fn per(&mut self) -> Result<Option<Phrase>> {
        if !self.is_word(self.pos, "per") {
            return Ok(None);
        }
        self.pos += 1;
        match self.phrase()? {
            Some(per) => Ok(Some(per)),
            None => Err(self.unexpected_after("per", &["a table name, such as `order`"])),
        }
    }

    /// A segment that may be a clause on its own (`prices ranging from 5 to
    /// 500`, `monotonic timestamps`) or a bare phrase.
    fn segment(&mut self, start: Span) -> Result<Segment> {
        if self.is_word(self.pos, "monotonic") || self.is_word(self.pos, "monotonically") {
            self.pos += 1;
            if self.is_word(self.pos, "increasing") {
                self.pos += 1;
            }
            let column = self.required_phrase("monotonic", &["a column name, such as `timestamps`"])?;
            return Ok(Segment::Clause(Clause::Monotonic { column, span: start.to(self.prev_span()) }));
        }
        if self.is_word(self.pos, "grouped") && self.is_word(self.pos + 1, "by") {
            self.pos += 2;
            let column = self.required_phrase("by", &["a column name, such as `aggregate_id`"])?;
            return Ok(Segment::Clause(Clause::GroupedBy { column, span: start.to(self.prev_span()) }));
        }
        let words = self.words()?;
        let tail = self.word(self.pos).filter(|w| TAIL.contains(w)).map(str::to_string);
        let Some(tail) = tail else {
            return match words {
                Some(words) => Ok(Segment::Plain(words)),
                None => Err(self.unexpected(&["a table or column name"])),
            };
        };
        let tail_span = self.peek().span;
        if tail == "distribution" {
            self.pos += 1;
            let column = words.map(|w| self.to_phrase(&w.spans));
            return self.distribution(start, column, tail_span).map(Segment::Clause);
        }
        let Some(words) = words else {
            return Err(self.error(
                tail_span,
                format!("expected a column name before `{}`", self.src(tail_span)),
                &["a column name"],
            ));
        };
        let column = self.to_phrase(&words.spans);
        self.pos += 1;
        let clause = match tail.as_str() {
            "grouping" => Clause::GroupedBy { column, span: start.to(tail_span) },
            "matching" => {
                let source =
                    self.required_phrase("matching", &["what the value comes from, such as `order totals`"])?;
                Clause::Matching { column, source, span: start.to(self.prev_span()) }
            }
            "after" => {
                let source =
                    self.required_phrase("after", &["a column of the referenced rows, such as `order dates`"])?;
                Clause::After { column, source, span: start.to(self.prev_span()) }
            }
            _ => self.range(start, column, &tail)?,
        };
        Ok(Segment::Clause(clause))
    }

    /// After `X distribution`: `of 60% a 40% b`, or nothing for a built-in
    /// realistic weighting.
    fn distribution(&mut self, start: Span, column: Option<Phrase>, keyword: Span) -> Result<Clause> {
        if self.is_word(self.pos, "of") {
            self.pos += 1;
            let shares = self.shares()?;
            return Ok(Clause::Distribution { column, shares, span: start.to(self.prev_span()) });
        }
        match column {
            Some(column) => Ok(Clause::RealisticDistribution { column, span: start.to(keyword) }),
            None => {
                Err(self.error(keyword, "expected a column name before `distribution`", &["a column name", "`of`"]))
            }
        }
    }

    /// `ranging from 5 to 500 dollars`, `between 1 and 10`, `from 1 to 9`;
    /// the tail word has been consumed.
    fn range(&mut self, start: Span, column: Phrase, tail: &str) -> Result<Clause> {
        let mut joiner = if tail == "between" { "and" } else { "to" };
        if tail == "ranging" {
            if self.is_word(self.pos, "from") {
                self.pos += 1;
            } else if self.is_word(self.pos, "between") {
                self.pos += 1;
                joiner = "and";
            } else {
                return Err(self.unexpected_after("ranging", &["`from`", "`between`"]));
            }
        }
        let min = self.decimal()?;
        if !self.is_word(self.pos, joiner) {
            return Err(self.unexpected_after(&min.text, &[format!("`{joiner}`").as_str()]));
        }
        self.pos += 1;
        let max = self.decimal()?;
        if min.value > max.value {
            let message = format!("range start {} is greater than range end {}", min.text, max.text);
            return Err(self.error(min.span.to(max.span), message, &[]));
        }
        // One plain word right after the bound is its unit: `500 dollars`.
        let unit = self.phrase_word(self.pos).filter(|_| !self.starts_tail(self.pos)).map(|(next, span)| {
            self.pos = next;
            normalize_word(self.src(span))
        });
        Ok(Clause::Range { column, min, max, unit, span: start.to(self.prev_span()) })
    }

    // ---- references ----------------------------------------------------------

    fn reference(&mut self, start: Span) -> Result<()> {
        let keyword = self.src(self.prev_span()).to_string();
        let Some(target) = self.phrase()? else {
            return Err(self.unexpected_after(&keyword, &["a table name"]));
        };
        let ids = if self.is_id_word(self.pos) {
            self.pos += 1;
            Some(self.id_selection()?)
        } else if self.is_word(self.pos, "with") && self.is_id_word(self.pos + 1) {
            self.pos += 2;
            Some(self.id_selection()?)
        } else if self.kind(self.pos) == TokenKind::Number {
            if !self.id_range_ahead() {
                return Err(self.unexpected(&["`IDs`", "a range such as `1-1000`"]));
            }
            Some(self.id_range()?)
        } else {
            None
        };
        self.clauses.push(Clause::References { target, ids, span: start.to(self.prev_span()) });
        Ok(())
    }

    fn is_id_word(&self, i: usize) -> bool {
        self.is_word(i, "ids") || self.is_word(i, "id")
    }

    /// After `IDs`: `1-1000`, `: 3,7,11`, `matching the order service`.
    fn id_selection(&mut self) -> Result<IdSelection> {
        if self.kind(self.pos) == TokenKind::Colon {
            self.pos += 1;
        }
        let expected = ["a range such as `1-1000`", "a list of IDs", "`matching`"];
        if self.is_word(self.pos, "matching") {
            let start = self.peek().span;
            self.pos += 1;
            let service = self.required_phrase("matching", &["a service, such as `the order service`"])?;
            return Ok(IdSelection::MatchingService { service, span: start.to(self.prev_span()) });
        }
        if self.id_range_ahead() {
            return self.id_range();
        }
        if !self.id_literal_ahead(self.pos) {
            let error = self.unexpected(&expected);
            return Err(if self.kind(self.pos) == TokenKind::Word {
                error.help("quote IDs made only of letters, as in 'abc'")
            } else {
                error
            });
        }
        let start = self.peek().span;
        let mut ids = vec![self.id_literal()?];
        loop {
            let save = self.pos;
            self.separator();
            if !self.id_literal_ahead(self.pos) {
                self.pos = save;
                break;
            }
            ids.push(self.id_literal()?);
        }
        Ok(IdSelection::List { ids, span: start.to(self.prev_span()) })
    }

    /// `1-1000`, `1 to 1000` or `1,000-2,000`, unless more touches it:
    /// `2024-001-A` is a text key. A lone `2024-001` stays a range, so text
    /// keys of that shape must be quoted (the backwards range says so).
    fn id_range_ahead(&self) -> bool {
        if self.kind(self.pos) != TokenKind::Number {
            return false;
        }
        let dash = self.whole_end(self.pos);
        let joined = self.kind(dash) == TokenKind::Dash || self.is_word(dash, "to");
        if !joined || self.kind(dash + 1) != TokenKind::Number {
            return false;
        }
        let after = self.whole_end(dash + 1);
        let glued =
            self.touches(after) && matches!(self.kind(after), TokenKind::Dash | TokenKind::Word | TokenKind::Number);
        !glued
    }

    fn id_range(&mut self) -> Result<IdSelection> {
        let start = self.count()?;
        self.pos += 1; // `-` or `to`
        let end = self.count()?;
        let span = start.span.to(end.span);
        if start.value > end.value {
            let message = format!("range start {} is greater than range end {}", start.value, end.value);
            let error = self.error(span, message, &[]);
            let end_text = self.src(end.span);
            return Err(if end_text.len() > 1 && end_text.starts_with('0') {
                let key = self.src(span);
                error.help(format!("quote text IDs such as `{key}`: '{key}'"))
            } else {
                error
            });
        }
        let as_id =
            |count: Count| i64::try_from(count.value).map_err(|_| self.error(count.span, "ID is too large", &[]));
        Ok(IdSelection::Range { start: as_id(start)?, end: as_id(end)?, span })
    }

    /// A quoted value, or touching words, numbers and dashes with at least
    /// one digit (`42`, `SKU-001`, a UUID). Plain words are not IDs so the
    /// list ends cleanly before `and product IDs ...`.
    fn id_literal_ahead(&self, i: usize) -> bool {
        match self.kind(i) {
            TokenKind::Quoted { .. } => true,
            TokenKind::Word | TokenKind::Number => {
                let end = self.glued_end(i);
                self.src(self.tokens[i].span.to(self.tokens[end - 1].span)).bytes().any(|b| b.is_ascii_digit())
            }
            _ => false,
        }
    }

    fn id_literal(&mut self) -> Result<IdLiteral> {
        let token = self.peek().clone();
        if let TokenKind::Quoted { inner } = token.kind {
            self.pos += 1;
            if inner.start == inner.end {
                return Err(self.error(token.span, "empty quoted ID", &["an ID"]));
            }
            return Ok(IdLiteral { text: self.src(inner).to_string(), span: inner });
        }
        let end = self.glued_end(self.pos);
        let span = token.span.to(self.tokens[end - 1].span);
        self.pos = end;
        Ok(IdLiteral { text: self.src(span).to_string(), span })
    }

    // ---- across, time windows ---------------------------------------------

    fn across(&mut self, start: Span, keyword: &str) -> Result<()> {
        if self.time_window_ahead() {
            let clause = self.time_window(start)?;
            self.clauses.push(clause);
            return Ok(());
        }
        if self.kind(self.pos) != TokenKind::Number {
            let message = format!("expected a count or a time window after `{keyword}`");
            return Err(self.error(self.peek().span, message, &["a count", "`the last`"]));
        }
        let count = self.count()?;
        let Some(target) = self.phrase()? else {
            return Err(self.dangling_number(count.span, &["a table name, such as `categories`"]));
        };
        let span = start.to(self.prev_span());
        self.clauses.push(Clause::Across { count, target, named: Vec::new(), span });
        Ok(())
    }

    /// `the last 6 months`, `past year`, `30 days`.
    fn time_window_ahead(&self) -> bool {
        let mut i = self.pos;
        if self.is_word(i, "the") {
            i += 1;
        }
        if self.is_word(i, "last") || self.is_word(i, "past") {
            return true;
        }
        self.kind(i) == TokenKind::Number && self.time_unit(self.whole_end(i)).is_some()
    }

    fn time_unit(&self, i: usize) -> Option<(TimeUnit, bool)> {
        let unit = match self.word(i)? {
            "day" => (TimeUnit::Days, false),
            "days" => (TimeUnit::Days, true),
            "week" => (TimeUnit::Weeks, false),
            "weeks" => (TimeUnit::Weeks, true),
            "month" => (TimeUnit::Months, false),
            "months" => (TimeUnit::Months, true),
            "year" => (TimeUnit::Years, false),
            "years" => (TimeUnit::Years, true),
            _ => return None,
        };
        Some(unit)
    }

    fn time_window(&mut self, start: Span) -> Result<Clause> {
        if self.is_word(self.pos, "the") {
            self.pos += 1;
        }
        if self.is_word(self.pos, "last") || self.is_word(self.pos, "past") {
            self.pos += 1;
        }
        let amount = if self.kind(self.pos) == TokenKind::Number { Some(self.count()?) } else { None };
        let Some((unit, plural)) = self.time_unit(self.pos) else {
            let mut expected = TIME_UNITS.to_vec();
            if amount.is_none() {
                expected.insert(0, "a number");
            }
            return Err(self.unexpected(&expected));
        };
        let amount = match amount {
            Some(amount) if amount.value == 0 => {
                return Err(self.error(amount.span, "a time window must not be empty", &["a number above 0"]));
            }
            Some(amount) => amount.value,
            // `the last month` is one month; `the last months` says nothing.
            None if !plural => 1,
            None => return Err(self.unexpected(&["a number"])),
        };
        self.pos += 1;
        Ok(Clause::TimeWindow { amount, unit, span: start.to(self.prev_span()) })
    }

    // ---- value lists -----------------------------------------------------------

    /// Right after `across 15 categories`, `including` names some of those
    /// rows; anywhere else it lists values of a column.
    fn including(&mut self, start: Span) -> Result<()> {
        let names_parent = matches!(self.clauses.last(), Some(Clause::Across { named, .. }) if named.is_empty());
        if !names_parent {
            return self.values(start);
        }
        let items = self.items()?;
        let end = self.prev_span();
        let phrases: Vec<Phrase> = items.iter().map(|w| self.to_phrase(&w.spans)).collect();
        if let Some(Clause::Across { named, span, .. }) = self.clauses.last_mut() {
            *named = phrases;
            *span = span.to(end);
        }
        Ok(())
    }

    fn values(&mut self, start: Span) -> Result<()> {
        let mut items = self.items()?;
        let column = self.split_column(&mut items);
        let values = items.iter().map(|w| self.to_phrase(&w.spans)).collect();
        self.clauses.push(Clause::Values { column, values, span: start.to(self.prev_span()) });
        Ok(())
    }

    /// Takes `statuses` off `refunded statuses` when it ends the last item.
    fn split_column(&self, items: &mut [Words]) -> Option<Phrase> {
        let last = items.last_mut()?;
        let noun = *last.spans.last()?;
        if last.quoted || last.spans.len() < 2 || !COLUMN_NOUNS.contains(&normalize_word(self.src(noun)).as_str()) {
            return None;
        }
        last.spans.pop();
        Some(self.to_phrase(&[noun]))
    }

    /// `a, b, and c`: stops before a separator whose segment is a clause of
    /// its own, so `including a, b, with c` leaves `, with c` to the caller.
    fn items(&mut self) -> Result<Vec<Words>> {
        let first = self.words()?.ok_or_else(|| self.unexpected(&["a value"]))?;
        let mut items = vec![first];
        loop {
            let save = self.pos;
            self.separator();
            let item_ahead = matches!(self.kind(self.pos), TokenKind::Quoted { .. })
                || (self.phrase_word(self.pos).is_some() && !self.starts_tail(self.pos));
            if !item_ahead || self.pos == save {
                self.pos = save;
                return Ok(items);
            }
            items.extend(self.words()?);
        }
    }

    // ---- percentages -----------------------------------------------------------

    fn percent_clause(&mut self, start: Span) -> Result<()> {
        if self.is_word(self.pos + 1, "with") {
            return self.orphans(start);
        }
        let shares = self.shares()?;
        self.clauses.push(Clause::Distribution { column: None, shares, span: start.to(self.prev_span()) });
        Ok(())
    }

    /// `10% with user IDs that don't exist [in the user service | upstream]`.
    fn orphans(&mut self, start: Span) -> Result<()> {
        let percent = self.percent()?;
        self.pos += 1; // `with`
        let target = self.required_phrase("with", &["a table name, such as `user`"])?;
        self.expect_word(&["ids", "id"], "`IDs`")?;
        self.expect_word(&["that"], "`that`")?;
        let negated = if self.word(self.pos).is_some_and(|w| ["don't", "dont", "doesn't", "doesnt"].contains(&w)) {
            self.pos += 1;
            true
        } else if (self.is_word(self.pos, "do") || self.is_word(self.pos, "does")) && self.is_word(self.pos + 1, "not")
        {
            self.pos += 2;
            true
        } else {
            false
        };
        if !negated {
            return Err(self.unexpected(&["`don't exist`", "`do not exist`"]));
        }
        self.expect_word(&["exist"], "`exist`")?;
        let service = if self.is_word(self.pos, "in") {
            self.pos += 1;
            Some(self.required_phrase("in", &["a service, such as `the user service`"])?)
        } else {
            if self.is_word(self.pos, "upstream") {
                self.pos += 1;
            }
            None
        };
        self.clauses.push(Clause::Orphans { percent, target, service, span: start.to(self.prev_span()) });
        Ok(())
    }

    fn shares(&mut self) -> Result<Vec<Share>> {
        let mut shares: Vec<Share> = Vec::new();
        loop {
            let percent = self.percent()?;
            let value = self.required_phrase(&format_percent(percent.hundredths), &["a value, such as `completed`"])?;
            if let Some(earlier) = shares.iter().find(|s| s.value.words == value.words) {
                let message = format!("`{}` appears twice in the distribution", value.text);
                let column = earlier.value.span.column(self.text);
                return Err(self
                    .error(value.span, message, &[])
                    .help(format!("merge it with the share at column {column}")));
            }
            shares.push(Share { percent, value });
            let save = self.pos;
            self.separator();
            if !matches!(self.kind(self.pos), TokenKind::Percent(_)) {
                self.pos = save;
                break;
            }
        }
        let total: u32 = shares.iter().map(|s| s.percent.hundredths).sum();
        if total > 10_000 {
            let last = shares.last().expect("at least one share");
            let message = format!("distribution shares add up to {}, more than 100%", format_percent(total));
            return Err(self
                .error(last.percent.span.to(last.value.span), message, &[])
                .help("shares may add up to less than 100%; the rest is filled in, but never to more"));
        }
        Ok(shares)
    }

    fn percent(&mut self) -> Result<Percent> {
        match self.kind(self.pos) {
            TokenKind::Percent(hundredths) => {
                let span = self.peek().span;
                self.pos += 1;
                Ok(Percent { hundredths, span })
            }
            _ => Err(self.unexpected(&["a percentage"])),
        }
    }

    // ---- purpose -----------------------------------------------------------------

    /// `to test the order service's graceful degradation`: free text to the
    /// end, since it may contain any keyword. Numbers are still refused: the
    /// reader would expect them to shape the data.
    fn purpose(&mut self, start: Span) -> Result<()> {
        while !self.at_eof() {
            if matches!(self.kind(self.pos), TokenKind::Number | TokenKind::Percent(_)) {
                let message = format!("unexpected {} in a purpose", self.describe(self.peek()));
                return Err(self
                    .error(self.peek().span, message, &["a word", "end of scope"])
                    .help("a purpose only documents the scope; put numbers in a clause before `to`"));
            }
            self.pos += 1;
        }
        self.clauses.push(Clause::Purpose { span: start.to(self.prev_span()) });
        Ok(())
    }

    // ---- numbers ---------------------------------------------------------------

    /// Index just past the number at `i`, reading `1,000,000` as one number:
    /// a comma directly between digits followed by exactly three digits.
    fn whole_end(&self, i: usize) -> usize {
        let first = self.src(self.tokens[i].span);
        let int_len = |s: &str| s.find('.').unwrap_or(s.len());
        let mut end = i + 1;
        if first.contains('.') || first.len() > 3 {
            return end;
        }
        while self.kind(end) == TokenKind::Comma
            && self.kind(end + 1) == TokenKind::Number
            && self.touches(end)
            && self.touches(end + 1)
        {
            let group = self.src(self.tokens[end + 1].span);
            if int_len(group) != 3 {
                break;
            }
            end += 2;
            if group.contains('.') {
                break;
            }
        }
        end
    }

    /// The digits of the number at `self.pos` without separators; advances.
    fn number_text(&mut self) -> (String, Span) {
        let end = self.whole_end(self.pos);
        let span = self.tokens[self.pos].span.to(self.tokens[end - 1].span);
        let text = self.tokens[self.pos..end]
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| self.src(t.span))
            .collect();
        self.pos = end;
        (text, span)
    }

    fn count(&mut self) -> Result<Count> {
        if self.kind(self.pos) != TokenKind::Number {
            return Err(self.unexpected(&["a count"]));
        }
        let (text, span) = self.number_text();
        if text.contains('.') {
            return Err(self.error(
                span,
                format!("count `{}` is not a whole number", self.src(span)),
                &["a whole number"],
            ));
        }
        let value =
            text.parse().map_err(|_| self.error(span, format!("count `{}` is too large", self.src(span)), &[]))?;
        Ok(Count { value, span })
    }

    /// `1-5` or `1 to 5` or `3`.
    fn count_range(&mut self) -> Result<CountRange> {
        let min = self.count()?;
        let joined = self.kind(self.pos) == TokenKind::Dash || self.is_word(self.pos, "to");
        if !joined || self.kind(self.pos + 1) != TokenKind::Number {
            return Ok(CountRange { min: min.value, max: min.value, span: min.span });
        }
        self.pos += 1;
        let max = self.count()?;
        let span = min.span.to(max.span);
        if min.value > max.value {
            let message = format!("range start {} is greater than range end {}", min.value, max.value);
            return Err(self.error(span, message, &[]));
        }
        Ok(CountRange { min: min.value, max: max.value, span })
    }

    /// `5`, `4.99`, `-3`, `1,000.50`.
    fn decimal(&mut self) -> Result<Number> {
        let negative = self.kind(self.pos) == TokenKind::Dash
            && self.kind(self.pos + 1) == TokenKind::Number
            && self.touches(self.pos + 1);
        let start = self.peek().span;
        if negative {
            self.pos += 1;
        }
        if self.kind(self.pos) != TokenKind::Number {
            return Err(self.unexpected(&["a number"]));
        }
        let (digits, span) = self.number_text();
        let text = if negative { format!("-{digits}") } else { digits };
        let value = text.parse().expect("digits with an optional fraction parse as f64");
        Ok(Number { text, value, span: if negative { start.to(span) } else { span } })
    }

    // ---- phrases -----------------------------------------------------------------

    /// The next word of a phrase at `i`, with dashed compounds joined
    /// (`high-value`): the index after it and its span. `None` at a keyword
    /// or anything that is not a word.
    fn phrase_word(&self, i: usize) -> Option<(usize, Span)> {
        if self.kind(i) != TokenKind::Word || self.is_stop(i) {
            return None;
        }
        let end = self.glued_end(i);
        Some((end, self.tokens[i].span.to(self.tokens[end - 1].span)))
    }

    fn is_stop(&self, i: usize) -> bool {
        let word = self.tokens[i].lower.as_str();
        STOP.contains(&word)
            || (word == "spread" && self.is_word(i + 1, "across"))
            || (word == "mix" && self.is_word(i + 1, "of"))
            || (word == "grouped" && self.is_word(i + 1, "by"))
    }

    /// Whether the segment at `i` is a clause of its own rather than a list
    /// item: it starts with `monotonic`/`grouped by`, or its phrase ends in
    /// a word such as `distribution`, `ranging` or `matching`.
    fn starts_tail(&self, i: usize) -> bool {
        if self.is_word(i, "monotonic") || self.is_word(i, "monotonically") {
            return true;
        }
        if self.is_word(i, "grouped") && self.is_word(i + 1, "by") {
            return true;
        }
        let mut j = i;
        while let Some((next, _)) = self.phrase_word(j) {
            j = next;
        }
        self.word(j).is_some_and(|w| TAIL.contains(&w))
    }

    /// Index past the run of touching words, numbers and dashes at `i`
    /// (`SKU-001`, a UUID, `high-value`); never ends on a dash.
    fn glued_end(&self, i: usize) -> usize {
        let mut end = i + 1;
        while self.kind(end) == TokenKind::Dash
            && matches!(self.kind(end + 1), TokenKind::Word | TokenKind::Number)
            && self.touches(end)
            && self.touches(end + 1)
        {
            end += 2;
        }
        end
    }

    /// The words of a phrase, leading filler dropped; `None` if there are none.
    fn words(&mut self) -> Result<Option<Words>> {
        if let TokenKind::Quoted { inner } = self.kind(self.pos) {
            let span = self.peek().span;
            self.pos += 1;
            let spans = split_whitespace_spans(self.src(inner), inner.start);
            if spans.is_empty() {
                return Err(self.error(span, "empty quoted value", &["a value"]));
            }
            return Ok(Some(Words { spans, quoted: true }));
        }
        let mut spans = Vec::new();
        while let Some((next, span)) = self.phrase_word(self.pos) {
            let word = normalize_word(self.src(span));
            if let Some(keyword) = near_keyword(&word) {
                return Err(self
                    .error(span, format!("unexpected word `{}`", self.src(span)), &after_clause())
                    .help(format!("did you mean `{keyword}`?")));
            }
            spans.push(span);
            self.pos = next;
        }
        // A phrase of nothing but filler keeps its last word: it may be a noun.
        let keep = spans
            .iter()
            .position(|&s| !FILLER.contains(&normalize_word(self.src(s)).as_str()))
            .unwrap_or(spans.len().saturating_sub(1));
        spans.drain(..keep);
        Ok((!spans.is_empty()).then_some(Words { spans, quoted: false }))
    }

    fn phrase(&mut self) -> Result<Option<Phrase>> {
        Ok(self.words()?.map(|w| self.to_phrase(&w.spans)))
    }

    fn required_phrase(&mut self, after: &str, expected: &[&str]) -> Result<Phrase> {
        match self.phrase()? {
            Some(phrase) => Ok(phrase),
            None => Err(self.unexpected_after(after, expected)),
        }
    }

    fn to_phrase(&self, spans: &[Span]) -> Phrase {
        Phrase {
            words: spans.iter().map(|&s| normalize_word(self.src(s))).collect(),
            text: spans.iter().map(|&s| self.src(s)).collect::<Vec<_>>().join(" "),
            span: span_of(spans),
        }
    }

    // ---- tokens ----------------------------------------------------------------

    fn peek(&self) -> &Token {
        self.token(self.pos)
    }

    fn token(&self, i: usize) -> &Token {
        self.tokens.get(i).unwrap_or_else(|| self.tokens.last().expect("the lexer always ends with Eof"))
    }

    fn kind(&self, i: usize) -> TokenKind {
        self.token(i).kind
    }

    fn at_eof(&self) -> bool {
        self.kind(self.pos) == TokenKind::Eof
    }

    /// The lowercase word at `i`, if it is a word.
    fn word(&self, i: usize) -> Option<&str> {
        let token = self.token(i);
        (token.kind == TokenKind::Word).then_some(token.lower.as_str())
    }

    fn is_word(&self, i: usize, word: &str) -> bool {
        self.word(i) == Some(word)
    }

    /// Whether token `i` starts exactly where token `i - 1` ends.
    fn touches(&self, i: usize) -> bool {
        i > 0 && i < self.tokens.len() && self.tokens[i - 1].span.end == self.tokens[i].span.start
    }

    fn prev_span(&self) -> Span {
        self.pos.checked_sub(1).map_or_else(Span::default, |i| self.token(i).span)
    }

    fn src(&self, span: Span) -> &str {
        &self.text[span.start..span.end]
    }

    fn expect_word(&mut self, words: &[&str], expected: &str) -> Result<()> {
        if self.word(self.pos).is_some_and(|w| words.contains(&w)) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(&[expected]))
        }
    }

    // ---- errors ----------------------------------------------------------------

    fn error(&self, span: Span, message: impl Into<String>, expected: &[&str]) -> ScopeError {
        ScopeError::new(self.text, span, message).expected(expected.iter().copied())
    }

    fn unexpected(&self, expected: &[&str]) -> ScopeError {
        self.error(self.peek().span, format!("unexpected {}", self.describe(self.peek())), expected)
    }

    fn unexpected_after(&self, after: &str, expected: &[&str]) -> ScopeError {
        let message = format!("unexpected {} after `{after}`", self.describe(self.peek()));
        self.error(self.peek().span, message, expected)
    }

    /// A count with nothing after it to count. At the end of the scope the
    /// number itself is the culprit (`10 users with 5`); otherwise the token
    /// that took the noun's place is.
    fn dangling_number(&self, number: Span, expected: &[&str]) -> ScopeError {
        if !self.at_eof() {
            return self.unexpected(expected);
        }
        let message = format!("number `{}` is not followed by what it counts", self.src(number));
        self.error(number, message, expected)
    }

    fn describe(&self, token: &Token) -> String {
        let text = self.src(token.span);
        match token.kind {
            TokenKind::Word => format!("word `{text}`"),
            TokenKind::Number => format!("number `{text}`"),
            TokenKind::Percent(_) => format!("percentage `{text}`"),
            TokenKind::Quoted { .. } => format!("quoted value `{text}`"),
            TokenKind::Comma | TokenKind::Colon | TokenKind::Dash => format!("`{text}`"),
            TokenKind::Eof => "end of scope".to_string(),
        }
    }
}

fn span_of(spans: &[Span]) -> Span {
    match (spans.first(), spans.last()) {
        (Some(first), Some(last)) => first.to(*last),
        _ => Span::default(),
    }
}

fn format_percent(hundredths: u32) -> String {
    match hundredths % 100 {
        0 => format!("{}%", hundredths / 100),
        rest if rest % 10 == 0 => format!("{}.{}%", hundredths / 100, rest / 10),
        rest => format!("{}.{rest:02}%", hundredths / 100),
    }
}

/// Spans of the whitespace-separated pieces of `text`, which starts at byte `offset`.
fn split_whitespace_spans(text: &str, offset: usize) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push(Span::new(offset + s, offset + i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    spans
}

/// The keyword `word` is one slip away from: two neighbouring letters
/// swapped (`wiht`), or for long keywords one letter added, dropped or
/// changed (`acros`, `refrencing`). Short keywords only get the swap check,
/// since one-letter edits of `with` or `over` are real words (`width`).
fn near_keyword(word: &str) -> Option<&'static str> {
    let word: Vec<char> = word.chars().collect();
    TYPO_TARGETS.iter().copied().find(|keyword| {
        let keyword: Vec<char> = keyword.chars().collect();
        word != keyword && (is_swap(&word, &keyword) || (keyword.len() >= 6 && within_one_edit(&word, &keyword)))
    })
}

fn is_swap(a: &[char], b: &[char]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diffs.as_slice(), &[i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if prefix == short.len() {
        return true;
    }
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}
