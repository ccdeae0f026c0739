//! Places by name and by code: `Germany` is `DE` in a `char(2)` country
//! column and `DEU` in a `char(3)` one, `Texas` is `TX` in a US state
//! column. People write the name; schemas often keep the code.

/// Country names (and the everyday short forms) with their ISO 3166-1
/// alpha-2 and alpha-3 codes.
const COUNTRIES: &[(&[&str], &str, &str)] = &[
    (&["united states", "usa", "us", "america", "united states of america"], "US", "USA"),
    (&["united kingdom", "uk", "britain", "great britain", "england", "scotland", "wales"], "GB", "GBR"),
    (&["germany"], "DE", "DEU"),
    (&["france"], "FR", "FRA"),
    (&["spain"], "ES", "ESP"),
    (&["portugal"], "PT", "PRT"),
    (&["italy"], "IT", "ITA"),
    (&["netherlands", "holland", "the netherlands"], "NL", "NLD"),
    (&["belgium"], "BE", "BEL"),
    (&["luxembourg"], "LU", "LUX"),
    (&["switzerland"], "CH", "CHE"),
    (&["austria"], "AT", "AUT"),
    (&["ireland"], "IE", "IRL"),
    (&["denmark"], "DK", "DNK"),
    (&["sweden"], "SE", "SWE"),
    (&["norway"], "NO", "NOR"),
    (&["finland"], "FI", "FIN"),
    (&["iceland"], "IS", "ISL"),
    (&["poland"], "PL", "POL"),
    (&["czechia", "czech republic"], "CZ", "CZE"),
    (&["slovakia"], "SK", "SVK"),
    (&["hungary"], "HU", "HUN"),
    (&["romania"], "RO", "ROU"),
    (&["bulgaria"], "BG", "BGR"),
    (&["greece"], "GR", "GRC"),
    (&["croatia"], "HR", "HRV"),
    (&["slovenia"], "SI", "SVN"),
    (&["serbia"], "RS", "SRB"),
    (&["ukraine"], "UA", "UKR"),
    (&["turkey", "turkiye"], "TR", "TUR"),
    (&["estonia"], "EE", "EST"),
    (&["latvia"], "LV", "LVA"),
    (&["lithuania"], "LT", "LTU"),
    (&["canada"], "CA", "CAN"),
    (&["mexico"], "MX", "MEX"),
    (&["brazil"], "BR", "BRA"),
    (&["argentina"], "AR", "ARG"),
    (&["chile"], "CL", "CHL"),
    (&["colombia"], "CO", "COL"),
    (&["peru"], "PE", "PER"),
    (&["australia"], "AU", "AUS"),
    (&["new zealand"], "NZ", "NZL"),
    (&["japan"], "JP", "JPN"),
    (&["china"], "CN", "CHN"),
    (&["south korea", "korea"], "KR", "KOR"),
    (&["india"], "IN", "IND"),
    (&["pakistan"], "PK", "PAK"),
    (&["bangladesh"], "BD", "BGD"),
    (&["singapore"], "SG", "SGP"),
    (&["malaysia"], "MY", "MYS"),
    (&["indonesia"], "ID", "IDN"),
    (&["philippines"], "PH", "PHL"),
    (&["thailand"], "TH", "THA"),
    (&["vietnam", "viet nam"], "VN", "VNM"),
    (&["israel"], "IL", "ISR"),
    (&["united arab emirates", "uae"], "AE", "ARE"),
    (&["saudi arabia"], "SA", "SAU"),
    (&["egypt"], "EG", "EGY"),
    (&["south africa"], "ZA", "ZAF"),
    (&["nigeria"], "NG", "NGA"),
    (&["kenya"], "KE", "KEN"),
    (&["morocco"], "MA", "MAR"),
];

/// US states with their postal codes.
const US_STATES: &[(&str, &str)] = &[
    ("alabama", "AL"), ("alaska", "AK"), ("arizona", "AZ"), ("arkansas", "AR"), ("california", "CA"), ("colorado", "CO"),
    ("connecticut", "CT"), ("delaware", "DE"), ("florida", "FL"), ("georgia", "GA"), ("hawaii", "HI"), ("idaho", "ID"),
    ("illinois", "IL"), ("indiana", "IN"), ("iowa", "IA"), ("kansas", "KS"), ("kentucky", "KY"), ("louisiana", "LA"),
    ("maine", "ME"), ("maryland", "MD"), ("massachusetts", "MA"), ("michigan", "MI"), ("minnesota", "MN"), ("mississippi", "MS"),
    ("missouri", "MO"), ("montana", "MT"), ("nebraska", "NE"), ("nevada", "NV"), ("new hampshire", "NH"), ("new jersey", "NJ"),
    ("new mexico", "NM"), ("new york", "NY"), ("north carolina", "NC"), ("north dakota", "ND"), ("ohio", "OH"), ("oklahoma", "OK"),
    ("oregon", "OR"), ("pennsylvania", "PA"), ("rhode island", "RI"), ("south carolina", "SC"), ("south dakota", "SD"), ("tennessee", "TN"),
    ("texas", "TX"), ("utah", "UT"), ("vermont", "VT"), ("virginia", "VA"), ("washington", "WA"), ("west virginia", "WV"),
    ("wisconsin", "WI"), ("wyoming", "WY"), ("district of columbia", "DC"),
];

/// What kind of place a column holds, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Country,
    State,
}

/// The code a place name is stored as in a column `width` characters wide
/// (2 or 3), for that kind of place; `None` for an unknown name or width.
pub fn code(name: &str, kind: PlaceKind, width: usize) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    let name = name.strip_prefix("the ").unwrap_or(&name);
    match kind {
        PlaceKind::Country => COUNTRIES.iter().find(|(names, _, _)| names.contains(&name)).and_then(|(_, two, three)| match width {
            2 => Some(*two),
            3 => Some(*three),
            _ => None,
        }),
        PlaceKind::State => US_STATES.iter().find(|(n, _)| *n == name).filter(|_| width == 2).map(|(_, code)| *code),
    }
}

/// `UK-based`, `German`: the country an adjective of place names.
pub fn country_of_adjective(word: &str) -> Option<&'static str> {
    const ADJECTIVES: &[(&str, &str)] = &[
        ("american", "united states"), ("british", "united kingdom"), ("german", "germany"), ("french", "france"), ("spanish", "spain"),
        ("italian", "italy"), ("dutch", "netherlands"), ("irish", "ireland"), ("canadian", "canada"), ("australian", "australia"),
        ("japanese", "japan"), ("indian", "india"), ("swiss", "switzerland"), ("swedish", "sweden"), ("polish", "poland"),
        ("mexican", "mexico"), ("brazilian", "brazil"), ("chinese", "china"), ("portuguese", "portugal"), ("belgian", "belgium"),
    ];
    let w = word.to_lowercase();
    let w = w.strip_suffix("-based").unwrap_or(&w);
    if COUNTRIES.iter().any(|(names, _, _)| names.contains(&w)) {
        return COUNTRIES.iter().find(|(names, _, _)| names.contains(&w)).map(|(names, _, _)| names[0]);
    }
    ADJECTIVES.iter().find(|(a, _)| *a == w).map(|(_, country)| *country)
}

#[cfg(test)]
mod should {
    use super::*;

    #[test]
    fn give_the_code_as_wide_as_the_column() {
        assert_eq!(code("Germany", PlaceKind::Country, 2), Some("DE"));
        assert_eq!(code("Germany", PlaceKind::Country, 3), Some("DEU"));
        assert_eq!(code("the UK", PlaceKind::Country, 2), Some("GB"));
        assert_eq!(code("Texas", PlaceKind::State, 2), Some("TX"));
        assert_eq!(code("Texas", PlaceKind::Country, 2), None);
        assert_eq!(code("Atlantis", PlaceKind::Country, 2), None);
        assert_eq!(code("Germany", PlaceKind::Country, 5), None);
    }

    #[test]
    fn read_adjectives_of_place() {
        assert_eq!(country_of_adjective("UK-based"), Some("united kingdom"));
        assert_eq!(country_of_adjective("German"), Some("germany"));
        assert_eq!(country_of_adjective("Martian"), None);
    }
}
