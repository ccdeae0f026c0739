//! parse -> validate -> render, with every error collected on the way.

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;
use crate::parse::{Args, TestFn};
use crate::project_file::{self, Lookup};
use crate::{render, validate};

pub fn seeded_test(args: TokenStream, item: TokenStream) -> TokenStream {
    expand(args, item, &Lookup::from_env())
}

fn expand(args: TokenStream, item: TokenStream, lookup: &Lookup) -> TokenStream {
    let func: TestFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        // Not a function we can read: leave it to the compiler as written.
        Err(error) => return TokenStream::from_iter([item, error.into_compile_error()]),
    };
    let cx = Ctxt::new();
    let args = Args::parse(&cx, args);
    let project = project_file::load(&cx, args.project.as_ref(), lookup);
    let test = validate::test(&cx, &args, &func, project.as_ref());
    match (cx.check(), test) {
        (Ok(()), Some(test)) => render::test(&test),
        (Err(errors), _) => render::fallback(&func, errors),
        (Ok(()), None) => unreachable!("validation failed without an error"),
    }
}

#[cfg(test)]
mod should {
    use std::path::PathBuf;

    use quote::quote;

    use super::*;

    /// The UI tests' project file: users, products, orders.
    fn lookup() -> Lookup {
        let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../seedfast-test/tests/ui");
        Lookup { manifest_dir, env: None }
    }

    fn expand_str(args: TokenStream, item: TokenStream) -> String {
        expand(args, item, &lookup()).to_string()
    }

    fn project_path() -> String {
        std::fs::canonicalize(lookup().manifest_dir.join("seedfast.toml")).unwrap().to_str().unwrap().to_string()
    }

    #[test]
    fn expand_to_a_test_that_makes_one_call_into_the_runtime() {
        let out = expand_str(
            quote!(users = "10 users", products = "20 products", seed = 7),
            quote!(
                /// Docs.
                #[ignore]
                pub async fn checkout(products: ServiceDb, users: ServiceDb) -> Result<(), Error> { Ok(()) }
            ),
        );
        let project = project_path();
        let expected = quote! {
            #[::core::prelude::v1::test]
            #[doc = r" Docs."]
            #[ignore]
            pub fn checkout() {
                const _: &[::core::primitive::u8] = ::core::include_bytes!(#project);
                const _: ::core::option::Option<&::core::primitive::str> = ::core::option_env!("SEEDFAST_PROJECT");
                async fn checkout(products: ServiceDb, users: ServiceDb) -> Result<(), Error> { Ok(()) }
                ::seedfast_test::__private::run(
                    ::seedfast_test::__private::TestSpec {
                        test: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(checkout)),
                        project: #project,
                        services: &[("users", "10 users"), ("products", "20 products")],
                        seed: ::core::option::Option::Some(7u64),
                    },
                    |mut __seedfast_dbs: ::seedfast_test::__private::Dbs| checkout(__seedfast_dbs.take("products"), __seedfast_dbs.take("users"))
                )
            }
        };
        assert_eq!(out, expected.to_string());
    }

    #[test]
    fn keep_the_inner_signature_but_drop_the_outer_visibility_and_parameters() {
        let out = expand_str(quote!(orders = "5 orders"), quote!(async fn t() {}));
        assert!(out.contains("fn t () { const _"), "{out}");
        assert!(out.contains("async fn t () { }"), "{out}");
        assert!(out.contains("seed : :: core :: option :: Option :: None"), "{out}");
        assert!(out.contains("| _ : :: seedfast_test :: __private :: Dbs | t ()"), "{out}");
    }

    #[test]
    fn keep_the_function_next_to_the_errors_without_other_test_attributes() {
        let out = expand_str(quote!(user = "1 user"), quote!(#[tokio::test] #[ignore] fn t(users: ServiceDb) { body() }));
        assert_eq!(out.matches("compile_error").count(), 4, "{out}");
        assert!(out.ends_with(&quote!(#[allow(dead_code)] #[ignore] fn t(users: ServiceDb) { body() }).to_string()), "{out}");
        assert!(!out.contains("# [tokio :: test]"), "{out}");
    }

    #[test]
    fn leave_what_is_not_a_function_to_the_compiler() {
        let out = expand_str(quote!(users = "1 user"), quote!(struct S;));
        assert!(out.starts_with("struct S ;"), "{out}");
        assert!(out.contains("goes on an `async fn`"), "{out}");
    }

    #[test]
    fn check_scopes_even_when_the_project_file_is_missing() {
        let out = expand_str(quote!(project = "nope.toml", nosuch = "10 users with"), quote!(async fn t(nosuch: ServiceDb) {}));
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(out.contains("project file `nope.toml` not found"), "{out}");
        assert!(out.contains("invalid scope for `nosuch`"), "{out}");
    }
}
