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

use std::collections::HashMap;

use crate::ast::{
    Affix, Clause, Count, CountRange, Date, IdLiteral, IdSelection, Number, Percent, Period, Phrase, Portion, Scope,
    Share, Span, TimeUnit,
};
use crate::error::ScopeError;
use crate::lexer::{Token, TokenKind, normalize_word, tokenize};

mod lists;
mod time;

type Result<T> = std::result::Result<T, ScopeError>;

/// Parses a scope into its AST. Pure and deterministic; no schema involved.
///
/// # Errors
///
/// A [`ScopeError`] pointing at the first word, number or character that
/// does not fit the grammar, or at a value that cannot hold (a range running
/// backwards, distribution shares over 100%).
pub fn parse(text: &str) -> Result<Scope> {
    let all = tokenize(text)?;
    // `exactly one ticket`, `precisely 3 rooms`: the count is exact anyway.
    let emphasis = |i: usize| {
        let count_next = all.get(i + 1).is_some_and(|next| next.kind == TokenKind::Number || (next.kind == TokenKind::Word && NUMBER_WORDS.iter().any(|(w, _)| *w == next.lower)));
        all[i].kind == TokenKind::Word && ["exactly", "precisely"].contains(&all[i].lower.as_str()) && count_next
    };
    let tokens: Vec<Token> = (0..all.len()).filter(|&i| !emphasis(i)).map(|i| all[i].clone()).collect();
    Parser { text, tokens, pos: 0, clauses: Vec::new(), bare_ids: false, bare_rows: false, named: Vec::new() }.scope()
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
    // `2 different parts each`, `3 distinct shows`: each row its own.
    "different",
    "distinct",
    "separate",
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
    "each",
    "every",
    "apiece",
    "worth",
    "lasting",
    "weighing",
    "belonging",
    "against",
    "through",
    "via",
    "having",
    "holding",
    "containing",
    "which",
    "where",
    "whose",
    "without",
    "who",
    "never",
    "on",
    "named",
    "called",
    "titled",
    "entitled",
    "in",
    "since",
    "during",
    "before",
    "under",
    "below",
    "at",
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
    "segment",
    "segments",
    "group",
    "groups",
    "priority",
    "priorities",
    "plan",
    "plans",
];

/// What test data is for, when `for the ...` names no table: `for the feed
/// page`, `for the contact form tests`.
const PURPOSE_NOUNS: &[&str] = &[
    "page", "pages", "test", "tests", "dashboard", "dashboards", "heatmap", "demo", "demos", "screen", "screens", "report", "reports",
    "view", "views", "form", "forms", "ui", "screenshot", "screenshots", "benchmark", "benchmarks", "chart", "charts", "widget",
    "widgets", "story", "stories", "suite", "feature", "flow", "team", "review", "presentation", "sandbox", "staging",
    "job", "jobs", "export", "exports", "bug", "cron", "worker", "script", "migration", "endpoint", "api", "integration",
];

/// Words before the name of a row (`named Bob`, `called Gold`, `titled
/// "Ordering Food"`).
const NAMING: &[&str] = &["named", "called", "titled", "entitled"];

/// What a price is per (`€200 a night`, `$9 per month`).
const PER_UNIT: &[&str] = &["night", "day", "hour", "week", "month", "year", "person", "head", "seat", "user", "unit", "piece", "item", "box", "visit", "session", "ride", "trip", "kg", "kilo", "pound", "lb", "ticket", "guest", "class", "lesson", "meal", "order", "delivery", "shift", "mile", "km", "minute", "portion", "serving", "bag", "bottle", "license", "member"];

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

const TIME_UNITS: &[&str] = &["`hours`", "`days`", "`weeks`", "`months`", "`years`"];

/// Number words people write instead of digits.
const NUMBER_WORDS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("dozen", 12),
    ("hundred", 100),
    ("thousand", 1000),
];

/// Denominators of fraction words: `a third`, `two fifths`.
const FRACTION_WORDS: &[(&str, u64)] = &[
    ("half", 2),
    ("halves", 2),
    ("third", 3),
    ("thirds", 3),
    ("quarter", 4),
    ("quarters", 4),
    ("fourth", 4),
    ("fourths", 4),
    ("fifth", 5),
    ("fifths", 5),
    ("sixth", 6),
    ("sixths", 6),
    ("tenth", 10),
    ("tenths", 10),
];

const MONTHS: &[&str] =
    &["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// Participles that do not end in `-ed` but name a time or value column
/// (`sent in 2025`, `built 2018 or later`).
const IRREGULAR_PARTICIPLES: &[&str] = &[
    "came", "taught", "led",
    "made", "sent", "paid", "built", "born", "done", "held", "sold", "won", "begun", "due", "written", "taken", "given",
    "bought", "spent", "run", "seen", "drawn", "grown", "wrote", "took", "gave", "ran", "placed", "booked", "ordered",
];

/// Words read as "rows of a share have this value": `30% are urgent`.
const SHARE_VERBS: &[&str] = &["are", "is", "were", "being", "be"];

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
    /// Inside an ID list opened by `IDs:`, where bare upper-case codes are IDs.
    bare_ids: bool,
    /// Reading `, 5 revoked`: a bare count before a value is a share of
    /// that many rows (elsewhere `5 revoked` could be a count of a table).
    bare_rows: bool,
    /// Rows listed by name after `named`/`called`, when no `:` listed them.
    named: Vec<Phrase>,
}

impl Parser<'_> {
    // ---- scope -------------------------------------------------------------

    fn scope(mut self) -> Result<Scope> {
        if self.at_eof() {
            return Err(self.error(Span::new(0, 0), "empty scope", &["a count", "a table name"]));
        }
        self.request_words();
        let count = if self.count_ahead(self.pos) { Some(self.count()?) } else { None };
        // `5 pieces of equipment`, `20 units of stock`: the thing counted.
        if count.is_some() && self.word(self.pos).is_some_and(|w| ["pieces", "piece", "units", "unit", "items", "item"].contains(&w)) && self.is_word(self.pos + 1, "of") && self.phrase_word(self.pos + 2).is_some() {
            self.pos += 2;
        }
        let Some(mut subject) = self.phrase()? else {
            return Err(match count {
                Some(count) => self.dangling_number(count.span, &["a table name"]),
                None => self.unexpected(&["a count", "a table name"]),
            });
        };
        let subject_values = if self.list_opener(self.pos) && (self.portion_ahead(self.pos + 1) || self.bare_rows_ahead(self.pos + 1)) {
            // `120 tasks: a third done, the rest open`, `40 pets: 25 dogs,
            // 10 cats and 5 rabbits`
            let start = self.peek().span;
            self.pos += 1;
            self.bare_shares(start)?;
            Vec::new()
        } else if self.list_opener(self.pos) && self.named_list_ahead(self.pos + 1) {
            // `two terms: Fall 2025 and Spring 2026`
            self.pos += 1;
            self.name_items(false)?
        } else if self.list_opener(self.pos) {
            self.pos += 1;
            self.items()?.iter().map(|w| self.to_phrase(&w.spans)).collect()
        } else if let Some(codes) = self.trailing_codes(&subject)? {
            // `promo codes SUMMER10, WINTER20 and VIP50`
            let (table, values) = codes;
            subject = table;
            values
        } else {
            Vec::new()
        };
        self.clauses()?;
        let subject_values = if subject_values.is_empty() { std::mem::take(&mut self.named) } else { subject_values };
        Ok(Scope { text: self.text.to_string(), count, subject, subject_values, clauses: self.clauses })
    }



    /// `seed 40 ...`, `create ...`, `we need 45 ...`, `for the statement page
    /// we need 80 ...`: how the request is put, not what it asks for. Skipped
    /// only when a count or a table phrase follows.
    fn request_words(&mut self) {
        const VERBS: &[&str] = &["seed", "create", "generate", "populate", "make", "add", "insert", "give", "need", "want", "build", "prepare", "set", "log", "load", "fill", "mock", "fake"];
        const FILL: &[&str] = &["we", "i", "please", "me", "us", "just", "up", "let's", "lets", "have", "also"];
        let start = self.pos;
        // `for the inspector dashboard, 60 inspections ...`: a purpose first.
        let mut i = self.pos;
        if self.is_word(i, "for") && self.is_word(i + 1, "the") {
            let mut j = i + 2;
            while self.kind(j) == TokenKind::Word && j < i + 8 {
                j += 1;
            }
            if self.kind(j) == TokenKind::Comma && self.word(j - 1).is_some_and(|w| PURPOSE_NOUNS.contains(&w)) {
                self.pos = j + 1;
                i = self.pos;
            }
        }
        // `for the statement page we need ...`: a purpose, then the request.
        if self.is_word(i, "for") {
            while self.kind(i) == TokenKind::Word && !self.word(i).is_some_and(|w| w == "need" || w == "want") && i < self.pos + 12 {
                i += 1;
            }
            if !self.word(i).is_some_and(|w| w == "need" || w == "want") {
                return;
            }
            i += 1;
        }
        while self.word(i).is_some_and(|w| FILL.contains(&w) || VERBS.contains(&w)) {
            i += 1;
        }
        if i == start {
            return;
        }
        let asked = (start..i).any(|j| self.word(j).is_some_and(|w| VERBS.contains(&w) || w == "please"));
        if (self.count_ahead(i) || self.phrase_word(i).is_some()) && asked {
            self.pos = i;
        }
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
            // `200 downloads in the last 24 hours: 40% on iOS, ...`: shares
            // after a colon, once a clause has been read.
            if separator.is_none() && self.kind(self.pos) == TokenKind::Colon && (self.portion_ahead(self.pos + 1) || self.bare_rows_ahead(self.pos + 1)) && !self.clauses.is_empty() {
                self.pos += 1;
                self.bare_shares(self.peek().span)?;
                continue;
            }
            // `the completed ones finished in the last 30 days`: the clause
            // after is about the rows in that state, which are all that
            // have its time.
            if separator.is_some() && self.is_word(self.pos, "the") && self.word(self.pos + 2).is_some_and(|w| w == "ones" || w == "one") && self.kind(self.pos + 3) == TokenKind::Word {
                self.pos += 3;
            }
            // `of £2.50 each`, `over 500 pages long`: a word that only
            // repeats what the clause said.
            let ends = |j: usize| matches!(self.kind(j), TokenKind::Eof | TokenKind::Comma) || self.is_word(j, "and");
            if self.word(self.pos).is_some_and(|w| ["each", "apiece", "long", "tall", "wide", "old", "high", "deep", "total", "overall"].contains(&w)) && separator.is_none() && ends(self.pos + 1) {
                self.pos += 1;
                continue;
            }
            // `deals we won last month`: who did it colours nothing.
            if self.word(self.pos).is_some_and(|w| ["we", "i", "they", "you"].contains(&w)) && self.word(self.pos + 1).is_some_and(|w| is_participle(w) || IRREGULAR_PARTICIPLES.contains(&w)) {
                self.pos += 1;
            }
            // `each one for a cancelled booking`
            if self.is_word(self.pos, "each") && self.is_word(self.pos + 1, "one") && self.keyword(self.pos + 2).is_some() {
                self.pos += 2;
            } else if self.is_word(self.pos, "each") && self.keyword(self.pos + 1) == Some(Keyword::Reference) {
                self.pos += 1;
            }
            // `18 refunds, all for cancelled bookings`, `drivers working for
            // 4 carriers`, `leaving from warehouse AMS1`: the word before the
            // reference only colours it.
            if self.word(self.pos).is_some_and(|w| w == "all" || is_participle(w)) && matches!(self.keyword(self.pos + 1), Some(Keyword::Reference | Keyword::With)) {
                self.pos += 1;
            }
            // `transfers of between 50 and 500 dollars`
            if self.is_word(self.pos, "of") && self.is_word(self.pos + 1, "between") && self.number_ahead(self.pos + 2) {
                self.pos += 1;
            }
            // `scheduled to go out on 5 January 2026`, `due to be returned
            // within the next 7 days`: what the rows are to do says only when.
            if let Some(k) = self.to_do_period_ahead(self.pos) {
                self.tokens.drain(self.pos + 1..k);
            }
            // `weddings taking place in June 2026`: when the rows happen.
            if self.is_word(self.pos, "taking") && self.is_word(self.pos + 1, "place") && self.period_at(self.pos + 2).is_some() {
                self.pos += 2;
            }
            // `located in Berlin`: the verb only leads to the place.
            if self.place_verb_ahead(self.pos) {
                self.pos += 1;
            }
            // `checked in at gate B`: the state the verb and its particle
            // name, then where.
            if self.word(self.pos).is_some_and(is_participle)
                && self.word(self.pos + 1).is_some_and(|w| ["in", "out", "up", "off"].contains(&w))
                && self.word(self.pos + 2).is_some_and(|w| ["at", "on", "by", "to", "from", "via", "through"].contains(&w))
                && self.period_at(self.pos + 2).is_none()
            {
                let spans = [self.tokens[self.pos].span, self.tokens[self.pos + 1].span];
                self.pos += 2;
                let value = self.to_phrase(&spans);
                self.clauses.push(Clause::Values { column: None, values: vec![value], span: spans[0].to(spans[1]) });
                continue;
            }
            // `requested through the app`, `still in progress`
            if (self.word(self.pos).is_some_and(is_participle) && self.word(self.pos + 1).is_some_and(|w| ["through", "via"].contains(&w)))
                || (self.word(self.pos).is_some_and(|w| ["still", "currently", "already"].contains(&w)) && self.word(self.pos + 1).is_some_and(|w| ["in", "on", "under"].contains(&w)))
            {
                self.pos += 1;
            }
            // `each co-written by 2 authors`, `each followed up by a repair
            // order`: the rows' children or linked rows, counted.
            if self.word(self.pos).is_some_and(|w| w == "each" || w == "every") {
                let mut j = self.pos + 1;
                // `co-written`: the participle is the glued word's last part.
                let glued = self.glued_end(j);
                if self.word(glued - 1).is_some_and(|w| is_participle(w) || IRREGULAR_PARTICIPLES.contains(&w) || w.ends_with("ed") || w.ends_with("en")) && self.kind(j) == TokenKind::Word {
                    j = glued;
                    if self.word(j).is_some_and(|w| ["up", "out", "off"].contains(&w)) {
                        j += 1;
                    }
                    // `each worked by a crew of 3 workers`
                    if self.is_word(j, "by") && self.word(j + 1).is_some_and(|w| w == "a") && self.word(j + 2).is_some_and(|w| ["crew", "team", "group", "panel", "squad"].contains(&w)) && self.is_word(j + 3, "of") && self.count_ahead(j + 4) {
                        self.tokens.drain(j + 1..j + 4);
                    }
                    if self.is_word(j, "by") && (self.count_ahead(j + 1) || self.word(j + 1).is_some_and(|w| ["a", "an", "one"].contains(&w))) && !self.named_parent_ahead(j + 1).is_some() {
                        self.pos = j + 1;
                        self.with_item(self.peek().span)?;
                        continue;
                    }
                }
            }
            // `each delivering between 10 and 60 kWh`: the unit names it.
            if self.is_word(self.pos, "each") && self.word(self.pos + 1).is_some_and(|w| w.ends_with("ing") || is_participle(w)) && self.column_clause_ahead(self.pos + 2) {
                self.pos += 2;
            }
            // `associates billing $250 an hour`, `plans costing $9`: a verb
            // before a price reads as `at`.
            if self.word(self.pos).is_some_and(|w| (w.len() > 5 && w.ends_with("ing")) || w == "charged" || w == "paid") && self.currency_at(self.pos + 1).is_some() && self.number_ahead(self.pos + 1) {
                self.tokens[self.pos].lower = "at".to_string();
            }
            // `priced at $89.99`: the price says which column.
            if self.word(self.pos).is_some_and(is_participle) && self.word(self.pos + 1).is_some_and(|w| ["at", "for"].contains(&w)) && self.currency_at(self.pos + 2).is_some() {
                self.pos += 1;
            }
            // `assigned to Priya Shah`, `featuring the artist Luna Park`
            if self.word(self.pos).is_some_and(|w| is_participle(w) || w == "featuring")
                && self.word(self.pos + 1).is_some_and(|w| ["to", "at", "on", "of", "by", "for"].contains(&w))
                && self.named_parent_ahead(self.pos + 2).is_some()
            {
                self.pos += 1;
            }
            let start = self.peek().span;
            if separator.is_some() && self.all_ahead(self.pos) {
                // `80 tickets, all under $150`, `all of them against paid
                // tickets`: what every row is.
                self.pos += 1;
                if self.is_word(self.pos, "of") && self.word(self.pos + 1).is_some_and(|w| ["them", "those", "these", "which", "whom"].contains(&w)) {
                    self.pos += 2;
                }
                self.predicate(start, "all")?;
                continues = None;
            } else if self.relative_ahead(self.pos) {
                // `who joined in 2025`, `that have been delivered`
                self.relative(start)?;
                continues = match self.clauses.last() {
                    Some(Clause::With { .. }) => Some(Continues::With),
                    _ => None,
                };
            } else if separator.is_some() && self.kind(self.pos) == TokenKind::Number && self.no_words(self.whole_end(self.pos)).is_some() {
                // `a quarter with no phone number and 10 with no email`
                let (text, span) = self.number_text();
                let rows = text.parse().map_err(|_| self.error(span, format!("count `{text}` is not a whole number"), &["a whole number"]))?;
                self.nulls(start, Portion::Rows(rows))?;
                continues = None;
            } else if separator.is_some() && self.counted_per_ahead(self.pos) {
                // `8 agents, 2-4 listings per agent, 3-6 viewings per listing`
                self.with_item(start)?;
                continues = Some(Continues::With);
            } else if separator.is_some() && continues != Some(Continues::With) && self.bare_rows_ahead(self.pos) {
                // `40 api keys, 5 revoked`: that many rows take the value.
                self.bare_shares(start)?;
                continues = None;
            } else if let Some(noun) = self.unlinked_ahead(self.pos) {
                // `not linked to any customer`: no parent at all.
                self.pos = noun;
                let column = self.required_phrase("not", &["what the rows are not linked to"])?;
                self.clauses.push(Clause::Nulls { portion: Portion::Percent(10_000), column, span: start.to(self.prev_span()) });
                continues = None;
            } else if self.natural_clause(start)? {
                continues = match self.clauses.last() {
                    Some(Clause::With { .. }) => Some(Continues::With),
                    _ => None,
                };
            } else if let Some(keyword) = self.keyword(self.pos) {
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
        // `8 tickets ... plus 4 tickets ...`
        if self.is_word(self.pos, "and") || (self.is_word(self.pos, "plus") && self.count_ahead(self.pos + 1)) {
            self.pos += 1;
            found = true;
        }
        found.then(|| start.to(self.prev_span()))
    }

    fn keyword(&self, i: usize) -> Option<Keyword> {
        let keyword = match self.word(i)? {
            "with" | "having" | "holding" | "containing" => Keyword::With,
            "for" | "about" | "referencing" | "references" | "against" => Keyword::Reference,
            // `made by banned players`; `grouped by stream_id` is a grouping.
            "by" if i > 0
                && self.word(i - 1).is_some_and(|w| is_participle(w) && !["grouped", "ordered", "sorted", "partitioned"].contains(&w))
                && self.phrase_word(i + 1).is_some()
                && !self.count_ahead(i + 1) =>
            {
                Keyword::Reference
            }
            "from" if self.phrase_word(i + 1).is_some() && self.period_at(i).is_none() => Keyword::Reference,
            // `released last month by an artist named Aurora Fields`
            "by" if self.named_parent_ahead(i + 1).is_some_and(|f| f.named() || self.word(i + 1).is_some_and(|w| ["a", "an", "the"].contains(&w))) => Keyword::Reference,
            "across" => Keyword::Across,
            "spread" | "distributed" | "split" if self.word(i + 1).is_some_and(|w| ["across", "over", "among"].contains(&w)) && self.count_ahead(i + 2) && !self.dated_period_at(i + 1) => Keyword::SpreadAcross,
            "spread" | "distributed" | "split" if self.dated_period_at(i + 1) => return None,
            "spread" if self.is_word(i + 1, "across") => Keyword::SpreadAcross,
            "over" => Keyword::Over,
            "including" => Keyword::Including,
            "mix" if self.is_word(i + 1, "of") => Keyword::MixOf,
            "to" if self.named_parent_ahead(i + 1).is_some() => return None,
            "to" if matches!(self.kind(i + 1), TokenKind::Word | TokenKind::Quoted { .. }) => Keyword::Purpose,
            // `... so I can test the reminder emails`
            "so" if self.word(i + 1).is_some_and(|w| ["i", "we", "that", "they", "you", "the"].contains(&w)) => Keyword::Purpose,
            _ => return None,
        };
        Some(keyword)
    }

    fn keyword_clause(&mut self, keyword: Keyword, start: Span) -> Result<Option<Continues>> {
        let keyword_text = self.src(self.peek().span).to_string();
        self.pos += 1;
        match keyword {
            Keyword::With if matches!(self.kind(self.pos), TokenKind::Percent(_)) => {
                // `with 5% referencing customer IDs that don't exist`
                self.percent_clause(start)?;
                Ok(None)
            }
            Keyword::With if self.portion_word(self.pos).is_some() => {
                // `with a third delayed and the rest in transit`
                if !self.portion_then_without()? {
                    let shares = self.shares()?;
                    self.clauses.push(Clause::Distribution { column: None, shares, span: start.to(self.prev_span()) });
                }
                Ok(None)
            }
            // `with up to 3 bills`, `with at least 2 guests`: children, read
            // as a count below; `more than 500 employees` a counted column.
            Keyword::With if self.bound_words(self.pos).is_some() && self.word(self.pos).is_some_and(|w| ["more", "over", "above", "fewer", "less", "under", "below"].contains(&w)) => {
                // `companies with more than 500 employees`: a bound on the
                // column the trailing noun names.
                let clause = self.bound(start, None)?;
                self.clauses.push(clause);
                Ok(None)
            }
            Keyword::With if self.is_word(self.pos, "no") => {
                // `guests with no email address`
                self.pos -= 1;
                self.nulls(start, Portion::Percent(10_000))?;
                Ok(None)
            }
            Keyword::With => {
                let item_ahead = self.kind(self.pos) == TokenKind::Number
                    || (self.is_word(self.pos, "up") && self.is_word(self.pos + 1, "to") && self.count_ahead(self.pos + 2))
                    || matches!(self.kind(self.pos), TokenKind::Quoted { .. })
                    || self.phrase_word(self.pos).is_some()
                    || self.bound_words(self.pos).is_some()
                    || self.starts_tail(self.pos);
                if !item_ahead {
                    return Err(self.unexpected_after(&keyword_text, &["a table or column name", "a count"]));
                }
                self.with_item(start)?;
                Ok(Some(Continues::With))
            }
            Keyword::Reference if self.purpose_ahead(self.pos) => {
                // `... for the feed page`: what the data is for.
                while matches!(self.kind(self.pos), TokenKind::Word | TokenKind::Dash) {
                    self.pos += 1;
                }
                self.clauses.push(Clause::Purpose { span: start.to(self.prev_span()) });
                Ok(None)
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
                // `over the next 7 days`: from now on.
                if let Some((period @ Period::Next { .. }, end)) = self.period_at(self.pos - 1) {
                    self.pos = end;
                    self.clauses.push(Clause::Period { column: None, period, span: start.to(self.prev_span()) });
                    return Ok(None);
                }
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

    // ---- clauses in everyday words -----------------------------------------

    /// Clauses that start with an everyday word rather than a keyword:
    /// `each with ...`, `every order with ...`, `a third of them urgent`,
    /// `where 30% are urgent`, `in the last 3 days`, `placed in 2025`,
    /// `named Bob`, `under $20`, `without email addresses`, `in 3
    /// categories: ...`. `false` when none starts at the cursor.
    fn natural_clause(&mut self, start: Span) -> Result<bool> {
        let Some(word) = self.word(self.pos).map(str::to_string) else {
            if self.kind(self.pos) == TokenKind::Number && self.portion_word(self.pos).is_some() {
                // `7 of them discontinued`, `3 of whom don't have a bio`
                if self.portion_then_without()? {
                    return Ok(true);
                }
                let shares = self.shares()?;
                self.clauses.push(Clause::Distribution { column: None, shares, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            if self.column_clause_ahead(self.pos) {
                let clause = self.column_clause(start, None)?.expect("checked ahead");
                self.clauses.push(clause);
                return Ok(true);
            }
            return Ok(false);
        };
        if let Some(at) = self.measure_ahead(self.pos) {
            // `lasting 45 minutes`, `worth 6 credits`, `running for two
            // hours`: one value, the column named by its unit.
            self.pos = at;
            let number = match self.number_word(self.pos) {
                Some((value, end)) => {
                    let span = self.peek().span.to(self.tokens[end - 1].span);
                    self.pos = end;
                    Number { text: value.to_string(), value: value as f64, span }
                }
                None => self.decimal()?,
            };
            let unit = self.word(self.pos).map(str::to_string);
            self.pos += 1;
            let span = start.to(self.prev_span());
            self.clauses.push(Clause::Range { column: None, min: number.clone(), max: number, unit, span });
            return Ok(true);
        }
        if ["at", "in", "of", "on"].contains(&word.as_str())
            && let Some((label, noun, end)) = self.labelled_parent_ahead(self.pos + 1)
        {
            // `classes at the Downtown location`: one parent, by its label.
            self.pos = end;
            self.labelled_reference(start, label, noun, end);
            return Ok(true);
        }
        if ["at", "of", "on", "to", "featuring"].contains(&word.as_str())
            && let Some(found) = self.named_parent_ahead(self.pos + 1)
        {
            // `at a hotel called Seaside Inn`, `assigned to Priya Shah`,
            // `featuring the artist Luna Park`
            self.named_reference(start, found);
            return Ok(true);
        }
        match word.as_str() {
            "spread" | "distributed" | "scattered" if self.dated_period_at(self.pos + 1) => {
                // `spread over 1-3 March 2025`
                self.pos += 1;
                if let Some(clause) = self.column_clause(start, None)? {
                    self.clauses.push(clause);
                    return Ok(true);
                }
                return Err(self.unexpected_after(&word, &["a time window"]));
            }
            "each" | "every" if self.is_word(self.pos + 1, "one") && self.word(self.pos + 2).is_some_and(|w| ["in", "on", "at", "with"].contains(&w)) && self.count_ahead(self.pos + 3) => {
                // `15 courses, each one in 2 categories`
                self.pos += 3;
                self.with_item(start)?;
                return Ok(true);
            }
            "each" | "every" if self.verb_children_ahead(self.pos + 1).is_some() => {
                // `each taught by two teachers`
                self.pos = self.verb_children_ahead(self.pos + 1).expect("checked");
                self.with_item(start)?;
                return Ok(true);
            }
            "each" | "every" if self.column_clause_ahead(self.pos + 1) => {
                // `each between €50 and €500`: every row's value.
                self.pos += 1;
                let clause = self.column_clause(start, None)?.expect("checked ahead");
                self.clauses.push(clause);
                return Ok(true);
            }
            "split" | "divided" | "evenly" if self.split_ahead(self.pos) => {
                // `split evenly between express and overnight`
                while self.word(self.pos).is_some_and(|w| ["split", "divided", "evenly", "equally", "between", "among", "across"].contains(&w)) {
                    self.pos += 1;
                }
                self.values(start)?;
                return Ok(true);
            }
            "labelled" | "labeled" | "tagged" if matches!(self.kind(self.pos + 1), TokenKind::Quoted { .. }) || (self.capital(self.pos + 1) && self.kind(self.pos + 2) != TokenKind::Word) => {
                // `issues labelled "frontend"`: a parent named by its label,
                // the noun the verb's own (`label`, `tag`).
                let verb = self.peek().span;
                self.pos += 1;
                let (label_span, end) = match self.kind(self.pos) {
                    TokenKind::Quoted { inner } => (inner, self.pos + 1),
                    _ => (self.peek().span, self.pos + 1),
                };
                self.pos = end;
                let noun = if word.starts_with("label") { "label" } else { "tag" };
                let target = Phrase { words: vec![noun.to_string()], text: noun.to_string(), span: verb };
                let ids = IdSelection::List { ids: vec![IdLiteral { text: self.src(label_span).to_string(), span: label_span }], span: label_span };
                self.clauses.push(Clause::References { target, ids: Some(ids), span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "marked" | "flagged" | "tagged" if self.kind(self.pos + 1) == TokenKind::Word && !self.is_stop(self.pos + 1) => {
                // `assignments marked attended`: a value.
                self.pos += if self.is_word(self.pos + 1, "as") { 2 } else { 1 };
                let at = self.peek().span;
                self.pos += 1;
                let value = self.to_phrase(&[at]);
                self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "as" if self.phrase_word(self.pos + 1).is_some() && !self.count_ahead(self.pos + 1) => {
                // `all as tablets`: a value.
                self.pos += 1;
                let value = self.required_phrase(&word, &["a value, such as `tablet`"])?;
                self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "through" | "via" if self.phrase_word(self.pos + 1).is_some() || (self.is_word(self.pos + 1, "the") && self.phrase_word(self.pos + 2).is_some()) => {
                // `made through the app`, `booked via phone`: a value.
                self.pos += 1;
                let value = self.required_phrase(&word, &["a value, such as `app`"])?;
                self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "belonging" if self.is_word(self.pos + 1, "to") => {
                // `enrolments belonging to suspended students`
                self.pos += 2;
                self.reference(start)?;
                return Ok(true);
            }
            "a" | "an" | "per" if self.word(self.pos + 1).is_some_and(|w| PER_UNIT.contains(&w)) => {
                // `€200 a night`, `$5 per month`: the rate's unit colours the
                // number, it names no column.
                self.pos += 2;
                return Ok(true);
            }
            "each" | "every" if self.is_with(self.pos + 1) => {
                // `8 customers, each with a home and a work address`
                self.pos += 2;
                self.with_item(start)?;
                return Ok(true);
            }
            "each" | "every" => {
                // `every order with 1-5 lines`: children of a child.
                self.pos += 1;
                let per = self.required_phrase(&word, &["a table name, such as `order`"])?;
                if !self.is_with(self.pos) {
                    return Err(self.unexpected_after(&per.text, &["`with`"]));
                }
                self.pos += 1;
                let before = self.clauses.len();
                self.with_item(start)?;
                for clause in &mut self.clauses[before..] {
                    if let Clause::With { per: p @ None, .. } = clause {
                        *p = Some(per.clone());
                    }
                }
                return Ok(true);
            }
            "whose" if !self.portion_ahead(self.pos + 1) => {
                // `whose email addresses end in @example.org`
                self.pos += 1;
                let column = self.required_phrase("whose", &["a column, such as `email addresses`"])?;
                while self.word(self.pos).is_some_and(|w| ["end", "ends", "ending", "in", "with", "at", "are", "is", "on"].contains(&w)) {
                    self.pos += 1;
                }
                let value = self.required_phrase(&column.text, &["a domain, such as `example.org`"])?;
                if !value.text.contains('.') {
                    return Err(self
                        .error(value.span, format!("`{}` is not a domain", value.text), &["a domain, such as `example.org`"])
                        .help("write the end of the addresses, as in `whose emails end in @example.org`"));
                }
                let value = Phrase { text: value.text.trim_start_matches('@').to_string(), words: value.words.iter().map(|w| w.trim_start_matches('@').to_string()).collect(), span: value.span };
                self.clauses.push(Clause::Affix { column: Some(column), value, affix: Affix::Domain, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "where" if !self.portion_ahead(self.pos + 1) && self.is_word(self.pos + 1, "the") => {
                // `where the guest never showed up`: the person only says
                // whose doing it was; the rest is about the rows.
                const AFTER_NOUN: &[&str] = &["was", "were", "is", "are", "has", "have", "had", "never", "hasn't", "haven't", "didn't", "did", "does", "doesn't", "don't", "wasn't", "isn't", "already", "still", "not"];
                let mut j = self.pos + 2;
                while j < self.pos + 5 && self.phrase_word(j).is_some() && !self.word(j).is_some_and(|w| AFTER_NOUN.contains(&w)) {
                    j += 1;
                }
                if j == self.pos + 2 || !self.word(j).is_some_and(|w| AFTER_NOUN.contains(&w)) {
                    return Err(self
                        .unexpected_after(&word, &["a share such as `30% are urgent`"])
                        .help("write the shares as `where 30% are urgent and the rest normal`"));
                }
                self.pos = j;
                self.predicate(start, "where")?;
                return Ok(true);
            }
            "where" | "whose" | "of" if word != "of" || self.is_word(self.pos + 1, "which") || self.is_word(self.pos + 1, "whom") => {
                self.pos += if word == "of" { 2 } else { 1 };
                if !self.portion_ahead(self.pos) {
                    return Err(self
                        .unexpected_after(&word, &["a share such as `30% are urgent`"])
                        .help("write the shares as `where 30% are urgent and the rest normal`"));
                }
                let shares = self.shares()?;
                self.clauses.push(Clause::Distribution { column: None, shares, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            w if NAMING.contains(&w) && (self.named_list_ahead(self.pos + 1) || self.lower_list_ahead(self.pos + 1)) => {
                // `4 branches named Heathrow, Gatwick and Leeds`, `rooms called
                // Surgery 1, Surgery 2 and Hygiene Suite`, `labels called
                // frontend, backend and infra`: the rows.
                self.pos += 1;
                let lower = !self.named_list_ahead(self.pos);
                let names = self.name_items(lower)?;
                self.named.extend(names);
                return Ok(true);
            }
            w if NAMING.contains(&w) => {
                self.pos += 1;
                // `called Gold priced at $89.99`: a capitalised name ends at
                // the first word in lower case.
                // `called The Foundry in Leeds`: a name's own `The` stays.
                let the = self.src(self.peek().span) == "The";
                let value = match self.name_run_end(self.pos).filter(|&end| (self.phrase_word(end).is_some() || the) && !matches!(self.kind(self.pos), TokenKind::Quoted { .. })) {
                    Some(end) => {
                        let spans: Vec<Span> = (self.pos..end).map(|k| self.tokens[k].span).collect();
                        self.pos = end;
                        self.to_phrase(&spans)
                    }
                    None => self.required_phrase(&word, &["a name, such as `Bob`"])?,
                };
                self.clauses.push(Clause::Affix { column: None, value, affix: Affix::Prefix, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "without" => {
                return self.nulls(start, Portion::Percent(10_000)).map(|()| true);
            }
            "not" | "never" | "who" | "that" | "which" | "haven't" | "hasn't" | "havent" | "hasnt" | "weren't" | "wasn't" | "aren't" | "isn't" if self.never_ahead(self.pos) => {
                // `not yet reported`, `who never logged in`: the column is unset.
                while self.word(self.pos).is_some_and(|w| ["not", "yet", "never", "who", "that", "which", "have", "has", "had", "been", "were", "was", "haven't", "hasn't", "havent", "hasnt", "weren't", "wasn't", "aren't", "isn't"].contains(&w)) {
                    self.pos += 1;
                }
                // `haven't been assigned to a courier yet`: the courier is unset.
                if self.word(self.pos).is_some_and(is_participle)
                    && self.word(self.pos + 1).is_some_and(|w| ["to", "by", "with", "for", "from"].contains(&w))
                    && self.word(self.pos + 2).is_some_and(|w| ["a", "an", "any", "the"].contains(&w))
                    && self.phrase_word(self.pos + 3).is_some()
                {
                    self.pos += 3;
                }
                let mut column = self.required_phrase(&word, &["a column, such as `reported`"])?;
                // `come back yet`: `yet` says when; `come back` is the verb.
                if column.words.len() > 1 && column.words.last().is_some_and(|w| w == "yet") {
                    column.words.pop();
                    column.text = column.text.rsplit_once(' ').map_or(column.text.clone(), |(head, _)| head.to_string());
                }
                let particle = self.word(self.pos).is_some_and(|w| ["in", "on", "out", "up", "off"].contains(&w))
                    && (self.kind(self.pos + 1) == TokenKind::Comma || self.is_word(self.pos + 1, "and") || self.is_word(self.pos + 1, "yet") || self.kind(self.pos + 1) == TokenKind::Eof);
                if particle {
                    // `hasn't checked out yet`: the particle tells
                    // `checked_out_at` from `checked_in_at`.
                    let spans: Vec<Span> = split_whitespace_spans(self.src(column.span), column.span.start).into_iter().chain([self.peek().span]).collect();
                    column = self.to_phrase(&spans);
                    self.pos += 1;
                    if self.is_word(self.pos, "yet") {
                        self.pos += 1;
                    }
                }
                self.clauses.push(Clause::Nulls { portion: Portion::Percent(10_000), column, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "on" | "at" | "for" if self.bound_ahead(self.pos + 1) => {
                // `employees on more than £60,000 a year`
                self.pos += 1;
                let clause = self.bound(start, None)?;
                self.clauses.push(clause);
                return Ok(true);
            }
            "at" if self.kind(self.pos + 1) == TokenKind::Number && self.word(self.whole_end(self.pos + 1)).is_some_and(|w| is_unit_word(w) && w != "percent") => {
                // `at 599 cents a month`: that one price, in that unit.
                self.pos += 1;
                let number = self.decimal()?;
                let unit = self.word(self.pos).map(str::to_string);
                self.pos += 1;
                self.clauses.push(Clause::Range { column: None, min: number.clone(), max: number, unit, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            // `pledges of £10` (one amount; `of £5, £20 and £100` is a list).
            "at" | "for" | "of" if self.currency_at(self.pos + 1).is_some() && self.number_ahead(self.pos + 1) && (word != "of" || !self.list_after(self.after_number(self.pos + 1))) => {
                // `20 student tickets at $25`: that one price; `sold at $0.80
                // to $1.50`: a range of prices.
                self.pos += 1;
                let sign = self.currency_at(self.pos);
                let number = self.decimal()?;
                let unit = self.unit_after(sign.clone());
                if self.is_word(self.pos, "to") && self.currency_at(self.pos + 1).is_some() && self.number_ahead(self.pos + 1) {
                    self.pos += 1;
                    let sign = self.currency_at(self.pos);
                    let max = self.decimal()?;
                    let unit = self.unit_after(sign).or(unit);
                    self.clauses.push(Clause::Range { column: None, min: number, max, unit, span: start.to(self.prev_span()) });
                    return Ok(true);
                }
                self.clauses.push(Clause::Range { column: None, min: number.clone(), max: number, unit, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "on" if self.word(self.pos + 1).is_some_and(|w| w == "file" || w == "record") => {
                // `no phone number on file`: where it is kept, not a value.
                self.pos += 2;
                return Ok(true);
            }
            "on" | "with" if self.glued_measure_ahead(self.pos + 1) => {
                // `on 24-month contracts`: one measure, the noun its column.
                self.pos += 1;
                let clause = self.glued_measure(start)?;
                self.clauses.push(clause);
                return Ok(true);
            }
            "on" if self.phrase_word(self.pos + 1).is_some() => {
                // `on the pro plan`: a value, then the column it is a value of.
                self.pos += 1;
                let words = self.words()?.expect("a phrase word is ahead");
                let column = (words.spans.len() >= 2).then(|| self.to_phrase(&words.spans[words.spans.len() - 1..]));
                let value_spans = if column.is_some() { &words.spans[..words.spans.len() - 1] } else { &words.spans[..] };
                let value = self.to_phrase(value_spans);
                self.clauses.push(Clause::Values { column, values: vec![value], span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "in" if self.named_list_ahead(self.pos + 1) => {
                // `3 depots in Leeds, Bristol and Glasgow`: one place each.
                self.pos += 1;
                let values = self.name_items(false)?;
                self.clauses.push(Clause::Values { column: None, values, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            // `equipment under repair`, `orders on hold`: a state written
            // with its preposition (the resolver tries it with and without).
            "under" | "on" if self.phrase_word(self.pos + 1).is_some_and(|(next, _)| matches!(self.kind(next), TokenKind::Eof | TokenKind::Comma) || self.is_word(next, "and") || self.is_stop(next)) && !self.bound_ahead(self.pos) && self.period_at(self.pos).is_none() && !self.capital(self.pos + 1) => {
                self.pos += 1;
                let value = self.required_phrase(&word, &["a value, such as `repair`"])?;
                self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "in" if !self.count_ahead(self.pos + 1) && self.period_at(self.pos).is_none() && self.phrase_word(self.pos + 1).is_some() => {
                // `trips in Berlin`, `invoices in EUR`: a value of some column.
                self.pos += 1;
                let value = self.required_phrase("in", &["a value, such as `Berlin`"])?;
                self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
                return Ok(true);
            }
            "in" if self.count_ahead(self.pos + 1) && self.period_at(self.pos).is_none() => {
                // `in 3 categories: books, games and music`
                self.pos += 1;
                let count = self.count()?;
                let Some(target) = self.phrase()? else {
                    return Err(self.dangling_number(count.span, &["a table name, such as `categories`"]));
                };
                let named = if self.kind(self.pos) == TokenKind::Colon {
                    self.pos += 1;
                    self.items()?.iter().map(|w| self.to_phrase(&w.spans)).collect()
                } else {
                    Vec::new()
                };
                self.clauses.push(Clause::Across { count, target, named, span: start.to(self.prev_span()) });
                return Ok(true);
            }
            _ => {}
        }
        if self.portion_word(self.pos).is_some() {
            if self.portion_then_without()? {
                return Ok(true);
            }
            let shares = self.shares()?;
            self.clauses.push(Clause::Distribution { column: None, shares, span: start.to(self.prev_span()) });
            return Ok(true);
        }
        if word == "of" && self.plain_range_ahead(self.pos + 1) {
            // `60 premium payments of $100 to $500`
            self.pos += 1;
            let clause = self.range(start, None, "from")?;
            self.clauses.push(clause);
            return Ok(true);
        }
        if word == "of"
            && self.number_ahead(self.pos + 1)
            && self.word(self.after_number(self.pos + 1)).is_some()
            && self.or_bound(self.after_number(self.pos + 1)).is_none()
        {
            // `20 appointments of 60 minutes`, `30 prescriptions of 500 mg`:
            // one value, the column named by its unit.
            self.pos += 1;
            let sign = self.currency_at(self.pos);
            let number = self.decimal()?;
            let unit = self.unit_after(sign);
            if unit.is_some() {
                let span = start.to(self.prev_span());
                self.clauses.push(Clause::Range { column: None, min: number.clone(), max: number, unit, span });
                return Ok(true);
            }
            return Err(self.unexpected_after(&number.text, &["a unit, such as `minutes`"]));
        }
        if word == "of" && self.bound_ahead(self.pos + 1) {
            // `15 payments of at least $20`
            self.pos += 1;
            let clause = self.bound(start, None)?;
            self.clauses.push(clause);
            return Ok(true);
        }
        if self.is_hint_verb(self.pos) {
            let mut spans = vec![self.peek().span];
            self.pos += 1;
            if spans.len() == 1 && self.src(spans[0]).eq_ignore_ascii_case("last") {
                spans.push(self.peek().span);
                self.pos += 1;
            }
            if self.particle_clause_ahead(self.pos) {
                spans.push(self.peek().span);
                self.pos += 1;
            }
            let column = self.to_phrase(&spans);
            let clause = self.column_clause(start, Some(column))?.expect("a hint verb has a clause after it");
            self.clauses.push(clause);
            return Ok(true);
        }
        // `stocking 10 products each`, `taught by two teachers`: a verb
        // before counted rows, which are children or links.
        if let Some(at) = self.verb_children_ahead(self.pos) {
            self.pos = at;
            self.with_item(start)?;
            return Ok(true);
        }
        // Bare time and bounds; `over`/`across` windows stay keyword clauses.
        if !["over", "across", "spread"].contains(&word.as_str()) || self.bound_ahead(self.pos) || self.dated_period_at(self.pos) {
            if let Some(clause) = self.column_clause(start, None)? {
                self.clauses.push(clause);
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `with`, or a verb that means it before children: `having 2-4
    /// shipments`, `every shipment holding 1 to 6 items`.
    fn is_with(&self, i: usize) -> bool {
        const VERBS: &[&str] = &["has", "have", "gets", "get", "receives", "receive", "requires", "require", "needs", "need", "contains", "holds"];
        self.word(i).is_some_and(|w| ["with", "having", "holding", "containing"].contains(&w))
            || (self.word(i).is_some_and(|w| VERBS.contains(&w)) && (self.count_ahead(i + 1) || self.counted_between_ahead(i + 1)))
    }

    /// `who`, `that` or `which` opening a relative clause about the
    /// subject's rows (`who never ...` is a NULL clause of its own).
    /// `all` opening what every row is: not `all others`, nor `all` before
    /// a reference or children, which only colours them.
    fn all_ahead(&self, i: usize) -> bool {
        self.is_word(i, "all")
            && !self.word(i + 1).is_some_and(|w| ["others", "other", "the"].contains(&w))
            && !matches!(self.keyword(i + 1), Some(Keyword::Reference | Keyword::With))
            && matches!(self.kind(i + 1), TokenKind::Word | TokenKind::Currency)
    }


    fn relative_ahead(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| ["who", "that", "which"].contains(&w)) && !self.never_ahead(i) && self.kind(i + 1) == TokenKind::Word
    }

    /// A relative clause: its auxiliaries dropped, `each have` read as `each
    /// with`, `have` as `with`, then an everyday clause or a value of some
    /// column (`that are overdue`, `that have been delivered`).
    fn relative(&mut self, start: Span) -> Result<()> {
        let opener = self.src(self.peek().span).to_string();
        self.pos += 1;
        self.predicate(start, &opener)
    }

    /// What rows are or have, after `who`, `that` or `all (of them)`: `are
    /// overdue`, `have 2 pets`, `under $150`, `against paid tickets`.
    fn predicate(&mut self, start: Span, opener: &str) -> Result<()> {
        let (pos, clauses, named) = (self.pos, self.clauses.len(), self.named.len());
        let error = match self.predicate_clause(start, opener) {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        // `who opted in to marketing emails`: no clause reads it; the
        // words go whole to the resolver, which matches them to a column.
        self.pos = pos;
        self.clauses.truncate(clauses);
        self.named.truncate(named);
        while self.word(self.pos).is_some_and(|w| ["are", "is", "were", "was", "be", "been", "have", "has", "had", "currently", "still", "already", "all"].contains(&w)) {
            self.pos += 1;
        }
        let Some(end) = self.loose_run_end(self.pos) else { return Err(error) };
        let spans: Vec<Span> = (self.pos..end).map(|k| self.tokens[k].span).collect();
        self.pos = end;
        let value = self.to_phrase(&spans);
        self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
        Ok(())
    }

    fn predicate_clause(&mut self, start: Span, opener: &str) -> Result<()> {
        // `all by student members`: `by` names who the rows belong to.
        if self.is_word(self.pos, "by") && self.phrase_word(self.pos + 1).is_some() {
            self.pos += 1;
            return self.reference(start);
        }
        // `all scored by forwards`, `all held in the Main Hall room`: the
        // verb only leads to what the rows are.
        if self.word(self.pos).is_some_and(is_participle)
            && (matches!(self.keyword(self.pos + 1), Some(Keyword::Reference))
                || (self.word(self.pos + 1).is_some_and(|w| ["in", "at", "on", "under", "over", "below", "above"].contains(&w)) && !self.is_hint_verb(self.pos)))
        {
            self.pos += 1;
        }
        let each = self.is_word(self.pos, "each");
        if each {
            self.pos += 1;
        }
        let mut possessive = false;
        while let Some(w) = self.word(self.pos) {
            match w {
                // `that have ended`, `who have signed up`: a perfect tense,
                // not a possession.
                "have" | "has" | "had"
                    if self.word(self.pos + 1).is_some_and(|v| (v.len() > 4 && v.ends_with("ed")) || IRREGULAR_PARTICIPLES.contains(&v))
                        && !self.count_ahead(self.pos + 2)
                        && !self.is_with(self.pos + 2) =>
                {
                    self.pos += 1
                }
                // `who wrote 6 prescriptions`, `that placed 3 orders`: a
                // count of what the rows did is a count of their children.
                // `who each follow 3 shows`, `who each supervise 2 associates`:
                // any verb, when each row does it.
                w if (IRREGULAR_PARTICIPLES.contains(&w) || (w.len() > 4 && w.ends_with("ed")) || (each && !STOP.contains(&w) && !["are", "is", "were", "was", "be", "been"].contains(&w))) && self.kind(self.pos + 1) == TokenKind::Number && self.phrase_word(self.whole_end(self.pos + 1)).is_some() && self.period_at(self.pos + 1).is_none() && self.time_unit(self.whole_end(self.pos + 1)).is_none() => {
                    possessive = true;
                    self.pos += 1;
                    break;
                }
                "have" | "has" | "had" if !self.is_word(self.pos + 1, "been") => {
                    possessive = true;
                    self.pos += 1;
                    break;
                }
                "are" | "is" | "were" | "was" | "be" | "been" | "being" | "will" | "already" | "currently" | "still" | "all" | "have"
                | "has" | "had" | "got" | "get" => self.pos += 1,
                _ => break,
            }
        }
        // `who each work at 2 locations`
        if each
            && self.word(self.pos).is_some_and(|w| !STOP.contains(&w))
            && self.word(self.pos + 1).is_some_and(|w| ["at", "in", "on", "for", "with"].contains(&w))
            && self.count_ahead(self.pos + 2)
        {
            self.pos += 2;
            return self.with_item(start);
        }
        if possessive || (each && self.is_with(self.pos)) {
            if self.is_with(self.pos) {
                self.pos += 1;
            }
            if self.word(self.pos).is_some_and(|w| w == "no") {
                // `that have no notes`
                self.pos -= 1;
                return self.nulls(start, Portion::Percent(10_000));
            }
            return self.with_item(start);
        }
        let inner = self.peek().span;
        // `that don't have an adjuster yet`
        if self.no_words(self.pos).is_some() {
            return self.nulls(start, Portion::Percent(10_000));
        }
        if self.natural_clause(inner)? {
            return Ok(());
        }
        if let Some(keyword) = self.keyword(self.pos) {
            return self.keyword_clause(keyword, inner).map(|_| ());
        }
        let value = self.required_phrase(opener, &["a value, such as `delivered`"])?;
        self.clauses.push(Clause::Values { column: None, values: vec![value], span: start.to(self.prev_span()) });
        Ok(())
    }

    /// `24-month contracts` at `i`: a number glued to its unit by a dash,
    /// then the noun it measures.
    fn glued_measure_ahead(&self, i: usize) -> bool {
        self.kind(i) == TokenKind::Number
            && self.kind(i + 1) == TokenKind::Dash
            && self.touches(i + 1)
            && self.touches(i + 2)
            && self.word(i + 2).is_some()
            && self.phrase_word(i + 3).is_some()
    }

    /// The measure `glued_measure_ahead` found at the cursor: that one
    /// value in its unit, on the column the noun names.
    fn glued_measure(&mut self, start: Span) -> Result<Clause> {
        let number = self.decimal()?;
        self.pos += 1;
        let unit = self.word(self.pos).map(str::to_string);
        self.pos += 1;
        let column = self.phrase()?;
        Ok(Clause::Range { column, min: number.clone(), max: number, unit, span: start.to(self.prev_span()) })
    }

    /// Whether a list goes on at `i` (a comma or `and`).
    fn list_after(&self, i: usize) -> bool {
        self.kind(i) == TokenKind::Comma || self.is_word(i, "and")
    }

    /// `located in Berlin`, `based in Leeds`, `living in Ohio` at `i`: a
    /// verb of place before a capitalised place.
    fn place_verb_ahead(&self, i: usize) -> bool {
        const PLACE_VERBS: &[&str] = &["located", "based", "living", "situated", "headquartered", "residing", "registered"];
        self.word(i).is_some_and(|w| PLACE_VERBS.contains(&w))
            && self.word(i + 1).is_some_and(|w| w == "in" || w == "at")
            && self.kind(i + 2) == TokenKind::Word
            && self.src(self.tokens[i + 2].span).starts_with(|c: char| c.is_uppercase())
    }

    /// Words at `i` that run to the end of the clause through particles and
    /// prepositions (`opted in to marketing emails`, `signed up for the
    /// newsletter`): a predicate no clause reads, matched whole against the
    /// schema's words by the resolver. The index past it; `None` when the
    /// run holds a number, a time or a keyword that starts a clause, or no
    /// particle (a plain value is read as one).
    fn loose_run_end(&self, i: usize) -> Option<usize> {
        const PARTICLES: &[&str] = &["in", "to", "up", "out", "on", "into", "for", "off", "of"];
        // `have never logged in`, `haven't verified their email`: a verb
        // said with its auxiliary or denial is a predicate whole.
        const AUXILIARIES: &[&str] = &["have", "has", "had", "haven't", "hasn't", "hadn't", "never", "don't", "doesn't", "didn't", "not"];
        let predicate = self.word(i).is_some_and(|w| AUXILIARIES.contains(&w)) && self.word(i + 1).is_some_and(|w| w.len() > 3 && (w.ends_with("ed") || AUXILIARIES.contains(&w) || IRREGULAR_PARTICIPLES.contains(&w)) || w == "been");
        if !predicate {
            self.phrase_word(i)?;
        }
        let mut j = i;
        let mut particle = false;
        while self.kind(j) == TokenKind::Word {
            let w = self.word(j)?;
            if (w == "and" && (self.portion_ahead(j + 1) || self.count_ahead(j + 1))) || self.period_at(j).is_some() || self.is_with(j) || ["across", "including", "over", "so"].contains(&w) {
                break;
            }
            particle |= PARTICLES.contains(&w);
            j += 1;
        }
        let ends = matches!(self.kind(j), TokenKind::Eof | TokenKind::Comma) || self.is_word(j, "and");
        ((particle || predicate) && ends && j > i + 1 && (predicate || !PARTICLES.contains(&self.word(j - 1)?))).then_some(j)
    }

    /// `40% missing a phone number`: a portion, then the words of a NULL.
    fn null_share_ahead(&self, i: usize) -> bool {
        let end = match self.kind(i) {
            TokenKind::Percent(_) => {
                let j = i + 1;
                if self.is_word(j, "of") && self.word(j + 1).is_some_and(|w| ["them", "those", "these", "which", "whom"].contains(&w)) { j + 2 } else { j }
            }
            _ => match self.portion_word(i) {
                Some((_, end)) => end,
                None => return false,
            },
        };
        let mut j = end;
        while self.word(j).is_some_and(|w| SHARE_VERBS.contains(&w)) {
            j += 1;
        }
        self.no_words(j).is_some()
    }

    /// The words that say a column is unset, at `i`: `without`, `with no`,
    /// `have no`, `having no`, `lacking`, `missing`. The index past them.
    fn no_words(&self, i: usize) -> Option<usize> {
        match self.word(i)? {
            "without" | "lacking" | "missing" => Some(i + 1),
            // `no-shows` is a value, not `no` and a column.
            _ if self.kind(i + 2) == TokenKind::Dash && self.touches(i + 2) && self.is_word(i + 1, "no") => None,
            "no" if self.kind(i + 1) == TokenKind::Dash && self.touches(i + 1) => None,
            "with" | "have" | "has" | "having" if self.is_word(i + 1, "no") => Some(i + 2),
            // `don't have a bio yet`, `do not have any phone number`
            "don't" | "dont" | "doesn't" | "doesnt" | "do" | "does" => {
                let j = if ["do", "does"].contains(&self.word(i)?) && self.is_word(i + 1, "not") { i + 2 } else { i + 1 };
                let j = if self.word(j).is_some_and(|w| w == "have" || w == "has") { j + 1 } else { return None };
                Some(if self.word(j).is_some_and(|w| ["a", "an", "any"].contains(&w)) { j + 1 } else { j })
            }
            // `no longer active` denies a flag; it unsets nothing.
            "no" if self.is_word(i + 1, "longer") => None,
            "no" => Some(i + 1),
            _ => None,
        }
    }

    /// `the feed page`, `the contact form tests` up to the end of the scope
    /// (or a comma): a purpose, not a table the rows reference.
    fn purpose_ahead(&self, i: usize) -> bool {
        if !self.is_word(i, "the") {
            return false;
        }
        let mut j = i + 1;
        // `the overdue-notice job`: dashed words are words here.
        while matches!(self.kind(j), TokenKind::Word | TokenKind::Dash) {
            j += 1;
        }
        j > i + 1 && matches!(self.kind(j), TokenKind::Eof | TokenKind::Comma) && self.word(j - 1).is_some_and(|w| PURPOSE_NOUNS.contains(&w))
    }

    /// `split evenly between`, `evenly split among`, `divided equally across`.
    fn split_ahead(&self, i: usize) -> bool {
        let mut j = i;
        let mut verb = false;
        while let Some(w) = self.word(j) {
            match w {
                "split" | "divided" => verb = true,
                "evenly" | "equally" => {}
                "between" | "among" | "across" => return verb && self.phrase_word(j + 1).is_some() && !self.number_ahead(j + 1),
                _ => return false,
            }
            j += 1;
        }
        false
    }

    /// A verb of measure and its value at `i` (`lasting 45 minutes`, `worth 6
    /// credits`, `run for two hours`, `each weighing 2 kg`): the index of the
    /// number, which a unit word follows.
    fn measure_ahead(&self, i: usize) -> Option<usize> {
        const VERBS: &[&str] = &[
            "lasting", "lasts", "last", "run", "runs", "running", "worth", "weighing", "weighs", "taking", "takes", "measuring",
            "spanning", "sized",
        ];
        let mut j = i;
        if self.is_word(j, "each") {
            j += 1;
        }
        if !self.word(j).is_some_and(|w| VERBS.contains(&w)) {
            return None;
        }
        j += 1;
        if self.word(j).is_some_and(|w| ["for", "about", "around", "roughly", "exactly", "of"].contains(&w)) {
            j += 1;
        }
        let end = match self.number_word(j) {
            Some((_, end)) => end,
            None if self.kind(j) == TokenKind::Number => self.whole_end(j),
            None => return None,
        };
        let unit = self.word(end)?;
        (!STOP.contains(&unit) && !FILLER.contains(&unit)).then_some(j)
    }

    /// `not yet X`, `never X`, `who never X`, `that have never been X`.
    fn never_ahead(&self, i: usize) -> bool {
        let mut j = i;
        if self.word(j).is_some_and(|w| w == "who" || w == "that" || w == "which") {
            j += 1;
            while self.word(j).is_some_and(|w| ["have", "has", "had", "were", "was"].contains(&w)) {
                j += 1;
            }
        }
        // `that haven't been decided yet`, `which hasn't come back yet`
        if self.word(j).is_some_and(|w| ["haven't", "hasn't", "havent", "hasnt", "weren't", "wasn't", "aren't", "isn't"].contains(&w)) {
            let mut k = j + 1;
            while self.word(k).is_some_and(|w| ["been", "yet"].contains(&w)) {
                k += 1;
            }
            return self.word(k).is_some_and(|w| !STOP.contains(&w)) && (k == j + 1 || self.word(k).is_some());
        }
        // `that have not been delivered yet`
        let not_been = self.is_word(j, "not") && self.is_word(j + 1, "been") && self.word(j + 2).is_some_and(is_participle);
        // `dispensings not picked up yet`
        let not_yet = self.is_word(j, "not")
            && self.word(j + 1).is_some_and(is_participle)
            && (self.is_word(j + 2, "yet") || (self.word(j + 2).is_some_and(|w| ["up", "out", "in", "off", "back"].contains(&w)) && self.is_word(j + 3, "yet")));
        let not_been = not_been || not_yet;
        let negation = (self.is_word(j, "not") && self.is_word(j + 1, "yet")) || self.is_word(j, "never") || not_been;
        negation && self.kind(j + if self.is_word(j, "never") { 1 } else { 2 }) == TokenKind::Word
    }

    /// `half of them without phone numbers`: a NULL share; `false`, with the
    /// cursor unmoved, when the portion is followed by anything else.
    fn portion_then_without(&mut self) -> Result<bool> {
        let (save, start) = (self.pos, self.peek().span);
        let (portion, _) = self.portion()?;
        while self.word(self.pos).is_some_and(|w| SHARE_VERBS.contains(&w)) {
            self.pos += 1;
        }
        if self.no_words(self.pos).is_some() {
            self.nulls(start, portion)?;
            return Ok(true);
        }
        // `half of them with an email address`, `two of which have an x-ray
        // machine`: the other rows are without it.
        let has = self.word(self.pos).is_some_and(|w| ["with", "have", "has", "having"].contains(&w));
        let thing = self.pos + if self.word(self.pos + 1).is_some_and(|w| ["a", "an", "their", "its"].contains(&w)) { 2 } else { 1 };
        let other = match portion {
            Portion::Percent(h) => Some(Portion::Percent(10_000 - h.min(10_000))),
            Portion::Fraction { num, den } => Some(Portion::Fraction { num: den - num.min(den), den }),
            _ => None,
        };
        if has && self.phrase_word(thing).is_some() && !self.count_ahead(thing) {
            self.pos = thing;
            let column = self.required_phrase("with", &["a column, such as `email address`"])?;
            let span = start.to(self.prev_span());
            self.clauses.push(match other {
                Some(other) => Clause::Nulls { portion: other, column, span },
                // `two of which have an x-ray machine`: that many rows have
                // it (a flag, or a column that is set).
                None => Clause::Distribution { column: None, shares: vec![Share { percent: Percent { hundredths: 0, span: start }, value: column, portion }], span },
            });
            return Ok(true);
        }
        self.pos = save;
        Ok(false)
    }

    /// `40% without email addresses`, `without phone numbers` (all NULL).
    fn nulls(&mut self, start: Span, portion: Portion) -> Result<()> {
        let after = self.no_words(self.pos).unwrap_or(self.pos + 1);
        let words = self.src(self.peek().span.to(self.tokens[after - 1].span)).to_string();
        self.pos = after;
        let mut column = self.required_phrase(&words, &["a column, such as `email addresses`"])?;
        // `no bio yet`: `yet` says when, not what.
        if column.words.len() > 1 && column.words.last().is_some_and(|w| w == "yet") {
            column.words.pop();
            column.text = column.text.rsplit_once(' ').map_or(column.text.clone(), |(head, _)| head.to_string());
        }
        self.clauses.push(Clause::Nulls { portion, column, span: start.to(self.prev_span()) });
        Ok(())
    }

    /// A word ending in `-ed` (or a common irregular participle) right
    /// before a time, a bound or a range: `placed in 2025`, `priced under
    /// $20`, `built 2018 or later`. It names the column the clause is about.
    fn is_hint_verb(&self, i: usize) -> bool {
        let Some(word) = self.word(i) else { return false };
        if self.is_with(i) {
            return false;
        }
        // `last active more than 90 days ago`, `last seen yesterday`
        if word == "last" && self.kind(i + 1) == TokenKind::Word && !self.is_stop(i + 1) && self.time_unit(i + 1).is_none() && self.column_clause_ahead(i + 2) {
            return true;
        }
        // `expiring in 2026`, `starting next week`: a present participle
        // names its column as well (`expires_on`, `starts_at`); the words
        // that end a range or a derived value keep their own meaning.
        let present = word.len() > 5 && word.ends_with("ing") && !TAIL.contains(&word);
        // `worth between 10k and 50k`: the money a row is worth.
        let participle = (word.len() > 3 && word.ends_with("ed")) || present || IRREGULAR_PARTICIPLES.contains(&word) || word == "worth";
        participle && (self.column_clause_ahead(i + 1) || self.particle_clause_ahead(i + 1))
    }

    /// `checked in last month`, `handed in during the past week`: a verb's
    /// particle, then the clause; the particle is part of the column's name.
    fn particle_clause_ahead(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| ["in", "out", "up", "off", "down", "back"].contains(&w)) && self.column_clause_ahead(i + 1) && self.period_at(i).is_none()
    }

    /// Whether a time, bound, range or domain clause starts at `i`.
    fn column_clause_ahead(&self, i: usize) -> bool {
        self.period_at(i).is_some()
            || self.bound_ahead(i)
            || self.plain_range_ahead(i)
            || (self.word(i).is_some_and(|w| w == "between" || w == "from") && self.number_ahead(i + 1))
            || (self.is_word(i, "at") && self.word(i + 1).is_some_and(|w| w.contains('.')))
    }

    /// The clause about `column` (or the whole table) at the cursor, if any.
    fn column_clause(&mut self, start: Span, column: Option<Phrase>) -> Result<Option<Clause>> {
        if let Some((period, end)) = self.period_at(self.pos) {
            self.pos = end;
            return Ok(Some(Clause::Period { column, period, span: start.to(self.prev_span()) }));
        }
        if self.bound_ahead(self.pos) {
            return self.bound(start, column).map(Some);
        }
        if self.is_word(self.pos, "at") && self.word(self.pos + 1).is_some_and(|w| w.contains('.')) {
            self.pos += 1;
            let value = self.required_phrase("at", &["a domain, such as `example.org`"])?;
            let value = Phrase { text: value.text.trim_start_matches('@').to_string(), words: value.words.iter().map(|w| w.trim_start_matches('@').to_string()).collect(), span: value.span };
            return Ok(Some(Clause::Affix { column, value, affix: Affix::Domain, span: start.to(self.prev_span()) }));
        }
        let between = self.word(self.pos).is_some_and(|w| w == "between" || w == "from") && self.number_ahead(self.pos + 1);
        if between || self.plain_range_ahead(self.pos) {
            if column.is_none() && !self.range_names_its_column(self.pos + usize::from(between)) {
                return Err(self
                    .error(self.peek().span, "a range needs the column it is about", &["a column name"])
                    .help("name the column, as in `priced between 5 and 50`"));
            }
            let tail = if between {
                let tail = self.word(self.pos).expect("checked").to_string();
                self.pos += 1;
                tail
            } else {
                "from".to_string()
            };
            return self.range(start, column, &tail).map(Some);
        }
        Ok(None)
    }

    /// A number at `i`, after an optional currency sign.
    fn number_ahead(&self, i: usize) -> bool {
        let i = if self.kind(i) == TokenKind::Currency { i + 1 } else { i };
        self.kind(i) == TokenKind::Number
    }

    /// `$15 to $30`, `15-30 euros`: a range with no word before it.
    fn plain_range_ahead(&self, i: usize) -> bool {
        let currency = self.kind(i) == TokenKind::Currency;
        if !self.number_ahead(i) {
            return false;
        }
        let mut j = self.whole_end(if currency { i + 1 } else { i });
        if self.kind(j) == TokenKind::Currency {
            j += 1;
        }
        let joined = self.is_word(j, "to") || (self.kind(j) == TokenKind::Dash && !self.date_at(i).is_some());
        joined && self.number_ahead(j + 1) && (currency || self.kind(j + 1) == TokenKind::Currency || self.is_word(j, "to")) || self.adjacent_or(i).is_some()
    }

    /// `4 or 5` at `i`: two whole numbers one apart, read as the range
    /// between them (`rated 4 or 5`); the index of `or`.
    fn adjacent_or(&self, i: usize) -> Option<usize> {
        let whole = |j: usize| (self.kind(j) == TokenKind::Number).then(|| self.src(self.tokens[j].span).parse::<i64>().ok()).flatten();
        let a = whole(i)?;
        let b = whole(i + 2)?;
        (self.is_word(i + 1, "or") && b == a + 1).then_some(i + 1)
    }

    // ---- bounds --------------------------------------------------------------

    /// `under $20`, `below 100 dollars`, `at least 3`, `more than 50`, `over
    /// €5` (not `over the last ...`), `2018 or later`, `10 or more`.
    fn bound_ahead(&self, i: usize) -> bool {
        self.bound_words(i).is_some()
            || (self.number_ahead(i) && self.or_bound(self.after_number(i)).is_some() && self.date_at(i).is_none_or(|(_, end)| self.or_bound(end).is_some()))
    }

    /// The bound word(s) at `i`: whether they give the lower end, and the
    /// index of the number.
    /// Returns whether the bound is a lower one, whether it excludes its
    /// number (`over 5000`, `under $20`; not `at least`, `at most`), and the
    /// index of the number.
    fn bound_words(&self, i: usize) -> Option<(bool, bool, usize)> {
        let (lower, strict, next) = match (self.word(i)?, self.word(i + 1)) {
            ("under" | "below", _) => (false, true, i + 1),
            ("less" | "fewer", Some("than")) => (false, true, i + 2),
            ("at", Some("most")) | ("up", Some("to")) => (false, false, i + 2),
            ("no", Some("more")) if self.is_word(i + 2, "than") => (false, false, i + 3),
            ("above", _) => (true, true, i + 1),
            ("over", _) if self.time_unit(self.after_number(i + 1)).is_none() => (true, true, i + 1),
            ("more", Some("than")) => (true, true, i + 2),
            ("longer" | "larger" | "bigger" | "heavier" | "greater" | "higher" | "taller" | "wider", Some("than")) => (true, true, i + 2),
            ("shorter" | "smaller" | "lighter" | "lower" | "cheaper" | "narrower", Some("than")) => (false, true, i + 2),
            ("at", Some("least")) => (true, false, i + 2),
            _ => return None,
        };
        // `above 40%` on a column kept in percent; `above level 50`, the
        // column's word first; `longer than an hour`.
        let named = self.kind(next) == TokenKind::Word && !self.is_stop(next) && self.number_word(next).is_none() && self.kind(next + 1) == TokenKind::Number && self.time_unit(next).is_none();
        let one_unit = self.word(next).is_some_and(|w| w == "a" || w == "an") && self.time_unit(next + 1).is_some();
        (self.number_ahead(next) || matches!(self.kind(next), TokenKind::Percent(_)) || named || one_unit).then_some((lower, strict, next))
    }

    /// Past a number and its currency sign or unit word.
    fn after_number(&self, i: usize) -> usize {
        let i = if self.kind(i) == TokenKind::Currency { i + 1 } else { i };
        if self.kind(i) != TokenKind::Number {
            return i;
        }
        let mut j = self.whole_end(i);
        if self.kind(j) == TokenKind::Currency {
            j += 1;
        }
        if self.word(j).is_some_and(is_unit_word) {
            j += 1;
        }
        j
    }

    /// `or later` / `or more` (lower bound) and `or earlier` / `or less`.
    fn or_bound(&self, i: usize) -> Option<bool> {
        if !self.is_word(i, "or") {
            return None;
        }
        match self.word(i + 1)? {
            "later" | "more" | "newer" | "after" | "above" | "higher" | "greater" | "over" => Some(true),
            "earlier" | "less" | "older" | "before" | "below" | "lower" | "fewer" | "under" => Some(false),
            _ => None,
        }
    }

    fn bound(&mut self, start: Span, column: Option<Phrase>) -> Result<Clause> {
        // `2018 or later` includes 2018.
        let (lower, strict) = if let Some((lower, strict, next)) = self.bound_words(self.pos) {
            self.pos = next;
            (lower, strict)
        } else {
            (self.or_bound(self.after_number(self.pos)).expect("bound_ahead checked"), false)
        };
        // `above level 50`: the column's word before the number.
        let column = match column {
            None if self.kind(self.pos) == TokenKind::Word && self.kind(self.pos + 1) == TokenKind::Number && self.word(self.pos).is_some_and(|w| w != "a" && w != "an") => {
                self.pos += 1;
                Some(self.to_phrase(&[self.prev_span()]))
            }
            column => column,
        };
        // `longer than an hour`: one of the unit.
        if self.word(self.pos).is_some_and(|w| w == "a" || w == "an") && self.time_unit(self.pos + 1).is_some() {
            let span = self.peek().span;
            self.pos += 2;
            let number = Number { text: "1".to_string(), value: 1.0, span };
            let unit = Some(self.src(self.prev_span()).to_lowercase());
            let (lower, upper) = if lower { (Some(number), None) } else { (None, Some(number)) };
            return Ok(Clause::Bound { column, lower, upper, strict, unit, span: start.to(self.prev_span()) });
        }
        let sign = self.currency_at(self.pos);
        if let TokenKind::Percent(hundredths) = self.kind(self.pos) {
            let span = self.peek().span;
            self.pos += 1;
            let value = hundredths as f64 / 100.0;
            let number = Number { text: value.to_string(), value, span };
            let (lower, upper) = if lower { (Some(number), None) } else { (None, Some(number)) };
            return Ok(Clause::Bound { column, lower, upper, strict, unit: Some("percent".to_string()), span: start.to(self.prev_span()) });
        }
        let number = self.decimal()?;
        // `longer than 2 hours`: a duration, the unit naming its column.
        let unit = match self.time_unit(self.pos) {
            Some(_) => {
                self.pos += 1;
                Some(self.src(self.prev_span()).to_lowercase())
            }
            None => self.unit_after(sign),
        };
        if self.or_bound(self.pos).is_some() {
            self.pos += 2;
        }
        let (lower, upper) = if lower { (Some(number), None) } else { (None, Some(number)) };
        Ok(Clause::Bound { column, lower, upper, strict, unit, span: start.to(self.prev_span()) })
    }

    /// The currency sign at `i` (`$5`) or right after the number there (`5€`).
    fn currency_at(&self, i: usize) -> Option<String> {
        if self.kind(i) == TokenKind::Currency {
            return Some(self.src(self.tokens[i].span).to_string());
        }
        let j = if self.kind(i) == TokenKind::Number { self.whole_end(i) } else { return None };
        (self.kind(j) == TokenKind::Currency && self.touches(j)).then(|| self.src(self.tokens[j].span).to_string())
    }

    /// The unit word right after a bound (`dollars`, `km`, `minutes`),
    /// consumed; else the currency sign seen before it.
    fn unit_after(&mut self, sign: Option<String>) -> Option<String> {
        let word = self.word(self.pos).map(str::to_string);
        let unit_word = word.filter(|w| {
            is_unit_word(w)
                || (self.phrase_word(self.pos).is_some()
                    && !self.starts_tail(self.pos)
                    && !["or", "each", "per", "and", "a", "an", "the"].contains(&w.as_str())
                    && self.time_unit(self.pos).is_none())
        });
        match unit_word {
            Some(w) => {
                self.pos += 1;
                Some(w)
            }
            None => sign,
        }
    }

    // ---- dates and periods ---------------------------------------------------







    // ---- with --------------------------------------------------------------

    fn with_item(&mut self, start: Span) -> Result<()> {
        // `with a $1,000 deductible`: one value, then the column it is.
        if self.word(self.pos).is_some_and(|w| w == "a" || w == "an")
            && self.currency_at(self.pos + 1).is_some()
            && self.number_ahead(self.pos + 1)
        {
            self.pos += 1;
            let sign = self.currency_at(self.pos);
            let number = self.decimal()?;
            let column = self.phrase()?;
            if column.is_none() {
                return Err(self.unexpected(&["what the amount is, such as `deductible`"]));
            }
            self.clauses.push(Clause::Range { column, min: number.clone(), max: number, unit: sign, span: start.to(self.prev_span()) });
            return Ok(());
        }
        // `with a 36-month term`: one measure, its unit glued to it.
        if self.word(self.pos).is_some_and(|w| w == "a" || w == "an") && self.glued_measure_ahead(self.pos + 1) {
            self.pos += 1;
            let clause = self.glued_measure(start)?;
            self.clauses.push(clause);
            return Ok(());
        }
        // `with an open rate above 40%`: the column, then one side of it.
        if self.word(self.pos).is_some_and(|w| w == "a" || w == "an") {
            let mut j = self.pos + 1;
            while j < self.pos + 4 && self.kind(j) == TokenKind::Word && !self.is_stop(j) && self.bound_words(j).is_none() {
                j += 1;
            }
            if j > self.pos + 1 && self.bound_words(j).is_some() {
                let spans: Vec<Span> = (self.pos + 1..j).map(|k| self.tokens[k].span).collect();
                let column = self.to_phrase(&spans);
                self.pos = j;
                let clause = self.bound(start, Some(column))?;
                self.clauses.push(clause);
                return Ok(());
            }
        }
        // `with at least 5 years of experience`, `with more than 3 seats`:
        // one side of a measure; `of experience` names its column.
        if let Some((_, _, next)) = self.bound_words(self.pos)
            && self.number_ahead(next)
            && !self.is_word(self.pos, "up")
            && (self.currency_at(next).is_some() || self.is_word(self.after_number(next) + 1, "of"))
        {
            let Clause::Bound { lower, upper, strict, unit, .. } = self.bound(start, None)? else { unreachable!("bound gives a bound") };
            let column = if self.is_word(self.pos, "of") && self.phrase_word(self.pos + 1).is_some() {
                self.pos += 1;
                self.phrase()?
            } else {
                None
            };
            self.clauses.push(Clause::Bound { column, lower, upper, strict, unit, span: start.to(self.prev_span()) });
            return Ok(());
        }
        let counted_between = self.counted_between_ahead(self.pos) || (self.is_word(self.pos, "up") && self.is_word(self.pos + 1, "to") && self.count_ahead(self.pos + 2));
        let counted = self.kind(self.pos) == TokenKind::Number || (self.number_word(self.pos).is_some() && !self.portion_ahead(self.pos));
        if counted_between || (counted && !self.article_column_ahead(self.pos)) {
            let count = self.count_range()?;
            let Some(target) = self.phrase()? else {
                return Err(self.dangling_number(count.span, &["what to count, such as `items`"]));
            };
            // `a home and a work address`: the first count's noun is the second's.
            if target.words.len() == 1 && !target.words[0].ends_with('s') && self.is_word(self.pos, "and") && self.count_ahead(self.pos + 1) {
                let save = self.pos;
                self.pos += 1;
                let second_start = self.peek().span;
                let second_count = self.count_range()?;
                // `one paid and one still issued`: states, no shared noun.
                let noun = |w: &str| !(w.len() > 4 && w.ends_with("ed")) && !IRREGULAR_PARTICIPLES.contains(&w) && !["still", "currently", "already"].contains(&w);
                if let Some(second) = self.phrase()?.filter(|p| p.words.len() >= 2 && noun(&target.words[0]) && p.words.last().is_some_and(|w| noun(w))) {
                    let spelled: Vec<&str> = second.text.split(' ').collect();
                    let first = Phrase {
                        words: [target.words.clone(), second.words[1..].to_vec()].concat(),
                        text: [vec![target.text.as_str()], spelled[1..].to_vec()].concat().join(" "),
                        span: target.span,
                    };
                    self.clauses.push(Clause::With { target: first, count: Some(count), per: None, named: Vec::new(), span: start.to(target.span) });
                    self.each();
                    let span = second_start.to(self.prev_span());
                    self.clauses.push(Clause::With { target: second, count: Some(second_count), per: None, named: Vec::new(), span });
                    return Ok(());
                }
                self.pos = save;
            }
            self.each();
            let per = self.per()?;
            let span = start.to(self.prev_span());
            // `with three room types: Standard, Deluxe and Suite`, `with 8
            // members: one owner, two admins and five members`.
            if self.kind(self.pos) == TokenKind::Colon && per.is_none() {
                if self.named_list_ahead(self.pos + 1) || (self.capital(self.pos + 1) && count.min == count.max && count.min == 1) {
                    self.pos += 1;
                    let named = self.name_items(false)?;
                    self.clauses.push(Clause::With { target, count: Some(count), per, named, span: start.to(self.prev_span()) });
                    return Ok(());
                }
                if self.bare_rows_ahead(self.pos + 1) || self.portion_ahead(self.pos + 1) {
                    self.clauses.push(Clause::With { target, count: Some(count), per, named: Vec::new(), span });
                    self.pos += 1;
                    return self.bare_shares(self.peek().span);
                }
            }
            self.clauses.push(Clause::With { target, count: Some(count), per, named: Vec::new(), span });
            return Ok(());
        }
        match self.segment(start)? {
            Segment::Clause(clause) => self.clauses.push(clause),
            Segment::Plain(words) => {
                if self.coordinated_head_ahead(&words) {
                    return self.coordinated_with(start, words);
                }
                let target = self.to_phrase(&words.spans);
                if let Some((column, values)) = self.trailing_codes(&target)? {
                    // `customers with refs CUST001, CUST002 and CUST003`
                    self.clauses.push(Clause::Values { column: Some(column), values, span: start.to(self.prev_span()) });
                    return Ok(());
                }
                if self.kind(self.pos) == TokenKind::Colon && self.kind(self.pos + 1) != TokenKind::Eof {
                    // `warehouses with codes: AMS1, RTM2, HAM3`
                    self.pos += 1;
                    let values = self.items()?.iter().map(|w| self.to_phrase(&w.spans)).collect();
                    self.clauses.push(Clause::Values { column: Some(target), values, span: start.to(self.prev_span()) });
                    return Ok(());
                }
                let per = self.per()?;
                let span = start.to(self.prev_span());
                self.clauses.push(Clause::With { target, count: None, per, named: Vec::new(), span });
            }
        }
        Ok(())
    }

    /// `a capacity over 5000`, `a build year of 2019 or newer`: an article
    /// before a column and its bound, not one child row.
    fn article_column_ahead(&self, i: usize) -> bool {
        if !self.word(i).is_some_and(|w| w == "a" || w == "an") {
            return false;
        }
        let mut j = i + 1;
        while let Some((next, _)) = self.phrase_word(j) {
            j = next;
        }
        j > i + 1 && (self.column_clause_ahead(j) || (self.is_word(j, "of") && (self.column_clause_ahead(j + 1) || self.number_ahead(j + 1))))
    }

    /// A verb, an optional `by`, then counted rows (`stocking 10 products`,
    /// `taught by two teachers`): the index of the count.
    fn verb_children_ahead(&self, i: usize) -> Option<usize> {
        let word = self.word(i)?;
        if !(is_participle(word) || IRREGULAR_PARTICIPLES.contains(&word)) || self.is_with(i) {
            return None;
        }
        // `taught by two teachers`, `enrolled in 2 benefits`, `listed in 3 categories`
        let at = if self.word(i + 1).is_some_and(|w| ["by", "in", "on", "into", "at", "to", "with"].contains(&w)) { i + 2 } else { i + 1 };
        let counted = self.kind(at) == TokenKind::Number || self.number_word(at).is_some();
        let noun = self.after_count(at);
        let measure = self.time_unit(noun).is_some() || self.word(noun).is_some_and(is_unit_word) || self.period_at(i + 1).is_some();
        (counted && !measure && !self.portion_ahead(at) && self.kind(noun) == TokenKind::Word && !self.is_stop(noun)).then_some(at)
    }

    /// Past a count at `i`: digits, a number word, or a range of them.
    fn after_count(&self, i: usize) -> usize {
        let end = match self.number_word(i) {
            Some((_, end)) => end,
            None => self.whole_end(i),
        };
        if (self.kind(end) == TokenKind::Dash || self.is_word(end, "to") || self.is_word(end, "or")) && self.count_ahead(end + 1) {
            return self.number_word(end + 1).map_or_else(|| self.whole_end(end + 1), |(_, e)| e);
        }
        end
    }

    /// A counted phrase followed by `per` or `each`: `2-4 listings per agent`.
    fn counted_per_ahead(&self, i: usize) -> bool {
        if self.kind(i) != TokenKind::Number {
            return false;
        }
        let mut j = self.whole_end(i);
        if (self.kind(j) == TokenKind::Dash || self.is_word(j, "to")) && self.kind(j + 1) == TokenKind::Number {
            j = self.whole_end(j + 1);
        }
        let mut words = 0;
        while let Some((next, _)) = self.phrase_word(j) {
            j = next;
            words += 1;
        }
        words > 0 && (self.is_word(j, "per") || self.is_word(j, "each") || self.is_word(j, "apiece"))
    }

    /// `between 4 and 12 rooms`: a count range of children, not a range of
    /// values (`between 5 and 50 euros`, `between 2 and 4 hours`).
    fn counted_between_ahead(&self, i: usize) -> bool {
        self.is_word(i, "between")
            && self.kind(i + 1) == TokenKind::Number
            && self.is_word(i + 2, "and")
            && self.kind(i + 3) == TokenKind::Number
            && self.phrase_word(i + 4).is_some()
            && !self.word(i + 4).is_some_and(is_unit_word)
            && self.time_unit(i + 4).is_none()
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
        // `one paid and one still issued`: states, no shared noun.
        let state = |w: &str| (w.len() > 4 && w.ends_with("ed")) || IRREGULAR_PARTICIPLES.contains(&w);
        if state(&modifier) {
            return false;
        }
        let mut i = self.pos + 1;
        let mut kept = 0;
        let mut last = String::new();
        while let Some((next, span)) = self.phrase_word(i) {
            let word = normalize_word(self.src(span));
            if kept > 0 || !FILLER.contains(&word.as_str()) {
                kept += 1;
            }
            last = word;
            i = next;
        }
        kept >= 2 && !state(&last)
    }

    fn coordinated_with(&mut self, start: Span, modifier: Words) -> Result<()> {
        self.pos += 1; // `and`
        let second_start = self.peek().span;
        let second = self.words()?.expect("coordinated_head_ahead saw two words");
        let mut first = modifier.spans;
        first.extend_from_slice(&second.spans[1..]);
        let first_span = start.to(span_of(&first));
        let target = self.to_phrase(&first);
        self.clauses.push(Clause::With { target, count: None, per: None, named: Vec::new(), span: first_span });
        let target = self.to_phrase(&second.spans);
        let span = second_start.to(self.prev_span());
        self.clauses.push(Clause::With { target, count: None, per: None, named: Vec::new(), span });
        Ok(())
    }

    /// `2 books each`: per row of the subject, which a counted `with` means anyway.
    fn each(&mut self) {
        if (self.is_word(self.pos, "each") && !self.is_with(self.pos + 1)) || self.is_word(self.pos, "apiece") {
            self.pos += 1;
            return;
        }
        // `2-5 goals in each`, `one captain in each team`, `12 teams
        // registered for it`: per parent, said after the count.
        let mut i = self.pos;
        // `5 operators reporting to each`
        if self.word(i).is_some_and(|w| is_participle(w) || (w.len() > 5 && w.ends_with("ing"))) && self.word(i + 1).is_some_and(|w| ["in", "for", "on", "to", "against", "with", "at", "under"].contains(&w)) {
            i += 1;
        }
        if !(self.word(i).is_some_and(|w| ["in", "for", "on", "to", "at", "against", "with"].contains(&w)) && self.word(i + 1).is_some_and(|w| ["each", "every", "it", "them"].contains(&w))) {
            return;
        }
        let mut end = i + 2;
        let ends = |j: usize| matches!(self.kind(j), TokenKind::Eof | TokenKind::Comma) || self.is_stop(j);
        if self.word(i + 1).is_some_and(|w| w == "each" || w == "every") && self.kind(end) == TokenKind::Word && !self.is_stop(end) && ends(end + 1) {
            end += 1;
        }
        if ends(end) {
            self.pos = end;
        }
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
        if let Some(words) = &words {
            // `with a build year of 2019 or newer`
            if self.is_word(self.pos, "of") && self.column_clause_ahead(self.pos + 1) {
                self.pos += 1;
            } else if self.is_word(self.pos, "of") && self.number_ahead(self.pos + 1) {
                // `with a capacity of 12`: that value.
                self.pos += 1;
                let number = self.decimal()?;
                let column = Some(self.to_phrase(&words.spans));
                return Ok(Segment::Clause(Clause::Range { column, min: number.clone(), max: number, unit: None, span: start.to(self.prev_span()) }));
            }
            if let Some(clause) = self.column_clause(start, Some(self.to_phrase(&words.spans)))? {
                return Ok(Segment::Clause(clause));
            }
            // `with gmail.com email addresses`: a domain, then its column.
            let first = self.src(words.spans[0]).trim_start_matches('@').to_string();
            if words.spans.len() >= 2 && !words.quoted && first.contains('.') && first.split('.').all(|p| !p.is_empty()) {
                let value = Phrase { words: vec![first.to_lowercase()], text: first, span: words.spans[0] };
                let column = self.to_phrase(&words.spans[1..]);
                return Ok(Segment::Clause(Clause::Affix { column: Some(column), value, affix: Affix::Domain, span: start.to(self.prev_span()) }));
            }
        }
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
            _ => self.range(start, Some(column), &tail)?,
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
    /// `between $100 and $500`, `between 10 and 20 celsius`: a range whose
    /// currency or unit word can pick the column when none is named.
    fn range_names_its_column(&self, i: usize) -> bool {
        if self.currency_at(i).is_some() {
            return true;
        }
        let mut j = self.after_number(i);
        if !(self.is_word(j, "and") || self.is_word(j, "to") || self.kind(j) == TokenKind::Dash) {
            return false;
        }
        j += 1;
        if self.currency_at(j).is_some() {
            return true;
        }
        let end = self.after_number(j);
        end > j + 1 || self.word(end).is_some_and(|w| self.phrase_word(end).is_some() && !self.starts_tail(end) && !["each", "per", "or"].contains(&w) && self.time_unit(end).is_none())
    }

    fn range(&mut self, start: Span, column: Option<Phrase>, tail: &str) -> Result<Clause> {
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
        let sign = self.currency_at(self.pos);
        if self.adjacent_or(self.pos).is_some() {
            joiner = "or";
        }
        let min = self.decimal()?;
        let dash = joiner == "to" && self.kind(self.pos) == TokenKind::Dash;
        if !self.is_word(self.pos, joiner) && !dash {
            return Err(self.unexpected_after(&min.text, &[format!("`{joiner}`").as_str()]));
        }
        self.pos += 1;
        let sign = sign.or_else(|| self.currency_at(self.pos));
        let max = self.decimal()?;
        if min.value > max.value {
            let message = format!("range start {} is greater than range end {}", min.text, max.text);
            return Err(self.error(min.span.to(max.span), message, &[]));
        }
        // One plain word right after the bound is its unit: `500 dollars`.
        let unit = self.phrase_word(self.pos)
            .filter(|_| !self.starts_tail(self.pos) && !self.word(self.pos).is_some_and(|w| ["each", "a", "an", "the", "per"].contains(&w)))
            .map(|(next, span)| {
                self.pos = next;
                normalize_word(self.src(span))
            })
            .or(sign);
        Ok(Clause::Range { column, min, max, unit, span: start.to(self.prev_span()) })
    }

    // ---- references ----------------------------------------------------------

    fn reference(&mut self, start: Span) -> Result<()> {
        let keyword = self.src(self.prev_span()).to_string();
        // `for parties of 6 or more`: a measure of the rows, named by its noun.
        if let Some((next, _)) = self.phrase_word(self.pos)
            && self.is_word(next, "of")
            && self.kind(next + 1) == TokenKind::Number
            && self.or_bound(self.after_number(next + 1)).is_some()
        {
            let column = self.phrase()?;
            self.pos += 1;
            let clause = self.bound(start, column)?;
            self.clauses.push(clause);
            return Ok(());
        }
        if let Some(found) = self.named_parent_ahead(self.pos).filter(|f| f.named()) {
            // `for a guest named Maria Lopez`: `a` is no count here.
            self.named_reference(start, found);
            return Ok(());
        }
        if self.count_ahead(self.pos) && !self.id_range_ahead() {
            // `drivers working for 4 carriers`: spread over that many parents.
            return self.across(start, &keyword);
        }
        let mix_at = if self.is_word(self.pos, "a") { self.pos + 1 } else { self.pos };
        if self.is_word(mix_at, "mix") && self.is_word(mix_at + 1, "of") {
            // `customers from a mix of DE, FR and NL`: values, not a parent.
            self.pos = mix_at + 2;
            return self.values(start);
        }
        if let Some((label, noun, end)) = self.labelled_parent_ahead(self.pos) {
            // `from the Main Street branch`
            self.pos = end;
            self.labelled_reference(start, label, noun, end);
            return Ok(());
        }
        if let Some(found) = self.named_parent_ahead(self.pos) {
            // `for a guest named Maria Lopez`, `from the supplier Acme
            // Tools`, `sent by Maria Lopez`
            self.named_reference(start, found);
            return Ok(());
        }
        let Some(target) = self.phrase()? else {
            return Err(self.unexpected_after(&keyword, &["a table name"]));
        };
        // `from warehouse AMS1`: a parent named by its code.
        let spans = split_whitespace_spans(self.src(target.span), target.span.start);
        if spans.len() >= 2 && is_code(self.src(spans[spans.len() - 1])) && !self.is_id_word(self.pos) {
            let last = spans[spans.len() - 1];
            let table = self.to_phrase(&spans[..spans.len() - 1]);
            let ids = IdSelection::List { ids: vec![IdLiteral { text: self.src(last).to_string(), span: last }], span: last };
            self.clauses.push(Clause::References { target: table, ids: Some(ids), span: start.to(self.prev_span()) });
            return Ok(());
        }
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
        let colon = self.kind(self.pos) == TokenKind::Colon;
        if colon {
            self.pos += 1;
        }
        self.bare_ids = colon;
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
        self.bare_ids = false;
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
                let text = self.src(self.tokens[i].span.to(self.tokens[end - 1].span));
                // After `IDs:` upper-case codes need no quotes: `ALFKI, BONAP`.
                let code = self.bare_ids && text.len() >= 2 && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
                code || text.bytes().any(|b| b.is_ascii_digit())
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
        if !self.count_ahead(self.pos) {
            let message = format!("expected a count or a time window after `{keyword}`");
            return Err(self.error(self.peek().span, message, &["a count", "`the last`"]));
        }
        let count = self.count()?;
        let Some(target) = self.phrase()? else {
            return Err(self.dangling_number(count.span, &["a table name, such as `categories`"]));
        };
        // `across 3 departments: MATH, PHYS and CHEM`
        let named = if self.kind(self.pos) == TokenKind::Colon {
            self.pos += 1;
            self.items()?.iter().map(|w| self.to_phrase(&w.spans)).collect()
        } else {
            Vec::new()
        };
        let span = start.to(self.prev_span());
        self.clauses.push(Clause::Across { count, target, named, span });
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
            "hour" => (TimeUnit::Hours, false),
            "hours" => (TimeUnit::Hours, true),
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



    // ---- percentages -----------------------------------------------------------

    fn percent_clause(&mut self, start: Span) -> Result<()> {
        let no = self.no_words(self.pos + 1).is_some();
        if !no && (self.is_word(self.pos + 1, "with") || self.is_word(self.pos + 1, "referencing")) {
            return self.orphans(start);
        }
        if self.portion_then_without()? {
            return Ok(());
        }
        let shares = self.shares()?;
        self.clauses.push(Clause::Distribution { column: None, shares, span: start.to(self.prev_span()) });
        Ok(())
    }

    /// `10% with user IDs that don't exist [in the user service | upstream]`.
    fn orphans(&mut self, start: Span) -> Result<()> {
        let percent = self.percent()?;
        let keyword = self.src(self.peek().span).to_string();
        self.pos += 1; // `with` or `referencing`
        let target = self.required_phrase(&keyword, &["a table name, such as `user`"])?;
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

    /// `60% completed 40% shipped`, `a third done, the rest open`,
    /// `30% are urgent and the rest normal`, `70% 4 20% 2 10% 1`.
    /// Shares from `start` on, where a bare count is a share of that many
    /// rows (`5 revoked`, `25 dogs, 10 cats`), pushed as one distribution.
    fn bare_shares(&mut self, start: Span) -> Result<()> {
        self.bare_rows = true;
        let shares = self.shares();
        self.bare_rows = false;
        self.clauses.push(Clause::Distribution { column: None, shares: shares?, span: start.to(self.prev_span()) });
        Ok(())
    }

    fn shares(&mut self) -> Result<Vec<Share>> {
        let mut shares: Vec<Share> = Vec::new();
        // Value words to the share that used them first: one lookup per
        // share keeps long scopes linear.
        let mut seen: HashMap<Vec<String>, Span> = HashMap::new();
        loop {
            let start = self.peek().span;
            let (portion, percent) = self.portion()?;
            while self.word(self.pos).is_some_and(|w| SHARE_VERBS.contains(&w) || ["still", "currently", "already", "now"].contains(&w)) {
                self.pos += 1;
            }
            let after = self.src(start.to(self.prev_span())).to_string();
            let value = if self.kind(self.pos) == TokenKind::Number {
                let (text, span) = self.number_text();
                // `half of them 5 stars`: the unit names the column.
                match self.phrase_word(self.pos).filter(|_| !self.portion_ahead(self.pos)) {
                    Some((next, unit)) => {
                        self.pos = next;
                        let unit_text = self.src(unit).to_string();
                        Phrase { words: vec![text.clone(), normalize_word(&unit_text)], text: format!("{text} {unit_text}"), span: span.to(unit) }
                    }
                    None => Phrase { words: vec![text.clone()], text, span },
                }
            } else if let Some((number, end)) = self.number_word(self.pos).filter(|&(_, end)| {
                self.phrase_word(end).is_some_and(|(next, _)| matches!(self.kind(next), TokenKind::Eof | TokenKind::Comma | TokenKind::Percent(_)) || self.is_word(next, "and"))
            }) {
                // `60% five stars`: a number in words, then its unit.
                let span = self.peek().span;
                let (next, unit) = self.phrase_word(end).expect("checked");
                self.pos = next;
                let unit_text = self.src(unit).to_string();
                Phrase { words: vec![number.to_string(), normalize_word(&unit_text)], text: format!("{number} {unit_text}"), span: span.to(unit) }
            } else if self.word(self.pos).is_some_and(|w| ["in", "for", "on", "under", "out", "through", "via", "at", "by", "from"].contains(&w))
                && self.period_at(self.pos).is_none()
                && !self.bound_ahead(self.pos)
                && (self.phrase_word(self.pos + 1).is_some() || (self.is_word(self.pos + 1, "the") && self.phrase_word(self.pos + 2).is_some()))
            {
                // `the rest in transit`, `15% under offer`, `25 of them for
                // rent`: a value that starts with a preposition.
                let mut spans = vec![self.peek().span];
                self.pos += 1;
                spans.extend(self.words()?.expect("a phrase word is ahead").spans);
                self.to_phrase(&spans)
            } else if self.word(self.pos).is_some_and(|w| w.len() > 3 && w.ends_with("ed")) && self.kind(self.pos + 1) == TokenKind::Number {
                // `60% rated 5`: a number, the verb naming its column.
                let verb = self.peek().span;
                self.pos += 1;
                let (text, span) = self.number_text();
                let verb_text = self.src(verb).to_string();
                Phrase { words: vec![text.clone(), normalize_word(&verb_text)], text: format!("{verb_text} {text}"), span: verb.to(span) }
            } else if self.is_hint_verb(self.pos) {
                // `3 closed during 2025`: the state, and its time clause.
                let span = self.peek().span;
                self.pos += 1;
                let value = self.to_phrase(&[span]);
                if let Some(clause) = self.column_clause(span, Some(value.clone()))? {
                    self.clauses.push(clause);
                }
                value
            } else if let Some(end) = self.loose_run_end(self.pos) {
                // `a quarter of them opted in to marketing emails`
                let spans: Vec<Span> = (self.pos..end).map(|k| self.tokens[k].span).collect();
                self.pos = end;
                self.to_phrase(&spans)
            } else {
                self.required_phrase(&after, &["a value, such as `completed`"])?
            };
            if let Some(earlier) = seen.get(&value.words) {
                let message = format!("`{}` appears twice in the distribution", value.text);
                let column = earlier.column(self.text);
                return Err(self
                    .error(value.span, message, &[])
                    .help(format!("merge it with the share at column {column}")));
            }
            seen.insert(value.words.clone(), value.span);
            shares.push(Share { percent, value, portion });
            let save = self.pos;
            self.separator();
            if !self.portion_ahead(self.pos) || self.null_share_ahead(self.pos) {
                self.pos = save;
                break;
            }
        }
        let rests = shares.iter().filter(|s| s.portion == Portion::Rest).count();
        if rests > 1 {
            let second = shares.iter().filter(|s| s.portion == Portion::Rest).nth(1).expect("two");
            return Err(self
                .error(second.percent.span.to(second.value.span), "`the rest` appears twice in the distribution", &[])
                .help("give one value to the rest, and the others a share each"));
        }
        // Percentages and fractions summed as exact rationals, so `a third`
        // three times is exactly 100%.
        let mut total_num: u128 = 0;
        let mut total_den: u128 = 1;
        for share in &shares {
            let (n, d): (u128, u128) = match share.portion {
                Portion::Percent(h) => (h as u128, 10_000),
                Portion::Fraction { num, den } => (num as u128, den as u128),
                Portion::Rows(_) | Portion::Rest => continue,
            };
            total_num = total_num * d + n * total_den;
            total_den *= d;
            let g = gcd(total_num, total_den);
            total_num /= g;
            total_den /= g;
        }
        if total_num > total_den {
            let last = shares.last().expect("at least one share");
            let shown = format_percent((total_num * 10_000 / total_den).min(u32::MAX as u128) as u32);
            let message = format!("distribution shares add up to {shown}, more than 100%");
            return Err(self
                .error(last.percent.span.to(last.value.span), message, &[])
                .help("shares may add up to less than 100%; the rest is filled in, but never to more"));
        }
        Ok(shares)
    }

    /// The share at the cursor: a percentage or words; advances.
    fn portion(&mut self) -> Result<(Portion, Percent)> {
        if let TokenKind::Percent(hundredths) = self.kind(self.pos) {
            let percent = self.percent()?;
            // `30% of them paid`
            if self.is_word(self.pos, "of") && self.word(self.pos + 1).is_some_and(|w| ["them", "those", "these", "which", "whom"].contains(&w)) {
                self.pos += 2;
            }
            return Ok((Portion::Percent(hundredths), percent));
        }
        let Some((portion, end)) = self.portion_word(self.pos) else {
            return Err(self.unexpected(&["a percentage", "a share such as `a third` or `the rest`"]));
        };
        let span = self.peek().span.to(self.tokens[end - 1].span);
        self.pos = end;
        let hundredths = match portion {
            Portion::Fraction { num, den } => ((num * 10_000) / den.max(1)).min(10_000) as u32,
            _ => 0,
        };
        Ok((portion, Percent { hundredths, span }))
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
        let end = self.grouped_end(i);
        if self.multiplier(end).is_some() { end + 1 } else { end }
    }

    /// `k` or `m` glued to the number before `i`: its factor.
    fn multiplier(&self, i: usize) -> Option<f64> {
        if self.kind(i) != TokenKind::Word || !self.touches(i) || self.kind(i - 1) != TokenKind::Number {
            return None;
        }
        match self.word(i)? {
            "k" => Some(1_000.0),
            "m" => Some(1_000_000.0),
            _ => None,
        }
    }

    fn grouped_end(&self, i: usize) -> usize {
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
        let text: String = self.tokens[self.pos..end]
            .iter()
            .filter(|t| t.kind == TokenKind::Number)
            .map(|t| self.src(t.span))
            .collect();
        let factor = self.multiplier(end - 1);
        self.pos = end;
        match factor.zip(text.parse::<f64>().ok()) {
            Some((f, v)) => (format!("{}", v * f), span),
            None => (text, span),
        }
    }

    fn count(&mut self) -> Result<Count> {
        if let Some((value, end)) = self.number_word(self.pos) {
            let span = self.peek().span.to(self.tokens[end - 1].span);
            self.pos = end;
            return Ok(Count { value, span });
        }
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
        // `up to 2 checked bags`: none to two.
        if self.is_word(self.pos, "up") && self.is_word(self.pos + 1, "to") && self.count_ahead(self.pos + 2) {
            let start = self.peek().span;
            self.pos += 2;
            let max = self.count()?;
            return Ok(CountRange { min: 0, max: max.value, span: start.to(max.span) });
        }
        // `between 4 and 12 rooms`
        let between = self.is_word(self.pos, "between") && self.count_ahead(self.pos + 1);
        if between {
            self.pos += 1;
        }
        let min = self.count()?;
        // `one or two guardians`: a range when a count follows `or`.
        let joined = self.kind(self.pos) == TokenKind::Dash
            || self.is_word(self.pos, "to")
            || self.is_word(self.pos, "or")
            || (between && self.is_word(self.pos, "and"));
        if !joined || !self.count_ahead(self.pos + 1) {
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
        if self.kind(self.pos) == TokenKind::Currency {
            self.pos += 1;
        }
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
        if self.kind(self.pos) == TokenKind::Currency && self.touches(self.pos) {
            self.pos += 1;
        }
        Ok(Number { text, value, span: if negative { start.to(span) } else { span } })
    }

    /// A count written in words at `i`: `a dozen`, `twenty`, `two hundred`,
    /// `a couple of`, and `a`/`an`/`one` before a noun. Returns the value and
    /// the index past it. `a third` is a fraction, not a count.
    fn number_word(&self, i: usize) -> Option<(u64, usize)> {
        let word = self.word(i)?;
        let lookup = |w: &str| NUMBER_WORDS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v);
        if word == "a" || word == "an" {
            let next = self.word(i + 1);
            if next == Some("couple") {
                let end = if self.is_word(i + 2, "of") { i + 3 } else { i + 2 };
                return Some((2, end));
            }
            if next == Some("few") {
                return Some((3, i + 2));
            }
            // `a single paused enrollment`
            if next == Some("single") && self.phrase_word(i + 2).is_some() {
                return Some((1, i + 2));
            }
            if let Some(v) = next.and_then(|w| ["dozen", "hundred", "thousand"].contains(&w).then(|| lookup(w)).flatten()) {
                return Some((v, i + 2));
            }
            let noun_follows = self.phrase_word(i + 1).is_some()
                && !next.is_some_and(|w| FRACTION_WORDS.iter().any(|(f, _)| *f == w) || w == "rest");
            return noun_follows.then_some((1, i + 1));
        }
        let mut value = lookup(word)?;
        let mut end = i + 1;
        // `twenty five`, `two hundred`, `three dozen`.
        if value >= 20 && value < 100 && value % 10 == 0 {
            if let Some(unit) = self.word(end).and_then(lookup).filter(|v| *v < 10) {
                value += unit;
                end += 1;
            }
        }
        if let Some(multiplier) = self.word(end).filter(|w| ["dozen", "hundred", "thousand"].contains(w)).and_then(lookup)
            && value < 100
        {
            value *= multiplier;
            end += 1;
        }
        // `one` alone before a fraction is the fraction's numerator.
        if self.word(end).is_some_and(|w| FRACTION_WORDS.iter().any(|(f, _)| *f == w)) {
            return None;
        }
        Some((value, end))
    }

    fn count_ahead(&self, i: usize) -> bool {
        self.kind(i) == TokenKind::Number || self.number_word(i).is_some()
    }

    /// A share at `i` that is not a percentage: `a third`, `two thirds`,
    /// `half`, `the rest`, `7 of them`. Returns it and the index past it
    /// (and past `of them`).
    fn portion_word(&self, i: usize) -> Option<(Portion, usize)> {
        let of_them = |j: usize| {
            if self.is_word(j, "of") && self.word(j + 1).is_some_and(|w| ["them", "those", "these", "which", "whom"].contains(&w)) {
                j + 2
            } else if self.is_word(j, "of")
                && self.word(j + 1).is_some_and(|w| ["the", "those", "these"].contains(&w))
                && self.phrase_word(j + 2).is_some()
                && self.phrase_word(j + 3).is_some()
                && !self.is_word(j + 2, "rest")
            {
                // `a quarter of the applications withdrawn`: the rows named
                // are a table already planned; the value finds its column.
                j + 3
            } else {
                j
            }
        };
        if let Some(found) = self.one_in(i) {
            return Some(found);
        }
        // `, forty customers`, `and a dozen refunds`: rows of a value, or
        // of another table.
        if self.bare_rows && self.kind(i) == TokenKind::Word && self.bare_rows_ahead(i) {
            return self.bare_count(i).map(|(value, end)| (Portion::Rows(value), end));
        }
        let mut j = i;
        if self.is_word(j, "the") && self.word(j + 1).is_some_and(|w| ["rest", "remainder", "others"].contains(&w)) {
            return Some((Portion::Rest, of_them(j + 2)));
        }
        if self.word(j).is_some_and(|w| ["rest", "remainder", "remaining", "others"].contains(&w)) {
            return Some((Portion::Rest, of_them(j + 1)));
        }
        // `none of them suspended`, `none of them with a phone number`
        if self.is_word(j, "none") && of_them(j + 1) != j + 1 {
            return Some((Portion::Percent(0), of_them(j + 1)));
        }
        // `none filed yet`: `of them` left out before a state.
        if self.is_word(j, "none") && self.word(j + 1).is_some_and(|w| is_participle(w) || ["yet", "still"].contains(&w)) {
            return Some((Portion::Percent(0), j + 1));
        }
        if self.is_word(j, "all") && self.word(j + 1).is_some_and(|w| w == "others" || w == "other") {
            return Some((Portion::Rest, j + 2));
        }
        let num = match self.word(j) {
            Some("a" | "an" | "one") => {
                j += 1;
                1
            }
            Some(w) => match NUMBER_WORDS.iter().find(|(n, _)| *n == w) {
                Some((_, v)) if *v < 10 && self.word(j + 1).is_some_and(|w| FRACTION_WORDS.iter().any(|(f, _)| *f == w)) => {
                    j += 1;
                    *v
                }
                _ => 1,
            },
            None => {
                // `7 of them`
                if self.kind(j) == TokenKind::Number && self.is_word(j + 1, "of") && of_them(j + 1) != j + 1 {
                    let value = self.src(self.tokens[j].span).parse().ok()?;
                    return Some((Portion::Rows(value), of_them(j + 1)));
                }
                if self.bare_rows && self.bare_rows_ahead(j) {
                    return self.bare_count(j).map(|(value, end)| (Portion::Rows(value), end));
                }
                return None;
            }
        };
        if let Some(&(_, den)) = self.word(j).and_then(|w| FRACTION_WORDS.iter().find(|(f, _)| *f == w)) {
            return Some((Portion::Fraction { num, den }, of_them(j + 1)));
        }
        // `seven of them`
        if j == i && let Some((value, end)) = self.number_word(i) && of_them(end) != end {
            return Some((Portion::Rows(value), of_them(end)));
        }
        None
    }

    /// A whole count at `i` in digits or words (`5`, `forty`, `a dozen`;
    /// not a lone `a`, which is an article): its value and the index past it.
    fn bare_count(&self, i: usize) -> Option<(u64, usize)> {
        if self.kind(i) == TokenKind::Number {
            let text = self.src(self.tokens[i].span);
            return (!text.contains('.')).then(|| text.replace(',', "").parse().ok()).flatten().map(|v| (v, i + 1));
        }
        self.number_word(i).filter(|&(_, end)| !(self.word(i).is_some_and(|w| w == "a" || w == "an") && end == i + 1))
    }

    /// A bare count then a value at `i` (`5 revoked`, `2 not accepting
    /// patients`): not a number of time units, money or a unit.
    fn bare_rows_ahead(&self, i: usize) -> bool {
        let mut next = match self.bare_count(i) {
            Some((_, next)) => next,
            None => return false,
        };
        // `10 still under review`: the adverb the shares skip too.
        while self.word(next).is_some_and(|w| ["still", "currently", "already", "now"].contains(&w)) {
            next += 1;
        }
        // `15 in transit`, `2 on hold`: a value that starts with a
        // preposition, not a time or a bound.
        let prepositioned = self.word(next).is_some_and(|w| ["in", "on", "under", "out", "at"].contains(&w))
            && self.period_at(next).is_none()
            && !self.bound_ahead(next)
            && !self.count_ahead(next + 1)
            && (self.phrase_word(next + 1).is_some() || (self.is_word(next + 1, "the") && self.phrase_word(next + 2).is_some()));
        // `two of them trainees` is a share of its own kind.
        // `3 closed during 2025`: a state, then when.
        self.kind(next) == TokenKind::Word
            && !self.is_word(next, "of")
            && (self.phrase_word(next).is_some() || self.is_word(next, "not") || prepositioned || self.is_hint_verb(next))
            && self.time_unit(next).is_none()
            && !self.word(next).is_some_and(is_unit_word)
    }

    /// `one in ten`, `1 in 4`, `one out of five` at `i`: a fraction, and
    /// the index past it.
    fn one_in(&self, i: usize) -> Option<(Portion, usize)> {
        let small = |j: usize| -> Option<u64> {
            match self.kind(j) {
                TokenKind::Number => self.src(self.tokens[j].span).parse().ok(),
                _ => match self.word(j)? {
                    "a" | "an" | "one" => Some(1),
                    w => NUMBER_WORDS.iter().find(|(n, _)| *n == w).map(|(_, v)| *v),
                },
            }
        };
        let num = small(i)?;
        let j = if self.is_word(i + 1, "in") {
            i + 2
        } else if self.is_word(i + 1, "out") && self.is_word(i + 2, "of") {
            i + 3
        } else {
            return None;
        };
        let den = small(j).filter(|&d| d > 0 && num <= d)?;
        Some((Portion::Fraction { num, den }, j + 1))
    }

    /// A portion at `i`: a percentage or words.
    fn portion_ahead(&self, i: usize) -> bool {
        matches!(self.kind(i), TokenKind::Percent(_)) || self.portion_word(i).is_some()
    }

    // ---- phrases -----------------------------------------------------------------

    /// The next word of a phrase at `i`, with dashed compounds joined
    /// (`high-value`): the index after it and its span. `None` at a keyword
    /// or anything that is not a word.
    /// `scheduled to go out on 5 January 2026` at `i`: a participle, what
    /// the rows are to do, then when; the index of the period.
    fn to_do_period_ahead(&self, i: usize) -> Option<usize> {
        if !(self.word(i).is_some_and(|w| is_participle(w) || w == "due") && self.is_word(i + 1, "to")) {
            return None;
        }
        let k = (i + 3..=i + 6).find(|&k| self.period_at(k).is_some())?;
        (i + 2..k)
            .all(|j| self.kind(j) == TokenKind::Word && (!self.is_stop(j) || self.word(j).is_some_and(|w| ["out", "up", "off", "live", "be", "on"].contains(&w))))
            .then_some(k)
    }

    /// `not linked to any customer`, `not assigned to a driver` at `i`: the
    /// index of the parent's noun.
    fn unlinked_ahead(&self, i: usize) -> Option<usize> {
        let verb = if self.is_word(i, "not") { i + 1 } else { return None };
        (self.word(verb).is_some_and(|w| is_participle(w) || ["tied", "attached"].contains(&w))
            && self.word(verb + 1).is_some_and(|w| ["to", "with", "by", "from"].contains(&w))
            && self.word(verb + 2).is_some_and(|w| ["any", "a", "an"].contains(&w))
            && self.phrase_word(verb + 3).is_some())
        .then_some(verb + 3)
    }

    fn phrase_word(&self, i: usize) -> Option<(usize, Span)> {
        // `a wedding for ...`, `3 meeting rooms`: after a count or an article
        // a word in -ing is a noun, not a verb leading to a clause.
        if i > 0
            && self.kind(i) == TokenKind::Word
            && self.word(i).is_some_and(|w| w.len() > 5 && w.ends_with("ing"))
            && (self.kind(i - 1) == TokenKind::Number || self.word(i - 1).is_some_and(|w| ["a", "an", "one", "the", "each", "every"].contains(&w)))
            && !self.is_stop(i)
            && self.glued_end(i) == i + 1
        {
            return Some((i + 1, self.tokens[i].span));
        }
        // `in-progress`, `on-hold`, `no-show`: a keyword glued into a word.
        if self.kind(i) == TokenKind::Word && self.glued_end(i) > i + 1 && self.kind(i + 2) == TokenKind::Word && (self.is_stop(i) || self.never_ahead(i) || self.no_words(i).is_some()) {
            let end = self.glued_end(i);
            return Some((end, self.tokens[i].span.to(self.tokens[end - 1].span)));
        }
        if self.kind(i) != TokenKind::Word
            || self.is_stop(i)
            || self.is_hint_verb(i)
            || (self.is_word(i, "of") && self.is_word(i + 1, "between") && self.number_ahead(i + 2))
            || (self.is_word(i, "of")
                && (self.bound_ahead(i + 1)
                    || (self.number_ahead(i + 1) && self.word(self.after_number(i + 1)).is_none_or(|w| !["them", "those", "these", "which", "whom"].contains(&w)))))
            || self.bound_words(i).is_some()
            || self.never_ahead(i)
            || self.split_ahead(i)
            || (self.word(i).is_some_and(|w| ["we", "i", "they", "you"].contains(&w)) && self.word(i + 1).is_some_and(|w| is_participle(w) || IRREGULAR_PARTICIPLES.contains(&w)))
            || (self.is_word(i, "so") && self.keyword(i) == Some(Keyword::Purpose))
            || (self.word(i).is_some_and(|w| ["spread", "distributed", "scattered"].contains(&w)) && self.dated_period_at(i + 1))
            || self.is_with(i)
            || self.verb_children_ahead(i).is_some()
            || (self.word(i).is_some_and(is_participle) && self.word(i + 1).is_some_and(|w| ["for", "from", "with", "by", "against"].contains(&w)) && matches!(self.keyword(i + 1), Some(Keyword::Reference | Keyword::With)))
            || (self.word(i).is_some_and(|w| is_participle(w) || w == "featuring") && self.word(i + 1).is_some_and(|w| ["to", "at", "on", "of", "by", "for"].contains(&w)) && self.named_parent_ahead(i + 2).is_some())
            || (self.is_word(i, "featuring") && self.named_parent_ahead(i + 1).is_some())
            || self.place_verb_ahead(i)
            || (self.word(i).is_some_and(|w| ["labelled", "labeled", "tagged"].contains(&w)) && (matches!(self.kind(i + 1), TokenKind::Quoted { .. }) || self.capital(i + 1)))
            || (self.word(i).is_some_and(is_participle) && self.word(i + 1).is_some_and(|w| ["in", "out", "up", "off"].contains(&w)) && self.word(i + 2).is_some_and(|w| ["at", "on", "by", "to", "from", "via", "through"].contains(&w)))
            || (self.word(i).is_some_and(|w| ["marked", "flagged", "tagged"].contains(&w)) && i > 0 && self.kind(i - 1) == TokenKind::Word && self.kind(i + 1) == TokenKind::Word && !self.is_stop(i + 1))
            // `refills requested through the app`, `sessions still in progress`
            || (self.word(i).is_some_and(is_participle) && self.word(i + 1).is_some_and(|w| ["through", "via"].contains(&w)))
            || (self.word(i).is_some_and(|w| ["still", "currently", "already"].contains(&w)) && self.word(i + 1).is_some_and(|w| ["in", "on", "under", "not", "being", "awaiting", "pending", "open", "active"].contains(&w)))
            || self.measure_ahead(i).is_some()
            || (self.word(i).is_some_and(|w| ["last", "past", "next", "coming", "this"].contains(&w)) && self.relative_period(i).is_some())
            || self.to_do_period_ahead(i).is_some()
            || (self.is_word(i, "taking") && self.is_word(i + 1, "place") && self.period_at(i + 2).is_some())
            || (self.word(i).is_some_and(|w| w.len() > 5 && w.ends_with("ing")) && i > 0 && self.kind(i - 1) == TokenKind::Word && self.currency_at(i + 1).is_some() && self.number_ahead(i + 1))
            // `permits priced at $150`
            || (self.word(i).is_some_and(is_participle) && self.word(i + 1).is_some_and(|w| ["at", "for"].contains(&w)) && self.currency_at(i + 2).is_some())
            // `vehicles not linked to any customer`
            || self.unlinked_ahead(i).is_some()
        {
            return None;
        }
        let end = self.glued_end(i);
        Some((end, self.tokens[i].span.to(self.tokens[end - 1].span)))
    }

    fn is_stop(&self, i: usize) -> bool {
        let word = self.tokens[i].lower.as_str();
        STOP.contains(&word)
            || (["spread", "distributed", "split"].contains(&word) && self.keyword(i) == Some(Keyword::SpreadAcross))
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
        j > i && self.column_clause_ahead(j) || self.word(j).is_some_and(|w| TAIL.contains(&w))
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
            TokenKind::Comma | TokenKind::Colon | TokenKind::Dash | TokenKind::Currency => format!("`{text}`"),
            TokenKind::Eof => "end of scope".to_string(),
        }
    }
}

/// `working`, `leaving`, `issued`: a verb form, which a phrase does not
/// end with when a reference follows.
fn is_participle(word: &str) -> bool {
    (word.len() > 5 && word.ends_with("ing") && !TAIL.contains(&word)) || (word.len() > 4 && word.ends_with("ed")) || IRREGULAR_PARTICIPLES.contains(&word)
}

/// A value written as a code: capitals and digits (`AMS1`, `SUMMER10`).
fn is_code(text: &str) -> bool {
    text.len() >= 2
        && text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && text.chars().any(|c| c.is_ascii_uppercase())
}

fn is_unit_word(word: &str) -> bool {
    ["dollars", "dollar", "euros", "euro", "eur", "usd", "pounds", "gbp", "bucks", "cents", "percent"].contains(&word)
}

fn valid_date(year: i32, month: u32, day: u32) -> bool {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
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
