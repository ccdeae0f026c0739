//! The plain-language scope grammar of seedfast-test.
//!
//! A scope such as `8,000 orders for user IDs 1-1000, with 1-5 items per
//! order, status distribution of 60% completed 40% shipped` is parsed here
//! into a typed [`Scope`]. Parsing is pure (no I/O, no schema), so the
//! `#[seeded_test]` macro can report grammar errors at compile time; matching
//! the nouns to tables happens later, in `seedfast-test`.
//!
//! ```
//! let scope = seedfast_scope::parse("10 users with addresses").unwrap();
//! assert_eq!(scope.count.unwrap().value, 10);
//! assert_eq!(scope.subject.words, ["users"]);
//! ```

pub mod ast;
mod error;
mod lexer;
mod parser;
pub mod project;

pub use ast::*;
pub use error::ScopeError;
pub use parser::parse;
