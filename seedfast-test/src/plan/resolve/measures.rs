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
    "cents", "payout", "tip",
];

/// Spellings of a unit as column names abbreviate them.
const UNIT_ALIASES: &[(&str, &[&str])] = &[
    ("km", &["km", "kilometer", "kilometre", "kilometers", "kilometres", "kms"]),
    ("mi", &["mi", "mile", "miles"]),
    ("m", &["m", "meter", "metre", "meters", "metres"]),
    ("min", &["min", "mins", "minute", "minutes"]),
    ("sec", &["s", "sec", "secs", "second", "seconds"]),
    ("hour", &["h", "hr", "hrs", "hour", "hours"]),
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
    name == "cents" || name.ends_with("_cents") || name.ends_with("_minor")
}

fn parts(t: &Table, c: usize) -> Vec<String> {
    t.columns[c].name.to_lowercase().split('_').map(singular).collect()
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
            Some(u) if is_money_unit(u) => measures.iter().copied().filter(|&c| parts(t, c).iter().any(|p| MONEY_WORDS.contains(&p.as_str()))).collect(),
            Some(u) => {
                let u = u.to_lowercase();
                let spellings: Vec<&str> = UNIT_ALIASES.iter().find(|(_, all)| all.contains(&u.as_str())).map_or_else(Vec::new, |(_, all)| all.to_vec());
                measures
                    .iter()
                    .copied()
                    .filter(|&c| parts(t, c).iter().any(|p| *p == singular(&u) || spellings.contains(&p.as_str()) || spellings.iter().any(|s| singular(s) == *p)))
                    .collect()
            }
            None => measures.clone(),
        };
        if let [one] = hits.as_slice() {
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

    /// The measure column a word names by its name (`stars`) or its unit
    /// (`minutes` for `duration_minutes`).
    pub(super) fn measure_by_word(&self, table: usize, word: &str, span: Span) -> Result<usize> {
        let t = &self.schema.tables[table];
        let w = singular(&word.to_lowercase());
        let named: Vec<usize> = (0..t.columns.len()).filter(|&c| is_numeric(t, c) && !is_key(t, c) && singular(&t.columns[c].name.to_lowercase()) == w).collect();
        match named.as_slice() {
            [one] => Ok(*one),
            _ => self.column_by_unit(table, Some(word), span),
        }
    }

    /// What one unit written in the scope is in the column: 100 for money
    /// in currency units (`$20`) stored in cents, else 1.
    pub(super) fn money_scale(&self, table: usize, col: usize, unit: Option<&str>) -> f64 {
        let t = &self.schema.tables[table];
        if unit.is_some_and(is_money_unit) && in_cents(t, col) { 100.0 } else { 1.0 }
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
