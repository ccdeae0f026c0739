//! Lists of rows and values: after a colon, a dash or brackets (`four
//! departments - Sales, Legal and IT`), after `named` (`Surgery 1, Surgery
//! 2`), codes trailing a subject (`promo codes SUMMER10, WINTER20`), and a
//! parent named by its label (`at the Downtown location`).

use super::*;

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

    /// A subject phrase that ends in a code and goes on listing codes (`promo
    /// codes SUMMER10, WINTER20 and VIP50`): the table phrase before the first
    /// code, and the codes. `None`, the cursor unmoved, otherwise.
    pub(super) fn trailing_codes(&mut self, subject: &Phrase) -> Result<Option<(Phrase, Vec<Phrase>)>> {
        let spans = split_whitespace_spans(self.src(subject.span), subject.span.start);
        let Some(&last) = spans.last() else { return Ok(None) };
        let code = is_code;
        let listed = self.kind(self.pos) == TokenKind::Comma || self.is_word(self.pos, "and");
        if spans.len() < 2 || !code(self.src(last)) || !listed {
            return Ok(None);
        }
        let save = self.pos;
        self.separator();
        if !self.phrase_word(self.pos).is_some_and(|(_, span)| code(self.src(span))) {
            self.pos = save;
            return Ok(None);
        }
        let table = self.to_phrase(&spans[..spans.len() - 1]);
        let mut values = vec![self.to_phrase(&[last])];
        values.extend(self.items()?.iter().map(|w| self.to_phrase(&w.spans)));
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

    /// `the Downtown location`, `the Main Street branch` at `i`: capitalised
    /// words naming one row, then one or two lowercase words naming its
    /// table, ending the clause. The indices of the label, the noun and the
    /// end.
    pub(super) fn labelled_parent_ahead(&self, i: usize) -> Option<(usize, usize, usize)> {
        let capital = |j: usize| self.kind(j) == TokenKind::Word && self.src(self.tokens[j].span).starts_with(|c: char| c.is_uppercase()) && !self.is_stop(j);
        let label = if self.is_word(i, "the") { i + 1 } else { i };
        let mut j = label;
        while capital(j) && j < label + 4 {
            j += 1;
        }
        let noun = j;
        if noun == label {
            return None;
        }
        while j < noun + 2 && self.phrase_word(j).is_some() && !capital(j) {
            j = self.phrase_word(j)?.0;
        }
        let ends = matches!(self.kind(j), TokenKind::Eof | TokenKind::Comma) || self.is_stop(j) || self.relative_ahead(j);
        (j > noun && ends).then_some((label, noun, j))
    }

    /// The reference a labelled parent makes: the label is the parent row's
    /// key, matched to its name or code column by the resolver.
    pub(super) fn labelled_reference(&mut self, start: Span, label: usize, noun: usize, end: usize) {
        let label_span = self.tokens[label].span.to(self.tokens[noun - 1].span);
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
