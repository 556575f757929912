//! National identity and tax numbers, redacted as `SSN`: each only after its own name (a
//! PESEL, a BSN, a codice fiscale), and only when its check digit or letter holds where the
//! scheme has one. Bare, most of them are any run of digits; the name before them and the
//! check together keep order numbers, dates and prices out.

use super::rules::{Found, digits, luhn};

/// One scheme: the words that name the number, its shape, and its check.
pub(super) struct Scheme {
    /// What names the number (matched case-insensitively, whole words).
    pub label: &'static str,
    /// The number's shape (case-insensitive too: people type `jg103759a`).
    pub value: &'static str,
    pub valid: fn(&Found<'_>) -> bool,
    /// The fewest ASCII digits the number has: a text with fewer is not scanned for it.
    pub least_digits: usize,
}

pub(super) const SCHEMES: &[Scheme] = &[
    // United Kingdom: the National Insurance number, two letters, six digits, A–D.
    Scheme {
        label: r"national\s+insurance(?:\s+(?:number|no))?|ni\s*(?:number|no)|nino",
        value: r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]",
        valid: nino,
        least_digits: 6,
    },
    // The Netherlands: the citizen service number, nine digits passing the eleven test.
    Scheme {
        label: r"bsn|burgerservicenummer|sofinummer",
        value: r"\d{9}|\d{4}\.\d{2}\.\d{3}",
        valid: bsn,
        least_digits: 9,
    },
    // Poland: PESEL, eleven digits, the birth date first.
    Scheme {
        label: r"pesel",
        value: r"\d{11}",
        valid: pesel,
        least_digits: 11,
    },
    // Spain: DNI and NIF (eight digits and a letter), NIE (X, Y or Z, seven digits and a
    // letter); the letter is the number modulo 23.
    Scheme {
        label: r"dni|nie|nif",
        value: r"[XYZ]-?\d{7}-?[A-Z]|\d{8}-?[A-Z]",
        valid: spanish_id,
        least_digits: 7,
    },
    // Italy: the codice fiscale, sixteen letters and digits closed by a check letter.
    Scheme {
        label: r"codice\s+fiscale|c\.f|cf",
        value: r"[A-Z]{6}[0-9LMNP-V]{2}[A-EHLMPR-T][0-9LMNP-V]{2}[A-Z][0-9LMNP-V]{3}[A-Z]",
        valid: codice_fiscale,
        // Seven digits, unless a homonym's letters replace some (rare enough to leave).
        least_digits: 7,
    },
    // France: the social security number (NIR), thirteen digits and a key of two.
    Scheme {
        label: r"s[ée]curit[ée]\s+sociale|nir|insee|carte\s+vitale",
        value: r"[12][ ]?\d{2}[ ]?\d{2}[ ]?(?:\d{2}|2[AB])[ ]?\d{3}[ ]?\d{3}[ ]?\d{2}",
        valid: nir,
        least_digits: 13,
    },
    // Sweden: the personal identity number, the birth date and four digits, Luhn checked.
    Scheme {
        label: r"personnummer|personnr|samordningsnummer",
        value: r"(?:19|20)?\d{6}[-+]?\d{4}",
        valid: personnummer,
        least_digits: 10,
    },
    // Denmark: the CPR number, the birth date and four digits (no check since 2007).
    Scheme {
        label: r"cpr(?:-?(?:nummer|nr\.?|number))?",
        value: r"\d{6}-?\d{4}",
        valid: cpr,
        least_digits: 10,
    },
    // Finland: the personal identity code, the birth date, the century's sign, three digits
    // and a check character.
    Scheme {
        label: r"henkilötunnus|hetu|personbeteckning",
        value: r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]",
        valid: hetu,
        least_digits: 9,
    },
    // Norway: the birth number, the birth date and five digits, two of them checks.
    Scheme {
        label: r"fødselsnummer|fodselsnummer|f\.nr\.?",
        value: r"\d{6}[ ]?\d{5}",
        valid: fodselsnummer,
        least_digits: 11,
    },
    // Brazil: the CPF, nine digits and two check digits.
    Scheme {
        label: r"cpf",
        value: r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}",
        valid: cpf,
        least_digits: 11,
    },
    // South Africa: the identity number, the birth date, seven digits, Luhn checked.
    Scheme {
        label: r"(?:sa\s+)?id\s*(?:number|no)|identity\s+number",
        value: r"\d{13}",
        valid: south_african_id,
        least_digits: 13,
    },
    // Singapore: the NRIC or FIN, a letter, seven digits and a check letter.
    Scheme {
        label: r"nric|fin",
        value: r"[STFG]\d{7}[A-Z]",
        valid: nric,
        least_digits: 7,
    },
    // Chile: the RUT or RUN, up to eight digits and a check digit or K.
    Scheme {
        label: r"ru[tn]",
        value: r"\d{1,2}\.?\d{3}\.?\d{3}-[\dK]",
        valid: rut,
        least_digits: 7,
    },
    // Turkey: the T.C. identity number, eleven digits, the last two checks.
    Scheme {
        label: r"t\.?\s?c\.?\s*kimlik(?:\s*(?:no|numaras[ıi]))?|kimlik\s+numaras[ıi]|tckn",
        value: r"[1-9]\d{10}",
        valid: tckn,
        least_digits: 11,
    },
    // Ireland: the PPS number, seven digits, a check letter and perhaps one more letter.
    Scheme {
        label: r"pps\s*(?:number|no\.?)|ppsn",
        value: r"\d{7}[A-W][ABHW]?",
        valid: ppsn,
        least_digits: 7,
    },
    // Australia: the tax file number, nine digits with a weighted check.
    Scheme {
        label: r"tax\s+file\s+number|tfn",
        value: r"\d{3}[ ]?\d{3}[ ]?\d{3}",
        valid: tfn,
        least_digits: 9,
    },
    // Germany: the tax identification number, eleven digits, ISO 7064's check.
    Scheme {
        label: r"steuer-?id(?:entifikationsnummer)?|steueridentifikationsnummer|idnr",
        value: r"[1-9]\d[ ]?\d{3}[ ]?\d{3}[ ]?\d{3}",
        valid: steuer_id,
        least_digits: 11,
    },
    // Belgium: the national register number, the birth date, three digits and a key of two.
    Scheme {
        label: r"rijksregister(?:nummer)?|num[ée]ro\s+national|national\s+number|registre\s+national|insz|niss",
        value: r"\d{2}\.?\d{2}\.?\d{2}-?\d{3}\.?\d{2}",
        valid: belgian_number,
        least_digits: 11,
    },
    // Portugal: the taxpayer number (NIF), nine digits, a mod-11 check.
    Scheme {
        label: r"nif|contribuinte",
        value: r"[1235689]\d{8}",
        valid: portuguese_nif,
        least_digits: 9,
    },
    // Romania: the personal numeric code (CNP), the sex and century, the birth date, the
    // county, three digits and a check.
    Scheme {
        label: r"cnp|cod\s+numeric\s+personal|personal\s+numeric\s+code",
        value: r"[1-8]\d{12}",
        valid: cnp,
        least_digits: 13,
    },
    // Israel: the identity number (teudat zehut), nine digits, Luhn checked.
    Scheme {
        label: r"teudat\s+zehut|israeli\s+id(?:\s+(?:number|no))?|תעודת\s+זהות|ת\.ז",
        value: r"\d{9}",
        valid: israeli_id,
        least_digits: 9,
    },
    // Greece: the social security number (AMKA), the birth date and five digits, Luhn
    // checked.
    Scheme {
        label: r"amka|αμκα|α\.μ\.κ\.α",
        value: r"\d{11}",
        valid: amka,
        least_digits: 11,
    },
    // The United Kingdom's NHS number (and Scotland's CHI number), ten digits, mod 11.
    Scheme {
        label: r"nhs\s*(?:number|no)|chi\s+number",
        value: r"\d{3}[ ]?\d{3}[ ]?\d{4}",
        valid: nhs_number,
        least_digits: 10,
    },
    // Bulgaria: the uniform civil number (EGN), the birth date, three digits and a check.
    Scheme {
        label: r"egn|егн|единен\s+граждански\s+номер",
        value: r"\d{10}",
        valid: egn,
        least_digits: 10,
    },
    // A passport's number has no check anyone outside its issuer can run: after
    // "passport number" or "passport no.", a run of letters and digits with at least four
    // digits.
    Scheme {
        label: r"passport\s*(?:number|no)|reisepass(?:nummer)?|num[ée]ro\s+de\s+passeport|n[úu]mero\s+de\s+pasaporte",
        value: r"[A-Z0-9]{6,9}",
        valid: passport,
        least_digits: 4,
    },
    // Mexico: the CURP, whose shape (four letters, the birth date, the sex, the state and
    // consonants) is specific enough after its name.
    Scheme {
        label: r"curp",
        value: r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[A-Z\d]\d",
        valid: curp,
        least_digits: 7,
    },
];

/// The value's letters and digits, upper-cased, without its separators.
fn compact(found: &Found<'_>) -> Vec<char> {
    found
        .value()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Σ digit × weight.
fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// The check character a scheme's table gives a number: the one at the number modulo the
/// table's length.
fn check_char(table: &[u8], number: usize) -> char {
    table
        .get(number % table.len().max(1))
        .map_or('\0', |&c| char::from(c))
}

/// A day and a month that exist in some year.
fn date_like(day: u32, month: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The two-digit number at `at` (a day, a month, a key).
fn two(d: &[u32], at: usize) -> u32 {
    d[at] * 10 + d[at + 1]
}

fn nino(found: &Found<'_>) -> bool {
    let prefix: String = compact(found).into_iter().take(2).collect();
    !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].contains(&prefix.as_str())
}

fn bsn(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    let Some((&last, head)) = d.split_last() else {
        return false;
    };
    d.len() == 9
        && d.iter().any(|&x| x != 0)
        && (weighted(head, &[9, 8, 7, 6, 5, 4, 3, 2]) + 11 - last % 11).is_multiple_of(11)
}

fn pesel(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    if d.len() != 11 {
        return false;
    }
    let check = (10 - weighted(&d[..10], &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10) % 10;
    // The century is added to the month: 20 for the 2000s, 80 for the 1800s, …
    date_like(two(&d, 4), two(&d, 2) % 20) && check == d[10]
}

fn spanish_id(found: &Found<'_>) -> bool {
    const LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let chars = compact(found);
    let Some((&letter, body)) = chars.split_last() else {
        return false;
    };
    let number: String = body
        .iter()
        .map(|&c| match c {
            'X' => '0',
            'Y' => '1',
            'Z' => '2',
            other => other,
        })
        .collect();
    number
        .parse::<usize>()
        .is_ok_and(|n| check_char(LETTERS, n) == letter)
}

fn codice_fiscale(found: &Found<'_>) -> bool {
    // A character's value in an odd (first, third, …) place; digits as the letter of
    // their index.
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let chars = compact(found);
    let Some((&check, body)) = chars.split_last() else {
        return false;
    };
    let index = |c: char| {
        c.to_digit(10)
            .or_else(|| (c as u32).checked_sub('A' as u32))
            .unwrap_or(0) as usize
    };
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i % 2 == 0 {
                ODD.get(index(c)).copied().unwrap_or(0)
            } else {
                index(c) as u32
            }
        })
        .sum();
    char::from_u32('A' as u32 + sum % 26) == Some(check)
}

fn nir(found: &Found<'_>) -> bool {
    let chars: String = compact(found).into_iter().collect();
    if chars.len() != 15 {
        return false;
    }
    // Corsica's departments 2A and 2B count as 19 and 18.
    let (body, key) = chars.split_at(13);
    let body = match &body[5..7] {
        "2A" => format!("{}19{}", &body[..5], &body[7..]),
        "2B" => format!("{}18{}", &body[..5], &body[7..]),
        _ => body.to_owned(),
    };
    match (body.parse::<u64>(), key.parse::<u64>()) {
        (Ok(body), Ok(key)) => 97 - body % 97 == key,
        _ => false,
    }
}

fn personnummer(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    let short = &d[d.len().saturating_sub(10)..];
    short.len() == 10
        // A coordination number's day is the birth day plus 60.
        && date_like(two(short, 4) % 60, two(short, 2))
        && luhn(short)
}

fn cpr(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    d.len() == 10 && date_like(two(&d, 0), two(&d, 2))
}

fn hetu(found: &Found<'_>) -> bool {
    const CHECKS: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    // The birth date and the three digits after the century's sign make the number.
    let chars: Vec<char> = found.value().chars().collect();
    let ([date @ .., _], [serial @ .., check]) = (
        chars.get(..7).unwrap_or_default(),
        chars.get(7..).unwrap_or_default(),
    ) else {
        return false;
    };
    let number: String = date.iter().chain(serial).collect();
    let d = digits(&number);
    d.len() == 9
        && date_like(two(&d, 0), two(&d, 2))
        && number
            .parse::<usize>()
            .is_ok_and(|n| check_char(CHECKS, n) == check.to_ascii_uppercase())
}

/// A mod-11 check digit: 11 − Σ mod 11, where 11 is 0 and 10 cannot occur.
fn mod11(digits: &[u32], weights: &[u32]) -> Option<u32> {
    match 11 - weighted(digits, weights) % 11 {
        11 => Some(0),
        10 => None,
        check => Some(check),
    }
}

fn fodselsnummer(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    d.len() == 11
        && date_like(two(&d, 0), two(&d, 2))
        && mod11(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]) == Some(d[9])
        && mod11(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[10])
}

fn cpf(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    if d.len() != 11 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |n: usize| {
        (weighted(&d[..n], &(2..=n as u32 + 1).rev().collect::<Vec<_>>()) * 10) % 11 % 10
    };
    check(9) == d[9] && check(10) == d[10]
}

fn south_african_id(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    // The birth date, then the citizenship digit (0 citizen, 1 resident).
    d.len() == 13 && date_like(two(&d, 4), two(&d, 2)) && d[10] <= 1 && luhn(&d)
}

fn nric(found: &Found<'_>) -> bool {
    let chars = compact(found);
    let (Some(&prefix), Some(&check)) = (chars.first(), chars.last()) else {
        return false;
    };
    let d = digits(found.value());
    // The letters of the 2000s' prefixes (T, G) start four further on.
    let offset = if matches!(prefix, 'T' | 'G') { 4 } else { 0 };
    let table: &[u8] = if matches!(prefix, 'S' | 'T') {
        b"JZIHGFEDCBA"
    } else {
        b"XWUTRQPNMLK"
    };
    let sum = weighted(&d, &[2, 7, 6, 5, 4, 3, 2]) + offset;
    d.len() == 7 && check_char(table, sum as usize) == check
}

fn rut(found: &Found<'_>) -> bool {
    let chars = compact(found);
    let Some((&check, body)) = chars.split_last() else {
        return false;
    };
    let body: String = body.iter().collect();
    let d = digits(&body);
    // Weights 2–7 from the right, again and again.
    let sum: u32 = d
        .iter()
        .rev()
        .zip((2..=7).cycle())
        .map(|(d, w)| d * w)
        .sum();
    let expected = match 11 - sum % 11 {
        11 => '0',
        10 => 'K',
        n => char::from_digit(n, 10).unwrap_or('?'),
    };
    expected == check
}

fn tckn(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    if d.len() != 11 {
        return false;
    }
    let odd = d[0] + d[2] + d[4] + d[6] + d[8];
    let even = d[1] + d[3] + d[5] + d[7];
    // 90 keeps the difference positive without changing it modulo 10.
    (odd * 7 + 90 - even) % 10 == d[9] && d[..10].iter().sum::<u32>() % 10 == d[10]
}

fn ppsn(found: &Found<'_>) -> bool {
    const CHECKS: &[u8] = b"WABCDEFGHIJKLMNOPQRSTUV";
    let chars = compact(found);
    let d = digits(found.value());
    let (Some(&check), second) = (chars.get(7), chars.get(8)) else {
        return false;
    };
    // The second letter of numbers issued since 2013 counts nine times its place in the
    // alphabet (W as 0).
    let extra = second.map_or(0, |&c| {
        if c == 'W' {
            0
        } else {
            ((c as u32).saturating_sub('A' as u32) + 1) * 9
        }
    });
    let sum = weighted(&d, &[8, 7, 6, 5, 4, 3, 2]) + extra;
    d.len() == 7 && check_char(CHECKS, sum as usize) == check
}

fn tfn(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    d.len() == 9 && weighted(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]).is_multiple_of(11)
}

fn steuer_id(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    // ISO 7064 MOD 11,10.
    let product = body.iter().fold(10, |product, &digit| {
        let sum = match (digit + product) % 10 {
            0 => 10,
            sum => sum,
        };
        sum * 2 % 11
    });
    d.len() == 11 && (11 - product) % 10 == check
}

fn belgian_number(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    if d.len() != 11 {
        return false;
    }
    let body = d[..9].iter().fold(0u64, |n, &x| n * 10 + u64::from(x));
    let key = u64::from(two(&d, 9));
    // Those born from 2000 on have a 2 before the number.
    date_like(two(&d, 4), two(&d, 2))
        && (97 - body % 97 == key || 97 - (2_000_000_000 + body) % 97 == key)
}

fn portuguese_nif(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let expected = match 11 - weighted(body, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11 {
        10 | 11 => 0,
        n => n,
    };
    d.len() == 9 && expected == check
}

fn cnp(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let expected = match weighted(body, &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11 {
        10 => 1,
        n => n,
    };
    d.len() == 13 && date_like(two(&d, 5), two(&d, 3)) && expected == check
}

fn israeli_id(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    d.len() == 9 && luhn(&d)
}

fn amka(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    d.len() == 11 && date_like(two(&d, 0), two(&d, 2)) && luhn(&d)
}

fn nhs_number(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    d.len() == 10 && mod11(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) == Some(d[9])
}

fn egn(found: &Found<'_>) -> bool {
    let d = digits(found.value());
    if d.len() != 10 {
        return false;
    }
    // The century is added to the month: 20 for the 1800s, 40 for the 2000s.
    let check = weighted(&d[..9], &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10;
    date_like(two(&d, 4), two(&d, 2) % 20) && check == d[9]
}

fn passport(found: &Found<'_>) -> bool {
    digits(found.value()).len() >= 4
}

fn curp(_: &Found<'_>) -> bool {
    true
}
