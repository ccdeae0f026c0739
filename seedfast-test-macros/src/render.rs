//! The expansion: a `#[test]` that makes one call into the runtime, with the
//! user's function kept inside it unchanged; and the fallback used on error.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, LitStr, ReturnType};

use crate::parse::TestFn;
use crate::project_file::ENV_VAR;
use crate::validate::{Test, test_attribute};

pub fn test(test: &Test) -> TokenStream {
    let TestFn { attrs, vis, sig, body } = test.func;
    let name = &sig.ident;
    let project = LitStr::new(test.project, Span::call_site());
    let services = test.services.iter().map(|(service, scope)| {
        let service = LitStr::new(&service.to_string(), service.span());
        quote!((#service, #scope))
    });
    let seed = match test.seed {
        Some(seed) => quote!(::core::option::Option::Some(#seed)),
        None => quote!(::core::option::Option::None),
    };
    // Not nameable from the user's body, which is inside the inner fn anyway.
    let dbs = Ident::new("__seedfast_dbs", Span::mixed_site());
    let takes = test.params.iter().map(|param| {
        let span = param.span();
        let service = LitStr::new(&syn::ext::IdentExt::unraw(*param).to_string(), span);
        // Every token at the parameter, so a parameter of the wrong type is
        // reported there rather than at the attribute.
        let dbs = Ident::new("__seedfast_dbs", Span::mixed_site().located_at(span));
        quote_spanned!(span=> #dbs.take(#service))
    });
    let closure_param = if test.params.is_empty() { quote!(_) } else { quote!(mut #dbs) };
    let spec = quote! {
        ::seedfast_test::__private::TestSpec {
            test: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#name)),
            project: #project,
            services: &[#(#services),*],
            seed: #seed,
        }
    };
    // A return type that is neither `()` nor `Result<(), E>` is reported at
    // the return type.
    let run_span = match &sig.output {
        ReturnType::Type(_, ty) => ty.span(),
        ReturnType::Default => Span::call_site(),
    };
    let run = quote_spanned! {run_span=>
        ::seedfast_test::__private::run(#spec, |#closure_param: ::seedfast_test::__private::Dbs| #name(#(#takes),*))
    };

    quote! {
        #[::core::prelude::v1::test]
        #(#attrs)*
        #vis fn #name() {
            // Rebuild when the project file or the variable naming it changes.
            const _: &[::core::primitive::u8] = ::core::include_bytes!(#project);
            const _: ::core::option::Option<&::core::primitive::str> = ::core::option_env!(#ENV_VAR);
            #sig #body
            #run
        }
    }
}

/// The function as written, minus the attributes that would add errors of
/// their own (a second test attribute), next to the errors: rust-analyzer
/// keeps resolving the body, and the compiler reports only what the
/// attribute found.
pub fn fallback(func: &TestFn, errors: syn::Error) -> TokenStream {
    let TestFn { attrs, vis, sig, body } = func;
    let attrs = attrs.iter().filter(|a| test_attribute(a.path()).is_none());
    let errors = errors.into_compile_error();
    quote! {
        #errors
        #[allow(dead_code)]
        #(#attrs)*
        #vis #sig #body
    }
}
