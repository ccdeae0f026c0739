//! A generated value, typed enough to be written exactly (decimals as
//! scaled integers, never floats) and compared for uniqueness.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// `units / 10^scale`, exact.
    Decimal { units: i128, scale: u32 },
    Float(f64),
    Text(String),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
    Timestamptz(DateTime<Utc>),
    Uuid(uuid::Uuid),
    Json(serde_json::Value),
    Array(Vec<Value>),
}

impl Value {
    /// The value as Postgres' text input format reads it (what COPY's text
    /// format carries, before COPY's own escaping).
    pub fn to_pg_text(&self) -> Option<String> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(b) => if *b { "t" } else { "f" }.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Decimal { units, scale } => format_decimal(*units, *scale),
            Value::Float(f) => format!("{f:?}"),
            Value::Text(s) => s.clone(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Timestamp(t) => t.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
            Value::Timestamptz(t) => t.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string(),
            Value::Uuid(u) => u.to_string(),
            Value::Json(j) => j.to_string(),
            Value::Array(items) => {
                let inner: Vec<String> = items
                    .iter()
                    .map(|v| match v.to_pg_text() {
                        None => "NULL".to_string(),
                        Some(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
                    })
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
        })
    }

    /// A canonical form for uniqueness checks.
    pub fn key(&self) -> String {
        self.to_pg_text().unwrap_or_else(|| "\u{0}NULL".into())
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub fn as_timestamp(&self) -> Option<DateTime<Utc>> {
        match self {
            Value::Timestamptz(t) => Some(*t),
            Value::Timestamp(t) => Some(t.and_utc()),
            Value::Date(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
            _ => None,
        }
    }

    /// The value as a number, for comparisons between columns.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Decimal { units, scale } => Some(*units as f64 / 10f64.powi(*scale as i32)),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// A value in COPY's text format: NULL is `\N`; backslash, tab, newline
/// and carriage return are escaped. The common types are written straight
/// into `out` (no text of their own first): at a million rows the
/// allocations showed in the time per row. The text is what
/// `to_pg_text` gives, or an equal one as Postgres reads it.
pub fn encode_copy(v: &Value, out: &mut String) {
    use std::fmt::Write as _;
    use chrono::{Datelike, Timelike};
    match v {
        Value::Null => out.push_str("\\N"),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Text(s) => escape_copy(s, out),
        Value::Timestamptz(t) if (0..=9999).contains(&t.year()) && t.nanosecond() < 1_000_000_000 => {
            let _ = write!(
                out,
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                t.nanosecond() / 1000
            );
        }
        other => match other.to_pg_text() {
            None => out.push_str("\\N"),
            Some(s) => escape_copy(&s, out),
        },
    }
}

fn escape_copy(s: &str, out: &mut String) {
    if !s.bytes().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) {
        out.push_str(s);
        return;
    }
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

pub fn format_decimal(units: i128, scale: u32) -> String {
    if scale == 0 {
        return units.to_string();
    }
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    let div = 10u128.pow(scale);
    format!("{sign}{}.{:0width$}", abs / div, abs % div, width = scale as usize)
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn format_decimals_exactly() {
        assert_eq!(format_decimal(12345, 2), "123.45");
        assert_eq!(format_decimal(-5, 2), "-0.05");
        assert_eq!(format_decimal(7, 0), "7");
    }

    #[test]
    fn encode_for_copy_as_postgres_reads_the_text() {
        let t = chrono::DateTime::parse_from_rfc3339("2025-03-04T05:06:07.089Z").unwrap().with_timezone(&Utc);
        for (v, want) in [
            (Value::Timestamptz(t), "2025-03-04 05:06:07.089000+00"),
            (Value::Int(-42), "-42"),
            (Value::Text("a\tb\n".into()), "a\\tb\\n"),
            (Value::Null, "\\N"),
        ] {
            let mut out = String::new();
            encode_copy(&v, &mut out);
            assert_eq!(out, want);
        }
        let mut plain = String::new();
        encode_copy(&Value::Timestamptz(t), &mut plain);
        assert_eq!(plain, Value::Timestamptz(t).to_pg_text().unwrap());
    }

    #[test]
    fn quote_array_elements() {
        let v = Value::Array(vec![Value::Text("a b".into()), Value::Text("q\"".into()), Value::Null]);
        assert_eq!(v.to_pg_text().unwrap(), r#"{"a b","q\"",NULL}"#);
    }
}
