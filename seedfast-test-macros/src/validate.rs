//! Cross-checks: the attribute against the project file, the function
//! against the attribute, and each scope against the grammar. Every check
//! runs and reports into the same `Ctxt`; checks that need the project file
//! are skipped when it could not be read, since its own error already says
//! what to fix.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, Ident, LitStr, Pat, Path, ReturnType, Safety};

use crate::ctxt::{Ctxt, did_you_mean, quoted_list};
use crate::parse::{Args, TestFn};
use crate::project_file::ProjectFile;

/// Everything `render` needs, known to be valid.
pub struct Test<'a> {
    pub func: &'a TestFn,
    /// Absolute path of the project file.
    pub project: &'a str,
    /// `(service, scope)` in attribute order.
    pub services: Vec<(&'a Ident, &'a LitStr)>,
    /// The parameters' names, each a service of `services`.
    pub params: Vec<&'a Ident>,
    pub seed: Option<u64>,
}

pub fn test<'a>(cx: &Ctxt, args: &'a Args, func: &'a TestFn, project: Option<&'a ProjectFile>) -> Option<Test<'a>> {
    if let Some(project) = project {
        services_exist(cx, args, project);
    }
    scopes(cx, args);
    let params = params(cx, args, func, project);
    if args.services.is_empty() && func.sig.inputs.is_empty() {
        no_service(cx, project);
    }
    signature(cx, func);
    attributes(cx, &func.attrs);

    if cx.has_errors() {
        return None;
    }
    Some(Test {
        func,
        project: &project?.path,
        services: args.services.iter().filter_map(|s| Some((&s.name, s.scope.as_ref()?))).collect(),
        params,
        seed: args.seed,
    })
}

fn services_exist(cx: &Ctxt, args: &Args, project: &ProjectFile) {
    let known = project.project.names();
    for service in &args.services {
        let name = service.name.to_string();
        if known.contains(&name.as_str()) {
            continue;
        }
        let mut message = format!("unknown service `{name}`, expected one of {}", quoted_list(known.iter().copied()));
        if let Some(close) = did_you_mean(&name, known.iter().copied()) {
            message.push_str(&format!("; did you mean `{close}`?"));
        }
        cx.error(service.name.span(), message);
    }
}

fn scopes(cx: &Ctxt, args: &Args) {
    for service in &args.services {
        let Some(scope) = &service.scope else { continue };
        if let Err(error) = seedfast_scope::parse(&scope.value()) {
            let mut message = format!("invalid scope for `{}`: {} at column {}", service.name, error.message, error.column());
            if let [init @ .., last] = error.expected.as_slice() {
                let init = if init.is_empty() { String::new() } else { format!("{} or ", init.join(", ")) };
                message.push_str(&format!("; expected {init}{last}"));
            }
            if let Some(help) = &error.help {
                message.push_str(&format!("\nhelp: {help}"));
            }
            cx.error(scope.span(), message);
        }
    }
}

/// Each parameter must be a plain name that picks a service of the
/// attribute; the type is left to the compiler, which checks it against
/// the runtime's `ServiceDb` at the parameter.
fn params<'a>(cx: &Ctxt, args: &Args, func: &'a TestFn, project: Option<&ProjectFile>) -> Vec<&'a Ident> {
    let declared: Vec<String> = args.services.iter().map(|s| s.name.to_string()).collect();
    let in_project: Vec<&str> = project.map(|p| p.project.names()).unwrap_or_default();
    let mut params = Vec::new();
    for input in &func.sig.inputs {
        let pat = match input {
            FnArg::Receiver(receiver) => {
                cx.error_spanned_by(receiver, "`#[seeded_test]` functions cannot take `self`; write a free function");
                continue;
            }
            FnArg::Typed(typed) => &typed.pat,
        };
        let ident = match &**pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.subpat.is_none() => &p.ident,
            other => {
                cx.error_spanned_by(other, "expected a parameter named after a service, as in `users: ServiceDb`");
                continue;
            }
        };
        let name = syn::ext::IdentExt::unraw(ident).to_string();
        if declared.contains(&name) {
            params.push(ident);
        } else if in_project.contains(&name.as_str()) {
            cx.error(ident.span(), format!("parameter `{name}` has no scope; add `{name} = \"...\"` to `#[seeded_test]`"));
        } else {
            let expected: Vec<&str> = if declared.is_empty() { in_project.clone() } else { declared.iter().map(String::as_str).collect() };
            let mut message = format!("parameter `{name}` is not a service of this test");
            if !expected.is_empty() {
                message.push_str(&format!(", expected one of {}", quoted_list(expected.iter().copied())));
            }
            if let Some(close) = did_you_mean(&name, declared.iter().map(String::as_str).chain(in_project.iter().copied())) {
                message.push_str(&format!("; did you mean `{close}`?"));
            }
            cx.error(ident.span(), message);
        }
    }
    params
}

fn no_service(cx: &Ctxt, project: Option<&ProjectFile>) {
    let mut message = "`#[seeded_test]` needs at least one service, as in `#[seeded_test(users = \"10 users\")]`".to_string();
    if let Some(project) = project {
        message.push_str(&format!("\nhelp: the services of the project are {}", quoted_list(project.project.names())));
    }
    cx.error(Span::call_site(), message);
}

fn signature(cx: &Ctxt, func: &TestFn) {
    let sig = &func.sig;
    if sig.asyncness.is_none() {
        cx.error(sig.fn_token.span, "`#[seeded_test]` functions must be async; add `async` before `fn`");
    }
    if let Safety::Unsafe(unsafe_token) = &sig.safety {
        cx.error(unsafe_token.span, "`#[seeded_test]` functions cannot be `unsafe`");
    }
    if sig.generics.lt_token.is_some() {
        cx.error_spanned_by(&sig.generics, "`#[seeded_test]` functions cannot be generic");
    }
    if let Some(where_clause) = &sig.generics.where_clause {
        cx.error_spanned_by(where_clause, "`#[seeded_test]` functions cannot have a where clause");
    }
    if let ReturnType::Type(_, ty) = &sig.output {
        // `impl Trait` would hide `TestResult` from the runtime's bound.
        if let syn::Type::ImplTrait(_) = &**ty {
            cx.error(ty.span(), "`#[seeded_test]` functions return `()` or `Result<(), E>`, not `impl Trait`");
        }
    }
}

fn attributes(cx: &Ctxt, attrs: &[Attribute]) {
    for attr in attrs {
        let Some(name) = test_attribute(attr.path()) else { continue };
        let message = if name == "seeded_test" {
            "duplicate `#[seeded_test]`; give all services in one attribute".to_string()
        } else {
            format!("`#[{}]` cannot be combined with `#[seeded_test]`, which already makes this a test; remove it", path_string(attr.path()))
        };
        cx.error_spanned_by(attr, message);
    }
}

/// Attributes that make a function a test: `#[test]` and every
/// `#[*::test]` (tokio, sqlx, async-std, test-log, `core::prelude::v1`),
/// rstest, test-case, and this attribute itself.
pub fn test_attribute(path: &Path) -> Option<String> {
    let last = path.segments.last()?.ident.to_string();
    matches!(last.as_str(), "test" | "rstest" | "test_case" | "seeded_test").then_some(last)
}

fn path_string(path: &Path) -> String {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    format!("{}{}", if path.leading_colon.is_some() { "::" } else { "" }, segments.join("::"))
}

#[cfg(test)]
mod should {
    use proc_macro2::TokenStream;
    use quote::quote;
    use seedfast_scope::project::Project;

    use super::*;

    fn project() -> ProjectFile {
        let text = "[services.users]\nmigrations = \"u\"\n[services.products]\nmigrations = \"p\"\n[services.orders]\nmigrations = \"o\"\n";
        ProjectFile { path: "/p/seedfast.toml".into(), project: Project::parse(text).unwrap() }
    }

    fn errors_with(args: TokenStream, func: TokenStream, project: Option<&ProjectFile>) -> Vec<String> {
        let cx = Ctxt::new();
        let args = Args::parse(&cx, args);
        let func: TestFn = syn::parse2(func).unwrap();
        let test = test(&cx, &args, &func, project);
        match cx.check() {
            Ok(()) => {
                assert!(test.is_some());
                Vec::new()
            }
            Err(e) => {
                assert!(test.is_none());
                e.into_iter().map(|e| e.to_string()).collect()
            }
        }
    }

    fn errors(args: TokenStream, func: TokenStream) -> Vec<String> {
        errors_with(args, func, Some(&project()))
    }

    #[test]
    fn accept_a_well_formed_test() {
        let e = errors(
            quote!(users = "10 users with addresses", products = "20 products", seed = 7),
            quote!(#[ignore] async fn t(users: ServiceDb, mut products: ServiceDb) -> Result<(), Error> { Ok(()) }),
        );
        assert!(e.is_empty(), "{e:?}");
        // A seeded service the test does not take as a parameter is fine.
        assert!(errors(quote!(users = "1 user"), quote!(async fn t() {})).is_empty());
    }

    #[test]
    fn name_the_unknown_service_list_the_known_ones_and_suggest_the_closest() {
        let e = errors(quote!(user = "1 user", payments = "1 payment"), quote!(async fn t(user: ServiceDb) {}));
        assert_eq!(
            e,
            [
                "unknown service `user`, expected one of `users`, `products`, `orders`; did you mean `users`?",
                "unknown service `payments`, expected one of `users`, `products`, `orders`",
            ]
        );
    }

    #[test]
    fn report_a_scope_grammar_error_with_its_column() {
        let e = errors(quote!(users = "10 users with"), quote!(async fn t() {}));
        assert_eq!(e.len(), 1);
        assert!(e[0].starts_with("invalid scope for `users`: "), "{}", e[0]);
        assert!(e[0].contains(" at column "), "{}", e[0]);
    }

    #[test]
    fn tell_a_parameter_without_scope_how_to_declare_it() {
        let e = errors(quote!(users = "1 user"), quote!(async fn t(users: ServiceDb, orders: ServiceDb, user: ServiceDb) {}));
        assert_eq!(
            e,
            [
                "parameter `orders` has no scope; add `orders = \"...\"` to `#[seeded_test]`",
                "parameter `user` is not a service of this test, expected one of `users`; did you mean `users`?",
            ]
        );
    }

    #[test]
    fn refuse_patterns_and_self_as_parameters() {
        let e = errors(quote!(users = "1 user"), quote!(async fn t(&self, (a, b): (ServiceDb, ServiceDb), ref users: ServiceDb) {}));
        assert_eq!(
            e,
            [
                "`#[seeded_test]` functions cannot take `self`; write a free function",
                "expected a parameter named after a service, as in `users: ServiceDb`",
                "expected a parameter named after a service, as in `users: ServiceDb`",
            ]
        );
    }

    #[test]
    fn refuse_sync_unsafe_and_generic_functions() {
        let e = errors(quote!(users = "1 user"), quote!(unsafe fn t<T: Clone>() -> impl Sized where T: Copy {}));
        assert_eq!(
            e,
            [
                "`#[seeded_test]` functions must be async; add `async` before `fn`",
                "`#[seeded_test]` functions cannot be `unsafe`",
                "`#[seeded_test]` functions cannot be generic",
                "`#[seeded_test]` functions cannot have a where clause",
                "`#[seeded_test]` functions return `()` or `Result<(), E>`, not `impl Trait`",
            ]
        );
    }

    #[test]
    fn refuse_every_other_test_attribute() {
        let e = errors(
            quote!(users = "1 user"),
            quote!(
                #[test] #[tokio::test(flavor = "current_thread")] #[sqlx::test] #[rstest] #[test_case(1)]
                #[seedfast_test::seeded_test(users = "1 user")] #[ignore] #[doc = "x"]
                async fn t() {}
            ),
        );
        assert_eq!(
            e,
            [
                "`#[test]` cannot be combined with `#[seeded_test]`, which already makes this a test; remove it",
                "`#[tokio::test]` cannot be combined with `#[seeded_test]`, which already makes this a test; remove it",
                "`#[sqlx::test]` cannot be combined with `#[seeded_test]`, which already makes this a test; remove it",
                "`#[rstest]` cannot be combined with `#[seeded_test]`, which already makes this a test; remove it",
                "`#[test_case]` cannot be combined with `#[seeded_test]`, which already makes this a test; remove it",
                "duplicate `#[seeded_test]`; give all services in one attribute",
            ]
        );
    }

    #[test]
    fn ask_for_a_service_and_list_the_project_ones() {
        let e = errors(quote!(), quote!(async fn t() {}));
        assert_eq!(
            e,
            ["`#[seeded_test]` needs at least one service, as in `#[seeded_test(users = \"10 users\")]`\nhelp: the services of the project are `users`, `products`, `orders`"]
        );
        // A parameter says more than the bare attribute: only its error.
        let e = errors(quote!(), quote!(async fn t(orders: ServiceDb) {}));
        assert_eq!(e, ["parameter `orders` has no scope; add `orders = \"...\"` to `#[seeded_test]`"]);
    }

    #[test]
    fn skip_service_names_but_still_check_scopes_without_a_project_file() {
        let e = errors_with(quote!(nosuch = "10 users with"), quote!(async fn t(nosuch: ServiceDb) {}), None);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("invalid scope for `nosuch`"), "{}", e[0]);
    }
}
