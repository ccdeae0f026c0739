//! From tokens to a typed model: the attribute's `key = value` list and the
//! function. Only what can be told from the tokens alone is checked here
//! (syntax, value kinds, duplicate keys); what needs the project file or
//! compares the attribute with the function is in `validate`.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Ident, Lit, LitInt, LitStr, Signature, Token, Visibility};

use crate::ctxt::Ctxt;

/// `#[seeded_test(users = "10 users", seed = 7, project = "seedfast.toml")]`
#[derive(Default)]
pub struct Args {
    /// `project = "..."`, as written.
    pub project: Option<LitStr>,
    pub seed: Option<u64>,
    /// Every other key, in attribute order.
    pub services: Vec<ServiceArg>,
}

pub struct ServiceArg {
    /// Without `r#`.
    pub name: Ident,
    /// `None` when the value was not a string literal (already reported):
    /// the service still counts as declared, so its parameter is not
    /// reported a second time.
    pub scope: Option<LitStr>,
}

/// The annotated function. The body is kept as unparsed tokens, as
/// tokio-macros does: a half-written body (rust-analyzer sees many) still
/// expands, and the compiler, not the macro, reports its syntax errors.
pub struct TestFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: Group,
}

impl Parse for TestFn {
    fn parse(input: ParseStream) -> syn::Result<TestFn> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        if !has_fn_keyword(input) {
            return Err(input.error("`#[seeded_test]` goes on an `async fn`"));
        }
        let sig = input.parse()?;
        let body: Group = input.parse()?;
        if body.delimiter() != Delimiter::Brace {
            return Err(syn::Error::new(body.span(), "expected the function body"));
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the function"));
        }
        Ok(TestFn { attrs, vis, sig, body })
    }
}

impl Args {
    /// Parses all entries, reporting every bad one and carrying on with the
    /// next, so one typo does not hide the rest.
    pub fn parse(cx: &Ctxt, tokens: TokenStream) -> Args {
        let mut args = Args::default();
        let parser = |input: ParseStream| {
            while !input.is_empty() {
                match Entry::parse(input) {
                    Ok(entry) => args.set(cx, entry),
                    Err(error) => {
                        cx.push(error);
                        skip_past_comma(input);
                        continue;
                    }
                }
                if !input.is_empty()
                    && let Err(error) = input.parse::<Token![,]>()
                {
                    cx.push(error);
                    skip_past_comma(input);
                }
            }
            Ok(())
        };
        // The closure never fails; errors are in `cx`.
        let _ = parser.parse2(tokens);
        args
    }

    fn set(&mut self, cx: &Ctxt, Entry { key, value }: Entry) {
        let name = key.to_string();
        let duplicate = match name.as_str() {
            "project" => self.project.is_some(),
            "seed" => self.seed.is_some(),
            _ => self.services.iter().any(|s| s.name == name),
        };
        if duplicate {
            cx.error(key.span(), format!("duplicate key `{name}`"));
            return;
        }
        match name.as_str() {
            "project" => match value {
                Value::Lit(Lit::Str(path)) => self.project = Some(path),
                other => cx.error_spanned_by(other, "expected a string literal path for `project`, as in `project = \"seedfast.toml\"`"),
            },
            "seed" => match value {
                Value::Lit(Lit::Int(int)) => {
                    if let Some(seed) = seed(cx, &int) {
                        self.seed = Some(seed);
                    }
                }
                other => cx.error_spanned_by(other, "expected an integer for `seed`, as in `seed = 7`"),
            },
            _ => {
                let scope = match value {
                    Value::Lit(Lit::Str(scope)) => Some(scope),
                    other => {
                        let message = format!("expected a string literal scope for `{name}`, as in `{name} = \"10 {name}\"`");
                        cx.error_spanned_by(other, message);
                        None
                    }
                };
                self.services.push(ServiceArg { name: key, scope });
            }
        }
    }
}

fn seed(cx: &Ctxt, int: &LitInt) -> Option<u64> {
    if !matches!(int.suffix(), "" | "u64") {
        cx.error(int.span(), "`seed` is a u64: drop the suffix, as in `seed = 7`");
        return None;
    }
    match int.base10_parse::<u64>() {
        Ok(seed) => Some(seed),
        Err(_) => {
            cx.error(int.span(), format!("`seed` must fit in a u64 (at most {})", u64::MAX));
            None
        }
    }
}

struct Entry {
    key: Ident,
    value: Value,
}

/// A value as written: one literal, or anything else (reported by the key
/// that expected a literal, spanning all of it).
enum Value {
    Lit(Lit),
    Other(TokenStream),
}

impl quote::ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Value::Lit(lit) => lit.to_tokens(tokens),
            Value::Other(other) => other.to_tokens(tokens),
        }
    }
}

impl Entry {
    fn parse(input: ParseStream) -> syn::Result<Entry> {
        if !input.peek(Ident::peek_any) {
            return Err(input.error("expected a service name, `project` or `seed`"));
        }
        // `Ident::parse_any` so a service named like a keyword can be given
        // as `r#type` or `type`.
        let key = Ident::parse_any(input)?.unraw();
        if !input.peek(Token![=]) {
            return Err(syn::Error::new(
                key.span(),
                format!("expected `=` after `{key}`, as in `{key} = {}`", example_value(&key.to_string())),
            ));
        }
        let eq: Token![=] = input.parse()?;
        // Everything up to the next comma, so `users = 10 users` is one bad
        // value rather than a cascade of syntax errors.
        let mut value = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            value.extend([input.parse::<TokenTree>()?]);
        }
        let value = match single_literal(value.clone()) {
            Some(lit) => Value::Lit(lit),
            None if value.is_empty() => return Err(syn::Error::new(eq.span, format!("expected a value after `{key} =`"))),
            None => Value::Other(value),
        };
        Ok(Entry { key, value })
    }
}

fn example_value(key: &str) -> String {
    match key {
        "project" => "\"seedfast.toml\"".into(),
        "seed" => "7".into(),
        service => format!("\"10 {service}\""),
    }
}

/// A literal, seen through the invisible groups `macro_rules!` wraps
/// `$x:literal` in.
fn single_literal(tokens: TokenStream) -> Option<Lit> {
    let mut iter = tokens.into_iter();
    let token = iter.next()?;
    if iter.next().is_some() {
        return None;
    }
    match token {
        TokenTree::Literal(literal) => Some(Lit::new(literal)),
        TokenTree::Group(group) if group.delimiter() == Delimiter::None => single_literal(group.stream()),
        _ => None,
    }
}

fn skip_past_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((token, next)) = rest.token_tree() {
            rest = next;
            if matches!(&token, TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
        }
        Ok(((), rest))
    });
}

/// Whether the item is a function at all, so a `struct` gets a clear error
/// while a mistyped signature keeps syn's precise one.
fn has_fn_keyword(input: ParseStream) -> bool {
    let mut cursor = input.cursor();
    while let Some((token, next)) = cursor.token_tree() {
        match token {
            TokenTree::Ident(ident) if ident == "fn" => return true,
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => return false,
            _ => cursor = next,
        }
    }
    false
}

#[cfg(test)]
mod should {
    use quote::quote;

    use super::*;

    fn parse(tokens: TokenStream) -> (Args, Vec<String>) {
        let cx = Ctxt::new();
        let args = Args::parse(&cx, tokens);
        let errors = match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        };
        (args, errors)
    }

    #[test]
    fn read_services_in_attribute_order_with_seed_and_project() {
        let (args, errors) = parse(quote!(users = "10 users", seed = 7, products = "20 products", project = "x.toml",));
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<String> = args.services.iter().map(|s| s.name.to_string()).collect();
        assert_eq!(names, ["users", "products"]);
        assert_eq!(args.services[0].scope.as_ref().unwrap().value(), "10 users");
        assert_eq!(args.seed, Some(7));
        assert_eq!(args.project.unwrap().value(), "x.toml");
    }

    #[test]
    fn accept_an_empty_attribute_and_raw_identifiers() {
        let (args, errors) = parse(quote!());
        assert!(errors.is_empty() && args.services.is_empty());
        let (args, errors) = parse(quote!(r#type = "1 type"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(args.services[0].name, "type");
    }

    #[test]
    fn report_every_duplicate_key_and_keep_the_first_value() {
        let (args, errors) = parse(quote!(users = "1 user", seed = 1, users = "2 users", seed = 2));
        assert_eq!(errors, ["duplicate key `users`", "duplicate key `seed`"]);
        assert_eq!(args.services.len(), 1);
        assert_eq!(args.seed, Some(1));
    }

    #[test]
    fn refuse_values_of_the_wrong_kind_but_keep_the_service_declared() {
        let (args, errors) = parse(quote!(users = 10 users, seed = "7", project = seedfast, orders = -1));
        assert_eq!(
            errors,
            [
                "expected a string literal scope for `users`, as in `users = \"10 users\"`",
                "expected an integer for `seed`, as in `seed = 7`",
                "expected a string literal path for `project`, as in `project = \"seedfast.toml\"`",
                "expected a string literal scope for `orders`, as in `orders = \"10 orders\"`",
            ]
        );
        assert_eq!(args.services.len(), 2);
        assert!(args.services.iter().all(|s| s.scope.is_none()));
    }

    #[test]
    fn refuse_seeds_that_are_not_u64() {
        let (_, errors) = parse(quote!(seed = 7i32));
        assert_eq!(errors, ["`seed` is a u64: drop the suffix, as in `seed = 7`"]);
        let (args, errors) = parse(quote!(seed = 7u64));
        assert!(errors.is_empty() && args.seed == Some(7));
        let (_, errors) = parse(quote!(seed = 18446744073709551616));
        assert_eq!(errors, ["`seed` must fit in a u64 (at most 18446744073709551615)"]);
        let (_, errors) = parse(quote!(seed = 1.5));
        assert_eq!(errors, ["expected an integer for `seed`, as in `seed = 7`"]);
    }

    #[test]
    fn recover_from_syntax_errors_at_the_next_comma() {
        let (args, errors) = parse(quote!(users, "x" = 1, orders = , products = "2 products"));
        assert_eq!(
            errors,
            [
                "expected `=` after `users`, as in `users = \"10 users\"`",
                "expected a service name, `project` or `seed`",
                "expected a value after `orders =`",
            ]
        );
        assert_eq!(args.services.len(), 1);
        assert_eq!(args.services[0].name, "products");
    }

    #[test]
    fn parse_the_function_without_parsing_its_body() {
        let f: TestFn = syn::parse2(quote!(#[ignore] pub async fn t(users: ServiceDb) { let x = ; })).unwrap();
        assert_eq!(f.sig.ident, "t");
        assert_eq!(f.attrs.len(), 1);
        let e = syn::parse2::<TestFn>(quote!(struct S;)).err().unwrap();
        assert_eq!(e.to_string(), "`#[seeded_test]` goes on an `async fn`");
    }
}
