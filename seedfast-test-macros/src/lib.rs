//! The `#[seeded_test]` attribute of seedfast-test. See that crate's docs.

use proc_macro::TokenStream;

/// Work in progress: expands to the function unchanged.
#[proc_macro_attribute]
pub fn seeded_test(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
