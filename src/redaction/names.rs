//! Names of people without a language model: a list of common given names
//! (assets/redaction/given_names.txt) followed by a capitalised surname, a capitalised word
//! after a cue that introduces a person ("my name is", "Mr.", a sign-off), or a listed given
//! name on its own. Names that are not on the list and have no cue are missed; the docs say
//! so.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::rules::{Found, capitalised};

static GIVEN: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| listed(include_str!("../../assets/redaction/given_names.txt")));

static FAMILY: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| listed(include_str!("../../assets/redaction/family_names.txt")));

/// Given names that are just as often something else when they stand alone ("max 5
/// users", "Victoria station", "Lawrence, Kansas").
static AMBIGUOUS_ALONE: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| listed(include_str!("../../assets/redaction/ambiguous_alone.txt")));

/// One lower-case name per line; `#` starts a comment line.
fn listed(file: &'static str) -> HashSet<&'static str> {
    file.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

/// Capitalised words that open a sentence or a clause before a family name without being
/// a given name ("Contact Khan", "Please Smith").
const NOT_GIVEN: &[&str] = &[
    "the", "this", "that", "these", "those", "our", "my", "your", "his", "her", "their", "please",
    "hi", "hello", "hey", "dear", "thanks", "from", "to", "for", "with", "and", "but", "or", "ask",
    "call", "contact", "tell", "email", "cc", "mr", "mrs", "ms", "miss", "dr", "prof", "when",
    "if", "why", "how", "what", "where", "who", "is", "are", "was", "can", "could", "would",
    "should", "will", "all", "every", "each", "no", "yes", "per", "via", "at", "in", "on", "by",
    "as", "an", "a", "about", "after", "before", "since",
];

/// Listed given names that are also lower-case English words ("jack", "roger") or
/// acronyms in lower case ("pam" modules, the "marc" train): in lower case they open a
/// name only before a listed family name.
const WORDS_TOO: &[&str] = &[
    "amir", "bob", "carol", "dirk", "harry", "heather", "jack", "jimmy", "john", "josh", "lea",
    "marc", "maria", "marina", "martin", "matt", "maxim", "mike", "mio", "nick", "pam", "peter",
    "roger", "terry", "tom", "tony", "victor",
];

/// Capitalised words that follow a cue or a given name without being a name.
const NOT_NAMES: &[&str] = &[
    "team",
    "teams",
    "all",
    "everyone",
    "support",
    "customer",
    "customers",
    "sir",
    "madam",
    "there",
    "folks",
    "guys",
    "helpdesk",
    "help",
    "desk",
    "admin",
    "administrator",
    "the",
    "a",
    "an",
    "my",
    "our",
    "your",
    "i",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "these",
    "those",
    "microsoft",
    "google",
    "apple",
    "amazon",
    "adobe",
    "salesforce",
    "slack",
    "zoom",
    "outlook",
    "office",
    "windows",
    "excel",
    "word",
    "jira",
    "github",
    "hr",
    "finance",
    "accounting",
    "sales",
    "marketing",
    "legal",
    "it",
    "service",
    "services",
    "department",
    "manager",
    "street",
    "road",
    "avenue",
    "lane",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "please",
    "thanks",
    "thank",
    "hello",
    "hi",
    "hey",
    "dear",
    "regards",
    "best",
    "yes",
    "no",
    "ok",
    "okay",
    "sorry",
    "unable",
    "not",
    "still",
    "new",
    "old",
    "again",
    "here",
    "just",
    "also",
    "now",
    "today",
    "tomorrow",
    "yesterday",
    "user",
    "users",
    "agent",
    "agents",
    "bot",
    "system",
    "server",
    "account",
    "accounts",
    "ticket",
    "order",
    "invoice",
    "vpn",
    "wifi",
    "email",
    "mail",
    "phone",
    "laptop",
    "printer",
    "update",
    "version",
    "error",
    "issue",
    "problem",
    "question",
    "company",
    "inc",
    "ltd",
    "gmbh",
    "corp",
    "group",
    "university",
    "school",
    "hospital",
    "bank",
    "store",
    "shop",
    "app",
    "web",
    "portal",
    "cloud",
    "drive",
    "server",
    "network",
    "security",
    "engineering",
    "operations",
    "ops",
    "dev",
    "qa",
    "product",
    "design",
    "research",
    "procurement",
    "payroll",
    "billing",
    "facilities",
    "reception",
    "management",
    "board",
    "ceo",
    "cto",
    "cfo",
    "director",
    "head",
    "lead",
    "intern",
    "contractor",
    "vendor",
    "client",
    "partner",
    "international",
    "city",
    "airport",
    "county",
    "station",
    "park",
    "center",
    "centre",
    "building",
    "room",
    "rooms",
    "conference",
    "floor",
    "suite",
    "lobby",
    "wing",
    "tower",
    "library",
    "museum",
    "memorial",
    "hall",
    "bay",
    "beach",
    "river",
    "valley",
    "island",
    "lake",
    "creek",
    "falls",
    "harbor",
    "harbour",
    "canyon",
    "national",
    "plc",
    "llc",
    // Whom a greeting addresses when it is no one ("Hey Bot,", "Hello World,").
    "bot",
    "chatbot",
    "assistant",
    "world",
];

/// Words before a given name that make it part of a place ("San Francisco", "St. Louis").
const PLACE_PREFIXES: &[&str] = &[
    "san", "santa", "são", "sao", "st", "st.", "saint", "sainte", "port", "fort", "lake", "mount",
    "mt", "mt.", "cape", "el", "los", "las", "la", "le", "new", "north", "south", "east", "west",
];

/// The name follows a word that makes it a place.
fn in_place_name(found: &Found<'_>) -> bool {
    found.text[..found.matched]
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .rfind(|w| !w.is_empty())
        .is_some_and(|w| PLACE_PREFIXES.contains(&w.to_lowercase().as_str()))
}

/// Brands and products named after people.
const BRANDS: &[&str] = &[
    "louis vuitton",
    "hugo boss",
    "jordan brand",
    "jordan brands",
    "air jordan",
    "tim hortons",
    "john deere",
    "jack daniels",
    "jack daniel's",
    "thomas cook",
    "dr pepper",
    "dr martens",
    "peter pan",
    "ronald mcdonald",
    "tommy hilfiger",
    "calvin klein",
    "ralph lauren",
    "victoria secret",
    "victoria's secret",
    "martin guitars",
    "marks spencer",
    "johnson controls",
    "paul smith",
    "ted baker",
    "anna university",
    "ben & jerry",
    "ben and jerry",
    // A holiday named after a person is a date, not someone in the ticket.
    "martin luther",
    // Chinese words and names that are not a person here.
    "feng shui",
    "yin yang",
    "kung fu",
    "wu tang",
    "wu-tang",
    "han solo",
    "li ion",
    "li-ion",
    // Countries and places of two name-like words.
    "sierra leone",
    "sierra nevada",
    "costa rica",
];

/// The byte range of the text from `reach` bytes before the span to `reach` after it,
/// widened to character boundaries.
fn around(found: &Found<'_>, reach: usize) -> (usize, usize) {
    let text = found.text;
    let mut from = found.start.saturating_sub(reach);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (found.end + reach).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    (from, to)
}

/// The span is part of a listed brand written anywhere around it ("Hugo Boss", and
/// "Luther King" inside "Martin Luther King Jr. Day").
fn in_brand(found: &Found<'_>) -> bool {
    // Only the words around the span can hold a brand that covers it.
    let text = found.text;
    let (from, to) = around(found, 32);
    // ASCII lower case keeps every byte offset where it was.
    let lower = text[from..to].to_ascii_lowercase();
    let (start, end) = (found.start - from, found.end - from);
    BRANDS.iter().any(|brand| {
        lower.match_indices(brand).any(|(at, _)| {
            let after = at + brand.len();
            let whole = !lower[..at].ends_with(|c: char| c.is_alphanumeric())
                && !lower[after..].starts_with(|c: char| c.is_alphanumeric());
            whole && at < end && start < after
        })
    })
}

fn is_given(word: &str) -> bool {
    let lower = word.to_lowercase();
    let first = lower.split('-').next().unwrap_or(&lower);
    // A short accented word is as often a word of its language as a name ("Olá" is not
    // Ola).
    GIVEN.contains(first) || (first.chars().count() >= 4 && listed_without_accents(&GIVEN, first))
}

/// Whether the word, without its diacritics ("andrés" → "andres", "lefèvre" → "lefevre"),
/// is in `list`: the lists hold most names in one spelling, and people write them with and
/// without accents. A word in plain ASCII has none to drop, and costs nothing.
fn listed_without_accents(list: &HashSet<&'static str>, word: &str) -> bool {
    use unicode_normalization::UnicodeNormalization as _;
    !word.is_ascii()
        && list.contains(
            word.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .collect::<String>()
                .as_str(),
        )
}

/// A listed family name, or an Irish one written with its `O'` ("O'Connell"), which the
/// list cannot hold them all of.
fn is_family(word: &str) -> bool {
    let lower = word
        .trim_end_matches("'s")
        .trim_end_matches("’s")
        .to_lowercase();
    let irish = lower
        .strip_prefix("o'")
        .or_else(|| lower.strip_prefix("o’"))
        .is_some_and(|rest| rest.chars().count() >= 3 && rest.chars().all(char::is_alphabetic));
    // "Chopra-Nair": a double-barrelled name whose first part is a family name.
    let first_part = lower.split('-').next().unwrap_or(&lower);
    // "Al-Otaibi", "El-Sayed": the article joined to a listed name.
    let arabic = lower
        .strip_prefix("al-")
        .or_else(|| lower.strip_prefix("el-"))
        .is_some_and(|rest| FAMILY.contains(rest));
    FAMILY.contains(lower.as_str())
        || irish
        || arabic
        || family_by_ending(&lower)
        || (first_part.len() < lower.len() && FAMILY.contains(first_part))
        || listed_without_accents(&FAMILY, &lower)
}

/// Endings that mark a family name in their language and hardly end anything else:
/// Greek (Papadopoulos, Papadakis, Nikolaidis), Ukrainian (Shevchenko, Kovalchuk), Polish
/// (Wróblewski, Zawadzka), South Slavic (Jovanović), Romanian (Popescu, Enescu), Turkish
/// (Karaoğlu), Georgian (Beridze, Gelashvili), Nordic (Karlsson, Jónsdóttir) and Persian
/// (Hosseinzadeh, Mohammadnejad). The list
/// cannot hold every such name; a word of at least six letters with one of these endings
/// is taken for one. (`-ska` alone would take Alaska, `-son` Person, `-ian` Italian.)
fn family_by_ending(lower: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "poulos", "opoulou", "akis", "idis", "iadis", "enko", "chuk", "czuk", "wski", "wska",
        "dzki", "dzka", "ović", "ovic", "ević", "evic", "escu", "eanu", "oğlu", "oglu", "dze",
        "shvili", "sson", "dottir", "dóttir", "zadeh", "nejad",
    ];
    lower.chars().count() >= 6
        && lower.chars().all(char::is_alphabetic)
        && ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

/// The USPS table's street types that are no family name: a given name before one names a
/// street ("Pamela Square", "Cassandra Crossing", "John Stravenue"), not a person.
const STREET_TYPES: &[&str] = &[
    "place",
    "terrace",
    "boulevard",
    "circle",
    "circles",
    "square",
    "squares",
    "crossing",
    "crossroad",
    "landing",
    "loaf",
    "vista",
    "stravenue",
    "burg",
    "burgs",
    "cliffs",
    "parkway",
    "parkways",
    "knolls",
    "rapid",
    "rapids",
    "tunnel",
    "track",
    "courts",
    "glens",
    "locks",
    "expressway",
    "underpass",
    "overpass",
    "viaduct",
    "turnpike",
    "throughway",
    "trafficway",
    "skyway",
    "freeway",
    "motorway",
    "junction",
    "junctions",
    "extension",
    "extensions",
    "estates",
    "heights",
    "plains",
    "prairie",
    "ranch",
    "shoals",
    "spurs",
    "summit",
    "valleys",
    "village",
    "villages",
    "ville",
    "views",
    "ways",
    "walks",
    "meadows",
    "manors",
    "mountains",
    "islands",
    "inlet",
    "hollow",
    "gateway",
    "forges",
    "forks",
    "fords",
    "flats",
    "divide",
    "curve",
    "coves",
    "corners",
    "causeway",
    "bypass",
    "roads",
    "mews",
    "gardens",
    "groves",
    "loop",
    "pines",
    "points",
    "ports",
    "radial",
    "ramp",
    "ridges",
    "route",
    "shores",
    "streets",
    "unions",
    "course",
    "harbors",
    "orchard",
    "lakes",
    "stream",
    "trail",
    "crescent",
    "drives",
    "mission",
];

fn not_a_name(word: &str) -> bool {
    let word = word.to_lowercase();
    // "Allen Group's": the possessive is no part of the word.
    let word = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(&word);
    NOT_NAMES.contains(&word) || STREET_TYPES.contains(&word)
}

/// The next word names a street's type ("Pamela Square"): the name before it is a street's.
fn before_a_street_type(found: &Found<'_>) -> bool {
    let after = &found.text[found.end..];
    let Some(rest) = after.strip_prefix([' ', '\t']) else {
        return false;
    };
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    word.chars().next().is_some_and(char::is_uppercase)
        && STREET_TYPES.contains(&word.to_lowercase().as_str())
}

/// Whether some word of `text` is a listed given name written all in lower case or all in
/// capitals, or a listed family name so written after a title ("call mrs okafor back"):
/// every name the capitalised copy adds starts with one, and most texts have none, so the
/// copy is made only for those that do.
pub(super) fn any_uncapitalised_name(text: &str) -> bool {
    let mut after_title = false;
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
        if word.is_empty() {
            continue;
        }
        // Letters only: "o'brien" is written in lower case.
        let (mut lower, mut upper) = (false, false);
        for c in word.chars() {
            lower |= c.is_lowercase();
            upper |= c.is_uppercase();
        }
        let found = match (lower, upper) {
            (true, false) => GIVEN.contains(word) || (after_title && is_family(word)),
            (false, true) => {
                let word = word.to_lowercase();
                GIVEN.contains(word.as_str()) || (after_title && is_family(&word))
            }
            _ => false,
        };
        if found {
            return true;
        }
        after_title = is_title(word);
    }
    false
}

/// A title before a name, in any case (its full stop, if any, is not part of the word).
fn is_title(word: &str) -> bool {
    word.len() <= 4
        && ["mr", "mrs", "ms", "miss", "dr", "prof"]
            .iter()
            .any(|title| word.eq_ignore_ascii_case(title))
}

/// In a capitalised copy, whether the span was written as a name typed in lower case or
/// shouted: every letter in lower case, or every letter in upper case in a text with no
/// lower-case letter at all (elsewhere a word in capitals is an acronym: PAM, MARC). A
/// span written with its capitals was judged by the pass over the text as written, and
/// one inside an identifier (`maria-backup`, `/home/david`) is none.
fn typed_as_a_name(written: &str, found: &Found<'_>) -> bool {
    let span = written.get(found.start..found.end).unwrap_or_default();
    let letters = || span.chars().filter(|c| c.is_alphabetic());
    let lower = letters().all(char::is_lowercase);
    let shouted = letters().all(char::is_uppercase) && !written.chars().any(char::is_lowercase);
    // A form's field holds its value in capitals even where its label is not
    // ("Applicant: MOHAMMED AL-FARSI"), double-barrelled names and all.
    let field = letters().all(char::is_uppercase)
        && written[..found.start]
            .trim_end_matches([' ', '\t'])
            .ends_with(':');
    let inside = written[..found.start]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '-' | '_' | '/' | '.' | '@'));
    ((lower || shouted) && !span.contains('-') || field) && !inside
}

/// A capitalised word, then a surname (with an initial or a particle such as "van der").
pub(super) const FULL_NAME: &str = r"\b\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}\p{Ll}+)?\s+(?:\p{Lu}\.\s+)?(?:(?:van der|van den|van|von|de la|de|da|del|della|di|du|le|la|ben|bin|al|el|El|Al|Ben|Abu)\s+)?\p{Lu}[\p{L}'’]+(?:-\p{Lu}[\p{L}'’]+)?";

pub(super) fn full_name(found: &Found<'_>) -> bool {
    let value = found.value();
    let mut words = value.split_whitespace();
    let (Some(first), Some(last)) = (words.next(), value.split_whitespace().next_back()) else {
        return false;
    };
    // A listed given name, or any capitalised word before a listed family name; both
    // listed where the capitals may not be the writer's.
    let named = if let Some(written) = found.written {
        typed_as_a_name(written, found)
            && is_given(first)
            && (is_family(last)
                || !(WORDS_TOO.contains(&first.to_lowercase().as_str())
                    || AMBIGUOUS_ALONE.contains(first.to_lowercase().as_str())
                    || NOT_GIVEN.contains(&last.to_lowercase().as_str())))
    } else {
        is_given(first)
            || (is_family(last) && !NOT_GIVEN.contains(&first.to_lowercase().as_str()))
            // Family name first, as Hungarians write it ("Nagy Péter"): both listed.
            || (value.split_whitespace().count() == 2 && is_family(first) && is_given(last))
    };
    // "Santa Cruz", "Lake Charles": a place prefix opens a place, not a name.
    let place = PLACE_PREFIXES.contains(&first.to_lowercase().as_str());
    named
        && !place
        && !joins_two_entries(found)
        && !not_a_name(last)
        && !not_a_name(first)
        && !in_brand(found)
        && !in_place_name(found)
        && !names_a_company(found)
}

/// A listed family name as a form's or a record's field holds it (`last_name=Demir`,
/// `"last": "Greco"`, `surname: Novak`), with no given name beside it to make it a full
/// name; listed, since the same keys also hold a validation's word (`"surname": "Required"`).
pub(super) const FAMILY_FIELD: &str = r#"(?i:\b(?:last_?name|lastname|surname|family_?name)|"last"|'last')["']?[ \t]*[:=][ \t]*["']?(\p{Lu}[\p{L}'’]+(?:-\p{Lu}[\p{L}'’]+)?)"#;

pub(super) fn family_field(found: &Found<'_>) -> bool {
    is_family(found.value()) && !not_a_name(found.value())
}

/// A listed family name, a comma, then a listed given name, as a list, a directory or a
/// spreadsheet's name column writes a person ("Sørensen, Mette", "Brennan, Siobhan").
pub(super) const FAMILY_COMMA_GIVEN: &str =
    r"\b\p{Lu}[\p{L}'’]+(?:-\p{Lu}[\p{L}'’]+)?,[ \t]+\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?\b";

pub(super) fn family_comma_given(found: &Found<'_>) -> bool {
    let Some((family, given)) = found.value().split_once(',') else {
        return false;
    };
    let given = given.trim();
    // "O'Dea, Martin and Conlon": three surnames name a firm.
    let firm = and_a_capital(&found.text[found.end..]);
    is_family(family)
        && is_given(given)
        && !firm
        && !names_a_company(found)
        && !not_a_name(family)
        && !not_a_name(given)
        && !in_place_name(found)
}

/// The text goes on with "and" or "&" and a capitalised word.
fn and_a_capital(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t']);
    ["and ", "& "].iter().any(|joint| {
        rest.strip_prefix(joint)
            .is_some_and(|tail| tail.trim_start().starts_with(char::is_uppercase))
    })
}

/// A "name" broken across lines that joins the ends of two entries: in a list of one
/// person a line ("Mark Davies⏎Dennis Davis"), where the first word ends a line that a
/// capitalised word opens, that is a surname and the next line's given name, not a
/// person; in a form, the next line's word is a field's label. In prose wrapped mid-name
/// ("thanks to Esther⏎Praske") a lower-case word comes before the break. A capitalised copy
/// has lost that difference, so there the break is allowed as before, unless a label
/// follows.
fn joins_two_entries(found: &Found<'_>) -> bool {
    if !found.value().contains('\n') {
        return false;
    }
    // "Vorname: Jonas⏎Nachname: Becker": the next line's word is a form's label.
    if found.text[found.end..]
        .trim_start_matches([' ', '\t'])
        .starts_with(':')
    {
        return true;
    }
    if found.written.is_some() {
        return false;
    }
    let line = found.text[..found.start]
        .rsplit('\n')
        .next()
        .unwrap_or_default();
    // "…, Rop Gonggrijp, John⏎C. Wingenbach": a comma closes the name before it.
    line.split_whitespace().next_back().is_some_and(|word| {
        word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().next_back().is_some_and(char::is_alphabetic)
    })
}

/// Words that introduce a person so plainly that the capitalised word after them is a
/// name whatever the lists say ("Dear", "my name is", a sign-off).
macro_rules! strong_cue {
    () => {
        r"\bmy\s+name\s+is|\bmy\s+name's|\b(?:first|last|maiden|family|given)\s+name\s+(?:is|was)|\bsurname\s+(?:is|was)|\bname:|\bsurname\s*:|\bnom\s*:|\bpr[ée]nom\s*:|\bvorname\s*:|\bnachname\s*:|\bnombre\s*:|\bapellidos?\s*:|\bcognome\s*:|\bsobrenome\s*:|\bmein\s+name\s+ist|\bich\s+hei(?:ß|ss)e|\bje\s+m'appelle|\bme\s+llamo|\bmi\s+nombre\s+es|\bmeu\s+nome\s+[ée]|\bmi\s+chiamo|\bil\s+mio\s+nome\s+[èe]|\bnama\s+saya(?:\s+adalah)?|\bik\s+heet|\bmijn\s+naam\s+is|\bjag\s+heter|\bmitt\s+namn\s+är|\bnazywam\s+si[eę]|\bregards,?|\bthanks,|\bthx,|\bthank\s+you,|\bcheers,|\bbest,|\bsincerely,|\bmr\.?|\bmrs\.?|\bms\.?|(?-i:\bMx\.)|\bmiss|\bdr\.?|\bprof\.?|\bdear|\b(?:first|last|family|given|sur)\s?name\?|\bmy\s+(?:wife|husband|son|daughter|colleague|co-?worker|manager|boss|supervisor|teammate)"
    };
}

/// Words after which a name is likely but not certain ("hi", "I am", "this is"): the word
/// must be a listed given name, or the words after it must say so.
macro_rules! weak_cue {
    () => {
        r"\bich\s+bin|\bik\s+ben|\bjag\s+är|\bje\s+suis|\bcordialement,?|\bbien\s+à\s+vous,?|\bsaludos,?|\bun\s+saludo,?|\batentamente,?|\bcordiali\s+saluti,?|\bdistinti\s+saluti,?|\bsaluti,?|\batenciosamente,?|\babraços,?|\b(?:met\s+)?vriendelijke\s+groet(?:en)?,?|\bmed\s+vänlig\s+hälsning,?|\bvänliga\s+hälsningar,?|\bpozdrawiam,?|\bz\s+poważaniem,?|\bmit\s+freundlichen\s+grüßen,?|\bviele\s+grüße,?|\bsoy|\bsou|\bsono|\bsaya|\bthanks|\bthank\s+you|\bthx|\bty|\btysm|\bcheers|\bi\s+am|\bi'm|\bthis\s+is|\bit'?s|\bit’s|\bhi,?|\bhello,?|\bhey,?|\bcontact|\bask|\bfrom:|\bcc:?|\battn\b[.:]?|\battention:|\bc/o|\b(?:says|said|asked|replied)|\b(?:calls?|called)\s+me|\bnamed\s+(?:him|her|them)"
    };
}

/// Words that introduce a person.
macro_rules! cue {
    () => {
        concat!("(?i:", strong_cue!(), "|", weak_cue!(), ")")
    };
}

static STRONG_CUE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(concat!("^(?i:", strong_cue!(), ")"))
        .unwrap_or_else(|e| panic!("strong cue pattern: {e}"))
});

/// A cue, then one or two capitalised words, the two on one line: a form's next line
/// ("Vorname: Jonas⏎Nachname: Becker") is another field.
pub(super) const CUED_NAME: &str = concat!(
    cue!(),
    r"\s+(\p{Lu}[\p{Ll}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?)"
);

/// A cue, then one word: in a [`super::rules::Found::written`] copy every word has a
/// capital, so a second one says nothing.
pub(super) const CUED_ONE_WORD: &str = concat!(cue!(), r"\s+(\p{Lu}[\p{Ll}'’-]+)");

pub(super) fn cued_name(found: &Found<'_>) -> bool {
    let value = found.value();
    let first = value.split_whitespace().next().unwrap_or(value);
    // "Name: Printer-3F-East", "Name: Build_Agent_7": the word goes on into an identifier
    // (a capital goes on into a name: "Mr. O'Brien").
    let identifier = value.ends_with('-')
        || found.text[found.end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '_');
    if identifier
        || value.split_whitespace().any(not_a_name)
        || NOT_GIVEN.contains(&first.to_lowercase().as_str())
        || in_brand(found)
    {
        return false;
    }
    let cue = found.text[found.matched..found.start].trim().to_lowercase();
    let strong = STRONG_CUE.is_match(&found.text[found.matched..found.start])
        || (cue == "from:" && in_mail_header(found));
    let rest = found.text[found.end..].trim_start().to_lowercase();
    // "It's Marcus here", "it's sofia from marketing", "its sam again": "it's" introduces a person only when
    // the words after the name say so ("It's April already" does not).
    let introduced = ["here", "speaking", "from ", "again"]
        .iter()
        .any(|w| rest.starts_with(w))
        || in_a_team(&rest);
    if cue.starts_with("it") && !introduced {
        return false;
    }
    // A greeting or a thank-you counts when a comma or an exclamation mark closes the name
    // ("hey tom, did you fix it", "ty mike!!"): that is someone addressed, even by a name
    // that is also a word.
    let greeted = ["hi", "hey", "hello", "thank", "thx", "ty", "cheers"]
        .iter()
        .any(|g| cue.starts_with(g))
        && value.split_whitespace().count() == 1
        && (rest.starts_with(',') || rest.starts_with('!'));
    if let Some(written) = found.written {
        // A word after "dear" is a name when the writer capitalised it; in lower case or
        // shouted, only when it is a listed one: a given name, or a family name after a
        // title ("mrs okafor").
        return ((strong || introduced || greeted) && is_given(first)
            || is_title(cue.trim_end_matches('.')) && is_family(first))
            && typed_as_a_name(written, found);
    }
    // "I am Thandiwe Nkosi": two capitalised words after "I am" name the writer, whatever
    // the lists hold ("I'm Working From Home" has a function word).
    let self_named = (cue.starts_with("i am") || cue.starts_with("i'm"))
        && value.split_whitespace().count() == 2
        && !value
            .split_whitespace()
            .any(|w| NOT_GIVEN.contains(&w.to_lowercase().as_str()));
    // "Hi Dawn, the printer is jammed": a greeting that opens the message or a line,
    // then one capitalised word and a comma, is a salutation, whatever the lists hold.
    let line_start = found.text[..found.matched]
        .trim_end_matches([' ', '\t'])
        .chars()
        .next_back()
        .is_none_or(|c| c == '\n');
    if strong || self_named || (greeted && line_start) {
        return true;
    }
    // "…," says Jackson: only a person says something, so a listed family name counts too.
    let reported = ["says", "said", "asked", "replied"].contains(&cue.as_str());
    is_given(first)
        || introduced
        || rest.starts_with("with ")
        || (reported && is_family(first) && value.split_whitespace().count() == 1)
}

/// The teams a person works in or speaks for, in lower case ("jessica from hr", "Nguyen in
/// IT", "it's fionnuala in accounts", "Lerato on reception").
const TEAMS: &[&str] = &[
    "accounts",
    "accounting",
    "admin",
    "billing",
    "engineering",
    "facilities",
    "finance",
    "helpdesk",
    "hr",
    "it",
    "legal",
    "marketing",
    "operations",
    "ops",
    "payroll",
    "procurement",
    "reception",
    "sales",
    "security",
    "service desk",
    "support",
];

/// The teams but `skip` as a pattern's alternatives, each as `write` spells it, any space
/// as `\s+`.
fn teams_pattern(skip: &str, write: fn(&str) -> String) -> String {
    TEAMS
        .iter()
        .filter(|team| **team != skip)
        .map(|team| write(team).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// Whether the words after a name place its bearer in a team ("it's fionnuala in
/// accounts"); a season or a day is in a place or a month instead ("It's Summer in Sydney").
fn in_a_team(rest: &str) -> bool {
    rest.strip_prefix("in ").is_some_and(|after| {
        let after = after.trim_start_matches("the ");
        TEAMS.iter().any(|team| {
            after
                .strip_prefix(team)
                .is_some_and(|tail| !tail.starts_with(char::is_alphanumeric))
        })
    })
}

/// Whether a `From:` cue opens a mail header block: the line after the name is another
/// header (`Sent:`, `Date:`, `To:`, `Subject:`), quoted or not. There the sender is a
/// person's name whatever the lists hold ("From: Callum Fraser⏎Sent: 01 December …").
fn in_mail_header(found: &Found<'_>) -> bool {
    let rest = &found.text[found.end..];
    let Some((line, next)) = rest.split_once('\n') else {
        return false;
    };
    // Nothing but the address may follow the name on its line.
    let line = line.trim();
    let next = next.trim_start_matches(['>', ' ', '\t']).to_lowercase();
    (line.is_empty() || line.starts_with('<'))
        && ["sent:", "date:", "to:", "subject:"]
            .iter()
            .any(|header| next.starts_with(header))
}

/// A mail's display name before its address in angle brackets, two or three capitalised
/// words ("Aroha Ngata <aroha.ngata@tewhare.co.nz>").
pub(super) const DISPLAY_NAME: &str =
    r"\b(\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+){1,2})[ \t]+<([^<>\s@]+)@[^<>\s]+>";

/// The address's own part names the person: it holds the first word (`aroha.ngata`,
/// `tamsin`) or is the first initial and the last word (`dpark`). A team or a product
/// ("Acme Billing <billing@…>", "Microsoft Outlook <no-reply@…>") has an address of another
/// word.
pub(super) fn display_name(found: &Found<'_>) -> bool {
    let value = found.value().to_lowercase();
    let words: Vec<&str> = value.split_whitespace().collect();
    let local = found.text[found.end..]
        .trim_start()
        .trim_start_matches('<')
        .split('@')
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let initial: String = first.chars().take(1).collect();
    let named = (first.chars().count() >= 3 && local.contains(first))
        || local.starts_with(&format!("{initial}{last}"))
        || local.starts_with(&format!("{initial}.{last}"));
    named && !words.iter().any(|w| not_a_name(w) || NOT_GIVEN.contains(w)) && !in_brand(found)
}

/// A Vietnamese name, family name first: one of the common family names, a middle name
/// that marks it ("Van", "Thi"), then the given name ("Nguyen Thi Lan"). The middle name
/// keeps "Le" and "Do" from opening one in other languages.
pub(super) const VIETNAMESE_NAME: &str = r"\b(?:Nguy[eễ]n|Tr[aầ]n|L[eê]|Ph[aạ]m|Ho[aà]ng|Hu[yỳ]nh|Phan|V[uũ]|V[oõ]|[ĐD][aặ]ng|B[uù]i|[ĐD][oỗ]|H[oồ]|Ng[oô]|D[uư][oơ]ng|L[yý])\s+(?:V[aă]n|Th[iị]|[ĐD][uứ]c|Minh|Ng[oọ]c|Thanh|Qu[oố]c|H[uữ]u|Kim|Xu[aâ]n)\s+\p{Lu}\p{Ll}+\b";

/// A Chinese name in its own order: a common family name, then a given name of one or two
/// pinyin syllables ("Li Na", "Wang Fang", "Chen Xiaoming"). Family names that are also
/// English words (He, Ma, Song, Tang, Fang, Sun, Long) are left out: "He Ran" is no one. On
/// one line: in a list of one person a line, "Lin⏎Peter" ends one name and opens the next.
pub(super) const CHINESE_NAME: &str = r"\b(?:Li|Wang|Zhang|Liu|Chen|Yang|Huang|Zhao|Wu|Zhou|Xu|Zhu|Lin|Gao|Luo|Zheng|Liang|Xie|Deng|Cao|Peng|Zeng|Xiao|Tian|Yuan|Cai|Jiang|Wei|Shen|Yao|Qian|Qin|Dong|Lu|Du|Cheng|Fu|Xue|Guo|Feng|Hu|Jin|Meng|Yin|Wen|Shi|Qiu|Gu|Hou|Shao|Xiong|Dai|Zou|Zhong|Bai|Han)[ \t]+(\p{Lu}\p{Ll}{1,11})\b";

/// One pinyin syllable without tones: an optional initial, then a final.
const PINYIN_SYLLABLE: &str = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|iao|ian|ing|ang|eng|ong|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|a|o|e|i|u)";

static PINYIN_GIVEN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(&format!("^(?:{PINYIN_SYLLABLE}){{1,2}}$"))
        .unwrap_or_else(|e| panic!("pinyin pattern: {e}"))
});

pub(super) fn chinese_name(found: &Found<'_>) -> bool {
    let value = found.value();
    let given = value
        .split_whitespace()
        .next_back()
        .unwrap_or(value)
        .to_lowercase();
    PINYIN_GIVEN.is_match(&given)
        && !not_a_name(&given)
        && !NOT_GIVEN.contains(&given.as_str())
        && !in_brand(found)
}

/// A chat's mention of a person by handle ("@sarah can u approve", "@jane.doe"), not an
/// e-mail address: the `@` opens a word.
pub(super) const MENTION: &str = r"(?:^|[\s(\[,;])@(\p{L}[\p{L}\d._-]{1,40}[\p{L}\d])";

/// The handle starts with a listed given name: in a mention even one that is also a word
/// ("@bob") is someone; "@here", "@channel" and "@devops" are not.
pub(super) fn mention(found: &Found<'_>) -> bool {
    let value = found.value();
    let first = value.split(['.', '_', '-']).next().unwrap_or(value);
    is_given(first)
}

/// A name that opens a clause and says it is the writer's ("hi team, marcus here."): the
/// one way a lone name typed in lower case is taken.
pub(super) const NAME_HERE: &str =
    r"(?:^|[,.!?;:]\s*|\n\s*)(\p{Lu}[\p{Ll}'’-]+)\s+(?:Here|Speaking)\b";

/// A name and the team it speaks for ("ok so jessica from hr told me …"), lower case
/// allowed like [`NAME_HERE`]: it runs on a [`super::rules::Found::written`] copy, where
/// every word has a capital.
pub(super) static NAME_FROM_TEAM: LazyLock<String> = LazyLock::new(|| {
    // Each team as the copy spells it ("Hr", "Service Desk").
    let teams = teams_pattern("", |team| {
        capitalised(team).unwrap_or_else(|| team.to_owned())
    });
    format!(r"\b(\p{{Lu}}[\p{{Ll}}'’-]+)\s+From\s+(?:{teams})\b")
});

pub(super) fn name_here(found: &Found<'_>) -> bool {
    let value = found.value();
    is_given(value)
        && !WORDS_TOO.contains(&value.to_lowercase().as_str())
        && found
            .written
            .is_none_or(|written| typed_as_a_name(written, found))
}

/// A capitalised name and the team it works in or speaks for, as written ("Nguyen in IT
/// fixed it", "Can Raj from IT look at this?"); the team in any case but "it", which is
/// the pronoun unless written "IT".
pub(super) static NAME_IN_TEAM: LazyLock<String> = LazyLock::new(|| {
    let teams = teams_pattern("it", str::to_owned);
    format!(r"\b(\p{{Lu}}[\p{{Ll}}'’-]+)\s+(from|in|on)\s+(?:the\s+)?(?:IT|(?i:{teams}))\b")
});

/// A listed given or family name before the team. After "in" or "on", a given name that is
/// also a place is the place ("our Austin in Sales" may be the office), so it must be an
/// unambiguous one; after "from" any listed name will do.
pub(super) fn name_in_team(found: &Found<'_>) -> bool {
    let value = found.value();
    let lower = value.to_lowercase();
    let from = found.text[found.end..].trim_start().starts_with("from");
    let given = is_given(value) && (from || !AMBIGUOUS_ALONE.contains(lower.as_str()));
    (given || is_family(value)) && cued_word_is_a_name(found)
}

/// A listed name after a cue is a person unless it is a word that is never a given name,
/// a listed non-name, or part of a brand or a place.
fn cued_word_is_a_name(found: &Found<'_>) -> bool {
    let value = found.value();
    !NOT_GIVEN.contains(&value.to_lowercase().as_str())
        && !not_a_name(value)
        && !in_brand(found)
        && !in_place_name(found)
}

/// A capitalised name as the agent of something done to a ticket, a booking or a request
/// ("booked by Jordan until 3pm", "approved by Max"): only a person books or approves, so
/// a given name that alone is as often a word or a place counts here.
pub(super) const AGENT_NAME: &str = r"\b(?:booked|reserved|approved|requested|submitted|reported|assigned|raised|signed|opened|escalated|filed|reviewed)\s+by\s+(\p{Lu}[\p{Ll}'’-]+)\b";

pub(super) fn agent_name(found: &Found<'_>) -> bool {
    is_given(found.value()) && cued_word_is_a_name(found)
}

/// A listed given name that opens a message or a line and addresses someone ("Frederick,
/// can I please speak to your boss?"): a name that alone is as often a word or a place
/// counts here, as the question after the comma says who is meant.
pub(super) const ADDRESSED_NAME: &str = r"(?m:^)[ \t]*(\p{Lu}\p{Ll}+),[ \t]+(?:can|could|would|will|please|do|did|are|have|what|where|when|why|how|I|we|you)\b";

pub(super) fn addressed_name(found: &Found<'_>) -> bool {
    is_given(found.value()) && !in_brand(found) && !in_place_name(found)
}

/// Initials, then a surname ("J. R. Smith", "A.Lopez").
pub(super) const INITIALS_NAME: &str =
    r"\b(?:\p{Lu}\.\s?){1,3}\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}\p{Ll}+)?\b";

/// Initials open a name only before a listed family name: "U.S. Steel" is no person.
pub(super) fn initials_name(found: &Found<'_>) -> bool {
    let value = found.value();
    let last = value.rsplit(['.', ' ']).next().unwrap_or(value);
    is_family(last) && !not_a_name(last) && !in_brand(found) && !in_place_name(found)
}

/// A listed given name on its own ("please give Aisha access"). A capital inside is allowed
/// after a short prefix ("DeShawn", "LaToya"): the word must still be a listed given name,
/// so "YouTube" and "DevOps" stay.
pub(super) const LONE_NAME: &str = r"\b\p{Lu}(?:\p{Ll}{1,2}\p{Lu})?[\p{Ll}'’]+\b";

/// A listed given name owning something only a person has ("Noa's number", "Priya's
/// laptop"). Alone, a possessive is as often a shop or a place ("Wendy's", "St. Mary's
/// Hospital"), so [`LONE_NAME`] leaves it.
pub(super) const OWNER_NAME: &str = r"\b(\p{Lu}\p{Ll}+)['’]s\s+(?:(?:new|old|work|personal|home|desk)\s+)?(?:laptop|computer|pc|phone|number|mobile|cell|account|email|e-mail|mailbox|password|login|desk|badge|manager|calendar|address|birthday|contract|salary|payslip|kids?|child|children|daughter|son|wife|husband|mother|father|mom|mum|dad|brother|sister|parents|family|friend|boyfriend|girlfriend)\b";

pub(super) fn owner_name(found: &Found<'_>) -> bool {
    is_given(found.value()) && !in_brand(found) && !in_place_name(found)
}

/// What ends a company's name ("Paul S.A.S.", "Richards and Sons", "Baker Group").
static COMPANY_SUFFIX: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:[ \t]+\p{Lu}[\p{L}'’-]+)?,?[ \t]+(?:Inc\b|Inc\.|LLC\b|L\.L\.C\.|LLP\b|Ltd\b|Ltd\.|Limited\b|PLC\b|plc\b|Corp\b|Corp\.|Co\.|GmbH\b|AG\b|KG\b|S\.A\.S\.|S\.A\.|SA\b|SAS\b|SARL\b|S\.L\.|S\.p\.A\.|SpA\b|S\.r\.l\.|B\.V\.|BV\b|N\.V\.|NV\b|Pty\b|(?:and|&)[ \t]+(?:Sons|Co)\b|Group\b|Holdings\b|Associates\b|Partners\b)",
    )
    .unwrap_or_else(|e| panic!("company suffix pattern: {e}"))
});

/// The name is a company's: a legal form or "and Sons" follows it, or follows the word
/// after it ("Ullrich Zorbach AG").
fn names_a_company(found: &Found<'_>) -> bool {
    COMPANY_SUFFIX.is_match(&found.text[found.end..])
}

/// Three names joined as a firm's ("Davies, Harris and Harvey", "O'Dea, Martin and Conlon").
static FIRM: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"\b(\p{Lu}[\p{L}'’-]+),[ \t]+\p{Lu}[\p{L}'’-]+,?[ \t]+(?:and|&)[ \t]+(\p{Lu}[\p{L}'’-]+)",
    )
    .unwrap_or_else(|e| panic!("firm pattern: {e}"))
});

/// The name is one of a firm's three, led or closed by a family name that is no given name
/// (a list of people leads and ends with given names: "Anna, Maria and Jose"; "Jenkins,
/// Norman and James" and "Lewis, Thomas and Rios" are firms).
fn in_a_firm(found: &Found<'_>) -> bool {
    // A firm's three names fit in 60 bytes either side.
    let (from, to) = around(found, 60);
    FIRM.captures_iter(&found.text[from..to]).any(|firm| {
        let (Some(whole), Some(lead), Some(last)) = (firm.get(0), firm.get(1), firm.get(2)) else {
            return false;
        };
        let covers = from + whole.start() <= found.start && found.end <= from + whole.end();
        let (lead, last) = (lead.as_str(), last.as_str());
        let only_family = |word: &str| is_family(word) && !is_given(word);
        covers && (only_family(lead) || only_family(last))
    })
}

pub(super) fn lone_name(found: &Found<'_>) -> bool {
    let value = found.value();
    // Before a hyphen and a word that is no given name, it opens a compound: a company of
    // two surnames ("Moses-Hanson"), not a person ("Mary-Jane" is one).
    let after = &found.text[found.end..];
    let opens_compound = after.strip_prefix('-').is_some_and(|tail| {
        let head: String = tail.chars().take_while(|c| c.is_alphabetic()).collect();
        head.chars().next().is_some_and(char::is_uppercase) && !is_given(&head)
    });
    if opens_compound || names_a_company(found) || in_a_firm(found) || before_a_street_type(found) {
        return false;
    }
    // After a hyphen it ends a compound: a name when the compound starts with one
    // ("Jean-Luc"), else something else ("Addison-Wesley").
    let before = &found.text[..found.start];
    let compound = before.strip_suffix('-').is_some_and(|head| {
        let head = head
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or(head);
        !is_given(head)
    });
    is_given(value)
        && !compound
        && !AMBIGUOUS_ALONE.contains(value.to_lowercase().as_str())
        && !in_place_name(found)
        && !in_brand(found)
}
