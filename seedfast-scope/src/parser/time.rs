//! Dates and periods: `2024-05-01`, `15 June 2025`, `in March 2025`,
//! `between 1 and 15 June 2025`, `last month`, `in 2024 or later`.

use super::*;

impl Parser<'_> {
    /// A date at `i`: `2024-05-01`, `March 2025`, `March 3, 2025`, `2025`.
    /// A month name alone at `i` (`July`, `Sept`): its number.
    pub(super) fn month_at(&self, i: usize) -> Option<u32> {
        MONTHS.iter().position(|m| self.word(i).is_some_and(|w| w == *m || (w.len() >= 3 && m.starts_with(w) && w != "mar" && w != "may"))).map(|m| m as u32 + 1)
    }

    pub(super) fn date_at(&self, i: usize) -> Option<(Date, usize)> {
        let digits = |j: usize| (self.kind(j) == TokenKind::Number).then(|| self.src(self.tokens[j].span)).filter(|t| !t.contains('.'));
        if let Some(year) = digits(i).filter(|t| t.len() == 4) {
            let year: i32 = year.parse().ok()?;
            let iso = self.kind(i + 1) == TokenKind::Dash && self.touches(i + 1) && self.touches(i + 2);
            if iso {
                let month: u32 = digits(i + 2)?.parse().ok()?;
                let dashed = self.kind(i + 3) == TokenKind::Dash && self.touches(i + 3) && self.touches(i + 4);
                let day: u32 = if dashed { digits(i + 4)?.parse().ok()? } else { 1 };
                let end = if dashed { i + 5 } else { i + 3 };
                return valid_date(year, month, day).then_some((Date { year, month, day }, end));
            }
            return (1000..=9999).contains(&year).then_some((Date { year, month: 1, day: 1 }, i + 1));
        }
        // `15 June 2025`: the day first.
        if let Some(day) = digits(i).filter(|t| t.len() <= 2).and_then(|t| t.parse::<u32>().ok())
            && let Some(month) = self.month_at(i + 1)
            && let Some(year) = digits(i + 2).filter(|t| t.len() == 4).and_then(|t| t.parse::<i32>().ok())
        {
            return valid_date(year, month, day).then_some((Date { year, month, day }, i + 3));
        }
        let month = self.month_at(i)?;
        let (day, j) = match digits(i + 1).filter(|t| t.len() <= 2) {
            Some(d) => (d.parse().ok()?, if self.kind(i + 2) == TokenKind::Comma { i + 3 } else { i + 2 }),
            None => (1, i + 1),
        };
        let year: i32 = digits(j).filter(|t| t.len() == 4)?.parse().ok()?;
        valid_date(year, month, day).then_some((Date { year, month, day }, j + 1))
    }

    /// A period of dates at `i` (`over 1-3 March 2025`), not a window up to
    /// now (`across the last 12 months`, a clause of its own).
    pub(super) fn dated_period_at(&self, i: usize) -> bool {
        matches!(self.period_at(i), Some((period, _)) if !matches!(period, Period::Last { .. } | Period::Next { .. }))
    }

    /// A period at `i`, and the index past it.
    pub(super) fn period_at(&self, i: usize) -> Option<(Period, usize)> {
        // `3 days ago`, `more than 90 days ago`, `over a year ago`
        if let Some(found) = self.ago_at(i) {
            return Some(found);
        }
        let word = self.word(i)?;
        let day = |w: &str| match w {
            "yesterday" => Some(-1),
            "today" | "tonight" => Some(0),
            "tomorrow" => Some(1),
            _ => None,
        };
        // `delivered yesterday`, `reservations for tomorrow`
        if let Some(offset) = day(word) {
            return Some((Period::Day(offset), i + 1));
        }
        if ["in", "for", "from", "on", "during"].contains(&word)
            && let Some(offset) = self.word(i + 1).and_then(day)
        {
            return Some((Period::Day(offset), i + 2));
        }
        // `between 1 and 15 June 2025`, `over 1-3 March 2025`: days of one
        // month, written once after the second day.
        if ["between", "from", "over", "in", "during", "on"].contains(&word)
            && self.kind(i + 1) == TokenKind::Number
            && self.src(self.tokens[i + 1].span).len() <= 2
            && (self.kind(i + 2) == TokenKind::Dash || self.word(i + 2).is_some_and(|w| ["and", "to", "until"].contains(&w)))
            && let Some((to, end)) = self.date_at(i + 3)
            && let Ok(day) = self.src(self.tokens[i + 1].span).parse::<u32>()
            && self.kind(i + 3) == TokenKind::Number
            && day <= to.day
        {
            return Some((Period::Between { from: Date { day, ..to }, to }, end));
        }
        // `from before December 2025`, `from after 2020`
        if word == "from" && self.word(i + 1).is_some_and(|w| ["before", "after", "since"].contains(&w)) {
            return self.period_at(i + 1);
        }
        // `in the 2025 season`, `for the 2026 tax year`: the year.
        if ["in", "for", "during"].contains(&word)
            && self.is_word(i + 1, "the")
            && self.kind(i + 2) == TokenKind::Number
            && let Some((date, end)) = self.date_at(i + 2).filter(|(_, end)| *end == i + 3)
            && self.word(end).is_some_and(|w| ["season", "year", "cycle", "edition", "intake", "term", "period", "campaign", "harvest"].iter().any(|n| w.starts_with(n)) || w == "tax" || w == "school" || w == "fiscal" || w == "academic")
        {
            let mut end = end + 1;
            if self.word(end).is_some_and(|w| w == "year" || w == "years") {
                end += 1;
            }
            return Some((Period::Year(date.year), end));
        }
        match word {
            "last" | "past" | "next" | "coming" | "this" => self.relative_period(i),
            // `from 2021 or newer`: read as `in 2021 or later`.
            "from" if self.kind(i + 1) == TokenKind::Number && self.is_word(i + 2, "or") && self.word(i + 3).is_some_and(|w| ["later", "newer", "after", "earlier", "older", "before"].contains(&w)) => {
                let (date, end) = self.date_at(i + 1)?;
                match self.word(end + 1)? {
                    "later" | "newer" | "after" => Some((Period::Since(date), end + 2)),
                    _ => Some((Period::Before(Date { year: date.year + 1, month: 1, day: 1 }), end + 2)),
                }
            }
            "in" | "during" | "within" | "over" | "across" | "for" => {
                let mut j = i + 1;
                if self.is_word(j, "the") {
                    j += 1;
                }
                if self.word(j).is_some_and(|w| ["last", "past", "next", "coming"].contains(&w)) {
                    return self.relative_period(j);
                }
                if !["in", "during", "for"].contains(&word) {
                    return None;
                }
                let (date, end) = self.date_at(i + 1)?;
                // `joined in 2024 or later`, `in 2019 or earlier`
                if self.is_word(end, "or") && end == i + 2 {
                    return match self.word(end + 1)? {
                        "later" | "after" | "since" | "newer" => Some((Period::Since(date), end + 2)),
                        "earlier" | "before" | "older" => Some((Period::Before(Date { year: date.year + 1, month: 1, day: 1 }), end + 2)),
                        _ => None,
                    };
                }
                let written_month = self.kind(i + 1) == TokenKind::Word;
                let iso_month = self.kind(i + 2) == TokenKind::Dash && end == i + 4;
                if written_month || iso_month {
                    return Some((Period::Month { year: date.year, month: date.month }, end));
                }
                (end == i + 2).then_some((Period::Year(date.year), end))
            }
            // `from the last 3 days`, `from last week`
            "from" if self.word(i + 1 + usize::from(self.is_word(i + 1, "the"))).is_some_and(|w| ["last", "past"].contains(&w)) => {
                self.relative_period(i + 1 + usize::from(self.is_word(i + 1, "the")))
            }
            "between" | "from" => {
                let (from, j) = match self.date_at(i + 1) {
                    Some(found) => found,
                    None => {
                        // `between July and September 2025`: the first
                        // month takes the second's year.
                        let month = self.month_at(i + 1)?;
                        let joiner = if word == "between" { "and" } else { "to" };
                        if !self.is_word(i + 2, joiner) {
                            return None;
                        }
                        let (to, end) = self.date_at(i + 3)?;
                        let from = Date { year: to.year, month, day: 1 };
                        return (month <= to.month).then(|| (Period::Between { from, to: self.last_day(i + 3, to, end) }, end));
                    }
                };
                let joiner = if word == "between" { ["and", "and"] } else { ["to", "until"] };
                if !self.word(j).is_some_and(|w| joiner.contains(&w)) {
                    // `events from 2024`, `from March 2025`: that year or month.
                    if word != "from" || self.kind(j) == TokenKind::Dash {
                        return None;
                    }
                    return match (self.kind(i + 1), j - (i + 1)) {
                        (TokenKind::Number, 1) => Some((Period::Year(from.year), j)),
                        (TokenKind::Word, 2) => Some((Period::Month { year: from.year, month: from.month }, j)),
                        _ => None,
                    };
                }
                let (to, end) = self.date_at(j + 1)?;
                // `between 1950 and 1970` includes all of 1970.
                Some((Period::Between { from, to: self.last_day(j + 1, to, end) }, end))
            }
            "since" => {
                let (date, end) = self.date_at(i + 1)?;
                Some((Period::Since(date), end))
            }
            // `placed on 24 December 2025`: that day.
            "on" => {
                let (date, end) = self.date_at(i + 1)?;
                let has_day = end - (i + 1) >= 3 || (self.kind(i + 2) == TokenKind::Dash && end == i + 6);
                has_day.then_some((Period::Between { from: date, to: date }, end))
            }
            "after" => {
                // `after 1990` starts in 1991; `after March 2025` in April.
                let (date, end) = self.date_at(i + 1)?;
                let last = self.last_day(i + 1, date, end);
                let next = if valid_date(last.year, last.month, last.day + 1) {
                    Date { day: last.day + 1, ..last }
                } else if last.month < 12 {
                    Date { year: last.year, month: last.month + 1, day: 1 }
                } else {
                    Date { year: last.year + 1, month: 1, day: 1 }
                };
                Some((Period::Since(next), end))
            }
            "before" => {
                let (date, end) = self.date_at(i + 1)?;
                Some((Period::Before(date), end))
            }
            _ => None,
        }
    }

    /// `more than 90 days ago`, `over a year ago`, `3 weeks ago` at `i`.
    fn ago_at(&self, i: usize) -> Option<(Period, usize)> {
        let (older, j) = match self.word(i) {
            Some("more" | "longer") if self.is_word(i + 1, "than") => (true, i + 2),
            Some("over" | "above") => (true, i + 1),
            _ => (false, i),
        };
        let (amount, k) = match self.kind(j) {
            TokenKind::Number => (self.src(self.tokens[j].span).parse().ok()?, j + 1),
            _ => match self.word(j)? {
                "a" | "an" | "one" => (1, j + 1),
                _ => self.number_word(j)?,
            },
        };
        let (unit, _) = self.time_unit(k)?;
        (self.is_word(k + 1, "ago") && amount > 0).then_some((Period::Ago { amount, unit, older }, k + 2))
    }

    /// `last month`, `the past 3 days`, `next week`, `this year` at `i`
    /// (the word `last`/`next`/...): a window ending or starting now.
    pub(super) fn relative_period(&self, i: usize) -> Option<(Period, usize)> {
        let word = self.word(i)?;
        let j = i + 1;
        let (amount, j) = match self.kind(j) {
            TokenKind::Number => (self.src(self.tokens[j].span).parse().ok()?, j + 1),
            _ => match self.number_word(j) {
                Some((v, end)) => (v, end),
                None => (1, j),
            },
        };
        let (unit, plural) = self.time_unit(j)?;
        if amount == 0 || (amount == 1 && plural && self.kind(j - 1) != TokenKind::Number) {
            return None;
        }
        let period = match word {
            "next" | "coming" => Period::Next { amount, unit },
            _ => Period::Last { amount, unit },
        };
        Some((period, j + 1))
    }

    /// The last day a date as written covers: a bare year is its 31
    /// December, a month its last day, a full date itself. `start` is the
    /// date's first token and `end` the index past it.
    pub(super) fn last_day(&self, start: usize, date: Date, end: usize) -> Date {
        let bare_year = end == start + 1 && self.kind(start) == TokenKind::Number;
        let month_only = (self.kind(start) == TokenKind::Word && end == start + 2)
            || (self.kind(start + 1) == TokenKind::Dash && end == start + 3);
        if bare_year {
            Date { year: date.year, month: 12, day: 31 }
        } else if month_only {
            let day = (28..=31).rev().find(|&d| valid_date(date.year, date.month, d)).unwrap_or(28);
            Date { day, ..date }
        } else {
            date
        }
    }
}
