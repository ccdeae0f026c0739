//! Numbers with units: which numeric column a bound or a range is about
//! when the words name it only by its unit (`longer than 10 km`, `between
//! $100 and $500`, `of 60 minutes`), and money written in currency units
//! for a column kept in cents (`over $1000` on `total_cents` is 100000).

use super::*;

/// Currency signs and words: the value is an amount of money.
const MONEY_UNITS: &[&str] = &["$", "€", "£", "dollars", "dollar", "euros", "euro", "eur", "usd", "pounds", "gbp", "bucks"];

/// Parts of a column name that say it holds money.
const MONEY_WORDS: &[&str] = &[
    "price", "amount", "cost", "total", "fee", "fare", "salary", "balance", "revenue", "subtotal", "charge", "budget", "wage", "rent",
    "cents", "payout", "tip", "value", "pence", "premium", "deposit", "gross", "net", "pay", "income", "worth", "donation", "commission",
    "deductible", "principal", "earnings", "payment",
];

/// Words that make a `rate` column a price (`hourly_rate`, `nightly_rate`),
/// not a ratio (`interest_rate`).
const RATE_PERIODS: &[&str] = &["hourly", "daily", "nightly", "weekly", "monthly", "hour", "day", "night", "week", "month"];

/// Whether column `c` holds money, by the words of its name.
pub(super) fn is_money(t: &Table, c: usize) -> bool {
    let p = parts(t, c);
    p.iter().any(|p| MONEY_WORDS.contains(&p.as_str())) || (p.iter().any(|p| p == "rate") && p.iter().any(|p| RATE_PERIODS.contains(&p.as_str())))
}

/// Among several money columns, the one an amount with no column named
/// means: the table's own price or amount (`price_cents` over
/// `joining_fee_cents`, `monthly_fee_cents` over `setup_fee_cents`), and
/// among several of those the one named for the table's rows
/// (`amount_claimed` on `claims` over `amount_approved`). Each name scores
/// a point for a main word and for the table's noun, and loses one for
/// each word of a side charge; a tie is no answer.
pub(super) fn main_money(t: &Table, hits: &[usize]) -> Option<usize> {
    let score = |c: usize| money_score(t, c);
    let best = hits.iter().map(|&c| score(c)).max()?;
    match hits.iter().filter(|&&c| score(c) == best).collect::<Vec<_>>().as_slice() {
        [one] => Some(**one),
        _ => None,
    }
}

/// How much a money column is the table's own amount (see `main_money`).
fn money_score(t: &Table, c: usize) -> i32 {
    const MAIN: &[&str] = &["price", "amount", "total", "cost", "fare", "value", "principal", "premium", "salary", "pay", "wage", "rate"];
    const SIDE: &[&str] = &[
        "fee", "tax", "discount", "deposit", "shipping", "tip", "refund", "refunded", "paid", "approved", "min", "max", "minimum", "maximum", "original",
        "previous", "old", "list", "setup", "joining", "signup", "initial", "late", "cancellation", "penalty",
    ];
    let noun = singular(&t.name.to_lowercase());
    let noun = noun.rsplit('_').next().unwrap_or(&noun).to_string();
    let p = parts(t, c);
    let main = p.iter().any(|w| MAIN.contains(&w.as_str())) as i32;
    let own = (noun.len() >= 3 && p.iter().any(|w| w.starts_with(&noun))) as i32;
    main + own - p.iter().filter(|w| SIDE.contains(&w.as_str())).count() as i32
}

/// Spellings of a unit as column names abbreviate them.
const UNIT_ALIASES: &[(&str, &[&str])] = &[
    ("km", &["km", "kilometer", "kilometre", "kilometers", "kilometres", "kms"]),
    ("mi", &["mi", "mile", "miles"]),
    ("m", &["m", "meter", "metre", "meters", "metres"]),
    ("min", &["min", "mins", "minute", "minutes"]),
    ("sec", &["s", "sec", "secs", "second", "seconds"]),
    ("hour", &["h", "hr", "hrs", "hour", "hours"]),
    ("day", &["day", "days"]),
    ("ms", &["ms", "millisecond", "milliseconds"]),
    ("mg", &["mg", "milligram", "milligrams"]),
    ("kg", &["kg", "kilo", "kilos", "kilogram", "kilograms"]),
    ("g", &["g", "gram", "grams"]),
    ("lb", &["lb", "lbs", "pound", "pounds"]),
    ("celsius", &["c", "celsius", "degree", "degrees", "temp", "temperature"]),
    ("percent", &["percent", "pct", "percentage"]),
    ("star", &["star", "stars", "rating"]),
    ("cent", &["cent", "cents"]),
    ("byte", &["byte", "bytes"]),
    ("mb", &["mb", "megabyte", "megabytes"]),
];

/// Units of one dimension, in that dimension's base unit: `2 hours` on a
/// `duration_minutes` column is 120, `1.5 kg` on `weight_grams` is 1500.
const FACTORS: &[(&str, &str, f64)] = &[
    ("ms", "time", 0.001),
    ("sec", "time", 1.0),
    ("min", "time", 60.0),
    ("hour", "time", 3600.0),
    ("day", "time", 86_400.0),
    ("mg", "mass", 0.001),
    ("g", "mass", 1.0),
    ("kg", "mass", 1000.0),
    ("lb", "mass", 453.592_37),
    ("m", "length", 1.0),
    ("km", "length", 1000.0),
    ("mi", "length", 1609.344),
    ("byte", "data", 1.0),
    ("mb", "data", 1_048_576.0),
];

/// The unit a word spells (`minutes` → `min`), by its aliases.
fn unit_of(word: &str) -> Option<&'static str> {
    let w = word.to_lowercase();
    UNIT_ALIASES.iter().find(|(_, all)| all.contains(&w.as_str()) || all.iter().any(|a| singular(a) == singular(&w))).map(|(u, _)| *u)
}

fn factor(unit: &str) -> Option<(&'static str, f64)> {
    FACTORS.iter().find(|(u, _, _)| *u == unit).map(|(_, d, f)| (*d, *f))
}

/// The unit a column's name spells (`duration_minutes` → `min`).
fn column_unit(t: &Table, c: usize) -> Option<&'static str> {
    unit_parts(t, c).iter().find_map(|p| unit_of(p))
}

pub(super) fn is_money_unit(unit: &str) -> bool {
    MONEY_UNITS.contains(&unit.to_lowercase().as_str())
}

pub(super) fn is_numeric(t: &Table, c: usize) -> bool {
    matches!(t.columns[c].ty.base(), SqlType::Int2 | SqlType::Int4 | SqlType::Int8 | SqlType::Numeric { .. } | SqlType::Float4 | SqlType::Float8)
}

/// A key is an identity, not a measure: never what a bound is about.
fn is_key(t: &Table, c: usize) -> bool {
    t.primary_key.contains(&c) || t.foreign_keys.iter().any(|fk| fk.columns.contains(&c))
}

/// A column kept in minor units of money: `total_cents`, `price_in_cents`.
fn in_cents(t: &Table, c: usize) -> bool {
    let name = t.columns[c].name.to_lowercase();
    name == "cents" || name.ends_with("_cents") || name.ends_with("_minor") || name.ends_with("_pence") || name == "pence"
}

fn parts(t: &Table, c: usize) -> Vec<String> {
    t.columns[c].name.to_lowercase().split('_').map(singular).collect()
}

/// The parts of a name that may spell a unit: units come last
/// (`duration_minutes`, `weight_kg`), so `min_age` is no minutes column.
fn unit_parts(t: &Table, c: usize) -> Vec<String> {
    let all = parts(t, c);
    if all.len() > 1 { all[1..].to_vec() } else { all }
}

impl Resolver<'_> {
    /// The measure column of `table` a unit names: money for `$`, the
    /// column spelling the unit for `km` (`distance_km`), or the table's one
    /// measure when no unit is given. Several or none: an error listing the
    /// candidates, never a silent pick.
    pub(super) fn column_by_unit(&self, table: usize, unit: Option<&str>, span: Span) -> Result<usize> {
        let t = &self.schema.tables[table];
        let measures: Vec<usize> = (0..t.columns.len()).filter(|&c| is_numeric(t, c) && !is_key(t, c) && !t.columns[c].generated).collect();
        let hits: Vec<usize> = match unit {
            Some(u) if is_money_unit(u) => measures.iter().copied().filter(|&c| is_money(t, c)).collect(),
            Some(u) => {
                let u = u.to_lowercase();
                let spellings: Vec<&str> = UNIT_ALIASES.iter().find(|(_, all)| all.contains(&u.as_str())).map_or_else(Vec::new, |(_, all)| all.to_vec());
                measures
                    .iter()
                    .copied()
                    .filter(|&c| unit_parts(t, c).iter().any(|p| *p == singular(&u) || spellings.contains(&p.as_str()) || spellings.iter().any(|s| singular(s) == *p)))
                    .collect()
            }
            None => measures.clone(),
        };
        // `lasting 2 hours` on `duration_minutes`: a column in another unit
        // of the same dimension, converted by `unit_scale`.
        let dimension = unit.and_then(unit_of).and_then(factor).map(|(d, _)| d);
        let hits = match dimension {
            Some(d) if hits.is_empty() => {
                measures.iter().copied().filter(|&c| column_unit(t, c).and_then(factor).is_some_and(|(cd, _)| cd == d)).collect()
            }
            _ => hits,
        };
        // `more than 500 employees` on `employee_count`, `500 pages` on
        // `page_count`: a count of things, the column named by the thing.
        let hits = match unit {
            Some(u) if hits.is_empty() && !is_money_unit(u) => {
                let thing = singular(&u.to_lowercase());
                measures.iter().copied().filter(|&c| parts(t, c).first().is_some_and(|p| singular(p) == thing) && parts(t, c).iter().any(|p| ["count", "number", "num", "total", "qty"].contains(&p.as_str()))).collect()
            }
            _ => hits,
        };
        if let [one] = hits.as_slice() {
            return Ok(*one);
        }
        // `weighing 500 kg` on `quantity_kg` beside `price_per_kg`: a rate
        // per unit holds no amount of it.
        if let Some(u) = unit.filter(|u| !is_money_unit(u)) {
            let u = singular(&u.to_lowercase());
            let amounts: Vec<usize> = hits.iter().copied().filter(|&c| !t.columns[c].name.to_lowercase().contains(&format!("per_{u}"))).collect();
            if let [one] = amounts.as_slice() {
                return Ok(*one);
            }
        }
        if unit.is_some_and(|u| is_money_unit(u) || ["cents", "cent", "pence", "penny"].contains(&u.to_lowercase().as_str()))
            && let Some(one) = main_money(t, &hits)
        {
            return Ok(one);
        }
        // `loans of 5,000 to 20,000`: no unit, and one column of money.
        if unit.is_none()
            && let [one] = hits.iter().copied().filter(|&c| is_money(t, c)).collect::<Vec<_>>().as_slice()
        {
            return Ok(*one);
        }
        let what = match unit {
            Some(u) if is_money_unit(u) => "an amount of money".to_string(),
            Some(u) => format!("`{u}`"),
            None => "this number".to_string(),
        };
        let mut e = self.err(span, if hits.is_empty() {
            format!("no number column of `{}` holds {what}", t.display_name())
        } else {
            format!("{what} fits several columns of `{}`", t.display_name())
        });
        let listed = if hits.is_empty() { &measures } else { &hits };
        e.expected = listed.iter().map(|&c| format!("`{}`", t.columns[c].name)).collect();
        let example = listed.first().map_or("price".to_string(), |&c| t.columns[c].name.replace('_', " "));
        Err(e.help(format!("name the column, as in `with {example} between 10 and 20`")).into())
    }

    /// `paying between $100,000 and $150,000`: a money range over a
    /// table whose money is a pair of bounds (`salary_min`, `salary_max`).
    pub(super) fn money_pair(&self, table: usize, unit: Option<&str>) -> Option<(usize, usize)> {
        let t = &self.schema.tables[table];
        if !unit.is_some_and(is_money_unit) {
            return None;
        }
        let money: Vec<usize> = (0..t.columns.len()).filter(|&c| is_numeric(t, c) && !is_key(t, c) && is_money(t, c)).collect();
        let rest = |c: usize, bound: &[&str]| -> Option<Vec<String>> {
            let p = parts(t, c);
            p.iter().any(|w| bound.contains(&w.as_str())).then(|| p.into_iter().filter(|w| !bound.contains(&w.as_str())).collect())
        };
        let lows: Vec<(usize, Vec<String>)> = money.iter().filter_map(|&c| rest(c, &["min", "minimum", "from", "low"]).map(|r| (c, r))).collect();
        let highs: Vec<(usize, Vec<String>)> = money.iter().filter_map(|&c| rest(c, &["max", "maximum", "to", "high"]).map(|r| (c, r))).collect();
        let pairs: Vec<(usize, usize)> = lows.iter().flat_map(|(l, lr)| highs.iter().filter(move |(_, hr)| hr == lr).map(move |(h, _)| (*l, *h))).collect();
        // Only when no other money is the table's own amount: a `price`
        // beside a pay band takes `between $10 and $20` itself.
        let [(low, high)] = pairs.as_slice() else { return None };
        money.iter().filter(|&&c| c != *low && c != *high).all(|&c| money_score(t, c) <= 0).then_some((*low, *high))
    }

    /// The measure column a word names by its name (`stars`) or its unit
    /// (`minutes` for `duration_minutes`).
    pub(super) fn measure_by_word(&self, table: usize, word: &str, span: Span) -> Result<usize> {
        let t = &self.schema.tables[table];
        let w = singular(&word.to_lowercase());
        let named: Vec<usize> = (0..t.columns.len()).filter(|&c| is_numeric(t, c) && !is_key(t, c) && singular(&t.columns[c].name.to_lowercase()) == w).collect();
        if let [one] = named.as_slice() {
            return Ok(*one);
        }
        // `rated 5`: the verb's stem starts the column's name (`rating`).
        let stems: Vec<String> = word_stems(word).into_iter().filter(|s| s.len() >= 3).collect();
        let by_verb: Vec<usize> = (0..t.columns.len()).filter(|&c| is_numeric(t, c) && !is_key(t, c) && stems.iter().any(|s| squash(&t.columns[c].name).starts_with(s.as_str()))).collect();
        match by_verb.as_slice() {
            [one] if word.ends_with("ed") => Ok(*one),
            _ => self.column_by_unit(table, Some(word), span).or_else(|e| {
                // `2 stars` on `rating`: the words people score things in.
                let scored = ["star", "point", "mark"].contains(&w.as_str());
                let ratings: Vec<usize> = (0..t.columns.len())
                    .filter(|&c| is_numeric(t, c) && !is_key(t, c) && t.columns[c].name.to_lowercase().split('_').any(|p| ["rating", "stars", "score"].contains(&p)))
                    .collect();
                match (scored, ratings.as_slice()) {
                    (true, [one]) => Ok(*one),
                    _ => Err(e),
                }
            }),
        }
    }

    /// What one unit written in the scope is in the column: 100 for money
    /// in currency units (`$20`) stored in cents, 60 for hours written on a
    /// minutes column, else 1.
    pub(super) fn unit_scale(&self, table: usize, col: usize, unit: Option<&str>) -> f64 {
        let t = &self.schema.tables[table];
        if unit.is_some_and(is_money_unit) {
            return if in_cents(t, col) { 100.0 } else { 1.0 };
        }
        let written = unit.and_then(unit_of).and_then(factor);
        let stored = column_unit(t, col).and_then(factor);
        match (written, stored) {
            (Some((d1, f1)), Some((d2, f2))) if d1 == d2 => f1 / f2,
            _ => 1.0,
        }
    }

    /// `priced between €5 and €50` on a table with a currency column: the
    /// amounts are in euros, so the rows are too (`currency = 'EUR'`), unless
    /// a clause already set the currency.
    pub(super) fn currency_of_unit(&mut self, table: usize, unit: Option<&str>, span: Span) -> Result<()> {
        let code = match unit.map(str::to_lowercase).as_deref() {
            Some("€" | "euro" | "euros" | "eur") => "EUR",
            Some("$" | "dollar" | "dollars" | "usd" | "bucks") => "USD",
            Some("£" | "pound" | "pounds" | "gbp") => "GBP",
            _ => return Ok(()),
        };
        let t = &self.schema.tables[table];
        let Some(col) = (0..t.columns.len()).find(|&c| ["currency", "currency_code", "ccy"].contains(&t.columns[c].name.to_lowercase().as_str())) else { return Ok(()) };
        if !matches!(t.columns[col].ty.base(), SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_)) || self.planned(table).is_some_and(|p| p.rules.contains_key(&col)) {
            return Ok(());
        }
        let allowed = allowed_values(t, col);
        match match_value(code, &allowed) {
            Some(v) => self.set_rule(table, col, Rule::Mix(vec![v.clone()]), span),
            None if allowed.is_empty() => self.set_rule(table, col, Rule::Mix(vec![code.to_string()]), span),
            None => Ok(()),
        }
    }

    /// `built 2020 or later` on a table with one `year` column: the verb
    /// names no column, but the value is a year and one column holds years.
    pub(super) fn year_column(&self, table: usize, value: f64) -> Option<usize> {
        let t = &self.schema.tables[table];
        if !(1000.0..=9999.0).contains(&value) || value.fract() != 0.0 {
            return None;
        }
        let years: Vec<usize> = (0..t.columns.len()).filter(|&c| is_numeric(t, c) && !is_key(t, c) && parts(t, c).iter().any(|p| p == "year")).collect();
        match years.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}
