//! Decodes CHECK constraints, as `pg_get_constraintdef` prints them, into a
//! small expression tree the generator can satisfy: comparisons with
//! constants (`BETWEEN` arrives as two of them), IN lists (`= ANY (ARRAY[..])`),
//! `char_length`/`length` (of `btrim` too), `upper`/`lower` of a column,
//! comparisons between columns (`<>` included), `IS [NOT] NULL`,
//! `num_nonnulls`/`num_nulls`, regex and LIKE patterns, NOT, AND and OR.
//! Anything else decodes to `None`: the generator then makes its best guess
//! and the server judges the real expression (see `crate::oracle`).

use super::Fold;

#[derive(Debug, Clone, PartialEq)]
pub enum CheckExpr {
    And(Vec<CheckExpr>),
    Or(Vec<CheckExpr>),
    Cmp { left: Operand, op: CmpOp, right: Operand },
    In { operand: Operand, values: Vec<Literal> },
    IsNull { operand: Operand, negated: bool },
    /// `col ~ 'regex'`, `col LIKE 'SKU-%'` (printed `~~`), `SIMILAR TO`.
    Pattern { operand: Operand, pattern: Pattern, negated: bool },
    /// `num_nonnulls(a, b) = 1` (and `num_nulls`, as the complement).
    NonNulls { columns: Vec<String>, op: CmpOp, count: f64 },
    Not(Box<CheckExpr>),
    /// `(a IS NULL) <> (b IS NULL)`: exactly one of the two is set.
    NullsDiffer(String, String),
}

/// A text pattern, already translated to the regex dialect of the
/// `regex-syntax` crate (the one `rand_regex` generates from).
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub regex: String,
    pub case_insensitive: bool,
    /// The pattern as the schema spells it, for messages.
    pub source: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A column, or `VALUE` inside a domain's CHECK.
    Column(String),
    /// `char_length(col)` / `length(col)`, also of `btrim(col)`: generated
    /// text has no surrounding blanks, so trimming does not change it.
    Length(String),
    /// `upper(col)` / `lower(col)`: generated values already in that case
    /// pass as they are.
    Folded(String, Fold),
    Literal(Literal),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    pub fn flip(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        }
    }
}

impl CheckExpr {
    /// Columns the expression mentions (`VALUE` for domains).
    pub fn columns(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.visit_columns(&mut |c| {
            if !out.iter().any(|o: &String| o == c) {
                out.push(c.to_string())
            }
        });
        out
    }

    fn visit_columns(&self, f: &mut impl FnMut(&str)) {
        let operand = |o: &Operand, f: &mut dyn FnMut(&str)| match o {
            Operand::Column(c) | Operand::Length(c) | Operand::Folded(c, _) => f(c),
            Operand::Literal(_) => {}
        };
        match self {
            CheckExpr::And(items) | CheckExpr::Or(items) => items.iter().for_each(|i| i.visit_columns(f)),
            CheckExpr::Cmp { left, right, .. } => {
                operand(left, f);
                operand(right, f);
            }
            CheckExpr::In { operand: o, .. } | CheckExpr::IsNull { operand: o, .. } | CheckExpr::Pattern { operand: o, .. } => operand(o, f),
            CheckExpr::NonNulls { columns, .. } => columns.iter().for_each(|c| f(c)),
            CheckExpr::Not(inner) => inner.visit_columns(f),
            CheckExpr::NullsDiffer(a, b) => {
                f(a);
                f(b)
            }
        }
    }

    /// The top-level conjuncts: `a AND (b AND c)` gives `[a, b, c]`.
    pub fn conjuncts(&self) -> Vec<&CheckExpr> {
        match self {
            CheckExpr::And(items) => items.iter().flat_map(|i| i.conjuncts()).collect(),
            other => vec![other],
        }
    }
}

/// `NOT e`, with `IS [NOT] NULL` and `NOT NOT` folded.
fn negate(e: CheckExpr) -> CheckExpr {
    match e {
        CheckExpr::IsNull { operand, negated } => CheckExpr::IsNull { operand, negated: !negated },
        CheckExpr::Not(inner) => *inner,
        other => CheckExpr::Not(Box::new(other)),
    }
}

/// Decodes `CHECK ((price > (0)::numeric))` and friends.
pub fn parse_check(definition: &str) -> Option<CheckExpr> {
    let body = definition.trim().strip_prefix("CHECK")?.trim();
    let body = body.strip_suffix("NOT VALID").unwrap_or(body).trim();
    let tokens = tokenize(body)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.or_expr()?;
    (parser.pos == parser.tokens.len()).then_some(expr)
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Cast,
    Op(CmpOp),
    /// `~`, `~*`, `!~`, `!~*`, `~~` (LIKE), `~~*` (ILIKE), `!~~`, `!~~*`.
    Match { like: bool, insensitive: bool, negated: bool },
    Ident(String),
    Quoted(String),
    Number(f64),
    Str(String),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\n' | '\t' => i += 1,
            '(' => { out.push(Tok::LParen); i += 1 }
            ')' => { out.push(Tok::RParen); i += 1 }
            '[' => { out.push(Tok::LBracket); i += 1 }
            ']' => { out.push(Tok::RBracket); i += 1 }
            ',' => { out.push(Tok::Comma); i += 1 }
            ':' if next == Some(':') => { out.push(Tok::Cast); i += 2 }
            '~' | '!' if c == '~' || next == Some('~') => {
                let negated = c == '!';
                i += if negated { 2 } else { 1 };
                let like = chars.get(i) == Some(&'~');
                if like {
                    i += 1;
                }
                let insensitive = chars.get(i) == Some(&'*');
                if insensitive {
                    i += 1;
                }
                out.push(Tok::Match { like, insensitive, negated });
            }
            '<' if next == Some('=') => { out.push(Tok::Op(CmpOp::Le)); i += 2 }
            '>' if next == Some('=') => { out.push(Tok::Op(CmpOp::Ge)); i += 2 }
            '<' if next == Some('>') => { out.push(Tok::Op(CmpOp::Ne)); i += 2 }
            '!' if next == Some('=') => { out.push(Tok::Op(CmpOp::Ne)); i += 2 }
            '<' => { out.push(Tok::Op(CmpOp::Lt)); i += 1 }
            '>' => { out.push(Tok::Op(CmpOp::Gt)); i += 1 }
            '=' => { out.push(Tok::Op(CmpOp::Eq)); i += 1 }
            '\'' => out.push(Tok::Str(quoted(&chars, &mut i)?)),
            '"' => out.push(Tok::Quoted(quoted(&chars, &mut i)?)),
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == 'e') {
                    i += 1;
                }
                out.push(Tok::Number(chars[start..i].iter().collect::<String>().parse().ok()?));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// LIKE's `%` and `_` as regex; the generated text fills wildcards with a
/// few letters and digits rather than anything at all.
pub fn like_to_regex(like: &str) -> String {
    let mut out = String::from("^");
    let mut chars = like.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => out.push_str("[A-Za-z0-9]{0,8}"),
            '_' => out.push_str("[A-Za-z0-9]"),
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push_str(&regex_syntax::escape(&n.to_string()));
                }
            }
            c => out.push_str(&regex_syntax::escape(&c.to_string())),
        }
    }
    out.push('$');
    out
}

/// SQL's SIMILAR TO is a regex whose wildcards are LIKE's.
fn similar_to_regex(similar: &str) -> String {
    let mut out = String::from("^(?:");
    for c in similar.chars() {
        match c {
            '%' => out.push_str("[A-Za-z0-9]{0,8}"),
            '_' => out.push_str("[A-Za-z0-9]"),
            '.' => out.push_str("\\."),
            c => out.push(c),
        }
    }
    out.push_str(")$");
    out
}

/// A quoted string or identifier starting at `chars[*i]`, the quote doubled
/// inside it (`'it''s'`); leaves `*i` just after the closing quote.
fn quoted(chars: &[char], i: &mut usize) -> Option<String> {
    let quote = chars[*i];
    let mut text = String::new();
    *i += 1;
    loop {
        match chars.get(*i)? {
            c if *c == quote && chars.get(*i + 1) == Some(&quote) => {
                text.push(quote);
                *i += 2;
            }
            c if *c == quote => {
                *i += 1;
                return Some(text);
            }
            c => {
                text.push(*c);
                *i += 1;
            }
        }
    }
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok) -> Option<()> {
        (self.peek() == Some(&tok)).then(|| self.pos += 1)
    }

    fn or_expr(&mut self) -> Option<CheckExpr> {
        let mut items = vec![self.and_expr()?];
        while self.keyword("OR") {
            items.push(self.and_expr()?);
        }
        Some(if items.len() == 1 { items.pop()? } else { CheckExpr::Or(items) })
    }

    fn and_expr(&mut self) -> Option<CheckExpr> {
        let mut items = vec![self.not_expr()?];
        while self.keyword("AND") {
            items.push(self.not_expr()?);
        }
        Some(if items.len() == 1 { items.pop()? } else { CheckExpr::And(items) })
    }

    fn not_expr(&mut self) -> Option<CheckExpr> {
        if self.keyword("NOT") {
            return Some(CheckExpr::Not(Box::new(self.not_expr()?)));
        }
        self.predicate()
    }

    /// `(a IS NULL) <> (b IS NULL)`, as Postgres prints "exactly one of".
    fn nulls_differ(&mut self) -> Option<CheckExpr> {
        let save = self.pos;
        let side = |p: &mut Self| -> Option<String> {
            p.expect(Tok::LParen)?;
            let Operand::Column(c) = p.operand()? else { return None };
            (p.keyword("IS") && p.keyword("NULL")).then_some(())?;
            p.expect(Tok::RParen)?;
            Some(c)
        };
        let found = (|| {
            let a = side(self)?;
            self.expect(Tok::Op(CmpOp::Ne))?;
            let b = side(self)?;
            Some(CheckExpr::NullsDiffer(a, b))
        })();
        if found.is_none() {
            self.pos = save;
        }
        found
    }

    /// `((status = ANY (...)) = (resolved_at IS NOT NULL))`: two conditions
    /// true together, read as the two implications `(NOT a OR b) AND (a OR
    /// NOT b)` (a report is resolved exactly when actioned or dismissed).
    fn same_truth(&mut self) -> Option<CheckExpr> {
        let save = self.pos;
        let side = |p: &mut Self| -> Option<CheckExpr> {
            p.expect(Tok::LParen)?;
            let inner = p.or_expr()?;
            p.expect(Tok::RParen)?;
            Some(inner)
        };
        let found = (|| {
            let a = side(self)?;
            self.expect(Tok::Op(CmpOp::Eq))?;
            let b = side(self)?;
            Some(CheckExpr::And(vec![CheckExpr::Or(vec![negate(a.clone()), b.clone()]), CheckExpr::Or(vec![a, negate(b)])]))
        })();
        if found.is_none() {
            self.pos = save;
        }
        found
    }

    /// `num_nonnulls(a, b) = 1`, `num_nulls(a, b, c) <= 1`.
    fn count_nulls(&mut self) -> Option<CheckExpr> {
        let save = self.pos;
        let found = (|| {
            let Some(Tok::Ident(name)) = self.peek().cloned() else { return None };
            let nulls = match name.to_ascii_lowercase().as_str() {
                "num_nonnulls" => false,
                "num_nulls" => true,
                _ => return None,
            };
            self.pos += 1;
            self.expect(Tok::LParen)?;
            let mut columns = Vec::new();
            loop {
                let Operand::Column(c) = self.operand()? else { return None };
                columns.push(c);
                if self.expect(Tok::Comma).is_none() {
                    break;
                }
            }
            self.expect(Tok::RParen)?;
            let Some(Tok::Op(op)) = self.peek().cloned() else { return None };
            self.pos += 1;
            let Operand::Literal(Literal::Number(n)) = self.operand()? else { return None };
            // num_nulls(...) op n  is  num_nonnulls(...) flip(op) len - n.
            let (op, count) = if nulls { (op.flip(), columns.len() as f64 - n) } else { (op, n) };
            Some(CheckExpr::NonNulls { columns, op, count })
        })();
        if found.is_none() {
            self.pos = save;
        }
        found
    }

    /// A parenthesised expression, or `operand (op operand | IS [NOT] NULL | = ANY (ARRAY[..]))`.
    fn predicate(&mut self) -> Option<CheckExpr> {
        // `((a > 1) AND (b < 2))`: a parenthesised boolean, unless it is a
        // parenthesised operand such as `(0)::numeric` or `(VALUE)::text`.
        if self.peek() == Some(&Tok::LParen) {
            let save = self.pos;
            self.pos += 1;
            if let Some(inner) = self.or_expr()
                && self.expect(Tok::RParen).is_some()
                && !matches!(self.peek(), Some(Tok::Cast | Tok::Op(_)))
                && !matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("IS"))
            {
                return Some(inner);
            }
            self.pos = save;
        }
        if let Some(e) = self.nulls_differ().or_else(|| self.count_nulls()).or_else(|| self.same_truth()) {
            return Some(e);
        }
        let left = self.operand()?;
        if self.keyword("IS") {
            let negated = self.keyword("NOT");
            return self.keyword("NULL").then_some(CheckExpr::IsNull { operand: left, negated });
        }
        if let Some(Tok::Match { like, insensitive, negated }) = self.peek().cloned() {
            self.pos += 1;
            return self.pattern(left, like, insensitive, negated);
        }
        let Some(Tok::Op(op)) = self.peek().cloned() else { return None };
        self.pos += 1;
        if op == CmpOp::Eq && self.keyword("ANY") {
            let values = self.array_literal()?;
            return Some(CheckExpr::In { operand: left, values });
        }
        // `NOT IN (...)` prints as `<> ALL (ARRAY[...])`.
        if op == CmpOp::Ne && self.keyword("ALL") {
            let values = self.array_literal()?;
            return Some(CheckExpr::Not(Box::new(CheckExpr::In { operand: left, values })));
        }
        let right = self.operand()?;
        Some(CheckExpr::Cmp { left, op, right })
    }

    /// The right side of `~` or `~~`: a string constant, or for SIMILAR TO
    /// `similar_to_escape('pattern')` (`similar_escape` before Postgres 14).
    fn pattern(&mut self, operand: Operand, like: bool, insensitive: bool, negated: bool) -> Option<CheckExpr> {
        let similar = matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("similar_to_escape") || w.eq_ignore_ascii_case("similar_escape"));
        let text = if similar {
            self.pos += 1;
            self.expect(Tok::LParen)?;
            let Operand::Literal(Literal::Text(t)) = self.operand()? else { return None };
            self.expect(Tok::RParen)?;
            self.skip_cast();
            t
        } else {
            let Operand::Literal(Literal::Text(t)) = self.operand()? else { return None };
            t
        };
        let regex = if like {
            like_to_regex(&text)
        } else if similar {
            similar_to_regex(&text)
        } else {
            text.clone()
        };
        Some(CheckExpr::Pattern { operand, pattern: Pattern { regex, case_insensitive: insensitive, source: text }, negated })
    }

    /// `((ARRAY['a'::text, 'b'::text])::text[])` after `= ANY`.
    fn array_literal(&mut self) -> Option<Vec<Literal>> {
        self.expect(Tok::LParen)?;
        let mut depth = 1;
        while self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            depth += 1;
        }
        if !self.keyword("ARRAY") {
            return None;
        }
        self.expect(Tok::LBracket)?;
        let mut values = Vec::new();
        loop {
            match self.operand()? {
                Operand::Literal(l) => values.push(l),
                _ => return None,
            }
            if self.expect(Tok::Comma).is_none() {
                break;
            }
        }
        self.expect(Tok::RBracket)?;
        for _ in 0..depth {
            self.expect(Tok::RParen)?;
            self.skip_cast();
        }
        Some(values)
    }

    fn operand(&mut self) -> Option<Operand> {
        let operand = match self.peek()?.clone() {
            Tok::LParen => {
                self.pos += 1;
                let inner = self.operand()?;
                self.expect(Tok::RParen)?;
                inner
            }
            Tok::Number(n) => {
                self.pos += 1;
                Operand::Literal(Literal::Number(n))
            }
            Tok::Str(s) => {
                self.pos += 1;
                Operand::Literal(Literal::Text(s))
            }
            Tok::Quoted(name) => {
                self.pos += 1;
                Operand::Column(name)
            }
            Tok::Ident(word) => {
                self.pos += 1;
                let lower = word.to_ascii_lowercase();
                if self.peek() == Some(&Tok::LParen) {
                    self.pos += 1;
                    let inner = self.operand()?;
                    self.expect(Tok::RParen)?;
                    match (lower.as_str(), inner) {
                        ("char_length" | "character_length" | "length", Operand::Column(c) | Operand::Folded(c, _)) => Operand::Length(c),
                        // Trimming and case folding keep a column a column for
                        // what the generator needs to know.
                        ("btrim" | "trim" | "ltrim" | "rtrim", Operand::Column(c)) => Operand::Column(c),
                        ("upper", Operand::Column(c) | Operand::Folded(c, _)) => Operand::Folded(c, Fold::Upper),
                        ("lower", Operand::Column(c) | Operand::Folded(c, _)) => Operand::Folded(c, Fold::Lower),
                        _ => return None,
                    }
                } else {
                    match lower.as_str() {
                        "true" => Operand::Literal(Literal::Bool(true)),
                        "false" => Operand::Literal(Literal::Bool(false)),
                        "and" | "or" | "is" | "not" | "null" | "any" | "array" => return None,
                        _ => Operand::Column(word),
                    }
                }
            }
            _ => return None,
        };
        self.skip_cast();
        Some(operand)
    }

    /// `::numeric`, `::character varying`, `::text[]`, `::timestamp with time zone`.
    fn skip_cast(&mut self) {
        while self.peek() == Some(&Tok::Cast) {
            self.pos += 1;
            while let Some(Tok::Ident(w)) = self.peek() {
                if ["AND", "OR", "IS", "NOT"].iter().any(|k| w.eq_ignore_ascii_case(k)) {
                    break;
                }
                self.pos += 1;
            }
            if self.peek() == Some(&Tok::LBracket) && self.tokens.get(self.pos + 1) == Some(&Tok::RBracket) {
                self.pos += 2;
            }
        }
    }
}

#[cfg(test)]
mod should {
    use super::*;

    fn col(c: &str) -> Operand {
        Operand::Column(c.into())
    }
    fn num(n: f64) -> Operand {
        Operand::Literal(Literal::Number(n))
    }

    #[test]
    fn decode_a_between_rewritten_as_two_comparisons() {
        let e = parse_check("CHECK (((tiny >= 1) AND (tiny <= 9)))").unwrap();
        assert_eq!(
            e,
            CheckExpr::And(vec![
                CheckExpr::Cmp { left: col("tiny"), op: CmpOp::Ge, right: num(1.0) },
                CheckExpr::Cmp { left: col("tiny"), op: CmpOp::Le, right: num(9.0) },
            ])
        );
    }

    #[test]
    fn decode_casts_around_constants() {
        let e = parse_check("CHECK ((price > (0)::numeric))").unwrap();
        assert_eq!(e, CheckExpr::Cmp { left: col("price"), op: CmpOp::Gt, right: num(0.0) });
    }

    #[test]
    fn decode_in_lists_including_domain_varchar_form() {
        let e = parse_check("CHECK (((status = ANY (ARRAY['actioned'::report_status, 'dismissed'::report_status])) = (resolved_at IS NOT NULL)))").unwrap();
        let CheckExpr::And(sides) = e else { panic!("two implications: {e:?}") };
        assert!(matches!(&sides[0], CheckExpr::Or(i) if matches!(&i[1], CheckExpr::IsNull { negated: true, .. })), "{sides:?}");
        assert!(matches!(&sides[1], CheckExpr::Or(i) if matches!(&i[1], CheckExpr::IsNull { negated: false, .. })), "{sides:?}");
        let e = parse_check("CHECK (((status <> ALL (ARRAY['accepted'::text, 'declined'::text])) OR (responded_at IS NOT NULL)))").unwrap();
        let CheckExpr::Or(items) = e else { panic!("an OR: {e:?}") };
        assert!(matches!(&items[0], CheckExpr::Not(inner) if matches!(**inner, CheckExpr::In { ref values, .. } if values.len() == 2)), "NOT IN: {items:?}");
        let e = parse_check("CHECK ((status = ANY (ARRAY['new'::text, 'active'::text])))").unwrap();
        assert_eq!(
            e,
            CheckExpr::In { operand: col("status"), values: vec![Literal::Text("new".into()), Literal::Text("active".into())] }
        );
        let e = parse_check(
            "CHECK (((VALUE)::text = ANY ((ARRAY['YES'::character varying, 'NO'::character varying])::text[])))",
        )
        .unwrap();
        assert_eq!(e, CheckExpr::In { operand: col("VALUE"), values: vec![Literal::Text("YES".into()), Literal::Text("NO".into())] });
    }

    #[test]
    fn decode_lengths_column_comparisons_and_null_tests() {
        let e = parse_check("CHECK ((char_length((nick)::text) >= 3))").unwrap();
        assert_eq!(e, CheckExpr::Cmp { left: Operand::Length("nick".into()), op: CmpOp::Ge, right: num(3.0) });
        let e = parse_check("CHECK (((read_at IS NULL) OR (read_at >= sent_at)))").unwrap();
        assert_eq!(
            e,
            CheckExpr::Or(vec![
                CheckExpr::IsNull { operand: col("read_at"), negated: false },
                CheckExpr::Cmp { left: col("read_at"), op: CmpOp::Ge, right: col("sent_at") },
            ])
        );
        let e = parse_check(r#"CHECK (("EndsAt" > "StartsAt"))"#).unwrap();
        assert_eq!(e.columns(), vec!["EndsAt".to_string(), "StartsAt".to_string()]);
    }

    #[test]
    fn decode_patterns_of_every_spelling() {
        let e = parse_check("CHECK ((VALUE ~ '^[0-9]{13}$'::text))").unwrap();
        assert!(matches!(&e, CheckExpr::Pattern { pattern, negated: false, .. } if pattern.regex == "^[0-9]{13}$" && !pattern.case_insensitive), "{e:?}");
        let e = parse_check("CHECK ((email ~* '^[^@]+@'::text))").unwrap();
        assert!(matches!(&e, CheckExpr::Pattern { pattern, .. } if pattern.case_insensitive), "{e:?}");
        let e = parse_check("CHECK ((product_number ~~ 'PN-%'::text))").unwrap();
        assert!(matches!(&e, CheckExpr::Pattern { pattern, .. } if pattern.regex == "^PN\\-[A-Za-z0-9]{0,8}$"), "{e:?}");
        let e = parse_check("CHECK ((code !~~ 'X%'::text))").unwrap();
        assert!(matches!(&e, CheckExpr::Pattern { negated: true, .. }), "{e:?}");
        let e = parse_check("CHECK ((color ~ similar_to_escape('(Red|Blue)%'::text)))").unwrap();
        assert!(matches!(&e, CheckExpr::Pattern { pattern, .. } if pattern.regex == "^(?:(Red|Blue)[A-Za-z0-9]{0,8})$"), "{e:?}");
    }

    #[test]
    fn decode_functions_over_a_column() {
        let e = parse_check("CHECK (((person_type IS NULL) OR (upper((person_type)::text) = ANY (ARRAY['SC'::text, 'VC'::text]))))").unwrap();
        let CheckExpr::Or(items) = e else { panic!() };
        assert_eq!(items[1], CheckExpr::In { operand: Operand::Folded("person_type".into(), Fold::Upper), values: vec![Literal::Text("SC".into()), Literal::Text("VC".into())] });
        let e = parse_check("CHECK ((length(btrim(name)) > 0))").unwrap();
        assert_eq!(e, CheckExpr::Cmp { left: Operand::Length("name".into()), op: CmpOp::Gt, right: num(0.0) });
        let e = parse_check("CHECK ((lower(login) = login))").unwrap();
        assert_eq!(e, CheckExpr::Cmp { left: Operand::Folded("login".into(), Fold::Lower), op: CmpOp::Eq, right: col("login") });
    }

    #[test]
    fn decode_counts_of_nulls_and_differences() {
        let e = parse_check("CHECK ((num_nonnulls(percent_off, amount_off) = 1))").unwrap();
        assert_eq!(e, CheckExpr::NonNulls { columns: vec!["percent_off".into(), "amount_off".into()], op: CmpOp::Eq, count: 1.0 });
        // num_nulls(a, b, c) <= 1 is num_nonnulls(a, b, c) >= 2.
        let e = parse_check("CHECK ((num_nulls(a, b, c) <= 1))").unwrap();
        assert_eq!(e, CheckExpr::NonNulls { columns: vec!["a".into(), "b".into(), "c".into()], op: CmpOp::Ge, count: 2.0 });
        let e = parse_check("CHECK (((email IS NULL) <> (phone IS NULL)))").unwrap();
        assert_eq!(e, CheckExpr::NullsDiffer("email".into(), "phone".into()));
        let e = parse_check("CHECK ((product_assembly_id <> component_id))").unwrap();
        assert_eq!(e, CheckExpr::Cmp { left: col("product_assembly_id"), op: CmpOp::Ne, right: col("component_id") });
        let e = parse_check("CHECK ((NOT (code ~ '^X'::text)))").unwrap();
        assert!(matches!(e, CheckExpr::Not(_)), "{e:?}");
    }

    #[test]
    fn refuse_what_it_does_not_model() {
        assert_eq!(parse_check("CHECK (controlled_for_whitespace(name))"), None);
        assert_eq!(parse_check("CHECK (((bonus * (4)::numeric) <= salary))"), None);
        assert_eq!(parse_check("CHECK ((md5(secret) = 'x'::text))"), None);
    }
}
