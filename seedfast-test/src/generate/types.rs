//! Values for the built-in and extension types the rest of the generator
//! has no model for (`SqlType::Other`, matched by type name): full-text
//! search, network addresses, geometry, ranges, bit strings, XML, hstore,
//! and the arrays of all of them. Every value is in Postgres' text input
//! form and drawn only from the column's own stream, so it is deterministic.
//!
//! Also here: what partitioned tables and exclusion constraints ask of a
//! column, since both are about where a value may fall rather than what it
//! looks like.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rand::RngExt;
use rand_pcg::Pcg64;

use super::realistic;
use super::value::Value;
use crate::error::{Error, Result};
use crate::schema::{PartitionBound, PartitionStrategy, SqlType, Table};

/// Share of nullable columns left NULL, as for every other type.
const NULL_RATE: f64 = 0.1;
/// Draws for a fresh value of a unique column before giving up.
const UNIQUE_RETRIES: usize = 50;

/// What generating one column may look at: the table, the columns already
/// generated for the same rows, and the table's time window.
pub struct Ctx<'a> {
    pub table: &'a Table,
    pub column: usize,
    pub rows: usize,
    pub columns: &'a [Option<Vec<Value>>],
    pub window: (DateTime<Utc>, DateTime<Utc>),
    /// NULL is allowed and nothing asks for the column to be filled.
    pub nullable: bool,
    pub unique: bool,
}

/// The whole column, or `None` when the type has no generator here.
pub fn column(ctx: &Ctx, type_name: &str, rng: &mut Pcg64) -> Result<Option<Vec<Value>>> {
    let name = bare(type_name);
    if name == "tsvector" {
        return Ok(Some(nullable(ctx, rng, |row, rng| {
            Value::Text(tsvector(&row_words(ctx, row, rng)))
        })));
    }
    if name == "tsquery" {
        return Ok(Some(nullable(ctx, rng, |row, rng| {
            Value::Text(tsquery(&row_words(ctx, row, rng)))
        })));
    }
    if let Some(kind) = RangeKind::of(name)
        && let Some((exclusion, equal)) = keyed_overlap(ctx.table, ctx.column)
    {
        return non_overlapping(ctx, kind, exclusion, &equal, rng).map(Some);
    }
    // A throwaway draw only asks whether the type has a generator.
    if scalar(name, ctx.window, &mut rng.clone()).is_none() {
        return Ok(None);
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(ctx.rows);
    for _ in 0..ctx.rows {
        if ctx.nullable && rng.random_bool(NULL_RATE) {
            out.push(Value::Null);
            continue;
        }
        let mut v = scalar(name, ctx.window, rng).unwrap_or_default();
        let mut tries = 0;
        while ctx.unique && !seen.insert(v.clone()) {
            tries += 1;
            if tries > UNIQUE_RETRIES {
                return Err(unsatisfiable(
                    ctx,
                    "its unique key",
                    format!("could not draw {} distinct {type_name} values", ctx.rows),
                    "seed fewer rows or drop the unique key",
                ));
            }
            v = scalar(name, ctx.window, rng).unwrap_or_default();
        }
        out.push(Value::Text(v));
    }
    Ok(Some(out))
}

/// An array of `len` elements of `inner` (already unwrapped from domains),
/// or `None` for element types the caller generates itself.
pub fn array(
    inner: &SqlType,
    len: usize,
    window: (DateTime<Utc>, DateTime<Utc>),
    rng: &mut Pcg64,
) -> Option<Value> {
    let items: Vec<Value> = match inner {
        SqlType::Other(name) => {
            let name = bare(name);
            // Arrays of boxes separate their elements with `;` (box's typdelim),
            // since a box's own text is full of commas.
            let delimiter = if name == "box" { ";" } else { "," };
            let elements: Option<Vec<String>> = (0..len)
                .map(|_| match name {
                    "tsvector" => Some(tsvector(&words(rng, 3))),
                    "tsquery" => Some(tsquery(&words(rng, 2))),
                    _ => scalar(name, window, rng),
                })
                .collect();
            let quoted: Vec<String> = elements?
                .iter()
                .map(|e| format!("\"{}\"", e.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect();
            return Some(Value::Text(format!("{{{}}}", quoted.join(delimiter))));
        }
        SqlType::Enum { labels, .. } if !labels.is_empty() => (0..len)
            .map(|_| Value::Text(labels[rng.random_range(0..labels.len())].clone()))
            .collect(),
        SqlType::Bool => (0..len)
            .map(|_| Value::Bool(rng.random_bool(0.5)))
            .collect(),
        SqlType::Uuid => (0..len)
            .map(|_| Value::Uuid(realistic::uuid(rng)))
            .collect(),
        SqlType::Numeric { scale, .. } => {
            let scale = scale.unwrap_or(2);
            (0..len)
                .map(|_| Value::Decimal {
                    units: rng.random_range(1..100_000i128),
                    scale,
                })
                .collect()
        }
        SqlType::Float4 | SqlType::Float8 => (0..len)
            .map(|_| Value::Float(rng.random_range(0..100_000) as f64 / 100.0))
            .collect(),
        SqlType::Date => (0..len)
            .map(|_| Value::Date(realistic::instant(rng, window.0, window.1).date_naive()))
            .collect(),
        SqlType::Timestamp => (0..len)
            .map(|_| Value::Timestamp(realistic::instant(rng, window.0, window.1).naive_utc()))
            .collect(),
        SqlType::Timestamptz => (0..len)
            .map(|_| Value::Timestamptz(realistic::instant(rng, window.0, window.1)))
            .collect(),
        SqlType::Time => (0..len).map(|_| Value::Text(time(rng))).collect(),
        SqlType::Json | SqlType::Jsonb => (0..len)
            .map(|_| Value::Json(realistic::json_value("", rng)))
            .collect(),
        SqlType::Bytea => (0..len).map(|_| Value::Text(bytea(rng))).collect(),
        _ => return None,
    };
    Some(Value::Array(items))
}

/// Columns a column's values are built from: a tsvector from the row's
/// text, a range under `EXCLUDE (k WITH =, r WITH &&)` from its keys.
pub fn depends_on(table: &Table, col: usize) -> Vec<usize> {
    match table.columns[col].ty.base() {
        SqlType::Other(name) if matches!(bare(name), "tsvector" | "tsquery") => {
            text_columns(table, col)
        }
        SqlType::Other(name) if RangeKind::of(bare(name)).is_some() => keyed_overlap(table, col)
            .map(|(_, eq)| eq)
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A value of a partition key column that lands in an existing partition,
/// or `None` when any value does (hash partitions, a DEFAULT partition, a
/// column that is not the key).
pub fn partition_key(
    table: &Table,
    col: usize,
    window: (DateTime<Utc>, DateTime<Utc>),
    rng: &mut Pcg64,
) -> Result<Option<Value>> {
    let Some(p) = &table.partitioning else {
        return Ok(None);
    };
    if p.key.first() != Some(&Some(col)) || p.strategy == PartitionStrategy::Hash {
        return Ok(None);
    }
    let column = &table.columns[col];
    let fail = |reason: String, help: &str| Error::Unsatisfiable {
        table: table.display_name(),
        column: column.name.clone(),
        constraint: format!("the partitions of {}", table.display_name()),
        reason,
        help: help.into(),
    };
    if p.partitions.is_empty() {
        return Err(fail(
            "the table is partitioned but has no partitions, so no row can be stored".into(),
            "create a partition (or a DEFAULT partition) first",
        ));
    }
    if p.partitions
        .iter()
        .any(|part| part.bound == PartitionBound::Default)
    {
        return Ok(None);
    }
    let ty = column.ty.base();
    if p.strategy == PartitionStrategy::List {
        let listed: Vec<&String> = p
            .partitions
            .iter()
            .filter_map(|part| {
                if let PartitionBound::List(values) = &part.bound {
                    Some(values)
                } else {
                    None
                }
            })
            .flatten()
            .flatten()
            .collect();
        if listed.is_empty() {
            return Ok(Some(Value::Null));
        }
        let pick = listed[rng.random_range(0..listed.len())];
        return Ok(Some(match ty {
            SqlType::Int2 | SqlType::Int4 | SqlType::Int8 => pick
                .parse()
                .map(Value::Int)
                .unwrap_or_else(|_| Value::Text(pick.clone())),
            _ => Value::Text(pick.clone()),
        }));
    }
    let ranges = p.partitions.iter().filter_map(|part| match &part.bound {
        PartitionBound::Range { from, to } => Some((
            part,
            from.first().cloned().flatten(),
            to.first().cloned().flatten(),
        )),
        _ => None,
    });
    match ty {
        SqlType::Date | SqlType::Timestamp | SqlType::Timestamptz => {
            // Each partition's share of the window; a bound without a time
            // (MINVALUE/MAXVALUE) is open on that side.
            let mut pieces: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
            for (_, from, to) in ranges {
                let lo = from
                    .as_deref()
                    .and_then(parse_instant)
                    .map_or(window.0, |f| f.max(window.0));
                let hi = to
                    .as_deref()
                    .and_then(parse_instant)
                    .map_or(window.1 + Duration::microseconds(1), |t| {
                        t.min(window.1 + Duration::microseconds(1))
                    });
                // `to` is exclusive; a date key needs a whole day inside.
                let hi = if *ty == SqlType::Date {
                    hi - Duration::days(1)
                } else {
                    hi - Duration::microseconds(1)
                };
                if lo <= hi {
                    pieces.push((lo, hi));
                }
            }
            if pieces.is_empty() {
                // A few bounds in full, so a long monthly series stays readable.
                let mut bounds: Vec<String> = p
                    .partitions
                    .iter()
                    .take(3)
                    .map(|part| format!("{} {}", part.name, part.definition))
                    .collect();
                if p.partitions.len() > 3 {
                    bounds.push(format!(
                        "and {} more up to {}",
                        p.partitions.len() - 3,
                        p.partitions[p.partitions.len() - 1].definition
                    ));
                }
                return Err(fail(
                    format!(
                        "the time window {} to {} misses every partition: {}",
                        window.0.format("%Y-%m-%d %H:%M:%S"),
                        window.1.format("%Y-%m-%d %H:%M:%S"),
                        bounds.join(", ")
                    ),
                    "choose a time window inside the partitions' bounds, or add a partition (or a DEFAULT partition) for it",
                ));
            }
            let total: i64 = pieces
                .iter()
                .map(|(a, b)| (*b - *a).num_microseconds().unwrap_or(0) + 1)
                .sum();
            let mut x = rng.random_range(0..total.max(1));
            let mut at = pieces[0].0;
            for (a, b) in &pieces {
                let len = (*b - *a).num_microseconds().unwrap_or(0) + 1;
                if x < len {
                    at = *a + Duration::microseconds(x);
                    break;
                }
                x -= len;
            }
            Ok(Some(match ty {
                SqlType::Date => Value::Date(at.date_naive()),
                SqlType::Timestamp => Value::Timestamp(at.naive_utc()),
                _ => Value::Timestamptz(at),
            }))
        }
        SqlType::Int2 | SqlType::Int4 | SqlType::Int8 | SqlType::Numeric { .. } => {
            let pieces: Vec<(i64, i64)> = ranges
                .filter_map(|(_, from, to)| {
                    let lo = from
                        .and_then(|f| f.parse::<f64>().ok())
                        .map_or(i32::MIN as i64, |f| f.ceil() as i64);
                    let hi = to
                        .and_then(|t| t.parse::<f64>().ok())
                        .map_or(i32::MAX as i64, |t| t.ceil() as i64 - 1);
                    (lo <= hi).then_some((lo, hi))
                })
                .collect();
            if pieces.is_empty() {
                return Ok(None);
            }
            // Near the lower end of a partition, as keys and amounts usually are.
            let (lo, hi) = pieces[rng.random_range(0..pieces.len())];
            let v = rng.random_range(lo..=hi.min(lo.saturating_add(999)));
            Ok(Some(match ty {
                SqlType::Numeric { scale, .. } => Value::Decimal {
                    units: v as i128 * 10i128.pow(scale.unwrap_or(0)),
                    scale: scale.unwrap_or(0),
                },
                _ => Value::Int(v),
            }))
        }
        // Text keys: any listed bound value is inside its own partition.
        _ => {
            let lows: Vec<String> = ranges.filter_map(|(_, from, _)| from).collect();
            Ok((!lows.is_empty())
                .then(|| Value::Text(lows[rng.random_range(0..lows.len())].clone())))
        }
    }
}

/// A JSON document whose shape its column's name implies (`tags`: an
/// array of words, `address`: street, city, ...), or `None` for the
/// generic documents of realistic.rs.
pub fn json_shape(column: &str, rng: &mut Pcg64) -> Option<serde_json::Value> {
    let c = column.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| c.contains(w));
    Some(if c.ends_with("_ids") {
        serde_json::Value::from(
            (0..rng.random_range(1..5))
                .map(|_| rng.random_range(1..1000u32))
                .collect::<Vec<_>>(),
        )
    } else if has(&["tags", "labels", "keywords", "categories", "aliases"]) {
        let n = rng.random_range(1..4);
        serde_json::Value::from(words(rng, n))
    } else if has(&["address", "location"]) {
        serde_json::json!({
            "street": realistic::text(realistic::Kind::Street, rng, 0),
            "city": realistic::text(realistic::Kind::City, rng, 0),
            "postal_code": realistic::text(realistic::Kind::PostalCode, rng, 0),
            "country": realistic::text(realistic::Kind::CountryCode, rng, 0),
        })
    } else if has(&["coordinates", "geo", "position"]) {
        serde_json::json!({ "lat": rng.random_range(-90_000..90_000) as f64 / 1000.0, "lng": rng.random_range(-180_000..180_000) as f64 / 1000.0 })
    } else if has(&["line_items", "lines", "items"]) {
        let items: Vec<serde_json::Value> = (0..rng.random_range(1..4))
            .map(|i| serde_json::json!({ "sku": format!("SKU-{:04}", rng.random_range(1..10_000u32)), "quantity": rng.random_range(1..6u8), "line": i + 1 }))
            .collect();
        serde_json::Value::from(items)
    } else {
        return None;
    })
}

/// `public.hstore` and `hstore` are the same extension type.
fn bare(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn nullable(
    ctx: &Ctx,
    rng: &mut Pcg64,
    mut f: impl FnMut(usize, &mut Pcg64) -> Value,
) -> Vec<Value> {
    (0..ctx.rows)
        .map(|row| {
            if ctx.nullable && rng.random_bool(NULL_RATE) {
                Value::Null
            } else {
                f(row, rng)
            }
        })
        .collect()
}

fn unsatisfiable(ctx: &Ctx, constraint: &str, reason: String, help: &str) -> Error {
    Error::Unsatisfiable {
        table: ctx.table.display_name(),
        column: ctx.table.columns[ctx.column].name.clone(),
        constraint: constraint.into(),
        reason,
        help: help.into(),
    }
}

/// The text columns a search document is made of: the descriptive ones when
/// the table has them (title, name, description, ...), else every text column.
fn text_columns(table: &Table, col: usize) -> Vec<usize> {
    let texts: Vec<usize> = (0..table.columns.len())
        .filter(|&c| {
            c != col
                && matches!(
                    table.columns[c].ty.base(),
                    SqlType::Text | SqlType::Varchar(_)
                )
        })
        .collect();
    const DESCRIPTIVE: &[&str] = &[
        "title",
        "name",
        "description",
        "summary",
        "body",
        "content",
        "subject",
        "headline",
        "abstract",
        "notes",
    ];
    let descriptive: Vec<usize> = texts
        .iter()
        .copied()
        .filter(|&c| {
            DESCRIPTIVE
                .iter()
                .any(|d| table.columns[c].name.to_lowercase().contains(d))
        })
        .collect();
    if descriptive.is_empty() {
        texts
    } else {
        descriptive
    }
}

/// Lowercased words of the row's text columns; random words when the row
/// has none, so a search document is never empty.
fn row_words(ctx: &Ctx, row: usize, rng: &mut Pcg64) -> Vec<String> {
    let mut out = Vec::new();
    for c in text_columns(ctx.table, ctx.column) {
        if let Some(Value::Text(s)) = ctx.columns[c].as_ref().and_then(|v| v.get(row)) {
            out.extend(
                s.split(|ch: char| !ch.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(str::to_lowercase),
            );
        }
    }
    if out.is_empty() { words(rng, 3) } else { out }
}

fn words(rng: &mut Pcg64, n: usize) -> Vec<String> {
    realistic::words(rng, n..n + 1)
        .into_iter()
        .filter_map(|v| {
            if let Value::Text(s) = v {
                Some(s.to_lowercase().replace(|c: char| !c.is_alphanumeric(), ""))
            } else {
                None
            }
        })
        .filter(|w| !w.is_empty())
        .chain(std::iter::once("item".to_string()))
        .take(n.max(1))
        .collect()
}

/// `'quick':1 'fox':2`: lexemes with their positions, as to_tsvector
/// would keep them (positions are capped by Postgres at 16383).
fn tsvector(words: &[String]) -> String {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| format!("'{}':{}", w.replace('\'', "''"), (i + 1).min(16383)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .take(3)
        .map(|w| format!("'{}'", w.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" & ")
}

fn time(rng: &mut Pcg64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        rng.random_range(0..24u8),
        rng.random_range(0..60u8),
        rng.random_range(0..60u8)
    )
}

fn bytea(rng: &mut Pcg64) -> String {
    format!(
        "\\x{}",
        (0..8)
            .map(|_| format!("{:02x}", rng.random_range(0..=255u8)))
            .collect::<String>()
    )
}

fn coord(rng: &mut Pcg64) -> f64 {
    rng.random_range(-10_000..10_000) as f64 / 100.0
}

fn point(rng: &mut Pcg64) -> String {
    format!("({},{})", coord(rng), coord(rng))
}

/// One value of a type without row context, in its text input form.
fn scalar(name: &str, window: (DateTime<Utc>, DateTime<Utc>), rng: &mut Pcg64) -> Option<String> {
    if let Some(n) = name
        .strip_prefix("bit(")
        .and_then(|s| s.strip_suffix(')'))
        .and_then(|s| s.parse::<usize>().ok())
    {
        return Some(
            (0..n)
                .map(|_| if rng.random_bool(0.5) { '1' } else { '0' })
                .collect(),
        );
    }
    if let Some(max) = name
        .strip_prefix("varbit(")
        .and_then(|s| s.strip_suffix(')'))
        .and_then(|s| s.parse::<usize>().ok())
    {
        let n = rng.random_range(1..=max.max(1));
        return Some(
            (0..n)
                .map(|_| if rng.random_bool(0.5) { '1' } else { '0' })
                .collect(),
        );
    }
    if let Some(kind) = RangeKind::of(name) {
        let (lo, hi) = kind.domain(window);
        let lower = rng.random_range(lo..hi);
        let upper = (lower + rng.random_range(1..=kind.typical_length())).min(hi);
        return Some(kind.format(lower, upper.max(lower + 1)));
    }
    if let Some(range) = name.strip_suffix("multirange") {
        let kind = RangeKind::of(&format!("{range}range"))?;
        let (lo, hi) = kind.domain(window);
        // Two disjoint pieces, the second after a gap.
        let mid = lo + (hi - lo) / 2;
        let a = rng.random_range(lo..mid.max(lo + 1));
        let b = rng.random_range(mid + 1..hi.max(mid + 2));
        return Some(format!(
            "{{{},{}}}",
            kind.format(a, (a + kind.typical_length()).min(mid).max(a + 1)),
            kind.format(b, b + kind.typical_length())
        ));
    }
    Some(match name {
        "varbit" => (0..rng.random_range(1..=16))
            .map(|_| if rng.random_bool(0.5) { '1' } else { '0' })
            .collect(),
        "inet" => {
            let host = format!(
                "{}.{}.{}.{}",
                [10, 172, 192][rng.random_range(0..3usize)],
                rng.random_range(0..=255u8),
                rng.random_range(0..=255u8),
                rng.random_range(1..=254u8)
            );
            if rng.random_bool(0.3) {
                format!("{host}/24")
            } else {
                host
            }
        }
        // A network address: the host bits below the prefix are zero.
        "cidr" => format!(
            "10.{}.{}.0/24",
            rng.random_range(0..=255u8),
            rng.random_range(0..=255u8)
        ),
        "macaddr" => mac(rng, 6),
        "macaddr8" => mac(rng, 8),
        "interval" => format!(
            "{} days {:02}:{:02}:{:02}",
            rng.random_range(0..60u8),
            rng.random_range(0..24u8),
            rng.random_range(0..60u8),
            rng.random_range(0..60u8)
        ),
        "money" => format!(
            "{}.{:02}",
            rng.random_range(1..5000u32),
            rng.random_range(0..100u8)
        ),
        "timetz" => format!("{}+00", time(rng)),
        "point" => point(rng),
        "line" => {
            // {A,B,C}: A and B are never both zero.
            let (a, b) = (rng.random_range(1..50i32), rng.random_range(-50..50i32));
            format!("{{{a},{b},{}}}", rng.random_range(-100..100i32))
        }
        "lseg" => format!("[{},{}]", point(rng), point(rng)),
        "box" => format!("{},{}", point(rng), point(rng)),
        "path" => {
            let points: Vec<String> = (0..rng.random_range(2..6usize))
                .map(|_| point(rng))
                .collect();
            if rng.random_bool(0.5) {
                format!("[{}]", points.join(","))
            } else {
                format!("({})", points.join(","))
            }
        }
        "polygon" => format!(
            "({})",
            (0..rng.random_range(3..7usize))
                .map(|_| point(rng))
                .collect::<Vec<_>>()
                .join(",")
        ),
        "circle" => format!(
            "<{},{}>",
            point(rng),
            rng.random_range(1..10_000) as f64 / 100.0
        ),
        "xml" => {
            let w = words(rng, 2);
            format!(
                "<note id=\"{}\"><title>{}</title><body>{}</body></note>",
                rng.random_range(1..100_000u32),
                w[0],
                w.join(" ")
            )
        }
        "hstore" => {
            let color = ["red", "green", "blue", "black", "white"][rng.random_range(0..5usize)];
            let size = ["S", "M", "L", "XL"][rng.random_range(0..4usize)];
            format!(
                "\"color\"=>\"{color}\", \"size\"=>\"{size}\", \"stock\"=>\"{}\"",
                rng.random_range(0..500u16)
            )
        }
        "\"char\"" => ((b'a' + rng.random_range(0..26u8)) as char).to_string(),
        "oid" | "xid" | "cid" | "regnamespace_oid" => {
            rng.random_range(16_384..4_000_000u32).to_string()
        }
        "xid8" => rng.random_range(1_000..10_000_000u64).to_string(),
        "pg_lsn" => format!(
            "{:X}/{:X}",
            rng.random_range(0..256u32),
            rng.random_range(0..u32::MAX)
        ),
        "txid_snapshot" | "pg_snapshot" => {
            let xmin = rng.random_range(1_000..1_000_000u64);
            format!("{xmin}:{}:", xmin + rng.random_range(1..100u64))
        }
        "tid" => format!(
            "({},{})",
            rng.random_range(0..10_000u32),
            rng.random_range(1..200u16)
        ),
        "jsonpath" => format!("$.{}", words(rng, 1)[0]),
        "regclass" => "pg_class".into(),
        "regtype" => ["integer", "text", "boolean", "date"][rng.random_range(0..4usize)].into(),
        "regproc" => "now".into(),
        "regprocedure" => "now()".into(),
        "regnamespace" => "public".into(),
        "regrole" => "pg_monitor".into(),
        "citext" | "name" => words(rng, 2).join(" "),
        _ => return None,
    })
}

fn mac(rng: &mut Pcg64, bytes: usize) -> String {
    // 02: a locally administered unicast address, never a real vendor's.
    std::iter::once("02".to_string())
        .chain((1..bytes).map(|_| format!("{:02x}", rng.random_range(0..=255u8))))
        .collect::<Vec<_>>()
        .join(":")
}

/// The built-in range types, each over integers in its own unit (the
/// integer itself, hundredths, days, seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RangeKind {
    Int4,
    Int8,
    Num,
    Date,
    Ts,
    Tstz,
}

impl RangeKind {
    fn of(name: &str) -> Option<RangeKind> {
        Some(match name {
            "int4range" => RangeKind::Int4,
            "int8range" => RangeKind::Int8,
            "numrange" => RangeKind::Num,
            "daterange" => RangeKind::Date,
            "tsrange" => RangeKind::Ts,
            "tstzrange" => RangeKind::Tstz,
            _ => return None,
        })
    }

    /// Where values are drawn from: the table's time window for time
    /// ranges (lower < upper, both inside), a plain span otherwise.
    fn domain(self, window: (DateTime<Utc>, DateTime<Utc>)) -> (i64, i64) {
        match self {
            RangeKind::Int4 | RangeKind::Int8 => (1, 100_000),
            RangeKind::Num => (0, 1_000_000),
            RangeKind::Date => {
                let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
                let (a, b) = (
                    (window.0.date_naive() - epoch).num_days(),
                    (window.1.date_naive() - epoch).num_days(),
                );
                (a, b.max(a + 1))
            }
            RangeKind::Ts | RangeKind::Tstz => (
                window.0.timestamp(),
                window.1.timestamp().max(window.0.timestamp() + 1),
            ),
        }
    }

    fn typical_length(self) -> i64 {
        match self {
            RangeKind::Int4 | RangeKind::Int8 => 100,
            RangeKind::Num => 10_000,
            RangeKind::Date => 14,
            RangeKind::Ts | RangeKind::Tstz => 3 * 86_400,
        }
    }

    /// `[lower,upper)`: half-open, so ranges that only touch never overlap.
    fn format(self, lower: i64, upper: i64) -> String {
        let show = |v: i64| match self {
            RangeKind::Int4 | RangeKind::Int8 => v.to_string(),
            RangeKind::Num => super::format_decimal(v as i128, 2),
            RangeKind::Date => (NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
                + Duration::days(v))
            .format("%Y-%m-%d")
            .to_string(),
            RangeKind::Ts => format!("\"{}\"", seconds(v).naive_utc().format("%Y-%m-%d %H:%M:%S")),
            RangeKind::Tstz => format!("\"{}+00\"", seconds(v).format("%Y-%m-%d %H:%M:%S")),
        };
        format!("[{},{})", show(lower), show(upper))
    }
}

fn seconds(v: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(v, 0).unwrap_or_default()
}

/// The exclusion constraint `(k1 WITH =, ..., col WITH &&)` on this range
/// column, with its equality columns.
fn keyed_overlap(table: &Table, col: usize) -> Option<(&str, Vec<usize>)> {
    table.exclusions.iter().find_map(|x| {
        x.keyed_overlap()
            .filter(|(_, r)| *r == col)
            .map(|(eq, _)| (x.name.as_str(), eq))
    })
}

/// Ranges that never overlap among rows with equal keys: each key's rows
/// split the domain into consecutive slots and take a random piece of
/// their own slot. Rows whose key has a NULL are not constrained.
fn non_overlapping(
    ctx: &Ctx,
    kind: RangeKind,
    exclusion: &str,
    equal: &[usize],
    rng: &mut Pcg64,
) -> Result<Vec<Value>> {
    let key = |row: usize| -> Option<String> {
        equal
            .iter()
            .map(|&c| {
                ctx.columns[c]
                    .as_ref()
                    .map(|v| &v[row])
                    .filter(|v| !matches!(v, Value::Null))
                    .map(Value::key)
            })
            .collect::<Option<Vec<String>>>()
            .map(|parts| parts.join("\u{1}"))
    };
    let keys: Vec<Option<String>> = (0..ctx.rows).map(key).collect();
    let mut sizes: HashMap<&str, i64> = HashMap::new();
    for k in keys.iter().flatten() {
        *sizes.entry(k.as_str()).or_insert(0) += 1;
    }
    let (lo, hi) = kind.domain(ctx.window);
    let largest = sizes.values().copied().max().unwrap_or(1);
    // Discrete units are the limit: past that the slots run after the
    // window's end rather than overlap.
    let slot = ((hi - lo) / largest).max(2);
    if matches!(kind, RangeKind::Int4) && lo + slot * largest > i32::MAX as i64 {
        return Err(unsatisfiable(
            ctx,
            &format!("EXCLUDE {exclusion}"),
            format!("{largest} rows share one key"),
            "seed fewer rows per key",
        ));
    }
    let mut next: HashMap<&str, i64> = HashMap::new();
    let mut out = Vec::with_capacity(ctx.rows);
    for k in &keys {
        let Some(k) = k else {
            let lower = rng.random_range(lo..hi);
            out.push(Value::Text(kind.format(
                lower,
                lower + rng.random_range(1..=kind.typical_length()),
            )));
            continue;
        };
        let i = next.entry(k.as_str()).or_insert(0);
        let start = lo + *i * slot;
        *i += 1;
        // A piece of the slot: starts in its first half, never past its end.
        let lower = start + rng.random_range(0..slot / 2);
        let upper =
            lower + rng.random_range(1..=(start + slot - lower).min(kind.typical_length()).max(1));
        out.push(Value::Text(kind.format(lower, upper)));
    }
    Ok(out)
}

/// A partition bound literal as an instant: a date, a timestamp, or a
/// timestamp with its offset as `pg_get_expr` prints it.
fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod should {
    use rand_pcg::Pcg64;

    use super::*;

    fn rng() -> Pcg64 {
        crate::generate::stream(7, "t", "c")
    }

    fn window() -> (DateTime<Utc>, DateTime<Utc>) {
        (
            parse_instant("2025-01-01").unwrap(),
            parse_instant("2026-01-01").unwrap(),
        )
    }

    #[test]
    fn honour_bit_lengths() {
        let mut r = rng();
        assert_eq!(scalar("bit(12)", window(), &mut r).unwrap().len(), 12);
        for _ in 0..20 {
            let v = scalar("varbit(5)", window(), &mut r).unwrap();
            assert!(
                (1..=5).contains(&v.len()) && v.chars().all(|c| c == '0' || c == '1'),
                "{v}"
            );
        }
    }

    #[test]
    fn keep_time_ranges_inside_the_window_with_lower_before_upper() {
        let mut r = rng();
        for _ in 0..50 {
            let v = scalar("daterange", window(), &mut r).unwrap();
            let (a, b) = v
                .trim_start_matches('[')
                .trim_end_matches(')')
                .split_once(',')
                .unwrap();
            assert!(a < b && a >= "2025-01-01" && b <= "2026-01-15", "{v}");
        }
    }

    #[test]
    fn read_bound_instants_with_offsets() {
        assert_eq!(
            parse_instant("2025-03-01 00:00:00+01"),
            parse_instant("2025-02-28 23:00:00")
        );
        assert_eq!(
            parse_instant("2025-03-01 05:30:00+05:30"),
            parse_instant("2025-03-01")
        );
    }

    #[test]
    fn build_search_documents_from_words() {
        assert_eq!(
            tsvector(&["quick".into(), "o'brien".into()]),
            "'quick':1 'o''brien':2"
        );
        assert_eq!(tsquery(&["a".into(), "b".into()]), "'a' & 'b'");
    }

    #[test]
    fn separate_box_array_elements_with_semicolons() {
        let Some(Value::Text(v)) = array(&SqlType::Other("box".into()), 2, window(), &mut rng())
        else {
            panic!("box array")
        };
        assert_eq!(v.matches("\";\"").count(), 1, "{v}");
    }

    #[test]
    fn leave_unknown_types_to_the_caller() {
        assert!(scalar("my_composite", window(), &mut rng()).is_none());
    }
}
