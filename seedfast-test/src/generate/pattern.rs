//! Text that matches the patterns of a column's CHECKs and domains
//! (`VALUE ~ '^[0-9]{13}$'`, `sku LIKE 'SKU-%'`): a realistic value is kept
//! when it already matches, otherwise one is drawn from the regex itself
//! with `rand_regex`, on the column's own random stream.

use rand::RngExt;
use rand_pcg::Pcg64;
use regex_syntax::ParserBuilder;

use crate::schema::check::Pattern;

/// Repetitions drawn for `*`, `+` and open `{n,}`: short, readable values.
const MAX_REPEAT: u32 = 8;
/// Draws from the regex before giving up on a length limit or an
/// anti-pattern (the server then judges what we have).
const DRAWS: usize = 16;

/// A column's patterns, compiled once per table.
#[derive(Debug, Default)]
pub struct TextPatterns {
    /// Matchers for every pattern the value must match.
    must: Vec<regex::Regex>,
    /// Matchers for every pattern it must not match.
    must_not: Vec<regex::Regex>,
    /// A generator for the first pattern that `rand_regex` can draw from.
    generator: Option<rand_regex::Regex>,
}

impl TextPatterns {
    /// `None` when the column has no pattern. Patterns in a dialect the
    /// `regex` crate does not read are skipped here and left to the server.
    pub fn compile(patterns: &[Pattern], anti: &[Pattern]) -> Option<TextPatterns> {
        if patterns.is_empty() && anti.is_empty() {
            return None;
        }
        let matcher = |p: &Pattern| regex::RegexBuilder::new(&p.regex).case_insensitive(p.case_insensitive).build().ok();
        Some(TextPatterns {
            must: patterns.iter().filter_map(matcher).collect(),
            must_not: anti.iter().filter_map(matcher).collect(),
            generator: patterns.iter().find_map(generator),
        })
    }

    pub fn accepts(&self, text: &str) -> bool {
        self.must.iter().all(|r| r.is_match(text)) && !self.must_not.iter().any(|r| r.is_match(text))
    }

    /// `candidate` if it passes, else a value drawn from the pattern that
    /// passes and fits `max_len`; the last draw if none does.
    pub fn fit(&self, candidate: String, max_len: Option<usize>, rng: &mut Pcg64) -> String {
        let fits = |s: &str| self.accepts(s) && max_len.is_none_or(|m| s.chars().count() <= m);
        if fits(&candidate) {
            return candidate;
        }
        let Some(generator) = &self.generator else { return candidate };
        let mut last = candidate;
        for _ in 0..DRAWS {
            let drawn: String = rng.sample(generator);
            if fits(&drawn) {
                return drawn;
            }
            last = drawn;
        }
        last
    }
}

/// A generator for one pattern: ASCII classes first (`\w` as letters and
/// digits, not any script), Unicode only when the pattern needs it.
/// `rand_regex` refuses anchors, so those at the edges are dropped: a value
/// drawn from the rest matches the anchored pattern.
fn generator(p: &Pattern) -> Option<rand_regex::Regex> {
    let body = strip_anchors(&p.regex);
    let ascii = ParserBuilder::new().unicode(false).utf8(true).case_insensitive(p.case_insensitive).build().parse(&body);
    let hir = match ascii {
        Ok(hir) => hir,
        Err(_) => ParserBuilder::new().case_insensitive(p.case_insensitive).build().parse(&body).ok()?,
    };
    rand_regex::Regex::with_hir(hir, MAX_REPEAT).ok()
}

/// `^abc$` as `abc`; also `^(a|b)$`. Anchors elsewhere stay, and the
/// pattern then gets no generator.
fn strip_anchors(regex: &str) -> String {
    let mut s = regex;
    while let Some(rest) = s.strip_prefix('^') {
        s = rest;
    }
    let mut s = s.to_string();
    while s.ends_with('$') && !s.ends_with("\\$") {
        s.pop();
    }
    s
}

#[cfg(test)]
mod should {
    use super::*;
    use crate::generate::stream;

    fn pattern(regex: &str) -> Pattern {
        Pattern { regex: regex.into(), case_insensitive: false, source: regex.into() }
    }

    #[test]
    fn draw_text_matching_an_anchored_regex() {
        let p = TextPatterns::compile(&[pattern("^[0-9]{13}$")], &[]).unwrap();
        let mut rng = stream(1, "t", "isbn");
        for _ in 0..50 {
            let v = p.fit("Some words".into(), None, &mut rng);
            assert_eq!(v.len(), 13, "{v}");
            assert!(v.chars().all(|c| c.is_ascii_digit()), "{v}");
        }
    }

    #[test]
    fn keep_a_realistic_value_that_already_matches() {
        let p = TextPatterns::compile(&[pattern("^[^@]+@[^@]+$")], &[]).unwrap();
        let mut rng = stream(1, "t", "email");
        assert_eq!(p.fit("ann.lee@example.com".into(), None, &mut rng), "ann.lee@example.com");
    }

    #[test]
    fn draw_words_as_ascii_and_honour_anti_patterns() {
        let p = TextPatterns::compile(&[pattern(r"^\w{3,6}-\d{2}$")], &[pattern("^x")]).unwrap();
        let mut rng = stream(3, "t", "code");
        for _ in 0..50 {
            let v = p.fit(String::new(), Some(9), &mut rng);
            assert!(v.is_ascii() && p.accepts(&v) && v.len() <= 9, "{v}");
        }
    }

    #[test]
    fn draw_the_same_values_from_the_same_stream() {
        let p = TextPatterns::compile(&[pattern("^[A-Z]{2}[0-9]{4}$")], &[]).unwrap();
        let draw = || {
            let mut rng = stream(9, "t", "c");
            (0..5).map(|_| p.fit(String::new(), None, &mut rng)).collect::<Vec<_>>()
        };
        assert_eq!(draw(), draw());
    }
}
