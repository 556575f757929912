//! `helpdesk eval pii`: the committed development set is scored, and the last line is the
//! documented JSON summary; a malformed set fails with a one-line cause.

use std::path::Path;
use std::process::Command;

fn eval_pii(set: &Path) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(["eval", "pii", "--set"])
        .arg(set)
        .output()
        .expect("helpdesk runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A committed set's summary line, parsed, and as printed.
fn summary_of(fixture: &str) -> (serde_json::Value, String) {
    let set = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let (ok, stdout, stderr) = eval_pii(&set);
    assert!(ok, "{stderr}");
    let last = stdout.lines().last().expect("a summary line").to_owned();
    let summary = serde_json::from_str(&last).expect("JSON summary");
    (summary, last)
}

#[test]
fn the_dev_set_is_scored_with_a_json_summary() {
    let set = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pii_dev.jsonl");
    let lines = std::fs::read_to_string(&set)
        .expect("dev set")
        .lines()
        .count();
    let (summary, last) = summary_of("pii_dev.jsonl");
    assert_eq!(summary["cases"], lines);
    for key in ["precision", "recall", "f1", "per_sec"] {
        assert!(summary[key].is_number(), "{key}: {last}");
    }
    // The documented key order: each key's first appearance comes after the one before.
    let positions: Vec<usize> = ["cases", "precision", "recall", "f1", "per_type", "per_sec"]
        .iter()
        .map(|k| last.find(&format!("\"{k}\":")).expect(k))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{last}");
    assert_meets_the_bar(&summary, &last);
}

/// The bar: precision ≥ 0.95, recall ≥ 0.95 overall and ≥ 0.98 for SSNs, cards,
/// IBANs and e-mail addresses.
fn assert_meets_the_bar(summary: &serde_json::Value, line: &str) {
    let figure = |v: &serde_json::Value| v.as_f64().unwrap_or(0.0);
    assert!(figure(&summary["precision"]) >= 0.95, "{line}");
    assert!(figure(&summary["recall"]) >= 0.95, "{line}");
    for kind in ["SSN", "CREDIT_CARD", "IBAN", "EMAIL"] {
        assert!(
            figure(&summary["per_type"][kind]["recall"]) >= 0.98,
            "{kind}: {line}"
        );
    }
}

/// The check set was written from the other half of the generator's templates and names,
/// which the detectors were not tuned on.
#[test]
fn the_check_set_meets_the_bar_too() {
    let (summary, last) = summary_of("pii_check.jsonl");
    assert_meets_the_bar(&summary, &last);
}

/// Texts written by hand in a ticket's voice, not by the generator: addresses of ten
/// countries on one or two lines, ports after addresses, initials, versions rolled back to,
/// and log lines, product names and rooms that must stay (recall 0.936, precision 0.983 at
/// the first batch's first run; 0.959 and 0.979 at the second's; 0.950 and 0.974 at the
/// third's; 0.909 and 0.968 at the fourth's, of typos and mixed casing; 0.846 and 0.971 at
/// the fifth's, of credentials in configuration and names of other orders; 0.867 and 0.963
/// at the sixth's, of more vendors' tokens and countries; 0.882 and 0.900 at the seventh's,
/// of values inside logs, JSON, CSV and command lines; 0.846 and 0.917 at the eighth's; 0.875
/// and 0.966 at the ninth's; 0.833 and 0.938 at the tenth's, in five other languages; 0.857
/// and 0.960 at the eleventh's; 0.893 and 0.962 at the twelfth's, in a chat's voice; one
/// false positive in the thirteenth's 30 texts, which hold no personal data; 0.857 and 1.00
/// at the fourteenth's; 0.704 and 1.00 at the fifteenth's, of names, addresses and tokens of
/// ten more countries and vendors; 0.667 and 1.00 at the sixteenth's; 0.854 and 1.00 at the
/// seventeenth's, of whole tickets; 0.833 and 1.00 at the eighteenth's; 0.839 and 0.929 at
/// the nineteenth's, of forms; 0.682 and 1.00 at the twentieth's, in a chat's voice; 0.563
/// and 0.900 at the twenty-first's, of leaked credentials; 0.688 and 0.917 at the
/// twenty-second's, of credentials in configuration; 0.926 and 1.00, 0.905 and 0.952, 0.889
/// and 0.842 at the twenty-third to twenty-fifth's; 1.00 and 1.00 at the twenty-sixth's and
/// the twenty-seventh's; 0.917 and 1.00 at the twenty-eighth's; 0.926 and 0.962 at the
/// twenty-ninth's; 0.949 and 1.00 at the thirtieth's; 0.952 and 1.00 at the
/// thirty-first's; 0.76 and 0.95 at the thirty-second's, of spelt-out addresses and keys;
/// 0.815 and 0.957 at the thirty-third's; 0.893 and 1.00 at the thirty-fourth's; 0.929 and
/// 0.963 at the thirty-fifth's; 0.794 and 1.00 at the thirty-sixth's, in eight European
/// languages; 0.929 and 0.929 at the thirty-seventh's, American tickets typed casually;
/// 0.757 and 1.00 at the thirty-eighth's, mail from Australia, New Zealand and Ireland;
/// 0.810 and 1.00 at the thirty-ninth's, agents' notes on customers in Asia, the Gulf and
/// Latin America; 0.881 and 1.00 at the fortieth's, live chats from Eastern Europe, Turkey,
/// Greece, Israel, North Africa and South Africa; 0.410 and 0.842 at the forty-first's,
/// national identity and tax numbers of fifteen countries; 0.559 and 0.826 at the
/// forty-second's, of eight more and passports).
#[test]
fn handwritten_texts_meet_the_bar() {
    let (summary, last) = summary_of("pii_handwritten.jsonl");
    assert_meets_the_bar(&summary, &last);
}

/// Values made by Faker in twelve locales (scripts/pii_faker.py): other name lists, the USPS
/// table's street suffixes, extensions, British flats, military addresses (recall 0.861 and
/// precision 0.935 at its first run; 0.997 and 0.981 now). Its cards with no card's name
/// before them and twelve digits (Maestro) or led by 1 (JCB's old 1800) are still missed,
/// so the per-type bar of the issue is not asked of it.
#[test]
fn faker_values_are_found() {
    assert_overall("pii_faker.jsonl", 0.95);
}

/// The same values in templates the rules were never fitted on (recall 0.840 and precision
/// 0.941 at its first run; 0.950 and 0.964 after the dev set's fixes): a floor, not a goal.
#[test]
fn faker_values_in_unseen_templates_are_found() {
    assert_overall("pii_faker_check.jsonl", 0.93);
}

/// Values made by Mimesis in thirteen locales (scripts/pii_mimesis.py): national phone
/// numbers in their own groups with no label, Nordic, Dutch, Danish and Brazilian postcodes
/// (recall 0.869 and precision 0.985 at its first run; 0.955 and 0.998 now).
#[test]
fn mimesis_values_are_found() {
    assert_overall("pii_mimesis.jsonl", 0.95);
}

/// The same library's values in templates the rules were never fitted on (0.846 and 0.954
/// at its first run, 0.923 and 0.975 with the rules the dev set led to): a floor.
#[test]
fn mimesis_values_in_unseen_templates_are_found() {
    assert_overall("pii_mimesis_check.jsonl", 0.90);
}

/// Overall precision and recall of a set at least `floor` each.
fn assert_overall(fixture: &str, floor: f64) {
    let (summary, last) = summary_of(fixture);
    for key in ["precision", "recall"] {
        assert!(
            summary[key].as_f64().unwrap_or(0.0) >= floor,
            "{key}: {last}"
        );
    }
}

/// Names drawn by frequency from the whole US census lists, in the generator's PERSON
/// templates: the lists must cover a population's names, not only the generator's short
/// list (recall 0.825 before the census names were added, 0.965 with 500 of each sex).
#[test]
fn a_populations_names_are_found() {
    assert_names_found("pii_census.jsonl", 0.97);
}

/// The same texts typed in lower case or shouted (recall 0 before names were looked for
/// in a copy written the usual way; 0.825 with 500 given names of each sex).
#[test]
fn names_are_found_in_lower_case_and_shouted_too() {
    assert_names_found("pii_census_cased.jsonl", 0.85);
}

/// PERSON recall at least `recall` on a set of names, and nothing found that is not one.
fn assert_names_found(fixture: &str, recall: f64) {
    let (summary, last) = summary_of(fixture);
    let person = &summary["per_type"]["PERSON"];
    assert!(person["recall"].as_f64().unwrap_or(0.0) >= recall, "{last}");
    assert_eq!(person["precision"].as_f64(), Some(1.0), "{last}");
}

#[test]
fn a_malformed_set_fails_naming_the_line() {
    let dir = tempfile::tempdir().expect("dir");
    let set = dir.path().join("bad.jsonl");
    std::fs::write(
        &set,
        "{\"id\":1,\"text\":\"ok\",\"entities\":[]}\n{\"id\":2,\"text\":\"abc\",\"entities\":[{\"type\":\"EMAIL\",\"start\":1,\"end\":9}]}\n",
    )
    .expect("write");
    let (ok, _, stderr) = eval_pii(&set);
    assert!(!ok);
    assert!(stderr.contains("line 2"), "{stderr}");
}
