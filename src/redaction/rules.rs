//! The detectors: one pattern per shape, a second look (checksum, phone metadata, context)
//! where the shape alone cannot settle it, and a fixed order in which earlier types win an
//! overlap.

use std::sync::LazyLock;

use regex::Regex;

use super::{Kind, names, national_ids};

/// A detected span, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// A candidate: the value and the match around it, in `text`.
pub(super) struct Found<'t> {
    pub text: &'t str,
    /// The text as written, when `text` is a [`capitalised`] copy: its capitals may not be
    /// the writer's, so name rules ask for more than a capital letter.
    pub written: Option<&'t str>,
    /// Where the whole match starts (a keyword that announces the value is part of it).
    pub matched: usize,
    pub start: usize,
    pub end: usize,
}

impl<'t> Found<'t> {
    pub fn value(&self) -> &'t str {
        &self.text[self.start..self.end]
    }

    /// What the match says before the value ("my password is ").
    fn lead(&self) -> &'t str {
        &self.text[self.matched..self.start]
    }

    /// Up to `bytes` bytes of the text before the match, cut at a character boundary.
    pub fn before(&self, bytes: usize) -> &'t str {
        let mut from = self.matched.saturating_sub(bytes);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        &self.text[from..self.matched]
    }

    /// The byte range of the line the match stands on, without its line breaks.
    fn line(&self) -> (usize, usize) {
        let start = self.text[..self.start].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[self.end..]
            .find('\n')
            .map_or(self.text.len(), |i| self.end + i);
        (start, end)
    }

    fn prev_char(&self) -> Option<char> {
        self.text[..self.start].chars().next_back()
    }

    /// The value is a token of its own, not a piece of a longer id, version, path or UUID.
    fn isolated(&self) -> bool {
        !self.glued_before() && !self.glued_after()
    }

    /// The token before the match runs into it ("ID-4111…", "$1234", "10:30").
    fn glued_before(&self) -> bool {
        let mut before = self.text[..self.start].chars().rev();
        match before.next() {
            Some(c) if c.is_alphanumeric() || "-_/.@#$€£".contains(c) => true,
            // "10:30" goes on; a label does not ("Tel:+44 20 …").
            Some(':') => before.next().is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        }
    }

    /// The match runs on into the token after it.
    fn glued_after(&self) -> bool {
        let mut after = self.text[self.end..].chars();
        match after.next() {
            Some(c) if c.is_alphanumeric() || "-_/@%".contains(c) => true,
            // "1.2.3.4.5", "12,500": the number goes on.
            Some('.' | ',' | ':') => after.next().is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        }
    }
}

struct Rule {
    kind: Kind,
    pattern: Regex,
    /// The capture group that is the personal data (0: the whole match).
    group: usize,
    accept: fn(&Found<'_>) -> bool,
    /// The fewest ASCII digits a text needs for the pattern to match: a text with fewer
    /// is not scanned with it.
    least_digits: usize,
    /// A name pattern that needs no capital letter (a mention, "@sarah"); the others skip
    /// a text without one.
    any_case: bool,
}

impl Rule {
    /// A pattern that needs another number of digits than its type does (more for a
    /// postcode and a street number, so that most texts skip it; fewer for a seven-digit
    /// identity number).
    fn needs_digits(mut self, least: usize) -> Self {
        self.least_digits = least;
        self
    }

    fn in_any_case(mut self) -> Self {
        self.any_case = true;
        self
    }
}

impl Kind {
    /// The fewest ASCII digits a value of this type has: a text with fewer is not scanned
    /// for it (most chat messages have no digits at all).
    fn least_digits(self) -> usize {
        match self {
            Kind::CreditCard => 13,
            Kind::Ssn => 9,
            Kind::Iban => 8,
            Kind::Phone => 7,
            Kind::DateOfBirth => 3,
            Kind::Address => 1,
            Kind::Email | Kind::IpAddress | Kind::Secret | Kind::Person => 0,
        }
    }
}

fn always(_: &Found<'_>) -> bool {
    true
}

pub(super) fn digits(text: &str) -> Vec<u32> {
    text.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// A card number is written compact or in its issuer's groups, with one kind of
/// separator: 4-4-4-4(-1…3), Amex 4-6-5, Diners 4-6-4. A float such as
/// `45.604338474779395` has the digits but not the groups.
fn card_groups(value: &str) -> bool {
    let separators: Vec<char> = value.chars().filter(|c| !c.is_ascii_digit()).collect();
    if separators.iter().any(|&c| c != separators[0]) {
        return false;
    }
    let groups: Vec<usize> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    match groups.as_slice() {
        // Twelve digits in threes of four: Maestro's (only read after a card's name).
        [_] | [4, 6, 5] | [4, 6, 4] | [4, 4, 4] => true,
        [head @ .., last] => head.len() >= 3 && head.iter().all(|&g| g == 4) && *last <= 4,
        [] => false,
    }
}

/// Words before numbers that pass Luhn and are not cards: a phone's IMEI, and barcodes
/// (about one EAN-13 in ten passes it too).
const NOT_CARD_WORDS: &[&str] = &["imei", "ean", "upc", "gtin", "isbn", "barcode", "sku"];

/// Card numbers have 13–19 digits in a card's groups, start with a payment-card industry
/// digit (2–6: the issuers of ISO/IEC 7812; `00…` is a dialling prefix) and pass the Luhn
/// check; other long numbers (order ids, timestamps, floats) stay.
fn card(found: &Found<'_>) -> bool {
    let digits = digits(found.value());
    if !(13..=19).contains(&digits.len())
        || !(2..=6).contains(&digits[0])
        || !card_groups(found.value())
        || !found.isolated()
        || in_url(found)
        || words_before(found, 3)
            .iter()
            .any(|w| NOT_CARD_WORDS.contains(&w.as_str()))
    {
        return false;
    }
    luhn(&digits)
}

/// A card number of any length a card has, named as one: it passes Luhn and is not part of
/// a longer token or a link.
fn named_card(found: &Found<'_>) -> bool {
    let digits = digits(found.value());
    (12..=19).contains(&digits.len())
        && card_groups(found.value())
        && found.isolated()
        && !in_url(found)
        && digits.iter().any(|&d| d != digits[0])
        && luhn(&digits)
}

/// A German street on "-ring" ("Kaiserring 5"), not an English word that ends so before a
/// number ("During 2015", "Spring 2024", "Engineering 101").
fn not_an_english_ring(found: &Found<'_>) -> bool {
    const WORDS: &[&str] = &[
        "spring",
        "string",
        "bring",
        "wring",
        "offspring",
        "earring",
        "hamstring",
        "drawstring",
        "shoestring",
        "wellspring",
        "mainspring",
    ];
    let word = found
        .value()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let Some(stem) = word.strip_suffix("ring") else {
        return true;
    };
    // "du-ring", "offe-ring", "monito-ring": a vowel before it makes an English "-ing".
    let gerund = stem.ends_with(['a', 'e', 'i', 'o', 'u', 'y']);
    !gerund && !WORDS.contains(&word.as_str())
}

/// The street's number is no year ("Windows Server 2019, 10240 Build"), nor the first
/// word a version's or a document's ("Version 3, 12345 Downloads").
fn no_year_before_postcode(found: &Found<'_>) -> bool {
    let value = found.value();
    let first = value
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let year = value
        .split(',')
        .next()
        .and_then(|street| street.split_whitespace().next_back())
        .is_some_and(|number| {
            number.len() == 4 && (number.starts_with("19") || number.starts_with("20"))
        });
    !year
        && ![
            "version", "release", "build", "page", "chapter", "level", "step", "part", "section",
            "volume", "issue", "windows", "server", "update",
        ]
        .contains(&first.as_str())
}

/// The Luhn check digit holds (card numbers, Canada's social insurance numbers).
pub(super) fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A Canadian social insurance number: nine digits that pass the Luhn check, after the
/// word for it. (Those starting with 0 are only ever examples, and examples are what
/// leak from forms and training material too.)
fn sin(found: &Found<'_>) -> bool {
    let digits = digits(found.value());
    digits.len() == 9 && luhn(&digits)
}

/// An IBAN: 15–34 letters and digits (spaces ignored) whose mod-97 check, with the first
/// four moved to the end and letters as 10–35, is 1.
fn iban(found: &Found<'_>) -> bool {
    if in_url(found) {
        return false;
    }
    let compact: Vec<char> = found
        .value()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder = 0u32;
    for c in tail.iter().chain(head) {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        remainder = if value < 10 {
            (remainder * 10 + value) % 97
        } else {
            (remainder * 100 + value) % 97
        };
    }
    remainder == 1
}

/// No SSN has an all-zero area, group or serial; test data and ids often do.
fn ssn(found: &Found<'_>) -> bool {
    let digits = digits(found.value());
    let zero = |range: std::ops::Range<usize>| digits[range].iter().all(|&d| d == 0);
    digits.len() == 9 && !zero(0..3) && !zero(3..5) && !zero(5..9)
}

fn ssn_shaped(found: &Found<'_>) -> bool {
    found.isolated() && ssn(found) && !in_url(found)
}

/// Nine bare digits with no keyword: an SSN when its area is one the SSA issues (not 000,
/// 666 or 900–999), nothing calls it an id or a phone, and no unit follows it.
fn bare_ssn(found: &Found<'_>) -> bool {
    let digits = digits(found.value());
    let area = digits[0] * 100 + digits[1] * 10 + digits[2];
    let unit = found.text[found.end..]
        .split_whitespace()
        .next()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .is_some_and(|w| UNITS.contains(&w.as_str()));
    // A field's value written as data ("bytes":123456789, size=123456789) is a quantity,
    // not an SSN; prose puts a space after its colon ("Details: 123456789").
    let field_value = found.text[..found.start].ends_with([':', '=']);
    // "(0321) 372041935": a bracketed area code makes it a phone's subscriber number.
    let area_code = found.text[..found.start]
        .trim_end_matches(' ')
        .ends_with(')');
    area != 666
        && !area_code
        && !in_a_signature(found, digits.len())
        && area < 900
        && !field_value
        && ssn_shaped(found)
        && !unit
        && !announced_as_id(found)
        && !inside_longer_number(found)
        && !words_before(found, 6)
            .iter()
            .any(|w| PHONE_WORDS.contains(&w.as_str()))
}

/// Words after a number that make it a quantity.
const UNITS: &[&str] = &[
    "seconds", "secs", "s", "ms", "minutes", "hours", "days", "bytes", "kb", "mb", "gb", "tb",
    "users", "items", "rows", "records", "requests", "times", "points", "dollars", "usd", "eur",
    "euros", "pounds", "gbp", "words", "lines", "pages", "tokens",
];

/// The last few words before a match, lower-cased, punctuation trimmed.
fn words_before(found: &Found<'_>, count: usize) -> Vec<String> {
    words_within(found, count, 40)
}

/// The same, looked for in up to `reach` bytes before the match.
fn words_within(found: &Found<'_>, count: usize, reach: usize) -> Vec<String> {
    found
        .before(reach)
        .split_whitespace()
        .rev()
        .take(count)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect()
}

/// Words that make the number after them an identifier, not contact or network data.
const ID_WORDS: &[&str] = &[
    "order",
    "ticket",
    "invoice",
    "inc",
    "ref",
    "reference",
    "id",
    "serial",
    "case",
    "acct",
    "account",
    "po",
    "sku",
    "build",
    "version",
    "ver",
    "v",
    "release",
    "firmware",
    "fw",
    "tracking",
    "transaction",
    "txn",
    "confirmation",
    "booking",
    "claim",
    "policy",
    "employee",
    "badge",
    "asset",
    "model",
    "part",
    "port",
    "room",
    "quote",
    "quotation",
    "estimate",
    "rma",
    "receipt",
    "shipment",
    "parcel",
    "request",
    "req",
    "job",
    "batch",
    "lot",
    "upgrade",
    "update",
    "patch",
    "kb",
    "error",
    "code",
    "pr",
    "issue",
    "bug",
    "routing",
    "aba",
    // A company's registration and tax numbers ("KvK number 12345678", "VAT 123456789").
    "vat",
    "btw",
    "kvk",
    "registration",
    "reg",
    "ein",
    "abn",
    "siren",
    "siret",
    "ondernemingsnummer",
    "kbo",
    "bce",
    "steuernummer",
    "ust",
];

const PHONE_WORDS: &[&str] = &[
    "phone",
    "tel",
    "telephone",
    "call",
    "mobile",
    "cell",
    "reach",
    "reached",
    "reachable",
    "fax",
    "whatsapp",
    "sms",
    "text",
    "ring",
    "dial",
    "contact",
    "hotline",
    "landline",
    "ph",
    "mob",
    "telefon",
    "téléphone",
    "teléfono",
    "handy",
    "portable",
    "number",
    // Spanish, Portuguese, French, German and Italian: "ligue para", "llame al", "appelez".
    "telefone",
    "celular",
    "ligue",
    "ligar",
    "llame",
    "llamar",
    "llámame",
    "móvil",
    "movil",
    "appelez",
    "appeler",
    "tél",
    "anrufen",
    "rufnummer",
    "telefono",
    "cellulare",
    "chiamare",
    "número",
    "numéro",
    // Dutch, Danish, Swedish, Polish, Turkish, Indonesian, Vietnamese and Swahili: "bel me
    // op", "ring til", "dzwoń na", "numaram", "hubungi", "gọi cho", "piga simu".
    "bel",
    "bellen",
    "mobiel",
    "nummer",
    "telefoonnummer",
    "telefonnummer",
    "mobil",
    "dzwoń",
    "zadzwoń",
    "numer",
    "numara",
    "numaram",
    "hubungi",
    "nomor",
    "gọi",
    "piga",
];

fn announced_as_id(found: &Found<'_>) -> bool {
    if found.before(2).ends_with('#') || found.before(2).ends_with("# ") {
        return true;
    }
    // "order number 123…": an id word within the last two words, unless the nearest word
    // is itself about phones ("order, call 202…"); a verb between label and value does not
    // count ("your reference number is 5821…").
    let words: Vec<String> = words_before(found, 4)
        .into_iter()
        .filter(|w| !["is", "was", "are", "were"].contains(&w.as_str()))
        .take(2)
        .collect();
    let nearest_is_phone = words
        .first()
        .is_some_and(|w| PHONE_WORDS.contains(&w.as_str()) && w != "number");
    !nearest_is_phone && words.iter().any(|w| ID_WORDS.contains(&w.as_str()))
}

/// Words that make the dotted quad after them a version: "version 10.2.1.4", "build …",
/// "upgrade to …".
const VERSION_WORDS: &[&str] = &[
    "version", "ver", "v", "build", "release", "firmware", "fw", "patch", "kernel", "driver",
    "bios", "sdk", "api", "app", "agent", "client", "os",
];

/// Software named right before its version ("Python 3.11.4.1", "Chrome 120.0.6099.71"); not
/// names that are also a host's role ("node 10.0.0.5", "edge 10.0.0.1").
const SOFTWARE: &[&str] = &[
    "python", "java", "jdk", "jre", "php", "ruby", "perl", "chrome", "chromium", "firefox",
    "safari", "macos", "ios", "android", "ubuntu", "debian", "openssl", "nginx", "apache",
    "tomcat", "postgres", "mysql", "oracle", "outlook", "vmware", "esxi", "docker", "kubectl",
];

/// Words before "to" that move software between versions ("rolled back to 19.20.3.1").
const MOVED_WORDS: &[&str] = &[
    "upgrade",
    "upgraded",
    "upgrading",
    "update",
    "updated",
    "updating",
    "downgrade",
    "downgraded",
    "downgrading",
    "rollback",
    "revert",
    "reverted",
    "reverting",
    "pin",
    "pinned",
    "bump",
    "bumped",
];

/// Words after a number that make it the version they name ("10.4.3.2 firmware").
const VERSION_NOUNS: &[&str] = &[
    "firmware", "release", "build", "version", "kernel", "driver", "bios", "patch", "update",
    "hotfix",
];

/// A version, as the words around it say: before it ("version", "upgrade to") or right
/// after it ("firmware").
fn announced_as_version(found: &Found<'_>) -> bool {
    let next = found.text[found.end..].split_whitespace().next().map(|w| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    });
    if next.is_some_and(|w| VERSION_NOUNS.contains(&w.as_str())) {
        return true;
    }
    let words = words_before(found, 3);
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    let rolled_back = word(1) == "back" && ["roll", "rolled", "rolling"].contains(&word(2));
    let moved_to = word(0) == "to" && (MOVED_WORDS.contains(&word(1)) || rolled_back);
    // "the build agent at 172.16.40.12": a place word between the version word and the
    // number makes the number where the thing is, not which release it is.
    let located = ["at", "on", "from", "via", "behind"].contains(&word(0));
    moved_to
        || SOFTWARE.contains(&word(0))
        || (!located
            && words
                .iter()
                .take(2)
                .any(|w| VERSION_WORDS.contains(&w.as_str())))
}

static DATE_SHAPE: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[./-]\d{4}|\d{4}[./-]\d{1,2})$")
});
/// An extension after a number ("555-201-7788 x204", "ext. 12", Faker's "…-7161x4062").
const PHONE_EXTENSION: &str = r"[ \t]?(?i:x|ext\.?|extn\.?|extension)[ \t]?\d{1,6}\b";
static EXTENSION_AT_END: LazyLock<Regex> =
    LazyLock::new(|| compile(&format!("(?:{PHONE_EXTENSION})$|[xX]\\d{{1,6}}$")));
static NANP_SHAPE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}$"));

/// The candidate is only part of a longer run of digit groups ("DE88 3704 0044 0532…").
fn inside_longer_number(found: &Found<'_>) -> bool {
    let before = found.text[..found.start].trim_end_matches(' ');
    let after = found.text[found.end..].trim_start_matches(' ');
    let spaced_before = before.len() < found.start;
    let spaced_after = after.len() < found.text.len() - found.end;
    (spaced_before && before.ends_with(|c: char| c.is_ascii_digit()))
        || (spaced_after && after.starts_with(|c: char| c.is_ascii_digit()))
}

/// A bare number as a signature or a contact list gives it, between separators on the line
/// of an e-mail address ("Jane Doe | Acme | jane@acme.com | 5551234567"), and shaped as a
/// phone number is: ten digits with a North-American area code and exchange (2–9 first),
/// or eleven with a trunk `0` or a leading `1` — which an epoch timestamp beside a user's
/// address in an export (`1701234567`) is not.
fn in_a_contact_line(found: &Found<'_>, value: &str) -> bool {
    let digits: Vec<u32> = digits(value);
    if digits.len() != value.len() {
        return false;
    }
    let nanp = |d: &[u32]| d.len() == 10 && d[0] >= 2 && d[3] >= 2;
    let shaped = nanp(&digits)
        || (digits.len() == 11 && digits[0] == 0 && digits[1] != 0)
        || (digits.len() == 11 && digits[0] == 1 && nanp(&digits[1..]));
    if !shaped {
        return false;
    }
    let (line_start, line_end) = found.line();
    // The characters beside the number on its line, spaces aside (`None` at either end).
    let before = found.text[line_start..found.start]
        .trim_end_matches(' ')
        .chars()
        .next_back();
    let after = found.text[found.end..line_end]
        .trim_start_matches(' ')
        .chars()
        .next();
    let separator = |c: Option<char>| matches!(c, Some('|' | ',' | ';' | '\t'));
    (separator(before) || separator(after))
        && (before.is_none() || separator(before))
        && (after.is_none() || separator(after))
        && EMAIL_ON_LINE.is_match(&found.text[line_start..line_end])
}

/// A number of 8–13 digits alone on its line in the few lines after a sign-off
/// ("Regards,⏎Nerea Carrasco⏎986 731 385"): a signature's phone, written without a label.
fn in_a_signature(found: &Found<'_>, count: usize) -> bool {
    static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
        compile(
            r"(?i)^[ \t]*(?:(?:kind|best|warm)\s+)?(?:regards|thanks|thank\s+you|cheers|best|sincerely|br|thx|mit\s+freundlichen\s+grüßen|cordialement|saludos|groeten|hälsningar|med\s+venlig\s+hilsen|pozdrawiam)[ \t]*[,.!]?[ \t]*$",
        )
    });
    if !(8..=13).contains(&count) {
        return false;
    }
    let (line_start, line_end) = found.line();
    let alone = found.text[line_start..found.start].trim().is_empty()
        && found.text[found.end..line_end].trim().is_empty();
    alone
        && found.text[..line_start]
            .lines()
            .rev()
            .take(4)
            .any(|line| SIGN_OFF.is_match(line))
}

/// An e-mail address; `%40` is the `@` of an address inside a link's query string.
const EMAIL_ADDRESS: &str = r"(?i)\b[a-z0-9][a-z0-9._%+-]*(?:@|%40)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}\b";
static EMAIL_ON_LINE: LazyLock<Regex> = LazyLock::new(|| compile(EMAIL_ADDRESS));

/// What a phone is for, written after it in a signature or a form ("3438812690 fax",
/// "(693)532-3016-Office").
const PHONE_LABELS_AFTER: &[&str] = &["fax", "mobile", "cell", "office", "desk", "home", "work"];

/// Whether such a label follows the number: `Some(true)` when glued to it by a dash (the
/// number is then still whole), `Some(false)` after a space.
fn labelled_after(found: &Found<'_>) -> Option<bool> {
    let after = &found.text[found.end..];
    let (glued, rest) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after.strip_prefix([' ', '\t'])?),
    };
    let word: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    // Glued, the label ends at any non-letter; after a space it must close the line or the
    // entry ("… 3438812690 fax⏎"), since "12000000 home users" goes on.
    let ends = rest[word.len()..].chars().next().is_none_or(|c| {
        if glued {
            !c.is_alphanumeric()
        } else {
            "\r\n,;|)".contains(c)
        }
    });
    (ends && !found.glued_before() && PHONE_LABELS_AFTER.contains(&word.to_lowercase().as_str()))
        .then_some(glued)
}

fn phone(found: &Found<'_>) -> bool {
    // The number is read without its extension; the span keeps it.
    let value = found.value();
    let value = EXTENSION_AT_END
        .find(value)
        .map_or(value, |extension| &value[..extension.start()]);
    let count = digits(value).len();
    let labelled = labelled_after(found);
    if !(7..=15).contains(&count)
        || !(found.isolated() || labelled == Some(true))
        || in_url(found)
        || inside_longer_number(found)
        || announced_as_id(found)
        || DATE_SHAPE.is_match(value)
    {
        return false;
    }
    if let Some(international) = value
        .strip_prefix("00")
        .map(|rest| format!("+{rest}"))
        .or_else(|| value.starts_with('+').then(|| value.to_owned()))
        // "(+44) 20 7946 0857": the country code in brackets.
        .or_else(|| {
            value
                .strip_prefix("(+")
                .map(|rest| format!("+{}", rest.replacen(')', "", 1)))
        })
    {
        return match phonenumber::parse(None, &international) {
            // The country code must exist; the numbering plan decides only for numbers
            // short enough to be something else. (Each check runs the metadata's patterns,
            // which the crate caches a hundred at a time: the fewer, the faster.)
            // Counted without a `00` prefix: "00418823" is six digits after it.
            Ok(number) => digits(&international).len() >= 8 || number.is_valid(),
            Err(_) => false,
        };
    }
    // Six words back, however long they are: "reach me at a.long.address@example.com or
    // 7838 3459" names the number forty bytes before it.
    let context = words_within(found, 6, 120)
        .iter()
        .any(|w| PHONE_WORDS.contains(&w.as_str()));
    if context
        || labelled.is_some()
        || in_a_signature(found, count)
        || NANP_SHAPE.is_match(value)
        || in_a_contact_line(found, value)
    {
        return true;
    }
    // No word says it is a phone: only a national number written as one, with its trunk
    // prefix and in groups ("0151 234 5678", "(020) 7946 0958"), or as a mobile is in
    // two: an area or mobile prefix, then the subscriber ("07700 900123", "0151 23456789").
    let separators = value.chars().filter(|c| " .-()".contains(*c)).count();
    let national = value.trim_start_matches('(');
    let trunk = national.starts_with('0') && !national.starts_with("00");
    let two_groups = || {
        let mut groups = value.split([' ', '-']);
        matches!(
            (groups.next(), groups.next(), groups.next()),
            (Some(prefix), Some(subscriber), None)
                if (4..=5).contains(&prefix.len()) && (6..=8).contains(&subscriber.len())
                    // A British area code of six digits and its short subscriber
                    // ("015715 03650").
                    || prefix.len() == 6
                        && prefix.starts_with("01")
                        && (4..=5).contains(&subscriber.len())
        )
    };
    trunk && (9..=12).contains(&count) && (separators >= 2 || (count >= 10 && two_groups()))
}

/// A host's IPv4 address: not a network address (`x.y.z.0`, far more often a version
/// such as `19.21.0.0`) nor one in `0.0.0.0/8`.
fn ipv4(found: &Found<'_>) -> bool {
    let value = found.value();
    let address = value.split('/').next().unwrap_or(value);
    let cidr = value.contains('/');
    address
        .parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.octets()[0] != 0 && (cidr || ip.octets()[3] != 0))
        && {
            let with_port = with_port(found);
            // A port ("[client 203.0.113.77:51234]", Apache's log) makes the quad a
            // host's, whatever word stands before it: a version has none.
            let ported = with_port.end > found.end;
            (with_port.isolated() || url_host(&with_port))
                && (ported
                    || (!announced_as_version(found)
                        && !sibling_of_a_version(found)
                        && !found.prev_char().is_some_and(|c| c == 'v' || c == 'V')))
        }
}

/// Another dotted quad of the text with the same first two numbers is announced as a
/// version ("firmware 1.2.3.4 is buggy, go to 1.2.3.5"): so is this one.
fn sibling_of_a_version(found: &Found<'_>) -> bool {
    static QUAD: LazyLock<Regex> =
        LazyLock::new(|| compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b"));
    fn prefix(quad: &str) -> &str {
        quad.match_indices('.')
            .nth(1)
            .map_or(quad, |(dot, _)| &quad[..dot])
    }
    let own = prefix(found.value());
    QUAD.find_iter(found.text).any(|other| {
        other.start() != found.start
            && prefix(other.as_str()) == own
            && announced_as_version(&Found {
                matched: other.start(),
                start: other.start(),
                end: other.end(),
                ..*found
            })
    })
}

/// The address is a link's host (`http://10.0.0.5/admin`, `deploy@52.14.201.9`): glued to
/// the scheme or the user before it and to the path after it, and no less an address.
fn url_host(found: &Found<'_>) -> bool {
    let before = &found.text[..found.start];
    let after = found.text[found.end..].chars().next();
    (before.ends_with("://") || before.ends_with('@'))
        && after.is_none_or(|c| c == '/' || c.is_whitespace() || ",;)>\"'".contains(c))
}

/// The address and the port written after it (`10.0.0.5:8080`), which a time's colon
/// ("10:30") must not hide: the port stays in the text, the address is the value.
fn with_port<'t>(found: &Found<'t>) -> Found<'t> {
    static PORT: LazyLock<Regex> = LazyLock::new(|| compile(r"^:\d{1,5}\b"));
    let port = PORT.find(&found.text[found.end..]).map_or(0, |m| m.end());
    Found {
        end: found.end + port,
        ..*found
    }
}

/// Three groups at least, or a compressed address led by a full group (`fe80::1`): two
/// short groups around `::` are as often code (`a::b`).
fn ipv6(found: &Found<'_>) -> bool {
    let value = found.value();
    let groups: Vec<&str> = value.split(':').filter(|g| !g.is_empty()).collect();
    let compressed = value.contains("::") && groups.first().is_some_and(|g| g.len() == 4);
    (groups.len() >= 3 || (groups.len() == 2 && compressed))
        && value.parse::<std::net::Ipv6Addr>().is_ok()
        && found.isolated()
}

/// A labelled key is only a secret when it looks generated: letters and digits mixed.
fn generated(found: &Found<'_>) -> bool {
    let value = found.value();
    value.chars().any(|c| c.is_ascii_digit()) && value.chars().any(|c| c.is_ascii_alphabetic())
}

/// What labels a password ("password", "pwd", "Wi-Fi key", "shared secret", …), misspelt
/// and in a few languages.
const PASSWORD_LABELS: &str = r"(?:password|pasword|passowrd|passwrd|passwort|passwd|passcode|passphrase|pwd|pswd|pw|kennwort|mot de passe|contrase[ñn]a|wachtwoord|l[öo]senord|has[łl]o|senha|salasana|adgangskode|passord|şifre(?:m|miz|niz|si)?|parola(?:m|mız|nız|sı)?|psk|wpa2?[ _-]?key|(?:wi-?fi|wlan|wireless|network)[ _-]key|(?:wi-?fi|wlan|wireless)[ _-]?pass|shared[ _-]secret|(?:vpn|radius|ipsec)[ _-](?:secret|key))";

/// Words that follow "password" in ordinary sentences about passwords.
const NOT_PASSWORDS: &[&str] = &[
    // MySQL's "Access denied … (using password: YES)".
    "yes",
    "no",
    "policy",
    "policies",
    "reset",
    "resets",
    "expired",
    "expires",
    "expiry",
    "change",
    "changed",
    "changes",
    "manager",
    "field",
    "requirements",
    "rules",
    "for",
    "is",
    "was",
    "the",
    "a",
    "an",
    "my",
    "your",
    "our",
    "their",
    "his",
    "her",
    "and",
    "or",
    "to",
    "of",
    "does",
    "doesn't",
    "doesnt",
    "did",
    "didn't",
    "not",
    "has",
    "have",
    "had",
    "will",
    "would",
    "should",
    "must",
    "never",
    "again",
    "please",
    "link",
    "email",
    "hint",
    "length",
    "strength",
    "protected",
    "wrong",
    "incorrect",
    "complexity",
    "history",
    "update",
    "updated",
    "works",
    "work",
    "worked",
    "here",
    "there",
    "that",
    "this",
    "it",
    "in",
    "on",
    "with",
    "without",
    "when",
    "after",
    "before",
    "because",
    "but",
    "so",
    "still",
    "now",
    "too",
    "also",
    "just",
    "again",
    "every",
    "each",
    "form",
    "page",
    "prompt",
    "screen",
    "box",
    "dialog",
    "request",
    "sync",
    "vault",
    "recovery",
    "login",
    "stopped",
    "keeps",
    "isn't",
    "isnt",
    "wasn't",
    "can't",
    "cannot",
    "won't",
    "being",
    "been",
    "be",
    "set",
    "same",
    "new",
    "old",
    "temporary",
    "expiration",
    "rotation",
    "required",
    "needed",
    "changes",
    "into",
    "from",
    "by",
    "at",
    "as",
    "if",
    "then",
    "used",
    "via",
    "using",
    "correct",
    "right",
    "fine",
    "ok",
    "okay",
    "valid",
    "invalid",
    "working",
    "accepted",
    "rejected",
    "locked",
    "blocked",
    "case",
    "very",
    "really",
    "weak",
    "strong",
    "long",
    "short",
    "complex",
    "simple",
    "different",
    "saved",
    "stored",
    "known",
    "forgotten",
    "lost",
    "compromised",
    "shared",
    "visible",
    "hidden",
    "mandatory",
    "missing",
    "empty",
    "blank",
    "unknown",
    "protected",
    "encrypted",
    "hashed",
    "synced",
    "wrong",
    "same",
];

/// The value opens a parenthesis that closes after it: an aside ("password (8+ chars)",
/// "password (see the vault)"), not a password that starts with a bracket.
fn parenthetical(found: &Found<'_>) -> bool {
    let value = found.value();
    value.starts_with('(')
        && !value.contains(')')
        && found.text[found.end..]
            .split('\n')
            .next()
            .is_some_and(|line| line.contains(')'))
}

fn password(found: &Found<'_>) -> bool {
    let value = found.value();
    let lower = value.to_lowercase();
    if NOT_PASSWORDS.contains(&lower.as_str()) || parenthetical(found) {
        return false;
    }
    // "Wuhaven, PW 56879": Palau's postal code and a ZIP code after a town, not a password.
    if found.lead().trim_end() == "PW"
        && found.before(2) == ", "
        && value.len() == 5
        && value.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let lead = found.lead().to_lowercase();
    // After a dash ("wifi password - …") only a value with a digit or a symbol: prose goes
    // on after a dash ("a password – only you should…", in capitals too).
    let after_dash = lead.trim_end().ends_with(['-', '–']);
    if after_dash
        && !value
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
    {
        return false;
    }
    let looks_generated = value
        .chars()
        .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        || value.chars().skip(1).any(char::is_uppercase);
    // "the Wi-Fi key for the lab AP: …": a word before a colon labels the value after it.
    let labels_next = found.text[found.end..].starts_with(": ");
    if value.contains("://") || value.starts_with("www.") || a_reference(&lower) || labels_next {
        return false;
    }
    if looks_generated {
        return true;
    }
    // A plain word is a password only when the text states it and then stops or moves on
    // ("my password is sunshine." — not "the password is available at the portal").
    let labelled = lead.contains(':') || lead.contains('=');
    let stated = labelled || lead.trim_end().ends_with(" is");
    let next = found.text[found.end..].trim_start();
    let clause_ends = next.is_empty()
        || next.starts_with(['.', ',', ';', '!', '?', ')'])
        || ["and ", "but ", "so ", "please", "thanks", "thx"]
            .iter()
            .any(|w| next.to_lowercase().starts_with(w));
    stated && value.chars().count() >= 6 && (labelled || clause_ends)
}

/// Standing alone (not a domain's or a link's part: a calendar's id `gsa.gov_…@group…`),
/// and its longest run of letters and digits looks generated: 24 characters or more, with
/// at least four digits and four letters (an identifier's words have few digits, and a
/// date or a number no letters).
fn prefixed_key(found: &Found<'_>) -> bool {
    // Ids a support ticket quotes, not secrets: Stripe's objects (`cus_…`, `acct_…`; its
    // two-letter `ch_…` and `pi_…` fall to the prefix's length), requests, invoices, orders.
    const PUBLIC_IDS: &[&str] = &[
        "cus", "sub", "txn", "evt", "seti", "src", "card", "acct", "prod", "price", "plink", "req",
        "inv", "ord",
    ];
    let parts: Vec<&str> = found.value().split(['_', '-']).collect();
    let prefix = parts.first().copied().unwrap_or_default();
    let generated_run = |run: &&str| {
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        run.len() >= 24 && digits >= 4 && run.len() - digits >= 4
    };
    prefix.len() >= 3
        && !PUBLIC_IDS.contains(&prefix.to_ascii_lowercase().as_str())
        && parts
            .iter()
            .max_by_key(|part| part.len())
            .is_some_and(generated_run)
        && found.isolated()
}

/// `at` and `dot` spelt out, in brackets or as words, between an address's parts; the
/// address ends in a common top-level domain.
const SPELT_OUT_EMAIL: &str = concat!(
    r"(?i)\b[a-z0-9][a-z0-9._%+-]*(?:\s+dot\s+[a-z0-9_%+-]+)*",
    r"(?:\s*[\[({]\s*at\s*[\])}]\s*|\s+at\s+)",
    r"[a-z0-9-]+(?:(?:\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+|\.)[a-z0-9-]+)*",
    r"(?:\s*[\[({]\s*dot\s*[\])}]\s*|\s+dot\s+|\.)",
    r"(?:com|org|net|edu|gov|mil|io|co|info|biz|me|app|dev|ai|us|uk|ca|au|nz|ie|de|fr|es|it",
    r"|nl|be|ch|at|se|no|dk|fi|pl|pt|br|mx|in|jp|kr|cn|sg|za)\b",
);

/// Spelt out on purpose: `at` in brackets, or `dot` as a word or in brackets. "Sign up at
/// example.com" (a plain `at` and real dots) is a sentence about a website.
fn spelt_out(found: &Found<'_>) -> bool {
    static SPELT: LazyLock<Regex> =
        LazyLock::new(|| compile(r"(?i)[\[({]\s*(?:at|dot)\s*[\])}]|\sdot\s"));
    SPELT.is_match(found.value())
}

/// Whether the text may hold an address without an `@`: the spelt-out forms need `dot`
/// or a bracketed `at`.
fn may_spell_out_an_address(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| {
        w.eq_ignore_ascii_case(b"dot")
            || (w[0].eq_ignore_ascii_case(&b'a')
                && w[1].eq_ignore_ascii_case(&b't')
                && b"])}".contains(&w[2]))
    })
}

/// An address, not a URL's user information; written with `%40`, only as the value of a
/// query parameter that holds one (`?email=…%40…`): a public calendar's id in a link
/// (`src=…%40group.calendar.google.com`) is none.
fn email(found: &Found<'_>) -> bool {
    static ADDRESS_PARAMETER: LazyLock<Regex> = LazyLock::new(|| {
        compile(r"(?i)(?:e-?mail|mail|email_address|to|from|cc|user(?:name)?|login|recipient)=$")
    });
    not_userinfo(found)
        && (!found.value().contains("%40") || ADDRESS_PARAMETER.is_match(found.before(40)))
}

/// `password@db.example.com` after `https://user:` is a URL's user information and host,
/// not an address to write to.
fn not_userinfo(found: &Found<'_>) -> bool {
    static USERINFO: LazyLock<Regex> = LazyLock::new(|| compile(r"://[^\s/@:]+:$"));
    !USERINFO.is_match(found.before(200))
}

/// Words written where a password goes in examples and templates: no one's secret.
/// A configuration's reference to a value kept elsewhere (Terraform's `var.db_password`,
/// `process.env.DB_PASSWORD`), not the value.
fn a_reference(lower: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "var.",
        "local.",
        "data.",
        "module.",
        "each.",
        "self.",
        "env.",
        "process.env.",
        "os.environ",
        "secrets.",
        "vars.",
    ];
    PREFIXES.iter().any(|p| lower.starts_with(p))
}

const PLACEHOLDERS: &[&str] = &[
    "password", "passwd", "pass", "pwd", "secret", "xxx", "xxxx", "xxxxxx", "changeme", "redacted",
];

fn not_a_placeholder(found: &Found<'_>) -> bool {
    let value = found.value();
    !(PLACEHOLDERS.contains(&value.to_lowercase().as_str())
        || parenthetical(found)
        || value.starts_with(['$', '<', '{', '%', '['])
        || value.chars().all(|c| c == '*' || c == 'x' || c == 'X'))
}

/// The second half of a user/password pair: it has to look made up (a letter with a digit
/// or a symbol), since "login is TCP/IP based" pairs two words too.
/// Not a line of `/etc/passwd` (`root:x:0:0:root:/root:/bin/bash`), whose fields go on
/// after more colons and hold paths.
fn admin_password(found: &Found<'_>) -> bool {
    let value = found.value();
    !value.contains([':', '/']) && paired_password(found)
}

fn paired_password(found: &Found<'_>) -> bool {
    let value = found.value();
    value.chars().count() >= 6
        && value.chars().any(char::is_alphabetic)
        && value
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        && not_a_placeholder(found)
}

/// The candidate sits inside a link (`…/edit#gid=600166428`, `?ref_nbr=202208-3090-003`):
/// numbers in URLs are ids, not a person's data.
fn in_url(found: &Found<'_>) -> bool {
    let token_start = found.text[..found.start]
        .rfind(|c: char| c.is_whitespace() || "([<\"'".contains(c))
        .map_or(0, |i| i + 1);
    let token = &found.text[token_start..found.start];
    token.contains("://") || token.starts_with("www.")
}

fn compile(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("redaction pattern {pattern}: {e}"))
}

const MONTHS: &str = "jan(?:uary|vier|uar)?|feb(?:ruary|rero|ruar)?|f[ée]vrier|mar(?:ch|zo|s)?|märz|apr(?:il)?|avril|abril|may(?:o)?|mai|june?|juin|juni|junio|july?|juli(?:et|o)?|aug(?:ust)?|ao[uû]t|agosto|sep(?:t(?:ember|embre|iembre)?)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|nov(?:ember|embre|iembre)?|dec(?:ember)?|d[ée]cembre|dez(?:ember)?|diciembre|enero|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre";

fn rule(kind: Kind, pattern: &str, group: usize, accept: fn(&Found<'_>) -> bool) -> Rule {
    Rule {
        kind,
        pattern: compile(pattern),
        group,
        accept,
        least_digits: kind.least_digits(),
        any_case: false,
    }
}

/// Rules in the order they claim text: a span an earlier rule took is not taken again.
/// Secrets and e-mail first (their tokens hold digits), IBANs before cards (an IBAN's digit
/// groups can pass Luhn), identity numbers after their names before cards too (a South
/// African one passes Luhn), cards and SSNs before phones, dates and addresses before phones
/// (their digits look like one), names last.
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let date = format!(
        r"(\d{{1,2}}[./-]\d{{1,2}}[./-](?:19|20)?\d{{2}}|(?:19|20)\d{{2}}[./-]\d{{1,2}}[./-]\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th|º)?\.?\s+(?:of\s+|de\s+)?(?:{MONTHS})\.?,?\s+(?:de\s+)?(?:19|20)?\d{{2}}|\d{{1,2}}-(?:{MONTHS})-(?:19|20)?\d{{2}}|(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)?\d{{2}})\b"
    );
    // What says the date after it is someone's birth date.
    let dob = r"(?i)(?:\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?-?date\b|\bbirthday\b|\bb-?day\b|\bbirth\s+day\b|\bborn\b(?:\s+(?:on|in))?|\bgeburtsdatum\b|\bgeb\.|\bgeboren\b(?:\s+am)?|\bn[ée]e?\s+le\b|\bnascid[oa]\s+em\b|\bnacid[oa]\s+el\b|\bnat[oa]\s+il\b|\bnac[ií]\b(?:\s+el)?|\bnasci\b(?:\s+(?:em|a|il))?|\bf[öo]dd\b(?:\s+den)?|\burodzi[łl](?:em|am)\s+si[eę]|\burodzon[ya]\b|\bgeboortedatum\b|\bfecha\s+de\s+nacimiento\b|\bdata\s+di\s+nascita\b|\bdate\s+de\s+naissance\b)";
    // On the street's line after a comma, or on the next line when a state and a ZIP code
    // follow it: a line break alone is no sign that the next line is a town.
    let city = r"[A-Z][a-z][A-Za-z.'-]*(?:\s+[A-Z][a-z][A-Za-z.'-]*){0,2}";
    // A word of a street's name: capitalised, or an ordinal ("2nd").
    let street_word = r"(?:[A-Z][A-Za-z'.-]*|\d{1,3}(?:st|nd|rd|th))";
    // A stated password: it may hold symbols, and start with one, parentheses among them
    // (generators use them: ")Rmz((@tW6BGvC", "_6i6GGtvO&"), but not the quote, bracket or
    // full stop that closes it.
    let secret_value =
        r#"([\p{L}\p{N}!#$%&*@^~()_+][^\s"'”’\\\[\]{}<>|]*[^\s"'”’\\.,;:!?\[\](){}<>|*])"#;
    // An Irish Eircode: a routing key, then four characters of a restricted alphabet.
    let eircode = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4}";
    // A capitalised word of a place's name, which may hold a full stop, an apostrophe or a
    // hyphen ("St.", "Sainte-Catherine"), and a run of up to four of them on one line.
    let place_word = r"\p{Lu}[\p{L}.'-]*";
    let place_words = format!(r"{place_word}(?:[ \t]+{place_word}){{0,3}}");
    let town = format!(r"{place_word}(?:[ \t]+{place_word}){{0,2}}");
    // The lines of an address before what closes it (a town and its postcode, an Eircode):
    // up to four comma-separated parts of up to five words, each capitalised or a number
    // ("4th Floor, Bandra Kurla Complex, ").
    let line_word = r"(?:\p{Lu}[\p{L}.'&-]*|\d{1,5}(?:st|nd|rd|th|[A-Za-z])?)";
    let address_lines = format!(r"(?:{line_word}(?:[ \t]+{line_word}){{0,4}},\s*){{1,4}}");
    // What closes an address when its street has no type or no capitals: a UK postcode,
    // a US state and ZIP code, a Canadian province and postal code, or an Australian
    // state and postcode.
    let uk_postcode = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}";
    let postcode = format!(
        r"(?:{uk_postcode}|[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?|[A-Z]{{2}}\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d|(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT),?\s+\d{{4}})"
    );
    // A flat, suite or unit after the street ("Apt. 064", "Suite 805", "# 4B").
    let unit = r"(?:,?\s+(?i:apt|apartment|suite|ste|unit|flat|#)\.?\s*#?[A-Za-z0-9-]+)";
    // Between an address's lines: a comma, or a line break.
    let next_line = r"(?:,\s*|[ \t]*\n[ \t]*)";
    let street_types = "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|close|crescent|row|gardens|mews|walk|grove|loop|alley|pike|expressway|expy";
    // The rest of the USPS table's suffixes ("Murphy Courts", "Gardner Burgs", "Tammy
    // Shore"): many are ordinary words too ("3 Data Centers", "5 Key Points"), so a street of
    // one of them is an address only where a place is announced (below). Capitalised only.
    let rare_street_types = "Branch|Bridge|Brooks?|Burgs?|Bypass|Camp|Canyon|Cape|Causeway|Centers?|Circles|Cliffs?|Club|Common|Corners?|Course|Courts|Coves?|Creek|Crest|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drives|Estates?|Extensions?|Falls?|Ferry|Fields?|Flats?|Fords?|Forest|Forges?|Forks?|Fort|Freeway|Garden|Gateway|Glens?|Greens?|Groves|Harbors?|Haven|Heights|Hills?|Hollow|Inlet|Islands?|Isle|Junctions?|Keys?|Knolls?|Lakes?|Land|Landing|Lights?|Loaf|Locks?|Lodge|Mall|Manors?|Meadows?|Mills?|Mission|Motorway|Mount|Mountains?|Neck|Orchard|Oval|Overpass|Parks?|Parkways|Pass|Passage|Path|Pines?|Plains?|Plaza|Points?|Ports?|Prairie|Radial|Ramp|Ranch|Rapids?|Rest|Ridges?|River|Roads|Route|Rue|Run|Shoals?|Shores?|Skyway|Springs?|Spurs?|Squares|Station|Stravenue|Stream|Streets|Summit|Throughway|Trace|Track|Trafficway|Tunnel|Turnpike|Underpass|Unions?|Valleys?|Via|Viaduct|Views?|Villages?|Ville|Vista|Walks|Wall|Ways|Wells?";
    let rare_street = format!(
        r"\d{{1,6}}[A-Za-z]?[ \t]+(?:{street_word}[ \t]+){{0,2}}{street_word}[ \t]+(?:{rare_street_types})\b"
    );
    [
        rule(
            Kind::Secret,
            r"-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?-----END[A-Z ]*PRIVATE KEY-----",
            0,
            always,
        ),
        rule(
            Kind::Secret,
            concat!(
                r"\b(?:(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}",
                r"|whsec_[0-9A-Za-z]{16,}",
                r"|gh[pousr]_[0-9A-Za-z]{30,}",
                r"|github_pat_[0-9A-Za-z_]{30,}",
                r"|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[0-9A-Z]{16}",
                r"|xox[abposre]-[0-9A-Za-z-]{10,}",
                r"|AIza[0-9A-Za-z_-]{35}",
                r"|ya29\.[0-9A-Za-z_-]{20,}",
                r"|sk-[0-9A-Za-z_-]{20,}",
                r"|glpat-[0-9A-Za-z_-]{20}",
                // A Telegram bot's token: the bot's id, a colon, then `AA` and 33 more.
                r"|\d{8,10}:AA[0-9A-Za-z_-]{33}",
                r"|hf_[0-9A-Za-z]{30,}",
                r"|dckr_pat_[0-9A-Za-z_-]{20,}",
                r"|npm_[0-9A-Za-z]{36}",
                // Mailgun's private key, Shopify's access tokens, SendGrid's two-part key.
                r"|key-[0-9a-f]{32}",
                r"|shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}",
                r"|SG\.[0-9A-Za-z_-]{16,32}\.[0-9A-Za-z_-]{30,}",
                r"|pypi-AgE[0-9A-Za-z_-]{50,}",
                // A BitLocker recovery key: eight groups of six digits.
                r"|\d{6}(?:-\d{6}){7}",
                r"|eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,})",
                r"|https://hooks\.slack\.com/services/[0-9A-Za-z/_-]+",
            ),
            0,
            always,
        ),
        rule(
            Kind::Secret,
            r#"(?i)(?:\b|_)(?:api[ _-]?key|access[ _-]?key|account[ _-]?key|shared[ _-]?access[ _-]?key|secret[ _-]?key|(?:storage|signing|encryption|master|private)[ _-]?key|client[ _-]?secret|auth[ _-]?token|access[ _-]?token|refresh[ _-]?token|token|secret|bearer|ssws)\b["']?\s*(?:is\s+|[:=]\s*)?["']?([0-9A-Za-z_\-./+=~]{16,})"#,
            1,
            generated,
        ),
        rule(
            Kind::Secret,
            // `DB_PASSWORD=…`, `PGPASSWORD=…` and `"password": "…"` as well as prose.
            &[r#"(?i)(?:\b|_|\b[a-z0-9]{1,12})"#, PASSWORD_LABELS, r#"\b["']?(?:\s+(?:for|on|at)\s+(?:the\s+|my\s+|our\s+)?[\w-]+)?(?:\s+(?:is|was|to|now|still|got|has\s+been|set\s+to|reset\s+to|changed\s+to|updated\s+to|ist|est|es|è|é|är|er|literally|actually|really|currently|just))*(?:\s*[:=]\s*|[ \t]+[-–][ \t]+|[ \t]+)["'“‘]?"#, secret_value].concat(),
            1,
            password,
        ),
        // HTTP basic authentication: the user and password, base64-encoded.
        rule(
            Kind::Secret,
            r"(?i)\bauthorization\s*:\s*basic\s+([A-Za-z0-9+/]{8,}={0,2})",
            1,
            always,
        ),
        // The password of a URL's user information (`postgres://app:…@db:5432/prod`, and
        // Redis's `redis://:…@cache:6379` without a user).
        rule(
            Kind::Secret,
            r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:([^\s:/@]+)@[^\s@]",
            1,
            not_a_placeholder,
        ),
        // A user and a password written as a pair after the word for them ("login is
        // admin / P@ssw0rd123", "creds: svc-backup/Winter2024!").
        rule(
            Kind::Secret,
            r#"(?i)\b(?:login|log-?in|sign-?in|credentials|creds|user\s*/\s*pass(?:word)?|username\s*/\s*password)\b(?:\s+(?:is|are|was|were))?(?:\s*[:=]\s*|\s+)\w[\w.@+-]*\s*/\s*([\p{L}\p{N}!#$%&*@^~][^\s"'”’\\\[\](){}<>|/]*[^\s"'”’\\.,;:!?\[\](){}<>|*/])(?:[\s.,;:!?)]|$)"#,
            1,
            paired_password,
        ),
        // A password for something named in two or three words ("pwd for the kiosk admin is
        // …", "the password for the shared kiosk account is …"): only when `is` or a colon
        // introduces it, since "a password for Slack and ENT" is prose.
        rule(
            Kind::Secret,
            &[r#"(?i)\b"#, PASSWORD_LABELS, r#"\s+(?:for|on)\s+(?:the\s+|my\s+|our\s+|your\s+)?[\w-]+(?:\s+[\w-]+){1,2}(?:\s+(?:is|was|is\s+now|now\s+is)\s+|\s*[:=]\s*)["'“‘]?"#, secret_value].concat(),
            1,
            password,
        ),
        // A password named by who gave or set it ("the temp password you read me was …",
        // "the password IT sent is …"): a short clause between the label and `is` or `was`.
        rule(
            Kind::Secret,
            &[r#"(?i)\b"#, PASSWORD_LABELS, r#"\s+(?:that\s+|which\s+)?(?:you|i|we|they|he|she|someone|it|the\s+\w+)\s+\w+(?:\s+\w+){0,2}?\s+(?:is|was)\s+["'“‘]?"#, secret_value].concat(),
            1,
            password,
        ),
        // A user and a password in one breath ("login admin pass Adm1n!2024"): `pass`
        // is a password's label only after a user's.
        rule(
            Kind::Secret,
            &[r#"(?i)\b(?:login|user(?:name)?|usr)\s*[:=]?\s*[\w.@+-]+\s*[,;|/]?\s*pass\s*[:=]?\s*["']?"#, secret_value].concat(),
            1,
            paired_password,
        ),
        // A configuration key that ends in `_PASS` (`SMTP_PASS=…`, `DB_PASS: "…"`).
        rule(
            Kind::Secret,
            &[r#"(?i)\b[a-z0-9]+(?:_[a-z0-9]+)*_pass\b["']?\s*[:=]\s*["']?"#, secret_value].concat(),
            1,
            password,
        ),
        // An XML element that holds a credential (`<password>…</password>`).
        rule(
            Kind::Secret,
            r"(?i)<(?:password|passwd|pwd|secret|api[_-]?key|token)>\s*([^<\s]{4,})\s*</",
            1,
            not_a_placeholder,
        ),
        // A well-known administrator's account and its password (`root:Toor#2024`), when
        // the password mixes letters with digits or symbols.
        rule(
            Kind::Secret,
            &[r"\b(?:root|admin|administrator|sa|postgres|pi|ubuntu)\s*:\s*", secret_value].concat(),
            1,
            admin_password,
        ),
        // `pass:` as a form's label: a test report's "Pass: 12" is no secret, so
        // the value has to mix letters with digits or symbols.
        rule(
            Kind::Secret,
            &[r#"(?i)\bpass\s*[:=]\s*["']?"#, secret_value].concat(),
            1,
            paired_password,
        ),
        // MySQL's `-pPASSWORD`, glued to its option.
        rule(
            Kind::Secret,
            r"\bmysql(?:dump|admin)?\b[^\n]*?\s-p([^\s'\x22]+)",
            1,
            not_a_placeholder,
        ),
        // A signature or key in a link's query (an Azure SAS URL's `sig=`).
        rule(
            Kind::Secret,
            r"(?i)[?&](?:sig|signature|x-amz-signature|access_token|api_?key|client_secret)=([^&\s#'\x22]{16,})",
            1,
            generated,
        ),
        // `docker login -p …` (and `--password`).
        rule(
            Kind::Secret,
            r"\b(?:docker|podman|helm)\s+(?:registry\s+)?login\b[^\n]*?\s(?:-p|--password)[ =]+([^\s'\x22]+)",
            1,
            not_a_placeholder,
        ),
        // curl's `-u user:password` (and `--user`).
        rule(
            Kind::Secret,
            r"(?:^|\s)(?:-u|--user)[ =]+[^\s:]+:([^\s'\x22]+)",
            1,
            not_a_placeholder,
        ),
        // A PIN stated as one ("PIN for the door keypad: 4471"); "pin 3 of the header" is
        // no secret, so it takes "is", a colon or an equals sign, and four to eight digits.
        rule(
            Kind::Secret,
            r"(?i)\bpin(?:\s*code|\s+number)?\b(?:\s+for\s+(?:the\s+|my\s+|our\s+)?[\w-]+(?:\s+[\w-]+)?)?(?:\s+(?:is|ist|est|es|è|é|är|er)\s+|\s*[:=]\s*)(\d{4,8})\b",
            1,
            always,
        ),
        // A vendor's key of a shape no list names: a short prefix (`NRAK-`, `PMAK-`,
        // `lin_api_`) and a long random run of letters and digits.
        rule(
            Kind::Secret,
            r"\b[A-Za-z]{2,10}[_-](?:[A-Za-z0-9]{1,8}[_-]){0,2}[A-Za-z0-9]{24,}(?:-[A-Za-z0-9]{16,})?\b",
            0,
            prefixed_key,
        ),
        // A key written as a link's user (a Sentry DSN's `https://<key>@o1.ingest.sentry.io/2`,
        // a token in a git remote): a secret, not the local part of an e-mail address.
        rule(
            Kind::Secret,
            r"://([0-9A-Za-z_-]{20,})(?::[0-9A-Za-z_-]{8,})?@",
            1,
            generated,
        ),
        rule(
            Kind::Email,
            EMAIL_ADDRESS,
            0,
            email,
        ),
        // An address spelt out against harvesters: "maria dot lopez at gmail dot com",
        // "j.okafor[at]northwind[dot]org".
        rule(Kind::Email, SPELT_OUT_EMAIL, 0, spelt_out),
        // Country, check digits, then the account in groups of four, spaced or not. Only
        // the first group (a bank code) may be all letters: a later spaced word is the
        // sentence going on ("… 5635 please").
        rule(
            Kind::Iban,
            r"(?i)\b[A-Z]{2}\d{2}[ -]?[A-Z0-9]{4}(?:[A-Z0-9]{4}|[ -](?:\d[A-Z0-9]{3}|[A-Z]\d[A-Z0-9]{2}|[A-Z]{2}\d[A-Z0-9]|[A-Z]{3}\d)){1,6}(?:[A-Z0-9]{1,4}|[ -]\d[A-Z0-9]{0,3})?\b",
            0,
            iban,
        ),
    ]
    .into_iter()
    // Other countries' identity and tax numbers, each after its name.
    .chain(national_ids::SCHEMES.iter().map(|scheme| {
        rule(
            Kind::Ssn,
            &format!(
                r"(?i)\b(?:{})\b[^\d\n]{{0,40}}?\b({})\b",
                scheme.label, scheme.value
            ),
            1,
            scheme.valid,
        )
        .needs_digits(scheme.least_digits)
    }))
    .chain([
        // Any one separator between digits (space, dash, dot, slash), or two spaces.
        rule(
            Kind::CreditCard,
            r"\b\d(?:(?:[ ./-]| {2})?\d){12,18}\b",
            0,
            card,
        ),
        // Maestro's twelve digits and JCB's old fifteen led by 1 ("1800…") are as long as,
        // or start like, many ids: only after a card's name.
        rule(
            Kind::CreditCard,
            r"(?i)\b(?:card|cc|credit|debit|maestro|jcb|visa|mastercard)\b(?:\s*(?:number|num|no\.?|#))?[^\d\n]{0,20}?(\d(?:[ -]?\d){11,18})\b",
            1,
            named_card,
        )
        .needs_digits(12),
        rule(
            Kind::Ssn,
            r"(?i)\b(?:ssn|ss#|social[ -]?security(?:[ -]?(?:number|num|no\.?|#))?)[^\d\n]{0,25}?(\d{3}[- .]?\d{2}[- .]?\d{4})\b",
            1,
            ssn,
        ),
        rule(
            Kind::Ssn,
            r"\b(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4})\b",
            0,
            ssn_shaped,
        ),
        rule(Kind::Ssn, r"\b\d{9}\b", 0, bare_ssn),
        // Canada's SIN, in its 3-3-3 groups: "SIN" only in capitals (a sin is a word).
        rule(
            Kind::Ssn,
            r"(?:\bSINs?\b|(?i:\bsocial\s+insurance\b(?:\s+(?:number|num|no\.?|#))?|\bNAS\b|\bnum[ée]ro\s+d['’]assurance\s+sociale\b))[^\d\n]{0,40}?(\d{3}[- ]?\d{3}[- ]?\d{3})\b",
            1,
            sin,
        ),
        // India's Aadhaar number, 4-4-4 digits (never led by 0 or 1), only after its name: as
        // bare digits it is any twelve-digit number.
        rule(
            Kind::Ssn,
            r"(?i)(?:\baadhaa?r\b(?:\s+(?:card|number|num|no\.?|#))?|\buidai\b)[^\d\n]{0,40}?([2-9]\d{3}[- ]?\d{4}[- ]?\d{4})\b",
            1,
            always,
        ),
        rule(
            Kind::DateOfBirth,
            &format!(r"{dob}[^\d\n]{{0,40}}?(?:\n\s*)?{date}"),
            1,
            always,
        ),
        rule(
            Kind::Address,
            &format!(
                r"\b\d{{1,6}}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:{street_word}\s+){{0,3}}{street_word}\s+(?i:{street_types})\b\.?(?:\s+[NS][EW]?\b|\s+[EW]\b)?(?:,?\s+(?i:apt|apartment|suite|ste|unit|flat|floor|fl|#)\.?\s*#?[A-Za-z0-9-]+)?(?:,\s*{city}|[ \t]*\n\s*{city},?\s+[A-Z]{{2}},?\s+\d{{5}}(?:-\d{{4}})?\b)?(?:,?\s*[A-Z]{{2}}\b)?(?:,?\s*\d{{5}}(?:-\d{{4}})?\b)?(?:,?\s*[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\b)?"
            ),
            0,
            always,
        ),
        // A building numbered in words ("One Microsoft Way, Redmond, WA 98052"): only with
        // the town, state and ZIP code that make "One Way" an address.
        rule(
            Kind::Address,
            &format!(
                r"\bOne\s+(?:{street_word}\s+){{0,3}}{street_word}\s+(?i:{street_types})\b\.?,\s*{city},?\s+[A-Z]{{2}},?\s+\d{{5}}(?:-\d{{4}})?\b"
            ),
            0,
            always,
        ),
        // A British flat or studio before the street ("Flat 28⏎Fowler Locks⏎Dawsonshire⏎N9H
        // 8QR"): the town and the postcode close it.
        rule(
            Kind::Address,
            &format!(
                r"\b(?:Flat|Studio|Apartment|Unit)[ \t]+\d{{1,5}}[A-Za-z]?{next_line}(?:\d{{1,5}}[A-Za-z]?[ \t]+)?(?:\p{{Lu}}[\p{{L}}'-]+[ \t]+){{0,3}}\p{{Lu}}[\p{{L}}'-]+{next_line}(?:\p{{Lu}}[\p{{L}}'-]+[ \t]+){{0,2}}\p{{Lu}}[\p{{L}}'-]+(?:,?\s+){uk_postcode}\b"
            ),
            0,
            always,
        ),
        // A street of no listed type ("99 Bishopsgate", "1585 Broadway", "1250 Rue
        // Sainte-Catherine O", Quebec's "1455 rue Peel", the USPS table's rarer suffixes,
        // "859 Ann Underpass Apt. 064") is an address when a town and a postcode follow, on
        // its line or the next.
        rule(
            Kind::Address,
            &format!(
                r"\b\d{{1,6}}[A-Za-z]?\s+(?:(?:rue|avenue|boulevard|boul\.|chemin|côte|montée)\s+(?:de\s+la\s+|du\s+|des\s+|de\s+|d'|l')?)?(?:\p{{Lu}}[\p{{L}}'-]+\s+){{0,3}}\p{{Lu}}[\p{{L}}'-]+(?:\s+[NSEWO]\b)?{unit}?{next_line}(?:\p{{Lu}}[\p{{L}}'-]+\s+){{0,2}}\p{{Lu}}[\p{{L}}'-]+,?\s+{postcode}\b"
            ),
            0,
            always,
        ),
        // A US military address: a unit's or ship's box, then APO, FPO or DPO, the
        // "state" (AA, AE, AP) and the ZIP code ("PSC 1234, Box 5678, APO AE 09204").
        rule(
            Kind::Address,
            r"\b(?:(?:PSC|CMR|Unit)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{1,5}|(?:USNS|USNV|USS|USCGC)[ \t]+\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+)?),?\s+(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5}\b",
            0,
            always,
        )
        .needs_digits(5),
        // Italy: the street's type and name, its number (a flat after it), then the CAP
        // and the town with its province ("Vicolo Turchetta, 4, 35043, San Cosma (PD)").
        rule(
            Kind::Address,
            r#"\b(?i:via|viale|piazza|piazzale|corso|vicolo|vico|borgo|stretto|largo|strada|contrada|lungomare|rotonda|galleria)\s+\p{L}[^,\n\d"\\]{1,40}?,?\s*\d{1,4}[a-zA-Z]?(?:/[a-zA-Z0-9]{1,3})?(?:\s+(?i:appartamento|app\.|piano|interno|int\.|scala)\s*\d{1,4})?(?:,\s*|\s*\n\s*)\d{5},?\s+\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,2}(?:\s*\([A-Z]{2}\))?"#,
            0,
            always,
        )
        .needs_digits(6),
        rule(
            Kind::Address,
            r"\b\p{Lu}[\p{L}-]*(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|laan|straat|gracht|plein|kade|vej|gatan|gata|veien|\s(?:straße|strasse|str\.|gasse|platz|allee))\s+\d{1,4}[a-z]?\b(?:,?\s*\d{4,5}(?:\s?[A-Z]{2})?\s+\p{Lu}[\p{L}-]+(?:\s+\p{Lu}[\p{L}-]+)?)?",
            0,
            not_an_english_ring,
        ),
        rule(
            Kind::Address,
            r#"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|bd|place|chemin|all[ée]e|impasse|quai|route|cours|parc|passage|sentier|venelle|ruelle|square|cit[ée]|r[ée]sidence|hameau|voie|esplanade|promenade|via|viale|piazza|corso|calle|avenida|plaza|paseo|carrer|rua)\s[^,\n\d"\\]{2,40},?\s*\d{5}\s+\p{Lu}[\p{L}-]+(?:[\s-]\p{Lu}[\p{L}-]+)?"#,
            0,
            always,
        ),
        rule(
            Kind::Address,
            // A Mexican address names its neighbourhood (colonia) before the postcode; a
            // Spanish one may give the floor and door ("Calle Mayor 5, 3º B, 28013 Madrid").
            r#"\b(?i:calle|c/|avenida|avda\.|av\.|plaza|paseo|via|viale|piazza|corso|r[uú]a|carrer|ronda|camino|cuesta|callej[oó]n|traves[ií]a|rambla|glorieta|alameda|pasaje)\s+\p{L}[^,\n\d"\\]{1,40}?,?\s*\d{1,4}[a-zA-Z]?,\s*(?:\d{1,2}\.?[ºª°](?:\s*(?i:izq(?:da)?|dcha|[a-z]{1,2})\.?)?,\s*)?(?:\p{Lu}[\p{L}'. -]{1,30},\s*)?\d{5}\s+\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?"#,
            0,
            always,
        ),
        // Typed in lower case ("15 kings road, london sw3 4rp", "233 e 14th st new york ny
        // 10003", an Australian unit "12/45 smith st fitzroy vic 3065"): the capitals the
        // rules above lean on are missing, so a postcode must close it, which lets the USPS
        // table's rarer suffixes count too ("51146 kevin mountains suite 076⏎georgeshire, wv
        // 85850").
        rule(
            Kind::Address,
            &format!(
                r"(?i)\b\d{{1,6}}[a-z]?(?:/\d{{1,5}}[a-z]?)?\s+(?:(?:[a-z][a-z'.-]*|\d{{1,3}}(?:st|nd|rd|th))\s+){{0,3}}(?:{street_types}|{rare_street_types})\b\.?,?\s+(?:(?:apt|apartment|suite|ste|unit|fl|floor|#)\.?\s*#?[a-z0-9-]{{1,6}},?\s+)?(?:[a-z][a-z.'-]*\s+){{0,2}}[a-z][a-z.'-]*,?\s+{postcode}\b"
            ),
            0,
            always,
        ),
        // Belgium and French Switzerland: the number after the street's name, then a
        // four-digit postcode ("Rue de la Loi 200, 1049 Bruxelles").
        rule(
            Kind::Address,
            r#"\b(?i:rue|avenue|boulevard|chauss[ée]e|place|chemin|quai|route)\s+[^,\n\d"\\]{2,40}?\s+\d{1,4}[a-z]?,\s*\d{4}\s+\p{Lu}[\p{L}-]+(?:[\s-]\p{Lu}[\p{L}-]+)?"#,
            0,
            always,
        ),
        // Brazil: a street, its number, then the CEP (`01310-200`) after the town and state,
        // or before the town ("Rua Maranhão 487, 92943-678 São Luís").
        rule(
            Kind::Address,
            r#"\b(?i:rua|r\.|av\.|avenida|alameda|travessa|estrada|rodovia|pra[çc]a)\s+\p{Lu}[^,\n"\\]{1,40}(?:,\s*|\s+)(?:n[ºo°]\.?\s*)?\d{1,5}\b[^\n"\\]{0,60}?\b\d{5}-\d{3}\b(?:[ \t]+\p{Lu}[\p{L}'-]+(?:[ \t]+(?:d[aoe]s?[ \t]+)?\p{Lu}[\p{L}'-]+){0,3})?"#,
            0,
            always,
        ),
        // Portugal: the street, its number (a floor after it), then the postcode
        // (`1100-053`) and the town ("Rua Augusta 100, 1100-053 Lisboa").
        rule(
            Kind::Address,
            r#"\b(?i:rua|r\.|av\.|avenida|alameda|travessa|largo|pra[çc]a|estrada|cal[çc]ada)\s+\p{Lu}[^,\n\d"\\]{1,40}?,?\s*(?:n[ºo°]\.?\s*)?\d{1,5}[A-Za-z]?(?:,?\s*\d{1,2}\.?[ºª°]\s*(?i:esq|dto|[a-z])?\.?)?,\s*\d{4}-\d{3}\s+\p{Lu}[\p{L}-]+(?:\s\p{Lu}[\p{L}-]+)?"#,
            0,
            always,
        ),
        // Poland: `ul.` (or `al.`, `pl.`, `os.`) and the street, the number (a flat after
        // a slash), then the postcode and the town ("ul. Marszałkowska 84/92, 00-514
        // Warszawa").
        rule(
            Kind::Address,
            &format!(
                r"(?i:\bul\.|\bulica|\bal\.|\baleja|\bpl\.|\bplac|\bos\.|\bosiedle)\s*{place_words}\s+\d{{1,4}}[A-Za-z]?(?:\s*/\s*\d{{1,4}}[A-Za-z]?)?(?:,?\s*(?i:m\.|lok\.)\s*\d{{1,4}})?,?\s*\d{{2}}-\d{{3}}\s+\p{{Lu}}[\p{{L}}-]+"
            ),
            0,
            always,
        )
        .needs_digits(6),
        // Japan, in Latin letters: the block's numbers, the district, the ward or city
        // (`-ku`, `-shi`), the prefecture, then the postcode ("1-2-3 Shibuya, Shibuya-ku,
        // Tokyo 150-0002").
        rule(
            Kind::Address,
            r"\b\d{1,4}(?:-\d{1,4}){1,2},?\s+\p{Lu}[\p{L}-]*(?:\s+\p{Lu}[\p{L}-]*)?,\s*\p{Lu}\p{L}*-(?i:ku|shi|cho|machi|gun)\b,?\s*(?:\p{Lu}[\p{L}-]*,?\s+)?\d{3}-\d{4}\b",
            0,
            always,
        )
        .needs_digits(8),
        // Korea: the building's number and the road (`-ro`, `-gil`), the district (`-gu`)
        // and the city, then the postcode ("123 Teheran-ro, Gangnam-gu, Seoul 06236").
        rule(
            Kind::Address,
            r"\b\d{1,5}(?:-\d{1,4})?,?\s+\p{Lu}\p{L}*-(?i:ro|gil|daero)\b(?:\s+\d{1,4}(?:beon)?-?gil)?,?\s*(?:\p{Lu}\p{L}*-(?i:gu|si|gun|dong)\b,?\s*){1,2}(?:\p{Lu}\p{L}*,?\s*)?\d{5}\b",
            0,
            always,
        )
        .needs_digits(6),
        // Northern and central Europe: a street of no listed type (or a Nordic one written
        // apart, "Karl Johans gate") and its number, then a four- or five-digit postcode
        // and a large city ("Strøget 12, 1160 København K").
        // The city list keeps "Version 12, 2024 Release" out.
        rule(
            Kind::Address,
            r"\b\p{Lu}[\p{L}'.-]+(?:\s+(?:\p{Lu}[\p{L}'.-]+|gate|gata|gatan|gaten|vei|veien|vej|gade|plads|torv|all[ée]|v[äa]gen|katu|tie)){0,2}\s+\d{1,4}[A-Za-z]?,\s*(?:[A-Z]{1,2}-)?\d{4,5}\s+(?:København|Copenhagen|Aarhus|Odense|Oslo|Bergen|Stockholm|Göteborg|Malmö|Helsinki|Espoo|Wien|Vienna|Graz|Linz|Salzburg|Zürich|Zurich|Genève|Geneva|Bern|Basel|Lausanne|Luxembourg|Bruxelles|Brussel|Antwerpen|Gent|Amsterdam|Rotterdam|Utrecht|Eindhoven|Budapest|Ljubljana|Praha|Prague|Brno|Bratislava|Berlin|Hamburg|München|Munich|Köln|Frankfurt|Stuttgart|Düsseldorf|Paris|Lyon|Marseille|Toulouse|Madrid|Barcelona|Valencia|Sevilla|Roma|Rome|Milano|Milan|Torino|Napoli)\b(?:\s+[A-Z]\b)?",
            0,
            always,
        )
        .needs_digits(5),
        // The same with a postcode of a shape no year or count has, before any town: Swedish
        // (`935 35`), Dutch (`1626 DV`) or Danish with its country (`DK-5398`); or five
        // digits after a number that is no year ("Lakegrund 651, 22735 Gedern",
        // "Torsångsvägen 105, 935 35 Klädesholmen"). A Danish street may come after its
        // number ("735 Studekrogen, DK-5398 Glumsø").
        rule(
            Kind::Address,
            r"\b(?:\p{Lu}[\p{L}'.-]+(?:\s+(?:\p{Lu}[\p{L}'.-]+|gate|gata|gatan|vei|veien|vej|gade|v[äa]g|v[äa]gen|weg|straße|str\.)){0,2}\s+\d{1,4}[A-Za-z]?,\s*(?:\d{3}\s\d{2}|\d{4}\s?[A-Z]{2}|DK-\d{4}|\d{5})|\d{1,4}[A-Za-z]?\s+\p{Lu}[\p{L}'.-]+(?:\s+\p{Lu}[\p{L}'.-]+)?,\s*DK-\d{4})\s+\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?",
            0,
            no_year_before_postcode,
        )
        .needs_digits(5),
        // India: up to four comma-separated parts (floor, building, street, area), a
        // large city, then its six-digit PIN ("4th Floor, Bandra Kurla Complex, Mumbai
        // 400051"). The city list keeps a run of capitalised words before any six-digit
        // number from counting.
        rule(
            Kind::Address,
            &format!(r"\b{address_lines}(?:Mumbai|Navi Mumbai|Thane|New Delhi|Delhi|Bengaluru|Bangalore|Chennai|Hyderabad|Kolkata|Pune|Ahmedabad|Gurugram|Gurgaon|Noida|Jaipur|Kochi|Lucknow|Chandigarh|Indore|Thiruvananthapuram|Coimbatore|Mysuru|Nagpur|Surat|Vadodara|Bhubaneswar|Visakhapatnam)\s*[-–,]?\s*[1-9]\d{{2}}\s?\d{{3}}\b"),
            0,
            always,
        )
        .needs_digits(6),
        // A Malaysian or Indonesian street (`Jalan`, `Jl.`, `Lorong`, `Persiaran`), its
        // number or lot, then the five-digit postcode beside the town, either side ("No.
        // 12, Jalan Ampang, 50450 Kuala Lumpur"; "Jl. Sudirman Kav. 52-53, Jakarta Selatan
        // 12190"). Without the postcode a `Jalan` is as often a place's name.
        rule(
            Kind::Address,
            &format!(
                r"\b(?:(?:No\.?|Lot|Unit)[ \t]*\d{{1,5}}[A-Z]?(?:-\d{{1,4}})?,[ \t]*)?(?:Jalan|Jln\.?|Jl\.|Lorong|Persiaran)[ \t]+{place_word}(?:[ \t]+(?:{place_word}|\d{{1,5}}(?:-\d{{1,5}})?[A-Z]?))*(?:,[ \t]*{place_words}){{0,2}},?[ \t]*(?:\d{{5}}[ \t]+{town}|{town}[ \t]+\d{{5}})\b"
            ),
            0,
            always,
        )
        .needs_digits(5),
        // A Gulf address has no postcode: a villa, flat or office number, its street and
        // district, then the city ("Villa 14, Street 22, Al Barsha 2, Dubai").
        rule(
            Kind::Address,
            r"\b(?:Villa|Flat|Apartment|Apt\.?|Office|Unit|Building|Bldg\.?|Shop)[ \t]+\d{1,5}[A-Z]?,(?:[ \t]*[^,\n]{2,40},){1,4}[ \t]*(?:Dubai|Abu Dhabi|Sharjah|Ajman|Al Ain|Doha|Riyadh|Jeddah|Dammam|Manama|Muscat|Kuwait City)\b",
            0,
            always,
        )
        .needs_digits(1),
        // A Turkish street (`Caddesi`, `Sokak`, `Bulvarı`, abbreviated too), its `No:` with
        // an optional flat (`D: 7`, `Daire 7`, `Kat 3`), then the five-digit postcode and
        // the district, with its province after a slash ("Bağdat Caddesi No: 215 D: 7,
        // 34728 Kadıköy/İstanbul"). The `No:` and the postcode keep a street's name alone,
        // or a shop on it, from counting.
        rule(
            Kind::Address,
            &format!(
                r"\b{place_words}[ \t]+(?:Caddesi|Cad\.|Cd\.|Sokak|Sokağı|Sok\.|Sk\.|Bulvarı|Blv\.)[ \t]*,?[ \t]*No[:.]?[ \t]*\d{{1,5}}[A-Z]?(?:[ \t]*[/,]?[ \t]*(?:D|Daire|Kat|K)[:.]?[ \t]*\d{{1,4}})*,?[ \t]*\d{{5}}[ \t]+{place_word}(?:[ \t]*/[ \t]*{place_word})?"
            ),
            0,
            always,
        )
        .needs_digits(5),
        // An Irish Eircode names one building: after its name, or before the town or
        // the country ("D02 X285, Dublin 2").
        rule(
            Kind::Address,
            &format!(r"(?i:\beircode)\s*:?\s*({eircode})\b"),
            1,
            always,
        ),
        rule(
            Kind::Address,
            &format!(r"\b({eircode}),?\s*(?:Ireland|Dublin|Co\.)"),
            1,
            always,
        ),
        // …or closing the address after the town, with the lines before it ("Unit 7,
        // Sandyford Business Park, Dublin 18, D18 K7W4").
        rule(
            Kind::Address,
            &format!(
                r"\b{address_lines}{eircode}\b"
            ),
            0,
            always,
        )
        .needs_digits(1),
        rule(
            Kind::Address,
            // A post office box, or a US rural route's or highway contract's box.
            r"(?i)\b(?:p\.?\s?o\.?\s?|(?:rr|hc)\s*\d{1,4}\s+)box\s+\d{1,6}\b",
            0,
            always,
        ),
        // Spain, in the order of a postal label: the street's type, its name (after "de"),
        // the number, a flat or door, then the town or province and the postcode on the
        // next line ("Cuesta de Eufemia Bastida 507⏎Cantabria, 47999").
        rule(
            Kind::Address,
            r"\b(?:Calle|C\.|Avenida|Plaza|Paseo|Camino|Ronda|Rambla|Glorieta|Urbanizaci[óo]n|Callej[óo]n|Cañada|Alameda|Acceso|Pasaje|Cuesta|Pasadizo|V[íi]a|Vial)\s+(?:de\s+)?(?:\p{Lu}[\p{L}'-]+\s+){1,4}\d{1,4}(?:\s+(?:Apt\.|Piso|Puerta)\s*\d{1,3})?[ \t]*(?:,[ \t]*|\n[ \t]*)\p{Lu}[\p{L}'-]+(?:[ \t]+\p{Lu}[\p{L}'-]+)?,[ \t]*\d{5}\b",
            0,
            always,
        )
        .needs_digits(6),
        // A street of the table's rarer suffixes after what announces a place ("meet me at
        // 7477 Gardner Burgs", "his address: 973 Tammy Shore, Jenkinsport").
        rule(
            Kind::Address,
            &format!(
                r"(?i:\b(?:at|address(?:\s+is)?:?|lives?\s+(?:at|on)|located\s+at|(?:moved|sent|send\s+it|ship(?:ped)?|deliver(?:ed)?)\s+to))[ \t]+({rare_street}{unit}?(?:,[ \t]*{city})?)"
            ),
            1,
            always,
        ),
        // Or opening a line with its flat or suite after it; or any street of capitalised
        // words opening a line with the flat or suite on the next, as in a postal block
        // ("973 Tammy Shore⏎Apt. 678⏎Jenkinsport", "86 Gray Dell⏎ Suite 169"); typed in
        // lower case, only before an apartment's or a suite's number ("2961 jean walk⏎
        // suite 582"), since "unit 2" also opens a line of a test report.
        rule(
            Kind::Address,
            &format!(
                r"(?m:^)[ \t>?]*({rare_street}{unit}|\d{{1,6}}[A-Za-z]?[ \t]+(?:{street_word}[ \t]+){{0,3}}{street_word}[ \t]*\n[ \t>?]*(?i:apt|apartment|suite|ste|unit|flat|studio)\.?[ \t]*#?[A-Za-z0-9-]+|\d{{1,6}}[a-z]?[ \t]+(?:\p{{L}}[\p{{L}}'.-]*[ \t]+){{0,3}}\p{{L}}[\p{{L}}'.-]*[ \t]*\n[ \t>?]*(?i:apt|apartment|suite|ste)\.?[ \t]*#?\d[A-Za-z0-9-]*)"
            ),
            1,
            always,
        ),
        rule(
            Kind::IpAddress,
            r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?\b",
            0,
            ipv4,
        ),
        rule(
            Kind::IpAddress,
            r"(?i)(?:\b[0-9a-f]{1,4}|:)(?::[0-9a-f]{0,4}){2,7}",
            0,
            ipv6,
        ),
        rule(
            Kind::Phone,
            &format!(
                r"(?:\(\+\d{{1,3}}\)[ .-]?\d{{1,5}}(?:[ .-]\d{{1,8}}){{1,5}}{end}|\+\d{{7,15}}{end}|(?:\+|\b00)\d{{1,3}}[ ./-]?(?:\(\d{{1,4}}\)[ .-]?)?\d{{1,12}}(?:[ ./-]\d{{1,8}}){{0,5}}{end}|(?:\(\d{{2,5}}\)[ .-]?|\b\d{{1,5}}[ .-])\d{{2,8}}(?:[ .-]\d{{2,8}}){{0,4}}{end}|\b01\d{{4}} \d{{4,5}}{end}|\b\d{{7,12}}{end})",
                end = format!(r"(?:[xX]\d{{1,6}}\b|\b(?:{PHONE_EXTENSION})?)"),
            ),
            0,
            phone,
        ),
        rule(Kind::Person, names::VIETNAMESE_NAME, 0, always),
        rule(Kind::Person, names::CHINESE_NAME, 0, names::chinese_name),
        rule(Kind::Person, names::MENTION, 1, names::mention).in_any_case(),
        rule(Kind::Person, names::FULL_NAME, 0, names::full_name),
        rule(Kind::Person, names::FAMILY_COMMA_GIVEN, 0, names::family_comma_given),
        rule(Kind::Person, names::FAMILY_FIELD, 1, names::family_field),
        rule(Kind::Person, names::CUED_NAME, 1, names::cued_name),
        rule(Kind::Person, names::INITIALS_NAME, 0, names::initials_name),
        rule(Kind::Person, &names::NAME_IN_TEAM, 1, names::name_in_team),
        rule(Kind::Person, names::OWNER_NAME, 1, names::owner_name),
        rule(Kind::Person, names::AGENT_NAME, 1, names::agent_name),
        rule(Kind::Person, names::ADDRESSED_NAME, 1, names::addressed_name),
        rule(Kind::Person, names::LONE_NAME, 0, names::lone_name),
        rule(Kind::Person, names::DISPLAY_NAME, 1, names::display_name),
    ])
    .collect()
});

/// The name rules for a [`capitalised`] copy: no lone names, since standing alone a
/// listed name in lower case is as often a word ("jack", "roger").
static FOLDED_RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(Kind::Person, names::FULL_NAME, 0, names::full_name),
        rule(Kind::Person, names::CUED_ONE_WORD, 1, names::cued_name),
        rule(Kind::Person, names::NAME_HERE, 1, names::name_here),
        rule(Kind::Person, &names::NAME_FROM_TEAM, 1, names::name_here),
    ]
});

/// Every span the rules accept, in the order of the text, none overlapping.
pub(super) fn spans(text: &str) -> Vec<Span> {
    let mut taken: Vec<Span> = Vec::new();
    // A rule that cannot match is not run: names need a capital letter, e-mail addresses
    // an @ (or a spelt-out `dot` or `[at]`), numbers their digits.
    let capitals = text.chars().any(char::is_uppercase);
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let at_sign = text.contains('@') || text.contains("%40");
    for rule in RULES.iter() {
        let hopeless = match rule.kind {
            Kind::Person => !capitals && !rule.any_case,
            Kind::Email => !at_sign && !may_spell_out_an_address(text),
            _ => digits < rule.least_digits,
        };
        if !hopeless {
            apply(rule, text, None, &mut taken);
        }
    }
    // Names typed in lower case ("hi, this is maria garcia") or shouted ("MARIA GARCIA")
    // meet the name rules again in a copy written the usual way.
    if names::any_uncapitalised_name(text)
        && let Some(copy) = capitalised(text)
    {
        for rule in FOLDED_RULES.iter() {
            apply(rule, &copy, Some(text), &mut taken);
        }
    }
    taken.sort_unstable();
    taken
}

/// `text` with each word's first ASCII letter upper-cased and its other ASCII letters
/// lower-cased (other characters stay, so every byte offset holds); `None` when that
/// changes nothing.
pub(super) fn capitalised(text: &str) -> Option<String> {
    let mut copy = String::with_capacity(text.len());
    let mut word_starts = true;
    for c in text.chars() {
        copy.push(if word_starts {
            c.to_ascii_uppercase()
        } else {
            c.to_ascii_lowercase()
        });
        word_starts = !(c.is_alphanumeric() || c == '\'' || c == '’');
    }
    (copy != text).then_some(copy)
}

/// Adds the spans `rule` accepts in `text` that overlap none already taken.
fn apply(rule: &Rule, text: &str, written: Option<&str>, taken: &mut Vec<Span>) {
    let mut at = 0;
    while at <= text.len() {
        // Captures cost more than a match: only rules that keep a group ask for them.
        let (matched, value) = if rule.group == 0 {
            let Some(m) = rule.pattern.find_at(text, at) else {
                break;
            };
            (m.start()..m.end(), m.start()..m.end())
        } else {
            let Some(caps) = rule.pattern.captures_at(text, at) else {
                break;
            };
            let (Some(whole), Some(value)) = (caps.get(0), caps.get(rule.group)) else {
                break;
            };
            (whole.range(), value.range())
        };
        let found = Found {
            text,
            written,
            matched: matched.start,
            start: value.start,
            end: value.end,
        };
        let free = !taken
            .iter()
            .any(|s| found.start < s.end && s.start < found.end);
        if free && (rule.accept)(&found) {
            taken.push(Span {
                start: found.start,
                end: found.end,
                kind: rule.kind,
            });
            at = matched.end.max(at + 1);
        } else {
            // A rejected candidate may hide an accepted one that starts inside it
            // ("Thanks Maria Garcia": not "Thanks Maria", but "Maria Garcia").
            at = matched.start
                + text[matched.start..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
        }
    }
}
