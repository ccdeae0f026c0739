//! Realistic values chosen by a column's name and type: emails look like
//! emails, prices like prices. The kind is decided once per column; each
//! row then costs one call into `fake` with the column's own random stream.

use chrono::{DateTime, Duration, Utc};
use fake::Fake;
use fake::faker::address::en::{BuildingNumber, CityName, CountryCode, CountryName, StateAbbr, StateName, StreetName};
use fake::faker::barcode::en::Isbn13;
use fake::faker::company::en::{Buzzword, CompanyName, Industry};
use fake::faker::job::en::Title as JobTitle;
use fake::faker::internet::en::Username;
use fake::faker::lorem::en::{Word, Words};
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
    /// A state as its postal code (`TX`), for columns too narrow for names.
    StateCode,
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
    /// A job title (`contact_title`, `position`).
    JobTitle,
    /// An EAN-13 with a valid check digit.
    Barcode,
    Isbn,
    /// A genre or category name from a short list of real ones.
    Genre,
    Industry,
    Color,
    Generic,
}

/// What an integer or decimal column counts, by its name: the range a
/// value of that meaning takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Year,
    /// 0 or 1: an integer column named like a boolean (`active`, `discontinued`).
    Flag,
    Money { lo: f64, hi: f64 },
    Quantity { lo: f64, hi: f64 },
    Count,
    Rating,
    Percent,
    /// A share as a fraction (`discount` stored as 0.05).
    Fraction,
    Age,
    Position,
    Milliseconds,
    Seconds,
    Minutes,
    Days,
    Bytes,
    Latitude,
    Longitude,
    Weight,
    Other,
}

/// Words of a column or table name: `billing_address`, `BillingAddress` and
/// `billingaddress` all read `billing address`; digits split off
/// (`addressline1` reads `address line 1`).
pub fn name_words(name: &str) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = !current.is_empty()
            && ((c.is_uppercase() && chars.get(i.wrapping_sub(1)).is_some_and(|p| p.is_lowercase()))
                || (c.is_ascii_digit() != current.chars().last().is_some_and(|p| p.is_ascii_digit())));
        if !c.is_alphanumeric() || boundary {
            if !current.is_empty() {
                parts.push(std::mem::take(&mut current));
            }
            if !c.is_alphanumeric() {
                continue;
            }
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts.into_iter().flat_map(|p| segment(&p)).collect()
}

/// Words that glued lowercase names are made of, longest first.
const VOCABULARY: &[&str] = &[
    "organization", "description", "shipping", "discontinued", "milliseconds", "registered", "reorder", "category",
    "quantity", "modified", "employee", "customer", "supplier", "country", "company", "contact", "address", "billing",
    "postal", "street", "region", "mobile", "phone", "email", "first", "last", "middle", "given", "family", "name",
    "title", "line", "code", "city", "state", "zip", "post", "fax", "home", "page", "unit", "price", "stock", "order",
    "level", "birth", "date", "hire", "ship", "via", "required", "shipped", "created", "updated", "user", "nick",
    "display", "full", "surname", "composer", "album", "artist", "track", "genre", "media", "type", "bar", "time",
    "stamp", "number", "count", "total", "amount", "rental", "duration", "length", "release", "year", "rate",
    "replacement", "cost", "edits", "pending", "active", "flag", "sort", "position", "rank", "rating", "notes",
    "url", "web", "site", "login", "password", "hash", "salary", "bonus", "discount", "freight", "weight", "size",
    "product", "ship", "units", "in", "on", "via", "member", "since", "pending",
];

fn segment(token: &str) -> Vec<String> {
    if token.len() <= 4 || token.chars().any(|c| c.is_ascii_digit()) || VOCABULARY.contains(&token) {
        return vec![token.to_string()];
    }
    // Longest-first greedy over the vocabulary; a token it cannot cover
    // entirely stays one word.
    let mut out = Vec::new();
    let mut rest = token;
    while !rest.is_empty() {
        let Some(w) = VOCABULARY.iter().filter(|w| rest.starts_with(**w)).max_by_key(|w| w.len()) else {
            return vec![token.to_string()];
        };
        out.push(w.to_string());
        rest = &rest[w.len()..];
    }
    out
}

const PEOPLE_TABLES: &[&str] = &[
    "user", "customer", "person", "people", "employee", "member", "author", "contact", "account", "profile", "student",
    "artist", "actor", "composer", "staff", "rider", "driver", "patient", "salesperson", "salespeople", "teacher",
];
const COMPANY_TABLES: &[&str] = &["supplier", "shipper", "vendor", "company", "carrier", "publisher", "manufacturer", "brand", "label"];

/// A text column of three characters or fewer: room for a code, not a name.
fn narrow(ty: &SqlType) -> bool {
    matches!(ty.base(), SqlType::Char(n) | SqlType::Varchar(Some(n)) if *n <= 3)
}

pub fn kind_of(table: &str, column: &str, ty: &SqlType) -> Kind {
    let w = name_words(column);
    let t = table.to_lowercase();
    let has = |x: &str| w.iter().any(|p| p == x);
    let c = w.join("_");
    let textual = matches!(ty.base(), SqlType::Text | SqlType::Varchar(_) | SqlType::Char(_));
    let numeric = matches!(ty.base(), SqlType::Numeric { .. } | SqlType::Float4 | SqlType::Float8 | SqlType::Int2 | SqlType::Int4 | SqlType::Int8);
    if numeric {
        if ["price", "amount", "total", "cost", "subtotal", "balance", "fee", "revenue", "salary", "freight"].iter().any(|x| has(x)) {
            return Kind::Money;
        }
        if ["quantity", "qty", "stock", "count"].iter().any(|x| has(x)) {
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
    let people = PEOPLE_TABLES.iter().any(|p| t.contains(p));
    match () {
        _ if has("email") => Kind::Email,
        _ if c == "first_name" || c == "given_name" || c == "forename" => Kind::FirstName,
        _ if c == "last_name" || c == "surname" || c == "family_name" => Kind::LastName,
        _ if has("username") || has("nick") || has("nickname") || has("handle") || has("login") || c == "display_name" || c == "user_name" => Kind::Username,
        _ if has("phone") || has("mobile") || has("fax") || has("tel") || has("telephone") => Kind::Phone,
        _ if has("isbn") => Kind::Isbn,
        _ if has("barcode") || has("ean") || has("upc") || (has("bar") && has("code")) => Kind::Barcode,
        _ if has("street") || has("address") => Kind::Street,
        _ if has("city") || has("town") => Kind::City,
        _ if (has("state") || has("province") || has("region") || has("county")) && narrow(ty) => Kind::StateCode,
        _ if has("state") || has("province") || has("region") || has("county") => Kind::State,
        _ if has("zip") || has("postal") || has("postcode") || (has("post") && has("code")) => Kind::PostalCode,
        _ if has("country") && (matches!(ty.base(), SqlType::Char(_)) || narrow(ty)) => Kind::CountryCode,
        _ if has("country") => Kind::Country,
        _ if has("company") || has("organization") || has("employer") || has("supplier") || has("shipper") || has("vendor") => Kind::Company,
        // An order's `ship_name` is whom it ships to.
        _ if has("ship") && has("name") => Kind::Company,
        _ if has("url") || has("website") || has("link") || has("homepage") || (has("home") && has("page")) || (has("web") && has("site")) => Kind::Url,
        _ if has("sku") => Kind::Sku,
        _ if has("slug") => Kind::Slug,
        _ if has("currency") => Kind::Currency,
        _ if has("language") || has("locale") || has("lang") => Kind::Language,
        _ if has("warehouse") || has("location") => Kind::Warehouse,
        _ if has("industry") || has("sector") => Kind::Industry,
        _ if has("color") || has("colour") => Kind::Color,
        _ if has("code") || matches!(ty.base(), SqlType::Char(_)) => Kind::Code,
        _ if ["description", "bio", "body", "message", "comment", "note", "notes", "summary", "content", "reason", "details", "remarks"]
            .iter()
            .any(|x| has(x)) =>
        {
            Kind::Prose
        }
        // `contact_title`, `job_title`, `position` of a person: a job.
        _ if (has("title") && (people || has("job") || has("contact"))) || has("position") || has("occupation") || has("profession") => Kind::JobTitle,
        _ if has("subject") || has("title") || has("headline") => Kind::Title,
        _ if has("composer") || has("author") || has("artist") || has("director") || has("contact") => Kind::PersonName,
        _ if c == "name" || c == "full_name" || c.ends_with("_name") || c == "label" => {
            if people {
                Kind::PersonName
            } else if COMPANY_TABLES.iter().any(|p| t.contains(p)) {
                Kind::Company
            } else if t.contains("genre") || t.contains("categor") || t.contains("tag") {
                Kind::Genre
            } else if ["film", "movie", "album", "track", "song", "book", "episode", "playlist", "show", "course"].iter().any(|p| t.contains(p)) {
                Kind::Title
            } else if t.contains("department") || t.contains("team") {
                Kind::Industry
            } else {
                Kind::ProductName
            }
        }
        _ => Kind::Generic,
    }
}

/// The meaning of a numeric column, from its table and name words.
pub fn measure_of(table: &str, column: &str, ty: &SqlType) -> Measure {
    let w = name_words(column);
    let t = table.to_lowercase();
    let has = |x: &str| w.iter().any(|p| p == x);
    let integer = ty.is_integer();
    let last = w.last().map(String::as_str).unwrap_or("");
    match () {
        _ if has("year") || last == "yr" => Measure::Year,
        _ if integer && (["active", "discontinued", "enabled", "disabled", "deleted", "archived", "visible", "published", "verified", "flag", "blocked", "locked"].contains(&last) || matches!(w.first().map(String::as_str), Some("is" | "has" | "can"))) => Measure::Flag,
        _ if has("latitude") || has("lat") => Measure::Latitude,
        _ if has("longitude") || has("lng") || has("lon") => Measure::Longitude,
        _ if has("milliseconds") || has("ms") || has("millis") => Measure::Milliseconds,
        _ if has("seconds") || has("secs") || has("sec") => Measure::Seconds,
        _ if has("minutes") || has("mins") || (has("length") && ["film", "movie", "episode", "show"].iter().any(|p| t.contains(p))) || has("runtime") => Measure::Minutes,
        _ if has("days") || has("duration") || has("period") => Measure::Days,
        _ if has("bytes") || (has("size") && (has("file") || t.contains("file") || t.contains("media") || t.contains("track"))) => Measure::Bytes,
        _ if has("age") => Measure::Age,
        _ if has("rating") || has("stars") => Measure::Rating,
        _ if has("percent") || has("pct") || has("percentage") => Measure::Percent,
        _ if has("discount") && !integer => Measure::Fraction,
        _ if has("discount") => Measure::Percent,
        _ if has("weight") || has("kg") => Measure::Weight,
        _ if has("salary") || has("wage") => Measure::Money { lo: 30_000.0, hi: 150_000.0 },
        _ if has("bonus") || has("commission") => Measure::Money { lo: 0.0, hi: 5_000.0 },
        _ if has("freight") || has("shipping") => Measure::Money { lo: 1.0, hi: 250.0 },
        // A song, an episode, an app: a small ticket.
        _ if (has("price") || has("cost")) && ["track", "song", "episode", "app", "rental", "ticket"].iter().any(|p| t.contains(p)) => Measure::Money { lo: 0.99, hi: 9.99 },
        _ if has("rate") && (t.contains("rental") || t.contains("film")) => Measure::Money { lo: 0.99, hi: 4.99 },
        _ if ["price", "amount", "total", "cost", "subtotal", "balance", "fee", "revenue", "tax"].iter().any(|x| has(x)) => Measure::Money { lo: 5.0, hi: 500.0 },
        _ if has("stock") || (has("units") && (has("in") || has("on"))) => Measure::Quantity { lo: 0.0, hi: 120.0 },
        _ if has("reorder") => Measure::Quantity { lo: 0.0, hi: 30.0 },
        _ if has("quantity") || has("qty") => Measure::Quantity { lo: 1.0, hi: 10.0 },
        _ if has("count") || has("pending") || has("attempts") || has("retries") || has("edits") || has("views") || has("likes") || has("num") || last == "version" => Measure::Count,
        _ if has("position") || has("rank") || has("sort") || has("seq") || has("sequence") || (has("line") && (has("no") || has("number"))) || (has("number") && (has("track") || has("disc") || has("episode"))) => Measure::Position,
        _ => Measure::Other,
    }
}

/// Where a time column falls in a record's life, by its name: a row is
/// created, then ordered, then shipped, then delivered, then updated. Two
/// columns of different ranks keep that order even without a CHECK.
/// Deadlines (`required_date`, `due_on`) come after the order but say
/// nothing about what follows it (a parcel ships before it is required).
pub fn time_rank(column: &str) -> Option<(u8, bool)> {
    let w = name_words(column);
    let has = |x: &str| w.iter().any(|p| p == x);
    let any = |xs: &[&str]| xs.iter().any(|x| has(x));
    if any(&["required", "due", "expected", "scheduled", "deadline"]) {
        return Some((3, true));
    }
    Some((match () {
        _ if any(&["birth", "dob", "born", "birthday"]) => 0,
        _ if any(&["created", "registered", "signup", "signed", "joined", "join", "hire", "hired", "opened", "since", "founded", "enrolled"]) => 1,
        _ if any(&["ordered", "order", "placed", "booked", "requested", "issued", "invoice", "rental", "rented", "start", "starts", "started", "begin", "begins", "submitted", "checkout"]) => 2,
        _ if any(&["confirmed", "approved", "accepted", "paid", "processed", "authorized", "captured"]) => 3,
        _ if any(&["shipped", "ship", "sent", "dispatched", "published", "released"]) => 4,
        _ if any(&["delivered", "received", "returned", "return", "completed", "closed", "resolved", "ended", "end", "ends", "finished", "expires", "expired", "cancelled", "canceled", "left"]) => 5,
        _ if any(&["updated", "modified", "changed", "last", "seen", "login"]) => 6,
        _ => return None,
    }, false))
}

/// Default numeric range by meaning, before CHECK bounds narrow it.
pub fn measure_range(measure: Measure, now_year: i32) -> Option<(f64, f64)> {
    Some(match measure {
        Measure::Year => (1970.0, now_year as f64),
        Measure::Flag => (0.0, 1.0),
        Measure::Money { lo, hi } | Measure::Quantity { lo, hi } => (lo, hi),
        Measure::Count => (0.0, 20.0),
        Measure::Rating => (1.0, 5.0),
        Measure::Percent => (0.0, 50.0),
        Measure::Fraction => (0.0, 0.25),
        Measure::Age => (18.0, 90.0),
        Measure::Position => (1.0, 20.0),
        Measure::Milliseconds => (90_000.0, 420_000.0),
        Measure::Seconds => (30.0, 3_600.0),
        Measure::Minutes => (45.0, 185.0),
        Measure::Days => (1.0, 14.0),
        Measure::Bytes => (100_000.0, 12_000_000.0),
        Measure::Latitude => (-60.0, 70.0),
        Measure::Longitude => (-170.0, 170.0),
        Measure::Weight => (0.1, 40.0),
        Measure::Other => return None,
    })
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
            let noun = PRODUCT_NOUNS[rng.random_range(0..PRODUCT_NOUNS.len())];
            format!("{} {noun}", capitalise(&adjective))
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
        Kind::StateCode => StateAbbr().fake_with_rng(rng),
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
        Kind::Prose => prose(rng),
        Kind::Title => title(rng),
        Kind::Currency => ["USD", "EUR", "GBP", "JPY", "CAD"][rng.random_range(0..5usize)].to_string(),
        Kind::Language => ["en", "de", "fr", "es", "it", "pt"][rng.random_range(0..6usize)].to_string(),
        Kind::Warehouse => {
            let city: String = CityName().fake_with_rng(rng);
            format!("WH-{}", city.to_uppercase().replace(' ', "-"))
        }
        Kind::JobTitle => JobTitle().fake_with_rng(rng),
        Kind::Barcode => ean13(rng),
        Kind::Isbn => Isbn13().fake_with_rng::<String, _>(rng).replace('-', ""),
        Kind::Genre => GENRES[rng.random_range(0..GENRES.len())].to_string(),
        Kind::Industry => Industry().fake_with_rng(rng),
        Kind::Color => COLORS[rng.random_range(0..COLORS.len())].to_string(),
        Kind::Money | Kind::Quantity | Kind::BirthDate | Kind::Generic => {
            let words: Vec<String> = Words(1..3).fake_with_rng(rng);
            words.join(" ")
        }
    }
}

const GENRES: &[&str] = &[
    "Rock", "Jazz", "Blues", "Classical", "Pop", "Hip Hop", "Electronic", "Folk", "Reggae", "Soul", "Metal", "Country", "Latin",
    "Action", "Comedy", "Drama", "Horror", "Documentary", "Animation", "Sci-Fi", "Travel", "Games", "Sports", "Music", "Family",
    "Children", "Classics", "Foreign", "New", "Biography", "History", "Science", "Poetry", "Cooking", "Gardening", "Electronics",
];
const COLORS: &[&str] = &["Black", "White", "Silver", "Red", "Blue", "Green", "Yellow", "Grey", "Navy", "Orange", "Purple", "Brown"];
const TITLE_ADJECTIVES: &[&str] = &[
    "Silent", "Golden", "Hidden", "Last", "Broken", "Crimson", "Endless", "Wild", "Quiet", "Northern", "Electric", "Lost", "Brave",
    "Midnight", "Hollow", "Distant", "Burning", "Frozen", "Secret", "Velvet", "Iron", "Paper", "Summer", "Winter", "Restless",
];
const TITLE_NOUNS: &[&str] = &[
    "River", "Harbor", "Garden", "Kingdom", "Road", "Mirror", "Empire", "Horizon", "Lighthouse", "Orchard", "Station", "Voyage",
    "Letters", "Echoes", "Shadows", "Island", "Forest", "Machine", "Promise", "Dreams", "Thunder", "Canyon", "Ballad", "Witness",
    "Detective", "Academy", "Dinosaur", "Frontier", "Circus", "Memory", "Storm", "Hearts", "Legacy", "Outlaw", "Symphony",
];

const PRODUCT_NOUNS: &[&str] = &[
    "Chair", "Lamp", "Keyboard", "Backpack", "Kettle", "Blender", "Headphones", "Jacket", "Sneakers", "Notebook", "Monitor",
    "Coffee", "Tea", "Cheese", "Sauce", "Chocolate", "Olive Oil", "Honey", "Soap", "Candle", "Bottle", "Wallet", "Watch",
    "Charger", "Speaker", "Tent", "Bicycle", "Helmet", "Blanket", "Mug", "Desk", "Router", "Camera", "Scarf", "Gloves",
];
const VERBS: &[&str] = &["find", "outrace", "confront", "rescue", "chase", "defeat", "meet", "escape", "build", "sink", "redeem", "fight"];

/// A sentence of real words (`A brave tale of a detective who must escape a
/// machine in Lake Anabel`), where lorem would say nothing.
fn prose(rng: &mut Pcg64) -> String {
    let pick = |rng: &mut Pcg64, list: &[&'static str]| list[rng.random_range(0..list.len())];
    let adjective = pick(rng, TITLE_ADJECTIVES).to_lowercase();
    let hero = pick(rng, TITLE_NOUNS).to_lowercase();
    let verb = pick(rng, VERBS);
    let other = pick(rng, TITLE_NOUNS).to_lowercase();
    let city: String = CityName().fake_with_rng(rng);
    let a = |word: &str| if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    let article = capitalise(a(&adjective));
    format!("{article} {adjective} story of {} {hero} who must {verb} {} {other} in {city}.", a(&hero), a(&other))
}

/// `The Silent Harbor`, `Midnight Letters`: titles made of real words.
fn title(rng: &mut Pcg64) -> String {
    let adjective = TITLE_ADJECTIVES[rng.random_range(0..TITLE_ADJECTIVES.len())];
    let noun = TITLE_NOUNS[rng.random_range(0..TITLE_NOUNS.len())];
    match rng.random_range(0..4u8) {
        0 => format!("The {adjective} {noun}"),
        1 => format!("{noun} of the {adjective} {}", TITLE_NOUNS[rng.random_range(0..TITLE_NOUNS.len())]),
        _ => format!("{adjective} {noun}"),
    }
}

/// An EAN-13: twelve digits and the check digit that makes scanners accept it.
pub fn ean13(rng: &mut Pcg64) -> String {
    let digits: Vec<u32> = (0..12).map(|_| rng.random_range(0..10u32)).collect();
    let sum: u32 = digits.iter().enumerate().map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 }).sum();
    let check = (10 - sum % 10) % 10;
    digits.iter().chain(std::iter::once(&check)).map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect()
}

/// A text key shaped like the codes real sample data uses: upper-case
/// letters taken from the row's name (`Alfreds Futterkiste` gives `ALFFU`),
/// then random letters when the name runs short or the code is taken.
pub fn code_from(label: &str, len: usize, rng: &mut Pcg64, attempt: usize) -> String {
    let words: Vec<String> = label.split_whitespace().map(|w| w.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>().to_uppercase()).filter(|w| !w.is_empty()).collect();
    let mut out = String::new();
    let per_word = if words.len() > 1 { len.div_ceil(2) } else { len };
    for w in &words {
        out.extend(w.chars().take(per_word.min(len - out.len())));
        if out.len() >= len {
            break;
        }
    }
    // Each retry replaces one more trailing letter with a random one.
    let keep = out.len().min(len).saturating_sub(attempt);
    let mut out: String = out.chars().take(keep).collect();
    while out.len() < len {
        out.push((b'A' + rng.random_range(0..26u8)) as char);
    }
    out
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
