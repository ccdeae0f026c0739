//! Splits a scope into tokens.
//!
//! The lexer is context-free on purpose: whether `1,000` is one number or
//! two list items depends on where it stands (a count or an ID list), so the
//! lexer keeps `1`, `,` and `000` apart with exact spans and the parser glues
//! them when the context allows. Likewise `SKU-001`, `high-value` and UUIDs
//! come out as words, numbers and dashes that touch; the parser joins them.

use crate::ast::Span;
use crate::error::ScopeError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters, digits and `_`, with apostrophes inside (`don't`,
    /// `service's`). Starts with any of those, so `0190c3a4` is a word.
    Word,
    /// ASCII digits with an optional fraction: `1000`, `4.99`.
    Number,
    /// `60%`, `12.5%`, in hundredths of a percent, at most 100%.
    Percent(u32),
    Comma,
    Colon,
    /// `-`, and the en and em dashes people paste from documents.
    Dash,
    /// `$`, `€`, `£`: read as the unit of the number next to it.
    Currency,
    /// `'abc'` or `"abc"` (straight or curly); `inner` excludes the quotes.
    Quoted {
        inner: Span,
    },
    /// Zero-width, at the end of the text, so the parser can always peek.
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// For words: lowercase with curly apostrophes straightened, so keyword
    /// checks are plain string comparisons. Empty for other tokens.
    pub lower: String,
}

/// Expected-list entries for a character nothing can start with.
const TOKEN_STARTS: [&str; 7] = ["a word", "a number", "a percentage", "`,`", "`:`", "a quoted value", "a currency sign"];

pub(crate) fn tokenize(text: &str) -> Result<Vec<Token>, ScopeError> {
    let mut tokens = Vec::new();
    let mut pos = 0;
    while let Some(c) = text[pos..].chars().next() {
        let start = pos;
        let simple = |kind| Token { kind, span: Span::new(start, start + c.len_utf8()), lower: String::new() };
        let token = match c {
            c if c.is_whitespace() => {
                pos += c.len_utf8();
                continue;
            }
            c if c.is_ascii_digit() && is_all_digits(&text[start..word_end(text, start)]) => number(text, start)?,
            // `$350k`, `2.5m`: the number, then its multiplier as a word.
            c if c.is_ascii_digit() && is_multiplied(&text[start..word_end(text, start)]) => number(text, start)?,
            // `@example.org`: a domain written as the end of an address.
            '@' if text[start + 1..].chars().next().is_some_and(is_word_char) => {
                let end = word_end(text, start + 1);
                Token { kind: TokenKind::Word, span: Span::new(start, end), lower: normalize_word(&text[start..end]) }
            }
            // `Bloom & Co`, `Maya & Leo`: an ampersand in a name is a word.
            '&' if tokens.last().is_some_and(|t: &Token| t.kind == TokenKind::Word && text[t.span.start..].starts_with(char::is_uppercase))
                && text[start + 1..].trim_start().starts_with(char::is_uppercase) =>
            {
                Token { kind: TokenKind::Word, span: Span::new(start, start + 1), lower: "&".to_string() }
            }
            c if is_word_char(c) => {
                let mut end = word_end(text, start);
                // `St. Mary's`, `Dr. Chen`, `Acme Co.`: an abbreviation keeps its dot.
                // `Smith v. Jones`: a case's `v.` between two names.
                let versus = ["v", "vs"].contains(&&text[start..end]) && tokens.last().is_some_and(|t: &Token| t.kind == TokenKind::Word && text[t.span.start..].starts_with(char::is_uppercase));
                if text[end..].starts_with('.') && ((ABBREVIATIONS.contains(&text[start..end].to_lowercase().as_str()) && text[start..].starts_with(|c: char| c.is_uppercase())) || versus) {
                    end += 1;
                }
                Token { kind: TokenKind::Word, span: Span::new(start, end), lower: normalize_word(&text[start..end]) }
            }
            // `...; each reservation gets 1 or 2 orders`: a clause separator.
            ',' | ';' => simple(TokenKind::Comma),
            ':' => simple(TokenKind::Colon),
            // `3 branches (Central, Northgate and Eastfield), each ...`: a
            // list of names in brackets reads as one after a colon; other
            // brackets set a clause apart as commas do (`10 users (with
            // addresses)`).
            '(' if text[start + 1..].trim_start().starts_with(|c: char| c.is_uppercase()) => simple(TokenKind::Colon),
            // A closing bracket before a comma or the end adds nothing.
            ')' if text[start + 1..].trim_start().is_empty() || text[start + 1..].trim_start().starts_with([',', ';']) => {
                pos += 1;
                continue;
            }
            '(' | ')' => simple(TokenKind::Comma),
            '-' | '\u{2010}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => simple(TokenKind::Dash),
            '$' | '\u{20AC}' | '\u{00A3}' => simple(TokenKind::Currency),
            '\'' | '"' | '\u{2018}' | '\u{201C}' => quoted(text, start, c)?,
            other => {
                return Err(ScopeError::new(
                    text,
                    Span::new(start, start + other.len_utf8()),
                    format!("unexpected character `{other}`"),
                )
                .expected(TOKEN_STARTS));
            }
        };
        pos = token.span.end;
        tokens.push(token);
    }
    tokens.push(Token { kind: TokenKind::Eof, span: Span::new(text.len(), text.len()), lower: String::new() });
    Ok(tokens)
}

/// Abbreviations written with a dot inside names.
const ABBREVIATIONS: &[&str] = &["st", "dr", "mr", "mrs", "ms", "mt", "co", "inc", "ltd", "jr", "sr", "ave", "corp", "bros", "prof"];

/// Lowercase with curly apostrophes straightened: `Don’t` -> `don't`.
pub(crate) fn normalize_word(word: &str) -> String {
    word.to_lowercase().replace('\u{2019}', "'")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Digits (with an optional fraction) and a `k` or `m` multiplier.
fn is_multiplied(s: &str) -> bool {
    s.len() >= 2
        && s.ends_with(['k', 'K', 'm', 'M'])
        && s[..s.len() - 1].split_once('.').map_or(is_all_digits(&s[..s.len() - 1]), |(a, b)| is_all_digits(a) && is_all_digits(b))
}

fn is_all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// End of the word starting at `start`. An apostrophe belongs to the word
/// only between two word characters, so `don't` is one word while a quote
/// after a space opens a quoted value; a dot only between a letter and a
/// word character, so `example.org` is one word and `4.99` stays a number.
fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut prev = None;
    let mut chars = text[start..].chars().peekable();
    while let Some(c) = chars.next() {
        let inner_apostrophe = is_apostrophe(c) && end > start && chars.peek().is_some_and(|&n| is_word_char(n));
        let inner_dot = c == '.' && prev.is_some_and(char::is_alphabetic) && chars.peek().is_some_and(|&n| is_word_char(n));
        prev = Some(c);
        if !is_word_char(c) && !inner_apostrophe && !inner_dot {
            break;
        }
        end += c.len_utf8();
    }
    end
}

/// A run of digits, an optional `.digits` fraction, and an optional `%`.
fn number(text: &str, start: usize) -> Result<Token, ScopeError> {
    let bytes = text.as_bytes();
    let digits_end = |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let int_end = digits_end(start);
    let mut end = int_end;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        end = digits_end(end + 1);
    }
    if bytes.get(end) != Some(&b'%') {
        return Ok(Token { kind: TokenKind::Number, span: Span::new(start, end), lower: String::new() });
    }
    let span = Span::new(start, end + 1);
    let error = |message: String| ScopeError::new(text, span, message);
    let fraction = text.get(int_end + 1..end).unwrap_or("");
    if fraction.len() > 2 {
        return Err(error(format!("percentage `{}` has more than two decimals", &text[span.start..span.end])));
    }
    // Checking the integer part first keeps the arithmetic below in range.
    let whole: u32 = text[start..int_end].parse().unwrap_or(u32::MAX);
    let hundredths = whole.saturating_mul(100).saturating_add(format!("{fraction:0<2}").parse::<u32>().unwrap_or(0));
    if whole > 100 || hundredths > 10_000 {
        return Err(error(format!("percentage `{}` is over 100%", &text[span.start..span.end])));
    }
    Ok(Token { kind: TokenKind::Percent(hundredths), span, lower: String::new() })
}

fn quoted(text: &str, start: usize, open: char) -> Result<Token, ScopeError> {
    let close = match open {
        '\u{2018}' => '\u{2019}',
        '\u{201C}' => '\u{201D}',
        other => other,
    };
    let inner_start = start + open.len_utf8();
    match text[inner_start..].find(close) {
        Some(offset) => {
            let inner = Span::new(inner_start, inner_start + offset);
            Ok(Token {
                kind: TokenKind::Quoted { inner },
                span: Span::new(start, inner.end + close.len_utf8()),
                lower: String::new(),
            })
        }
        None => Err(ScopeError::new(text, Span::new(start, inner_start), "unterminated quoted value")
            .expected([format!("a closing `{close}`")])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn texts(text: &str) -> Vec<&str> {
        tokenize(text).unwrap().iter().map(|t| &text[t.span.start..t.span.end]).collect()
    }

    #[test]
    fn splits_words_numbers_and_punctuation() {
        use TokenKind::*;
        assert_eq!(kinds("1,000 users: a-b"), [Number, Comma, Number, Word, Colon, Word, Dash, Word, Eof]);
        assert_eq!(texts("1,000 users: a-b"), ["1", ",", "000", "users", ":", "a", "-", "b", ""]);
    }

    #[test]
    fn whitespace_of_any_kind_separates() {
        assert_eq!(texts("10\n   users\twith\r\naddresses"), ["10", "users", "with", "addresses", ""]);
    }

    #[test]
    fn percentages_are_exact_hundredths() {
        assert_eq!(kinds("60%")[0], TokenKind::Percent(6000));
        assert_eq!(kinds("12.5%")[0], TokenKind::Percent(1250));
        assert_eq!(kinds("0.25%")[0], TokenKind::Percent(25));
        assert_eq!(kinds("100%")[0], TokenKind::Percent(10_000));
    }

    #[test]
    fn percentages_over_100_or_too_precise_are_errors() {
        let err = tokenize("150% x").unwrap_err();
        assert_eq!(err.message, "percentage `150%` is over 100%");
        assert_eq!(err.span, Span::new(0, 4));
        assert!(tokenize("100.01% x").is_err());
        assert!(tokenize("99999999999% x").is_err());
        assert_eq!(tokenize("1.125%").unwrap_err().message, "percentage `1.125%` has more than two decimals");
    }

    #[test]
    fn decimals_are_one_number() {
        assert_eq!(texts("4.99 dollars"), ["4.99", "dollars", ""]);
        assert_eq!(kinds("4.99")[0], TokenKind::Number);
    }

    #[test]
    fn dashes_include_en_and_em_dash() {
        use TokenKind::*;
        assert_eq!(kinds("1\u{2013}1000"), [Number, Dash, Number, Eof]);
        assert_eq!(kinds("1\u{2014}2"), [Number, Dash, Number, Eof]);
    }

    #[test]
    fn apostrophes_inside_words_stay_in_the_word() {
        let tokens = tokenize("don\u{2019}t service's").unwrap();
        assert_eq!(tokens[0].lower, "don't");
        assert_eq!(tokens[1].lower, "service's");
        assert_eq!(tokens[1].span, Span::new(8, 17));
    }

    #[test]
    fn words_keep_spelling_and_expose_lowercase() {
        let tokens = tokenize("OrderCreated").unwrap();
        assert_eq!(tokens[0].lower, "ordercreated");
        assert_eq!(tokens[0].span, Span::new(0, 12));
    }

    #[test]
    fn digits_followed_by_letters_are_a_word() {
        assert_eq!(kinds("0190c3a4")[0], TokenKind::Word);
        assert_eq!(kinds("3rd")[0], TokenKind::Word);
    }

    #[test]
    fn quoted_values_straight_and_curly() {
        let tokens = tokenize("'abc' \"d e\" \u{2018}x\u{2019}").unwrap();
        assert_eq!(tokens[0].kind, TokenKind::Quoted { inner: Span::new(1, 4) });
        assert_eq!(tokens[1].kind, TokenKind::Quoted { inner: Span::new(7, 10) });
        assert!(matches!(tokens[2].kind, TokenKind::Quoted { .. }));
        assert_eq!(tokens.len(), 4);
    }

    #[test]
    fn unterminated_quote_points_at_the_opening_quote() {
        let err = tokenize("ids 'abc").unwrap_err();
        assert_eq!(err.message, "unterminated quoted value");
        assert_eq!(err.span, Span::new(4, 5));
    }

    #[test]
    fn unknown_punctuation_is_an_error() {
        for (text, column) in [("users & orders", 7), ("users # orders", 7), ("users.", 6), ("5 = 5", 3), ("50 %", 4)] {
            let err = tokenize(text).unwrap_err();
            assert!(err.message.starts_with("unexpected character"), "{text}: {}", err.message);
            assert_eq!(err.column(), column, "{text}");
        }
    }

    #[test]
    fn names_keep_ampersands_and_abbreviations() {
        assert_eq!(texts("a vendor called Bloom & Co"), ["a", "vendor", "called", "Bloom", "&", "Co", ""]);
        assert_eq!(texts("St. Mary's Hospital"), ["St.", "Mary's", "Hospital", ""]);
        assert_eq!(texts("Smith v. Jones"), ["Smith", "v.", "Jones", ""]);
        // Only an abbreviation keeps its dot: a sentence's end is still refused.
        assert!(tokenize("users.").is_err());
    }

    #[test]
    fn currency_signs_and_dotted_domains() {
        use TokenKind::*;
        assert_eq!(kinds("$5 \u{20AC}50"), [Currency, Number, Currency, Number, Eof]);
        assert_eq!(texts("at example.org"), ["at", "example.org", ""]);
        assert_eq!(texts("4.99"), ["4.99", ""]);
        assert!(tokenize("users.").is_err());
    }

    #[test]
    fn empty_text_is_just_eof() {
        assert_eq!(kinds("  \n "), [TokenKind::Eof]);
    }
}
