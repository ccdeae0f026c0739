//! Password-safe handling of connection strings.
//!
//! Both forms libpq accepts are handled: URLs (`postgres://user:pw@host/db?password=pw`) and
//! key/value DSNs (`host=h password='p w'`). The scanning is deliberately lenient: when a string
//! is ambiguous (say an unencoded `@` or `/` in a password) we redact too much rather than too
//! little, because these strings end up in test logs.

use std::ops::Range;

const MASK: &str = "***";

/// Returns `url` with every password in it replaced by `***`.
///
/// Handles the URL form (`postgres://user:pw@host/db`, including `?password=` query
/// parameters) and the key/value form (`host=localhost password=secret`, quoted values too).
/// Anything else is returned unchanged.
pub fn redact(url: &str) -> String {
    let spans = password_spans(url);
    let mut out = String::with_capacity(url.len());
    let mut last = 0;
    for span in spans {
        out.push_str(&url[last..span.start]);
        out.push_str(MASK);
        last = span.end;
    }
    out.push_str(&url[last..]);
    out
}

/// The passwords in `url`, as written and (for URLs) percent-decoded, for scrubbing them out of
/// messages that the driver or server produced.
pub(crate) fn secrets(url: &str) -> Vec<String> {
    let is_url = is_url(url);
    let mut out: Vec<String> = Vec::new();
    for span in password_spans(url) {
        let raw = &url[span];
        let mut candidates = vec![raw.to_owned()];
        if is_url {
            candidates.push(percent_decode(raw));
        } else if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
            candidates.push(inner.replace("\\'", "'").replace("\\\\", "\\"));
        }
        for candidate in candidates {
            if !candidate.is_empty() && !out.contains(&candidate) {
                out.push(candidate);
            }
        }
    }
    // Longest first, so a password that contains another one is replaced whole.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// Replaces every occurrence of each secret in `message` with `***`.
pub(crate) fn scrub(message: &str, secrets: &[String]) -> String {
    let mut out = message.to_owned();
    for secret in secrets {
        if !secret.is_empty() {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

/// `url` (a `postgres://` URL) pointing at `database` instead of its own database.
///
/// Keeps scheme, credentials, host, port and query parameters, except a `dbname` parameter,
/// which would override the path.
pub(crate) fn with_database(url: &str, database: &str) -> String {
    let (prefix, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let tail = tail.split('#').next().unwrap_or("");
    let query = tail.split_once('?').map_or("", |(_, q)| q);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            !pair.is_empty() && key != "dbname"
        })
        .collect();

    let mut out = format!("{prefix}{authority}/{}", percent_encode(database));
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out
}

fn is_url(s: &str) -> bool {
    let s = s.trim_start();
    match s.find("://") {
        Some(i) if i > 0 => s[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.' | ':')),
        _ => false,
    }
}

/// Byte ranges of password values in `s`, sorted and non-overlapping.
fn password_spans(s: &str) -> Vec<Range<usize>> {
    let mut spans = if is_url(s) {
        url_password_spans(s)
    } else {
        key_value_password_spans(s)
    };
    spans.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(prev) if span.start <= prev.end => prev.end = prev.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

fn url_password_spans(s: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let rest_start = s.find("://").map_or(0, |i| i + 3);
    let rest = &s[rest_start..];

    // The user info ends at the *last* `@`: a password with an unencoded `@` (or `/`, `?`) is
    // invalid, but it is exactly the kind of string that shows up in an error message.
    if let Some(at) = rest.rfind('@')
        && let Some(colon) = rest[..at].find(':')
    {
        spans.push(rest_start + colon + 1..rest_start + at);
    }

    // `password=` query parameters, wherever they are.
    let lower = s.to_ascii_lowercase();
    let mut from = rest_start;
    while let Some(found) = lower[from..].find("password=") {
        let key_start = from + found;
        let value_start = key_start + "password=".len();
        if matches!(
            s.as_bytes().get(key_start.wrapping_sub(1)),
            Some(b'?' | b'&')
        ) {
            let value_end = s[value_start..]
                .find(['&', '#'])
                .map_or(s.len(), |i| value_start + i);
            if value_end > value_start {
                spans.push(value_start..value_end);
            }
        }
        from = value_start;
    }
    spans
}

/// Follows libpq's conninfo grammar: `key = value` pairs separated by whitespace, values either
/// bare or single-quoted, backslash escaping the next character.
fn key_value_password_spans(s: &str) -> Vec<Range<usize>> {
    let bytes = s.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    while i < bytes.len() {
        i = skip_ws(i);
        let key_start = i;
        while i < bytes.len() && bytes[i] != b'=' && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &s[key_start..i];
        i = skip_ws(i);
        if i >= bytes.len() || bytes[i] != b'=' {
            // Not a `key=value` pair; move on to the next word.
            if i == key_start {
                i += 1;
            }
            continue;
        }
        i = skip_ws(i + 1);
        let value_start = i;
        // Quotes may also start mid-value or follow one another (`'a''b'`): libpq rejects
        // some of that, but the whole run up to unquoted whitespace is taken as the value, so
        // that a malformed DSN over-redacts rather than leaks.
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b'\'' => {
                    quoted = !quoted;
                    i += 1;
                }
                b if b.is_ascii_whitespace() && !quoted => break,
                _ => i += 1,
            }
        }
        i = i.min(bytes.len());
        if key.eq_ignore_ascii_case("password") && i > value_start {
            spans.push(value_start..i);
        }
    }
    spans
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_url_user_info() {
        assert_eq!(
            redact("postgres://alice:s3cret@db.example:5432/app"),
            "postgres://alice:***@db.example:5432/app"
        );
        assert_eq!(redact("postgres://alice@h/app"), "postgres://alice@h/app");
        assert_eq!(redact("postgres://h:5432/app"), "postgres://h:5432/app");
        assert_eq!(
            redact("postgresql://a:p%40ss@h/d"),
            "postgresql://a:***@h/d"
        );
        // Invalid, but must not leak: unencoded `@` and `/` in the password.
        assert_eq!(redact("postgres://a:p@s/s@h/d"), "postgres://a:***@h/d");
    }

    #[test]
    fn redacts_query_password() {
        assert_eq!(
            redact("postgres://h/d?sslmode=disable&password=pw&user=u"),
            "postgres://h/d?sslmode=disable&password=***&user=u"
        );
        assert_eq!(
            redact("postgres://h/d?PASSWORD=pw"),
            "postgres://h/d?PASSWORD=***"
        );
    }

    #[test]
    fn redacts_key_value() {
        assert_eq!(
            redact("host=h password=pw dbname=d"),
            "host=h password=*** dbname=d"
        );
        assert_eq!(
            redact("host=h password = 'p w\\'x' user=u"),
            "host=h password = *** user=u"
        );
        assert_eq!(redact("host=h dbname=d"), "host=h dbname=d");
    }

    #[test]
    fn secrets_include_decoded_forms() {
        let s = secrets("postgres://a:p%40ss@h/d?password=q");
        assert!(s.contains(&"p%40ss".to_owned()));
        assert!(s.contains(&"p@ss".to_owned()));
        assert!(s.contains(&"q".to_owned()));
        assert_eq!(scrub("auth failed for p@ss", &s), "auth failed for ***");
        let s = secrets("host=h password='it\\'s'");
        assert!(s.contains(&"it's".to_owned()));
    }

    #[test]
    fn replaces_database() {
        assert_eq!(
            with_database(
                "postgres://u:p@h:1/maint?sslmode=disable&dbname=x",
                "seedfast_a_1_2"
            ),
            "postgres://u:p@h:1/seedfast_a_1_2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "a b"), "postgres://h/a%20b");
        assert_eq!(
            with_database("postgres://h/?dbname=x#f", "d"),
            "postgres://h/d"
        );
    }
}
