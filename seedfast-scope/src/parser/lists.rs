//! Lists of rows and values: after a colon, a dash or brackets (`four
//! departments - Sales, Legal and IT`), after `named` (`Surgery 1, Surgery
//! 2`), codes trailing a subject (`promo codes SUMMER10, WINTER20`), and a
//! parent named by its label (`at the Downtown location`).

use super::*;

/// A parent row named in the scope: see `named_parent_ahead`.
#[derive(Debug, Clone, Copy)]
pub(super) struct NamedParent {
    noun: Option<(usize, usize)>,
    label: (usize, usize),
    end: usize,
}

impl NamedParent {
    /// Whether `named`/`called` introduced the name.
    pub(super) fn named(&self) -> bool {
        self.noun.is_some_and(|(_, noun_end)| noun_end < self.label.0)
    }
}

impl Parser<'_> {
    /// What opens the list of a subject's rows: `:`, or a dash before
    /// words that go on as a list (`four departments - Sales, Legal and IT`).
    pub(super) fn list_opener(&self, i: usize) -> bool {
        match self.kind(i) {
            TokenKind::Colon => true,
            TokenKind::Dash => {
                self.kind(i + 1) == TokenKind::Word
                    && self.tokens[i].span.start > 0
                    && self.text[..self.tokens[i].span.start].ends_with(' ')
                    && self.tokens[i + 1..].iter().take(12).any(|t| t.kind == TokenKind::Comma)
            }
            _ => false,
        }
    }

    /// A subject phrase that ends in a code or a capitalised name and goes
    /// on listing them (`promo codes SUMMER10, WINTER20 and VIP50`, `policy
    /// types Basic Auto, Premium Auto and Homeowners`): the table phrase
    /// before the first name, and the names. `None`, the cursor unmoved,
    /// otherwise.
    pub(super) fn trailing_codes(&mut self, subject: &Phrase) -> Result<Option<(Phrase, Vec<Phrase>)>> {
        let spans = split_whitespace_spans(self.src(subject.span), subject.span.start);
        let named = |span: Span| is_code(self.src(span)) || self.src(span).starts_with(|c: char| c.is_uppercase());
        let Some(first) = (1..spans.len()).find(|&k| spans[k..].iter().all(|&s| named(s))) else { return Ok(None) };
        if spans[..first].iter().any(|&s| named(s)) {
            return Ok(None);
        }
        let listed = self.kind(self.pos) == TokenKind::Comma || self.is_word(self.pos, "and");
        if !listed {
            return Ok(None);
        }
        let save = self.pos;
        self.separator();
        if !(self.capital(self.pos) || matches!(self.kind(self.pos), TokenKind::Quoted { .. })) {
            self.pos = save;
            return Ok(None);
        }
        let table = self.to_phrase(&spans[..first]);
        let mut values = vec![self.to_phrase(&spans[first..])];
        values.extend(self.name_items(false)?);
        Ok(Some((table, values)))
    }

    /// Names at `i` that go on as a list (`Heathrow, Gatwick and Leeds`):
    /// capitalised words, then a comma or `and` before more of them.
    pub(super) fn named_list_ahead(&self, i: usize) -> bool {
        let capital = |j: usize| self.kind(j) == TokenKind::Word && self.src(self.tokens[j].span).starts_with(|c: char| c.is_uppercase());
        let mut j = i;
        while capital(j) || (j > i && self.kind(j) == TokenKind::Number && capital(j - 1)) {
            j += 1;
        }
        j > i && (self.kind(j) == TokenKind::Comma || self.is_word(j, "and")) && capital(j + 1)
    }

    /// A capitalised word (or a quoted name) at `j` that can start or go on a
    /// name: `Heathrow`, `Basic Auto`, `SQL`.
    pub(super) fn capital(&self, j: usize) -> bool {
        self.kind(j) == TokenKind::Word && self.src(self.tokens[j].span).starts_with(|c: char| c.is_uppercase())
    }

    /// Single lowercase words at `i` listed with commas and a last `and`
    /// (`frontend, backend, design and infra`): names after `called`.
    pub(super) fn lower_list_ahead(&self, i: usize) -> bool {
        let single = |j: usize| self.phrase_word(j).is_some_and(|(next, _)| next == j + 1) && !self.is_stop(j);
        let mut j = i;
        let mut commas = 0;
        while single(j) && self.kind(j + 1) == TokenKind::Comma {
            commas += 1;
            j += 2;
        }
        let and = if self.is_word(j, "and") { j } else if single(j) && self.is_word(j + 1, "and") { j + 1 } else { return false };
        commas >= 1 && single(and + 1) && !self.phrase_word(and + 2).is_some_and(|_| !self.is_stop(and + 2))
    }

    /// Names listed at the cursor, separated by commas and `and`: runs of
    /// capitalised words, numbers after them (`Fall 2025`, `Surgery 1`),
    /// quoted names, or single lowercase words when `lower` (`called
    /// frontend, backend and infra`). Stops before the first word that
    /// starts no name, so `... and Drinks with 5 items` leaves `with`.
    pub(super) fn name_items(&mut self, lower: bool) -> Result<Vec<Phrase>> {
        let mut names = Vec::new();
        loop {
            let mut spans = Vec::new();
            if let TokenKind::Quoted { inner } = self.kind(self.pos) {
                spans.push(inner);
                self.pos += 1;
            } else if lower && !self.capital(self.pos) && self.phrase_word(self.pos).is_some() && !self.is_stop(self.pos) {
                spans.push(self.peek().span);
                self.pos += 1;
            } else {
                while self.capital(self.pos) || (!spans.is_empty() && self.kind(self.pos) == TokenKind::Number) {
                    spans.push(self.peek().span);
                    self.pos += 1;
                }
            }
            if spans.is_empty() {
                return Err(self.unexpected(&["a name"]));
            }
            names.push(self.to_phrase(&spans));
            let save = self.pos;
            self.separator();
            let more = matches!(self.kind(self.pos), TokenKind::Quoted { .. })
                || self.capital(self.pos)
                || (lower && self.phrase_word(self.pos).is_some() && !self.is_stop(self.pos));
            if !more || self.pos == save {
                self.pos = save;
                return Ok(names);
            }
        }
    }

    /// `the Downtown location`, `the Main Street branch` at `i`: capitalised
    /// words naming one row, then one or two lowercase words naming its
    /// table, ending the clause. The indices of the label, the noun and the
    /// end.
    pub(super) fn labelled_parent_ahead(&self, i: usize) -> Option<(usize, usize, usize)> {
        let capital = |j: usize| self.kind(j) == TokenKind::Word && self.src(self.tokens[j].span).starts_with(|c: char| c.is_uppercase()) && !self.is_stop(j);
        let label = if self.is_word(i, "the") { i + 1 } else { i };
        // `the "Book Club" group`: a quoted label is one token.
        let mut j = if matches!(self.kind(label), TokenKind::Quoted { .. }) { label + 1 } else { label };
        while j < label + 4 && capital(j) {
            j += 1;
        }
        let noun = j;
        if noun == label {
            return None;
        }
        while j < noun + 2 && self.phrase_word(j).is_some() && !capital(j) {
            j = self.phrase_word(j)?.0;
        }
        // `in the Technology section published last week`: a clause may follow.
        let ends = matches!(self.kind(j), TokenKind::Eof | TokenKind::Comma) || self.is_stop(j) || self.relative_ahead(j) || self.is_hint_verb(j);
        (j > noun && ends).then_some((label, noun, j))
    }

    /// A name at `j` for one row: a quoted name, or capitalised words (with
    /// numbers or codes after them: `Acme Tools`, `Kevin O'Brien`, `GLA1`).
    /// The index past it.
    fn name_run(&self, j: usize) -> Option<usize> {
        if matches!(self.kind(j), TokenKind::Quoted { .. }) {
            return Some(j + 1);
        }
        let mut k = j;
        // `Bloom & Co`: an ampersand between capitalised words.
        while (self.capital(k) && !self.is_stop(k)) || (k > j && self.kind(k) == TokenKind::Number) || (k > j && self.word(k).is_some_and(|w| ["&", "v.", "vs."].contains(&w)) && self.capital(k + 1)) {
            k += 1;
        }
        (k > j).then_some(k)
    }

    /// The end of a run of capitalised words at `j` (numbers after them
    /// included), when one starts there.
    pub(super) fn name_run_end(&self, j: usize) -> Option<usize> {
        self.capital(j).then(|| self.name_run(j)).flatten()
    }

    /// Whether a clause may end at `k`: the end, a comma, a keyword, `and`
    /// or a relative clause.
    fn clause_ends(&self, k: usize) -> bool {
        matches!(self.kind(k), TokenKind::Eof | TokenKind::Comma) || self.is_stop(k) || self.relative_ahead(k) || self.keyword(k).is_some()
    }

    /// One parent row named after a preposition, at `i`: `a guest named
    /// Maria Lopez`, `the supplier Acme Tools`, `the artist Luna Park`, or a
    /// person alone (`Tom Becker`: two capitalised words or more). The noun
    /// (token range, when written), the name's token range, and the end.
    pub(super) fn named_parent_ahead(&self, i: usize) -> Option<NamedParent> {
        let article = self.word(i).is_some_and(|w| ["a", "an", "the"].contains(&w));
        let noun = if article { i + 1 } else { i };
        let mut j = noun;
        while j < noun + 3 && self.kind(j) == TokenKind::Word && !self.capital(j) && !self.is_stop(j) && !self.word(j).is_some_and(|w| NAMING.contains(&w)) {
            j += 1;
        }
        if j > noun {
            let label = if self.word(j).is_some_and(|w| NAMING.contains(&w)) { j + 1 } else { j };
            // `the supplier Acme Tools` needs `the`; `warehouse GLA1` a code.
            let short_label = |t: &Token| {
                let text = self.src(t.span);
                text.chars().count() <= 3 && text.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())
            };
            let bare_ok = label > j || article || self.tokens.get(j).is_some_and(|t| is_code(self.src(t.span)) || short_label(t));
            let end = self.name_run(label)?;
            return (bare_ok && self.clause_ends(end)).then_some(NamedParent { noun: Some((noun, j)), label: (label, end), end });
        }
        let end = self.name_run(i)?;
        let person = !article && end >= i + 2 && (i..end).all(|k| self.capital(k));
        (person && self.clause_ends(end)).then_some(NamedParent { noun: None, label: (i, end), end })
    }

    /// The reference a named parent makes: the name is the parent row's
    /// label, matched to its name columns by the resolver. A person named
    /// alone has a target of no words; its text is the verb before the
    /// preposition (`assigned` in `assigned to Priya Shah`), if any.
    pub(super) fn named_reference(&mut self, start: Span, found: NamedParent) {
        let (label_start, label_end) = found.label;
        let label_span = match self.kind(label_start) {
            TokenKind::Quoted { inner } => inner,
            _ => self.tokens[label_start].span.to(self.tokens[label_end - 1].span),
        };
        let target = match found.noun {
            Some((a, b)) => self.to_phrase(&split_whitespace_spans(self.src(self.tokens[a].span.to(self.tokens[b - 1].span)), self.tokens[a].span.start)),
            None => {
                let verb = (start.start > 0).then(|| self.tokens.iter().rposition(|t| t.span.end <= start.start)).flatten().filter(|&v| self.word(v).is_some_and(is_participle));
                let text = verb.map(|v| self.tokens[v].lower.clone()).unwrap_or_default();
                Phrase { words: Vec::new(), text, span: label_span }
            }
        };
        let ids = IdSelection::List { ids: vec![IdLiteral { text: self.src(label_span).to_string(), span: label_span }], span: label_span };
        self.pos = found.end;
        self.clauses.push(Clause::References { target, ids: Some(ids), span: start.to(self.tokens[found.end - 1].span) });
    }

    /// The reference a labelled parent makes: the label is the parent row's
    /// key, matched to its name or code column by the resolver.
    pub(super) fn labelled_reference(&mut self, start: Span, label: usize, noun: usize, end: usize) {
        let label_span = match self.kind(label) {
            TokenKind::Quoted { inner } => inner,
            _ => self.tokens[label].span.to(self.tokens[noun - 1].span),
        };
        let target = self.to_phrase(&split_whitespace_spans(self.src(self.tokens[noun].span.to(self.tokens[end - 1].span)), self.tokens[noun].span.start));
        let ids = IdSelection::List { ids: vec![IdLiteral { text: self.src(label_span).to_string(), span: label_span }], span: label_span };
        self.clauses.push(Clause::References { target, ids: Some(ids), span: start.to(self.tokens[end - 1].span) });
    }

    /// `a, b, and c`: stops before a separator whose segment is a clause of
    /// its own, so `including a, b, with c` leaves `, with c` to the caller.
    pub(super) fn items(&mut self) -> Result<Vec<Words>> {
        let first = self.words()?.ok_or_else(|| self.unexpected(&["a value"]))?;
        let mut items = vec![first];
        loop {
            let save = self.pos;
            self.separator();
            // `GB, US and IN`: a code in capitals is an item even when, in
            // lower case, it would be a keyword.
            let code = self.kind(self.pos) == TokenKind::Word && is_code(self.src(self.peek().span)) && self.src(self.peek().span).len() <= 4;
            if code && self.is_stop(self.pos) && self.pos != save {
                items.push(Words { spans: vec![self.peek().span], quoted: false });
                self.pos += 1;
                continue;
            }
            let item_ahead = matches!(self.kind(self.pos), TokenKind::Quoted { .. })
                || (self.phrase_word(self.pos).is_some() && !self.starts_tail(self.pos));
            if !item_ahead || self.pos == save {
                self.pos = save;
                return Ok(items);
            }
            items.extend(self.words()?);
        }
    }

    /// Takes `statuses` off `refunded statuses` when it ends the last item.
    pub(super) fn split_column(&self, items: &mut [Words]) -> Option<Phrase> {
        let last = items.last_mut()?;
        let noun = *last.spans.last()?;
        if last.quoted || last.spans.len() < 2 || !COLUMN_NOUNS.contains(&normalize_word(self.src(noun)).as_str()) {
            return None;
        }
        last.spans.pop();
        Some(self.to_phrase(&[noun]))
    }
}
