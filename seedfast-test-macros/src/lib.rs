//! The `#[seeded_test]` attribute of `seedfast-test`; use it through that
//! crate (`seedfast_test::seeded_test`), which it is version-pinned to.
//!
//! The attribute checks at compile time what can be checked without a
//! database (service names against `seedfast.toml`, scope grammar, the
//! function's shape) and expands to one call into
//! `seedfast_test::__private::run`; everything else happens at run time.
//! Modules follow the data: `parse` (tokens to a typed model), `validate`
//! (cross-checks, every error collected), `render` (the expansion).

mod ctxt;
mod entry;
mod parse;
mod project_file;
mod render;
mod validate;

use proc_macro::TokenStream;

/// A test that gets one freshly migrated and seeded PostgreSQL database per
/// service.
///
/// ```ignore
/// use seedfast_test::{seeded_test, ServiceDb};
///
/// #[seeded_test(users = "10 users with addresses", products = "20 products")]
/// async fn checkout_flow(users: ServiceDb, products: ServiceDb) -> Result<(), seedfast_test::Error> {
///     let pool = products.pool();
///     Ok(())
/// }
/// ```
///
/// The equivalent code without the macro (the project path is made absolute
/// at compile time):
///
/// ```ignore
/// #[test]
/// fn checkout_flow() {
///     async fn checkout_flow(users: ServiceDb, products: ServiceDb) -> Result<(), seedfast_test::Error> {
///         let pool = products.pool();
///         Ok(())
///     }
///     seedfast_test::__private::run(
///         seedfast_test::__private::TestSpec {
///             test: concat!(module_path!(), "::checkout_flow"),
///             project: "/path/to/crate/seedfast.toml",
///             services: &[("users", "10 users with addresses"), ("products", "20 products")],
///             seed: None,
///         },
///         |mut dbs| checkout_flow(dbs.take("users"), dbs.take("products")),
///     )
/// }
/// ```
///
/// # Arguments
///
/// Comma-separated `key = value`:
///
/// - `service = "scope"`: a service of the project file and the scope to
///   seed its database with. At least one. A parameter named after a service
///   receives its [`ServiceDb`]; a service may also be seeded without being a
///   parameter.
/// - `seed = 7`: the seed of the generated values (a `u64`).
/// - `project = "path/to/seedfast.toml"`: the project file, relative to the
///   directory of Cargo.toml.
///
/// # The project file
///
/// Looked up at compile time, in this order: `project = "..."`; the
/// `SEEDFAST_PROJECT` environment variable (absolute, or relative to the
/// directory of Cargo.toml); `seedfast.toml` beside Cargo.toml.
///
/// # Compile errors
///
/// Every mistake is reported at once, at the token to fix: unknown services
/// (with the known ones), duplicate keys, values of the wrong kind, scope
/// grammar errors, parameters that match no service, a function that is not
/// `async`, generic or has another test attribute, a missing or invalid
/// project file.
///
/// The function must return `()` or `Result<(), E>` with `E: Debug`; other
/// attributes (`#[ignore]`, `#[should_panic]`, docs) are kept on the test.
///
/// [`ServiceDb`]: https://docs.rs/seedfast-test/latest/seedfast_test/struct.ServiceDb.html
#[proc_macro_attribute]
pub fn seeded_test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::seeded_test(args.into(), item.into()).into()
}
