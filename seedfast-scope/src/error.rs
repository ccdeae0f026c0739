use std::fmt;

use crate::ast::Span;

/// A scope that cannot be understood, or whose words do not fit the schema.
/// It quotes the scope, points at the offending word and says what would
/// have been understood there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeError {
    /// The whole scope as given.
    pub scope: String,
    /// Where the problem is.
    pub span: Span,
    /// What is wrong, lowercase, no trailing period: ``unknown table `userz` ``.
    pub message: String,
    /// What would have been accepted at that point, if the grammar knows.
    pub expected: Vec<String>,
    /// A suggestion such as ``did you mean `users`?``.
    pub help: Option<String>,
}

impl ScopeError {
    pub fn new(scope: &str, span: Span, message: impl Into<String>) -> Self {
        ScopeError {
            scope: scope.to_string(),
            span,
            message: message.into(),
            expected: Vec::new(),
            help: None,
        }
    }

    pub fn expected<I, S>(mut self, expected: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.expected = expected.into_iter().map(Into::into).collect();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// 1-based column (in characters) of the offending word.
    pub fn column(&self) -> usize {
        self.span.column(&self.scope)
    }
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column())?;
        if !self.expected.is_empty() {
            write!(f, "; expected {}", self.expected.join(", "))?;
        }
        // Scopes are single-line in practice; multi-line scopes from shell
        // scripts are shown flattened so the caret still lines up.
        let flat: String = self.scope.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).collect();
        let start = self.column() - 1;
        let width = self.scope[self.span.start.min(self.scope.len())..self.span.end.min(self.scope.len())]
            .chars()
            .count()
            .max(1);
        write!(f, "\n  | {}\n  | {}{}", flat, " ".repeat(start), "^".repeat(width))?;
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScopeError {}
