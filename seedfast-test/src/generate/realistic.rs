//! Realistic values chosen by a column's name and type: emails look like
//! emails, prices like prices. The kind is decided once per column; each
//! row then costs one call into `fake` with the column's own random stream.

use chrono::{DateTime, Duration, Utc};
use fake::Fake;
use fake::faker::address::en::{BuildingNumber, CityName, CountryCode, CountryName, StateName, StreetName};
use fake::faker::company::en::{Buzzword, CompanyName};
use fake::faker::internet::en::Username;
use fake::faker::lorem::en::{Sentence, Word, Words};
use fake::faker::name::en::{FirstName, LastName, Name};
use fake::faker::phone_number::en::PhoneNumber;
use rand::RngExt;
use rand_pcg::Pcg64;
use serde_json::json;

use super::value::Value;
use crate::schema::SqlType;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Email,
    FirstName,
    LastName,
    PersonName,
    ProductName,
    Username,
    Phone,
    Street,
    City,
    State,
    PostalCode,
    CountryCode,
    Country,
    Company,
    Url,
    Sku,
    Code,
    Slug,
    Prose,
    Title,
    Currency,
    Language,
    Warehouse,
    Money,
    Quantity,
    BirthDate,
    Generic,
}

const PEOPLE_TABLES: &[&str] = &["user", "customer", "person", "people", "employee", "member", "author", "contact", "account", "profile", "student"];

pub fn kind_of(table: &str, column: &str, ty: &SqlType) -> Kind {
    let c = column.to_lowercase();
    let t = table.to_lowercase();
    let has = |w: &str| c.split('_').any(|p| p == w);
    let textual = matches!(ty.base(), SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_));
    let numeric = matches!(ty.base(), SqlType::Numeric { .. } | SqlType::Float4 | SqlType::Float8 | SqlType::Int2 | SqlType::Int4 | SqlType::Int8);
    if numeric {
        if ["price", "amount", "total", "cost", "subtotal", "balance", "fee", "revenue"].iter().any(|w| has(w)) {
            return Kind::Money;
        }
        if ["quantity", "qty", "stock", "count"].iter().any(|w| has(w)) {
            return Kind::Quantity;
        }
        return Kind::Generic;
    }
    if matches!(ty.base(), SqlType::Date) && (has("birth") || has("dob") || c == "born" || c == "birthday") {
        return Kind::BirthDate;
    }
    if !textual {
        return Kind::Generic;
    }
    match () {
        _ if has("email") => Kind::Email,
        _ if c == "first_name" || c == "firstname" || c == "given_name" => Kind::FirstName,
        _ if c == "last_name" || c == "lastname" || c == "surname" || c == "family_name" => Kind::LastName,
        _ if has("username") || has("nick") || has("nickname") || has("handle") || c == "display_name" => Kind::Username,
        _ if has("phone") || has("mobile") => Kind::Phone,
        _ if has("street") || c == "address" || c.starts_with("address_line") => Kind::Street,
        _ if has("city") || has("town") => Kind::City,
        _ if has("state") || has("province") || has("region") => Kind::State,
        _ if has("zip") || has("postal") || has("postcode") => Kind::PostalCode,
        _ if has("country") && matches!(ty.base(), SqlType::Char(_)) => Kind::CountryCode,
        _ if has("country") => Kind::Country,
        _ if has("company") || has("organization") || has("employer") => Kind::Company,
        _ if has("url") || has("website") || has("link") || has("homepage") => Kind::Url,
        _ if has("sku") => Kind::Sku,
        _ if has("slug") => Kind::Slug,
        _ if has("currency") => Kind::Currency,
        _ if has("language") || has("locale") || has("lang") => Kind::Language,
        _ if has("warehouse") || has("location") => Kind::Warehouse,
        _ if has("code") || matches!(ty.base(), SqlType::Char(_)) => Kind::Code,
        _ if ["description", "bio", "body", "message", "comment", "note", "notes", "summary", "content", "reason", "details"]
            .iter()
            .any(|w| has(w)) =>
        {
            Kind::Prose
        }
        _ if has("subject") || has("title") || has("headline") => Kind::Title,
        _ if c == "name" || c == "full_name" || c.ends_with("_name") => {
            if PEOPLE_TABLES.iter().any(|p| t.contains(p)) { Kind::PersonName } else { Kind::ProductName }
        }
        _ => Kind::Generic,
    }
}

/// One text value of the given kind (before length and uniqueness fitting).
pub fn text(kind: Kind, rng: &mut Pcg64, row: usize) -> String {
    match kind {
        Kind::Email => {
            let first: String = FirstName().fake_with_rng(rng);
            let last: String = LastName().fake_with_rng(rng);
            email(&first, &last, rng)
        }
        Kind::FirstName => FirstName().fake_with_rng(rng),
        Kind::LastName => LastName().fake_with_rng(rng),
        Kind::PersonName => Name().fake_with_rng(rng),
        Kind::ProductName => {
            let adjective: String = Buzzword().fake_with_rng(rng);
            let noun: String = Word().fake_with_rng(rng);
            format!("{} {}", capitalise(&adjective), capitalise(&noun))
        }
        Kind::Username => {
            let name: String = Username().fake_with_rng(rng);
            name
        }
        Kind::Phone => PhoneNumber().fake_with_rng(rng),
        Kind::Street => {
            let number: String = BuildingNumber().fake_with_rng(rng);
            let street: String = StreetName().fake_with_rng(rng);
            format!("{number} {street}")
        }
        Kind::City => CityName().fake_with_rng(rng),
        Kind::State => StateName().fake_with_rng(rng),
        Kind::PostalCode => format!("{:05}", rng.random_range(501..99951u32)),
        Kind::CountryCode => CountryCode().fake_with_rng(rng),
        Kind::Country => CountryName().fake_with_rng(rng),
        Kind::Company => CompanyName().fake_with_rng(rng),
        Kind::Url => {
            let word: String = Word().fake_with_rng(rng);
            format!("https://example.com/{}/{}", ascii_lower(&word), rng.random_range(1..100_000u32))
        }
        Kind::Sku => format!("SKU-{:06}-{:03}", row + 1, rng.random_range(0..1000u16)),
        Kind::Code => code(rng, 8),
        Kind::Slug => {
            let words: Vec<String> = Words(2..4).fake_with_rng(rng);
            slugify(&words.join(" "))
        }
        Kind::Prose => Sentence(6..14).fake_with_rng(rng),
        Kind::Title => {
            let s: String = Sentence(3..7).fake_with_rng(rng);
            s.trim_end_matches('.').to_string()
        }
        Kind::Currency => ["USD", "EUR", "GBP", "JPY", "CAD"][rng.random_range(0..5usize)].to_string(),
        Kind::Language => ["en", "de", "fr", "es", "it", "pt"][rng.random_range(0..6usize)].to_string(),
        Kind::Warehouse => {
            let city: String = CityName().fake_with_rng(rng);
            format!("WH-{}", city.to_uppercase().replace(' ', "-"))
        }
        Kind::Money | Kind::Quantity | Kind::BirthDate | Kind::Generic => {
            let words: Vec<String> = Words(1..3).fake_with_rng(rng);
            words.join(" ")
        }
    }
}

/// Default numeric range by kind, before CHECK bounds narrow it.
pub fn default_range(kind: Kind, column: &str) -> (f64, f64) {
    match kind {
        Kind::Money => (5.0, 500.0),
        Kind::Quantity => (1.0, 10.0),
        _ if column.ends_with("_id") => (1.0, 1000.0),
        _ => (1.0, 1000.0),
    }
}

/// An address at the reserved example.com domain, so seeded data can never
/// mail a real person.
pub fn email(first: &str, last: &str, rng: &mut Pcg64) -> String {
    format!("{}.{}{}@example.com", ascii_lower(first), ascii_lower(last), rng.random_range(1..1000u16))
}

pub fn code(rng: &mut Pcg64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn ascii_lower(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

pub fn uuid(rng: &mut Pcg64) -> uuid::Uuid {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A uniformly random instant in `[start, end]`, to the microsecond.
pub fn instant(rng: &mut Pcg64, start: DateTime<Utc>, end: DateTime<Utc>) -> DateTime<Utc> {
    let span = (end - start).num_microseconds().unwrap_or(0).max(0);
    start + Duration::microseconds(if span == 0 { 0 } else { rng.random_range(0..=span) })
}

/// A small JSON document shaped by the column's name.
pub fn json_value(column: &str, rng: &mut Pcg64) -> serde_json::Value {
    let c = column.to_lowercase();
    if c.contains("setting") || c.contains("pref") || c.contains("config") {
        let theme = ["light", "dark", "system"][rng.random_range(0..3usize)];
        let per_page = [10, 25, 50][rng.random_range(0..3usize)];
        json!({ "theme": theme, "newsletter": rng.random_bool(0.5), "items_per_page": per_page })
    } else {
        let word: String = Word().fake_with_rng(rng);
        json!({ "source": word, "score": rng.random_range(0..100u32), "verified": rng.random_bool(0.7) })
    }
}

/// Scalar fallback for array elements and untyped texts.
pub fn words(rng: &mut Pcg64, n: std::ops::Range<usize>) -> Vec<Value> {
    let words: Vec<String> = Words(n).fake_with_rng(rng);
    words.into_iter().map(Value::Text).collect()
}
