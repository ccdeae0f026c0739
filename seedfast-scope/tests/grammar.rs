//! The scope grammar, end to end through the public `parse`.
//!
//! Most tests compare a one-line summary per clause (see `summary`), which
//! keeps the expected ASTs readable; spans and exact fields are checked
//! separately where they matter.

use seedfast_scope::{Clause, IdSelection, Percent, Phrase, Portion, Scope, ScopeError, Span, TimeUnit, parse};

fn ok(text: &str) -> Scope {
    parse(text).unwrap_or_else(|error| panic!("`{text}` should parse:\n{error}"))
}

fn err(text: &str) -> ScopeError {
    match parse(text) {
        Ok(scope) => panic!("`{text}` should not parse, got {scope:#?}"),
        Err(error) => error,
    }
}

fn phrase(p: &Phrase) -> String {
    p.words.join(" ")
}

fn phrases(ps: &[Phrase]) -> String {
    ps.iter().map(phrase).collect::<Vec<_>>().join("|")
}

fn percent(p: &Percent) -> String {
    match p.hundredths % 100 {
        0 => format!("{}%", p.hundredths / 100),
        rest => format!("{}.{rest:02}%", p.hundredths / 100),
    }
}

fn ids(ids: Option<&IdSelection>) -> String {
    match ids {
        None => String::new(),
        Some(IdSelection::Range { start, end, .. }) => format!(" {start}..={end}"),
        Some(IdSelection::List { ids, .. }) => {
            format!(" [{}]", ids.iter().map(|id| id.text.as_str()).collect::<Vec<_>>().join(","))
        }
        Some(IdSelection::MatchingService { service, .. }) => format!(" matching {}", phrase(service)),
    }
}

/// One line per clause, e.g. `with(1..=5 items per order)`.
fn clause(c: &Clause) -> String {
    match c {
        Clause::With { target, count, per, .. } => {
            let count = count.map(|c| format!("{}..={} ", c.min, c.max)).unwrap_or_default();
            let per = per.as_ref().map(|p| format!(" per {}", phrase(p))).unwrap_or_default();
            format!("with({count}{}{per})", phrase(target))
        }
        Clause::Across { count, target, named, .. } if named.is_empty() => {
            format!("across({} {})", count.value, phrase(target))
        }
        Clause::Across { count, target, named, .. } => {
            format!("across({} {} including {})", count.value, phrase(target), phrases(named))
        }
        Clause::TimeWindow { amount, unit, .. } => format!("window({amount} {unit:?})"),
        Clause::References { target, ids: selection, .. } => {
            format!("refs({}{})", phrase(target), ids(selection.as_ref()))
        }
        Clause::Distribution { column, shares, .. } => {
            let shares: Vec<String> = shares
                .iter()
                .map(|s| match s.portion {
                    Portion::Percent(_) => format!("{} {}", percent(&s.percent), phrase(&s.value)),
                    other => format!("{other:?} {}", phrase(&s.value)),
                })
                .collect();
            let column = column.as_ref().map_or_else(|| "-".into(), phrase);
            format!("dist({column}: {})", shares.join(", "))
        }
        Clause::RealisticDistribution { column, .. } => format!("realistic({})", phrase(column)),
        Clause::Values { column, values, .. } => {
            let column = column.as_ref().map_or_else(|| "-".into(), phrase);
            format!("values({column}: {})", phrases(values))
        }
        Clause::Range { column, min, max, unit, .. } => {
            let unit = unit.as_ref().map(|u| format!(" {u}")).unwrap_or_default();
            let column = column.as_ref().map_or_else(|| "-".into(), phrase);
            format!("range({column} {}..{}{unit})", min.text, max.text)
        }
        Clause::Orphans { percent: p, target, service, .. } => {
            let service = service.as_ref().map(|s| format!(" in {}", phrase(s))).unwrap_or_default();
            format!("orphans({} {}{service})", percent(p), phrase(target))
        }
        Clause::Matching { column, source, .. } => format!("matching({} <- {})", phrase(column), phrase(source)),
        Clause::After { column, source, .. } => format!("after({} > {})", phrase(column), phrase(source)),
        Clause::GroupedBy { column, .. } => format!("grouped({})", phrase(column)),
        Clause::Monotonic { column, .. } => format!("monotonic({})", phrase(column)),
        Clause::Purpose { .. } => "purpose".to_string(),
        Clause::Period { column, period, .. } => {
            format!("period({}{period:?})", column.as_ref().map(|c| format!("{} ", phrase(c))).unwrap_or_default())
        }
        Clause::Nulls { portion, column, .. } => format!("nulls({portion:?} {})", phrase(column)),
        Clause::Affix { column, value, affix, .. } => {
            format!("affix({}{affix:?} {})", column.as_ref().map(|c| format!("{} ", phrase(c))).unwrap_or_default(), value.text)
        }
        Clause::Bound { column, lower, upper, unit, .. } => format!(
            "bound({}{}..{}{})",
            column.as_ref().map(|c| format!("{} ", phrase(c))).unwrap_or_default(),
            lower.as_ref().map(|n| n.text.as_str()).unwrap_or(""),
            upper.as_ref().map(|n| n.text.as_str()).unwrap_or(""),
            unit.as_ref().map(|u| format!(" {u}")).unwrap_or_default()
        ),
    }
}

fn summary(scope: &Scope) -> Vec<String> {
    scope.clauses.iter().map(clause).collect()
}

fn count(scope: &Scope) -> Option<u64> {
    scope.count.map(|c| c.value)
}

fn at(text: &str, span: Span) -> &str {
    &text[span.start..span.end]
}

// ---- the scopes that must parse --------------------------------------------

#[test]
fn a_with_one_relation() {
    let scope = ok("10 users with addresses");
    assert_eq!(count(&scope), Some(10));
    assert_eq!(scope.subject.words, ["users"]);
    assert_eq!(summary(&scope), ["with(addresses)"]);
}

#[test]
fn b_bare_subject_and_single_with() {
    let scope = ok("20 products");
    assert_eq!(count(&scope), Some(20));
    assert_eq!(scope.subject.words, ["products"]);
    assert!(scope.clauses.is_empty());
    assert!(scope.subject_values.is_empty());

    let scope = ok("20 products with inventory");
    assert_eq!(summary(&scope), ["with(inventory)"]);
}

#[test]
fn c_and_separates_with_items() {
    let scope = ok("50 users with profiles and addresses");
    assert_eq!(count(&scope), Some(50));
    assert_eq!(summary(&scope), ["with(profiles)", "with(addresses)"]);
}

#[test]
fn d_reference_with_id_list() {
    let scope = ok("200 orders for users with IDs: 3,7,11");
    assert_eq!(count(&scope), Some(200));
    assert_eq!(scope.subject.words, ["orders"]);
    assert_eq!(summary(&scope), ["refs(users [3,7,11])"]);
}

#[test]
fn d_id_lists_hold_uuids_text_keys_and_quoted_strings() {
    let text = "orders for users with IDs: 0190c3a4-7b2e-7c3d-9f1a-2b3c4d5e6f70, 0190c3a4-7b2e-7c3d-9f1a-2b3c4d5e6f71";
    assert_eq!(
        summary(&ok(text)),
        ["refs(users [0190c3a4-7b2e-7c3d-9f1a-2b3c4d5e6f70,0190c3a4-7b2e-7c3d-9f1a-2b3c4d5e6f71])"]
    );
    // A UUID whose segments are all digits is still one literal.
    assert_eq!(
        summary(&ok("orders for users with IDs: 01234567-1234-1234-1234-123456789012")),
        ["refs(users [01234567-1234-1234-1234-123456789012])"]
    );
    assert_eq!(
        summary(&ok("orders for product IDs: SKU-001, SKU-002, and 'abc', \"d e\"")),
        ["refs(product [SKU-001,SKU-002,abc,d e])"]
    );
    // Text keys of two dashed numbers read as a range, so they are quoted;
    // with more parts they are plain.
    assert_eq!(
        summary(&ok("orders for invoice IDs '2024-001', '2024-002', 2024-003-A")),
        ["refs(invoice [2024-001,2024-002,2024-003-A])"]
    );
    let error = err("orders for invoice IDs 2024-001, 2024-002");
    assert_eq!(error.message, "range start 2024 is greater than range end 1");
    assert_eq!(error.help.as_deref(), Some("quote text IDs such as `2024-001`: '2024-001'"));
}

#[test]
fn d_id_list_spans_point_at_each_literal() {
    let text = "orders for products with IDs: SKU-001, 'abc'";
    let scope = ok(text);
    let Clause::References { ids: Some(IdSelection::List { ids, span }), .. } = &scope.clauses[0] else {
        panic!("{:?}", scope.clauses)
    };
    assert_eq!(at(text, ids[0].span), "SKU-001");
    assert_eq!(at(text, ids[1].span), "abc");
    assert_eq!(at(text, *span), "SKU-001, 'abc'");
}

#[test]
fn d_id_list_context_beats_thousands_separators() {
    // After `IDs`, commas separate IDs even when three digits follow.
    assert_eq!(summary(&ok("orders for user IDs: 1,000")), ["refs(user [1,000])"]);
    assert_eq!(summary(&ok("orders for user IDs 100,200,300")), ["refs(user [100,200,300])"]);
}

#[test]
fn e_thousands_separator_and_oxford_comma() {
    let scope = ok("1,000 users with varied profiles, addresses, and preferences");
    assert_eq!(count(&scope), Some(1000));
    assert_eq!(summary(&scope), ["with(profiles)", "with(addresses)", "with(preferences)"]);
}

#[test]
fn f_across_a_counted_parent() {
    let scope = ok("200 products across 10 categories with pricing tiers");
    assert_eq!(summary(&scope), ["across(10 categories)", "with(pricing tiers)"]);
}

#[test]
fn g_references_list_realistic_distribution_and_time_window() {
    let scope = ok(
        "5,000 orders referencing user IDs 1-1000 and product IDs 1-200, with realistic status distribution across the last 6 months",
    );
    assert_eq!(count(&scope), Some(5000));
    assert_eq!(
        summary(&scope),
        ["refs(user 1..=1000)", "refs(product 1..=200)", "realistic(status)", "window(6 Months)"]
    );
}

#[test]
fn h_named_parents_range_with_unit_and_trailing_with() {
    let scope = ok(
        "500 products across 15 categories including electronics, clothing, and home goods, with prices ranging from 5 to 500 dollars, and inventory counts",
    );
    assert_eq!(
        summary(&scope),
        [
            "across(15 categories including electronics|clothing|home goods)",
            "range(prices 5..500 dollars)",
            "with(inventory counts)",
        ]
    );
}

const SCOPE_I: &str = "8,000 orders for user IDs 1-1000 referencing product IDs 1-500, with 1-5 items per order, status distribution of 60% completed 25% shipped 10% processing 5% cancelled, spread across the last 12 months";

#[test]
fn i_the_full_order_scope() {
    let scope = ok(SCOPE_I);
    assert_eq!(count(&scope), Some(8000));
    assert_eq!(scope.subject.words, ["orders"]);
    assert_eq!(
        summary(&scope),
        [
            "refs(user 1..=1000)",
            "refs(product 1..=500)",
            "with(1..=5 items per order)",
            "dist(status: 60% completed, 25% shipped, 10% processing, 5% cancelled)",
            "window(12 Months)",
        ]
    );
}

#[test]
fn j_no_count_matching_and_bare_distribution() {
    let scope = ok(
        "payments for order IDs 1-8000, with amounts matching order totals, 90% captured 5% authorized 3% refunded 2% failed",
    );
    assert_eq!(scope.count, None);
    assert_eq!(scope.subject.words, ["payments"]);
    assert_eq!(
        summary(&scope),
        [
            "refs(order 1..=8000)",
            "matching(amounts <- order totals)",
            "dist(-: 90% captured, 5% authorized, 3% refunded, 2% failed)",
        ]
    );
}

#[test]
fn k_about_and_values_with_trailing_column() {
    let scope = ok(
        "notifications for user IDs 1-1000 about order IDs 1-8000, including order confirmation, shipping update, and delivery confirmation types",
    );
    assert_eq!(scope.count, None);
    assert_eq!(
        summary(&scope),
        [
            "refs(user 1..=1000)",
            "refs(order 1..=8000)",
            "values(types: order confirmation|shipping update|delivery confirmation)",
        ]
    );
}

#[test]
fn l_orphans_in_a_service() {
    let scope = ok("100 orders, 10% with user IDs that don't exist in the user service");
    assert_eq!(summary(&scope), ["orphans(10% user in user service)"]);
}

#[test]
fn l_orphans_variants() {
    assert_eq!(summary(&ok("100 orders, 10% with user IDs that do not exist")), ["orphans(10% user)"]);
    assert_eq!(summary(&ok("100 orders, 10% with user IDs that don't exist upstream")), ["orphans(10% user)"]);
    assert_eq!(summary(&ok("100 orders, 10% with user IDs that don\u{2019}t exist")), ["orphans(10% user)"]);
    assert_eq!(summary(&ok("100 orders, 12.5% with user IDs that does not exist")), ["orphans(12.50% user)"]);
}

#[test]
fn m_subject_values_keep_their_spelling() {
    let scope = ok(
        "1000 domain events: OrderCreated, PaymentCaptured, OrderShipped, with realistic aggregate_id grouping and monotonic timestamps",
    );
    assert_eq!(scope.subject.words, ["domain", "events"]);
    let texts: Vec<&str> = scope.subject_values.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, ["OrderCreated", "PaymentCaptured", "OrderShipped"]);
    assert_eq!(scope.subject_values[0].words, ["ordercreated"]);
    assert_eq!(summary(&scope), ["grouped(aggregate_id)", "monotonic(timestamps)"]);
}

#[test]
fn n_ids_matching_a_service_and_mix_of() {
    let scope =
        ok("payments for orders with IDs matching the order service, mix of completed, pending, and refunded statuses");
    assert_eq!(
        summary(&scope),
        ["refs(orders matching order service)", "values(statuses: completed|pending|refunded)"]
    );
}

#[test]
fn n_reference_without_ids_and_values_without_column() {
    let scope = ok(
        "notifications for users 1-1000, referencing recent orders, including order confirmations, shipping updates, and payment receipts",
    );
    assert_eq!(
        summary(&scope),
        ["refs(users 1..=1000)", "refs(orders)", "values(-: order confirmations|shipping updates|payment receipts)",]
    );
}

#[test]
fn n_purpose_after_orphans() {
    let text = "100 orders, 10% with user IDs that don't exist in the user service, to test the order service's graceful degradation";
    let scope = ok(text);
    assert_eq!(summary(&scope), ["orphans(10% user in user service)", "purpose"]);
    assert_eq!(at(text, scope.clauses[1].span()), "to test the order service's graceful degradation");
}

#[test]
fn n_after_drops_the_corresponding() {
    let scope = ok(
        "notifications for user IDs 1-1000 about order IDs 1-8000, including order confirmation, shipping update, and delivery confirmation types, with timestamps after the corresponding order dates",
    );
    assert_eq!(
        summary(&scope),
        [
            "refs(user 1..=1000)",
            "refs(order 1..=8000)",
            "values(types: order confirmation|shipping update|delivery confirmation)",
            "after(timestamps > order dates)",
        ]
    );
}

/// Grammar decision: `billing and shipping addresses` shares the head noun,
/// giving `With{billing addresses}` and `With{shipping addresses}`. The
/// resolver matches such a phrase to a table (`billing_addresses`) or to its
/// head noun (`addresses`) with the modifier as a kind. The rule fires only
/// for one word not ending in `s` before `and` and two or more words after.
#[test]
fn n_coordinated_modifiers_share_the_head_noun() {
    let text =
        "1,000 users with names, emails, phone numbers, billing and shipping addresses, and notification preferences";
    let scope = ok(text);
    assert_eq!(
        summary(&scope),
        [
            "with(names)",
            "with(emails)",
            "with(phone numbers)",
            "with(billing addresses)",
            "with(shipping addresses)",
            "with(notification preferences)",
        ]
    );
    let Clause::With { target, .. } = &scope.clauses[3] else { panic!() };
    assert_eq!(target.text, "billing addresses");
    assert_eq!(at(text, target.span), "billing and shipping addresses");
    let Clause::With { target, .. } = &scope.clauses[4] else { panic!() };
    assert_eq!(at(text, target.span), "shipping addresses");

    // A plural before `and` is an item of its own.
    assert_eq!(
        summary(&ok("10 users with profiles and shipping addresses")),
        ["with(profiles)", "with(shipping addresses)"]
    );
    assert_eq!(
        summary(&ok("10 users with home and work mailing addresses")),
        ["with(home mailing addresses)", "with(work mailing addresses)"]
    );
}

#[test]
fn n_single_count_per_parent() {
    let scope = ok("1,000 orders with 3 items per order");
    assert_eq!(summary(&scope), ["with(3..=3 items per order)"]);
    assert_eq!(summary(&ok("10 orders with 1 to 5 items per order")), ["with(1..=5 items per order)"]);
    assert_eq!(summary(&ok("10 orders with 1\u{2013}5 items per order")), ["with(1..=5 items per order)"]);
    assert_eq!(summary(&ok("10 orders with 2 notes")), ["with(2..=2 notes)"]);
    assert_eq!(summary(&ok("10 orders with items per order")), ["with(items per order)"]);
}

#[test]
fn n_time_windows() {
    assert_eq!(summary(&ok("100 events over the last 30 days")), ["window(30 Days)"]);
    assert_eq!(summary(&ok("100 events over 2 weeks")), ["window(2 Weeks)"]);
    assert_eq!(summary(&ok("100 events across the past year")), ["window(1 Years)"]);
    assert_eq!(summary(&ok("100 events across 6 months")), ["window(6 Months)"]);
    assert_eq!(summary(&ok("100 events spread across the last month")), ["window(1 Months)"]);
    assert_eq!(summary(&ok("100 events, spread across 3 categories")), ["across(3 categories)"]);
}

#[test]
fn n_ranges() {
    assert_eq!(summary(&ok("100 order items with quantities between 1 and 10")), ["range(quantities 1..10)"]);
    assert_eq!(summary(&ok("100 order items, quantities between 1 and 10")), ["range(quantities 1..10)"]);
    assert_eq!(
        summary(&ok("10 products with prices ranging from 4.99 to 1,000.50 dollars")),
        ["range(prices 4.99..1000.50 dollars)"]
    );
    assert_eq!(summary(&ok("10 readings with temperatures from -3 to 40")), ["range(temperatures -3..40)"]);
    assert_eq!(summary(&ok("10 users with ages ranging between 18 and 90 years")), ["range(ages 18..90 years)"]);
}

#[test]
fn range_numbers_keep_exact_text_and_value() {
    let text = "10 products with prices ranging from 4.99 to 1,000 dollars";
    let scope = ok(text);
    let Clause::Range { min, max, unit, span, .. } = &scope.clauses[0] else { panic!() };
    assert_eq!((min.text.as_str(), min.value), ("4.99", 4.99));
    assert_eq!((max.text.as_str(), max.value), ("1000", 1000.0));
    assert_eq!(at(text, max.span), "1,000");
    assert_eq!(unit.as_deref(), Some("dollars"));
    assert_eq!(at(text, *span), "with prices ranging from 4.99 to 1,000 dollars");
}

#[test]
fn o_multi_line_input_parses_like_one_line() {
    let multi = "8,000 orders\n    for user IDs 1-1000\n    referencing product IDs 1-500,\n    with 1-5 items   per order,\n\tstatus distribution of 60% completed 25% shipped\n    10% processing 5% cancelled,\r\n    spread across the last 12 months\n";
    let (one, many) = (ok(SCOPE_I), ok(multi));
    assert_eq!(summary(&one), summary(&many));
    assert_eq!(count(&one), count(&many));
    assert_eq!(one.subject.words, many.subject.words);
    assert_eq!(without_spans(&one), without_spans(&many));
    assert_eq!(many.text, multi);
}

/// The debug form with every span blanked, to compare ASTs modulo spans.
fn without_spans(scope: &Scope) -> String {
    let debug = format!("{:?}", scope.clauses);
    let mut out = String::new();
    let mut rest = debug.as_str();
    while let Some(start) = rest.find("Span {") {
        out.push_str(&rest[..start]);
        out.push_str("Span");
        let end = rest[start..].find('}').expect("span closes");
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

// ---- further grammar ---------------------------------------------------------

#[test]
fn keywords_are_case_insensitive_and_text_keeps_spelling() {
    let text = "10 Order Items WITH Addresses FOR User IDs 1-5";
    let scope = ok(text);
    assert_eq!(scope.subject.words, ["order", "items"]);
    assert_eq!(scope.subject.text, "Order Items");
    assert_eq!(summary(&scope), ["with(addresses)", "refs(user 1..=5)"]);
    let Clause::With { target, .. } = &scope.clauses[0] else { panic!() };
    assert_eq!(target.text, "Addresses");
}

#[test]
fn flavour_words_are_dropped_from_the_front_of_phrases() {
    let scope = ok(
        "10 users with varied profiles, realistic addresses, diverse plausible names, some typical random sample preferences",
    );
    assert_eq!(summary(&scope), ["with(profiles)", "with(addresses)", "with(names)", "with(preferences)"]);
    // `a` before a noun is a count of one.
    assert_eq!(summary(&ok("10 varied users with a profile")), ["with(1..=1 profile)"]);
    assert_eq!(ok("10 varied users").subject.words, ["users"]);
    // A value that is only a flavour word stays: it may be the value itself.
    assert_eq!(summary(&ok("10 draws, mix of random, fixed, and the sample")), ["values(-: random|fixed|sample)"]);
}

#[test]
fn dashed_compounds_are_one_word() {
    let scope = ok("10 high-value customers with e-commerce profiles");
    assert_eq!(scope.subject.words, ["high-value", "customers"]);
    assert_eq!(summary(&scope), ["with(e-commerce profiles)"]);
}

#[test]
fn id_ranges_accept_to_en_dash_and_spaces() {
    assert_eq!(summary(&ok("orders for user IDs 1 to 5")), ["refs(user 1..=5)"]);
    assert_eq!(summary(&ok("orders for user IDs 1\u{2013}1000")), ["refs(user 1..=1000)"]);
    assert_eq!(summary(&ok("orders for user IDs 1 - 1,000")), ["refs(user 1..=1000)"]);
    assert_eq!(summary(&ok("orders for user IDs: 1-5")), ["refs(user 1..=5)"]);
    assert_eq!(summary(&ok("orders for users 1 to 5")), ["refs(users 1..=5)"]);
    assert_eq!(summary(&ok("orders for user ID 7")), ["refs(user [7])"]);
    assert_eq!(summary(&ok("orders for user IDs 1,000-2,000")), ["refs(user 1000..=2000)"]);
    assert_eq!(
        summary(&ok("orders for user IDs 1-1000, 5% with user IDs that don't exist")),
        ["refs(user 1..=1000)", "orphans(5% user)"]
    );
}

#[test]
fn reference_list_continues_over_and_but_not_over_keywords() {
    assert_eq!(
        summary(&ok("orders for user IDs 1-5, product IDs 1-9 and store IDs: 3, 4, with notes")),
        ["refs(user 1..=5)", "refs(product 1..=9)", "refs(store [3,4])", "with(notes)"]
    );
}

#[test]
fn including_after_across_names_parents_even_after_a_comma() {
    assert_eq!(
        summary(&ok("50 products across 5 categories, including books")),
        ["across(5 categories including books)"]
    );
    // A second `including` lists values instead.
    assert_eq!(
        summary(&ok("50 products across 5 categories including books, including gift cards")),
        ["across(5 categories including books)", "values(-: gift cards)"]
    );
}

#[test]
fn values_column_only_from_known_column_nouns() {
    assert_eq!(
        summary(&ok("10 users, mix of admin, editor, and viewer roles")),
        ["values(roles: admin|editor|viewer)"]
    );
    assert_eq!(summary(&ok("10 users, mix of admin and viewer")), ["values(-: admin|viewer)"]);
    assert_eq!(summary(&ok("10 users, mix of 'gold tier', 'silver tier'")), ["values(-: gold tier|silver tier)"]);
}

#[test]
fn tail_clauses_may_follow_any_separator() {
    assert_eq!(
        summary(&ok("10 orders for user IDs 1-5, status distribution of 50% open 50% closed")),
        ["refs(user 1..=5)", "dist(status: 50% open, 50% closed)"]
    );
    assert_eq!(summary(&ok("10 orders, amounts matching order totals")), ["matching(amounts <- order totals)"]);
    assert_eq!(summary(&ok("10 events, monotonically increasing sequence numbers")), ["monotonic(sequence numbers)"]);
    assert_eq!(summary(&ok("10 events grouped by stream_id")), ["grouped(stream_id)"]);
    // Without a comma the column would be read into the subject.
    let error = err("10 orders status distribution of 60% a");
    assert_eq!(error.message, "unexpected word `distribution`");
    assert!(error.help.as_deref().unwrap().starts_with("put a comma before this clause"));
    assert_eq!(summary(&ok("10 orders with distribution of 70% a, 30% b")), ["dist(-: 70% a, 30% b)"]);
    assert_eq!(summary(&ok("10 orders, distribution of 70% a")), ["dist(-: 70% a)"]);
}

#[test]
fn shares_accept_commas_and_and_and_may_sum_under_100() {
    assert_eq!(
        summary(&ok("10 orders, 60% completed, 25% shipped, and 5% cancelled")),
        ["dist(-: 60% completed, 25% shipped, 5% cancelled)"]
    );
    assert_eq!(summary(&ok("10 orders 12.5% gift, 87.5% regular")), ["dist(-: 12.50% gift, 87.50% regular)"]);
    assert_eq!(summary(&ok("10 orders, 100% paid")), ["dist(-: 100% paid)"]);
}

#[test]
fn zero_count_is_allowed() {
    let scope = ok("0 users");
    assert_eq!(count(&scope), Some(0));
}

#[test]
fn large_counts_with_many_separators() {
    assert_eq!(count(&ok("1,000,000 events")), Some(1_000_000));
    assert_eq!(count(&ok("1000000 events")), Some(1_000_000));
}

#[test]
fn quoted_subject_and_values() {
    let scope = ok("5 'order items': 'gift wrap', plain");
    assert_eq!(scope.subject.words, ["order", "items"]);
    assert_eq!(phrases(&scope.subject_values), "gift wrap|plain");
}

#[test]
fn purpose_may_contain_keywords() {
    let scope = ok("10 orders to verify checkout with expired cards, across regions");
    assert_eq!(summary(&scope), ["purpose"]);
}

// ---- spans ---------------------------------------------------------------------

#[test]
fn spans_are_byte_offsets_of_the_right_words() {
    let text = "10 users with addresses";
    let scope = ok(text);
    assert_eq!(scope.subject.span, Span::new(3, 8));
    assert_eq!(at(text, scope.count.unwrap().span), "10");
    let Clause::With { target, span, .. } = &scope.clauses[0] else { panic!() };
    assert_eq!(at(text, target.span), "addresses");
    assert_eq!(at(text, *span), "with addresses");
}

#[test]
fn spans_in_the_full_order_scope() {
    let scope = ok(SCOPE_I);
    let text = SCOPE_I;
    assert_eq!(at(text, scope.count.unwrap().span), "8,000");
    let Clause::References { target, ids: Some(IdSelection::Range { span, .. }), span: clause_span } =
        &scope.clauses[0]
    else {
        panic!()
    };
    assert_eq!(at(text, target.span), "user");
    assert_eq!(at(text, *span), "1-1000");
    assert_eq!(at(text, *clause_span), "for user IDs 1-1000");
    let Clause::With { count: Some(range), per: Some(per), span, .. } = &scope.clauses[2] else { panic!() };
    assert_eq!(at(text, range.span), "1-5");
    assert_eq!(at(text, per.span), "order");
    assert_eq!(at(text, *span), "with 1-5 items per order");
    let Clause::Distribution { column: Some(column), shares, span } = &scope.clauses[3] else { panic!() };
    assert_eq!(at(text, column.span), "status");
    assert_eq!(at(text, shares[1].percent.span), "25%");
    assert_eq!(at(text, shares[1].value.span), "shipped");
    assert_eq!(at(text, *span), "status distribution of 60% completed 25% shipped 10% processing 5% cancelled");
    assert_eq!(at(text, scope.clauses[4].span()), "spread across the last 12 months");
    let Clause::TimeWindow { amount: 12, unit: TimeUnit::Months, .. } = scope.clauses[4] else { panic!() };
}

#[test]
fn spans_with_multibyte_text() {
    let text = "10 caf\u{e9}s with men\u{fc}s";
    let scope = ok(text);
    assert_eq!(at(text, scope.subject.span), "caf\u{e9}s");
    let Clause::With { target, .. } = &scope.clauses[0] else { panic!() };
    assert_eq!(at(text, target.span), "men\u{fc}s");
}

#[test]
fn multi_word_phrase_span_covers_line_breaks_but_text_has_one_space() {
    let text = "10 domain\n   events";
    let scope = ok(text);
    assert_eq!(scope.subject.text, "domain events");
    assert_eq!(at(text, scope.subject.span), "domain\n   events");
}

// ---- errors --------------------------------------------------------------------

fn column_of(error: &ScopeError) -> usize {
    error.column()
}

#[test]
fn display_of_a_misspelt_keyword() {
    assert_eq!(
        err("10 users wiht addresses").to_string(),
        "unexpected word `wiht` at column 10; expected `with`, `for`, `referencing`, `about`, `across`, `over`, `including`, a percentage, `,`, end of scope\n  | 10 users wiht addresses\n  |          ^^^^\n  = help: did you mean `with`?"
    );
}

#[test]
fn display_of_a_dangling_with() {
    assert_eq!(
        err("10 users with").to_string(),
        "unexpected end of scope after `with` at column 14; expected a table or column name, a count\n  | 10 users with\n  |              ^"
    );
}

#[test]
fn display_of_an_over_full_distribution() {
    assert_eq!(
        err("orders, status distribution of 60% completed 30% shipped 20% cancelled").to_string(),
        "distribution shares add up to 110%, more than 100% at column 58\n  | orders, status distribution of 60% completed 30% shipped 20% cancelled\n  |                                                          ^^^^^^^^^^^^^\n  = help: shares may add up to less than 100%; the rest is filled in, but never to more"
    );
}

#[test]
fn display_of_a_multi_line_scope_is_flattened() {
    assert_eq!(
        err("10 users\n  with 5").to_string(),
        "number `5` is not followed by what it counts at column 17; expected what to count, such as `items`\n  | 10 users   with 5\n  |                 ^"
    );
}

#[test]
fn display_of_unknown_punctuation() {
    assert_eq!(
        err("10 users & orders").to_string(),
        "unexpected character `&` at column 10; expected a word, a number, a percentage, `,`, `:`, a quoted value, a currency sign\n  | 10 users & orders\n  |          ^"
    );
}

#[test]
fn empty_scope() {
    for text in ["", "   \n\t "] {
        let error = err(text);
        assert_eq!(error.message, "empty scope");
        assert_eq!(error.expected, ["a count", "a table name"]);
        assert_eq!(column_of(&error), 1);
    }
}

#[test]
fn count_without_a_noun() {
    let error = err("10");
    assert_eq!(error.message, "number `10` is not followed by what it counts");
    assert_eq!(error.span, Span::new(0, 2));
    assert_eq!(error.expected, ["a table name"]);

    let error = err("10, users");
    assert_eq!(error.message, "unexpected `,`");
    assert_eq!(error.span, Span::new(2, 3));
}

#[test]
fn scope_must_start_with_a_count_or_a_noun() {
    let error = err("with addresses");
    assert_eq!(error.message, "unexpected word `with`");
    assert_eq!(error.expected, ["a count", "a table name"]);
    assert_eq!(err("10% users").message, "unexpected percentage `10%`");
    assert_eq!(err("1.5 users").message, "count `1.5` is not a whole number");
    assert_eq!(err("99999999999999999999 users").message, "count `99999999999999999999` is too large");
}

#[test]
fn leftover_numbers_are_errors() {
    let error = err("10 users with 5");
    assert_eq!(error.span, Span::new(14, 15));
    assert_eq!(error.message, "number `5` is not followed by what it counts");

    let error = err("10 users 5");
    assert_eq!(error.message, "unexpected number `5`");
    assert_eq!(error.span, Span::new(9, 10));

    let error = err("10 users with addresses, 5");
    assert_eq!(error.message, "number `5` is not followed by what it counts");

    let error = err("10 products with prices ranging from 5 to 500 dollars 3");
    assert_eq!(error.message, "unexpected number `3`");

    let error = err("10 users across 5");
    assert_eq!(error.message, "number `5` is not followed by what it counts");

    let error = err("orders for users 5");
    assert_eq!(error.message, "unexpected number `5`");
    assert_eq!(error.expected, ["`IDs`", "a range such as `1-1000`"]);

    let error = err("10 orders to test 3 retries");
    assert_eq!(error.message, "unexpected number `3` in a purpose");

    // `1,0000` is not a thousands separator, so `0000` is left over.
    let error = err("1,0000 users");
    assert_eq!(error.message, "unexpected `,`");
}

#[test]
fn across_needs_a_count() {
    let error = err("10 users across");
    assert_eq!(error.message, "expected a count or a time window after `across`");
    assert_eq!(error.expected, ["a count", "`the last`"]);
    assert_eq!(error.span, Span::new(15, 15));

    let error = err("10 products across categories");
    assert_eq!(error.span, Span::new(19, 29));
    assert_eq!(error.message, "expected a count or a time window after `across`");
}

#[test]
fn distributions_over_100_point_at_the_last_share() {
    let text = "10 orders, 60% a 30% b 20% c";
    let error = err(text);
    assert_eq!(at(text, error.span), "20% c");
    assert!(error.message.contains("110%"), "{}", error.message);
    assert_eq!(err("10 orders, 60.5% a 39.6% b").message, "distribution shares add up to 100.1%, more than 100%");
}

#[test]
fn duplicate_share_is_an_error() {
    let text = "10 orders, 60% open 40% Open";
    let error = err(text);
    assert_eq!(at(text, error.span), "Open");
    assert_eq!(error.message, "`Open` appears twice in the distribution");
}

#[test]
fn backwards_ranges_are_errors() {
    let text = "orders for user IDs 1-0";
    let error = err(text);
    assert_eq!(at(text, error.span), "1-0");
    assert_eq!(error.message, "range start 1 is greater than range end 0");
    assert_eq!(at("10 orders with 5-1 items", err("10 orders with 5-1 items").span), "5-1");
    let text = "10 products with prices from 500 to 5";
    assert_eq!(at(text, err(text).span), "500 to 5");
}

#[test]
fn dangling_separators_and_keywords() {
    let error = err("10 users with addresses,");
    assert_eq!(error.message, "unexpected end of scope after `,`");
    assert_eq!(err("10 users and").message, "unexpected end of scope after `and`");
    assert_eq!(err("orders for").message, "unexpected end of scope after `for`");
    assert_eq!(err("orders for users with IDs").message, "unexpected end of scope");
    assert_eq!(err("10 events over").message, "unexpected end of scope after `over`");
    assert_eq!(err("10 events over the last").message, "unexpected end of scope");
    assert_eq!(err("10 events over the last days").message, "unexpected word `days`");
    assert_eq!(err("10 events over 0 days").message, "a time window must not be empty");
    assert_eq!(err("10 orders, mix of").message, "unexpected end of scope");
    assert_eq!(err("10 orders, status distribution of").message, "unexpected end of scope");
    assert_eq!(err("10 orders, status distribution of 50%").message, "unexpected end of scope after `50%`");
    assert_eq!(err("10 orders, 10% with user IDs").expected, ["`that`"]);
    assert_eq!(err("10 orders, 10% with user IDs that exist").expected, ["`don't exist`", "`do not exist`"]);
    assert_eq!(err("10 orders, 10% with addresses").expected, ["`IDs`"]);
}

#[test]
fn bare_segment_without_a_list_to_continue() {
    let error = err("10 users, addresses");
    assert_eq!(error.message, "unexpected word `addresses`");
    assert_eq!(error.help.as_deref(), Some("start the clause with a keyword, as in `with addresses`"));
}

#[test]
fn misspelt_keywords_anywhere() {
    assert_eq!(err("10 products acros 5 categories").help.as_deref(), Some("did you mean `across`?"));
    assert_eq!(err("10 orders refrencing users").help.as_deref(), Some("did you mean `referencing`?"));
    assert_eq!(err("10 users with addresses, wtih names").help.as_deref(), Some("did you mean `with`?"));
    // Real words one letter away from a short keyword are fine.
    assert_eq!(summary(&ok("10 boxes with width")), ["with(width)"]);
    assert_eq!(summary(&ok("10 forms with fields")), ["with(fields)"]);
}

#[test]
fn text_ids_must_be_quoted_or_contain_a_digit() {
    let error = err("orders for users with IDs: abc");
    assert_eq!(error.message, "unexpected word `abc`");
    assert_eq!(error.help.as_deref(), Some("quote IDs made only of letters, as in 'abc'"));
    assert_eq!(err("orders for users with IDs: ''").message, "empty quoted ID");
}

#[test]
fn unknown_punctuation_points_at_the_character() {
    for (text, bad) in
        [("10 users | orders", "|"), ("10 users {with addresses}", "{"), ("10 users.", "."), ("5 = users", "=")]
    {
        let error = err(text);
        assert_eq!(at(text, error.span), bad, "{text}");
        assert_eq!(error.message, format!("unexpected character `{bad}`"));
    }
    assert_eq!(err("10 users with 'addresses").message, "unterminated quoted value");
    // Brackets set a clause apart, or open a list of names.
    assert_eq!(summary(&ok("10 users (with addresses)")), summary(&ok("10 users, with addresses")));
    assert_eq!(ok("3 branches (Central, Northgate and Eastfield)").subject_values.len(), 3);
    assert_eq!(err("10 users: x: y").message, "unexpected `:`");
}

#[test]
fn percentages_over_100_are_errors() {
    assert_eq!(err("10 orders, 150% with user IDs that don't exist").message, "percentage `150%` is over 100%");
}

#[test]
fn errors_carry_the_scope_text() {
    let error = err("10 users wiht addresses");
    assert_eq!(error.scope, "10 users wiht addresses");
    assert!(std::error::Error::source(&error).is_none());
}

// ---- robustness ------------------------------------------------------------------

/// Deterministic soup of grammar fragments: parsing never panics, and every
/// span, in the AST or in an error, lies on character boundaries of the text.
#[test]
fn fragment_soup_never_panics_and_spans_stay_in_bounds() {
    const FRAGMENTS: &[&str] = &[
        "10",
        "1,000",
        "1",
        ",",
        "000",
        "5",
        "0",
        "4.99",
        "-",
        "\u{2013}",
        "60%",
        "12.5%",
        "100%",
        ":",
        "'",
        "'abc'",
        "\"x y\"",
        "users",
        "orders",
        "with",
        "for",
        "about",
        "referencing",
        "across",
        "spread",
        "over",
        "including",
        "mix",
        "of",
        "to",
        "test",
        "and",
        "IDs",
        "ID",
        "that",
        "don't",
        "do",
        "not",
        "exist",
        "in",
        "upstream",
        "the",
        "last",
        "months",
        "day",
        "distribution",
        "status",
        "realistic",
        "grouping",
        "grouped",
        "by",
        "monotonic",
        "ranging",
        "from",
        "between",
        "matching",
        "after",
        "per",
        "items",
        "SKU",
        "001",
        "0190c3a4",
        "types",
        "billing",
        "shipping",
        "addresses",
        "wiht",
        "caf\u{e9}",
        "\n",
        "varied",
        "a",
        "corresponding",
        "&",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        // xorshift64*: deterministic without a dependency.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for _ in 0..30_000 {
        let len = (next() % 12) as usize;
        let mut text = String::new();
        for _ in 0..len {
            text.push_str(FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]);
            if next() % 4 != 0 {
                text.push(' ');
            }
        }
        let in_bounds =
            |span: Span| span.start <= span.end && text.is_char_boundary(span.start) && text.is_char_boundary(span.end);
        match parse(&text) {
            Ok(scope) => {
                assert!(in_bounds(scope.subject.span), "{text:?}");
                for c in &scope.clauses {
                    assert!(in_bounds(c.span()), "{text:?}: {c:?}");
                    let _ = clause(c);
                }
            }
            Err(error) => {
                assert!(in_bounds(error.span), "{text:?}: {error:?}");
                assert!(!error.message.is_empty());
                let _ = error.to_string();
            }
        }
    }
}
