//! Matching the user's nouns to the schema's names: `order items` is
//! `order_items`, `categories` is `category`, `prices` is `price`.

/// Words whose singular and plural are the same for table and column
/// names, where the inflection library would change them.
const INVARIANT: &[&str] = &["data", "status", "news", "series", "address", "inventory", "metadata", "media", "alias", "bus", "analysis"];

/// English singular of one lowercase word, from the `pluralizer` rule set
/// (irregulars such as `people`, `salespeople`, `aliases`, `criteria`).
pub fn singular(word: &str) -> String {
    let w = word.to_lowercase();
    if INVARIANT.contains(&w.as_str()) || !w.chars().any(char::is_alphabetic) || w.ends_with(|c: char| c.is_ascii_digit()) {
        return w;
    }
    pluralizer::pluralize(&w, 1, false)
}

/// English plural of one lowercase word.
pub fn plural(word: &str) -> String {
    let w = singular(word);
    if !w.chars().any(char::is_alphabetic) || w.ends_with(|c: char| c.is_ascii_digit()) {
        return w;
    }
    if w == "status" || w == "address" || w == "alias" || w == "bus" {
        return format!("{w}es");
    }
    pluralizer::pluralize(&w, 2, false)
}

/// Snake-case spellings a phrase may take as a name, most literal first:
/// `order items` gives `order_items`, `order_item`; `category` gives
/// `category`, `categories`.
pub fn name_variants(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s)
        }
    };
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let joined = lower.join("_");
    push(joined.clone());
    if let Some((last, head)) = lower.split_last() {
        let with = |last: String| {
            let mut v = head.to_vec();
            v.push(last);
            v.join("_")
        };
        push(with(singular(last)));
        push(with(plural(last)));
    }
    // `aggregate_id` typed as one word, or `AggregateId` style.
    push(joined.replace('-', "_"));
    out
}

/// Normalises a name for loose comparison: lowercase, no separators.
pub fn squash(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The closest candidate within a small edit distance, for "did you mean".
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = squash(wanted);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&wanted, &squash(c)), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Maps a value the user wrote (`order confirmations`, `Completed`) onto
/// one of the allowed values (`order_confirmation`, `completed`).
pub fn match_value<'a>(written: &str, allowed: &'a [String]) -> Option<&'a String> {
    let words: Vec<String> = written.split_whitespace().map(str::to_string).collect();
    let variants: Vec<String> = name_variants(&words).iter().map(|v| squash(v)).collect();
    allowed.iter().find(|a| variants.contains(&squash(a)))
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn singularise_common_table_names() {
        for (p, s) in [
            ("users", "user"),
            ("categories", "category"),
            ("addresses", "address"),
            ("statuses", "status"),
            ("preferences", "preference"),
            ("boxes", "box"),
            ("people", "person"),
            ("status", "status"),
            ("inventory", "inventory"),
            ("aliases", "alias"),
            ("salespeople", "salesperson"),
            ("criteria", "criterion"),
            ("iso_3166_1", "iso_3166_1"),
        ] {
            assert_eq!(singular(p), s, "{p}");
        }
        assert_eq!(plural("category"), "categories");
        assert_eq!(plural("address"), "addresses");
    }

    #[test]
    fn offer_spellings_of_multi_word_phrases() {
        let v = name_variants(&["order".into(), "items".into()]);
        assert_eq!(v[0], "order_items");
        assert!(v.contains(&"order_item".to_string()));
    }

    #[test]
    fn match_written_values_to_allowed_ones() {
        let allowed = vec!["order_confirmation".to_string(), "shipping_update".to_string()];
        assert_eq!(match_value("order confirmations", &allowed), Some(&allowed[0]));
        assert_eq!(match_value("Shipping Update", &allowed), Some(&allowed[1]));
        assert_eq!(match_value("refund", &allowed), None);
    }

    #[test]
    fn suggest_near_misses_only() {
        assert_eq!(closest("userz", ["users", "orders"]), Some("users"));
        assert_eq!(closest("zebra", ["users", "orders"]), None);
    }
}
