//! Scopes in everyday words: what each construct parses to, the golden
//! messages of refused phrasings, a fuzz loop over word soup and random
//! bytes, and the parser staying linear in the scope's length.

use std::time::{Duration, Instant};

use seedfast_scope::{Affix, Clause, Date, Period, Portion, TimeUnit, parse};

fn clauses(text: &str) -> Vec<Clause> {
    parse(text)
        .unwrap_or_else(|e| panic!("`{text}` should parse:\n{e}"))
        .clauses
}

fn shares(text: &str) -> Vec<(Portion, String)> {
    match clauses(text).into_iter().next() {
        Some(Clause::Distribution { shares, .. }) => shares
            .into_iter()
            .map(|s| (s.portion, s.value.text))
            .collect(),
        other => panic!("`{text}`: expected shares, got {other:?}"),
    }
}

#[test]
fn articles_and_number_words_are_counts() {
    for (text, n) in [
        ("a dozen tickets", 12),
        ("an invoice", 1),
        ("one admin user", 1),
        ("twenty five users", 25),
        ("two hundred users", 200),
        ("a couple of users", 2),
        ("three dozen eggs", 36),
    ] {
        assert_eq!(parse(text).unwrap().count.unwrap().value, n, "{text}");
    }
    assert_eq!(
        parse("one admin user").unwrap().subject.words,
        ["admin", "user"]
    );
}

#[test]
fn shares_in_words() {
    assert_eq!(
        shares("60 tickets, a third of them urgent"),
        [(Portion::Fraction { num: 1, den: 3 }, "urgent".into())]
    );
    assert_eq!(
        shares("40 products, 7 of them discontinued"),
        [(Portion::Rows(7), "discontinued".into())]
    );
    assert_eq!(
        shares("40 products, seven of them discontinued"),
        [(Portion::Rows(7), "discontinued".into())]
    );
    assert_eq!(
        shares("200 tickets where 30% are urgent and the rest normal"),
        [
            (Portion::Percent(3000), "urgent".into()),
            (Portion::Rest, "normal".into())
        ]
    );
    assert_eq!(
        shares("120 tasks: a third done, the rest open"),
        [
            (Portion::Fraction { num: 1, den: 3 }, "done".into()),
            (Portion::Rest, "open".into())
        ]
    );
    assert_eq!(
        shares("60 alerts: two thirds critical, the remainder warning"),
        [
            (Portion::Fraction { num: 2, den: 3 }, "critical".into()),
            (Portion::Rest, "warning".into())
        ]
    );
    // Numbers as values, for a smallint status.
    let Clause::Distribution { shares, .. } =
        &clauses("100 devices with status distribution of 70% 4 20% 2 10% 1")[0]
    else {
        panic!()
    };
    assert_eq!(
        shares
            .iter()
            .map(|s| s.value.text.as_str())
            .collect::<Vec<_>>(),
        ["4", "2", "1"]
    );
    // Shares followed by more clauses.
    let cs = clauses(
        "50 tickets, 60% open 40% closed, with 5% referencing customer IDs that don't exist",
    );
    assert!(
        matches!(&cs[1], Clause::Orphans { percent, .. } if percent.hundredths == 500),
        "{cs:?}"
    );
}

#[test]
fn nulls_names_domains() {
    assert!(
        matches!(&clauses("60 contacts, 40% without email addresses")[0], Clause::Nulls { portion: Portion::Percent(4000), column, .. } if column.words == ["email", "addresses"])
    );
    assert!(matches!(
        &clauses("50 contacts, half of them without phones")[0],
        Clause::Nulls {
            portion: Portion::Fraction { num: 1, den: 2 },
            ..
        }
    ));
    assert!(
        matches!(&clauses("6 employees named Bob")[0], Clause::Affix { value, affix: Affix::Prefix, .. } if value.text == "Bob")
    );
    assert!(
        matches!(&clauses("20 contacts with emails at example.org")[0], Clause::Affix { value, affix: Affix::Domain, column: Some(c), .. } if value.text == "example.org" && c.words == ["emails"])
    );
}

#[test]
fn per_parent_and_nested_counts() {
    let cs = clauses("8 customers, each with a home and a work address");
    let targets: Vec<String> = cs
        .iter()
        .map(|c| match c {
            Clause::With { target, count, .. } => format!("{} {}", count.unwrap().min, target.text),
            _ => panic!(),
        })
        .collect();
    assert_eq!(targets, ["1 home address", "1 work address"]);
    let cs = clauses("20 customers with 1-3 orders each, every order with 1-5 lines");
    assert!(
        matches!(&cs[1], Clause::With { target, per: Some(per), .. } if target.text == "lines" && per.text == "order"),
        "{cs:?}"
    );
}

#[test]
fn periods_and_their_verbs() {
    let period = |text: &str| match clauses(text).into_iter().next() {
        Some(Clause::Period { column, period, .. }) => (column.map(|c| c.text), period),
        other => panic!("`{text}`: {other:?}"),
    };
    assert_eq!(
        period("40 events in the last 3 days"),
        (
            None,
            Period::Last {
                amount: 3,
                unit: TimeUnit::Days
            }
        )
    );
    assert_eq!(
        period("40 events in the last 24 hours"),
        (
            None,
            Period::Last {
                amount: 24,
                unit: TimeUnit::Hours
            }
        )
    );
    assert_eq!(period("30 orders in 2025"), (None, Period::Year(2025)));
    assert_eq!(
        period("30 orders placed since March 2025"),
        (
            Some("placed".into()),
            Period::Since(Date {
                year: 2025,
                month: 3,
                day: 1
            })
        )
    );
    assert_eq!(
        period("30 orders shipped in March 2025"),
        (
            Some("shipped".into()),
            Period::Month {
                year: 2025,
                month: 3
            }
        )
    );
    assert_eq!(
        period("25 orders placed between 2024-05-01 and 2024-05-31"),
        (
            Some("placed".into()),
            Period::Between {
                from: Date {
                    year: 2024,
                    month: 5,
                    day: 1
                },
                to: Date {
                    year: 2024,
                    month: 5,
                    day: 31
                }
            }
        )
    );
    assert_eq!(
        period("30 events created over the past 2 weeks"),
        (
            Some("created".into()),
            Period::Last {
                amount: 2,
                unit: TimeUnit::Weeks
            }
        )
    );
}

#[test]
fn strict_bounds_leave_their_number_out() {
    for (text, strict) in [
        ("venues with a capacity over 5000", true),
        ("trips shorter than 10 km", true),
        ("products under $20", true),
        ("payments of at least $20", false),
        ("houses built 2018 or later", false),
        ("accounts with seats of at most 5", false),
    ] {
        let found = clauses(text).into_iter().find_map(|c| match c {
            Clause::Bound { strict, .. } => Some(strict),
            _ => None,
        });
        assert_eq!(found, Some(strict), "{text}");
    }
}

#[test]
fn money_and_bounds() {
    let bound = |text: &str| match clauses(text).into_iter().next() {
        Some(Clause::Bound {
            column,
            lower,
            upper,
            ..
        }) => (
            column.map(|c| c.text),
            lower.map(|n| n.text),
            upper.map(|n| n.text),
        ),
        other => panic!("`{text}`: {other:?}"),
    };
    assert_eq!(
        bound("50 products under 100 dollars"),
        (None, None, Some("100".into()))
    );
    assert_eq!(
        bound("30 houses built 2018 or later"),
        (Some("built".into()), Some("2018".into()), None)
    );
    assert_eq!(
        bound("15 payments of at least $20"),
        (None, Some("20".into()), None)
    );
    let unit = |text: &str| match clauses(text).into_iter().next() {
        Some(Clause::Bound { unit, .. } | Clause::Range { unit, .. }) => unit,
        other => panic!("`{text}`: {other:?}"),
    };
    // The unit word or the currency sign travels with the bound: it can
    // name the column (`km` for `distance_km`, `$` for the money column).
    assert_eq!(unit("30 trips longer than 10 km"), Some("km".into()));
    assert_eq!(unit("15 payments of at least $20"), Some("$".into()));
    assert_eq!(unit("30 products under 10 dollars"), Some("dollars".into()));
    assert_eq!(unit("15 bills between $100 and $500"), Some("$".into()));
    assert_eq!(unit("25 readings between 10 and 20 celsius"), Some("celsius".into()));
    assert!(matches!(&clauses("15 bills between $100 and $500")[0], Clause::Range { column: None, .. }));
    assert!(seedfast_scope::parse("15 bills between 100 and 500").is_err(), "a bare range names no column");
    for text in [
        "50 products priced between €5 and €50",
        "50 books priced $15 to $30",
    ] {
        assert!(
            matches!(&clauses(text)[0], Clause::Range { column: Some(column), .. } if column.text == "priced"),
            "{text}"
        );
    }
}

#[test]
fn lists_unquoted_codes_and_named_parents() {
    let cs = clauses("30 orders for customers with IDs: ALFKI, BONAP");
    assert!(
        matches!(&cs[0], Clause::References { ids: Some(seedfast_scope::IdSelection::List { ids, .. }), .. } if ids.len() == 2 && ids[1].text == "BONAP")
    );
    let cs = clauses("40 products in 3 categories: books, games and music");
    assert!(
        matches!(&cs[0], Clause::Across { count, named, .. } if count.value == 3 && named.len() == 3)
    );
}

/// Golden messages: the error at the word, with what would work.
#[test]
fn refused_phrasings_have_golden_messages() {
    let cases = [
        (
            "200 tickets where urgent",
            "unexpected word `urgent` after `where` at column 19; expected a share such as `30% are urgent`\n  | 200 tickets where urgent\n  |                   ^^^^^^\n  = help: write the shares as `where 30% are urgent and the rest normal`",
        ),
        (
            "60 tickets: a third urgent, the rest normal, the rest low",
            "`the rest` appears twice in the distribution at column 46\n  | 60 tickets: a third urgent, the rest normal, the rest low\n  |                                              ^^^^^^^^^^^^\n  = help: give one value to the rest, and the others a share each",
        ),
        (
            "60 tickets: two thirds urgent, half normal",
            "distribution shares add up to 116.66%, more than 100% at column 32\n  | 60 tickets: two thirds urgent, half normal\n  |                                ^^^^^^^^^^^\n  = help: shares may add up to less than 100%; the rest is filled in, but never to more",
        ),
        (
            "20 boards, every board 3 lists",
            "unexpected number `3` after `board` at column 24; expected `with`\n  | 20 boards, every board 3 lists\n  |                        ^",
        ),
        (
            "10 employees named",
            "unexpected end of scope after `named` at column 19; expected a name, such as `Bob`\n  | 10 employees named\n  |                   ^",
        ),
    ];
    for (text, golden) in cases {
        let error = parse(text).expect_err(text);
        assert_eq!(error.to_string(), golden, "{text}");
    }
}

/// A small deterministic generator, so the fuzz loop needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn word_soup_and_random_bytes_never_panic() {
    const WORDS: &[&str] = &[
        // several tables, labels, `all of them`, lists, names, day ranges
        "whom",
        "exactly",
        "precisely",
        "Downtown",
        "ECO7",
        "IN",
        "GB",
        "-",
        "called",
        "Priya",
        "longer",
        "June",
        "15",
        "1-3",
        "mix",
        "don't",
        "yet",
        "forty",
        "who",
        "that",
        "which",
        "have",
        "been",
        "having",
        "holding",
        "apiece",
        "between",
        "or",
        "no",
        "lasting",
        "worth",
        "run",
        "for",
        "checked",
        "out",
        "whose",
        "end",
        "@example.org",
        "gmail.com",
        "split",
        "evenly",
        "spread",
        "over",
        "belonging",
        "to",
        "night",
        "all",
        "rated",
        "350k",
        "1.5m",
        ";",
        "transit",
        "10",
        "a",
        "an",
        "one",
        "dozen",
        "half",
        "third",
        "thirds",
        "two",
        "the",
        "rest",
        "of",
        "them",
        "where",
        "are",
        "each",
        "every",
        "with",
        "per",
        "named",
        "at",
        "example.org",
        "without",
        "in",
        "last",
        "past",
        "3",
        "days",
        "hours",
        "since",
        "March",
        "2025",
        "2024-05-01",
        "between",
        "and",
        "before",
        "placed",
        "priced",
        "built",
        "or",
        "later",
        "under",
        "over",
        "$",
        "€",
        "5",
        "4.99",
        "60%",
        "0.5%",
        "100%",
        "IDs",
        ":",
        "ALFKI",
        ",",
        "-",
        "orders",
        "users",
        "status",
        "distribution",
        "mix",
        "to",
        "across",
        "for",
        "referencing",
        "that",
        "don't",
        "exist",
        "'q'",
        "at",
        "least",
        "more",
        "than",
        "7",
        "1-5",
        "2024-13-40",
        "Feb",
        "29",
        "2023",
        "whose",
        "of",
        "which",
        "seven",
        "quarter",
    ];
    let mut rng = Lcg(7);
    for _ in 0..20_000 {
        let n = 1 + rng.next() as usize % 14;
        let text: Vec<&str> = (0..n)
            .map(|_| WORDS[rng.next() as usize % WORDS.len()])
            .collect();
        let text = text.join(if rng.next() % 5 == 0 { "" } else { " " });
        check_spans(&text);
    }
    for _ in 0..5_000 {
        let n = rng.next() as usize % 40;
        let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        check_spans(&String::from_utf8_lossy(&bytes));
    }
}

fn check_spans(text: &str) {
    match parse(text) {
        Ok(scope) => {
            for c in &scope.clauses {
                let span = c.span();
                assert!(
                    span.start <= span.end
                        && span.end <= text.len()
                        && text.is_char_boundary(span.start),
                    "`{text}`: {span:?}"
                );
            }
        }
        Err(e) => {
            assert!(e.span.end <= text.len(), "`{text}`: {:?}", e.span);
            let _ = e.to_string();
        }
    }
}

/// Lists of names, counted tables and labelled parents stay linear too.
#[test]
fn lists_of_names_and_tables_stay_linear() {
    let time = |n: usize| {
        let names = (0..n).map(|i| format!("Name{i}")).collect::<Vec<_>>().join(", ");
        let tables = (0..n).map(|i| format!("exactly {i} t{i}")).collect::<Vec<_>>().join(" and ");
        let text = format!("branches named {names} and Last, {tables}, all at the Downtown location");
        let started = Instant::now();
        let _ = parse(&text);
        (started.elapsed(), text.len())
    };
    let (small, _) = time(2_000);
    let (large, bytes) = time(32_000);
    assert!(bytes > 500_000, "{bytes}");
    // Sixteen times the input: linear is ~16x, quadratic ~256x.
    assert!(large < small * 60 + Duration::from_millis(200), "2k took {small:?}, 32k took {large:?}");
    assert!(large < Duration::from_secs(20), "{large:?}");
}

/// The duplicate-share check once made a 1 MB scope of shares take 20 s.
#[test]
fn parsing_stays_linear_in_the_scope_length() {
    let time = |shares: usize| {
        let text = format!(
            "10 tickets, {}",
            (0..shares)
                .map(|i| format!("0.01% v{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let started = Instant::now();
        let _ = parse(&text);
        (started.elapsed(), text.len())
    };
    let (small, _) = time(5_000);
    let (large, bytes) = time(80_000);
    assert!(bytes > 1_000_000, "{bytes}");
    // Sixteen times the input: linear is ~16x, quadratic ~256x.
    assert!(
        large < small * 60 + Duration::from_millis(200),
        "5k shares took {small:?}, 80k took {large:?}"
    );
    assert!(large < Duration::from_secs(10), "{large:?}");
}
